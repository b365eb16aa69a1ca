"""--jobs N gives exactly the serial results, in the same order."""

import json
from pathlib import Path

from conftest import mixed_reports, run_cli, run_subprocess

from validator import synth

ROOT = Path(__file__).resolve().parent.parent


def test_parallel_run_equals_serial_run(tmp_path):
    mixed_reports(tmp_path, 300)  # more than one batch of 256

    def run(jobs, runner):
        # no result cache: the parallel run must check every file, not read the serial run's results
        proc = runner("lint", "--format", "json", "--no-cache", "--jobs", str(jobs), tmp_path, cwd=ROOT)
        assert proc.returncode == 1, proc.stderr
        return json.loads(proc.stdout)

    # the serial run in-process; the parallel one as a user starts it: a real process and its workers
    serial, parallel = run(1, run_cli), run(2, run_subprocess)
    assert serial == parallel
    assert len(serial["files"]) == 300
    assert serial["summary"]["failed"] == len(range(0, 300, 7))


def test_jobs_use_workers_below_one_batch_with_the_run_s_own_rules(tmp_path, monkeypatch):
    import concurrent.futures
    import dataclasses

    from validator.pipeline import lint_paths
    from validator.rules import rulebook

    files = []
    for i in range(40):  # far fewer than one batch of 256
        tables = synth.figures("2021", seed=i)
        tables["t3"]["granted"]["natural"] += 1  # T3-ROW-TOTAL and T3-OUTCOME-SUM fail
        path = tmp_path / f"r{i:02d}.html"
        path.write_text(synth.render("2021", tables, "html", office=f"第{i}号机关"), encoding="utf-8")
        files.append(str(path))
    book = rulebook.load()
    # a rulebook of the run's own: T3-ROW-TOTAL made a warning
    rules = tuple(dataclasses.replace(r, severity="warning") if r.code == "T3-ROW-TOTAL" else r for r in book.rules)
    own = dataclasses.replace(book, rules=rules)
    started = []

    class Spy(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    parallel = list(lint_paths(files, own, jobs=2))
    assert started == [2]
    assert parallel == list(lint_paths(files, own, jobs=1))
    severities = {f.severity for r in parallel for f in r.findings if f.code == "T3-ROW-TOTAL"}
    assert severities == {"warning"}
