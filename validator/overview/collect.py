"""Runs the checks for a summary and gathers, per file, its result and its figures record
(figures.py) as the file finishes: the reports themselves are dropped at once, so memory grows
with the number of files, not with their size.

Where the checks attach the record to each FileResult (its `figures` field, filled in
validator/check's check_reports), the run is lint's own, workers and all. Until then, and
whenever a caller wants each report as it finishes (the overview's per-report pages), each
result carries its report out of the check and the record is taken here."""

from __future__ import annotations

from dataclasses import dataclass, fields

from validator import pipeline
from validator.findings import FileResult
from validator.overview.figures import figures

HOOKED = "figures" in {f.name for f in fields(FileResult)}  # the checks take the record themselves


@dataclass
class Row:
    result: FileResult  # after cross-year checks and the configuration; without its report
    figures: dict | None  # None: the file could not be read


def collect(book, cfg, files, missing=(), jobs: int = 1, progress=None, on_report=None) -> list[Row]:
    """One Row per file, in input order (the missing ones first, as lint lists them).
    `on_report(result, report)` is called as each readable file finishes (the result with the
    configuration applied, before the cross-year checks)."""
    if HOOKED and on_report is None:
        run = pipeline.execute(book, cfg, list(files), list(missing), jobs=jobs, progress=progress)
        if all(r.figures is not None or r.status == "error" for r in run.results):
            return [Row(r, r.figures) for r in run.results]
        # a result without its record (one made before the checks took it, kept by a cache):
        # take the records here instead
    records: list[dict | None] = [None] * len(missing)
    linted: list[FileResult] = []
    for r in pipeline.lint_paths(files, book, jobs=jobs, progress=progress, keep=True):
        report, r.report = r.report, None
        record = None
        if report is not None:
            record = getattr(r, "figures", None) or figures(book, report)
            if on_report is not None:
                on_report(cfg.apply(r), report)
        records.append(record)
        linted.append(r)
    # the rest of lint's run on these results: office names, cross-year checks, configuration
    run = pipeline.execute(book, cfg, [], [*missing, *linted])
    return [Row(r, f) for r, f in zip(run.results, records)]
