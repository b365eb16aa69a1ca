"""Checks between one office's reports of consecutive years, from rules/crossyear.yaml.

Each checked file keeps only small `YearFacts` (office, year, the cells cross-year rules name,
a digest of its tables), so a run over thousands of files does not hold their tables."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace

from validator.findings import (
    TABLE_NAMES,
    CellRef,
    FileResult,
    Finding,
    make,
    number,
    shown,
)
from validator.check import engine
from validator.model import UNDECIDED
from validator.rules import rulebook

PREV = rulebook.PREVIOUS


@dataclass
class YearFacts:
    office: str | None
    year: int | None
    format: str | None
    cells: dict[tuple[str, str, str], CellRef] = field(default_factory=dict)  # (table, row, col)
    scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table -> its columns or rows
    digest: str | None = None
    nonzero: bool = False


def facts(book: rulebook.Rulebook, report) -> YearFacts:
    """What cross-year rules need of one extracted report."""
    out = YearFacts(report.office, report.year, report.format)
    digest = hashlib.sha1()
    for tid in sorted(report.tables):
        frame = report.tables[tid].frame
        digest.update(repr((tid, list(frame.index), list(frame.columns))).encode())
        digest.update(frame.fillna(-1).to_numpy().tobytes())
        out.nonzero = out.nonzero or bool((frame.fillna(0) != 0).to_numpy().any())
    out.digest = digest.hexdigest() if report.tables else None
    for rule in book.crossyear:
        table = report.tables.get(rule.table)
        if table is None:
            continue
        frame = table.frame
        per_column = rule.for_each == "column"
        out.scopes[rule.table] = tuple(frame.columns if per_column else frame.index)
        names = {n[len(PREV):] if n.startswith(PREV) else n for n in rule.comparison.names()}
        for scope in out.scopes[rule.table]:
            for name in names:
                r, c = (name, scope) if per_column else (scope, name)
                if r in frame.index and c in frame.columns and table.state.at[r, c] not in UNDECIDED:
                    out.cells[(rule.table, r, c)] = table.ref(r, c)  # unreadable or missing: undecided
    return out


_UNIT_ENDS = "省市区县州盟旗镇乡"  # what a place name before an office's own name ends with


def office_key(results: list[FileResult]) -> dict[str, str]:
    """Office names that are the same office written shorter or longer (淮安市洪泽区人民政府 and
    洪泽区人民政府) share the shortest as their key; the longer one adds whole place names
    (东城区人民政府 is not 城区人民政府)."""
    names = {r.facts.office for r in results if r.facts and r.facts.office}

    def within(n: str, m: str) -> bool:
        return n == m or (n.endswith(m) and n[-len(m) - 1] in _UNIT_ENDS)

    return {n: min((m for m in names if within(n, m)), key=len) for n in names}


def check(book: rulebook.Rulebook, results: list[FileResult]) -> list[FileResult]:
    """The results with cross-year findings added to the later year's file."""
    keys = office_key(results)
    by_office: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, r in enumerate(results):
        f = r.facts
        if f and f.office and f.year:
            by_office[keys[f.office]][f.year].append(i)
    added: dict[int, list[Finding]] = defaultdict(list)
    for office, years in by_office.items():
        for year, idx in years.items():
            if len(idx) > 1:
                # At most 3 named, then the count: 5,000 copies of one report must not give each
                # copy a message listing all 5,000 paths.
                paths = "、".join(results[i].path for i in idx[:3]) + (f" 等 {len(idx)} 个文件" if len(idx) > 3 else "")
                for i in idx:
                    added[i].append(make(book, "XY-DUPLICATE", office=office, year=year, count=len(idx), paths=paths))
        for year, idx in years.items():
            prev = years.get(year - 1)
            if len(idx) == 1 and prev and len(prev) == 1:
                added[idx[0]].extend(pair(book, results[prev[0]], results[idx[0]]))
    return [replace(r, findings=[*r.findings, *added[i]]) if added.get(i) else r for i, r in enumerate(results)]


def pair(book: rulebook.Rulebook, earlier: FileResult, later: FileResult) -> list[Finding]:
    before, now = earlier.facts, later.facts
    out: list[Finding] = []
    if before.digest and before.digest == now.digest and now.nonzero:
        out.append(make(book, "XY-COPIED", prev=earlier.path))
    for rule in book.crossyear:
        if before.format not in rule.formats or now.format not in rule.formats:
            continue
        per_column = rule.for_each == "column"
        for scope in now.scopes.get(rule.table, ()):
            if rule.only and scope not in rule.only:
                continue
            item = _item(rule, scope, per_column, before, now, earlier.path)
            if item is None:
                continue
            lhs, rhs, cells = item
            if engine.verdict(rule.comparison.op, lhs, rhs, engine.tolerance(rule.tolerance)) == engine.FAIL:
                spec = book.tables[rule.table]
                label = spec.column_label(scope, now.format) if per_column else spec.row_label(scope, now.format)
                where = f"{TABLE_NAMES[rule.table]}「{label}」{'列' if per_column else '行'}"
                message = rule.message.format(scope=where, lhs=shown(lhs), rhs=shown(rhs), diff=shown(abs(lhs - rhs)),
                                              prev=earlier.path)
                lines = [c.line for c in cells if c.line is not None and c.path is None]
                out.append(Finding(rule.code, rule.severity, message, rule.table, None if per_column else scope,
                                   scope if per_column else None, number(lhs), number(rhs), tuple(cells),
                                   None, min(lines) if lines else None))
    return out


def _item(rule, scope, per_column, before: YearFacts, now: YearFacts, prev_path: str):
    """(lhs, rhs, cells) of one item, or None when a cell it needs is missing or unreadable."""
    values = {}
    cells = []
    for name in rule.comparison.names():
        facts, other = (before, True) if name.startswith(PREV) else (now, False)
        bare = name[len(PREV):] if other else name
        key = (rule.table, bare, scope) if per_column else (rule.table, scope, bare)
        ref = facts.cells.get(key)
        if ref is None:
            return None
        values[name] = ref.value or 0.0  # a blank counts as 0, as in the identities
        cells.append(replace(ref, path=prev_path) if other else ref)
    return engine.side(rule.comparison.lhs, values), engine.side(rule.comparison.rhs, values), cells
