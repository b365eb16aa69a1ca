"""Text whose cells a scraper ran together: cut apart, and recovered only when exactly one split
is consistent with the row's identities."""

import pytest

from conftest import codes, extract_text, lint_text
from validator import synth
from validator.document import Cell
from validator.runtogether import _cut, split_run

ROW_TOTAL = [[1, 1, 1, 1, 1, 1, -1]]


def test_unique_split_of_a_table_three_row():
    assert split_run(["640020470"], 7, ROW_TOTAL) == [[64, 0, 0, 2, 0, 4, 70]]


def test_ambiguous_split_returns_both():
    # 27,0,0,2,0,1,30 and 2,7,0,0,20,1,30 both satisfy the row total
    assert len(split_run(["270020130"], 7, ROW_TOTAL)) == 2


def test_spaces_are_cuts_already_made():
    assert split_run(["23", "0", "00", "0", "023"], 7, ROW_TOTAL) == [[23, 0, 0, 0, 0, 0, 23]]
    assert split_run(["500000", "5"], 7, ROW_TOTAL) == [[5, 0, 0, 0, 0, 0, 5]]


def test_no_leading_zeros_and_no_solution():
    assert split_run(["0512"], 2, []) == [[0, 512]]  # 05 and 051 are not numbers
    assert split_run(["12345"], 7, ROW_TOTAL) == []  # too few digits
    assert split_run(["1111111"], 7, ROW_TOTAL) == []  # 1+1+1+1+1+1 != 1


def test_table_four_groups_of_five():
    groups = [[1, 1, 1, 1, -1] + [0] * 10, [0] * 5 + [1, 1, 1, 1, -1] + [0] * 5, [0] * 10 + [1, 1, 1, 1, -1]]
    assert split_run(["10203120001200000"], 15, groups) == [[1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]]


def test_decimal_amount_is_one_value():
    assert split_run(["24252.311082"], 1, []) == [[24252.311082]]
    assert split_run(["1.5"], 2, []) == []


def test_absurdly_long_runs_are_not_searched():
    assert split_run(["1" * 60], 7, ROW_TOTAL) == []


def test_cut_keeps_list_numbering_with_its_label():
    cells = _cut("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000", Cell("x", 3))
    assert [(c.text, c.glued) for c in cells] == [
        ("（三）不予公开1.属于国家秘密", False), ("0000000", True), ("2.其他法律行政法规禁止公开", False), ("0000000", True)]
    assert {c.line for c in cells} == {3}


def test_cut_keeps_decimals_and_spaced_runs():
    cells = _cut("行政事业性收费24252.31（二）部分公开500000 5（三）", Cell("x"))
    assert [(c.text, c.glued) for c in cells] == [
        ("行政事业性收费", False), ("24252.31", True), ("（二）部分公开", False), ("500000 5", True), ("（三）", False)]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", [1, 2, 5])
def test_glued_report_recovers_exactly_the_rows_with_one_split(fmt, seed):
    tables = synth.figures(fmt, seed)
    text = synth.render(fmt, tables, "glued")
    assert text.count("\n") == 2  # really one line of report text
    report = extract_text(text, "r.txt")
    assert report.format == fmt
    t3 = report.tables["t3"]
    glued = {f.row for f in report.findings if f.code == "ROW-GLUED" and f.table == "t3"}
    for r in synth.t3_rows(fmt):
        digits = "".join(str(tables["t3"][r][c]) for c in synth.T3_COLS)
        read = [t3.frame.at[r, c] for c in synth.T3_COLS]
        truth = [tables["t3"][r][c] for c in synth.T3_COLS]
        if len(split_run([digits], 7, ROW_TOTAL)) == 1:
            assert read == truth and r not in glued
        else:  # settled by the column identities, or refused: never a wrong value
            assert (r in glued and t3.sources[(r, "natural")].value is None) or (read == truth and r not in glued)


def test_ambiguous_rows_settled_by_the_column_sums():
    tables = synth.figures("2021", 1)
    t3 = tables["t3"]
    for r in synth.t3_rows("2021"):
        for c in synth.T3_COLS:
            t3[r][c] = 0
    # 27,0,0,2,0,1,30 and 2,7,0,0,20,1,30 both fit the row total; the column sums pick one
    t3["granted"].update(natural=27, social=2, other_org=1, total=30)
    t3["total"].update(natural=27, social=2, other_org=1, total=30)
    t3["carry_forward"].update(natural=5, total=5)  # so that 一、本年新收 reads apart from （七）总计
    t3["new"].update(natural=32, social=2, other_org=1, total=35)
    report = extract_text(synth.render("2021", tables, "glued"), "r.txt")
    assert [report.tables["t3"].frame.at["granted", c] for c in synth.T3_COLS] == [27, 0, 0, 2, 0, 1, 30]
    [said] = [f for f in report.findings if f.code == "ROW-RECOVERED" and f.row == "granted"]
    assert "T3-OUTCOME-SUM" in said.message and "不再独立进行" in said.message
    assert [report.tables["t3"].frame.at["total", c] for c in synth.T3_COLS] == [27, 0, 0, 2, 0, 1, 30]


def test_recovered_rows_are_said_and_a_wrong_column_still_found():
    tables = synth.figures("2021", 1)
    for r in synth.t3_rows("2021"):
        for c in synth.T3_COLS[1:6]:
            tables["t3"][r][c] = 0  # keep every split unique: one applicant type only
        tables["t3"][r]["total"] = tables["t3"][r]["natural"]
    tables["t3"]["carry_forward"]["natural"] += 1
    tables["t3"]["carry_forward"]["total"] += 1
    result = lint_text(synth.render("2021", tables, "glued"), "r.txt")
    assert ("ROW-RECOVERED", "new", None) in codes(result, "info")
    recovered = next(f for f in result.findings if f.code == "ROW-RECOVERED" and f.row == "new")
    assert "T3-ROW-TOTAL" in recovered.message and "不再独立进行" in recovered.message
    assert ("T3-BALANCE", None, "natural") in codes(result, "error")
    assert ("ROW-GLUED", None, None) not in codes(result)


def test_normal_reports_are_not_cut():
    text = synth.render("2021", layout="cells")
    assert not any(s.cell.glued for s in extract_text(text, "r.txt").tables["t3"].sources.values())
