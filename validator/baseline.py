"""Suppressions that survive re-runs: a baseline file of finding fingerprints.

A fingerprint is the file's path (relative to the baseline file), the code and the cells the
finding names — not line numbers or values, so editing elsewhere in a report keeps it. Each
entry may carry a `reason`. Entries that match nothing any more are reported as stale, so the
baseline shrinks as reports are fixed."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from validator.findings import FileResult, Finding

VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read; the message says why."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    path: str
    code: str
    message: str
    reason: str = ""


def _relative(path: str, base: Path) -> str:
    return PurePosixPath(Path(os.path.relpath(Path(path).resolve(), base.resolve()))).as_posix()


def fingerprint(rel_path: str, f: Finding) -> str:
    cells = sorted((c.table, c.row, c.column, c.path or "") for c in f.cells)
    key = json.dumps([rel_path, f.code, f.table, f.row, f.column, cells], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def write(path: str, results: list[FileResult], old: dict[str, Entry] | None = None) -> int:
    """Write every current finding; reasons already given in `old` are kept. Returns the count."""
    base = Path(path).resolve().parent
    entries = []
    for r in results:
        rel = _relative(r.path, base)
        for f in r.findings:
            fp = fingerprint(rel, f)
            reason = old[fp].reason if old and fp in old else ""
            entries.append({"fingerprint": fp, "path": rel, "code": f.code, "message": f.message, "reason": reason})
    doc = {"version": VERSION, "tool": "govreport", "findings": entries}
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(entries)


def read(path: str) -> dict[str, Entry]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"基线文件不存在：{path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BaselineError(f"基线文件无法读取：{path}：{e}") from None
    if not isinstance(doc, dict) or type(doc.get("version")) is not int or doc["version"] != VERSION \
            or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"基线文件格式不对（应为 govreport --write-baseline 写出的 version {VERSION}）：{path}")
    out = {}
    for e in doc["findings"]:
        fields = [e.get(k) if isinstance(e, dict) else None for k in ("fingerprint", "path", "code")]
        optional = [e.get(k, "") if isinstance(e, dict) else None for k in ("message", "reason")]
        if not all(isinstance(v, str) and v for v in fields) or not all(isinstance(v, str) for v in optional):
            raise BaselineError(f"基线文件中有不完整或格式不对的条目：{path}")
        out[fields[0]] = Entry(*fields, *optional)
    return out


def apply(path: str, entries: dict[str, Entry], results: list[FileResult],
          checked_code=lambda code, path: True) -> tuple[list[FileResult], int, list[Entry]]:
    """(results without baselined findings, how many were suppressed, stale entries: of the files
    checked in this run, for codes that were checked — `checked_code(code, path)`)."""
    base = Path(path).resolve().parent
    used, suppressed, out = set(), 0, []
    checked = set()
    for r in results:
        rel = _relative(r.path, base)
        checked.add(rel)
        kept = []
        for f in r.findings:
            fp = fingerprint(rel, f)
            if fp in entries:
                used.add(fp)
                suppressed += 1
            else:
                kept.append(f)
        out.append(replace(r, findings=kept) if len(kept) != len(r.findings) else r)
    stale = [e for fp, e in entries.items()
             if fp not in used and e.path in checked and checked_code(e.code, str(base / e.path))]
    return out, suppressed, stale
