"""Reading one cell: a number, one of the ways of writing "nothing", or not a value (a label)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from validator.model import DIGIT_LETTERS, INVISIBLE, Value

# Ways of writing "nothing to report". Blank is kept apart: it is reported on its own.
NOTHING = {"/", "\\", "-", "—", "——", "–", "－", "―", "无", "空", "x", "X", "×"}
_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<unit>万元|元|件|项|个|次|宗)?(?:\*+|※)?$")  # 7*: a footnote mark
_LOOKALIKE = re.compile(rf"^(?=.*[{DIGIT_LETTERS}])[0-9{DIGIT_LETTERS}]{{1,7}}$")
_SPACE = re.compile(rf"[\s{INVISIBLE}]+")  # and characters that show nothing


@lru_cache(maxsize=1 << 16)  # labels and small numbers repeat across a batch of reports
def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), no whitespace or invisible characters."""
    if text.isascii() and " " not in text and text.isprintable():
        return text  # the common case: a plain number
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1 << 16)
def parse_value(text: str) -> Value | None:
    """The cell's value, or None when the cell is text (a label, a heading)."""
    s = normalize(text)
    if s.isdigit() and s.isascii():
        return Value("number", float(s))
    s = s.replace("，", ",")
    if not s:
        return Value("blank")
    if s in NOTHING:
        return Value("nothing")
    m = _NUMBER.match(s)
    if not m:
        # digits a scan misread as letters (O for 0, l or I for 1: 3O, I5): a value, not readable
        return Value("garbled") if _LOOKALIKE.match(s) else None
    number = float(m.group("int").replace(",", "") + ("." + m.group("dec") if m.group("dec") else ""))
    if m.group("sign") == "-":
        number = -number
    return Value("number", number, len(m.group("dec") or ""), m.group("unit"), bool(m.group("sign")))
