"""JSON of summary and compare (version 1). Numbers are numbers, an undefined figure or
indicator is null (never 0), codes are the stable English ids of rules/indicators.yaml."""

from __future__ import annotations

import json

from validator.overview.indicators import indicators
from validator.overview.show import json_number as num
from validator.overview.summary import Summary
from validator.overview.yoy import Change, Flag, Pair
from validator.report.json import finding_dict


def definitions(spec) -> dict:
    return {
        "figures": [{"code": f.code, "label": f.label, "table": f.table} for f in spec.figures],
        "indicators": [{"code": i.code, "label": i.label, "definition": i.summary, "percent": i.percent}
                       for i in spec.indicators],
        "anomalies": [{"code": a.code, "severity": a.severity, "label": a.label, "definition": a.summary}
                      for a in spec.anomalies],
    }


def change_dict(c: Change, label: bool = True) -> dict:
    where = {"figure": c.figure} if c.figure else dict(zip(("table", "row", "column"), c.cell))
    return {**where, **({"label": c.label} if label else {}), "prev": num(c.prev), "now": num(c.now),
            "change": num(c.change), "ratio": None if c.ratio is None else round(c.ratio, 6)}


def flag_dict(a: Flag) -> dict:
    return {"code": a.code, "severity": a.severity, "message": a.message, "office": a.office, "year": a.year,
            "path": a.path, **change_dict(a.item)}


def pair_dict(spec, p: Pair, cells: str = "changed") -> dict:
    """A pair of years: every key figure, every indicator of both years, the 表三/表四 cells
    (`changed`: those whose value differs; `all`: every cell both reports have), anomalies and
    lint's cross-year findings of the later report."""
    before, after = indicators(spec, p.prev.figures["figures"]), indicators(spec, p.now.figures["figures"])
    return {
        "office": p.office, "year": p.year, "prev_year": p.prev_year,
        "path": p.now.result.path, "prev_path": p.prev.result.path,
        "figures": [change_dict(c, label=cells == "all") for c in p.figures],
        "indicators": [{"code": i.code, "prev": before[i.code], "now": after[i.code]} for i in spec.indicators],
        # in a summary without labels: the figures' are in "figures", the cells' ids those of `rules --ids`
        "cells": [change_dict(c, label=cells == "all") for c in p.cells(changed_only=cells == "changed")],
        "anomalies": [flag_dict(a) for a in p.anomalies],
        "crossyear": [finding_dict(f) for f in p.crossyear],
    }


def summary(s: Summary, out) -> None:
    """Written to `out` piece by piece: the pairs' cells are never all in memory at once."""
    reports = []
    for line in s.lines:
        r = line.result
        reports.append({"path": r.path, "office": r.office, "year": r.year, "format": r.format, "status": r.status,
                        "error": r.error, "findings": line.counts,
                        "figures": {k: num(v) for k, v in line.figures.items()},
                        "indicators": line.indicators, "anomalies": line.anomalies})
    head = {"version": 1, **definitions(s.spec), "reports": reports}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[:-2] + ',\n "years": [')  # the head without its closing brace, then the years
    for k, p in enumerate(s.pairs):  # a pair of years a line: thousands of them stay a readable size
        out.write(("," if k else "") + "\n  " + json.dumps(pair_dict(s.spec, p), ensure_ascii=False,
                                                            separators=(",", ":")))
    out.write('\n ],\n "summary": ' + json.dumps(s.totals(), ensure_ascii=False) + "\n}\n")


def compare(spec, pair: Pair, notes: list[str]) -> str:
    def side(row) -> dict:
        r = row.result
        return {"path": r.path, "office": r.office, "year": r.year, "format": r.format, "status": r.status}

    doc = {"version": 1, "old": side(pair.prev), "new": side(pair.now), "notes": notes,
           **pair_dict(spec, pair, cells="all")}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
