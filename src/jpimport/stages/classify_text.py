"""Text helpers for reasons: numbers with thousands separators, in Python and as Polars expressions.

Reasons such as "width 2,037 mm > 1,700 mm small-car limit" are built for every row at once, so
the vehicle's numbers are formatted by expressions and the rule's numbers in Python. Lists of
reasons are joined into one string and split again: far cheaper per row than ``concat_list``.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

EMPTY_LIST = pl.lit([], dtype=pl.List(pl.String()))

#: Joins reasons before they are split into a list; no reason text contains it.
SEPARATOR = "\x1f"


def number_text(value: float) -> str:
    """A rule value as shown in reasons: 1700 → '1,700', 0.6 → '0.6'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,g}"


def int_text(expr: pl.Expr) -> pl.Expr:
    """An integer column as text with thousands separators (null stays null).

    Separators go before the last three digits and the three before them (as far as millions:
    1234567890 → '1234,567,890'), by two anchored replacements on the plain digits.
    """
    digits = expr.cast(pl.Int64).cast(pl.String)
    thousands = digits.str.replace(r"(\d)(\d{3})$", "${1},${2}")
    return thousands.str.replace(r"(\d)(\d{3},\d{3})$", "${1},${2}")


def text_list(items: Sequence[pl.Expr]) -> pl.Expr:
    """The non-null texts among ``items`` as a list, in order (an empty list if none).

    Every text must be non-empty: the texts are joined with ``SEPARATOR`` and split again.
    """
    if not items:
        return EMPTY_LIST
    joined = pl.concat_str(list(items), separator=SEPARATOR, ignore_nulls=True)
    return joined.str.split(SEPARATOR).list.filter(pl.element() != "")


def drop_null_list(items: Sequence[pl.Expr]) -> pl.Expr:
    """The non-null strings among ``items`` as a list, in order (an empty string kept)."""
    if not items:
        return EMPTY_LIST
    return pl.concat_arr([item.cast(pl.String) for item in items]).arr.to_list().list.drop_nulls()
