"""The stable JSON output (version 1): other tools parse it."""

from __future__ import annotations

import json

from validator.findings import FileResult, Finding, number
from validator.report.summary import summarize


def finding_dict(f: Finding) -> dict:
    return {
        "code": f.code, "severity": f.severity, "message": f.message,
        "table": f.table, "row": f.row, "column": f.column,
        "reported": number(f.reported), "computed": number(f.computed),
        "line": f.first_line(),
        "cells": [{"table": c.table, "row": c.row, "column": c.column, "value": number(c.value),
                   "raw": c.raw, "line": c.line, "page": c.page, "source": c.source,
                   **({"path": c.path} if c.path else {})} for c in f.cells],
        "suggestion": None if f.suggestion is None else {
            "table": f.suggestion.table, "row": f.suggestion.row, "column": f.suggestion.column,
            "value": number(f.suggestion.value)},
        "incomplete": f.incomplete,  # a reading limit of the copy: makes the file "incomplete"
    }


def file_dict(r: FileResult) -> dict:
    return {"path": r.path, "status": r.status, "format": r.format, "year": r.year, "office": r.office,
            "error": r.error, "findings": [finding_dict(f) for f in r.findings]}


def render(results: list[FileResult], book=None, suppressed: int = 0, stale=()) -> str:
    summary = summarize(results, suppressed)
    doc = {"version": 1, "files": [file_dict(r) for r in results], "summary": summary}
    if stale:
        doc["stale_baseline"] = [{"fingerprint": e.fingerprint, "path": e.path, "code": e.code,
                                  "message": e.message, "reason": e.reason} for e in stale]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
