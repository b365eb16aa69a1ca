"""Run-together rows that read several ways, each fitting the row (extraction's Pending):
表三's column identities, evaluated by the engine over every combination of the rows'
readings, may leave exactly one. Then the row's cells get those values (ROW-RECOVERED);
otherwise they stay unread (ROW-GLUED, a reading limit)."""

from __future__ import annotations

import math

import numpy as np

from validator.check import engine
from validator.extract.runtogether import MAX_READINGS, describe
from validator.findings import Finding, make
from validator.model import BLANK, NOTHING, NUMBER, Report, Source, Table, number
from validator.rules import rulebook

MAX_COMBINATIONS = 20_000


def settle(book: rulebook.Rulebook, report: Report) -> list[Finding]:
    out: list[Finding] = []
    for table in report.tables.values():
        if table.pending:
            out += _table(book, report.format, table)
            table.pending = []
    return out


def _table(book, fmt: str, table: Table) -> list[Finding]:
    pending = table.pending
    rules = [r for r in book.rules if r.table == table.id and r.for_each == "column"
             and r.comparison.op == "==" and fmt in r.formats]
    rows, cols = list(table.frame.index), list(table.frame.columns)
    state = table.state.to_numpy()
    values = table.frame.to_numpy()
    known = {(r, c): (0.0 if state[i, j] != NUMBER else float(values[i, j]))
             for i, r in enumerate(rows) for j, c in enumerate(cols) if state[i, j] in (NUMBER, BLANK, NOTHING)}
    open_rows = {t[0] for p in pending for t in p.targets}
    forms = []
    for r in rules:
        lhs, rhs = r.comparison.lhs.expand(rows), r.comparison.rhs.expand(rows)
        if open_rows & (set(lhs.coeffs) | set(rhs.coeffs)):
            forms.append((r.code, lhs, rhs))
    options = [p.readings for p in pending]
    found, used = [], set()
    if forms and math.prod(len(o) for o in options) <= MAX_COMBINATIONS and all(len(o) < MAX_READINGS for o in options):
        found, used = _combinations_that_hold(forms, cols, known, pending, options)
    out = []
    if len(found) == 1:
        for p, numbers in zip(pending, found[0]):
            last = len(numbers) - 1
            for k, (key, n) in enumerate(zip(p.targets, numbers)):
                table.settle(key, Source(p.cell, number(n, p.unit if k == last else None)))
            out.append(make(book, "ROW-RECOVERED", label=p.label, raw=p.raw, values="、".join(str(n) for n in numbers),
                            rules="、".join(p.rules + sorted(used)), note="这些核对对该行不再独立进行",
                            table=table.id, row=p.row, line=p.first.line, page=p.first.page))
        return out
    for p in pending:
        out.append(make(book, "ROW-GLUED", label=p.label, raw=p.raw, reason="有多种拆分都说得通" + describe(p.readings),
                        table=table.id, row=p.row, line=p.first.line, page=p.first.page))
    return out


def _combinations_that_hold(forms, cols, known, pending, options) -> tuple[list, set[str]]:
    """The combinations of the pending rows' readings (up to 2) under which every column
    identity holds on each column whose cells are all known or pending, and the codes of the
    identities so checked. All combinations at once: one residual array per identity and
    column, one axis per pending row."""
    keys = {t for p in pending for t in p.targets}
    checks = []  # (code, {row: coefficient}, constant, column)
    for code, lhs, rhs in forms:
        diff = {n: lhs.coeffs.get(n, 0.0) - rhs.coeffs.get(n, 0.0) for n in {*lhs.coeffs, *rhs.coeffs}}
        for c in cols:
            if all((n, c) in known or (n, c) in keys for n in diff):
                checks.append((code, diff, lhs.const - rhs.const, c))
    if not checks:
        return [], set()
    residual = np.array([const + sum(k * known.get((n, c), 0.0) for n, k in diff.items())
                         for _, diff, const, c in checks]).reshape(-1, *([1] * len(pending)))
    for i, (p, readings) in enumerate(zip(pending, options)):
        weights = np.zeros((len(checks), len(p.targets)))
        for j, (r, c) in enumerate(p.targets):
            for q, (_, diff, _, col) in enumerate(checks):
                if col == c and r in diff:
                    weights[q, j] += diff[r]
        shape = [len(checks)] + [1] * len(pending)
        shape[i + 1] = len(readings)
        residual = residual + (weights @ np.array(readings, dtype=float).T).reshape(shape)
    holds = engine.verdicts("==", residual, 0.0) == engine.PASS
    hits = np.argwhere(np.all(holds, axis=0))[:2]
    return [tuple(options[i][j] for i, j in enumerate(hit)) for hit in hits], {check[0] for check in checks}
