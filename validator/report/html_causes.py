"""One report's findings grouped by cause, for the HTML report's 需要修改的地方.

A wrong cell usually breaks two identities and a blank 总计 column breaks one per row and the
column's own sum: each is one cause here, with the identities it breaks as its evidence.

- fix: a cell the check stage localised (one corrected value satisfies every failing identity
  that touches it); evidence: those identities.
- fill / fills: a blank reported cell and the value its parts give; several in one column are one
  cause (a blank column), with the column's CELL-BLANK warning and the identities that hold once
  the values are filled in (the column's own sum, "（一）至（六）各项之和为 0", is a side effect).
- check: a failing identity no single cell explains: the cells to compare (its reported side).
- blanks: a table's blank cells counted as 0 (warnings), one cause per table.
- other / note: any other finding; findings without cells of one code in one table are one cause.
- unread: what the copy did not let the tool read (reading limits, never a defect of the report).

Causes come most certain first: errors before warnings, a localised fix before a blank to fill,
before other errors, before an identity whose wrong cell cannot be told."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from validator.check import identities
from validator.findings import READ_ERROR, FileResult, Finding
from validator.model import UNDECIDED

Key = tuple[str, str, str]  # (table, row, column)
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_KIND_RANK = {"fix": 0, "fill": 1, "fills": 1, "other": 2, "check": 3, "blanks": 4, "note": 5}


@dataclass
class Cause:
    kind: str
    findings: list[Finding]
    table: str | None = None
    fixes: dict[Key, float] = field(default_factory=dict)  # suspect cell -> the value it should hold
    compare: list[Key] = field(default_factory=list)  # cells to compare (no single cell explains it)
    zero_blanks: list[Key] = field(default_factory=list)  # blank cells of a fills cause where 0 fits
    order: int = 0  # the first finding's place in the result

    @property
    def severity(self) -> str:
        return min((f.severity for f in self.findings), key=lambda s: SEVERITY_RANK.get(s, 3))

    @property
    def identities(self) -> list[Finding]:
        return [f for f in self.findings if f.code != "CELL-BLANK"]

    def rank(self) -> tuple:
        broken = -len(self.identities) if self.kind == "fix" else 0
        return SEVERITY_RANK.get(self.severity, 3), _KIND_RANK.get(self.kind, 9), broken, self.order


def group(result: FileResult, report, book) -> tuple[list[Cause], list[Cause]]:
    """(causes most certain first, what could not be read)."""
    seen: set[int] = set()
    findings = []
    for f in result.findings:
        if id(f) not in seen and f.code != READ_ERROR:
            seen.add(id(f))
            findings.append(f)
    place = {id(f): i for i, f in enumerate(findings)}
    unread = _unread([f for f in findings if f.incomplete], place)
    rest = [f for f in findings if not f.incomplete]
    fmt = result.format or (report.format if report is not None else None)
    rules = {(r.code, r.table): r for r in book.rules if fmt in r.formats}
    causes = _fixes(rest, report, place)
    taken = {id(f) for c in causes for f in c.findings}

    # identities that hold once the suspects are corrected: evidence of that cause, not a cause
    fixed: dict[Key, float] = {k: v for c in causes for k, v in c.fixes.items()}
    owner = {k: c for c in causes for k in c.fixes}
    checks = []
    for f in rest:
        if id(f) in taken or (f.code, f.table) not in rules:
            continue
        taken.add(id(f))
        rule = rules[(f.code, f.table)]
        table = report.tables.get(f.table) if report is not None else None
        item = _item(rule, table, f) if table is not None else None
        if item is None:
            checks.append(Cause("check", [f], f.table, compare=_keys(f, result.path)[:1], order=place[id(f)]))
            continue
        coeffs, const, lhs = item
        mine = [k for k in coeffs if k in fixed]
        if mine and rule.comparison.op == "==" and abs(_residual(table, coeffs, const, fixed)) < 1e-6:
            owner[mine[0]].findings.append(f)
        else:
            # a total against its parts: compare the total; a balance of sums: all its cells
            compare = lhs if len(lhs) == 1 else [k for k in coeffs if coeffs[k]]
            checks.append(Cause("check", [f], f.table, compare=compare, order=place[id(f)]))

    blanks: dict[str | None, Cause] = {}
    others: dict[tuple, Cause] = {}
    for f in rest:
        if id(f) in taken:
            continue
        keys = _keys(f, result.path)
        if f.code == "CELL-BLANK":
            host = next((owner[k] for k in keys if k in owner and owner[k].kind in ("fill", "fills")), None)
            if host is not None:
                host.findings.append(f)
                host.zero_blanks += [k for k in keys if k not in host.fixes and k not in host.zero_blanks]
                continue
            c = blanks.setdefault(f.table, Cause("blanks", [], f.table, order=place[id(f)]))
            c.findings.append(f)
            continue
        kind = "note" if f.severity == "info" else "other"
        key = (f.code, f.table) if not f.cells else (id(f),)
        c = others.setdefault(key, Cause(kind, [], f.table, order=place[id(f)]))
        c.findings.append(f)
    out = causes + checks + list(blanks.values()) + list(others.values())
    return sorted(out, key=Cause.rank), unread


def _fixes(findings: list[Finding], report, place) -> list[Cause]:
    """A cause per suggested value; blanks to fill in one table column are one cause."""
    by_cell: dict[Key, Cause] = {}
    for f in findings:
        s = f.suggestion
        if s is None:
            continue
        key = (s.table, s.row, s.column)
        c = by_cell.get(key)
        if c is None:
            kind = "fill" if _blank(report, key) else "fix"
            c = by_cell[key] = Cause(kind, [], s.table, fixes={key: s.value}, order=place[id(f)])
        if c.fixes[key] == s.value:
            c.findings.append(f)
    out: list[Cause] = []
    columns: dict[tuple[str, str], Cause] = {}
    for key, c in by_cell.items():
        if c.kind != "fill":
            out.append(c)
            continue
        col = (key[0], key[2])
        same = [k for k, x in by_cell.items() if x.kind == "fill" and (k[0], k[2]) == col]
        if len(same) < 2:
            out.append(c)
            continue
        host = columns.get(col)
        if host is None:
            host = columns[col] = Cause("fills", [], key[0], order=c.order)
            out.append(host)
        host.fixes.update(c.fixes)
        host.findings += c.findings
    return out


def _blank(report, key: Key) -> bool:
    if report is None or key[0] not in report.tables:
        return False
    src = report.tables[key[0]].sources.get(key[1:])
    return src is None or (src.value is not None and src.value.kind == "blank")


def _keys(f: Finding, path: str) -> list[Key]:
    return list(dict.fromkeys((c.table, c.row, c.column) for c in f.cells if c.path in (None, path)))


def _item(rule, table, f: Finding):
    """The identity item of a finding as coefficients on cells (lhs − rhs), its constant and its
    reported (left) side; None when it cannot be rebuilt."""
    per_column = rule.for_each == "column"
    scope = f.column if per_column else f.row
    if scope is None:
        return None
    both = identities.sides(rule, list(table.frame.index if per_column else table.frame.columns))
    if both is None:
        return None
    lhs, rhs = both

    def key(n: str) -> Key:
        return (table.id, n, scope) if per_column else (table.id, scope, n)

    coeffs: dict[Key, float] = {}
    for n, v in lhs.coeffs.items():
        coeffs[key(n)] = coeffs.get(key(n), 0.0) + v
    for n, v in rhs.coeffs.items():
        coeffs[key(n)] = coeffs.get(key(n), 0.0) - v
    return coeffs, rhs.const - lhs.const, [key(n) for n in lhs.coeffs]


def _residual(table, coeffs: dict[Key, float], const: float, fixed: dict[Key, float]) -> float:
    total = -const
    for (_, r, c), coef in coeffs.items():
        if (table.id, r, c) in fixed:
            value = fixed[(table.id, r, c)]
        else:
            if table.state.at[r, c] in UNDECIDED:
                return float("nan")
            value = table.frame.at[r, c]
            value = 0.0 if np.isnan(value) else float(value)
        total += coef * value
    return total


def _unread(findings: list[Finding], place) -> list[Cause]:
    by_table: dict[str | None, Cause] = {}
    for f in findings:
        c = by_table.setdefault(f.table, Cause("unread", [], f.table, order=place[id(f)]))
        c.findings.append(f)
    return list(by_table.values())
