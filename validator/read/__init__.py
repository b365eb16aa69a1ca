"""read: the bytes of one file -> a Document. Dispatch on the suffix, then on the content.

Every file has a budget, enforced where the cost is made, each breach one ReadError: its size
from os.stat before anything is read (and only a regular file is opened: a FIFO or a device is
refused by name), the bytes a DOCX really inflates (docx.py), a PDF's pages, objects and time
(pdf.py), an HTML page's elements, grid cells and depth (html.py), a text's cells (text.py), and
the text every reader hands on to extraction (MAX_TEXT_CHARS, below)."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from validator.model import Document, ReadError
from validator.read import encoding
from validator.read.encoding import decode

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".htm", ".html", ".xhtml", ".shtml"}
_LOOKS_HTML = re.compile(r"<(?:html|body|table|p|div)[\s>]|<!doctype\s+html", re.I)
MAX_BINARY_BYTES = 64 * 1024 * 1024  # PDF, DOCX, DOC as stored; text and HTML: encoding.MAX_BYTES
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # what a DOCX may inflate to, counted as it inflates (docx.py)
MAX_TEXT_CHARS = 1_000_000  # characters a document hands on to extraction (a long report: ~100 000)
_SNIFF = 1024


def read(path: str | Path) -> Document:
    """Read one file; raise ReadError with a one-line Chinese reason when it cannot be read."""
    return read_bytes(file_bytes(path), str(path))


def file_bytes(path: str | Path) -> bytes:
    """The bytes of one file, within its budget: the size is checked before reading, and only a
    regular file is opened (ReadError otherwise)."""
    name = str(path)
    with _open_regular(name) as f:
        head = f.read(_SNIFF)
        limit = MAX_BINARY_BYTES if _is_binary(head) else encoding.MAX_BYTES
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise ReadError(_too_big(size, limit))
        data = head + _read_at_most(f, limit + 1 - len(head))  # the file may grow while read
        if len(data) > limit:
            raise ReadError(_too_big(len(data), limit))
    return data


def read_bytes(data: bytes, name: str) -> Document:
    doc = _dispatch(data, name)
    chars = sum(len(c.text) for row in doc.rows for c in row)
    if chars > MAX_TEXT_CHARS:
        raise ReadError(f"文件中的文字过多（{chars} 字，上限 {MAX_TEXT_CHARS} 字），不像是一份年度报告")
    return doc


def _dispatch(data: bytes, name: str) -> Document:
    if _is_binary(data[:_SNIFF]) and len(data) > MAX_BINARY_BYTES:
        raise ReadError(_too_big(len(data), MAX_BINARY_BYTES))
    if data[:_SNIFF].lstrip().startswith(b"%PDF"):
        from validator.read.pdf import parse_pdf
        return parse_pdf(data, name)
    if data.startswith(b"PK\x03\x04"):
        from validator.read.docx import read_office_zip
        return read_office_zip(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE: .doc, .wps, .et
        from validator.read.docx import convert_with_libreoffice, read_office_zip
        return read_office_zip(convert_with_libreoffice(data, name), name)
    text, _encoding = decode(data)
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _LOOKS_HTML.search(text[:5000])) \
            or (suffix in TEXT_SUFFIXES and "</td>" in text and "<table" in text.lower()):
        from validator.read.html import parse_html
        return parse_html(text, name)
    from validator.read.text import parse_text
    return parse_text(text, name)


def _is_binary(head: bytes) -> bool:
    return head.lstrip().startswith(b"%PDF") or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def _too_big(size: int, limit: int) -> str:
    return f"文件过大（{_mb(size)}，上限 {_mb(limit)}）"


def _mb(n: int) -> str:
    return f"{n // 1024 // 1024} MB" if n >= 1024 * 1024 else f"{n} 字节"


_KINDS = ((stat.S_ISFIFO, "命名管道 FIFO"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
          (stat.S_ISSOCK, "套接字"))


def _open_regular(name: str):
    """The file opened for reading, if it is a regular file (after symlinks). A FIFO or a device
    is refused from its stat, never opened in a way that could block; the opened file is checked
    again, in case the path changed in between."""
    try:
        st = os.stat(name)
    except OSError as e:
        raise ReadError(os_reason(e, name)) from None
    _require_regular(st)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(name, flags)
    except OSError as e:
        raise ReadError(os_reason(e, name)) from None
    try:
        _require_regular(os.fstat(fd))
    except ReadError:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb", buffering=0)


def _require_regular(st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("是目录，不是文件")
    if not stat.S_ISREG(st.st_mode):
        kind = next((k for test, k in _KINDS if test(st.st_mode)), "特殊文件")
        raise ReadError(f"不是普通文件（是{kind}），不读取")


def _read_at_most(f, n: int) -> bytes:
    chunks, left = [], n
    while left > 0:
        chunk = f.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def os_reason(e: OSError, name: str | None = None) -> str:
    """One line of Chinese for why a path could not be opened or listed."""
    if e.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限"
    if e.errno == errno.ELOOP:
        return "符号链接形成循环，无法打开"
    if e.errno == errno.ENOENT:
        if name is not None and os.path.islink(name):
            return f"符号链接指向的文件不存在（{os.readlink(name)}）"
        return "文件不存在"
    if e.errno == errno.ENOTDIR:
        return "文件不存在（路径中有一段不是目录）"
    if e.errno == errno.ENAMETOOLONG:
        return "路径过长，无法打开"
    if e.errno == errno.EISDIR:
        return "是目录，不是文件"
    if e.errno == errno.EIO:
        return "读取时发生输入/输出错误"
    return f"无法打开（{e.strerror or type(e).__name__}）"
