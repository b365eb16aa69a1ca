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
from validator.report.json import file_dict
from validator.rules import rulebook

ROOT = Path(__file__).resolve().parent.parent
WRONG = "samples/wrong_total_2019_cells.txt"
CLEAN = "samples/clean_2021.html"
MISSING = "samples/missing_table_2021.txt"
BLANK = "samples/blank_total_2019.html"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MARKS = html_format.MARKS
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

def keyof(e: Element) -> tuple[str, str, str]:
    return e.attrs["data-table"], e.attrs["data-row"], e.attrs["data-col"]


def todo_items(root: Element) -> list[Element]:
    return root.find_all("li", cls="todo-item")


def json_cells(result) -> set[tuple[str, str, str]]:
    """Every cell the JSON output names for this file (cells of this report, not another year's)."""
    doc = file_dict(result)
    return {(c["table"], c["row"], c["column"]) for f in doc["findings"] for c in f["cells"] if "path" not in c}


def assert_marks_are_the_json_cells(root: Element, result) -> None:
    drawn = {keyof(td) for td in root.find_all("td") if "data-table" in td.attrs}
    assert {keyof(e) for e in marked(root)} == json_cells(result) & drawn


def assert_no_code_in_sentences(root: Element) -> None:
    """Rule codes only in the small details line (and its <code>), never in a sentence."""
    codes = re.compile(r"\b(?:T[234]|XY|ROW|CELL|DOC|TABLE|FORMAT|LABEL|YEAR|TEXT)-[A-Z-]+\b")
    for e in root.iter():
        if e.tag in ("style", "code", "title") or "detail" in e.classes:
            continue
        if any(a.tag == "code" or "detail" in a.classes for a in _ancestors(e)):
            continue
        for child in e.children:
            if isinstance(child, str):
                assert not codes.search(child), (e.tag, child)
        for name in ("title", "aria-label"):
            assert not codes.search(e.attrs.get(name) or ""), (e.tag, e.attrs.get(name))


def _ancestors(e: Element):
    while e.parent is not None:
        e = e.parent
        yield e


def test_wrong_total_to_fix_list_points_at_the_wrong_cell_first(pages):
    root = parse(pages[WRONG])
    items = todo_items(root)
    assert len(items) == 2  # three errors, two causes
    first, second = items
    # most certain first: the cell both failing identities share, and its value
    link = first.find_all("a", cls="goto")[0]
    assert link.text() == "表三（一）予以公开 · 自然人"
    assert "现为 13" in first.text() and "应为 12" in first.text()
    td = cell(root, "t3", "granted", "natural")
    assert link.attrs["href"] == "#" + td.attrs["id"]
    # then the identity no single cell explains: the two numbers that disagree, linked to its total
    assert "请核对" in second.text() and "表四「行政复议」" in second.text()
    assert "总计为 5" in second.text() and "之和为 4" in second.text() and "行政复议」行" not in second.text()
    assert second.find_all("a", cls="goto")[0].attrs["href"] == "#" + cell(root, "t4", "review", "total").attrs["id"]
    # the to-fix list comes before the tables
    report = root.find_all("section", cls="report")[0]
    order = [e for e in report.iter() if "todo" in e.classes or "grid" in e.classes]
    assert "todo" in order[0].classes
    assert_links_resolve(root)


def test_wrong_total_marks_strong_and_light(samples, pages):
    result = samples[WRONG]
    root = parse(pages[WRONG])
    strong = root.find_all("td", cls="mark-fix")
    assert [keyof(td) for td in strong] == [("t3", "granted", "natural")]
    td = strong[0]
    assert td.find_all(cls="raw")[0].text() == "13"
    assert [e.text() for e in td.find_all(cls="fix")] == ["应为 12"]
    assert "第 199 行" in td.attrs["title"]  # where the value came from
    assert [keyof(e) for e in root.find_all("td", cls="mark-check")] == [("t4", "review", "total")]
    # the other cells of the failing identities are marked lightly, and nothing else is marked
    errors = [f for f in result.findings if f.severity == "error"]
    assert sorted(f.code for f in errors) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"]
    expected = {(c.table, c.row, c.column) for f in errors for c in f.cells}
    light = {keyof(e) for e in root.find_all("td", cls="mark-part")}
    assert light == expected - {("t3", "granted", "natural"), ("t4", "review", "total")}
    assert len(light) == 20 + 7 + 4 - 2  # one wrong cell: 1 strong, its 26 neighbours light
    assert_marks_are_the_json_cells(root, result)
    # each marked cell links to its cause, which links back to the cell
    cards = root.find_all("li", cls="cause")
    assert len(cards) == 2
    assert td.find_all("a", cls="to")[0].attrs["href"] == "#" + cards[0].attrs["id"]
    assert cards[0].find_all("a", cls="goto")[0].attrs["href"] == "#" + td.attrs["id"]
    evidence = [li.text() for li in cards[0].find_all("ul", cls="evidence")[0].find_all("li")]
    assert evidence == ["表三「自然人」列：（七）总计为 39，但（一）至（六）各项之和为 40（相差 1）",
                        "表三「（一）予以公开」行：总计为 16，但自然人与法人或其他组织各列之和为 17（相差 1）"]
    assert "第 199 行" in cards[0].find_all("p", cls="pos")[0].text()
    detail = cards[0].find_all("p", cls="detail")[0].text()
    assert "T3-OUTCOME-SUM" in detail and "报告值 39，计算值 40" in detail
    # the cells to compare are listed with their values
    compare = [li.text() for li in cards[1].find_all("ul", cls="cmp")[0].find_all("li")]
    assert compare[0] == "表四 行政复议 · 总计：5" and "表四 行政复议 · 结果维持：2" in compare
    assert_no_code_in_sentences(root)
    badge = root.find_all("h2")[0].find_all(cls="badge")[0]
    assert "未通过" in badge.text() and "st-fail" in badge.classes


def test_clean_report_passes_with_nothing_marked(pages):
    root = parse(pages[CLEAN])
    badge = root.find_all("h2")[0].find_all(cls="badge")[0]
    assert badge.text().endswith("通过") and "未通过" not in badge.text()
    assert marked(root) == []
    report = root.find_all("section", cls="report")[0]
    assert report.find_all(cls="fix") == [] and report.find_all("li", cls="cause") == []
    assert todo_items(root) == [] and "没有" in report.find_all("section", cls="todo")[0].text()
    assert report.find_all("p", cls="lead")[0].text().startswith("所有核对均已通过")
    grids = root.find_all("table", cls="grid")
    assert [sorted(g.classes) for g in grids] == [["grid", "grid-t2"], ["grid", "grid-t3"], ["grid", "grid-t4"]]
    # 2021 format: 10 cells in 表二 (blocks only, no empty positions), 25×7 in 表三, 15 in 表四.
    assert [len(g.find_all("td", cls="v")) for g in grids] == [10, 175, 15]
    assert root.find_all("td", cls="absent") == []
    assert "2021 年格式" in root.text() and "2022 年" in root.text()
    # Official labels in place, values as written; 表三's groups as heading rows above their items.
    t3 = grids[1]
    assert "（七）总计" in t3.text() and "法人或其他组织" in t3.text() and "（三）不予公开" in t3.text()
    groups = [th.text() for th in t3.find_all("th", cls="grouprow")]
    assert groups == ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"]
    assert not any(int(th.attrs.get("rowspan", 1)) > 1 for th in t3.find_all("tbody")[0].find_all("th"))
    assert "第二十条第（八）项" in grids[0].text()
    t4_head = grids[2].find_all("thead")[0].text()
    assert "未经复议直接起诉" in t4_head and "复议后起诉" in t4_head
    assert_links_resolve(root)


def test_missing_table_says_so_in_its_place(samples, pages):
    root = parse(pages[MISSING])
    notes = root.find_all("p", cls="missing-table")
    assert len(notes) == 1 and notes[0].text().startswith("未找到表三：")
    section = notes[0].ancestor("section")
    assert "表三" in section.find_all("h3")[0].text()
    (item,) = todo_items(root)
    assert item.text().count("未找到表三") == 1
    assert item.find_all("a", cls="goto")[0].attrs["href"] == "#" + section.attrs["id"]
    (card,) = root.find_all("li", cls="cause")
    assert [c.text() for c in card.find_all("code")] == ["TABLE-MISSING"]
    assert [sorted(g.classes)[1] for g in root.find_all("table", cls="grid")] == ["grid-t2", "grid-t4"]
    badge = root.find_all("h2")[0].find_all(cls="badge")[0]
    assert "未通过" in badge.text()
    assert_marks_are_the_json_cells(root, samples[MISSING])
    assert_links_resolve(root)


def test_blank_total_column_is_one_cause(samples, pages):
    result = samples[BLANK]
    root = parse(pages[BLANK])
    blanks = root.find_all("td", cls="blank")
    assert len(blanks) == 19
    assert {(b.attrs["data-table"], b.attrs["data-col"]) for b in blanks} == {("t3", "total")}
    for b in blanks:
        assert b.find_all(cls="raw")[0].text() == "空白"
        assert "空白" in b.attrs["title"]
    # 18 errors and the CELL-BLANK warning: one line, one chip per value to fill in, each linked
    (item,) = todo_items(root)
    assert "表三「总计」列有 19 格空白" in item.text() and "另有 2 格空白，应填 0" in item.text()
    chips = item.find_all("a", cls="chip")
    assert len(chips) == 17
    fill = {"granted": 68, "partial": 20, "unable.no_info": 59, "other_handling": 8}
    for chip in chips:
        td = next(b for b in blanks if "#" + b.attrs["id"] == chip.attrs["href"])
        assert "mark-fix" in td.classes
        value = td.find_all(cls="fix")[0].text()
        assert value.startswith("应填 ") and chip.find_all("b")[0].text() == value[3:]
        if td.attrs["data-row"] in fill:
            assert value == f"应填 {fill[td.attrs['data-row']]}"
    # the column's own sum (（一）至（六）各项之和为 0) is the blanks' side effect, not a cause
    assert "各项之和为 0" not in item.text()
    (card,) = root.find_all("li", cls="cause")
    assert any("各项之和为 0" in li.text() for li in card.find_all("li"))
    assert "T3-OUTCOME-SUM" in card.find_all("p", cls="detail")[0].text()
    assert len(root.find_all("td", cls="mark-fix")) == 17
    assert_marks_are_the_json_cells(root, result)
    assert_links_resolve(root)


def test_broken_balance_says_which_cells_to_compare(samples):
    result = samples["samples/broken_balance_2021.html"]
    root = parse(html_format.render([result]))
    items = todo_items(root)
    assert [i.find_all("a", cls="goto")[0].text() for i in items] == ["表三「自然人」列", "表三「总计」列"]
    assert all("请核对" in i.text() and "两者应相等" in i.text() for i in items)
    # no single cell explains it: the four cells of each balance are the ones to compare, none strong
    assert root.find_all("td", cls="mark-fix") == []
    assert {keyof(e) for e in root.find_all("td", cls="mark-check")} == {
        ("t3", r, c) for r in ("new", "carried_over", "total", "carry_forward") for c in ("natural", "total")}
    assert_marks_are_the_json_cells(root, result)


def test_run_together_rows_draw_each_value_in_its_own_cell(samples, pages):
    root = parse(pages["samples/crawler_2024.txt"])
    row = [cell(root, "t3", "new", c) for c in ("natural", "commercial", "research", "social", "legal", "other_org", "total")]
    assert [td.find_all(cls="raw")[0].text() for td in row] == ["14", "1", "0", "0", "0", "0", "15"]
    assert all("141000015" in td.attrs["title"] and "141000015" not in td.text() for td in row)
    # the row that could not be read: under 未能读取, its label marked and linked, never called 缺少
    unread = root.find_all("section", cls="unread")[0]
    assert "未能读取，请人工核对" in unread.text() and "缺少" not in unread.text()
    label = next(th for th in root.find_all("th", cls="rl") if th.text().startswith("行政规范性文件"))
    assert "mark-unread" in label.classes
    assert label.find_all("a")[0].attrs["href"] == "#" + unread.find_all("li")[0].attrs["id"]
    assert todo_items(root) == []
    assert_no_code_in_sentences(root)
    assert_links_resolve(root)


# -- the page as a whole --------------------------------------------------------------------------

def test_several_files_failures_first_by_office_with_filters(all_page):
    results, page = all_page
    root = parse(page)
    nav = root.find_all("nav", cls="summary")
    assert len(nav) == 1
    rows = nav[0].find_all("tr", cls="file")
    assert len(rows) == len(results)
    order = {"fail": 0, "error": 1, "incomplete": 2, "pass": 3}
    statuses = [next(c for c in r.classes if c.startswith("st-"))[3:] for r in rows]
    assert statuses == sorted(statuses, key=order.get)
    sections = [e for e in root.iter() if "report" in e.classes and e.tag in ("section", "details")]
    assert len(sections) == len(results)
    targets = [row.find_all("a")[0].attrs["href"][1:] for row in rows]
    assert targets == [s.attrs["id"] for s in sections]
    by_path = {r.path: r for r in results}
    for row in rows:
        r = by_path[row.find_all("td", cls="path")[0].text()]
        word = {"pass": "通过", "fail": "未通过", "incomplete": "部分未核对", "error": "无法读取"}[r.status]
        assert row.find_all(cls="badge")[0].text().endswith(word)
        if r.office:
            assert row.find_all("a")[0].text().startswith(r.office)  # office names, not paths
    # passing reports folded, every report a way back to the list
    for s in sections:
        assert (s.tag == "details") == ("st-pass" in s.classes)
        assert s.find_all("a", cls="back")[0].attrs["href"] == "#files"
    # filters that need no server: two checkboxes before the content, CSS rules that hide
    inputs = [e for e in root.find_all("body")[0].children if isinstance(e, Element) and e.tag == "input"]
    assert [i.attrs["id"] for i in inputs] == ["only-fail", "only-errors"]
    assert {lab.attrs["for"] for lab in root.find_all("label", cls="toggle")} == {"only-fail", "only-errors"}
    style = root.find_all("style")[0].text()
    assert "#only-fail:checked ~ main .st-pass { display: none; }" in style
    assert "#only-errors:checked ~ main .sev-warning" in style
    assert_links_resolve(root)
    assert "基线已屏蔽 2 项" in root.text()


def test_print_carries_legend_file_date_and_version_on_every_page(all_page):
    _, page = all_page
    root = parse(page)
    style = root.find_all("style")[0].text()
    assert "@page" in style and "A4" in style and "@media print" in style
    assert "@top-left" in style and "@bottom-left" in style and "counter(pages)" in style
    # each report its own named page, whose footer names its file
    sections = [e for e in root.iter() if "report" in e.classes and e.tag in ("section", "details")]
    for s in sections:
        name = "passed" if "st-pass" in s.classes else s.attrs["id"]  # folded: they share their pages
        assert f"#{s.attrs['id']} {{ page: {name}; }}" in style
    assert "govreport" in root.find_all("p", cls="stamp")[0].text()
    assert re.search(r"检查时间：\d{4}-\d{2}-\d{2}", root.find_all("p", cls="stamp")[0].text())


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
    assert_no_code_in_sentences(root)


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
    text = synth.render("2021", layout="cells", office="临江区" + HOSTILE_TAG)
    text = text.replace("（一）予以公开", "（一）予以公开" + HOSTILE_TAG + '<img src=x onerror="x">', 1)
    path = tmp_path / f"a{HOSTILE_TAG.replace('/', '／')}{HOSTILE_ATTR}.txt"
    path.write_text(text, encoding="utf-8")
    results = list(lint_paths([str(path)], book))
    assert results[0].office == "临江区" + HOSTILE_TAG
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
    got = {keyof(e) for e in marked(root)}
    assert got == {("t4", "suit_direct", c) for c in ("upheld", "corrected", "other", "pending", "total")}
    # one identity, no single cell to blame: its total to compare, its parts light
    assert [keyof(e) for e in root.find_all("td", cls="mark-check")] == [("t4", "suit_direct", "total")]
    assert len(root.find_all("td", cls="mark-part")) == 4 and not root.find_all("td", cls="mark-fix")
    (item,) = todo_items(root)
    assert "表四「行政诉讼·未经复议直接起诉」" in item.text() and "行」" not in item.text()
    # a web page's positions: its table and row as the page shows them
    assert "网页中第 3 个表格" in cell(root, "t4", "suit_direct", "total").attrs["title"]
    # 2019 表二: 22 cells in its blocks, none of the 2021 columns.
    t2 = root.find_all("table", cls="grid-t2")[0]
    assert len(t2.find_all("td", cls="v")) == 22
    assert "第二十条第（九）项" in t2.text() and "本年制发件数" not in t2.text()
    assert len(root.find_all("table", cls="grid-t3")[0].find_all("td", cls="v")) == 23 * 7
    assert_marks_are_the_json_cells(root, result)
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
    # nothing to change in the report; the row not read under its own heading, worded as a reading limit
    assert todo_items(root) == [] and root.find_all("li", cls="cause") == []
    (unread,) = root.find_all("section", cls="unread")
    assert unread.find_all("h3")[0].text() == "未能读取，请人工核对（1 处）"
    (item,) = unread.find_all("li")
    assert "6241" in item.text() and "无法确定各数值" in item.text() and "缺少" not in item.text()
    assert item.find_all("code")[0].text() == "ROW-GLUED"
    # the glued row is marked on its label, linked both ways; its cells say why they are not read
    label = next(th for th in root.find_all("th", cls="rl") if th.text().startswith("行政规范性文件"))
    assert "mark-unread" in label.classes
    assert label.find_all("a", cls="to")[0].attrs["href"] == "#" + item.attrs["id"]
    assert item.find_all("a", cls="goto")[0].attrs["href"] == "#" + label.attrs["id"]
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
    rows = nav.find_all("tr", cls="file")
    badges = [row.find_all(cls="badge")[0] for row in rows]
    assert [b.text() for b in badges] == ["◐ 部分未核对", "✓ 通过"]  # not passed before passed
    assert "st-incomplete" in badges[0].classes
    assert [row.find_all("td", cls="n")[2].text() for row in rows] == ["1", "0"]  # 未能读取
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


def test_hostile_file_name_in_the_printed_footer(book):
    """The footer of a report's printed pages is a CSS string: a file name cannot end it, nor the style."""
    name = 'a"; } body { display: none } </style><script>x()</script>\\.txt'
    results = [FileResult.unreadable(name, "文件为空"), FileResult.unreadable("b.txt", "文件为空")]
    page = html_format.render(results, book)
    style = page[page.index("<style>") + 7:page.index("</style>")]
    assert "<" not in style and "display: none }" not in style.split("@page report-")[1]
    for footer in re.findall(r'@bottom-left \{ content: "((?:[^"\\]|\\.)*)"', style):
        assert '"' not in footer and ";" not in footer and "}" not in footer
    root = parse(page)
    assert not root.find_all("script")


# -- real published reports (../shared/corpus) ----------------------------------------------------

CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_page(book, name: str):
    path = CORPUS / name
    if not path.exists():
        pytest.skip("../shared/corpus not present")
    from validator import config as configs
    from validator import pipeline

    (result,) = pipeline.execute(book, configs.Config(), [str(path)], keep_reports=True).results
    return result, parse(html_format.render([result], book))


def test_shanghai_2019_blank_total_column_comes_first_as_one_line(book):
    result, root = corpus_page(book, "shanghai_bgt_2019.html")
    items = todo_items(root)
    assert len(items) < 8 < len(result.findings)  # 25 findings, a handful of causes
    first = items[0]
    assert "sev-error" in first.classes and "表三「总计」列有 19 格空白" in first.text()
    assert len(first.find_all("a", cls="chip")) == 11
    assert not any("各项之和为 0" in i.text() for i in items)  # a side effect, not a cause
    assert all("sev-warning" in i.classes for i in items[1:])  # errors before warnings
    assert len(root.find_all("td", cls="mark-fix")) == 11
    assert_marks_are_the_json_cells(root, result)
    assert_no_code_in_sentences(root)
    assert_links_resolve(root)


def test_kewei_2024_detached_rows_are_a_reading_limit(book):
    result, root = corpus_page(book, "shanghai_kewei_2024_pdf2md.md")
    (unread,) = root.find_all("section", cls="unread")
    assert "缺少" not in unread.text() and "不是报告本身的错误" in unread.text()
    assert len(unread.find_all("li")) == sum(f.incomplete for f in result.findings)
    first = todo_items(root)[0]
    assert "表三 四、结转下年度继续办理 · 总计" in first.text() and "应填 1" in first.text()
    assert not any("缺少" in i.text() for i in todo_items(root))
    assert_marks_are_the_json_cells(root, result)
    assert_links_resolve(root)
