import inspect
import json
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
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


def mixed_reports(folder: Path, n: int, wrong_every: int = 7) -> list[Path]:
    """n reports of different offices in both formats and three layouts; every `wrong_every`th
    has a wrong 表三 cell (T3 errors)."""
    from validator import synth

    paths = []
    for i in range(n):
        fmt = "2019" if i % 2 else "2021"
        tables = synth.figures(fmt, seed=i)
        if i % wrong_every == 0:
            tables["t3"]["granted"]["natural"] += 1
        layout = ("cells", "rows", "html")[i % 3]
        suffix = {"cells": ".txt", "rows": ".md", "html": ".html"}[layout]
        paths.append(put(folder, f"r{i:03d}{suffix}", synth.render(fmt, tables, layout, office=f"第{i}号机关")))
    return paths


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


# -- the command, in-process (click's CliRunner) or in a real subprocess ------------------------

ROOT = Path(__file__).resolve().parent.parent
# colour switches a user's shell may set: a run starts without them, as in a clean CI job
COLOR_VARS = ("FORCE_COLOR", "NO_COLOR", "PY_COLORS", "CLICOLOR_FORCE", "TTY_COMPATIBLE")


@dataclass
class CliRun:
    """What a run of the command left: its exit status and its two output streams (the fields
    of subprocess.CompletedProcess that the tests read)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


@contextmanager
def working_directory(path: Path | str):
    """Run the body in `path`, back to the previous directory afterwards (also on failure)."""
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _runner():
    from click.testing import CliRunner

    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:  # click < 8.2
        return CliRunner(mix_stderr=False)
    return CliRunner()  # click >= 8.2: stderr is always kept apart


def run_cli(*args, cwd: Path | str = ROOT, **env: str) -> CliRun:
    """`govreport ARGS` in `cwd`, in this process: the click group itself (validator.cli.cli) with
    the environment of a clean shell (no colour switches, COLUMNS=200) plus `env`. An exception
    escaping the command fails the test with its traceback (as one would print a traceback).

    A `lint` without -j/--jobs runs with --jobs 1: worker processes forked from the test process
    cost more than the few files they would share (seconds on a busy machine). Runs in worker
    processes give the serial results (test_parallel.py); the default, one process per core,
    runs in the subprocess tests of test_cli.py."""
    from validator.cli import cli

    args = [str(a) for a in args]
    if args[:1] == ["lint"] and not any(a in ("-j", "--jobs") or a.startswith(("-j", "--jobs=")) for a in args):
        args[1:1] = ["--jobs", "1"]
    overrides: dict[str, str | None] = {k: None for k in COLOR_VARS}
    overrides.update(COLUMNS="200", **env)
    with working_directory(cwd):
        result = _runner().invoke(cli, args, env=overrides, catch_exceptions=False, prog_name="govreport")
    run = CliRun(args, result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    return run


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in COLOR_VARS}
    env.update(PYTHONUTF8="1", PYTHONIOENCODING="utf-8", COLUMNS="200")
    env.update(extra)
    return env


cli_env = subprocess_env  # the name earlier tests used


def run_subprocess(*args, cwd: Path | str = ROOT, command: tuple[str, ...] | None = None,
                   python_flags: tuple[str, ...] = (), **env: str) -> subprocess.CompletedProcess:
    """The real command in a fresh interpreter: `python [FLAGS] -m validator ARGS` in `cwd`, or
    `command ARGS` (such as the installed `govreport` script); never a traceback. Only for what
    an in-process run cannot show: start-up imports, the entry point, separate processes."""
    argv = [*(command or (sys.executable, *python_flags, "-m", "validator")), *map(str, args)]
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=subprocess_env(**env), timeout=600, check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def lint_cli_json(*args, cwd: Path | str = ROOT) -> tuple[CliRun, dict]:
    proc = run_cli("lint", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr)
    return proc, json.loads(proc.stdout)


def by_name(doc: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in doc["files"]}


def usage_error(proc: CliRun | subprocess.CompletedProcess) -> str:
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

    with working_directory(ROOT):
        paths = sorted(str(p.relative_to(ROOT)).replace(os.sep, "/")
                       for p in (ROOT / "samples").glob("*") if p.name != "README.md")
        results = list(lint_paths(paths, book, keep=True))
    assert [r.path for r in results] == paths
    return results
