"""extract, the document level: a report's title (year and office), its section headings,
where each table stands (and is printed again), its format, and where further reports in the
same file begin. Shared by the table reading in tables.py, which builds on `Reader`."""

from __future__ import annotations

import re

from validator.extract.values import normalize, parse_value
from validator.findings import Finding, make
from validator.model import Document, Value
from validator.rules import rulebook

GLUED = Value("glued")  # a run of digits that still has to be split (tables.py splits it)
MAX_HEADER_CELL = 30  # a table's header cell is short; a longer label cell is a sentence or a row label


def _year(title: re.Match) -> int:
    """The year of a title match (rules/layout.yaml `title`: the year before the words, or after
    them in brackets)."""
    return int(title.group("year") or title.group("year2"))


def _before(title: re.Match) -> str:
    return title.group("before") or title.group("office2") or ""


class Reader:
    def __init__(self, doc: Document, book: rulebook.Rulebook):
        self.doc, self.book = doc, book
        self.cells = doc.cells()
        self.norm = [normalize(c.text) for c in self.cells]
        self.values = [GLUED if c.glued else parse_value(n) for c, n in zip(self.cells, self.norm)]
        self.copy = doc.kind == "text"  # a scraped or converted copy, not the publisher's own grid
        self.findings: list[Finding] = []
        self.repeats: dict[str, list[tuple[int, int]]] = {}  # per table, other places it is printed in full

    def title(self, full: str) -> tuple[int | None, str | None]:
        """The report's year and issuing office, from its title: of the titles near the top, one
        of the year the text speaks of most (a sidebar lists other years' reports); a cell that is
        the whole title wins over page chrome that quotes it (标题：…); a title over two lines
        (洪泽区人民政府 / 2023 年政府信息公开工作年度报告) takes the office from the line before."""
        titles = [(i, m) for i, n in enumerate(self.norm[:80])
                  if (m := self.book.title.search(n, 0, 300))]  # a title opens its cell; a body cell is long
        years = {_year(m) for _, m in titles}
        if len(years) > 1:
            mentions = {y: full.count(f"{y}年") for y in years}
            titles = [(i, m) for i, m in titles if mentions[_year(m)] == max(mentions.values())]
        found = None
        for i, m in titles:
            n = self.norm[i]
            whole = m.start() == 0 and m.end() == len(n)
            if found is None or (whole and (not found[2] or len(_before(m)) < len(_before(found[1])))):
                found = (i, m, whole)  # chrome quoting the title (标题 …) adds to its front
        if found is not None:
            found = found[:2]
        if found is None:
            m = self.book.title.search("".join(self.norm[:12]))
            found = (None, m) if m else None
        if found is None:
            return None, None
        i, m = found
        office = (m.group("after") or _before(m)).strip("【】[]《》“”\"'()")
        if not office and i:
            prev = self.norm[i - 1]
            office = prev if len(prev) <= 30 and not any(ch.isdigit() for ch in prev) else ""
        return _year(m), office or None

    def headings(self) -> list[tuple[int, str]]:
        out = []
        limit = self.book.max_heading_chars
        for i, (c, n, v) in enumerate(zip(self.cells, self.norm, self.values)):
            if v is not None or c.prose or len(n) > limit or "。" in n.rstrip("。"):  # a sentence, not a heading
                continue
            m = self.book.any_heading.search(n)
            if m:
                out.append((i, m.lastgroup))
        return out

    def restarts(self, heads: list[tuple[int, str]]) -> list[int]:
        """Where further reports start in the same file (an office's report and its unit's on one
        page): their sections begin again after a report's tables, at the title if one stands
        just before. Empty for one report (a table of contents repeats the headings, no values)."""
        out: list[int] = []
        start = next((i for i, key in heads if key == "overview"), None)
        seen: set[str] = set()
        for i, key in heads:
            if key == "overview" and start is not None and i > start and {"requests", "review"} & seen \
                    and sum(1 for v in self.values[start:i] if v is not None and v.kind == "number") >= 20:
                title = next((k for k in range(i - 1, max(start, i - 12), -1) if self.book.title.search(self.norm[k], 0, 300)), None)
                out.append(title if title is not None else i)
                start, seen = i, set()
            seen.add(key)
        return out

    def copy_of_first(self, start: int, heads: list[tuple[int, str]]) -> bool:
        """Whether the report from `start` on is the first one again (a hidden print copy): nine
        in ten of the first one's cells, from 一、总体情况 on, the same in order."""
        first = next(i for i, key in heads if key == "overview")
        again = next(i for i, key in heads if key == "overview" and i >= start)
        end = next((i for i, key in heads if key == "overview" and i > first), start)
        a = self.norm[first:min(end, start)]
        b = self.norm[again:again + len(a)]
        return len(b) >= 0.9 * len(a) and sum(x == y for x, y in zip(a, b)) >= 0.9 * len(a)

    def cut(self, end: int) -> None:
        """Read only the cells before `end`."""
        self.cells, self.norm, self.values = self.cells[:end], self.norm[:end], self.values[:end]

    def region(self, spec: rulebook.TableSpec, heads: list[tuple[int, str]]) -> tuple[int, int] | None:
        """Cell range of a table: from a heading of its section to the next heading; of several
        candidates (a table of contents repeats the headings) the one holding most values wins."""
        starts = [i for i, key in heads if key == spec.section]
        if not starts:
            # a short cell, or in a text copy a header run of table words (never prose)
            starts = [i for i, (c, n) in enumerate(zip(self.cells, self.norm))
                      if (len(n) <= 60 or self.copy and len(n) <= 200 and not c.prose)
                      and any(a in n for a in spec.anchors)][:1]
            # and the header cells right before that anchor (表四's 行政复议 行政诉讼 结果维持 … over
            # 未经复议直接起诉): short label cells back to a value or a heading
            heading_at = {i for i, _ in heads}
            for k, s in enumerate(starts):
                while s > 0 and s - 1 not in heading_at and self.values[s - 1] is None \
                        and len(self.norm[s - 1]) <= MAX_HEADER_CELL and not self.cells[s - 1].prose and starts[k] - s < 40:
                    s -= 1
                starts[k] = s
            starts = [s - 1 for s in starts]
        best, best_count, found = None, 0, []
        for s in starts:
            # A heading of the same section (a caption like 表二：主动公开政府信息情况) does not end it.
            end = next((i for i, key in heads if i > s and key != spec.section), len(self.cells))
            count = sum(1 for v in self.values[s + 1:end] if v is not None)
            found.append(((s + 1, end), count))
            if count > best_count:
                best, best_count = (s + 1, end), count
        # the same table again elsewhere (a 附表 repeating it), as full as the one read
        self.repeats[spec.id] = [r for r, n in found if r != best and n >= max(10, 0.8 * best_count)]
        return best

    def detect_format(self, regions: dict[str, tuple[int, int] | None]) -> str | None:
        def text(tid):
            r = regions.get(tid)
            return "".join(self.norm[r[0]:r[1]]) if r else ""
        t2 = text("t2")
        hits = {f: sum(1 for m in marks if normalize(m) in t2) for f, marks in self.book.format_markers.items()}
        seen = [f for f in hits if hits[f]]
        if len(seen) > 1:
            found = {f: [m for m in self.book.format_markers[f] if normalize(m) in t2] for f in seen}
            self.findings.append(make(self.book, "FORMAT-MIXED", table="t2", detail="表头同时有" + "和".join(
                f"{f} 年格式（{'、'.join(found[f])}）" for f in seen)))
        ranked = sorted(hits.values(), reverse=True)
        if ranked[0] and (len(ranked) == 1 or ranked[0] != ranked[1]):
            return max(hits, key=hits.get)
        t3 = text("t3")  # 表二 missing, or as much of each format: 表三's （六） rows tell
        for fmt in reversed(self.book.formats):  # the newest format's markers first
            if any(normalize(m) in t3 for m in self.book.t3_markers[fmt]):
                return fmt
        return None


def apart(regions: dict[str, tuple[int, int] | None]) -> dict[str, tuple[int, int] | None]:
    """A table ends where the next one starts, also when a section heading between them was not
    recognised (三、政府信息公开申请办理情况): 表三's rows never fall into 表二."""
    out = {}
    for tid, r in regions.items():
        if r is not None:
            later = [o[0] for o in regions.values() if o is not None and o[0] > r[0]]
            r = (r[0], min([r[1], *later]))
        out[tid] = r
    return out
