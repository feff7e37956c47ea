"""Legal rounding: truncation to ¥1,000 / ¥100, scalar = vector, and the citation in the trace."""

import json

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jpimport.rules.rounding import (
    CUSTOMS_TAX_AMOUNT,
    CUSTOMS_TAX_BASE,
    customs_tax_amount,
    customs_tax_amount_expr,
    customs_tax_base,
    customs_tax_base_expr,
    floor_to_unit,
    floor_to_unit_expr,
)


@pytest.mark.parametrize(
    ("amount", "base", "tax"),
    [
        (0, 0, 0),
        (99, 0, 0),
        (999, 0, 900),
        (1000, 1000, 1000),
        (5_432_199, 5_432_000, 5_432_100),
        (5_432_199.99, 5_432_000, 5_432_100),
    ],
)
def test_customs_rounding_truncates(amount: float, base: int, tax: int) -> None:
    """Tax bases drop fractions below ¥1,000, tax amounts below ¥100; nothing rounds up."""
    assert customs_tax_base(amount) == base
    assert customs_tax_amount(amount) == tax
    assert isinstance(customs_tax_base(amount), int)


def test_negative_amounts_truncate_toward_zero() -> None:
    """切り捨て drops the fraction, so -1,500 becomes -1,000 (a refund is never enlarged)."""
    assert floor_to_unit(-1500, 1000) == -1000
    assert floor_to_unit(-999.5, 100) == -900


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_amounts_fail(bad: float) -> None:
    """NaN or infinity is not an amount of yen."""
    with pytest.raises(ValueError, match="finite"):
        customs_tax_base(bad)


@pytest.mark.parametrize(("amount", "unit"), [(True, 100), ("100", 100), (100, 0), (100, 1.5)])
def test_bad_arguments_fail(amount: object, unit: object) -> None:
    """Booleans and strings are not yen; the unit is a positive integer."""
    with pytest.raises((TypeError, ValueError)):
        floor_to_unit(amount, unit)  # type: ignore[arg-type]


@given(st.lists(st.one_of(st.none(), st.integers(-(10**12), 10**12)), min_size=1, max_size=50))
def test_vector_equals_scalar_on_integers(amounts: list[int | None]) -> None:
    """The Polars forms give the same Int64 yen as the scalar forms; null stays null."""
    frame = pl.DataFrame({"x": amounts}, schema={"x": pl.Int64})
    out = frame.select(
        base=customs_tax_base_expr(pl.col("x")),
        tax=customs_tax_amount_expr(pl.col("x")),
        unit7=floor_to_unit_expr(pl.col("x"), 7),
    )
    assert out.schema == {"base": pl.Int64, "tax": pl.Int64, "unit7": pl.Int64}
    assert out["base"].to_list() == [None if a is None else customs_tax_base(a) for a in amounts]
    assert out["tax"].to_list() == [None if a is None else customs_tax_amount(a) for a in amounts]
    assert out["unit7"].to_list() == [None if a is None else floor_to_unit(a, 7) for a in amounts]


@given(st.lists(st.floats(-1e12, 1e12), min_size=1, max_size=50))
def test_vector_equals_scalar_on_floats(amounts: list[float]) -> None:
    """Float amounts (yen from a USD price) truncate the same way in both forms."""
    frame = pl.DataFrame({"x": amounts}, schema={"x": pl.Float64})
    got = frame.select(customs_tax_base_expr(pl.col("x"))).to_series().to_list()
    assert got == [customs_tax_base(a) for a in amounts]


def test_vector_non_finite_is_null() -> None:
    """NaN and infinity have no yen value, so the vector form gives null."""
    frame = pl.DataFrame({"x": [float("nan"), float("inf"), 1999.0]})
    assert frame.select(customs_tax_base_expr(pl.col("x"))).to_series().to_list() == [
        None,
        None,
        1000,
    ]


def test_rounding_rules_cite_the_law_in_the_trace() -> None:
    """Each rule names its article of 国税通則法 and is JSON-ready for the trace."""
    assert CUSTOMS_TAX_BASE.citation.article == "国税通則法 第118条第1項"
    assert CUSTOMS_TAX_AMOUNT.citation.article == "国税通則法 第119条第1項"
    for rule, unit in ((CUSTOMS_TAX_BASE, 1000), (CUSTOMS_TAX_AMOUNT, 100)):
        trace = rule.trace()
        assert json.loads(json.dumps(trace)) == trace
        assert trace["value"] == unit
        assert trace["citation"]["url"].startswith("https://")
