"""Every rule, failing and passing, on whole synthetic reports; localisation of a wrong cell."""

import pytest
from conftest import FORMATS, codes, lint_text

from validator import synth


def render(fmt="2021", tables=None, layout="html", **kw):
    return synth.render(fmt, tables or synth.figures(fmt), layout, **kw)


@pytest.mark.parametrize("fmt", FORMATS)
def test_consistent_report_passes_with_no_findings(fmt):
    result = lint_text(render(fmt))
    assert result.status == "pass"
    assert codes(result) == []


def test_t3_balance_fails_per_column():
    t = synth.figures("2021")
    t["t3"]["carry_forward"]["natural"] += 2
    t["t3"]["carry_forward"]["total"] += 2  # the row total still holds
    result = lint_text(render(tables=t))
    assert codes(result, "error") == [("T3-BALANCE", None, "natural"), ("T3-BALANCE", None, "total")]
    f = result.findings[0]
    assert (f.reported, f.computed) == (t["t3"]["new"]["natural"] + t["t3"]["carried_over"]["natural"],
                                        t["t3"]["total"]["natural"] + t["t3"]["carry_forward"]["natural"])
    assert {(c.row, c.column) for c in f.cells} == {("new", "natural"), ("carried_over", "natural"),
                                                    ("total", "natural"), ("carry_forward", "natural")}
    assert "自然人" in f.message and "相差 2" in f.message


def test_wrong_leaf_is_localised_with_a_suggestion():
    t = synth.figures("2019")
    right = t["t3"]["unable.no_info"]["commercial"]
    t["t3"]["unable.no_info"]["commercial"] = right + 3
    result = lint_text(render("2019", t, "cells"), "r.txt")
    assert codes(result, "error") == [("T3-OUTCOME-SUM", None, "commercial"), ("T3-ROW-TOTAL", "unable.no_info", None)]
    for f in result.findings:
        assert (f.suggestion.row, f.suggestion.column, f.suggestion.value) == ("unable.no_info", "commercial", right)
        assert "最可能出错的是" in f.message


def test_wrong_outcome_total_is_localised_across_three_identities():
    t = synth.figures("2021")
    right = t["t3"]["total"]["natural"]
    t["t3"]["total"]["natural"] = right + 1
    result = lint_text(render(tables=t))
    found = codes(result, "error")
    assert set(found) == {("T3-BALANCE", None, "natural"), ("T3-OUTCOME-SUM", None, "natural"),
                          ("T3-ROW-TOTAL", "total", None)}
    assert {f.suggestion.value for f in result.findings} == {right}


def test_two_independent_wrong_cells_each_get_their_own_suggestion():
    t = synth.figures("2021")
    a, b = t["t3"]["granted"]["natural"], t["t3"]["not_processed.repeat"]["legal"]
    t["t3"]["granted"]["natural"] = a + 1
    t["t3"]["not_processed.repeat"]["legal"] = b + 4
    result = lint_text(render(tables=t))
    fixes = {(f.row or f.column): (f.suggestion.row, f.suggestion.column, f.suggestion.value) for f in result.findings}
    assert fixes == {"granted": ("granted", "natural", a), "natural": ("granted", "natural", a),
                     "not_processed.repeat": ("not_processed.repeat", "legal", b),
                     "legal": ("not_processed.repeat", "legal", b)}


def test_no_suggestion_when_one_identity_fails_alone():
    t = synth.figures("2021")
    t["t4"]["review"]["total"] += 1
    result = lint_text(render(tables=t))
    assert codes(result) == [("T4-SUM", "review", None)]
    assert result.findings[0].suggestion is None
    assert result.findings[0].reported == t["t4"]["review"]["total"]


def test_t4_sum_for_each_group():
    t = synth.figures("2019")
    t["t4"]["suit_after_review"]["pending"] += 2
    assert codes(lint_text(render("2019", t, "rows"), "r.md")) == [("T4-SUM", "suit_after_review", None)]


def test_t3_carry_forward_warning():
    t = synth.figures("2021")
    t["t3"]["carry_forward"]["research"] = t["t3"]["new"]["research"] + t["t3"]["carried_over"]["research"] + 5
    t["t3"]["carry_forward"]["total"] += t["t3"]["carry_forward"]["research"] - synth.figures("2021")["t3"]["carry_forward"]["research"]
    found = codes(lint_text(render(tables=t)))
    assert ("T3-CARRY-FORWARD", None, "research") in found
    assert ("T3-BALANCE", None, "research") in found


def test_t2_in_force_warning():
    t = synth.figures("2021")
    t["t2"]["normative_documents"].update(issued=30, repealed=2, in_force=20)
    result = lint_text(render(tables=t))
    assert codes(result) == [("T2-IN-FORCE", "normative_documents", None)]
    assert result.status == "pass"  # a warning does not fail the file


def test_t2_fee_in_yuan_warning():
    t = synth.figures("2021")
    t["t2"]["fees"]["amount"] = 12345678.0
    assert codes(lint_text(render(tables=t))) == [("T2-FEE-UNIT", "fees", None)]


def test_blank_cell_is_its_own_warning_then_counts_as_zero():
    t = synth.figures("2021")
    t["t3"]["granted"]["total"] = ""
    result = lint_text(render(tables=t))
    found = codes(result)
    assert ("CELL-BLANK", "granted", "total") in found
    blank = next(f for f in result.findings if f.code == "CELL-BLANK")
    assert blank.severity == "warning" and blank.cells[0].raw == ""
    row_total = next(f for f in result.findings if f.code == "T3-ROW-TOTAL")
    assert row_total.reported == 0 and "空白" in row_total.message
    # the blank cell is the one to fill in, with what its parts give
    expected = sum(synth.figures("2021")["t3"]["granted"][c] for c in synth.T3_COLS[:-1])
    assert (row_total.suggestion.row, row_total.suggestion.column, row_total.suggestion.value) == \
        ("granted", "total", expected)


def test_blank_column_is_one_finding():
    t = synth.figures("2019")
    for r in synth.t3_rows("2019")[2:-2]:
        t["t3"][r]["total"] = ""
    result = lint_text(render("2019", t))
    blanks = [f for f in result.findings if f.code == "CELL-BLANK"]
    assert len(blanks) == 1 and blanks[0].column == "total" and len(blanks[0].cells) == 19


@pytest.mark.parametrize("mark", ["/", "—", "无", "-"])
def test_nothing_markers_are_zero_without_a_finding(mark):
    t = synth.figures("2021")
    zero = next(r for r in synth.t3_rows("2021") if t["t3"][r]["research"] == 0)
    t["t3"][zero]["research"] = mark
    result = lint_text(render(tables=t))
    assert codes(result) == []


def test_negative_count_is_an_error():
    t = synth.figures("2021")
    t["t2"]["punishment"]["decisions"] = "-3"
    assert ("CELL-NEGATIVE", "punishment", "decisions") in codes(lint_text(render(tables=t)), "error")


def test_signed_change_is_allowed_in_2019():
    t = synth.figures("2019")
    t["t2"]["licensing"]["change"] = "-14"
    assert codes(lint_text(render("2019", t))) == []


def test_fractional_count_is_an_error_but_amounts_may_have_decimals():
    t = synth.figures("2021")
    t["t4"]["review"]["upheld"] = 1.5
    t["t4"]["review"]["total"] += 1.5
    assert ("CELL-NOT-INTEGER", "review", "upheld") in codes(lint_text(render(tables=t)), "error")
    ok = synth.figures("2021")
    ok["t2"]["fees"]["amount"] = 3.25
    assert codes(lint_text(render(tables=ok))) == []


def test_unit_inside_a_cell_is_read_and_said():
    t = synth.figures("2019")
    t["t2"]["procurement"]["amount"] = "251000元"
    result = lint_text(render("2019", t))
    assert ("CELL-UNIT", "procurement", "amount") in codes(result, "info")


def test_a_large_amount_is_said_in_digits():
    t = synth.figures("2019")
    t["t2"]["procurement"]["amount"] = "156805947.43元"
    (unit,) = [f for f in lint_text(render("2019", t)).findings if f.code == "CELL-UNIT"]
    assert unit.message.endswith("按 156,805,947.43 读取")  # never 1.56806e+08


def test_missing_row_is_an_error():
    text = render("2021", layout="rows")
    text = "\n".join(l for l in text.split("\n") if not l.startswith("| 3.要求提供公开出版物"))
    result = lint_text(text, "r.md")
    assert codes(result, "error") == [("ROW-MISSING", "not_processed.publication", None)]


def test_messages_use_the_formats_own_labels():
    t = synth.figures("2019")
    t["t2"]["normative_documents"]["made"] = "-1"
    t["t2"]["procurement"]["amount"] = "-2"
    result = lint_text(render("2019", t))
    msgs = {f.row: f.message for f in result.findings if f.code == "CELL-NEGATIVE"}
    assert "「规范性文件」行" in msgs["normative_documents"] and "行政规范性文件" not in msgs["normative_documents"]
    assert "「采购总金额」列" in msgs["procurement"]
