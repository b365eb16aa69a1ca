"""The fourth verdict, 部分未核对 ("incomplete"), and the exit status it gives: 0 unless
`--strict` or `strict = true` in the configuration (then 1, as for a failed file); the flag wins.

Two ways in: the whole command (conftest.run_cli: the click command in-process, the readers
and checks for real) on a run-together text report whose 表二 行政规范性文件 row has
several readings (end to end, through the readers), and `validator.cli` in-process with the run
replaced by ready-made results (only the exit logic and the configuration, whatever the readers
do)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import put, run_cli, usage_error

from validator import cli, synth
from validator import pipeline as runs
from validator.findings import FileResult, Finding

ROOT = Path(__file__).resolve().parent.parent
GLUED = "表二「行政规范性文件」行的数字连在一起（6241），有多种拆分都说得通，无法确定各数值，该行未核对"


def glued_text() -> str:
    """A 2021 report scraped with every cell run together. 规章 0、0、5 splits one way only;
    行政规范性文件 6、2、41 is written 6241, which 6/2/41, 6/24/1, 62/4/1 … all fit: ROW-GLUED."""
    tables = synth.figures("2021", 1)
    tables["t2"]["regulations"].update(issued=0, repealed=0, in_force=5)
    return synth.render("2021", tables, "glued")


# -- end to end: the whole command on a glued report -------------------------------------------

@pytest.fixture
def scraped(tmp_path) -> Path:
    """tmp_path/reports with glued.txt and a copy of a sample with errors."""
    folder = tmp_path / "reports"
    folder.mkdir()
    put(folder, "glued.txt", glued_text())
    put(folder, "wrong.txt", (ROOT / "samples" / "wrong_total_2019_cells.txt").read_text(encoding="utf-8"))
    return folder


def lint(*args, cwd: Path):
    proc = run_cli("lint", *args, cwd=cwd)
    assert proc.returncode in (0, 1), (proc.returncode, proc.stdout[-2000:], proc.stderr)
    return proc


def test_glued_report_is_incomplete_and_exits_0(scraped):
    proc = lint("--format", "json", "glued.txt", cwd=scraped)
    (f,) = json.loads(proc.stdout)["files"]
    assert f["status"] == "incomplete", [(x["code"], x["severity"], x["message"]) for x in f["findings"]]
    glued = [x for x in f["findings"] if x["code"] == "ROW-GLUED"]
    assert [(x["table"], x["row"], x["severity"], x["incomplete"]) for x in glued] == [
        ("t2", "normative_documents", "warning", True)]
    assert "6241" in glued[0]["message"]
    assert not any(x["severity"] == "error" for x in f["findings"])
    assert json.loads(proc.stdout)["summary"]["incomplete"] == 1
    assert proc.returncode == 0


def test_glued_report_text_output(scraped):
    proc = lint("glued.txt", cwd=scraped)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("部分未核对 glued.txt")
    assert any(line.startswith("  glued.txt:2 警告 ROW-GLUED 表二「行政规范性文件」行的数字连在一起（6241）")
               for line in lines)
    assert lines[-1].startswith("检查文件 1 个：通过 0，未通过 0，部分未核对 1，无法读取 0；错误 0 项")
    assert proc.returncode == 0


def test_strict_flag_makes_it_exit_1(scraped):
    proc = lint("--strict", "glued.txt", cwd=scraped)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("部分未核对 glued.txt")  # the verdict itself is unchanged
    assert lint("--strict", "--exit-zero", "glued.txt", cwd=scraped).returncode == 0


def test_strict_true_in_govreport_toml_and_the_flag_wins(scraped):
    put(scraped, "govreport.toml", "strict = true\n")
    assert lint("glued.txt", cwd=scraped).returncode == 1
    assert lint("--no-strict", "glued.txt", cwd=scraped).returncode == 0
    assert lint("--isolated", "glued.txt", cwd=scraped).returncode == 0
    put(scraped, "govreport.toml", "strict = false\n")
    assert lint("glued.txt", cwd=scraped).returncode == 0
    assert lint("--strict", "glued.txt", cwd=scraped).returncode == 1


def test_errors_still_exit_1_and_unreadable_files_2(scraped):
    assert lint("glued.txt", "wrong.txt", cwd=scraped).returncode == 1
    put(scraped, "empty.txt", "")
    for flags in ((), ("--strict",)):
        proc = run_cli("lint", *flags, "glued.txt", "empty.txt", cwd=scraped)
        assert proc.returncode == 2, proc.stdout


# -- in-process: the exit status logic with ready-made results --------------------------------

def glued_finding() -> Finding:
    return Finding(code="ROW-GLUED", severity="warning", message=GLUED, table="t2", row="normative_documents",
                   line=2, incomplete=True)


KINDS = {
    "pass": lambda p: FileResult(p, "2021", 2022),
    "incomplete": lambda p: FileResult(p, "2021", 2022, findings=[glued_finding()]),
    "fail": lambda p: FileResult(p, "2021", 2022, findings=[
        Finding(code="T4-SUM", severity="error", message="表四总计不符", table="t4", row="review", line=9)]),
    "error": lambda p: FileResult.unreadable(p, "文件为空"),
}


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """fake(*kinds) -> file names: one file per kind in tmp_path (the current directory), whose
    check returns the ready-made result of that kind (the configuration is still applied)."""
    monkeypatch.chdir(tmp_path)
    made: dict[str, FileResult] = {}

    def execute(book, cfg, files, missing, **_):
        return runs.Run([cfg.apply(made[Path(f).name]) for f in files] + list(missing), cfg)

    monkeypatch.setattr(runs, "execute", execute)

    def make(*kinds: str) -> list[str]:
        names = []
        for i, kind in enumerate(kinds):
            name = f"{i}-{kind}.txt"
            put(tmp_path, name, "报告")
            made[name] = KINDS[kind](name)
            names.append(name)
        return names

    return make


def invoke(*args: str):
    return CliRunner().invoke(cli.cli, ["lint", "--no-color", *args], catch_exceptions=False)


@pytest.mark.parametrize("kinds,flags,code", [
    (("pass",), (), 0),
    (("pass",), ("--strict",), 0),
    (("incomplete",), (), 0),
    (("incomplete",), ("--no-strict",), 0),
    (("incomplete",), ("--strict",), 1),
    (("incomplete",), ("--strict", "--exit-zero"), 0),
    (("pass", "incomplete"), ("--strict",), 1),
    (("fail",), (), 1),
    (("fail",), ("--strict",), 1),
    (("incomplete", "fail"), (), 1),
    (("incomplete", "error"), (), 2),
    (("incomplete", "error"), ("--strict",), 2),
])
def test_exit_status(fake, kinds, flags, code):
    result = invoke(*flags, *fake(*kinds))
    assert result.exit_code == code, result.output


def test_text_output_of_an_incomplete_file(fake):
    (name,) = fake("incomplete")
    out = invoke(name).output.splitlines()
    assert out[0] == f"部分未核对 {name}  (2021 年格式 · 2022 年度)"
    assert out[1] == f"  {name}:2 警告 ROW-GLUED {GLUED}"
    assert out[-1] == "检查文件 1 个：通过 0，未通过 0，部分未核对 1，无法读取 0；错误 0 项，警告 1 项，提示 0 项"


@pytest.mark.parametrize("config,flags,code", [
    ("strict = true\n", (), 1),
    ("strict = true\n", ("--no-strict",), 0),
    ("strict = true\n", ("--isolated",), 0),
    ("strict = false\n", (), 0),
    ("strict = false\n", ("--strict",), 1),
    # command-line --select/--ignore rebuild the configuration: strict must survive it
    ("strict = true\n", ("--select", "ROW,T4"), 1),
    ('strict = true\nignore = ["ROW-GLUED"]\n', (), 0),  # nothing left unread: it passes
])
def test_strict_in_govreport_toml(fake, tmp_path, config, flags, code):
    names = fake("incomplete")
    put(tmp_path, "govreport.toml", config)
    result = invoke(*flags, *names)
    assert result.exit_code == code, result.output


def test_strict_in_pyproject_tool_govreport(fake, tmp_path):
    names = fake("pass", "incomplete")
    put(tmp_path, "pyproject.toml", '[project]\nname = "reports"\n\n[tool.govreport]\nstrict = true\n')
    assert invoke(*names).exit_code == 1
    assert invoke("--no-strict", *names).exit_code == 0


@pytest.mark.parametrize("value", ['"yes"', "1", "[true]"])
def test_strict_must_be_a_boolean(fake, tmp_path, value):
    names = fake("incomplete")
    put(tmp_path, "govreport.toml", f"strict = {value}\n")
    result = invoke(*names)
    assert result.exit_code == 2
    assert "strict" in result.output and "true 或 false" in result.output


def test_bad_strict_through_the_real_command(tmp_path):
    put(tmp_path, "govreport.toml", 'strict = "yes"\n')
    put(tmp_path, "r.txt", glued_text())
    message = usage_error(run_cli("lint", "r.txt", cwd=tmp_path))
    assert "govreport.toml.strict" in message and "'yes'" in message
