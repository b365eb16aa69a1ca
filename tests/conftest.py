import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from validator.extract import extract
from validator.extract.values import parse_value
from validator.pipeline import check_reports
from validator.read import read_bytes
from validator.rules import rulebook


@pytest.fixture(scope="session")
def book():
    return rulebook.load()


def lint_text(text: str, name: str = "report.html", encoding: str = "utf-8"):
    """The whole pipeline in-process on one report's text: FileResult."""
    book = rulebook.load()
    report = extract(read_bytes(text.encode(encoding), name), book)
    return check_reports([report], book)[0]


def extract_text(text: str, name: str = "report.html"):
    """The report's tables as a run leaves them (run-together rows settled by the check stage);
    ReadError for a file that is not a report."""
    from validator.check import settle

    book = rulebook.load()
    report = extract(read_bytes(text.encode("utf-8"), name), book)
    report.findings += settle.settle(book, report)
    return report


def put(folder: Path, name: str, text: str) -> Path:
    """Write a test report file (folders made as needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(result, severity=None):
    """(code, row, column) of every finding, like frictionless' flatten."""
    return [(f.code, f.row, f.column) for f in result.findings if severity is None or f.severity == severity]


def edit_row(text: str, label: str, fn, relabel: str | None = None) -> str:
    """In a markdown (rows layout) report, replace the values of the row whose label cells end
    with `label` by fn(values); `relabel` replaces its label cells."""
    out, done = [], False
    for line in text.split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        n = next((i for i, c in enumerate(cells) if parse_value(c) is not None), len(cells))
        if not done and line.startswith("|") and cells[n - 1].endswith(label):
            labels = [relabel] if relabel else cells[:n]
            line = "| " + " | ".join(labels + list(fn(cells[n:]))) + " |"
            done = True
        out.append(line)
    assert done, f"no row labelled {label}"
    return "\n".join(out)


SUFFIX = {"cells": ".txt", "rows": ".md", "html": ".html"}
LAYOUTS = list(SUFFIX)
FORMATS = ["2019", "2021"]


# -- the real command in a subprocess --------------------------------------------------------

def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "NO_COLOR", "PY_COLORS", "CLICOLOR_FORCE", "TTY_COMPATIBLE")}
    env.update(PYTHONUTF8="1", PYTHONIOENCODING="utf-8", COLUMNS="200")
    return env


def run_cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m validator ARGS` in `cwd`; never a traceback."""
    proc = subprocess.run([sys.executable, "-m", "validator", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=cli_env(), timeout=600)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def lint_cli_json(*args, cwd: Path) -> tuple[subprocess.CompletedProcess, dict]:
    proc = run_cli("lint", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return proc, json.loads(proc.stdout)


def by_name(doc: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in doc["files"]}


def usage_error(proc: subprocess.CompletedProcess) -> str:
    """A usage error: exit 2, nothing on stdout, exactly one `Error:` line on stderr, in Chinese."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-2000:], proc.stderr)
    assert proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr
    message = errors[0][len("Error:"):].strip()
    assert re.search(r"[\u4e00-\u9fff]", message), message
    return message


def checked_samples(book) -> list:
    """Every sample checked with paths relative to the project root (as a user types them),
    each result keeping its report (as a run for the HTML format does)."""
    from validator.pipeline import lint_paths

    root = Path(__file__).resolve().parent.parent
    old = os.getcwd()
    os.chdir(root)
    try:
        paths = sorted(str(p.relative_to(root)).replace(os.sep, "/")
                       for p in (root / "samples").glob("*") if p.name != "README.md")
        results = list(lint_paths(paths, book, keep=True))
    finally:
        os.chdir(old)
    assert [r.path for r in results] == paths
    return results
