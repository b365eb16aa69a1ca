"""check: Reports -> findings. Every table of one shape is checked for many reports at once
(pandera and numpy run once per table shape rather than once per file)."""

from __future__ import annotations

from collections import defaultdict

from validator.findings import FileResult, Finding
from validator.model import Report
from validator.rules import rulebook

_TABLE_ORDER = {"t2": 0, "t3": 1, "t4": 2, None: -1}


def check_reports(reports: list[Report], book: rulebook.Rulebook, keep: bool = False) -> list[FileResult]:
    """One result per report, its findings in table then line order. `keep`: each result
    carries its report, for a format that draws the tables."""
    from validator.check import crossyear, identities, schemas, settle, textchecks  # pandera loads only here

    settled = [settle.settle(book, r) for r in reports]  # before anything reads the tables
    results = [FileResult(r.path, r.format, r.year, findings=[*r.findings, *s, *textchecks.check(book, r)],
                          office=r.office, facts=crossyear.facts(book, r), report=r if keep else None)
               for r, s in zip(reports, settled)]
    groups: dict[tuple, list[tuple[int, object]]] = defaultdict(list)
    for i, r in enumerate(reports):
        for tid, table in r.tables.items():
            key = (tid, r.format, tuple(table.frame.index), tuple(table.frame.columns))
            groups[key].append((i, table))
    for (_table, fmt, _, _), members in groups.items():
        tables = [t for _, t in members]
        for (i, _), found in zip(members, schemas.validate(book, fmt, tables)):
            results[i].findings.extend(found)
        for (i, _), found in zip(members, identities.evaluate(book, fmt, tables)):
            results[i].findings.extend(found)
    for res in results:
        res.findings.sort(key=_order)
    return results


def _order(f: Finding):
    return (_TABLE_ORDER.get(f.table, 3), f.first_line() or 0)
