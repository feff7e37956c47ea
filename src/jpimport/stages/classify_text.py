"""Text helpers for reasons: numbers with thousands separators, in Python and as Polars expressions.

Reasons such as "width 2,037 mm > 1,700 mm small-car limit" are built for every row at once, so
the vehicle's numbers are formatted by expressions and the rule's numbers in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

EMPTY_LIST = pl.lit([], dtype=pl.List(pl.String()))


def number_text(value: float) -> str:
    """A rule value as shown in reasons: 1700 → '1,700', 0.6 → '0.6'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,g}"


def int_text(expr: pl.Expr) -> pl.Expr:
    """An integer column as text with thousands separators (null stays null)."""
    whole = expr.cast(pl.Int64)
    size = whole.abs()
    sign = pl.when(whole < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    millions = (size // 1_000_000).cast(pl.String)
    thousands = ((size // 1000) % 1000).cast(pl.String)
    units = (size % 1000).cast(pl.String)
    return (
        pl.when(size >= 1_000_000)
        .then(
            pl.concat_str(
                sign, millions, pl.lit(","), thousands.str.zfill(3), pl.lit(","), units.str.zfill(3)
            )
        )
        .when(size >= 1000)
        .then(pl.concat_str(sign, thousands, pl.lit(","), units.str.zfill(3)))
        .otherwise(pl.concat_str(sign, units))
    )


def drop_null_list(items: Sequence[pl.Expr]) -> pl.Expr:
    """The non-null strings among ``items`` as a list, in order (an empty list if none)."""
    if not items:
        return EMPTY_LIST
    return pl.concat_list([item.cast(pl.String) for item in items]).list.drop_nulls()
