"""Synthetic reports in the real layouts, for tests and benchmarks.

`figures()` makes tables that satisfy every identity; tests then change one cell (a number,
or a string for how the cell is written: "" blank, "/" …) and render the report in a layout:
`cells` (scraped text, one cell per line), `rows` (markdown pipe rows), `html`, `glued`, or
`crawler` (a site crawler's page.txt: header lines, then the whole body on one line with prose
full of numbers and the tables' cells glued, spaced or partly spaced; see `crawler_page()`)."""

from __future__ import annotations

import html as _html
import random

from validator.rules import rulebook

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


def balance(tables: dict, fmt: str) -> dict:
    """After a test changed leaf cells, make the tables satisfy every identity again: 表三's
    （七）总计 row, 一、本年新收 (总计 + 结转下年度 − 上年结转, 上年结转 lowered if it must be),
    every 表三 row's 总计 and every 表四 总计. Changes `tables` in place and returns it."""
    t3 = tables["t3"]
    outcome = [r for r in t3_rows(fmt) if r not in ("new", "carried_over", "total", "carry_forward")]
    for c in T3_COLS[:-1]:
        t3["total"][c] = sum(t3[r][c] for r in outcome)
        t3["carried_over"][c] = min(t3["carried_over"][c], t3["total"][c] + t3["carry_forward"][c])
        t3["new"][c] = t3["total"][c] + t3["carry_forward"][c] - t3["carried_over"][c]
    for row in t3.values():
        row["total"] = sum(row[c] for c in T3_COLS[:-1])
    for row in tables["t4"].values():
        row["total"] = sum(row[c] for c in T4_COLS[:-1])
    return tables


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
           office: str = "青山区民政局", drop: tuple[str, ...] = (), options: dict | None = None) -> str:
    """A whole report as text in a layout: cells, rows, html, glued (every cell run together) or
    crawler (`options`: see crawler_page()). `drop` lists tables published as images (heading
    kept, no cells)."""
    tables = tables or figures(fmt)
    year = year or (2022 if fmt == "2021" else 2019)
    if layout == "crawler":
        return crawler_page(fmt, tables, year, office, drop, options)
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


# -- crawler pages -------------------------------------------------------------------------------

CRAWLER_MODES = ("glued", "spaced", "partly")
CRAWLER_OPTIONS = {
    "seed": 0,  # every random choice (spaces of "partly" and "mixed" rows, gaps, dates) follows it
    # How a row's cells are separated: "glued" (nothing), "spaced" (one space), "partly" (a space
    # or nothing at random between any two cells, label and values included), "mixed" (one of the
    # three at random per row). A string for every table, or a dict whose keys are a table id
    # ("t2"), a row ((table id, row id); 表四's one row of 15 values is ("t4", "values")) or "*".
    "spacing": "glued",
    "headers": "glued",  # header cells: "glued", "spaced", or "broken" (spaced, and 商业 企业, 本年新 制作数量)
    "chrome": True,  # 当前位置… breadcrumb and share bar before the body, 附件下载 after it
    "title": True,  # the title again at the start of the body
    "publisher": True,  # 发布机构 header filled in (many real pages leave it blank)
    "lead": (),  # table ids with a sentence between their heading and their first cell (…情况如下：)
    "signature": True,  # office and date at the end of the body
    "omit": (),  # (table id, row id) of rows left out entirely (表二 without 规章)
    "runs": {},  # (table id, row id) -> the row's values exactly as written; "" prints the label only
}
_BROKEN_HEADERS = {"商业企业": "商业 企业", "科研机构": "科研 机构", "本年新制作数量": "本年新 制作数量",
                   "本年新公开数量": "本年新 公开数量"}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _crawler_parts(fmt: str, tables: dict) -> dict[str, list[tuple]]:
    """Each table as parts: ("head", header cells) or ("row", (table id, row id), labels, values)."""
    t2 = []
    for heading, headers, rows in T2_BLOCKS[fmt]:
        t2.append(("head", [heading, "信息内容", *headers]))
        for rid, label, cols in rows:
            t2.append(("row", ("t2", rid), [label], [_text(tables["t2"][rid][c]) for c in cols]))
    t3 = [("head", [T3_NOTE, "申请人情况", "自然人", "法人或其他组织", "总计", *T3_COL_LABELS[1:6]])]
    for labels, r in _t3_label_runs(fmt):
        t3.append(("row", ("t3", r), labels, [_text(tables["t3"][r][c]) for c in T3_COLS]))
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t4 = [("head", ["行政复议", "行政诉讼", *results, "未经复议直接起诉", "复议后起诉", *results, *results]),
          ("row", ("t4", "values"), [], [_text(tables["t4"][r][c]) for r in T4_ROWS for c in T4_COLS])]
    return {"t2": t2, "t3": t3, "t4": t4}


def _crawler_mode(spacing, key: tuple[str, str], rnd: random.Random) -> str:
    if isinstance(spacing, str):
        mode = spacing
    else:
        mode = spacing.get(key, spacing.get(key[0], spacing.get("*", "glued")))
    if mode == "mixed":
        return rnd.choice(CRAWLER_MODES)
    if mode not in CRAWLER_MODES:
        raise ValueError(f"unknown spacing {mode!r}")
    return mode


def _gap(mode: str, rnd: random.Random) -> str:
    if mode == "glued":
        return ""
    if mode == "spaced":
        return " "
    return " " if rnd.random() < 0.5 else ""


def _crawler_table(parts: list[tuple], o: dict, rnd: random.Random) -> str:
    """One table's cells as a crawler joins them; the text after it follows with no break."""
    out, pending = "", ""
    for part in parts:
        if part[0] == "head":
            cells = part[1]
            if o["headers"] == "glued":
                text, after = "".join(cells), ""
            elif o["headers"] in ("spaced", "broken"):
                if o["headers"] == "broken":
                    cells = [_BROKEN_HEADERS.get(c, c) for c in cells]
                text, after = " ".join(cells), " "
            else:
                raise ValueError(f"unknown headers {o['headers']!r}")
            out += pending + text
            pending = after
            continue
        _, key, labels, values = part
        if key in o["omit"]:
            continue
        mode = _crawler_mode(o["spacing"], key, rnd)
        run = o["runs"].get(key)
        if run is None:
            run = values[0] if values else ""
            for v in values[1:]:
                run += _gap(mode, rnd) + v
        text = labels[0] if labels else ""
        for label in labels[1:]:
            text += _gap(mode, rnd) + label
        if run:
            text += (_gap(mode, rnd) if text else "") + run
        out += pending + text
        pending = _gap(mode, rnd)
    return out


def crawler_page(fmt: str, tables: dict, year: int, office: str, drop: tuple[str, ...] = (),
                 options: dict | None = None) -> str:
    """A site crawler's page.txt of the report: its header lines, then the whole page body on one
    line: page chrome, the title, prose full of numbers (years, dates, 件, 条, a telephone
    number, 国办函〔2020〕109号, sentences naming 规范性文件 and 行政许可 with counts that agree
    with the tables), the six headings, the tables' cells (CRAWLER_OPTIONS), prose glued straight
    onto a table's last value (`行政事业性收费0` + `2024年，…`), and a signature. Deterministic
    for given options (their `seed`)."""
    o = {**CRAWLER_OPTIONS, **(options or {})}
    unknown = set(o) - set(CRAWLER_OPTIONS)
    if unknown:
        raise ValueError(f"unknown crawler options {sorted(unknown)}")
    o["omit"] = set(o["omit"])
    rnd = random.Random(o["seed"])
    title = f"{office}{year}年政府信息公开工作年度报告"
    pub, day = year + 1, rnd.randint(10, 28)
    docid = rnd.randint(10000, 99999)
    t2, t3, t4 = tables["t2"], tables["t3"], tables["t4"]
    nd = t2["normative_documents"]["issued" if fmt == "2021" else "made"]
    licensing = t2["licensing"]["decisions"]
    active = rnd.randint(150, 900)
    suits = t4["suit_direct"]["total"] + t4["suit_after_review"]["total"]

    def gap() -> str:  # between prose and headings: the page keeps a space now and then
        return " " if rnd.random() < 0.3 else ""

    parts = _crawler_parts(fmt, tables)
    body = ""
    if o["chrome"]:
        body += (f"当前位置： 首页政务公开政府信息公开{office}政府信息公开年报 {title} 来源： 时间：{pub}-01-{day:02d} 10:07 "
                 "--> 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： ")
    if o["title"]:
        body += title + " "
    body += (f"根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）和上级关于做好年度报告工作的要求，"
             f"{office}编制了本报告。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
             "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。"
             f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
             f"如对本报告有疑问，请与{office}办公室联系（电话：0596-6123457）。")
    body += gap() + "一、总体情况" + gap()
    body += (f"{year}年，{office}坚持以公开为常态、不公开为例外，全年主动公开政府信息{active}条，"
             f"其中制发规范性文件{nd}件，公开行政许可决定{licensing}条。"
             f"（一）依申请公开。全年共收到政府信息公开申请{t3['new']['total']}件，上年结转申请{t3['carried_over']['total']}件；"
             f"予以公开{t3['granted']['total']}件，部分公开{t3['partial']['total']}件，其余申请均已依法答复。"
             f"（二）平台建设。{year}年3月起，门户网站政府信息公开专栏完成改版，新增栏目12个，"
             f"全年更新政策解读{rnd.randint(8, 40)}篇。")
    body += gap() + "二、主动公开政府信息情况" + gap()
    if "t2" in o["lead"]:
        body += f"{year}年，{office}主动公开政府信息的具体情况如下：" + gap()
    if "t2" not in drop:
        body += _crawler_table(parts["t2"], o, rnd)
    body += (f"{year}年，{office}通过门户网站和政务新媒体发布各类信息{active + rnd.randint(20, 200)}条，"
             "均经保密审查后公开。")
    body += gap() + "三、收到和处理政府信息公开申请情况" + gap()
    if "t3" in o["lead"]:
        body += "本机关收到和处理政府信息公开申请的具体情况如下：" + gap()
    if "t3" not in drop:
        body += _crawler_table(parts["t3"], o, rnd)
    body += "以上申请均在法定期限内答复，无逾期答复情况。"
    body += gap() + "四、政府信息公开行政复议、行政诉讼情况" + gap()
    if "t4" in o["lead"]:
        body += "本年度行政复议、行政诉讼情况见下表。" + gap()
    if "t4" not in drop:
        body += _crawler_table(parts["t4"], o, rnd)
    body += (f"{year}年，{office}因政府信息公开工作被申请行政复议{t4['review']['total']}件、"
             f"提起行政诉讼{suits}件。")
    body += gap() + "五、存在的主要问题及改进情况" + gap()
    body += ("一是政策解读的形式还比较单一；二是依申请公开答复的规范化水平有待提高。"
             f"{pub}年，{office}将加强业务培训，完善公开目录，提升政务公开质量。")
    body += gap() + "六、其他需要报告的事项" + gap()
    if fmt == "2021":
        body += ("依据《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号），"
                 f"本年度{office}未收取信息处理费。")
    else:
        body += "本年度无其他需要报告的事项。"
    if o["signature"]:
        body += f" {office} {pub}年1月{day}日"
    if o["chrome"]:
        body += " 附件下载"
    header = [f"标题: {title}", f"发布时间: {pub}-01-{day:02d} 10:07", "文号: ",
              f"发布机构: {office if o['publisher'] else ''}", "栏目: 政府信息公开年报",
              f"原文链接: https://www.example.gov.cn/zwgk/zfxxgk/zfxxgknb/{pub}01/t{pub}01{day:02d}_{docid}.htm",
              f"本地目录: zwgk/zfxxgk/zfxxgknb/{pub}01/{docid}_{title}", "页面链接与图片详见 links.tsv(同目录)",
              "==================== 正文 ====================", body]
    return "\n".join(header) + "\n"
