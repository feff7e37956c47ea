"""Polars expressions for bracket and table lookups, so stages never loop over rows in Python."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import polars as pl
from polars.expr.whenthen import ChainedThen, Then

Plain = int | float | bool | str


def dtype_of(values: Sequence[Plain]) -> pl.DataType:
    """The output dtype for a set of rule values: Int64 yen stays Int64, any float gives Float64."""
    if all(isinstance(v, bool) for v in values):
        return pl.Boolean()
    if all(isinstance(v, str) for v in values):
        return pl.String()
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return pl.Int64()
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return pl.Float64()
    raise TypeError(f"rule values of mixed types cannot form one column: {list(values)!r}")


def bracket_expr(
    column: pl.Expr, bounds: Sequence[int | float | None], values: Sequence[Plain]
) -> pl.Expr:
    """The value of the first bracket with ``q <= up_to`` for each row; null or NaN gives null.

    The column is compared as Float64 (exact for integers below 2**53), NaN is made null, and
    the open last bracket only applies to non-null rows, so unknown stays unknown. Ascending
    bounds (as the loader requires) are searched in one step, so the expression stays small
    however many brackets there are.
    """
    if len(bounds) != len(values) or not bounds or bounds[-1] is not None:
        raise ValueError("brackets need matching bounds and values and an open last bracket")
    finite = [float(b) for b in bounds[:-1] if b is not None]
    if len(finite) != len(bounds) - 1 or any(a >= b for a, b in itertools.pairwise(finite)):
        return _bracket_chain(column, bounds, values)
    dtype = dtype_of(values)
    q = column.cast(pl.Float64).fill_nan(None)
    index = pl.lit(pl.Series(finite, dtype=pl.Float64)).search_sorted(q, side="left")
    table = pl.lit(pl.Series(list(values), dtype=dtype, strict=False))
    return pl.when(q.is_not_null()).then(table.gather(index)).cast(dtype)


def _bracket_chain(
    column: pl.Expr, bounds: Sequence[int | float | None], values: Sequence[Plain]
) -> pl.Expr:
    """``bracket_expr`` as a when/then chain, for bounds that do not ascend."""
    dtype = dtype_of(values)
    q = column.cast(pl.Float64).fill_nan(None)
    builder: Then | ChainedThen | None = None
    for up_to, value in zip(bounds, values, strict=True):
        condition = q.is_not_null() if up_to is None else q <= up_to
        literal = pl.lit(value, dtype=dtype)
        if builder is None:
            builder = pl.when(condition).then(literal)
        else:
            builder = builder.when(condition).then(literal)
    assert builder is not None  # bounds is not empty
    return builder.cast(dtype)


def table_expr(column: pl.Expr, mapping: Mapping[str | int, Plain]) -> pl.Expr:
    """Each key in the column mapped through the table; keys it lacks, and nulls, give null.

    Text keys are looked up by casting the column to an Enum of the keys (whose position picks
    the value), whole-number keys by a search of the sorted keys: both are small expressions,
    quick to plan, and no slower per row than a hash lookup.
    """
    if not mapping:
        raise ValueError("a table needs at least one entry")
    dtype = dtype_of(list(mapping.values()))
    keys = list(mapping.keys())
    values = pl.Series(list(mapping.values()), dtype=dtype, strict=False)
    if all(isinstance(k, str) for k in keys):
        position = column.cast(pl.Enum([str(k) for k in keys]), strict=False).to_physical()
        return pl.lit(values).gather(position)
    if all(isinstance(k, int) and not isinstance(k, bool) for k in keys):
        return _sorted_lookup(column, [int(k) for k in keys], values)
    return column.replace_strict(keys, values, default=None, return_dtype=dtype)


def _sorted_lookup(column: pl.Expr, keys: list[int], values: pl.Series) -> pl.Expr:
    """``table_expr`` for whole-number keys: the key's place among the sorted keys, if there."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ordered = pl.lit(pl.Series([keys[i] for i in order], dtype=pl.Int64))
    place = ordered.search_sorted(column, side="left").clip(upper_bound=len(keys) - 1)
    found = ordered.gather(place) == column
    return pl.when(found).then(pl.lit(values.gather(order)).gather(place))
