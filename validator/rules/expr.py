"""The rule expression language: a linear comparison over canonical ids.

Rule text is tokenised and parsed here, never handed to Python's eval. Every expression is
`sum OP sum` where a sum is linear in the names, so each side reduces to coefficients per
name plus a constant; that also tells which cells an item involves (for localisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\.\*)?)"
    r"|(?P<op>==|!=|<=|>=|<|>|\+|-|\*|\(|\)))"
)


class ExprError(ValueError):
    """A rule expression that does not parse."""


@dataclass(frozen=True)
class Linear:
    """sum(coeff * name) + const; names may be wildcards `a.*` until expanded."""

    coeffs: dict[str, float] = field(default_factory=dict)
    const: float = 0.0

    def scaled(self, k: float) -> Linear:
        return Linear({n: c * k for n, c in self.coeffs.items()}, self.const * k)

    def plus(self, other: Linear) -> Linear:
        coeffs = dict(self.coeffs)
        for n, c in other.coeffs.items():
            coeffs[n] = coeffs.get(n, 0.0) + c
        return Linear(coeffs, self.const + other.const)

    def expand(self, available: list[str]) -> Linear:
        """Replace each `a.*` by `a` and every `a.<x>` in `available` (absent names drop out)."""
        out: dict[str, float] = {}
        for name, c in self.coeffs.items():
            if name.endswith(".*"):
                stem = name[:-2]
                targets = [n for n in available if n == stem or n.startswith(stem + ".")]
            else:
                targets = [name] if name in available else []
            for t in targets:
                out[t] = out.get(t, 0.0) + c
        return Linear({n: c for n, c in out.items() if c}, self.const)

    def names(self) -> list[str]:
        return list(self.coeffs)


@dataclass(frozen=True)
class Comparison:
    op: str
    lhs: Linear
    rhs: Linear
    text: str

    def names(self) -> list[str]:
        return self.lhs.names() + [n for n in self.rhs.names() if n not in self.lhs.coeffs]


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"unexpected character at {pos}: {text[pos:pos + 10]!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ExprError("unexpected end of expression")
        self.i += 1
        return tok

    def sum(self) -> Linear:
        acc = self.term()
        while (tok := self.peek()) and tok[1] in ("+", "-"):
            self.take()
            t = self.term()
            acc = acc.plus(t if tok[1] == "+" else t.scaled(-1))
        return acc

    def term(self) -> Linear:
        kind, val = self.take()
        if val == "-":
            return self.term().scaled(-1)
        if val == "(":
            inner = self.sum()
            if self.take()[1] != ")":
                raise ExprError("missing )")
            return inner
        if kind == "name":
            return Linear({val: 1.0})
        if kind == "num":
            if (tok := self.peek()) and tok[1] == "*":
                self.take()
                return self.term().scaled(float(val))
            return Linear({}, float(val))
        raise ExprError(f"unexpected {val!r}")


def parse_sum(text: str) -> Linear:
    """Parse a linear sum alone (a figure of the summary); raise ExprError on anything else."""
    p = _Parser(text)
    out = p.sum()
    if p.peek() is not None:
        raise ExprError(f"unexpected {p.peek()[1]!r} after the expression")
    return out


def parse(text: str) -> Comparison:
    """Parse `sum OP sum`; raise ExprError on anything else."""
    p = _Parser(text)
    lhs = p.sum()
    tok = p.take()
    if tok[1] not in COMPARISONS:
        raise ExprError(f"expected a comparison, got {tok[1]!r}")
    rhs = p.sum()
    if p.peek() is not None:
        raise ExprError(f"unexpected {p.peek()[1]!r} after the expression")
    return Comparison(tok[1], lhs, rhs, text)


def holds(op: str, lhs, rhs, tol):
    """Elementwise comparison with tolerance; works on floats and numpy arrays alike."""
    if op == "==":
        return abs(lhs - rhs) <= tol
    if op == "!=":
        return abs(lhs - rhs) > tol
    if op == "<=":
        return lhs <= rhs + tol
    if op == ">=":
        return lhs + tol >= rhs
    if op == "<":
        return lhs < rhs - tol
    return lhs > rhs + tol
