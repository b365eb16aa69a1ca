"""PDF with a text layer (pdfplumber): each page's ruled tables as grids, the text lines around
them as paragraphs, in reading order. Cell text broken over lines is joined; merged cells come
back from pdfplumber as None and are skipped, like a rowspan in HTML."""

from __future__ import annotations

import io
import re

from validator.model import Cell, Document, ReadError

# A line that is only a page number: "- 5 -", "5", "第 5 页", "第5页 共6页".
_PAGE_NUMBER = re.compile(r"^[-—－–\s]*\d{1,3}[-—－–\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
_NEWLINES = re.compile(r"\s*\n\s*")
MAX_PAGES = 200  # an annual report has a few dozen pages; more is not a report, or hostile


def parse_pdf(data: bytes, name: str) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError("PDF 已加密，无法读取；请提供未加密的版本") from None
    except Exception as e:  # pdfminer signals damage with many exception types
        if any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) for x in (*e.args, e.__context__)):
            raise ReadError("PDF 已加密，无法读取；请提供未加密的版本") from None
        raise ReadError(f"PDF 文件已损坏或不完整，无法读取（{type(e).__name__}）") from None
    doc = Document(path=name, kind="pdf")
    chars = 0
    tables = 0
    try:
        with pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ReadError(f"PDF 有 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页的上限，不像是一份年度报告")
            for number, page in enumerate(pdf.pages, start=1):
                chars += len(page.chars)
                tables = _page(doc, page, number, tables)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError("PDF 已加密，无法读取；请提供未加密的版本") from None
    except ReadError:
        raise
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise ReadError(f"PDF 文件已损坏，无法读取（{type(e).__name__}）") from None
    if chars == 0:
        raise ReadError("PDF 没有文字层（可能是扫描件），无法读取表格；请提供带文字的 PDF 或网页版本")
    return doc


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
        if text and not _PAGE_NUMBER.match(text):
            items.append((line["top"], [Cell(text, line=line_no, page=number)]))
    items.sort(key=lambda item: item[0])
    doc.rows.extend(cells for _, cells in items)
    return table_index
