"""Counts over a run, shared by every output format."""

from __future__ import annotations

from validator.findings import FileResult


def summarize(results: list[FileResult]) -> dict:
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
    }
