"""`--statistics`: how many findings per code, most frequent first."""

from __future__ import annotations

from collections import Counter

from validator.findings import FileResult


def render(results: list[FileResult], book, **_) -> str:
    counts = Counter(f.code for r in results for f in r.findings)
    lines = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        entry = book.entry(code)
        lines.append(f"{n:>6}  {code:<18} {entry.severity:<8} {entry.summary}")
    return "\n".join(lines) + ("\n" if lines else "")
