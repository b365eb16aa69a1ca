"""Text whose table cells a scraper ran together, e.g. `一、本年新收政府信息公开申请数量640020470`
(= 64, 0, 0, 2, 0, 4, 70).

`segment()` cuts such text back into label cells and runs of digits; `split_run()` recovers a
row's values from its runs only when exactly one split is consistent with what the table
guarantees (non-negative integers without leading zeros that satisfy the row's identities).
Anything else stays "cannot be read with certainty"."""

from __future__ import annotations

import re
from itertools import combinations
from math import comb

from validator.document import Cell, Document

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NUMBERING = re.compile(r"[.、．][\u4e00-\u9fff（(]")
_GAP = re.compile(r"[ \u3000]*")
_NUMBERED_HEADING = "[一二三四五六七八九十]、"
MAX_SPLITS = 200_000  # beyond this many candidate splits a row is not read


def segment(doc: Document, headings: list[str]) -> Document:
    """A copy of the document with glued cells cut at numbered section headings (`headings`:
    patterns of their text) and between text and digit runs; runs are marked `glued`."""
    out = Document(path=doc.path, kind=doc.kind)
    heading_at = re.compile(f"{_NUMBERED_HEADING}.{{0,16}}?(?:{'|'.join(headings)})")
    for row in doc.rows:
        for cell in row:
            marks = {0, len(cell.text)}
            for m in heading_at.finditer(cell.text):  # the heading becomes a cell of its own
                marks.update(m.span())
            cuts = sorted(marks)
            for part in (cell.text[a:b] for a, b in zip(cuts, cuts[1:])):
                cells = _cut(part, cell)
                if cells:
                    out.rows.append(cells)
    return out


def _cut(text: str, cell: Cell) -> list[Cell]:
    """Label text and digit runs of one cell. A digit right before "." or "、" and a Chinese
    character numbers the next label ("00000007.属于行政执法案卷" = run 0000000, label 7.属于…).
    Runs separated only by spaces stay one glued cell: the spaces are cuts already made."""
    cells: list[Cell] = []
    label_start, run_start, run_end = 0, None, None
    for m in _DIGITS.finditer(text):
        start, end = m.span()
        if _NUMBERING.match(text, end) and "." not in m.group():
            end -= 1  # the last digit numbers the following label
        if end <= start:
            continue
        if run_start is not None and _GAP.fullmatch(text, run_end, start):
            run_end = end  # "500000 5": one run with a cut in it
            continue
        if run_start is not None:
            cells.append(cell._replace(text=text[run_start:run_end], glued=True))
            label_start = run_end
        label = text[label_start:start].strip()
        if label:
            cells.append(cell._replace(text=label))
        run_start, run_end = start, end
    if run_start is not None:
        cells.append(cell._replace(text=text[run_start:run_end], glued=True))
        label_start = run_end
    rest = text[label_start:].strip()
    if rest:
        cells.append(cell._replace(text=rest))
    return cells


def looks_run_together(doc: Document) -> bool:
    """Long cells with digits glued to Chinese labels: worth a second reading."""
    return any(len(c.text) > 200 and re.search(r"[\u4e00-\u9fff]\d{5,}", c.text) for c in doc.cells())


def split_run(pieces: list[str], count: int, constraints: list[list[int]], limit: int = 2) -> list[list[int]]:
    """Every way (up to `limit`) of reading `pieces` (digit strings; spaces were hard boundaries) as
    `count` integers without leading zeros that satisfies every constraint (coefficients per
    position; the weighted sum must be 0)."""
    if any("." in p for p in pieces):
        return [[float(p) for p in pieces]] if len(pieces) == count else []
    total_cuts = sum(len(p) - 1 for p in pieces)
    extra = count - len(pieces)
    if extra < 0 or extra > total_cuts or comb(total_cuts, extra) > MAX_SPLITS:
        return []
    joined = "".join(pieces)
    # positions between digits where a cut may go (not across a space: that is already a cut)
    bounds, fixed, offset = [], [], 0
    for p in pieces:
        bounds.extend(range(offset + 1, offset + len(p)))
        offset += len(p)
        fixed.append(offset)
    solutions = []
    for cuts in combinations(bounds, extra):
        edges = sorted({0, *cuts, *fixed})
        parts = [joined[a:b] for a, b in zip(edges, edges[1:])]
        if any(len(x) > 1 and x[0] == "0" for x in parts):
            continue
        numbers = [int(x) for x in parts]
        if all(sum(c * n for c, n in zip(coef, numbers)) == 0 for coef in constraints):
            solutions.append(numbers)
            if len(solutions) >= limit:
                break
    return solutions
