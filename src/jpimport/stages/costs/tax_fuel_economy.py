"""Attainment of the FY2030 fuel-economy standard, which grades the acquisition and weight taxes.

Only a Japanese WLTC value (``jp_wltc_km_per_l``) can be graded; an EPA figure never is, so a
parallel or U.S.-certified import without one gets no fuel-economy relief.
"""

from __future__ import annotations

import polars as pl

from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import Inputs, entry_number, find_for

STANDARD = "taxes.fuel_economy.standard_2030_passenger"


def standard_km_per_l(inputs: Inputs, ctx: StageContext) -> pl.Expr | None:
    """The FY2030 standard for each row's curb weight (km/L); None when not in force or unused."""
    value = find_for(ctx, STANDARD, inputs, pl.col("jp_wltc_km_per_l").is_not_null())
    if value is None:
        return None
    mass = pl.col("curb_weight_kg").cast(pl.Float64)
    curve = (
        pl.lit(entry_number(value, "coef_m2")) * mass * mass
        + pl.lit(entry_number(value, "coef_m1")) * mass
        + pl.lit(entry_number(value, "constant"))
    )
    heavy = mass >= entry_number(value, "heavy_mass_kg")
    return pl.when(heavy).then(pl.lit(entry_number(value, "heavy_value"))).otherwise(curve)


def attainment_pct(inputs: Inputs, ctx: StageContext) -> pl.Expr:
    """Japanese WLTC economy as a whole percent of the standard, truncated; null if unknown."""
    standard = standard_km_per_l(inputs, ctx)
    if standard is None:
        return pl.lit(None, dtype=pl.Int64)
    ratio = pl.col("jp_wltc_km_per_l") / standard * 100
    return inputs.columns.temp("attainment_pct", ratio.round(6).floor().cast(pl.Int64))
