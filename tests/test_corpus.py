"""The real published reports in ../shared/corpus, against what MANIFEST.tsv says of them."""

from functools import cache
from pathlib import Path

import pytest

from validator.pipeline import lint_paths
from validator.rules import rulebook

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")


@cache
def result(name: str):
    """A corpus report linted alone (no cross-year checks), once for the session: its result,
    carrying the report as the run read it."""
    return next(lint_paths([str(CORPUS / name)], rulebook.load(), keep=True))


def checked_report(name: str):
    """A corpus report's tables as a run reads them (run-together rows settled)."""
    return result(name).report


def found(res, code):
    return [f for f in res.findings if f.code == code]


def test_minquan_cells_reads_completely_and_passes():
    res = result("minquan_2019_cells.txt")
    assert (res.status, res.format, res.year) == ("pass", "2019", 2019)
    report = checked_report("minquan_2019_cells.txt")
    t2 = report.tables["t2"].frame
    assert (t2.at["other_services", "prev_items"], t2.at["other_services", "change"],
            t2.at["other_services", "decisions"]) == (125, 0, 5233)
    assert report.tables["t3"].frame.fillna(-1).eq(0).all().all()
    assert report.tables["t4"].frame.eq(0).all().all()


def test_shanghai_html_blank_total_column():
    res = result("shanghai_bgt_2019.html")
    assert (res.status, res.format) == ("fail", "2019")
    assert found(res, "T3-BALANCE") == []  # balance holds in every column
    blank_total = [f for f in found(res, "CELL-BLANK") if f.table == "t3" and f.column == "total"]
    assert len(blank_total) == 1 and len(blank_total[0].cells) == 19
    [outcome] = found(res, "T3-OUTCOME-SUM")
    assert (outcome.column, outcome.reported, outcome.computed) == ("total", 805, 0)
    # 11 outcome rows have non-zero parts under the blank 总计
    assert len(found(res, "T3-ROW-TOTAL")) == 11
    [unit] = found(res, "CELL-UNIT")
    assert (unit.row, unit.column, unit.cells[0].value) == ("procurement", "amount", 251000)
    report = checked_report("shanghai_bgt_2019.html")
    t3 = report.tables["t3"].frame
    assert (t3.at["new", "natural"], t3.at["new", "total"], t3.at["total", "total"], t3.at["carry_forward", "total"]) \
        == (821, 859, 805, 72)


def test_shuyang_ocr_markdown_reads_and_holds():
    res = result("shuyangxian_2025_ocr.md")
    assert (res.status, res.format, res.year) == ("pass", "2021", 2025)
    t = checked_report("shuyangxian_2025_ocr.md").tables
    assert (t["t3"].frame.at["new", "natural"], t["t3"].frame.at["carried_over", "natural"],
            t["t3"].frame.at["total", "natural"], t["t3"].frame.at["carry_forward", "natural"]) == (705, 36, 710, 31)
    assert list(t["t4"].frame.loc["review"]) == [27, 10, 9, 15, 61]


def test_broken_pdf_conversion_reads_what_it_can_and_names_the_rest():
    res = result("shanghai_kewei_2024_pdf2md.md")
    assert res.status == "fail"
    assert found(res, "ROW-UNREADABLE")  # rows whose values the conversion detached
    # a copy's reading limits, not defects of the report: warnings that make the file incomplete
    assert all(f.severity == "warning" and f.incomplete for f in found(res, "ROW-UNREADABLE") + found(res, "ROW-DETACHED"))
    assert {f.row for f in found(res, "ROW-DETACHED")} >= {"partial", "denied.law_forbidden"}
    assert not found(res, "ROW-MISSING")
    assert not [f for f in found(res, "T3-BALANCE") if f.column == "natural"]  # 32+2 = 33+1 holds
    # the 总计 of 四、结转下年度继续办理 is empty in the source: said, and the fix suggested
    [blank] = found(res, "CELL-BLANK")
    assert (blank.row, blank.column) == ("carry_forward", "total")
    assert {f.suggestion.value for f in found(res, "T3-BALANCE")} == {1}
    t = checked_report("shanghai_kewei_2024_pdf2md.md").tables
    # 表二 is split between plain lines and a markdown table under a caption: both read
    assert t["t2"].frame.at["licensing", "decisions"] == 97
    assert t["t2"].frame.at["normative_documents", "in_force"] == 55
    assert list(t["t4"].frame.loc["review"]) == [1, 0, 0, 0, 1]


def test_huaian_pdf_reads_completely_across_the_page_break():
    res = result("huaian_2024.pdf")
    assert (res.status, res.format, res.year, res.findings) == ("pass", "2021", 2024, [])
    t = checked_report("huaian_2024.pdf").tables
    t3 = t["t3"].frame
    assert (t3.at["new", "natural"], t3.at["carried_over", "natural"], t3.at["total", "natural"],
            t3.at["carry_forward", "natural"], t3.at["new", "total"], t3.at["total", "total"]) == (3001, 34, 2932, 103, 3119, 3050)
    assert list(t["t4"].frame["total"]) == [351, 26, 20]
    pages = {s.cell.page for s in t["t3"].sources.values()}
    assert pages == {4, 5}


def test_hongze_2023_pdf_real_errors_in_table_four():
    res = result("hongzequ_2023.pdf")
    assert (res.status, res.format) == ("fail", "2021")
    errors = [(f.code, f.row, f.reported, f.computed) for f in res.findings if f.severity == "error"]
    assert errors == [("T4-SUM", "review", 0, 11), ("T4-SUM", "suit_after_review", 0, 5)]
    assert [f.row for f in found(res, "FORMAT-MIXED")] == ["other_handling"]  # the hybrid （六）
    assert [f.row for f in found(res, "LABEL-LOOSE")] == ["denied.law_forbidden"]  # 其他法律行政止公开


def test_hongze_2024_pdf_hybrid_holds():
    res = result("hongzequ_2024.pdf")
    assert (res.status, res.format) == ("pass", "2021")
    assert {f.code for f in res.findings} == {"FORMAT-MIXED", "LABEL-LOOSE"}


def test_read_error_code_is_documented():
    # READ-ERROR is the code the text output gives a file that cannot be read
    assert "READ-ERROR" in rulebook.load().codes()


def test_pingtan_run_together_text_recovers_what_is_unique():
    res = result("pingtan_2021_runtogether.txt")
    assert (res.status, res.format) == ("incomplete", "2021")
    # 表二's 693665 has several readings and no identity to choose: refused; 表三's two ambiguous
    # rows are settled by the outcome sums of their columns
    assert sorted((f.table, f.row) for f in found(res, "ROW-GLUED")) == [("t2", "normative_documents")]
    settled = {f.row: f.message for f in found(res, "ROW-RECOVERED") if "T3-OUTCOME-SUM" in f.message}
    assert set(settled) == {"granted", "unable.no_info"}
    assert found(res, "T3-BALANCE") == []  # 自然人 64+0 = 63+1; 总计 70+0 = 69+1
    t = checked_report("pingtan_2021_runtogether.txt").tables
    assert list(t["t3"].frame.loc["new"]) == [64, 0, 0, 2, 0, 4, 70]
    assert list(t["t3"].frame.loc["total"]) == [63, 0, 0, 2, 0, 4, 69]
    assert list(t["t3"].frame.loc["granted"]) == [27, 0, 0, 2, 0, 1, 30]
    assert list(t["t4"].frame.loc["review"]) == [1, 0, 2, 0, 3]
    assert t["t4"].frame.at["suit_direct", "total"] == 12
