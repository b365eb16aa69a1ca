"""One rule engine, one strict loader, a province's own rules from the configuration, and the
stages' import graph (extraction never imports a check; no format reads a file)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import put

from validator import config as configs
from validator import pipeline, synth
from validator.check import engine
from validator.rules import rulebook

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "validator"

PROVINCE_RULE = """\
# A province's own rule: the 不予公开 rows of a column never exceed its （七）总计.
rules:
  - code: FJ-T3-DENIED
    severity: error
    table: t3
    for_each: column
    expr: 'denied.* <= total'
    label: 不予公开不超过总计
    message: '{scope}：不予公开各项之和为 {lhs}，超过（七）总计 {rhs}'
    summary: 'the denied rows of a column sum to at most its total (a province rule)'
"""


# -- the engine -------------------------------------------------------------------------------

def test_verdicts_pass_fail_and_undecided_per_item():
    lhs, rhs = np.array([5.0, 5.0, 5.0]), np.array([5.0, 4.0, 4.0])
    undecided = np.array([False, False, True])
    assert engine.verdicts("==", lhs, rhs, undecided=undecided).tolist() == [engine.PASS, engine.FAIL, engine.UNDECIDED]
    assert engine.verdict("<=", 3, 4) == engine.PASS and engine.verdict(">", 3, 4) == engine.FAIL


def test_written_tolerance_is_half_a_unit_of_the_last_decimal_per_term():
    tol = engine.tolerance("written", np.array([0, 2]), terms=3)
    assert tol[0] == engine.EXACT and tol[1] == pytest.approx(0.015)
    # 12.35 + 0.01 written as 12.37 in a total of 万元: within rounding of three two-decimal terms
    assert engine.verdict("==", 12.37, 12.36, engine.tolerance("written", 2, 3)) == engine.PASS
    assert engine.verdict("==", 12.37, 12.36, engine.tolerance(0, 2, 3)) == engine.FAIL


def test_a_rule_s_tolerance_is_read_and_checked(tmp_path):
    rules = _rules_copy(tmp_path)
    data = yaml.safe_load((rules / "identities.yaml").read_text(encoding="utf-8"))
    data["rules"][0]["tolerance"] = 0.5
    (rules / "identities.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert rulebook.load(str(rules)).rules[0].tolerance == 0.5
    rulebook.load.cache_clear()  # the same folder, changed
    data["rules"][0]["tolerance"] = "loose"
    (rules / "identities.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(rulebook.RulesError, match="tolerance"):
        rulebook.load(str(rules))


# -- the strict loader ------------------------------------------------------------------------

def _rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("file, change, message", [
    ("text.yaml", lambda d: d["text"]["years"].update(perod="x"), r"unknown keys \['perod'\]"),
    ("text.yaml", lambda d: d["text"]["numbers"]["checks"][0].update(cells="t3:no_such_row"), "unknown row"),
    ("text.yaml", lambda d: d["text"]["structure"].pop("fee_patterns"), "missing"),
    ("findings.yaml", lambda d: d["findings"][1].update(stage="somewhere"), "stage must be one of"),
    ("findings.yaml", lambda d: d["findings"][1].update(incomplete="yes"), "incomplete must be true or false"),
    ("findings.yaml", lambda d: d["findings"][1].update(mesage="x"), r"unknown keys \['mesage'\]"),
    ("findings.yaml", lambda d: d["findings"].pop(0), r"no entry for \['READ-ERROR'\]"),
])
def test_every_rule_file_loads_strictly(tmp_path, file, change, message):
    rules = _rules_copy(tmp_path)
    _edit(rules / file, change)
    with pytest.raises(rulebook.RulesError, match=message):
        rulebook.load(str(rules))


def test_every_code_the_python_raises_is_in_the_catalogue_list():
    """rulebook.RAISED is what load() checks against the catalogue: it must name every code
    passed as a literal to findings.make() anywhere in the package."""
    raised = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "make" \
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                raised.add(node.args[1].value)
    assert raised, "no make() calls found: the scan is broken"
    assert raised <= rulebook.RAISED, sorted(raised - rulebook.RAISED)
    assert rulebook.RAISED <= set(rulebook.load().catalogue)


def test_a_third_national_format_is_a_layout_edit(tmp_path):
    rules = _rules_copy(tmp_path)

    def add(d):
        d["formats"]["2031"] = {"table_markers": ["本年新规定的表头"], "t3_markers": ["新处理方式"], "years": [2031, None]}
        d["formats"]["2021"]["years"] = [2021, 2030]
    _edit(rules / "layout.yaml", add)
    book = rulebook.load(str(rules))
    assert book.formats == ("2019", "2021", "2031")
    assert book.format_years["2031"] == (2031, None)


# -- a province's own rules -------------------------------------------------------------------

def test_rules_named_in_the_configuration_are_found_from_its_folder(tmp_path):
    put(tmp_path / "rules" / "fujian", "t3.yaml", PROVINCE_RULE)
    (tmp_path / "govreport.toml").write_text('rules = ["rules/fujian/*.yaml"]\n', encoding="utf-8")
    files = configs.rule_files(tmp_path / "govreport.toml")
    assert files == (str(tmp_path / "rules" / "fujian" / "t3.yaml"),)
    book = rulebook.load(extra=files)
    assert "FJ-T3-DENIED" in book.codes()
    cfg = configs.load(tmp_path / "govreport.toml", book.codes())
    assert cfg.rules == files
    (tmp_path / "govreport.toml").write_text('rules = ["rules/zhejiang/*.yaml"]\n', encoding="utf-8")
    with pytest.raises(configs.ConfigError, match="zhejiang"):
        configs.rule_files(tmp_path / "govreport.toml")


def test_a_province_rule_is_applied_in_a_parallel_run(tmp_path):
    rule = put(tmp_path / "rules", "fj.yaml", PROVINCE_RULE)
    book = rulebook.load(extra=(str(rule),))
    paths = []
    for i in range(40):  # enough files for two workers
        tables = synth.figures("2021", seed=i)
        if i % 4 == 0:  # 不予公开 above the total in 自然人: the province rule fails, and the national ones
            tables["t3"]["denied.state_secret"]["natural"] += 1000
        paths.append(str(put(tmp_path / "reports", f"r{i:02d}.html", synth.render("2021", tables, "html",
                                                                                      office=f"第{i}号机关"))))
    serial = list(pipeline.lint_paths(paths, book, jobs=1))
    parallel = list(pipeline.lint_paths(paths, book, jobs=2))
    assert [r.findings for r in parallel] == [r.findings for r in serial]
    hit = [i for i, r in enumerate(parallel) if any(f.code == "FJ-T3-DENIED" for f in r.findings)]
    assert hit == list(range(0, 40, 4))


# -- the import graph -------------------------------------------------------------------------

def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_reading_extraction_and_the_rule_loader_never_import_the_check_stage():
    for path in [*(PACKAGE / "read").glob("*.py"), *(PACKAGE / "extract").glob("*.py"), *(PACKAGE / "rules").glob("*.py")]:
        bad = {m for m in _imports(path) if m.startswith("validator.check")}
        assert not bad, f"{path.name} imports {bad}"


def test_no_output_format_reads_a_file():
    for path in (PACKAGE / "report").glob("*.py"):
        bad = {m for m in _imports(path) if m.startswith(("validator.read", "validator.extract", "validator.pipeline"))}
        assert not bad, f"{path.name} imports {bad}"
