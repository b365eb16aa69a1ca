"""Counts over a run, shared by every output format."""

from __future__ import annotations

from validator.findings import FileResult


def summarize(results: list[FileResult], suppressed: int = 0) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for f in r.findings:
            counts[f.severity] += 1
    return {
        "files": len(results),
        "passed": sum(r.status == "pass" for r in results),
        "failed": sum(r.status == "fail" for r in results),
        "errors": sum(r.status == "error" for r in results),
        "findings": counts,
        "suppressed": suppressed,  # by a baseline
    }


def summary_text(results: list[FileResult], suppressed: int = 0) -> str:
    """The one-line Chinese summary every human-readable format ends with."""
    s = summarize(results)
    c = s["findings"]
    extra = f"；基线已屏蔽 {suppressed} 项" if suppressed else ""
    return (f"检查文件 {s['files']} 个：通过 {s['passed']}，未通过 {s['failed']}，无法读取 {s['errors']}；"
            f"错误 {c['error']} 项，警告 {c['warning']} 项，提示 {c['info']} 项{extra}")
