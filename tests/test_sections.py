"""The six sections under the wordings real reports use, and years of other reports in any section."""

from pathlib import Path

import pytest
from conftest import codes, lint_text

from validator import synth
from validator.pipeline import lint_paths
from validator.rules import rulebook

SUFFIX = {"cells": ".txt", "rows": ".md", "html": ".html", "glued": ".txt"}
FIVE = "五、存在的主要问题及改进情况"
FIVE_BODY = "政务公开的精细化水平仍需提升，下一步将加强培训和督促检查。"
SIX = "六、其他需要报告的事项"
SIX_BODY = "本年度未收取信息处理费。"


def doc_codes(result):
    return [c[0] for c in codes(result) if c[0].startswith("DOC-")]


def doc_findings(result):
    return [f for f in result.findings if f.code.startswith("DOC-")]


def report(fmt="2021", layout="cells", **kw):
    return synth.render(fmt, synth.figures(fmt), layout, **kw)


def lint(text, layout="cells"):
    return lint_text(text, "r" + SUFFIX[layout])


def renamed(old, new, fmt="2021", layout="cells"):
    text = report(fmt, layout)
    assert old in text
    return text.replace(old, new)


# -- headings under other wording ---------------------------------------------------------

@pytest.mark.parametrize("layout", ["cells", "html", "glued"])
@pytest.mark.parametrize("old,new", [
    ("一、总体情况", "一、年度工作核心成效"),
    (FIVE, "五、当前存在的突出问题"),
    (FIVE, "五、存在的主要问题及改进措施"),
    (FIVE, "五、存在的主要问题及明年工作计划"),
    (SIX, "六、其他需报告的事项"),
    (SIX, "六、需要说明的其他事项"),
])
def test_a_heading_in_its_place_under_other_wording_is_a_warning(old, new, layout):
    result = lint(renamed(old, new, layout=layout), layout)
    assert doc_codes(result) == ["DOC-SECTION-WORDING"]
    assert result.status != "fail"  # glued: a run-together row may stay unread (incomplete)
    message = doc_findings(result)[0].message
    assert f"「{new}」" in message and f"「{old[2:]}」" in message, message


@pytest.mark.parametrize("layout", ["cells", "html", "glued"])
@pytest.mark.parametrize("old,new", [
    # the 条例's own wording (第五十条)
    ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
    ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议提起行政诉讼情况"),
    (FIVE, "五、政府信息公开工作存在的主要问题及改进情况"),
    # a note after the heading; the numeral without its 、
    ("二、主动公开政府信息情况", "二、主动公开政府信息情况（有关情况附表）"),
    ("三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请情况（有关情况附表）"),
    ("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况（有关情况附表）"),
    ("一、总体情况", "一总体情况"),
])
def test_the_formats_wording_with_a_note_or_the_regulations_wording_is_no_finding(old, new, layout):
    assert doc_codes(lint(renamed(old, new, layout=layout), layout)) == []


@pytest.mark.parametrize("layout", ["cells", "rows", "html"])
@pytest.mark.parametrize("old,new", [
    ("一、总体情况", "一、年度工作亮点"),
    ("二、主动公开政府信息情况", "二、政府信息主动公开工作"),
    (FIVE, "五、工作中的不足与努力方向"),
    (SIX, "六、其他"),
])
def test_a_numbered_heading_between_its_neighbours_is_that_section(old, new, layout):
    """Words no pattern knows: the place and the numeral tell (N、… between N-1 and N+1)."""
    result = lint(renamed(old, new, layout=layout), layout)
    assert doc_codes(result) == ["DOC-SECTION-WORDING"] and result.status == "pass"


def test_a_heading_cut_short_by_a_copy_is_read_with_the_rest_of_its_words():
    # a scraper's cells: 五、存在的主要问题 | 及明年工作计划…
    text = renamed(FIVE + "\n\n", "五、存在的主要问题\n\n及明年工作计划\n\n")
    [f] = doc_findings(lint(text))
    assert f.code == "DOC-SECTION-WORDING" and "「五、存在的主要问题及明年工作计划」" in f.message
    # … and the format's own words cut the same way are no finding
    text = renamed("四、政府信息公开行政复议、行政诉讼情况\n\n", "四、政府信息公开行政复议、行政诉讼\n\n情况\n\n")
    assert doc_codes(lint(text)) == []


def _fee_as_five_problems_as_six(fee_heading="五、信息处理费收取情况", layout="cells"):
    text = report(layout=layout)
    gap = "\n\n" if layout == "cells" else ""
    old = FIVE + gap + FIVE_BODY + gap + SIX + gap + SIX_BODY
    assert old in text
    new = fee_heading + gap + SIX_BODY + gap + "六、存在的主要问题及改进措施" + gap + FIVE_BODY
    return text.replace(old, new)


@pytest.mark.parametrize("layout", ["cells", "glued"])
def test_the_fee_statement_as_five_and_the_problems_as_six_are_all_six_parts(layout):
    result = lint(_fee_as_five_problems_as_six(layout=layout), layout)
    assert result.status != "fail"
    assert sorted(doc_codes(result)) == ["DOC-SECTION-ORDER", "DOC-SECTION-WORDING", "DOC-SECTION-WORDING"]
    order = next(f for f in doc_findings(result) if f.code == "DOC-SECTION-ORDER")
    assert order.severity == "warning" and "五、信息处理费收取情况" in order.message and "第六部分" in order.message


def test_a_section_known_by_its_content_only():
    # 五、收费情况: no pattern knows these words; its first line states the 信息处理费
    result = lint(_fee_as_five_problems_as_six("五、收费情况"))
    assert result.status == "pass"
    assert sorted(doc_codes(result)) == ["DOC-SECTION-ORDER", "DOC-SECTION-WORDING", "DOC-SECTION-WORDING"]


def test_five_split_in_two_leaves_six_missing():
    """六、下一步改进举措 is the second half of 五: 其他需要报告的事项 is truly absent."""
    text = renamed(FIVE + "\n\n" + FIVE_BODY + "\n\n" + SIX + "\n\n" + SIX_BODY,
                   "五、存在的主要问题\n\n政务公开的精细化水平仍需提升。\n\n六、下一步改进举措\n\n加强培训和督促检查。")
    result = lint(text)
    assert sorted(doc_codes(result)) == ["DOC-SECTION-MISSING", "DOC-SECTION-WORDING"]
    missing = next(f for f in doc_findings(result) if f.code == "DOC-SECTION-MISSING")
    assert "第六部分「其他需要报告的事项」" in missing.message and result.status == "fail"


def test_a_truly_missing_section_stays_an_error_whatever_numbered_text_stands_nearby():
    # 六 is gone; 五's own sub-points restart the numbering (一、二、): none of them is 六
    text = renamed(FIVE_BODY + "\n\n" + SIX + "\n\n" + SIX_BODY,
                   "一、存在问题\n\n公开内容不够全面。\n\n二、改进措施\n\n加强培训和督促检查。")
    result = lint(text)
    assert doc_codes(result) == ["DOC-SECTION-MISSING"] and result.status == "fail"


def test_an_extra_section_of_its_own_renumbers_the_rest_consistently():
    text = report()
    text = text.replace("二、主动公开政府信息情况", "三、主动公开政府信息情况")
    text = text.replace("三、收到和处理政府信息公开申请情况", "四、收到和处理政府信息公开申请情况")
    text = text.replace("四、政府信息公开行政复议、行政诉讼情况", "五、政府信息公开行政复议、行政诉讼情况")
    text = text.replace(FIVE, "六、存在的主要问题及改进情况").replace(SIX, "七、其他需要报告的事项")
    text = text.replace("扎实推进政务公开工作。\n\n", "扎实推进政务公开工作。\n\n二、政务公开工作主要任务落实情况\n\n"
                        "围绕“六稳”“六保”加强政策发布解读。\n\n")
    assert doc_codes(lint(text)) == []
    # without the extra section the numbering skips: each heading is told its numeral
    skipped = text.replace("二、政务公开工作主要任务落实情况\n\n", "")
    assert doc_codes(lint(skipped)) == ["DOC-SECTION-NUMBERING"] * 5


def test_sections_out_of_order_are_a_warning_not_a_failure():
    text = report()
    two_start, three_start = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理政府信息公开申请情况")
    four_start = text.index("四、政府信息公开行政复议、行政诉讼情况")
    two, three = text[two_start:three_start], text[three_start:four_start]
    text = text[:two_start] + three + two + text[four_start:]
    result = lint(text)
    assert doc_codes(result) == ["DOC-SECTION-ORDER"]
    assert result.findings[0].severity == "warning"


def test_table_row_labels_and_numbered_prose_are_not_headings():
    # 表三's 一、本年新收… … 四、结转下年度继续办理 stand in every report of this file; and a
    # line a PDF wrapped inside a sentence (…政策解读形式单 | 一、内容解读不够深入) is not 一、
    text = renamed("一、总体情况\n\n", "")
    text = text.replace("扎实推进政务公开工作。", "扎实推进政务公开工作，但对照新要求，政策解读形式单\n\n一、内容解读不够深入")
    result = lint(text)
    assert doc_codes(result) == ["DOC-SECTION-MISSING"]
    assert "第一部分「总体情况」" in result.findings[0].message
    prose = renamed(FIVE_BODY, "政策解读形式单一、内容解读不够深入，下一步将加强培训和督促检查。")
    assert doc_codes(lint(prose)) == []


def test_a_heading_after_a_line_without_a_full_stop_is_still_the_heading():
    """Page chrome (更新时间：… 来源：…) or a paragraph that lost its 。 right before a heading: the
    heading in its own words is not the rest of that line."""
    text = report().replace("一、总体情况", "更新时间：2023-01-26 09:30 来源：青山区民政局办公室\n\n一、总体情况", 1)
    text = text.replace(FIVE_BODY, FIVE_BODY.rstrip("。"))
    assert "来源：青山区民政局办公室" in text
    assert doc_codes(lint(text)) == []


@pytest.mark.parametrize("layout", ["cells", "html", "glued"])
def test_section_four_missing_is_not_found_in_the_row_just_before_it(layout):
    # 四、结转下年度继续办理 is the line right before 四、…行政复议、行政诉讼情况
    # 表四 is still there, so the section is, without its heading: a warning, not a missing section
    result = lint(renamed("四、政府信息公开行政复议、行政诉讼情况", "", layout=layout), layout)
    assert [(f.code, f.message) for f in doc_findings(result)] == [
        ("DOC-SECTION-UNTITLED", "未找到第四部分「政府信息公开行政复议、行政诉讼情况」的标题，但该部分的表四已找到；请补上标题")]
    assert not [f for f in result.findings if f.severity == "error"]  # 表四 read whole, its headers and all


# -- years --------------------------------------------------------------------------------

def _in_section(sentence, section="五", fmt="2021", layout="cells"):
    """The report (for 2022) with a sentence added to a section's text."""
    text = report(fmt, layout)
    anchor = {"一": "扎实推进政务公开工作。", "五": FIVE_BODY, "六": SIX_BODY}[section]
    assert anchor in text
    return text.replace(anchor, anchor + sentence)


@pytest.mark.parametrize("sentence,section", [
    ("2021年制作、获取政府信息总数467条。", "六"),
    ("2021年共办理人大代表建议和政协提案12件，均按时答复。", "五"),
    ("我局2021年主动公开政府信息1234条。", "一"),
    ("2021年，我局政府信息公开工作取得一定成效，但仍存在公开内容不够全面的问题。", "五"),
    ("2021年度，我局未收取信息处理费。", "六"),
])
def test_a_sentence_stating_another_years_facts_is_a_finding_in_any_section(sentence, section):
    result = lint(_in_section(sentence, section))
    assert doc_codes(result) == ["DOC-YEAR-TEXT"]
    f = result.findings[0]
    assert "2021 年" in f.message and "2022 年" in f.message and f.severity == "warning"
    name = {"一": "总体情况", "五": "存在的主要问题及改进情况", "六": "其他需要报告的事项"}[section]
    assert f"「{name}」部分" in f.message


@pytest.mark.parametrize("sentence", [
    # comparisons
    "主动公开政府信息1300条，较2021年增长12%。",
    "与2021年相比，依申请公开数量有所下降。",
    "全年受理申请数量同比2021年减少3件。",
    # plans and the next year
    "2023年，我局将进一步加强政策解读。",
    "2023年将继续做好政府信息公开工作。",
    "下一步，我局计划在2021年工作基础上完善制度。",
    "明年将围绕2023年政务公开工作要点抓好落实。",
    # cited documents
    "根据《2021年政务公开工作要点》要求，做好政策解读。",
    "按照《国务院办公厅关于印发2021年政务公开工作要点的通知》（国办发〔2021〕12号）要求推进。",
    "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度未收取信息处理费。",
    # last year's carry-over
    "2021年结转的政府信息公开申请2件已于本年度办结。",
    "上年结转的2021年申请3件均已答复。",
    # spans and dates
    "2019年以来，我局累计公开政府信息5000余条。",
    "截至2021年底，现行有效规范性文件41件。",
    "青山区民政局2023年1月20日",
    "本报告所列数据统计期限自2022年1月1日至2022年12月31日。",
])
def test_years_of_plans_comparisons_citations_and_carry_over_are_not_findings(sentence):
    assert doc_codes(lint(_in_section(sentence, "五"))) == []


def test_the_year_check_in_a_scraped_one_line_body():
    text = _in_section("2021年制作、获取政府信息总数467条。", "六", layout="glued")
    assert doc_codes(lint(text, "glued")) == ["DOC-YEAR-TEXT"]
    clean = _in_section("较2021年增长12%。", "六", layout="glued")
    assert doc_codes(lint(clean, "glued")) == []


def test_one_finding_per_year_and_section():
    sentences = "2021年共办理人大代表建议12件。2021年发布政策解读23篇。2020年公开信息800条。"
    result = lint(_in_section(sentences, "五"))
    assert sorted(f.message.split("写的是 ")[1][:4] for f in doc_findings(result)) == ["2020", "2021"]
    assert doc_codes(result) == ["DOC-YEAR-TEXT"] * 2


# -- the real reports ---------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not (CORPUS / "scraped").is_dir(), reason="../shared/corpus/scraped not present")
def test_the_sections_of_real_reports_under_their_own_wording():
    paths = sorted((CORPUS / "scraped").glob("*.txt")) + sorted(
        p for p in CORPUS.glob("*.*") if p.suffix in (".txt", ".md", ".html", ".pdf"))
    results = {Path(r.path).name: r for r in lint_paths([str(p) for p in paths], rulebook.load())}
    found = {name: sorted(doc_codes(r)) for name, r in results.items()}
    for name, r in results.items():
        # every report has its six parts (in its own words or order): no document error
        assert not [f for f in doc_findings(r) if f.severity == "error"], name
        # and no sentence of theirs states another year's facts
        assert "DOC-YEAR-TEXT" not in found[name], name
    # 五、存在的主要问题及改进措施 in its place
    for name in ("jjp_2022.txt", "jjp_2023.txt", "jjp_2024.txt"):
        assert found[name] == ["DOC-SECTION-WORDING"], name
    # 五、信息处理费收取情况 then 六、存在的主要问题及改进措施: all six parts, one of them moved
    assert found["jjp_2025.txt"] == ["DOC-SECTION-ORDER", "DOC-SECTION-WORDING", "DOC-SECTION-WORDING"]
    # （有关情况附表）, 一总体情况, seven sections renumbered, 政策解读形式单一、内容解读 in 五
    for name in ("jjp_2019.txt", "jjp_2020.txt", "lyy_2020.txt", "lyy_2025.txt"):
        assert found[name] == [], name
