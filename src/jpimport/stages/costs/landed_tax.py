"""Customs duty and import consumption tax on the CIF value, with the legal truncations.

Japan Customs (Customs Answer 1111): duty = customs value x duty rate; the consumption tax base
is the customs value plus duty, truncated below ¥1,000; the national tax (7.8%) is truncated
below ¥100, and the local tax is 22/78 of the national tax, truncated below ¥100. Rates are
exact fractions so integer yen never pass through binary floating point.
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from jpimport.rules.rounding import customs_tax_amount_expr, customs_tax_base_expr


def times(amount_jpy: pl.Expr, rate: Fraction | None) -> pl.Expr:
    """``amount x rate`` in integer yen, truncated toward zero; a missing rate gives null."""
    if rate is None:
        return pl.lit(None, dtype=pl.Int64)
    return (amount_jpy.cast(pl.Int64) * rate.numerator) // rate.denominator


def customs_value(cif_jpy: pl.Expr) -> pl.Expr:
    """The customs value: the CIF value with the fraction below ¥1,000 dropped."""
    return customs_tax_base_expr(cif_jpy)


def duty(value_jpy: pl.Expr, rate: Fraction | None) -> pl.Expr:
    """Customs duty on the customs value, truncated below ¥100."""
    return customs_tax_amount_expr(times(value_jpy, rate))


def consumption_tax_base(value_jpy: pl.Expr, duty_jpy: pl.Expr) -> pl.Expr:
    """The import consumption tax base: customs value plus duty, truncated below ¥1,000."""
    return customs_tax_base_expr(value_jpy + duty_jpy)


def national_tax(base_jpy: pl.Expr, rate: Fraction | None) -> pl.Expr:
    """The national consumption tax on the base (7.8% since 2019-10-01), truncated below ¥100."""
    return customs_tax_amount_expr(times(base_jpy, rate))


def local_tax(
    national_jpy: pl.Expr, national_rate: Fraction | None, local_rate: Fraction | None
) -> pl.Expr:
    """The local consumption tax: the national tax x local/national (22/78), below ¥100 cut."""
    share = None
    if national_rate and local_rate is not None:
        share = local_rate / national_rate
    return customs_tax_amount_expr(times(national_jpy, share))


def tax_included(price_jpy: pl.Expr, rate: Fraction | None) -> pl.Expr:
    """The consumption tax inside a tax-inclusive price: price x rate / (1 + rate), truncated."""
    if rate is None:
        return pl.lit(None, dtype=pl.Int64)
    return times(price_jpy, rate / (1 + rate))
