"""GitHub Actions workflow commands: one ::error / ::warning / ::notice annotation per finding
(ROW-GLUED, which leaves a file incomplete, is a warning: ::warning), one ::notice per
incomplete file saying so, then one plain summary line."""

from __future__ import annotations

from validator.findings import FileResult, Finding
from validator.report.summary import STATUS_WORDS, incomplete_text, summary_text

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    """The message after `::`."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """A `key=value` property value (file, title)."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, path: str, title: str, message: str, line: int | None = None) -> str:
    props = [f"file={escape_property(path)}"]
    if line is not None:
        props.append(f"line={line}")
    props.append(f"title={escape_property(title)}")
    return f"::{kind} {','.join(props)}::{escape_data(message)}"


def finding_line(path: str, f: Finding) -> str:
    return command(COMMANDS.get(f.severity, "warning"), path, f.code, f.message or f.code, f.first_line())


def render_file(r: FileResult) -> str:
    """One file's annotations, each ending in a newline ("" for a file without findings)."""
    lines = [finding_line(r.path, f) for f in r.findings]
    if r.status == "incomplete":
        lines.append(command("notice", r.path, STATUS_WORDS["incomplete"], incomplete_text(r)))
    return "".join(line + "\n" for line in lines)


def summary_line(results: list[FileResult]) -> str:
    return summary_text(results) + "\n"


def render(results: list[FileResult], book=None, **_) -> str:
    return "".join(render_file(r) for r in results) + summary_line(results)
