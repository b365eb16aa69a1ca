"""End to end: the `govreport` command as a user runs it, in-process through click's runner
(conftest.run_cli), and in a real subprocess where only a fresh interpreter can tell: what the
light commands import, the installed entry point, input files left untouched by real runs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CliRun, run_cli, run_subprocess

import validator
from validator import synth

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

SAMPLE_FILES = [
    "samples/blank_total_2019.html",
    "samples/broken_balance_2021.html",
    "samples/clean_2019_cells.txt",
    "samples/clean_2021.html",
    "samples/clean_2021_rows.md",
    "samples/crawler_2024.txt",
    "samples/missing_table_2021.txt",
    "samples/wrong_total_2019_cells.txt",
]
# samples/README.md: (status, format, report year)
SAMPLE_FACTS = {
    "samples/clean_2021.html": ("pass", "2021", 2022),
    "samples/clean_2019_cells.txt": ("pass", "2019", 2019),
    "samples/clean_2021_rows.md": ("pass", "2021", 2023),
    "samples/broken_balance_2021.html": ("fail", "2021", 2023),
    "samples/wrong_total_2019_cells.txt": ("fail", "2019", 2020),
    "samples/blank_total_2019.html": ("fail", "2019", 2019),
    "samples/missing_table_2021.txt": ("fail", "2021", 2021),
    "samples/crawler_2024.txt": ("incomplete", "2021", 2024),
}
SUMMARY_LINE = "检查文件 8 个：通过 3，未通过 4，部分未核对 1，无法读取 0；错误 24 项，警告 2 项，提示 2 项"

FILE_KEYS = {"path", "status", "format", "error", "findings"}
FINDING_KEYS = {"code", "severity", "message", "table", "row", "column", "reported", "computed", "cells", "suggestion"}
CELL_KEYS = {"table", "row", "column", "value", "raw", "line"}
T3_OUTCOME_ROWS_2019 = [r for r in synth.t3_rows("2019") if r not in ("new", "carried_over", "total", "carry_forward")]
ANSI = "\x1b["


# -- helpers ------------------------------------------------------------------------------

def run(*args: str | Path, **env: str) -> CliRun:
    """`govreport ARGS` in the project root, in-process; never a traceback."""
    return run_cli(*args, cwd=ROOT, **env)


def lint_json(*args: str | Path) -> tuple[CliRun, dict]:
    proc = run("lint", "--format", "json", *args)
    return proc, json.loads(proc.stdout)


def by_path(doc: dict) -> dict[str, dict]:
    return {f["path"]: f for f in doc["files"]}


def of_code(file: dict, code: str) -> list[dict]:
    return [f for f in file["findings"] if f["code"] == code]


def codes(file: dict) -> list[str]:
    return [f["code"] for f in file["findings"]]


def status_lines(text: str) -> dict[str, str]:
    """{path: status word} from the per-file header lines of the text output."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(通过|未通过|部分未核对|无法读取) (\S+)", line)
        if m:
            out[m.group(2)] = m.group(1)
    return out


def sha256_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def imported_modules(importtime_stderr: str) -> set[str]:
    """Module names from `-X importtime` lines: `import time: self | cumulative | module`."""
    mods = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                mods.add(name)
    return mods


def assert_one_line(msg: str | None) -> None:
    assert msg and msg.strip()
    assert "\n" not in msg


def assert_no_ansi(text: str) -> None:
    assert ANSI not in text, repr(text[:300])


# -- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def cache_outside_the_project(tmp_path_factory):
    """Runs here start in the project root, many on files in temporary folders: their result
    cache goes to a temporary folder (GOVREPORT_CACHE_DIR, seen by in-process and subprocess
    runs alike), not into the project's own .govreport_cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVREPORT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def samples_text() -> CliRun:
    return run("lint", "samples/")


@pytest.fixture(scope="module")
def samples_json() -> tuple[CliRun, dict]:
    return lint_json("samples/")


@pytest.fixture(scope="module")
def samples_files(samples_json) -> dict[str, dict]:
    return by_path(samples_json[1])


@pytest.fixture
def samples_copy(tmp_path) -> Path:
    dest = tmp_path / "samples"
    shutil.copytree(SAMPLES, dest)
    return dest


WEATHER_PAGE = ("<html><head><meta charset='utf-8'><title>青山区天气预报</title></head><body>"
                "<p>今天晴，气温25度。</p><table><tr><td>明天</td><td>多云</td></tr></table></body></html>")
OLD_REPORT = ("青山区民政局2017年政府信息公开工作年度报告\n\n一、概述\n\n"
              "2017年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。\n\n二、主动公开政府信息情况\n\n"
              "主动公开政府信息数\n\n120\n\n三、依申请公开政府信息情况\n\n收到申请数\n\n8\n")
UNREADABLE = {
    # name: (bytes, text expected in the one-line error)
    "empty.txt": (b"", "文件为空"),
    "binary.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "二进制"),
    "undecodable.html": (bytes(range(128, 256)) * 50, "无法识别文本编码"),
    "weather.html": (WEATHER_PAGE.encode("utf-8"), "不是政府信息公开工作年度报告"),
    "old_2017.txt": (OLD_REPORT.encode("utf-8"), "2017 年及以前"),
    "report.pdf.txt": (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "损坏"),
}


@pytest.fixture
def unreadable_dir(tmp_path) -> Path:
    d = tmp_path / "bad"
    d.mkdir()
    for name, (data, _) in UNREADABLE.items():
        (d / name).write_bytes(data)
    return d


# -- lint samples/: text ----------------------------------------------------------------

def test_lint_samples_exits_1(samples_text):
    assert samples_text.returncode == 1


def test_lint_samples_text_names_every_file_with_its_status(samples_text):
    shown = status_lines(samples_text.stdout)
    assert shown == {p: {"pass": "通过", "fail": "未通过", "incomplete": "部分未核对"}[SAMPLE_FACTS[p][0]] for p in SAMPLE_FILES}


def test_lint_samples_text_prints_the_summary(samples_text):
    assert samples_text.stdout.rstrip("\n").splitlines()[-1] == SUMMARY_LINE


def test_lint_samples_text_shows_findings_with_codes_and_lines(samples_text):
    out = samples_text.stdout
    assert "samples/wrong_total_2019_cells.txt:199 错误 T3-OUTCOME-SUM" in out
    assert "samples/wrong_total_2019_cells.txt:579 错误 T4-SUM" in out
    assert "报告值 39，计算值 40，相差 -1；建议改为 12" in out
    assert "警告 CELL-BLANK" in out
    assert "错误 TABLE-MISSING 未找到表三" in out


def test_lint_samples_text_skips_readme(samples_text):
    assert "README" not in samples_text.stdout


# -- lint samples/: JSON ----------------------------------------------------------------

def test_json_top_level(samples_json):
    proc, doc = samples_json
    assert proc.returncode == 1
    assert set(doc) == {"version", "files", "summary"}
    assert doc["version"] == 1
    assert doc["summary"] == {"files": 8, "passed": 3, "failed": 4, "incomplete": 1, "errors": 0, "suppressed": 0,
                              "findings": {"error": 24, "warning": 2, "info": 2}}


def test_json_lists_exactly_the_samples_without_readme(samples_json):
    paths = [f["path"] for f in samples_json[1]["files"]]
    assert paths == SAMPLE_FILES
    assert not any("README" in p for p in paths)


def test_json_record_shapes(samples_json):
    files = samples_json[1]["files"]
    n_findings = n_cells = 0
    for f in files:
        assert FILE_KEYS <= set(f), f.keys()
        for finding in f["findings"]:
            n_findings += 1
            assert FINDING_KEYS <= set(finding), finding.keys()
            assert finding["severity"] in ("error", "warning", "info")
            assert isinstance(finding["cells"], list)
            for c in finding["cells"]:
                n_cells += 1
                assert CELL_KEYS <= set(c), c.keys()
            s = finding["suggestion"]
            assert s is None or set(s) == {"table", "row", "column", "value"}
    assert n_findings == 28 and n_cells > 100


@pytest.mark.parametrize("path", SAMPLE_FILES)
def test_json_status_format_and_year_per_sample(samples_files, path):
    f = samples_files[path]
    assert (f["status"], f["format"], f["year"]) == SAMPLE_FACTS[path]
    assert f["error"] is None


@pytest.mark.parametrize("path", [p for p in SAMPLE_FILES if SAMPLE_FACTS[p][0] == "pass"])
def test_clean_samples_have_no_findings(samples_files, path):
    assert samples_files[path]["findings"] == []


def test_broken_balance_findings(samples_files):
    f = samples_files["samples/broken_balance_2021.html"]
    assert codes(f) == ["T3-BALANCE", "T3-BALANCE"]
    got = {(x["table"], x["column"]): (x["severity"], x["row"], x["reported"], x["computed"], x["suggestion"])
           for x in f["findings"]}
    assert got == {("t3", "natural"): ("error", None, 101, 103, None),
                   ("t3", "total"): ("error", None, 118, 120, None)}
    cells = {(c["row"], c["column"]): c["value"] for x in of_code(f, "T3-BALANCE") for c in x["cells"]}
    assert cells[("carry_forward", "natural")] == 6
    assert cells[("carry_forward", "total")] == 7


def test_wrong_total_findings(samples_files):
    f = samples_files["samples/wrong_total_2019_cells.txt"]
    assert sorted(codes(f)) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"]
    fix = {"table": "t3", "row": "granted", "column": "natural", "value": 12}
    [row_total] = of_code(f, "T3-ROW-TOTAL")
    assert (row_total["table"], row_total["row"], row_total["column"]) == ("t3", "granted", None)
    assert (row_total["reported"], row_total["computed"], row_total["suggestion"]) == (16, 17, fix)
    [outcome] = of_code(f, "T3-OUTCOME-SUM")
    assert (outcome["table"], outcome["row"], outcome["column"]) == ("t3", None, "natural")
    assert (outcome["reported"], outcome["computed"], outcome["suggestion"]) == (39, 40, fix)
    [t4] = of_code(f, "T4-SUM")
    assert (t4["table"], t4["row"], t4["column"], t4["severity"]) == ("t4", "review", None, "error")
    assert (t4["reported"], t4["computed"], t4["suggestion"]) == (5, 4, None)
    granted = [c for c in row_total["cells"] if c["column"] == "natural"]
    assert granted == [{**granted[0], "table": "t3", "row": "granted", "value": 13, "raw": "13", "line": 199}]


def test_missing_table_findings(samples_files):
    f = samples_files["samples/missing_table_2021.txt"]
    [missing] = f["findings"]
    assert (missing["code"], missing["severity"], missing["table"]) == ("TABLE-MISSING", "error", "t3")
    assert missing["cells"] == [] and missing["suggestion"] is None
    assert "表三" in missing["message"]


def test_blank_total_findings(samples_files):
    f = samples_files["samples/blank_total_2019.html"]
    [blank] = of_code(f, "CELL-BLANK")
    assert (blank["severity"], blank["table"], blank["column"]) == ("warning", "t3", "total")
    assert len(blank["cells"]) == 19
    assert [c["row"] for c in blank["cells"]] == T3_OUTCOME_ROWS_2019
    assert {(c["table"], c["column"], c["value"], c["raw"]) for c in blank["cells"]} == {("t3", "total", None, "")}
    [outcome] = of_code(f, "T3-OUTCOME-SUM")
    assert (outcome["column"], outcome["reported"], outcome["computed"]) == ("total", 214, 0)
    row_totals = of_code(f, "T3-ROW-TOTAL")
    zero_rows = {"denied.state_secret", "not_processed.excessive"}
    assert [x["row"] for x in row_totals] == [r for r in T3_OUTCOME_ROWS_2019 if r not in zero_rows]
    assert {x["reported"] for x in row_totals} == {0}
    assert row_totals[0]["computed"] == 68  # （一）予以公开: 58+4+1+1+3+1
    assert sorted(set(codes(f))) == ["CELL-BLANK", "T3-OUTCOME-SUM", "T3-ROW-TOTAL"]


# -- exit codes and unreadable files -----------------------------------------------------

def test_clean_file_alone_exits_0():
    proc = run("lint", "samples/clean_2021.html")
    assert proc.returncode == 0
    assert status_lines(proc.stdout) == {"samples/clean_2021.html": "通过"}
    proc, doc = lint_json("samples/clean_2019_cells.txt", "samples/clean_2021_rows.md")
    assert proc.returncode == 0
    assert [f["status"] for f in doc["files"]] == ["pass", "pass"]


def test_file_with_errors_exits_1():
    proc, doc = lint_json("samples/broken_balance_2021.html", "samples/clean_2021.html")
    assert proc.returncode == 1
    assert [f["status"] for f in doc["files"]] == ["fail", "pass"]


def test_nonexistent_path_exits_2_and_the_others_are_checked():
    proc, doc = lint_json("samples/no_such_report.html", "samples/clean_2021.html")
    assert proc.returncode == 2
    files = by_path(doc)
    assert files["samples/no_such_report.html"]["status"] == "error"
    assert files["samples/no_such_report.html"]["error"] == "文件不存在"
    assert files["samples/clean_2021.html"]["status"] == "pass"


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_unreadable_file_is_an_error_and_good_files_are_still_checked(unreadable_dir, name):
    bad = unreadable_dir / name
    proc, doc = lint_json(bad, "samples/clean_2021.html", "samples/wrong_total_2019_cells.txt")
    assert proc.returncode == 2
    files = by_path(doc)
    f = files[str(bad)]
    assert f["status"] == "error" and [x["code"] for x in f["findings"]] == ["READ-ERROR"]
    assert f["findings"][0]["message"] == f["error"]
    assert_one_line(f["error"])
    assert UNREADABLE[name][1] in f["error"]
    assert files["samples/clean_2021.html"]["status"] == "pass"
    wrong = files["samples/wrong_total_2019_cells.txt"]
    assert wrong["status"] == "fail"
    assert sorted(codes(wrong)) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"]
    assert doc["summary"] == {"files": 3, "passed": 1, "failed": 1, "incomplete": 0, "errors": 1, "suppressed": 0,
                              "findings": {"error": 3, "warning": 0, "info": 0}}


def test_unreadable_directory_in_text_output(unreadable_dir):
    proc = run("lint", unreadable_dir, "samples/clean_2021.html")
    assert proc.returncode == 2
    shown = status_lines(proc.stdout)
    assert shown == {**{str(unreadable_dir / n): "无法读取" for n in UNREADABLE}, "samples/clean_2021.html": "通过"}
    assert proc.stdout.count("READ-ERROR") == len(UNREADABLE)
    assert proc.stdout.rstrip("\n").splitlines()[-1] == (
        f"检查文件 {len(UNREADABLE) + 1} 个：通过 1，未通过 0，部分未核对 0，无法读取 {len(UNREADABLE)}；"
        "错误 0 项，警告 0 项，提示 0 项")


def test_lint_without_arguments_is_a_usage_error():
    proc = run("lint")
    assert proc.returncode == 2
    assert "Usage:" in proc.stderr
    assert proc.stdout == ""


def test_lint_directory_without_reports_is_a_usage_error(tmp_path):
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    proc = run("lint", tmp_path)
    assert proc.returncode == 2
    assert "没有找到可检查的文件" in proc.stderr


# -- inputs are never modified -----------------------------------------------------------

def test_lint_never_modifies_input_files(samples_copy, tmp_path):
    # real processes: whatever a run writes or leaves behind is on disk when it has exited
    before = sha256_tree(samples_copy)
    assert len(before) == 9
    assert run_subprocess("lint", samples_copy).returncode == 1
    assert run_subprocess("lint", "--format", "json", "-o", tmp_path / "out.json", samples_copy).returncode == 1
    # samples/README.md named on the command line is read too: not a report, so exit 2
    assert run_subprocess("lint", "--quiet", "--no-color", *sorted(samples_copy.iterdir())).returncode == 2
    assert run_subprocess("extract", samples_copy / "clean_2021.html").returncode == 0
    assert sha256_tree(samples_copy) == before


def test_the_installed_entry_point_prints_what_the_in_process_runs_check(samples_text):
    """The `govreport` script pip installed, in a real process, gives the very output and exit
    status the in-process runs of this file (and of the other CLI tests) are checked against."""
    script = shutil.which("govreport", path=str(Path(sys.executable).parent))  # the environment's own script
    assert script, f"no govreport script beside {sys.executable}: install the project (pip install '.[test]')"
    proc = run_subprocess("lint", "--no-cache", "samples/", command=(script,))  # it checks, reads nothing back
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout == samples_text.stdout
    assert proc.stdout.rstrip("\n").splitlines()[-1] == SUMMARY_LINE


def test_output_file_inside_the_checked_directory_is_not_linted(samples_copy):
    out = samples_copy / "report.txt"
    first = run("lint", samples_copy, "-o", out)
    assert first.returncode == 1
    second = run("lint", samples_copy, "-o", out)
    text = out.read_text(encoding="utf-8")
    assert "report.txt" not in text
    assert second.returncode == 1


# -- output options ----------------------------------------------------------------------

def test_output_file_text(tmp_path, samples_text):
    out = tmp_path / "lint.txt"
    proc = run("lint", "samples/", "-o", out)
    assert proc.returncode == 1
    assert proc.stdout.strip() == ""
    written = out.read_text(encoding="utf-8")
    assert written == samples_text.stdout
    assert_no_ansi(written)


def test_output_file_json(tmp_path, samples_json):
    out = tmp_path / "lint.json"
    proc = run("lint", "--format", "json", "-o", out, "samples/")
    assert proc.returncode == 1
    assert proc.stdout.strip() == ""
    assert json.loads(out.read_text(encoding="utf-8")) == samples_json[1]


def test_quiet_omits_passing_files_and_non_errors_but_keeps_the_summary(samples_text):
    proc = run("lint", "--quiet", "samples/")
    assert proc.returncode == 1
    # failed files and incomplete ones (their reading limits are kept, like errors)
    assert status_lines(proc.stdout) == {p: {"fail": "未通过", "incomplete": "部分未核对"}[SAMPLE_FACTS[p][0]]
                                         for p in SAMPLE_FILES if SAMPLE_FACTS[p][0] != "pass"}
    warnings = [line for line in proc.stdout.replace(SUMMARY_LINE, "").splitlines() if " 警告 " in line]
    assert "CELL-BLANK" not in proc.stdout and [w.split()[2] for w in warnings] == ["ROW-GLUED"]
    for code in ("T3-BALANCE", "T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM", "TABLE-MISSING"):
        assert code in proc.stdout
    assert proc.stdout.rstrip("\n").splitlines()[-1] == SUMMARY_LINE
    assert proc.stdout.count("错误 T3-ROW-TOTAL") == samples_text.stdout.count("错误 T3-ROW-TOTAL") == 18


def test_quiet_on_clean_files_prints_only_the_summary():
    proc = run("lint", "-q", "samples/clean_2021.html", "samples/clean_2019_cells.txt")
    assert proc.returncode == 0
    assert proc.stdout.strip() == "检查文件 2 个：通过 2，未通过 0，部分未核对 0，无法读取 0；错误 0 项，警告 0 项，提示 0 项"


def test_forced_terminal_colours_do_appear_without_no_color():
    # Control for the --no-color tests: FORCE_COLOR makes rich style its output through a pipe.
    proc = run("lint", "samples/broken_balance_2021.html", FORCE_COLOR="1", TERM="xterm-256color")
    assert ANSI in proc.stdout


def test_no_color_in_a_pipe_and_in_an_output_file(tmp_path):
    proc = run("lint", "--no-color", "samples/broken_balance_2021.html")
    assert proc.returncode == 1
    assert_no_ansi(proc.stdout + proc.stderr)
    out = tmp_path / "o.txt"
    run("lint", "samples/broken_balance_2021.html", "-o", out, FORCE_COLOR="1", TERM="xterm-256color")
    assert_no_ansi(out.read_text(encoding="utf-8"))


def test_no_color_on_a_terminal_has_no_escape_sequences():
    proc = run("lint", "--no-color", "samples/broken_balance_2021.html", FORCE_COLOR="1", TERM="xterm-256color")
    assert proc.returncode == 1
    assert "T3-BALANCE" in proc.stdout
    assert_no_ansi(proc.stdout)


def test_ext_option_selects_suffixes(samples_copy):
    proc, doc = lint_json("--ext", ".md,.html", samples_copy)
    names = sorted(Path(f["path"]).name for f in doc["files"])
    assert names == ["blank_total_2019.html", "broken_balance_2021.html", "clean_2021.html", "clean_2021_rows.md"]


def test_ext_option_tolerates_spaces_after_commas(samples_copy):
    proc, doc = lint_json("--ext", ".html, .md", samples_copy)
    names = sorted(Path(f["path"]).name for f in doc["files"])
    assert names == ["blank_total_2019.html", "broken_balance_2021.html", "clean_2021.html", "clean_2021_rows.md"]


def test_readme_is_checked_when_not_excluded(samples_copy):
    proc, doc = lint_json("--exclude", "", "--ext", ".md", samples_copy)
    names = sorted(Path(f["path"]).name for f in doc["files"])
    assert names == ["README.md", "clean_2021_rows.md"]


# -- rules -------------------------------------------------------------------------------

def _rule_codes() -> list[str]:
    """Every code in rules/*.yaml, read straight from the files."""
    codes = []
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("rules", "findings", "crossyear"):
            codes += [r["code"] for r in data.get(key, [])]
    return codes


def test_rules_lists_every_code():
    proc = run("rules")
    assert proc.returncode == 0
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    for code in ("T3-BALANCE", "T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T3-ORG-SUBTOTAL", "T3-CARRY-FORWARD", "T4-SUM",
                 "T2-IN-FORCE", "T2-FEE-UNIT", "CELL-BLANK", "ROW-MISSING", "TABLE-MISSING", "READ-ERROR",
                 "FORMAT-UNKNOWN", "ROW-UNREADABLE"):
        assert code in listed
    assert sorted(listed) == sorted(_rule_codes())
    assert re.search(r"^T3-BALANCE +error +per column: new \+ carried_over must equal total \+ carry_forward$",
                     proc.stdout, re.M)
    assert re.search(r"^CELL-BLANK +warning ", proc.stdout, re.M)


@pytest.mark.parametrize("code", ["T3-BALANCE", "t3-balance"])
def test_rules_explains_one_rule(code):
    proc = run("rules", code)
    assert proc.returncode == 0
    out = proc.stdout
    assert out.splitlines()[0] == "T3-BALANCE  (error)"
    assert "表达式 expr: new + carried_over == total + carry_forward" in out
    assert "依据 reference: 表三左上角注：本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和。" in out
    assert "逐列核对" in out


def test_rules_explains_a_catalogue_finding():
    proc = run("rules", "TABLE-MISSING")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0] == "TABLE-MISSING  (error)"
    assert "提示模板 message: 未找到{table}（{title}）：{detail}" in proc.stdout


def test_rules_unknown_code_exits_2():
    proc = run("rules", "NOPE")
    assert proc.returncode == 2
    assert "没有规则 NOPE" in proc.stderr
    assert proc.stdout == ""


# -- extract -----------------------------------------------------------------------------

def test_extract_json():
    proc = run("extract", "samples/clean_2021.html", "--format", "json")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert {"path", "format", "tables"} <= set(doc)
    assert (doc["path"], doc["format"], doc["year"]) == ("samples/clean_2021.html", "2021", 2022)
    assert set(doc["tables"]) == {"t2", "t3", "t4"}
    t2, t3, t4 = doc["tables"]["t2"], doc["tables"]["t3"], doc["tables"]["t4"]
    assert t3["new"]["natural"] == 52
    assert t3["carry_forward"]["total"] == 2
    cols = ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
    assert [t3["new"][c] for c in cols] == [52, 4, 0, 1, 3, 0, 60]
    assert [t3["carried_over"][c] for c in cols] == [3, 1, 0, 0, 0, 0, 4]
    assert [t3["total"][c] for c in cols] == [54, 4, 0, 1, 3, 0, 62]
    assert [t3["carry_forward"][c] for c in cols] == [1, 1, 0, 0, 0, 0, 2]
    assert len(t3) == 25
    assert t4 == {"review": {"upheld": 2, "corrected": 0, "other": 1, "pending": 0, "total": 3},
                  "suit_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
                  "suit_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}}
    assert t2["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 14}
    assert t2["fees"] == {"amount": 12.35}


def test_extract_is_json_by_default():
    assert json.loads(run("extract", "samples/clean_2021.html").stdout)["tables"]["t3"]["new"]["natural"] == 52


def test_extract_csv():
    proc = run("extract", "samples/clean_2021.html", "--format", "csv")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0] == "table,row,column,value,raw,line"
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    new_natural = [r for r in rows if (r["table"], r["row"], r["column"]) == ("t3", "new", "natural")]
    assert new_natural == [{"table": "t3", "row": "new", "column": "natural", "value": "52", "raw": "52", "line": "67"}]
    assert len([r for r in rows if r["table"] == "t3"]) == 25 * 7
    assert len([r for r in rows if r["table"] == "t4"]) == 15
    assert len([r for r in rows if r["table"] == "t2"]) == 10


def test_extract_report_with_a_missing_table_exits_1():
    proc = run("extract", "samples/missing_table_2021.txt")
    assert proc.returncode == 1
    assert set(json.loads(proc.stdout)["tables"]) == {"t2", "t4"}
    assert proc.stderr.startswith("samples/missing_table_2021.txt: TABLE-MISSING ")


@pytest.mark.parametrize("name", ["empty.txt", "binary.txt", "undecodable.html", "weather.html", "old_2017.txt"])
def test_extract_unreadable_file_exits_2_with_one_line(unreadable_dir, name):
    path = unreadable_dir / name
    proc = run("extract", path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.endswith("\n") and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"{path}: ")
    assert UNREADABLE[name][1] in proc.stderr


def test_extract_nonexistent_file_exits_2():
    proc = run("extract", "samples/nope.html")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("samples/nope.html: ")


# -- start-up ----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["--version"], ["rules"], ["rules", "T3-BALANCE"]],
                         ids=["help", "version", "rules", "rules-one"])
def test_light_commands_do_not_import_pandas(args):
    proc = run_subprocess(*args, python_flags=("-X", "importtime"))  # a fresh interpreter
    assert proc.returncode == 0
    mods = imported_modules(proc.stderr)
    assert "validator.cli" in mods and "click" in mods  # importtime output was parsed
    heavy = sorted(m for m in mods if m.split(".")[0] in ("pandas", "pandera"))
    assert heavy == []


def test_lint_does_import_pandas():
    # Control: the importtime parsing does see pandas when a command needs it (a check, not a
    # result read back from the cache).
    proc = run_subprocess("lint", "--no-cache", "samples/clean_2021.html", python_flags=("-X", "importtime"))
    assert proc.returncode == 0
    mods = imported_modules(proc.stderr)
    assert "pandas" in mods and "pandera" in mods


def test_version():
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"govreport, version {validator.__version__}"
    assert run("-V").stdout == proc.stdout


def test_help_lists_the_commands():
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("lint", "extract", "rules"):
        assert re.search(rf"^\s+{command}\s", proc.stdout, re.M)


# -- every layout end to end --------------------------------------------------------------

SUFFIX = {"cells": ".txt", "rows": ".md", "html": ".html"}


def write_report(directory: Path, name: str, fmt: str, layout: str, tables: dict | None = None) -> Path:
    path = directory / f"{name}{SUFFIX[layout]}"
    path.write_text(synth.render(fmt, tables, layout=layout), encoding="utf-8")
    return path


def one_wrong_cell(fmt: str, seed: int) -> tuple[dict, int]:
    tables = synth.figures(fmt, seed=seed)
    original = tables["t3"]["granted"]["natural"]
    tables["t3"]["granted"]["natural"] += 1
    return tables, original


@pytest.mark.parametrize("layout", ["cells", "rows", "html"])
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_layout_end_to_end(tmp_path, fmt, layout):
    good = write_report(tmp_path, "good", fmt, layout)
    bad = {}
    for seed in (1, 2):  # granted/natural is 0 with seed 1, 13 with seed 2
        tables, original = one_wrong_cell(fmt, seed)
        bad[seed] = (write_report(tmp_path, f"bad{seed}", fmt, layout, tables), original)
    assert {seed: original for seed, (_, original) in bad.items()} == {1: 0, 2: 13}

    # three versions of one office's report for one year: not a duplicate to report here
    proc, doc = lint_json(good, *(p for p, _ in bad.values()), "--ignore", "XY-DUPLICATE")
    files = by_path(doc)
    assert proc.returncode == 1
    g = files[str(good)]
    assert (g["status"], g["format"], g["findings"]) == ("pass", fmt, [])
    for path, original in bad.values():
        f = files[str(path)]
        assert (f["status"], f["format"]) == ("fail", fmt)
        assert sorted(codes(f)) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL"]
        fix = {"table": "t3", "row": "granted", "column": "natural", "value": original}
        [row_total] = of_code(f, "T3-ROW-TOTAL")
        assert (row_total["row"], row_total["suggestion"]) == ("granted", fix)
        assert row_total["reported"] + 1 == row_total["computed"]
        [outcome] = of_code(f, "T3-OUTCOME-SUM")
        assert (outcome["column"], outcome["suggestion"]) == ("natural", fix)
        assert outcome["reported"] + 1 == outcome["computed"]
