"""HTML pages: paragraphs outside tables, and every <table> as rows of cells with their grid
position (rowspan/colspan resolved). A table cell that holds another table is layout, not data:
its content is read as blocks of its own.

The budget: the elements are counted in the text before lxml builds a tree (MAX_ELEMENTS), the
grid positions every table's spans cover before any grid is resolved (MAX_GRID_CELLS), and
what libxml2's own limits drop (nesting deeper than 256 levels, a text node over 10 MB; lxml's
huge_tree stays off) is a ReadError, never a page read in part."""

from __future__ import annotations

import re

from lxml import etree

from validator.model import INVISIBLE, Cell, Document, ReadError

_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
    "header", "footer", "nav", "main", "aside", "blockquote", "pre", "dl", "dt", "dd", "form",
    "center", "address", "figure", "figcaption", "body", "html", "title", "caption", "hr",
}
_SKIP = {"script", "style", "noscript", "template", "head", "select", "option", "button", "iframe"}
_WS = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_MAX_COLS = 1024  # grid positions beyond this are clamped: hostile spans must not cost O(n²)
MAX_ELEMENTS = 200_000  # tags in the page (a report has ~1 000; a Word export 10 000-50 000)
MAX_GRID_CELLS = 1_000_000  # grid positions covered by all tables' cells, spans included


_INVISIBLE = re.compile(f"[{INVISIBLE}]")  # a number with one inside would not read as a number


def _clean(text: str) -> str:
    return _WS.sub(" ", _INVISIBLE.sub("", text)).strip()


def _cell_text(el) -> str:
    """A table cell's text as it shows: without footnote markers (7<sup>1</sup> is 7), hidden
    anti-copy text (12<span style="display:none">9</span> is 12), scripts or comments."""
    if len(el) == 0:
        return el.text or ""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag is not None and tag != "sup" and tag not in _SKIP and not _hidden(child):
            parts.append(_cell_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _hidden(el) -> bool:
    style = el.get("style")
    return el.get("hidden") is not None or (
        style is not None and ("none" in style or "hidden" in style) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style) is not None)


def _text(el) -> str:
    """All text inside an element (C-level; much faster than joining itertext())."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _span(el, name: str) -> int:
    value = el.get(name)
    if value is None:
        return 1
    try:
        return max(1, min(int(value), 1000))
    except ValueError:
        return 1


def _children(el, tags: tuple[str, ...]):
    return [c for c in el if c.tag in tags]


class _Walker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.tables = 0
        self.layout_cells: set = set()  # table cells that hold a nested table

    def flush(self) -> None:
        text = _clean("".join(self.buf))
        if text:
            self.doc.rows.append([Cell(text, line=self.buf_line)])
        self.buf, self.buf_line = [], None

    def add(self, text: str | None, line: int | None) -> None:
        if text:
            if self.buf_line is None and text.strip():
                self.buf_line = line
            self.buf.append(text)

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comment or processing instruction
            self.add(el.tail, el.sourceline)
            return
        tag = tag.lower()
        if tag in _SKIP:
            self.add(el.tail, el.sourceline)
            return
        if tag == "table":
            self.flush()
            self.table(el)
            self.add(el.tail, el.sourceline)
            return
        block = tag in _BLOCK
        if block or tag == "br":
            self.flush()
        self.add(el.text, el.sourceline)
        for child in el:
            self.walk(child)
        if block:
            self.flush()
        self.add(el.tail, el.sourceline)

    def table(self, table) -> None:
        index = self.tables
        self.tables += 1
        busy_until: dict[int, int] = {}  # grid column -> last row a rowspan above occupies
        for child in table:
            if child.tag == "caption":
                self.walk_children(child)
        for r, tr in enumerate(_rows(table)):
            out: list[Cell] = []
            col = 0
            for td in _children(tr, ("td", "th")):
                while col < _MAX_COLS and busy_until.get(col, -1) >= r:
                    col += 1
                rs, cs = _span(td, "rowspan"), _span(td, "colspan")
                if rs > 1:
                    for dc in range(min(cs, _MAX_COLS - col)):
                        busy_until[col + dc] = r + rs - 1
                if td in self.layout_cells:
                    # A layout cell: emit what is before, then read the cell as blocks.
                    if out:
                        self.doc.rows.append(out)
                        out = []
                    self.walk_children(td)
                else:
                    out.append(Cell(_clean(_cell_text(td)), td.sourceline, None, index, r, col))
                col += cs
            if out:
                self.doc.rows.append(out)

    def walk_children(self, el) -> None:
        self.flush()
        self.add(el.text, el.sourceline)
        for child in el:
            self.walk(child)
        self.flush()


def _rows(table) -> list:
    """A table's rows in document order: a <thead> after bare <tr>s stays after them."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(_children(child, ("tr",)))
    return rows


def _grid_cells(root) -> int:
    """Grid positions all tables' cells cover (a rowspan counted to the table's last row, a colspan
    to the clamp): what resolving the grids costs, counted before it is paid."""
    total = 0
    for table in root.iter("table"):
        rows = _rows(table)
        for r, tr in enumerate(rows):
            for td in _children(tr, ("td", "th")):
                total += min(_span(td, "rowspan"), len(rows) - r) * min(_span(td, "colspan"), _MAX_COLS)
        if total > MAX_GRID_CELLS:
            break
    return total


def _elements(text: str) -> int:
    """Start tags in the text, about (str.count runs at memory speed; no tree is built)."""
    return text.count("<") - text.count("</") - text.count("<!")


def parse_html(text: str, name: str) -> Document:
    text = _XML_DECL.sub("", text, count=1)
    elements = _elements(text)
    if elements > MAX_ELEMENTS:
        raise ReadError(f"网页元素过多（约 {elements} 个，上限 {MAX_ELEMENTS} 个），不像是一份年度报告，无法读取")
    # A parser per page: its error log is this page's, and lxml parsers are not shared across
    # threads (the web page). Plain etree elements: lxml.html's classes cost a lookup per node.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"无法解析网页：{e}") from None
    _require_whole(parser)
    if root is None:
        raise ReadError("无法解析网页：没有内容")
    cells = _grid_cells(root)
    if cells > MAX_GRID_CELLS:
        raise ReadError(f"网页表格的单元格（含合并单元格所占位置）超过 {MAX_GRID_CELLS} 个，不像是一份年度报告，无法读取")
    doc = Document(path=name, kind="html")
    # Script and style text is never report text, wherever it sits (also inside cells).
    etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    walker = _Walker(doc)
    walker.layout_cells = {a for t in root.iter("table") for a in t.iterancestors("td", "th")}
    title = root.find(".//title")
    if title is not None and _text(title).strip():
        doc.rows.append([Cell(_clean(_text(title)), line=title.sourceline)])
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return doc


def _require_whole(parser) -> None:
    """libxml2 stops at its resource limits and drops the rest of the page: say so."""
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in entry.message:
            if "depth" in entry.message.lower():
                raise ReadError(f"网页嵌套过深（超过 256 层，第 {entry.line} 行起），其后的内容无法读取")
            raise ReadError(f"网页超出解析器的资源上限（第 {entry.line} 行，如单段文字超过 10 MB），无法完整读取")
