"""Which files a run checks: files named, and files found under folders by suffix.

Nothing is skipped without a word: a path that is missing or cannot be opened, a folder that
cannot be listed, a symbolic link that loops or points nowhere is one READ-ERROR result, in the
run's results like an unreadable file. Symbolic links to folders are followed (a folder reached
twice is listed once); a named file that is not a regular file (a FIFO, a device) is left to the
reader, which refuses it by name without opening it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from fnmatch import fnmatch

from validator.findings import FileResult
from validator.read import os_reason


def collect(paths: Iterable[str], suffixes: tuple[str, ...], exclude: tuple[str, ...] = ()) -> tuple[list[str], list[FileResult]]:
    """Files named and files found under directories (recursive, by suffix, less `exclude`
    name patterns), and a READ-ERROR result for every path that could not be looked at.
    Named files are always checked."""
    files: list[str] = []
    said: list[FileResult] = []
    for p in paths:
        p = str(p)
        try:
            st = os.stat(p)
        except OSError as e:
            said.append(FileResult.unreadable(p, os_reason(e, p)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _Walk(suffixes, exclude, files, said).folder(p, st)
        else:
            files.append(p)
    return files, said


class _Walk:
    def __init__(self, suffixes, exclude, files: list[str], said: list[FileResult]):
        self.suffixes, self.exclude = suffixes, exclude
        self.files, self.said = files, said
        self.entered: set[tuple[int, int]] = set()  # (device, inode) of every folder listed

    def wanted(self, name: str) -> bool:
        return os.path.splitext(name)[1].lower() in self.suffixes and not any(fnmatch(name, pat) for pat in self.exclude)

    def folder(self, top: str, st: os.stat_result) -> None:
        found: list[str] = []
        self.visit(top, st, (), found)
        self.files.extend(sorted(found))  # the order of a listing: sorted paths, as before

    def visit(self, path: str, st: os.stat_result, ancestors: tuple[tuple[int, int], ...], found: list[str]) -> None:
        key = (st.st_dev, st.st_ino)
        self.entered.add(key)
        ancestors = (*ancestors, key)
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            self.said.append(FileResult.unreadable(path, f"无法读取目录（{os_reason(e)}），其中的文件未检查"))
            return
        for entry in entries:
            try:
                link = entry.is_symlink()
                target = entry.stat() if link else entry.stat(follow_symlinks=False)
            except OSError as e:  # a link that loops or points nowhere
                if self.wanted(entry.name) or not _dangling_file(entry.path):
                    self.said.append(FileResult.unreadable(entry.path, _link_reason(entry.path, e)))
                continue
            if stat.S_ISDIR(target.st_mode):
                key = (target.st_dev, target.st_ino)
                if key in ancestors:
                    self.said.append(FileResult.unreadable(entry.path, _loop_reason(entry.path, link)))
                elif key not in self.entered:  # reached before by another link: listed once
                    self.visit(entry.path, target, ancestors, found)
            elif self.wanted(entry.name):
                found.append(entry.path)


def _dangling_file(path: str) -> bool:
    """A link whose name says it is a file the run would not pick anyway (a broken link to a
    spreadsheet): not worth a line. Links without a suffix may have been folders: said."""
    return bool(os.path.splitext(path)[1])


def _loop_reason(path: str, link: bool) -> str:
    if link:
        try:
            return f"符号链接指向它所在的上级目录（{os.readlink(path)}），形成循环，未进入"
        except OSError:
            pass
    return "目录与它的一个上级目录相同（挂载或链接形成循环），未进入"


def _link_reason(path: str, e: OSError) -> str:
    reason = os_reason(e, path)
    try:
        target = os.readlink(path)
    except OSError:
        return reason
    if reason.startswith("符号链接"):
        return reason
    return f"符号链接无法打开（{target}）：{reason}"
