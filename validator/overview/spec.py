"""Loads rules/indicators.yaml strictly: the key figures, the derived indicators, the overview's
charts and the year-over-year anomalies. No pandas here."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from validator.rules import expr, rulebook
from validator.rules.rulebook import SEVERITIES, RulesError

FILE = "indicators.yaml"
CHART_KINDS = ("line", "stacked")
ANOMALY_NAMES = {"now", "prev"}
PLACEHOLDERS = {"item", "year", "prev_year", "now", "prev", "change", "ratio"}
_FIGURE_CODE = re.compile(r"[a-z][a-z0-9_]*")
_ANOMALY_CODE = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    table: str
    column: str | None  # the names of `sums` are rows of this column ...
    row: str | None  # ... or columns of this row
    sums: dict[str, expr.Linear]  # format -> the sum
    brief: bool = False

    def single_cell(self, fmt: str | None) -> tuple[str, str, str] | None:
        """(table, row, column) when the figure is exactly one cell in this format."""
        lin = self.sums.get(fmt or "")
        if lin is None or lin.const or len(lin.coeffs) != 1:
            return None
        (name, coeff), = lin.coeffs.items()
        if coeff != 1 or name.endswith(".*"):
            return None
        return (self.table, name, self.column) if self.column else (self.table, self.row, name)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    numerator: expr.Linear
    denominator: expr.Linear
    summary: str
    percent: bool = False
    brief: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    kind: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class Anomaly:
    code: str
    severity: str
    label: str
    scope: tuple[str, ...]  # tables whose every cell is checked (figures always are)
    when: tuple[expr.Comparison, ...]
    message: str
    summary: str
    # each condition as (op, a, b, c): a * now + b * prev + c OP 0
    terms: tuple[tuple[str, float, float, float], ...] = ()


@dataclass(frozen=True, eq=False)
class Spec:
    figures: tuple[Figure, ...]
    indicators: tuple[Indicator, ...]
    charts: tuple[Chart, ...]
    anomalies: tuple[Anomaly, ...]
    labels: dict[str, str] = field(default_factory=dict)  # figure or indicator code -> label

    def figure(self, code: str) -> Figure:
        return next(f for f in self.figures if f.code == code)


def _keys(where: str, data, required: set[str], optional: set[str] = frozenset()) -> None:
    if not isinstance(data, dict):
        raise RulesError(f"{FILE} {where}: expected a mapping")
    missing, unknown = required - set(data), set(data) - required - set(optional)
    if missing:
        raise RulesError(f"{FILE} {where}: missing {sorted(missing)}")
    if unknown:
        raise RulesError(f"{FILE} {where}: unknown keys {sorted(unknown)}")


def _text(where: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{FILE} {where}: expected text")
    return value


def _flag(where: str, value) -> bool:
    if not isinstance(value, bool):
        raise RulesError(f"{FILE} {where}: expected true or false")
    return value


def linear(where: str, text) -> expr.Linear:
    """A linear sum in the rule language (parsed, never evaluated as Python)."""
    try:
        return expr.parse_sum(_text(where, text))
    except expr.ExprError as e:
        raise RulesError(f"{FILE} {where}: {e}") from None


def _known(name: str, ids) -> bool:
    if name.endswith(".*"):
        return any(i == name[:-2] or i.startswith(name[:-1]) for i in ids)
    return name in ids


def _figure(where: str, data, book: rulebook.Rulebook) -> Figure:
    _keys(where, data, {"code", "label", "table", "sum"}, {"column", "row", "formats", "brief"})
    code = data["code"]
    if not isinstance(code, str) or not _FIGURE_CODE.fullmatch(code):
        raise RulesError(f"{FILE} {where}: code {code!r} must look like carried_over")
    spec = book.tables.get(data["table"])
    if spec is None:
        raise RulesError(f"{FILE} {code}: unknown table {data['table']!r}")
    if ("column" in data) == ("row" in data):
        raise RulesError(f"{FILE} {code}: give either column (a sum of rows) or row (a sum of columns)")
    column, row = data.get("column"), data.get("row")
    if column is not None and column not in spec.columns:
        raise RulesError(f"{FILE} {code}: unknown column {column!r} of {spec.id}")
    if row is not None and row not in spec.row_labels:
        raise RulesError(f"{FILE} {code}: unknown row {row!r} of {spec.id}")
    formats = data.get("formats", list(book.formats))
    if not isinstance(formats, list) or not formats or set(map(str, formats)) - set(book.formats):
        raise RulesError(f"{FILE} {code}: formats must be a list of {list(book.formats)}")
    raw = data["sum"]
    if isinstance(raw, dict):
        if set(map(str, raw)) - set(book.formats):
            raise RulesError(f"{FILE} {code}: sum names an unknown format in {sorted(map(str, raw))}")
        sums = {str(f): linear(f"{code}.sum.{f}", s) for f, s in raw.items()}
    else:
        one = linear(f"{code}.sum", raw)
        sums = {f: one for f in book.formats}
    sums = {f: s for f, s in sums.items() if f in set(map(str, formats))}
    ids = spec.row_labels if column is not None else spec.columns
    for lin in sums.values():
        for name in lin.names():
            if not _known(name, ids):
                raise RulesError(f"{FILE} {code}: sum names unknown id {name!r}")
    return Figure(code, _text(f"{code}.label", data["label"]), spec.id, column, row, sums,
                  _flag(f"{code}.brief", data.get("brief", False)))


def _indicator(where: str, data, figures: set[str]) -> Indicator:
    _keys(where, data, {"code", "label", "numerator", "denominator", "summary"}, {"percent", "brief"})
    code = data["code"]
    if not isinstance(code, str) or not _FIGURE_CODE.fullmatch(code):
        raise RulesError(f"{FILE} {where}: code {code!r} must look like open_rate")
    sides = []
    for side in ("numerator", "denominator"):
        lin = linear(f"{code}.{side}", data[side])
        unknown = [n for n in lin.names() if n not in figures]
        if unknown:
            raise RulesError(f"{FILE} {code}: {side} names unknown figures {unknown}")
        sides.append(lin)
    return Indicator(code, _text(f"{code}.label", data["label"]), sides[0], sides[1],
                     _text(f"{code}.summary", data["summary"]), _flag(f"{code}.percent", data.get("percent", False)),
                     _flag(f"{code}.brief", data.get("brief", False)))


def _chart(where: str, data, figures: set[str]) -> Chart:
    _keys(where, data, {"title", "kind", "figures"})
    if data["kind"] not in CHART_KINDS:
        raise RulesError(f"{FILE} {where}: kind must be one of {CHART_KINDS}")
    names = data["figures"]
    if not isinstance(names, list) or not names or set(names) - figures:
        raise RulesError(f"{FILE} {where}: figures must be a list of figure codes")
    return Chart(_text(f"{where}.title", data["title"]), data["kind"], tuple(names))


def _anomaly(where: str, data, book: rulebook.Rulebook) -> Anomaly:
    _keys(where, data, {"code", "severity", "label", "when", "message", "summary"}, {"scope"})
    code = data["code"]
    if not isinstance(code, str) or not _ANOMALY_CODE.fullmatch(code):
        raise RulesError(f"{FILE} {where}: code {code!r} must look like YOY-JUMP")
    if data["severity"] not in SEVERITIES:
        raise RulesError(f"{FILE} {code}: severity must be one of {SEVERITIES}")
    scope = data.get("scope", [])
    if not isinstance(scope, list) or set(scope) - set(book.tables):
        raise RulesError(f"{FILE} {code}: scope must be a list of tables {list(book.tables)}")
    conditions = data["when"]
    if not isinstance(conditions, list) or not conditions:
        raise RulesError(f"{FILE} {code}: when must be a non-empty list of comparisons")
    when = []
    for i, text in enumerate(conditions):
        try:
            comparison = expr.parse(_text(f"{code}.when[{i}]", text))
        except expr.ExprError as e:
            raise RulesError(f"{FILE} {code}.when[{i}]: {e}") from None
        if set(comparison.names()) - ANOMALY_NAMES:
            raise RulesError(f"{FILE} {code}.when[{i}]: only `now` and `prev` may be named")
        when.append(comparison)
    message = _text(f"{code}.message", data["message"])
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(message) if name}
    except ValueError as e:
        raise RulesError(f"{FILE} {code}: message is not a valid template: {e}") from None
    if used - PLACEHOLDERS:
        raise RulesError(f"{FILE} {code}: message uses unknown placeholders {sorted(used - PLACEHOLDERS)}")
    terms = tuple((c.op, c.lhs.coeffs.get("now", 0.0) - c.rhs.coeffs.get("now", 0.0),
                   c.lhs.coeffs.get("prev", 0.0) - c.rhs.coeffs.get("prev", 0.0), c.lhs.const - c.rhs.const)
                  for c in when)
    return Anomaly(code, data["severity"], _text(f"{code}.label", data["label"]), tuple(scope), tuple(when),
                   message, _text(f"{code}.summary", data["summary"]), terms)


def _unique(kind: str, codes: list[str]) -> None:
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise RulesError(f"{FILE}: duplicate {kind} codes {dupes}")


def parse(data, book: rulebook.Rulebook) -> Spec:
    _keys("", data, {"figures", "indicators", "charts", "anomalies"})
    lists = {k: data[k] for k in ("figures", "indicators", "charts", "anomalies")}
    for k, v in lists.items():
        if not isinstance(v, list):
            raise RulesError(f"{FILE} {k}: expected a list")
    figures = tuple(_figure(f"figures[{i}]", d, book) for i, d in enumerate(lists["figures"]))
    codes = {f.code for f in figures}
    indicators = tuple(_indicator(f"indicators[{i}]", d, codes) for i, d in enumerate(lists["indicators"]))
    _unique("figure and indicator", [f.code for f in figures] + [i.code for i in indicators])
    charts = tuple(_chart(f"charts[{i}]", d, codes) for i, d in enumerate(lists["charts"]))
    anomalies = tuple(_anomaly(f"anomalies[{i}]", d, book) for i, d in enumerate(lists["anomalies"]))
    _unique("anomaly", [a.code for a in anomalies])
    labels = {**{f.code: f.label for f in figures}, **{i.code: i.label for i in indicators}}
    return Spec(figures, indicators, charts, anomalies, labels)


@lru_cache(maxsize=8)
def load(book: rulebook.Rulebook | None = None, path: str | None = None) -> Spec:
    """rules/indicators.yaml (or `path`) checked against the rulebook's tables and formats."""
    book = book or rulebook.load()
    source = Path(path) if path else rulebook.rules_dir() / FILE
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise RulesError(f"{FILE}: {e}") from None
    return parse(data, book)
