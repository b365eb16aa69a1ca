"""How extraction places a run of label cells and its values: which row spec the labels name,
which empty grid cells are layout rather than values, and the row identities a run-together
row must satisfy. Pure functions over rules/layout.yaml data; cached, since the same labels
recur in every report of a batch."""

from __future__ import annotations

from functools import lru_cache

from validator.extract.values import Value
from validator.model import Cell
from validator.rules import rulebook


def search(patterns, text: str) -> tuple[int, int]:
    """(end of the latest match, index of the pattern) or (-1, -1)."""
    best = (-1, -1)
    for i, p in enumerate(patterns):
        m = p.search(text)
        if m and m.end() > best[0]:
            best = (m.end(), i)
    return best


@lru_cache(maxsize=1 << 14)
def ends_at(patterns, text: str) -> bool:
    """Whether a row's label ends the text (within a closing bracket or mark): the label that
    stands right before a run of digits."""
    return search(patterns, text)[0] >= len(text) - 2


@lru_cache(maxsize=1 << 14)  # the same labels recur in every report of a batch
def rank_rows(specs, fmt, layout, context, last, joined, count: tuple[int, int]) -> tuple[tuple[rulebook.RowSpec, bool], ...]:
    """The row specs a run of label cells may be, best first, each with whether it matched
    only loosely: one whose value count fits first (all the cells, else without trailing
    blanks), then a match in the last label cell, then the match that ends latest (the row
    label follows any headers before it)."""
    ranked = []
    for order, s in enumerate(specs):
        if s.group is not None and s.group != context:
            continue
        end_last, _ = search(s.patterns, last)
        if end_last >= 0:
            in_last, end = True, end_last
        elif joined == last:
            continue
        else:
            end, _ = search(s.patterns, joined)
            if end < 0:
                continue
            in_last = False
        n = len(s.targets(fmt, layout))  # count: (values without trailing blanks, all)
        # every cell, blanks included, first (表四's 15 cells with the 诉讼 groups left blank are
        # the whole table, not 行政复议's 5); then a count that trailing layout blanks explain
        fit = 2 if n == count[1] else 1 if count[0] <= n <= count[1] else 0
        # no count fits (a copy lost the blank cells): the row that spans the table, whose cells
        # are then unread, before one of its parts, whose siblings would be called missing
        spans = fit == 0 and len(s.rows) > 1
        ranked.append(((fit, spans, in_last, end, -order), s))
    ranked.sort(key=lambda x: x[0], reverse=True)
    return tuple((s, s.patterns[0].search(joined) is None) for _, s in ranked)


@lru_cache(maxsize=1024)  # a handful of row shapes per rulebook
def row_constraints(book, spec, fmt: str, targets: tuple[tuple[str, str], ...]) -> tuple[list[str], list[list[int]]]:
    """The row identities (for_each: row, ==) over a source row's value positions, as integer
    coefficient vectors; and their codes. Shared: callers must not change them."""
    codes, out = [], []
    for rule in book.rules:
        if rule.table != spec.id or rule.for_each != "row" or rule.comparison.op != "==" or fmt not in rule.formats:
            continue
        for r in dict.fromkeys(t[0] for t in targets):
            if rule.only and r not in rule.only:
                continue
            names = [c for rr, c in targets if rr == r]
            cmp_ = rule.comparison
            if any(not n.endswith(".*") and n not in names for n in cmp_.names()) or cmp_.lhs.const != cmp_.rhs.const:
                continue
            lhs, rhs = cmp_.lhs.expand(names), cmp_.rhs.expand(names)
            out.append([int(lhs.coeffs.get(c, 0) - rhs.coeffs.get(c, 0)) if rr == r else 0 for rr, c in targets])
            if rule.code not in codes:
                codes.append(rule.code)
    return codes, out


def layout_blanks(rows: list[list[Cell]], values: list[Value | None]) -> set[int]:
    """Flat indexes of empty cells that are layout, not values: an empty cell before a label in
    its row (a merged label's remainder after a page break; in a text line too), and in a grid
    one in a column that holds labels in the table's data rows (the empty sub-label of （六）),
    or in a row without numbers either anywhere (a header: labels over the value columns) or
    right of every value column (Word's HTML ends each row with an empty spacer cell)."""
    label_cols: set[tuple[int, int]] = set()
    value_cols: set[tuple[int, int]] = set()
    flat = 0
    spans = []
    for row in rows:
        kinds = values[flat:flat + len(row)]
        spans.append((flat, row, kinds))
        flat += len(row)
        if row and row[0].table is not None:
            numbers = [k for k, v in enumerate(kinds) if v is not None and v.kind in ("number", "glued")]
            if numbers:  # a data row: the label cells before its values mark label columns
                label_cols.update((c.table, c.col) for c, v in zip(row[:numbers[-1]], kinds) if v is None)
                value_cols.update((row[k].table, row[k].col) for k in numbers)
    right: dict[int, int] = {}  # per table, its last value column
    for t, col in value_cols:
        right[t] = max(right.get(t, col), col)
    out = set()
    for start, row, kinds in spans:
        if not row:
            continue
        if row[0].table is None:  # a text line: its empty cells before a label (a converter's merged header)
            out.update(start + k for k, v in enumerate(kinds)
                       if v is not None and v.kind == "blank" and any(w is None for w in kinds[k + 1:]))
            continue
        numberless = all(v is None or v.kind == "blank" for v in kinds)
        header = numberless and any(v is None and (c.table, c.col) in value_cols for c, v in zip(row, kinds))
        for k, (c, v) in enumerate(zip(row, kinds)):
            if v is not None and v.kind == "blank" and (
                    header or (c.table, c.col) in label_cols or any(w is None for w in kinds[k + 1:])
                    or (numberless and c.col > right.get(c.table, c.col))):
                out.add(start + k)
    return out
