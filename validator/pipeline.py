"""The one driver: files (paths, or uploads as name and bytes) -> read -> extract -> check, in
batches and in parallel when asked, then cross-year checks, configuration and baseline. lint,
extract, serve and every output format take what it returns; none reads a file again."""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice

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
               progress=None, keep: bool = False, cache=None, cluster=None) -> Iterator[FileResult]:
    """Results in input order, each as soon as it and those before it are done; with jobs > 1
    the batches run in that many processes, with `cluster` (validator.cluster.Cluster) on a Dask
    cluster's workers (identical results: every batch is checked the same way). `progress(n)` is
    called as n more files are done. `keep`: each result carries its extracted report, for a
    format that draws the tables. `cache` (validator.cache.Cache): a file whose entry is stored
    is not read; every other file's result is stored, keyed by the bytes that were checked."""
    book = book or rulebook.load()
    items = list(items)
    looking = cache is not None and not keep
    looked = ((item, _stored(item, cache) if looking else None) for item in items)  # lazily: work starts at once
    order: deque = deque()  # (item, key) looked up, not yet yielded
    misses: deque = deque()  # items looked up, not stored: for the checking engine

    def look() -> bool:
        for item, key in islice(looked, 1):
            order.append((item, key))
            if key is None:
                misses.append(item)
            return True
        return False

    def todo() -> Iterator[Input]:
        while misses or look():
            if misses:
                yield misses.popleft()

    checked = _checked(todo(), len(items), book, jobs, keep, cache is not None, cluster)
    try:
        while order or look():
            item, key = order.popleft()
            result = cache.get(key) if key else None
            if result is None:
                # not stored, or an entry gone or corrupt since it was looked up: checked here
                content, result = next(checked) if key is None else _hashed_batch([item], book, keep)[0]
                if cache is not None and content is not None:
                    cache.put(cache.key(_name(item), content), result)
            if progress:
                progress(1)
            yield result
        next(checked, None)  # let the workers finish normally
    finally:
        checked.close()  # an interrupted run stops its workers


def _stored(item: Input, cache) -> str | None:
    """The cache key of a file whose result is stored, else None (also for an upload)."""
    from validator.cache import digest, file_bytes

    if not isinstance(item, str):
        return None
    data = file_bytes(item)
    if data is None:
        return None
    key = cache.key(item, digest(data))
    return key if cache.has(key) else None


def _checked(items: Iterator[Input], count: int, book, jobs: int, keep: bool, hashing: bool,
             cluster) -> Iterator[tuple]:
    """(the hash of the bytes checked, or None; the result) per item, in input order; `count`:
    at most that many items (the cache may leave fewer), to size the batches."""
    if cluster is not None:
        yield from cluster.results(items, count, book, keep)
        return
    jobs = max(1, min(jobs, count // MIN_PER_WORKER))
    # serial: big batches (pandera and numpy once per table shape); parallel: work for every worker
    size = BATCH if jobs == 1 else max(1, min(BATCH, -(-count // (jobs * 4))))
    batches = iter(lambda: list(islice(items, size)), [])
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    batches = chain([first], [second] if second else [], batches)
    if jobs > 1 and second:
        yield from _in_pool(batches, book, jobs, keep, hashing)
        return
    for batch in batches:
        yield from _hashed_batch(batch, book, keep) if hashing else ((None, r) for r in _lint_batch(batch, book, keep))


def _in_pool(batches: Iterator[list[Input]], book, jobs: int, keep: bool, hashing: bool) -> Iterator[tuple]:
    """The batches' results in order, at most 2 batches per worker in flight (memory stays
    bounded); an interrupted run (Ctrl-C, the consumer gone) ends its workers at once."""
    pool = _pool(jobs, book)
    done = False
    try:
        todo = iter(batches)
        pending = deque(pool.submit(_worker_batch, b, keep, hashing) for b in islice(todo, jobs * 2))
        while pending:
            results = pending.popleft().result()
            for b in islice(todo, 1):
                pending.append(pool.submit(_worker_batch, b, keep, hashing))
            yield from results
        done = True
    finally:
        if not done:
            _stop(pool)
        pool.shutdown(wait=done, cancel_futures=True)


def _stop(pool) -> None:
    stop = getattr(pool, "terminate_workers", None)  # Python 3.14
    if stop is not None:
        stop()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


_BOOK: rulebook.Rulebook | None = None  # a worker's rulebook: the run's own, extra rule files included


def _set_book(book: rulebook.Rulebook) -> None:
    global _BOOK
    _BOOK = book
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends the workers


def _worker_batch(items: list[Input], keep: bool, hashing: bool) -> list[tuple]:
    if hashing:
        return _hashed_batch(items, _BOOK, keep)
    return [(None, r) for r in _lint_batch(items, _BOOK, keep)]


def _hashed_batch(items: list[Input], book, keep: bool = False) -> list[tuple]:
    """(the hash of the bytes checked, or None; the result) per item: a file is read once, and
    its result is stored under the hash of exactly the bytes it was checked from."""
    from validator.cache import digest, file_bytes

    read_in, contents = [], []
    for item in items:
        data = file_bytes(item) if isinstance(item, str) else None
        read_in.append(item if data is None else (item, data))  # what read(path) would read, whole
        contents.append(None if data is None else digest(data))
    return list(zip(contents, _lint_batch(read_in, book, keep)))


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
            progress=None, keep_reports: bool = False, cache=None, cluster=None) -> Run:
    """The whole run at once: every file's result with its cross-year findings, the configuration
    and the baseline applied (validator.stream gives the same findings as files finish)."""
    from validator.stream import Stream

    stream = Stream(book, cfg, files, missing, jobs=jobs, progress=progress, cache=cache, cluster=cluster,
                    keep_reports=keep_reports, spill=False)  # an upload's figures never go to disk
    results = list(stream)
    for add in stream.finish().additions:
        own = results[add.index]
        results[add.index] = replace(own, findings=[*own.findings, *add.result.findings])
    run = Run(results, cfg)
    if write_baseline:  # every current finding, also those an old baseline suppresses below
        old = baselines.read(write_baseline) if os.path.exists(write_baseline) else None
        run.baseline_written = baselines.write(write_baseline, results, old)
    if baseline:
        entries = baselines.read(baseline)
        run.results, run.suppressed, run.stale = baselines.apply(baseline, entries, results, cfg.keeps)
    return run
