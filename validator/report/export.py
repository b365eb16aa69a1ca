"""`govreport extract`: a report's canonical tables as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json

from validator.findings import number
from validator.report.csv import text_cell
from validator.model import Report
from validator.rules import rulebook


def _cells(report: Report, book: rulebook.Rulebook):
    """(table, row, column, value, source) for every cell the format has, in frame order."""
    for tid, table in report.tables.items():
        exists = book.tables[tid].cells_in(report.format, table.frame.index, table.frame.columns)
        for row in table.frame.index:
            for col in table.frame.columns:
                if (row, col) in exists:
                    value = table.frame.at[row, col]
                    yield tid, row, col, None if value != value else number(float(value)), table.sources.get((row, col))


def to_json(report: Report, book: rulebook.Rulebook) -> str:
    tables: dict = {}
    for tid, row, col, value, _ in _cells(report, book):
        tables.setdefault(tid, {}).setdefault(row, {})[col] = value
    doc = {"path": report.path, "format": report.format, "year": report.year, "tables": tables}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report, book: rulebook.Rulebook | None = None) -> str:
    book = book or rulebook.load()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["table", "row", "column", "value", "raw", "line"])
    for tid, row, col, value, src in _cells(report, book):
        w.writerow([tid, row, col, "" if value is None else value,  # the raw text never runs as a formula
                    text_cell(src.cell.text if src else ""), src.cell.line if src and src.cell.line else ""])
    return buf.getvalue()
