"""Environmental performance tax (環境性能割) at registration: rate by fuel economy × tax base.

Private registered cars pay 0-3% of the tax base (about 90% of the price before consumption
tax, truncated to ¥1,000; nothing at ¥500,000 or less), the rate graded by FY2030 fuel-economy
attainment only with a Japanese WLTC value; without one the top rate applies whatever the EPA
figure. Electric and plug-in hybrid cars are exempt. The tax is planned to end on 2026-04-01;
from then it is ¥0 with the (unconfirmed) abolition named in the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.rules.rounding import (
    LOCAL_TAX_AMOUNT,
    LOCAL_TAX_BASE,
    local_tax_amount_expr,
    local_tax_base_expr,
)
from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import (
    ELECTRIC,
    SCALE,
    Inputs,
    abolished,
    absent,
    find_for,
    lit_int,
    number,
    scaled,
    unknown,
    use_rounding,
)
from jpimport.stages.costs.cost_reasons import Reason, because
from jpimport.stages.costs.tax_fuel_economy import attainment_pct

PREFIX = "taxes.environmental_performance_tax."
RATE = PREFIX + "rate_by_attainment"
TOP = PREFIX + "top_rate"
RATIO = PREFIX + "acquisition_price_ratio"
THRESHOLD = PREFIX + "exemption_threshold_jpy"
#: The consumption-tax rate landed applies; used to take the tax out of a tax-inclusive price
#: (a Japan-built comparable's list price) when landed reports no consumption-tax amount.
CONSUMPTION_TAX = "landed.consumption_tax_rate"


@dataclass(frozen=True)
class Acquisition:
    """The tax, its rate (in 1/SCALE), its base and the reasons behind them."""

    amount_jpy: pl.Expr
    rate_scaled: pl.Expr
    base_jpy: pl.Expr
    reasons: list[Reason]


def environmental_performance_tax(inputs: Inputs, ctx: StageContext) -> Acquisition:
    """The environmental performance tax of each row as of ``ctx.as_of``."""
    graded = ctx.find(RATE)
    if graded is None:
        return _not_in_force(ctx)
    top, ratio, threshold = ctx.find(TOP), ctx.find(RATIO), ctx.find(THRESHOLD)
    if top is None or ratio is None or threshold is None:
        missing = [n for n, v in ((TOP, top), (RATIO, ratio), (THRESHOLD, threshold)) if v is None]
        null = pl.lit(None, dtype=pl.Int64)
        return Acquisition(null, null, null, [Reason(absent(ctx, n)) for n in missing])
    use_rounding(ctx, LOCAL_TAX_BASE, LOCAL_TAX_AMOUNT)
    powertrain, size, use = pl.col("powertrain"), pl.col("size_class"), pl.col("use")
    wltc, attainment = pl.col("jp_wltc_km_per_l"), attainment_pct(inputs, ctx)
    top_rate = lit_int(scaled(float(number(top))))
    rate = (
        pl.when(powertrain.is_in(ELECTRIC))
        .then(lit_int(0))
        .when(powertrain.is_null() | size.is_null() | use.is_null() | (size == "kei"))
        .then(lit_int(None))
        .when((use == "cargo") | wltc.is_null())
        .then(top_rate)
        .otherwise((graded.expr(attainment) * SCALE).round(0).cast(pl.Int64))
    )
    columns = inputs.columns
    rate = columns.temp("ept_rate", rate)
    price = columns.temp("ept_price", _price_before_consumption_tax(inputs, ctx))
    base = columns.temp(
        "ept_base", local_tax_base_expr(price * scaled(float(number(ratio))) // SCALE)
    )
    amount = (
        pl.when(rate == 0)
        .then(lit_int(0))
        .when(base <= int(number(threshold)))
        .then(lit_int(0))
        .otherwise(local_tax_amount_expr(base * rate // SCALE))
    )
    not_exempt = ~powertrain.is_in(ELECTRIC).fill_null(False)
    top_pct = f"{number(top) * 100:g}%"
    reasons = [
        because(
            powertrain.is_in(ELECTRIC),
            "electric or plug-in hybrid: no environmental performance tax",
        ),
        *unknown(inputs, "powertrain"),
        *unknown(inputs, "size_class", "use", where=not_exempt),
        because(
            size == "kei",
            "kei vehicle: the light-vehicle environmental performance tax is not modelled",
        ),
        because(
            not_exempt & (use == "cargo"),
            f"cargo registration: top rate {top_pct} (fuel-economy grading of trucks not modelled)",
        ),
        because(
            not_exempt & (use == "passenger") & wltc.is_null(),
            f"no Japanese WLTC fuel economy: top rate {top_pct} whatever the EPA figure",
        ),
        because(
            not_exempt & wltc.is_not_null() & pl.col("curb_weight_kg").is_null(),
            "curb_weight_kg unknown: fuel-economy attainment cannot be graded",
        ),
        because(
            not_exempt & pl.col("retail_price_jpy").is_null(),
            "retail_price_jpy unknown: no base for the environmental performance tax",
        ),
        because(
            not_exempt & pl.col("retail_consumption_tax_jpy").is_null() & price.is_not_null(),
            "price before consumption tax derived from the tax-inclusive retail price",
        ),
    ]
    return Acquisition(amount, rate, base, reasons)


def _price_before_consumption_tax(inputs: Inputs, ctx: StageContext) -> pl.Expr:
    """Retail price less its consumption tax; derived at the standard rate if landed gave none."""
    retail, tax = pl.col("retail_price_jpy"), pl.col("retail_consumption_tax_jpy")
    derive = retail.is_not_null() & tax.is_null()
    known = CONSUMPTION_TAX in ctx.rules
    rate = find_for(ctx, CONSUMPTION_TAX, inputs, derive) if known else None
    if rate is None:
        return retail - tax
    derived = retail * SCALE // (SCALE + scaled(float(number(rate))))
    return pl.when(tax.is_not_null()).then(retail - tax).otherwise(derived)


def _not_in_force(ctx: StageContext) -> Acquisition:
    """After the abolition the tax is ¥0 (said in the reasons); before any record, unknown."""
    why = Reason(absent(ctx, RATE))
    if abolished(ctx, RATE):
        zero = lit_int(0)
        note = Reason("environmental performance tax abolished: ¥0 (" + absent(ctx, RATE) + ")")
        return Acquisition(zero, zero, lit_int(None), [note])
    null = lit_int(None)
    return Acquisition(null, null, null, [why])
