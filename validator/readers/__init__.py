"""read: the bytes of one file -> a Document. Dispatch on the suffix, then on the content."""

from __future__ import annotations

import re
from pathlib import Path

from validator.decode import decode
from validator.document import Document, ReadError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".htm", ".html", ".xhtml", ".shtml"}
DEFAULT_SUFFIXES = (".txt", ".htm", ".html", ".md")
_LOOKS_HTML = re.compile(r"<(?:html|body|table|p|div)[\s>]|<!doctype\s+html", re.I)
_MAGIC = {b"%PDF": "PDF", b"PK\x03\x04": "DOCX/ZIP", b"\xd0\xcf\x11\xe0": "DOC/WPS (OLE)"}


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
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ReadError(f"{kind} 文件暂不支持，请提供网页（HTML）或文本版本")
    text, _encoding = decode(data)
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _LOOKS_HTML.search(text[:5000])) \
            or (suffix in TEXT_SUFFIXES and "</td>" in text and "<table" in text.lower()):
        from validator.readers.html import parse_html
        return parse_html(text, name)
    from validator.readers.text import parse_text
    return parse_text(text, name)
