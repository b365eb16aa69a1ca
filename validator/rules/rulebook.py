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
FORMATS = ("2019", "2021")
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
    format_years: dict[str, tuple[int | None, int | None]]
    old_markers: tuple[str, ...]
    title: re.Pattern
    tables: dict[str, TableSpec]
    rules: tuple[Rule, ...]
    catalogue: dict[str, CatalogueEntry] = field(default_factory=dict)
    crossyear: tuple[Rule, ...] = ()
    text: dict = field(default_factory=dict)  # rules/text.yaml, compiled by validator.textchecks
    prose_units: str = "件条个份项年月日"  # a number followed by one of these is a sentence's, not a cell's

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


def _table(tid: str, data: dict) -> TableSpec:
    _keys(f"tables.{tid}", data, {"name", "title", "section", "anchors", "columns", "rows"},
          {"column_layouts", "groups", "frame_rows", "drawing", "vocabulary", "blank_rows"})
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
    )


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _rule(i: int, data: dict, tables: dict[str, TableSpec], crossyear: bool = False) -> Rule:
    where = f"{'crossyear' if crossyear else 'identities'}[{i}]"
    _keys(where, data, {"code", "severity", "table", "for_each", "expr", "label", "message", "summary"},
          {"formats", "only", "reference"})
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
    return Rule(code, data["severity"], table.id, formats, data["for_each"],
                tuple(data.get("only", [])), comparison, data["label"], data["message"],
                data["summary"], data.get("reference", ""))


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise RulesError(f"{path.name}: {e}") from None


@lru_cache(maxsize=4)
def load(directory: str | None = None) -> Rulebook:
    root = Path(directory) if directory else rules_dir()
    layout = _read_yaml(root / "layout.yaml")
    _keys("layout.yaml", layout, {"sections", "formats", "title", "tables"}, {"prose_units"})
    sec = layout["sections"]
    _keys("layout.yaml sections", sec, {"max_heading_chars", "order", "headings"})
    sections = {k: _patterns(f"sections.{k}", v) for k, v in sec["headings"].items()}
    fmts = layout["formats"]
    markers, t3_markers, years = {}, {}, {}
    for f in FORMATS:
        _keys(f"formats.{f}", fmts[f], {"table_markers", "t3_markers", "years"})
        markers[f] = tuple(fmts[f]["table_markers"])
        t3_markers[f] = tuple(fmts[f]["t3_markers"])
        years[f] = tuple(fmts[f]["years"])
    tables = {tid: _table(tid, t) for tid, t in layout["tables"].items()}
    for t in tables.values():
        if t.section not in sections:
            raise RulesError(f"tables.{t.id}: unknown section {t.section!r}")

    rules, crossyear, catalogue, catalogue_codes, text = [], [], {}, [], {}
    for path in sorted(root.glob("*.yaml")):
        if path.name == "layout.yaml":
            continue
        data = _read_yaml(path) or {}
        _keys(path.name, data, set(), {"rules", "findings", "crossyear", "text"})
        if "text" in data:
            text = data["text"]
        for i, r in enumerate(data.get("rules", [])):
            rules.append(_rule(i, r, tables))
        for i, r in enumerate(data.get("crossyear", [])):
            crossyear.append(_rule(i, r, tables, crossyear=True))
        for i, f in enumerate(data.get("findings", [])):
            _keys(f"{path.name} findings[{i}]", f, {"code", "severity", "stage", "message", "summary"},
                  {"reference", "incomplete"})
            if f["severity"] not in SEVERITIES:
                raise RulesError(f"{f['code']}: severity must be one of {SEVERITIES}")
            catalogue[f["code"]] = CatalogueEntry(f["code"], f["severity"], f["stage"], f["message"],
                                                  f["summary"], f.get("reference", ""), bool(f.get("incomplete", False)))
            catalogue_codes.append(f["code"])
    codes = [r.code for r in (*rules, *crossyear)] + catalogue_codes
    if text:
        from validator.check import textchecks

        try:
            textchecks.compile_rules(text)
        except textchecks.TextRulesError as e:
            raise RulesError(str(e)) from None
    dupes = {c for c in codes if codes.count(c) > 1}
    if dupes:
        raise RulesError(f"duplicate rule codes: {sorted(dupes)}")
    return Rulebook(
        sections=sections, section_order=tuple(sec["order"]), max_heading_chars=int(sec["max_heading_chars"]),
        format_markers=markers, t3_markers=t3_markers, format_years=years, old_markers=tuple(fmts.get("old_markers", [])),
        title=re.compile(layout["title"]), tables=tables, rules=tuple(rules), catalogue=catalogue,
        crossyear=tuple(crossyear), text=text,
        **({"prose_units": str(layout["prose_units"])} if "prose_units" in layout else {}),
    )
