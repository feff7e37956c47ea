"""Costs sub-stage ``annual``: the yearly cost of owning the car, and totals over ownership.

The ``annual_*`` columns are a typical ownership year at the rates of ``as_of`` and the car's
age then: the full-year automobile tax; the weight tax and compulsory insurance of a periodic
inspection spread per year; inspection fees and service spread over the interval; parking;
fuel. One-off reliefs (EV exemptions, the EV automobile-tax cut) are left to the year-by-year
ownership total. Voluntary insurance and maintenance are estimate ranges shown apart and in no
total. ``first_year_total_jpy`` = retail + registration + the first year's running costs;
``ownership_total_jpy`` = retail + registration + every year's running costs, a simple sum with
no discounting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from jpimport.stages.classify_plan import Plan, attach
from jpimport.stages.context import StageContext
from jpimport.stages.costs import ownership_years, registration
from jpimport.stages.costs.cost_inputs import (
    Inputs,
    absent,
    cost_plan,
    estimate,
    input_frame,
    lit_int,
    months_to_next_april,
    number,
    provided,
    strict_sum,
    unknown,
)
from jpimport.stages.costs.cost_reasons import Reason, ReasonCodes, pack
from jpimport.stages.costs.insurance_compulsory import compulsory_insurance
from jpimport.stages.costs.ownership_running import running
from jpimport.stages.costs.partial_totals import partial_total
from jpimport.stages.costs.tax_automobile import automobile_tax
from jpimport.stages.costs.tax_weight import weight_tax

NAME = "annual"

STAMP = "fees.continuing_inspection_stamp"
SERVICE = "ownership.inspection_service"

PARTS = (
    "annual_automobile_tax_jpy",
    "annual_weight_tax_jpy",
    "annual_compulsory_insurance_jpy",
    "annual_inspection_jpy",
    "annual_parking_jpy",
    "annual_fuel_jpy",
)
ESTIMATES = tuple(
    f"annual_{kind}_{part}_jpy"
    for kind in ("voluntary_insurance", "maintenance")
    for part in ("low", "typical", "high")
)
COLUMNS = (
    *PARTS,
    "annual_total_jpy",
    *ESTIMATES,
    "first_year_running_jpy",
    "first_year_total_jpy",
    "ownership_running_jpy",
    "ownership_running_by_year_jpy",
    "ownership_total_jpy",
    "fuel_grade",
    "fuel_price_jpy_per_l",
    "electricity_price_jpy_per_kwh",
    "fuel_economy_km_per_l",
    "km_per_year_used",
    "parking_monthly_jpy",
    "annual_reasons",
)
ANNUAL_NOTE = (
    "A typical year at as_of rates: full-year automobile tax; weight tax, compulsory insurance "
    "and inspection costs of one inspection spread per year; parking; fuel. Voluntary insurance "
    "and maintenance are estimates, shown apart."
)
OWNERSHIP_NOTE = (
    "Retail price + registration + each year's running costs (taxes and insurance in the years "
    "they are paid, inspections in the years they fall), at as_of rates, not discounted; "
    "estimates excluded."
)


#: What is paid up front, and the totals ``finish`` adds from it and the running costs.
PAID = ("retail_price_jpy", "reg_total_jpy")
TOTALS = {
    "first_year_total_jpy": (*PAID, "first_year_running_jpy"),
    "ownership_total_jpy": (*PAID, "ownership_running_jpy"),
}


@dataclass(frozen=True)
class AnnualPlan:
    """The per-row columns as layers, and the per-year running cost over the ownership years."""

    plan: Plan
    running: pl.Expr
    reasons: ReasonCodes


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add the annual and ownership cost columns to every row."""
    data = input_frame(frame)
    built = cost_plan(ctx, f"costs.{NAME}", provided(frame), data, build)
    return finish(frame, built.plan.collect(data), built)


def finish(frame: pl.DataFrame, rows: pl.DataFrame, built: AnnualPlan) -> pl.DataFrame:
    """``frame`` with the annual columns of ``rows`` (the plan's result) and the totals added."""
    totals = ownership_years.by_year(rows, built.running)
    paid = rows[PAID[0]] + rows[PAID[1]]
    found = {
        "annual_reasons": built.reasons.decode(rows, "annual_reasons"),
        **{s.name: s for s in totals.get_columns()},
        "first_year_total_jpy": paid + totals["first_year_running_jpy"],
        "ownership_total_jpy": paid + totals["ownership_running_jpy"],
    }
    return attach(frame, [(found[c] if c in found else rows[c]).alias(c) for c in COLUMNS])


@dataclass(frozen=True)
class WithRegistration:
    """The registration and annual plans, and the layers of both (shared columns once)."""

    registration: registration.RegistrationPlan
    annual: AnnualPlan
    plan: Plan


def run_with_registration(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """``registration.run`` then ``run``, with one round of lookups and one query."""
    data = input_frame(frame)
    key = f"costs.{registration.NAME}+{NAME}"
    built = cost_plan(ctx, key, provided(frame), data, build_with_registration)
    rows = built.plan.collect(data)
    frame = registration.finish(frame, rows, built.registration)
    return finish(frame, rows, built.annual)


def build_with_registration(ctx: StageContext, inputs: Inputs) -> WithRegistration:
    """Both sub-stages' plans over one set of columns; this one reads registration's total."""
    first = registration.build(ctx, inputs)
    second = build(ctx, replace(inputs, provided=inputs.provided | {"reg_total_jpy"}))
    return WithRegistration(first, second, Plan.of(inputs.columns.layers(), ()))


def build(ctx: StageContext, inputs: Inputs) -> AnnualPlan:
    """The annual columns for the rules in force and the lookups the rows need."""
    with ctx.amount("annual_automobile_tax_jpy", *ownership_years.AUTOMOBILE_HELPERS):
        auto = automobile_tax(inputs, ctx)
    with ctx.amount("annual_weight_tax_jpy", *ownership_years.WEIGHT_HELPERS):
        weight = weight_tax(inputs, ctx)
    then = pl.col("inspection_then_years")
    with ctx.amount("annual_compulsory_insurance_jpy", "_ci_inspection"):
        insurance = compulsory_insurance(inputs, ctx)
        interval_insurance = inputs.columns.temp("ci_interval", insurance.premium(then * 12))
    costs = running(inputs, ctx)
    with ctx.amount("annual_inspection_jpy", "_inspection"):
        per_inspection = _inspection(ctx)
    parts = {
        "annual_automobile_tax_jpy": auto.at_age(auto.age_at_registration_months),
        "annual_weight_tax_jpy": weight.per_year_at(weight.age_at_registration_months),
        "annual_compulsory_insurance_jpy": interval_insurance // then,
        "annual_inspection_jpy": per_inspection.amount // then,
        "annual_parking_jpy": costs.parking_monthly_jpy * 12,
        "annual_fuel_jpy": costs.fuel_jpy,
    }
    helpers = {
        **ownership_years.helper_columns(auto, weight),
        "_ci_inspection": interval_insurance,
        "_inspection": per_inspection.amount,
        "_parking_year": costs.parking_monthly_jpy * 12,
        "_fuel_year": costs.fuel_jpy,
    }
    reasons = [
        *auto.reasons,
        *weight.reasons,
        *insurance.reasons,
        *per_inspection.reasons,
        *costs.reasons,
        *unknown(inputs, "inspection_first_years", "inspection_then_years", "ownership_years"),
        *unknown(inputs, "retail_price_jpy", "reg_total_jpy"),
    ]
    columns = inputs.columns
    for name, expr in parts.items():
        columns.column(name, expr.cast(pl.Int64))
    for name, expr in helpers.items():
        columns.column(name, expr)
    for name, expr in costs.estimates.items():
        columns.column(f"annual_{name}_jpy", expr)
    described = {
        "fuel_grade": costs.grade,
        "fuel_price_jpy_per_l": costs.price_jpy_per_l,
        "electricity_price_jpy_per_kwh": costs.electricity_jpy_per_kwh,
        "fuel_economy_km_per_l": costs.km_per_l,
        "km_per_year_used": costs.km_per_year.cast(pl.Int64),
        "parking_monthly_jpy": costs.parking_monthly_jpy.cast(pl.Int64),
        "annual_total_jpy": strict_sum(pl.col(p) for p in PARTS),
    }
    for name, expr in described.items():
        columns.column(name, expr)
    months = months_to_next_april(ctx.as_of)
    year_cost = ownership_years.running_by_year(auto, weight, months)
    codes = pack(columns, "annual_reasons", reasons)
    layers = columns.layers()
    ctx.link_exprs(e for layer in layers for e in layer)
    for name in ownership_years.BY_YEAR:
        ctx.link(name, year_cost.meta.root_names())
    for name, reads in TOTALS.items():
        ctx.link(name, reads)
    return AnnualPlan(Plan.of(layers, ()), year_cost, codes)


@dataclass(frozen=True)
class _Inspection:
    """Fee and typical service charge of one periodic inspection, with reasons."""

    amount: pl.Expr
    reasons: list[Reason]


def _inspection(ctx: StageContext) -> _Inspection:
    """The stamp plus the typical service charge for one inspection (null if either unknown)."""
    stamp, service = ctx.find(STAMP), ctx.find(SERVICE)
    if stamp is None or service is None:
        pairs = ((STAMP, stamp), (SERVICE, service))
        return _Inspection(lit_int(None), [Reason(absent(ctx, n)) for n, v in pairs if v is None])
    return _Inspection(lit_int(int(number(stamp)) + int(estimate(service).typical)), [])


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``annual``, ``estimates``, ``first_year_jpy``, ``ownership`` parts of ``costs``."""

    def spread(kind: str) -> dict[str, Any]:
        return {p: row.get(f"annual_{kind}_{p}_jpy") for p in ("low", "typical", "high")}

    annual = {p.removeprefix("annual_").removesuffix("_jpy"): p for p in PARTS}
    known, missing = partial_total(row, "annual_total_jpy", annual)
    running: tuple[Any, list[str]] = (row.get("first_year_running_jpy"), [])
    if running[0] is None and missing:  # the first year's running costs lack what the year lacks
        running = (None, missing)
    first_known, first_missing = partial_total(
        row,
        "first_year_total_jpy",
        {
            "retail_price": "retail_price_jpy",
            "registration": registration.known_total(row),
            "first_year_running": running,
        },
    )

    return {
        "annual": {
            "automobile_tax_jpy": row.get("annual_automobile_tax_jpy"),
            "weight_tax_jpy": row.get("annual_weight_tax_jpy"),
            "compulsory_insurance_jpy": row.get("annual_compulsory_insurance_jpy"),
            "inspection_jpy": row.get("annual_inspection_jpy"),
            "parking_jpy": row.get("annual_parking_jpy"),
            "fuel_jpy": row.get("annual_fuel_jpy"),
            "total_jpy": row.get("annual_total_jpy"),
            "known_total_jpy": known,
            "missing": missing,
            "note": ANNUAL_NOTE,
            "reasons": list(row.get("annual_reasons") or []),
        },
        "estimates": {
            "voluntary_insurance_jpy": spread("voluntary_insurance"),
            "maintenance_jpy": spread("maintenance"),
            "note": "Estimates per year, apart from legal costs and in no total.",
        },
        "first_year_jpy": row.get("first_year_total_jpy"),
        "first_year_known_total_jpy": first_known,
        "first_year_missing": first_missing,
        "ownership": {
            "years": row.get("ownership_years"),
            "total_jpy": row.get("ownership_total_jpy"),
            "running_jpy": row.get("ownership_running_jpy"),
            "running_by_year_jpy": list(row.get("ownership_running_by_year_jpy") or []),
            "note": OWNERSHIP_NOTE,
        },
        "ownership_assumptions": {
            "region": row.get("region"),
            "km_per_year": row.get("km_per_year_used"),
            "fuel_grade": row.get("fuel_grade"),
            "fuel_price_jpy_per_l": row.get("fuel_price_jpy_per_l"),
            "electricity_price_jpy_per_kwh": row.get("electricity_price_jpy_per_kwh"),
            "fuel_economy_km_per_l": row.get("fuel_economy_km_per_l"),
            "parking_monthly_jpy": row.get("parking_monthly_jpy"),
        },
    }
