"""PDF with a text layer (pdfplumber): each page's ruled tables as grids, the text lines around
them as paragraphs, in reading order. Cell text broken over lines is joined; merged cells come
back from pdfplumber as None and are skipped, like a rowspan in HTML.

The budget: at most MAX_PAGES pages; the first MARKER_PAGES pages with text must say what a
report says (信息公开, 政务公开 or 年度报告) before any table is looked for; each page's content is
measured before it is parsed (MAX_PAGE_CONTENT bytes inflated, MAX_CONTENT_BYTES over the file)
and its objects counted before its tables are found (MAX_PAGE_OBJECTS); a page's cache is
dropped once it is read; reading stops after MAX_SECONDS. An owner-password-only PDF (printing
or copying restricted, no password to open) is read like any other."""

from __future__ import annotations

import io
import logging
import re
import time
import unicodedata
import zlib

from validator.model import Cell, Document, ReadError
from validator.read import _mb
from validator.read.text import line_cells

# A line that is only a page number: "- 5 -", "5", "第 5 页", "第5页 共6页".
_PAGE_NUMBER = re.compile(r"^[-—－–\s]*\d{1,3}[-—－–\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
_NEWLINES = re.compile(r"\s*\n\s*")
_SPACE = re.compile(r"\s+")
MAX_PAGES = 200  # an annual report has a few dozen pages; more is not a report, or hostile
MARKER_PAGES = 3  # pages with text (among the first 10) that must show a report's words
MARKERS = ("信息公开", "政务公开", "年度报告")
MAX_PAGE_CONTENT = 2 * 1024 * 1024  # a page's drawing instructions, inflated (real pages: 20-50 KB)
MAX_CONTENT_BYTES = 32 * 1024 * 1024  # the same over the whole file (pdfminer keeps them)
MAX_PAGE_OBJECTS = 50_000  # characters and lines, rectangles, curves on one page (real: ~1 000)
MAX_SECONDS = 60.0  # a 60-page report reads in about 10 s
_ENCRYPTED = "PDF 已加密，无法读取；请提供未加密的版本"
# pdfminer warns in English about each oddity of a damaged file ("Could not get FontBBox …");
# what matters reaches the user as one ReadError line.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def parse_pdf(data: bytes, name: str) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    started = time.monotonic()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(_ENCRYPTED) from None
    except Exception as e:  # pdfminer signals damage with many exception types
        if any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) for x in (*e.args, e.__context__)):
            raise ReadError(_ENCRYPTED) from None
        raise ReadError(f"PDF 文件已损坏或不完整，无法读取（{type(e).__name__}）") from None
    doc = Document(path=name, kind="pdf")
    chars = 0
    tables = 0
    try:
        with pdf:
            declared = _declared_pages(pdf)
            if declared > MAX_PAGES:  # before pdfplumber makes an object per page
                raise ReadError(_too_many(declared))
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                raise ReadError(_too_many(len(pages)))
            budget = _Budget(len(pages), started)
            _require_marker(pages, budget)
            for number, page in enumerate(pages, start=1):
                budget.page(page, number)
                chars += len(page.chars)
                tables = _page(doc, page, number, tables)
                page.close()  # pdfplumber keeps every object of a page until told
                budget.clock(number)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(_ENCRYPTED) from None
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("PDF 文件结构嵌套过深，无法读取") from None
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise ReadError(f"PDF 文件已损坏，无法读取（{type(e).__name__}）") from None
    if chars == 0:
        raise ReadError("PDF 没有文字层（可能是扫描件），无法读取表格；请提供带文字的 PDF 或网页版本")
    return doc


def _too_many(n: int) -> str:
    return f"PDF 有 {n} 页，超过 {MAX_PAGES} 页的上限，不像是一份年度报告"


def _declared_pages(pdf) -> int:
    """The page count the document's page tree declares (0 if it cannot be read)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return count if isinstance(count, int) else 0
    except Exception:  # a damaged tree: pdfplumber's own walk decides
        return 0


class _Budget:
    """What one file may cost: content inflated per page and in all, objects per page, time."""

    def __init__(self, pages: int, started: float):
        self.pages, self.started = pages, started
        self.content = 0
        self.checked: set[int] = set()

    def page(self, page, number: int) -> None:
        """Refuse the page before pdfminer parses it if its content is too large, and before its
        tables are looked for if it holds too many objects."""
        if number not in self.checked:
            self.checked.add(number)
            size = _content_size(page, MAX_PAGE_CONTENT)
            if size > MAX_PAGE_CONTENT:
                raise ReadError(f"PDF 第 {number} 页的绘制内容超过 {_mb(MAX_PAGE_CONTENT)}，不像是一份年度报告，无法读取")
            self.content += size
            if self.content > MAX_CONTENT_BYTES:
                raise ReadError(f"PDF 前 {number} 页的绘制内容共超过 {_mb(MAX_CONTENT_BYTES)}，不像是一份年度报告，无法读取")
        objects = len(page.chars) + len(page.rects) + len(page.lines) + len(page.curves)
        if objects > MAX_PAGE_OBJECTS:
            raise ReadError(f"PDF 第 {number} 页有 {objects} 个文字和图形对象，超过每页 {MAX_PAGE_OBJECTS} 个的上限，"
                            f"不像是一份年度报告，无法读取")

    def clock(self, number: int) -> None:
        if time.monotonic() - self.started > MAX_SECONDS:
            raise ReadError(f"PDF 读取超过 {MAX_SECONDS:g} 秒（已读 {number}/{self.pages} 页），已停止；"
                            f"请检查文件是否为年度报告")


def _require_marker(pages, budget: _Budget) -> None:
    """The first pages with text must hold a report's words; a PDF of other things (a 200-page
    statistical annex, ruled grids of numbers) is refused before its tables are looked for."""
    seen, texts = [], []
    for number, page in enumerate(pages[:MARKER_PAGES + 7], start=1):
        if len(seen) == MARKER_PAGES:
            break
        budget.page(page, number)
        text = "".join(c["text"] for c in page.chars)
        if text.strip():
            seen.append(page)
            texts.append(text)
        else:
            page.close()  # read again in its turn; a page of pictures is cheap to parse
    if not seen:
        return  # no text at all so far: a scan, or pictures first; the end of the file decides
    if _has_marker(texts):
        return
    # Characters in drawing order may scramble the words: the laid-out text decides.
    if _has_marker(page.extract_text() or "" for page in seen):
        return
    raise ReadError(f"不是政府信息公开工作年度报告（PDF 前 {len(seen)} 页有文字的页面中未出现"
                    f"“信息公开”“政务公开”或“年度报告”）")


def _has_marker(texts) -> bool:
    norm = _SPACE.sub("", unicodedata.normalize("NFKC", "".join(texts)))
    return any(m in norm for m in MARKERS)


def _content_size(page, limit: int) -> int:
    """The bytes a page's content streams (and the form XObjects it draws) inflate to, counting
    no further than `limit` + 1: measured before pdfminer inflates them whole."""
    from pdfminer.pdftypes import PDFStream, resolve1

    obj = page.page_obj
    streams = list(obj.contents or ())
    resources = resolve1(obj.resources) if obj.resources else {}
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if isinstance(xobjects, dict):
        for ref in xobjects.values():
            x = resolve1(ref)
            if isinstance(x, PDFStream) and getattr(x.get("Subtype"), "name", None) == "Form":
                streams.append(x)
    total = 0
    for s in streams:
        s = resolve1(s)
        if isinstance(s, PDFStream):
            total += _inflated_size(s, limit + 1 - total)
            if total > limit:
                break
    return total


def _inflated_size(s, limit: int) -> int:
    """The stream's decoded size, counted no further than `limit` (+1 when over): text encodings
    (ASCII85, hex: they shrink) are undone, Flate is inflated up to the limit and no further."""
    if s.data is not None:
        return len(s.data)
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.pdftypes import (
        LITERALS_ASCII85_DECODE,
        LITERALS_ASCIIHEX_DECODE,
        LITERALS_FLATE_DECODE,
    )

    data = s.rawdata or b""
    if s.decipher:
        data = s.decipher(s.objid, s.genno, data, s.attrs)
    for f, _params in s.get_filters():
        if f in LITERALS_ASCII85_DECODE:
            data = ascii85decode(data)
        elif f in LITERALS_ASCIIHEX_DECODE:
            data = asciihexdecode(data)
        elif f in LITERALS_FLATE_DECODE:
            inflater = zlib.decompressobj()
            try:
                out = inflater.decompress(data, max(limit, 1))
            except zlib.error:
                return len(data)  # damaged: pdfminer copes (or says so) with what it can inflate
            return len(out) + (1 if inflater.unconsumed_tail else 0)
        else:
            break  # other filters (run length, LZW) are rare in page content
    return len(data)


def _page(doc: Document, page, number: int, table_index: int) -> int:
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    items: list[tuple[float, list[Cell]]] = []
    for t in found:
        index = table_index
        table_index += 1
        for r, row in enumerate(t.extract()):
            cells = [Cell(_NEWLINES.sub("", text).strip(), page=number, table=index, row=r, col=c)
                     for c, text in enumerate(row) if text is not None]
            if cells:
                items.append((t.rows[r].bbox[1], cells))
    for line_no, line in enumerate(page.extract_text_lines(), start=1):
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 <= (line["x0"] + line["x1"]) / 2 <= x1 and top <= middle <= bottom for x0, top, x1, bottom in boxes):
            continue
        text = line["text"].strip()
        if text and not _PAGE_NUMBER.match(text):  # a table drawn without rules: its cells by their spaces
            items.append((line["top"], line_cells(text, line_no, number)))
    items.sort(key=lambda item: item[0])
    doc.rows.extend(cells for _, cells in items)
    return table_index
