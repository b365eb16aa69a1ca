"""Every identity rule on its own small cases (tests/rule_cases.yaml, which says how a case is
written): a valid report, an invalid one that the rule flags where the case expects, and an
undecided one on which the rule is not evaluated. The reports are whole synthetic reports
(validator.synth) checked through the public pipeline, so the cases hold whatever the internals
of extraction and checking become."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from validator import synth
from validator.pipeline import lint_paths
from validator.rules import rulebook

CASES_FILE = Path(__file__).resolve().parent / "rule_cases.yaml"
CASES: dict[str, dict] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
RULES = {r.code: r for r in rulebook.load().rules}

CASE_KEYS = {"valid", "invalid", "undecided", "layout", "formats", "subtotal"}
CHANGE_KEYS = {"set", "add"}
SUFFIX = {"rows": ".md", "cells": ".txt", "html": ".html"}
UNREADABLE = "不详"  # a word where a number should be: the cell cannot be read
KINDS = ("valid", "invalid", "undecided")
ORGS = synth.T3_COLS[1:6]  # the five organisation columns a 小计 sums


def formats(code: str) -> list[str]:
    case, rule = CASES[code], RULES.get(code)
    return [str(f) for f in case.get("formats") or (rule.formats if rule else ())]


PARAMS = [pytest.param(code, fmt, id=f"{code}-{fmt}") for code in CASES for fmt in formats(code)]


# -- building a case's reports ------------------------------------------------------------------

def cell(code: str, ref: str, tables: dict) -> tuple[str, str, str]:
    """table.row.column (the row id may hold dots) -> (table, row, column), which must exist."""
    table, _, rest = ref.partition(".")
    row, _, column = rest.rpartition(".")
    assert column in tables.get(table, {}).get(row, {}), f"rule_cases.yaml {code}: no cell {ref}"
    return table, row, column


def changes(code: str, kind: str) -> dict:
    """The `set`/`add` of a kind; the undecided report is the invalid one, made undecided."""
    part = CASES[code].get("invalid" if kind == "undecided" else kind) or {}
    return {k: part.get(k) or {} for k in CHANGE_KEYS}


def changed_cells(code: str, kind: str, tables: dict) -> set[tuple[str, str, str]]:
    c = changes(code, kind)
    return {cell(code, ref, tables) for ref in [*c["set"], *c["add"]]}


def figures(code: str, fmt: str) -> dict:
    tables = synth.figures(fmt)
    if CASES[code].get("subtotal"):
        for row in tables["t3"].values():
            row["org_subtotal"] = sum(row[c] for c in ORGS)
    return tables


def t3_value_lines(lines: list[str], fmt: str) -> dict[str, int]:
    """In a report written as markdown rows: the line of each 表三 row, by row id."""
    first = next(i for i, line in enumerate(lines) if line.startswith("## 三、"))
    while not lines[first].startswith("|"):
        first += 1
    end = first
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    values = range(first + 4, end)  # after the three header rows and the |---| line
    rows = synth.t3_rows(fmt)
    assert len(values) == len(rows)
    for i, r in zip(values, rows):
        assert split(lines[i])[:-7][-1] == synth.T3_LABELS[r], (r, lines[i])  # labels, then 7 values
    return dict(zip(rows, values))


def split(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def join(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def with_subtotal(text: str, tables: dict, fmt: str) -> str:
    """Markdown rows with 表三's 小计 column after the five organisations, before 总计."""
    lines = text.split("\n")
    rows = t3_value_lines(lines, fmt)
    header = rows[synth.t3_rows(fmt)[0]] - 1
    assert split(lines[header]) == [synth.T3_COL_LABELS[c] for c in range(1, 6)], lines[header]
    lines[header] = join(split(lines[header]) + ["小计"])
    for r, i in rows.items():
        cells = split(lines[i])
        lines[i] = join(cells[:-1] + [synth._text(tables["t3"][r]["org_subtotal"]), cells[-1]])
    return "\n".join(lines)


def without_row(code: str, text: str, ref: str, fmt: str) -> str:
    """Markdown rows without the line of row table.row (a line holding that row's label only)."""
    table, _, row = ref.partition(".")
    lines = text.split("\n")
    if table == "t3":
        i = t3_value_lines(lines, fmt)[row]
        assert split(lines[i])[:-7] == [synth.T3_LABELS[row]], f"rule_cases.yaml {code}: {ref} shares its line"
    else:
        assert table == "t2", f"rule_cases.yaml {code}: remove a row of t2 or t3, not {ref}"
        label = next(label for _, _, rows in synth.T2_BLOCKS[fmt] for rid, label, _ in rows if rid == row)
        [i] = [i for i, line in enumerate(lines) if line.startswith("|") and split(line)[0] == label]
    return "\n".join(lines[:i] + lines[i + 1:])


def report(code: str, fmt: str, kind: str) -> tuple[str, bytes]:
    """The case's report of this kind, as an upload: (file name, bytes)."""
    case = CASES[code]
    layout = case.get("layout", "rows")
    tables = figures(code, fmt)
    c = changes(code, kind)
    for ref, value in c["set"].items():
        t, r, col = cell(code, ref, tables)
        tables[t][r][col] = value
    for ref, value in c["add"].items():
        t, r, col = cell(code, ref, tables)
        tables[t][r][col] += value
    undecided = case["undecided"] if kind == "undecided" else {}
    if "unreadable" in undecided:
        t, r, col = cell(code, undecided["unreadable"], tables)
        tables[t][r][col] = UNREADABLE
    text = synth.render(fmt, tables, layout)
    if case.get("subtotal") or "remove" in undecided:
        assert layout == "rows", f"rule_cases.yaml {code}: subtotal and remove are written in the rows layout"
    if case.get("subtotal"):
        text = with_subtotal(text, tables, fmt)
    if "remove" in undecided:
        text = without_row(code, text, undecided["remove"], fmt)
    return f"{code}-{fmt}-{kind}{SUFFIX[layout]}", text.encode("utf-8")


class Checked(dict):
    """{(code, format, kind): FileResult}; a report whose case could not be built raises there."""

    def __init__(self):
        super().__init__()
        self.broken: dict[tuple, Exception] = {}

    def __missing__(self, key):
        raise self.broken[key]


@pytest.fixture(scope="module")
def checked() -> Checked:
    """Every case's three reports, checked in one run (a case that cannot be built fails its
    own tests only)."""
    out, inputs = Checked(), {}
    for key in [(code, fmt, kind) for code in CASES if code in RULES for fmt in formats(code) for kind in KINDS]:
        try:
            inputs[key] = report(*key)
        except (AssertionError, KeyError, TypeError, ValueError, StopIteration) as e:
            out.broken[key] = e
    results = list(lint_paths(list(inputs.values()), rulebook.load()))
    assert [r.path for r in results] == [name for name, _ in inputs.values()]
    out.update(zip(inputs, results))
    return out


def shown(result) -> list[tuple]:
    return [(f.code, f.severity, f.table, f.row, f.column) for f in result.findings]


# -- the cases file -----------------------------------------------------------------------------

def test_every_identity_rule_has_a_case():
    missing = sorted(set(RULES) - set(CASES))
    assert not missing, f"identity rules without a case in {CASES_FILE.name}: {missing}"
    assert len(RULES) >= 8  # the rules of rules/identities.yaml were read


def test_every_case_is_a_well_formed_case_of_an_identity_rule():
    for code, case in CASES.items():
        assert code in RULES, f"{CASES_FILE.name}: {code} is not an identity rule"
        rule = RULES[code]
        assert set(case) <= CASE_KEYS and {"invalid", "undecided"} <= set(case), (code, sorted(case))
        assert set(formats(code)) <= set(rule.formats) and formats(code), (code, formats(code), rule.formats)
        assert case.get("layout", "rows") in SUFFIX, (code, case.get("layout"))
        assert set(case.get("valid") or {}) <= CHANGE_KEYS, (code, case.get("valid"))
        invalid = case["invalid"]
        assert set(invalid) <= CHANGE_KEYS | {"expect"} and set(invalid) & CHANGE_KEYS, (code, invalid)
        assert len(changed_cells(code, "invalid", figures(code, formats(code)[0]))) in (1, 2, 3), code
        # the place a finding names: its row for a rule checked per row, its column otherwise
        assert set(invalid["expect"]) == {rule.for_each}, (code, invalid["expect"], rule.for_each)
        assert len(case["undecided"]) == 1 and set(case["undecided"]) <= {"unreadable", "remove"}, code


# -- each rule on its cases ---------------------------------------------------------------------

@pytest.mark.parametrize("code,fmt", PARAMS)
def test_valid_report_passes_without_the_rule_s_finding(checked, code, fmt):
    result = checked[(code, fmt, "valid")]
    assert code not in [f.code for f in result.findings], shown(result)
    assert result.status == "pass", shown(result)


@pytest.mark.parametrize("code,fmt", PARAMS)
def test_invalid_report_has_the_finding_where_the_case_expects_it(checked, code, fmt):
    rule, expect = RULES[code], CASES[code]["invalid"]["expect"]
    result = checked[(code, fmt, "invalid")]
    found = [f for f in result.findings if f.code == code]
    assert [(f.table, f.row, f.column) for f in found] == [(rule.table, expect.get("row"), expect.get("column"))], \
        shown(result)
    [finding] = found
    assert finding.severity == rule.severity
    cited = {(c.table, c.row, c.column) for c in finding.cells}
    assert changed_cells(code, "invalid", figures(code, fmt)) & cited, (sorted(cited), finding.message)
    if rule.severity == "error":
        assert result.status == "fail"


@pytest.mark.parametrize("code,fmt", PARAMS)
def test_undecided_report_neither_has_the_finding_nor_passes(checked, code, fmt):
    # the same report with the rule decided: it fails the rule (test_invalid_… says where)
    assert code in [f.code for f in checked[(code, fmt, "invalid")].findings]
    result = checked[(code, fmt, "undecided")]
    assert code not in [f.code for f in result.findings], shown(result)
    assert result.status in ("incomplete", "fail"), (result.status, shown(result))
    # and why: the table the rule reads has a row unread or missing
    table = RULES[code].table
    assert [f for f in result.findings if f.table == table and (f.severity == "error" or f.incomplete)], shown(result)
