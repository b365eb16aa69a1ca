"""Synthetic reports in the real layouts, for tests and benchmarks.

`figures()` makes tables that satisfy every identity; tests then change one cell (a number,
or a string for how the cell is written: "" blank, "/" …) and render the report in a layout:
`cells` (scraped text, one cell per line), `rows` (markdown pipe rows) or `html`."""

from __future__ import annotations

import html as _html
import random

from validator import rulebook

T3_COLS = ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
# The official labels are the rules' own (rules/layout.yaml): one copy of them.
_T3 = rulebook.load().tables["t3"]
T3_LABELS = dict(_T3.row_labels)
T3_GROUPS = dict(_T3.drawing["groups"])
T3_COL_LABELS = [_T3.columns[c].label for c in T3_COLS]
T4_ROWS = ["review", "suit_direct", "suit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
# 表二 blocks: (heading, header labels, [(row id, label, column ids)])
T2_BLOCKS = {
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("regulations", "规章", ["issued", "repealed", "in_force"]),
          ("normative_documents", "行政规范性文件", ["issued", "repealed", "in_force"])]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可", ["decisions"])]),
        ("第二十条第（六）项", ["本年处理决定数量"],
         [("punishment", "行政处罚", ["decisions"]), ("coercion", "行政强制", ["decisions"])]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费", ["amount"])]),
    ],
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("regulations", "规章", ["made", "published", "public_total"]),
          ("normative_documents", "规范性文件", ["made", "published", "public_total"])]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("licensing", "行政许可", ["prev_items", "change", "decisions"]),
          ("other_services", "其他对外管理服务事项", ["prev_items", "change", "decisions"])]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("punishment", "行政处罚", ["prev_items", "change", "decisions"]),
          ("coercion", "行政强制", ["prev_items", "change", "decisions"])]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("fees", "行政事业性收费", ["prev_items", "change"])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("procurement", "政府集中采购", ["items", "amount"])]),
    ],
}


def t3_rows(fmt: str) -> list[str]:
    other = ["other_handling"] if fmt == "2019" else [
        "other_handling.overdue_correction", "other_handling.overdue_fee", "other_handling.misc"]
    rows = [r for r in T3_LABELS if r not in ("new", "carried_over", "total", "carry_forward")
            and not r.startswith("other_handling")]
    return ["new", "carried_over"] + rows + other + ["total", "carry_forward"]


def figures(fmt: str = "2021", seed: int = 1) -> dict:
    """Tables that satisfy every identity of the format."""
    rnd = random.Random(seed)
    t3: dict[str, dict] = {}
    outcome = [r for r in t3_rows(fmt) if r not in ("new", "carried_over", "total", "carry_forward")]
    for r in outcome:
        t3[r] = {c: rnd.choice([0, 0, 0, 1, 2, 5, 13]) if c == "natural" else rnd.choice([0, 0, 0, 0, 1])
                 for c in T3_COLS[:-1]}
    t3["total"] = {c: sum(t3[r][c] for r in outcome) for c in T3_COLS[:-1]}
    t3["carried_over"] = {c: rnd.randint(0, min(3, t3["total"][c])) for c in T3_COLS[:-1]}
    t3["carry_forward"] = {c: rnd.randint(0, 4) for c in T3_COLS[:-1]}
    t3["new"] = {c: t3["total"][c] + t3["carry_forward"][c] - t3["carried_over"][c] for c in T3_COLS[:-1]}
    for row in t3.values():
        row["total"] = sum(row[c] for c in T3_COLS[:-1])
    t4 = {}
    for r in T4_ROWS:
        parts = {c: rnd.randint(0, 6) for c in T4_COLS[:-1]}
        t4[r] = {**parts, "total": sum(parts.values())}
    if fmt == "2021":
        t2 = {"regulations": {"issued": 1, "repealed": 0, "in_force": 12},
              "normative_documents": {"issued": 6, "repealed": 2, "in_force": 41},
              "licensing": {"decisions": rnd.randint(100, 9000)}, "punishment": {"decisions": rnd.randint(0, 900)},
              "coercion": {"decisions": rnd.randint(0, 50)}, "fees": {"amount": 1234.56}}
    else:
        t2 = {"regulations": {"made": 0, "published": 0, "public_total": 3},
              "normative_documents": {"made": 5, "published": 5, "public_total": 37},
              "licensing": {"prev_items": 120, "change": "+4", "decisions": 5233},
              "other_services": {"prev_items": 35, "change": "-2", "decisions": 410},
              "punishment": {"prev_items": 60, "change": 0, "decisions": 88},
              "coercion": {"prev_items": 9, "change": 0, "decisions": 2},
              "fees": {"prev_items": 4, "change": 0},
              "procurement": {"items": 6, "amount": 251.3}}
    return {"t2": t2, "t3": t3, "t4": t4}


def _text(v) -> str:
    if isinstance(v, str):
        return v
    return f"{v:.12g}" if isinstance(v, float) else str(v)


def _t3_label_runs(fmt: str) -> list[tuple[list[str], str]]:
    """(label cells, row id) in table order, with group headings before their first item."""
    out, seen = [], set()
    for r in t3_rows(fmt):
        labels = []
        if r == "granted":
            labels.append("三、本年度办理结果")
        group = r.split(".")[0] if "." in r else None
        if group and group not in seen:
            seen.add(group)
            labels.append(T3_GROUPS[group])
        labels.append(T3_LABELS[r])
        out.append((labels, r))
    return out


def _rows(fmt: str, tables: dict) -> list[tuple[str, list[list[str]]]]:
    """Each table as (section heading, rows of cell texts); labels first in each row."""
    t2 = []
    for heading, headers, rows in T2_BLOCKS[fmt]:
        t2.append([heading])
        t2.append(["信息内容", *headers])
        for rid, label, cols in rows:
            t2.append([label, *(_text(tables["t2"][rid][c]) for c in cols)])
    t3 = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
          ["自然人", "法人或其他组织", "总计"], T3_COL_LABELS[1:6]]
    for labels, r in _t3_label_runs(fmt):
        t3.append([*labels, *(_text(tables["t3"][r][c]) for c in T3_COLS)])
    t4 = [["行政复议", "行政诉讼"],
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
          [_text(tables["t4"][r][c]) for r in T4_ROWS for c in T4_COLS]]
    return [("二、主动公开政府信息情况", t2), ("三、收到和处理政府信息公开申请情况", t3),
            ("四、政府信息公开行政复议、行政诉讼情况", t4)]


def _paragraphs(fmt: str, year: int, office: str) -> tuple[list[str], list[str], list[str]]:
    head = [f"{office}{year}年政府信息公开工作年度报告", "一、总体情况",
            f"{year}年，{office}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。"]
    tail = ["五、存在的主要问题及改进情况", "政务公开的精细化水平仍需提升，下一步将加强培训和督促检查。",
            "六、其他需要报告的事项", "本年度未收取信息处理费。" if fmt == "2021" else "无其他需要报告的事项。"]
    return head, tail, ["[打印] [关闭]"]


def render(fmt: str = "2021", tables: dict | None = None, layout: str = "html", year: int | None = None,
           office: str = "青山区民政局", drop: tuple[str, ...] = ()) -> str:
    """A whole report as text in a layout: cells, rows, html, or glued (every cell run together).
    `drop` lists tables published as images (heading kept, no cells)."""
    tables = tables or figures(fmt)
    year = year or (2022 if fmt == "2021" else 2019)
    head, tail, chrome = _paragraphs(fmt, year, office)
    sections = [(h, None if tid in drop else rows) for (h, rows), tid in zip(_rows(fmt, tables), ("t2", "t3", "t4"))]
    if layout == "glued":  # a scraper that ran every cell together on one line
        cells = [c for heading, rows in sections for c in [heading, *(c for row in rows or [] for c in row)]]
        return "\n".join([head[0], "".join(head[1:] + cells + tail)]) + "\n"
    if layout == "cells":
        lines = ["首页 > 政务公开 > 政府信息公开年报", *head]
        for heading, rows in sections:
            lines.append(heading)
            lines.extend(["[图片]"] if rows is None else [c for row in rows for c in row])
        return "\n\n".join(lines + tail + chrome) + "\n"
    if layout == "rows":
        out = [f"# {head[0]}", "", *head[1:]]
        for heading, rows in sections:
            out += ["", f"## {heading}", ""]
            if rows is None:
                out.append("![表格](table.png)")
                continue
            width = max(len(r) for r in rows)
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * width)
            for r in rows[1:]:
                out.append("| " + " | ".join(r) + " |")
        return "\n".join(out + [""] + tail) + "\n"
    if layout == "html":
        body = [f"<p>{_html.escape(p)}</p>" for p in head]
        for heading, rows in sections:
            body.append(f"<p>{heading}</p>")
            if rows is None:
                body.append('<p><img src="table.png"/></p>')
                continue
            body.append('<table border="1"><tbody>')
            for r in rows:
                tds = "".join(f"<td><p><span>{_html.escape(c) or '&nbsp;'}</span></p></td>" for c in r)
                body.append(f"<tr>{tds}</tr>")
            body.append("</tbody></table>")
        body += [f"<p>{_html.escape(p)}</p>" for p in tail]
        return ('<html><head><meta charset="utf-8"><title>' + _html.escape(head[0]) + "</title></head><body>"
                '<div class="nav"><a href="/">首页</a> &gt; 政务公开</div><div class="article">'
                + "\n".join(body) + "</div><div>[打印] [关闭]</div></body></html>\n")
    raise ValueError(f"unknown layout {layout!r}")
