"""Fuzzing: our own sample reports, mutated (bytes flipped, cells cut, tags unbalanced, numbers
swapped for long digit strings, the file cut short, rows repeated), go through the whole run
without an exception escaping: every file gets a status, never an internal error, and within a
generous time per file (hypothesis' deadline). Derandomized, so that a run is reproducible; the
longer, random run is benchmarks/fuzz.py."""

from __future__ import annotations

import functools
import re
from datetime import timedelta

import pytest
from conftest import ROOT
from documents import make_docx, make_pdf

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.findings import FileResult
from validator.pipeline import lint_paths, load_report
from validator.rules import rulebook

STATUSES = {"pass", "fail", "incomplete", "error"}
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.name != "README.md")
_TAGS = [b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<th colspan=\"3\">", b"<tbody>",
         b"<td rowspan=\"999\" colspan=\"999\">", b"<p>", b"</div>", b"<!--", b"<![CDATA[", b"<script>"]
_CELL_STARTS = re.compile(rb"<t[dh][\s>]|\n|\|")
_NUMBERS = re.compile(rb"\d+")


@functools.cache
def sources() -> list[tuple[str, bytes]]:
    """(name, bytes) of every sample report, and one report as DOCX and as PDF."""
    out = [(p.name, p.read_bytes()) for p in SAMPLES]
    return out + [("clean_2021.docx", make_docx("2021")), ("clean_2021.pdf", make_pdf("2021"))]


@functools.cache
def book() -> rulebook.Rulebook:
    return rulebook.load()


def _at(draw, data: bytearray) -> int:
    return draw(st.integers(0, len(data)))


def flip(draw, data: bytearray) -> None:
    for _ in range(draw(st.integers(1, 16))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))


def cut_cells(draw, data: bytearray) -> None:
    """Cut from one cell's start (<td, a line, a |) to another's: cells and rows go missing."""
    starts = [m.start() for m in _CELL_STARTS.finditer(data)]
    if len(starts) < 2:
        return
    i = draw(st.integers(0, len(starts) - 2))
    j = draw(st.integers(i + 1, min(len(starts) - 1, i + 12)))
    del data[starts[i]:starts[j]]


def unbalance(draw, data: bytearray) -> None:
    """Insert stray tags, or drop a closing one."""
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 5))):
            at = _at(draw, data)
            data[at:at] = draw(st.sampled_from(_TAGS))
    else:
        closing = [m.start() for m in re.finditer(rb"</\w+>", data)]
        if closing:
            at = draw(st.sampled_from(closing))
            del data[at:data.index(b">", at) + 1]


def long_digits(draw, data: bytearray) -> None:
    """A number becomes a long run of digits (a crawler gluing a row, or a typo)."""
    numbers = list(_NUMBERS.finditer(data))
    for _ in range(draw(st.integers(1, 3))):
        if not numbers:
            return
        m = draw(st.sampled_from(numbers))
        digits = draw(st.text(alphabet="0123456789", min_size=12, max_size=400))
        data[m.start():m.end()] = digits.encode()
        numbers = list(_NUMBERS.finditer(data))


def truncate(draw, data: bytearray) -> None:
    del data[_at(draw, data):]


def repeat(draw, data: bytearray) -> None:
    """A slice written again many times (rows or tables pasted twice, or fifty times)."""
    i = _at(draw, data)
    j = draw(st.integers(i, min(len(data), i + 4000)))
    data[j:j] = data[i:j] * draw(st.integers(1, 50))


MUTATIONS = [flip, cut_cells, unbalance, long_digits, truncate, repeat]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name, original = draw(st.sampled_from(sources()))
    data = bytearray(original)
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        mutation(draw, data)
    return name, bytes(data)


def check(item: tuple[str, bytes]) -> FileResult:
    """Lint one mutated file as an upload; what every result must be."""
    loaded = load_report(item, book())
    if isinstance(loaded, FileResult):
        assert_sound(loaded)
    (result,) = list(lint_paths([item], book()))
    assert_sound(result)
    return result


def assert_sound(result: FileResult) -> None:
    assert result.status in STATUSES
    for f in result.findings:
        assert "内部错误" not in f.message, f.message
        assert "\n" not in f.message
    if result.status == "error":
        assert result.error and result.error.strip()


FUZZ = settings(max_examples=60, deadline=timedelta(seconds=5), derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(mutated())
def test_mutated_samples_never_escape_and_always_get_a_status(item):
    check(item)


@pytest.mark.parametrize("name", [p.name for p in SAMPLES])
def test_unmutated_samples_are_sound(name):
    assert check(next(s for s in sources() if s[0] == name)).status != "error"
