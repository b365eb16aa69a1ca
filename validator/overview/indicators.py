"""Derived indicators (rules/indicators.yaml): ratios of key figures, undefined (None, never 0)
when a figure they use is undefined or the denominator is 0."""

from __future__ import annotations

from validator.overview.spec import Indicator, Spec
from validator.rules.expr import Linear


def total(lin: Linear, values: dict[str, float | None]) -> float | None:
    """A linear sum of figures; None when one of them is undefined."""
    out = lin.const
    for name, k in lin.coeffs.items():
        v = values.get(name)
        if v is None:
            return None
        out += k * v
    return out


def ratio(ind: Indicator, values: dict[str, float | None]) -> float | None:
    num, den = total(ind.numerator, values), total(ind.denominator, values)
    if num is None or den is None or den == 0:
        return None
    return num / den


def indicators(spec: Spec, values: dict[str, float | None] | None) -> dict[str, float | None]:
    """Every indicator of one report's key figures (None for a report not read)."""
    return {i.code: None if values is None else ratio(i, values) for i in spec.indicators}
