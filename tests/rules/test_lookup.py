"""As-of lookups on both sides of each date, bracket bounds, vector = scalar, and the trace."""

import json
from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jpimport.errors import NotInForceError
from jpimport.rules import ParameterValue, Range, load_rules

from .conftest import CITE, WriteTree

AUTO_TAX = "taxes.automobile_tax.passenger_by_displacement"
PHP_CAP = "pathways.php.annual_cap_units"
US_CERTIFIED = "pathways.us_certified.in_force"
BOUNDS = [1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 6000]


def _auto_tax() -> ParameterValue:
    return load_rules().parameter(AUTO_TAX).at(date(2026, 11, 21))


@pytest.mark.parametrize(
    ("day", "cap"), [(date(2013, 5, 9), 2000), (date(2013, 5, 10), 5000), (date(2026, 1, 1), 5000)]
)
def test_php_cap_on_both_sides_of_2013_05_10(day: date, cap: int) -> None:
    """The PHP cap is 2,000 until 2013-05-09 and 5,000 from 2013-05-10."""
    assert load_rules().parameter(PHP_CAP).at(day).value == cap


def test_php_window_bounds() -> None:
    """The 2,000 window ends (exclusive) where the 5,000 window starts."""
    first, second = load_rules().parameter(PHP_CAP).windows
    assert (first.start, first.end) == (date(2013, 2, 27), date(2013, 5, 10))
    assert (second.start, second.end) == (date(2013, 5, 10), None)


def test_us_certified_is_not_in_force_the_day_before() -> None:
    """On 2026-02-15 the route does not exist: an explicit outcome, never a silent false."""
    p = load_rules().parameter(US_CERTIFIED)
    assert p.find(date(2026, 2, 15)) is None
    with pytest.raises(NotInForceError) as caught:
        p.at(date(2026, 2, 15))
    assert str(caught.value) == (
        "pathways.us_certified.in_force is not in force on 2026-02-15 (in force: from 2026-02-16)"
    )


def test_us_certified_is_in_force_from_2026_02_16() -> None:
    """From 2026-02-16 the route is in force; a datetime is read as its date."""
    p = load_rules().parameter(US_CERTIFIED)
    assert p.at(date(2026, 2, 16)).value is True
    assert p.at(datetime(2026, 2, 16, 23, 59)).value is True


def test_not_in_force_merges_adjacent_windows() -> None:
    """Before the first window the message gives the whole span the rule covers."""
    with pytest.raises(NotInForceError, match=r"on 2013-02-26 \(in force: from 2013-02-27\)$"):
        load_rules().parameter(PHP_CAP).at(date(2013, 2, 26))


@pytest.mark.parametrize(
    ("cc", "tax"),
    [
        (0, 25_000),
        (1000, 25_000),
        (1001, 30_500),
        (1500, 30_500),
        (1501, 36_000),
        (2488, 43_500),
        (4500, 75_500),
        (4501, 87_000),
        (6000, 87_000),
        (6001, 110_000),
        (1000.0, 25_000),
        (1000.5, 30_500),
    ],
)
def test_automobile_tax_bracket_bounds(cc: float, tax: int) -> None:
    """A quantity takes the first bracket with q <= up_to: 1000 cc → ¥25,000; 1001 → ¥30,500."""
    assert _auto_tax().lookup(cc) == tax


def test_bracket_lookup_of_unknown_is_unknown() -> None:
    """None or NaN in gives None out, never the top or bottom bracket."""
    assert _auto_tax().lookup(None) is None
    assert _auto_tax().lookup(float("nan")) is None


@pytest.mark.parametrize("bad", [True, "1000", [1000]])
def test_bracket_lookup_refuses_non_numbers(bad: object) -> None:
    """A bool is an int in Python, but not a displacement."""
    with pytest.raises(TypeError, match="takes a number"):
        _auto_tax().lookup(bad)


def test_automobile_tax_before_2019_10_01_is_not_in_force() -> None:
    """The old table is not recorded, so 2019-09-30 is an explicit gap."""
    assert load_rules().parameter(AUTO_TAX).find(date(2019, 9, 30)) is None


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(min_value=-10, max_value=10_000),
            st.floats(min_value=-10, max_value=10_000),
            st.sampled_from([float("nan"), float("inf"), -float("inf")]),
            st.sampled_from(BOUNDS).flatmap(lambda b: st.sampled_from([b - 1, b, b + 0.5, b + 1])),
        ),
        min_size=1,
        max_size=50,
    )
)
def test_vectorised_brackets_equal_scalar_lookup(values: list[int | float | None]) -> None:
    """expr() gives, row by row, what lookup() gives for one value (null/NaN → null)."""
    v = _auto_tax()
    frame = pl.DataFrame({"cc": values}, schema={"cc": pl.Float64}, strict=False)
    got = frame.select(v.expr(pl.col("cc")).alias("tax"))["tax"]
    assert got.dtype == pl.Int64
    assert got.to_list() == [v.lookup(x) for x in values]


def test_vectorised_brackets_on_an_integer_column() -> None:
    """An Int64 column works as is, and keeps null rows null."""
    frame = pl.DataFrame({"cc": [1000, 1001, None, 6001]}, schema={"cc": pl.Int64})
    out = frame.with_columns(_auto_tax().expr(pl.col("cc")).alias("tax"))
    assert out["tax"].to_list() == [25_000, 30_500, None, 110_000]


def test_range_brackets_need_a_part(write_tree: WriteTree) -> None:
    """With range values, expr() takes part='low'|'typical'|'high'."""
    store = write_tree(
        {
            "e.yaml": f"""\
title: T
title_ja: テ
description: d
unit: jpy
kind: brackets
reads: length_mm
last_verified_on: 2026-11-21
values:
  2026-01-01:
    brackets:
      - {{up_to: 4700, value: {{low: 10, typical: 20, high: 30}}}}
      - {{up_to: null, value: {{low: 40, typical: 50, high: 60}}}}
    {CITE}
    source_kind: weak
    status: estimate
"""
        }
    )
    v = store.parameter("e").at(date(2026, 6, 1))
    frame = pl.DataFrame({"length_mm": [4700, 4701, None]})
    high = frame.select(v.expr(pl.col("length_mm"), part="high"))
    assert high.to_series().to_list() == [30, 60, None]
    with pytest.raises(TypeError, match="holds ranges"):
        v.expr(pl.col("length_mm"))
    assert v.lookup(4701) == Range(40, 50, 60)
    assert v.trace(v.lookup(4701))["value"] == {"low": 40, "typical": 50, "high": 60}


def test_table_expr_equals_table_lookup(write_tree: WriteTree) -> None:
    """table_expr maps a key column through the table; missing keys and nulls give null."""
    store = write_tree(
        {
            "p.yaml": f"""\
title: T
title_ja: テ
description: d
unit: jpy_per_month
kind: table
last_verified_on: 2026-11-21
values:
  2026-01-01:
    value: {{tokyo: 30000, osaka: 20000}}
    {CITE}
    source_kind: weak
    status: estimate
"""
        }
    )
    v = store.parameter("p").at(date(2026, 6, 1))
    keys = ["tokyo", "osaka", "nagoya", None]
    got = pl.DataFrame({"region": keys}).select(v.table_expr(pl.col("region"))).to_series()
    assert got.dtype == pl.Int64
    assert got.to_list() == [v.lookup(k) for k in keys] == [30000, 20000, None, None]
    with pytest.raises(TypeError, match="needs brackets"):
        v.expr(pl.col("region"))


def test_scalar_has_no_lookup() -> None:
    """A scalar is read through .value; lookup() and the expressions say so."""
    v = load_rules().parameter(PHP_CAP).at(date(2026, 1, 1))
    with pytest.raises(TypeError, match=r"read \.value"):
        v.lookup(1)
    with pytest.raises(TypeError, match="needs a table"):
        v.table_expr(pl.col("x"))


def test_trace_is_json_ready_and_complete() -> None:
    """The trace names the value used, its window, unit, citation, source kind and status."""
    v = _auto_tax()
    trace = v.trace(v.lookup(2488))
    assert json.loads(json.dumps(trace)) == trace
    assert trace == {
        "name": AUTO_TAX,
        "value": 43_500,
        "unit": "jpy_per_year",
        "start": "2019-10-01",
        "end": None,
        "citation": v.citation.to_dict(),
        "source_kind": v.source_kind,
        "status": v.status,
        "note": v.note,
    }
    whole = v.trace()["value"]
    assert whole[0] == {"up_to": 1000, "value": 25_000}
    assert whole[-1] == {"up_to": None, "value": 110_000}


def test_trace_of_a_closed_window_and_unconfirmed_flag() -> None:
    """A closed window shows its exclusive end; only primary-sourced values are confirmed."""
    first, second = load_rules().parameter(PHP_CAP).windows[:2]
    assert first.trace()["end"] == "2013-05-10"
    assert first.trace()["value"] == 2000
    assert first.unconfirmed is (first.source_kind != "primary")
    assert second.source_kind == "primary"
    assert second.unconfirmed is False
