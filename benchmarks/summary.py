#!/usr/bin/env python
"""The summary of many reports: time and peak memory, streaming.

    .venv/bin/python benchmarks/summary.py                 # 3000 reports, -j = one per core
    .venv/bin/python benchmarks/summary.py --n 600 --jobs 1 --formats text,xlsx

Writes N synthetic reports (validator.synth: N/6 offices with six consecutive years each,
2020 in the 2019 format, layouts html, markdown rows and one-cell-per-line text in turn) to a
temporary folder, then in a fresh interpreter runs what `govreport summary` runs: the checks
with each file's figures collected as it finishes (validator.overview.collect), the summary
(indicators, year over year, anomalies), and every format (the HTML one with its charts and
a page per report). It prints the time of each step and the peak memory (maximum resident set)
of the main process and of the largest worker. The main process's peak is what streaming
bounds: with N twice as large it grows by the rows (a few kB per report), not by the reports'
tables.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYOUTS = (("html", ".html"), ("rows", ".md"), ("cells", ".txt"))
YEARS = range(2020, 2026)


def write_reports(folder: Path, n: int) -> None:
    from validator import synth

    offices = max(1, n // len(YEARS))
    k = 0
    for o in range(offices):
        for year in YEARS:
            if k >= n:
                return
            fmt = "2019" if year <= 2020 else "2021"
            layout, suffix = LAYOUTS[k % len(LAYOUTS)]
            text = synth.render(fmt, synth.figures(fmt, seed=k), layout, year=year, office=f"第{o + 1}区民政局")
            (folder / f"r{k:05d}{suffix}").write_text(text, encoding="utf-8")
            k += 1


def child(folder: str, jobs: int, formats: list[str], out: str) -> None:
    """Runs in a fresh interpreter: the summary, step by step, and the peak memory."""
    from validator import config as configs
    from validator import pipeline
    from validator.overview import render_csv, render_json, render_text, render_xlsx
    from validator.overview import spec as specs
    from validator.overview.collect import collect
    from validator.overview.pages import Pages
    from validator.overview.render_html import overview
    from validator.overview.summary import build
    from validator.rules import rulebook

    times = {}
    t = time.perf_counter()
    book, cfg = rulebook.load(), configs.Config()
    spec = specs.load(book)
    files, missing = pipeline.files_for([folder], cfg, None)
    pages = Pages(os.path.join(out, "overview.html"), book) if "html" in formats else None
    rows = collect(book, cfg, files, missing, jobs=jobs, on_report=pages.add if pages else None)
    times["checks and figures (files read)"] = time.perf_counter() - t
    rss_rows = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    s = build(book, spec, rows)
    times["summary: indicators, year over year, anomalies"] = time.perf_counter() - t
    sizes = {}
    for fmt in formats:
        t = time.perf_counter()
        path = os.path.join(out, f"summary.{fmt}")
        if fmt == "text":
            with open(path, "w", encoding="utf-8") as f:
                render_text.summary(f, s)
        elif fmt == "csv":
            Path(path).write_text(render_csv.summary(s), encoding="utf-8-sig")
        elif fmt == "json":
            with open(path, "w", encoding="utf-8") as f:
                render_json.summary(s, f)
        elif fmt == "xlsx":
            render_xlsx.summary(s, book, path)
        else:
            pages.finish(rows)
            path = os.path.join(out, "overview.html")
            Path(path).write_text(overview(s, book, pages, jobs=jobs), encoding="utf-8")
        times[f"write {fmt}"] = time.perf_counter() - t
        sizes[fmt] = os.path.getsize(path)
    print(json.dumps({"files": len(rows), "offices": len(s.offices), "pairs": len(s.pairs),
                      "anomalies": len(s.anomalies), "times": times, "sizes": sizes,
                      "rss_after_checks_kb": rss_rows,
                      "rss_main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "rss_largest_worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="reports to generate (default 3000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--formats", default="text,csv,json,xlsx,html")
    ap.add_argument("--child", nargs=3, metavar=("FOLDER", "JOBS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    if args.child:
        child(args.child[0], int(args.child[1]), formats, args.child[2])
        return
    with tempfile.TemporaryDirectory(prefix="govreport-summary-") as tmp:
        folder, out = Path(tmp) / "reports", Path(tmp) / "out"
        folder.mkdir()
        out.mkdir()
        t = time.perf_counter()
        write_reports(folder, args.n)
        print(f"{args.n} synthetic reports written in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--formats", ",".join(formats), "--child", str(folder),
                               str(args.jobs), str(out)], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t
        if proc.returncode:
            sys.exit(proc.stderr)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"summary of {r['files']} reports, {r['offices']} offices, {r['pairs']} pairs of years, "
              f"{r['anomalies']} anomalies; -j {args.jobs}; {wall:.1f} s in all (start-up included)")
        for step, seconds in r["times"].items():
            size = r["sizes"].get(step.split()[-1])
            print(f"  {step:<48} {seconds:8.2f} s" + (f"   {size / 1e6:7.1f} MB" if size is not None else ""))
        print(f"  peak memory, main process: {r['rss_main_kb'] / 1024:.0f} MB "
              f"({r['rss_after_checks_kb'] / 1024:.0f} MB once every file was read); "
              f"largest worker: {r['rss_largest_worker_kb'] / 1024:.0f} MB")


if __name__ == "__main__":
    main()
