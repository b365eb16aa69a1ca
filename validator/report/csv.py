"""CSV (spreadsheets): one row per finding; a file without findings is one row with an empty
code (an unreadable file: its READ-ERROR finding)."""

from __future__ import annotations

import csv
import io

from validator.findings import FileResult, Finding, number

HEADER = ("path", "status", "code", "severity", "table", "row", "column", "reported", "computed",
          "suggestion", "line", "page", "message")


def _cell(x) -> str:
    return "" if x is None else str(x)


def _page(f: Finding) -> int | None:
    if f.page is not None:
        return f.page
    return next((c.page for c in f.cells if c.page is not None), None)


def rows(r: FileResult) -> list[list[str]]:
    """One file's rows (as lists of strings in HEADER order)."""
    out = []
    for f in r.findings:
        out.append([_cell(x) for x in (
            r.path, r.status, f.code, f.severity, f.table, f.row, f.column,
            number(f.reported), number(f.computed),
            None if f.suggestion is None else number(f.suggestion.value),
            f.first_line(), _page(f), f.message)])
    if not out:
        out.append([r.path, r.status] + [""] * (len(HEADER) - 2))
    return out


def _write(lines) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(lines)
    return buf.getvalue()


def render_header() -> str:
    return _write([HEADER])


def render_file(r: FileResult) -> str:
    """One file's rows, for writing as files are checked (after render_header())."""
    return _write(rows(r))


def render(results: list[FileResult], book=None, **_) -> str:
    return _write([HEADER] + [row for r in results for row in rows(r)])
