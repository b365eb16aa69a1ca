"""The HTML overview (summary --format html) and the HTML comparison (compare --format html):
one self-contained page each (inline CSS and SVG, one small inline script to sort the table;
nothing loaded from anywhere), that opens offline and prints on A4 landscape.

The overview: the run's counts, a sortable table of every report (verdict, office, year, key
figures, indicators, anomalies, a link to the report's checked tables when the pages were
written beside it), then per office its charts over the years with the anomalies marked, a
table of its key figures by year and the anomalies and cross-year findings in words.
Everything from a report is escaped."""

from __future__ import annotations

from validator.overview import charts, show
from validator.overview.indicators import indicators as compute
from validator.overview.pages import GENERATOR
from validator.overview.render_text import totals_text
from validator.overview.summary import Summary
from validator.overview.yoy import Pair, marks
from validator.report.html import STATUS_SIGN, esc

STATUS_ORDER = {"fail": 0, "error": 1, "incomplete": 2, "pass": 3}  # sorting: the worst first

CSS = """
:root{--fail:#b00020;--warn:#8a5a00;--pass:#1b6e20;--inc:#6b4f00;--mark:#c00000;--line:#c8ccd2}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.2rem;
color:#1d1d1f;font-size:14px;line-height:1.45}
svg text{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif}
h1{font-size:1.45rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.4rem 0 .5rem;border-bottom:2px solid #333}
h3{font-size:1.05rem;margin:.2rem 0 .3rem}.run{margin:.2rem 0}.note{color:#444;font-size:.9em}
table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.15rem .4rem;vertical-align:top}
th{background:#eef0f3;font-weight:600;text-align:center}td.n{text-align:right;font-variant-numeric:tabular-nums}
table.reports{font-size:12.5px;width:100%}table.reports th{cursor:pointer;white-space:nowrap}
table.reports th[aria-sort=ascending]::after{content:" ▲"}table.reports th[aria-sort=descending]::after{content:" ▼"}
.badge{display:inline-block;padding:0 .35rem;border-radius:.25rem;font-weight:600;white-space:nowrap;border:1px solid}
.st-fail .badge,.badge.st-fail{color:var(--fail);border-color:var(--fail)}
.st-pass .badge,.badge.st-pass{color:var(--pass);border-color:var(--pass)}
.st-incomplete .badge,.badge.st-incomplete{color:var(--inc);border-color:var(--inc);border-style:dashed}
.st-error .badge,.badge.st-error{color:#555;border-color:#555;border-style:dotted}
.flag{color:var(--mark);font-weight:700}td.flagged{outline:2px solid var(--mark);outline-offset:-2px}
article.office{margin:1rem 0 1.6rem;break-inside:avoid;page-break-inside:avoid}
figure{margin:.2rem 0}figure svg{max-width:100%;height:auto}
table.years{font-size:12px}table.years td:first-child,table.years th:first-child{text-align:left}
ul.anomalies{margin:.3rem 0;padding-left:1.2rem}nav ol{columns:2;font-size:.92em}
@page{size:A4 landscape;margin:10mm}
@media print{body{margin:0;font-size:10.5px}table.reports{font-size:9px}table.years{font-size:9px}
thead{display:table-header-group}tr{break-inside:avoid}a{color:inherit;text-decoration:none}
nav{display:none}h2{break-after:avoid}section.offices h2{break-before:page}}
"""

# Sort on a click on a header: numbers by their data-v value, text as written; undefined last.
SCRIPT = """
document.querySelectorAll("table.reports").forEach(function(t){
 t.querySelectorAll("th").forEach(function(th,i){
  th.tabIndex=0;
  function go(){var asc=th.getAttribute("aria-sort")!=="ascending";
   t.querySelectorAll("th").forEach(function(x){x.removeAttribute("aria-sort")});
   th.setAttribute("aria-sort",asc?"ascending":"descending");
   var rows=Array.prototype.slice.call(t.tBodies[0].rows);
   rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i];
    var u=x.dataset.v,v=y.dataset.v;
    if(u===undefined||v===undefined){u=x.textContent;v=y.textContent;return asc?u.localeCompare(v,"zh"):v.localeCompare(u,"zh")}
    if(u==="")return 1;if(v==="")return -1;return asc?u-v:v-u});
   rows.forEach(function(r){t.tBodies[0].appendChild(r)})}
  th.addEventListener("click",go);th.addEventListener("keydown",function(e){if(e.key==="Enter")go()})})});
"""


def _head(title: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8"/>\n' + GENERATOR + "\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")


def _num(x, text: str | None = None) -> str:
    """A number cell that sorts by its value (an undefined one last)."""
    v = "" if x is None else repr(float(x))
    return f'<td class="n" data-v="{v}">{esc(text if text is not None else show.value(x))}</td>'


def _badge(status: str) -> str:
    return f'<span class="badge st-{status}">{STATUS_SIGN[status]} {show.STATUS[status]}</span>'


def overview(s: Summary, book, pages=None, jobs: int = 1) -> str:
    out = [_head(f"政府信息公开工作年度报告汇总（{len(s.lines)} 份）"),
           "<header>\n<h1>政府信息公开工作年度报告汇总</h1>\n",
           f'<p class="run">{esc(totals_text(s))}</p>\n',
           ('<p class="note">点击表头排序。“—”表示无法计算（分母为 0，或所需数字未能读出），不是 0。'
            "同比异常（<span class=\"flag\">!</span>）是评估时需要核实的变化，不是报告的错误。</p>\n</header>\n")]
    names = list(s.offices)
    several = {n for n in names if len(s.offices[n]) > 1}  # offices with more than one year
    if several:
        out.append('<nav aria-label="机关">\n<h2>各机关</h2>\n<ol>\n')
        out += [f'<li><a href="#office-{i}">{esc(n)}</a>（{len(s.offices[n])} 份）</li>\n'
                for i, n in enumerate(names, 1) if n in several]
        out.append("</ol>\n</nav>\n")
    out.append(_reports_table(s, pages))
    if several:
        out.append('<section class="offices">\n<h2>各机关逐年变化</h2>\n')
        by_office: dict[str, list[Pair]] = {}
        for p in s.pairs:
            by_office.setdefault(p.office, []).append(p)
        drawn = [n for n in names if n in several and _drawn(s, n)]
        series = [_series(s, n, by_office.get(n, [])) for n in drawn]
        drawings = dict(zip(drawn, charts.draw_all(series, jobs)))
        for i, name in enumerate(names, 1):
            if name in several:
                out.append(_office(s, name, i, drawings.get(name), by_office.get(name, [])))
        out.append("</section>\n")
    out.append(f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(out)


def _reports_table(s: Summary, pages) -> str:
    spec = s.spec
    figures = [f for f in spec.figures if f.brief]
    inds = [i for i in spec.indicators if i.brief]
    heads = ["结果", "机关", "年度", "格式", "错误", "警告", "提示", *(f.label for f in figures),
             *(i.label for i in inds), "同比异常", "文件"]
    out = ['<section>\n<h2>报告一览</h2>\n<table class="reports">\n<thead><tr>',
           "".join(f'<th scope="col">{esc(h)}</th>' for h in heads), "</tr></thead>\n<tbody>\n"]
    for line in s.lines:
        r = line.result
        st = r.status
        read = st != "error"
        href = pages.href(r.path) if pages else None
        path = esc(r.path)
        link = f'<a href="{esc(href)}">{path}</a>' if href else path
        title = f' title="{esc(r.error)}"' if r.error else ""
        out.append(f'<tr class="st-{st}"><td data-v="{STATUS_ORDER[st]}"{title}>{_badge(st)}</td>'
                   f"<td>{esc(r.office or '—')}</td>{_num(r.year, str(r.year or '—'))}<td>{esc(r.format or '—')}</td>"
                   + "".join(_num(line.counts[k] if read else None) for k in ("error", "warning", "info"))
                   + "".join(_num(line.figures.get(f.code)) for f in figures)
                   + "".join(_num(line.indicators[i.code], show.indicator(line.indicators[i.code], i.percent))
                             for i in inds)
                   + _num(line.anomalies, f"! {line.anomalies}" if line.anomalies else "")
                   + f"<td>{link}</td></tr>\n")
    out.append("</tbody>\n</table>\n</section>\n")
    return "".join(out)


def _drawn(s: Summary, office: str) -> bool:
    """Whether a chart would show anything: some charted figure not 0 in some year."""
    codes = {c for chart in s.spec.charts for c in chart.figures}
    return any(r.figures["figures"].get(c) for r in s.offices[office] for c in codes)


def _series(s: Summary, office: str, pairs: list[Pair]) -> charts.Series:
    rows = s.offices[office]
    by_year = {r.result.year: r for r in rows}
    years = list(range(min(by_year), max(by_year) + 1))
    panels = []
    for chart in s.spec.charts:
        lines = []
        for code in chart.figures:
            values = [by_year[y].figures["figures"].get(code) if y in by_year else None for y in years]
            lines.append((code, s.spec.labels[code], values))
        panels.append((chart.title, chart.kind, lines))
    flagged = [(a.item.figure, a.year, a.code) for p in pairs for a in p.anomalies if a.item.figure]
    return charts.Series(office, years, panels, flagged)


def _office(s: Summary, name: str, i: int, drawing: str | None, pairs: list[Pair]) -> str:
    spec = s.spec
    rows = s.offices[name]
    flagged = {(a.item.figure, a.year) for p in pairs for a in p.anomalies if a.item.figure}
    years = [r.result.year for r in rows]
    out = [f'<article class="office" id="office-{i}">\n<h3>{esc(name)}</h3>\n',
           f'<figure aria-label="{esc(name)} 各年度关键数字">{drawing}</figure>\n' if drawing else
           '<p class="note">各年度图中各项（申请、办理结果、复议、诉讼）都是 0，未绘图。</p>\n',
           '<table class="years">\n<thead><tr><th scope="col">项目</th>',
           "".join(f'<th scope="col">{y}</th>' for y in years), "</tr></thead>\n<tbody>\n"]
    hidden = 0
    for f in spec.figures:
        values = [r.figures["figures"].get(f.code) for r in rows]
        if all(not v for v in values):  # 0 or undefined every year: said once, below the table
            hidden += 1
            continue
        cells = []
        for r, v in zip(rows, values):
            mark = (f.code, r.result.year) in flagged
            cells.append(f'<td class="n{" flagged" if mark else ""}">{"<span class=flag>!</span> " if mark else ""}'
                         f"{esc(show.value(v))}</td>")
        out.append(f"<tr><td>{esc(f.label)}</td>{''.join(cells)}</tr>\n")
    computed = [compute(spec, r.figures["figures"]) for r in rows]
    for ind in spec.indicators:
        values = [c[ind.code] for c in computed]
        if all(v is None for v in values):
            continue
        out.append(f"<tr><td>{esc(ind.label)}</td>"
                   + "".join(f'<td class="n">{esc(show.indicator(v, ind.percent))}</td>' for v in values) + "</tr>\n")
    out.append("</tbody>\n</table>\n")
    if hidden:
        out.append(f'<p class="note">另有 {hidden} 项关键数字各年度都是 0 或无法读出，未列出。</p>\n')
    items = [(a.severity, a.code, f"{a.year} 年度 {a.message}") for p in pairs for a in p.anomalies]
    items += [(f.severity, f.code, f"{p.year} 年度 {f.message}") for p in pairs for f in p.crossyear]
    out.append(_said(items))
    out.append("</article>\n")
    return "".join(out)


def _said(items: list[tuple[str, str, str]]) -> str:
    """Anomalies and cross-year findings in words: (severity, code, text) each."""
    if not items:
        return ""
    return ('<ul class="anomalies">\n'
            + "".join(f'<li><span class="flag">!</span> {show.SEVERITY_WORDS[sev]} <code>{esc(code)}</code> '
                      f"{esc(text)}</li>\n" for sev, code, text in items) + "</ul>\n")


def compare_page(spec, pair: Pair, notes: list[str]) -> str:
    py, ny = pair.prev_year, pair.year
    title = f"{pair.office} {py or '？'}→{ny or '？'} 年度比较"
    out = [_head(title), f"<header>\n<h1>{esc(title)}</h1>\n"]
    for label, row in (("上年", pair.prev), ("本年", pair.now)):
        r = row.result
        out.append(f'<p class="run">{label} {esc(r.path)}（{esc(r.format or "格式未知")} 年格式） {_badge(r.status)}</p>\n')
    out += [f'<p class="note">注意：{esc(n)}</p>\n' for n in notes]
    out.append('<p class="note">“—”表示无法计算或未能读出，不是 0。</p>\n</header>\n')

    def table(caption: str, heads: list[str], body: list[str]) -> str:
        return (f"<section>\n<h2>{esc(caption)}</h2>\n<table class=\"years\">\n<thead><tr>"
                + "".join(f'<th scope="col">{esc(h)}</th>' for h in heads) + "</tr></thead>\n<tbody>\n"
                + "".join(body) + "</tbody>\n</table>\n</section>\n")

    def row(c) -> str:
        codes = marks(spec, c)
        cls = ' class="n flagged"' if codes else ' class="n"'
        mark = f'<span class="flag">!</span> {esc(" ".join(codes))}' if codes else ""
        return (f"<tr><td>{esc(c.label)}</td><td class=\"n\">{esc(show.value(c.prev))}</td>"
                f"<td{cls}>{esc(show.value(c.now))}</td><td class=\"n\">{esc(show.change(c.change))}</td>"
                f"<td class=\"n\">{esc(show.ratio(c.ratio))}</td><td>{mark}</td></tr>\n")

    heads = ["项目", f"{py} 年", f"{ny} 年", "变化", "倍数", "同比异常"]
    out.append(table("关键数字", heads, [row(c) for c in pair.figures]))
    before, after = compute(spec, pair.prev.figures["figures"]), compute(spec, pair.now.figures["figures"])
    body = []
    for ind in spec.indicators:
        b, a = before[ind.code], after[ind.code]
        delta = None if a is None or b is None else a - b
        body.append(f"<tr><td>{esc(ind.label)}</td><td class=\"n\">{esc(show.indicator(b, ind.percent))}</td>"
                    f"<td class=\"n\">{esc(show.indicator(a, ind.percent))}</td>"
                    f"<td class=\"n\">{esc(show.points(delta) if ind.percent else show.change(delta))}</td>"
                    f"<td>{esc(ind.summary)}</td></tr>\n")
    out.append(table("指标", ["指标", f"{py} 年", f"{ny} 年", "变化", "定义"], body))
    changed = list(pair.cells(changed_only=True))
    out.append(table(f"表三、表四有变化的单元格（{len(changed)} 个）", ["单元格", *heads[1:]],
                     [row(c) for c in changed]))
    items = [(a.severity, a.code, a.message) for a in pair.anomalies]
    items += [(f.severity, f.code, f.message) for f in pair.crossyear]
    out.append("<section>\n<h2>同比异常与跨年度核对</h2>\n")
    out.append(_said(items) or "<p>无。</p>\n")
    out.append("</section>\n</body>\n</html>\n")
    return "".join(out)
