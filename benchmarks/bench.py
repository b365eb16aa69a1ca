#!/usr/bin/env python
"""Throughput benchmark for govreport on synthetic reports.

    .venv/bin/python benchmarks/bench.py --n 500 --layouts cells,rows,html

For each layout it writes N varied, consistent reports (validator.synth) to a temporary
directory, then measures
  * start-up: `govreport --version`, `govreport rules`, and `import pandas, pandera.pandas`;
  * the floor: read bytes + validator.read.encoding.decode + one lxml.html.document_fromstring pass;
  * govreport in-process: list(lint_paths(files, rulebook.load())) after a warm-up;
  * the CLI: `govreport lint --format json DIR` as a subprocess, start-up included;
and, for html, where the in-process time goes (read / extract / check).
Every generated file must pass (in-process and in the CLI's JSON; a crawler page may also be
incomplete, never failed); otherwise the numbers would measure failures, not checking, and the
script stops with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lxml.html

from validator import synth
from validator.extract import extract
from validator.pipeline import check_reports, lint_paths
from validator.read import read
from validator.read.encoding import decode
from validator.rules import rulebook

SUFFIX = {"cells": ".txt", "rows": ".md", "html": ".html", "crawler": ".txt", "glued": ".txt"}
YEARS = {"2019": (2019, 2020), "2021": (2021, 2022, 2023)}
OFFICES = ["青山区民政局", "临江区桃源街道办事处", "云溪县自然资源局", "南湖市人民政府办公室",
           "临江区卫生健康委员会", "青山区城市管理局", "云溪县教育体育局"]
UTF8_META = '<meta charset="utf-8">'
GB_META = '<meta charset="gb2312">'


def generate(root: Path, layout: str, n: int) -> list[str]:
    """N reports: formats alternate, seeds/years/offices vary; html: every other pair is GB18030."""
    d = root / layout
    d.mkdir(parents=True)
    files = []
    for i in range(n):
        fmt = ("2019", "2021")[i % 2]
        years = YEARS[fmt]
        text = synth.render(fmt, synth.figures(fmt, seed=1000 + i), layout=layout,
                            year=years[(i // 2) % len(years)], office=OFFICES[i % len(OFFICES)])
        if layout == "html" and (i // 2) % 2:
            assert UTF8_META in text, "synth.render no longer writes the utf-8 meta"
            data = text.replace(UTF8_META, GB_META).encode("gb18030")
        else:
            data = text.encode("utf-8")
        path = d / f"report_{i:05d}_{fmt}{SUFFIX[layout]}"
        path.write_bytes(data)
        files.append(str(path))
    return files


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def wall(cmd: list[str]) -> tuple[float, bytes]:
    """Wall time and stdout of one run; any exit status but 0 stops the benchmark."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"FAILED ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return elapsed, proc.stdout


def median_wall(cmd: list[str], runs: int = 5) -> float:
    return statistics.median(wall(cmd)[0] for _ in range(runs))


def govreport_cmd() -> list[str]:
    exe = Path(sys.executable).parent / ("govreport.exe" if os.name == "nt" else "govreport")
    return [str(exe)] if exe.is_file() and os.access(exe, os.X_OK) else [sys.executable, "-m", "validator"]


def floor_pass(files: list[str]) -> None:
    """The least any checker must do: read, decode, one lxml pass over the text."""
    for f in files:
        text, _enc = decode(Path(f).read_bytes())
        lxml.html.document_fromstring(text)


def require_all_pass(layout: str, results) -> None:
    # A crawler page's glued 表二 runs often have several readings: incomplete, never failed.
    ok = ("pass", "incomplete") if layout in ("crawler", "glued") else ("pass",)
    bad = [r for r in results if r.status not in ok]
    if not bad:
        return
    print(f"WARNING: {layout}: {len(bad)}/{len(results)} generated files do not pass; "
          "the benchmark would measure failures, not checking.", file=sys.stderr)
    for r in bad[:5]:
        why = r.error or "; ".join(f"{f.code} {f.message}" for f in r.findings if f.severity == "error")[:200]
        print(f"  {r.path}: {r.status}: {why}", file=sys.stderr)
    sys.exit(1)


def breakdown(files: list[str], book, repeat: int) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """Seconds per stage over all files (best of `repeat`), and decode µs/file per encoding."""
    best = [float("inf")] * 3
    for _ in range(repeat):
        t0 = time.perf_counter()
        docs = [read(f) for f in files]
        t1 = time.perf_counter()
        reports = [extract(d, book) for d in docs]
        t2 = time.perf_counter()
        check_reports(reports, book)
        t3 = time.perf_counter()
        best = [min(b, t) for b, t in zip(best, (t1 - t0, t2 - t1, t3 - t2))]
    # decode alone, by encoding: part of the floor as well as of read
    by_enc: dict[str, list[bytes]] = {}
    for f in files:
        data = Path(f).read_bytes()
        by_enc.setdefault(decode(data)[1], []).append(data)
    per_enc = {f"{enc} ({len(ds)} files)": best_of(lambda: [decode(d) for d in ds], repeat) * 1e6 / len(ds)
               for enc, ds in by_enc.items()}
    return [("read+decode+parse (readers.read)", best[0]), ("extract (extract.extract)", best[1]),
            ("check (lint.check_reports, all at once)", best[2])], per_enc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500, help="reports per layout (default 500)")
    ap.add_argument("--layouts", default="cells,rows,html", help="comma-separated: cells,rows,html,crawler,glued")
    ap.add_argument("--repeat", type=int, default=3, help="in-process repetitions, best taken (default 3)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and print where")
    ap.add_argument("--many", type=int, default=0,
                    help="also lint one folder of this many mixed reports with --jobs 1 and --jobs <cores>")
    args = ap.parse_args()
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    unknown = [x for x in layouts if x not in SUFFIX]
    if unknown or not layouts or args.n < 1:
        ap.error(f"layouts must be among {', '.join(SUFFIX)} (got {unknown or 'none'}); --n >= 1")

    gov = govreport_cmd()
    print(f"govreport command: {' '.join(gov)}   python {sys.version.split()[0]}   n={args.n}/layout")
    startup = {
        "govreport --version": median_wall(gov + ["--version"]),
        "govreport rules": median_wall(gov + ["rules"]),
        "python -c 'import pandas, pandera.pandas'":
            median_wall([sys.executable, "-c", "import pandas, pandera.pandas"]),
        "python -c 'pass' (interpreter alone)": median_wall([sys.executable, "-c", "pass"]),
    }

    tmp = tempfile.mkdtemp(prefix="govreport-bench-")
    root, rows = Path(tmp), []
    try:
        t0 = time.perf_counter()
        files = {lay: generate(root, lay, args.n) for lay in layouts}
        print(f"generated {args.n * len(layouts)} files in {time.perf_counter() - t0:.1f}s under {root}")
        many = []
        if args.many:
            per = max(1, args.many // len(layouts))
            mixed = root / "many"
            for lay in layouts:
                generate(mixed, lay, per)
            count = per * len(layouts)
            for jobs in dict.fromkeys([1, os.cpu_count() or 1]):
                t, _ = wall(gov + ["lint", "--format", "json", "--jobs", str(jobs), "--ignore", "XY", str(mixed)])
                many.append((jobs, count, t))
        for lay in layouts:
            fs = files[lay]
            floor = best_of(lambda: floor_pass(fs), args.repeat)
            list(lint_paths(fs[:8], rulebook.load()))  # warm-up: imports, rulebook, schema caches
            out: list = []
            gov_t = best_of(lambda: out.append(list(lint_paths(fs, rulebook.load()))), args.repeat)
            require_all_pass(lay, out[-1])
            cli_t, stdout = wall(gov + ["lint", "--format", "json", str(root / lay)])  # exit 0: all pass
            checked = len(json.loads(stdout)["files"])
            if checked != len(fs):
                sys.exit(f"WARNING: {lay}: the CLI checked {checked} files, expected {len(fs)}")
            rows.append((lay, len(fs), floor, gov_t, cli_t))
            if lay == "html":
                (stages, per_enc), html_total = breakdown(fs, rulebook.load(), args.repeat), gov_t
    finally:
        if args.keep:
            print(f"files kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    print("\nStart-up (median of 5, wall):")
    for name, t in startup.items():
        print(f"  {name:<42} {t * 1000:8.0f} ms")
    print()
    head = (f"{'layout':<7} {'files':>6} {'floor µs/file':>14} {'govreport µs/file':>18} {'ratio':>7} "
            f"{'CLI reports/s':>14}")
    print(head)
    print("-" * len(head))
    for lay, n, floor, gov_t, cli_t in rows:
        print(f"{lay:<7} {n:>6} {floor * 1e6 / n:>14.0f} {gov_t * 1e6 / n:>18.0f} {gov_t / floor:>7.1f} "
              f"{n / cli_t:>14.0f}")
    print("(floor: read+decode+one lxml pass; govreport: lint_paths in-process, best of "
          f"{args.repeat}; CLI: `govreport lint --format json DIR`, one run, start-up included)")

    for jobs, count, t in many:
        print(f"many files: {count} mixed reports, --jobs {jobs}: {t:.1f} s, {count / t:.0f} files/s (start-up included)")

    if "html" in layouts:
        n, summed = args.n, sum(t for _, t in stages)
        print(f"\nBreakdown, html, {n} files (each stage over all files, best of {args.repeat}):")
        for name, t in stages:
            print(f"  {name:<42} {t * 1e6 / n:9.0f} µs/file  {100 * t / summed:5.1f}%")
        print(f"  {'sum of stages':<42} {summed * 1e6 / n:9.0f} µs/file  "
              f"(lint_paths best: {html_total * 1e6 / n:.0f} µs/file)")
        for enc, us in per_enc.items():
            print(f"  {'decode alone, ' + enc:<42} {us:9.0f} µs/file  (part of read and of the floor)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
