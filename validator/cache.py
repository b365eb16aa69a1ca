"""The result cache (on by default, like ruff's): each file's result as checking left it (before
the configuration, with its cross-year facts, without its tables) in one small file under
`.govreport_cache/`, so that a run over unchanged reports reads none of them.

An entry's key is the file's name as given and a hash of its bytes, within a namespace that
holds everything else a result depends on: the cache format, govreport's version and the hash
of its own code, the rule files the rulebook was loaded from (the packaged ones, layout.yaml and
the configuration's own), the versions of the libraries that read and check (lxml, pdfplumber,
pandas, …), Python's version and the LibreOffice the old Word formats go through. Settings
applied after checking (select, ignore, severity, per-file-ignores, offices, baseline) are not
part of it: changing them reads nothing again.

An entry is JSON (never pickle: a cache folder may come from elsewhere), its first line naming
its key and the SHA-256 of the rest; a truncated, corrupt or foreign entry (another version,
other rules) is ignored, its file checked again and the entry rewritten. Entries are written
to a temporary file and renamed, so concurrent runs see a whole entry or none. A result that
says the file could not be read is never stored (it may depend on the machine: permissions,
time and memory limits, LibreOffice). A folder that cannot be written turns writing off with
one warning; the results stay those of a run without cache."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from validator import __version__
from validator.check.crossyear import YearFacts
from validator.findings import CellRef, FileResult, Finding, Suggestion

FORMAT = 1
DEFAULT_DIR = ".govreport_cache"
LIBRARIES = ("lxml", "pdfplumber", "pdfminer.six", "python-docx", "pandas", "pandera", "numpy", "PyYAML")
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# govreport's result cache; see https://bford.info/cachedir/\n"


def file_bytes(path: str) -> bytes | None:
    """The bytes of a regular file that `validator.read.read` would read whole, else None (a
    missing, special or oversized file: left to the reader, which says why)."""
    from validator import read
    from validator.model import ReadError

    try:
        return read.file_bytes(path)
    except ReadError:
        return None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def environment() -> dict:
    """What a result depends on besides the file and the rules: the same in every process of a
    run, and compared with a cluster's workers."""
    from importlib import metadata

    code = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    libraries = {}
    for name in LIBRARIES:
        try:
            libraries[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libraries[name] = None
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        st = os.stat(os.path.realpath(office))
        office = f"{os.path.realpath(office)}:{st.st_size}:{st.st_mtime_ns}"
    return {"govreport": __version__, "code": code.hexdigest(), "libraries": libraries,
            "python": "%d.%d" % sys.version_info[:2], "office": office}


def rules_hash(book) -> str | None:
    """The hash of the rule files the rulebook was read from (layout.yaml included), or None for
    a rulebook that names none (built in code: not cached)."""
    if not book.sources:
        return None
    files = [Path(book.sources[0]).parent / "layout.yaml", *map(Path, book.sources)]
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes() if f.is_file() else b"-")
        h.update(b"\0")
    return h.hexdigest()


class Cache:
    """Entries under `directory`; `warn(message)` is called at most once, when the folder cannot
    be written (the run goes on without writing)."""

    def __init__(self, directory: str | os.PathLike, book, warn=lambda message: None):
        self.root = Path(directory)
        self.warn = warn
        rules = rules_hash(book)
        self.enabled = rules is not None
        self.namespace = hashlib.sha256(json.dumps(
            {"cache": FORMAT, "rules": rules, **environment()}, sort_keys=True).encode()).hexdigest()
        self.writable = True
        self.hits = self.misses = self.written = 0

    def key(self, name: str, content: str) -> str:
        return hashlib.sha256(f"{self.namespace}\0{name}\0{content}".encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key[2:]  # no suffix: never a report a run picks up

    def has(self, key: str) -> bool:
        return self.enabled and self._path(key).is_file()

    def get(self, key: str) -> FileResult | None:
        """The stored result, or None: absent, unreadable, corrupt or foreign."""
        if not self.enabled:
            return None
        try:
            raw = self._path(key).read_bytes()
            head, _, body = raw.partition(b"\n")
            meta = json.loads(head)
            if meta != {"govreport-cache": FORMAT, "key": key, "sha256": digest(body)}:
                raise ValueError("foreign entry")
            result = decode(json.loads(body))
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult) -> None:
        if not (self.enabled and self.writable) or result.error is not None:
            return
        try:
            body = json.dumps(encode(result), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            back = decode(json.loads(body))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeError):
            return  # a value or field this codec does not carry: not stored, never served wrong
        if back != result or back.facts != result.facts:
            return
        head = json.dumps({"govreport-cache": FORMAT, "key": key, "sha256": digest(body)}).encode()
        target = self._path(key)
        try:
            self._prepare(target.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:16]}.", suffix=".tmp", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(head + b"\n" + body)
                os.replace(tmp, target)  # atomic: a concurrent reader sees the old entry or this one
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            self.writable = False
            self.warn(f"缓存目录 {self.root} 无法写入（{e.strerror or type(e).__name__}），本次运行不写入缓存；"
                      f"结果不受影响（--no-cache 可关闭缓存）")
            return
        self.written += 1

    def _prepare(self, folder: Path) -> None:
        if folder.is_dir():
            return
        if not self.root.is_dir():
            self.root.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# written by govreport\n*\n")):
                (self.root / name).write_text(text, encoding="utf-8")
        folder.mkdir(exist_ok=True)


# -- the entry's JSON: each dataclass as the list of its fields, in order -----------------------

_NAMES = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in (CellRef, Finding, Suggestion)}
_CELLS, _SUGGESTION = _NAMES[Finding].index("cells"), _NAMES[Finding].index("suggestion")


def _values(x) -> list:
    return [getattr(x, name) for name in _NAMES[type(x)]]


def _finding(f: Finding) -> list:
    values = _values(f)
    values[_CELLS] = [_values(c) for c in f.cells]
    values[_SUGGESTION] = None if f.suggestion is None else _values(f.suggestion)
    return values


def plain_facts(facts: YearFacts | None):
    """The cross-year facts as plain lists and values (JSON, or a quick pickle)."""
    if facts is None:
        return None
    return [facts.office, facts.year, facts.format, [[list(k), _values(c)] for k, c in facts.cells.items()],
            {k: list(v) for k, v in facts.scopes.items()}, facts.digest, facts.nonzero]


def facts_from(plain) -> YearFacts | None:
    if plain is None:
        return None
    office, year, fmt, cells, scopes, digest, nonzero = plain
    return YearFacts(office, year, fmt, cells={tuple(k): _make(CellRef, c) for k, c in cells},
                     scopes={k: tuple(v) for k, v in scopes.items()}, digest=digest, nonzero=nonzero)


def encode(r: FileResult) -> dict:
    extra = {f.name for f in dataclasses.fields(FileResult)} - {"path", "format", "year", "office", "findings",
                                                                 "facts", "report"}
    if extra:  # a field added to FileResult that this codec does not know: refuse to store
        raise ValueError(f"FileResult fields not cached: {sorted(extra)}")
    return {"path": r.path, "format": r.format, "year": r.year, "office": r.office,
            "findings": [_finding(f) for f in r.findings], "facts": plain_facts(r.facts)}


def _make(cls, values):
    if not isinstance(values, list) or len(values) != len(_NAMES[cls]):
        raise ValueError(f"bad {cls.__name__}")
    return cls(*values)


def _decode_finding(values) -> Finding:
    if not isinstance(values, list) or len(values) != len(_NAMES[Finding]):
        raise ValueError("bad Finding")
    values = list(values)
    values[_CELLS] = tuple(_make(CellRef, c) for c in values[_CELLS])
    values[_SUGGESTION] = None if values[_SUGGESTION] is None else _make(Suggestion, values[_SUGGESTION])
    return Finding(*values)


def decode(data: dict) -> FileResult:
    if not isinstance(data["findings"], list):
        raise ValueError("bad findings")
    return FileResult(data["path"], data["format"], data["year"], [_decode_finding(f) for f in data["findings"]],
                      data["office"], facts=facts_from(data["facts"]))
