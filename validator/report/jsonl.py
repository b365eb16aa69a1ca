"""JSON Lines: one object per checked file (exactly the stable JSON's file object), then one
{"summary": …} line. Files can be written as they are checked (render_file)."""

from __future__ import annotations

import json

from validator.findings import FileResult
from validator.report import json as json_format
from validator.report.summary import summarize


def render_file(r: FileResult) -> str:
    """One file's line, newline included: json.file_dict(r)."""
    return json.dumps(json_format.file_dict(r), ensure_ascii=False) + "\n"


def render_summary(results: list[FileResult], suppressed: int = 0) -> str:
    """The last line: {"summary": summarize(results)}."""
    return json.dumps({"summary": summarize(results, suppressed)}, ensure_ascii=False) + "\n"


def render(results: list[FileResult], book=None, suppressed: int = 0, **_) -> str:
    return "".join(render_file(r) for r in results) + render_summary(results, suppressed)
