"""Loads rules/text.yaml (the document checks' rules) as strictly as the identities: every
level's keys, every pattern, every table cell a text rule names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from validator.extract.values import normalize

NUMERAL = re.compile(r"^([一二三四五六七八九十]{1,3})([、.])?")
TRAILING_NOTE = re.compile(r"(?:\([^()]*\)|[:。.])+$")  # （有关情况附表）, a colon
NOT_WORDS = re.compile(r"[、,.。:;的“”\"]")


def skeleton(text: str) -> str:
    """A heading's words, for comparing wordings: without its numeral, a note in brackets at
    its end, punctuation and 的."""
    text = NUMERAL.sub("", normalize(text), count=1)
    return NOT_WORDS.sub("", TRAILING_NOTE.sub("", text))



class TextRulesError(ValueError):
    pass


@dataclass(frozen=True)
class NumberCheck:
    label: str
    # alternatives, each a sum of terms (table, row, columns or ()): the text may group rows
    alternatives: tuple[tuple[tuple[str, str, tuple[str, ...]], ...], ...]
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class TextRules:
    numerals: dict[str, str]
    nearly_empty: int
    fee: tuple[re.Pattern, ...]
    period: re.Pattern
    opening: re.Pattern
    numbers: tuple[NumberCheck, ...]
    # the format's (and the 条例's) wording of each heading, compared without punctuation
    wording: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # each section as the format words it
    # words of a heading, or of a section's first lines, that tell which section it is
    heading_words: dict[str, re.Pattern] = field(default_factory=dict)
    body_words: dict[str, re.Pattern] = field(default_factory=dict)
    not_headings: re.Pattern | None = None
    statements: tuple[re.Pattern, ...] = ()
    count: re.Pattern | None = None
    plans: re.Pattern | None = None
    carry_over: re.Pattern | None = None
    citations: re.Pattern | None = None
    other_period: re.Pattern | None = None  # before a stated number: the figure of another year
    unrelated: re.Pattern | None = None  # in a sentence: its figures are not about disclosure


def _alternation(words) -> re.Pattern | None:
    words = list(words or ())
    return re.compile("|".join(f"(?:{w})" for w in words)) if words else None


# The keys of text.yaml, each level checked as strictly as identities.yaml: (required, optional).
_KEYS = {
    "text": ({"structure", "years", "numbers"}, set()),
    "text.structure": ({"numerals", "wording", "content", "not_headings", "nearly_empty_chars", "fee_patterns"}, set()),
    "text.years": ({"period", "opening", "statements", "count", "not_facts"}, set()),
    "text.years.not_facts": ({"plans", "carry_over", "citations"}, set()),
    "text.numbers": ({"value", "checks"}, {"other_period", "unrelated"}),
    "text.numbers.checks": ({"label", "cells", "patterns"}, set()),
    "text.structure.content": (set(), {"heading", "body"}),
}


def _strict(where: str, data, key: str | None = None) -> None:
    required, optional = _KEYS[key or where]
    if not isinstance(data, dict):
        raise TextRulesError(f"{where}: expected a mapping")
    if required - set(data):
        raise TextRulesError(f"{where}: missing {sorted(required - set(data))}")
    if set(data) - required - optional:
        raise TextRulesError(f"{where}: unknown keys {sorted(set(data) - required - optional)}")


def _cell_term(term: str, tables, cells: str) -> tuple[str, str, tuple[str, ...]]:
    """t3:granted or t3:granted:natural|legal: a table, a row (or rows.*) and maybe columns,
    each an id the layout knows."""
    parts = term.strip().split(":")
    if len(parts) not in (2, 3) or (tables is not None and parts[0] not in tables):
        raise TextRulesError(f"text.numbers: bad cells {cells!r}")
    cols = tuple(parts[2].split("|")) if len(parts) == 3 else ()
    if tables is not None:
        spec = tables[parts[0]]
        row = parts[1][:-2] if parts[1].endswith(".*") else parts[1]
        if not any(r == row or r.startswith(row + ".") for r in spec.row_labels):
            raise TextRulesError(f"text.numbers: unknown row {parts[1]!r} in {cells!r}")
        if set(cols) - set(spec.columns):
            raise TextRulesError(f"text.numbers: unknown column in {cells!r}")
    return parts[0], parts[1], cols


def compile_rules(data: dict, tables=None, formats=None) -> TextRules:
    """rules/text.yaml's `text:` mapping, checked strictly: unknown keys, a bad pattern, or a
    cell the layout does not have stop the load."""
    try:
        _strict("text", data)
        s, y, n = data["structure"], data["years"], data["numbers"]
        _strict("text.structure", s)
        _strict("text.years", y)
        _strict("text.years.not_facts", y["not_facts"])
        _strict("text.numbers", n)
        for k, v in s["content"].items():
            _strict(f"text.structure.content.{k}", v, "text.structure.content")
        value = n["value"]
        checks = []
        for i, c in enumerate(n["checks"]):
            _strict(f"text.numbers.checks[{i}]", c, "text.numbers.checks")
            alternatives = []
            for cells in ([c["cells"]] if isinstance(c["cells"], str) else c["cells"]):
                alternatives.append(tuple(_cell_term(term, tables, cells) for term in cells.split("+")))
            pats = tuple(re.compile(p.replace("{n}", value)) for p in c["patterns"])
            checks.append(NumberCheck(c["label"], tuple(alternatives), pats))
        numerals = dict(s["numerals"])
        wording = {k: tuple(skeleton(w) for w in v) for k, v in s["wording"].items()}
        content = s["content"]
        for where, keys in (("wording", wording), ("content", content)):
            unknown = set(keys) - set(numerals)
            if unknown:
                raise TextRulesError(f"text.structure.{where}: unknown sections {sorted(unknown)}")
        if set(numerals) - set(wording):
            raise TextRulesError(f"text.structure.wording: no wording for {sorted(set(numerals) - set(wording))}")
        heading_words = {k: p for k, v in content.items() if (p := _alternation(v.get("heading"))) is not None}
        body_words = {k: p for k, v in content.items() if (p := _alternation(v.get("body"))) is not None}
        exclude = y["not_facts"]
        return TextRules(numerals, int(s["nearly_empty_chars"]),
                         tuple(re.compile(p) for p in s["fee_patterns"]), re.compile(y["period"]),
                         re.compile(y["opening"]), tuple(checks),
                         wording=wording, names={k: str(v[0]) for k, v in s["wording"].items()},
                         heading_words=heading_words, body_words=body_words,
                         not_headings=_alternation(s["not_headings"]),
                         statements=tuple(re.compile(p) for p in y["statements"]),
                         count=re.compile(y["count"]), plans=_alternation(exclude["plans"]),
                         carry_over=_alternation(exclude["carry_over"]),
                         citations=_alternation(exclude["citations"]),
                         other_period=_alternation(n.get("other_period")),
                         unrelated=_alternation(n.get("unrelated")))
    except (KeyError, TypeError, AttributeError) as e:
        raise TextRulesError(f"text.yaml: missing or malformed {e}") from None
    except re.error as e:
        raise TextRulesError(f"text.yaml: bad pattern: {e}") from None
