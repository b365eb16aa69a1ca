"""Year over year: an office's reports of consecutive years side by side, every key figure's and
every 表三/表四 cell's change and ratio, and the anomalies of rules/indicators.yaml.

The cells of a pair are compared as arrays (numpy) and listed only when asked (`Pair.cells()`),
so 3,000 reports do not hold half a million comparisons."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from validator.findings import TABLE_NAMES, Finding, shown
from validator.overview.collect import Row
from validator.overview.figures import CELL_TABLES
from validator.overview.spec import Anomaly, Spec

CROSS_YEAR = "XY-"  # lint's own cross-year findings (rules/crossyear.yaml): the later report carries them


@dataclass(frozen=True)
class Change:
    label: str  # 本年新收, or 表三「（一）予以公开」行「总计」列
    prev: float | None
    now: float | None
    figure: str | None = None  # a key figure's code ...
    cell: tuple[str, str, str] | None = None  # ... or a cell: (table, row, column)

    @property
    def change(self) -> float | None:
        return None if self.prev is None or self.now is None else self.now - self.prev

    @property
    def ratio(self) -> float | None:
        return None if self.prev is None or self.now is None or self.prev == 0 else self.now / self.prev


@dataclass(frozen=True)
class Flag:
    """An anomaly raised on a figure or cell of the later year."""

    code: str
    severity: str
    message: str
    office: str
    year: int
    path: str
    item: Change


@dataclass
class Pair:
    office: str
    prev: Row
    now: Row
    figures: list[Change]
    anomalies: list[Flag] = field(default_factory=list)
    book: object = field(default=None, repr=False)

    @property
    def year(self) -> int | None:
        return self.now.result.year

    @property
    def prev_year(self) -> int | None:
        return self.prev.result.year

    @property
    def crossyear(self) -> list[Finding]:
        """Lint's cross-year findings of the later report (carry-over chain, copied tables)."""
        return [f for f in self.now.result.findings if f.code.startswith(CROSS_YEAR)]

    def cells(self, changed_only: bool = False):
        """Every 表三/表四 cell both reports have, as Changes (table, row and column order)."""
        for tid in CELL_TABLES:
            for (r, c), prev, now in _aligned(self.prev.figures, self.now.figures, tid):
                if changed_only and prev == now:
                    continue
                yield Change(cell_label(self.book, tid, r, c, self.now.result.format), prev, now, cell=(tid, r, c))


def cell_label(book, tid: str, row: str, column: str, fmt: str | None) -> str:
    spec = book.tables[tid]
    return f"{TABLE_NAMES[tid]}「{spec.row_label(row, fmt)}」行「{spec.column_label(column, fmt)}」列"


def _number(v: float) -> float | None:
    return None if math.isnan(v) else float(v)


def _arrays(prev: dict, now: dict, tid: str):
    """(cell keys, values in prev, values in now) of every cell of table `tid` both records
    have, in the later report's table order; None when one of them lacks the table."""
    import numpy as np

    if tid not in prev["cells"] or tid not in now["cells"]:
        return None
    prows, pcols, pvals = prev["cells"][tid]
    nrows, ncols, nvals = now["cells"][tid]
    keys, pidx, nidx = _common(prows, pcols, nrows, ncols)
    return keys, np.frombuffer(pvals, dtype=float)[pidx], np.frombuffer(nvals, dtype=float)[nidx]


def _aligned(prev: dict, now: dict, tid: str):
    """((row, column), prev, now) of every cell of table `tid` present in both records."""
    got = _arrays(prev, now, tid)
    if got is not None:
        keys, p, n = got
        for key, a, b in zip(keys, p.tolist(), n.tolist()):
            yield key, _number(a), _number(b)


@lru_cache(maxsize=64)
def _common(prows, pcols, nrows, ncols) -> tuple:
    """The cells two table shapes share: their (row, column) keys, positions in prev and in now."""
    import numpy as np

    pr, pc = {r: i for i, r in enumerate(prows)}, {c: j for j, c in enumerate(pcols)}
    cells = [((r, c), pr[r] * len(pcols) + pc[c], i * len(ncols) + j)
             for i, r in enumerate(nrows) if r in pr for j, c in enumerate(ncols) if c in pc]
    return (tuple(k for k, _, _ in cells), np.array([p for _, p, _ in cells], dtype=int),
            np.array([n for _, _, n in cells], dtype=int))


# -- anomalies ----------------------------------------------------------------------------------

EPS = 1e-9  # 0.2 * 50 is 10.000000000000002


def _test(op: str, d):
    """d OP 0, within EPS; d a number or a numpy array."""
    if op == "==":
        return abs(d) <= EPS
    if op == "!=":
        return abs(d) > EPS
    if op in ("<=", "<"):
        return d <= EPS if op == "<=" else d < -EPS
    return d >= -EPS if op == ">=" else d > EPS


def _holds(rule: Anomaly, prev, now):
    """Whether every condition of the rule holds; prev and now numbers or numpy arrays."""
    ok = True
    for op, a, b, c in rule.terms:
        ok = ok & _test(op, a * now + b * prev + c)
    return ok


def marks(spec: Spec, item: Change) -> list[str]:
    """The codes of the anomaly rules a change meets, also where the anomaly is said once for
    another item (for marking every changed cell in a comparison)."""
    if item.prev is None or item.now is None:
        return []
    return [a.code for a in spec.anomalies
            if (item.figure is not None or item.cell[0] in a.scope) and _holds(a, item.prev, item.now)]


def _flag(rule: Anomaly, pair: Pair, item: Change) -> Flag:
    ratio = item.ratio
    message = rule.message.format(item=item.label, year=pair.year, prev_year=pair.prev_year, now=shown(item.now),
                                  prev=shown(item.prev), change=shown(item.change),
                                  ratio="—" if ratio is None else shown(round(ratio, 2)))
    return Flag(rule.code, rule.severity, message, pair.office, pair.year, pair.now.result.path, item)


def anomalies(spec: Spec, pair: Pair) -> list[Flag]:
    """Every anomaly of the pair: on the key figures, then on the cells of each rule's scope
    (总计 column first). A change is said once: a cell that is exactly a key figure, or whose
    two values are those of an item the same rule already flagged (the 总计 cell of a row whose
    applications all came from natural persons, the one row of a group), is not said again."""
    import numpy as np

    out = []
    fmt = pair.now.result.format
    as_figure = {f.single_cell(fmt) for f in spec.figures} - {None}
    for rule in spec.anomalies:
        said = set()
        for item in pair.figures:
            if item.prev is not None and item.now is not None and _holds(rule, item.prev, item.now):
                out.append(_flag(rule, pair, item))
                said.add((item.prev, item.now))
        for tid in rule.scope:
            got = _arrays(pair.prev.figures, pair.now.figures, tid)
            if got is None:
                continue
            keys, p, n = got
            with np.errstate(invalid="ignore"):
                hits = np.flatnonzero(~np.isnan(p) & ~np.isnan(n) & _holds(rule, p, n))
            for i in sorted(hits.tolist(), key=lambda i: keys[i][1] != "total"):
                (r, c), prev, now = keys[i], float(p[i]), float(n[i])
                if (tid, r, c) in as_figure or (prev, now) in said:
                    continue
                item = Change(cell_label(pair.book, tid, r, c, fmt), prev, now, cell=(tid, r, c))
                out.append(_flag(rule, pair, item))
                said.add((prev, now))
    return out


# -- pairs --------------------------------------------------------------------------------------

def compare(book, spec: Spec, prev: Row, now: Row, office: str | None = None) -> Pair:
    """Two reports side by side (of one office, the earlier first), with their anomalies."""
    pf, nf = prev.figures["figures"], now.figures["figures"]
    items = [Change(f.label, pf.get(f.code), nf.get(f.code), figure=f.code) for f in spec.figures]
    pair = Pair(office or now.result.office or prev.result.office or "", prev, now, items, book=book)
    pair.anomalies = anomalies(spec, pair)
    return pair


def offices(rows: list[Row]) -> dict[str, list[Row]]:
    """Each office's readable reports by year (a year with two reports of one office, which lint
    flags as XY-DUPLICATE, is left out), keyed by the office's name in its latest report. An
    office written longer or shorter (淮安市洪泽区人民政府, 洪泽区人民政府) is one office, as in lint."""
    from validator.check.crossyear import office_key

    readable = [r for r in rows if r.figures is not None and r.result.office and r.result.year]
    keys = office_key([r.result for r in readable])
    grouped: dict[str, dict[int, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for r in readable:
        name = r.result.facts.office if r.result.facts is not None else r.result.office
        grouped[keys.get(name, name)][r.result.year].append(r)
    out = {}
    for years in grouped.values():
        series = [rs[0] for _, rs in sorted(years.items()) if len(rs) == 1]
        if series:
            out.setdefault(series[-1].result.office, []).extend(series)
    return dict(sorted(out.items()))


def pairs(book, spec: Spec, by_office: dict[str, list[Row]]) -> list[Pair]:
    """Every pair of consecutive years of each office, office by office, oldest first."""
    out = []
    for office, series in by_office.items():
        for prev, now in pairwise(series):
            if now.result.year == prev.result.year + 1:
                out.append(compare(book, spec, prev, now, office))
    return out
