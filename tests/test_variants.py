"""Template variants in the publisher's own HTML (synth layout "html", edited here): a trailing
row of empty cells, a 表三 row printed with its label only, 表二 without the 规章 row, and a
malformed grid row. In the publisher's grid a malformed row is the report's defect (an error);
the same in a scraped copy is a reading limit (a warning, the file incomplete)."""

from __future__ import annotations

import math
import re

import pytest
from conftest import extract_text, lint_text

from validator import synth

FEE, MISC = "other_handling.overdue_fee", "other_handling.misc"


def tr_cells(line: str) -> list[str]:
    return re.findall(r"<span>(.*?)</span>", line)


def own_label(cells: list[str]) -> str | None:
    """A 表三 value row's own label: the cell before its 7 values."""
    return cells[-8] if len(cells) >= 8 else None


def tr(cells: list[str]) -> str:
    return "<tr>" + "".join(f"<td><p><span>{c or '&nbsp;'}</span></p></td>" for c in cells) + "</tr>"


def edit_rows(text: str, fn) -> str:
    """fn(index of the table, cells of the row) -> list of rows (cell lists) to put instead."""
    out, table = [], -1
    for line in text.split("\n"):
        if line.startswith("<table"):
            table += 1
        if line.startswith("<tr>"):
            out += [tr(cells) for cells in fn(table, tr_cells(line))]
        else:
            out.append(line)
    return "\n".join(out)


def figures(fmt: str = "2021", seed: int = 1) -> dict:
    tables = synth.figures(fmt, seed)
    if fmt == "2021":  # the rows printed without values below hold nothing
        for r in (FEE, MISC):
            for c in synth.T3_COLS:
                tables["t3"][r][c] = 0
        synth.balance(tables, fmt)
    return tables


def html(fmt: str = "2021", seed: int = 1, tables=None) -> tuple[dict, str]:
    tables = tables or figures(fmt, seed)
    return tables, synth.render(fmt, tables, "html")


def non_info(result) -> list[tuple]:
    return [(f.code, f.severity, f.table, f.row, f.column) for f in result.findings if f.severity != "info"]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_the_unedited_page_passes(fmt):
    _, text = html(fmt)
    result = lint_text(text)
    assert non_info(result) == [] and result.status == "pass"


# -- a trailing row of empty cells -------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("where", [("t4",), ("t3",), ("t3", "t4")])
def test_a_trailing_row_of_empty_cells_is_layout(fmt, where):
    tables, text = html(fmt)
    width = {"t3": 8, "t4": 15}
    last = {"t3": synth.T3_LABELS["carry_forward"], "t4": None}

    def add(table, cells):
        tid = {1: "t3", 2: "t4"}.get(table)
        if tid in where and (cells[0] == last[tid] if last[tid] else all(re.fullmatch(r"\d+", c) for c in cells)):
            return [cells, [""] * width[tid]]
        return [cells]

    edited = edit_rows(text, add)
    assert edited.count("<tr>") == text.count("<tr>") + len(where)
    result = lint_text(edited)
    assert [(f.code, f.row) for f in result.findings] == [(f.code, f.row) for f in lint_text(text).findings]
    assert result.status == "pass"
    report = extract_text(edited)
    assert report.tables["t4"].frame.at["review", "total"] == tables["t4"]["review"]["total"]
    assert report.tables["t3"].frame.at["carry_forward", "total"] == tables["t3"]["carry_forward"]["total"]


# -- a 表三 row whose value cells are absent ------------------------------------------------------

@pytest.mark.parametrize("rows", [(MISC,), (FEE, MISC)])
def test_a_row_with_only_its_label_cell_is_blank_not_missing(rows):
    tables, text = html("2021")
    labels = {synth.T3_LABELS[r]: r for r in rows}

    def strip(table, cells):
        if table == 1 and own_label(cells) in labels:  # the label, then 7 values
            return [cells[:-7]]
        return [cells]

    edited = edit_rows(text, strip)
    assert edited.count("<td>") == text.count("<td>") - 7 * len(rows)
    result = lint_text(edited)
    assert [f for f in result.findings if f.code == "ROW-MISSING"] == []
    assert [f for f in result.findings if f.severity == "error"] == []
    blank = [f for f in result.findings if f.code == "CELL-BLANK"]
    assert {f.row for f in blank} == set(rows) and all(f.severity == "warning" for f in blank)
    assert result.status == "pass"
    report = extract_text(edited)
    t3 = report.tables["t3"]
    assert all(t3.sources[(r, c)].value.kind == "blank" for r in rows for c in synth.T3_COLS)
    assert all(math.isnan(t3.frame.at[r, c]) for r in rows for c in synth.T3_COLS)


# -- 表二 without the 规章 row -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_table_two_without_regulations_is_omitted_and_passes(fmt):
    _, text = html(fmt)
    edited = edit_rows(text, lambda table, cells: [] if table == 0 and cells and cells[0] == "规章" else [cells])
    assert edited.count("<tr>") == text.count("<tr>") - 1
    result = lint_text(edited)
    omitted = [f for f in result.findings if f.code == "ROW-OMITTED"]
    assert [(f.table, f.row, f.severity) for f in omitted] == [("t2", "regulations", "info")]
    assert non_info(result) == []
    assert result.status == "pass"


@pytest.mark.parametrize("label", ["行政许可", "行政处罚"])
def test_table_two_without_a_required_row_is_an_error(label):
    _, text = html("2021")
    edited = edit_rows(text, lambda table, cells: [] if table == 0 and cells and cells[0] == label else [cells])
    result = lint_text(edited)
    assert any(f.code == "ROW-MISSING" and f.severity == "error" and f.table == "t2" for f in result.findings)
    assert result.status == "fail"


# -- a malformed grid row ------------------------------------------------------------------------

def slip(fmt: str, first: str = "granted", second: str = "partial"):
    """A cell slipped from one 表三 row to the next: the first has 6 value cells, the next 8."""
    first_label, second_label = synth.T3_LABELS[first], synth.T3_LABELS[second]
    moved = []

    def fn(table, cells):
        if table == 1 and own_label(cells) == first_label:
            moved.append(cells[-1])
            return [cells[:-1]]
        if table == 1 and own_label(cells) == second_label:
            return [cells[:-7] + moved + cells[-7:]]
        return [cells]
    return fn


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_a_malformed_grid_row_in_html_is_the_publishers_defect(fmt):
    _, text = html(fmt)
    edited = edit_rows(text, slip(fmt))
    result = lint_text(edited)
    bad = [f for f in result.findings if f.code == "ROW-UNREADABLE"]
    assert {f.row for f in bad} == {"granted", "partial"}
    assert all(f.severity == "error" and not f.incomplete for f in bad)
    assert result.status == "fail"
    # the rest is still checked: the other rows are read
    report = extract_text(edited)
    assert not math.isnan(report.tables["t3"].frame.at["new", "total"])
    assert not math.isnan(report.tables["t4"].frame.at["review", "total"])


def cells_with_slip(fmt: str, tables: dict) -> str:
    """The same slip in scraped text with one cell per line."""
    text = synth.render(fmt, tables, "cells")
    lines = text.split("\n\n")
    g = lines.index(synth.T3_LABELS["granted"])
    p = lines.index(synth.T3_LABELS["partial"])
    moved = lines.pop(g + 7)  # the 总计 cell of （一）予以公开
    lines.insert(p + 7, moved)  # after （二）部分公开's label (one line up now) and its 7 values
    return "\n\n".join(lines)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_the_same_slip_in_scraped_text_is_a_reading_limit(fmt):
    tables = figures(fmt)
    result = lint_text(cells_with_slip(fmt, tables), "r.txt")
    bad = [f for f in result.findings if f.code == "ROW-UNREADABLE"]
    assert {f.row for f in bad} == {"granted", "partial"}
    assert all(f.severity == "warning" and f.incomplete for f in bad)
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.status == "incomplete"


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_the_same_slip_in_a_spaced_crawler_page_is_a_reading_limit(fmt):
    tables = figures(fmt)
    for r, c in (("granted", "natural"), ("partial", "natural")):  # non-zero: no all-zero short row
        tables["t3"][r][c] += 3
    synth.balance(tables, fmt)
    g = [synth._text(tables["t3"]["granted"][c]) for c in synth.T3_COLS]
    p = [synth._text(tables["t3"]["partial"][c]) for c in synth.T3_COLS]
    runs = {("t3", "granted"): " ".join(g[:-1]), ("t3", "partial"): " ".join([g[-1], *p])}
    text = synth.render(fmt, tables, "crawler", options={"spacing": "spaced", "runs": runs})
    result = lint_text(text, "page.txt")
    named = {f.row for f in result.findings if f.incomplete}
    assert {"granted", "partial"} <= named
    assert all(f.severity == "warning" for f in result.findings if f.row in ("granted", "partial"))
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.status == "incomplete"
