"""The HTML report, for the clerk who prepares an office's annual report (not a programmer).

One self-contained HTML5 page (inline CSS, no scripts, no external references) that opens
offline and prints on A4: per report the verdict, the report's own tables drawn as the official
grids with the values as written, the cells of every finding marked (errors and warnings told
apart by border style and a sign, not by colour alone), the most likely wrong cell with its
suggested value ("应为 12"), and the findings in plain Chinese below their table, linked both ways.

Everything that comes from a report (paths, office names, cell text, messages) and from the
rulebook (labels) is escaped; ids and anchors are built from integers only.

render(results, book) draws the reports the run kept (re-reading a file only when a result has none);
render_reports(items, book) takes (FileResult, Report | None) pairs from memory (a web app)."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass

from validator.findings import CellRef, FileResult, Finding, number, shown
from validator.report.summary import STATUS_WORDS, summarize, summary_text

SEVERITY_WORD = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_SIGN = {"error": "✗", "warning": "!", "info": "i"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
STATUS_WORD = STATUS_WORDS
STATUS_SIGN = {"pass": "✓", "fail": "✗", "incomplete": "◐", "error": "?"}

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def esc(value) -> str:
    """Text from a report or the rules, safe in element content and in quoted attributes."""
    return html.escape(_INVALID.sub("\ufffd", str(value)), quote=True)


# -- entry points -------------------------------------------------------------------------------

def render(results: list[FileResult], book=None, suppressed: int = 0, stale=(), **_) -> str:
    """The page for a run: each report's tables drawn from the report the run kept with its
    result (pipeline.execute(keep_reports=True)); no file is read here."""
    return render_reports([(r, r.report) for r in results], book, suppressed=suppressed, stale=stale)


def render_reports(items, book=None, suppressed: int = 0, stale=()) -> str:
    """The page for (FileResult, Report | None) pairs; None for a file that could not be read."""
    if book is None:
        from validator.rules import rulebook

        book = rulebook.load()
    items = list(items)
    results = [r for r, _ in items]
    views = [_ReportView(n, r, rep, book) for n, (r, rep) in enumerate(items, 1)]
    if len(views) == 1:
        v = views[0]
        title = f"{v.heading()} 核对结果"
    else:
        title = f"政府信息公开工作年度报告核对结果（{len(views)} 个文件）"
    out = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8"/>\n',
           '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n',
           f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"]
    out.append('<header class="page-head">\n<h1>政府信息公开工作年度报告核对结果</h1>\n')
    out.append(f'<p class="run">{esc(summary_text(results, suppressed))}</p>\n')
    if stale:
        out.append(f'<p class="run">基线中有 {len(stale)} 项已不再出现，可从基线中删除。</p>\n')
    out.append(LEGEND)
    out.append("</header>\n")
    if len(views) > 1:
        out.append(_summary_list(views))
    for v in views:
        out.append(v.render())
    out.append("</body>\n</html>\n")
    return "".join(out)


def _summary_list(views: list[_ReportView]) -> str:
    s = summarize([v.result for v in views])
    out = ['<nav class="summary" aria-label="文件列表">\n<h2>文件一览</h2>\n',
           f'<p>共 {s["files"]} 个文件：通过 {s["passed"]} 个，未通过 {s["failed"]} 个，'
           f'部分未核对 {s["incomplete"]} 个，无法读取 {s["errors"]} 个。点击文件名查看该报告。</p>\n',
           '<table class="files">\n<thead><tr><th scope="col">文件</th><th scope="col">报告</th>'
           '<th scope="col">结果</th><th scope="col">错误</th><th scope="col">警告</th><th scope="col">提示</th>'
           "</tr></thead>\n<tbody>\n"]
    for v in views:
        st = v.result.status
        c = v.counts()
        out.append(f'<tr class="file st-{st}"><td><a href="#{v.anchor}">{esc(v.result.path)}</a></td>'
                   f"<td>{esc(v.heading(with_path=False))}</td>"
                   f'<td><span class="badge st-{st}">{STATUS_SIGN[st]} {STATUS_WORD[st]}</span></td>'
                   + "".join(f'<td class="n">{"—" if st == "error" else c[sev]}</td>' for sev in SEVERITY_WORD)
                   + "</tr>\n")
    out.append("</tbody>\n</table>\n</nav>\n")
    return "".join(out)


# -- grids ----------------------------------------------------------------------------------------

@dataclass
class _Head:
    """A label cell of a grid (header or row label)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    cls: str = ""
    scope: str = ""
    row: str | None = None  # a row label: findings about the whole row link here


@dataclass
class _Val:
    """A value cell of a grid: the frame cell (row, column)."""

    row: str
    column: str
    colspan: int = 1


@dataclass
class _Absent:
    """A position the format does not have (only in grids without a known layout)."""


def _column_heads(paths: list[list[str]], depth: int) -> list[list[_Head]]:
    """Header rows for columns labelled by paths (outermost first): a group spans its adjacent
    columns, a leaf reaches down to the last header row."""
    rows: list[list[_Head]] = [[] for _ in range(depth)]
    for level in range(depth):
        j = 0
        while j < len(paths):
            p = paths[j]
            if len(p) - 1 < level:
                j += 1
                continue
            if len(p) - 1 == level:
                rows[level].append(_Head(p[level], rowspan=depth - level, scope="col"))
                j += 1
                continue
            k = j + 1
            while k < len(paths) and len(paths[k]) - 1 > level and paths[k][:level + 1] == p[:level + 1]:
                k += 1
            rows[level].append(_Head(p[level], colspan=k - j, scope="colgroup", cls="group"))
            j = k
    return rows


def _row_heads(paths: list[list[str]], rows: list[str], depth: int) -> list[list[_Head]]:
    """Label cells per body row for rows labelled by paths: a group spans its adjacent rows,
    a leaf reaches across to the last label column."""
    out: list[list[_Head]] = [[] for _ in paths]
    for level in range(depth):
        i = 0
        while i < len(paths):
            p = paths[i]
            if len(p) - 1 < level:
                i += 1
                continue
            if len(p) - 1 == level:
                out[i].append(_Head(p[level], colspan=depth - level, scope="row", cls="rl", row=rows[i]))
                i += 1
                continue
            k = i + 1
            while k < len(paths) and len(paths[k]) - 1 > level and paths[k][:level + 1] == p[:level + 1]:
                k += 1
            out[i].append(_Head(p[level], rowspan=k - i, scope="rowgroup", cls="rl group"))
            i = k
    return out


def _tree_grid(corner: str, col_paths, row_paths, rows, cells) -> tuple[list[list], list[list]]:
    """(header rows, body rows): labels merged like the official forms; `cells[i]` are the
    value cells of body row i."""
    hdepth = max((len(p) for p in col_paths), default=0)
    ldepth = max((len(p) for p in row_paths), default=0)
    head = _column_heads(col_paths, hdepth)
    if ldepth and hdepth:
        head[0].insert(0, _Head(corner, colspan=ldepth, rowspan=hdepth, cls="corner"))
    labels = _row_heads(row_paths, rows, ldepth)
    return head, [lab + list(vals) for lab, vals in zip(labels, cells)]


def _grid(book, tid: str, table, fmt: str | None) -> tuple[list[list], list[list]]:
    spec = book.tables[tid]
    frame = table.frame
    rows, cols = list(frame.index), list(frame.columns)
    exists = _exists(book, tid, fmt, table)

    def rlabel(r):
        return spec.row_label(r, fmt)

    def clabel(c):
        return spec.column_label(c, fmt)

    if tid == "t2":
        return _blocks(spec.drawing, rows, cols, exists, rlabel, clabel)
    if tid == "t3":
        d = spec.drawing  # rules/layout.yaml: the grid's own headings
        col_paths = [[d["applicants"], clabel(c)] if c in d["own_columns"] else [d["applicants"], d["organisations"], clabel(c)]
                     for c in cols]
        row_paths = []
        for r in rows:
            if r in d["outside_outcome"]:
                row_paths.append([rlabel(r)])
                continue
            group = r.split(".", 1)[0] if "." in r else None
            row_paths.append([d["outcome"], *([d["groups"][group]] if group in d["groups"] else []), rlabel(r)])
        cells = [[_Val(r, c) if (r, c) in exists else _Absent() for c in cols] for r in rows]
        return _tree_grid(d["note"], col_paths, row_paths, rows, cells)
    if tid == "t4":
        # The official form: one row of values under 行政复议 | 行政诉讼（未经复议直接起诉 | 复议后起诉）.
        keys = [(r, c) for r in rows for c in cols if (r, c) in exists]
        col_paths = [[*rlabel(r).split("·"), clabel(c)] for r, c in keys]
        return _tree_grid("", col_paths, [[]], [None], [[_Val(r, c) for r, c in keys]])
    cells = [[_Val(r, c) if (r, c) in exists else _Absent() for c in cols] for r in rows]
    return _tree_grid("", [[clabel(c)] for c in cols], [[rlabel(r)] for r in rows], rows, cells)


def _blocks(drawing, rows, cols, exists, rlabel, clabel) -> tuple[list[list], list[list]]:
    """表二 as its blocks: a heading row (第二十条第（X）项), the block's own header row, its rows;
    only the cells the format has."""
    have = {r: [c for c in cols if (r, c) in exists] for r in rows}
    width = max((len(v) for v in have.values()), default=1) or 1
    blocks: list[list[str]] = []
    for r in rows:
        if not have[r]:
            continue
        if not blocks or r in drawing["blocks"] or have[r] != have[blocks[-1][0]]:
            blocks.append([r])
        else:
            blocks[-1].append(r)
    body: list[list] = []
    for block in blocks:
        title = drawing["blocks"].get(block[0])
        if title:
            body.append([_Head(title, colspan=width + 1, cls="block", scope="colgroup")])
        bcols = have[block[0]]
        spans = [1] * (len(bcols) - 1) + [width - len(bcols) + 1]
        body.append([_Head(drawing["content"], scope="col", cls="colhead")]
                    + [_Head(clabel(c), colspan=s, scope="col", cls="colhead") for c, s in zip(bcols, spans)])
        for r in block:
            body.append([_Head(rlabel(r), scope="row", cls="rl", row=r)]
                        + [_Val(r, c, colspan=s) for c, s in zip(bcols, spans)])
    return [], body


def _exists(book, tid: str, fmt: str | None, table) -> frozenset:
    if fmt is not None:
        cells = book.tables[tid].cells_in(fmt, table.frame.index, table.frame.columns)
        if cells:
            return cells
    return frozenset((r, c) for r in table.frame.index for c in table.frame.columns)


# -- one report -----------------------------------------------------------------------------------

def _where(source: str) -> str:
    """A cell's source position for people: a file line says little next to a grid position."""
    parts = [p for p in source.split("，") if p]
    if any("表格" in p for p in parts):
        parts = [p for p in parts if "表格" in p or not p.endswith("行")]
    return "，".join(parts)


class _ReportView:
    def __init__(self, n: int, result: FileResult, report, book):
        self.n, self.result, self.report, self.book = n, result, report, book
        self.anchor = f"report-{n}"
        self.table_ids = list(book.tables)
        self.grids: dict[str, tuple[list[list], list[list]]] = {}
        self.cell_ids: dict[tuple[str, str, str], str] = {}
        shown_report = report if result.error is None else None
        if shown_report is not None:
            for ti, tid in enumerate(self.table_ids):
                table = shown_report.tables.get(tid)
                if table is None:
                    continue
                self.grids[tid] = _grid(book, tid, table, shown_report.format)
                index = {r: i for i, r in enumerate(table.frame.index)}
                cindex = {c: j for j, c in enumerate(table.frame.columns)}
                for line in self.grids[tid][1]:
                    for cell in line:
                        if isinstance(cell, _Val):
                            self.cell_ids[(tid, cell.row, cell.column)] = \
                                f"{self.anchor}-table{ti + 1}-r{index[cell.row] + 1}-c{cindex[cell.column] + 1}"
        # Findings in page order, numbered: general ones first, then table by table.
        by_table: dict[str | None, list[Finding]] = defaultdict(list)
        seen: set[int] = set()
        for f in result.findings:
            if id(f) not in seen:  # the same object twice would give two items one anchor
                seen.add(id(f))
                by_table[f.table if f.table in book.tables else None].append(f)
        self.order: list[Finding] = by_table[None] + [f for tid in self.table_ids for f in by_table[tid]]
        self.by_table = by_table
        self.number = {id(f): k for k, f in enumerate(self.order, 1)}
        self.marks: dict[tuple, list[Finding]] = defaultdict(list)
        self.row_marks: dict[tuple, list[Finding]] = defaultdict(list)
        self.likely: dict[tuple, float] = {}
        for f in self.order:
            keys = [k for k in dict.fromkeys(self._key(c) for c in f.cells) if k in self.cell_ids]
            for k in keys:
                self.marks[k].append(f)
            s = f.suggestion
            if s is not None and (s.table, s.row, s.column) in self.cell_ids:
                self.likely[(s.table, s.row, s.column)] = s.value
            if not keys and f.table in self.grids and f.row is not None:
                self.row_marks[(f.table, f.row)].append(f)

    def _key(self, c: CellRef) -> tuple | None:
        if c.path is not None and c.path != self.result.path:
            return None  # a cell of another report (cross-year)
        return (c.table, c.row, c.column)

    # -- texts --
    def office(self) -> str | None:
        return self.result.office or (self.report.office if self.report is not None else None)

    def year(self) -> int | None:
        return self.result.year or (self.report.year if self.report is not None else None)

    def fmt(self) -> str | None:
        return self.result.format or (self.report.format if self.report is not None else None)

    def heading(self, with_path: bool = True) -> str:
        office, year = self.office(), self.year()
        if office and year:
            return f"{office} {year} 年度报告"
        if office or year:
            return f"{office or ''}{f'{year} 年度' if year else ''}报告"
        return self.result.path if with_path else ""

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for f in self.result.findings:
            c[f.severity] = c.get(f.severity, 0) + 1
        return c

    def cell_name(self, tid: str, row: str, column: str) -> str:
        spec = self.book.tables.get(tid)
        if spec is None:
            return f"{tid}「{row}」行「{column}」列"
        col = spec.column_label(column, self.result.format)
        return f"{spec.name}「{spec.row_label(row, self.result.format)}」行「{col}」列"

    # -- page --
    def render(self) -> str:
        r = self.result
        st = r.status
        c = self.counts()
        out = [f'<section class="report st-{st}" id="{self.anchor}">\n']
        out.append(f'<h2><span class="badge big st-{st}">{STATUS_SIGN[st]} {STATUS_WORD[st]}</span> '
                   f"{esc(self.heading())}</h2>\n")
        facts = [f"文件：<span class=\"path\">{esc(r.path)}</span>"]
        if self.office():
            facts.append(f"机关：{esc(self.office())}")
        if self.fmt():
            facts.append(f"表格格式：{esc(self.fmt())} 年格式")
        if self.year():
            facts.append(f"报告年度：{esc(self.year())} 年")
        out.append('<ul class="facts">' + "".join(f"<li>{x}</li>" for x in facts) + "</ul>\n")
        if r.error is None:
            out.append('<p class="counts">'
                       f'<span class="cnt sev-error">{SEVERITY_SIGN["error"]} 错误 {c["error"]} 处</span>'
                       f'<span class="cnt sev-warning">{SEVERITY_SIGN["warning"]} 警告 {c["warning"]} 处</span>'
                       f'<span class="cnt sev-info">{SEVERITY_SIGN["info"]} 提示 {c["info"]} 处</span></p>\n')
        else:
            out.append(f'<p class="reason"><strong>无法读取这个文件：</strong>{esc(r.error)}</p>\n'
                       '<p class="lead">请确认文件完整、确实是政府信息公开工作年度报告；'
                       "如果是扫描件或图片，请改用可以复制文字的 Word、网页或 PDF 文件。</p>\n")
            out.append("</section>\n")
            return "".join(out)
        out.append(f'<p class="lead">{self.lead()}</p>\n')
        general = self.by_table[None]
        if general:
            out.append('<section class="general">\n<h3>整体问题</h3>\n')
            out.append(self.findings_list(general))
            out.append("</section>\n")
        if self.report is None:
            out.append('<p class="missing-table">未能重新读取这个文件，无法显示表格。</p>\n')
        elif self.report.format is None and not self.report.tables:
            out.append('<p class="missing-table">没有读到表二、表三、表四：无法判断报告采用哪一年的格式，'
                       "请核对表格标题和表头是否与国办格式一致。</p>\n")
            out.extend(self.table_section(tid) for tid in self.table_ids if self.by_table[tid])
        else:
            for tid in self.table_ids:
                out.append(self.table_section(tid))
        out.append("</section>\n")
        return "".join(out)

    def lead(self) -> str:
        n = len(self.order)
        c = self.counts()
        if not n:
            return "所有核对均已通过，没有发现需要核对的地方。下面是从报告中读到的表格，可再对照原文看一遍。"
        parts = [f"{label} {c[sev]} 处" for sev, label in SEVERITY_WORD.items() if c.get(sev)]
        text = f"发现 {n} 处需要核对的地方（{'，'.join(parts)}）。"
        marks = []
        if any(any(f.severity == "error" for f in fs) for fs in self.marks.values()):
            marks.append("标红（✗）的单元格是核对不通过的数")
        if self.likely:
            marks.append("带“应为”的是最可能填错的数，旁边写着按其他数算出的正确值")
        if any(any(f.severity == "warning" for f in fs) for fs in self.marks.values()):
            marks.append("虚线框（!）的单元格需要留意")
        if self.has_blank():
            marks.append("带斜纹、写着“空白”的是原文没有填写的格子")
        if marks:
            text += "；".join(marks) + "。"
        if self.marks or self.row_marks:
            text += "单元格里的编号和表下面的说明互相链接，点击即可跳转。"
        if self.result.status == "incomplete":
            n = sum(f.incomplete for f in self.order)
            text = (f"能读到的部分没有发现错误，但抓取或转换的副本中有 {n} 处无法确定读数，相关核对未进行，"
                    "因此不能判为通过：请对照报告原文核对标出的行，或改用原始文件（网页、Word、PDF）重新检查。" + text)
        elif c.get("error", 0) == 0:
            text = "没有发现错误，可以通过。" + text
        return esc(text)

    def has_blank(self) -> bool:
        for tid in self.grids:
            table = self.report.tables[tid]
            for line in self.grids[tid][1]:
                for cell in line:
                    src = table.sources.get((cell.row, cell.column)) if isinstance(cell, _Val) else None
                    if src is not None and src.value is not None and src.value.kind == "blank":
                        return True
        return False

    def table_section(self, tid: str) -> str:
        spec = self.book.tables[tid]
        ti = self.table_ids.index(tid) + 1
        out = [f'<section class="table-block" id="{self.anchor}-table{ti}">\n',
               f"<h3>{esc(spec.name)}　{esc(spec.title)}</h3>\n"]
        findings = self.by_table[tid]
        if tid not in self.grids:
            out.append(f'<p class="missing-table"><strong>未找到{esc(spec.name)}：</strong>'
                       f"报告中没有读到「{esc(spec.title)}」这张表的数字。"
                       "如果表格是以图片形式发布的，请改为文字表格后重新检查。</p>\n")
        else:
            out.append(self.grid_html(tid))
        if findings:
            out.append(self.findings_list(findings))
        elif tid in self.grids:
            out.append(f'<p class="ok">✓ {esc(spec.name)}核对通过。</p>\n')
        out.append("</section>\n")
        return "".join(out)

    def grid_html(self, tid: str) -> str:
        head, body = self.grids[tid]
        table = self.report.tables[tid]
        spec = self.book.tables[tid]
        out = [f'<table class="grid grid-{esc(tid)}">\n<caption>{esc(spec.name)}（数字按报告原文照录）</caption>\n']
        if head:
            out.append("<thead>\n")
            for line in head:
                out.append("<tr>" + "".join(self.head_html(tid, h) for h in line) + "</tr>\n")
            out.append("</thead>\n")
        out.append("<tbody>\n")
        for line in body:
            cells = []
            for cell in line:
                if isinstance(cell, _Head):
                    cells.append(self.head_html(tid, cell))
                elif isinstance(cell, _Val):
                    cells.append(self.value_html(tid, table, spec, cell))
                else:
                    cells.append('<td class="absent" title="本格式没有这一格"></td>')
            out.append("<tr>" + "".join(cells) + "</tr>\n")
        out.append("</tbody>\n</table>\n")
        return "".join(out)

    def head_html(self, tid: str, h: _Head) -> str:
        attrs = []
        cls = h.cls
        refs = ""
        marks = self.row_marks.get((tid, h.row), []) if h.row is not None else []
        if marks:
            worst = min(marks, key=lambda f: SEVERITY_RANK.get(f.severity, 3)).severity
            cls = f"{cls} mark-{worst}".strip()
            refs = self.refs_html(marks)
        if cls:
            attrs.append(f'class="{esc(cls)}"')
        if h.scope:
            attrs.append(f'scope="{h.scope}"')
        if h.colspan > 1:
            attrs.append(f'colspan="{h.colspan}"')
        if h.rowspan > 1:
            attrs.append(f'rowspan="{h.rowspan}"')
        return f"<th {' '.join(attrs)}>{esc(h.text)}{refs}</th>" if attrs else f"<th>{esc(h.text)}{refs}</th>"

    def refs_html(self, findings: list[Finding]) -> str:
        links = "".join(f'<a class="ref sev-{esc(f.severity)}" href="#{self.anchor}-f{self.number[id(f)]}" '
                        f'title="问题 {self.number[id(f)]}：{esc(SEVERITY_WORD.get(f.severity, f.severity))}，点击查看说明">'
                        f"{SEVERITY_SIGN.get(f.severity, '·')}{self.number[id(f)]}</a>" for f in findings)
        return f'<span class="refs">{links}</span>'

    def value_html(self, tid: str, table, spec, cell: _Val) -> str:
        key = (tid, cell.row, cell.column)
        src = table.sources.get((cell.row, cell.column))
        ref = table.ref(cell.row, cell.column)
        classes = ["v"]
        name = self.cell_name(tid, cell.row, cell.column)
        if src is None:
            classes.append("nosource")
            content = '<span class="raw note">未找到</span>'
            tip = f"{name}：原文中没有找到这一格"
        elif src.value is None:
            classes.append("unreadable")
            content = '<span class="raw note">无法读取</span>'
            if any(f.incomplete for f in self.row_marks.get((tid, cell.row), [])):
                tip = f"{name}：抓取或转换的副本中这一行的数字无法确定，这一格未核对（见该行的说明）"
            else:
                tip = f"{name}：这一行的数字个数不对，无法确定这一格的数"
        elif src.value.kind == "blank":
            classes.append("blank")
            content = '<span class="raw note">空白</span>'
            tip = f"{name}：空白（原文这一格没有填写）"
        else:
            content = f'<span class="raw">{esc(ref.raw)}</span>'
            tip = f"{name}：原文写为“{ref.raw}”"
        where = _where(ref.source)
        if where:
            tip += f"；原文位置：{where}"
        marks = self.marks.get(key, [])
        if marks:
            worst = min(marks, key=lambda f: SEVERITY_RANK.get(f.severity, 3)).severity
            classes.append(f"mark-{worst}")
            tip += "；见问题 " + "、".join(str(self.number[id(f)]) for f in marks)
        if key in self.likely:
            classes.append("likely")
            value = shown(self.likely[key])
            content += f'<span class="fix">应为 {esc(value)}</span>'
            tip += f"；最可能填错，应为 {value}"
        if marks:
            content += self.refs_html(marks)
        span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
        return (f'<td id="{self.cell_ids[key]}" class="{" ".join(classes)}"{span} '
                f'data-table="{esc(tid)}" data-row="{esc(cell.row)}" data-col="{esc(cell.column)}" '
                f'title="{esc(tip)}">{content}</td>')

    def findings_list(self, findings: list[Finding]) -> str:
        out = ['<ul class="findings">\n']
        for f in findings:
            k = self.number[id(f)]
            sev = f.severity
            out.append(f'<li class="finding sev-{esc(sev)}" id="{self.anchor}-f{k}">'
                       f'<span class="fno">{k}</span>'
                       f'<span class="sev">{SEVERITY_SIGN.get(sev, "·")} {esc(SEVERITY_WORD.get(sev, sev))}</span> '
                       f'<span class="msg">{esc(f.message)}</span> <code class="code">{esc(f.code)}</code>')
            nums = []
            if f.reported is not None and f.computed is not None:
                diff = number(abs(f.reported - f.computed))
                nums.append(f"报告值 {shown(f.reported)}，计算值 {shown(f.computed)}，相差 {diff:,}")
            elif f.reported is not None:
                nums.append(f"报告值 {shown(f.reported)}")
            s = f.suggestion
            if s is not None:
                nums.append(f"最可能填错的是{self.cell_name(s.table, s.row, s.column)}，应为 {shown(s.value)}")
            if nums:
                out.append(f'<div class="nums">{esc("；".join(nums))}</div>')
            out.append(self.cells_html(f))
            out.append("</li>\n")
        out.append("</ul>\n")
        return "".join(out)

    def cells_html(self, f: Finding) -> str:
        """Where to look: a link to the main cell, and every cell the finding involves."""
        here = [c for c in f.cells if self._key(c) in self.cell_ids]
        parts = []
        s = f.suggestion
        target = None
        if s is not None and (s.table, s.row, s.column) in self.cell_ids:
            target = self.cell_ids[(s.table, s.row, s.column)]
        elif here:
            target = self.cell_ids[self._key(here[0])]
        elif f.table in self.grids and f.row is not None:
            target = f"{self.anchor}-table{self.table_ids.index(f.table) + 1}"
        if target:
            parts.append(f'<a class="goto" href="#{target}">在表中查看</a>')
        lines = []
        for c in dict.fromkeys(f.cells):
            key = self._key(c)
            name = self.cell_name(c.table, c.row, c.column)
            value = "空白" if c.value is None and not c.raw.strip() else f"“{c.raw}”"
            where = _where(c.source)
            text = f"{name}：{value}" + (f"（{where}）" if where else "")
            if key in self.cell_ids:
                lines.append(f'<li><a href="#{self.cell_ids[key]}">{esc(text)}</a></li>')
            elif c.path:  # a cell of another report (cross-year)
                lines.append(f"<li>{esc(f'另一份报告 {c.path} 中的{text}')}</li>")
            else:
                lines.append(f"<li>{esc(text)}</li>")
        if lines:
            parts.append(f'<details class="cells"><summary>涉及 {len(lines)} 个单元格</summary>'
                         f'<ul>{"".join(lines)}</ul></details>')
        elif f.line is not None or f.page is not None:
            where = "，".join(x for x in (f"第{f.page}页" if f.page else "", f"第{f.line}行" if f.line else "") if x)
            parts.append(f'<span class="src">原文位置：{esc(where)}</span>')
        return f'<div class="where">{" ".join(parts)}</div>' if parts else ""


LEGEND = ('<p class="legend" aria-label="图例">图例：'
          '<span class="key mark-error">✗ 核对不通过（错误）</span>'
          '<span class="key mark-warning">! 需要留意（警告）</span>'
          '<span class="key mark-info">i 提示</span>'
          '<span class="key likely"><span class="fix">应为 N</span> 最可能填错的数</span>'
          '<span class="key blank"><span class="note">空白</span> 原文没有填写</span>'
          "　鼠标停在单元格上可看到它在原文中的位置。</p>\n")

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Micro Hei", "SimSun", sans-serif; font-size: 15px; line-height: 1.6; color: #1b1b1b;
  background: #fff; max-width: 1160px; margin: 0 auto; padding: 12px 20px 40px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 0 0 6px; }
h3 { font-size: 16px; margin: 18px 0 6px; border-left: 4px solid #555; padding-left: 8px; }
a { color: #0b4f9c; }
.run { margin: 2px 0; color: #333; }
.legend { font-size: 13px; color: #333; margin: 6px 0 12px; }
.legend .key { display: inline-block; margin: 2px 10px 2px 0; padding: 0 6px; border: 1px solid #999; }
.summary { margin: 10px 0 24px; }
table.files { border-collapse: collapse; font-size: 14px; }
.files th, .files td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; }
.files td.n { text-align: right; }
.files th { background: #f0f0f0; }
.badge { display: inline-block; padding: 0 8px; border-radius: 4px; font-weight: bold; white-space: nowrap;
  border: 2px solid currentColor; }
.badge.big { font-size: 18px; margin-right: 6px; }
.badge.st-pass { color: #1e6b2d; background: #e3f4e6; }
.badge.st-fail { color: #b3261e; background: #fde4e4; }
.badge.st-incomplete { color: #8a5300; background: #fff2cc; border-style: dotted; }
.badge.st-error { color: #6a1b9a; background: #f1e4f6; border-style: dashed; }
.report { border-top: 3px solid #444; padding-top: 12px; margin-top: 28px; }
.facts { list-style: none; padding: 0; margin: 4px 0; color: #333; }
.facts li { display: inline-block; margin-right: 18px; }
.path { font-family: monospace; word-break: break-all; }
.counts .cnt { display: inline-block; margin-right: 14px; font-weight: bold; }
.sev-error { color: #b3261e; }
.sev-warning { color: #8a5300; }
.sev-info { color: #1f5fa8; }
.lead { background: #f6f6f6; border-left: 4px solid #888; padding: 6px 10px; }
.reason { font-size: 16px; color: #6a1b9a; }
.missing-table { border: 2px dashed #b3261e; background: #fff5f5; padding: 10px; }
.ok { color: #1e6b2d; }
table.grid { border-collapse: collapse; margin: 6px 0 8px; font-size: 13px; line-height: 1.35; }
.grid caption { text-align: left; font-size: 12px; color: #555; padding-bottom: 2px; }
.grid th, .grid td { border: 1px solid #8a8a8a; padding: 3px 5px; }
.grid th { background: #f2f2f2; font-weight: normal; text-align: center; vertical-align: middle; }
.grid th.rl { text-align: left; min-width: 5em; }
.grid th.corner { font-size: 11px; color: #444; max-width: 16em; }
.grid th.block { text-align: left; background: #e6e6e6; font-weight: bold; }
.grid-t3 th.rl { max-width: 22em; }
.grid td.v { text-align: right; vertical-align: top; min-width: 3.2em; white-space: nowrap; }
.grid td.absent { background: #ddd; }
.raw.note { color: #666; font-size: 12px; font-style: italic; }
td.blank, .key.blank {
  background-image: repeating-linear-gradient(135deg, transparent 0 5px, rgba(0, 0, 0, 0.09) 5px 7px); }
td.unreadable, td.nosource { background-color: #eee; }
.mark-error { background-color: #fde4e4; border: 2px solid #b3261e !important; }
.mark-warning { background-color: #fff2cc; border: 2px dashed #8a5300 !important; }
.mark-info { background-color: #eaf2fb; border: 2px dotted #1f5fa8 !important; }
.likely { background-color: #ffd0d0; border: 4px double #b3261e !important; }
.fix { display: block; margin-top: 2px; padding: 0 3px; border-radius: 3px; background: #b3261e; color: #fff;
  font-weight: bold; text-align: center; white-space: nowrap; }
.key .fix { display: inline; }
.refs { display: block; text-align: right; line-height: 1.1; }
.refs a { font-size: 10.5px; margin-left: 3px; text-decoration: none; font-weight: bold; }
th .refs { display: inline; }
.findings { list-style: none; padding: 0; margin: 4px 0 10px; }
.finding { border: 1px solid #ccc; border-left-width: 6px; padding: 5px 8px; margin: 5px 0; }
.finding.sev-error { border-left: 6px solid #b3261e; }
.finding.sev-warning { border-left: 6px dashed #8a5300; }
.finding.sev-info { border-left: 6px dotted #1f5fa8; }
.finding .msg { color: #1b1b1b; }
.fno { display: inline-block; min-width: 1.6em; margin-right: 6px; text-align: center; background: #444; color: #fff;
  border-radius: 9px; font-size: 12px; }
.finding .sev { font-weight: bold; margin-right: 4px; }
.code { font-size: 11px; color: #666; }
.nums { font-size: 14px; color: #333; margin-top: 2px; }
.where { font-size: 13px; margin-top: 2px; }
.where .goto { margin-right: 10px; }
.cells { display: inline; }
.cells summary { display: inline; cursor: pointer; color: #0b4f9c; }
.cells ul { margin: 2px 0; padding-left: 20px; columns: 2; font-size: 12px; }
:target { outline: 3px solid #0b4f9c; outline-offset: 1px; }
@page { size: A4; margin: 12mm 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  .summary ~ .report, .report + .report { break-before: page; page-break-before: always; }
  .report { border-top: none; margin-top: 0; }
  table.grid { font-size: 8.5pt; }
  .grid tr, .finding, .lead, .missing-table { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h3 { break-after: avoid; page-break-after: avoid; }
  .cells, .goto { display: none; }
}
"""
