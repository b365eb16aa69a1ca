"""Which files a run checks: files named, and files found under folders by suffix."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path

from validator.findings import FileResult


def collect(paths: Iterable[str], suffixes: tuple[str, ...], exclude: tuple[str, ...] = ()) -> tuple[list[str], list[FileResult]]:
    """Files named and files found under directories (recursive, by suffix, less `exclude`
    name patterns); missing paths become READ-ERROR results. Named files are always checked."""
    files, missing = [], []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(str(f) for f in path.rglob("*") if f.is_file() and f.suffix.lower() in suffixes
                                and not any(fnmatch(f.name, pat) for pat in exclude)))
        elif path.exists():
            files.append(str(path))
        else:
            missing.append(FileResult.unreadable(str(path), "文件不存在"))
    return files, missing
