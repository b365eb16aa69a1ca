"""Plain text and markdown: one cell per line, or one table row per line with cells split by
`|`, tabs or runs of two or more spaces. At most MAX_CELLS cells: a text of short lines costs a
cell object per line, many times the bytes it is read from."""

from __future__ import annotations

import re

from validator.model import DIGIT_LETTERS, Cell, Document, ReadError

MAX_CELLS = 100_000  # a report written one cell per line has 300-3 000

_MD_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_SPACES = re.compile(r"\s{2,}")
_NUMBER = r"[-+]?\d[\d,，]*(?:\.\d+)?"
_LOOKALIKE = rf"[0-9{DIGIT_LETTERS}]{{1,7}}"  # digits a scan read as letters (lO for 10): cells, not the label's end
_TOKEN = rf"(?:{_NUMBER}|{_LOOKALIKE})"
# "规章 0 0 0": a label then numbers separated by single spaces.
_LABEL_NUMBERS = re.compile(rf"^(.*?[^\d\s,.])\s+((?:{_TOKEN}\s+)*{_TOKEN})$")
_NUMBERS = re.compile(rf"^(?:{_NUMBER}\s+)+{_NUMBER}$")  # "1 0 2 1 4 …": numbers only
_LETTERS = re.compile(f"[{DIGIT_LETTERS}]")


def split_row(line: str) -> list[str]:
    if "|" in line:
        parts = line.split("|")
        if line.startswith("|"):
            parts = parts[1:]
        if line.endswith("|") and parts:
            parts = parts[:-1]
        return [p.strip() for p in parts]
    if "\t" in line:
        return [p.strip() for p in line.split("\t")]
    return _SPACES.split(line) if "  " in line or "\u3000" in line else [line]


def _label_numbers(line: str, lineno: int, page: int | None) -> list[Cell] | None:
    """`规章 0 0 0`, `一、本年新收…数量 120000012`: a label, then numbers separated by single
    spaces, which a copy may have run together: one run of values, spaces kept as cuts (and
    表四's line of 15 numbers without a label). Numbers written with thousands separators
    (1,364), or with a letter a scan read for a digit (lO), are cells of their own."""
    m = _LABEL_NUMBERS.match(line)
    if m is not None:
        label, numbers = [Cell(m.group(1).strip(), lineno, page)], m.group(2)
    elif _NUMBERS.match(line):
        label, numbers = [], line
    else:
        return None
    if "," in numbers or "，" in numbers or _LETTERS.search(numbers):  # each number a cell of its own
        return [*label, *(Cell(n, lineno, page) for n in numbers.split())]
    return [*label, Cell(numbers, lineno, page, glued=True)]


def line_cells(line: str, lineno: int, page: int | None = None) -> list[Cell]:
    """The cells of one line of text: split at `|`, tabs or wide spaces, or a label and its
    single-spaced numbers, else the line whole."""
    spaced = " " in line and "|" not in line and "\t" not in line and "  " not in line and "\u3000" not in line
    run = _label_numbers(line, lineno, page) if spaced else None
    if run is not None:
        return run
    if "|" in line or "\t" in line or " " in line or "\u3000" in line:
        return [Cell(part, lineno, page) for part in split_row(line)]
    return [Cell(line, lineno, page)]


def parse_text(text: str, name: str) -> Document:
    doc = Document(path=name, kind="text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows, and old Mac editors' lone \r
    if text.count("\n") > MAX_CELLS:  # before a list of the lines is made
        raise _too_many()
    cells = 0
    # split("\n"), not splitlines(): a form feed (pdftotext's page break) is not a new line.
    lines = text.split("\n")
    empty = _empty_cells(lines)
    for lineno, raw in enumerate(lines, start=1):
        line = raw.lstrip().rstrip(" \r\f\v\u3000")  # a trailing tab is an empty cell: kept
        if not line.strip():
            continue
        doc.rows.extend([Cell("", lineno)] for _ in range(empty.get(lineno, 0)))
        first = line[0]
        if first in "|-:" and _MD_RULE.match(line):
            continue
        if first == "#":
            line = _MD_HEADING.sub("", line)
        if len(line) > 1000 and cells + 1 + sum(map(line.count, "| \t\u3000")) > MAX_CELLS:
            raise _too_many()  # before a long line is split into cells
        doc.rows.append(line_cells(line, lineno))
        cells += len(doc.rows[-1])
        if cells > MAX_CELLS:
            raise _too_many()
    return doc


def _empty_cells(lines: list[str]) -> dict[int, int]:
    """Text with one table cell per line: how many empty cells the blank lines before a line
    stand for. Cells on consecutive lines: each blank line is one; cells apart by one blank line:
    a run of 2k+1 blank lines is k. Any other text (rows with | or tabs, mixed gaps): none."""
    filled = [i for i, line in enumerate(lines, start=1) if line.strip()]
    if len(filled) < 50 or sum("|" in lines[i - 1] or "\t" in lines[i - 1] for i in filled) > 0.1 * len(filled):
        return {}
    gaps = [b - a - 1 for a, b in zip(filled, filled[1:])]
    dense = sum(g == 0 for g in gaps) >= 0.8 * len(gaps)
    apart = sum(g == 1 for g in gaps) >= 0.8 * len(gaps)
    out = {}
    for b, g in zip(filled[1:], gaps):
        n = g if dense else (g - 1) // 2 if apart and g % 2 else 0
        if n:
            out[b] = n
    return out


def _too_many() -> ReadError:
    return ReadError(f"文本的行或单元格过多（超过 {MAX_CELLS} 个），不像是一份年度报告，无法读取")
