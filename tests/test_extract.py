"""Extraction: every layout and format to the same canonical tables; variants and the ways a
table cannot be read with certainty."""

import math

import pytest
from conftest import FORMATS, LAYOUTS, SUFFIX, codes, edit_row, extract_text, lint_text

from validator import synth
from validator.model import ReadError
from validator.rules import rulebook


def frame_dict(table):
    return {r: {c: v for c, v in row.items() if not math.isnan(v)} for r, row in table.frame.to_dict("index").items()}


def expected(fmt, tables):
    def num(v):
        return float(v) if not isinstance(v, str) else float(v.replace("+", ""))
    return {tid: {r: {c: num(v) for c, v in row.items()} for r, row in t.items()} for tid, t in tables.items()}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_layout_gives_the_canonical_tables(fmt, layout):
    tables = synth.figures(fmt, seed=7)
    report = extract_text(synth.render(fmt, tables, layout), "r" + SUFFIX[layout])
    assert report.format == fmt
    assert report.year == (2022 if fmt == "2021" else 2019)
    assert {tid: frame_dict(t) for tid, t in report.tables.items()} == expected(fmt, tables)
    assert [f.code for f in report.findings if f.severity != "info"] == []


def test_frames_are_indexed_by_canonical_ids():
    report = extract_text(synth.render("2021"))
    t3 = report.tables["t3"].frame
    assert list(t3.columns) == ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
    assert list(t3.index) == synth.t3_rows("2021")
    assert len(t3.index) == 25
    assert list(report.tables["t4"].frame.index) == ["review", "suit_direct", "suit_after_review"]
    assert len(extract_text(synth.render("2019")).tables["t3"].frame.index) == 23


def test_cell_sources_point_at_the_line():
    text = synth.render("2021", layout="cells")
    report = extract_text(text, "r.txt")
    src = report.tables["t3"].sources[("granted", "natural")]
    assert text.split("\n")[src.cell.line - 1] == src.cell.text


def test_html_sources_carry_grid_position():
    report = extract_text(synth.render("2021", layout="html"))
    cell = report.tables["t4"].sources[("suit_after_review", "total")].cell
    assert (cell.table, cell.row, cell.col) == (2, 3, 14)


def test_full_width_digits_thousands_and_spaces_in_labels():
    tables = synth.figures("2021")
    tables["t2"]["licensing"]["decisions"] = "１,２３４"
    text = synth.render("2021", tables, "cells").replace("行政规范性文件", "行政 规范性 文件").replace(
        "第二十条第（五）项", "第二十条  第（五）项")
    report = extract_text(text, "r.txt")
    assert report.tables["t2"].frame.at["licensing", "decisions"] == 1234
    assert report.tables["t2"].frame.at["normative_documents", "issued"] == 6


def test_typo_in_label_is_matched_loosely_and_said():
    text = synth.render("2021", layout="cells").replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    result = lint_text(text, "r.txt")
    assert ("LABEL-LOOSE", "denied.law_forbidden", None) in codes(result)
    assert result.status == "pass"


def test_group_label_typo_still_places_rows():
    text = synth.render("2021", layout="cells").replace("（三）不予公开", "（三）不子公开")
    assert lint_text(text, "r.txt").status == "pass"


def test_format_year_mismatch_is_a_warning():
    result = lint_text(synth.render("2019", year=2022))
    assert ("FORMAT-YEAR", None, None) in codes(result, "warning")
    assert result.status == "pass"


def test_unknown_year_is_said():
    text = synth.render("2021").replace("2022年政府信息公开工作年度报告", "政府信息公开工作年度报告")
    assert ("YEAR-UNKNOWN", None, None) in codes(lint_text(text))


def test_a_crawler_s_file_name_before_the_title_is_not_part_of_the_office():
    office = "平潭综合实验区市场监督管理局"
    text = synth.render("2021", year=2022, office=office)
    text = text.replace(f"{office}2022年政府", f"80574_{office}2022年政府")
    report = extract_text(text)
    assert (report.office, report.year) == (office, 2022)


def _table_four_blank_but_review(review_total=1):
    t = synth.figures("2021")
    t["t4"]["review"] = {"upheld": 1, "corrected": "", "other": "", "pending": "", "total": review_total}
    for r in ("suit_direct", "suit_after_review"):
        t["t4"][r] = dict.fromkeys(t["t4"][r], "")
    return t


def test_table_four_with_its_suit_groups_left_blank_is_read_by_position():
    """Zeros left blank in a grid: 表四's 15 cells are 1 · · · 1 and ten blanks, not 行政复议's 5."""
    text = synth.render("2021", _table_four_blank_but_review(), "html")
    result = lint_text(text)
    assert result.status == "pass" and not codes(result, "error")
    frame = extract_text(text).tables["t4"].frame
    assert frame.loc["review", "upheld"] == 1 and frame.loc["review", "total"] == 1
    wrong = lint_text(synth.render("2021", _table_four_blank_but_review(review_total=3), "html"))
    assert codes(wrong, "error") == [("T4-SUM", "review", None)]


def test_table_four_whose_copy_lost_its_blank_cells_is_unread_not_missing():
    """One cell per line, the blanks gone: two numbers for 15 cells is a reading limit."""
    import re

    text = synth.render("2021", _table_four_blank_but_review(), "cells")
    lost = re.sub(r"\n{3,}", "\n\n", text)  # every empty cell's lines dropped
    result = lint_text(lost, "r.txt")
    assert result.status == "incomplete"
    assert codes(result) == [("ROW-UNREADABLE", "all", None)]
    # kept as blank lines (a run of 2k+1 between cells one blank line apart), they are read
    kept = lint_text(text, "r.txt")
    assert kept.status == "pass" and {c[0] for c in codes(kept)} == {"CELL-BLANK"}


@pytest.mark.parametrize("apart", [False, True], ids=["consecutive", "one-blank-line-apart"])
def test_empty_cells_of_a_one_cell_per_line_copy_are_read_from_its_blank_lines(apart):
    t = synth.figures("2021")
    t["t3"]["denied.third_party"]["research"] = ""  # 0 in the figures, left empty
    t["t3"]["unable.unclear"]["commercial"] = ""
    text = synth.render("2021", t, "cells")
    if not apart:  # cells on consecutive lines: each empty cell one empty line
        text = text.replace("\n\n", "\n")
    result = lint_text(text, "r.txt")
    assert result.status == "pass" and {c[0] for c in codes(result)} == {"CELL-BLANK"}
    state = extract_text(text, "r.txt").tables["t3"].state
    assert state.loc["denied.third_party", "research"] == "blank" and state.loc["unable.unclear", "commercial"] == "blank"


@pytest.mark.parametrize("rows", ["header", "all"])
def test_word_s_empty_spacer_cell_at_the_end_of_rows_is_layout(rows):
    """Word's HTML ends rows with an empty zero-width cell: under headers it is no value cell."""
    import re

    t = synth.figures("2021")
    plain = synth.render("2021", t, "html")
    cut = plain.index("三、收到和处理政府信息公开申请情况")  # 表三 and 表四 (synth's 表二 has no colspans)
    head, tail = plain[:cut], plain[cut:]
    spacer = '<td width="0" style="border:none"></td></tr>'
    if rows == "all":
        tail = tail.replace("</tr>", spacer)
    else:  # only rows without a number: the headers
        tail = re.sub(r"<tr>((?:(?!</tr>)(?!<td><p><span>\d).)*)</tr>", lambda m: f"<tr>{m.group(1)}{spacer}", tail)
    text = head + tail
    assert text != plain
    result = lint_text(text)
    assert result.status == "pass" and codes(result) == []
    for tid, table in extract_text(text).tables.items():
        assert frame_dict(table) == frame_dict(extract_text(plain).tables[tid]), tid


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_note_under_a_table_naming_a_row_is_not_a_second_row(layout):
    t = synth.figures("2021")
    notes = {"html": "<p>{}</p>\n", "cells": "{}\n\n", "rows": "{}\n\n"}[layout]
    text = synth.render("2021", t, layout)
    for heading, note in (("三、收到和处理政府信息公开申请情况", "注：行政许可1845件中含即办件1200件。"),
                          ("四、政府信息公开行政复议", "注：其中（四）无法提供中，本机关不掌握相关政府信息的20件均已告知。")):
        cut = text.index(heading)
        cut = text.rindex("<p>", 0, cut) if layout == "html" else text.rindex("\n", 0, cut - 1) + 1
        text = text[:cut] + notes.format(note) + text[cut:]
    result = lint_text(text, "r" + SUFFIX[layout])
    assert result.status == "pass", codes(result)
    assert not [c for c in codes(result) if c[0] == "ROW-DUPLICATE"]


def test_tab_separated_rows_keep_their_trailing_empty_cells():
    """A Word table pasted as text: 行政处罚<TAB> is the row with its one cell left blank."""
    t = synth.figures("2021")
    for r in ("punishment", "coercion"):
        t["t2"][r]["decisions"] = ""
    blank_rows = ("denied.state_secret", "not_processed.petition")
    for r in blank_rows:
        t["t3"][r] = dict.fromkeys(t["t3"][r], 0)
    t = synth.balance(t, "2021")
    for r in blank_rows:
        t["t3"][r] = dict.fromkeys(t["t3"][r], "")
    md = synth.render("2021", t, "rows")
    tsv = "\n".join("\t".join(c.strip() for c in line.strip()[1:-1].split("|")) if line.startswith("|") else line
                    for line in md.split("\n") if not line.startswith("|--") and not line.startswith("| --"))
    assert "行政处罚\t\n" in tsv
    result = lint_text(tsv, "r.txt")
    assert result.status == "pass", codes(result)
    assert {c[0] for c in codes(result)} == {"CELL-BLANK"}
    state = extract_text(tsv, "r.txt").tables["t2"].state
    assert state.loc["punishment", "decisions"] == "blank"


def _converter_table_four(t4: dict) -> str:
    """表四 as a PDF/Word-to-markdown converter writes it: a merged header repeated in every
    column it spans, and empty cells under a merged cell above."""
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [["行政复议"] * 5 + ["行政诉讼"] * 10, ["---"] * 15,
            [""] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5, results * 3,
            [str(t4[r][c]) for r in synth.T4_ROWS for c in synth.T4_COLS]]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n\n"


@pytest.mark.parametrize("wrong", [False, True])
def test_table_four_under_a_converter_s_repeated_merged_header(wrong):
    t = synth.figures("2021")
    if wrong:
        t["t4"]["review"]["total"] += 1
    md = synth.render("2021", t, "rows")
    start, end = md.index("| 行政复议 |"), md.index("五、存在的主要问题")
    result = lint_text(md[:start] + _converter_table_four(t["t4"]) + md[end:], "r.md")
    if wrong:
        assert codes(result, "error") == [("T4-SUM", "review", None)]
    else:
        assert result.status == "pass" and codes(result) == []


def _with_subtotals(t: dict, wrong: int = 0) -> str:
    """表三 in rows with a 小计 row after each group's last item (（三）'s 自然人 off by `wrong`)."""
    spec, rows = rulebook.load().tables["t3"], synth.t3_rows("2021")
    after = {}
    for g in ("denied", "unable", "not_processed", "other_handling"):
        members = [r for r in rows if r.startswith(g + ".")]
        sums = [sum(t["t3"][m][c] for m in members) for c in synth.T3_COLS]
        sums[0] += wrong if g == "denied" else 0
        after[spec.row_label(members[-1], "2021")] = "| 小计 | " + " | ".join(map(str, sums)) + " |"
    out = []
    for line in synth.render("2021", t, "rows").split("\n"):
        out.append(line)
        out += [sub for label, sub in after.items() if line.startswith(f"| {label} |")]
    assert sum(x.startswith("| 小计") for x in out) == 4
    return "\n".join(out)


def test_a_subtotal_row_with_single_spaces_is_checked_too():
    t = synth.figures("2021")
    md = _with_subtotals(t, wrong=2)
    spaced = "\n".join(" ".join(c.strip() for c in x.strip("|").split("|")) if x.startswith("|") and not x.startswith("|-")
                       else x for x in md.split("\n") if not x.startswith("|-"))
    assert "小计 " in spaced
    assert ("ROW-SUBTOTAL-SUM", None, "natural") in codes(lint_text(spaced, "r.txt"), "error")


def test_a_group_subtotal_row_is_checked_against_its_group_not_taken_for_a_row():
    t = synth.figures("2021")
    result = lint_text(_with_subtotals(t), "r.md")
    assert result.status == "pass", codes(result)
    assert [c[0] for c in codes(result)] == ["ROW-SUBTOTAL"] * 4
    wrong = lint_text(_with_subtotals(t, wrong=2), "r.md")
    assert codes(wrong, "error") == [("ROW-SUBTOTAL-SUM", None, "natural")]
    (f,) = [f for f in wrong.findings if f.code == "ROW-SUBTOTAL-SUM"]
    assert "（三）不予公开" in f.message and "相差 2" in f.message
    assert {c.row for c in f.cells} == {r for r in synth.t3_rows("2021") if r.startswith("denied.")}
    lines = _with_subtotals(t).split("\n")
    lines[next(k for k, x in enumerate(lines) if x.startswith("| 小计"))] = "| 小计 | 1 | 2 | 3 |"  # 3 of 7 cells
    unread = lint_text("\n".join(lines), "r.md")
    assert unread.status == "pass" and ("ROW-SUBTOTAL-UNREAD", None, None) in codes(unread, "info")


@pytest.mark.parametrize("wrong", [0, 3])
def test_a_row_broken_across_two_tables_takes_the_values_under_its_label_s_rest(wrong):
    """A page break inside a row, as a PDF-to-Word or -HTML conversion keeps it: the label's first
    part with empty cells ends one table, its rest with the values starts the next."""
    t = synth.figures("2021")
    t["t3"]["partial"]["natural"] += wrong  # a defect the row's values must still show
    text = synth.render("2021", t, "html")
    start = text.index("<tr><td><p><span>（二）部分公开")
    end = text.index("</tr>", start) + len("</tr>")
    values = text[start:end].split("</span></p></td>", 1)[1]
    broken = ("<tr><td colspan=\"2\">（二）部分公开（区分处理的，只计这一</td>" + "<td></td>" * 7 + "</tr></tbody></table>\n"
              "<table border=\"1\"><tbody><tr><td>情形，不计其他情形）</td>" + values)
    result = lint_text(text[:start] + broken + text[end:])
    if wrong:
        assert {(c[0], c[1]) for c in codes(result, "error")} == {("T3-OUTCOME-SUM", None), ("T3-ROW-TOTAL", "partial")}
    else:
        assert result.status == "pass" and codes(result) == []
        frame = extract_text(text[:start] + broken + text[end:]).tables["t3"].frame
        assert frame.loc["partial", "total"] == t["t3"]["partial"]["total"]


@pytest.mark.parametrize("dressing", [
    lambda v: f"\u200b{v}\u200b",  # zero-width spaces around the value
    lambda v: f"&#65279;{v}",  # a BOM a CMS left before each value
    lambda v: f"{v}&shy;",  # a soft hyphen
    lambda v: f"{v}<sup>1</sup>",  # a footnote mark
    lambda v: f"{v}<span style=\"display: none\">9</span>",  # hidden anti-copy text
    lambda v: f"{v}*",  # a footnote asterisk
], ids=["zwsp", "bom", "shy", "sup", "hidden", "asterisk"])
def test_values_dressed_in_what_does_not_show_read_as_their_number(dressing):
    import re

    t = synth.figures("2021")
    plain = synth.render("2021", t, "html")
    text = re.sub(r"<span>(\d+)</span>", lambda m: f"<span>{dressing(m.group(1))}</span>", plain)
    assert text != plain
    result = lint_text(text)
    assert result.status == "pass" and codes(result) == []
    for tid, table in extract_text(text).tables.items():
        assert frame_dict(table) == frame_dict(extract_text(plain).tables[tid]), tid


def _ocr_digits(line: str) -> str:
    """A row as a scan misreads it: 0 as O, 1 as l."""
    label, rest = line.split(" | ", 1)
    return label + " | " + rest.replace("0", "O").replace("1", "l")


def test_digits_a_scan_read_as_letters_leave_their_cells_unread():
    t = synth.figures("2021")
    md = synth.render("2021", t, "rows").split("\n")
    k = next(i for i, x in enumerate(md) if x.startswith("| 2.重复申请 |"))
    md[k] = _ocr_digits(md[k])
    assert "O" in md[k]
    result = lint_text("\n".join(md), "r.md")
    assert result.status == "incomplete"  # never a pass on cells nobody read, nor a false sum
    assert codes(result) == [("CELL-GARBLED", "not_processed.repeat", None)]
    assert extract_text("\n".join(md), "r.md").tables["t3"].state.loc["not_processed.repeat", "natural"] == "unreadable"
    # in the publisher's own grid, a letter in a value cell is the report's defect
    html = synth.render("2021", t, "html").replace("<td><p><span>1600</span></p></td>", "<td><p><span>I6OO</span></p></td>")
    assert codes(lint_text(html), "error") == [("CELL-GARBLED", "licensing", None)]


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["windows", "old-mac"])
@pytest.mark.parametrize("layout", ["cells", "rows"])
def test_line_endings_of_any_editor(layout, ending):
    plain = synth.render("2021", layout=layout)
    text = plain.replace("\n", ending)
    result = lint_text(text, "r" + SUFFIX[layout])
    assert result.status == "pass" and codes(result) == []
    for tid, table in extract_text(text, "r" + SUFFIX[layout]).tables.items():
        assert frame_dict(table) == frame_dict(extract_text(plain, "r" + SUFFIX[layout]).tables[tid]), tid


def test_a_total_row_added_to_a_block_of_table_two_is_said_not_an_unknown_row():
    t = synth.figures("2021")
    html = synth.render("2021", t, "html")
    after = "<tr><td><p><span>行政强制</span></p></td><td><p><span>35</span></p></td></tr>"
    total = t["t2"]["punishment"]["decisions"] + t["t2"]["coercion"]["decisions"]
    text = html.replace(after, after + f"\n<tr><td><p><span>合计</span></p></td><td><p><span>{total}</span></p></td></tr>")
    assert text != html
    result = lint_text(text)
    assert result.status == "pass"
    assert codes(result) == [("ROW-SUBTOTAL-UNREAD", None, None)]
    assert "表二「行政强制」之后的「合计」行" in result.findings[0].message


def test_a_row_of_the_old_format_kept_in_a_new_report_is_said_not_unknown():
    """A 2021 report on the 2019 template's 表二 still has 其他对外管理服务事项: not in its format."""
    html = synth.render("2021", synth.figures("2021"), "html")
    after = "<tr><td><p><span>行政许可</span></p></td><td><p><span>1600</span></p></td></tr>"
    text = html.replace(after, after + "\n<tr><td><p><span>其他对外管理服务事项</span></p></td><td><p><span>12</span></p></td></tr>")
    assert text != html
    result = lint_text(text)
    assert result.status == "pass" and codes(result) == [("ROW-OTHER-FORMAT", None, None)]
    assert "属于 2019 年格式" in result.findings[0].message


def _with_appendix(t: dict, changed: int = 0) -> str:
    """The report in rows, then 附表 repeating 表三 (its first 自然人 value off by `changed`)."""
    md = synth.render("2021", t, "rows")
    start, end = md.index("## 三、收到和处理政府信息公开申请情况"), md.index("## 四、")
    table = md[start:end].replace("## 三、", "附表：", 1)
    if changed:
        row = next(x for x in table.split("\n") if x.startswith("| 一、本年新收"))
        cells = row.split(" | ")
        cells[1] = str(int(cells[1]) + changed)
        table = table.replace(row, " | ".join(cells))
    return md + "\n" + table


def test_a_table_repeated_in_an_appendix_is_compared_with_the_one_checked():
    t = synth.figures("2021")
    same = lint_text(_with_appendix(t), "r.md")
    assert same.status == "pass" and codes(same) == []
    differs = lint_text(_with_appendix(t, changed=3), "r.md")
    assert codes(differs) == [("TABLE-REPEAT-DIFFERS", "new", "natural")]
    new = t["t3"]["new"]["natural"]
    assert f"核对所用的一处为 {new}，另一处为 {new + 3}" in differs.findings[0].message


def test_hybrid_2021_with_single_other_handling_row():
    """2021 表二 but a 2019-style single （六）其他处理 row (as in real reports)."""
    tables = synth.figures("2021")
    t3 = tables["t3"]
    single = {c: sum(t3[r][c] for r in ("other_handling.overdue_correction", "other_handling.overdue_fee",
                                        "other_handling.misc")) for c in synth.T3_COLS}
    text = synth.render("2021", tables, "rows")
    text = edit_row(text, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    lambda values: [str(single[c]) for c in synth.T3_COLS], relabel="（六）其他处理")
    lines = [l for l in text.split("\n") if "2.申请人逾期未按收费通知" not in l and not l.startswith("| 3.其他")]
    result = lint_text("\n".join(lines), "r.md")
    assert ("FORMAT-MIXED", "other_handling", None) in codes(result, "warning")
    assert result.status == "pass"  # the outcome sum counts the single row; no row is missing


def test_eight_column_table_with_subtotal():
    tables = synth.figures("2021")
    text = synth.render("2021", tables, "rows").replace("| 法律服务机构 | 其他 |", "| 法律服务机构 | 其他 | 小计 |")
    for labels, r in synth._t3_label_runs("2021"):
        sub = sum(tables["t3"][r][c] for c in synth.T3_COLS[1:6])
        text = edit_row(text, labels[-1], lambda values, sub=sub: values[:-1] + [str(sub), values[-1]])
    report = extract_text(text, "r.md")
    assert "org_subtotal" in report.tables["t3"].frame.columns
    result = lint_text(text, "r.md")
    assert result.status == "pass"
    broken = edit_row(text, "（一）予以公开", lambda values: values[:6] + [str(int(values[6]) + 1), values[7]])
    assert ("T3-ORG-SUBTOTAL", "granted", None) in codes(lint_text(broken, "r.md"))


def test_missing_table_fails_the_file():
    result = lint_text(synth.render("2021", drop=("t3",)))
    assert [f.table for f in result.findings if f.code == "TABLE-MISSING"] == ["t3"]
    assert result.status == "fail"


def test_no_table_headers_at_all_is_format_unknown():
    result = lint_text(synth.render("2021", drop=("t2", "t3", "t4")))
    assert ("FORMAT-UNKNOWN", None, None) in codes(result, "error")
    # and which tables: each published as an image (its heading there, no cells)
    missing = [f for f in result.findings if f.code == "TABLE-MISSING"]
    assert [f.table for f in missing] == ["t2", "t3", "t4"]
    assert all("图片" in f.message for f in missing)


def test_row_with_too_few_values_is_unreadable_and_the_rest_still_checked():
    tables = synth.figures("2021")
    tables["t3"]["partial"]["natural"] += 1  # a real error elsewhere
    text = edit_row(synth.render("2021", tables, "rows"), "（一）予以公开", lambda values: values[:-1])
    result = lint_text(text, "r.md")
    found = codes(result)
    assert ("ROW-UNREADABLE", "granted", None) in found
    unreadable = next(f for f in result.findings if f.code == "ROW-UNREADABLE")
    assert unreadable.line is not None and "6 个数值" in unreadable.message
    # the unreadable row is undecided, not failed; the other row's error is still found
    assert ("T3-ROW-TOTAL", "granted", None) not in found
    assert ("T3-ROW-TOTAL", "partial", None) in found
    assert result.status == "fail"


def test_unknown_label_where_one_row_is_missing_is_that_row():
    # a typo or another wording in the place of 2.重复申请: read as that row, said loosely
    text = edit_row(synth.render("2021", layout="rows"), "2.重复申请", lambda values: values, relabel="2.某种新情形")
    result = lint_text(text, "r.md")
    assert result.status == "pass"
    assert ("LABEL-LOOSE", "not_processed.repeat", None) in codes(result, "info")


def _extra_row(text: str, html: bool) -> str:
    if html:
        start = text.index("<tr><td><p><span>2.重复申请")
        row = text[start:text.index("</tr>", start) + 5]
        return text.replace(row, row + row.replace("2.重复申请", "6.某种新情形"), 1)
    line = next(l for l in text.split("\n") if l.startswith("| 2.重复申请"))
    return text.replace(line, line + "\n" + line.replace("2.重复申请", "6.某种新情形"))


def test_an_extra_row_with_numbers_is_an_error_in_the_publisher_s_grid():
    result = lint_text(_extra_row(synth.render("2021", layout="html"), True), "r.html")
    assert ("ROW-UNKNOWN", None, None) in codes(result, "error")
    assert not [c for c in codes(result, "error") if c[0] == "ROW-MISSING"]


def test_an_extra_row_in_a_text_copy_is_a_reading_limit():
    # in a converted or scraped copy the row may be the copy's own making: not read, said
    result = lint_text(_extra_row(synth.render("2021", layout="rows"), False), "r.md")
    [unknown] = [f for f in result.findings if f.code == "ROW-UNKNOWN"]
    assert (unknown.severity, unknown.incomplete, result.status) == ("warning", True, "incomplete")


def test_duplicate_row_is_an_error_in_a_grid_and_a_reading_limit_in_a_copy():
    html = synth.render("2021", layout="html")
    start = html.index("<tr><td><p><span>2.重复申请")
    row = html[start:html.index("</tr>", start) + 5]
    assert ("ROW-DUPLICATE", "not_processed.repeat", None) in codes(lint_text(html.replace(row, row + row, 1), "r.html"), "error")
    text = synth.render("2021", layout="rows")
    line = next(l for l in text.split("\n") if l.startswith("| 2.重复申请"))
    result = lint_text(text.replace(line, line + "\n" + line), "r.md")
    assert ("ROW-DUPLICATE", "not_processed.repeat", None) in codes(result, "warning") and result.status == "incomplete"


def test_row_without_numbers_and_unknown_label_is_skipped_with_info():
    text = synth.render("2021", layout="rows").replace("| 2.重复申请", "| 数据项目 | - | - |\n| 2.重复申请", 1)
    result = lint_text(text, "r.md")
    assert ("ROW-IGNORED", None, None) in codes(result, "info")
    assert result.status == "pass"


def test_pre_2019_report_is_refused():
    with pytest.raises(ReadError, match="旧格式"):
        extract_text(synth.render("2019", year=2017))


def test_page_that_is_not_a_report_is_refused():
    with pytest.raises(ReadError, match="不是政府信息公开"):
        extract_text("<html><body><p>今日天气晴，气温 12 度。</p></body></html>")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_title_with_its_year_in_brackets_after_it(layout):
    text = synth.render("2021", year=2022, layout=layout).replace(
        "青山区民政局2022年政府信息公开工作年度报告", "青山区民政局政府信息公开工作年度报告（2022年度）")
    report = extract_text(text, "r" + SUFFIX[layout])
    assert (report.office, report.year) == ("青山区民政局", 2022)


def test_a_site_s_list_of_its_reports_is_not_a_report():
    links = "".join(f"<li><a href='/{y}.html'>青山区民政局{y}年政府信息公开工作年度报告</a></li>" for y in range(2016, 2024))
    for order in (links, "".join(reversed(links.split("</li>")))):
        with pytest.raises(ReadError, match="不是政府信息公开工作年度报告"):
            extract_text(f"<html><body><h1>政府信息公开年报</h1><ul>{order}</ul></body></html>")


@pytest.mark.parametrize("wording", ["年政府信息公开工作年度报告", "年度政府信息公开工作报告"])
def test_the_title_is_the_report_s_not_a_sidebar_link_to_other_years(wording):
    t = synth.figures("2021")
    text = synth.render("2021", t, "html", year=2022).replace("2022年政府信息公开工作年度报告", f"2022{wording}")
    sidebar = "".join(f"<p><a href='/{y}'>青山区民政局{y}{wording}</a></p>" for y in (2019, 2020, 2021))
    text = text.replace('<div class="article">', f'<div class="side">相关链接{sidebar}</div><div class="article">', 1)
    assert sidebar in text
    report = extract_text(text)
    assert (report.year, report.office) == (2022, "青山区民政局")
    assert lint_text(text).status == "pass"


def _two_reports(first: dict, second: dict) -> str:
    """One page holding an office's report and then its unit's."""
    a = synth.render("2021", first, "html", office="青山区民政局")
    b = synth.render("2021", second, "html", office="青山区民政局社会救助站")
    body = b[b.index('<div class="article">'):b.rindex("</body>")]
    return a.replace("</body>", body + "</body>")


def test_a_second_report_on_the_same_page_is_said_not_silently_passed():
    clean, wrong = synth.figures("2021"), synth.figures("2021", seed=5)
    wrong["t3"]["carried_over"]["natural"] += 2
    result = lint_text(_two_reports(clean, wrong))
    assert result.status == "incomplete"  # the second one, with its defect, was not checked
    assert codes(result) == [("DOC-MORE-REPORTS", None, None)]
    assert "青山区民政局社会救助站2022年政府信息公开工作年度报告" in result.findings[0].message
    first_wrong = lint_text(_two_reports(wrong, clean))
    assert {c[0] for c in codes(first_wrong, "error")} == {"T3-BALANCE", "T3-ROW-TOTAL"}


def test_the_same_report_again_on_its_page_is_one_report():
    """A hidden print copy of the article repeats it: nothing left unchecked, nothing to say."""
    t = synth.figures("2021")
    page = synth.render("2021", t, "html")
    body = page[page.index('<div class="article">'):page.rindex("</body>")]
    twice = page.replace("</body>", f'<div style="display:none" class="print">{body}</div></body>')
    result = lint_text(twice)
    assert result.status == "pass" and codes(result) == []
    # and a different report after the copy is still another report
    other = _two_reports(synth.figures("2021", seed=5), synth.figures("2021", seed=5))
    other_body = other[other.rindex('<div class="article">'):other.rindex("</body>")]
    thrice = twice.replace("</body>", other_body + "</body>")
    assert codes(lint_text(thrice)) == [("DOC-MORE-REPORTS", None, None)]


def test_table_of_contents_does_not_capture_the_tables():
    text = synth.render("2021", layout="cells")
    toc = "\n\n".join(["目录", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                       "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"])
    text = text.replace("一、总体情况", toc + "\n\n一、总体情况", 1)
    assert lint_text(text, "r.txt").status == "pass"


def test_empty_label_area_cells_in_grids_are_not_values():
    """An empty sub-label cell beside （六）其他处理 (2019 row in a 3-column label area) and an
    empty cell before a label continued after a page break are layout, not values; a blank
    value cell still is a value."""
    tables = synth.figures("2019")
    text = synth.render("2019", tables, "html")
    label = synth.T3_LABELS["other_handling"]
    text = text.replace(f"<td><p><span>{label}</span></p></td>", f"<td>{label}</td><td></td>", 1)
    # a label cell split by a page break: an empty first cell, then the rest of the label
    text = text.replace("<tr><td><p><span>2.重复申请</span></p></td>", "<tr><td></td><td><p><span>2.重复申请</span></p></td>", 1)
    result = lint_text(text)
    assert result.status == "pass", codes(result)
    blank = synth.figures("2019")
    blank["t3"]["granted"]["research"] = ""
    assert ("CELL-BLANK", "granted", "research") in codes(lint_text(synth.render("2019", blank, "html")))


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_from_table_three_when_table_two_is_an_image(fmt):
    result = lint_text(synth.render(fmt, drop=("t2",)))
    assert result.format == fmt
    assert codes(result, "error") == [("TABLE-MISSING", None, None)]
    assert result.findings[0].table == "t2"


@pytest.mark.parametrize("layout, name", [("html", "r.html"), ("cells", "r.txt"), ("crawler", "r.txt")])
def test_tables_stay_apart_when_a_heading_is_worded_otherwise(layout, name):
    # 三's heading in words no rule knows: 表三 still starts at its own header, not inside 表二
    tables = synth.figures("2021", 2)
    text = synth.render("2021", tables, layout).replace("三、收到和处理政府信息公开申请情况", "三、政府信息公开申请办理情况")
    result = lint_text(text, name)
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    t3 = extract_text(text, name).tables["t3"].frame
    assert [t3.at["total", c] for c in synth.T3_COLS] == [tables["t3"]["total"][c] for c in synth.T3_COLS]
