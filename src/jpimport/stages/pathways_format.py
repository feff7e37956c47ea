"""Vectorised text helpers for pathway reasons: whole numbers with thousands separators."""

from __future__ import annotations

import polars as pl
from polars.expr.whenthen import ChainedThen, Then


def grouped(expr: pl.Expr) -> pl.Expr:
    """A whole number as text with thousands separators (1234567 → '1,234,567'); null stays null."""
    x = expr.cast(pl.Int64)
    size = x.abs()
    sign = pl.when(x < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return sign + _groups(size)


def _groups(size: pl.Expr) -> pl.Expr:
    """Non-negative integer → grouped text, built from the largest power of 1,000 down."""
    chain: Then | ChainedThen = pl.when(size < 1000).then(size.cast(pl.String))
    for count in range(1, 5):
        limit = 1000 ** (count + 1)
        pieces = [(size // 1000**count).cast(pl.String)]
        for k in range(count - 1, -1, -1):
            pieces.append(((size // 1000**k) % 1000).cast(pl.String).str.zfill(3))
        joined = pl.concat_str(pieces, separator=",")
        chain = chain.when(size < limit).then(joined)
    return chain.otherwise(size.cast(pl.String))


def yen(expr: pl.Expr) -> pl.Expr:
    """An amount in yen as text: '¥1,234,567'."""
    return pl.lit("¥") + grouped(expr)
