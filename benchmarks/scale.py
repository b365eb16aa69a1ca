#!/usr/bin/env python
"""At scale: the result cache, -j, a Dask cluster, per-layout cost and streaming memory.

    .venv/bin/python benchmarks/scale.py                      # 10,000 mixed reports (a few minutes)
    .venv/bin/python benchmarks/scale.py --n 2000 --memory-files 5000 --no-dask

Writes N mixed reports (validator.synth in the html, cells, rows and crawler-text layouts, plus
PDF and DOCX files drawn as tests/documents.py draws them; an office's reports for 5 consecutive
years, so cross-year checks run) to a temporary folder, then times `govreport lint --format jsonl`
as a user runs it (a subprocess, start-up included):
  * first run with an empty cache (-j 1), the cached second run, a run after one file changed;
  * without the cache: -j 1 and -j 2 (or --jobs as given);
  * a dask.distributed LocalCluster of 2 worker processes (`--dask`), when dask is installed;
and, in-process, the cost per file of each layout against its floor (text and HTML: read, decode
and one lxml pass; PDF: pdfplumber opening the file and reading every page's characters; DOCX:
python-docx opening it). Last, a jsonl run over --memory-files reports: its resident memory as
the files stream out. Every figure is one run on this machine: read them as orders of size.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # documents.py: PDF and DOCX

from validator import synth  # noqa: E402

SUFFIX = {"html": ".html", "cells": ".txt", "rows": ".md", "crawler": ".txt", "pdf": ".pdf", "docx": ".docx"}
MIX = {"html": 40, "cells": 20, "rows": 18, "crawler": 16, "pdf": 3, "docx": 3}  # percent of the files


def generate(folder: Path, n: int, mix: dict[str, int] = MIX) -> dict[str, list[Path]]:
    """N reports, the layouts in the proportions of `mix`; offices of 5 years each."""
    from documents import make_docx, make_pdf

    folder.mkdir(parents=True, exist_ok=True)
    layouts = [lay for lay, share in mix.items() for _ in range(share)]
    rnd = random.Random(13)
    by_layout: dict[str, list[Path]] = {lay: [] for lay in mix}
    for i in range(n):
        office, year = i // 5, 2019 + i % 5
        fmt = "2019" if year < 2021 else "2021"
        tables = synth.figures(fmt, seed=i)
        layout = rnd.choice(layouts)
        path = folder / f"{office:05d}" / f"{year}{SUFFIX[layout]}"
        path.parent.mkdir(exist_ok=True)
        if layout == "pdf":
            path.write_bytes(make_pdf(fmt, tables, year))
        elif layout == "docx":
            path.write_bytes(make_docx(fmt, tables, year))
        else:
            text = synth.render(fmt, tables, layout, year=year, office=f"云溪县第{office}局")
            path.write_text(text, encoding="utf-8")
        by_layout[layout].append(path)
    return by_layout


def govreport() -> list[str]:
    exe = Path(sys.executable).parent / ("govreport.exe" if os.name == "nt" else "govreport")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "validator"]


def timed(args: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(govreport() + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1, 2):
        sys.exit(f"FAILED ({proc.returncode}): {' '.join(args)}\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return took


def rss_while(args: list[str], cwd: Path, out: Path, total: int) -> list[tuple[int, float]]:
    """(files written, resident MB) sampled while a jsonl run streams to `out`."""
    proc = subprocess.Popen(govreport() + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    while proc.poll() is None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
            lines = out.read_bytes().count(b"\n") if out.exists() else 0
            samples.append((min(lines, total), rss))
        except (OSError, StopIteration):
            pass
        time.sleep(0.25)
    return samples


def per_file_costs(files: dict[str, list[Path]], sample: int) -> list[tuple[str, int, float, float]]:
    """(layout, files, floor µs/file, govreport µs/file) in-process, after a warm-up."""
    import lxml.html

    from validator.pipeline import lint_paths
    from validator.read.encoding import decode
    from validator.rules import rulebook

    def floor(path: Path) -> None:
        data = path.read_bytes()
        if path.suffix == ".pdf":
            import pdfplumber

            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    page.chars  # noqa: B018 - pdfplumber's own pass over the page
        elif path.suffix == ".docx":
            import docx

            docx.Document(io.BytesIO(data))
        else:
            lxml.html.document_fromstring(decode(data)[0])

    book = rulebook.load()
    rows = []
    for layout, paths in files.items():
        paths = [str(p) for p in paths[:sample]]
        if not paths:
            continue
        list(lint_paths(paths[:4], book))  # warm-up: imports, schema caches
        for p in paths[:2]:
            floor(Path(p))
        t0 = time.perf_counter()
        for p in paths:
            floor(Path(p))
        t1 = time.perf_counter()
        list(lint_paths(paths, book))
        t2 = time.perf_counter()
        rows.append((layout, len(paths), (t1 - t0) * 1e6 / len(paths), (t2 - t1) * 1e6 / len(paths)))
    return rows


def dask_run(folder: Path, workers: int) -> float | None:
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        timed(["lint", "--no-cache", "--format", "jsonl", "--dask", cluster.scheduler_address, "--ignore", "XY",
               str(folder / "00000")], folder)  # the workers' imports, once
        return timed(["lint", "--no-cache", "--format", "jsonl", "--dask", cluster.scheduler_address, str(folder)],
                     folder)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="mixed reports (default 10,000)")
    ap.add_argument("--jobs", default="1,2", help="-j values timed without the cache (default 1,2)")
    ap.add_argument("--sample", type=int, default=100, help="files per layout for the per-file costs")
    ap.add_argument("--memory-files", type=int, default=20_000, help="reports in the streaming memory run (0: none)")
    ap.add_argument("--no-dask", action="store_true", help="skip the LocalCluster run")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and print where")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="govreport-scale-"))
    reports, cache = root / "reports", root / "cache"
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    try:
        t0 = time.perf_counter()
        files = generate(reports, args.n)
        say(f"{args.n} reports ({', '.join(f'{k} {len(v)}' for k, v in files.items())}) "
            f"generated in {time.perf_counter() - t0:.0f} s; {os.cpu_count()} cores")
        timed(["lint", "--no-cache", str(files["html"][0])], root)  # warm-up: bytecode, the disk's cache
        run = ["lint", "--format", "jsonl", "-o", str(root / "out.jsonl"), "-j", "1", "--cache-dir", str(cache)]
        first = timed(run + [str(reports)], root)
        second = timed(run + [str(reports)], root)
        changed = files["html"][len(files["html"]) // 2]
        text = changed.read_text(encoding="utf-8").replace("</body>", "<p>更正</p></body>")
        changed.write_text(text, encoding="utf-8")
        one = timed(run + [str(reports)], root)
        size = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file())
        say(f"cache, -j 1: first run {first:.1f} s, cached second run {second:.1f} s, one file changed {one:.1f} s "
            f"(cache: {sum(1 for _ in cache.glob('??/*'))} entries, {size / 1e6:.0f} MB)")
        for jobs in args.jobs.split(","):
            t = timed(["lint", "--no-cache", "--format", "jsonl", "-o", str(root / "out.jsonl"), "-j", jobs,
                       str(reports)], root)
            say(f"no cache, -j {jobs}: {t:.1f} s ({args.n / t:.0f} files/s)")
        if not args.no_dask:
            t = dask_run(reports, 2)
            say("LocalCluster, 2 workers: dask.distributed not installed" if t is None else
                f"LocalCluster, 2 worker processes (--dask, no cache): {t:.1f} s ({args.n / t:.0f} files/s)")
        say("per file, in-process (µs/file):")
        for layout, n, floor, gov in per_file_costs(files, args.sample):
            say(f"  {layout:<8} {n:>4} files  floor {floor:>9.0f}  govreport {gov:>9.0f}  ratio {gov / floor:5.1f}")
        if args.memory_files:
            text_only = {k: v for k, v in MIX.items() if k not in ("pdf", "docx")}
            many = root / "many"
            generate(many, args.memory_files, text_only)
            out = root / "many.jsonl"
            samples = rss_while(["lint", "--no-cache", "--format", "jsonl", "-j", "1", "-o", str(out), str(many)],
                                root, out, args.memory_files)
            marks = [samples[min(len(samples) - 1, int(len(samples) * q))] for q in (0.1, 0.25, 0.5, 0.75, 0.99)]
            say(f"streaming jsonl over {args.memory_files} reports, resident MB by files written: "
                + ", ".join(f"{n}: {rss:.0f}" for n, rss in marks) + f" (peak {max(r for _, r in samples):.0f})")
    finally:
        if args.keep:
            print(f"files kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
