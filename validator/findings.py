"""Findings and per-file results: plain data, shared by every stage and every output format."""

from __future__ import annotations

from dataclasses import dataclass, field

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
READ_ERROR = "READ-ERROR"  # the one finding of a file that could not be read: its status is "error"


@dataclass(frozen=True, slots=True)
class CellRef:
    table: str
    row: str
    column: str
    value: float | None
    raw: str
    line: int | None = None
    page: int | None = None
    source: str = ""  # e.g. 第3页，表格2第5行第3列: for files where a line number says little
    path: str | None = None  # set when the cell is in another file (cross-year findings)


@dataclass(frozen=True, slots=True)
class Suggestion:
    table: str
    row: str
    column: str
    value: float


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    reported: float | None = None
    computed: float | None = None
    cells: tuple[CellRef, ...] = ()
    suggestion: Suggestion | None = None
    line: int | None = None
    page: int | None = None
    # A reading limit of the copy (cells a scraped or converted file does not let us read with
    # certainty), not a defect of the report: without errors, the file is "incomplete".
    incomplete: bool = False
    hint: str = ""  # the end of `message` that points to the likely cell (the HTML report says it its own way)

    def first_line(self) -> int | None:
        if self.line is not None:
            return self.line
        lines = [c.line for c in self.cells if c.line is not None]
        return min(lines) if lines else None


@dataclass
class FileResult:
    path: str
    format: str | None = None
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    office: str | None = None
    facts: object = field(default=None, repr=False, compare=False)  # crossyear.YearFacts
    report: object = field(default=None, repr=False, compare=False)  # extract.Report, when a format draws it

    @classmethod
    def unreadable(cls, path: str, reason: str, **fields) -> FileResult:
        """A file that could not be read: one READ-ERROR finding, its message the reason."""
        return cls(path, findings=[Finding(READ_ERROR, "error", reason)], **fields)

    @property
    def error(self) -> str | None:
        """Why the file could not be read, or None."""
        return next((f.message for f in self.findings if f.code == READ_ERROR), None)

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if any(f.severity == "error" for f in self.findings):
            return "fail"
        return "incomplete" if any(f.incomplete for f in self.findings) else "pass"


def make(book, code: str, *, table: str | None = None, row: str | None = None, column: str | None = None,
         line: int | None = None, page: int | None = None, cells: tuple[CellRef, ...] = (),
         severity: str | None = None, incomplete: bool | None = None, **fields) -> Finding:
    """A catalogue finding, its message filled from the catalogue's Chinese template. `severity`
    and `incomplete` override the catalogue's where the same code is a defect in one kind of
    file and a reading limit in another (a short row in a publisher's grid, or in scraped text)."""
    entry = book.catalogue[code]
    if table is not None:
        fields.setdefault("table", TABLE_NAMES.get(table, table))
    return Finding(code=code, severity=severity or entry.severity, message=entry.message.format(**fields),
                   table=table, row=row, column=column, cells=cells, line=line, page=page,
                   incomplete=entry.incomplete if incomplete is None else incomplete)


def shown(x: float) -> str:
    """A value in a message: 1,234 or 156,805,947.43 (never 1.56806e+08)."""
    n = number(float(x))
    return f"{n:,}" if isinstance(n, int) else f"{n:,.6f}".rstrip("0")


def number(x: float | None) -> int | float | None:
    """A value for people and JSON: 12.0 -> 12."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(float(x), 6)
