"""Bytes to text. Decoding is done here, before any parser sees the data: lxml fed raw GBK
bytes silently truncates cells that hold GBK-only characters."""

from __future__ import annotations

import codecs
import re

from validator.model import ReadError

MAX_BYTES = 16 * 1024 * 1024  # a report page is rarely over 2 MB
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Government sites declare gb2312/gbk but use characters only GB18030 (a superset) has.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "cp936": "gb18030", "euc-cn": "gb18030", "utf8": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) or raise ReadError with a one-line reason."""
    if len(data) > MAX_BYTES:
        raise ReadError(f"文件过大（{len(data) // 1024 // 1024} MB，上限 {MAX_BYTES // 1024 // 1024} MB）")
    if not data.strip():
        raise ReadError("文件为空")
    text, enc = _decode(data)
    if not text.strip():
        raise ReadError("文件为空")
    return text, enc


def _decode(data: bytes) -> tuple[str, str]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise ReadError(f"按 {enc} 无法解码（第 {e.start} 字节）") from None
    if b"\x00" in data[:8192]:
        raise ReadError("二进制文件，不是文本或网页")
    # Valid UTF-8 is UTF-8 whatever the page declares (GBK text is almost never valid UTF-8).
    declared = declared_charset(data)
    for enc in dict.fromkeys(c for c in ("utf-8", declared, "gb18030") if c):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and enc != declared and not _plausible_chinese(text):
            break
        return text, enc
    raise ReadError("无法识别文本编码（既不是 UTF-8 也不是 GB18030/GBK）")


_CJK = re.compile("[\u4e00-\u9fff]")
_ODD = re.compile("[\ufffd\u0080-\u024f\ue000-\uf8ff]")


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes most byte soup; accept an undeclared guess only when it yields common
    CJK text (a declared charset is trusted)."""
    cjk, odd = len(_CJK.findall(text)), len(_ODD.findall(text))
    return cjk > 0 and odd <= cjk * 0.05
