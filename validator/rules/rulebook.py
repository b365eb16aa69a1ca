"""Loads rules/ (layouts, identities, the findings catalogue) strictly. No pandas here:
`govreport rules` and start-up must stay light."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from validator.rules import expr

SEVERITIES = ("error", "warning", "info")
STAGES = ("read", "extract", "schema", "text", "crossyear")
DOMAINS = ("count", "signed", "amount")
IDENTITY_PLACEHOLDERS = {"scope", "lhs", "rhs", "diff"}
PREVIOUS = "prev."  # in cross-year rules, a name of the earlier report


class RulesError(ValueError):
    """rules/ holds something invalid; raised at load time, before any file is checked."""


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    label: str
    domain: str
    labels: dict[str, str] = field(default_factory=dict)  # a format's own wording


@dataclass(frozen=True, eq=False)  # hashed by identity: extraction caches matches per spec
class RowSpec:
    id: str
    label: str
    patterns: tuple[re.Pattern, ...]
    group: str | None
    # format -> column ids its values fill, or None for the table's column layout
    formats: dict[str, tuple[str, ...] | None]
    rows: tuple[str, ...]
    mixed_in: dict[str, tuple[str, ...]]
    optional: bool = False  # bodies without that power leave the row out (ROW-OMITTED, not missing)

    def columns_for(self, fmt: str, layout: tuple[str, ...]) -> tuple[str, ...] | None:
        if fmt not in self.formats:
            return None
        cols = self.formats[fmt]
        return layout if cols is None else cols

    @lru_cache(maxsize=64)  # noqa: B019 - specs live as long as their rulebook
    def targets(self, fmt: str, layout: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
        """The (row, column) cells this source row's values fill, in order."""
        cols = self.columns_for(fmt, layout)
        if cols is None:
            return None
        return tuple((r, c) for r in self.rows for c in cols)


@dataclass(frozen=True)
class ColumnLayout:
    header_order: tuple[str, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: its lookups are cached
class TableSpec:
    id: str
    name: str
    title: str
    section: str
    anchors: tuple[str, ...]
    columns: dict[str, ColumnSpec]
    column_layouts: tuple[ColumnLayout, ...]
    groups: dict[str, tuple[re.Pattern, ...]]
    rows: tuple[RowSpec, ...]
    row_labels: dict[str, str]
    format_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # format -> row -> label
    drawing: dict = field(default_factory=dict)  # presentation labels of the official grid (HTML report)
    vocabulary: tuple[str, ...] = ()  # more words a header of this table is made of (patterns)
    blank_rows: bool = False  # a row may stand with its label and no value cells (blank cells)
    # labels of a group's subtotal row some reports add (小计): not a row of the format, checked
    # against the sum of the group's rows
    subtotal: re.Pattern | None = None

    def row_label(self, row: str, fmt: str | None = None) -> str:
        """The Chinese label of a row as the format writes it (规范性文件 in 2019)."""
        return self.format_labels.get(fmt or "", {}).get(row) or self.row_labels.get(row, row)

    def column_label(self, column: str, fmt: str | None = None) -> str:
        spec = self.columns.get(column)
        if spec is None:
            return column
        return spec.labels.get(fmt or "", spec.label)

    def layout_for(self, header_text: str) -> tuple[str, ...]:
        for lay in self.column_layouts:
            pos = 0
            for frag in lay.header_order:
                pos = header_text.find(frag, pos)
                if pos < 0:
                    break
            else:
                return lay.columns
        return ()

    @lru_cache(maxsize=64)  # noqa: B019
    def frame_shape(self, fmt: str, layout: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Canonical row and column ids of this table's frame in a format."""
        rows: list[str] = []
        cols: set[str] = set()
        for spec in self.rows:
            targets = spec.targets(fmt, layout)
            if not targets or spec.mixed_in.get(fmt) is not None:
                continue
            for r, c in targets:
                if r not in rows:
                    rows.append(r)
                cols.add(c)
        return tuple(rows), tuple(c for c in self.columns if c in cols)

    def cells_in(self, fmt: str, rows, cols) -> frozenset[tuple[str, str]]:
        """The (row, column) cells the format has among these (表二's blocks leave the rest absent)."""
        return _cells_in(self, fmt, tuple(rows), tuple(cols))

    @lru_cache(maxsize=4096)  # noqa: B019
    def group_of(self, label: str) -> str | None:
        """The 三、本年度办理结果 group a normalised label heads, if any."""
        for gid, pats in self.groups.items():
            if any(p.search(label) for p in pats):
                return gid
        return None


@lru_cache(maxsize=64)
def _cells_in(spec: "TableSpec", fmt: str, rows: tuple[str, ...], cols: tuple[str, ...]) -> frozenset:
    present = set(rows)
    return frozenset((r, c) for s in spec.rows for r, c in s.targets(fmt, cols) or () if r in present and c in cols)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    table: str
    formats: tuple[str, ...]
    for_each: str
    only: tuple[str, ...]
    comparison: expr.Comparison
    label: str
    message: str
    summary: str
    reference: str
    # "written": half a unit of the last decimal written, per term (exact for whole numbers);
    # or an absolute number
    tolerance: float | str = "written"


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    severity: str
    stage: str
    message: str
    summary: str
    reference: str
    incomplete: bool = False  # a reading limit of the copy: the file is incomplete, not failed


@dataclass(frozen=True, eq=False)  # hashed by identity: schemas are cached per rulebook
class Rulebook:
    sections: dict[str, tuple[re.Pattern, ...]]
    section_order: tuple[str, ...]
    max_heading_chars: int
    format_markers: dict[str, tuple[str, ...]]
    t3_markers: dict[str, tuple[str, ...]]
    format_years: dict[str, tuple[int | None, int | None]]  # in layout.yaml's order, oldest first
    old_markers: tuple[str, ...]
    title: re.Pattern
    tables: dict[str, TableSpec]
    rules: tuple[Rule, ...]
    catalogue: dict[str, CatalogueEntry] = field(default_factory=dict)
    crossyear: tuple[Rule, ...] = ()
    text: dict = field(default_factory=dict)  # rules/text.yaml, compiled by validator.rules.text
    prose_units: str = "件条个份项年月日"  # a number followed by one of these is a sentence's, not a cell's
    fee_formats: tuple[str, ...] = ()  # formats whose section 六 must state the 信息处理费 charged
    sources: tuple[str, ...] = ()  # the rule files read, packaged first, then the configuration's

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.format_years)

    @property
    def any_heading(self) -> re.Pattern:
        """One pattern for every section heading; the match's lastgroup names the section."""
        cached = self.__dict__.get("_any_heading")
        if cached is None:
            alts = "|".join(f"(?P<{key}>{'|'.join(f'(?:{p.pattern})' for p in pats)})"
                            for key, pats in self.sections.items())
            cached = re.compile(alts)
            object.__setattr__(self, "_any_heading", cached)
        return cached

    def entry(self, code: str) -> CatalogueEntry | Rule:
        for r in (*self.rules, *self.crossyear):
            if r.code == code:
                return r
        return self.catalogue[code]

    def codes(self) -> list[str]:
        return list(self.catalogue) + [r.code for r in (*self.rules, *self.crossyear)]


def rules_dir() -> Path:
    """rules/ as installed inside the package, else the source checkout's top-level rules/."""
    packaged = resources.files("validator") / "_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def _keys(where: str, data: dict, required: set[str], optional: set[str] = frozenset()) -> None:
    if not isinstance(data, dict):
        raise RulesError(f"{where}: expected a mapping")
    missing = required - set(data)
    unknown = set(data) - required - set(optional)
    if missing:
        raise RulesError(f"{where}: missing {sorted(missing)}")
    if unknown:
        raise RulesError(f"{where}: unknown keys {sorted(unknown)}")


def _patterns(where: str, items) -> tuple[re.Pattern, ...]:
    if not isinstance(items, list) or not items:
        raise RulesError(f"{where}: expected a non-empty list of patterns")
    try:
        return tuple(re.compile(str(p)) for p in items)
    except re.error as e:
        raise RulesError(f"{where}: bad pattern: {e}") from None


def _table(tid: str, data: dict, FORMATS: tuple[str, ...]) -> TableSpec:
    _keys(f"tables.{tid}", data, {"name", "title", "section", "anchors", "columns", "rows"},
          {"column_layouts", "groups", "frame_rows", "drawing", "vocabulary", "blank_rows", "subtotal"})
    columns = {}
    for cid, c in data["columns"].items():
        _keys(f"tables.{tid}.columns.{cid}", c, {"label", "domain"}, {"labels"})
        if c["domain"] not in DOMAINS:
            raise RulesError(f"tables.{tid}.columns.{cid}: domain must be one of {DOMAINS}")
        columns[cid] = ColumnSpec(cid, str(c["label"]), c["domain"], {str(f): str(v) for f, v in c.get("labels", {}).items()})
    layouts = tuple(
        ColumnLayout(tuple(l.get("header_order", [])), tuple(l["columns"]))
        for l in data.get("column_layouts", [])
    )
    for lay in layouts:
        for c in lay.columns:
            if c not in columns:
                raise RulesError(f"tables.{tid}.column_layouts: unknown column {c!r}")
    groups = {g: _patterns(f"tables.{tid}.groups.{g}", p) for g, p in data.get("groups", {}).items()}
    rows, labels, format_labels = [], dict(data.get("frame_rows", {})), {}
    for i, r in enumerate(data["rows"]):
        where = f"tables.{tid}.rows[{i}]"
        _keys(where, r, {"id", "label", "match"}, {"formats", "group", "rows", "columns", "mixed_in", "labels", "optional"})
        for fmt, text in r.get("labels", {}).items():
            format_labels.setdefault(str(fmt), {})[r["id"]] = str(text)
        if "formats" in r:
            formats = {}
            for fmt, cols in r["formats"].items():
                if str(fmt) not in FORMATS:
                    raise RulesError(f"{where}: unknown format {fmt!r}")
                formats[str(fmt)] = None if cols == "default" else tuple(cols)
        else:
            cols = tuple(r["columns"]) if "columns" in r else None
            formats = {f: cols for f in FORMATS}
        for cols in formats.values():
            for c in cols or ():
                if c not in columns:
                    raise RulesError(f"{where}: unknown column {c!r}")
        if r.get("group") and r["group"] not in groups:
            raise RulesError(f"{where}: unknown group {r['group']!r}")
        target_rows = tuple(r.get("rows", [r["id"]]))
        rows.append(RowSpec(
            id=r["id"], label=str(r["label"]), patterns=_patterns(where + ".match", r["match"]),
            group=r.get("group"), formats=formats, rows=target_rows,
            mixed_in={str(f): tuple(v) for f, v in r.get("mixed_in", {}).items()},
            optional=bool(r.get("optional", False)),
        ))
        if "rows" not in r:
            labels.setdefault(r["id"], str(r["label"]))
    return TableSpec(
        id=tid, name=data["name"], title=data["title"], section=data["section"],
        anchors=tuple(data["anchors"]), columns=columns, column_layouts=layouts,
        groups=groups, rows=tuple(rows), row_labels=labels, format_labels=format_labels,
        drawing=dict(data.get("drawing", {})),
        vocabulary=tuple(p.pattern for p in _patterns(f"tables.{tid}.vocabulary", data["vocabulary"]))
        if "vocabulary" in data else (),
        blank_rows=bool(data.get("blank_rows", False)),
        subtotal=re.compile("|".join(p.pattern for p in _patterns(f"tables.{tid}.subtotal", data["subtotal"])))
        if "subtotal" in data else None,
    )


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _rule(where: str, data: dict, tables: dict[str, TableSpec], FORMATS: tuple[str, ...], crossyear: bool = False) -> Rule:
    _keys(where, data, {"code", "severity", "table", "for_each", "expr", "label", "message", "summary"},
          {"formats", "only", "reference", "tolerance"})
    code = data["code"]
    if not re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", str(code)):
        raise RulesError(f"{where}: code {code!r} must look like T3-BALANCE")
    if data["severity"] not in SEVERITIES:
        raise RulesError(f"{code}: severity must be one of {SEVERITIES}")
    table = tables.get(data["table"])
    if table is None:
        raise RulesError(f"{code}: unknown table {data['table']!r}")
    if data["for_each"] not in ("column", "row"):
        raise RulesError(f"{code}: for_each must be column or row")
    try:
        comparison = expr.parse(str(data["expr"]))
    except expr.ExprError as e:
        raise RulesError(f"{code}: expr: {e}") from None
    # Names refer to rows when checked per column, to columns when checked per row.
    if data["for_each"] == "column":
        known, scope_ids = set(table.row_labels), set(table.columns)
    else:
        known, scope_ids = set(table.columns), set(table.row_labels)
    for name in comparison.names():
        if crossyear and name.startswith(PREVIOUS):
            name = name[len(PREVIOUS):]
        stem = name[:-2] if name.endswith(".*") else name
        if name.endswith(".*"):
            ok = any(k == stem or k.startswith(stem + ".") for k in known)
        else:
            ok = stem in known
        if not ok:
            raise RulesError(f"{code}: expr names unknown id {name!r}")
    for s in data.get("only", []):
        if s not in scope_ids:
            raise RulesError(f"{code}: only names unknown id {s!r}")
    bad = _placeholders(data["message"]) - IDENTITY_PLACEHOLDERS - ({"prev"} if crossyear else set())
    if bad:
        raise RulesError(f"{code}: message uses unknown placeholders {sorted(bad)}")
    formats = tuple(str(f) for f in data.get("formats", FORMATS))
    if set(formats) - set(FORMATS):
        raise RulesError(f"{code}: unknown format in {formats}")
    tolerance = data.get("tolerance", "written")
    if tolerance != "written" and (isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0):
        raise RulesError(f"{code}: tolerance must be 'written' or a number >= 0")
    return Rule(code, data["severity"], table.id, formats, data["for_each"],
                tuple(data.get("only", [])), comparison, data["label"], data["message"],
                data["summary"], data.get("reference", ""), tolerance)


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise RulesError(f"{path.name}: {e}") from None


# Codes the Python code raises: each must be in the findings catalogue (checked at load time,
# so a renamed or deleted entry stops the tool before any file is checked).
RAISED = frozenset({
    "READ-ERROR", "FORMAT-UNKNOWN", "FORMAT-YEAR", "FORMAT-MIXED", "YEAR-UNKNOWN", "TABLE-MISSING",
    "ROW-MISSING", "ROW-OMITTED", "ROW-DETACHED", "ROW-UNKNOWN", "ROW-IGNORED", "ROW-DUPLICATE",
    "ROW-UNREADABLE", "ROW-GLUED", "ROW-RECOVERED", "ROW-SHORT", "LABEL-LOOSE", "TEXT-IN-TABLE",
    "ROW-SUBTOTAL", "ROW-SUBTOTAL-SUM", "ROW-SUBTOTAL-UNREAD", "DOC-MORE-REPORTS", "ROW-OTHER-FORMAT", "TABLE-REPEAT-DIFFERS",
    "CELL-BLANK", "CELL-NEGATIVE", "CELL-NOT-INTEGER", "CELL-UNIT", "CELL-GARBLED",
    "DOC-SECTION-MISSING", "DOC-SECTION-UNTITLED", "DOC-SECTION-ORDER", "DOC-SECTION-NUMBERING", "DOC-SECTION-WORDING",
    "DOC-SECTION-EMPTY", "DOC-FEE-MISSING", "DOC-YEAR-PERIOD", "DOC-YEAR-TEXT", "DOC-TEXT-TABLE",
    "XY-DUPLICATE", "XY-COPIED",
})
RULE_FILE_KEYS = {"rules", "findings", "crossyear", "text"}


@lru_cache(maxsize=8)
def load(directory: str | None = None, extra: tuple[str, ...] = ()) -> Rulebook:
    """The rulebook of rules/ (or `directory`), plus `extra` rule files (a province's own
    identities, cross-year rules and findings; the same keys as rules/*.yaml but layout)."""
    root = Path(directory) if directory else rules_dir()
    layout = _read_yaml(root / "layout.yaml")
    _keys("layout.yaml", layout, {"sections", "formats", "title", "tables"}, {"prose_units", "old_markers"})
    sec = layout["sections"]
    _keys("layout.yaml sections", sec, {"max_heading_chars", "order", "headings"})
    sections = {k: _patterns(f"sections.{k}", v) for k, v in sec["headings"].items()}
    fmts = layout["formats"]
    if not isinstance(fmts, dict) or not fmts:
        raise RulesError("layout.yaml formats: expected a mapping of format ids")
    markers, t3_markers, years, fee = {}, {}, {}, []
    for f, spec in fmts.items():
        f = str(f)
        _keys(f"formats.{f}", spec, {"table_markers", "t3_markers", "years"}, {"fee_statement"})
        markers[f] = tuple(spec["table_markers"])
        t3_markers[f] = tuple(spec["t3_markers"])
        y = spec["years"]
        if not (isinstance(y, list) and len(y) == 2 and all(v is None or isinstance(v, int) for v in y)):
            raise RulesError(f"formats.{f}.years: expected [first, last] (last may be null)")
        years[f] = tuple(y)
        if spec.get("fee_statement"):
            fee.append(f)
    FORMATS = tuple(years)
    tables = {tid: _table(tid, t, FORMATS) for tid, t in layout["tables"].items()}
    for t in tables.values():
        if t.section not in sections:
            raise RulesError(f"tables.{t.id}: unknown section {t.section!r}")

    rules, crossyear, catalogue, catalogue_codes, text = [], [], {}, [], {}
    skipped = ("layout.yaml", "indicators.yaml")  # indicators.yaml: summary and compare (overview/spec.py)
    paths = [p for p in sorted(root.glob("*.yaml")) if p.name not in skipped] + [Path(e) for e in extra]
    for path in paths:
        data = _read_yaml(path) or {}
        _keys(path.name, data, set(), RULE_FILE_KEYS)
        if "text" in data:
            if text:
                raise RulesError(f"{path.name}: text rules are given twice")
            text = data["text"]
        for i, r in enumerate(data.get("rules", [])):
            rules.append(_rule(f"{path.name} rules[{i}]", r, tables, FORMATS))
        for i, r in enumerate(data.get("crossyear", [])):
            crossyear.append(_rule(f"{path.name} crossyear[{i}]", r, tables, FORMATS, crossyear=True))
        for i, f in enumerate(data.get("findings", [])):
            entry = _entry(f"{path.name} findings[{i}]", f)
            catalogue[entry.code] = entry
            catalogue_codes.append(entry.code)
    codes = [r.code for r in (*rules, *crossyear)] + catalogue_codes
    if text:
        from validator.rules import text as text_rules

        try:
            text_rules.compile_rules(text, tables, FORMATS)
        except text_rules.TextRulesError as e:
            raise RulesError(str(e)) from None
    dupes = {c for c in codes if codes.count(c) > 1}
    if dupes:
        raise RulesError(f"duplicate rule codes: {sorted(dupes)}")
    absent = RAISED - set(catalogue)
    if absent:
        raise RulesError(f"findings catalogue: no entry for {sorted(absent)}, which the checks raise")
    return Rulebook(
        sections=sections, section_order=tuple(sec["order"]), max_heading_chars=int(sec["max_heading_chars"]),
        format_markers=markers, t3_markers=t3_markers, format_years=years,
        old_markers=tuple(layout.get("old_markers", [])),
        title=re.compile(layout["title"]), tables=tables, rules=tuple(rules), catalogue=catalogue,
        crossyear=tuple(crossyear), text=text, fee_formats=tuple(fee),
        sources=tuple(str(p) for p in paths),
        **({"prose_units": str(layout["prose_units"])} if "prose_units" in layout else {}),
    )


def _entry(where: str, f: dict) -> CatalogueEntry:
    """One findings catalogue entry, checked as strictly as an identity."""
    _keys(where, f, {"code", "severity", "stage", "message", "summary"}, {"reference", "incomplete"})
    code = f["code"]
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", code):
        raise RulesError(f"{where}: code {code!r} must look like ROW-MISSING")
    if f["severity"] not in SEVERITIES:
        raise RulesError(f"{code}: severity must be one of {SEVERITIES}")
    if f["stage"] not in STAGES:
        raise RulesError(f"{code}: stage must be one of {STAGES}")
    for key in ("message", "summary", "reference"):
        if not isinstance(f.get(key, ""), str):
            raise RulesError(f"{code}: {key} must be text")
    try:
        _placeholders(f["message"])
    except ValueError as e:
        raise RulesError(f"{code}: message is not a valid template: {e}") from None
    if not isinstance(f.get("incomplete", False), bool):
        raise RulesError(f"{code}: incomplete must be true or false")
    return CatalogueEntry(code, f["severity"], f["stage"], f["message"], f["summary"], f.get("reference", ""),
                          f.get("incomplete", False))
