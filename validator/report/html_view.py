"""One report of the HTML page (validator.report.html): its verdict, 需要修改的地方 (one line per
cause, most certain first, each linking to its cell), the causes explained, what could not be
read, and its tables with the values as read and the cells marked (strong: the suspect cell;
light: the other cells of a failed check)."""

from __future__ import annotations

import html
import re

from validator.findings import FileResult, Finding, shown
from validator.report import html_causes, html_words
from validator.report.html_causes import Cause
from validator.report.html_grid import _Head, _Val, grid
from validator.report.summary import STATUS_WORDS

SEVERITY_WORD = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_SIGN = {"error": "✗", "warning": "!", "info": "i"}
STATUS_WORD = STATUS_WORDS
STATUS_SIGN = {"pass": "✓", "fail": "✗", "incomplete": "◐", "error": "?"}
MARK_RANK = {"mark-fix": 0, "mark-check": 1, "mark-part": 2, "mark-warn": 3, "mark-info": 4}
MARKS = tuple(MARK_RANK)

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def esc(value) -> str:
    """Text from a report or the rules, safe in element content and in quoted attributes."""
    return html.escape(_INVALID.sub("\ufffd", str(value)), quote=True)


# -- one report -----------------------------------------------------------------------------------

class _ReportView:
    def __init__(self, n: int, result: FileResult, report, book, many: bool = False):
        self.n, self.result, self.book, self.many = n, result, book, many
        self.report = report if result.error is None else None
        self.anchor = f"report-{n}"
        self.kind = html_words.file_kind(result.path)
        self.plain = html_words.Plain(book)
        self.fmt_ = result.format or (report.format if report is not None else None)
        self.table_ids = list(book.tables)
        self.grids: dict[str, tuple[list[list], list[list]]] = {}
        self.cell_ids: dict[tuple[str, str, str], str] = {}
        self.row_ids: dict[tuple[str, str], str] = {}
        if self.report is not None:
            for ti, tid in enumerate(self.table_ids):
                table = self.report.tables.get(tid)
                if table is None:
                    continue
                self.grids[tid] = grid(book, tid, table, self.report.format)
                index = {r: i for i, r in enumerate(table.frame.index)}
                cindex = {c: j for j, c in enumerate(table.frame.columns)}
                for line in self.grids[tid][0] + self.grids[tid][1]:
                    for cell in line:
                        if isinstance(cell, _Val):
                            self.cell_ids[(tid, cell.row, cell.column)] = \
                                f"{self.anchor}-table{ti + 1}-r{index[cell.row] + 1}-c{cindex[cell.column] + 1}"
                        elif isinstance(cell, _Head) and cell.row is not None:
                            self.row_ids[(tid, cell.row)] = f"{self.anchor}-table{ti + 1}-row{index[cell.row] + 1}"
        if result.error is None:
            self.causes, self.unread = html_causes.group(result, self.report, book)
        else:
            self.causes, self.unread = [], []
        self.cause_ids = {id(c): f"{self.anchor}-cause{k}" for k, c in enumerate(self.causes + self.unread, 1)}
        self.number = {id(c): k for k, c in enumerate(self.causes + self.unread, 1)}
        # Marks: per cell the strongest mark any cause gives it, and that cause.
        self.marks: dict[tuple, tuple[str, Cause]] = {}
        self.row_marks: dict[tuple, tuple[str, Cause]] = {}
        for c in self.causes + self.unread:
            for k in c.fixes:
                self._mark(k, "mark-fix", c)
            for k in c.compare:
                self._mark(k, "mark-check", c)
            for f in c.findings:
                keys = [k for k in html_causes._keys(f, result.path) if k in self.cell_ids]
                level = {"error": "mark-part", "warning": "mark-warn"}.get(f.severity, "mark-info")
                for k in keys:
                    self._mark(k, level, c)
                if not keys and f.table in self.grids and f.row is not None and (f.table, f.row) in self.row_ids:
                    self.row_marks.setdefault((f.table, f.row), ("mark-unread" if f.incomplete else
                                                                 {"error": "mark-check", "warning": "mark-warn"}
                                                                 .get(f.severity, "mark-info"), c))

    def _mark(self, key, level: str, cause: Cause) -> None:
        if key not in self.cell_ids:
            return
        old = self.marks.get(key)
        if old is None or MARK_RANK[level] < MARK_RANK[old[0]]:
            self.marks[key] = (level, cause)

    # -- texts --
    def office(self) -> str | None:
        return self.result.office or (self.report.office if self.report is not None else None)

    def year(self) -> int | None:
        return self.result.year or (self.report.year if self.report is not None else None)

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
            if not f.incomplete:
                c[f.severity] = c.get(f.severity, 0) + 1
        c["unread"] = sum(len(u.findings) for u in self.unread)
        return c

    def cell_title(self, key) -> str:
        return html_words.cell_title(self.book, key[0], key[1], key[2], self.fmt_)

    def written(self, key) -> str:
        """A cell's value as the clerk wrote it: 13, 空白, 未读."""
        table = self.report.tables.get(key[0]) if self.report is not None else None
        src = table.sources.get(key[1:]) if table is not None else None
        if src is None:
            return "未找到"
        if src.value is None:
            return "未能读取"
        if src.value.kind == "blank":
            return "空白"
        return html_words.as_read(src)[0]

    def where(self, key) -> str:
        table = self.report.tables.get(key[0]) if self.report is not None else None
        src = table.sources.get(key[1:]) if table is not None else None
        return html_words.position(src.cell, self.kind) if src is not None else ""

    def link(self, key, text: str, cls: str = "goto") -> str:
        if key in self.cell_ids:
            return f'<a class="{cls}" href="#{self.cell_ids[key]}">{esc(text)}</a>'
        return esc(text)

    def target(self, c: Cause) -> str | None:
        """Where a cause's line leads: its suspect cell, the cells to compare, its first cell in
        the grid, the row's label, or its table."""
        for key in [*c.fixes, *c.compare, *(k for f in c.findings for k in html_causes._keys(f, self.result.path))]:
            if key in self.cell_ids:
                return self.cell_ids[key]
        for f in c.findings:
            if (f.table, f.row) in self.row_ids:
                return self.row_ids[(f.table, f.row)]
            if f.table in self.book.tables and self.report is not None:
                return f"{self.anchor}-table{self.table_ids.index(f.table) + 1}"
        return None

    def message(self, f: Finding) -> str:
        text = self.plain(html_words.without_hint(f))
        if f.incomplete and "缺少" in text and f.table in self.book.tables and f.row is not None:
            text = (f"{html_words.row_title(self.book, f.table, f.row, self.fmt_)}：这份副本中没有读到这一行"
                    "（可能是转换时与数值错位），未核对")
        return text

    def identity_text(self, f: Finding) -> str:
        scope = html_words.scope_title(self.book, f.table, f.row, f.column, self.fmt_)
        return f"{scope}：{self.plain(html_words.body_of(self.book, f, self.fmt_))}"

    # -- the report --
    def render(self) -> str:
        r = self.result
        st = r.status
        folded = self.many and st == "pass"
        tag = "details" if folded else "section"
        out = [f'<{tag} class="report st-{st}" id="{self.anchor}">\n']
        head = (f'<h2><span class="badge big st-{st}">{STATUS_SIGN[st]} {STATUS_WORD[st]}</span> '
                f"{esc(self.heading())}</h2>\n")
        out.append(f"<summary>{head}</summary>\n" if folded else head)
        if self.many:
            out.append('<p><a class="back" href="#files">↑ 返回文件一览</a></p>\n')
        facts = [f"文件：<span class=\"path\">{esc(r.path)}</span>"]
        if self.office():
            facts.append(f"机关：{esc(self.office())}")
        if self.fmt_:
            facts.append(f"表格格式：{esc(self.fmt_)} 年格式")
        if self.year():
            facts.append(f"报告年度：{esc(self.year())} 年")
        out.append('<ul class="facts">' + "".join(f"<li>{x}</li>" for x in facts) + "</ul>\n")
        if r.error is not None:
            out.append(f'<p class="reason"><strong>无法读取这个文件：</strong>{esc(r.error)}</p>\n'
                       '<p class="lead">请确认文件完整、确实是政府信息公开工作年度报告；'
                       "如果是扫描件或图片，请改用可以复制文字的 Word、网页或 PDF 文件。</p>\n")
            out.append(f"</{tag}>\n")
            return "".join(out)
        out.append(f'<p class="lead">{esc(self.lead())}</p>\n')
        out.append(self.todo_html())
        if self.unread:
            out.append(self.unread_html())
        if self.causes:
            out.append(self.causes_html())
        if self.report is None:
            out.append('<p class="missing-table">未能重新读取这个文件，无法显示表格。</p>\n')
        elif self.report.format is None and not self.report.tables:
            out.append('<p class="missing-table">没有读到表二、表三、表四：无法判断报告采用哪一年的格式，'
                       "请核对表格标题和表头是否与国办格式一致。</p>\n")
        else:
            out.append('<section class="tables">\n')
            for tid in self.table_ids:
                out.append(self.table_section(tid))
            out.append("</section>\n")
        out.append(f"</{tag}>\n")
        return "".join(out)

    def lead(self) -> str:
        c = self.counts()
        st = self.result.status
        if st == "incomplete":
            return (f"能读到的部分没有发现错误，但抓取或转换的副本中有 {c['unread']} 处无法确定读数，相关核对未进行，"
                    "因此不能判为通过：请对照报告原文核对下面“未能读取”中列出的行，或改用原始文件（网页、Word、PDF）重新检查。")
        if not self.causes and not self.unread:
            return "所有核对均已通过，没有发现需要修改的地方。下面是从报告中读到的表格，可再对照原文看一遍。"
        parts = [f"{SEVERITY_WORD[s]} {c[s]} 处" for s in SEVERITY_WORD if c.get(s)]
        text = f"检查发现{'，'.join(parts)}，归为 {len(self.causes)} 个问题。" if parts else ""
        if c["error"] == 0:
            text = "没有发现错误，可以通过；" + text + "下面的警告和提示请留意。"
        else:
            text += "请按下面“需要修改的地方”逐条修改，点击每一条可跳到表中对应的格子。"
        if c["unread"]:
            text += f"另有 {c['unread']} 处未能读取，请人工核对。"
        return text

    # -- 需要修改的地方 --
    def todo_html(self) -> str:
        todo = [c for c in self.causes if c.severity in ("error", "warning")]
        out = [(f'<section class="todo" id="{self.anchor}-todo">\n<h3>需要修改的地方'
               f'{f"（{len(todo)} 处）" if todo else ""}</h3>\n')]
        if not todo:
            none = "没有。" + ("另有未能读取的内容，请人工核对（见下）。" if self.unread else "所有核对均已通过。")
            out.append(f'<p class="none">{esc(none)}</p>\n</section>\n')
            return "".join(out)
        out.append("<ol>\n")
        for c in todo:
            k = self.number[id(c)]
            sev = c.severity
            out.append(f'<li class="todo-item sev-{sev}" id="{self.anchor}-todo{k}">'
                       f'<span class="sev">{SEVERITY_SIGN[sev]} {k}</span>'
                       f'<span class="line">{self.line_html(c)}</span>'
                       f'<a class="why" href="#{self.cause_ids[id(c)]}">说明</a></li>\n')
        out.append("</ol>\n</section>\n")
        return "".join(out)

    def line_html(self, c: Cause, card: bool = False) -> str:
        """The cause in one line, its cell linked (a card's heading leaves the values to fill
        to the line of 需要修改的地方 and the table)."""
        if c.kind in ("fix", "fill"):
            key, value = next(iter(c.fixes.items()))
            now = self.written(key)
            verb = "应填" if c.kind == "fill" else "应为"
            text = (f"现为 {now}，" if self.report is not None else "") if c.kind == "fix" else "空白，"
            return (f"{self.link(key, self.cell_title(key))}：{esc(text)}"
                    f'<span class="fixval">{verb} {esc(shown(value))}</span>')
        if c.kind == "fills":
            first = next(iter(c.fixes))
            scope = html_words.scope_title(self.book, c.table, None, first[2], self.fmt_)
            n = len(c.fixes) + len(c.zero_blanks)
            chips = "".join(f'<a class="chip" href="#{self.cell_ids[k]}">'
                            f"{esc(html_words.row_path(self.book.tables[k[0]], k[1], self.fmt_))}<b>{esc(shown(v))}</b></a>"
                            for k, v in c.fixes.items() if k in self.cell_ids)
            rest = f"另有 {len(c.zero_blanks)} 格空白，应填 0。" if c.zero_blanks else ""
            if card:
                first_id = self.cell_ids.get(first)
                name = f'<a class="goto" href="#{first_id}">{esc(scope)}</a>' if first_id else esc(scope)
                return f"{name}有 {n} 格空白，应填入的数见表中“应填”"
            return (f"{esc(scope)}有 {n} 格空白，按同一行（列）其他各格之和应分别填入："
                    f'<span class="chips">{chips}</span>{esc(rest)}')
        if c.kind == "check":
            f = c.findings[0]
            scope = html_words.scope_title(self.book, f.table, f.row, f.column, self.fmt_)
            target = self.target(c)
            name = f'<a class="goto" href="#{target}">{esc(scope)}</a>' if target else esc(scope)
            return f"请核对 {name}：{esc(self.plain(html_words.body_of(self.book, f, self.fmt_)))}"
        if c.kind == "blanks":
            scopes = "、".join(f"{self.blank_scope(f)} {len(f.cells)} 格" for f in c.findings)
            target = self.target(c)
            name = self.book.tables[c.table].name if c.table in self.book.tables else "表格"
            label = f'<a class="goto" href="#{target}">{esc(name)}</a>' if target else esc(name)
            return f"{label}{esc(f'有空白单元格（{scopes}），核对时按 0 计算；没有数据的格子应填 0')}"
        text = self.message(c.findings[0])
        if len(c.findings) > 1:
            text += f" 等 {len(c.findings)} 处"
        target = self.target(c)
        if target:
            return f'<a class="goto" href="#{target}">{esc(text)}</a>'
        return esc(text)

    def blank_scope(self, f: Finding) -> str:
        spec = self.book.tables.get(f.table)
        if spec is None:
            return ""
        if f.column is not None:
            return spec.column_label(f.column, self.fmt_)
        if f.row is not None:
            return html_words.short_row(spec, f.row, self.fmt_)
        return ""

    # -- 问题说明 --
    def causes_html(self) -> str:
        out = [f'<section class="explained" id="{self.anchor}-causes">\n<h3>问题说明</h3>\n<ol class="causes">\n']
        for c in self.causes:
            out.append(self.card_html(c))
        out.append("</ol>\n</section>\n")
        return "".join(out)

    def card_html(self, c: Cause) -> str:
        k = self.number[id(c)]
        sev = c.severity
        out = [(f'<li class="cause sev-{sev} kind-{c.kind}" id="{self.cause_ids[id(c)]}">'
               f'<p class="cause-head"><span class="cno">{k}</span>'
               f'<span class="sev">{SEVERITY_SIGN[sev]} {SEVERITY_WORD[sev]}</span> {self.line_html(c, card=True)}</p>\n')]
        ids = c.identities
        if c.kind == "fix":
            value = shown(next(iter(c.fixes.values())))
            out.append(f"<p>{esc(f'这一格是下面 {len(ids)} 项核对共同涉及的格子；改为 {value} 后，这 {len(ids)} 项都相符：')}</p>\n")
            out.append(self.evidence(ids))
        elif c.kind in ("fill", "fills"):
            out.append(f"<p>{esc(f'空白格核对时按 0 计算，下面 {len(ids)} 项核对因此不相符；按上面的数填入后都相符：')}</p>\n")
            out.append(self.evidence(ids, fold=len(ids) > 4))
        elif c.kind == "check":
            out.append("<p>只有这一项核对不相符，无法判断是哪一格填错。请对照原始记录核对下面各格：</p>\n")
            out.append(self.compare_html(c))
        elif c.kind == "blanks" or len(c.findings) > 1:
            out.append(self.evidence(c.findings, text=self.message))
        pos = self.positions(c)
        if pos:
            out.append(f'<p class="pos">{esc("位置：" + pos)}</p>\n')
        out.append(self.detail_html(c))
        out.append("</li>\n")
        return "".join(out)

    def evidence(self, findings: list[Finding], fold: bool = False, text=None) -> str:
        text = text or self.identity_text
        items = "".join(f"<li>{esc(text(f))}</li>" for f in findings)
        if fold:
            return (f'<details class="evidence-box"><summary>{esc(f"查看这 {len(findings)} 项核对")}</summary>'
                    f'<ul class="evidence">{items}</ul></details>\n')
        return f'<ul class="evidence">{items}</ul>\n'

    def compare_html(self, c: Cause) -> str:
        f = c.findings[0]
        keys = html_causes._keys(f, self.result.path)
        first = [k for k in c.compare if k in keys] + [k for k in keys if k not in c.compare]
        shown_keys = [k for k in first if k in c.compare or self.written(k) not in ("0", "空白")]
        hidden = len(first) - len(shown_keys)
        items = "".join(f"<li>{self.link(k, self.cell_title(k))}：{esc(self.written(k))}</li>" for k in shown_keys)
        if hidden:
            items += f"<li>{esc(f'其余 {hidden} 格为 0 或空白')}</li>"
        return f'<ul class="cmp">{items}</ul>\n'

    def positions(self, c: Cause) -> str:
        """Where the cause's cells stand in the file: one cell by name, many as their rows."""
        keys = list(c.fixes) or list(c.compare)
        if not keys and c.kind != "blanks":
            keys = [k for f in c.findings for k in html_causes._keys(f, self.result.path)][:1]
        if len(keys) == 1:
            where = self.where(keys[0])
            return f"{self.cell_title(keys[0])}：原文{where}" if where else ""
        if keys:
            return html_words.compact([self.where(k) for k in keys])
        parts = [html_words.finding_position(f, self.kind) for f in c.findings]
        return html_words.compact(parts)

    def detail_html(self, c: Cause) -> str:
        """Rule codes and the figures compared, for whoever checks the checker: small, and
        several findings of one code as one entry."""
        by_code: dict[str, list[Finding]] = {}
        for f in c.findings:
            by_code.setdefault(f.code, []).append(f)
        parts = []
        for code, fs in by_code.items():
            f = fs[0]
            nums = ""
            if len(fs) > 1:
                nums = f" ×{len(fs)}"
            elif f.reported is not None and f.computed is not None:
                nums = f" 报告值 {shown(f.reported)}，计算值 {shown(f.computed)}"
            elif f.reported is not None:
                nums = f" 报告值 {shown(f.reported)}"
            parts.append(f"<code>{esc(code)}</code>{esc(nums)}")
        return f'<p class="detail">{"；".join(parts)}</p>\n'

    # -- 未能读取 --
    def unread_html(self) -> str:
        n = sum(len(c.findings) for c in self.unread)
        out = [(f'<section class="unread" id="{self.anchor}-unread">\n<h3>未能读取，请人工核对（{n} 处）</h3>\n'
               "<p>下面这些内容在这份文件中没有读准，相关核对没有进行。这是文件副本（网页抓取或格式转换）造成的，"
               "不是报告本身的错误：请对照报告原件核对这些行，或改用原始文件（网页、Word、PDF）重新检查。</p>\n<ul>\n")]
        for c in self.unread:
            for i, f in enumerate(c.findings):
                anchor = f' id="{self.cause_ids[id(c)]}"' if i == 0 else ""
                target = self.row_ids.get((f.table, f.row))
                name = (html_words.row_title(self.book, f.table, f.row, self.fmt_)
                        if f.table in self.book.tables and f.row is not None else "")
                text = self.message(f)
                if name:
                    text = html_words.after_scope(self.book, f, self.fmt_, text)
                    head = (f'<a class="goto" href="#{target}">{esc(name)}</a>' if target else esc(name)) + "："
                else:
                    head = ""
                where = html_words.finding_position(f, self.kind)
                pos = f'<span class="pos">{esc("（原文" + where + "）")}</span>' if where else ""
                out.append(f"<li{anchor}>{head}{esc(text)}{pos} "
                           f'<span class="detail"><code>{esc(f.code)}</code></span></li>\n')
        out.append("</ul>\n</section>\n")
        return "".join(out)

    # -- the tables --
    def table_section(self, tid: str) -> str:
        spec = self.book.tables[tid]
        ti = self.table_ids.index(tid) + 1
        out = [f'<section class="table-block" id="{self.anchor}-table{ti}">\n',
               f"<h3>{esc(spec.name)}　{esc(spec.title)}</h3>\n"]
        if tid not in self.grids:
            out.append(f'<p class="missing-table"><strong>未找到{esc(spec.name)}：</strong>'
                       f"报告中没有读到「{esc(spec.title)}」这张表的数字。"
                       "如果表格是以图片形式发布的，请改为文字表格后重新检查。</p>\n")
        else:
            out.append(self.grid_html(tid))
            mine = [c for c in self.causes + self.unread if c.table == tid]
            if not mine:
                out.append(f'<p class="ok">✓ {esc(spec.name)}核对通过。</p>\n')
            else:
                links = "、".join(f'<a class="goto" href="#{self.cause_ids[id(c)]}">'
                                 f'{"未能读取" if c.kind == "unread" else f"问题 {self.number[id(c)]}"}</a>'
                                 for c in mine)
                out.append(f'<p class="see">{esc(spec.name)}的问题见 {links}。</p>\n')
        out.append("</section>\n")
        return "".join(out)

    def grid_html(self, tid: str) -> str:
        head, body = self.grids[tid]
        table = self.report.tables[tid]
        spec = self.book.tables[tid]
        out = [(f'<div class="grid-box"><table class="grid grid-{esc(tid)}">\n'
               f"<caption>{esc(spec.name)}（数字按报告原文照录）</caption>\n")]
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
                    cells.append(self.value_html(tid, table, cell))
                else:
                    cells.append('<td class="absent" title="本格式没有这一格"></td>')
            out.append("<tr>" + "".join(cells) + "</tr>\n")
        out.append("</tbody>\n</table></div>\n")
        return "".join(out)

    def head_html(self, tid: str, h: _Head) -> str:
        attrs = []
        cls = h.cls
        text = _label_html(h.text) if "rl" in cls.split() else esc(h.text)
        if "grouprow" in cls:
            text = f"<span>{text}</span>"
        mark = self.row_marks.get((tid, h.row)) if h.row is not None else None
        if mark is not None:
            level, cause = mark
            cls = f"{cls} {level}".strip()
            sign = "未读" if level == "mark-unread" else SEVERITY_SIGN.get(cause.severity, "")
            text = (f'<a class="to" href="#{self.cause_ids[id(cause)]}">{text}'
                    f'<span class="sign">{esc(sign)}</span></a>')
        if h.row is not None and (tid, h.row) in self.row_ids:
            attrs.append(f'id="{self.row_ids[(tid, h.row)]}"')
        if cls:
            attrs.append(f'class="{esc(cls)}"')
        if h.scope:
            attrs.append(f'scope="{h.scope}"')
        if h.colspan > 1:
            attrs.append(f'colspan="{h.colspan}"')
        if h.rowspan > 1:
            attrs.append(f'rowspan="{h.rowspan}"')
        return f"<th {' '.join(attrs)}>{text}</th>" if attrs else f"<th>{text}</th>"

    def value_html(self, tid: str, table, cell: _Val) -> str:
        key = (tid, cell.row, cell.column)
        src = table.sources.get((cell.row, cell.column))
        classes = ["v"]
        name = self.cell_title(key)
        raw_detail = None
        row_mark = self.row_marks.get((tid, cell.row))
        if src is None and row_mark is not None and row_mark[0] == "mark-unread":
            classes.append("unreadable")
            content = '<span class="raw note">未读到</span>'
            tip = f"{name}：这份副本中没有读到这一行的数值，这一格未核对（见“未能读取”）"
        elif src is None:
            classes.append("nosource")
            content = '<span class="raw note">未找到</span>'
            tip = f"{name}：原文中没有找到这一格"
        elif src.value is None:
            classes.append("unreadable")
            content = '<span class="raw note">无法读取</span>'
            if row_mark is not None and row_mark[0] == "mark-unread":
                tip = f"{name}：抓取或转换的副本中这一行的数字无法确定，这一格未核对（见“未能读取”）"
            else:
                tip = f"{name}：这一行的数字个数不对，无法确定这一格的数"
        elif src.value.kind == "blank":
            classes.append("blank")
            content = '<span class="raw note">空白</span>'
            tip = f"{name}：空白（原文这一格没有填写）"
        else:
            text, raw_detail = html_words.as_read(src)
            content = f'<span class="raw">{esc(text)}</span>'
            tip = f"{name}：原文写为“{text}”"
            if raw_detail is not None:
                tip = f"{name}：读作 {text}（原文这一行的数字连写为“{raw_detail}”）"
        where = html_words.position(src.cell, self.kind) if src is not None else ""
        if where:
            tip += f"；原文位置：{where}"
        mark = self.marks.get(key)
        if mark is not None:
            level, cause = mark
            classes.append(level)
            k = self.number[id(cause)]
            blank = "blank" in classes
            if level == "mark-fix":
                verb = "应填" if blank else "应为"
                content += f'<span class="fix">{verb} {esc(shown(cause.fixes[key]))}</span>'
                tip += f"；{'此格空白' if blank else '最可能填错'}，{verb} {shown(cause.fixes[key])}"
            elif level == "mark-check":
                content += '<span class="sign">?</span>'
            elif level == "mark-warn" and not blank:
                content += '<span class="sign">!</span>'
            tip += f"；见问题 {k}"
            content = f'<a class="to" href="#{self.cause_ids[id(cause)]}">{content}</a>'
        span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
        return (f'<td id="{self.cell_ids[key]}" class="{" ".join(classes)}"{span} '
                f'data-table="{esc(tid)}" data-row="{esc(cell.row)}" data-col="{esc(cell.column)}" '
                f'title="{esc(tip)}">{content}</td>')


_NOTE = re.compile(r"^(.*?)(（[^（）]{6,}）)$")


def _label_html(text: str) -> str:
    """A row label whose long explanatory note (（区分处理的，只计这一情形…）, the corner's
    （本列数据的勾稽关系为：…）) may fold away on a phone."""
    m = _NOTE.match(text)
    if m is None:
        return esc(text)
    return f'{esc(m.group(1))}<span class="lnote">{esc(m.group(2))}</span>'
