"""Running costs that are not taxes: parking by region, fuel or electricity, and estimates.

Parking is the average monthly rent of the ``region`` option (a prefecture, ``national`` or a
Tokyo ward such as ``tokyo-minato``). Fuel is ``km_per_year`` (default: a sourced survey figure)
over the EPA economy converted to km/L (or the Japanese WLTC value when there is no EPA figure),
times the pump price of the Japanese grade the engine needs: an engine rated for U.S. regular is
costed on Japanese premium unless the parameter says otherwise. Voluntary insurance and
maintenance are estimate ranges kept apart from legal costs.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

import polars as pl

from jpimport.rules import ParameterValue
from jpimport.rules.model import Part
from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import (
    Inputs,
    absent,
    estimate,
    find_for,
    lit_int,
    number,
    unknown,
)
from jpimport.stages.costs.cost_reasons import Reason, because

PARKING_PREFECTURE = "ownership.parking.prefecture_monthly"
PARKING_WARD = "ownership.parking.tokyo_ward_monthly"
GRADE = "ownership.fuel_grade_for_us_rating"
PRICES = {g: f"ownership.fuel_price.{g}" for g in ("regular", "premium", "diesel")}
ELECTRICITY = "ownership.electricity_price"
MPG = "ownership.mpg_to_km_per_l"
KM_PER_MILE = "ownership.km_per_mile"
KM_DEFAULT = "ownership.km_per_year_default"
VOLUNTARY = "ownership.voluntary_insurance"
MAINTENANCE = "ownership.maintenance"
PARTS: tuple[Part, ...] = ("low", "typical", "high")


@dataclass(frozen=True)
class Running:
    """Per-row running-cost expressions, the assumptions behind them, and reasons."""

    parking_monthly_jpy: pl.Expr
    fuel_jpy: pl.Expr
    grade: pl.Expr
    price_jpy_per_l: pl.Expr
    electricity_jpy_per_kwh: pl.Expr
    km_per_l: pl.Expr
    km_per_year: pl.Expr
    estimates: dict[str, pl.Expr]
    reasons: list[Reason]


def running(inputs: Inputs, ctx: StageContext) -> Running:
    """Parking, fuel and the estimate ranges of each row as of ``ctx.as_of``."""
    reasons: list[Reason] = []
    columns = inputs.columns

    def feeding(name: str) -> AbstractContextManager[None]:
        """Parameters read in the block feed the temporary column ``name``."""
        return ctx.amount(columns.prefix + name)

    with feeding("parking_monthly"):
        parking = columns.temp("parking_monthly", _parking(inputs, ctx, reasons))
    with feeding("km_per_year"):
        km = columns.temp("km_per_year", _km_per_year(inputs, ctx, reasons))
    with feeding("fuel_grade"):
        graded = _grade(inputs, ctx, reasons)
        grade = columns.temp("fuel_grade", graded)
    with feeding("fuel_price"):
        price = columns.temp("fuel_price", _price(inputs, ctx, graded, grade, reasons))
    with feeding("km_per_l"):
        km_per_l = columns.temp("km_per_l", _km_per_l(inputs, ctx, reasons))
    with feeding("fuel_cost"), ctx.amount("electricity_price_jpy_per_kwh"):
        electricity, kwh_per_km = _electricity(inputs, ctx, reasons)
    electric = pl.col("powertrain") == "ev"
    litres = km.cast(pl.Float64) / km_per_l
    fuel = (
        pl.when(electric)
        .then(km.cast(pl.Float64) * kwh_per_km * electricity)
        .otherwise(litres * price)
        .floor()
        .cast(pl.Int64)
    )
    fuel = columns.temp("fuel_cost", fuel)
    reasons += unknown(inputs, "powertrain")
    reasons.append(
        because(
            pl.col("powertrain") == "phev",
            "plug-in hybrid: fuel costed on petrol only (no charging share assumed)",
        )
    )
    return Running(
        parking_monthly_jpy=parking,
        fuel_jpy=fuel,
        grade=grade,
        price_jpy_per_l=pl.when(electric).then(None).otherwise(price),
        electricity_jpy_per_kwh=pl.when(electric).then(electricity).otherwise(None),
        km_per_l=pl.when(electric).then(None).otherwise(km_per_l),
        km_per_year=km,
        estimates={
            **_range(ctx, VOLUNTARY, "voluntary_insurance", reasons),
            **_range(ctx, MAINTENANCE, "maintenance", reasons),
        },
        reasons=reasons,
    )


def _parking(inputs: Inputs, ctx: StageContext, reasons: list[Reason]) -> pl.Expr:
    """Monthly rent for the row's region: a Tokyo ward's figure, else its prefecture's."""
    region = pl.col("region")
    ward = region.str.starts_with("tokyo-")
    tables = (
        find_for(ctx, PARKING_WARD, inputs, ward),
        find_for(ctx, PARKING_PREFECTURE, inputs, ~ward),
    )
    found = [v for v in tables if v is not None]
    rent = pl.coalesce([v.table_expr(region) for v in found]) if found else lit_int(None)
    reasons += unknown(inputs, "region")
    text = pl.format("no parking rent on record for region '{}'", region)
    reasons.append(because(region.is_not_null() & rent.is_null(), text))
    return rent


def _km_per_year(inputs: Inputs, ctx: StageContext, reasons: list[Reason]) -> pl.Expr:
    """The km_per_year option, else the sourced default."""
    default = find_for(ctx, KM_DEFAULT, inputs, pl.col("km_per_year").is_null())
    if default is None:
        reasons.append(because(pl.col("km_per_year").is_null(), absent(ctx, KM_DEFAULT)))
        return pl.col("km_per_year")
    return pl.col("km_per_year").fill_null(lit_int(number(default)))


def _grade(inputs: Inputs, ctx: StageContext, reasons: list[Reason]) -> pl.Expr:
    """The Japanese fuel the engine is costed on (regular, premium, diesel or electric)."""
    fuel = pl.col("fuel")
    # The rows that reach ``mapped`` below: a null test in ``when`` counts as false, so an
    # unknown powertrain or plant takes the mapping too (as it would among other rows).
    is_ev = (pl.col("powertrain") == "ev").fill_null(False)
    built_in_japan = (pl.col("plant_country") == "JP").fill_null(False)
    abroad = ~is_ev & ~built_in_japan
    table = find_for(ctx, GRADE, inputs, abroad & fuel.is_not_null())
    mapped = table.table_expr(fuel) if table is not None else pl.lit(None, dtype=pl.String)
    if table is None:
        reasons.append(because(abroad & fuel.is_not_null(), absent(ctx, GRADE)))
    grade = (
        pl.when(pl.col("powertrain") == "ev")
        .then(pl.lit("electric"))
        .when(pl.col("plant_country") == "JP")
        .then(fuel)
        .otherwise(mapped)
    )
    abroad = pl.col("plant_country") != "JP"
    reasons.append(
        because(
            abroad & (fuel == "regular") & (grade == "premium"),
            "engine rated for U.S. regular (about 91 RON): costed on Japanese premium",
        )
    )
    reasons.append(because(grade.is_null(), "fuel unknown: fuel cost unknown"))
    return grade


def _price(
    inputs: Inputs, ctx: StageContext, graded: pl.Expr, grade: pl.Expr, reasons: list[Reason]
) -> pl.Expr:
    """Pump price of the grade (¥/L): ``graded`` over the inputs, ``grade`` as a column."""
    chain: pl.Expr = pl.lit(None, dtype=pl.Float64)
    for name, parameter in PRICES.items():
        value = find_for(ctx, parameter, inputs, graded == name)
        price = pl.lit(None if value is None else float(number(value)), dtype=pl.Float64)
        if value is None:
            reasons.append(because(grade == name, absent(ctx, parameter)))
        chain = pl.when(grade == name).then(price).otherwise(chain)
    return chain


def _km_per_l(inputs: Inputs, ctx: StageContext, reasons: list[Reason]) -> pl.Expr:
    """EPA combined mpg in km/L, else the Japanese WLTC value."""
    mpg = pl.col("epa_combined_mpg")
    factor = find_for(ctx, MPG, inputs, (mpg > 0) & (pl.col("powertrain") != "ev"))
    epa = mpg * float(number(factor)) if factor is not None else pl.lit(None, dtype=pl.Float64)
    wltc = pl.col("jp_wltc_km_per_l")
    economy = pl.when(mpg > 0).then(epa).when(wltc > 0).then(wltc).otherwise(None)
    combustion = pl.col("powertrain") != "ev"
    reasons.append(
        because(combustion & economy.is_null(), "fuel economy unknown (no EPA mpg or WLTC)")
    )
    return economy


def _electricity(
    inputs: Inputs, ctx: StageContext, reasons: list[Reason]
) -> tuple[pl.Expr, pl.Expr]:
    """The electricity price (¥/kWh) and EPA consumption in kWh per km."""
    electric = pl.col("powertrain") == "ev"
    price_value = find_for(ctx, ELECTRICITY, inputs, electric)
    mile = find_for(ctx, KM_PER_MILE, inputs, electric)
    price = pl.lit(None if price_value is None else float(number(price_value)), dtype=pl.Float64)
    if price_value is None:
        reasons.append(because(electric, absent(ctx, ELECTRICITY)))
    per_km = pl.lit(None, dtype=pl.Float64)
    if mile is not None:
        per_km = pl.col("epa_kwh_per_100mi") / (100 * float(number(mile)))
    reasons.append(
        because(electric & pl.col("epa_kwh_per_100mi").is_null(), "epa_kwh_per_100mi unknown")
    )
    return price, per_km


def _range(ctx: StageContext, name: str, label: str, reasons: list[Reason]) -> dict[str, pl.Expr]:
    """Low/typical/high literals of an estimate range parameter (null when not in force)."""
    with ctx.amount(*(f"annual_{label}_{p}_jpy" for p in PARTS)):
        value: ParameterValue | None = ctx.find(name)
    if value is None:
        reasons.append(Reason(absent(ctx, name)))
        return {f"{label}_{p}": lit_int(None) for p in PARTS}
    spread = estimate(value)
    return {f"{label}_{p}": lit_int(spread.part(p)) for p in PARTS}
