"""Automobile weight tax (自動車重量税): per 0.5 t or 1 t per year, paid ahead for each inspection.

Passenger cars pay per 0.5 t of vehicle weight (the curb weight), cargo vehicles per tonne of
Japanese gross weight at one rate up to 2.5 t and another above, kei vehicles a flat amount; each
at a higher rate from 13 and from 18 years. Eco-car relief at new registration needs a Japanese
WLTC value; electric and plug-in hybrid cars are exempt at new registration and the first
inspection and pay the statutory base rate after.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import (
    ELECTRIC,
    NOT_AGED,
    Inputs,
    absent,
    age_at_registration,
    entry_number,
    find_for,
    lit_int,
    number,
    text,
    unknown,
)
from jpimport.stages.costs.cost_reasons import Reason, because
from jpimport.stages.costs.tax_fuel_economy import attainment_pct

PREFIX = "taxes.weight_tax."
PASSENGER = PREFIX + "passenger_per_half_tonne"
CARGO = PREFIX + "cargo_per_tonne"
CARGO_LIGHT = PREFIX + "cargo_light_max_gross_kg"
KEI = PREFIX + "kei_per_year"
ECO = PREFIX + "eco_relief_passenger"
EXEMPT = PREFIX + "next_generation_exempt"
AGE_BASIS = PREFIX + "age_basis"

#: The weight steps of the tax (自動車重量税法 第7条: 車両重量0.5トンごと for passenger cars,
#: 車両総重量1トンごと for others), each part step counted as a whole one. The article is as
#: commonly cited; its text was not read.
HALF_TONNE_KG = 500
TONNE_KG = 1000
AGED_13_MONTHS = 13 * 12
AGED_18_MONTHS = 18 * 12


def weight_steps(weight_kg: pl.Expr, step_kg: int) -> pl.Expr:
    """Taxable steps of ``step_kg``: a part step counts as a whole one (0.5 t → 1, 0.51 t → 2)."""
    return (weight_kg + (step_kg - 1)) // step_kg


@dataclass(frozen=True)
class WeightTax:
    """Each row's yearly weight-tax amounts by age band, reliefs, and reasons for any null."""

    standard: pl.Expr
    aged_13: pl.Expr
    aged_18: pl.Expr
    base: pl.Expr
    electric: pl.Expr
    exempt_new: pl.Expr
    relief_pct: pl.Expr
    age_at_registration_months: pl.Expr
    reasons: list[Reason]

    def per_year_at(self, age_months: pl.Expr) -> pl.Expr:
        """The yearly amount for a vehicle ``age_months`` old (no eco relief)."""
        aged = ~pl.col("powertrain").is_in(NOT_AGED).fill_null(False)
        return (
            pl.when(self.electric)
            .then(self.base)
            .when(aged & (age_months >= AGED_18_MONTHS))
            .then(self.aged_18)
            .when(aged & (age_months >= AGED_13_MONTHS))
            .then(self.aged_13)
            .otherwise(self.standard)
        )

    def at_registration(self) -> pl.Expr:
        """The tax paid at new registration for the first inspection period."""
        years = pl.col("inspection_first_years")
        relieved = self.base * years * (100 - self.relief_pct) // 100
        return (
            pl.when(self.exempt_new)
            .then(lit_int(0))
            .when(self.relief_pct > 0)
            .then(relieved)
            .otherwise(self.per_year_at(self.age_at_registration_months) * years)
        )

    def at_inspection(self, elapsed_years: pl.Expr) -> pl.Expr:
        """The tax paid at a continuing inspection ``elapsed_years`` after registration."""
        first = elapsed_years == pl.col("inspection_first_years")
        age = self.age_at_registration_months + elapsed_years * 12
        return (
            pl.when(self.exempt_new & first)
            .then(lit_int(0))
            .otherwise(self.per_year_at(age) * pl.col("inspection_then_years"))
        )


def weight_tax(inputs: Inputs, ctx: StageContext) -> WeightTax:
    """The weight tax of each row for a registration on ``ctx.as_of``."""
    size, use, powertrain = pl.col("size_class"), pl.col("use"), pl.col("powertrain")
    registered = size.is_in(("small", "ordinary"))
    passenger_row, cargo_row = registered & (use == "passenger"), registered & (use == "cargo")
    columns = inputs.columns
    passengers = columns.temp("passenger_row", passenger_row)
    cargos = columns.temp("cargo_row", cargo_row)
    reasons = [*unknown(inputs, "size_class", "use")]
    reasons += unknown(inputs, "curb_weight_kg", where=passengers)
    reasons += unknown(inputs, "jp_gross_weight_kg", where=cargos)
    none = lit_int(None)
    amounts: dict[str, list[pl.Expr]] = {k: [] for k in ("standard", "aged_13", "aged_18", "base")}

    def add(row: pl.Expr, values: tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]) -> None:
        for key, value in zip(amounts, values, strict=True):
            amounts[key].append(pl.when(row).then(value))

    passenger = find_for(ctx, PASSENGER, inputs, passenger_row)
    if passenger is not None:
        steps = weight_steps(pl.col("curb_weight_kg"), HALF_TONNE_KG)
        std, a13, a18, base = (
            steps * entry_number(passenger, k) for k in ("standard", "aged_13", "aged_18", "base")
        )
        add(passengers, (std, a13, a18, base))
    else:
        reasons.append(because(passengers, absent(ctx, PASSENGER)))

    cargo = find_for(ctx, CARGO, inputs, cargo_row)
    light_max = find_for(ctx, CARGO_LIGHT, inputs, cargo_row)
    if cargo is not None and light_max is not None:
        gross = pl.col("jp_gross_weight_kg")
        steps = columns.temp("wt_cargo_steps", weight_steps(gross, TONNE_KG))
        light = gross <= number(light_max)

        def rate(band: str) -> pl.Expr:
            heavy, lighter = (
                entry_number(cargo, f"heavy_{band}"),
                entry_number(cargo, f"light_{band}"),
            )
            return steps * pl.when(light).then(lit_int(lighter)).otherwise(lit_int(heavy))

        add(
            cargos,
            (
                rate("standard"),
                rate("aged_13"),
                rate("aged_18"),
                steps * entry_number(cargo, "base"),
            ),
        )
    else:
        for name, value in ((CARGO, cargo), (CARGO_LIGHT, light_max)):
            if value is None:
                reasons.append(because(cargos, absent(ctx, name)))

    kei = find_for(ctx, KEI, inputs, size == "kei")
    if kei is not None:
        std, a13, a18 = (lit_int(entry_number(kei, k)) for k in ("standard", "aged_13", "aged_18"))
        add(size == "kei", (std, a13, a18, none))
        reasons.append(
            because(
                (size == "kei") & powertrain.is_in(ELECTRIC),
                "kei electric vehicle: the weight-tax base rate is not modelled",
            )
        )
    else:
        reasons.append(because(size == "kei", absent(ctx, KEI)))

    picked = {k: columns.temp(f"wt_{k}", pl.coalesce(v) if v else none) for k, v in amounts.items()}
    electric = powertrain.is_in(ELECTRIC).fill_null(False)
    exempt = find_for(ctx, EXEMPT, inputs, electric)
    electrics = columns.temp("wt_electric", electric)
    exempt_new = electrics & pl.lit(bool(exempt.value) if exempt is not None else False)
    if exempt is None:
        reasons.append(because(electrics, absent(ctx, EXEMPT) + ": base rate applied"))
    relief = _relief_pct(inputs, ctx, passenger_row, reasons)
    return WeightTax(
        standard=picked["standard"],
        aged_13=picked["aged_13"],
        aged_18=picked["aged_18"],
        base=picked["base"],
        electric=electrics,
        exempt_new=columns.temp("wt_exempt", exempt_new),
        relief_pct=columns.temp("wt_relief_pct", relief),
        age_at_registration_months=columns.temp("wt_age0", _age_basis(ctx, reasons)),
        reasons=reasons,
    )


def _relief_pct(
    inputs: Inputs, ctx: StageContext, passenger_row: pl.Expr, reasons: list[Reason]
) -> pl.Expr:
    """Eco-car relief at new registration in whole percent (0 without a Japanese WLTC value)."""
    wltc = pl.col("jp_wltc_km_per_l")
    combustion = pl.col("powertrain").is_in(("ice", "hev"))
    reasons.append(
        because(
            (pl.col("use") == "cargo") & wltc.is_not_null(),
            "cargo registration: eco-car weight-tax relief for trucks is not modelled",
        )
    )
    eligible = passenger_row & combustion & wltc.is_not_null()
    eco = find_for(ctx, ECO, inputs, eligible)
    eligibles = (
        inputs.columns.temp("passenger_row", passenger_row) & combustion & wltc.is_not_null()
    )
    if eco is None:
        reasons.append(because(eligibles, absent(ctx, ECO)))
        return lit_int(0)
    graded = (eco.expr(attainment_pct(inputs, ctx)) * 100).round(0).cast(pl.Int64)
    return pl.when(eligibles).then(graded.fill_null(0)).otherwise(lit_int(0))


def _age_basis(ctx: StageContext, reasons: list[Reason]) -> pl.Expr:
    """Age in months at registration for the 13- and 18-year rates."""
    value = ctx.find(AGE_BASIS)
    if value is None:
        reasons.append(Reason(absent(ctx, AGE_BASIS)))
        return lit_int(None)
    return age_at_registration(text(value), ctx.as_of)
