"""--jobs N gives exactly the serial results, in the same order."""

import json
import subprocess
import sys
from pathlib import Path

from validator import synth

ROOT = Path(__file__).resolve().parent.parent


def test_parallel_run_equals_serial_run(tmp_path):
    for i in range(300):  # more than one batch of 256
        fmt = "2019" if i % 2 else "2021"
        tables = synth.figures(fmt, seed=i)
        if i % 7 == 0:
            tables["t3"]["granted"]["natural"] += 1
        layout = ("cells", "rows", "html")[i % 3]
        suffix = {"cells": ".txt", "rows": ".md", "html": ".html"}[layout]
        text = synth.render(fmt, tables, layout, office=f"第{i}号机关")
        (tmp_path / f"r{i:03d}{suffix}").write_text(text, encoding="utf-8")

    def run(jobs):
        proc = subprocess.run([sys.executable, "-m", "validator", "lint", "--format", "json", "--jobs", str(jobs),
                               str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 1, proc.stderr
        return json.loads(proc.stdout)

    serial, parallel = run(1), run(2)
    assert serial == parallel
    assert len(serial["files"]) == 300
    assert serial["summary"]["failed"] == len(range(0, 300, 7))
