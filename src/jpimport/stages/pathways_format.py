"""Text helpers for pathway reasons: whole numbers with thousands separators."""

from __future__ import annotations

import polars as pl

#: Numbers from this size on are written without separators (as the reasons always were).
_UNGROUPED_FROM = 1000**5


def grouped(expr: pl.Expr) -> pl.Expr:
    """A whole number as text with thousands separators (1234567 → '1,234,567'); null stays null.

    The digits are reversed, a comma put after every third, and reversed back: a handful of
    Polars nodes, so a one-row assessment plans quickly.
    """
    x = expr.cast(pl.Int64)
    size = x.abs()
    digits = size.cast(pl.String)
    commas = digits.str.reverse().str.replace_all(r"(\d{3})", "${1},").str.strip_chars_end(",")
    text = pl.when(size < _UNGROUPED_FROM).then(commas.str.reverse()).otherwise(digits)
    return pl.when(x < 0).then(pl.lit("-")).otherwise(pl.lit("")) + text


def grouped_text(value: int) -> str:
    """``grouped`` for a number known per date, in Python (same text, no per-row work)."""
    size = abs(value)
    digits = f"{size:,}" if size < _UNGROUPED_FROM else str(size)
    return ("-" if value < 0 else "") + digits


def yen_text(value: int) -> str:
    """An amount in yen known per date as text: '¥1,234,567'."""
    return "¥" + grouped_text(value)
