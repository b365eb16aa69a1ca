"""The data model every stage shares: what a reader produces (Document, Cell), what extraction
produces (Report, Table, each cell's Value and Source). Findings live in findings.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from validator.findings import CellRef, Finding

if TYPE_CHECKING:  # pandas and numpy load with extraction, not with the readers
    import numpy as np
    import pandas as pd


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


@dataclass(frozen=True, slots=True)
class Value:
    kind: str  # number, blank, nothing
    number: float | None = None
    decimals: int = 0
    unit: str | None = None
    signed: bool = False  # written with an explicit + or -


def number(n: int | float, unit: str | None = None) -> Value:
    """The Value of a number read from a run of digits (decimals as written)."""
    return Value("number", float(n), len(str(n).split(".")[1]) if isinstance(n, float) else 0, unit)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a table cell came from and how it was written."""

    cell: Cell
    value: Value | None  # None: the row could not be read with certainty


# What each cell of a table is, beside its value. Only "number" cells hold a value in the frame.
NUMBER, BLANK, NOTHING = "number", "blank", "nothing"  # written: a number, an empty cell, / — 无
UNREADABLE = "unreadable"  # written, but the copy does not let us read it with certainty
MISSING = "missing"  # the format has the cell, the file has no such row
ABSENT = "absent"  # the format has no such cell (表二's blocks, a 2019 column in 2021)
STATES = (NUMBER, BLANK, NOTHING, UNREADABLE, MISSING, ABSENT)
UNDECIDED = (UNREADABLE, MISSING)  # a check touching such a cell can neither pass nor fail

# Characters that show nothing (a regex class body): zero-width spaces and joiners, direction
# marks, BOMs a CMS leaves before values, soft hyphens. Readers and normalisation drop them.
INVISIBLE = "\u00ad\u200b-\u200f\u2060-\u2064\ufeff"
DIGIT_LETTERS = "OoIl|"  # what a scan reads for 0 and 1: a cell of these is unreadable, not a label
WRITTEN = (NUMBER, BLANK, NOTHING)  # read with certainty (blank and "nothing" count as 0)


@dataclass
class Pending:
    """A row whose digits ran together and that reads several ways, each fitting the row: the
    table's column identities may settle it (check stage); until then its cells are unreadable."""

    row: str
    label: str
    targets: tuple[tuple[str, str], ...]  # the (row, column) cells its values fill
    readings: list[tuple]  # the readings that fit the row (up to runtogether.MAX_READINGS)
    cell: Cell  # the value cell the run was written in: the settled values' source
    first: Cell  # where findings point: the row's label
    raw: str
    rules: list[str]  # codes of the row identities that chose these readings
    unit: str | None = None  # a unit written after the last number (元, 万元)


@dataclass
class Table:
    id: str
    frame: pd.DataFrame  # float: the value of every "number" cell, NaN elsewhere
    state: pd.DataFrame  # one of STATES per cell, same shape as frame
    sources: dict[tuple[str, str], Source]  # provenance of every cell written: raw text and position
    start: Cell | None
    # A copy whose rows carry other rows' values (a conversion detached labels from values):
    # a row not found there is a reading limit, not a row the report left out.
    detached: bool = False
    pending: list[Pending] = field(default_factory=list)

    @cached_property
    def arrays(self) -> tuple[np.ndarray, dict[str, int], dict[str, int]]:
        """The values as a plain array with row and column positions, for many small lookups."""
        f = self.frame
        return f.to_numpy(), {r: i for i, r in enumerate(f.index)}, {c: j for j, c in enumerate(f.columns)}

    def undecided(self) -> np.ndarray:
        """Per cell, whether a check touching it is undecided (unreadable or missing)."""
        return self.state.isin(UNDECIDED).to_numpy()

    def settle(self, key: tuple[str, str], source: Source) -> None:
        """Give an unreadable cell the value a check stage settled (a run-together row)."""
        self.sources[key] = source
        self.frame.at[key] = source.value.number
        self.state.at[key] = NUMBER
        self.__dict__.pop("arrays", None)

    def ref(self, row: str, column: str) -> CellRef:
        """The cell as findings cite it: value as written (None if blank or unreadable) and source."""
        src = self.sources.get((row, column))
        if src is None:
            return CellRef(self.id, row, column, None, "")
        value = src.value.number if src.value is not None else None
        return CellRef(self.id, row, column, value, src.cell.text, src.cell.line, src.cell.page, src.cell.where())


@dataclass
class Text:
    """The report as text, for the document checks: every cell in reading order, its normalised
    text, the section headings found (cell index, section key) and each table's cell range."""

    cells: list[Cell]
    norm: list[str]
    heads: list[tuple[int, str]]
    regions: dict[str, tuple[int, int] | None]


@dataclass
class Report:
    path: str
    format: str | None
    year: int | None
    tables: dict[str, Table] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # what extraction found (reading limits, layout)
    office: str | None = None
    text: Text | None = None
