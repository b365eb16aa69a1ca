"""validator.read.encoding.decode(bytes) -> (text, encoding), or ReadError with one line of Chinese."""

from __future__ import annotations

import codecs
import random
import re

import pytest

import validator.read.encoding
from validator.model import ReadError
from validator.read.encoding import decode

REPORT_TEXT = "青山区民政局2022年政府信息公开工作年度报告\n一、总体情况\n全年新收政府信息公开申请60件。\n"
# Characters GB18030 has but GBK / GB2312 do not: U+4DAE (CJK Ext. A) and U+20BB7 (Ext. B, 4 bytes in GB18030).
GB18030_ONLY = "䶮𠮷"
_CJK = re.compile(r"[\u4e00-\u9fff]")


# -- helpers ------------------------------------------------------------------------------

def read_error(data: bytes) -> ReadError:
    """The ReadError decode() raises for `data`, checked to be one line of Chinese."""
    with pytest.raises(ReadError) as info:
        decode(data)
    assert_one_line_chinese(info.value)
    return info.value


def assert_one_line_chinese(err: ReadError) -> None:
    msg = str(err)
    assert msg.strip(), "empty error message"
    assert "\n" not in msg and "\r" not in msg, f"message is not one line: {msg!r}"
    assert _CJK.search(msg), f"message is not Chinese: {msg!r}"


def html_page(body: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>年度报告</title></head><body>{body}</body></html>"


def gb18030_only_page(meta: str) -> tuple[str, bytes]:
    text = (f"<html><head>{meta}<title>政府信息公开工作年度报告</title></head><body>"
            f"<p>刘{GB18030_ONLY[0]}、{GB18030_ONLY[1]}野：政府信息公开工作年度报告</p>"
            f"<table><tr><td>{GB18030_ONLY}法律服务机构</td><td>12</td></tr></table></body></html>")
    data = text.encode("gb18030")
    # The point of the test: these bytes are not GBK / GB2312.
    for narrower in ("gbk", "gb2312"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(narrower)
    return text, data


# -- Unicode ------------------------------------------------------------------------------

def test_utf8_without_bom():
    assert decode(REPORT_TEXT.encode("utf-8")) == (REPORT_TEXT, "utf-8")


def test_utf8_with_bom_strips_the_bom():
    text, enc = decode(codecs.BOM_UTF8 + REPORT_TEXT.encode("utf-8"))
    assert text == REPORT_TEXT
    assert not text.startswith("\ufeff")
    assert enc == "utf-8-sig"


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
                         ids=["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(bom, codec):
    data = bom + (REPORT_TEXT + GB18030_ONLY).encode(codec)
    text, enc = decode(data)
    assert text == REPORT_TEXT + GB18030_ONLY
    assert enc == "utf-16"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(codec):
    # Windows Notepad's "Unicode": NUL bytes (the ASCII digits and line breaks), no BOM.
    text, enc = decode((REPORT_TEXT + GB18030_ONLY).encode(codec))
    assert (text, enc) == (REPORT_TEXT + GB18030_ONLY, codec)


def test_utf16_without_bom_and_without_ascii_is_recognised():
    # All CJK: hardly a NUL byte, and no valid UTF-8 or plausible GB18030 either.
    assert decode("政府信息公开工作年度报告".encode("utf-16-le")) == ("政府信息公开工作年度报告", "utf-16-le")


def test_sample_report_in_utf16_without_bom_reads_as_the_utf8_one():
    from conftest import ROOT

    from validator.read import read_bytes

    text = (ROOT / "samples/clean_2019_cells.txt").read_text(encoding="utf-8")
    utf8 = read_bytes(text.encode("utf-8"), "r.txt")
    utf16 = read_bytes(text.encode("utf-16-le"), "r.txt")
    assert utf16.rows == utf8.rows


def test_cut_utf16_without_bom_is_called_utf16_not_binary():
    # An odd number of bytes: no byte order decodes it, but the NULs sit where UTF-16 puts them.
    err = read_error(REPORT_TEXT.encode("utf-16-le")[:-1])
    assert "可能是 UTF-16 编码" in str(err)
    assert "二进制" not in str(err)


def test_utf8_text_with_gb18030_only_characters():
    text = REPORT_TEXT + GB18030_ONLY
    assert decode(text.encode("utf-8")) == (text, "utf-8")


# -- GB family ----------------------------------------------------------------------------

@pytest.mark.parametrize("meta", [
    '<meta charset="gb2312">',
    '<meta charset="gbk">',
    '<meta charset=GB2312>',
    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
    "<meta http-equiv=Content-Type content='text/html; charset=GBK'>",
], ids=["gb2312", "gbk", "gb2312-unquoted-upper", "http-equiv-gb2312", "http-equiv-gbk"])
def test_declared_gb2312_or_gbk_decodes_as_gb18030_in_full(meta):
    text, data = gb18030_only_page(meta)
    decoded, enc = decode(data)
    assert enc == "gb18030"
    assert decoded == text
    assert GB18030_ONLY in decoded
    assert f"<td>{GB18030_ONLY}法律服务机构</td>" in decoded


def test_declared_gb18030():
    text, data = gb18030_only_page('<meta charset="gb18030">')
    assert decode(data) == (text, "gb18030")


def test_undeclared_gbk_text_is_decoded_as_gb18030():
    data = REPORT_TEXT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data) == (REPORT_TEXT, "gb18030")


def test_undeclared_gbk_html_is_decoded_as_gb18030():
    page = html_page("<p>一、总体情况</p><table><tr><td>自然人</td><td>52</td></tr></table>", None)
    assert decode(page.encode("gbk")) == (page, "gb18030")


def test_undeclared_gb18030_with_four_byte_character():
    text = REPORT_TEXT + GB18030_ONLY
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_declared_utf8_but_actually_gbk_falls_back_to_gb18030():
    page = html_page("<p>政府信息公开工作年度报告</p>", "utf-8")
    assert decode(page.encode("gbk")) == (page, "gb18030")


def test_broken_balance_sample_decodes_as_gb18030():
    from pathlib import Path

    data = (Path(__file__).resolve().parent.parent / "samples" / "broken_balance_2021.html").read_bytes()
    text, enc = decode(data)
    assert enc == "gb18030"
    assert "青山区人民政府办公室2023年政府信息公开工作年度报告" in text


@pytest.mark.parametrize("body", [
    "政府信息公开工作年度报告",  # decodes as gb18030 too, into implausible text
    "年度报告",                  # decodes as gb18030 too, into plausible-looking mojibake 骞村害鎶ュ憡
    "hello",                     # ASCII: the same text in every candidate
    "青山区民政局2022年政府信息公开工作年度报告",  # not valid gb18030 at all
])
def test_valid_utf8_with_a_wrong_gb2312_meta_is_read_as_utf8(body):
    page = f'<meta charset="gb2312"><p>{body}</p>'
    assert decode(page.encode("utf-8")) == (page, "utf-8")


def test_declared_gbk_page_with_private_use_characters_is_read():
    # Sites encode rare name characters (造字) in GBK's user-defined area; a declared charset is trusted.
    page = '<meta charset="gbk"><p>申请人：王\ue000、李\ue001（共2件）</p>'
    data = page.encode("gb18030")
    assert decode(data) == (page, "gb18030")


# -- refused ------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b" ", b"   \r\n\t \n\n", b"\n" * 1000],
                         ids=["empty", "one-space", "ascii-whitespace", "newlines"])
def test_empty_or_whitespace_only_is_refused(data):
    err = read_error(data)
    assert "空" in str(err)


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8,
    codecs.BOM_UTF8 + b"  \r\n",
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
    "\u3000\u3000\n".encode("utf-8"),
], ids=["utf8-bom-only", "utf8-bom-whitespace", "utf16-bom-only", "utf16-bom-whitespace", "ideographic-spaces"])
def test_bom_or_unicode_whitespace_only_is_refused_as_empty(data):
    err = read_error(data)
    assert "空" in str(err)


@pytest.mark.parametrize("data", [
    b"\x00",
    b"abc\x00def",
    b"\x00" * 64,
    "政府信息公开".encode("utf-8") + b"\x00\x01\x02\x03" + b"x" * 100,
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
], ids=["nul", "nul-in-ascii", "nuls", "nul-after-text", "gif-header"])
def test_nul_bytes_mean_binary(data):
    err = read_error(data)
    assert str(err) == "二进制文件，不是文本或网页"


def _random_high_bytes(seed: int, n: int = 4000) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randint(0x81, 0xFE) for _ in range(n))


def _random_bytes_without_nul(seed: int, n: int = 4000) -> bytes:
    return random.Random(seed).randbytes(n).replace(b"\x00", b"\x01")


@pytest.mark.parametrize("data", [
    bytes(range(128, 256)) * 50,
    bytes(range(0x81, 0xFF)) * 50,
    _random_high_bytes(0), _random_high_bytes(1), _random_high_bytes(2),
    _random_bytes_without_nul(0), _random_bytes_without_nul(1),
    b"\x80" * 1000,
], ids=["128-255", "81-fe", "high-0", "high-1", "high-2", "random-0", "random-1", "0x80s"])
def test_byte_soup_is_refused_never_mojibake(data):
    err = read_error(data)
    assert str(err) == "无法识别文本编码（既不是 UTF-8 也不是 GB18030/GBK）"


def test_invalid_utf8_after_bom_is_refused():
    err = read_error(codecs.BOM_UTF8 + "政府".encode("utf-8") + b"\xff\xfe\xfd")
    assert "utf-8-sig" in str(err)


# -- size limit ---------------------------------------------------------------------------

def test_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(validator.read.encoding, "MAX_BYTES", 64)
    err = read_error(b"a" * 65)
    assert "过大" in str(err)


def test_file_at_the_size_limit_is_read(monkeypatch):
    monkeypatch.setattr(validator.read.encoding, "MAX_BYTES", 64)
    assert decode(b"a" * 64) == ("a" * 64, "utf-8")


def test_size_limit_is_checked_before_anything_else(monkeypatch):
    # Binary and over the limit: the size is what is reported.
    monkeypatch.setattr(validator.read.encoding, "MAX_BYTES", 10)
    err = read_error(b"\x00" * 11)
    assert "过大" in str(err)


# -- a GBK page with a UTF-8 part -----------------------------------------------------------

GBK_PAGE = '<html><head><meta charset="gbk"></head><body><p>' + REPORT_TEXT.replace("\n", "</p>\n<p>") + "</p>\n"


def test_a_gbk_page_with_a_utf8_footer_reads_both_parts():
    footer = "<p>主办单位：青山区人民政府办公室　网站标识码：4201000001</p>\n</body></html>"
    text, enc = decode(GBK_PAGE.encode("gbk") + footer.encode("utf-8"))
    assert REPORT_TEXT.split("\n")[0] in text and "网站标识码：4201000001" in text
    assert enc == "gb18030+utf-8"


def test_a_gbk_page_with_a_line_of_neither_is_still_refused():
    read_error(GBK_PAGE.encode("gbk") + b"<p>\xff\xfe\xfd\x81\x30</p>\n" + "主办单位".encode("utf-8"))
