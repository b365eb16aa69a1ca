"""Text whose cells a scraper ran together: cut apart, and recovered only when exactly one split
is consistent with the row's identities."""

import pytest
from conftest import codes, extract_text, lint_text

from validator import synth
from validator.extract.runtogether import describe, split_run, tokenize, vocabulary
from validator.model import Cell
from validator.rules import rulebook

ROW_TOTAL = [[1, 1, 1, 1, 1, 1, -1]]


def test_unique_split_of_a_table_three_row():
    assert split_run(["640020470"], 7, ROW_TOTAL) == [[64, 0, 0, 2, 0, 4, 70]]


def test_readings_are_named_in_the_report_s_own_digits():
    """A clerk compares the readings with the original: 973601627.4 and 0, never 9.73602e+08."""
    readings = [[1.0, 973601627.4], [1973601.0, 627.4], [0.0, 19736016.0]]
    assert describe(readings) == "（可读作 1/973601627.4；1973601/627.4；0/19736016，共 3 种）"


def test_a_number_with_thousands_separators_is_one_cell():
    assert split_run(["1,023", "88", "2", "5", "31", "12", "1,161"], 7) == [[1023, 88, 2, 5, 31, 12, 1161]]
    # digits glued between grouped numbers: those are split, the grouped ones stay whole
    readings = split_run(["2,868", "2203107231", "3,204"], 7, ROW_TOTAL, limit=10)
    assert [2868, 220, 3, 10, 72, 31, 3204] in readings
    assert all(r[0] == 2868 and r[-1] == 3204 for r in readings)


@pytest.mark.parametrize("spacing", ["spaced", {"t3": "partly", "*": "spaced"}])
def test_crawler_rows_written_with_thousands_separators(spacing):
    t = synth.figures("2021")
    t["t3"]["granted"]["natural"] += 1000
    t["t3"]["unable.no_info"]["commercial"] += 1200
    t = synth.balance(t, "2021")
    runs = {("t3", r): " ".join(f"{t['t3'][r][c]:,}" for c in synth.T3_COLS)
            for r in synth.t3_rows("2021") if max(t["t3"][r].values()) >= 1000}
    assert len(runs) >= 4  # granted, unable.no_info, total, new
    text = synth.render("2021", t, "crawler", options={"spacing": spacing, "runs": runs})
    assert "1," in text
    result = lint_text(text, "page.txt")
    assert result.status == "pass", codes(result)


def test_the_likely_wrong_value_of_a_spaced_row_is_named_by_its_value():
    t = synth.figures("2021")
    written = t["t3"]["partial"]["total"] + 1
    t["t3"]["partial"]["total"] = written
    result = lint_text(synth.render("2021", t, "crawler", options={"spacing": "spaced"}), "page.txt")
    hinted = [f for f in result.findings if f.suggestion is not None]
    assert hinted and all((f.suggestion.row, f.suggestion.column) == ("partial", "total") for f in hinted)
    assert all(f"（现为 {written}）" in f.message for f in hinted), hinted[0].message


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


def _kinds(text):
    cells = tokenize(Cell(text, 3), vocabulary(rulebook.load()))
    return [("P" if c.prose else "V" if c.glued else "L", c.text) for c in cells]


def test_list_numbering_stays_with_its_label():
    assert _kinds("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000") == [
        ("L", "（三）不予公开"), ("L", "1.属于国家秘密"), ("V", "0000000"),
        ("L", "2.其他法律行政法规禁止公开"), ("V", "0000000")]


def test_decimals_signs_units_and_spaced_runs_stay_runs():
    assert _kinds("行政事业性收费24252.31（二）部分公开500000 5行政许可0+11政府集中采购1个246900元") == [
        ("L", "行政事业性收费"), ("V", "24252.31"), ("L", "（二）部分公开"), ("V", "500000 5"),
        ("L", "行政许可"), ("V", "0+11"), ("L", "政府集中采购"), ("V", "1个246900元")]


def test_prose_keeps_its_numbers_and_is_never_a_row():
    kinds = _kinds("行政处罚187行政强制42行政事业性收费02025年，我局制发规范性文件6件，收到申请3件。"
                   "三、收到和处理政府信息公开申请情况")
    assert kinds == [("L", "行政处罚"), ("V", "187"), ("L", "行政强制"), ("V", "42"), ("L", "行政事业性收费"),
                     ("V", "0"), ("P", "2025年，我局制发规范性文件6件，收到申请3件。"),
                     ("L", "三、收到和处理政府信息公开申请情况")]


def test_a_label_before_a_unit_number_is_prose():
    # `2024年发布规范性文件20份`: no table row, though 规范性文件 is a row label
    assert [k for k, _ in _kinds("。2024年发布规范性文件20份，主动公开信息467条。")] == ["P"]


def test_labels_printed_without_values_are_cut_apart():
    assert _kinds("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请3.其他（七）总计5000005") == [
        ("L", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), ("L", "3.其他"),
        ("L", "（七）总计"), ("V", "5000005")]


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


def test_a_sentence_between_rows_is_said_once_and_never_read():
    tables = synth.figures("2021", 2)
    text = synth.render("2021", tables, "glued")
    text = text.replace("（三）不予公开", "说明：本表统计口径与上年一致，共12项。（三）不予公开", 1)
    text = text.replace("（五）不予处理", "另有3件转交其他机关办理。（五）不予处理", 1)
    result = lint_text(text, "r.txt")
    said = [f for f in result.findings if f.code == "TEXT-IN-TABLE"]
    assert len(said) == 1 and said[0].table == "t3" and said[0].severity == "warning"
    assert "说明：本表统计口径与上年一致" in said[0].message and "2 段" in said[0].message
    assert not [f for f in result.findings if f.code in ("ROW-UNKNOWN", "ROW-DUPLICATE")]


@pytest.mark.parametrize("gap", ["", " "])
def test_rows_on_lines_of_their_own_with_digits_run_on(gap):
    # a copy with one table row per line, the digits run on after the label (`（七）总计690020469`)
    # or after a space (`（七）总计 690020469`)
    tables = synth.figures("2021", 4)
    for r in synth.t3_rows("2021"):
        for c in synth.T3_COLS[1:6]:
            tables["t3"][r][c] = 0  # one reading per row: one applicant type only
        tables["t3"][r]["total"] = tables["t3"][r]["natural"]
    text = synth.render("2021", tables, "glued")
    for r in synth.t3_rows("2021"):
        label = synth.T3_LABELS[r]
        text = text.replace(label, "\n" + label + gap, 1)
    assert "\n（七）总计" in text and "\n四、结转下年度继续办理" in text
    result = lint_text(text, "r.txt")
    report = extract_text(text, "r.txt")
    assert result.status in ("pass", "incomplete") and not [f for f in result.findings if f.severity == "error"]
    for r in synth.t3_rows("2021"):
        assert [report.tables["t3"].frame.at[r, c] for c in synth.T3_COLS] == [tables["t3"][r][c] for c in synth.T3_COLS]
