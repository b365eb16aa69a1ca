"""Terminal output (rich), grouped per file, Chinese first with the stable English code."""

from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape

from validator.findings import FileResult, Finding, number
from validator.report.summary import STATUS_WORDS, summary_text

SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}
STYLES = {"pass": "green", "fail": "bold red", "incomplete": "bold yellow", "error": "bold magenta"}
STATUS = {k: (STATUS_WORDS[k], STYLES[k]) for k in STYLES}

# What a report or a file name must not send to the terminal raw: C0 controls (ESC starts escape
# sequences that recolour, move the cursor or retitle the window; CR overwrites the line), DEL, C1
# controls (0x9b is a one-byte CSI), the line and paragraph separators, and the bidi controls
# that reorder what follows (U+202E shows "a\u202etxt.exe" as "aexe.txt"); also the lone
# surrogates a file name of undecodable bytes is listed with, which no terminal encoding can
# write. Messages keep \n and \t; a path is one line, so it loses them too.
_OTHERS = r"\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_OTHERS}]")
_UNSAFE_IN_PATH = re.compile(rf"[\x00-\x1f\x7f-\x9f{_OTHERS}]")


def _visible(m: re.Match) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def safe(text: str, path: bool = False) -> str:
    """`text` with each control character written as its escape (\\x1b, \\u202e): seen, never
    obeyed by the terminal."""
    return (_UNSAFE_IN_PATH if path else _UNSAFE).sub(_visible, text)


def _markup(text: str, path: bool = False) -> str:
    """Report text for rich markup: control characters shown, markup brackets escaped."""
    return escape(safe(text, path))


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
        self.console.print(f"[{style}]{word}[/] [bold]{_markup(r.path, path=True)}[/]{tail}")
        for f in shown:
            self.finding(r.path, f)

    def finding(self, path: str, f: Finding) -> None:
        word, style = SEVERITY[f.severity]
        line = f.first_line()
        where = safe(path, path=True) + (f":{line}" if line is not None else "")
        # Pages and table grid positions say more than a line number in PDFs and one-line HTML.
        source = next((c.source for c in f.cells if c.source), "")
        extra = "，".join(p for p in source.split("，") if not p.endswith("行") or "表格" in p)
        if extra:
            where += f"（{extra}）"
        self.console.print(f"  [dim]{_markup(where)}[/] [{style}]{word}[/] [bold]{_markup(f.code)}[/] {_markup(f.message)}")
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
                self.console.print(f"  {_markup(e.path, path=True)} {_markup(e.code)} {_markup(e.message)}")
