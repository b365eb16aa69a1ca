#!/usr/bin/env python
"""Verdicts and findings over folders of reports: a precision yardstick.

    python benchmarks/verdicts.py ../shared/corpus [PATH...] [--jobs N] [--json] [--config FILE]

Lints every report under the paths as one run (`govreport lint` does the same: cross-year checks
included) and prints
  * the verdict counts: pass / fail / incomplete / error;
  * the findings per code, split by severity (error / warning / info), most frequent first, with
    how many of them mark a reading limit (incomplete) and in how many files the code occurs;
  * the files per verdict: for a failed file its error codes, for an incomplete one the rows it
    could not read, for an unreadable one the reason.
With --json the same as one JSON object. On a corpus whose files are known to be clean, every error
in the table is a false alarm: the counts are the number to drive down.

No configuration file is applied unless --config names one, so nothing is filtered or re-graded:
every finding is counted at its catalogue severity.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

from validator import config as configs
from validator import pipeline as runs
from validator.rules import rulebook

VERDICTS = ("pass", "fail", "incomplete", "error")
SEVERITIES = ("error", "warning", "info")
READ_ERROR = "READ-ERROR"  # the code an unreadable file is counted under (as `--statistics` does)


def tally(results) -> dict:
    """Counts over a run's FileResults, ready for text or JSON."""
    verdicts = Counter({v: 0 for v in VERDICTS})
    per_code: dict[str, Counter] = defaultdict(Counter)
    files_with: dict[str, set[str]] = defaultdict(set)
    by_verdict: dict[str, list[dict]] = {v: [] for v in VERDICTS}
    for r in results:
        status = r.status
        verdicts[status] += 1
        if r.error is not None:
            per_code[READ_ERROR]["error"] += 1
            files_with[READ_ERROR].add(r.path)
        for f in r.findings:
            per_code[f.code][f.severity] += 1
            per_code[f.code]["incomplete"] += bool(f.incomplete)
            files_with[f.code].add(r.path)
        by_verdict[status].append({"path": r.path, "format": r.format, "year": r.year,
                                   "detail": _detail(r, status)})
    codes = [{"code": code, **{s: c[s] for s in SEVERITIES}, "total": sum(c[s] for s in SEVERITIES),
              "incomplete": c["incomplete"], "files": len(files_with[code])}
             for code, c in per_code.items()]
    codes.sort(key=lambda row: (-row["total"], row["code"]))
    severities = {s: sum(row[s] for row in codes) for s in SEVERITIES}
    return {"files": len(results), "verdicts": dict(verdicts), "severities": severities,
            "codes": codes, "by_verdict": by_verdict}


def _detail(r, status: str) -> str:
    if status == "error":
        return r.error or ""
    if status == "fail":
        errors = Counter(f.code for f in r.findings if f.severity == "error")
        return ", ".join(f"{code}×{n}" if n > 1 else code for code, n in errors.most_common())
    if status == "incomplete":
        rows = dict.fromkeys(f"{f.table or '-'} {f.row or f.column or '-'}" for f in r.findings if f.incomplete)
        return "unread: " + ", ".join(rows)
    return ""


def display_paths(report: dict, paths: list[str]) -> None:
    """Paths relative to the one folder given (as the files are named inside it)."""
    roots = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    if len(roots) != 1 or len(roots) != len(paths):
        return
    for entries in report["by_verdict"].values():
        for e in entries:
            try:
                e["path"] = Path(e["path"]).resolve().relative_to(roots[0]).as_posix()
            except ValueError:
                pass


def render_text(report: dict) -> str:
    v, s = report["verdicts"], report["severities"]
    out = [f"{report['files']} files: " + ", ".join(f"{name} {v[name]}" for name in VERDICTS),
           f"findings: error {s['error']}, warning {s['warning']}, info {s['info']}", ""]
    head = f"{'code':<22} {'error':>6} {'warning':>8} {'info':>6} {'total':>6} {'incompl.':>9} {'files':>6}"
    out += ["findings per code (most frequent first)", head, "-" * len(head)]
    for row in report["codes"]:
        out.append(f"{row['code']:<22} {row['error']:>6} {row['warning']:>8} {row['info']:>6} {row['total']:>6} "
                   f"{row['incomplete']:>9} {row['files']:>6}")
    if not report["codes"]:
        out.append("(no findings)")
    out.append("")
    out.append("files per verdict")
    for name in VERDICTS:
        entries = report["by_verdict"][name]
        out.append(f"{name} ({len(entries)})")
        width = max((len(e["path"]) for e in entries), default=0)
        for e in entries:
            out.append(f"  {e['path']:<{width}}  {e['detail']}".rstrip())
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders (recursive)")
    ap.add_argument("-j", "--jobs", type=int, default=0, help="processes; 0 = one per core (default)")
    ap.add_argument("--json", action="store_true", help="print the same as one JSON object")
    ap.add_argument("--config", help="apply this govreport configuration file (default: none)")
    args = ap.parse_args(argv)
    if args.jobs < 0:
        ap.error("--jobs must be >= 0")

    try:
        book = rulebook.load()
    except rulebook.RulesError as e:
        print(f"rules/ cannot be loaded: {e}", file=sys.stderr)
        return 2
    try:
        cfg = configs.load(Path(args.config), book.codes()) if args.config else configs.Config()
    except configs.ConfigError as e:
        ap.error(str(e))
    files, missing = runs.files_for(args.paths, cfg, None)
    if not files and not missing:
        ap.error("no report files found under the paths given")
    run = runs.execute(book, cfg, files, missing, jobs=args.jobs or os.cpu_count() or 1)

    report = tally(run.results)
    display_paths(report, args.paths)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
