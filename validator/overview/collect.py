"""Runs the checks for a summary and gathers, per file, its result and its figures record
(figures.py) as the file finishes: the reports themselves are dropped at once, so memory grows
with the number of files, not with their size."""

from __future__ import annotations

from dataclasses import dataclass

from validator import pipeline
from validator.findings import FileResult
from validator.overview.figures import figures


@dataclass
class Row:
    result: FileResult  # after cross-year checks and the configuration; without its report
    figures: dict | None  # None: the file could not be read


def collect(book, cfg, files, missing=(), jobs: int = 1, progress=None, on_report=None) -> list[Row]:
    """One Row per file, in input order (the missing ones first, as lint lists them).
    `on_report(result, report)` is called as each readable file finishes (the result with the
    configuration applied, before the cross-year checks)."""
    records: list[dict | None] = [None] * len(missing)
    linted: list[FileResult] = []
    for r in pipeline.lint_paths(files, book, jobs=jobs, progress=progress, keep=True):
        report, r.report = r.report, None
        record = None
        if report is not None:
            record = figures(book, report, r.findings)
            if on_report is not None:
                on_report(cfg.apply(r), report)
        records.append(record)
        linted.append(r)
    # the rest of lint's run on these results: office names, cross-year checks, configuration
    run = pipeline.execute(book, cfg, [], [*missing, *linted])
    return [Row(r, f) for r, f in zip(run.results, records)]
