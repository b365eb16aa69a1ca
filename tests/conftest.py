import re

import pytest

from validator import rulebook, synth
from validator.extract import extract
from validator.lint import check_reports
from validator.readers import read_bytes
from validator.values import parse_value


@pytest.fixture(scope="session")
def book():
    return rulebook.load()


def lint_text(text: str, name: str = "report.html", encoding: str = "utf-8"):
    """The whole pipeline in-process on one report's text: FileResult."""
    book = rulebook.load()
    report = extract(read_bytes(text.encode(encoding), name), book)
    return check_reports([report], book)[0]


def extract_text(text: str, name: str = "report.html"):
    return extract(read_bytes(text.encode("utf-8"), name), rulebook.load())


def codes(result, severity=None):
    """(code, row, column) of every finding, like frictionless' flatten."""
    return [(f.code, f.row, f.column) for f in result.findings if severity is None or f.severity == severity]


def edit_row(text: str, label: str, fn, relabel: str | None = None) -> str:
    """In a markdown (rows layout) report, replace the values of the row whose label cells end
    with `label` by fn(values); `relabel` replaces its label cells."""
    out, done = [], False
    for line in text.split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        n = next((i for i, c in enumerate(cells) if parse_value(c) is not None), len(cells))
        if not done and line.startswith("|") and cells[n - 1].endswith(label):
            labels = [relabel] if relabel else cells[:n]
            line = "| " + " | ".join(labels + list(fn(cells[n:]))) + " |"
            done = True
        out.append(line)
    assert done, f"no row labelled {label}"
    return "\n".join(out)


SUFFIX = {"cells": ".txt", "rows": ".md", "html": ".html"}
LAYOUTS = list(SUFFIX)
FORMATS = ["2019", "2021"]
