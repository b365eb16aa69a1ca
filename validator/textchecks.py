"""The report as a document (rules/text.yaml): its six sections, its years, and the numbers its
text states (共受理政府信息公开申请N件) against the table cells they describe."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from validator.findings import CellRef, Finding, make

_SENTENCE_END = re.compile(r"[。；;！？!?]")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


class TextRulesError(ValueError):
    pass


@dataclass(frozen=True)
class NumberCheck:
    label: str
    # alternatives, each a sum of terms (table, row, columns or ()): the text may group rows
    alternatives: tuple[tuple[tuple[str, str, tuple[str, ...]], ...], ...]
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class TextRules:
    numerals: dict[str, str]
    nearly_empty: int
    fee: tuple[re.Pattern, ...]
    period: re.Pattern
    opening: re.Pattern
    numbers: tuple[NumberCheck, ...]


def compile_rules(data: dict) -> TextRules:
    """rules/text.yaml's `text:` mapping, checked (a bad pattern or cell stops the load)."""
    try:
        s, y, n = data["structure"], data["years"], data["numbers"]
        value = n["value"]
        checks = []
        for c in n["checks"]:
            alternatives = []
            for cells in ([c["cells"]] if isinstance(c["cells"], str) else c["cells"]):
                terms = []
                for term in cells.split("+"):
                    parts = term.strip().split(":")
                    if len(parts) not in (2, 3) or parts[0] not in ("t2", "t3", "t4"):
                        raise TextRulesError(f"text.numbers: bad cells {cells!r}")
                    terms.append((parts[0], parts[1], tuple(parts[2].split("|")) if len(parts) == 3 else ()))
                alternatives.append(tuple(terms))
            pats = tuple(re.compile(p.replace("{n}", value)) for p in c["patterns"])
            checks.append(NumberCheck(c["label"], tuple(alternatives), pats))
        return TextRules(dict(s["numerals"]), int(s["nearly_empty_chars"]),
                         tuple(re.compile(p) for p in s["fee_patterns"]), re.compile(y["period"]),
                         re.compile(y["opening"]), tuple(checks))
    except (KeyError, TypeError) as e:
        raise TextRulesError(f"text.yaml: missing or malformed {e}") from None
    except re.error as e:
        raise TextRulesError(f"text.yaml: bad pattern: {e}") from None


def parse_number(text: str) -> float | None:
    """12 / 1,234 / 1.2万 / 二十一 / 两千零五 -> a number."""
    text = text.replace(",", "")
    scale = 1
    if text.endswith("万") and text[:-1].replace(".", "", 1).isdigit():
        text, scale = text[:-1], 10000
    try:
        return float(text) * scale
    except ValueError:
        pass
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return float(total + section + (digit or 0))


@dataclass
class Context:
    """What the checks read: the cells in order, their normalised text, the section headings
    found (index, key) and the cell ranges of the tables."""

    cells: list
    norm: list[str]
    heads: list[tuple[int, str]]
    regions: dict[str, tuple[int, int] | None]


def check(book, rules: TextRules, ctx: Context, report) -> list[Finding]:
    out: list[Finding] = []
    chosen = _structure(book, rules, ctx, report, out)
    _years(book, rules, ctx, report, chosen, out)
    _numbers(book, rules, ctx, report, out)
    return out


def _structure(book, rules, ctx, report, out) -> dict[str, int]:
    order = list(rules.numerals)
    chosen: dict[str, int] = {}
    pos = -1
    for key in order:
        after = [i for i, k in ctx.heads if k == key and i > pos]
        if after:
            chosen[key] = pos = after[0]
        elif any(k == key for _, k in ctx.heads):
            i = next(i for i, k in ctx.heads if k == key)
            c = ctx.cells[i]
            out.append(make(book, "DOC-SECTION-ORDER", section=_name(book, key), line=c.line, page=c.page))
        else:
            out.append(make(book, "DOC-SECTION-MISSING", section=_name(book, key), numeral=rules.numerals[key]))
    for key, i in chosen.items():
        m = re.match(r"^([一二三四五六七八九十]+)[、.．]", ctx.norm[i])
        if m and m.group(1) != rules.numerals[key]:
            c = ctx.cells[i]
            out.append(make(book, "DOC-SECTION-NUMBERING", heading=c.text.strip(), numeral=rules.numerals[key],
                            line=c.line, page=c.page))
    if "problems" in chosen:
        body = "".join(_body(ctx, chosen["problems"]))
        if len(body) < rules.nearly_empty or body.strip("。.") in ("无", "暂无", "没有"):
            c = ctx.cells[chosen["problems"]]
            out.append(make(book, "DOC-SECTION-EMPTY", section=_name(book, "problems"), line=c.line, page=c.page))
    if report.format == "2021" and "other" in chosen:
        body = "".join(_body(ctx, chosen["other"], limit=60))
        if not any(p.search(body) for p in rules.fee):
            c = ctx.cells[chosen["other"]]
            out.append(make(book, "DOC-FEE-MISSING", line=c.line, page=c.page))
    return chosen


def _name(book, key: str) -> str:
    return book.sections[key][0].pattern.strip("^$")


def _body(ctx: Context, start: int, limit: int = 400) -> list[str]:
    """Normalised text of a section: the cells after its heading up to the next section's
    heading (its own sub-heads, like （一）存在问题, do not end it)."""
    key = next(k for i, k in ctx.heads if i == start)
    end = next((i for i, k in ctx.heads if i > start and k != key), len(ctx.cells))
    return ctx.norm[start + 1:min(end, start + 1 + limit)]


def _in_table(ctx: Context, i: int) -> bool:
    return any(r and r[0] <= i < r[1] for r in ctx.regions.values())


def _years(book, rules, ctx, report, chosen, out) -> None:
    if report.year is None:
        return
    for i, n in enumerate(ctx.norm):
        m = rules.period.search(n)
        if m:
            years = {int(m.group("start"))} | ({int(m.group("end"))} if m.group("end") else set())
            if years != {report.year}:
                c = ctx.cells[i]
                out.append(make(book, "DOC-YEAR-PERIOD", period=m.group(0), year=report.year, line=c.line, page=c.page))
            break
    if "overview" not in chosen:
        return
    start = chosen["overview"]
    end = next((j for j, _ in ctx.heads if j > start), len(ctx.cells))
    seen = set()
    for i in range(start + 1, end):
        for sentence in _sentences(ctx.norm[i]):
            m = rules.opening.match(sentence)
            if m and int(m.group("year")) != report.year and m.group("year") not in seen:
                seen.add(m.group("year"))
                c = ctx.cells[i]
                out.append(make(book, "DOC-YEAR-TEXT", sentence=_quote(sentence), found=m.group("year"),
                                year=report.year, line=c.line, page=c.page))


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s]


def _quote(sentence: str, limit: int = 70) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"


def _numbers(book, rules, ctx, report, out) -> None:
    for i, n in enumerate(ctx.norm):
        if len(n) < 8 or _in_table(ctx, i):
            continue
        for sentence in _sentences(n):
            for chk in rules.numbers:
                for pat in chk.patterns:
                    for m in pat.finditer(sentence):
                        stated = parse_number(m.group("n"))
                        if stated is None:
                            continue
                        found = [_table_value(report, terms) for terms in chk.alternatives]
                        found = [f for f in found if f is not None]
                        if not found or any(math.isclose(stated, v) for vals, _ in found for v in vals):
                            continue
                        c = ctx.cells[i]
                        values, cells = found[0]
                        out.append(make(book, "DOC-TEXT-TABLE", sentence=_quote(sentence), label=chk.label,
                                        stated=f"{stated:g}", value=f"{values[0]:g}", line=c.line, page=c.page,
                                        cells=tuple(cells)))


def _table_value(report, terms) -> tuple[list[float], list[CellRef]] | None:
    """The values the table gives for a sum of terms, the one to show first; None when a cell
    is missing or unreadable. A 表三 row is its 总计 cell, or the sum of its applicant columns
    when that is blank (both are accepted when they differ: T3-ROW-TOTAL reports that)."""
    totals = [0.0]
    cells: list[CellRef] = []
    for tid, row, cols in terms:
        table = report.tables.get(tid)
        if table is None:
            return None
        frame = table.frame
        rows = [r for r in frame.index if r == row or (row.endswith(".*") and r.startswith(row[:-2]))]
        if not rows:
            return None
        options: list[float] = []
        for col in cols or frame.columns:
            if any(table.sources.get((r, col)) is None or table.sources[(r, col)].value is None for r in rows):
                return None
        if cols:
            options = [float(frame.loc[rows, col].fillna(0).sum()) for col in cols if col in frame.columns]
            cells += [table.ref(r, col) for r in rows for col in cols if col in frame.columns]
        else:
            parts = [c for c in frame.columns if c not in ("total", "org_subtotal")]
            by_parts = float(frame.loc[rows, parts].fillna(0).to_numpy().sum())
            if frame.loc[rows, "total"].notna().all():
                options = [float(frame.loc[rows, "total"].sum()), by_parts]
            else:
                options = [by_parts]
            cells += [table.ref(r, "total") for r in rows]
        if not options:
            return None
        totals = [t + o for t in totals for o in options]
    return totals, cells


@lru_cache(maxsize=4)
def rules_for(book) -> TextRules | None:
    return compile_rules(book.text) if book.text else None
