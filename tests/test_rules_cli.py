"""`govreport rules` (a code explained, a prefix listed, aligned columns, `--ids`) and the exit
status of `govreport extract`, in-process through click's runner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator import cli
from validator.rules import rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(autouse=True)
def no_configuration(tmp_path, monkeypatch):
    """Run where no configuration adds a province's rules to the packaged ones."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def book():
    return rulebook.load()


def invoke(*args):
    return CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)


# -- govreport rules -----------------------------------------------------------------------------

def listed_codes(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines()]


def test_rules_lists_every_code_aligned_by_the_longest(book):
    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert listed_codes(result.stdout) == book.codes()
    width = max(len(c) for c in book.codes())
    assert width > 18  # the old fixed width: DOC-SECTION-NUMBERING ran into its severity
    for line, code in zip(lines, book.codes()):
        e = book.entry(code)
        # code, two spaces, severity in 7 columns, two spaces, summary: the same offsets on every line
        assert line == f"{code.ljust(width)}  {e.severity.ljust(7)}  {e.summary}"
    assert len({line.index(book.entry(c).summary) for line, c in zip(lines, book.codes())}) == 1


def test_rules_prefix_lists_that_family_only(book):
    t3 = [c for c in book.codes() if c.startswith("T3-")]
    assert len(t3) >= 3
    for arg in ("T3", "t3", "T3-"):
        result = invoke("rules", arg)
        assert result.exit_code == 0, result.output
        assert listed_codes(result.stdout) == t3
    # the width is that of the codes listed
    lines = invoke("rules", "T3").stdout.splitlines()
    width = max(len(c) for c in t3)
    assert all(line[width:width + 2] == "  " and line[width + 2] != " " for line in lines)
    # a longer prefix, and a family of the catalogue
    assert listed_codes(invoke("rules", "T3-ROW").stdout) == [c for c in t3 if c.startswith("T3-ROW-")]
    xy = listed_codes(invoke("rules", "XY").stdout)
    assert xy and "XY-DUPLICATE" in xy and all(c.startswith("XY-") for c in xy)


def test_rules_exact_code_is_still_explained(book):
    result = invoke("rules", "t3-balance")
    assert result.exit_code == 0
    e = book.entry("T3-BALANCE")
    assert result.stdout.splitlines()[:2] == [f"T3-BALANCE  ({e.severity})", e.summary]
    assert f"表达式 expr: {e.comparison.text}" in result.stdout
    catalogue = invoke("rules", "XY-DUPLICATE").stdout
    assert "提示模板 message:" in catalogue and "{paths}" in catalogue


def test_rules_unknown_code_or_prefix_is_a_usage_error():
    result = invoke("rules", "T9")
    assert result.exit_code == 2
    assert "没有规则 T9" in result.stderr and "T9-" in result.stderr
    assert result.stdout == ""


# -- govreport rules --ids -----------------------------------------------------------------------

def id_lines(out: str) -> dict[str, dict[str, dict[str, str]]]:
    """{table: {"rows"|"columns": {id: the rest of its line}}} from `rules --ids`."""
    tables: dict = {}
    table = part = None
    for line in out.splitlines():
        if m := re.fullmatch(r"表[二三四]（(t\d)）\S+", line):
            table = tables.setdefault(m.group(1), {})
        elif line in ("  行 rows", "  列 columns"):
            part = table.setdefault("rows" if "rows" in line else "columns", {})
        elif line.startswith("    "):
            ident, rest = line.strip().split(None, 1)
            part[ident] = rest
        else:
            assert line == "", line
    return tables


def test_rules_ids_lists_each_tables_ids_with_formats_and_labels(book):
    result = invoke("rules", "--ids")
    assert result.exit_code == 0
    out = result.stdout
    assert "表二（t2）主动公开政府信息情况" in out.splitlines()
    tables = id_lines(out)
    assert set(tables) == set(book.tables) == {"t2", "t3", "t4"}
    for tid, spec in book.tables.items():
        for fmt in book.formats:
            rows, cols = spec.frame_shape(fmt, tuple(spec.columns))
            for r in rows:
                assert fmt in tables[tid]["rows"][r].split("  ")[0], (tid, r, fmt)
            for c in cols:
                assert fmt in tables[tid]["columns"][c].split("  ")[0], (tid, c, fmt)
    t2, t3 = tables["t2"], tables["t3"]
    # a label the formats word differently is given per format; one worded alike, once
    assert t2["rows"]["normative_documents"] == "2019 2021  2019 年格式：规范性文件；2021 年格式：行政规范性文件"
    assert t2["columns"]["amount"].endswith("2019 年格式：采购总金额；2021 年格式：本年收费金额（万元）")
    assert t3["rows"]["granted"] == "2019 2021  （一）予以公开"
    # an id of one format only
    assert t2["rows"]["other_services"] == "2019       其他对外管理服务事项"
    assert t3["rows"]["other_handling.misc"] == "2021  3.其他"
    assert t3["rows"]["other_handling"].startswith("2019  ")
    assert t3["columns"]["org_subtotal"] == "2019 2021  法人或其他组织小计"
    assert tables["t4"]["rows"]["suit_direct"] == "2019 2021  行政诉讼·未经复议直接起诉"
    # the formats' slots start in one column for every id of every table, each format in its own
    width = max(len(i) for t in tables.values() for part in t.values() for i in part)
    slots = [line[4 + width:] for line in out.splitlines() if line.startswith("    ")]
    assert {s[:13] for s in slots} == {"  2019 2021  ", "  2019       ", "       2021  "}


@pytest.mark.parametrize("sample", ["clean_2021.html", "clean_2019_cells.txt"])
def test_every_id_extract_prints_is_listed_by_rules_ids(sample):
    tables = id_lines(invoke("rules", "--ids").stdout)
    result = invoke("extract", str(SAMPLES / sample))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    for tid, rows in doc["tables"].items():
        for row, cols in rows.items():
            assert doc["format"] in tables[tid]["rows"][row].split("  ")[0]
            for col in cols:
                assert doc["format"] in tables[tid]["columns"][col].split("  ")[0]


def test_rules_ids_takes_no_code():
    result = invoke("rules", "--ids", "T3")
    assert result.exit_code == 2
    assert "--ids" in result.stderr


# -- govreport extract: exit status --------------------------------------------------------------

def test_extract_exit_0_with_the_tables():
    result = invoke("extract", str(SAMPLES / "clean_2021.html"))
    assert result.exit_code == 0
    assert set(json.loads(result.stdout)["tables"]) == {"t2", "t3", "t4"}
    assert result.stderr == ""
    csv = invoke("extract", str(SAMPLES / "clean_2021.html"), "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.startswith("table,row,column,value,raw,line\n")


def test_extract_exit_1_when_extraction_found_an_error():
    path = SAMPLES / "missing_table_2021.txt"
    result = invoke("extract", str(path))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # the tables found are still printed
    assert "t3" not in doc["tables"] and "t2" in doc["tables"]
    assert result.stderr.startswith(f"{path}: TABLE-MISSING 未找到表三")


def test_extract_exit_0_for_check_errors_only():
    # wrong sums are the checks' business, not extraction's: the tables are as published
    result = invoke("extract", str(SAMPLES / "wrong_total_2019_cells.txt"))
    assert result.exit_code == 0 and result.stderr == ""


def test_extract_exit_2_for_a_file_that_cannot_be_read(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path in (empty, tmp_path / "missing.html"):
        result = invoke("extract", str(path))
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith(f"{path}: ")


def test_extract_help_states_the_exit_status():
    out = invoke("extract", "--help").stdout
    assert "Exit status: 0" in out and "1 the tables printed" in " ".join(out.split())
    assert "rules --ids" in out
