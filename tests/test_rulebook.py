"""rules/ loads strictly; every code is documented and tested."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from validator.rules import rulebook

ROOT = Path(__file__).resolve().parent.parent


def test_loads_and_codes_are_unique():
    book = rulebook.load()
    codes = book.codes()
    assert len(codes) == len(set(codes))
    assert {"T3-BALANCE", "T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM", "CELL-BLANK", "TABLE-MISSING"} <= set(codes)


def test_every_code_is_documented():
    book = rulebook.load()
    for code in book.codes():
        e = book.entry(code)
        assert e.summary and e.message and e.reference, code
        assert re.search(r"[\u4e00-\u9fff]", e.message), f"{code}: message must be Chinese"


def test_every_code_has_a_test():
    """Closes yamllint's registration gap: a rule nobody tests fails here."""
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")
                   if p.name != "test_rulebook.py")
    untested = [c for c in rulebook.load().codes() if f'"{c}"' not in text]
    assert not untested, f"codes with no test: {untested}"


@pytest.fixture
def rules_copy(tmp_path):
    dst = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", dst)
    rulebook.load.cache_clear()
    yield dst
    rulebook.load.cache_clear()


def _edit(path: Path, fn):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("change,match", [
    (lambda d: d["rules"][0].update(severity="fatal"), "severity"),
    (lambda d: d["rules"][0].update(expr="new + nosuchrow == total"), "unknown id"),
    (lambda d: d["rules"][0].update(expr="new +"), "expr"),
    (lambda d: d["rules"][0].update(colour="red"), "unknown keys"),
    (lambda d: d["rules"][1].update(code=d["rules"][0]["code"]), "duplicate"),
    (lambda d: d["rules"][0].update(message="{scope} {nonsense}"), "placeholders"),
    (lambda d: d["rules"][0].update(only=["nosuchcolumn"]), "only"),
])
def test_bad_identity_files_stop_at_load(rules_copy, change, match):
    _edit(rules_copy / "identities.yaml", change)
    with pytest.raises(rulebook.RulesError, match=match):
        rulebook.load(str(rules_copy))


def test_bad_layout_pattern_stops_at_load(rules_copy):
    _edit(rules_copy / "layout.yaml", lambda d: d["tables"]["t3"]["rows"][0].update(match=["(unclosed"]))
    with pytest.raises(rulebook.RulesError, match="bad pattern"):
        rulebook.load(str(rules_copy))


def test_a_new_rule_is_a_rules_edit(rules_copy):
    """A province's extra rule: add YAML, no code."""
    (rules_copy / "province.yaml").write_text(yaml.safe_dump({"rules": [{
        "code": "XX-GRANTED-CAP", "severity": "warning", "table": "t3", "for_each": "column",
        "expr": "granted <= new", "label": "测试", "message": "{scope}：予以公开 {lhs} 多于新收 {rhs}",
        "summary": "granted should not exceed new"}]}, allow_unicode=True), encoding="utf-8")
    book = rulebook.load(str(rules_copy))
    assert "XX-GRANTED-CAP" in book.codes()
