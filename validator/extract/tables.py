"""extract: Document -> Report. With the document level read (document.py: title, sections,
where each table stands, the format), finds each table's rows by their labels (rules/layout.yaml)
and builds one DataFrame per table on the canonical ids with a parallel map from every cell to
its source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from validator.extract import matching, runtogether
from validator.extract.document import GLUED as _GLUED
from validator.extract.document import Reader, apart
from validator.extract.values import normalize, parse_value
from validator.findings import make, shown
from validator.model import (ABSENT, MISSING, NUMBER, UNDECIDED, UNREADABLE, Cell, Document, Pending, ReadError,
                             Report, Source, Table, Text, Value, number)
from validator.rules import rulebook


@dataclass
class _Split:
    """A row whose digits ran together: its possible readings and what they were made from."""

    found: list  # the certain reading, or the readings consistent with the row identities (up to 2)
    cells: list[Cell]  # the cell each number comes from
    rules: list[str]  # codes of the row identities used
    pieces: list[str]
    constraints: list[list[int]]
    certain: bool = False  # the digits allow one reading only: no identity was used
    readings: int = 0  # readings of the digits alone (up to 2)


@dataclass
class _Group:
    labels: list[tuple[Cell, str]]  # (cell, normalised text)
    values: list[tuple[Cell, Value]]
    prose: Cell | None = None  # a sentence standing between rows
    index: int = -1  # position among the table's groups

    def joined(self) -> str:
        return self.labels[0][1] if len(self.labels) == 1 else "".join(n for _, n in self.labels)

    def shown(self) -> str:
        return " ".join(c.text for c, _ in self.labels)[-60:]

    def first(self) -> Cell | None:
        if self.labels:
            return self.labels[-1][0]
        return self.values[0][0] if self.values else None


_BLANK = Value("blank")
_RUN_UNIT = re.compile(r"(?:万元|元)$")
_ROW_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")  # 一、 （三） 2.
_DIGITS_IN_LABEL = re.compile(r"(?<!^)\d|\d(?![.、．])")  # beyond a leading 1. of the label


def _drop_padding(values: list, expected: int) -> list:
    """Trailing blank cells beyond the row's value count are padding of a wider table."""
    while len(values) > expected and values[-1][1].kind == "blank":
        values = values[:-1]
    return values


class _Extractor(Reader):
    """The document-level reading (document.Reader), then each table's rows and cells."""

    def __init__(self, doc: Document, book: rulebook.Rulebook):
        super().__init__(doc, book)
        self.layout_blanks = matching.layout_blanks(doc.rows, self.values)
        self.spec: rulebook.TableSpec | None = None  # the table being read, and the report's format
        self.fmt: str | None = None

    # -- tables -----------------------------------------------------------------------
    def groups(self, start: int, end: int) -> list[_Group]:
        """Runs of label cells with the values after them; a sentence (prose) ends a run and
        stands as a group of its own, without labels or values."""
        groups: list[_Group] = []
        cur = _Group([], [])
        for i in range(start, end):
            cell, n, v = self.cells[i], self.norm[i], self.values[i]
            if i in self.layout_blanks:
                continue
            if cell.prose:
                if cur.labels or cur.values:
                    groups.append(cur)
                    cur = _Group([], [])
                groups.append(_Group([], [], prose=cell))
                continue
            if v is None:
                if cur.values:
                    groups.append(cur)
                    cur = _Group([], [])
                cur.labels.append((cell, n))
            else:
                cur.values.append((cell, v))
        if cur.labels or cur.values:
            groups.append(cur)
        return groups

    def table(self, spec: rulebook.TableSpec, fmt: str, start: int, end: int) -> Table | None:
        self.spec, self.fmt = spec, fmt
        groups = self.groups(start, end)
        header = next((g.joined() for g in groups if g.values), "")
        layout = spec.layout_for(header)
        specs = [s for s in spec.rows if s.targets(fmt, layout) is not None]
        sources: dict[tuple[str, str], Source] = {}
        matched: dict[str, _Group] = {}
        mixed: list[rulebook.RowSpec] = []
        context: str | None = None
        where = dict(table=spec.id)
        pending: list[Pending] = []  # run-together rows with several readings
        prose: list[tuple[int, Cell]] = []  # sentences among the groups, by group index
        label_only: list = []  # rows printed with a label and no value cells
        detached = False
        unknown: list[tuple[int, _Group]] = []  # rows whose labels match no row of the table
        subtotals: list[tuple[str | None, str | None, _Group]] = []  # (group, row before, 小计 row) a report added
        last: str | None = None  # the row placed last

        def place(gi: int, g: _Group, row, loose: bool, split) -> None:
            nonlocal detached
            c = g.first()
            if row.id in matched and not g.values:
                return  # its label again without values (a note under the table, 注：行政许可…): no second row
            if row.id in matched:
                self.findings.append(make(self.book, "ROW-DUPLICATE", label=self.label(row), row=row.id, line=c.line,
                                          page=c.page, **self.limit(), **where))
                return
            matched[row.id] = g
            g.index = gi
            if loose:
                self.findings.append(make(self.book, "LABEL-LOOSE", label=g.shown(), canonical=row.label, row=row.id,
                                          line=c.line, page=c.page, **where))
            if row.mixed_in.get(fmt):
                mixed.append(row)
            targets = row.targets(fmt, layout)
            values = g.values
            if split is not None:
                values = self.unglued(row, targets, g, split, where)
                if values is None:
                    for key in targets:
                        sources[key] = Source(c, None)
                    if len(split.found) > 1:  # the check stage may settle it by the column identities
                        pending.append(self.pending(row, targets, g, split))
                    return
            values = _drop_padding(values, len(targets))
            if not values and spec.blank_rows and not _DIGITS_IN_LABEL.search(g.labels[-1][1]):
                # the label stands, its value cells do not (digits inside the label: not read)
                values = [(c, _BLANK)] * len(targets)
                label_only.append((row, c, targets))
            detached = detached or (self.copy and len(values) > len(targets))
            if len(values) != len(targets):
                self.findings.append(make(self.book, "ROW-UNREADABLE", label=self.label(row), count=len(values),
                                          expected=len(targets), row=row.id, line=c.line, page=c.page,
                                          **self.limit(), **where))
                for key in targets:
                    sources[key] = Source(c, None)
                return
            garbled = [cell.text for cell, v in values if v.kind == "garbled"]
            for key, (cell, v) in zip(targets, values):
                sources[key] = Source(cell, None if v.kind == "garbled" else v)  # garbled: unread
            if garbled:
                # a PDF's text may be a scan's OCR layer: a reading limit there as in a copy
                limit = self.limit() or (dict(severity="warning", incomplete=True) if self.doc.kind == "pdf" else {})
                self.findings.append(make(self.book, "CELL-GARBLED", label=self.label(row), count=len(garbled),
                                          raw="、".join(f"「{t}」" for t in garbled[:4]) + ("等" if len(garbled) > 4 else ""),
                                          row=row.id, line=c.line, page=c.page, **limit, **where))

        for gi, g in enumerate(groups):
            if g.prose is not None:
                prose.append((gi, g.prose))
                continue
            for _, n in g.labels:
                context = spec.group_of(n) or context
            if spec.subtotal is not None and (context or not spec.groups) and g.values \
                    and spec.subtotal.search(g.labels[-1][1] if g.labels else ""):
                # 表二 has no groups: a block's 合计 after its last row, said, not summed
                subtotals.append((context, last, g))
                continue
            row, loose, split = self.choose(g, specs, spec, fmt, layout, context)
            if row is None:
                unknown.append((gi, g))
                continue
            label_only += self.blank_rows(spec, g, row, specs, fmt, layout, context, matched, sources, gi)
            if "." in row.id:
                context = row.id.split(".")[0]
            place(gi, g, row, loose, split)
            last = row.id
        for gi, g in unknown:
            row = self.continued(gi, g, groups, specs, matched)
            if row is not None:  # the values of a row its label's first part stands for
                targets = row.targets(fmt, layout)
                values = _drop_padding(g.values, len(targets))
                if len(values) == len(targets):
                    sources.update((key, Source(cell, v)) for key, (cell, v) in zip(targets, values))
                    continue
            row = self.by_place(gi, g, specs, matched)
            if row is None:
                self.unmatched(g, where)
                continue
            split = self.split(spec, fmt, row, row.targets(fmt, layout), g) if any(v is _GLUED for _, v in g.values) else None
            place(gi, g, row, True, split)
        self.stray_prose(spec, prose, [g.index for g in matched.values()])
        if detached:  # the label-only rows' values sit under other labels: unread, not blank
            for row, c, targets in label_only:
                self.findings.append(make(self.book, "ROW-DETACHED", label=self.label(row), row=row.id,
                                          line=c.line, page=c.page, **where))
                for key in targets:
                    sources[key] = Source(c, None)
        if not matched:
            return None
        rows, cols = map(list, spec.frame_shape(fmt, layout))
        for m in mixed:
            replaced = set(m.mixed_in[fmt])
            first = next(i for i, r in enumerate(rows) if r in replaced)
            rows = [r for r in rows if r not in replaced]
            rows.insert(first, m.id)
            self.findings.append(make(self.book, "FORMAT-MIXED", table=spec.id, row=m.id,
                                      detail=f"{fmt} 年格式的{spec.name}中「{m.label}」只有一行（{'、'.join(f for f in m.formats if f != fmt) or '旧'} 年格式），未分为 {len(replaced)} 项",
                                      line=matched[m.id].first().line))
        data = np.full((len(rows), len(cols)), np.nan)
        rindex = {r: i for i, r in enumerate(rows)}
        cindex = {c: j for j, c in enumerate(cols)}
        for (r, c), s in sources.items():
            if s.value is not None and s.value.kind == "number" and r in rindex and c in cindex:
                data[rindex[r], cindex[c]] = s.value.number
        index, columns = _index(tuple(rows), "row"), _index(tuple(cols), "column")
        frame = pd.DataFrame(data, index=index, columns=columns)
        state = pd.DataFrame(_states(spec, fmt, rows, cols, sources), index=index, columns=columns)
        table = Table(spec.id, frame, state, sources, self.cells[start - 1] if start > 0 else None, detached, pending)
        for group, before, g in subtotals:
            self.subtotal(spec, table, group, before, g, cols, where)
        for (r, c), s in sources.items():
            if s.value is not None and s.value.unit and s.value.unit != "件":
                scope = f"{spec.name}「{spec.row_label(r, fmt)}」行「{spec.column_label(c, fmt)}」列"
                self.findings.append(make(self.book, "CELL-UNIT", scope=scope, raw=s.cell.text, unit=s.value.unit,
                                          value=shown(s.value.number), row=r, column=c, cells=(table.ref(r, c),),
                                          line=s.cell.line, page=s.cell.page, **where))
        return table

    def compare_repeat(self, spec, fmt: str, table: Table, where: tuple[int, int]) -> None:
        """The table printed again (a 附表): said when a cell read as a number in both differs."""
        said = len(self.findings)
        again = self.table(spec, fmt, *where)
        del self.findings[said:]  # the copy's own reading is not the report's findings
        if again is None:
            return
        both = (table.state == NUMBER) & (again.state.reindex_like(table.state) == NUMBER)
        diff = both & (table.frame != again.frame.reindex_like(table.frame))
        cells = [(r, c) for r in diff.index for c in diff.columns if diff.at[r, c]]
        if cells:
            r, c = cells[0]
            first = again.sources[(r, c)].cell
            self.findings.append(make(
                self.book, "TABLE-REPEAT-DIFFERS", table=spec.id, row=r, column=c, line=first.line, page=first.page,
                count=len(cells), where=first.where(), cell=f"「{spec.row_label(r, fmt)}」行「{spec.column_label(c, fmt)}」列",
                here=shown(table.frame.at[r, c]), there=shown(again.frame.at[r, c]), cells=(table.ref(r, c),)))

    def subtotal(self, spec, table: Table, group: str | None, before: str | None, g: _Group, cols: list[str],
                 where) -> None:
        """A 小计 row after a group's items, outside the format: compared with the group's sum."""
        c = g.first()
        after = spec.drawing.get("groups", {}).get(group, group) + "各项" if group else \
            (spec.row_label(before, self.fmt) if before else spec.name)
        said = dict(group=after, label=g.labels[-1][0].text, line=c.line, page=c.page, **where)
        members = [r for r in table.frame.index if group and r.startswith(group + ".")]
        values: list = []
        for cell, v in g.values:  # `小计 13 4 2 1 2 2 23`: a run whose spaces are cuts
            values += [(cell, parse_value(n)) for n in runtogether.pieces(cell.text)] if v is _GLUED else [(cell, v)]
        values = _drop_padding(values, len(cols))
        reason = None
        if group is None:
            reason = f"{spec.name}各项之间没有规定的合计关系"
        elif len(values) != len(cols) or any(v.kind not in ("number", "blank", "nothing") for _, v in values):
            reason = f"有 {len(values)} 个数值，应为 {len(cols)} 个" if len(values) != len(cols) else "数值未能读取"
        elif not members or table.state.loc[members, cols].isin(UNDECIDED).any().any():
            reason = "该组有未能读取的单元格"
        if reason:
            self.findings.append(make(self.book, "ROW-SUBTOTAL-UNREAD", reason=reason, **said))
            return
        wrong = 0
        for col, (_, v) in zip(cols, values):
            reported = v.number if v.kind == "number" else 0.0
            computed = float(np.nansum(table.frame.loc[members, col].to_numpy()))
            if abs(reported - computed) > 1e-6:
                wrong += 1
                self.findings.append(make(
                    self.book, "ROW-SUBTOTAL-SUM", column=col, cells=tuple(table.ref(r, col) for r in members),
                    reported=shown(reported), computed=shown(computed), diff=shown(abs(reported - computed)),
                    column_label=spec.column_label(col, self.fmt), **said))
        if not wrong:
            self.findings.append(make(self.book, "ROW-SUBTOTAL", **said))

    def choose(self, g: _Group, specs, spec, fmt, layout, context):
        """(row spec, matched loosely, split of glued digits or None) for a run of labels."""
        ranked = self.match(g, specs, fmt, layout, context)
        if not ranked:
            return None, False, None
        if not any(v is _GLUED for _, v in g.values):
            return (*ranked[0], None)
        # Digits ran together, so the value count is unknown. Candidates in order: the row whose
        # label stands right before the digits, else the one taking the most cells (表四's header
        # then its 15 values), else the labels' ranking; the first with one reading is the row.
        last = g.labels[-1][1]
        ranked = sorted(ranked, key=lambda rl: (matching.ends_at(rl[0].patterns, last),
                                                len(rl[0].targets(fmt, layout))), reverse=True)
        first = None
        for row, loose in ranked:
            split = self.split(spec, fmt, row, row.targets(fmt, layout), g)
            if len(split.found) == 1:
                return row, loose, split
            first = first or (row, loose, split)
        return first

    def label(self, row) -> str:
        """A row's label in the report's own format's wording (规范性文件 in 2019)."""
        spec = self.spec
        return spec.row_label(row.id, self.fmt) if row.id in spec.row_labels else row.label

    def limit(self) -> dict:
        """A row a copy does not let us read is a reading limit (incomplete); in the
        publisher's own grid (HTML, DOCX, PDF) it is the report's defect."""
        return dict(severity="warning", incomplete=True) if self.copy else {}

    def blank_rows(self, spec, g: _Group, row, specs, fmt, layout, context, matched, sources, gi) -> list:
        """Label cells before the row's own label that name other rows of their own (a 表三 row
        printed with its label and no value cells, `3.其他（七）总计0000000`): blank cells."""
        found: list = []
        if not spec.blank_rows:
            return found
        for cell, n in g.labels[:-1]:
            if spec.group_of(n):
                continue
            ranked = matching.rank_rows(tuple(specs), fmt, layout, context, n, n, (0, 0))
            if not ranked or ranked[0][1] or ranked[0][0] is row or ranked[0][0].id in matched:
                continue
            other = ranked[0][0]
            matched[other.id] = _Group([(cell, n)], [], index=gi)
            for key in other.targets(fmt, layout):
                sources[key] = Source(cell, _BLANK)
            found.append((other, cell, other.targets(fmt, layout)))
        return found

    def stray_prose(self, spec, prose: list[tuple[int, Cell]], rows: list[int]) -> None:
        """A sentence between a table's first and last rows is not read; said once."""
        inside = [c for gi, c in prose if rows and min(rows) < gi < max(rows)]
        if inside:
            c = inside[0]
            text = c.text if len(c.text) <= 40 else c.text[:40] + "…"
            self.findings.append(make(self.book, "TEXT-IN-TABLE", table=spec.id, text=text, count=len(inside),
                                      line=c.line, page=c.page))

    def continued(self, gi: int, g: _Group, groups: list[_Group], specs, matched: dict) -> rulebook.RowSpec | None:
        """A row broken across a page or table boundary: its label's first part with empty value
        cells, then the label's rest (no number of its own, 情形，不计其他情形）) with the values.
        The row the first part was taken for, or None."""
        if gi == 0 or not g.labels or not any(v.kind == "number" for _, v in g.values):
            return None
        if _ROW_NUMBER.match(g.labels[-1][1]):
            return None  # a numbered label starts a row of its own
        prev = groups[gi - 1]
        if any(v.kind != "blank" for _, v in prev.values):
            return None
        row_id = next((r for r, m in matched.items() if m is prev), None)
        return next((s for s in specs if s.id == row_id), None)

    def by_place(self, gi: int, g: _Group, specs, matched: dict) -> rulebook.RowSpec | None:
        """A label that matches no row (a typo, 属于行政执法案件) standing with values exactly where
        one row is missing between the rows found before and after it is that row."""
        if not g.labels or not g.values:
            return None
        order = {s.id: k for k, s in enumerate(specs)}
        before = [order[r] for r, m in matched.items() if m.index < gi and r in order]
        after = [order[r] for r, m in matched.items() if m.index > gi and r in order]
        lo, hi = max(before, default=-1), min(after, default=len(specs))
        gaps = [s for s in specs[lo + 1:hi] if s.id not in matched and not s.mixed_in]
        return gaps[0] if len(gaps) == 1 and before and after else None

    def unmatched(self, g: _Group, where) -> None:
        """Numbers under an unknown label are an error; a label run with only blanks is skipped
        and said; a run of labels without values (headers) is normal."""
        if not g.values:
            return
        c = g.first()
        spec, label = self.spec, g.labels[-1][1] if g.labels else ""
        other = next((s for s in spec.rows if s.formats and self.fmt not in s.formats
                      and matching.search(s.patterns, label)[0] >= 0), None)
        if other is not None:  # 其他对外管理服务事项 kept from the 2019 template in a 2021 report
            self.findings.append(make(self.book, "ROW-OTHER-FORMAT", label=g.shown(), format=self.fmt,
                                      formats="、".join(other.formats), line=c.line, page=c.page, **where))
            return
        if any(v.kind == "number" or v is _GLUED for _, v in g.values):  # in a copy, maybe the copy's making
            self.findings.append(make(self.book, "ROW-UNKNOWN", label=g.shown(), line=c.line, page=c.page,
                                      **self.limit(), **where))
        else:
            self.findings.append(make(self.book, "ROW-IGNORED", label=g.shown(), line=c.line, page=c.page, **where))

    def split(self, spec, fmt, row, targets, g: _Group) -> _Split:
        """The readings of a row's glued digits: one certain reading (the digits allow no
        other), or the readings the row's identities allow."""
        pieces, cells = [], []
        for cell, v in g.values:
            if v is not _GLUED and (v is None or v.kind != "number"):
                return _Split([], [], [], [], [])
            parts = runtogether.pieces(cell.text) if v is _GLUED else [normalize(cell.text).lstrip("+")]
            pieces += parts
            cells += [cell] * len(parts)
        if not pieces:
            return _Split([], [], [], [], [])
        readings = runtogether.split_run(pieces, len(targets))
        if len(readings) == 1:
            return _Split(readings, cells, [], pieces, [], certain=True)
        rules, constraints = matching.row_constraints(self.book, spec, fmt, targets)
        found = runtogether.split_run(pieces, len(targets), constraints) if readings else []
        return _Split(found, cells, rules, pieces, constraints, readings=len(readings))

    def unglued(self, row, targets, g: _Group, split: _Split, where) -> list[tuple[Cell, Value]] | None:
        """The values of a row whose digits ran together; None when there is no single reading
        (reported, or left to settle() when several readings fit the row)."""
        if len(split.found) == 1:
            return self.recovered(row, targets, g, split, split.found[0], split.rules, where)
        if split.found:
            return None
        digits = "".join(split.pieces).lstrip("+-")
        if not split.readings and set(digits) == {"0"} and len(digits) < len(targets):
            # `0 00000` for seven cells: a cell the copy left empty; every cell is 0 or blank.
            c = g.first()
            self.findings.append(make(self.book, "ROW-SHORT", label=self.label(row), count=len(digits),
                                      expected=len(targets), row=row.id, line=c.line, page=c.page, **where))
            return [(split.cells[0], Value("number", 0.0))] * len(targets)
        if split.readings:
            self.glued(row, g, f"没有一种拆分符合{'、'.join(split.rules)}", where,
                       runtogether.split_run(split.pieces, len(targets), limit=runtogether.MAX_READINGS + 1))
        else:
            self.glued(row, g, f"拆不出 {len(targets)} 个数值", where)
        return None

    def glued(self, row, g: _Group, reason: str, where, readings: list | None = None) -> None:
        c = g.first()
        raw = " ".join(cell.text for cell, _ in g.values)
        if readings:
            reason += runtogether.describe(readings)
        self.findings.append(make(self.book, "ROW-GLUED", label=self.label(row), raw=raw, reason=reason,
                                  row=row.id, line=c.line, page=c.page, **where))

    def recovered(self, row, targets, g: _Group, split: _Split, numbers, rules, where) -> list[tuple[Cell, Value]]:
        if not split.certain and len(split.cells) < len(targets):  # identities chose among readings
            c = g.first()
            raw = " ".join(cell.text for cell, _ in g.values)
            columns = len(rules) > len(split.rules)  # column identities settled it too
            note = "这些核对对该行不再独立进行" if columns else "该行的这项核对不再独立进行（列向核对照常进行）"
            self.findings.append(make(self.book, "ROW-RECOVERED", label=self.label(row), raw=raw,
                                      values="、".join(str(n) for n in numbers), rules="、".join(rules) or "数值个数",
                                      note=note, row=row.id, line=c.line, page=c.page, **where))
        unit = _RUN_UNIT.search(split.cells[-1].text)
        last = len(numbers) - 1
        return [(split.cells[0], _number(n, unit.group() if unit and k == last else None)) for k, n in enumerate(numbers)]

    def pending(self, row, targets, g: _Group, split: _Split) -> Pending:
        readings = runtogether.split_run(split.pieces, len(targets), split.constraints, limit=runtogether.MAX_READINGS)
        unit = _RUN_UNIT.search(split.cells[-1].text)
        return Pending(row.id, self.label(row), targets, [tuple(r) for r in readings], split.cells[0], g.first(),
                       " ".join(cell.text for cell, _ in g.values), list(split.rules), unit.group() if unit else None)

    def match(self, g: _Group, specs, fmt, layout, context) -> tuple[tuple[rulebook.RowSpec, bool], ...]:
        if not g.labels:
            return ()
        filled = len(g.values)
        while filled and g.values[filled - 1][1].kind == "blank":  # a trailing empty grid row may be layout
            filled -= 1
        return matching.rank_rows(tuple(specs), fmt, layout, context, g.labels[-1][1], g.joined(),
                                  (filled, len(g.values)))



@lru_cache(maxsize=4096)  # Values are immutable: the same small numbers recur in every row
def _number(n: int | float, unit: str | None) -> Value:
    return number(n, unit)


def _states(spec, fmt: str, rows: list[str], cols: list[str], sources) -> np.ndarray:
    """What each cell is: as written (number, blank, nothing), unreadable, missing or absent."""
    exists = spec.cells_in(fmt, rows, cols)
    out = np.empty((len(rows), len(cols)), dtype=object)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            src = sources.get((r, c))
            if src is not None:
                out[i, j] = UNREADABLE if src.value is None else src.value.kind
            else:
                out[i, j] = MISSING if (r, c) in exists else ABSENT
    return out


@lru_cache(maxsize=256)
def _index(ids: tuple[str, ...], name: str) -> pd.Index:
    return pd.Index(ids, name=name)  # immutable, so shared by every frame of the same shape


def extract(doc: Document, book: rulebook.Rulebook | None = None) -> Report:
    """Raise ReadError for a file that is not a report of a supported format."""
    book = book or rulebook.load()
    if doc.kind == "text":
        doc = _bodies(doc, book)
    return _extract(doc, book)


def _bodies(doc: Document, book: rulebook.Rulebook) -> Document:
    """Text cells longer than any label or heading (a crawler's page body on one line, a
    paragraph), or a label with its digits run on (`（七）总计690020469`), read as headings,
    table labels, value runs and prose."""
    def body(c: Cell, alone: bool) -> bool:  # a line's only cell may run on; a row's cells are cut already
        return len(c.text) > runtogether.LONG_CELL or (alone and runtogether.RUN_ON.search(c.text) is not None)

    if not any(body(c, len(row) == 1) for row in doc.rows for c in row):
        return doc
    vocab = runtogether.vocabulary(book)
    out = Document(path=doc.path, kind=doc.kind)
    for row in doc.rows:
        if not any(body(c, len(row) == 1) for c in row):
            out.rows.append(row)
            continue
        for cell in row:
            out.rows.extend([c] for c in (runtogether.tokenize(cell, vocab) if body(cell, len(row) == 1) else [cell]))
    return out


def _extract(doc: Document, book: rulebook.Rulebook) -> Report:
    ex = _Extractor(doc, book)
    full = "".join(ex.norm)
    if "政府信息公开" not in full and "政务公开" not in full:
        raise ReadError("不是政府信息公开工作年度报告（全文未出现“政府信息公开”）")
    year, office = ex.title(full)
    heads = ex.headings()
    restarts = ex.restarts(heads)
    if restarts:  # the first report checked alone; the file is said to hold more, unless copies of it
        other = next((r for r in restarts if not ex.copy_of_first(r, heads)), None)
        if other is not None:
            c = ex.cells[other]
            text = c.text if len(c.text) <= 40 else c.text[:40] + "…"
            ex.findings.append(make(book, "DOC-MORE-REPORTS", line=c.line, page=c.page, where=f"{c.where()}「{text}」"))
        ex.cut(restarts[0])
        heads = [(i, key) for i, key in heads if i < restarts[0]]
    regions = apart({tid: ex.region(spec, heads) for tid, spec in book.tables.items()})
    fmt = ex.detect_format(regions)
    first = min(lo for lo, _ in book.format_years.values())
    old = fmt is None and any(m in full for m in book.old_markers)
    if fmt is None and not heads and not old:  # e.g. a site's list of its reports: titles, no report
        raise ReadError("不是政府信息公开工作年度报告（未找到年度报告的章节和表格）")
    if year is not None and year < first or old:
        supported = "、".join(f"{f} 年" for f in book.formats)
        raise ReadError(f"{year or first - 1} 年及以前的年度报告采用旧格式，不在检查范围内（仅支持 {supported}格式）")
    report = Report(doc.path, fmt, year, office=office)

    def missing(tid, spec) -> None:
        detail = "未找到表格内容（表格可能以图片形式发布，或报告未列出此表）" if regions[tid] or any(k == spec.section for _, k in heads) \
            else f"未找到标题「{spec.title}」及表格"
        ex.findings.append(make(book, "TABLE-MISSING", table=tid, title=spec.title, detail=detail))

    if fmt is None:
        ex.findings.append(make(book, "FORMAT-UNKNOWN"))
        for tid, spec in book.tables.items():  # the tables with no value at all, as when the format is known
            r = regions[tid]
            if r is None or not any(v is not None and v.kind in ("number", "glued") for v in ex.values[r[0]:r[1]]):
                missing(tid, spec)
        report.findings = ex.findings
        return report
    if year is None:
        ex.findings.append(make(book, "YEAR-UNKNOWN"))
    else:
        lo, hi = book.format_years[fmt]
        if year < (lo or 0) or (hi is not None and year > hi):
            expected = next(f for f, (a, b) in book.format_years.items() if year >= (a or 0) and (b is None or year <= b))
            ex.findings.append(make(book, "FORMAT-YEAR", year=year, format=fmt, expected=expected))
    for tid, spec in book.tables.items():
        r = regions[tid]
        table = ex.table(spec, fmt, *r) if r else None
        if table is None:
            missing(tid, spec)
        else:
            report.tables[tid] = table
            for where in ex.repeats.get(tid, []):
                ex.compare_repeat(spec, fmt, table, where)
    report.text = Text(ex.cells, ex.norm, heads, regions)  # for the document checks
    report.findings = ex.findings
    return report
