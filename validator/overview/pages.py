"""The overview's per-report pages: each report's checked tables (lint's own HTML page of that
report), written into a folder beside the overview as each file finishes, so the overview
links to them and no report is kept. Cross-year findings, known only once every file is
checked, are added to the later year's page at the end."""

from __future__ import annotations

import os
import re

from validator.report.html import esc, render_reports

_PAGE = re.compile(r"\d{4,}\.html")
MARKER = ".govreport-pages"  # in the pages' folder: a later run does not read them as reports
GENERATOR = '<meta name="generator" content="govreport"/>'  # in the overview and comparison pages
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}


def pages_dir(output: str) -> str:
    """overview.html -> overview_reports/ beside it."""
    return os.path.splitext(output)[0] + "_reports"


class Pages:
    def __init__(self, output: str, book):
        self.dir = pages_dir(output)
        self.rel = os.path.basename(self.dir)
        self.book = book
        self.hrefs: dict[str, str] = {}
        os.makedirs(self.dir, exist_ok=True)
        with open(os.path.join(self.dir, MARKER), "w", encoding="utf-8") as f:
            f.write("govreport summary: each report's checked tables, linked from the overview page\n")
        for name in os.listdir(self.dir):  # an earlier run's pages: they would link to other reports
            if _PAGE.fullmatch(name):
                os.remove(os.path.join(self.dir, name))

    def add(self, result, report) -> None:
        name = f"{len(self.hrefs) + 1:04d}.html"
        with open(os.path.join(self.dir, name), "w", encoding="utf-8") as f:
            f.write(render_reports([(result, report)], self.book))
        self.hrefs[result.path] = f"{self.rel}/{name}"

    def href(self, path: str) -> str | None:
        return self.hrefs.get(path)

    def finish(self, rows) -> None:
        """Add each later year's cross-year findings (XY-…) to its page."""
        for row in rows:
            found = [f for f in row.result.findings if f.code.startswith("XY-")]
            href = self.hrefs.get(row.result.path)
            if not found or href is None:
                continue
            page = os.path.join(self.dir, os.path.basename(href))
            with open(page, encoding="utf-8") as f:
                text = f.read()
            items = "".join(f"<li>{SEVERITY_WORDS[x.severity]} <code>{esc(x.code)}</code> {esc(x.message)}</li>\n"
                            for x in found)
            block = (f'<section class="crossyear">\n<h2>跨年度核对</h2>\n<p>与同一机关上一年度报告比较的结果'
                     f'（以上核对结果未计入这 {len(found)} 项）：</p>\n<ul>\n{items}</ul>\n</section>\n')
            with open(page, "w", encoding="utf-8") as f:
                f.write(text.replace("</body>", block + "</body>", 1))


def ours(path: str) -> bool:
    """A page this command wrote (an overview, a comparison, a report's page beside an overview),
    which a later run over the same folder must not read as a report."""
    if os.path.exists(os.path.join(os.path.dirname(path) or ".", MARKER)):
        return True
    if not path.lower().endswith((".html", ".htm")):
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return GENERATOR in f.read(600)
    except OSError:
        return False
