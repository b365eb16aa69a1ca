"""The contract of each table, as pandera schemas built from rules/layout.yaml: the domain of
each column's values (counts are whole and not negative; amounts not negative) and the
presence of every cell the format has (a cell's state is never blank or missing).

Schemas run on many reports at once: the frames of one table and format are stacked,
validated lazily once, and each failure case is mapped back to its file and cell."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from validator.findings import TABLE_NAMES, Finding, make, shown
from validator.model import BLANK, MISSING, Table
from validator.rules import rulebook

NOT_PRESENT = (BLANK, MISSING)


@lru_cache(maxsize=64)
def schemas(book: rulebook.Rulebook, table: str, cols: tuple[str, ...]) -> tuple[pa.DataFrameSchema, pa.DataFrameSchema]:
    """(values, states): the values' domains, and the cells' presence."""
    spec = book.tables[table]
    values, states = {}, {}
    for c in cols:
        domain = spec.columns[c].domain
        checks = []
        if domain in ("count", "amount"):
            checks.append(pa.Check(lambda s: s >= 0, name="non_negative"))
        if domain in ("count", "signed"):
            checks.append(pa.Check(lambda s: s == np.floor(s), name="integer"))
        values[c] = pa.Column(checks=checks, nullable=True)  # NaN: a cell without a number (see states)
        states[c] = pa.Column(checks=pa.Check(lambda s: ~s.isin(NOT_PRESENT), name="present"))
    return (pa.DataFrameSchema(values, strict=True, name=f"{table} values"),
            pa.DataFrameSchema(states, strict=True, name=f"{table} cells"))


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame):
    try:
        schema.validate(frame, lazy=True)
        return []
    except SchemaErrors as e:
        cases = e.failure_cases
    return list(zip(cases["check"], cases["column"], cases["index"], cases["failure_case"]))


def validate(book: rulebook.Rulebook, fmt: str, tables: list[Table]) -> list[list[Finding]]:
    """Validate the same table of several reports (one format, one frame shape)."""
    first = tables[0].frame
    rows, cols = tuple(first.index), tuple(first.columns)
    # A flat integer index (pandera reports MultiIndex labels as strings): file * R + row.
    values = pd.DataFrame(np.concatenate([t.frame.to_numpy() for t in tables]), columns=pd.Index(cols))
    states = pd.DataFrame(np.concatenate([t.state.to_numpy() for t in tables]), columns=pd.Index(cols))
    value_schema, state_schema = schemas(book, tables[0].id, cols)
    out: list[list[Finding]] = [[] for _ in tables]
    spec = book.tables[tables[0].id]
    empty: dict[int, list[tuple[str, str]]] = {}
    for check, column, idx, value in _failures(value_schema, values) + _failures(state_schema, states):
        if idx is None or idx != idx:
            raise RuntimeError(f"pandera failure without a cell: {check} {column}")
        i, r = divmod(int(idx), len(rows))
        row = rows[r]
        table = tables[i]
        if check == "present":
            empty.setdefault(i, []).append((row, column))
            continue
        code = "CELL-NEGATIVE" if check.startswith("non_negative") else "CELL-NOT-INTEGER"
        scope = f"{spec.name}「{spec.row_label(row, fmt)}」行「{spec.column_label(column, fmt)}」列"
        cell = table.ref(row, column)
        out[i].append(make(book, code, table=table.id, row=row, column=column, scope=scope,
                           value=shown(value), cells=(cell,), line=cell.line))
    for i, cells in empty.items():
        cells.sort(key=lambda rc: (rows.index(rc[0]), cols.index(rc[1])))
        out[i].extend(_empty(book, fmt, tables[i], cells))
    return out


def _empty(book, fmt: str, table: Table, cells: list[tuple[str, str]]) -> list[Finding]:
    """ROW-MISSING for rows never found; blank cells grouped by row or by column, whichever
    gives fewer findings (a whole blank 总计 column is one finding, not nineteen)."""
    spec = book.tables[table.id]
    out: list[Finding] = []
    state = table.state
    missing_rows = {r for r, c in cells if state.at[r, c] == MISSING}
    optional = {r for s in spec.rows if s.optional for r in s.rows}
    for row in dict.fromkeys(r for r, _ in cells if r in missing_rows):
        code = "ROW-OMITTED" if row in optional else "ROW-DETACHED" if table.detached else "ROW-MISSING"
        out.append(make(book, code, table=table.id, row=row, label=spec.row_label(row, fmt),
                        line=table.start.line if table.start else None))
    blank = [(r, c) for r, c in cells if state.at[r, c] == BLANK]
    by_row: dict[str, list] = {}
    by_col: dict[str, list] = {}
    for r, c in blank:
        by_row.setdefault(r, []).append((r, c))
        by_col.setdefault(c, []).append((r, c))
    use_rows = len(by_row) <= len(by_col)
    order = list(table.frame.index if use_rows else table.frame.columns)
    for key, group in sorted((by_row if use_rows else by_col).items(), key=lambda kv: order.index(kv[0])):
        refs = tuple(table.ref(r, c) for r, c in group)
        if use_rows:
            scope = f"{TABLE_NAMES[table.id]}「{spec.row_label(key, fmt)}」行"
            names = [spec.column_label(c, fmt) for _, c in group]
        else:
            scope = f"{TABLE_NAMES[table.id]}「{spec.column_label(key, fmt)}」列"
            names = [spec.row_label(r, fmt) for r, _ in group]
        shown = "、".join(names[:5]) + (f" 等 {len(names)} 处" if len(names) > 5 else "")
        one = len(group) == 1
        out.append(make(book, "CELL-BLANK", table=table.id, row=key if use_rows else (group[0][0] if one else None),
                        column=None if use_rows and not one else (group[0][1] if use_rows else key),
                        scope=scope, count=len(group), cells=refs, shown=shown, line=refs[0].line))
    return out
