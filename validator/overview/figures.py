"""The small figures record of one checked report: its key figures (rules/indicators.yaml) and
the values of its 表三/表四 cells, taken as the file is checked so that a summary of thousands
of reports holds these records, never the reports (a few kB each instead of the tables).

A record is a plain dict (it crosses process boundaries with its FileResult):
  {"figures": {code: float | None},
   "cells": {table: (row ids, column ids, array of values row by row)}}
In the cells, blank and “nothing” (/ — 无) are 0, except a blank cell that an error finding names
(a failed identity shows that blank is not 0: 上海 2019 left its 总计 column blank beside 805
applications); unreadable, missing and absent cells are NaN."""

from __future__ import annotations

import math
from array import array

from validator.model import ABSENT, BLANK, NOTHING, NUMBER
from validator.overview import spec as specs

CELL_TABLES = ("t3", "t4")  # the tables compared cell by cell across years


def figures(book, report, findings=()) -> dict:
    """The figures record of an extracted (and settled) report, given the file's own findings."""
    spec = specs.load(book)
    suspect = {(c.table, c.row, c.column) for f in findings if f.severity == "error" for c in f.cells}
    prepared = {tid: _prepare(table, suspect) for tid, table in report.tables.items()}
    values = {f.code: _value(f, report.format, prepared.get(f.table)) for f in spec.figures}
    cells = {}
    for tid in CELL_TABLES:
        if tid in prepared:
            vals, _, rows, cols = prepared[tid]
            cells[tid] = (tuple(rows), tuple(cols), array("d", vals.ravel().tolist()))
    return {"figures": values, "cells": cells}


def _prepare(table, suspect: set):
    """Values with blank and “nothing” as 0 (a suspect blank excepted), every cell not read with
    certainty NaN; the absent mask."""
    import numpy as np

    arr, rows, cols = table.arrays
    state = table.state.to_numpy()
    vals = np.where(state == NUMBER, arr, np.nan)
    vals[(state == BLANK) | (state == NOTHING)] = 0.0
    for t, r, c in suspect:
        if t == table.id and r in rows and c in cols and state[rows[r], cols[c]] == BLANK:
            vals[rows[r], cols[c]] = np.nan
    return vals, state == ABSENT, rows, cols


def _value(fig: specs.Figure, fmt: str | None, prepared) -> float | None:
    """The figure's sum, or None: no such table or format, a cell it sums not read with
    certainty, or none of its cells in the report's format."""
    lin = fig.sums.get(fmt or "")
    if lin is None or prepared is None:
        return None
    vals, absent, rows, cols = prepared
    fixed = fig.column if fig.column is not None else fig.row
    if fixed not in (cols if fig.column is not None else rows):
        return None
    names = rows if fig.column is not None else cols
    total, used = lin.const, 0
    for name, k in lin.expand(list(names)).coeffs.items():
        i, j = (rows[name], cols[fixed]) if fig.column is not None else (rows[fixed], cols[name])
        if absent[i, j]:
            continue
        v = float(vals[i, j])
        if math.isnan(v):
            return None
        total += k * v
        used += 1
    return total if used else None


def cell(record: dict | None, table: str, row: str, column: str) -> float | None:
    """One cell's value from a record (None: not in the report, or not read with certainty)."""
    if not record or table not in record["cells"]:
        return None
    rows, cols, values = record["cells"][table]
    try:
        v = values[rows.index(row) * len(cols) + cols.index(column)]
    except ValueError:
        return None
    return None if math.isnan(v) else v
