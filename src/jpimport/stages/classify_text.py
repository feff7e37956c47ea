"""Text helpers for reasons: numbers with thousands separators, in Python and as Polars expressions.

Reasons such as "width 2,037 mm > 1,700 mm small-car limit" are built for every row at once, so
the vehicle's numbers are formatted by expressions and the rule's numbers in Python. Lists of
reasons are joined into one string and split again: far cheaper per row than ``concat_list``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import polars as pl

EMPTY_LIST = pl.lit([], dtype=pl.List(pl.String()))

#: Joins reasons before they are split into a list; no reason text contains it.
SEPARATOR = "\x1f"

#: Up to this many rows a plan is built to be cheap to plan, above it to be cheap per row.
FEW_ROWS = 1000

#: "000" to "999": the groups of digits between thousands separators.
GROUPS = pl.Series([f"{i:03d}" for i in range(1000)], dtype=pl.String)

_MANY_ROWS: ContextVar[bool] = ContextVar("jpimport_many_rows", default=False)


def number_text(value: float) -> str:
    """A rule value as shown in reasons: 1700 → '1,700', 0.6 → '0.6'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,g}"


def int_text(expr: pl.Expr) -> pl.Expr:
    """An integer column as text with thousands separators (null stays null).

    Separators go before the last three digits and the three before them (as far as millions:
    1234567890 → '1234,567,890'). A plan for many rows (``for_rows``) uses arithmetic and a
    table of three-digit groups (cheap per row); one for a few rows uses two regex replacements
    (a small expression, cheap to plan). Both give the same text.
    """
    if many_rows():
        return _int_text_arithmetic(expr)
    digits = expr.cast(pl.Int64).cast(pl.String)
    thousands = digits.str.replace(r"(\d)(\d{3})$", "${1},${2}")
    return thousands.str.replace(r"(\d)(\d{3},\d{3})$", "${1},${2}")


def _int_text_arithmetic(expr: pl.Expr) -> pl.Expr:
    """``int_text`` by integer division and a table of zero-padded three-digit groups."""
    whole = expr.cast(pl.Int64)
    size = whole.abs()
    groups = pl.lit(GROUPS)
    units = groups.gather(size % 1000)
    text = (
        pl.when(size >= 1_000_000)
        .then(
            pl.concat_str(
                (size // 1_000_000).cast(pl.String),
                pl.lit(","),
                groups.gather(size // 1000 % 1000),
                pl.lit(","),
                units,
            )
        )
        .when(size >= 1000)
        .then(pl.concat_str((size // 1000).cast(pl.String), pl.lit(","), units))
        .otherwise(size.cast(pl.String))
    )
    return pl.concat_str(pl.when(whole < 0).then(pl.lit("-")).otherwise(pl.lit("")), text)


@contextmanager
def for_rows(count: int) -> Iterator[None]:
    """Build expressions (``int_text``) suited to a frame of ``count`` rows inside the block."""
    token = _MANY_ROWS.set(count > FEW_ROWS)
    try:
        yield
    finally:
        _MANY_ROWS.reset(token)


def many_rows() -> bool:
    """Whether the plan being built is for many rows (``for_rows``)."""
    return _MANY_ROWS.get()


def row_mode(count: int) -> str:
    """The name of the kind of plan ``for_rows(count)`` builds, for memo keys."""
    return "many" if count > FEW_ROWS else "few"


def text_list(items: Sequence[pl.Expr]) -> pl.Expr:
    """The non-null texts among ``items`` as a list, in order (an empty list if none).

    Every text must be non-empty: the texts are joined with ``SEPARATOR`` and split again.
    """
    if not items:
        return EMPTY_LIST
    joined = pl.concat_str(list(items), separator=SEPARATOR, ignore_nulls=True)
    return joined.str.split(SEPARATOR).list.filter(pl.element() != "")
