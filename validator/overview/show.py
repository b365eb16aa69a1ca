"""Values as people read them in every format of summary and compare: undefined is “—”, never 0."""

from __future__ import annotations

from validator.findings import number, shown
from validator.report.summary import STATUS_WORDS

UNDEFINED = "—"
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS = STATUS_WORDS


def value(x: float | None) -> str:
    return UNDEFINED if x is None else shown(x)


def percent(x: float | None) -> str:
    return UNDEFINED if x is None else f"{x * 100:.1f}%"


def indicator(x: float | None, is_percent: bool) -> str:
    return percent(x) if is_percent else value(None if x is None else round(x, 4))


def change(x: float | None) -> str:
    if x is None:
        return UNDEFINED
    return ("+" if x > 0 else "") + shown(x)


def points(x: float | None) -> str:
    """A change of a percentage, in percentage points."""
    return UNDEFINED if x is None else f"{'+' if x > 0 else ''}{x * 100:.1f} 个百分点"


def ratio(x: float | None) -> str:
    return UNDEFINED if x is None else f"{shown(round(x, 2))} 倍"


def json_number(x: float | None):
    """A value for JSON: 12.0 -> 12, an undefined value -> null."""
    return number(x)


def year_span(years) -> str:
    return "" if not years else (f"{years[0]} 年度" if years[0] == years[1] else f"{years[0]}–{years[1]} 年度")
