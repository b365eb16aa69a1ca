"""The HTML report for the clerk (validator.formats.html): the samples' tables drawn with the
wrong cells marked (figures in samples/README.md), a self-contained page, hostile text escaped.
The page is parsed with html.parser into a small element tree; no browser is needed."""

from __future__ import annotations

import dataclasses
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import checked_samples

from validator import synth
from validator.extract import extract
from validator.findings import FileResult, Finding
from validator.pipeline import check_reports, lint_paths
from validator.read import read_bytes
from validator.report import html as html_format
from validator.rules import rulebook

ROOT = Path(__file__).resolve().parent.parent
WRONG = "samples/wrong_total_2019_cells.txt"
CLEAN = "samples/clean_2021.html"
MISSING = "samples/missing_table_2021.txt"
BLANK = "samples/blank_total_2019.html"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MARKS = ("mark-error", "mark-warning", "mark-info", "likely")
HOSTILE_TAG = "<script>alert(1)</script>"
HOSTILE_ATTR = '" onerror="x'


# -- a small element tree -------------------------------------------------------------------------

class Element:
    def __init__(self, tag: str, attrs: dict, parent: Element | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
                and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def ancestor(self, tag: str) -> Element | None:
        e = self.parent
        while e is not None and e.tag != tag:
            e = e.parent
        return e


class TreeBuilder(HTMLParser):
    """Builds the tree and insists on properly nested, closed elements (the page is generated,
    so it can be strict): a stray or mismatched end tag fails the test."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.stack = [self.root]
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs), self.stack[-1])
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs), self.stack[-1]))

    def handle_endtag(self, tag):
        assert tag not in VOID, f"end tag for void element {tag}"
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page: str) -> Element:
    b = TreeBuilder()
    b.feed(page)
    b.close()
    assert b.stack == [b.root], "unclosed elements: " + ", ".join(e.tag for e in b.stack[1:])
    assert b.doctype and b.doctype.lower() == "doctype html"
    return b.root


def marked(root: Element) -> list[Element]:
    return [td for td in root.find_all("td") if td.classes & set(MARKS)]


def cell(root: Element, table: str, row: str, col: str) -> Element:
    found = root.find_all("td", data_table=table, data_row=row, data_col=col)
    assert len(found) == 1, (table, row, col, len(found))
    return found[0]


def assert_links_resolve(root: Element) -> None:
    ids = [e.attrs["id"] for e in root.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for a in root.find_all("a"):
        href = a.attrs.get("href")
        assert href and href.startswith("#"), href
        assert href[1:] in ids, f"dangling link {href}"


# -- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book():
    return rulebook.load()


@pytest.fixture(scope="module")
def samples(book):
    """Every sample checked with paths relative to the project root."""
    return {r.path: r for r in checked_samples(book)}


@pytest.fixture(scope="module")
def pages(book, samples):
    """Each sample rendered on its own through render() (as the CLI does)."""
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        return {path: html_format.render([r], book) for path, r in samples.items()}
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def all_page(book, samples):
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        results = list(samples.values()) + [FileResult.unreadable("samples/不存在的报告.txt", "文件为空")]
        return results, html_format.render(results, book, suppressed=2)
    finally:
        os.chdir(old)


# -- the samples ----------------------------------------------------------------------------------

def test_wrong_total_marks_the_likely_cell_and_both_identities(samples, pages):
    result = samples[WRONG]
    root = parse(pages[WRONG])
    likely = root.find_all("td", cls="likely")
    assert len(likely) == 1
    td = likely[0]
    assert (td.attrs["data-table"], td.attrs["data-row"], td.attrs["data-col"]) == ("t3", "granted", "natural")
    assert td.find_all(cls="raw")[0].text() == "13"
    assert [e.text() for e in td.find_all(cls="fix")] == ["应为 12"]
    assert "mark-error" in td.classes
    assert "第199行" in td.attrs["title"]  # where the value came from

    # Every cell of the three failing identities is marked as an error, and nothing else is marked.
    errors = [f for f in result.findings if f.severity == "error"]
    assert sorted(f.code for f in errors) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"]
    expected = {(c.table, c.row, c.column) for f in errors for c in f.cells}
    got = {(e.attrs["data-table"], e.attrs["data-row"], e.attrs["data-col"]) for e in marked(root)}
    assert got == expected
    assert all("mark-error" in e.classes for e in marked(root))
    assert ("t3", "total", "natural") in got and ("t3", "granted", "total") in got
    review_total = cell(root, "t4", "review", "total")
    assert "mark-error" in review_total.classes and "likely" not in review_total.classes
    # Errors carry a text marker, not only a colour.
    assert all(a.text().startswith("✗") for a in root.find_all("a", cls="ref"))

    # Findings in plain Chinese below their tables, each linking to its cells and back.
    items = root.find_all("li", cls="finding")
    assert len(items) == 3
    for li in items:
        assert "sev-error" in li.classes
        assert "错误" in li.find_all(cls="sev")[0].text()
        assert li.find_all("code", cls="code")[0].text() in {"T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"}
        assert "报告值" in li.text() and "计算值" in li.text()
    t3_items = [li for li in items if "T3" in li.find_all("code")[0].text()]
    for li in t3_items:
        assert li.ancestor("section").find_all("table", cls="grid-t3"), "listed below 表三"
        assert "应为 12" in li.find_all(cls="nums")[0].text()
        goto = li.find_all("a", cls="goto")[0]
        assert goto.attrs["href"] == "#" + td.attrs["id"]
    refs = {a.attrs["href"] for a in td.find_all("a", cls="ref")}
    assert refs == {"#" + li.attrs["id"] for li in t3_items}
    assert_links_resolve(root)

    lead = root.find_all("p", cls="lead")[0].text()
    assert lead.startswith("发现 3 处需要核对的地方") and "应为" in lead
    badge = root.find_all("h2")[0].find_all(cls="badge")[0]
    assert "未通过" in badge.text() and "st-fail" in badge.classes


def test_clean_report_passes_with_nothing_marked(pages):
    root = parse(pages[CLEAN])
    badge = root.find_all("h2")[0].find_all(cls="badge")[0]
    assert badge.text().endswith("通过") and "未通过" not in badge.text()
    assert marked(root) == []
    report = root.find_all("section", cls="report")[0]
    assert report.find_all(cls="fix") == [] and report.find_all("li", cls="finding") == []
    assert report.find_all("p", cls="lead")[0].text().startswith("所有核对均已通过")
    grids = root.find_all("table", cls="grid")
    assert [sorted(g.classes) for g in grids] == [["grid", "grid-t2"], ["grid", "grid-t3"], ["grid", "grid-t4"]]
    # 2021 format: 10 cells in 表二 (blocks only, no empty positions), 25×7 in 表三, 15 in 表四.
    assert [len(g.find_all("td", cls="v")) for g in grids] == [10, 175, 15]
    assert root.find_all("td", cls="absent") == []
    assert "2021 年格式" in root.text() and "2022 年" in root.text()
    # Official labels in place, values as written.
    t3 = grids[1]
    assert "（七）总计" in t3.text() and "法人或其他组织" in t3.text() and "（三）不予公开" in t3.text()
    assert "第二十条第（八）项" in grids[0].text()
    t4_head = grids[2].find_all("thead")[0].text()
    assert "未经复议直接起诉" in t4_head and "复议后起诉" in t4_head
    assert_links_resolve(root)


def test_missing_table_says_so_in_its_place(pages):
    root = parse(pages[MISSING])
    notes = root.find_all("p", cls="missing-table")
    assert len(notes) == 1 and notes[0].text().startswith("未找到表三：")
    section = notes[0].ancestor("section")
    assert "表三" in section.find_all("h3")[0].text()
    codes = [c.text() for c in section.find_all("code", cls="code")]
    assert codes == ["TABLE-MISSING"]
    assert [sorted(g.classes)[1] for g in root.find_all("table", cls="grid")] == ["grid-t2", "grid-t4"]
    badge = root.find_all("h2")[0].find_all(cls="badge")[0]
    assert "未通过" in badge.text()
    assert_links_resolve(root)


def test_blank_total_marks_19_blank_cells(samples, pages):
    root = parse(pages[BLANK])
    blanks = root.find_all("td", cls="blank")
    assert len(blanks) == 19
    assert {(b.attrs["data-table"], b.attrs["data-col"]) for b in blanks} == {("t3", "total")}
    for b in blanks:
        assert b.find_all(cls="raw")[0].text() == "空白"
        assert "空白" in b.attrs["title"]
        assert "mark-error" in b.classes  # the failing identities name them too
        signs = {a.text()[0] for a in b.find_all("a", cls="ref")}
        assert signs == {"✗", "!"}  # the CELL-BLANK warning and the error(s), told apart by sign
    # The warning's own list entry is marked as a warning.
    warnings = [li for li in root.find_all("li", cls="finding") if "sev-warning" in li.classes]
    assert [li.find_all("code")[0].text() for li in warnings] == ["CELL-BLANK"]
    assert "警告" in warnings[0].text()
    # the 17 blank totals whose parts are not all zero: the value to fill in is shown
    likely = root.find_all("td", cls="likely")
    assert len(likely) == 17 and all("应为" in td.text() for td in likely)
    assert_links_resolve(root)


# -- the page as a whole --------------------------------------------------------------------------

def test_several_files_summary_links_to_each_report(all_page):
    results, page = all_page
    root = parse(page)
    nav = root.find_all("nav", cls="summary")
    assert len(nav) == 1
    rows = nav[0].find_all("tr", cls="file")
    assert len(rows) == len(results)
    sections = root.find_all("section", cls="report")
    assert len(sections) == len(results)
    ids = {s.attrs["id"] for s in sections}
    targets = []
    for row, r in zip(rows, results):
        links = row.find_all("a")
        assert len(links) == 1 and links[0].text() == r.path
        targets.append(links[0].attrs["href"][1:])
        word = {"pass": "通过", "fail": "未通过", "incomplete": "部分未核对", "error": "无法读取"}[r.status]
        assert row.find_all(cls="badge")[0].text().endswith(word)
    assert targets == [s.attrs["id"] for s in sections] and set(targets) == ids
    assert_links_resolve(root)
    assert "基线已屏蔽 2 项" in root.text()
    # Printing: A4 and a page break between reports.
    style = root.find_all("style")[0].text()
    assert "@page" in style and "A4" in style and "@media print" in style and "break-before: page" in style


def test_self_contained(all_page):
    _, page = all_page
    root = parse(page)
    html_el = root.find_all("html")[0]
    assert html_el.attrs.get("lang") == "zh-CN"
    assert root.find_all("meta", charset="utf-8")
    assert "http://" not in page and "https://" not in page
    assert not root.find_all("link") and not root.find_all("script") and not root.find_all("img")
    assert not root.find_all("iframe") and not root.find_all("object")
    for e in root.iter():
        for name in ("src", "srcset", "data", "action", "background", "poster"):
            assert name not in e.attrs, (e.tag, name)
        href = e.attrs.get("href")
        if href is not None:
            assert href.startswith("#") and "//" not in href
        assert not any(k.startswith("on") for k in e.attrs), (e.tag, e.attrs)
    style = "".join(s.text() for s in root.find_all("style"))
    assert "@import" not in style and "url(" not in style
    assert re.search(r"\burl\(", page) is None


def test_unreadable_file(book, monkeypatch):
    opened = []
    monkeypatch.setattr("validator.pipeline.load_report", lambda path, b: opened.append(path))
    page = html_format.render([FileResult.unreadable("无此文件.txt", "文件为空")], book)
    assert opened == []  # an unreadable result is never opened again
    root = parse(page)
    section = root.find_all("section", cls="report")[0]
    assert "无法读取" in section.find_all(cls="badge")[0].text()
    assert "文件为空" in section.find_all("p", cls="reason")[0].text()
    assert not root.find_all("table", cls="grid")
    # In memory, as a web app would call it.
    page = html_format.render_reports([(FileResult.unreadable("x", "文件为空"), None)], book)
    assert "文件为空" in parse(page).text()


def test_render_never_reads_a_file(book, samples, monkeypatch):
    """The format draws the reports the run kept; a result without one is shown without tables."""
    import validator.pipeline as pipeline

    def refuse(*_):
        raise AssertionError("a format read a file")

    monkeypatch.setattr(pipeline, "load_report", refuse)
    monkeypatch.setattr(pipeline, "read", refuse)
    monkeypatch.chdir(ROOT)
    results = [samples[WRONG], dataclasses.replace(samples[CLEAN], report=None),
               FileResult.unreadable("gone.txt", "文件不存在")]
    grids = parse(html_format.render(results, book)).find_all("table", cls="grid")
    assert len(grids) == 3  # the kept report's three tables, and none for the others


# -- hostile text ---------------------------------------------------------------------------------

def test_hostile_text_is_escaped(book, tmp_path, monkeypatch):
    """An office name, a row label and a file name carrying markup stay text."""
    text = synth.render("2021", layout="cells", office=HOSTILE_TAG + "临江区")
    text = text.replace("（一）予以公开", "（一）予以公开" + HOSTILE_TAG + '<img src=x onerror="x">', 1)
    path = tmp_path / f"a{HOSTILE_TAG.replace('/', '／')}{HOSTILE_ATTR}.txt"
    path.write_text(text, encoding="utf-8")
    results = list(lint_paths([str(path)], book))
    assert results[0].office.startswith(HOSTILE_TAG)
    assert any(HOSTILE_TAG in f.message for f in results[0].findings)  # LABEL-LOOSE quotes the label
    # And a label from the rules themselves.
    spec = book.tables["t3"]
    labels = dict(spec.row_labels, granted="（一）予以公开" + HOSTILE_TAG + HOSTILE_ATTR)
    hostile_book = dataclasses.replace(book, tables={**book.tables, "t3": dataclasses.replace(spec, row_labels=labels)})
    report = extract(read_bytes(text.encode("utf-8"), str(path)), book)
    page = html_format.render(results, book) + html_format.render_reports([(results[0], report)], hostile_book)

    assert HOSTILE_TAG not in page and "<img" not in page
    assert HOSTILE_ATTR not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot; onerror=&quot;x" in page
    for half in page.split("</html>\n")[:2]:
        root = parse(half + "</html>\n")
        assert not root.find_all("script") and not root.find_all("img")
        assert not any(k.startswith("on") for e in root.iter() for k in e.attrs)
        assert HOSTILE_TAG in root.find_all("h2")[0].text()  # shown as text
    root = parse(page.split("</html>\n")[1] + "</html>\n")
    assert HOSTILE_TAG + HOSTILE_ATTR in root.find_all("table", cls="grid-t3")[0].text()


def test_in_memory_synth_report(book):
    """render_reports with a report that never was a file: a 表四 sum off by 2 in a 2019 report."""
    tables = synth.figures("2019")
    tables["t4"]["suit_direct"]["total"] += 2
    text = synth.render("2019", tables, layout="html")
    report = extract(read_bytes(text.encode("utf-8"), "mem.html"), book)
    result = check_reports([report], book)[0]
    root = parse(html_format.render_reports([(result, report)], book))
    got = {(e.attrs["data-table"], e.attrs["data-row"], e.attrs["data-col"]) for e in marked(root)}
    assert got == {("t4", "suit_direct", c) for c in ("upheld", "corrected", "other", "pending", "total")}
    # 2019 表二: 22 cells in its blocks, none of the 2021 columns.
    t2 = root.find_all("table", cls="grid-t2")[0]
    assert len(t2.find_all("td", cls="v")) == 22
    assert "第二十条第（九）项" in t2.text() and "本年制发件数" not in t2.text()
    assert len(root.find_all("table", cls="grid-t3")[0].find_all("td", cls="v")) == 23 * 7
    assert_links_resolve(root)


# -- the incomplete verdict (部分未核对) -------------------------------------------------------------

GLUED = "表二「行政规范性文件」行的数字连在一起（6241），有多种拆分都说得通，无法确定各数值，该行未核对"


def glued_report(book, name: str = "scraped.html"):
    """A clean synth report whose 表二 行政规范性文件 row is made unreadable and said to be glued,
    as the run-together reader leaves it (built here, so independent of that reader)."""
    report = extract(read_bytes(synth.render("2021", layout="html").encode("utf-8"), name), book)
    result = check_reports([report], book)[0]
    assert result.status == "pass", result.findings
    t2 = report.tables["t2"]
    for c in ("issued", "repealed", "in_force"):
        t2.sources[("normative_documents", c)] = dataclasses.replace(t2.sources[("normative_documents", c)], value=None)
    glued = Finding(code="ROW-GLUED", severity="warning", message=GLUED, table="t2", row="normative_documents",
                    line=2, incomplete=True)
    return dataclasses.replace(result, findings=[glued, *result.findings]), report


def test_incomplete_report_has_its_own_verdict_badge_and_lead(book):
    result, report = glued_report(book)
    assert result.status == "incomplete"
    root = parse(html_format.render_reports([(result, report)], book))
    badge = root.find_all("h2")[0].find_all(cls="badge")[0]
    assert badge.text() == "◐ 部分未核对" and "st-incomplete" in badge.classes  # a sign and a word, not colour alone
    style = root.find_all("style")[0].text()
    rule = re.search(r"\.badge\.st-incomplete \{([^}]*)\}", style).group(1)
    assert "dotted" in rule  # its own border style too
    assert root.find_all("p", cls="run")[0].text() == (
        "检查文件 1 个：通过 0，未通过 0，部分未核对 1，无法读取 0；错误 0 项，警告 1 项，提示 0 项")
    lead = root.find_all("p", cls="lead")[0].text()
    assert lead.startswith("能读到的部分没有发现错误，但抓取或转换的副本中有 1 处无法确定读数，相关核对未进行")
    assert "不能判为通过" in lead and "可以通过" not in lead
    # the glued row is marked on its label, its cells say why they are not read
    label = next(th for th in root.find_all("th", cls="rl") if th.text().startswith("行政规范性文件"))
    assert "mark-warning" in label.classes
    (ref,) = label.find_all("a", cls="ref")
    (item,) = root.find_all("li", cls="finding")
    assert ref.attrs["href"] == "#" + item.attrs["id"] and ref.text().startswith("!")
    assert "sev-warning" in item.classes and item.find_all("code")[0].text() == "ROW-GLUED"
    assert GLUED in item.text()
    td = cell(root, "t2", "normative_documents", "issued")
    assert "unreadable" in td.classes and "无法确定" in td.attrs["title"] and "未核对" in td.attrs["title"]
    assert "unreadable" not in cell(root, "t2", "regulations", "issued").classes
    assert_links_resolve(root)


def test_several_files_count_the_incomplete_one(book):
    clean = extract(read_bytes(synth.render("2021", layout="html").encode("utf-8"), "clean.html"), book)
    clean_result = check_reports([clean], book)[0]
    result, report = glued_report(book)
    root = parse(html_format.render_reports([(clean_result, clean), (result, report)], book))
    nav = root.find_all("nav", cls="summary")[0]
    assert "通过 1 个，未通过 0 个，部分未核对 1 个，无法读取 0 个" in nav.text()
    badges = [row.find_all(cls="badge")[0] for row in nav.find_all("tr", cls="file")]
    assert [b.text() for b in badges] == ["✓ 通过", "◐ 部分未核对"]
    assert "st-incomplete" in badges[1].classes
    assert "部分未核对 1" in root.find_all("p", cls="run")[0].text()


def test_the_html_format_draws_the_reports_the_run_kept_without_reading_again(book, tmp_path, monkeypatch):
    from validator import config as configs
    from validator import pipeline as lint
    from validator import pipeline as runs

    paths = []
    for i, fmt in enumerate(("2019", "2021", "2021")):
        tables = synth.figures(fmt, seed=i)
        tables["t3"]["granted"]["natural"] += i  # the last two carry a wrong cell
        path = tmp_path / f"r{i}.html"
        path.write_text(synth.render(fmt, tables, "html", office=f"第{i}号机关"), encoding="utf-8")
        paths.append(str(path))
    reads = []
    real_read = lint.read
    monkeypatch.setattr(lint, "read", lambda p: reads.append(p) or real_read(p))
    run = runs.execute(book, configs.Config(root=tmp_path), paths, [], keep_reports=True)
    page = html_format.render(run.results, book)
    assert reads == paths  # each file read once, for the checks and for the page alike
    assert all(r.report is not None for r in run.results)
    assert len(marked(parse(page))) > 0
