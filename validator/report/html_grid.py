"""The grids of the HTML report: each table as rows of label cells (_Head) and value cells (_Val),
laid out like the official form but with one column of row labels (a group such as （三）不予公开
is a heading row above its items), so that the labels can stay in view on a phone and a long
table can break between any two rows on paper. No HTML here: html.py draws the cells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _Head:
    """A label cell of a grid (header, row label, or a heading row spanning the table)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    cls: str = ""
    scope: str = ""
    row: str | None = None  # a row label: findings about the whole row link here


@dataclass
class _Val:
    """A value cell of a grid: the frame cell (row, column)."""

    row: str
    column: str
    colspan: int = 1


@dataclass
class _Absent:
    """A position the format does not have (only in grids without a known layout)."""


def _column_heads(paths: list[list[str]], depth: int) -> list[list[_Head]]:
    """Header rows for columns labelled by paths (outermost first): a group spans its adjacent
    columns, a leaf reaches down to the last header row."""
    rows: list[list[_Head]] = [[] for _ in range(depth)]
    for level in range(depth):
        j = 0
        while j < len(paths):
            p = paths[j]
            if len(p) - 1 < level:
                j += 1
                continue
            if len(p) - 1 == level:
                rows[level].append(_Head(p[level], rowspan=depth - level, scope="col"))
                j += 1
                continue
            k = j + 1
            while k < len(paths) and len(paths[k]) - 1 > level and paths[k][:level + 1] == p[:level + 1]:
                k += 1
            rows[level].append(_Head(p[level], colspan=k - j, scope="colgroup", cls="group"))
            j = k
    return rows


def _body(labels: list[tuple[list[str], str | None]], cells: list[list], width: int) -> list[list]:
    """Body rows under one label column: `labels[i]` is (groups, row id) of body row i, its
    groups outermost first; a group's heading row stands above its first row, and each row's
    label is indented by its depth."""
    body: list[list] = []
    open_groups: list[str] = []
    for (groups, row), vals in zip(labels, cells):
        *parents, leaf = groups
        common = 0
        while common < min(len(open_groups), len(parents)) and open_groups[common] == parents[common]:
            common += 1
        for depth in range(common, len(parents)):
            body.append([_Head(parents[depth], colspan=width + 1, cls=f"rl grouprow lv{depth}", scope="rowgroup")])
        open_groups = parents
        body.append([_Head(leaf, scope="row", cls=f"rl lv{len(parents)}", row=row)] + list(vals))
    return body


def grid(book, tid: str, table, fmt: str | None) -> tuple[list[list], list[list]]:
    """(header rows, body rows) of one table as the report's format draws it."""
    spec = book.tables[tid]
    frame = table.frame
    rows, cols = list(frame.index), list(frame.columns)
    exists = _exists(book, tid, fmt, table)

    def rlabel(r):
        return spec.row_label(r, fmt)

    def clabel(c):
        return spec.column_label(c, fmt)

    if tid == "t2":
        return _blocks(spec.drawing, rows, cols, exists, rlabel, clabel)
    if tid == "t3":
        d = spec.drawing  # rules/layout.yaml: the grid's own headings
        col_paths = [[d["applicants"], clabel(c)] if c in d["own_columns"] else [d["applicants"], d["organisations"], clabel(c)]
                     for c in cols]
        head = _column_heads(col_paths, 3)
        head[0].insert(0, _Head(d["note"], rowspan=3, cls="corner rl"))
        labels = []
        for r in rows:
            if r in d["outside_outcome"]:
                labels.append(([rlabel(r)], r))
                continue
            group = r.split(".", 1)[0] if "." in r else None
            labels.append(([d["outcome"], *([d["groups"][group]] if group in d["groups"] else []), rlabel(r)], r))
        cells = [[_Val(r, c) if (r, c) in exists else _Absent() for c in cols] for r in rows]
        return head, _body(labels, cells, len(cols))
    if tid == "t4":
        # The official form: one row of values under 行政复议 | 行政诉讼（未经复议直接起诉 | 复议后起诉）.
        keys = [(r, c) for r in rows for c in cols if (r, c) in exists]
        col_paths = [[*rlabel(r).split("·"), clabel(c)] for r, c in keys]
        depth = max((len(p) for p in col_paths), default=0)
        return _column_heads(col_paths, depth), [[_Val(r, c) for r, c in keys]]
    head = [[_Head("", cls="corner rl")] + [_Head(clabel(c), scope="col") for c in cols]]
    cells = [[_Val(r, c) if (r, c) in exists else _Absent() for c in cols] for r in rows]
    return head, _body([([rlabel(r)], r) for r in rows], cells, len(cols))


def _blocks(drawing, rows, cols, exists, rlabel, clabel) -> tuple[list[list], list[list]]:
    """表二 as its blocks: a heading row (第二十条第（X）项), the block's own header row, its rows;
    only the cells the format has."""
    have = {r: [c for c in cols if (r, c) in exists] for r in rows}
    width = max((len(v) for v in have.values()), default=1) or 1
    blocks: list[list[str]] = []
    for r in rows:
        if not have[r]:
            continue
        if not blocks or r in drawing["blocks"] or have[r] != have[blocks[-1][0]]:
            blocks.append([r])
        else:
            blocks[-1].append(r)
    body: list[list] = []
    for block in blocks:
        title = drawing["blocks"].get(block[0])
        if title:
            body.append([_Head(title, colspan=width + 1, cls="rl grouprow block", scope="colgroup")])
        bcols = have[block[0]]
        spans = [1] * (len(bcols) - 1) + [width - len(bcols) + 1]
        body.append([_Head(drawing["content"], scope="col", cls="rl colhead")]
                    + [_Head(clabel(c), colspan=s, scope="col", cls="colhead") for c, s in zip(bcols, spans)])
        for r in block:
            body.append([_Head(rlabel(r), scope="row", cls="rl", row=r)]
                        + [_Val(r, c, colspan=s) for c, s in zip(bcols, spans)])
    return [], body


def _exists(book, tid: str, fmt: str | None, table) -> frozenset:
    if fmt is not None:
        cells = book.tables[tid].cells_in(fmt, table.frame.index, table.frame.columns)
        if cells:
            return cells
    return frozenset((r, c) for r in table.frame.index for c in table.frame.columns)
