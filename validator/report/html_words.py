"""How the HTML report names things for a clerk: a cell as the form shows it (表三（一）予以公开 ·
自然人), where it stands in the file as the clerk can find it (第 3 页; 第 2 个表格第 6 行; 第 199 行),
a value as read (a run-together row's value alone, not the whole run), and a message without
rule codes inside its sentences (they go to a details line)."""

from __future__ import annotations

import re
from pathlib import PurePath

from validator.findings import CellRef, Finding, shown

# How a file's positions are told: by page (PDF), by table and row (a web page, a Word
# document) or by line (text).
KIND_BY_SUFFIX = {".pdf": "pdf", ".docx": "word", ".doc": "word", ".wps": "word", ".odt": "word",
                  ".html": "web", ".htm": "web"}
_PLACE = {"web": "网页中", "word": "文档中"}
_GRID_SOURCE = re.compile(r"表格(?P<t>\d+)第(?P<r>\d+)行")
_TRAILING_NOTE = re.compile(r"^(.{2,}?)（[^（）]{6,}）$")


def file_kind(path: str) -> str:
    return KIND_BY_SUFFIX.get(PurePath(path).suffix.lower(), "text")


def short_row(spec, row: str, fmt: str | None) -> str:
    """A row label without its long explanatory note: （二）部分公开（区分处理的，…） → （二）部分公开."""
    label = spec.row_label(row, fmt)
    m = _TRAILING_NOTE.match(label)
    return m.group(1) if m else label


def row_path(spec, row: str, fmt: str | None) -> str:
    """The row as the form shows it, with its group: （三）不予公开 1.属于国家秘密."""
    label = short_row(spec, row, fmt)
    groups = (spec.drawing or {}).get("groups", {})
    group = row.split(".", 1)[0] if "." in row else None
    return f"{groups[group]} {label}" if group in groups else label


def _join(name: str, label: str) -> str:
    return f"{name}{label}" if label.startswith(("（", "“", "「")) else f"{name} {label}"


def cell_title(book, tid: str, row: str, column: str, fmt: str | None) -> str:
    """表三（一）予以公开 · 自然人; 表四 行政复议 · 总计; 表二 行政许可 · 本年处理决定数量."""
    spec = book.tables.get(tid)
    if spec is None:
        return f"{tid} {row} · {column}"
    return f"{_join(spec.name, row_path(spec, row, fmt))} · {spec.column_label(column, fmt)}"


def row_title(book, tid: str, row: str, fmt: str | None) -> str:
    spec = book.tables.get(tid)
    return f"{tid} {row}" if spec is None else _join(spec.name, row_path(spec, row, fmt))


def scope_title(book, tid: str, row: str | None, column: str | None, fmt: str | None) -> str:
    """An identity's item as a clerk reads it: 表三「自然人」列, 表三「（一）予以公开」行, and for
    表四, whose "rows" are the form's column groups, 表四「行政复议」."""
    spec = book.tables.get(tid)
    if spec is None:
        return str(tid)
    if column is not None and row is None:
        return f"{spec.name}「{spec.column_label(column, fmt)}」列"
    if row is not None:
        word = "" if tid == "t4" else "行"
        return f"{spec.name}「{short_row(spec, row, fmt)}」{word}"
    return spec.name


def position(cell, kind: str) -> str:
    """Where a model Cell stands in the file, for a clerk: the page of a PDF, the table and row
    of a web page or Word document, the line of a text file."""
    if cell is None:
        return ""
    if cell.page is not None:
        return f"第 {cell.page} 页"
    if cell.table is not None:
        return f"{_PLACE.get(kind, '')}第 {cell.table + 1} 个表格第 {(cell.row or 0) + 1} 行"
    if cell.line is not None and kind == "text":
        return f"第 {cell.line} 行"
    return ""


def ref_position(c: CellRef, kind: str) -> str:
    """The same for a finding's CellRef (only its source text survives)."""
    if c.page is not None:
        return f"第 {c.page} 页"
    m = _GRID_SOURCE.search(c.source or "")
    if m:
        return f"{_PLACE.get(kind, '')}第 {m.group('t')} 个表格第 {m.group('r')} 行"
    if c.line is not None and kind == "text":
        return f"第 {c.line} 行"
    return ""


def compact(positions: list[str]) -> str:
    """Several positions in few words: 网页中第 2 个表格第 6、7、12 行; 第 3、4 页."""
    seen: dict[str, list[str]] = {}
    for p in positions:
        m = re.match(r"^(.*第 )(\d+)( [页行])$", p or "")
        if m:
            seen.setdefault(m.group(1) + "\0" + m.group(3), []).append(m.group(2))
        elif p:
            seen.setdefault(p, [])
    parts = []
    for key, numbers in seen.items():
        if "\0" in key:
            head, tail = key.split("\0")
            parts.append(f"原文{head}{'、'.join(dict.fromkeys(numbers))}{tail}")
        else:
            parts.append(f"原文{key}")
    return "；".join(parts)


def finding_position(f: Finding, kind: str) -> str:
    if f.page is not None:
        return f"第 {f.page} 页"
    line = f.first_line()
    if line is not None and kind == "text":
        return f"第 {line} 行"
    return ""


def value_text(value) -> str:
    """A value as a number is written: decimals as read, a sign where one was written."""
    n = value.number
    text = f"{n:.{value.decimals}f}" if value.decimals else shown(n).replace(",", "")
    if value.signed and n > 0:
        text = "+" + text
    return text


def as_read(src) -> tuple[str, str | None]:
    """(what a value cell shows, the raw text when it differs): a run-together row's cell shows
    its own value, the run it was cut from goes to the detail."""
    raw = src.cell.text
    if src.value is not None and src.value.kind == "number" and src.cell.glued:
        text = value_text(src.value)
        return text, (raw if raw.strip() != text else None)
    return raw, None


class Plain:
    """Messages without rule codes inside sentences: a code becomes its rule's Chinese name;
    表四's column groups are not called 行."""

    def __init__(self, book):
        names = {r.code: r.label for r in (*book.rules, *book.crossyear)}
        self.codes = names
        self._code = re.compile("|".join(re.escape(c) for c in sorted(names, key=len, reverse=True))) if names else None
        t4 = book.tables.get("t4")
        labels = sorted({t4.row_label(r.id) for r in t4.rows}, key=len, reverse=True) if t4 is not None else []
        self._t4 = (re.compile(f"{t4.name}「({'|'.join(re.escape(x) for x in labels)})」行") if labels else None)

    def __call__(self, text: str) -> str:
        if self._code is not None:
            text = self._code.sub(lambda m: f"「{self.codes[m.group(0)]}」核对", text)
        if self._t4 is not None:
            text = self._t4.sub(lambda m: f"表四「{m.group(1)}」", text)
        return text


def without_hint(f: Finding) -> str:
    """The message without the hint the check stage appended (the HTML report says it its own way)."""
    return f.message[:len(f.message) - len(f.hint)] if f.hint else f.message


def body_of(book, f: Finding, fmt: str | None) -> str:
    """An identity's message after its scope (as the check stage wrote it): 表四「行政复议」行：
    总计为 5… → 总计为 5…."""
    message = without_hint(f)
    spec = book.tables.get(f.table)
    if spec is not None:
        scope = (f"{spec.name}「{spec.row_label(f.row, fmt)}」行" if f.row is not None
                 else f"{spec.name}「{spec.column_label(f.column, fmt)}」列")
        if message.startswith(scope + "："):
            return message[len(scope) + 1:]
    return message


def after_scope(book, f: Finding, fmt: str | None, text: str) -> str:
    """A row finding's message without its leading 表三「label」行 (the row is named beside it):
    表三「（一）予以公开」行有 14 个数值… → 有 14 个数值…"""
    spec = book.tables.get(f.table)
    if spec is None or f.row is None:
        return text
    for label in dict.fromkeys((spec.row_label(f.row, fmt), spec.row_label(f.row))):
        for scope in (f"{spec.name}「{label}」行", f"{spec.name}「{label}」"):
            if text.startswith(scope):
                rest = text[len(scope):].lstrip("：")
                return rest.removeprefix("的")
    return text
