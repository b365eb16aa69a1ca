"""Our own reports as PDF (reportlab, built-in CJK CID font) and DOCX (python-docx), drawn as the
official grids (merged label cells, spans) from the same tables as validator.synth's layouts."""

import io

from validator import synth

# An anchor cell: (text, row, col, rowspan, colspan); other positions of a span stay empty.
Anchor = tuple[str, int, int, int, int]


def t2_grid(fmt, t2) -> tuple[int, list[Anchor]]:
    out, r = [], 0
    for heading, headers, rows in synth.T2_BLOCKS[fmt]:
        out.append((heading, r, 0, 1, 4))
        r += 1
        out += [("信息内容", r, 0, 1, 1)] + _spread(headers, r)
        r += 1
        for rid, label, cols in rows:
            out += [(label, r, 0, 1, 1)] + _spread([synth._text(t2[rid][c]) for c in cols], r)
            r += 1
    return 4, out


def _spread(texts, r):
    """Texts over the three value columns; a single one spans them all."""
    if len(texts) == 1:
        return [(texts[0], r, 1, 1, 3)]
    spans = [1] * len(texts)
    spans[-1] = 3 - len(texts) + 1
    out, c = [], 1
    for text, span in zip(texts, spans):
        out.append((text, r, c, 1, span))
        c += span
    return out


def t3_grid(fmt, t3) -> tuple[int, list[Anchor]]:
    out = [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 0, 3, 3),
           ("申请人情况", 0, 3, 1, 7), ("自然人", 1, 3, 2, 1), ("法人或其他组织", 1, 4, 1, 5), ("总计", 1, 9, 2, 1)]
    out += [(label, 2, 4 + i, 1, 1) for i, label in enumerate(synth.T3_COL_LABELS[1:6])]
    rows = synth.t3_rows(fmt)
    outcome = rows[2:-1]  # （一） … （七）总计
    groups: dict[str, list[str]] = {}
    for r in outcome:
        if "." in r:
            groups.setdefault(r.split(".")[0], []).append(r)
    for i, r in enumerate(rows):
        row = 3 + i
        if r in ("new", "carried_over", "carry_forward"):
            out.append((synth.T3_LABELS[r], row, 0, 1, 3))
        else:
            if r == outcome[0]:
                out.append(("三、本年度办理结果", row, 0, len(outcome), 1))
            group = r.split(".")[0] if "." in r else None
            if group is None:
                out.append((synth.T3_LABELS[r], row, 1, 1, 2))
            else:
                if groups[group][0] == r:
                    out.append((synth.T3_GROUPS[group], row, 1, len(groups[group]), 1))
                out.append((synth.T3_LABELS[r], row, 2, 1, 1))
        out += [(synth._text(t3[r][c]), row, 3 + j, 1, 1) for j, c in enumerate(synth.T3_COLS)]
    return 10, out


def t4_grid(t4) -> tuple[int, list[Anchor]]:
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    out = [("行政复议", 0, 0, 1, 5), ("行政诉讼", 0, 5, 1, 10), ("未经复议直接起诉", 1, 5, 1, 5), ("复议后起诉", 1, 10, 1, 5)]
    out += [(h, 1, i, 2, 1) for i, h in enumerate(heads)] + [(h, 2, 5 + i, 1, 1) for i, h in enumerate(heads * 2)]
    out += [(synth._text(t4[r][c]), 3, 5 * g + j, 1, 1) for g, r in enumerate(synth.T4_ROWS)
            for j, c in enumerate(synth.T4_COLS)]
    return 15, out


def grids(fmt, tables):
    tables = tables or synth.figures(fmt)
    return [("二、主动公开政府信息情况", t2_grid(fmt, tables["t2"])),
            ("三、收到和处理政府信息公开申请情况", t3_grid(fmt, tables["t3"])),
            ("四、政府信息公开行政复议、行政诉讼情况", t4_grid(tables["t4"]))]


def make_docx(fmt="2021", tables=None, year=None) -> bytes:
    import docx

    d = docx.Document()
    for text in _head(fmt, year):
        d.add_paragraph(text)
    for heading, (width, anchors) in grids(fmt, tables):
        d.add_paragraph(heading)
        height = max(r + rs for _, r, _, rs, _ in anchors)
        t = d.add_table(rows=height, cols=width)
        for text, r, c, rs, cs in anchors:
            cell = t.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(t.cell(r + rs - 1, c + cs - 1))
            cell.text = ""
            # the text over two runs, as Word leaves it after an edit
            cell.paragraphs[0].add_run(text[: len(text) // 2])
            cell.paragraphs[0].add_run(text[len(text) // 2:])
    for text in _tail(fmt):
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


WIDTHS = {4: [130, 110, 110, 110], 10: [22, 52, 106] + [40] * 7, 15: [460 / 15] * 15}


def make_pdf(fmt="2021", tables=None, year=None, filler=0) -> bytes:
    """`filler` paragraphs before 表三 push it across a page break (reportlab cannot split a
    row span, so then the label columns are drawn unmerged); every page has a footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=10, leading=14)
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=8)
    story = [Paragraph(t, style) for t in _head(fmt, year)]
    for heading, (width, anchors) in grids(fmt, tables):
        if heading.startswith("三"):
            story += [Paragraph("本年度依申请公开工作情况如下。" * 3, style)] * filler
        story.append(Paragraph(heading, style))
        height = max(r + rs for _, r, _, rs, _ in anchors)
        data = [[""] * width for _ in range(height)]
        spans = []
        for text, r, c, rs, cs in anchors:
            data[r][c] = Paragraph(text, cell_style)  # long labels wrap inside their cell
            if filler and r >= 3:
                rs = 1
            if rs > 1 or cs > 1:
                spans.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        table = Table(data, colWidths=WIDTHS[width])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   *spans]))
        story += [table, Spacer(1, 8)]
    story += [Paragraph(t, style) for t in _tail(fmt)]

    def footer(canvas, doc):
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(297, 30, f"- {doc.page} -")

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def make_text_pdf(lines: list[str]) -> bytes:
    """A PDF whose tables are drawn without rules: each line as text, cells apart by spaces."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800
    for line in lines:
        if y < 60:
            c.showPage()
            y = 800
        c.setFont("STSong-Light", 8)
        c.drawString(30, y, line)
        y -= 14
    c.save()
    return buf.getvalue()


def _head(fmt, year):
    year = year or (2022 if fmt == "2021" else 2019)
    return [f"青山区民政局{year}年政府信息公开工作年度报告", "一、总体情况", "本年度，我局认真贯彻落实政府信息公开条例。"]


def _tail(fmt):
    return ["五、存在的主要问题及改进情况", "政策解读形式还不够丰富，下一步将加强培训和督促检查。", "六、其他需要报告的事项",
            "本年度未收取信息处理费。" if fmt == "2021" else "无。"]
