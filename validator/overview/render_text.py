"""The text output of summary and compare: aligned tables in Chinese (widths by rich's cell
measure, so CJK text lines up), a line per anomaly. Tables are laid out here rather than by
rich's Table, which takes seconds for thousands of rows; a terminal gets the verdicts in colour."""

from __future__ import annotations

from rich.cells import cell_len

from validator.overview import show
from validator.overview.indicators import indicators as compute
from validator.overview.summary import Summary
from validator.overview.yoy import Pair, marks

STATUS_COLOUR = {"pass": "32", "fail": "31", "incomplete": "33", "error": "35"}  # ANSI: green, red, yellow, magenta


def grid(heads: list[str], rows: list[list[str]], right: set[int], colour=None) -> list[str]:
    """Columns two spaces apart, numbers (`right`) right-aligned, no trailing spaces;
    `colour(i, j)`: an ANSI colour for a cell, or None."""
    widths = [max(cell_len(x) for x in col) for col in zip(heads, *rows)]
    out = []
    for i, row in enumerate([heads, *rows]):
        cells = []
        for j, (x, w) in enumerate(zip(row, widths)):
            pad = " " * (w - cell_len(x))
            text = pad + x if j in right else x + pad
            code = colour(i - 1, j) if colour and i else None
            cells.append(f"\x1b[{code}m{text}\x1b[0m" if code else text)
        out.append("  ".join(cells).rstrip())
    return out


def summary(out, s: Summary, plain: bool = True) -> None:
    brief_figures = [f for f in s.spec.figures if f.brief]
    brief_indicators = [i for i in s.spec.indicators if i.brief]
    heads = ["结果", "机关", "年度", "格式", "错误", "警告", "提示", *(f.label for f in brief_figures),
             *(i.label for i in brief_indicators), "异常", "文件"]
    rows = []
    for line in s.lines:
        r = line.result
        read = r.status != "error"
        rows.append([show.STATUS[r.status], r.office or show.UNDEFINED, str(r.year or show.UNDEFINED),
                     r.format or show.UNDEFINED,
                     *(str(line.counts[k]) if read else show.UNDEFINED for k in ("error", "warning", "info")),
                     *(show.value(line.figures.get(f.code)) for f in brief_figures),
                     *(show.indicator(line.indicators.get(i.code), i.percent) for i in brief_indicators),
                     str(line.anomalies) if line.anomalies else "", r.path])
    right = set(range(2, len(heads) - 1)) - {3}
    colour = None if plain else (lambda i, j: STATUS_COLOUR[s.lines[i].result.status] if j == 0 else None)
    text = grid(heads, rows, right, colour)
    flags = s.anomalies
    if flags:
        text += ["", f"同比异常（{len(flags)} 项；评估时需要核实的变化，不是报告的错误）："]
        text += [f"  {show.SEVERITY_WORDS[a.severity]} {a.code} {a.office} {a.year} 年度 {a.message}  ({a.path})"
                 for a in flags]
    chain = [(p, f) for p in s.pairs for f in p.crossyear]
    if chain:
        text += ["", f"跨年度核对（lint 的 rules/crossyear.yaml，{len(chain)} 项）："]
        text += [f"  {show.SEVERITY_WORDS[f.severity]} {f.code} {p.office} {p.year} 年度 {f.message}" for p, f in chain]
    text += ["", totals_text(s)]
    out.write("\n".join(text) + "\n")


def totals_text(s: Summary) -> str:
    t = s.totals()
    c = t["findings"]
    span = show.year_span(t["years"])
    return (f"汇总报告 {t['files']} 份（{t['offices']} 个机关{'，' + span if span else ''}）：通过 {t['passed']}，"
            f"未通过 {t['failed']}，部分未核对 {t['incomplete']}，无法读取 {t['errors']}；"
            f"错误 {c['error']} 项，警告 {c['warning']} 项，提示 {c['info']} 项；"
            f"相邻年度 {t['pairs']} 组，同比异常 {t['anomalies']} 项")


def _side(label: str, row) -> str:
    r = row.result
    fmt = f"{r.format} 年格式" if r.format else "格式未知"
    return f"  {label} {r.path}（{fmt} · {show.STATUS[r.status]}）"


def compare(out, spec, pair: Pair, notes: list[str]) -> None:
    py, ny = pair.prev_year, pair.year
    years = [f"{py} 年", f"{ny} 年"]
    text = [f"比较 {pair.office}：{py or '？'} 年度 → {ny or '？'} 年度", _side("上年", pair.prev),
            _side("本年", pair.now), *(f"  注意：{n}" for n in notes), ""]

    def changes(items, first: str, indent: str = "") -> list[str]:
        rows = [[indent + c.label, show.value(c.prev), show.value(c.now), show.change(c.change), show.ratio(c.ratio),
                 " ".join(marks(spec, c))] for c in items]
        return grid([first, *years, "变化", "倍数", "异常"], rows, {1, 2, 3, 4})

    text += changes(pair.figures, "关键数字") + [""]
    before, after = compute(spec, pair.prev.figures["figures"]), compute(spec, pair.now.figures["figures"])
    rows = []
    for ind in spec.indicators:
        b, a = before[ind.code], after[ind.code]
        delta = None if a is None or b is None else a - b
        rows.append([ind.label, show.indicator(b, ind.percent), show.indicator(a, ind.percent),
                     show.points(delta) if ind.percent else show.change(delta), ind.summary])
    text += grid(["指标", *years, "变化", "定义"], rows, {1, 2, 3}) + [""]

    changed = list(pair.cells(changed_only=True))
    common = sum(1 for _ in pair.cells())
    if changed:
        text.append(f"表三、表四有变化的单元格（{len(changed)} 个；两份报告共有的其余 {common - len(changed)} 个单元格未变）：")
        text += changes(changed, "单元格", "  ")
    else:
        text.append(f"表三、表四两份报告共有的 {common} 个单元格都没有变化。")
    text.append("")
    if pair.anomalies:
        text.append(f"同比异常（{len(pair.anomalies)} 项；评估时需要核实的变化，不是报告的错误）：")
        text += [f"  {show.SEVERITY_WORDS[a.severity]} {a.code} {a.message}" for a in pair.anomalies]
    else:
        text.append("同比异常：无。")
    chain = pair.crossyear
    if chain:
        text.append(f"跨年度核对（{len(chain)} 项）：")
        text += [f"  {show.SEVERITY_WORDS[f.severity]} {f.code} {f.message}" for f in chain]
    elif notes:
        text.append("跨年度核对：未进行（需为同一机关的相邻年度）。")
    else:
        text.append("跨年度核对：上年结转与上一年度结转下年度等衔接无问题。")
    out.write("\n".join(text) + "\n")
