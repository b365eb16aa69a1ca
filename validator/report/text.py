"""Terminal output (rich), grouped per file, Chinese first with the stable English code."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from validator.findings import FileResult, Finding, number
from validator.report.summary import STATUS_WORDS, summary_text

SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}
STYLES = {"pass": "green", "fail": "bold red", "incomplete": "bold yellow", "error": "bold magenta"}
STATUS = {k: (STATUS_WORDS[k], STYLES[k]) for k in STYLES}


class TextRenderer:
    def __init__(self, console: Console, quiet: bool = False):
        self.console, self.quiet = console, quiet

    def file(self, r: FileResult) -> None:
        # --quiet keeps errors and the findings that leave checks undecided (incomplete).
        shown = [f for f in r.findings if not self.quiet or f.severity == "error" or f.incomplete]
        if self.quiet and r.status == "pass":
            return
        word, style = STATUS[r.status]
        meta = []
        if r.format:
            meta.append(f"{r.format} 年格式")
        if r.year:
            meta.append(f"{r.year} 年度")
        tail = f"  [dim]({' · '.join(meta)})[/]" if meta else ""
        self.console.print(f"[{style}]{word}[/] [bold]{escape(r.path)}[/]{tail}")
        for f in shown:
            self.finding(r.path, f)

    def finding(self, path: str, f: Finding) -> None:
        word, style = SEVERITY[f.severity]
        line = f.first_line()
        where = f"{path}:{line}" if line is not None else path
        # Pages and table grid positions say more than a line number in PDFs and one-line HTML.
        source = next((c.source for c in f.cells if c.source), "")
        extra = "，".join(p for p in source.split("，") if not p.endswith("行") or "表格" in p)
        if extra:
            where += f"（{extra}）"
        self.console.print(f"  [dim]{escape(where)}[/] [{style}]{word}[/] [bold]{f.code}[/] {escape(f.message)}")
        if f.reported is not None and f.computed is not None:
            diff = number(f.reported - f.computed)
            extra = f"报告值 {number(f.reported)}，计算值 {number(f.computed)}，相差 {diff:+}"
            if f.suggestion is not None:
                extra += f"；建议改为 {number(f.suggestion.value)}"
            self.console.print(f"      [dim]{extra}[/]")

    def summary(self, results: list[FileResult], suppressed: int = 0, stale=()) -> None:
        self.console.print("\n" + escape(summary_text(results, suppressed)))
        if stale:
            self.console.print(f"基线中有 {len(stale)} 项已不再出现，可从基线中删除（重新运行 --write-baseline）：")
            for e in stale:
                self.console.print(f"  {escape(e.path)} {e.code} {escape(e.message)}")
