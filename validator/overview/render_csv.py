"""CSV of summary: one row per report, headers in Chinese with the stable code after a space
(`本年新收 new`), numbers written as numbers, an undefined figure or indicator an empty cell
(never 0). Indicators are ratios (0.75), not percentages. Text cells are neutralised as lint's
CSV does (a path starting with = stays text). The command writes it with a UTF-8 BOM, so that
Excel reads the Chinese."""

from __future__ import annotations

import csv
import io

from validator.findings import number
from validator.overview.show import STATUS
from validator.overview.summary import Summary
from validator.report.csv import text_cell

FIXED = (("文件", "path"), ("机关", "office"), ("年度", "year"), ("格式", "format"), ("结果", "status"),
         ("错误", "errors"), ("警告", "warnings"), ("提示", "infos"))


def header(spec) -> list[str]:
    return ([f"{label} {code}" for label, code in FIXED]
            + [f"{f.label} {f.code}" for f in spec.figures]
            + [f"{i.label} {i.code}" for i in spec.indicators]
            + ["同比异常 anomalies"])


def _num(x) -> str:
    n = number(x)
    return "" if n is None else str(n)


def rows(s: Summary):
    for line in s.lines:
        r = line.result
        read = r.status != "error"
        yield ([text_cell(r.path), text_cell(r.office or ""), _num(r.year), r.format or "", STATUS[r.status]]
               + [str(line.counts[k]) if read else "" for k in ("error", "warning", "info")]
               + [_num(line.figures.get(f.code)) for f in s.spec.figures]
               + ["" if line.indicators[i.code] is None else f"{line.indicators[i.code]:.6g}" for i in s.spec.indicators]
               + [str(line.anomalies)])


def summary(s: Summary) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header(s.spec))
    writer.writerows(rows(s))
    return buf.getvalue()
