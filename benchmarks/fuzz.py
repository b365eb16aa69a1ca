#!/usr/bin/env python
"""A longer fuzz run than the test suite's, for occasional use.

    .venv/bin/python benchmarks/fuzz.py                  # 2 000 random examples
    .venv/bin/python benchmarks/fuzz.py --examples 20000 --deadline 10 --seed 7

The mutations and the checks are tests/test_fuzz.py's (our sample reports, a DOCX and a PDF;
bytes flipped, cells cut, tags unbalanced, long digit strings, files cut short, rows repeated):
no exception may escape load_report / lint_paths, every file gets a status, never an internal
error, and no file may take longer than --deadline seconds. Unlike the test, the examples are
random (or seeded), and the slowest ones are printed. On a failure hypothesis prints the
smallest failing example it found and the script exits 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import test_fuzz
from hypothesis import HealthCheck, given, seed, settings


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=2000, help="examples to try (default 2000)")
    ap.add_argument("--deadline", type=float, default=5.0, help="seconds one file may take (default 5)")
    ap.add_argument("--seed", type=int, help="a seed, to repeat a run")
    ap.add_argument("--slowest", type=int, default=10, help="how many of the slowest examples to print")
    args = ap.parse_args()

    timings: list[tuple[float, str, int, str]] = []
    statuses: dict[str, int] = {}

    @settings(max_examples=args.examples, deadline=timedelta(seconds=args.deadline), database=None,
              suppress_health_check=list(HealthCheck), print_blob=True)
    @given(test_fuzz.mutated())
    def run(item):
        start = time.perf_counter()
        result = test_fuzz.check(item)
        timings.append((time.perf_counter() - start, item[0], len(item[1]), result.error or result.status))
        statuses[result.status] = statuses.get(result.status, 0) + 1

    if args.seed is not None:
        run = seed(args.seed)(run)
    started = time.perf_counter()
    try:
        run()
    except Exception as e:  # hypothesis has printed the falsifying example
        print(f"FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    print(f"{len(timings)} files in {time.perf_counter() - started:.1f} s; statuses: "
          + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print(f"slowest {args.slowest}:")
    for seconds, name, size, what in sorted(timings, reverse=True)[:args.slowest]:
        print(f"  {seconds:6.2f} s  {name:<28} {size:>9} bytes  {what[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
