"""HTML pages: paragraphs outside tables, and every <table> as rows of cells with their grid
position (rowspan/colspan resolved). A table cell that holds another table is layout, not data:
its content is read as blocks of its own."""

from __future__ import annotations

import re

from lxml import etree

from validator.model import Cell, Document, ReadError

_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
    "header", "footer", "nav", "main", "aside", "blockquote", "pre", "dl", "dt", "dd", "form",
    "center", "address", "figure", "figcaption", "body", "html", "title", "caption", "hr",
}
_SKIP = {"script", "style", "noscript", "template", "head", "select", "option", "button", "iframe"}
_WS = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_MAX_COLS = 1024  # grid positions beyond this are clamped: hostile spans must not cost O(n²)


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


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
        rows = []
        for child in table:  # document order: a <thead> after bare <tr>s stays after them
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows.extend(_children(child, ("tr",)))
            elif child.tag == "caption":
                self.walk_children(child)
        for r, tr in enumerate(rows):
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
                    out.append(Cell(_clean(_text(td)), td.sourceline, None, index, r, col))
                col += cs
            if out:
                self.doc.rows.append(out)

    def walk_children(self, el) -> None:
        self.flush()
        self.add(el.text, el.sourceline)
        for child in el:
            self.walk(child)
        self.flush()


def parse_html(text: str, name: str) -> Document:
    text = _XML_DECL.sub("", text, count=1)
    try:
        # Plain etree elements: lxml.html's element classes cost a lookup per node.
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"无法解析网页：{e}") from None
    if root is None:
        raise ReadError("无法解析网页：没有内容")
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
