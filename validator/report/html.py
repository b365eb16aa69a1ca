"""The HTML report, for the clerk who prepares an office's annual report (not a programmer).

One self-contained HTML5 page (inline CSS, no scripts, no external references) that opens
offline, prints on A4 and reads on a phone. Per report: the verdict; 需要修改的地方, one line per
cause, most certain first, each linking to its cell (表三（一）予以公开 · 自然人：现为 13，应为 12);
the causes explained (a wrong cell with the checks it breaks as evidence; rule codes and the
reported/computed figures only in a small details line); what the copy did not let the tool read
(未能读取，请人工核对), never called a defect; and the report's tables with the values as read,
the suspect cell marked strongly and the other cells of a failed check lightly (not by colour
alone). A run of several files lists them failures first, with filters (只看未通过 / 只看错误)
that work without a server, and folds the passing reports.

Everything that comes from a report (paths, office names, cell text, messages) and from the
rulebook (labels) is escaped; ids and anchors are built from integers only.

render(results, book) draws the reports the run kept (no file is read here);
render_reports(items, book) takes (FileResult, Report | None) pairs from memory (a web app)."""

from __future__ import annotations

import datetime
from pathlib import Path

from validator import __version__
from validator.findings import FileResult
from validator.report.html_style import style
from validator.report.html_view import (  # noqa: F401
    MARKS,
    SEVERITY_SIGN,
    SEVERITY_WORD,
    STATUS_SIGN,
    STATUS_WORD,
    _ReportView,
    esc,
)
from validator.report.summary import summarize, summary_text

STATUS_ORDER = {"fail": 0, "error": 1, "incomplete": 2, "pass": 3}  # failures first


# -- entry points -------------------------------------------------------------------------------

def render(results: list[FileResult], book=None, suppressed: int = 0, stale=(), **options) -> str:
    """The page for a run: each report's tables drawn from the report the run kept with its
    result (pipeline.execute(keep_reports=True)); no file is read here."""
    return render_reports([(r, r.report) for r in results], book, suppressed=suppressed, stale=stale,
                          checked_at=options.get("checked_at"))


def render_reports(items, book=None, suppressed: int = 0, stale=(), checked_at: str | None = None) -> str:
    """The page for (FileResult, Report | None) pairs; None for a file that could not be read."""
    if book is None:
        from validator.rules import rulebook

        book = rulebook.load()
    items = sorted(items, key=lambda item: STATUS_ORDER.get(item[0].status, 9)) if len(items) > 1 else list(items)
    results = [r for r, _ in items]
    many = len(items) > 1
    views = [_ReportView(n, r, rep, book, many) for n, (r, rep) in enumerate(items, 1)]
    when = checked_at or datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    stamp = f"govreport {__version__} · 检查于 {when}"
    if many:
        title = f"政府信息公开工作年度报告核对结果（{len(views)} 个文件）"
        pages = {v.anchor: ("passed", f"通过的报告 · {stamp}") if v.result.status == "pass"
                 else (v.anchor, f"文件：{v.result.path} · {stamp}") for v in views}
        running = f"{len(views)} 个文件 · {stamp}"
    else:
        title = f"{views[0].heading()} 核对结果" if views else "核对结果"
        pages = {}
        running = (f"文件：{views[0].result.path} · " if views else "") + stamp
    out = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8"/>\n',
           '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n',
           f"<title>{esc(title)}</title>\n<style>{style(running, pages)}</style>\n</head>\n<body>\n"]
    if many:
        out.append('<input type="checkbox" id="only-fail" class="filter-input"/>\n'
                   '<input type="checkbox" id="only-errors" class="filter-input"/>\n')
    out.append('<header class="page-head">\n<h1>政府信息公开工作年度报告核对结果</h1>\n')
    out.append(f'<p class="run">{esc(summary_text(results, suppressed))}</p>\n')
    out.append(f'<p class="stamp">检查时间：{esc(when)}　工具版本：govreport {esc(__version__)}</p>\n')
    if stale:
        out.append(f'<p class="run">基线中有 {len(stale)} 项已不再出现，可从基线中删除。</p>\n')
    out.append(LEGEND)
    if many:
        out.append('<p class="filters"><label class="toggle" for="only-fail">只看未通过</label>'
                   '<label class="toggle" for="only-errors">只看错误</label></p>\n')
    out.append("</header>\n<main>\n")
    if many:
        out.append(_summary_list(views))
    for v in views:
        out.append(v.render())
    out.append("</main>\n</body>\n</html>\n")
    return "".join(out)


def _summary_list(views: list[_ReportView]) -> str:
    s = summarize([v.result for v in views])
    out = ['<nav class="summary" id="files" aria-label="文件列表">\n<h2>文件一览</h2>\n',
           (f'<p>共 {s["files"]} 个文件：通过 {s["passed"]} 个，未通过 {s["failed"]} 个，'
           f'部分未核对 {s["incomplete"]} 个，无法读取 {s["errors"]} 个。未通过的排在前面；点击报告名称查看。</p>\n'),
           ('<div class="scroll"><table class="files">\n<thead><tr><th scope="col">结果</th><th scope="col">报告</th>'
           '<th scope="col">错误</th><th scope="col">警告</th><th scope="col">未能读取</th><th scope="col" class="path">文件</th>'
           "</tr></thead>\n<tbody>\n")]
    for v in views:
        st = v.result.status
        c = v.counts()
        cells = [c["error"], c["warning"], c["unread"]] if st != "error" else ["—", "—", "—"]
        out.append(f'<tr class="file st-{st}">'
                   f'<td><span class="badge st-{st}">{STATUS_SIGN[st]} {STATUS_WORD[st]}</span></td>'
                   f'<td><a href="#{v.anchor}">{esc(v.heading())}</a>'
                   f'<span class="fname">{esc(Path(v.result.path).name)}</span></td>'
                   + "".join(f'<td class="n">{x}</td>' for x in cells)
                   + f'<td class="path">{esc(v.result.path)}</td></tr>\n')
    out.append("</tbody>\n</table></div>\n</nav>\n")
    return "".join(out)


LEGEND = ('<p class="legend" aria-label="图例">图例：'
          '<span class="key mark-fix">13<span class="fix">应为 12</span> 最可能填错的格</span>'
          '<span class="key mark-check">5<span class="sign">?</span> 请核对的格</span>'
          '<span class="key mark-part">4 同一核对涉及的其他格</span>'
          '<span class="key mark-warn">0<span class="sign">!</span> 需要留意</span>'
          '<span class="key blank"><span class="raw note">空白</span> 原文没有填写</span>'
          '<span class="legend-note">点击标出的格子可看说明和它在原文中的位置。</span></p>\n')
