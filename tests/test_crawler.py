"""Crawler pages: a site crawler's page.txt (header lines, then the whole page body on one line),
with the tables' cells glued, spaced or partly spaced and prose full of numbers around them
(synth layout "crawler"; the real forms are in ../shared/corpus/scraped/).

The readings expected here come from an oracle of this file (`readings`), not from the code
under test: a run of digits is read only when exactly one split fits, and is never read wrong."""

from __future__ import annotations

import itertools
import json
import math
import re

import pytest
from conftest import extract_text, lint_text, run_cli

from validator import synth

NAME = "page.txt"
NEVER = {"ROW-UNKNOWN", "ROW-DUPLICATE", "FORMAT-UNKNOWN", "TABLE-MISSING", "ROW-MISSING", "TEXT-IN-TABLE",
         "ROW-IGNORED"}
OUTCOME = {fmt: [r for r in synth.t3_rows(fmt) if r not in ("new", "carried_over", "total", "carry_forward")]
           for fmt in ("2019", "2021")}
ORGS = synth.T3_COLS[1:6]


# -- the oracle ---------------------------------------------------------------------------------

_NUM = re.compile(r"[+-]?\d+(?:\.\d+)?")


def readings(run: str, count: int, check=lambda numbers: True) -> list[list]:
    """Every way of reading `run` as `count` numbers: a space or a sign is a cut already made,
    a number has no leading zero, a decimal is cut only in its integer part."""
    tokens = _NUM.findall(run)
    cuts = []
    for k, t in enumerate(tokens):
        sign = 1 if t[0] in "+-" else 0
        cuts += [(k, sign + p) for p in range(1, len(t.split(".")[0]) - sign)]
    extra = count - len(tokens)
    if extra < 0 or extra > len(cuts):
        return []
    out = []
    for chosen in itertools.combinations(cuts, extra):
        parts = []
        for k, t in enumerate(tokens):
            edges = [0, *(p for kk, p in chosen if kk == k), len(t)]
            parts += [t[a:b] for a, b in zip(edges, edges[1:])]
        digits = [p.lstrip("+-") for p in parts]
        if any(len(d) > 1 and d[0] == "0" and d[1] != "." for d in digits):
            continue
        numbers = [float(p) if "." in p else int(p) for p in parts]
        if check(numbers):
            out.append(numbers)
    return out


def row_total(xs) -> bool:
    return sum(xs[:6]) == xs[6]


def t4_sums(xs) -> bool:
    return all(sum(xs[g:g + 4]) == xs[g + 4] for g in (0, 5, 10))


def glued(values) -> str:
    return "".join(synth._text(v) for v in values)


def t3_run(tables, r) -> str:
    return glued(tables["t3"][r][c] for c in synth.T3_COLS)


def t4_run(tables) -> str:
    return glued(tables["t4"][r][c] for r in synth.T4_ROWS for c in synth.T4_COLS)


# -- figures ------------------------------------------------------------------------------------

def readable(fmt: str, seed: int) -> dict:
    """Figures as most small offices publish them (applications from 自然人 only) whose every
    表三 row and 表四's 15 values have exactly one reading that fits their row identities, even
    with every cell glued (so with any spacing too: a space only removes readings)."""
    tables = synth.figures(fmt, seed)
    for r in synth.t3_rows(fmt):
        for c in ORGS:
            tables["t3"][r][c] = 0
    synth.balance(tables, fmt)
    for _ in range(100):
        bad = [r for r in synth.t3_rows(fmt) if len(readings(t3_run(tables, r), 7, row_total)) != 1]
        if not bad and len(readings(t4_run(tables), 15, t4_sums)) == 1:
            return tables
        if not bad:
            tables["t4"]["review"]["upheld"] += 1
        elif bad[0] in OUTCOME[fmt]:
            tables["t3"][bad[0]]["natural"] += 1
        elif bad[0] == "total":
            tables["t3"]["granted"]["natural"] += 1
        else:
            tables["t3"]["carry_forward"]["natural"] += 1
        synth.balance(tables, fmt)
    raise AssertionError("no readable figures")


def zero_rows(tables: dict, fmt: str, rows) -> dict:
    for r in rows:
        for c in synth.T3_COLS:
            tables["t3"][r][c] = 0
    return synth.balance(tables, fmt)


def truth(tables: dict, tids=("t2", "t3", "t4")) -> dict:
    return {(tid, r, c): float(v) for tid in tids for r, row in tables[tid].items() for c, v in row.items()}


def read(report, tid: str, r: str, c: str) -> float | None:
    """The cell's value as read; None when it was not read (unreadable or blank)."""
    v = report.tables[tid].frame.at[r, c]
    return None if math.isnan(v) else float(v)


def findings(result, severity=None) -> list[tuple]:
    return [(f.code, f.row, f.column) for f in result.findings if severity is None or f.severity == severity]


def page(fmt, tables, seed=0, **options) -> str:
    return synth.render(fmt, tables, "crawler", options={"seed": seed, **options})


# -- the pages themselves ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_a_crawler_page_is_header_lines_and_one_body_line(fmt):
    text = page(fmt, synth.figures(fmt, 3), seed=3, spacing="mixed")
    lines = text.rstrip("\n").split("\n")
    assert [line.split(":")[0] for line in lines[:5]] == ["标题", "发布时间", "文号", "发布机构", "栏目"]
    assert lines[5].startswith("原文链接: https://") and lines[6].startswith("本地目录: ")
    assert lines[-2] == "==================== 正文 ====================" and len(lines[-1]) > 1500
    body = lines[-1]
    for words in ("当前位置：", "微信 微博 QQ空间", "主动公开政府信息", "制发规范性文件", "行政许可决定", "件",
                  "一、总体情况", "六、其他需要报告的事项", "附件下载"):
        assert words in body
    assert text == page(fmt, synth.figures(fmt, 3), seed=3, spacing="mixed")  # deterministic
    assert text != page(fmt, synth.figures(fmt, 3), seed=4, spacing="mixed")


def test_spacing_modes_are_what_they_say():
    tables = synth.figures("2021", 1)
    tables["t3"]["granted"].update(natural=5, commercial=0, research=0, social=0, legal=0, other_org=0, total=5)
    assert "（一）予以公开5000005" in page("2021", tables, spacing="glued")
    assert "（一）予以公开 5 0 0 0 0 0 5 " in page("2021", tables, spacing="spaced")
    body = page("2021", tables, spacing={"t3": "partly"}, headers="broken")
    assert "商业 企业 科研 机构" in body and "规章1012行政规范性文件6241" in body
    run = re.search(r"（一）予以公开 ?([\d ]+)（二）", body).group(1)
    assert run.replace(" ", "") == "5000005" and "  " not in run


@pytest.mark.parametrize("headers", ["glued", "spaced"])
def test_the_six_headings_are_cut_whole(headers):
    from validator.extract.runtogether import tokenize, vocabulary
    from validator.model import Cell
    from validator.rules import rulebook

    body = page("2021", synth.figures("2021", 1), spacing="spaced", headers=headers).rstrip("\n").split("\n")[-1]
    cells = [c.text for c in tokenize(Cell(body, 10), vocabulary(rulebook.load()))]
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in cells, [c for c in cells if c.startswith(heading[:2])]


# -- (a) uniquely readable figures: every 表三/表四 cell read, no error ------------------------------

@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", [1, 2, 3, 7, 11])
@pytest.mark.parametrize("spacing", ["glued", "spaced", "partly", "mixed"])
def test_readable_pages_read_every_cell_and_find_no_error(fmt, seed, spacing):
    tables = readable(fmt, seed)
    text = page(fmt, tables, seed, spacing=spacing, headers=["glued", "spaced", "broken"][seed % 3])
    report = extract_text(text, NAME)
    assert (report.format, report.year) == (fmt, 2022 if fmt == "2021" else 2019)
    wrong = {k: (read(report, *k), v) for k, v in truth(tables, ("t3", "t4")).items() if read(report, *k) != v}
    assert not wrong
    result = lint_text(text, NAME)
    assert findings(result, "error") == []
    assert not {f.code for f in result.findings} & NEVER, findings(result)
    # what stays unread is a glued 表二 run with several readings, and nothing else
    assert {(f.code, f.table) for f in result.findings if f.incomplete} <= {("ROW-GLUED", "t2")}
    assert result.status in ("pass", "incomplete")


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_spaced_pages_read_every_cell_of_every_table_and_pass(fmt):
    tables = synth.figures(fmt, 5)  # any figures: nothing is glued
    text = page(fmt, tables, 5, spacing="spaced", headers="spaced")
    report = extract_text(text, NAME)
    wrong = {k: (read(report, *k), v) for k, v in truth(tables).items() if read(report, *k) != v}
    assert not wrong
    result = lint_text(text, NAME)
    assert [f for f in result.findings if f.severity != "info"] == []
    assert result.status == "pass"


# -- (b) any figures, glued: the truth or nothing -----------------------------------------------

@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(1, 9))
@pytest.mark.parametrize("spacing", ["glued", "partly", "mixed"])
def test_glued_cells_are_read_right_or_not_at_all(fmt, seed, spacing):
    tables = synth.figures(fmt, seed)
    text = page(fmt, tables, seed, spacing=spacing, headers=["glued", "spaced", "broken"][seed % 3])
    report = extract_text(text, NAME)
    result = lint_text(text, NAME)
    said = {(f.table, f.row) for f in result.findings if f.incomplete}
    wrong, unsaid = {}, set()
    for (tid, r, c), v in truth(tables).items():
        got = read(report, tid, r, c)
        if got is None:  # unread: the row is named by a finding that leaves the file incomplete
            if (tid, r) not in said and not (tid == "t4" and (tid, "all") in said):
                unsaid.add((tid, r))
        elif got != v:
            wrong[(tid, r, c)] = (got, v)
    assert not wrong
    assert not unsaid, findings(result)
    assert result.status != "fail", findings(result, "error")
    assert not {f.code for f in result.findings} & NEVER


def test_a_row_of_fifteen_values_is_not_read_as_one_group_of_five():
    # 表四 partly spaced so that its digits make exactly five numbers: `12 0 0 320013 10001`. Read
    # with the table's own 15 cells, only 1/2/0/0/3, 2/0/0/1/3, 1/0/0/0/1 fits the three sums.
    tables = synth.figures("2021", 1)
    tables["t4"] = {"review": dict(upheld=1, corrected=2, other=0, pending=0, total=3),
                    "suit_direct": dict(upheld=2, corrected=0, other=0, pending=1, total=3),
                    "suit_after_review": dict(upheld=1, corrected=0, other=0, pending=0, total=1)}
    run = "12 0 0 320013 10001"
    assert readings(run, 15, t4_sums) == [[1, 2, 0, 0, 3, 2, 0, 0, 1, 3, 1, 0, 0, 0, 1]]
    text = page("2021", tables, spacing="spaced", runs={("t4", "values"): run})
    report = extract_text(text, NAME)
    result = lint_text(text, NAME)
    assert findings(result, "error") == []
    assert [read(report, "t4", r, c) for r in synth.T4_ROWS for c in synth.T4_COLS] in (
        [1, 2, 0, 0, 3, 2, 0, 0, 1, 3, 1, 0, 0, 0, 1], [None] * 15)


# -- prose right before a table ------------------------------------------------------------------

@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
@pytest.mark.parametrize("spacing", ["glued", "spaced"])
def test_a_sentence_right_before_a_table_does_not_swallow_its_first_rows(tid, spacing):
    # `…的具体情况如下：` + `第二十条第（一）项信息内容…规章000…`: the sentence ends at its colon
    tables = readable("2021", 1)
    text = page("2021", tables, 1, spacing={"*": spacing, "t2": "spaced"}, lead=(tid,))
    report = extract_text(text, NAME)
    result = lint_text(text, NAME)
    assert findings(result, "error") == []
    assert "ROW-OMITTED" not in {f.code for f in result.findings}  # 规章 is printed: it must be read
    wrong = {k: (read(report, *k), v) for k, v in truth(tables).items() if read(report, *k) != v}
    assert not wrong


# -- (c) a glued 表二 run with several readings ---------------------------------------------------

def ambiguous_page() -> tuple[dict, str]:
    tables = readable("2021", 2)
    tables["t2"]["regulations"] = {"issued": 0, "repealed": 0, "in_force": 0}
    tables["t2"]["normative_documents"] = {"issued": 22, "repealed": 2, "in_force": 233}
    return tables, page("2021", tables, 2, spacing={"t2": "glued", "t3": "glued", "t4": "spaced"}, headers="spaced")


def test_an_ambiguous_glued_table_two_row_makes_the_file_incomplete():
    tables, text = ambiguous_page()
    assert "行政规范性文件222233第二十条" in text
    assert len(readings("222233", 3)) == 10
    result = lint_text(text, NAME)
    assert result.status == "incomplete"
    assert findings(result, "error") == []
    [glue] = [f for f in result.findings if f.code == "ROW-GLUED"]
    assert (glue.table, glue.row, glue.severity, glue.incomplete) == ("t2", "normative_documents", "warning", True)
    assert "行政规范性文件" in glue.message and "222233" in glue.message
    assert "22/2/233" in glue.message and "22/22/33" in glue.message and "10 种" in glue.message
    report = extract_text(text, NAME)
    assert [read(report, "t2", "normative_documents", c) for c in ("issued", "repealed", "in_force")] == [None] * 3
    # the rest of 表二 is read: 规章 000 has one reading
    assert [read(report, "t2", "regulations", c) for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert read(report, "t2", "licensing", "decisions") == tables["t2"]["licensing"]["decisions"]


def test_lint_exits_0_for_an_incomplete_crawler_page_and_1_with_strict(tmp_path):
    _, text = ambiguous_page()
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    proc = run_cli("lint", "--isolated", NAME, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "部分未核对" in proc.stdout and "ROW-GLUED" in proc.stdout and "222233" in proc.stdout
    strict = run_cli("lint", "--isolated", "--strict", NAME, cwd=tmp_path)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    doc = json.loads(run_cli("lint", "--isolated", "--format", "json", NAME, cwd=tmp_path).stdout)
    [f] = doc["files"]
    assert f["status"] == "incomplete" and doc["summary"]["incomplete"] == 1 and doc["summary"]["failed"] == 0


# -- (d) a real defect in a crawler page ---------------------------------------------------------

@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_a_total_off_by_one_in_a_spaced_row_is_an_error(fmt):
    tables = readable(fmt, 3)
    tables["t3"]["granted"]["total"] += 1  # the defect: 总计 of （一）予以公开 one too many
    text = page(fmt, tables, 3, spacing={"*": "glued", ("t3", "granted"): "spaced"})
    result = lint_text(text, NAME)
    assert result.status == "fail"
    errors = findings(result, "error")
    assert ("T3-ROW-TOTAL", "granted", None) in errors
    assert ("T3-OUTCOME-SUM", None, "total") in errors
    assert not {c for c, _, _ in errors} - {"T3-ROW-TOTAL", "T3-OUTCOME-SUM"}


def test_a_balance_defect_in_a_spaced_carry_forward_row_is_an_error():
    tables = readable("2021", 4)
    tables["t3"]["carry_forward"]["natural"] += 1  # 自然人 and 总计 of 四、结转下年度 one too many
    tables["t3"]["carry_forward"]["total"] += 1
    text = page("2021", tables, 4, spacing={"*": "mixed", ("t3", "carry_forward"): "spaced"})
    result = lint_text(text, NAME)
    assert result.status == "fail"
    assert {("T3-BALANCE", None, "natural"), ("T3-BALANCE", None, "total")} <= set(findings(result, "error"))


def test_a_defect_in_digits_with_a_single_reading_is_an_error():
    # Seven digits for seven cells (`1000000`): one reading only, 总计 0 though 自然人 is 1.
    tables = zero_rows(synth.figures("2021", 1), "2021", synth.t3_rows("2021"))
    for r in ("new", "unable.no_info", "total"):
        tables["t3"][r]["natural"] = 1
    text = page("2021", tables, spacing="glued")
    assert "本年新收政府信息公开申请数量1000000二、" in text
    report = extract_text(text, NAME)
    assert [read(report, "t3", "new", c) for c in synth.T3_COLS] == [1, 0, 0, 0, 0, 0, 0]
    result = lint_text(text, NAME)
    assert result.status == "fail"
    assert {("T3-ROW-TOTAL", r, None) for r in ("new", "unable.no_info", "total")} <= set(findings(result, "error"))


# -- (e) 表三 rows printed with their label and no numbers ----------------------------------------

@pytest.mark.parametrize("spacing", ["glued", "spaced", "partly"])
def test_rows_printed_without_numbers_are_blank_cells(spacing):
    fee, misc = "other_handling.overdue_fee", "other_handling.misc"
    tables = zero_rows(readable("2021", 5), "2021", [fee, misc])
    text = page("2021", tables, 5, spacing={"*": spacing, "t2": "spaced"},
                runs={("t3", fee): "", ("t3", misc): ""})
    if spacing != "partly":
        assert "行政机关不再处理其政府信息公开申请" + (" " if spacing == "spaced" else "") + "3.其他" in text
    result = lint_text(text, NAME)
    assert findings(result, "error") == []
    assert not [f for f in result.findings if f.code == "ROW-MISSING"]
    blank = {f.row for f in result.findings if f.code == "CELL-BLANK"}
    assert blank == {fee, misc}, findings(result)
    assert all(f.severity == "warning" for f in result.findings if f.code == "CELL-BLANK")
    report = extract_text(text, NAME)
    assert all(report.tables["t3"].sources[(r, c)].value.kind == "blank" for r in (fee, misc) for c in synth.T3_COLS)
    assert [read(report, "t3", "total", c) for c in synth.T3_COLS] == [tables["t3"]["total"][c] for c in synth.T3_COLS]
    assert result.status == "pass"


# -- (f) 表二 without the 规章 row -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("spacing", ["glued", "spaced"])
def test_table_two_without_regulations_is_an_omitted_row(fmt, spacing):
    tables = readable(fmt, 6)
    text = page(fmt, tables, 6, spacing={"*": spacing, "t2": "spaced"}, omit=[("t2", "regulations")])
    assert "规章" not in text.split("二、主动公开政府信息情况")[1].split("规范性文件")[0]
    result = lint_text(text, NAME)
    assert findings(result, "error") == []
    [omitted] = [f for f in result.findings if f.code == "ROW-OMITTED"]
    assert (omitted.table, omitted.row, omitted.severity) == ("t2", "regulations", "info")
    assert result.status == "pass"


# -- (g) six zero digits for seven cells ----------------------------------------------------------

@pytest.mark.parametrize("run", ["0 00000", "000000", "00 0 0 00"])
def test_six_zeros_for_seven_cells_read_as_zeros_with_a_warning(run):
    tables = readable("2021", 7)
    for c in synth.T3_COLS:
        tables["t3"]["carry_forward"][c] = 0
    synth.balance(tables, "2021")
    text = page("2021", tables, 7, spacing={"*": "glued", "t2": "spaced"}, runs={("t3", "carry_forward"): run})
    assert "四、结转下年度继续办理" + run in text
    report = extract_text(text, NAME)
    assert [read(report, "t3", "carry_forward", c) for c in synth.T3_COLS] == [0] * 7
    result = lint_text(text, NAME)
    [short] = [f for f in result.findings if f.row == "carry_forward"]
    assert (short.code, short.severity, short.table) == ("ROW-SHORT", "warning", "t3")
    assert findings(result, "error") == []
    assert result.status == "pass"


def test_six_digits_for_seven_cells_not_all_zero_are_not_guessed():
    tables = readable("2021", 7)
    tables["t3"]["carry_forward"].update(natural=1, total=1)
    tables["t3"]["new"]["natural"] += 1
    tables["t3"]["new"]["total"] += 1
    text = page("2021", tables, 7, spacing={"*": "glued", "t2": "spaced"}, runs={("t3", "carry_forward"): "1 00001"})
    report = extract_text(text, NAME)
    assert [read(report, "t3", "carry_forward", c) for c in synth.T3_COLS] == [None] * 7
    result = lint_text(text, NAME)
    assert [(f.code, f.incomplete) for f in result.findings if f.row == "carry_forward"] == [("ROW-GLUED", True)]
    assert result.status == "incomplete"


# -- samples/crawler_2024.txt --------------------------------------------------------------------

def test_the_crawler_sample_is_incomplete_for_its_glued_table_two_row_only():
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "samples" / "crawler_2024.txt"
    text = path.read_text(encoding="utf-8")
    assert len(text.split("\n")) == 11 and "行政规范性文件3129第二十条" in text
    report = extract_text(text, NAME)
    assert (report.format, report.year, report.office) == ("2021", 2024, "云溪县交通运输局")
    t3 = {"new": [14, 1, 0, 0, 0, 0, 15], "carried_over": [1, 0, 0, 0, 0, 0, 1], "total": [15, 1, 0, 0, 0, 0, 16],
          "carry_forward": [0] * 7, "granted": [6, 0, 0, 0, 0, 0, 6], "partial": [2, 1, 0, 0, 0, 0, 3],
          "unable.no_info": [3, 0, 0, 0, 0, 0, 3], "other_handling.overdue_correction": [1, 0, 0, 0, 0, 0, 1]}
    for r, values in t3.items():
        assert [read(report, "t3", r, c) for c in synth.T3_COLS] == values, r
    assert [read(report, "t4", r, c) for r in synth.T4_ROWS for c in synth.T4_COLS] == [1, 0, 0, 0, 1] + [0] * 10
    assert [read(report, "t2", r, c) for r, c in (("licensing", "decisions"), ("punishment", "decisions"),
                                                   ("coercion", "decisions"), ("fees", "amount"))] == [1562, 87, 3, 0]
    result = lint_text(text, NAME)
    assert result.status == "incomplete"
    assert [(f.code, f.table, f.row) for f in result.findings if f.severity != "info"] == [
        ("ROW-GLUED", "t2", "normative_documents")]
