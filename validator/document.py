"""What a reader produces: the cells of one file in reading order, each with its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class ReadError(Exception):
    """A file that cannot be read at all; the message is one line of Chinese for the user."""


class Cell(NamedTuple):  # a tuple: readers make hundreds per report
    text: str
    line: int | None = None
    page: int | None = None
    table: int | None = None  # index of the source table in the file (HTML, DOCX)
    row: int | None = None
    col: int | None = None
    glued: bool = False  # digits a scraper ran together, to be split by the row's identities
    prose: bool = False  # a sentence of a body: never a table label or value

    def where(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.table is not None:
            parts.append(f"表格{self.table + 1}第{(self.row or 0) + 1}行第{(self.col or 0) + 1}列")
        return "，".join(parts)


@dataclass
class Document:
    """Rows of cells in reading order. A paragraph is a row of one cell outside any table;
    text with one cell per line gives rows of one cell too: extraction does not rely on rows."""

    path: str
    kind: str  # html, text
    rows: list[list[Cell]] = field(default_factory=list)

    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row]
