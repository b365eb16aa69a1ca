"""What every summary format shows: one line per report (verdict, findings by severity, key
figures, indicators), each office's years and the year-over-year pairs with their anomalies."""

from __future__ import annotations

from dataclasses import dataclass

from validator.findings import READ_ERROR
from validator.overview import yoy
from validator.overview.collect import Row
from validator.overview.indicators import indicators
from validator.overview.spec import Spec
from validator.report.summary import summarize

SEVERITIES = ("error", "warning", "info")


@dataclass
class Line:
    """One report of the summary."""

    row: Row
    counts: dict[str, int]  # findings by severity (a file not read: all 0, its status says why)
    figures: dict[str, float | None]
    indicators: dict[str, float | None]
    anomalies: int = 0  # raised on this report (as the later year of a pair)

    @property
    def result(self):
        return self.row.result


@dataclass
class Summary:
    spec: Spec
    lines: list[Line]
    offices: dict[str, list[Row]]
    pairs: list[yoy.Pair]

    @property
    def anomalies(self) -> list[yoy.Flag]:
        return [a for p in self.pairs for a in p.anomalies]

    def totals(self) -> dict:
        """lint's counts (files, passed, … findings by severity) plus reports, offices, pairs, anomalies."""
        out = summarize([line.result for line in self.lines])
        del out["suppressed"]  # a baseline's: summary takes none
        years = sorted({line.result.year for line in self.lines if line.result.year})
        out.update(offices=len(self.offices), pairs=len(self.pairs), anomalies=len(self.anomalies),
                   years=[years[0], years[-1]] if years else None)
        return out


def build(book, spec: Spec, rows: list[Row]) -> Summary:
    by_office = yoy.offices(rows)
    pairs = yoy.pairs(book, spec, by_office)
    raised: dict[int, int] = {}
    for p in pairs:
        raised[id(p.now)] = len(p.anomalies)
    office_of = {id(r): name for name, series in by_office.items() for r in series}
    # office by office, each by year; files not placed in an office's years (unread, no office
    # or year in the title, two files for one year) after them, in input order
    order = sorted(range(len(rows)), key=lambda i: (id(rows[i]) not in office_of, office_of.get(id(rows[i]), ""),
                                                    rows[i].result.year or 0, i))
    lines = []
    for r in (rows[i] for i in order):
        counts = {s: 0 for s in SEVERITIES}
        for f in r.result.findings:
            if f.code != READ_ERROR:
                counts[f.severity] += 1
        values = r.figures["figures"] if r.figures is not None else None
        lines.append(Line(r, counts, values or {f.code: None for f in spec.figures}, indicators(spec, values),
                          raised.get(id(r), 0)))
    return Summary(spec, lines, by_office, pairs)
