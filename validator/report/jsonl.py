"""JSON Lines: one object per checked file (exactly the stable JSON's file object), then one
{"summary": …} line. Files can be written as they are checked (render_file).

Written as the files are checked (`Writer`, what `govreport lint --format jsonl` does), a file's
line holds its own findings and its status then; a file that cross-year checks, which need every
file, give findings gets one more line after all files: the same object with `"crossyear": true`,
only those findings, and the file's final status. An interrupted run's summary line says
`"interrupted": true` and counts the files written."""

from __future__ import annotations

import json
from collections.abc import Iterator

from validator.findings import FileResult
from validator.report import json as json_format
from validator.report.summary import summarize


def render_file(r: FileResult) -> str:
    """One file's line, newline included: json.file_dict(r)."""
    return json.dumps(json_format.file_dict(r), ensure_ascii=False) + "\n"


def render_summary(results: list[FileResult], suppressed: int = 0, interrupted: bool = False) -> str:
    """The last line: {"summary": summarize(results)}, and whether Ctrl-C stopped the run."""
    extra = {"interrupted": True} if interrupted else {}
    return json.dumps({"summary": summarize(results, suppressed), **extra}, ensure_ascii=False) + "\n"


def render_crossyear(r: FileResult, status: str) -> str:
    """A file's cross-year findings, written after every file: its final status."""
    return json.dumps({**json_format.file_dict(r), "status": status, "crossyear": True}, ensure_ascii=False) + "\n"


class Writer:
    """The streamed output: head(), file(r) as each file is checked, the chunks of tail(ending)
    at the end (validator.stream.Ending)."""

    def head(self) -> str:
        return ""

    def file(self, r: FileResult) -> str:
        return render_file(r)

    def tail(self, ending) -> Iterator[str]:
        for a in ending.additions:
            yield render_crossyear(a.result, a.status)
        yield render_summary(ending.counted, ending.suppressed, ending.interrupted)


def render(results: list[FileResult], book=None, suppressed: int = 0, **_) -> str:
    return "".join(render_file(r) for r in results) + render_summary(results, suppressed)
