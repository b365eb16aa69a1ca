"""Shape and domain of each table, as pandera schemas built from rules/layout.yaml.

Schemas run on many reports at once: the frames of one table and format are stacked,
validated lazily once, and each failure case is mapped back to its
file and cell. Nulls are not skipped silently: a `present` check with ignore_na=False flags
every empty cell that the format has; the cell map then tells blank, "nothing", unreadable
(already reported) and missing rows apart."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from validator import rulebook
from validator.extract import Table
from validator.findings import TABLE_NAMES, CellRef, Finding, make


@lru_cache(maxsize=64)
def schema(book: rulebook.Rulebook, table: str, rows: tuple[str, ...], cols: tuple[str, ...],
           exists: frozenset[tuple[str, str]]) -> pa.DataFrameSchema:
    spec = book.tables[table]
    columns = {}
    for c in cols:
        domain = spec.columns[c].domain
        has = np.array([(r, c) in exists for r in rows])
        # The frame's index is file * len(rows) + row position (see validate()).
        checks = [pa.Check(lambda s, has=has: s.notna() | ~has[s.index.to_numpy() % len(has)],
                           ignore_na=False, name="present")]
        if domain in ("count", "amount"):
            checks.append(pa.Check.ge(0, name="non_negative"))
        if domain in ("count", "signed"):
            checks.append(pa.Check(lambda s: s == np.floor(s), name="integer"))
        columns[c] = pa.Column(float, checks=checks, nullable=True)
    return pa.DataFrameSchema(columns, strict=True, name=f"{table}")


def exists_cells(book: rulebook.Rulebook, table: str, fmt: str, frame: pd.DataFrame) -> frozenset:
    """The cells the format has in this frame (表二 blocks leave the rest absent)."""
    spec = book.tables[table]
    cols = tuple(frame.columns)
    layout = tuple(c for c in cols)
    rows = set(frame.index)
    out = set()
    for s in spec.rows:
        for r, c in s.targets(fmt, layout) or ():
            if r in rows and c in cols:
                out.add((r, c))
    return frozenset(out)


def validate(book: rulebook.Rulebook, fmt: str, tables: list[Table]) -> list[list[Finding]]:
    """Validate the same table of several reports (one format, one frame shape)."""
    first = tables[0].frame
    rows, cols = tuple(first.index), tuple(first.columns)
    exists = exists_cells(book, tables[0].id, fmt, first)
    data = np.concatenate([t.frame.to_numpy() for t in tables]) if len(tables) > 1 else first.to_numpy()
    # A flat integer index (pandera reports MultiIndex labels as strings): file * R + row.
    stacked = pd.DataFrame(data, columns=pd.Index(cols))
    out: list[list[Finding]] = [[] for _ in tables]
    try:
        schema(book, tables[0].id, rows, cols, exists).validate(stacked, lazy=True)
        return out
    except SchemaErrors as e:
        cases = e.failure_cases
    spec = book.tables[tables[0].id]
    empty: dict[tuple[int, str], list[str]] = {}
    for check, column, idx, value in zip(cases["check"], cases["column"], cases["index"], cases["failure_case"]):
        if idx is None or idx != idx:
            raise RuntimeError(f"pandera failure without a cell: {check} {column}")
        i, r = divmod(int(idx), len(rows))
        row = rows[r]
        table = tables[i]
        if check == "present":
            empty.setdefault((i, row), []).append(column)
            continue
        src = table.sources.get((row, column))
        code = "CELL-NEGATIVE" if check.startswith("non_negative") else "CELL-NOT-INTEGER"
        scope = f"{spec.name}「{spec.row_labels.get(row, row)}」行「{spec.columns[column].label}」列"
        cell = _ref(table, row, column, value)
        out[i].append(make(book, code, table=table.id, row=row, column=column, scope=scope,
                           value=f"{value:g}", cells=(cell,), line=src.cell.line if src else None))
    for (i, row), columns in sorted(empty.items(), key=lambda kv: (kv[0][0], rows.index(kv[0][1]))):
        columns.sort(key=cols.index)
        out[i].extend(_empty(book, tables[i], row, columns, exists))
    return out


def _ref(table: Table, row: str, column: str, value=None) -> CellRef:
    src = table.sources.get((row, column))
    if value is None and src and src.value is not None:
        value = src.value.number
    return CellRef(table.id, row, column, None if value is None or pd.isna(value) else float(value),
                   src.cell.text if src else "", src.cell.line if src else None, src.cell.page if src else None)


def _empty(book, table: Table, row: str, columns: list[str], exists) -> list[Finding]:
    spec = book.tables[table.id]
    label = spec.row_labels.get(row, row)
    srcs = {c: table.sources.get((row, c)) for c in columns}
    if all(s is None for s in srcs.values()) and not any(
            (row, c) in table.sources for c in table.frame.columns if (row, c) in exists):
        line = table.start.line if table.start else None
        return [make(book, "ROW-MISSING", table=table.id, row=row, label=label, line=line)]
    blank = [c for c, s in srcs.items() if s is not None and s.value is not None and s.value.kind == "blank"]
    if not blank:
        return []  # "nothing" markers (/, —, 无) are a way to write 0; unreadable cells are reported already
    cells = tuple(_ref(table, row, c) for c in blank)
    names = "、".join(spec.columns[c].label for c in blank)
    return [make(book, "CELL-BLANK", table=table.id, row=row, column=blank[0] if len(blank) == 1 else None,
                 scope=f"{TABLE_NAMES[table.id]}「{label}」行", count=len(blank), columns=names,
                 cells=cells, line=cells[0].line)]
