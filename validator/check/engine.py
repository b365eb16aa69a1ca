"""The one evaluator of linear comparisons: identities over stacked tables, cross-year rules,
the settling of run-together rows by 表三's column identities, and the numbers a report's
text states against its tables all come here.

A verdict per item: PASS, FAIL or UNDECIDED (a cell it needs is unreadable or missing).
Tolerance is the rule's: a number, or "written" — half a unit of the last decimal written in
each term (12.35 万元 is 12.345 to 12.355), exact (1e-9) for whole numbers."""

from __future__ import annotations

import numpy as np

from validator.rules import expr

PASS, FAIL, UNDECIDED = 1, 0, -1
EXACT = 1e-9


def tolerance(rule_tolerance, decimals: np.ndarray | float = 0, terms: int = 1):
    """The tolerance of an item: the rule's own number, or from the decimals written."""
    if rule_tolerance != "written":
        return float(rule_tolerance)
    decimals = np.asarray(decimals)
    return np.where(decimals > 0, terms * 0.5 * 10.0 ** -decimals, EXACT)


def verdicts(op: str, lhs, rhs, tol=EXACT, undecided=None) -> np.ndarray:
    """lhs op rhs per item (numpy broadcasting), UNDECIDED where `undecided`."""
    out = np.where(expr.holds(op, np.asarray(lhs, dtype=float), np.asarray(rhs, dtype=float), tol), PASS, FAIL)
    if undecided is not None:
        out = np.where(undecided, UNDECIDED, out)
    return out


def verdict(op: str, lhs: float, rhs: float, tol=EXACT, undecided: bool = False) -> int:
    """One item's verdict."""
    return int(verdicts(op, lhs, rhs, tol, undecided))


def side(linear: expr.Linear, values: dict[str, float]) -> float:
    """A side of a comparison over named values (a missing name is not allowed here)."""
    return sum(k * values[n] for n, k in linear.coeffs.items()) + linear.const
