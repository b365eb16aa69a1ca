"""Counts over a run, shared by every output format."""

from __future__ import annotations

from validator.findings import READ_ERROR, FileResult

# The verdict of a file in Chinese, for every human-readable format.
STATUS_WORDS = {"pass": "通过", "fail": "未通过", "incomplete": "部分未核对", "error": "无法读取"}


def summarize(results: list[FileResult], suppressed: int = 0) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for f in r.findings:
            if f.code != READ_ERROR:  # counted as a file not read, not as a finding in a report
                counts[f.severity] += 1
    return {
        "files": len(results),
        "passed": sum(r.status == "pass" for r in results),
        "failed": sum(r.status == "fail" for r in results),
        "incomplete": sum(r.status == "incomplete" for r in results),
        "errors": sum(r.status == "error" for r in results),
        "findings": counts,
        "suppressed": suppressed,  # by a baseline
    }


def summary_text(results: list[FileResult], suppressed: int = 0) -> str:
    """The one-line Chinese summary every human-readable format ends with."""
    s = summarize(results)
    c = s["findings"]
    extra = f"；基线已屏蔽 {suppressed} 项" if suppressed else ""
    return (f"检查文件 {s['files']} 个：通过 {s['passed']}，未通过 {s['failed']}，部分未核对 {s['incomplete']}，"
            f"无法读取 {s['errors']}；错误 {c['error']} 项，警告 {c['warning']} 项，提示 {c['info']} 项{extra}")


def incomplete_text(r: FileResult) -> str:
    """Why a file is incomplete, in one Chinese sentence (for notices and skipped test cases)."""
    n = sum(f.incomplete for f in r.findings)
    return f"部分未核对：能读到的部分没有发现错误，但抓取或转换的副本中有 {n} 处无法确定读数，相关核对未进行"
