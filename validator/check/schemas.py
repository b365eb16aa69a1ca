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

from validator.findings import TABLE_NAMES, Finding, make
from validator.model import Table
from validator.rules import rulebook


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
            checks.append(pa.Check(lambda s: s >= 0, name="non_negative"))
        if domain in ("count", "signed"):
            checks.append(pa.Check(lambda s: s == np.floor(s), name="integer"))
        columns[c] = pa.Column(float, checks=checks, nullable=True)
    return pa.DataFrameSchema(columns, strict=True, name=f"{table}")


def validate(book: rulebook.Rulebook, fmt: str, tables: list[Table]) -> list[list[Finding]]:
    """Validate the same table of several reports (one format, one frame shape)."""
    first = tables[0].frame
    rows, cols = tuple(first.index), tuple(first.columns)
    exists = book.tables[tables[0].id].cells_in(fmt, rows, cols)
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
        scope = f"{spec.name}「{spec.row_label(row, fmt)}」行「{spec.column_label(column, fmt)}」列"
        cell = table.ref(row, column)
        out[i].append(make(book, code, table=table.id, row=row, column=column, scope=scope,
                           value=f"{value:g}", cells=(cell,), line=src.cell.line if src else None))
    per_file: dict[int, list[tuple[str, str]]] = {}
    for (i, row), columns in empty.items():
        per_file.setdefault(i, []).extend((row, c) for c in columns)
    for i, cells in per_file.items():
        cells.sort(key=lambda rc: (rows.index(rc[0]), cols.index(rc[1])))
        out[i].extend(_empty(book, fmt, tables[i], cells, exists))
    return out


def _empty(book, fmt: str, table: Table, cells: list[tuple[str, str]], exists) -> list[Finding]:
    """ROW-MISSING for rows never found; blank cells grouped by row or by column, whichever
    gives fewer findings (a whole blank 总计 column is one finding, not nineteen)."""
    spec = book.tables[table.id]
    out: list[Finding] = []
    missing_rows = {r for r, _ in cells if not any((r, c) in table.sources for c in table.frame.columns)}
    optional = {r for s in spec.rows if s.optional for r in s.rows}
    for row in dict.fromkeys(r for r, _ in cells if r in missing_rows):
        code = "ROW-OMITTED" if row in optional else "ROW-DETACHED" if table.detached else "ROW-MISSING"
        out.append(make(book, code, table=table.id, row=row, label=spec.row_label(row, fmt),
                        line=table.start.line if table.start else None))
    blank = [(r, c) for r, c in cells if (s := table.sources.get((r, c))) is not None
             and s.value is not None and s.value.kind == "blank"]
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
