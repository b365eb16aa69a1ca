"""The one driver: files (paths, or uploads as name and bytes) -> read -> extract -> check, in
batches and in parallel when asked, then cross-year checks, configuration and baseline. lint,
extract, serve and every output format take what it returns; none reads a file again."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from validator import baseline as baselines
from validator import config as configs
from validator.check import check_reports
from validator.extract import extract
from validator.files import collect
from validator.findings import FileResult
from validator.model import ReadError, Report
from validator.read import read, read_bytes
from validator.rules import rulebook

BATCH = 256
MIN_PER_WORKER = 4  # fewer files per worker cost more in start-up than they save

TOO_COSTLY = "文件过大或过于复杂，读取时内存不足"  # the reason of a file that exhausted the memory
Input = str | tuple[str, bytes]  # a path, or an upload: its name and its bytes (never written to disk)


@dataclass
class Run:
    results: list[FileResult]
    config: configs.Config
    suppressed: int = 0
    stale: list[baselines.Entry] = field(default_factory=list)
    baseline_written: int | None = None


def _name(item: Input) -> str:
    return item if isinstance(item, str) else item[0]


def load_report(item: Input, book: rulebook.Rulebook) -> Report | FileResult:
    """The extracted report, or a READ-ERROR result carrying why the file cannot be read."""
    path = _name(item)
    try:
        return extract(read(item) if isinstance(item, str) else read_bytes(item[1], path), book)
    except ReadError as e:
        return FileResult.unreadable(path, str(e))
    except RecursionError:
        return FileResult.unreadable(path, "文件结构嵌套过深，无法解析")
    except MemoryError:
        return FileResult.unreadable(path, TOO_COSTLY)
    except Exception as e:  # a bug must not stop the other files: say so, in one line
        return FileResult.unreadable(path, f"内部错误（{type(e).__name__}: {e}），请报告此问题")


def lint_paths(items: Iterable[Input], book: rulebook.Rulebook | None = None, jobs: int = 1,
               progress=None, keep: bool = False) -> Iterator[FileResult]:
    """Results in input order, batch by batch; with jobs > 1 the batches run in that many
    processes (identical results: every batch is checked the same way). `progress(n)` is
    called as n more files are done. `keep`: each result carries its extracted report, for a
    format that draws the tables."""
    book = book or rulebook.load()
    items = list(items)
    jobs = max(1, min(jobs, len(items) // MIN_PER_WORKER))
    # serial: big batches (pandera and numpy once per table shape); parallel: work for every worker
    size = BATCH if jobs == 1 else max(1, min(BATCH, -(-len(items) // (jobs * 4))))
    batches = [items[i:i + size] for i in range(0, len(items), size)]
    if jobs > 1 and len(batches) > 1:
        with _pool(jobs, book) as pool:
            for results in pool.map(_worker_batch, batches, [keep] * len(batches)):
                if progress:
                    progress(len(results))
                yield from results
        return
    for batch in batches:
        results = _lint_batch(batch, book, keep)
        if progress:
            progress(len(results))
        yield from results


_BOOK: rulebook.Rulebook | None = None  # a worker's rulebook: the run's own, extra rule files included


def _set_book(book: rulebook.Rulebook) -> None:
    global _BOOK
    _BOOK = book


def _worker_batch(items: list[Input], keep: bool) -> list[FileResult]:
    return _lint_batch(items, _BOOK, keep)


def _pool(jobs: int, book: rulebook.Rulebook):
    """Worker processes that start checking at once: where the platform forks, they inherit the
    modules this process has loaded (pandas, pandera: a second each to import); the rulebook
    goes to each worker once."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from validator.check import identities, schemas  # noqa: F401 - loaded before the workers fork
    from validator.extract import tables  # noqa: F401

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:  # forking beside a thread is unsafe
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["validator.extract.tables", "validator.check.schemas",
                                        "validator.check.identities"])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_set_book, initargs=(book,))


def _lint_batch(items: list[Input], book, keep: bool = False) -> list[FileResult]:
    loaded = [load_report(p, book) for p in items]
    reports = [x for x in loaded if isinstance(x, Report)]
    try:
        checked = iter(check_reports(reports, book, keep))
    except Exception as e:  # keep the batch's files reported even if a check crashes
        reason = f"内部错误（{type(e).__name__}: {e}），请报告此问题"
        checked = iter([FileResult.unreadable(r.path, reason, format=r.format, year=r.year, office=r.office)
                        for r in reports])
    return [next(checked) if isinstance(x, Report) else x for x in loaded]


def files_for(paths, cfg: configs.Config, output: str | None) -> tuple[list[str], list[FileResult]]:
    files, missing = collect(paths, cfg.extensions, cfg.exclude)
    if output:  # a previous run's output inside a linted folder is not an input
        target = os.path.realpath(output)
        files = [f for f in files if os.path.realpath(f) != target]
    return files, missing


def execute(book: rulebook.Rulebook, cfg: configs.Config, files: list[Input], missing: list[FileResult] = (),
            jobs: int = 1, baseline: str | None = None, write_baseline: str | None = None,
            progress=None, keep_reports: bool = False) -> Run:
    from validator.check import crossyear

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
