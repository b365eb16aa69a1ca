"""PDF and DOCX reach exactly the same canonical tables as the HTML of the same report."""

import math

import pytest
from conftest import FORMATS, codes, extract_text
from documents import make_docx, make_pdf, make_text_pdf

from validator import synth
from validator.extract import extract
from validator.model import ReadError
from validator.pipeline import check_reports
from validator.read import read_bytes
from validator.rules import rulebook


def tables_of(report):
    return {tid: {r: {c: v for c, v in row.items() if not math.isnan(v)}
                  for r, row in t.frame.to_dict("index").items()} for tid, t in report.tables.items()}


def run(data: bytes, name: str):
    book = rulebook.load()
    report = extract(read_bytes(data, name), book)
    return report, check_reports([report], book)[0]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_same_tables_as_html(fmt, kind):
    tables = synth.figures(fmt, seed=3)
    html = extract_text(synth.render(fmt, tables, "html"))
    data = make_pdf(fmt, tables) if kind == "pdf" else make_docx(fmt, tables)
    report, result = run(data, "r." + kind)
    assert report.format == fmt
    assert tables_of(report) == tables_of(html)
    assert result.status == "pass" and codes(result) == []


def _in_content_controls(data: bytes) -> bytes:
    """The same DOCX with 表三's outcome rows inside one row-level content control (a template's
    repeating section) and every cell of 表四's rows inside a cell-level one (a fill-in form)."""
    import io

    import docx
    from docx.oxml import OxmlElement

    def wrap(elements):
        sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        sdt.append(content)
        elements[0].addprevious(sdt)
        for e in elements:
            content.append(e)

    d = docx.Document(io.BytesIO(data))
    t3, t4 = d.tables[1]._tbl, d.tables[2]._tbl
    wrap(t3.tr_lst[3:10])
    for tr in t4.tr_lst:
        for tc in tr.tc_lst:
            wrap([tc])
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_rows_and_cells_inside_content_controls_are_read():
    tables = synth.figures("2021", seed=3)
    report, result = run(_in_content_controls(make_docx("2021", tables)), "r.docx")
    assert tables_of(report) == tables_of(extract_text(synth.render("2021", tables, "html")))
    assert result.status == "pass" and codes(result) == []


def _ruleless_lines(fmt, tables) -> list[str]:
    """The report's lines with each table row's cells one space apart, as a PDF without rules."""
    out = []
    for line in synth.render(fmt, tables, "rows").split("\n"):
        line = line.strip().lstrip("# ")
        if line and not line.startswith("|-"):
            out.append(" ".join(c.strip() for c in line.strip("|").split("|")) if line.startswith("|") else line)
    return out


@pytest.mark.parametrize("wrong", [False, True])
def test_pdf_tables_drawn_without_rules_are_read_by_their_spaces(wrong):
    tables = synth.figures("2021", seed=3)
    if wrong:
        tables["t3"]["carry_forward"]["natural"] += 2
    report, result = run(make_text_pdf(_ruleless_lines("2021", tables)), "r.pdf")
    if wrong:
        assert codes(result, "error") == [("T3-BALANCE", None, "natural"), ("T3-ROW-TOTAL", "carry_forward", None)]
    else:
        assert tables_of(report) == tables_of(extract_text(synth.render("2021", tables, "html")))
        assert result.status == "pass" and codes(result) == []


def test_a_scan_s_letters_for_digits_in_a_pdf_are_a_reading_limit():
    """`（一）予以公开 lO 3 …` in a PDF's text layer (a scan's OCR): the cell unread, never the label's end."""
    tables = synth.figures("2021", seed=3)
    lines = _ruleless_lines("2021", tables)
    k = next(i for i, x in enumerate(lines) if "（一）予以公开" in x)
    parts = lines[k].rsplit(" ", 7)  # the label, then its 7 values
    parts[1] = parts[1].replace("0", "O").replace("1", "l") + "O"  # 自然人's value as a scan misread it
    lines[k] = " ".join(parts)
    _, result = run(make_text_pdf(lines), "r.pdf")
    assert result.status == "incomplete" and codes(result) == [("CELL-GARBLED", "granted", None)]


def test_pdf_table_across_a_page_break_with_footer():
    tables = synth.figures("2021", seed=4)
    data = make_pdf("2021", tables, filler=32)
    report, result = run(data, "r.pdf")
    pages = {s.cell.page for s in report.tables["t3"].sources.values()}
    assert len(pages) == 2  # 表三 really is split
    assert tables_of(report) == tables_of(extract_text(synth.render("2021", tables, "html")))
    assert result.status == "pass"


def test_pdf_cells_carry_their_page():
    report, _ = run(make_pdf("2019"), "r.pdf")
    cell = report.tables["t4"].sources[("review", "total")].cell
    assert cell.page >= 1 and cell.table is not None and cell.line is None


def test_pdf_error_is_found_and_located_by_page():
    tables = synth.figures("2021")
    tables["t4"]["review"]["total"] += 2
    _, result = run(make_pdf("2021", tables), "r.pdf")
    assert codes(result) == [("T4-SUM", "review", None)]
    assert result.findings[0].cells[0].page is not None


def test_docx_cells_carry_table_row_and_column():
    tables = synth.figures("2021")
    tables["t3"]["granted"]["legal"] += 1
    report, result = run(make_docx("2021", tables), "r.docx")
    assert {c[0] for c in codes(result)} == {"T3-ROW-TOTAL", "T3-OUTCOME-SUM"}
    cell = report.tables["t3"].sources[("granted", "legal")].cell
    assert (cell.table, cell.col) == (1, 7)


def test_pdf_without_text_layer_is_a_clear_error():
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 400, 600)  # a scan has pictures and lines, no text
    c.save()
    with pytest.raises(ReadError, match="没有文字层"):
        read_bytes(buf.getvalue(), "scan.pdf")


def test_encrypted_pdf_is_a_clear_error():
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "report")
    c.save()
    with pytest.raises(ReadError, match="加密"):
        read_bytes(buf.getvalue(), "locked.pdf")


def test_truncated_pdf_is_a_clear_error():
    data = make_pdf("2021")
    with pytest.raises(ReadError, match="PDF"):
        read_bytes(data[: len(data) // 3], "cut.pdf")


def test_damaged_docx_is_a_clear_error():
    data = make_docx("2021")
    with pytest.raises(ReadError):
        read_bytes(data[: len(data) // 2], "cut.docx")


def test_zip_that_is_not_a_word_document():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data.csv", "a,b\n1,2\n")
    with pytest.raises(ReadError, match="不是 Word"):
        read_bytes(buf.getvalue(), "x.zip")


def test_old_word_format_names_the_remedy_when_libreoffice_is_missing(monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReadError, match="LibreOffice"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.doc")


def test_pdf_with_too_many_pages_is_refused(monkeypatch):
    from validator.read import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    with pytest.raises(ReadError, match="页的上限"):
        read_bytes(make_pdf("2021", filler=32), "long.pdf")


def test_docx_that_unpacks_to_too_much_is_refused(monkeypatch):
    import validator.read as readers

    monkeypatch.setattr(readers, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ReadError, match="解压后超过"):
        read_bytes(make_docx("2021"), "big.docx")
