"""Automobile tax (自動車税種別割): the yearly rate, the age surcharge, EV relief and proration.

Registered passenger cars pay by displacement (electric cars in the lowest band), cargo vehicles
by declared maximum load plus a surcharge when they seat four or more (貨客兼用), kei vehicles a
flat light-vehicle tax. Rates are those for the registration date (``ctx.as_of``) and stay with
the car. In the year of registration the tax is prorated by month (Tokyo tax bureau); kei
vehicles pay nothing that year.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.rules.rounding import LOCAL_TAX_AMOUNT, local_tax_amount_expr
from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import (
    ELECTRIC,
    NOT_AGED,
    SCALE,
    Inputs,
    absent,
    age_at_registration,
    entry_number,
    find_for,
    fiscal_months_after,
    lit_int,
    scaled,
    text,
    unknown,
    use_rounding,
)
from jpimport.stages.costs.cost_reasons import Reason, because

PREFIX = "taxes.automobile_tax."
PASSENGER = PREFIX + "passenger_by_displacement"
CARGO = PREFIX + "cargo_by_payload"
COMBINED = PREFIX + "cargo_passenger_surcharge"
AGE_BASIS = PREFIX + "age_basis"
KEI = "taxes.light_vehicle_tax.annual"
GREEN = "taxes.green_tax."
SURCHARGE_RATE = GREEN + "aged_surcharge_rate"
SURCHARGE_YEARS = GREEN + "aged_surcharge_years"
RELIEF = GREEN + "ev_relief"

REGISTERED = ("small", "ordinary")


@dataclass(frozen=True)
class AutomobileTax:
    """Each row's full-year amounts and when each applies, with the reasons for any null."""

    standard: pl.Expr
    aged: pl.Expr
    aged_from_months: pl.Expr
    relief: pl.Expr
    age_at_registration_months: pl.Expr
    reasons: list[Reason]

    def at_age(self, age_months: pl.Expr) -> pl.Expr:
        """The full-year tax for a 1 April on which the vehicle is ``age_months`` old."""
        aged = self.aged_from_months.is_not_null() & (age_months >= self.aged_from_months)
        return pl.when(aged).then(self.aged).otherwise(self.standard)


def displacement() -> pl.Expr:
    """Displacement for the tax tables: an electric car counts as 0 cc (the lowest band)."""
    return pl.when(pl.col("powertrain") == "ev").then(0).otherwise(pl.col("displacement_cc"))


def automobile_tax(inputs: Inputs, ctx: StageContext) -> AutomobileTax:
    """The automobile tax of each row at the rates for a registration on ``ctx.as_of``."""
    size, use, seats = pl.col("size_class"), pl.col("use"), pl.col("seats")
    payload = pl.col("declared_payload_used_kg")
    registered = size.is_in(REGISTERED)
    passenger_row = registered & (use == "passenger")
    cargo_row = registered & (use == "cargo")
    columns = inputs.columns
    cc = columns.temp("cc", displacement())
    passengers = columns.temp("passenger_row", passenger_row)
    cargos = columns.temp("cargo_row", cargo_row)
    reasons = [*unknown(inputs, "size_class", "use")]

    passenger_value = find_for(ctx, PASSENGER, inputs, passenger_row)
    passenger = passenger_value.expr(cc) if passenger_value else lit_int(None)
    if passenger_value is None:
        reasons.append(because(passengers, absent(ctx, PASSENGER)))
    reasons.append(because(passengers & cc.is_null(), "displacement_cc unknown"))

    cargo_value = find_for(ctx, CARGO, inputs, cargo_row)
    combined_value = find_for(ctx, COMBINED, inputs, cargo_row & (seats >= 4))
    cargo = lit_int(None)
    if cargo_value is not None and cargo_value.brackets:
        top = cargo_value.brackets[-2].up_to if len(cargo_value.brackets) > 1 else None
        surcharge = (
            pl.when(seats.is_null())
            .then(lit_int(None))
            .when(seats >= 4)
            .then(combined_value.expr(cc) if combined_value else lit_int(None))
            .otherwise(lit_int(0))
        )
        modelled = payload <= top if top is not None else pl.lit(True)
        cargo = pl.when(modelled).then(cargo_value.expr(payload) + surcharge)
        if top is not None:
            over = cargos & (payload > top)
            reasons.append(
                because(over, f"declared load over {top:g} kg: the per-tonne rate is not modelled")
            )
        reasons += unknown(inputs, "declared_payload_used_kg", "seats", where=cargos)
        reasons.append(because(cargos & (seats >= 4) & cc.is_null(), "displacement_cc unknown"))
    if cargo_value is None:
        reasons.append(because(cargos, absent(ctx, CARGO)))
    if combined_value is None:
        reasons.append(because(cargos & (seats >= 4), absent(ctx, COMBINED)))

    kei_value = find_for(ctx, KEI, inputs, size == "kei")
    kei_standard, kei_aged = lit_int(None), lit_int(None)
    if kei_value is not None:
        kei_standard = _by_use(
            entry_number(kei_value, "passenger"), entry_number(kei_value, "cargo")
        )
        kei_aged = _by_use(
            entry_number(kei_value, "passenger_aged"), entry_number(kei_value, "cargo_aged")
        )
    else:
        reasons.append(because(size == "kei", absent(ctx, KEI)))

    standard = (
        pl.when(size == "kei")
        .then(kei_standard)
        .when(passengers)
        .then(passenger)
        .when(cargos)
        .then(cargo)
        .otherwise(lit_int(None))
    )
    standard = columns.temp("at_standard", standard)
    aged, aged_from = _aged(ctx, standard, kei_aged, reasons)
    return AutomobileTax(
        standard=standard,
        aged=columns.temp("at_aged", aged),
        aged_from_months=columns.temp("at_aged_from", aged_from),
        relief=columns.temp("at_relief", _relief(inputs, ctx, passenger_row, cc)),
        age_at_registration_months=columns.temp("at_age0", _age_basis(ctx, reasons)),
        reasons=reasons,
    )


def registration_amount(
    tax: AutomobileTax, ctx: StageContext, inputs: Inputs
) -> tuple[pl.Expr, int, Reason]:
    """The tax for the months after registration to March, truncated to ¥100; kei: ¥0.

    Tokyo tax bureau: 年額 × 課税される月数/12, 100円未満切捨て, months counted from the month
    after registration to the end of the fiscal year.
    """
    use_rounding(ctx, LOCAL_TAX_AMOUNT)
    months = fiscal_months_after(ctx.as_of)
    full_year = inputs.columns.temp("at_first_year", tax.at_age(tax.age_at_registration_months))
    prorated = local_tax_amount_expr(full_year * months // 12)
    kei = pl.col("size_class") == "kei"
    amount = pl.when(kei).then(lit_int(0)).otherwise(prorated)
    reason = because(kei, "kei vehicle: no light-vehicle tax in the fiscal year of registration")
    return amount, months, reason


def _by_use(passenger: int | float, cargo: int | float) -> pl.Expr:
    """A kei amount chosen by ``use``."""
    use = pl.col("use")
    return (
        pl.when(use == "passenger")
        .then(lit_int(passenger))
        .when(use == "cargo")
        .then(lit_int(cargo))
        .otherwise(lit_int(None))
    )


def _aged(
    ctx: StageContext, standard: pl.Expr, kei_aged: pl.Expr, reasons: list[Reason]
) -> tuple[pl.Expr, pl.Expr]:
    """The surcharged amount and the age (months) from which it applies; null: never applies."""
    rate_value, years_value = ctx.find(SURCHARGE_RATE), ctx.find(SURCHARGE_YEARS)
    if rate_value is None or years_value is None:
        for name, value in ((SURCHARGE_RATE, rate_value), (SURCHARGE_YEARS, years_value)):
            if value is None:
                reasons.append(Reason("age surcharge not applied: " + absent(ctx, name)))
        return lit_int(None), lit_int(None)
    use, powertrain = pl.col("use"), pl.col("powertrain")
    rate = (
        pl.when(use == "cargo")
        .then(lit_int(scaled(float(entry_number(rate_value, "cargo")))))
        .otherwise(lit_int(scaled(float(entry_number(rate_value, "passenger")))))
    )
    use_rounding(ctx, LOCAL_TAX_AMOUNT)
    registered_aged = local_tax_amount_expr(standard * (SCALE + rate) // SCALE)
    aged = pl.when(pl.col("size_class") == "kei").then(kei_aged).otherwise(registered_aged)
    petrol = int(entry_number(years_value, "petrol")) * 12
    diesel = int(entry_number(years_value, "diesel")) * 12
    aged_from = (
        pl.when(powertrain.is_in(NOT_AGED))
        .then(lit_int(None))
        .when((pl.col("fuel") == "diesel") & (pl.col("size_class") != "kei"))
        .then(lit_int(diesel))
        .otherwise(lit_int(petrol))
    )
    return aged, aged_from


def _relief(inputs: Inputs, ctx: StageContext, passenger_row: pl.Expr, cc: pl.Expr) -> pl.Expr:
    """The reduced tax for the fiscal year after registration (EV/PHEV); null where none."""
    eligible = passenger_row & pl.col("powertrain").is_in(ELECTRIC)
    value = find_for(ctx, RELIEF, inputs, eligible)
    if value is None:
        return lit_int(None)
    return pl.when(eligible).then(value.expr(cc)).otherwise(lit_int(None))


def _age_basis(ctx: StageContext, reasons: list[Reason]) -> pl.Expr:
    """Age in months at registration, counted as the age-basis parameter says."""
    value = ctx.find(AGE_BASIS)
    if value is None:
        reasons.append(Reason(absent(ctx, AGE_BASIS)))
        return lit_int(None)
    return age_at_registration(text(value), ctx.as_of)
