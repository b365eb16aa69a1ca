"""Hostile and odd inputs: every file has a budget, enforced where the cost is made, each breach one
line of Chinese for that file (a READ-ERROR, status error) while the rest of the run goes on; and
nothing named or found is skipped without a word. Limits that would need a huge file are lowered
here; the real sizes are measured by benchmarks/hostile.py."""

from __future__ import annotations

import errno
import functools
import io
import os
import re
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from documents import make_docx, make_pdf

import validator.read as readers
from validator import synth
from validator.files import collect
from validator.model import ReadError
from validator.pipeline import lint_paths
from validator.read import docx as docx_reader
from validator.read import encoding, html, pdf, read, read_bytes, text

CLEAN_HTML = ROOT / "samples/clean_2021.html"
CLEAN_CELLS = ROOT / "samples/clean_2019_cells.txt"
SUFFIXES = (".txt", ".html", ".md", ".pdf", ".docx")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")


@functools.cache
def docx_2021() -> bytes:
    return make_docx("2021")  # python-docx takes a second or two to merge the cells: made once


def refused(data: bytes, name: str) -> str:
    """The one line of Chinese read_bytes refuses `data` with."""
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    return one_line(str(info.value))


def refused_path(path: Path | str) -> str:
    with pytest.raises(ReadError) as info:
        read(path)
    return one_line(str(info.value))


def one_line(msg: str) -> str:
    assert msg.strip() and "\n" not in msg and "\r" not in msg, repr(msg)
    assert re.search(r"[\u4e00-\u9fff]", msg), msg
    assert "内部错误" not in msg
    return msg


def statuses(items) -> dict[str, tuple[str, str | None]]:
    return {Path(r.path).name: (r.status, r.error) for r in lint_paths([str(i) for i in items])}


def report_page(depth: int = 0) -> str:
    page = synth.render("2021", synth.figures("2021"), layout="html", year=2022, office="青山区民政局")
    start = page.index("<body>") + len("<body>")
    return page[:start] + "<div>" * depth + page[start:]


# -- size and file type, before anything is read ------------------------------------------------

def test_size_is_taken_from_stat_before_reading(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(3 * 1024 ** 3)  # sparse: 3 GB named, no disk used
    monkeypatch.setattr(readers, "_read_at_most", lambda f, n: pytest.fail("read past the sniffed head"))
    assert refused_path(huge) == "文件过大（3072 MB，上限 16 MB）"


def test_binary_limit_applies_to_a_pdf_by_its_first_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BINARY_BYTES", 1000)
    path = tmp_path / "r.txt"  # the name does not matter: the content says PDF
    path.write_bytes(make_pdf("2021"))
    assert refused_path(path).startswith("文件过大（")


def test_file_at_the_limit_is_read(tmp_path, monkeypatch):
    data = CLEAN_CELLS.read_bytes()
    monkeypatch.setattr(encoding, "MAX_BYTES", len(data))
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    assert read(path).rows == read_bytes(data, str(path)).rows


def _read_in_thread(path) -> str:
    """read(path) in a thread that must finish within 10 s: a reader that blocks fails the test
    instead of hanging it."""
    out: list = []

    def target():
        try:
            read(path)
            out.append("read")
        except ReadError as e:
            out.append(str(e))

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # unblock the reader before failing
        with open(path, "wb"):
            pass
        pytest.fail(f"reading {path} blocked")
    return one_line(out[0])


@posix_only
def test_fifo_is_refused_by_name_without_blocking(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    assert _read_in_thread(fifo) == "不是普通文件（是命名管道 FIFO），不读取"


@posix_only
def test_fifo_named_and_in_a_folder_is_an_error_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    os.mkfifo(folder / "pipe.html")
    (folder / "clean.html").write_bytes(CLEAN_HTML.read_bytes())
    named = tmp_path / "named.txt"
    os.mkfifo(named)
    files, said = collect([str(named), str(folder)], SUFFIXES)
    assert said == []
    results: list = []
    t = threading.Thread(target=lambda: results.extend(lint_paths(files)), daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), "a FIFO blocked the run"
    got = {Path(r.path).name: (r.status, r.error) for r in results}
    assert got == {"named.txt": ("error", "不是普通文件（是命名管道 FIFO），不读取"),
                   "clean.html": ("pass", None),
                   "pipe.html": ("error", "不是普通文件（是命名管道 FIFO），不读取")}


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_device_is_refused_by_name():
    assert _read_in_thread("/dev/zero") == "不是普通文件（是字符设备），不读取"


def test_directory_named_to_the_reader():
    assert refused_path(ROOT / "samples") == "是目录，不是文件"


# -- unreadable files and folders, symbolic links: said, not skipped ---------------------------

def _deny(monkeypatch, module, name: str, path: Path) -> None:
    """`module.name(path, ...)` raises EACCES, as for a user without the permission (the tests
    also run as root, who may read anything)."""
    real = getattr(module, name)

    def fake(p, *args, **kwargs):
        if os.fspath(p) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(p))
        return real(p, *args, **kwargs)

    monkeypatch.setattr(module, name, fake)


def test_unreadable_named_file_is_a_read_error_and_the_others_are_checked(tmp_path, monkeypatch):
    secret = tmp_path / "secret.html"
    secret.write_bytes(CLEAN_HTML.read_bytes())
    _deny(monkeypatch, readers.os, "open", secret)
    files, said = collect([str(secret), str(CLEAN_CELLS)], SUFFIXES)
    assert said == [] and files == [str(secret), str(CLEAN_CELLS)]
    assert statuses(files) == {"secret.html": ("error", "没有读取权限"), CLEAN_CELLS.name: ("pass", None)}


def test_unreadable_folder_is_said_and_its_siblings_are_checked(tmp_path, monkeypatch):
    import validator.files

    top = tmp_path / "reports"
    locked = top / "locked"
    locked.mkdir(parents=True)
    (locked / "hidden.html").write_bytes(CLEAN_HTML.read_bytes())
    (top / "clean.html").write_bytes(CLEAN_HTML.read_bytes())
    _deny(monkeypatch, validator.files.os, "scandir", locked)
    files, said = collect([str(top)], SUFFIXES)
    assert files == [str(top / "clean.html")]
    assert [(r.path, r.status, r.error) for r in said] == [
        (str(locked), "error", "无法读取目录（没有读取权限），其中的文件未检查")]


needs_non_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                                    reason="root reads a chmod-000 file")


@needs_non_root
def test_chmod_000_file_and_folder(tmp_path):
    top = tmp_path / "reports"
    locked = top / "locked"
    locked.mkdir(parents=True)
    (locked / "hidden.html").write_bytes(CLEAN_HTML.read_bytes())
    (top / "clean.html").write_bytes(CLEAN_HTML.read_bytes())
    secret = top / "secret.html"
    secret.write_bytes(CLEAN_HTML.read_bytes())
    secret.chmod(0)
    locked.chmod(0)
    try:
        files, said = collect([str(top)], SUFFIXES)
        got = {Path(r.path).name: (r.status, r.error) for r in said + list(lint_paths(files))}
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)
    assert got == {"locked": ("error", "无法读取目录（没有读取权限），其中的文件未检查"),
                   "secret.html": ("error", "没有读取权限"), "clean.html": ("pass", None)}


def test_cli_names_an_unreadable_file_as_a_read_error_not_a_usage_error(tmp_path, monkeypatch):
    secret = tmp_path / "secret.html"
    secret.write_bytes(CLEAN_HTML.read_bytes())
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if os.fspath(p) == str(secret)
                        else real_access(p, mode, **kw))
    _deny(monkeypatch, readers.os, "open", secret)
    proc = run_cli("lint", secret, "samples/clean_2021.html", "--isolated")
    assert proc.returncode == 2
    assert f"{secret} 错误 READ-ERROR 没有读取权限" in proc.stdout
    assert "通过 samples/clean_2021.html" in proc.stdout


@posix_only
def test_symlink_loop_is_said(tmp_path):
    top = tmp_path / "reports"
    sub = top / "2021"
    sub.mkdir(parents=True)
    (sub / "clean.html").write_bytes(CLEAN_HTML.read_bytes())
    (sub / "up").symlink_to("..")  # a folder link back to its own parent
    (top / "self").symlink_to("self")  # a link to itself
    files, said = collect([str(top)], SUFFIXES)
    assert files == [str(sub / "clean.html")]
    assert sorted((Path(r.path).name, r.status, r.error) for r in said) == [
        ("self", "error", "符号链接形成循环，无法打开"),
        ("up", "error", "符号链接指向它所在的上级目录（..），形成循环，未进入")]


@posix_only
def test_symlinked_folder_is_followed_and_listed_once(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "clean.html").write_bytes(CLEAN_HTML.read_bytes())
    top = tmp_path / "reports"
    top.mkdir()
    (top / "a").symlink_to(archive)
    (top / "b").symlink_to(archive)
    files, said = collect([str(top)], SUFFIXES)
    assert said == [] and files == [str(top / "a" / "clean.html")]


@posix_only
def test_broken_symlinks_are_said_when_they_could_be_reports(tmp_path):
    top = tmp_path / "reports"
    top.mkdir()
    (top / "gone.html").symlink_to("nowhere.html")
    (top / "gone_folder").symlink_to("nowhere")
    (top / "sheet.xlsx").symlink_to("nowhere.xlsx")  # not a report by its name: no line
    files, said = collect([str(top), str(top / "gone.html")], SUFFIXES)
    assert files == []
    assert sorted((Path(r.path).name, r.error) for r in said) == [
        ("gone.html", "符号链接指向的文件不存在（nowhere.html）"),
        ("gone.html", "符号链接指向的文件不存在（nowhere.html）"),
        ("gone_folder", "符号链接指向的文件不存在（nowhere）")]


def test_missing_path_is_said():
    files, said = collect(["samples/no_such_report.html"], SUFFIXES)
    assert files == [] and [(r.path, r.error) for r in said] == [("samples/no_such_report.html", "文件不存在")]


# -- DOCX: what is really inflated ---------------------------------------------------------------

def _rewrite(data: bytes, member: str, fn) -> bytes:
    """The .docx with one member's bytes replaced by fn(old bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, fn(body) if info.filename == member else body)
    return out.getvalue()


def _declare(data: bytes, member: str, size: int) -> bytes:
    """The .docx with the uncompressed size its central directory states for `member` changed."""
    data = bytearray(data)
    pos = 0
    while (i := data.find(b"PK\x01\x02", pos)) >= 0:
        n = int.from_bytes(data[i + 28:i + 30], "little")
        if data[i + 46:i + 46 + n] == member.encode():
            data[i + 24:i + 28] = size.to_bytes(4, "little")
            return bytes(data)
        pos = i + 4
    raise AssertionError(f"{member} not in the central directory")


def test_docx_whose_directory_understates_a_member_is_refused_as_damaged():
    data = _declare(docx_2021(), "word/document.xml", 1000)
    assert refused(data, "lying.docx") == "DOCX 文件已损坏：解压出的内容与 ZIP 目录记载的大小或校验值不符"


def test_docx_whose_directory_overstates_a_member_is_read_by_what_inflates(monkeypatch):
    # 4 GB declared, some 40 KB real: the limit counts what comes out, not what is declared.
    data = _declare(docx_2021(), "word/document.xml", 0xFFFFFFFE)
    assert statuses_of_bytes(data, "big_claim.docx") == ("pass", None)


def statuses_of_bytes(data: bytes, name: str):
    (result,) = lint_paths([(name, data)])
    return result.status, result.error


def test_docx_over_the_inflated_byte_limit(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_DOCUMENT_BYTES", 10_000)
    assert refused(docx_2021(), "big.docx") == \
        "DOCX 的 word/document.xml 解压后超过 10000 字节，不像是一份年度报告，无法读取"


def test_docx_over_the_element_limit(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_ELEMENTS", 1000)
    assert refused(docx_2021(), "many.docx") == \
        "DOCX 正文的 XML 元素过多（超过 1000 个），不像是一份年度报告，无法读取"


def test_docx_with_an_oversized_zip_directory(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_DIRECTORY_BYTES", 100)
    assert refused(docx_2021(), "dir.docx").startswith("ZIP 文件的目录过大（")


def test_docx_nested_too_deep():
    def deepen(xml: bytes) -> bytes:
        start = xml.index(b"<w:body>") + len(b"<w:body>")
        return xml[:start] + b"<w:customXml>" * 300 + b"</w:customXml>" * 300 + xml[start:]

    data = _rewrite(docx_2021(), "word/document.xml", deepen)
    assert refused(data, "deep.docx") == "DOCX 文档结构嵌套过深（超过 256 层），无法读取"


def test_docx_nested_within_the_parser_limit_is_read():
    def deepen(xml: bytes) -> bytes:
        start = xml.index(b"<w:body>") + len(b"<w:body>")
        end = xml.index(b"<w:sectPr")
        return xml[:start] + b"<w:customXml>" * 200 + xml[start:end] + b"</w:customXml>" * 200 + xml[end:]

    data = _rewrite(docx_2021(), "word/document.xml", deepen)
    assert statuses_of_bytes(data, "nested.docx") == ("pass", None)


def test_spreadsheet_zip_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    assert refused(out.getvalue(), "book.xlsx") == "ZIP 文件不是 Word 文档（DOCX/ODT），无法读取"


# -- PDF: the first pages, objects per page, time ----------------------------------------------

def grids_pdf(pages: int, title: str | None = None) -> bytes:
    """Pages of ruled grids full of numbers; `title` (CJK) on the first page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    xs = [40 + i * 50 for i in range(11)]
    ys = [60 + i * 20 for i in range(31)]
    for page in range(pages):
        if title and page == 0:
            c.setFont("STSong-Light", 14)
            c.drawString(60, 800, title)
        c.grid(xs, ys)
        c.setFont("Helvetica", 7)
        for r in range(30):
            for k in range(10):
                c.drawString(xs[k] + 3, ys[r] + 6, str((page * 7919 + r * 31 + k * 17) % 100000))
        c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_without_a_report_word_in_its_first_pages_is_refused_before_its_tables(monkeypatch):
    calls = []
    real = pdf._page
    monkeypatch.setattr(pdf, "_page", lambda *a: calls.append(a[2]) or real(*a))
    msg = refused(grids_pdf(8), "grids.pdf")
    assert msg == "不是政府信息公开工作年度报告（PDF 前 3 页有文字的页面中未出现“信息公开”“政务公开”或“年度报告”）"
    assert calls == []  # no table was looked for


def test_pdf_with_a_report_title_goes_on_past_the_first_pages():
    doc = read_bytes(grids_pdf(4, title="青山区民政局2022年政府信息公开工作年度报告"), "annex.pdf")
    assert {c.page for c in doc.cells()} == {1, 2, 3, 4}


def test_pdf_marker_is_found_in_compatibility_characters():
    # Some converters write Kangxi radicals (⽂ U+2F42 for 文 …): NFKC makes them the usual ones.
    doc = read_bytes(grids_pdf(4, title="⻘⼭区2022年政府信息公开⼯作年度报告"), "kangxi.pdf")
    assert len({c.page for c in doc.cells()}) == 4


def test_pdf_time_limit(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.0)
    msg = refused(make_pdf("2021", filler=32), "slow.pdf")
    assert re.fullmatch(r"PDF 读取超过 0 秒（已读 1/\d+ 页），已停止；请检查文件是否为年度报告", msg), msg


def test_pdf_objects_per_page_limit(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGE_OBJECTS", 100)
    assert re.fullmatch(r"PDF 第 1 页有 \d+ 个文字和图形对象，超过每页 100 个的上限，不像是一份年度报告，无法读取",
                        refused(make_pdf("2021"), "dense.pdf"))


def test_pdf_content_per_page_limit(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGE_CONTENT", 1024)
    assert refused(make_pdf("2021"), "dense.pdf") == "PDF 第 1 页的绘制内容超过 1024 字节，不像是一份年度报告，无法读取"


def test_pdf_content_bomb_is_measured_before_it_is_inflated(monkeypatch):
    # A page whose content stream inflates 1000-fold: the check inflates no more than the limit.
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=1)
    c.drawString(100, 700, "x")
    for _ in range(20_000):
        c.line(10, 10, 20, 20)
    c.showPage()
    c.save()
    monkeypatch.setattr(pdf, "MAX_PAGE_CONTENT", 64 * 1024)
    inflated = []
    real = pdf._inflated_size
    monkeypatch.setattr(pdf, "_inflated_size", lambda s, limit: inflated.append(limit) or real(s, limit))
    assert "第 1 页的绘制内容超过" in refused(buf.getvalue(), "bomb.pdf")
    assert max(inflated) <= 64 * 1024 + 1


def test_pdf_content_limit_over_the_file(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_CONTENT_BYTES", 1024)
    assert refused(make_pdf("2021", filler=32), "long.pdf") == "PDF 前 1 页的绘制内容共超过 1024 字节，不像是一份年度报告，无法读取"


def test_pdf_page_count_declared_over_the_limit_is_refused_first(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    assert re.fullmatch(r"PDF 有 \d+ 页，超过 1 页的上限，不像是一份年度报告", refused(grids_pdf(3), "many.pdf"))


def test_owner_password_only_pdf_is_read(monkeypatch):
    # Printing and copying restricted, no password to open it (common for published reports):
    # pdfminer decrypts with the empty user password, and the report reads as the plain one.
    import functools

    import pdfplumber
    import reportlab.platypus
    from reportlab.lib import pdfencrypt

    tables = synth.figures("2021", seed=5)
    plain = make_pdf("2021", tables)
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0, canModify=0, canCopy=0)
    monkeypatch.setattr(reportlab.platypus, "SimpleDocTemplate",
                        functools.partial(reportlab.platypus.SimpleDocTemplate, encrypt=encrypt, invariant=1))
    locked = bytearray(make_pdf("2021", tables))
    assert b"/Encrypt" in locked and b"/Encrypt" not in plain
    # reportlab leaves its CJK font's /Registry and /Ordering strings unencrypted, which no real
    # writer does (pdfminer then finds no CID map): encrypt them as a writer would (RC4 is its own
    # inverse), in place, so that the cross-reference offsets stay right.
    decipher = pdfplumber.open(io.BytesIO(bytes(locked))).doc.decipher
    for m in re.finditer(rb"/(?:Registry|Ordering) \(([A-Za-z0-9]+)\)", bytes(locked)):
        objid = int(bytes(locked[:locked.rfind(b" obj", 0, m.start())]).split()[-2])
        secret = decipher(objid, 0, m.group(1))
        assert not any(b in b"()\\\r\n" for b in secret)
        locked[m.start(1):m.end(1)] = secret
    locked = bytes(locked)
    assert read_bytes(locked, "a.pdf").rows == read_bytes(plain, "a.pdf").rows
    assert statuses_of_bytes(locked, "locked.pdf") == ("pass", None)


# -- HTML: elements, grid cells, depth ----------------------------------------------------------

def test_html_element_limit_is_checked_before_parsing(monkeypatch):
    monkeypatch.setattr(html, "MAX_ELEMENTS", 500)
    monkeypatch.setattr(html.etree, "fromstring", lambda *a: pytest.fail("parsed"))
    assert re.fullmatch(r"网页元素过多（约 \d+ 个，上限 500 个），不像是一份年度报告，无法读取",
                        refused(CLEAN_HTML.read_bytes(), "many.html"))


def test_html_spans_over_the_grid_limit_are_refused_before_grids_are_built():
    # 2 000 rows of rowspan=1000 colspan=1000 cells: 100 KB of HTML, two billion grid positions.
    rows = '<tr><td rowspan="1000" colspan="1000">政府信息公开</td><td>7</td></tr>' * 2000
    page = f"<html><body><p>2022年政府信息公开工作年度报告</p><table>{rows}</table></body></html>"
    assert refused(page.encode(), "spans.html") == \
        "网页表格的单元格（含合并单元格所占位置）超过 1000000 个，不像是一份年度报告，无法读取"


def test_html_rowspan_counts_only_to_the_last_row():
    # A rowspan larger than the table (common in hand-written pages) costs what it covers.
    page = report_page().replace("<td", '<td rowspan="1000"', 1)
    assert html._grid_cells(html.etree.fromstring(page, html.etree.HTMLParser())) < 10_000


def test_html_nested_deeper_than_the_parser_limit_is_said():
    assert refused(report_page(300).encode(), "deep.html") == "网页嵌套过深（超过 256 层，第 1 行起），其后的内容无法读取"


def test_html_nested_within_the_parser_limit_is_read():
    (result,) = lint_paths([("nested.html", report_page(240).encode())])
    assert result.status == "pass"


def test_html_text_node_over_the_parser_limit_is_said():
    page = "<html><body><p>政府信息公开工作年度报告</p><p>" + "政" * 4_000_000 + "</p></body></html>"
    assert refused(page.encode(), "long.html").startswith("网页超出解析器的资源上限（")


# -- text -----------------------------------------------------------------------------------------

def test_text_cell_limit(monkeypatch):
    monkeypatch.setattr(text, "MAX_CELLS", 100)
    assert refused(CLEAN_CELLS.read_bytes(), "cells.txt") == \
        "文本的行或单元格过多（超过 100 个），不像是一份年度报告，无法读取"


def test_text_cell_limit_on_one_long_line(monkeypatch):
    monkeypatch.setattr(text, "MAX_CELLS", 1000)
    line = "政府信息公开 " + " ".join(["|"] * 5000)
    assert refused(line.encode(), "row.md").startswith("文本的行或单元格过多")


def test_text_character_limit_over_every_reader(monkeypatch):
    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 1000)
    for data, name in ((CLEAN_CELLS.read_bytes(), "r.txt"), (CLEAN_HTML.read_bytes(), "r.html"),
                       (docx_2021(), "r.docx"), (make_pdf("2021"), "r.pdf")):
        assert re.fullmatch(r"文件中的文字过多（\d+ 字，上限 1000 字），不像是一份年度报告", refused(data, name))


# -- a run of hostile files goes on --------------------------------------------------------------

def test_a_run_of_hostile_files_reports_each_and_checks_the_good_one(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_ELEMENTS", 2000)
    files = {
        "grids.pdf": grids_pdf(5),
        "deep.html": report_page(300).encode(),
        "rows.html": ("<table>" + "<tr><td>1</td><td>2</td></tr>" * 1000 + "</table>").encode(),
        "lying.docx": _declare(docx_2021(), "word/document.xml", 1000),
        "utf16.txt": CLEAN_CELLS.read_text(encoding="utf-8").encode("utf-16-le"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    got = statuses([tmp_path / n for n in files] + [CLEAN_HTML])
    assert {n: s for n, (s, _) in got.items()} == {
        "grids.pdf": "error", "deep.html": "error", "rows.html": "error", "lying.docx": "error",
        "utf16.txt": "pass", CLEAN_HTML.name: "pass"}
    for name, (status, error) in got.items():
        if status == "error":
            one_line(error)
