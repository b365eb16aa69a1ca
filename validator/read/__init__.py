"""read: the bytes of one file -> a Document. Dispatch on the suffix, then on the content."""

from __future__ import annotations

import re
from pathlib import Path

from validator.model import Document, ReadError
from validator.read.encoding import decode

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".htm", ".html", ".xhtml", ".shtml"}
_LOOKS_HTML = re.compile(r"<(?:html|body|table|p|div)[\s>]|<!doctype\s+html", re.I)
MAX_BINARY_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


def read(path: str | Path) -> Document:
    """Read one file; raise ReadError with a one-line Chinese reason when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError("是目录，不是文件") from None
    except OSError as e:
        raise ReadError(f"无法打开文件：{e.strerror or e}") from None
    return read_bytes(data, str(path))


def read_bytes(data: bytes, name: str) -> Document:
    pdf = data[:1024].lstrip().startswith(b"%PDF")
    if (pdf or data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))) and len(data) > MAX_BINARY_BYTES:
        raise ReadError(f"文件过大（{len(data) // 1024 // 1024} MB，上限 {MAX_BINARY_BYTES // 1024 // 1024} MB）")
    if pdf:
        from validator.read.pdf import parse_pdf
        return parse_pdf(data, name)
    if data.startswith(b"PK\x03\x04"):
        return _office_zip(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE: .doc, .wps, .et
        from validator.read.docx import convert_with_libreoffice, parse_docx
        return parse_docx(convert_with_libreoffice(data, name), name)
    text, _encoding = decode(data)
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _LOOKS_HTML.search(text[:5000])) \
            or (suffix in TEXT_SUFFIXES and "</td>" in text and "<table" in text.lower()):
        from validator.read.html import parse_html
        return parse_html(text, name)
    from validator.read.text import parse_text
    return parse_text(text, name)


def _office_zip(data: bytes, name: str) -> Document:
    import io
    import zipfile

    from validator.read.docx import convert_with_libreoffice, parse_docx

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError("ZIP/DOCX 文件已损坏或不完整，无法读取") from None
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:  # a zip bomb, or not a report
        raise ReadError(f"DOCX 解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，无法读取")
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return parse_docx(data, name)
    if "content.xml" in names:  # OpenDocument (.odt)
        return parse_docx(convert_with_libreoffice(data, name), name)
    raise ReadError("ZIP 文件不是 Word 文档（DOCX/ODT），无法读取")
