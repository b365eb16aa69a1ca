"""XLSX of summary (openpyxl, written in write-only mode: row by row, so thousands of reports
take seconds): a sheet of reports, one of findings, one of year-over-year changes and one of
anomalies; each with a frozen, filterable header. Numbers are number cells (indicators as
percentages), an undefined figure an empty cell, text cells are never formulas."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from validator.findings import TABLE_NAMES, number
from validator.overview import render_csv
from validator.overview.show import SEVERITY_WORDS, STATUS
from validator.overview.summary import Summary


class _Sheet:
    def __init__(self, wb: Workbook, title: str, header: list[str], widths: list[int]):
        self.ws = wb.create_sheet(title)
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.ws.freeze_panes = "A2"
        self.ncols, self.n = len(header), 1
        bold = Font(bold=True)
        cells = []
        for h in header:
            c = WriteOnlyCell(self.ws, value=h)
            c.font, c.alignment = bold, Alignment(wrap_text=True, vertical="top")
            cells.append(c)
        self.ws.append(cells)
        self.percent: set[int] = set()  # columns holding ratios shown as percentages

    def add(self, values) -> None:
        cells = list(values)
        for j, v in enumerate(cells):
            if isinstance(v, str) and v.startswith("="):  # text, never a formula
                cells[j] = c = WriteOnlyCell(self.ws, value=v)
                c.data_type = "s"
            elif j in self.percent and v is not None:
                cells[j] = c = WriteOnlyCell(self.ws, value=v)
                c.number_format = "0.0%"
        self.ws.append(cells)
        self.n += 1

    def close(self) -> None:
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.ncols)}{self.n}"


def _label(book, tid, row, column, fmt) -> tuple[str, str, str]:
    if tid not in book.tables:
        return "", row or "", column or ""
    spec = book.tables[tid]
    return (TABLE_NAMES.get(tid, tid), spec.row_label(row, fmt) if row else "",
            spec.column_label(column, fmt) if column else "")


def summary(s: Summary, book, path: str) -> None:
    wb = Workbook(write_only=True)
    spec = s.spec
    header = render_csv.header(spec)
    reports = _Sheet(wb, "报告", header, [40, 28, 7, 6, 10, 6, 6, 6] + [10] * (len(header) - 8))
    first = len(render_csv.FIXED) + len(spec.figures)
    reports.percent = {first + k for k, i in enumerate(spec.indicators) if i.percent}
    for line in s.lines:
        r = line.result
        read = r.status != "error"
        reports.add([r.path, r.office, r.year, r.format, STATUS[r.status],
                     *(line.counts[k] if read else None for k in ("error", "warning", "info")),
                     *(number(line.figures.get(f.code)) for f in spec.figures),
                     *(line.indicators[i.code] for i in spec.indicators), line.anomalies])
    reports.close()

    findings = _Sheet(wb, "问题", ["文件 path", "机关 office", "年度 year", "代码 code", "严重程度 severity", "表 table",
                                   "行 row", "列 column", "报告值 reported", "计算值 computed", "行号 line",
                                   "说明 message"], [40, 28, 7, 20, 9, 6, 30, 14, 10, 10, 7, 100])
    for line in s.lines:
        r = line.result
        for f in r.findings:
            table, row, column = _label(book, f.table, f.row, f.column, r.format)
            findings.add([r.path, r.office, r.year, f.code, SEVERITY_WORDS[f.severity], table, row, column,
                          number(f.reported), number(f.computed), f.first_line(), f.message])
    findings.close()

    # one row per pair of years: each key figure's change (本年 - 上年); the values themselves
    # are in 报告, every cell's change in the JSON and in `govreport compare`
    changes = _Sheet(wb, "同比", ["机关 office", "年度 year", "上年度 prev_year",
                                  *(f"{f.label} 变化 {f.code}" for f in spec.figures), "同比异常 anomalies",
                                  "文件 path"], [28, 7, 9] + [10] * len(spec.figures) + [24, 40])
    for p in s.pairs:
        codes = sorted({a.code for a in p.anomalies})
        changes.add([p.office, p.year, p.prev_year, *(number(c.change) for c in p.figures), " ".join(codes) or None,
                     p.now.result.path])
    changes.close()

    flags = _Sheet(wb, "异常", ["机关 office", "年度 year", "代码 code", "严重程度 severity", "项目 item", "上年 prev",
                                "本年 now", "倍数 ratio", "说明 message", "文件 path"],
                   [28, 7, 10, 9, 60, 9, 9, 9, 80, 40])
    for a in s.anomalies:
        flags.add([a.office, a.year, a.code, SEVERITY_WORDS[a.severity], a.item.label, number(a.item.prev),
                   number(a.item.now), None if a.item.ratio is None else round(a.item.ratio, 4), a.message, a.path])
    flags.close()
    wb.save(path)
