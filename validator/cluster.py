"""Checking on a Dask cluster (`govreport lint --dask ADDRESS`; the optional extra govreport[dask]).

The batches of a run go to the cluster's workers, a few per worker thread at a time, and their
results come back in input order: exactly the serial results, since each batch is checked by the
same code (`pipeline._lint_batch`) with the run's own rulebook, sent to every worker once. A
worker whose govreport, Python or reading libraries differ from this machine's refuses the work
(`cache.environment()`), rather than return other results.

Workers read each file from its absolute path, which must therefore be the same on every machine
(a shared mount); with `ship_files` this machine reads the files and sends their bytes instead.
Either way the result names the file as it was given on the command line."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from itertools import chain, islice

from validator import cache as caches

BATCH = 64  # the most files in one task (fewer when there are few files per worker thread)
PER_THREAD = 2  # tasks in flight per worker thread: work queued, memory bounded


class ClusterError(Exception):
    """The cluster cannot be used or refused the work; the message says why, in Chinese."""


def _comparable(env: dict) -> dict:
    return {k: v for k, v in env.items() if k != "office"}  # LibreOffice is each machine's own


class Cluster:
    def __init__(self, address: str, ship_files: bool = False, timeout: float = 10):
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError("--dask 需要可选依赖 dask.distributed：pip install 'govreport[dask]'") from None
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise ClusterError(f"无法连接 Dask 调度器 {address}：{e}") from None
        self.ship_files = ship_files

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def results(self, items: Iterator, count: int, book, keep: bool = False) -> Iterator[tuple]:
        """(the hash of the bytes checked, or None; the result) per item, in input order; `count`:
        at most that many items, to size the batches."""
        from validator import pipeline

        threads = self.threads()
        size = max(1, min(BATCH, -(-count // (threads * 4))))
        items = iter(items)
        batches = iter(lambda: list(islice(items, size)), [])
        first = next(batches, None)
        if first is None:
            return  # nothing to check: every file was in the cache
        batches = chain([first], batches)
        remote_book = self.client.scatter(book, broadcast=True, hash=False)
        expected = _comparable(caches.environment())
        pending: deque = deque()

        def submit(batch):
            payload = [self._payload(item) for item in batch]
            pending.append((batch, self.client.submit(check_batch, payload, remote_book, keep, expected, pure=False)))

        done = False
        try:
            for batch in islice(batches, threads * PER_THREAD):
                submit(batch)
            while pending:
                batch, future = pending.popleft()
                try:
                    checked = future.result()
                except ClusterError:
                    raise
                except Exception as e:
                    raise ClusterError(f"Dask 集群未能完成检查（{type(e).__name__}: {e}）") from None
                for batch_next in islice(batches, 1):
                    submit(batch_next)
                for item, pair in zip(batch, checked):
                    yield pair if pair is not None else pipeline._hashed_batch([item], book, keep)[0]
            done = True
        finally:
            if not done:
                self.client.cancel([f for _, f in pending])

    def _payload(self, item):
        """What a worker gets for one item: (name, bytes), (name, absolute path), or (name, None)
        for a file this machine checks itself (one it could not read whole: the reader says why)."""
        if not isinstance(item, str):
            return item  # an upload: its bytes already
        if self.ship_files:
            return item, caches.file_bytes(item)
        return item, os.path.abspath(item)


def check_batch(payload: list, book, keep: bool, expected: dict) -> list:
    """On a worker: (hash, result) per item, None for an item left to the client."""
    from validator import pipeline

    if _comparable(caches.environment()) != expected:
        found = _comparable(caches.environment())
        diff = {k: (expected.get(k), found.get(k)) for k in sorted(set(expected) | set(found))
                if expected.get(k) != found.get(k)}
        raise ClusterError(f"Dask 工作进程的运行环境与本机不同，结果可能不同，未检查：{diff}")
    read_in, contents, renamed = [], [], {}
    for name, where in payload:
        if where is None:
            continue
        data = where if isinstance(where, bytes) else caches.file_bytes(where)
        if data is None:  # not readable whole here: the reader says why, under the name given
            read_in.append(where)
            renamed[len(read_in) - 1] = name
        else:
            read_in.append((name, data))
        contents.append(None if data is None else caches.digest(data))
    results = pipeline._lint_batch(read_in, book, keep)
    results = [replace(r, path=renamed[i]) if i in renamed else r for i, r in enumerate(results)]
    checked = iter(zip(contents, results))
    return [None if where is None else next(checked) for _, where in payload]
