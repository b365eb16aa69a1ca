"""GitHub Actions workflow commands: one ::error / ::warning / ::notice annotation per finding
(ROW-GLUED, which leaves a file incomplete, is a warning: ::warning), one ::notice per
incomplete file saying so, then one plain summary line."""

from __future__ import annotations

from collections.abc import Iterator

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


def render_annotations(r: FileResult) -> str:
    """One annotation per finding, each ending in a newline."""
    return "".join(finding_line(r.path, f) + "\n" for f in r.findings)


def render_notice(r: FileResult) -> str:
    """The ::notice of a file 部分未核对 ("" for another)."""
    if r.status != "incomplete":
        return ""
    return command("notice", r.path, STATUS_WORDS["incomplete"], incomplete_text(r)) + "\n"


def render_file(r: FileResult) -> str:
    """One file's annotations, each ending in a newline ("" for a file without findings)."""
    return render_annotations(r) + render_notice(r)


def summary_line(results: list[FileResult]) -> str:
    return summary_text(results) + "\n"


class Writer:
    """The streamed output (`govreport lint --format github`): each file's annotations as it is
    checked; at the end the cross-year ones, the ::notice of every file finally 部分未核对 (a
    cross-year error makes a file fail instead), and the summary line (validator.stream.Ending)."""

    def head(self) -> str:
        return ""

    def file(self, r: FileResult) -> str:
        return render_annotations(r)

    def tail(self, ending) -> Iterator[str]:
        for a in ending.additions:
            yield render_annotations(a.result)
        for r in ending.incomplete:
            yield render_notice(r)
        prefix = "已中断（Ctrl-C），以下为已检查的文件：" if ending.interrupted else ""
        yield prefix + summary_text(ending.counted) + "\n"


def render(results: list[FileResult], book=None, **_) -> str:
    return "".join(render_file(r) for r in results) + summary_line(results)
