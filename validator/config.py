"""Configuration: `[tool.govreport]` in pyproject.toml or a govreport.toml (same keys at the top
level), found upward from the current directory; `--config FILE` names one, `--isolated` uses
none; command-line flags override. Every key is checked: an unknown key or a bad value stops the
run with a message naming the key."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from validator.findings import READ_ERROR, FileResult, Finding

SEVERITIES = ("error", "warning", "info")
DEFAULT_EXTENSIONS = (".txt", ".htm", ".html", ".md", ".pdf", ".docx", ".doc", ".wps", ".odt")
DEFAULT_EXCLUDE = ("README*", "CHANGELOG*", "LICENSE*")
KEYS = {"select", "ignore", "extensions", "exclude", "severity", "per-file-ignores", "offices", "strict", "rules",
        "cache", "cache-dir"}


class ConfigError(ValueError):
    """A configuration file or flag that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()  # codes or prefixes (T3, T3-BALANCE); empty: all
    ignore: tuple[str, ...] = ()
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    offices: dict[str, str] = field(default_factory=dict)  # path pattern -> office name
    strict: bool = False  # an incomplete file fails the run (exit 1), like a failed one
    rules: tuple[str, ...] = ()  # extra rule files (a province's own rules), resolved paths
    cache: bool = True  # the result cache (validator.cache); false: as --no-cache
    cache_dir: str | None = None  # its folder, resolved; None: .govreport_cache in `root`
    root: Path = field(default_factory=Path.cwd)  # patterns are relative to it
    source: str | None = None  # the file it came from

    def relative(self, path: str) -> str:
        p = Path(path).resolve()
        try:
            return PurePosixPath(p.relative_to(self.root.resolve())).as_posix()
        except ValueError:
            return PurePosixPath(p).as_posix()

    def office_for(self, path: str) -> str | None:
        rel = self.relative(path)
        return next((name for pat, name in self.offices.items() if fnmatch(rel, pat)), None)

    def keeps(self, code: str, path: str) -> bool:
        if self.select and not _matches(code, self.select):
            return False
        if _matches(code, self.ignore):
            return False
        if not self.per_file_ignores:
            return True  # no path to resolve
        rel = self.relative(path)
        return not any(fnmatch(rel, pat) and _matches(code, codes) for pat, codes in self.per_file_ignores.items())

    def apply(self, result: FileResult) -> FileResult:
        """The result with findings filtered and severities overridden (status follows)."""
        kept: list[Finding] = []
        for f in result.findings:
            if f.code == READ_ERROR:  # a file not read is said whatever the selection
                kept.append(f)
                continue
            if not self.keeps(f.code, result.path):
                continue
            sev = _lookup(f.code, self.severity)
            kept.append(replace(f, severity=sev) if sev and sev != f.severity else f)
        return replace(result, findings=kept)


def _matches(code: str, selectors) -> bool:
    return any(code == s or code.startswith(s + "-") or s == "ALL" for s in selectors)


def _lookup(code: str, table: dict[str, str]) -> str | None:
    """The most specific entry for a code: T3-BALANCE before T3 before ALL."""
    best = None
    for key, value in table.items():
        weight = 0 if key == "ALL" else len(key)
        if _matches(code, [key]) and (best is None or weight > best[0]):
            best = (weight, value)
    return best[1] if best else None


def find(start: Path) -> Path | None:
    """The nearest govreport.toml, or pyproject.toml with a [tool.govreport] table, upward."""
    for folder in [start, *start.parents]:
        own = folder / "govreport.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as e:
                raise ConfigError(f"配置文件无法解析：{pyproject}：{e}") from None
            if isinstance(tool, dict) and "govreport" in tool:
                return pyproject
    return None


def load(path: Path | None, codes: list[str], isolated: bool = False) -> Config:
    """The configuration in force: from `path`, else found from the current directory."""
    found = _read(path, isolated)
    return parse(*found[:1], codes, *found[1:]) if found else Config()


def rule_files(path: Path | None, isolated: bool = False) -> tuple[str, ...]:
    """The extra rule files the configuration names (`rules = ["rules/fujian/*.yaml"]`),
    needed before the rulebook, hence before the rest of the configuration can be checked."""
    found = _read(path, isolated)
    if not found:
        return ()
    data, root, _, prefix = found
    return _rule_files(data.get("rules", []) if isinstance(data, dict) else [], root, prefix)


def _rule_files(patterns, root: Path, prefix: str) -> tuple[str, ...]:
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ConfigError(f"配置项 {prefix}.rules 应为字符串列表（规则文件的路径或通配符）")
    files = []
    for pattern in patterns:
        base = Path(pattern) if Path(pattern).is_absolute() else root / pattern
        matched = sorted(str(p) for p in base.parent.glob(base.name) if p.is_file()) if any(ch in base.name for ch in "*?[") \
            else ([str(base)] if base.is_file() else [])
        if not matched:
            raise ConfigError(f"配置项 {prefix}.rules 中的 {pattern!r} 没有对应的规则文件")
        files += [f for f in matched if f not in files]
    return tuple(files)


def _read(path: Path | None, isolated: bool):
    """(the govreport table, its folder, the file, the key prefix), or None without a file."""
    if isolated:
        return None
    path = path or find(Path.cwd())
    if path is None:
        return None
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"配置文件不存在：{path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as e:
        raise ConfigError(f"配置文件无法解析：{path}：{e}") from None
    prefix = "tool.govreport"
    if Path(path).name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("govreport", {}) if isinstance(tool, dict) else tool
    else:
        prefix = Path(path).name
    return data, Path(path).resolve().parent, str(path), prefix


def parse(data: dict, codes: list[str], root: Path, source: str | None = None, prefix: str = "tool.govreport") -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"配置项 {prefix} 应为表（table）")
    unknown = set(data) - KEYS
    if unknown:
        raise ConfigError(f"未知配置项 {prefix}.{sorted(unknown)[0]}（可用：{', '.join(sorted(KEYS))}）")

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"配置项 {prefix}.{key} 应为字符串列表")
        return tuple(value)

    def known(key: str, selectors) -> tuple[str, ...]:
        for s in selectors:
            if s != "ALL" and not any(_matches(c, [s]) for c in codes):
                raise ConfigError(f"配置项 {prefix}.{key} 中的 {s!r} 不是规则代码或其前缀（见 govreport rules）")
        return tuple(selectors)

    def table(key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise ConfigError(f"配置项 {prefix}.{key} 应为表（table）")
        return value

    severity = table("severity")
    for code, sev in severity.items():
        known("severity", [code])
        if sev not in SEVERITIES:
            raise ConfigError(f"配置项 {prefix}.severity.{code} 应为 error、warning 或 info，而不是 {sev!r}")
    per_file = {}
    for pattern, selectors in table("per-file-ignores").items():
        if not isinstance(selectors, list) or not all(isinstance(v, str) for v in selectors):
            raise ConfigError(f"配置项 {prefix}.per-file-ignores.{pattern!r} 应为规则代码列表")
        per_file[pattern] = known("per-file-ignores", selectors)
    offices = table("offices")
    if not all(isinstance(v, str) and v for v in offices.values()):
        raise ConfigError(f"配置项 {prefix}.offices 的值应为机关名称")
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"配置项 {prefix}.strict 应为 true 或 false，而不是 {strict!r}")
    cache = data.get("cache", True)
    if not isinstance(cache, bool):
        raise ConfigError(f"配置项 {prefix}.cache 应为 true 或 false，而不是 {cache!r}")
    cache_dir = data.get("cache-dir")
    if cache_dir is not None and (not isinstance(cache_dir, str) or not cache_dir.strip()):
        raise ConfigError(f"配置项 {prefix}.cache-dir 应为目录路径（字符串），而不是 {cache_dir!r}")
    extensions = tuple(e if e.startswith(".") else "." + e for e in strings("extensions")) or DEFAULT_EXTENSIONS
    return Config(select=known("select", strings("select")), ignore=known("ignore", strings("ignore")),
                  extensions=tuple(e.lower() for e in extensions),
                  exclude=strings("exclude") if "exclude" in data else DEFAULT_EXCLUDE,
                  severity=dict(severity), per_file_ignores=per_file, offices=dict(offices), strict=strict,
                  rules=_rule_files(data.get("rules", []), root, prefix), root=root, source=source,
                  cache=cache, cache_dir=None if cache_dir is None else str(root / Path(cache_dir).expanduser()))
