"""Baselines: --write-baseline / --baseline round trip, fingerprints that survive edits elsewhere
in a report, stale entries, new findings, reasons, and unreadable baseline files. Every run works
on a copy of samples/ in tmp_path (tmp_path/reports, the baseline at tmp_path/base.json)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import by_name, usage_error
from conftest import lint_cli_json as lint_json
from conftest import run_cli as run

from validator import baseline as baselines
from validator.baseline import BaselineError
from validator.findings import CellRef, Finding

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

WRONG = "wrong_total_2019_cells.txt"
WRONG_REL = f"reports/{WRONG}"
CJK = re.compile(r"[\u4e00-\u9fff]")
UNRELATED = "在委网站开设“疫情防控”专题，整合通告、问答和定点医疗机构信息，方便群众集中查阅。"


# -- helpers ------------------------------------------------------------------------------


def all_findings(doc: dict) -> list[tuple[str, dict]]:
    return [(f["path"], x) for f in doc["files"] for x in f["findings"]]


def read_base(tree: Path, name: str = "base.json") -> dict:
    return json.loads((tree / name).read_text(encoding="utf-8"))


def edit(path: Path, fn) -> None:
    text = path.read_text(encoding="utf-8")
    new = fn(text)
    assert new != text
    path.write_text(new, encoding="utf-8")


def set_line(path: Path, line: int, old: str, new: str) -> None:
    """Replace the cell on 1-based `line` (which must read `old`) by `new`."""
    def fn(text: str) -> str:
        lines = text.split("\n")
        assert lines[line - 1].strip() == old, (line, lines[line - 1])
        lines[line - 1] = new
        return "\n".join(lines)
    edit(path, fn)


_T4_LINES: dict[bytes, int] = {}  # wrong_total's text -> the line found in it


def t4_review_total_line(tree: Path) -> int:
    """The line of 表四 行政复议 总计 in wrong_total, from the T4-SUM finding's cells (the file's
    text decides it: found once per text)."""
    text = (tree / WRONG_REL).read_bytes()
    if text not in _T4_LINES:
        _, doc = lint_json("--isolated", WRONG_REL, cwd=tree)
        t4 = [f for f in doc["files"][0]["findings"] if f["code"] == "T4-SUM"]
        assert len(t4) == 1 and t4[0]["row"] == "review"
        cells = [c for c in t4[0]["cells"] if c["row"] == "review" and c["column"] == "total"]
        assert len(cells) == 1 and cells[0]["value"] == 5
        _T4_LINES[text] = cells[0]["line"]
    return _T4_LINES[text]


@pytest.fixture
def tree(tmp_path) -> Path:
    """tmp_path with reports/ = a copy of samples/ (README included, skipped by default)."""
    shutil.copytree(SAMPLES, tmp_path / "reports")
    return tmp_path


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, int]:
    """A tree whose base.json the command wrote from the unmodified copy of samples/, once for
    the module (each test gets its own copy: `written`); (tree, number of entries)."""
    tree = tmp_path_factory.mktemp("pristine")
    shutil.copytree(SAMPLES, tree / "reports")
    proc = run("lint", "reports", "--write-baseline", "base.json", cwd=tree)
    assert proc.returncode == 1
    n = len(read_base(tree)["findings"])
    assert n > 0
    return tree, n


@pytest.fixture
def written(tmp_path, pristine) -> tuple[Path, int]:
    """tmp_path with reports/ = a copy of samples/ and base.json written from it (entries'
    paths are relative to base.json, so the pristine one holds for the copy); (tree, entries)."""
    source, n = pristine
    shutil.copytree(source, tmp_path, dirs_exist_ok=True)
    assert read_base(tmp_path) == read_base(source)
    return tmp_path, n


# -- round trip ---------------------------------------------------------------------------

def test_write_baseline_records_every_finding(tree):
    plain_text = run("lint", "reports", cwd=tree)
    plain, doc = lint_json("reports", cwd=tree)
    found = all_findings(doc)
    assert plain.returncode == plain_text.returncode == 1

    proc = run("lint", "reports", "--write-baseline", "base.json", cwd=tree)
    assert proc.returncode == 1  # as without --write-baseline
    assert proc.stdout == plain_text.stdout  # the findings are still shown
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == [f"已写入基线 base.json：{len(found)} 项"]

    base = read_base(tree)
    assert base["version"] == 1
    entries = base["findings"]
    assert len(entries) == len(found)
    assert all(set(e) == {"fingerprint", "path", "code", "message", "reason"} for e in entries)
    assert all(e["reason"] == "" for e in entries)
    assert all(re.fullmatch(r"[0-9a-f]{20}", e["fingerprint"]) for e in entries)
    assert len({e["fingerprint"] for e in entries}) == len(entries)
    # paths are relative to the baseline file's folder
    assert Counter((e["path"], e["code"], e["message"]) for e in entries) == \
        Counter((f"reports/{Path(p).name}", f["code"], f["message"]) for p, f in found)


def test_write_baseline_keeps_the_exit_code_and_the_json_output(tree):
    plain, doc = lint_json("reports", cwd=tree)
    proc, with_write = lint_json("reports", "--write-baseline", "base.json", cwd=tree)
    assert proc.returncode == plain.returncode == 1
    assert with_write == doc
    assert f"{len(all_findings(doc))} 项" in proc.stderr


def test_write_baseline_of_clean_files_exits_0_and_writes_nothing(tree):
    proc = run("lint", "reports/clean_2021.html", "--write-baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert "0 项" in proc.stderr
    assert read_base(tree)["findings"] == []


def test_baseline_suppresses_everything_written(written):
    tree, n = written
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert all_findings(doc) == []
    assert all(f["status"] == "pass" for f in doc["files"])
    assert doc["summary"]["suppressed"] == n
    assert doc["summary"]["failed"] == 0
    assert doc["summary"]["findings"] == {"error": 0, "warning": 0, "info": 0}
    assert "stale_baseline" not in doc


def test_baseline_text_output_says_how_many_were_suppressed(written):
    tree, n = written
    proc = run("lint", "reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    last = proc.stdout.rstrip("\n").splitlines()[-1]
    assert last.endswith(f"基线已屏蔽 {n} 项")
    assert "基线中有" not in proc.stdout


def test_without_a_baseline_nothing_is_said_about_suppression(written):
    tree, _ = written
    proc, doc = lint_json("reports", cwd=tree)
    assert doc["summary"]["suppressed"] == 0
    text = run("lint", "reports", cwd=tree)
    assert "基线已屏蔽" not in text.stdout


def test_baseline_paths_are_relative_to_the_baseline_file_not_the_cwd(written):
    tree, n = written
    proc, doc = lint_json(".", "--baseline", Path("..", "base.json"), cwd=tree / "reports")
    assert proc.returncode == 0
    assert doc["summary"]["suppressed"] == n
    assert "stale_baseline" not in doc
    elsewhere = tree / "elsewhere"
    elsewhere.mkdir()
    proc, doc = lint_json(Path("..", "reports"), "--baseline", (tree / "base.json").resolve(), cwd=elsewhere)
    assert proc.returncode == 0
    assert doc["summary"]["suppressed"] == n


# -- stability ----------------------------------------------------------------------------

def test_inserting_blank_lines_at_the_top_keeps_findings_suppressed(written):
    tree, n = written
    before = t4_review_total_line(tree)
    edit(tree / WRONG_REL, lambda t: "\n\n\n\n" + t)
    assert t4_review_total_line(tree) == before + 4  # line numbers did shift
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert all_findings(doc) == []
    assert doc["summary"]["suppressed"] == n
    assert "stale_baseline" not in doc


def test_changing_an_unrelated_paragraph_keeps_findings_suppressed(written):
    tree, n = written
    edit(tree / WRONG_REL, lambda t: t.replace(UNRELATED, "委网站改版完成。\n\n新增无障碍浏览功能，\n\n方便老年人查阅。"))
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert all_findings(doc) == []
    assert doc["summary"]["suppressed"] == n
    assert "stale_baseline" not in doc


def test_a_different_wrong_value_in_the_same_cell_stays_suppressed(written):
    """Values are not part of the fingerprint: 5 -> 6 is still the same T4-SUM finding."""
    tree, n = written
    set_line(tree / WRONG_REL, t4_review_total_line(tree), "5", "6")
    _, plain = lint_json("--isolated", WRONG_REL, cwd=tree)
    t4 = [f for f in plain["files"][0]["findings"] if f["code"] == "T4-SUM"]
    assert t4 and "总计为 6" in t4[0]["message"]
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert doc["summary"]["suppressed"] == n


# -- stale entries ------------------------------------------------------------------------

def test_fixed_finding_is_reported_as_stale(written):
    tree, n = written
    entry = next(e for e in read_base(tree)["findings"] if e["path"] == WRONG_REL and e["code"] == "T4-SUM")
    set_line(tree / WRONG_REL, t4_review_total_line(tree), "5", "4")
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert all_findings(doc) == []
    assert doc["summary"]["suppressed"] == n - 1
    assert doc["stale_baseline"] == [entry]


def test_fixed_finding_is_listed_in_text_output(written):
    tree, n = written
    entry = next(e for e in read_base(tree)["findings"] if e["path"] == WRONG_REL and e["code"] == "T4-SUM")
    set_line(tree / WRONG_REL, t4_review_total_line(tree), "5", "4")
    proc = run("lint", "reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert f"基线已屏蔽 {n - 1} 项" in proc.stdout
    assert "基线中有 1 项已不再出现" in proc.stdout
    listed = [line.strip() for line in proc.stdout.splitlines() if line.strip().startswith(WRONG_REL)]
    assert listed == [f"{WRONG_REL} T4-SUM {entry['message']}"]


def test_entries_of_files_not_checked_are_not_stale(written):
    tree, _ = written
    set_line(tree / WRONG_REL, t4_review_total_line(tree), "5", "4")
    proc, doc = lint_json("reports/clean_2021.html", "reports/broken_balance_2021.html",
                          "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert doc["summary"]["suppressed"] == 2
    assert "stale_baseline" not in doc
    text = run("lint", "reports/broken_balance_2021.html", "--baseline", "base.json", cwd=tree)
    assert "基线中有" not in text.stdout


def test_entries_of_a_removed_file_are_not_stale(written):
    tree, n = written
    in_wrong = sum(e["path"] == WRONG_REL for e in read_base(tree)["findings"])
    assert in_wrong == 3
    (tree / WRONG_REL).unlink()
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert doc["summary"]["suppressed"] == n - 3
    assert "stale_baseline" not in doc


def test_stale_entry_keeps_its_reason(written):
    tree, _ = written
    base = read_base(tree)
    for e in base["findings"]:
        if e["path"] == WRONG_REL and e["code"] == "T4-SUM":
            e["reason"] = "原表如此，已向上级报告"
    (tree / "base.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    set_line(tree / WRONG_REL, t4_review_total_line(tree), "5", "4")
    _, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert [e["reason"] for e in doc["stale_baseline"]] == ["原表如此，已向上级报告"]


def test_entries_of_codes_not_checked_are_not_stale(written):
    tree, n = written
    proc, doc = lint_json("reports", "--baseline", "base.json", "--select", "T4", cwd=tree)
    assert proc.returncode == 0
    assert doc["summary"]["suppressed"] == 1
    assert "stale_baseline" not in doc


# -- new findings -------------------------------------------------------------------------

def test_a_new_error_is_reported_and_fails(written):
    tree, n = written
    review_total = t4_review_total_line(tree)
    # one cell per line, blank lines between: 行政诉讼·未经复议直接起诉 总计 is 5 cells after 行政复议 总计
    set_line(tree / WRONG_REL, review_total + 10, "2", "3")
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 1
    found = by_name(doc)[WRONG]["findings"]
    assert [(f["code"], f["row"]) for f in found] == [("T4-SUM", "suit_direct")]
    assert by_name(doc)[WRONG]["status"] == "fail"
    assert doc["summary"]["suppressed"] == n
    assert "stale_baseline" not in doc
    text = run("lint", "reports", "--baseline", "base.json", cwd=tree)
    assert text.returncode == 1
    assert "T4-SUM" in text.stdout and f"基线已屏蔽 {n} 项" in text.stdout


def test_another_wrong_t3_cell_gives_a_new_outcome_sum_finding(written):
    """（一）予以公开 商业企业 2 -> 3: a new T3-OUTCOME-SUM for 商业企业 (the row total was already baselined)."""
    tree, n = written
    _, plain = lint_json("--isolated", WRONG_REL, cwd=tree)
    row = next(f for f in plain["files"][0]["findings"] if f["code"] == "T3-ROW-TOTAL")
    commercial = next(c for c in row["cells"] if c["column"] == "commercial")
    assert commercial["row"] == "granted"
    set_line(tree / WRONG_REL, commercial["line"], "2", "3")
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 1
    new = [(f["code"], f["column"]) for f in by_name(doc)[WRONG]["findings"]]
    assert ("T3-OUTCOME-SUM", "commercial") in new


def test_a_renamed_file_has_new_findings_and_no_stale_entries(written):
    tree, n = written
    (tree / WRONG_REL).rename(tree / "reports" / "renamed_2019.txt")
    proc, doc = lint_json("reports", "--baseline", "base.json", cwd=tree)
    assert proc.returncode == 1
    assert sorted(f["code"] for f in by_name(doc)["renamed_2019.txt"]["findings"]) == \
        ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"]
    assert doc["summary"]["suppressed"] == n - 3
    assert "stale_baseline" not in doc


# -- reasons ------------------------------------------------------------------------------

def test_rewriting_the_baseline_keeps_reasons(written):
    tree, n = written
    base = read_base(tree)
    target = next(e for e in base["findings"] if e["path"] == WRONG_REL and e["code"] == "T4-SUM")
    target["reason"] = "原表如此，已向上级报告"
    (tree / "base.json").write_text(json.dumps(base, ensure_ascii=False, indent=2), encoding="utf-8")
    proc = run("lint", "reports", "--write-baseline", "base.json", cwd=tree)
    assert proc.returncode == 1
    assert f"{n} 项" in proc.stderr
    again = read_base(tree)["findings"]
    assert len(again) == n
    reasons = {e["fingerprint"]: e["reason"] for e in again}
    assert reasons[target["fingerprint"]] == "原表如此，已向上级报告"
    assert sum(1 for r in reasons.values() if r) == 1
    assert {e["fingerprint"] for e in again} == {e["fingerprint"] for e in base["findings"]}


def test_rewriting_after_a_fix_drops_the_fixed_entry_and_keeps_other_reasons(written):
    tree, n = written
    base = read_base(tree)
    for e in base["findings"]:
        if e["path"] == WRONG_REL:
            e["reason"] = f"理由 {e['code']}"
    (tree / "base.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    set_line(tree / WRONG_REL, t4_review_total_line(tree), "5", "4")
    run("lint", "reports", "--write-baseline", "base.json", cwd=tree)
    again = read_base(tree)["findings"]
    assert len(again) == n - 1
    mine = sorted((e["code"], e["reason"]) for e in again if e["path"] == WRONG_REL)
    assert mine == [("T3-OUTCOME-SUM", "理由 T3-OUTCOME-SUM"), ("T3-ROW-TOTAL", "理由 T3-ROW-TOTAL")]


def test_write_baseline_together_with_baseline_keeps_the_entries(written):
    tree, n = written
    proc = run("lint", "reports", "--baseline", "base.json", "--write-baseline", "base.json", cwd=tree)
    assert proc.returncode == 0
    assert len(read_base(tree)["findings"]) == n


# -- fingerprints -------------------------------------------------------------------------

CELLS = (CellRef("t4", "review", "total", 5, "5", line=587, source="第587行"),
         CellRef("t4", "review", "upheld", 2, "2", line=579, source="第579行"),
         CellRef("t4", "review", "corrected", 1, "1", line=581),
         CellRef("t4", "review", "other", 0, "0", line=583),
         CellRef("t4", "review", "pending", 1, "1", line=585))
FINDING = Finding("T4-SUM", "error", "表四「行政复议」行：总计为 5，但……之和为 4（相差 1）", table="t4", row="review",
                  reported=5, computed=4, cells=CELLS, line=579)
PATH = "reports/wrong_total_2019_cells.txt"


def test_fingerprint_is_short_hex_and_deterministic():
    fp = baselines.fingerprint(PATH, FINDING)
    assert re.fullmatch(r"[0-9a-f]{20}", fp)
    assert baselines.fingerprint(PATH, replace(FINDING)) == fp


@pytest.mark.parametrize("change", [
    {"line": 9999},
    {"line": None},
    {"message": "完全不同的说明"},
    {"reported": 6, "computed": 3},
    {"severity": "warning"},
    {"page": 3},
    {"cells": tuple(replace(c, line=(c.line or 0) + 40, source="") for c in CELLS)},
    {"cells": tuple(replace(c, value=9, raw="9") for c in CELLS)},
    {"cells": tuple(reversed(CELLS))},
])
def test_fingerprint_ignores_lines_messages_values_and_cell_order(change):
    assert baselines.fingerprint(PATH, replace(FINDING, **change)) == baselines.fingerprint(PATH, FINDING)


@pytest.mark.parametrize("change", [
    {"code": "T3-ROW-TOTAL"},
    {"row": "suit_direct"},
    {"column": "total"},
    {"row": None, "column": "natural"},
    {"table": "t3"},
    {"cells": CELLS[:-1]},
    {"cells": CELLS + (CellRef("t4", "suit_direct", "total", 2, "2", line=597),)},
    {"cells": (replace(CELLS[0], row="suit_direct"),) + CELLS[1:]},
    {"cells": (replace(CELLS[0], column="pending"),) + CELLS[1:]},
    {"cells": (replace(CELLS[0], table="t3"),) + CELLS[1:]},
    {"cells": (replace(CELLS[0], path="reports/last_year.txt"),) + CELLS[1:]},
])
def test_fingerprint_changes_with_code_place_and_cited_cells(change):
    assert baselines.fingerprint(PATH, replace(FINDING, **change)) != baselines.fingerprint(PATH, FINDING)


def test_fingerprint_changes_with_the_path():
    assert baselines.fingerprint("reports/other.txt", FINDING) != baselines.fingerprint(PATH, FINDING)


def test_write_read_apply_in_process(tmp_path):
    from validator.findings import FileResult

    report = tmp_path / "r.txt"
    report.write_text("x", encoding="utf-8")
    result = FileResult(str(report), "2019", 2020, findings=[FINDING])
    path = tmp_path / "b.json"
    assert baselines.write(str(path), [result]) == 1
    entries = baselines.read(str(path))
    assert list(entries) == [baselines.fingerprint("r.txt", FINDING)]
    assert entries[baselines.fingerprint("r.txt", FINDING)].path == "r.txt"
    moved = replace(FINDING, line=1, message="新说明")
    out, suppressed, stale = baselines.apply(str(path), entries, [FileResult(str(report), findings=[moved])])
    assert (out[0].findings, suppressed, stale) == ([], 1, [])
    out, suppressed, stale = baselines.apply(str(path), entries, [FileResult(str(report), findings=[])])
    assert suppressed == 0 and [e.code for e in stale] == ["T4-SUM"]
    other = tmp_path / "other.txt"
    out, suppressed, stale = baselines.apply(str(path), entries, [FileResult(str(other), findings=[])])
    assert stale == []


# -- unreadable baselines -----------------------------------------------------------------

BAD_BASELINES = {
    "not-json": "this is not json\n",
    "empty": "",
    "truncated": '{"version": 1, "findings": [',
    "wrong-version": json.dumps({"version": 2, "tool": "govreport", "findings": []}),
    "no-version": json.dumps({"tool": "govreport", "findings": []}),
    "a-list": json.dumps([]),
    "findings-not-a-list": json.dumps({"version": 1, "findings": {}}),
    "no-findings": json.dumps({"version": 1}),
    "entry-without-fingerprint": json.dumps({"version": 1, "findings": [
        {"path": WRONG_REL, "code": "T4-SUM", "message": "m", "reason": ""}]}),
    "entry-not-an-object": json.dumps({"version": 1, "findings": ["abc"]}),
    "entry-without-path": json.dumps({"version": 1, "findings": [{"fingerprint": "abc", "code": "T4-SUM"}]}),
}


@pytest.mark.parametrize("case", list(BAD_BASELINES))
def test_malformed_baseline_is_a_usage_error(tree, case):
    (tree / "bad.json").write_text(BAD_BASELINES[case], encoding="utf-8")
    message = usage_error(run("lint", WRONG_REL, "--baseline", "bad.json", cwd=tree))
    assert "基线文件" in message
    assert "bad.json" in message


@pytest.mark.parametrize("case", ["not-json", "wrong-version", "entry-without-fingerprint"])
def test_malformed_baseline_in_process(tmp_path, case):
    path = tmp_path / "bad.json"
    path.write_text(BAD_BASELINES[case], encoding="utf-8")
    with pytest.raises(BaselineError) as e:
        baselines.read(str(path))
    assert "\n" not in str(e.value)


def test_missing_baseline_is_a_usage_error(tree):
    message = usage_error(run("lint", WRONG_REL, "--baseline", "no-such-base.json", cwd=tree))
    assert "基线文件不存在" in message
    assert "no-such-base.json" in message


def test_baseline_that_is_not_utf8_is_a_usage_error(tree):
    (tree / "bad.json").write_bytes(b'{"version": 1, "findings": [], "x": "\xff\xfe"}')
    message = usage_error(run("lint", WRONG_REL, "--baseline", "bad.json", cwd=tree))
    assert "bad.json" in message


def test_entry_with_a_null_message_is_rejected(tree):
    base = {"version": 1, "findings": [{"fingerprint": "0" * 20, "path": WRONG_REL, "code": "T4-SUM", "message": None}]}
    (tree / "bad.json").write_text(json.dumps(base), encoding="utf-8")
    usage_error(run("lint", WRONG_REL, "--baseline", "bad.json", cwd=tree))


def test_entry_with_a_path_that_is_not_a_string_is_rejected(tree):
    base = {"version": 1, "findings": [{"fingerprint": "0" * 20, "path": [WRONG_REL], "code": "T4-SUM", "message": ""}]}
    (tree / "bad.json").write_text(json.dumps(base), encoding="utf-8")
    usage_error(run("lint", WRONG_REL, "--baseline", "bad.json", cwd=tree))
