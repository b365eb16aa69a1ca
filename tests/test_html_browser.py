"""The HTML report and the upload page in a real headless Chromium (Debian's; .ci/run installs
it): the to-fix list and its links, the strong and light marks, the 390 px phone layout, the
folder page's filters, A4 print, and an upload through the drop zone under the page's CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_web import CHROMIUM, serving

from validator import config as configs
from validator import pipeline
from validator.report import html as html_format
from validator.report.json import file_dict
from validator.web import create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
WRONG = "samples/wrong_total_2019_cells.txt"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def run(book, paths: list[str]):
    return pipeline.execute(book, configs.Config(root=ROOT), paths, keep_reports=True).results


@pytest.fixture(scope="module")
def pages(book, tmp_path_factory):
    """The report pages as files: one report, and the samples folder as one page."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        wrong = run(book, [WRONG])
        out["wrong"] = (wrong, folder / "wrong.html")
        samples = run(book, [str(p.relative_to(ROOT)) for p in sorted(SAMPLES.iterdir()) if p.name != "README.md"])
        out["folder"] = (samples, folder / "folder.html")
        if (CORPUS / "shanghai_bgt_2019.html").exists():
            out["shanghai"] = (run(book, [str(CORPUS / "shanghai_bgt_2019.html")]), folder / "shanghai.html")
    for results, path in out.values():
        path.write_text(html_format.render(results, book), encoding="utf-8")
    return out


def open_page(browser, path: Path, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(path.as_uri())
    return page


def marked_cells(page) -> set[tuple[str, str, str]]:
    cells = page.eval_on_selector_all(
        "td.mark-fix, td.mark-check, td.mark-part, td.mark-warn, td.mark-info",
        "els => els.map(e => [e.dataset.table, e.dataset.row, e.dataset.col])")
    return {tuple(c) for c in cells}


def json_cells(results) -> set[tuple[str, str, str]]:
    doc = [file_dict(r) for r in results]
    return {(c["table"], c["row"], c["column"]) for d in doc for f in d["findings"] for c in f["cells"]
            if "path" not in c}


# -- the to-fix list -------------------------------------------------------------------------------

def test_to_fix_list_lines_in_order_each_leading_to_its_cell(browser, pages):
    _, path = pages["wrong"]
    page = open_page(browser, path)
    lines = page.locator("li.todo-item")
    assert lines.count() == 2
    texts = [lines.nth(i).inner_text() for i in range(2)]
    assert "表三（一）予以公开 · 自然人" in texts[0] and "现为 13" in texts[0] and "应为 12" in texts[0]
    assert "请核对" in texts[1] and "表四「行政复议」" in texts[1] and "总计为 5" in texts[1]
    # the list is the first thing under the verdict: on the first screen
    box = lines.nth(0).bounding_box()
    assert box is not None and box["y"] + box["height"] < 900
    for i, expected in enumerate([("t3", "granted", "natural"), ("t4", "review", "total")]):
        page.evaluate("window.scrollTo(0, 0)")
        lines.nth(i).locator("a.goto").first.click()
        target = page.evaluate("location.hash")[1:]
        cell = page.locator(f"[id='{target}']")
        assert (cell.get_attribute("data-table"), cell.get_attribute("data-row"), cell.get_attribute("data-col")) == expected
        top = cell.evaluate("e => e.getBoundingClientRect().top")
        assert -2 <= top < 900  # scrolled into view
    page.close()


def test_marks_strong_and_light_survive_greyscale_and_equal_the_json_cells(browser, pages):
    results, path = pages["wrong"]
    page = open_page(browser, path)
    assert marked_cells(page) == json_cells(results)
    page.add_style_tag(content="html { filter: grayscale(1); }")
    strong = page.locator("td.mark-fix")
    assert strong.count() == 1 and strong.inner_text().replace("\n", " ") == "13 应为 12"
    style = strong.evaluate("e => getComputedStyle(e).boxShadow")
    assert "inset" in style and "3px" in style  # a heavy frame, not a colour
    light = page.locator("td.mark-part").first
    outline = light.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
    assert outline == ["dashed", "1px"]  # a thin dashed outline
    assert light.evaluate("e => getComputedStyle(e).boxShadow") == "none"
    check = page.locator("td.mark-check")
    assert check.count() == 1 and "?" in check.inner_text()
    assert page.locator("td.mark-part").count() == 29
    page.close()


# -- paper and phone ----------------------------------------------------------------------------------

def tap_targets_too_small(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('a, label.toggle, summary')]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.width < 32 || r.height < 32))
        .map(([e, r]) => e.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))""")


@pytest.mark.parametrize("name", ["wrong", "folder", "shanghai"])
def test_phone_layout_has_no_page_level_horizontal_scroll(browser, pages, name):
    if name not in pages:
        pytest.skip("../shared/corpus not present")
    _, path = pages[name]
    page = open_page(browser, path, 390, 844)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")
    assert tap_targets_too_small(page) == []
    # 表三 scrolls inside its own box, its row labels and headers kept in view
    box = page.locator("table.grid-t3").first.locator("xpath=..")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    seen = box.evaluate("""e => { e.scrollLeft = 200; e.scrollTop = 300; const b = e.getBoundingClientRect();
        const head = e.querySelector('thead').getBoundingClientRect();
        const labels = [...e.querySelectorAll('th.rl[scope=row]')].map(t => t.getBoundingClientRect())
            .filter(r => r.top >= head.bottom - 1 && r.bottom <= b.bottom);
        return {left: b.left, top: b.top, head: head.top, labels: labels.map(r => r.left)}; }""")
    assert abs(seen["head"] - seen["top"]) < 3  # the header row stays at the top of the box
    assert seen["labels"] and all(abs(x - seen["left"]) < 3 for x in seen["labels"])  # labels at its left
    page.close()


def test_print_on_a4_carries_file_date_version_and_legend_on_every_page(browser, pages, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    _, path = pages["wrong"]
    page = open_page(browser, path)
    pdf = tmp_path / "wrong.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    doc = pdfium.PdfDocument(str(pdf))
    n = len(doc)
    assert n >= 2
    for i in range(n):
        text = doc[i].get_textpage().get_text_range()
        assert "wrong_total_2019_cells.txt" in text and "govreport" in text and "检查于" in text
        assert f"第 {i + 1} 页，共 {n} 页" in text and "最可能填错的格" in text  # the legend
    first = doc[0].get_textpage().get_text_range()
    assert "修改的地方" in first


# -- the folder page ----------------------------------------------------------------------------------

def test_folder_filters_work_without_a_server(browser, pages):
    results, path = pages["folder"]
    page = open_page(browser, path)
    statuses = page.eval_on_selector_all("tr.file", "rows => rows.map(r => r.className.split(' ')[1])")
    assert statuses[0] == "st-fail" and statuses[-1] == "st-pass"

    def visible(selector: str) -> int:
        return page.eval_on_selector_all(selector, "els => els.filter(e => e.getClientRects().length).length")

    passing = sum(r.status == "pass" for r in results)
    assert visible("details.report.st-pass") == passing
    assert page.eval_on_selector_all("details.report", "els => els.filter(e => e.open).length") == 0  # folded
    assert visible(".report.st-incomplete") == 1
    page.click("label[for=only-fail]")
    assert visible(".report.st-pass") == 0 and visible("tr.file.st-pass") == 0
    assert visible(".report.st-fail") == sum(r.status == "fail" for r in results)
    page.click("label[for=only-fail]")
    page.click("label[for=only-errors]")
    assert visible(".report.st-incomplete") == 0 and visible(".report.st-pass") == 0
    assert visible("li.cause.sev-warning") == 0 and visible("li.cause.sev-error") > 0
    # back to the list from a report
    page.locator(".report a.back").first.click()
    assert page.evaluate("location.hash") == "#files"
    page.close()


# -- the upload page -----------------------------------------------------------------------------------

def test_drop_zone_uploads_several_files_under_the_csp(browser):
    texts = [(SAMPLES / "wrong_total_2019_cells.txt").read_text(encoding="utf-8"),
             (SAMPLES / "clean_2021.html").read_text(encoding="utf-8")]
    with serving(create_app()) as (url, _port):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        messages = []
        page.on("console", lambda m: messages.append(m.text))
        response = page.goto(url + "/")
        assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", response.headers["content-security-policy"])
        assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # dropped beside the zone: the page stays
        page.evaluate("""() => { const dt = new DataTransfer();
            dt.items.add(new File(["x"], "x.txt"));
            document.body.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})); }""")
        assert page.url == url + "/"
        page.evaluate("""([a, b]) => { const dt = new DataTransfer();
            dt.items.add(new File([a], "报告2020.txt", {type: "text/plain"}));
            dt.items.add(new File([b], "报告2022.html", {type: "text/html"}));
            const zone = document.getElementById("drop");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})); }""", texts)
        assert page.evaluate("document.getElementById('report-files').files.length") == 2
        assert page.inner_text("#chosen") == "已选择 2 个文件：报告2020.txt、报告2022.html"
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.locator("tr.file").count() == 2
        assert page.locator("td.mark-fix").inner_text().replace("\n", " ") == "13 应为 12"
        assert "报告2020.txt" in page.locator("tr.file").first.inner_text()  # the failing one first
        assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m], messages
        # the result page opened again without its upload asks for the file again
        page.goto(url + "/check")
        assert "请重新选择" in page.inner_text("body") and page.locator("#drop").count() == 1
        page.close()
