"""The identities of rules/identities.yaml, evaluated over the stacked tables of many reports.

Each rule is linear, so per item (a column or a row of the table) both sides are coefficient
vectors applied to the table's values. Blank and "nothing" cells count as 0; an item touching
an unreadable or missing cell is undecided, never a pass or a failure (the extraction finding
already fails the file)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from validator.check import engine
from validator.findings import Finding, Suggestion, number, shown
from validator.model import Table
from validator.rules import rulebook


@dataclass
class Item:
    """One failing or passing equality item of one file, for localisation."""

    rule: rulebook.Rule
    coeffs: dict[tuple[str, str], float]
    residual: float
    passed: bool
    finding: int | None  # index into the file's findings


def sides(rule: rulebook.Rule, names: list[str]):
    """Both sides of the rule's comparison with `a.*` expanded over the names (rows or columns of
    an item); None when a side names one the table lacks (e.g. org_subtotal)."""
    cmp_ = rule.comparison
    for side in (cmp_.lhs, cmp_.rhs):
        if any(not n.endswith(".*") and n not in names for n in side.coeffs):
            return None
    return cmp_.lhs.expand(names), cmp_.rhs.expand(names)


def _vectors(rule: rulebook.Rule, names: list[str]) -> tuple[np.ndarray, np.ndarray, float] | None:
    both = sides(rule, names)
    if both is None:
        return None
    lhs, rhs = both
    lv = np.array([lhs.coeffs.get(n, 0.0) for n in names])
    rv = np.array([rhs.coeffs.get(n, 0.0) for n in names])
    return lv, rv, rhs.const - lhs.const


def stacked(tables: list[Table]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """values (blank and "nothing" as 0), undecided mask (unreadable or missing cells) and
    written decimals, each [file, row, column]."""
    first = tables[0].frame
    rpos = {r: i for i, r in enumerate(first.index)}
    cpos = {c: j for j, c in enumerate(first.columns)}
    values = np.stack([t.frame.to_numpy() for t in tables])
    undecided = np.stack([t.undecided() for t in tables])
    decimals = np.zeros(values.shape)
    for i, t in enumerate(tables):
        for (r, c), src in t.sources.items():  # provenance: how many decimals were written
            if src.value is not None and src.value.decimals and r in rpos and c in cpos:
                decimals[i, rpos[r], cpos[c]] = src.value.decimals
    return np.nan_to_num(values, nan=0.0), undecided, decimals


@dataclass
class _Checked:
    """One rule over a batch: per file and item (column or row) both sides and the verdict."""

    rule: rulebook.Rule
    per_column: bool
    names: list[str]  # rows (per column) or columns (per row)
    scopes: list[str]  # the items: columns (per column) or rows (per row)
    coef: np.ndarray  # per name, coefficient in lhs - rhs
    reported: np.ndarray  # per name, whether it stands on the reported (left) side
    terms: list[int]  # names used, reported side first
    lhs: np.ndarray
    rhs: np.ndarray
    ok: np.ndarray  # holds, undecided, or out of `only`
    skip: np.ndarray  # undecided or out of `only`: no finding and no localisation


def _check(rule, names, scopes, values, undecided, decimals) -> _Checked | None:
    per_column = rule.for_each == "column"
    vec = _vectors(rule, names)
    if vec is None:
        return None
    lv, rv, const = vec
    axis = "nrc,r->nc" if per_column else "nrc,c->nr"
    lhs, rhs = np.einsum(axis, values, lv), np.einsum(axis, values, rv) + const
    used = (lv != 0) | (rv != 0)
    if per_column:
        undec = undecided[:, used, :].any(axis=1)
        dec = decimals[:, used, :].max(axis=1, initial=0)
    else:
        undec = undecided[:, :, used].any(axis=2)
        dec = decimals[:, :, used].max(axis=2, initial=0)
    verdict = engine.verdicts(rule.comparison.op, lhs, rhs, engine.tolerance(rule.tolerance, dec, used.sum()), undec)
    skip = (verdict == engine.UNDECIDED) | ~np.array([not rule.only or s in rule.only for s in scopes])
    ok = (verdict == engine.PASS) | skip
    # Cells are cited reported side first: the 总计 of a row total before its parts.
    terms = sorted(np.flatnonzero(used), key=lambda k: (lv[k] == 0, k))
    return _Checked(rule, per_column, names, scopes, lv - rv, lv != 0, terms, lhs, rhs, ok, skip)


def evaluate(book: rulebook.Rulebook, fmt: str, tables: list[Table]) -> list[list[Finding]]:
    spec = book.tables[tables[0].id]
    rows, cols = list(tables[0].frame.index), list(tables[0].frame.columns)
    values, undecided, decimals = stacked(tables)
    checked = []
    for rule in book.rules:
        if rule.table == spec.id and fmt in rule.formats:
            names, scopes = (rows, cols) if rule.for_each == "column" else (cols, rows)
            c = _check(rule, names, scopes, values, undecided, decimals)
            if c is not None:
                checked.append(c)
    findings: list[list[Finding]] = [[] for _ in tables]
    items: list[list[Item]] = [[] for _ in tables]
    # Only files with a failure need per-item work (findings, then localisation).
    failed = np.zeros(len(tables), dtype=bool)
    for c in checked:
        failed |= ~c.ok.all(axis=1)
    for i in np.flatnonzero(failed):
        for c in checked:
            for j, scope in enumerate(c.scopes):
                if c.skip[i, j]:
                    continue
                cells = [((c.names[k], scope) if c.per_column else (scope, c.names[k])) for k in c.terms]
                coeffs = {cell: c.coef[k] for cell, k in zip(cells, c.terms)}
                index = None
                if not c.ok[i, j]:
                    index = len(findings[i])
                    reported = [cell for cell, k in zip(cells, c.terms) if c.reported[k]]
                    findings[i].append(_finding(c.rule, spec, fmt, tables[i], scope, c.per_column,
                                                cells, reported, c.lhs[i, j], c.rhs[i, j]))
                if c.rule.comparison.op == "==":
                    items[i].append(Item(c.rule, coeffs, float(c.lhs[i, j] - c.rhs[i, j]), bool(c.ok[i, j]), index))
        localise(spec, fmt, tables[i], findings[i], items[i])
    return findings


def _finding(rule, spec, fmt: str, table: Table, scope_id: str, per_column: bool, cited, reported, lhs, rhs) -> Finding:
    if per_column:
        scope = f"{spec.name}「{spec.column_label(scope_id, fmt)}」列"
        row, column = None, scope_id
    else:
        scope = f"{spec.name}「{spec.row_label(scope_id, fmt)}」行"
        row, column = scope_id, None
    cells = tuple(table.ref(r, c) for r, c in cited)
    written = [table.ref(r, c) for r, c in reported]
    blank = bool(written) and all(c.value is None and c.raw.strip() == "" for c in written)
    message = rule.message.format(scope=scope, lhs="空白（按 0 计）" if blank else shown(lhs), rhs=shown(rhs),
                                  diff=shown(abs(lhs - rhs)))
    suggestion, hint = None, ""
    if blank and len(written) == 1 and rule.comparison.op == "==" and rule.comparison.lhs.const == 0:
        # the one reported cell was left blank: the value to fill in is what the parts give
        cell = written[0]
        suggestion = Suggestion(table.id, cell.row, cell.column, number(rhs))
        hint = f"；此格空白，按其他各数应填 {shown(rhs)}"
        message += hint
    lines = [c.line for c in cells if c.line is not None]
    return Finding(rule.code, rule.severity, message, table.id, row, column, number(lhs), number(rhs),
                   cells, suggestion, min(lines) if lines else None, hint=hint)


def localise(spec, fmt: str, table: Table, findings: list[Finding], items: list[Item]) -> None:
    """A cell shared by failing identities, whose one corrected value satisfies all of them and
    touches no identity that holds, is the likely culprit; its fix becomes the suggestion."""
    failing = [it for it in items if not it.passed]
    if len(failing) < 2:
        return
    shared = {}
    for it in failing:
        for cell in it.coeffs:
            shared[cell] = shared.get(cell, 0) + 1
    culprits: dict[tuple[str, str], float] = {}
    for cell, n in shared.items():
        if n < 2:
            continue
        touching = [it for it in items if it.coeffs.get(cell)]
        if any(it.passed for it in touching):
            continue
        deltas = {round(-it.residual / it.coeffs[cell], 6) for it in touching}
        if len(deltas) == 1:
            culprits[cell] = deltas.pop()
    for it in failing:
        mine = [c for c in culprits if c in it.coeffs]
        if len(mine) != 1 or it.finding is None:
            continue
        (row, column) = mine[0]
        src = table.sources.get((row, column))
        current = src.value.number if src and src.value and src.value.number is not None else 0.0
        new = current + culprits[mine[0]]
        f = findings[it.finding]
        if f.suggestion is not None and (f.suggestion.row, f.suggestion.column) == (row, column):
            continue  # already said: the blank cell and its value
        if src and src.cell.glued:  # one of a run's values (`1 0 0 0 0 0 2`): the value, not the run
            written = shown(current)
        else:
            written = src.cell.text if src and src.cell.text else "空白"
        where = f"{spec.name}「{spec.row_label(row, fmt)}」行「{spec.column_label(column, fmt)}」列"
        others = len([x for x in failing if mine[0] in x.coeffs])
        hint = f"；最可能出错的是{where}（现为 {written}），改为 {shown(new)} 可同时满足 {others} 项核对"
        findings[it.finding] = replace(f, message=f.message + hint, hint=f.hint + hint,
                                       suggestion=Suggestion(table.id, row, column, number(new)))
