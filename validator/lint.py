"""read -> extract -> check for many files, checked in batches so that pandera and numpy run
once per table shape rather than once per file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from fnmatch import fnmatch
from pathlib import Path

from validator import rulebook
from validator.document import ReadError
from validator.extract import Report, extract
from validator.findings import FileResult, Finding
from validator.readers import read

BATCH = 256
MIN_PER_WORKER = 16
_TABLE_ORDER = {"t2": 0, "t3": 1, "t4": 2, None: -1}


def load_report(path: str, book: rulebook.Rulebook) -> Report | FileResult:
    """The extracted report, or a FileResult carrying the reason the file cannot be read."""
    try:
        return extract(read(path), book)
    except ReadError as e:
        return FileResult(path, error=str(e))
    except RecursionError:
        return FileResult(path, error="文件结构嵌套过深，无法解析")
    except Exception as e:  # a bug must not stop the other files: say so, in one line
        return FileResult(path, error=f"内部错误（{type(e).__name__}: {e}），请报告此问题")


def check_reports(reports: list[Report], book: rulebook.Rulebook, keep: bool = False) -> list[FileResult]:
    from validator import identities, schemas  # pandera and numpy load only when checking

    from validator import crossyear

    results = [FileResult(r.path, r.format, r.year, findings=list(r.findings), office=r.office,
                          facts=crossyear.facts(book, r), report=r if keep else None) for r in reports]
    groups: dict[tuple, list[tuple[int, object]]] = defaultdict(list)
    for i, r in enumerate(reports):
        for tid, table in r.tables.items():
            key = (tid, r.format, tuple(table.frame.index), tuple(table.frame.columns))
            groups[key].append((i, table))
    for (_table, fmt, _, _), members in groups.items():
        tables = [t for _, t in members]
        for (i, _), found in zip(members, schemas.validate(book, fmt, tables)):
            results[i].findings.extend(found)
        found = identities.evaluate(book, fmt, tables)
        for (i, _), f in zip(members, found):
            results[i].findings.extend(f)
    for res in results:
        res.findings.sort(key=_order)
    return results


def _order(f: Finding):
    return (_TABLE_ORDER.get(f.table, 3), f.first_line() or 0)


def lint_paths(paths: Iterable[str], book: rulebook.Rulebook | None = None, jobs: int = 1,
               progress=None, keep: bool = False) -> Iterator[FileResult]:
    """Results in input order, batch by batch; with jobs > 1 the batches run in that many
    processes (identical results: every batch is checked the same way). `progress(n)` is
    called as n more files are done. `keep`: each result carries its extracted report, for a
    format that draws the tables (no file is read twice)."""
    book = book or rulebook.load()
    paths = list(paths)
    jobs = min(jobs, len(paths) // MIN_PER_WORKER)  # a worker's start-up costs about this many files
    size = BATCH if jobs <= 1 else max(1, min(BATCH, -(-len(paths) // (jobs * 4))))  # work for every worker
    batches = [paths[i:i + size] for i in range(0, len(paths), size)]
    if jobs > 1 and len(batches) > 1:
        from concurrent.futures import ProcessPoolExecutor
        from itertools import repeat

        with ProcessPoolExecutor(max_workers=min(jobs, len(batches))) as pool:
            # the run's own rulebook goes to the workers (a rules directory given, not the packaged one)
            for results in pool.map(_lint_batch, batches, repeat(book), repeat(keep)):
                if progress:
                    progress(len(results))
                yield from results
        return
    for batch in batches:
        results = _lint_batch(batch, book, keep)
        if progress:
            progress(len(results))
        yield from results


def _lint_batch(paths: list[str], book, keep: bool = False) -> list[FileResult]:
    loaded = [load_report(p, book) for p in paths]
    reports = [x for x in loaded if isinstance(x, Report)]
    try:
        checked = iter(check_reports(reports, book, keep))
    except Exception as e:  # keep the batch's files reported even if a check crashes
        reason = f"内部错误（{type(e).__name__}: {e}），请报告此问题"
        checked = iter([FileResult(r.path, r.format, r.year, error=reason, office=r.office) for r in reports])
    return [next(checked) if isinstance(x, Report) else x for x in loaded]


def collect(paths: Iterable[str], suffixes: tuple[str, ...], exclude: tuple[str, ...] = ()) -> tuple[list[str], list[FileResult]]:
    """Files named and files found under directories (recursive, by suffix, less `exclude`
    name patterns); missing paths become error results. Named files are always checked."""
    files, missing = [], []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(str(f) for f in path.rglob("*") if f.is_file() and f.suffix.lower() in suffixes
                                and not any(fnmatch(f.name, pat) for pat in exclude)))
        elif path.exists():
            files.append(str(path))
        else:
            missing.append(FileResult(str(path), error="文件不存在"))
    return files, missing
