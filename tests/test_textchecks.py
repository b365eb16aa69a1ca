"""The report as a document: sections, years, and numbers in the text against the tables."""

from pathlib import Path

import pytest
from conftest import codes, lint_text

from validator import synth
from validator.check.textchecks import parse_number
from validator.pipeline import lint_paths
from validator.rules import rulebook

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def doc_codes(result):
    return [c for c in codes(result) if c[0].startswith("DOC-")]


def report(fmt="2021", tables=None, layout="cells", **kw):
    return synth.render(fmt, tables or synth.figures(fmt), layout, **kw)


@pytest.mark.parametrize("text,value", [
    ("12", 12), ("1,234", 1234), ("1.2万", 12000), ("三", 3), ("十", 10), ("二十一", 21), ("一百零五", 105),
    ("两千零五", 2005), ("三万五千", 35000), ("十二万", 120000), ("abc", None)])
def test_numbers_in_arabic_and_chinese(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("layout", ["cells", "rows", "html"])
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_a_well_formed_report_has_no_document_findings(fmt, layout):
    assert doc_codes(lint_text(report(fmt, layout=layout), "r" + {"cells": ".txt", "rows": ".md", "html": ".html"}[layout])) == []


def test_missing_section_is_an_error():
    text = report().replace("五、存在的主要问题及改进情况", "")
    result = lint_text(text, "r.txt")
    assert doc_codes(result) == [("DOC-SECTION-MISSING", None, None)]
    assert result.status == "fail" and "第五部分" in result.findings[0].message


def test_sections_out_of_order():
    text = report()
    five = "五、存在的主要问题及改进情况\n\n政务公开的精细化水平仍需提升，下一步将加强培训和督促检查。"
    assert five in text
    text = text.replace(five + "\n\n", "").replace("[打印] [关闭]", five + "\n\n[打印] [关闭]")
    result = lint_text(text, "r.txt")
    assert doc_codes(result) == [("DOC-SECTION-ORDER", None, None)]
    # every part is there: a warning, the report does not fail for its order alone
    assert result.findings[0].severity == "warning" and result.status == "pass"


def test_numbering_that_restarts_is_a_warning():
    text = report().replace("二、主动公开政府信息情况", "一、主动公开政府信息情况")
    result = lint_text(text, "r.txt")
    assert doc_codes(result) == [("DOC-SECTION-NUMBERING", None, None)]
    assert "应为「二、」" in result.findings[0].message


def test_section_five_that_says_only_none():
    text = report().replace("政务公开的精细化水平仍需提升，下一步将加强培训和督促检查。", "无。")
    assert doc_codes(lint_text(text, "r.txt")) == [("DOC-SECTION-EMPTY", None, None)]


def test_information_fee_must_be_stated_in_the_2021_format_only():
    for fmt, expected in (("2021", [("DOC-FEE-MISSING", None, None)]), ("2019", [])):
        text = report(fmt).replace("本年度未收取信息处理费。", "本年度无其他需要报告的事项。")
        assert doc_codes(lint_text(text, "r.txt")) == expected


def test_statistics_period_of_another_year():
    text = report().replace("一、总体情况", "本报告所列数据统计期限自2021年1月1日至2021年12月31日止。\n\n一、总体情况")
    result = lint_text(text, "r.txt")
    assert doc_codes(result) == [("DOC-YEAR-PERIOD", None, None)]
    assert "2021年1月1日至2021年12月31日" in result.findings[0].message
    same = report().replace("一、总体情况", "本报告所列数据统计期限自2022年1月1日至12月31日止。\n\n一、总体情况")
    assert doc_codes(lint_text(same, "r.txt")) == []


def test_overview_sentence_about_another_year():
    text = report().replace("2022年，青山区民政局认真贯彻", "2021年，青山区民政局认真贯彻")
    result = lint_text(text, "r.txt")
    assert doc_codes(result) == [("DOC-YEAR-TEXT", None, None)]
    assert "2021 年" in result.findings[0].message


def _with_sentence(sentence, tables=None, fmt="2021"):
    return report(fmt, tables).replace("扎实推进政务公开工作。", "扎实推进政务公开工作。" + sentence)


def test_text_number_against_the_table():
    t = synth.figures("2021")
    new, carried = t["t3"]["new"]["total"], t["t3"]["carried_over"]["total"]
    ok = lint_text(_with_sentence(f"全年共受理政府信息公开申请{new}件。", t), "r.txt")
    assert doc_codes(ok) == []
    both = lint_text(_with_sentence(f"全年共受理政府信息公开申请{new + carried}件（含上年结转{carried}件）。", t), "r.txt")
    assert doc_codes(both) == []  # 受理 counted with the carried-over requests: an accepted grouping
    wrong = lint_text(_with_sentence(f"全年共受理政府信息公开申请{new + 7}件。", t), "r.txt")
    assert doc_codes(wrong) == [("DOC-TEXT-TABLE", None, None)]
    f = wrong.findings[0]
    assert f"为 {new + 7}" in f.message and f"表格中为 {new}" in f.message
    assert {(c.table, c.row, c.column) for c in f.cells} == {("t3", "new", "total")}


def test_text_numbers_in_chinese_and_grouped():
    t = synth.figures("2021")
    t["t4"]["review"] = {"upheld": 1, "corrected": 0, "other": 1, "pending": 0, "total": 2}
    assert doc_codes(lint_text(_with_sentence("本年度发生政府信息公开行政复议两件。", t), "r.txt")) == []
    assert doc_codes(lint_text(_with_sentence("本年度发生政府信息公开行政复议三件。", t), "r.txt")) == \
        [("DOC-TEXT-TABLE", None, None)]
    shown = t["t3"]["granted"]["total"] + t["t3"]["partial"]["total"]
    assert doc_codes(lint_text(_with_sentence(f"予以公开及部分公开{shown}件。", t), "r.txt")) == []


def test_another_year_s_figure_is_not_compared_with_this_year_s_table():
    t = synth.figures("2021")  # a 2022 report
    new = t["t3"]["new"]["total"]
    others = [f"与2021年收到申请{new - 12}件相比，申请量有所上升。", f"上年收到政府信息公开申请{new + 4}件。",
              f"去年同期受理申请{new + 9}件，今年有所下降。"]
    for sentence in others:
        assert doc_codes(lint_text(_with_sentence(sentence, t), "r.txt")) == [], sentence
    # this report's own year is this year's figure
    wrong = lint_text(_with_sentence(f"2022年共收到政府信息公开申请{new + 3}件。", t), "r.txt")
    assert doc_codes(wrong) == [("DOC-TEXT-TABLE", None, None)]


def test_figures_said_to_be_unrelated_to_disclosure_are_not_compared():
    t = synth.figures("2021")
    review = t["t4"]["review"]["total"]
    sentence = f"本年度共发生行政复议{review + 2}件、行政诉讼{review + 5}件，均与政府信息公开无关。"
    assert doc_codes(lint_text(_with_sentence(sentence, t), "r.txt")) == []
    assert doc_codes(lint_text(_with_sentence(f"本年度共发生行政复议{review + 2}件。", t), "r.txt")) == \
        [("DOC-TEXT-TABLE", None, None)]


def test_a_number_is_never_borrowed_from_the_next_clause():
    t = synth.figures("2021")
    new, total = t["t3"]["new"]["total"], t["t3"]["total"]["total"]
    assert new != total
    sentence = f"收到政府信息公开申请{new}件，办结政府信息公开申请{total}件。"
    assert doc_codes(lint_text(_with_sentence(sentence, t), "r.txt")) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")
def test_no_false_alarms_on_the_corpus_and_the_known_contradiction():
    book = rulebook.load()
    names = ["minquan_2019_cells.txt", "huaian_2024.pdf", "hongzequ_2023.pdf", "hongzequ_2024.pdf",
             "shuyangxian_2025_ocr.md", "pingtan_2021_runtogether.txt", "shanghai_bgt_2019.html"]
    results = {Path(r.path).name: r for r in lint_paths([str(CORPUS / n) for n in names], book)}
    for name in names[:-1]:
        assert doc_codes(results[name]) == [], name
    shanghai = [f for f in results["shanghai_bgt_2019.html"].findings if f.code == "DOC-TEXT-TABLE"]
    assert any("无法提供265件" in f.message and "337" in f.message for f in shanghai)
