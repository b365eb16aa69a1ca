"""CSV (spreadsheets): one row per finding; a file without findings is one row with an empty
code (an unreadable file: its READ-ERROR finding).

A text cell (path, message, …) that a spreadsheet would read as a formula, one starting with
= + - @ or a tab or carriage return (OWASP, CSV injection: a file named `=HYPERLINK(…)`), is
written with a leading ' so it stays text. The numeric columns (reported, computed, suggestion,
line, page) are numbers we format ourselves and are written as they are: -3 stays a number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from validator.findings import FileResult, Finding, number

HEADER = ("path", "status", "code", "severity", "table", "row", "column", "reported", "computed",
          "suggestion", "line", "page", "message")


# A spreadsheet evaluates a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(x) -> str:
    return "" if x is None else str(x)


def text_cell(x) -> str:
    """A text cell, neutralised: never read as a formula."""
    s = _cell(x)
    return "'" + s if s.startswith(FORMULA_START) else s


def _page(f: Finding) -> int | None:
    if f.page is not None:
        return f.page
    return next((c.page for c in f.cells if c.page is not None), None)


def rows(r: FileResult, status: str | None = None) -> list[list[str]]:
    """One file's rows (as lists of strings in HEADER order); `status` instead of the result's own."""
    out = []
    status = status or r.status
    for f in r.findings:
        out.append([text_cell(x) for x in (r.path, status, f.code, f.severity, f.table, f.row, f.column)]
                   + [_cell(x) for x in (number(f.reported), number(f.computed),
                                         None if f.suggestion is None else number(f.suggestion.value),
                                         f.first_line(), _page(f))]
                   + [text_cell(f.message)])
    if not out:
        out.append([text_cell(r.path), text_cell(r.status)] + [""] * (len(HEADER) - 2))
    return out


def _write(lines) -> str:
    buf = io.StringIO()
    plain = csv.writer(buf, lineterminator="\n")
    # The writer quotes a field holding "\n" but not one holding a lone "\r" (not part of the line
    # terminator), where a reader would end the row: such rows are written fully quoted.
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for line in lines:
        (quoted if any("\r" in x for x in line) else plain).writerow(line)
    return buf.getvalue()


def render_header() -> str:
    return _write([HEADER])


def render_file(r: FileResult) -> str:
    """One file's rows, for writing as files are checked (after render_header())."""
    return _write(rows(r))


class Writer:
    """The streamed output (`govreport lint --format csv`): the header, each file's rows as it is
    checked (the status column: the file's status then), and at the end one row per cross-year
    finding (validator.stream.Ending; its status column: the file's final status). There is no
    summary row; an interrupted run's summary goes to stderr."""

    def head(self) -> str:
        return render_header()

    def file(self, r: FileResult) -> str:
        return render_file(r)

    def tail(self, ending) -> Iterator[str]:
        for a in ending.additions:
            yield _write(rows(a.result, a.status))


def render(results: list[FileResult], book=None, **_) -> str:
    return _write([HEADER] + [row for r in results for row in rows(r)])
