"""Configuration: discovery of govreport.toml / pyproject.toml [tool.govreport], --config and
--isolated, select/ignore, severity, per-file-ignores, extensions/exclude, bad configurations,
and Config.apply/keeps on real results. Every run works on copies of the samples in tmp_path."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import by_name, put, usage_error
from conftest import lint_cli_json as lint_json
from conftest import run_cli as run

from validator import config as configs
from validator.config import Config, ConfigError
from validator.findings import FileResult
from validator.pipeline import lint_paths
from validator.rules import rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

WRONG = "wrong_total_2019_cells.txt"
BROKEN = "broken_balance_2021.html"
BLANK = "blank_total_2019.html"
REPORTS = sorted(p.name for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")
HTML = sorted(n for n in REPORTS if n.endswith(".html"))
WRONG_CODES = ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"]
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- helpers ------------------------------------------------------------------------------


def codes(file: dict) -> list[str]:
    return sorted(f["code"] for f in file["findings"])


@pytest.fixture
def reports(tmp_path) -> Path:
    """tmp_path/reports: a copy of the seven sample reports (no README)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in REPORTS:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


# -- discovery ----------------------------------------------------------------------------

def test_without_configuration_wrong_total_has_its_three_findings(reports):
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == WRONG_CODES


def test_govreport_toml_in_a_parent_folder_is_used_from_a_subfolder(tmp_path, reports):
    put(tmp_path, "govreport.toml", 'ignore = ["T3", "T4"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 0
    assert doc["files"][0]["status"] == "pass"
    assert doc["files"][0]["findings"] == []
    deeper = reports / "a" / "b"
    deeper.mkdir(parents=True)
    proc, doc = lint_json(Path("..", "..", WRONG), cwd=deeper)
    assert proc.returncode == 0
    assert doc["files"][0]["findings"] == []


def test_pyproject_with_tool_govreport_is_used(tmp_path, reports):
    put(tmp_path, "pyproject.toml", '[project]\nname = "reports"\n\n[tool.govreport]\nignore = ["T3"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == ["T4-SUM"]


def test_pyproject_without_tool_govreport_is_skipped_for_one_further_up(tmp_path, reports):
    put(tmp_path, "pyproject.toml", '[tool.govreport]\nselect = ["T4-SUM"]\n')
    put(reports, "pyproject.toml", '[project]\nname = "reports"\n\n[tool.black]\nline-length = 100\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T4-SUM"]


def test_pyproject_of_another_tool_is_skipped_for_a_govreport_toml_further_up(tmp_path, reports):
    put(tmp_path, "govreport.toml", 'select = ["T4-SUM"]\n')
    put(reports, "pyproject.toml", '[tool.ruff]\nline-length = 100\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T4-SUM"]


def test_govreport_toml_wins_over_pyproject_in_the_same_folder(reports):
    put(reports, "govreport.toml", 'select = ["T4"]\n')
    put(reports, "pyproject.toml", '[tool.govreport]\nselect = ["T3"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T4-SUM"]


def test_the_nearest_folder_wins(tmp_path, reports):
    put(tmp_path, "govreport.toml", 'select = ["T3"]\n')
    put(reports, "pyproject.toml", '[tool.govreport]\nselect = ["T4"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T4-SUM"]


def test_discovery_starts_from_the_current_directory_not_from_the_files(tmp_path, reports):
    put(reports, "govreport.toml", 'ignore = ["ALL"]\n')
    other = tmp_path / "other"
    other.mkdir()
    proc, doc = lint_json(Path("..", "reports", WRONG), cwd=other)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == WRONG_CODES
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 0


def test_isolated_ignores_every_configuration_file(tmp_path, reports):
    put(tmp_path, "govreport.toml", 'ignore = ["ALL"]\n')
    put(reports, "pyproject.toml", '[tool.govreport]\nignore = ["T3", "T4"]\n')
    proc, doc = lint_json("--isolated", WRONG, cwd=reports)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == WRONG_CODES


def test_isolated_does_not_even_read_a_broken_configuration(reports):
    put(reports, "govreport.toml", 'colour = "red"\n')
    usage_error(run("lint", WRONG, cwd=reports))
    proc, doc = lint_json("--isolated", WRONG, cwd=reports)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == WRONG_CODES


def test_config_option_uses_the_named_file_outside_the_tree(tmp_path, reports):
    put(reports, "govreport.toml", 'select = ["T3"]\n')
    settings = put(tmp_path / "elsewhere", "settings.toml", 'select = ["T4-SUM"]\n')
    proc, doc = lint_json("--config", Path("..", "elsewhere", "settings.toml"), WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T4-SUM"]
    proc, doc = lint_json("--config", settings.resolve(), WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T4-SUM"]


def test_config_option_reads_tool_govreport_of_a_named_pyproject(tmp_path, reports):
    project = put(tmp_path / "elsewhere", "pyproject.toml", '[project]\nname = "x"\n\n[tool.govreport]\nignore = ["T4"]\n')
    proc, doc = lint_json("--config", project, WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL"]


# -- select / ignore ----------------------------------------------------------------------

def test_ignore_a_prefix_removes_t4_but_t3_still_fails(reports):
    put(reports, "govreport.toml", 'ignore = ["T4"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL"]
    assert doc["files"][0]["status"] == "fail"


def test_select_a_code_keeps_only_it(reports):
    put(reports, "govreport.toml", 'select = ["T4-SUM"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == ["T4-SUM"]
    assert doc["files"][0]["findings"][0]["row"] == "review"


def test_ignoring_t3_and_t4_makes_wrong_total_pass(reports):
    put(reports, "govreport.toml", 'ignore = ["T3", "T4"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 0
    assert doc["files"][0]["status"] == "pass"
    assert doc["summary"]["findings"] == {"error": 0, "warning": 0, "info": 0}


def test_ignore_all(reports):
    put(reports, "govreport.toml", 'ignore = ["ALL"]\n')
    proc, doc = lint_json(".", cwd=reports)
    assert proc.returncode == 0
    assert all(f["findings"] == [] for f in doc["files"])


def test_select_on_the_command_line_overrides_the_config(reports):
    put(reports, "govreport.toml", 'select = ["T4"]\n')
    proc, doc = lint_json(WRONG, BROKEN, cwd=reports)
    files = by_name(doc)
    assert codes(files[WRONG]) == ["T4-SUM"] and codes(files[BROKEN]) == []
    proc, doc = lint_json("--select", "T3-BALANCE", WRONG, BROKEN, cwd=reports)
    files = by_name(doc)
    assert codes(files[WRONG]) == []
    assert files[WRONG]["status"] == "pass"
    assert codes(files[BROKEN]) == ["T3-BALANCE", "T3-BALANCE"]
    assert proc.returncode == 1


def test_ignore_on_the_command_line_overrides_the_config(reports):
    put(reports, "govreport.toml", 'ignore = ["T3", "T4"]\n')
    proc, doc = lint_json("--ignore", "T3", WRONG, cwd=reports)
    assert proc.returncode == 1
    assert codes(doc["files"][0]) == ["T4-SUM"]


def test_select_and_ignore_together(reports):
    put(reports, "govreport.toml", 'select = ["T3"]\nignore = ["T3-ROW-TOTAL"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert codes(doc["files"][0]) == ["T3-OUTCOME-SUM"]


# -- severity -----------------------------------------------------------------------------

def test_severity_downgrade_makes_the_run_pass_and_json_shows_a_warning(reports):
    put(reports, "govreport.toml", 'ignore = ["T3"]\nseverity = {"T4-SUM" = "warning"}\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 0
    file = doc["files"][0]
    assert file["status"] == "pass"
    assert [(f["code"], f["severity"]) for f in file["findings"]] == [("T4-SUM", "warning")]
    assert doc["summary"]["findings"] == {"error": 0, "warning": 1, "info": 0}
    assert doc["summary"]["passed"] == 1 and doc["summary"]["failed"] == 0


def test_severity_downgrade_in_text_output(reports):
    put(reports, "govreport.toml", 'ignore = ["T3"]\n\n[severity]\n"T4-SUM" = "warning"\n')
    proc = run("lint", WRONG, cwd=reports)
    assert proc.returncode == 0
    assert "警告 T4-SUM" in proc.stdout
    assert "错误 T4-SUM" not in proc.stdout


@pytest.mark.parametrize("table", ['{"T4" = "info", "T4-SUM" = "warning"}', '{"T4-SUM" = "warning", "T4" = "info"}'])
def test_the_more_specific_severity_key_wins(reports, table):
    put(reports, "govreport.toml", f'select = ["T4"]\nseverity = {table}\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert proc.returncode == 0
    assert [(f["code"], f["severity"]) for f in doc["files"][0]["findings"]] == [("T4-SUM", "warning")]


def test_a_prefix_severity_applies_to_every_code_under_it(reports):
    put(reports, "govreport.toml", 'severity = {"T3" = "info"}\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    sev = {f["code"]: f["severity"] for f in doc["files"][0]["findings"]}
    assert sev == {"T3-OUTCOME-SUM": "info", "T3-ROW-TOTAL": "info", "T4-SUM": "error"}
    assert proc.returncode == 1


def test_severity_upgrade_makes_a_warning_fail(reports):
    put(reports, "govreport.toml", 'select = ["CELL-BLANK"]\n')
    proc, doc = lint_json(BLANK, cwd=reports)
    assert proc.returncode == 0
    assert [(f["code"], f["severity"]) for f in doc["files"][0]["findings"]] == [("CELL-BLANK", "warning")]
    put(reports, "govreport.toml", 'select = ["CELL-BLANK"]\nseverity = {"CELL-BLANK" = "error"}\n')
    proc, doc = lint_json(BLANK, cwd=reports)
    assert proc.returncode == 1
    assert doc["files"][0]["status"] == "fail"
    assert [(f["code"], f["severity"]) for f in doc["files"][0]["findings"]] == [("CELL-BLANK", "error")]


def test_a_prefix_severity_key_wins_over_all(reports):
    put(reports, "govreport.toml", 'select = ["T4"]\nseverity = {"ALL" = "info", "T4" = "warning"}\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert [(f["code"], f["severity"]) for f in doc["files"][0]["findings"]] == [("T4-SUM", "warning")]


# -- per-file-ignores ---------------------------------------------------------------------

def test_per_file_ignores_apply_only_to_matching_files(reports):
    put(reports, "govreport.toml", '[per-file-ignores]\n"wrong_*" = ["T3"]\n')
    proc, doc = lint_json(".", cwd=reports)
    files = by_name(doc)
    assert codes(files[WRONG]) == ["T4-SUM"]
    assert codes(files[BROKEN]) == ["T3-BALANCE", "T3-BALANCE"]
    assert "T3-ROW-TOTAL" in codes(files[BLANK])
    assert proc.returncode == 1


def test_per_file_ignores_can_make_a_file_pass(reports):
    put(reports, "govreport.toml", '[per-file-ignores]\n"wrong_*" = ["T3", "T4-SUM"]\n"broken_*" = ["T3-BALANCE"]\n')
    proc, doc = lint_json(WRONG, BROKEN, cwd=reports)
    assert proc.returncode == 0
    assert [f["status"] for f in doc["files"]] == ["pass", "pass"]


def test_per_file_ignore_globs_are_relative_to_the_config_folder(tmp_path, reports):
    put(tmp_path, "govreport.toml", '[per-file-ignores]\n"reports/wrong_*" = ["T3"]\n')
    proc, doc = lint_json(".", cwd=reports)  # run from the subfolder: patterns still from tmp_path
    files = by_name(doc)
    assert codes(files[WRONG]) == ["T4-SUM"]
    assert codes(files[BROKEN]) == ["T3-BALANCE", "T3-BALANCE"]


# -- extensions / exclude -----------------------------------------------------------------

def test_extensions_limit_a_directory_run(reports):
    put(reports, "govreport.toml", 'extensions = [".html"]\n')
    proc, doc = lint_json(".", cwd=reports)
    assert sorted(by_name(doc)) == HTML


def test_extensions_without_dot_and_in_capitals(reports):
    put(reports, "govreport.toml", 'extensions = ["HTML", ".MD"]\n')
    proc, doc = lint_json(".", cwd=reports)
    assert sorted(by_name(doc)) == sorted(n for n in REPORTS if n.endswith((".html", ".md")))


def test_exclude_skips_matching_files(reports):
    put(reports, "govreport.toml", 'exclude = ["clean_*"]\n')
    proc, doc = lint_json(".", cwd=reports)
    assert sorted(by_name(doc)) == [n for n in REPORTS if not n.startswith("clean_")]


def test_ext_on_the_command_line_overrides_the_config(reports):
    put(reports, "govreport.toml", 'extensions = [".html"]\n')
    proc, doc = lint_json("--ext", ".md", ".", cwd=reports)
    assert sorted(by_name(doc)) == ["clean_2021_rows.md"]
    assert proc.returncode == 0


def test_exclude_on_the_command_line_overrides_the_config(reports):
    put(reports, "govreport.toml", 'exclude = ["clean_*"]\n')
    proc, doc = lint_json("--exclude", "missing_*,blank_*", ".", cwd=reports)
    assert sorted(by_name(doc)) == [n for n in REPORTS if not n.startswith(("missing_", "blank_"))]


def test_a_named_file_is_checked_whatever_the_extensions(reports):
    put(reports, "govreport.toml", 'extensions = [".html"]\nexclude = ["wrong_*"]\n')
    proc, doc = lint_json(WRONG, cwd=reports)
    assert codes(doc["files"][0]) == WRONG_CODES


# -- bad configurations -------------------------------------------------------------------

BAD = {
    "unknown-key": ('colour = "red"\n', ["colour"]),
    "select-not-a-list": ('select = "T3"\n', ["select"]),
    "ignore-unknown-code": ('ignore = ["T9-NOPE"]\n', ["ignore", "T9-NOPE"]),
    "select-partial-word": ('select = ["T3-BAL"]\n', ["select", "T3-BAL"]),
    "severity-bad-value": ('severity = {"T4-SUM" = "fatal"}\n', ["severity", "T4-SUM", "fatal"]),
    "severity-unknown-code": ('severity = {"T9-NOPE" = "warning"}\n', ["severity", "T9-NOPE"]),
    "severity-not-a-table": ('severity = "warning"\n', ["severity"]),
    "per-file-not-a-list": ('[per-file-ignores]\n"wrong_*" = "T3"\n', ["per-file-ignores"]),
    "per-file-unknown-code": ('[per-file-ignores]\n"wrong_*" = ["T9-NOPE"]\n', ["per-file-ignores", "T9-NOPE"]),
    "extensions-not-strings": ('extensions = [1]\n', ["extensions"]),
    "exclude-not-a-list": ('exclude = "clean_*"\n', ["exclude"]),
    "offices-not-a-name": ('[offices]\n"*" = 3\n', ["offices"]),
    "strict-not-a-boolean": ('strict = "true"\n', ["strict", "true 或 false"]),
    "toml-syntax": ('ignore = ["T3"\n', ["govreport.toml", "无法解析"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_govreport_toml_is_a_usage_error_naming_the_key(reports, case):
    text, words = BAD[case]
    put(reports, "govreport.toml", text)
    message = usage_error(run("lint", WRONG, cwd=reports))
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("case", ["unknown-key", "select-not-a-list", "ignore-unknown-code", "severity-bad-value",
                                  "strict-not-a-boolean"])
def test_bad_tool_govreport_in_pyproject_names_the_dotted_key(reports, case):
    text, words = BAD[case]
    put(reports, "pyproject.toml", "[tool.govreport]\n" + text)
    message = usage_error(run("lint", WRONG, cwd=reports))
    assert "tool.govreport." in message
    for word in words:
        assert word in message, message


def test_unknown_key_message(reports):
    put(reports, "govreport.toml", 'colour = "red"\n')
    message = usage_error(run("lint", WRONG, cwd=reports))
    assert "未知配置项" in message and "colour" in message
    assert "strict" in message.split("可用：")[1]  # the keys it lists


def test_bad_configuration_named_by_config_option(tmp_path, reports):
    bad = put(tmp_path / "elsewhere", "ci.toml", 'severity = {"T4-SUM" = "fatal"}\n')
    message = usage_error(run("lint", "--config", bad, WRONG, cwd=reports))
    assert "severity" in message and "fatal" in message


def test_config_option_pointing_at_a_missing_file(reports):
    message = usage_error(run("lint", "--config", "no-such-govreport.toml", WRONG, cwd=reports))
    assert "配置文件不存在" in message
    assert "no-such-govreport.toml" in message


@pytest.mark.parametrize("flag", ["--select", "--ignore"])
def test_unknown_code_on_the_command_line(reports, flag):
    message = usage_error(run("lint", flag, "T9-NOPE", WRONG, cwd=reports))
    assert "T9-NOPE" in message


def test_syntax_error_in_a_pyproject_with_tool_govreport_is_a_usage_error(reports):
    put(reports, "pyproject.toml", '[tool.govreport]\nignore = ["T3", "T4"\n')
    message = usage_error(run("lint", WRONG, cwd=reports))
    assert "pyproject.toml" in message


def test_tool_govreport_that_is_not_a_table_is_a_usage_error(reports):
    put(reports, "pyproject.toml", '[tool]\ngovreport = 1\n')
    message = usage_error(run("lint", WRONG, cwd=reports))
    assert "tool.govreport" in message


# -- Config.apply / keeps on real results -------------------------------------------------

@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("apply")
    for name in (WRONG, BROKEN, BLANK):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def results(copies) -> dict[str, FileResult]:
    return {Path(r.path).name: r for r in lint_paths([str(copies / n) for n in (WRONG, BROKEN, BLANK)])}


def _codes(r: FileResult) -> list[str]:
    return sorted(f.code for f in r.findings)


def test_apply_with_the_default_config_changes_nothing(results):
    for r in results.values():
        out = Config().apply(r)
        assert out.findings == r.findings
        assert out.status == r.status


def test_apply_downgrade_turns_fail_into_pass(results):
    wrong = results[WRONG]
    assert wrong.status == "fail"
    out = Config(ignore=("T3",), severity={"T4-SUM": "warning"}).apply(wrong)
    assert [(f.code, f.severity) for f in out.findings] == [("T4-SUM", "warning")]
    assert out.status == "pass"
    # the original result is untouched
    assert wrong.status == "fail"
    assert _codes(wrong) == WRONG_CODES
    assert all(f.severity == "error" for f in wrong.findings)


def test_apply_keeps_everything_but_the_severity(results):
    wrong = results[WRONG]
    out = Config(severity={"T4": "info"}).apply(wrong)
    before = {f.code: f for f in wrong.findings}
    after = {f.code: f for f in out.findings}
    assert after["T4-SUM"] == replace(before["T4-SUM"], severity="info")
    assert after["T3-ROW-TOTAL"] == before["T3-ROW-TOTAL"]
    assert out.status == "fail"  # the T3 errors remain


def test_apply_downgrading_only_some_errors_still_fails(results):
    out = Config(severity={"T3-BALANCE": "warning"}).apply(results[BROKEN])
    assert out.status == "pass"
    out = Config(severity={"T4-SUM": "warning"}).apply(results[WRONG])
    assert out.status == "fail"


def test_apply_upgrade_turns_pass_into_fail(results):
    blank = results[BLANK]
    only_blank = Config(select=("CELL-BLANK",)).apply(blank)
    assert [(f.code, f.severity) for f in only_blank.findings] == [("CELL-BLANK", "warning")]
    assert only_blank.status == "pass"
    up = Config(select=("CELL-BLANK",), severity={"CELL-BLANK": "error"}).apply(blank)
    assert [(f.code, f.severity) for f in up.findings] == [("CELL-BLANK", "error")]
    assert up.status == "fail"


def test_apply_select_and_ignore(results):
    wrong = results[WRONG]
    assert _codes(Config(select=("T4-SUM",)).apply(wrong)) == ["T4-SUM"]
    assert _codes(Config(ignore=("T4",)).apply(wrong)) == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL"]
    assert _codes(Config(ignore=("ALL",)).apply(wrong)) == []
    assert Config(ignore=("T3", "T4")).apply(wrong).status == "pass"


def test_apply_per_file_ignores_are_relative_to_root(results, copies):
    cfg = Config(per_file_ignores={"wrong_*": ("T3",)}, root=copies)
    assert _codes(cfg.apply(results[WRONG])) == ["T4-SUM"]
    assert _codes(cfg.apply(results[BROKEN])) == ["T3-BALANCE", "T3-BALANCE"]
    elsewhere = Config(per_file_ignores={"wrong_*": ("T3",)}, root=copies.parent)
    assert _codes(elsewhere.apply(results[WRONG])) == WRONG_CODES
    nested = Config(per_file_ignores={f"{copies.name}/wrong_*": ("T3",)}, root=copies.parent)
    assert _codes(nested.apply(results[WRONG])) == ["T4-SUM"]


def test_apply_keeps_an_unreadable_file_an_error():
    bad = FileResult.unreadable("nothing.txt", "文件不存在")
    assert Config(ignore=("ALL",)).apply(bad).status == "error"


def test_keeps(copies):
    path = str(copies / WRONG)
    cfg = Config(select=("T3",), ignore=("T3-BALANCE",))
    assert cfg.keeps("T3-ROW-TOTAL", path)
    assert not cfg.keeps("T3-BALANCE", path)
    assert not cfg.keeps("T4-SUM", path)
    assert Config().keeps("T4-SUM", path)
    assert not Config(select=("T4-SUM",)).keeps("T4", path)  # a code is not a prefix of a shorter one
    assert Config(select=("ALL",)).keeps("XY-COPIED", path)
    assert not Config(ignore=("ALL",)).keeps("T4-SUM", path)
    # a prefix matches only at a dash: T3-ORG is a prefix of T3-ORG-SUBTOTAL, T3-O is not
    assert not Config(ignore=("T3-ORG",)).keeps("T3-ORG-SUBTOTAL", path)
    assert Config(ignore=("T3-O",)).keeps("T3-OUTCOME-SUM", path)
    per_file = Config(per_file_ignores={"wrong_*": ("T4",)}, root=copies)
    assert not per_file.keeps("T4-SUM", path)
    assert per_file.keeps("T3-ROW-TOTAL", path)
    assert per_file.keeps("T4-SUM", str(copies / BROKEN))


# -- parse / find / load ------------------------------------------------------------------

@pytest.fixture(scope="module")
def all_codes() -> list[str]:
    return rulebook.load().codes()


def test_parse_normalises_and_defaults(all_codes, tmp_path):
    cfg = configs.parse({"extensions": ["html", ".MD"]}, all_codes, tmp_path)
    assert cfg.extensions == (".html", ".md")
    assert cfg.exclude == configs.DEFAULT_EXCLUDE
    assert cfg.select == () and cfg.ignore == ()
    cfg = configs.parse({"exclude": ["clean_*"]}, all_codes, tmp_path)
    assert cfg.exclude == ("clean_*",)
    assert cfg.extensions == configs.DEFAULT_EXTENSIONS
    cfg = configs.parse({"per-file-ignores": {"a/*": ["T3"]}, "severity": {"T3": "info"}, "offices": {"*": "某局"}},
                        all_codes, tmp_path)
    assert cfg.per_file_ignores == {"a/*": ("T3",)}
    assert cfg.severity == {"T3": "info"}
    assert cfg.offices == {"*": "某局"}
    assert cfg.root == tmp_path
    assert cfg.strict is False  # the default
    assert configs.parse({"strict": True}, all_codes, tmp_path).strict is True
    assert configs.parse({"strict": False}, all_codes, tmp_path).strict is False


@pytest.mark.parametrize("data,word", [
    ({"colour": "red"}, "colour"),
    ({"select": "T3"}, "select"),
    ({"ignore": ["T9-NOPE"]}, "T9-NOPE"),
    ({"severity": {"T4-SUM": "fatal"}}, "fatal"),
    ({"severity": {"T9-NOPE": "error"}}, "T9-NOPE"),
    ({"per-file-ignores": {"x": "T3"}}, "per-file-ignores"),
    ({"offices": {"x": ""}}, "offices"),
    ({"strict": "yes"}, "strict"),
    ({"strict": 1}, "strict"),
    ({"strict": None}, "strict"),
])
def test_parse_rejects(all_codes, tmp_path, data, word):
    with pytest.raises(ConfigError) as e:
        configs.parse(data, all_codes, tmp_path)
    assert word in str(e.value)
    assert "\n" not in str(e.value)


def test_find_precedence(tmp_path):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    outer = put(tmp_path, "govreport.toml", "")
    assert configs.find(inner) == outer
    put(tmp_path / "a", "pyproject.toml", "[tool.black]\n")
    assert configs.find(inner) == outer  # no [tool.govreport]: skipped
    project = put(tmp_path / "a", "pyproject.toml", "[tool.govreport]\n")
    assert configs.find(inner) == project
    own = put(tmp_path / "a", "govreport.toml", "")
    assert configs.find(inner) == own
    nearest = put(inner, "pyproject.toml", '[tool.govreport]\nselect = ["T3"]\n')
    assert configs.find(inner) == nearest


def test_load_from_the_current_directory_and_isolated(tmp_path, monkeypatch, all_codes):
    put(tmp_path, "govreport.toml", 'ignore = ["T4"]\nstrict = true\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    cfg = configs.load(None, all_codes)
    assert cfg.ignore == ("T4",) and cfg.strict is True
    assert cfg.root == tmp_path.resolve()
    assert Path(cfg.source).name == "govreport.toml"
    assert configs.load(None, all_codes, isolated=True).ignore == ()
    assert configs.load(None, all_codes, isolated=True).strict is False
    with pytest.raises(ConfigError):
        configs.load(tmp_path / "missing.toml", all_codes)
