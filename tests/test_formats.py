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

import validator
from documents import make_pdf
from validator import rulebook, synth
from validator.findings import FileResult, Finding
from validator.formats import csv, github, jsonl, junit, sarif
from validator.formats import json as json_format
from validator.formats.summary import summarize
from validator.lint import lint_paths

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
    return results + [FileResult(path="x", error="文件为空")]


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
    assert docs[-1]["summary"] == {"files": 8, "passed": 3, "failed": 4, "errors": 1, "suppressed": 0,
                                   "findings": {"error": 24, "warning": 1, "info": 0}}
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
    assert len(doc["runs"][0]["results"]) == sum(len(r.findings) + (r.error is not None) for r in samples)
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


# A small subset of the SARIF 2.1.0 schema, used only if jsonschema happens to be installed.
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
    jsonschema = pytest.importorskip("jsonschema")  # optional; never installed for this test
    jsonschema.validate(json.loads(sarif.render(samples + [pdf_result], book)), SARIF_SUBSET)


# -- GitHub Actions ------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) file=[^,]+(,line=\d+)?,title=[A-Z0-9-]+::.+$")


def test_github_one_annotation_per_finding(samples, book):
    out = github.render(samples, book)
    lines = out.splitlines()
    n = sum(len(r.findings) + (r.error is not None) for r in samples)
    assert len(lines) == n + 1
    for line in lines[:-1]:
        assert COMMAND.match(line), line
    assert not lines[-1].startswith("::")
    assert lines[-1] == "检查文件 8 个：通过 3，未通过 4，无法读取 1；错误 24 项，警告 1 项，提示 0 项"
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
    e = FileResult(path="a,b.txt", error="无法读取：100%\n损坏")
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
    assert int(root.get("tests")) == len(root.findall(".//testcase")) == 7 * len(families) + 1
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
    bad = FileResult(path="p.txt", error="坏\x00字节\x0c")
    assert ET.fromstring(junit.render([bad], book).encode("utf-8")).find(".//error").get("message") == "坏\ufffd字节\ufffd"


# -- CSV -----------------------------------------------------------------------------------

def read_csv(text):
    return list(csvlib.DictReader(io.StringIO(text)))


def test_csv_rows(samples, book):
    out = csv.render(samples, book)
    assert out.splitlines()[0] == "path,status,code,severity,table,row,column,reported,computed,suggestion,line,page,message"
    assert "\r" not in out
    rows = read_csv(out)
    assert len(rows) == sum(max(1, len(r.findings) + (r.error is not None)) for r in samples)
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
