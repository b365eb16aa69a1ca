"""SARIF 2.1.0 (code scanning, IDEs): one run, every catalogue and identity code a rule, one
result per finding and one READ-ERROR result per unreadable file. Each artifact carries its
verdict (properties.status: pass, fail, incomplete, error); a finding that leaves a file
incomplete is a result at its severity's level (warning for ROW-GLUED) with properties.incomplete.
Not `kind: "open"`: SARIF requires level "none" with any kind but "fail", and code scanning
would then hide it."""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from urllib.parse import quote

import validator
from validator.findings import FileResult, Finding, number
from validator.rules import rulebook

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
READ_ERROR = "READ-ERROR"


def level(severity: str) -> str:
    return LEVELS.get(severity, "warning")


def artifact_uri(path: str) -> str:
    """A relative path stays a relative URI reference (forward slashes, percent-encoded UTF-8,
    so Chinese names survive urllib.parse.unquote); an absolute path becomes a file:// URI."""
    if PurePath(path).is_absolute():
        return PurePath(path).as_uri()
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return quote(path, safe="/")


def finding_page(f: Finding) -> int | None:
    if f.page is not None:
        return f.page
    return next((c.page for c in f.cells if c.page is not None), None)


def _rule(book, code: str) -> dict:
    try:
        entry = book.entry(code)
    except KeyError:  # a code the rulebook does not know: still a valid rule
        return {"id": code, "name": code, "shortDescription": {"text": code},
                "defaultConfiguration": {"level": "error" if code == READ_ERROR else "warning"}}
    label = getattr(entry, "label", None)
    help_text = entry.message + ("\n" + entry.reference if entry.reference else "")
    rule = {
        "id": code,
        "name": label or code,
        "shortDescription": {"text": entry.summary or code},
        "fullDescription": {"text": entry.reference or entry.message or code},
        "defaultConfiguration": {"level": level(entry.severity)},
        "help": {"text": help_text or code},
        "properties": {"tags": [code.split("-", 1)[0]]},
    }
    comparison = getattr(entry, "comparison", None)
    if comparison is not None:
        rule["properties"]["expression"] = comparison.text
    return rule


def _location(uri: str, index: int, line: int | None = None) -> dict:
    physical: dict = {"artifactLocation": {"uri": uri, "index": index}}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _properties(f: Finding) -> dict:
    props: dict = {}
    for key in ("table", "row", "column"):
        value = getattr(f, key)
        if value is not None:
            props[key] = value
    if f.reported is not None:
        props["reported"] = number(f.reported)
    if f.computed is not None:
        props["computed"] = number(f.computed)
    if f.suggestion is not None:
        s = f.suggestion
        props["suggestion"] = {"table": s.table, "row": s.row, "column": s.column, "value": number(s.value)}
    page = finding_page(f)
    if page is not None:
        props["page"] = page
    if f.incomplete:
        props["incomplete"] = True
    return props


def document(results: list[FileResult], book=None) -> dict:
    """The SARIF log as a dict."""
    book = book or rulebook.load()
    codes = list(dict.fromkeys(book.codes()))
    extra = [f.code for r in results for f in r.findings if f.code not in codes]
    codes += list(dict.fromkeys(extra))
    index = {code: i for i, code in enumerate(codes)}
    rules = [_rule(book, code) for code in codes]

    artifacts: list[dict] = []
    artifact_index: dict[str, int] = {}
    out: list[dict] = []
    for r in results:
        uri = artifact_uri(r.path)
        if uri not in artifact_index:
            artifact_index[uri] = len(artifacts)
            props = {"status": r.status}
            if r.format is not None:
                props["format"] = r.format
            if r.year is not None:
                props["year"] = r.year
            artifacts.append({"location": {"uri": uri}, "properties": props})
        ai = artifact_index[uri]
        for f in r.findings:
            result = {"ruleId": f.code, "ruleIndex": index[f.code], "level": level(f.severity),
                      "message": {"text": f.message or f.code},
                      "locations": [_location(uri, ai, f.first_line())]}
            props = _properties(f)
            if props:
                result["properties"] = props
            out.append(result)

    driver = {"name": "govreport", "version": validator.__version__, "rules": rules}
    return {"$schema": SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "artifacts": artifacts, "results": out}]}


def render(results: list[FileResult], book=None, **_) -> str:
    return json.dumps(document(results, book), ensure_ascii=False, indent=2) + "\n"
