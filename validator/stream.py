"""A lint run whose results come out as the files are checked, in input order, while memory holds
only a few bytes per file.

Each file's own result (its findings, the configuration and the baseline applied) is handed on
as soon as it and the files before it are done. Cross-year findings need every file: they are
computed at the end (`finish`) from the files' cross-year facts, which wait in a temporary file
(in memory while small), and handed on as additions — each file they concern, with only those
findings and its final status. The findings of a run are therefore those of `pipeline.execute`:
the own ones as they come, the cross-year ones at the end. An interrupted run (Ctrl-C) ends with
what was checked (`interrupted`)."""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain

from validator import baseline as baselines
from validator.cache import facts_from, plain_facts
from validator.findings import READ_ERROR, FileResult, Finding

SPILL_BYTES = 2 * 1024 * 1024  # the records stay in memory up to this size, then go to a temporary file
STATUSES = ("pass", "fail", "incomplete", "error")


@dataclass
class Addition:
    index: int  # the file's place in the run (missing paths first, as the results come)
    result: FileResult  # the file's cross-year findings, the configuration and the baseline applied
    status: str  # the file's final status: its own findings and these together


@dataclass
class Ending:
    additions: Iterable[Addition]  # in input order; read from a temporary file as they are iterated
    incomplete: Iterable[FileResult]  # each file finally 部分未核对: its path and its incomplete readings
    counted: list  # what summary.summarize reads of every file: summarize(ending.counted, suppressed)
    suppressed: int = 0
    stale: list[baselines.Entry] = field(default_factory=list)
    interrupted: bool = False

    @property
    def files(self) -> int:
        return len(self.counted)

    def statuses(self) -> set[str]:
        return {c.status for c in self.counted}


class _View:
    """Records read back one at a time, each time the view is iterated: `make(index, record)`."""

    def __init__(self, records: _Records, indices: list[int], make=lambda i, record: record):
        self.records, self.indices, self.make = records, indices, make

    def __iter__(self) -> Iterator:
        return (self.make(i, self.records.load(i)) for i in self.indices)

    def __len__(self) -> int:
        return len(self.indices)


class Counted:
    """A file as summary.summarize reads it: its status and its findings' codes and severities."""

    __slots__ = ("status", "findings")

    def __init__(self, status: str, findings: list):
        self.status, self.findings = status, findings


_SEVERITY = {s: Finding("", s, "") for s in ("error", "warning", "info")}


class Stream:
    """`for r in Stream(...)`: each file's own result, in input order (the unreadable paths of
    `missing` first, as in `pipeline.execute`); then `finish()`, or `interrupted()` after Ctrl-C.
    `spill`: the per-file records may go to a temporary file (not for a web upload: nothing of
    it is written to disk)."""

    def __init__(self, book, cfg, files, missing=(), *, jobs: int = 1, baseline: str | None = None,
                 progress=None, cache=None, cluster=None, keep_reports: bool = False, spill: bool = True):
        from validator import pipeline

        self.book, self.cfg = book, cfg
        self.baseline = baseline
        self.entries = baselines.read(baseline) if baseline else None  # a bad baseline stops the run first
        self._items = chain(missing, pipeline.lint_paths(files, book, jobs=jobs, progress=progress,
                                                         keep=keep_reports, cache=cache, cluster=cluster))
        self._records = _Records(SPILL_BYTES if spill else 0)
        self._status = bytearray()  # per file, its own status (an index in STATUSES)
        self._counts = dict.fromkeys(_SEVERITY, 0)
        self._unused: set[str] = set()  # baseline entries that no own finding of their file used
        self.suppressed = 0

    def __iter__(self) -> Iterator[FileResult]:
        for r in self._items:
            yield self._own(r)

    def _own(self, r: FileResult) -> FileResult:
        name = self.cfg.office_for(r.path) if self.cfg.offices else None
        if name and r.facts is not None:
            r.facts = replace(r.facts, office=name)
            r.office = name  # one office for the checks and for every output
        facts = r.facts
        r = self._filtered(self.cfg.apply(r), note_unused=True)
        # what the file's final status needs: the findings that decide its own status
        deciding = [f for f in r.findings if f.code == READ_ERROR or f.incomplete]
        deciding += [f for f in r.findings if f.severity == "error"][:1]
        status = STATUSES.index(r.status)
        self._records.add((r.path, plain_facts(facts), deciding))
        self._status.append(status)
        self._count(r.findings)
        return r

    def _filtered(self, r: FileResult, note_unused: bool = False) -> FileResult:
        """The result less the findings the baseline holds; with `note_unused`, the file's
        entries that none of these findings used are noted (stale unless cross-year ones use them)."""
        if self.entries is None:
            return r
        out, suppressed, unused = baselines.apply(self.baseline, self.entries, [r], self.cfg.keeps)
        self.suppressed += suppressed
        if note_unused:
            self._unused.update(e.fingerprint for e in unused)
        return out[0]

    def _count(self, findings) -> None:
        for f in findings:
            if f.code != READ_ERROR:
                self._counts[f.severity] += 1

    def finish(self) -> Ending:
        """After every file: the cross-year findings (each office's files at a time, each file's
        findings to a temporary file as soon as they are known), final statuses and the summary."""
        from validator.check import crossyear

        added = _Records(SPILL_BYTES if self._records.limit else 0)
        at: dict[int, int] = {}  # a file's index -> its addition's place in `added`
        used: set[str] = set()
        readings: dict[int, list[Finding]] = {}  # cross-year findings that leave a file incomplete (none so far)
        for group in self._groups():
            records = [self._records.load(i) for i in group]
            stubs = [FileResult(path, facts=facts_from(facts)) for path, facts, _ in records]
            for i, stub, (_, _, deciding) in zip(group, crossyear.check(self.book, stubs), records):
                if not stub.findings:
                    continue
                facts = stub.facts
                r = self.cfg.apply(FileResult(stub.path, facts.format, facts.year, stub.findings, facts.office))
                kept = self._filtered(r)
                used.update(self._fingerprints(r, kept))
                if not kept.findings:
                    continue
                status = FileResult(stub.path, findings=[*deciding, *kept.findings]).status
                self._status[i] = STATUSES.index(status)
                self._count(kept.findings)
                at[i] = len(added.offsets)
                added.add(Addition(i, kept, status))
                if any(f.incomplete for f in kept.findings):
                    readings[i] = [f for f in kept.findings if f.incomplete]
        stale = [e for fp, e in (self.entries or {}).items() if fp in self._unused and fp not in used]
        additions = _View(added, [at[i] for i in sorted(at)])
        return Ending(additions, self._incomplete(readings), self._counted(), self.suppressed, stale)

    def interrupted(self) -> Ending:
        """What was checked before the run was stopped (no cross-year checks: not every year is in)."""
        return Ending([], self._incomplete(), self._counted(), self.suppressed, interrupted=True)

    def _groups(self) -> list[list[int]]:
        """The files of each office (as crossyear.office_key joins names) that could pair: two or more."""
        from validator.check import crossyear

        dated = [(i, facts[0]) for i, (_, facts, _) in self._records.scan()
                 if facts is not None and facts[0] and facts[1]]  # plain facts: office, year, …
        names = {office for _, office in dated}
        keys = crossyear.office_key([FileResult("", facts=crossyear.YearFacts(n, None, None)) for n in names])
        groups: dict[str, list[int]] = defaultdict(list)
        for i, office in dated:
            groups[keys[office]].append(i)
        return [g for g in groups.values() if len(g) > 1]

    def _fingerprints(self, before: FileResult, after: FileResult) -> set[str]:
        """The baseline entries that suppressed findings of `before`."""
        if self.entries is None or len(before.findings) == len(after.findings):
            return set()
        from pathlib import Path

        rel = baselines._relative(before.path, Path(self.baseline).resolve().parent)
        return {fp for f in before.findings if (fp := baselines.fingerprint(rel, f)) in self.entries}

    def _incomplete(self, readings: dict[int, list[Finding]] | None = None) -> _View:
        """Each file finally 部分未核对, with its incomplete readings (its own, and any cross-year)."""
        code = STATUSES.index("incomplete")
        files = [i for i in range(min(len(self._status), len(self._records.offsets))) if self._status[i] == code]
        return _View(self._records, files, lambda i, record: FileResult(
            record[0], findings=[*(f for f in record[2] if f.incomplete), *(readings or {}).get(i, ())]))

    def _counted(self) -> list[Counted]:
        counted = [Counted(STATUSES[s], []) for s in self._status]
        if counted:
            counted[0].findings = [_SEVERITY[s] for s, n in self._counts.items() for _ in range(n)]
        return counted


class _Records:
    """One pickled record per file, in order: in memory up to `limit` bytes, then in a temporary
    file of this process (0: always in memory). Only their offsets stay in memory."""

    def __init__(self, limit: int):
        self.limit = limit
        self.file = tempfile.SpooledTemporaryFile(max_size=limit)
        self.offsets = array("q")

    def add(self, record) -> None:
        self.file.seek(0, 2)
        self.offsets.append(self.file.tell())
        pickle.dump(record, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def load(self, i: int):
        self.file.seek(self.offsets[i])
        return pickle.load(self.file)

    def scan(self) -> Iterator[tuple[int, tuple]]:
        self.file.seek(0)
        for i in range(len(self.offsets)):
            yield i, pickle.load(self.file)
