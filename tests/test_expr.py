"""The rule expression language: linear, parsed, never eval'd."""

import pytest

from validator.rules import expr


def test_parse_linear_sides():
    c = expr.parse("new + carried_over == total + carry_forward")
    assert c.op == "=="
    assert c.lhs.coeffs == {"new": 1.0, "carried_over": 1.0}
    assert c.rhs.coeffs == {"total": 1.0, "carry_forward": 1.0}


def test_minus_constants_and_parentheses():
    c = expr.parse("in_force >= issued - (repealed - 2) + 3 * x")
    assert c.op == ">="
    assert c.rhs.coeffs == {"issued": 1.0, "repealed": -1.0, "x": 3.0}
    assert c.rhs.const == 2.0


def test_wildcard_expands_to_stem_and_children_present():
    c = expr.parse("total == granted + other_handling.*")
    names = ["granted", "other_handling.overdue_correction", "other_handling.misc", "total", "other_handlingX"]
    assert c.rhs.expand(names).coeffs == {"granted": 1.0, "other_handling.overdue_correction": 1.0,
                                          "other_handling.misc": 1.0}
    # the 2019 single row is matched by the same wildcard
    assert c.rhs.expand(["granted", "other_handling"]).coeffs == {"granted": 1.0, "other_handling": 1.0}


def test_absent_names_drop_out_of_expansion():
    assert expr.parse("a == b + c").rhs.expand(["a", "b"]).coeffs == {"b": 1.0}


@pytest.mark.parametrize("text", [
    "__import__('os').system('echo hi') == 1",
    "a + b",               # no comparison
    "a == b == c",          # chained
    "a == b * c",           # not linear
    "a == b; c",
    "a == lambda: 1",
    "",
])
def test_rejects_anything_else(text):
    with pytest.raises(expr.ExprError):
        expr.parse(text)


@pytest.mark.parametrize("op,lhs,rhs,tol,expected", [
    ("==", 5, 5, 0, True), ("==", 5, 6, 0, False), ("==", 1.004, 1.0, 0.005, True),
    ("<=", 5, 4, 0, False), ("<=", 4, 4, 0, True), (">=", 3, 4, 0, False), ("<", 3, 4, 0, True),
    (">", 3, 4, 0, False), ("!=", 3, 4, 0, True),
])
def test_holds(op, lhs, rhs, tol, expected):
    assert bool(expr.holds(op, lhs, rhs, tol)) is expected
