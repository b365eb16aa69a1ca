"""Text bodies a site crawler saved on one line: the tables' cells glued (`申请数量640020470`), partly
spaced (`10 0 0 0 01`) or fully spaced (`规章 0 0 0`), with prose full of numbers around them.

`tokenize()` reads such a line into cells of three kinds: table labels (text made of the
table's vocabulary, from rules/layout.yaml), runs of digits that follow a label (the row's
values, still to be split), and prose (sentences, kept whole with their numbers). A sentence
is never a table row: text with sentence punctuation, or longer than a label, or matching no
label is prose, and so is a number it states (`规范性文件6件`).

`split_run()` lists the ways a run of digits can be the row's cells (no leading zeros; spaces
are cuts already made). One reading is certain; several are settled by the row's identities
only when exactly one fits, otherwise the row stays unread."""

from __future__ import annotations

import re
from functools import lru_cache
from math import comb

from validator.extract.values import normalize
from validator.model import Cell

LONG_CELL = 80  # a text cell longer than any label or heading is a body to tokenize
# A label with its digits run on (`（七）总计690020469`, `…数量2000002三、本年度办理结果`).
RUN_ON = re.compile(r"[\u4e00-\u9fff）)”\"][ \u3000]*\d[\d \u3000]*(?:\.\d+)?(?:万元|元)?(?=$|[（(]|[一二三四五六七八九十]、|\d[.、．][\u4e00-\u9fff])")
MAX_SPLITS = 200_000  # beyond this many candidate splits a row is not read
MAX_HEADING = 30
_NUMERAL = "[一二三四五六七八九十]"
# A number as a table writes it, thousands separators included (1,023: one cell, never cut).
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A run: numbers separated by spaces or signs (`0+11` is 0, +1, 1), a unit glued to its end.
_RUN = re.compile(rf"[+-]?{_NUM}(?:[ \u3000\xa0]*[+-]?{_NUM})*(?:万元|元)?")
# A digit right before "." or "、" and a label numbers that label: `00000002.其他法律…`.
_NUMBERING = re.compile(r"[.、．][\u4e00-\u9fff（(“\"]")
_YEAR_TAIL = re.compile(r"(?:19|20)\d\d$")
_SENTENCE = re.compile(r"[。;!?！？]")
_CLAUSE = re.compile(r"[,:]")  # after NFKC: ，and ：
_LEFTOVER = re.compile(r"[\d()\[\]【】、.,:/\-*·+<>〈〉“”\"'‘’]")
MAX_TAIL = 300  # table words ending a sentence: a header at most (表三's is about 110 characters)
MAX_LEFTOVER = 12  # characters outside the vocabulary that a label may still carry
_CELL_UNIT = re.compile(r"[ \u3000]*[个件项条次][ \u3000]*")
# Where a numbered label starts inside glued label text (not 第（一）项 of a 表二 block).
_LABEL_START = re.compile(r"(?<=[\u4e00-\u9fff）)”\"\s])(?<!第)(?:[（(][一二三四五六七八九十][）)]|\d[.．、](?=[\u4e00-\u9fff])|[一二三四五六七八九十]、)")
_MARK = re.compile(r"[。；;：:，,！？!?]")
_STOPS = set("0123456789。，,；;：:（(")
_PIECES = re.compile(rf"[+-]?{_NUM}")

LABEL, RUN, PROSE, HEADING = "label", "run", "prose", "heading"


class Vocabulary:
    """What table text is made of: row labels and their match patterns, column and group
    labels, the drawn headers and each table's extra `vocabulary` words (rules/layout.yaml);
    and the section headings that cut a body into sections."""

    def __init__(self, book):
        words = set()
        for spec in book.tables.values():
            for row in spec.rows:
                words.add(re.escape(normalize(row.label)))
                words.update(p.pattern.strip("^$") for p in row.patterns)
            words.update(re.escape(normalize(t)) for labels in spec.format_labels.values() for t in labels.values())
            for col in spec.columns.values():
                words.update(re.escape(normalize(t)) for t in (col.label, *col.labels.values()))
            words.update(p.pattern.strip("^$") for pats in spec.groups.values() for p in pats)
            words.update(re.escape(normalize(t)) for t in _strings(spec.drawing))
            words.update(spec.vocabulary)
        words.discard("")
        # Longest words first: an alternation takes the first that matches (其他结果 before 其他).
        self.words = re.compile("|".join(sorted(words, key=_literal_length, reverse=True)))
        self.unit = re.compile(f"[ \u3000]*[{re.escape(book.prose_units)}]")
        self.word_end = re.compile(f"(?:{self.words.pattern})[()（）]?$")
        heads = "|".join(p.pattern.strip("^$") for pats in book.sections.values() for p in pats)
        # A numbered section heading inside a body; the numeral's 、 is sometimes left out.
        self.heading_parts = [re.compile(p.pattern.strip("^$")) for pats in book.sections.values() for p in pats]
        # A numbered section heading inside a body: the numeral with 、 and a section's words
        # soon after; without the 、 (一总体情况) only right before them and not inside a word
        # (进一步…); or, after a sentence or a table's last value, a numeral with 、 and any
        # short wording (二、政府信息主动公开工作), whose place and content the document checks
        # judge (a table's own 二、上年结转… starts with table words and is not cut).
        self.heading = re.compile(
            f"(?P<known>(?<![（(]){_NUMERAL}、[ \u3000]*(?:[^\\d。，,；;：:（()）]|(?:19|20)\\d\\d年度?){{0,16}}?(?:{heads})"
            f"|(?<![（(\u4e00-\u9fff]){_NUMERAL}[.．]?[ \u3000]*(?:{heads}))"
            f"|(?P<numbered>(?:(?<=[。；;！？!?\\s\\d元])|^){_NUMERAL}、(?=[\u4e00-\u9fff]))")

    def table_tail(self, text: str, start: int, end: int) -> int | None:
        """Where the table words at the end of a sentence start: the first place after a
        sentence or clause mark from which the rest is all vocabulary."""
        if not self.word_end.search(normalize(text[max(start, end - 40):end])):
            return None  # the common case: a sentence's own number (申请3件)
        near = max(start, end - MAX_TAIL)
        cuts = sorted({m.end() for m in _MARK.finditer(text, near, end)}
                      | {m.start() for m in self.words.finditer(text, near, end)}, reverse=True)  # `…情况如下第二十条…`
        found = None
        for k in cuts:  # from the end: once a tail holds other words, every longer one does too
            tail = normalize(text[k:end])
            if not tail:
                continue
            if _LEFTOVER.sub("", self.words.sub("", tail)):
                break
            found = k if self.words.search(tail) and k > start else found
        return found

    def kind(self, text: str) -> str:
        """LABEL or PROSE for a piece of text between runs of digits."""
        norm = normalize(text)
        if _SENTENCE.search(norm):  # no table word holds a sentence mark
            return PROSE
        rest = self.words.sub("", norm)
        core = _LEFTOVER.sub("", rest)
        if not core:
            return LABEL
        if _SENTENCE.search(norm) or _CLAUSE.search(rest) or len(core) > MAX_LEFTOVER:
            return PROSE
        return LABEL


def _literal_length(pattern: str) -> int:
    """About how many characters a pattern matches: its text without classes and operators."""
    return len(re.sub(r"\\[dwsDWS]|\[[^\]]*\][?*+]?|.[?*]|[+^$(){}|]|\\", "", pattern))


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


@lru_cache(maxsize=8)
def vocabulary(book) -> Vocabulary:
    return Vocabulary(book)


def tokenize(cell: Cell, vocab: Vocabulary) -> list[Cell]:
    """The cells of one body cell: headings, labels, value runs (glued) and prose."""
    items = []  # (kind, start, end)
    pos = 0
    text = cell.text
    for m in vocab.heading.finditer(text):
        start, end = m.span()
        if start < pos:
            continue
        if m.group("known"):
            end = _heading_end(text, start, end, vocab)
        else:
            end = _words_end(text, end, vocab)
            if end == m.end():  # 四、结转下年度继续办理: a table label, not a heading
                continue
        items += _pieces(text, pos, start)
        items.append([HEADING, start, end])
        pos = end
    items += _pieces(text, pos, len(text))
    _join_units(text, items)
    _classify(text, items, vocab)
    out: list[Cell] = []
    for kind, start, end in _merge(items):
        cuts = [start, *(m.start() for m in _LABEL_START.finditer(text, start, end)), end] if kind == LABEL else [start, end]
        for a, b in zip(cuts, cuts[1:]):  # one cell per numbered label: `…申请3.其他（七）总计`
            part = text[a:b].strip()
            if part:
                out.append(cell._replace(text=part, glued=kind == RUN, prose=kind == PROSE))
    return out


def _join_units(text: str, items: list[list]) -> None:
    """`1个246900元`: a unit between two runs belongs to the first cell, not to prose."""
    i = 0
    while i + 2 < len(items):
        a, mid, b = items[i:i + 3]
        if a[0] == RUN and mid[0] is None and b[0] == RUN and _CELL_UNIT.fullmatch(text, mid[1], mid[2]):
            items[i:i + 3] = [[RUN, a[1], b[2]]]
        else:
            i += 1


def _heading_end(text: str, start: int, end: int, vocab: Vocabulary) -> int:
    """A heading runs on to the furthest heading words before a digit or a clause mark
    (五、存在的主要问题及改进措施, 四、…行政诉讼情况), no further: the body follows without a break.
    Words it already holds do not extend it (六、其他需要报告的事项无其他需要报告的事项)."""
    stop = next((k for k in range(end, min(len(text), end + MAX_HEADING)) if text[k] in _STOPS), end + MAX_HEADING)
    stop = min(stop, len(text))
    seen = {text[start:end]}
    for p in vocab.heading_parts:
        for m in p.finditer(text, start, stop):
            if m.end() > end and m.start() <= end + 2 and m.group() not in seen and not any(m.group() in w for w in seen):
                end = m.end()
                seen.add(m.group())
    return end


def _words_end(text: str, end: int, vocab: Vocabulary) -> int:
    """A heading in words of its own ends at a digit, a clause mark, a bracket or a table word."""
    for k in range(end, min(len(text), end + MAX_HEADING)):
        if text[k] in _STOPS or vocab.words.match(normalize(text[k:k + 40])):
            return k
    return end


def _pieces(text: str, start: int, end: int) -> list[list]:
    """Text and digit runs between start and end."""
    out, pos = [], start
    for m in _RUN.finditer(text, start, end):
        a, b = m.span()
        if b < end and _NUMBERING.match(text, b) and text[b - 1].isdigit():
            b -= 1  # the last digit numbers the following label
            while b > a and not text[b - 1].isdigit():
                b -= 1
        if b <= a:
            continue
        if a > pos:
            out.append([None, pos, a])
        out.append([RUN, a, b])
        pos = b
    if end > pos:
        out.append([None, pos, end])
    return out


def _classify(text: str, items: list[list], vocab: Vocabulary) -> None:
    """Left to right: a piece of text is a label or prose by its words; a run is a row's values
    after a label, prose after prose or when a unit follows it (`6件`, `2024年`)."""
    i = 0
    while i < len(items):
        it = items[i]
        before = items[i - 1][0] if i else LABEL
        if it[0] is None:
            unit = before == PROSE and vocab.unit.match(text, it[1])
            it[0] = PROSE if unit else vocab.kind(text[it[1]:it[2]])
            values_next = i + 1 < len(items) and items[i + 1][0] == RUN  # table words matter before values
            cut = vocab.table_tail(text, it[1], it[2]) if it[0] == PROSE and values_next else None
            if cut is not None:  # `…具体情况如下：（本列数据…）申请人情况…`: the sentence, then the table
                items.insert(i + 1, [LABEL, cut, it[2]])
                it[2] = cut
        elif it[0] == RUN:
            after = items[i + 1] if i + 1 < len(items) else None
            unit = after is not None and after[0] != HEADING and vocab.unit.match(text, after[1])
            if before == PROSE:
                it[0] = PROSE
            elif unit:
                run = text[it[1]:it[2]].rstrip()
                year = _YEAR_TAIL.search(run) if text[after[1]:after[1] + 1] == "年" else None
                cut = run.rfind(" ") + 1 if " " in run.strip() else 0
                if year and year.start() > 0:
                    cut = year.start()  # `02025年`: a table value, then the year of the next sentence
                if cut:
                    items.insert(i + 1, [PROSE, it[1] + cut, it[2]])
                    it[2] = it[1] + cut
                else:
                    it[0] = PROSE
                    if before == LABEL and i:  # `制发规范性文件6件`: the label was prose too
                        items[i - 1][0] = PROSE
        i += 1


def _merge(items: list[list]) -> list[list]:
    out: list[list] = []
    for it in items:
        if out and it[0] == PROSE and out[-1][0] == PROSE:
            out[-1][2] = it[2]
        else:
            out.append(list(it))
    return out


def pieces(run: str) -> list[str]:
    """The numbers of a run as written, split at spaces and signs (`0+11` -> 0, +11)."""
    return _PIECES.findall(run)


MAX_READINGS = 64  # listed per ambiguous run-together row


def describe(readings: list) -> str:
    """The readings of a run, named so that someone with the original can settle the row."""
    shown = "；".join("/".join(_plain(n) for n in r) for r in readings[:6])
    count = len(readings) if len(readings) <= MAX_READINGS else f"逾 {MAX_READINGS}"
    return f"（可读作 {shown}{' 等' if len(readings) > 6 else ''}，共 {count} 种）"


def _plain(n) -> str:
    """A reading's number as digits, as the report would write it (973601627.4, never 9.73602e+08)."""
    if isinstance(n, float) and not n.is_integer():
        return format(n, "f").rstrip("0")
    return str(int(n))


def split_run(pieces: list[str], count: int, constraints: list[list[int]] = (), limit: int = 2) -> list[list[float]]:
    """Every way (up to `limit`) of reading `pieces` (digit strings, maybe signed; a space
    between them is a cut already made) as `count` numbers without leading zeros that
    satisfies every constraint (coefficients per position; the weighted sum must be 0)."""
    found = _split(tuple(pieces), count, tuple(map(tuple, constraints)), limit)
    return [list(r) for r in found]


@lru_cache(maxsize=1 << 14)  # the same runs (0000000) recur in every report
def _split(pieces: tuple[str, ...], count: int, constraints: tuple, limit: int) -> tuple[tuple, ...]:
    signs, digits = [], []
    for p in pieces:
        signs.append(p[0] if p[0] in "+-" else "")
        digits.append(p.lstrip("+-"))
    grouped = ["," in d for d in digits]  # 1,023 is one number: no cut inside it
    digits = [d.replace(",", "") for d in digits]
    joined = "".join(digits)
    bounds, starts, fixed, offset = [], {}, [], 0
    for d, s, whole in zip(digits, signs, grouped):
        starts[offset] = s
        dot = d.find(".")  # a decimal is cut only in its integer part
        if not whole:
            bounds.extend(range(offset + 1, offset + (dot if dot >= 0 else len(d))))
        offset += len(d)
        fixed.append(offset)
    extra = count - len(pieces)
    if extra < 0 or extra > len(bounds) or comb(len(bounds), extra) > MAX_SPLITS:
        return ()
    cuttable, ends = set(bounds), sorted(fixed)
    solutions: list[tuple] = []
    numbers: list = []
    due: dict[int, list] = {}  # each constraint is checked as soon as its last cell is filled
    for coef in constraints:
        due.setdefault(max((k for k, c in enumerate(coef) if c), default=-1) + 1, []).append(coef)
    due.pop(0, None)  # a constraint without cells holds
    # Open constraints prune too: the cells still to fill are non-negative and have at most so
    # many digits, which bounds what they can add (no signs or decimals in the run).
    bounded = not any(signs) and "." not in joined
    rest = [[(sum(c for c in coef[k:] if c > 0), sum(c for c in coef[k:] if c < 0)) for k in range(count + 1)]
            for coef in constraints]

    def possible() -> bool:
        k, left = len(numbers), count - len(numbers)
        if not bounded or left == 0:
            return True
        biggest = 10 ** (len(joined) - sum(len(str(n)) for n in numbers) - (left - 1)) - 1
        for coef, r in zip(constraints, rest):
            pos_rest, neg_rest = r[k]
            if pos_rest or neg_rest:
                partial = sum(c * n for c, n in zip(coef, numbers))
                if partial + neg_rest * biggest > 0 or partial + pos_rest * biggest < 0:
                    return False
        return True

    def walk(pos: int, piece: int) -> None:
        """Numbers from `pos` on, shortest first (the order of the cut positions), never
        across a space and never with a leading zero: zeros prune most readings at once."""
        if len(solutions) >= limit:
            return
        if pos == len(joined):
            if len(numbers) == count:
                solutions.append(tuple(numbers))
            return
        left = count - len(numbers)  # cells still to fill: at least one per piece left, one digit each
        if left < len(ends) - piece or left > len(joined) - pos:
            return
        stop = ends[piece]
        for end in (range(pos + 1, stop + 1) if left > 1 else (stop,)):  # the last cell takes the rest
            if end != stop and end not in cuttable:
                continue
            part = joined[pos:end]
            if len(part) > 1 and part[0] == "0" and part[1] != ".":
                break
            sign = starts.get(pos, "")
            numbers.append(float(sign + part) if "." in part else int(sign + part))
            checks = due.get(len(numbers))
            if (not checks or all(sum(c * n for c, n in zip(coef, numbers)) == 0 for coef in checks)) \
                    and (not constraints or possible()):
                walk(end, piece + (end == stop))
            numbers.pop()

    walk(0, 0)
    return tuple(solutions)
