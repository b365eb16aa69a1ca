"""One `govreport lint` run: configuration, files, checks (in parallel when asked), cross-year
checks, then configuration and baseline applied to the findings. The CLI only renders."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from validator import baseline as baselines
from validator import config as configs
from validator import crossyear, rulebook
from validator.findings import FileResult
from validator.lint import collect, lint_paths


@dataclass
class Run:
    results: list[FileResult]
    config: configs.Config
    suppressed: int = 0
    stale: list[baselines.Entry] = field(default_factory=list)
    baseline_written: int | None = None


def files_for(paths, cfg: configs.Config, output: str | None) -> tuple[list[str], list[FileResult]]:
    files, missing = collect(paths, cfg.extensions, cfg.exclude)
    if output:  # a previous run's output inside a linted folder is not an input
        target = os.path.realpath(output)
        files = [f for f in files if os.path.realpath(f) != target]
    return files, missing


def execute(book: rulebook.Rulebook, cfg: configs.Config, files: list[str], missing: list[FileResult],
            jobs: int = 1, baseline: str | None = None, write_baseline: str | None = None,
            progress=None, keep_reports: bool = False) -> Run:
    results = list(missing) + list(lint_paths(files, book, jobs=jobs, progress=progress, keep=keep_reports))
    if cfg.offices:
        for r in results:
            name = cfg.office_for(r.path)
            if name and r.facts is not None:
                r.facts = replace(r.facts, office=name)
                r.office = name  # one office for the checks and for every output
    results = crossyear.check(book, results)
    results = [cfg.apply(r) for r in results]
    run = Run(results, cfg)
    if write_baseline:  # every current finding, also those an old baseline suppresses below
        old = baselines.read(write_baseline) if os.path.exists(write_baseline) else None
        run.baseline_written = baselines.write(write_baseline, results, old)
    if baseline:
        entries = baselines.read(baseline)
        run.results, run.suppressed, run.stale = baselines.apply(baseline, entries, results, cfg.keeps)
    return run
