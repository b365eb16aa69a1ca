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
        guess = _utf16(data)
        if guess is not None:
            return guess
        if _looks_utf16(data):
            raise ReadError("可能是 UTF-16 编码（没有字节顺序标记），但无法可靠解码；请另存为 UTF-8 后再检查")
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
    guess = _utf16(data)  # Chinese without ASCII has no NUL bytes in UTF-16
    if guess is not None:
        return guess
    if declared == "gb18030":
        mixed = _mixed(data)
        if mixed is not None:
            return mixed, "gb18030+utf-8"
    raise ReadError("无法识别文本编码（既不是 UTF-8 也不是 GB18030/GBK）")


def _mixed(data: bytes) -> str | None:
    """A GBK page with a UTF-8 part (a CMS's shared footer or sidebar): line by line, GB18030
    or else UTF-8. None when a line is neither, or too few lines are GB18030."""
    lines, utf8 = [], 0
    for raw in data.split(b"\n"):
        try:
            lines.append(raw.decode("gb18030"))
        except UnicodeDecodeError:
            try:
                lines.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                return None
            utf8 += 1
    text = "\n".join(lines)
    return text if utf8 <= len(lines) // 2 and _plausible_chinese(text) else None


def _utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte order mark (Windows Notepad's “Unicode”, some exports): the one byte
    order whose text is plausible, or None when neither or both are."""
    if len(data) % 2:
        return None
    found = []
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_utf16(text):
            found.append((text, enc))
    return found[0] if len(found) == 1 else None


def _plausible_utf16(text: str) -> bool:
    """Text, not bytes paired at random: nearly every character is printable ASCII, a line break
    or a character of GB2312 (common hanzi and CJK punctuation)."""
    sample = text[:4000]
    good = 0
    for c in sample:
        if c.isascii():
            good += c.isprintable() or c in "\r\n\t"
        else:
            try:
                c.encode("gb2312")
                good += 1
            except UnicodeEncodeError:
                pass
    return bool(sample.strip()) and good >= 0.95 * len(sample)


def _looks_utf16(data: bytes) -> bool:
    """Its first 8 KB read as plausible text in one byte order, damaged sequences replaced and an
    odd last byte dropped: UTF-16 that cannot be decoded whole (cut, or damaged)."""
    head = data[:8192]
    head = head[:len(head) // 2 * 2]
    return any(_plausible_utf16(head.decode(enc, errors="replace")) for enc in ("utf-16-le", "utf-16-be"))


_CJK = re.compile("[\u4e00-\u9fff]")
_ODD = re.compile("[\ufffd\u0080-\u024f\ue000-\uf8ff]")


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes most byte soup; accept an undeclared guess only when it yields common
    CJK text (a declared charset is trusted)."""
    cjk, odd = len(_CJK.findall(text)), len(_ODD.findall(text))
    return cjk > 0 and odd <= cjk * 0.05
