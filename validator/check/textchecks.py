"""The report as a document (rules/text.yaml): its six sections, its years, and the numbers its
text states (共受理政府信息公开申请N件) against the table cells they describe."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from validator.check import engine
from validator.findings import CellRef, Finding, make, shown
from validator.model import WRITTEN, Text
from validator.rules.text import NUMERAL, TRAILING_NOTE, TextRules, compile_rules, skeleton

_SENTENCE_END = re.compile(r"[。；;！？!?]")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


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


def check(book, report) -> list[Finding]:
    """The document checks of one report (sections, years, the numbers its text states)."""
    rules = rules_for(book)
    ctx = report.text
    if rules is None or ctx is None:
        return []
    out: list[Finding] = []
    chosen = _structure(book, rules, ctx, report, out)
    _years(book, rules, ctx, report, chosen, out)
    _numbers(book, rules, ctx, report, out)
    return out


# -- sections -----------------------------------------------------------------------------
# A section heading is found by its words (layout.yaml sections: ctx.heads), or, under other
# words, by its place, numeral and content: a short numbered heading N、… standing between
# sections N-1 and N+1, or a numbered heading whose words or first lines say what it holds.

_CJK_END = re.compile(r"[\u4e00-\u9fff]$")
_VALUE_END = re.compile(r"\d[\u4e00-\u9fff]{0,2}$")  # 251000元, 3个
_CLAUSE_MARK = re.compile(r"[。,;:!?]")
# The rest of a heading a scraped copy put in the next cell: 五、存在的主要问题 | 及明年工作计划…
_CONTINUATION = re.compile(r"^(?:[及和与、][^\d。,;:()!?]{0,14}?(?:情况|措施|举措|计划|事项|问题)|情况)")
_CN_NUMERALS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
RUNS_ON_CHARS = 20  # a line this long ending in a Chinese character runs on into the next


@dataclass(frozen=True)
class _Heading:
    index: int
    key: str | None  # the section its words name (layout.yaml sections), if any
    numeral: int | None  # N of a heading numbered N、
    words: str  # normalised, with the rest of its words from the next cell
    shown: str  # as written, the same


def _numeral(book, n: str, key: str | None) -> int | None:
    m = NUMERAL.match(n)
    if not m:
        return None
    if not m.group(2):  # 一总体情况: a numeral without its 、 only before the section's own words
        if key is None or not any(p.match(n, m.end()) for p in book.sections[key]):
            return None
    return int(parse_number(m.group(1)))


def _runs_on(book, ctx: Text, i: int) -> bool:
    """Text that continues the sentence before it (政策解读形式单 | 一、内容解读): a heading's
    numeral is never preceded by a Chinese character of the same sentence."""
    if i == 0:
        return False
    prev, c, p = ctx.norm[i - 1], ctx.cells[i], ctx.cells[i - 1]
    if not _CJK_END.search(prev) or _VALUE_END.search(prev) or p.row is not None or p.glued or book.title.search(prev):
        return False  # a table cell (251000元) or the title, not a sentence
    return (c.line is not None and c.line == p.line) or len(prev) >= RUNS_ON_CHARS


def _headings(book, rules: TextRules, ctx: Text) -> list[_Heading]:
    keyed = dict(ctx.heads)
    out = []
    for i, n in enumerate(ctx.norm):
        key = keyed.get(i)
        if key is None and (not n or len(n) > book.max_heading_chars or not NUMERAL.match(n)):
            continue
        if rules.not_headings is not None and rules.not_headings.search(n):
            continue  # 表三's 一、本年新收… and 四、结转下年度继续办理
        numeral = _numeral(book, n, key)
        if key is None:
            rest = TRAILING_NOTE.sub("", n[NUMERAL.match(n).end():])
            if numeral is None or len(rest) < 2 or _CLAUSE_MARK.search(rest) or not "\u4e00" <= rest[0] <= "\u9fff":
                continue  # 一是…, 一、加强…，…: a sentence, not a heading
        if numeral is not None and key is None and _runs_on(book, ctx, i):  # a section's own words stand
            continue
        words, shown = _with_rest(rules, ctx, i, key)
        out.append(_Heading(i, key, numeral, words, shown))
    return out


def _with_rest(rules: TextRules, ctx: Text, i: int, key: str | None) -> tuple[str, str]:
    """The heading with the rest of its words when a copy cut it short (四、政府信息公开行政复议、
    行政诉讼 | 情况行政复议…)."""
    n, shown = ctx.norm[i], ctx.cells[i].text.strip()
    if i + 1 >= len(ctx.norm) or skeleton(n) in rules.wording.get(key, ()):
        return n, shown
    nxt = ctx.norm[i + 1]
    for k in range(1, min(len(nxt), 20) + 1):
        if skeleton(n + nxt[:k]) in rules.wording.get(key, ()):
            return n + nxt[:k], shown + nxt[:k]
    m = _CONTINUATION.match(nxt)
    return (n + m.group(0), shown + m.group(0)) if m else (n, shown)


def _worded(rules: TextRules, key: str, words: str) -> bool:
    """Worded as the format (or the 条例) words it; a copy may have run the first words of
    the body on (六、其他需要报告的事项无其他需要报告的事项)."""
    sk = skeleton(words)
    return any(sk.startswith(w) for w in rules.wording[key])


def _in_order(order: list[str], chosen: dict[str, _Heading]) -> set[str]:
    """The most sections that stand in the format's order; of equally many, those that keep
    the earlier sections (a section moved forward is the one out of place)."""
    keys = [k for k in order if k in chosen]
    best: tuple = ()
    for mask in range(1 << len(keys)):
        kept = [k for j, k in enumerate(keys) if mask >> j & 1]
        if all(chosen[a].index < chosen[b].index for a, b in zip(kept, kept[1:])):
            rank = (len(kept), tuple(k in kept for k in keys))
            if not best or rank > best[0]:
                best = (rank, kept)
    return set(best[1]) if best else set()


def _fits(rules: TextRules, h: _Heading, key: str) -> bool:
    """A heading's words do not name another section (六、下一步改进举措 is 五's second half,
    not 六; 五、信息处理费收取情况 is not 五)."""
    own = rules.heading_words.get(key)
    if own is not None and own.search(h.words):
        return True
    return not any(p.search(h.words) for k, p in rules.heading_words.items() if k != key)


def _says(rules: TextRules, ctx: Text, h: _Heading, key: str) -> bool:
    """The heading's words or its first lines say it holds this section."""
    words, body = rules.heading_words.get(key), rules.body_words.get(key)
    if words is not None and words.search(h.words):
        return True
    return body is not None and bool(body.search("".join(ctx.norm[h.index + 1:h.index + 4])[:200]))


def _assign(book, rules: TextRules, ctx: Text, heads: list[_Heading]):
    """Each section's heading: by its words, then by place and numeral, then by content.
    Returns the chosen headings and the sections that stand in the format's order."""
    order = list(rules.numerals)
    chosen: dict[str, _Heading] = {}
    last = -1
    for j, key in enumerate(order):
        mine = [h for h in heads if h.key == key]
        after = [h for h in mine if h.index > last]
        if not after:
            if mine:  # only before the previous section: out of order
                chosen[key] = next((h for h in mine if h.numeral is not None), mine[0])
            continue
        pick = after[0]
        # a numbered heading rather than an introduction that names the parts, or a caption
        numbered = next((h for h in after if h.numeral is not None), None)
        if numbered is not None and pick.numeral is None and not any(
                h.key in order[j + 1:] and h.numeral is not None and last < h.index < numbered.index for h in heads):
            pick = numbered
        chosen[key] = pick
        last = pick.index
    def window(key: str, reach: int) -> tuple[int, int, _Heading | None]:
        ok = _in_order(order, chosen)
        j = order.index(key)
        before = [chosen[k] for k in order[:max(0, j - reach + 1)] if k in ok]
        after = [chosen[k] for k in order[j + reach:] if k in ok]
        prev = before[-1] if before else None
        return (prev.index if prev else -1), (after[0].index if after else len(ctx.cells)), prev

    def free(h: _Heading) -> bool:
        return (h.key is None or h.key in chosen) and all(h is not c for c in chosen.values())

    for key in order:  # in its place: N、… between sections N-1 and N+1
        if key in chosen:
            continue
        lo, hi, prev = window(key, 1)
        expected = {int(parse_number(rules.numerals[key]))}
        if prev is not None and prev.numeral is not None:
            expected.add(prev.numeral + 1)
        for h in heads:
            if lo < h.index < hi and h.numeral in expected and free(h) and _fits(rules, h, key):
                chosen[key] = h
                break
    for key in order:  # by content, also where it changed places with a neighbour
        if key in chosen:
            continue
        lo, hi, _ = window(key, 2)
        for h in heads:
            if lo < h.index < hi and h.numeral is not None and free(h) and _fits(rules, h, key) \
                    and _says(rules, ctx, h, key):
                chosen[key] = h
                break
    return chosen, _in_order(order, chosen)


def _structure(book, rules, ctx, report, out) -> dict[str, _Heading]:
    order = list(rules.numerals)
    heads = _headings(book, rules, ctx)
    chosen, in_order = _assign(book, rules, ctx, heads)
    for key in order:
        h = chosen.get(key)
        if h is None:
            held = [spec.name for tid, spec in book.tables.items() if spec.section == key and tid in report.tables]
            if held:  # the section's table is there: only its heading is not
                out.append(make(book, "DOC-SECTION-UNTITLED", section=_name(rules, key), numeral=rules.numerals[key],
                                tables="、".join(held)))
            else:
                out.append(make(book, "DOC-SECTION-MISSING", section=_name(rules, key), numeral=rules.numerals[key]))
        elif key not in in_order:
            c = ctx.cells[h.index]
            out.append(make(book, "DOC-SECTION-ORDER", section=_name(rules, key), numeral=rules.numerals[key],
                            heading=h.shown, line=c.line, page=c.page))
    if not _own_numbering(heads, [chosen[k] for k in order if k in in_order], ctx.norm):
        for key in order:
            h = chosen.get(key)
            if key in in_order and h.numeral is not None and h.numeral != int(parse_number(rules.numerals[key])):
                c = ctx.cells[h.index]
                out.append(make(book, "DOC-SECTION-NUMBERING", heading=h.shown, numeral=rules.numerals[key],
                                line=c.line, page=c.page))
    for key in order:
        h = chosen.get(key)
        if h is not None and h.numeral is not None and not _worded(rules, key, h.words):
            c = ctx.cells[h.index]
            out.append(make(book, "DOC-SECTION-WORDING", heading=h.shown, numeral=rules.numerals[key],
                            section=_name(rules, key), line=c.line, page=c.page))
    if "problems" in chosen:
        body = "".join(_body(ctx, chosen, "problems"))
        if len(body) < rules.nearly_empty or body.strip("。.") in ("无", "暂无", "没有"):
            c = ctx.cells[chosen["problems"].index]
            out.append(make(book, "DOC-SECTION-EMPTY", section=_name(rules, "problems"), line=c.line, page=c.page))
    if report.format in book.fee_formats and "other" in chosen:
        h = chosen["other"]
        body = h.words + "".join(_body(ctx, chosen, "other", limit=60))
        if not any(p.search(body) for p in rules.fee):
            c = ctx.cells[h.index]
            out.append(make(book, "DOC-FEE-MISSING", line=c.line, page=c.page))
    return chosen


def _own_numbering(heads: list[_Heading], in_order: list[_Heading], norm: list[str]) -> bool:
    """The report numbers its sections consistently in its own way: 一, 二, 三 … without gaps,
    counting numbered sections of its own between them (二、政务公开工作主要任务落实情况)."""
    if not in_order or any(h.numeral is None for h in in_order) or in_order[0].numeral != 1:
        return False
    for a, b in zip(in_order, in_order[1:]):
        if b.numeral <= a.numeral:
            return False
        need = a.numeral + 1
        for h in heads:
            if a.index < h.index < b.index and h.numeral == need:
                need += 1
        if need < b.numeral:  # or such a heading inside a copy's run-on text: …0条。二、政务公开工作…
            text = "\n".join(norm[a.index + 1:b.index])
            pos = 0
            while need < b.numeral and need < len(_CN_NUMERALS):
                m = re.compile(f"(?:^|(?<=[。;!?\n]))(?:{_CN_NUMERALS[need]})、(?=[\u4e00-\u9fff])").search(text, pos)
                if not m:
                    break
                need, pos = need + 1, m.end()
        if need != b.numeral:
            return False
    return True


def _name(rules: TextRules, key: str) -> str:
    return rules.names[key]


def _body(ctx: Text, chosen: dict[str, _Heading], key: str, limit: int = 400) -> list[str]:
    """Normalised text of a section: the cells after its heading up to the next section's
    heading (its own sub-heads, like （一）存在问题 or 六、下一步改进举措 after 五, do not end it)."""
    start = chosen[key].index
    stops = [h.index for h in chosen.values() if h.index > start]
    stops += [i for i, k in ctx.heads if i > start and k != key and not (k in chosen and chosen[k].index < start)]
    end = min(stops, default=len(ctx.cells))
    return ctx.norm[start + 1:min(end, start + 1 + limit)]


def _in_table(ctx: Text, i: int) -> bool:
    return any(r and r[0] <= i < r[1] for r in ctx.regions.values())


# -- years --------------------------------------------------------------------------------

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
    marks = sorted((h.index, key) for key, h in chosen.items())
    seen = set()
    for i, n in enumerate(ctx.norm):
        if "年" not in n or _in_table(ctx, i):
            continue
        section = next((key for j, key in reversed(marks) if j <= i), None)
        for sentence in _sentences(n):
            found = _other_year(rules, sentence, report.year)
            if found is None or (section, found) in seen:
                continue
            seen.add((section, found))
            c = ctx.cells[i]
            where = f"「{_name(rules, section)}」部分" if section else "正文"
            out.append(make(book, "DOC-YEAR-TEXT", where=where, sentence=_quote(sentence), found=found,
                            year=report.year, line=c.line, page=c.page))


def _other_year(rules: TextRules, sentence: str, year: int) -> int | None:
    """The year, other than the report's, whose facts the sentence states: a sentence or clause
    that opens with that year (2024年，我局… / 2024年制作、获取政府信息总数467条). Not the years of
    plans (2026年将…, 下一步), comparisons (较2024年, 同比), cited documents (《…2024年…》,
    〔2024〕) or dates of signature and publication, nor last year in 上年结转."""
    if rules.citations is not None:
        sentence = rules.citations.sub("", sentence)
    hits = [int(m.group("year")) for m in [rules.opening.match(sentence)] if m]
    for pat in rules.statements:
        for m in pat.finditer(sentence):
            if rules.count is None or rules.count.search(sentence, m.end()):
                hits.append(int(m.group("year")))
    for found in hits:
        if found >= year:  # this year, or a later one: plans
            continue
        if rules.plans is not None and rules.plans.search(sentence):
            continue
        if found == year - 1 and rules.carry_over is not None and rules.carry_over.search(sentence):
            continue
        return found
    return None


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s]


def _quote(sentence: str, limit: int = 70) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"


def _numbers(book, rules, ctx, report, out) -> None:
    for i, n in enumerate(ctx.norm):
        if len(n) < 8 or _in_table(ctx, i):
            continue
        for sentence in _sentences(n):
            if rules.unrelated is not None and rules.unrelated.search(sentence):
                continue
            for chk in rules.numbers:
                for pat in chk.patterns:
                    for m in pat.finditer(sentence):
                        stated = parse_number(m.group("n"))
                        if stated is None or _other_period(rules, sentence, m.start(), report.year):
                            continue
                        found = [_table_value(report, terms) for terms in chk.alternatives]
                        found = [f for f in found if f is not None]
                        if not found or (engine.verdicts("==", stated, [v for vals, _ in found for v in vals]) == engine.PASS).any():
                            continue
                        c = ctx.cells[i]
                        values, cells = found[0]
                        out.append(make(book, "DOC-TEXT-TABLE", sentence=_quote(sentence), label=chk.label,
                                        stated=shown(stated), value=shown(values[0]), line=c.line, page=c.page,
                                        cells=tuple(cells)))


def _other_period(rules, sentence: str, at: int, year: int | None) -> bool:
    """Whether the clause before a stated number names another year (与2022年收到申请75件相比)."""
    if rules.other_period is None:
        return False
    clause = sentence[max(sentence.rfind(",", 0, at), sentence.rfind(";", 0, at)) + 1:at]
    for m in rules.other_period.finditer(clause):
        found = m.group("year") if "year" in m.re.groupindex else None
        if found is None or year is None or int(found) != year:
            return True
    return False


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
            if col not in frame.columns or not table.state.loc[rows, col].isin(WRITTEN).all():
                return None  # unreadable, missing or absent: nothing to compare
        values, at_row, at_col = table.arrays  # this runs for every number the text states
        ri = [at_row[r] for r in rows]
        if cols:
            options = [float(np.nansum(values[ri, at_col[col]])) for col in cols if col in at_col]
            cells += [table.ref(r, col) for r in rows for col in cols if col in at_col]
        else:
            parts = [at_col[c] for c in frame.columns if c not in ("total", "org_subtotal")]
            by_parts = float(np.nansum(values[np.ix_(ri, parts)]))
            total = values[ri, at_col["total"]]
            options = [float(total.sum()), by_parts] if not np.isnan(total).any() else [by_parts]
            cells += [table.ref(r, "total") for r in rows]
        if not options:
            return None
        totals = [t + o for t in totals for o in options]
    return totals, cells


@lru_cache(maxsize=4)
def rules_for(book) -> TextRules | None:
    return compile_rules(book.text, book.tables, book.formats) if book.text else None
