"""Costs sub-stage ``registration``: taxes, insurance and fees paid when the car is registered.

``as_of`` is taken as the registration date: it decides every rate, the months of automobile tax
left in the fiscal year and whether the environmental performance tax still exists. Every
amount is Int64 yen, null (with a reason in ``registration_reasons``) when an input is unknown,
and ``reg_total_jpy`` is the sum of the six parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.stages.classify_plan import Plan, attach
from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import (
    SCALE,
    Inputs,
    cost_plan,
    input_frame,
    lit_int,
    provided,
    strict_sum,
    unknown,
)
from jpimport.stages.costs.cost_reasons import ReasonCodes, pack
from jpimport.stages.costs.insurance_compulsory import compulsory_insurance
from jpimport.stages.costs.partial_totals import partial_total
from jpimport.stages.costs.registration_fees import registration_fees
from jpimport.stages.costs.tax_automobile import automobile_tax, registration_amount
from jpimport.stages.costs.tax_environmental import environmental_performance_tax
from jpimport.stages.costs.tax_fuel_economy import attainment_pct
from jpimport.stages.costs.tax_weight import weight_tax

NAME = "registration"

PARTS = (
    "reg_environmental_performance_tax_jpy",
    "reg_automobile_tax_jpy",
    "reg_weight_tax_jpy",
    "reg_compulsory_insurance_jpy",
    "reg_recycling_jpy",
    "reg_fees_jpy",
)
COLUMNS = (
    *PARTS,
    "reg_total_jpy",
    "reg_environmental_performance_tax_rate",
    "reg_environmental_performance_tax_base_jpy",
    "fuel_economy_attainment_pct",
    "reg_automobile_tax_months",
    "reg_compulsory_insurance_months",
    "reg_recycling_low_jpy",
    "reg_recycling_high_jpy",
    "registration_reasons",
)


#: The columns the environmental performance tax's parameters feed.
ACQUISITION_COLUMNS = (
    "reg_environmental_performance_tax_jpy",
    "reg_environmental_performance_tax_rate",
    "reg_environmental_performance_tax_base_jpy",
)


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add the registration cost columns to every row."""
    data = input_frame(frame)
    built = cost_plan(ctx, f"costs.{NAME}", provided(frame), data, build)
    return finish(frame, built.plan.collect(data), built)


def finish(frame: pl.DataFrame, rows: pl.DataFrame, built: RegistrationPlan) -> pl.DataFrame:
    """``frame`` with the registration columns of ``rows`` (the plan's result) added."""
    reasons = built.reasons.decode(rows, "registration_reasons")
    return attach(frame, [reasons if c == reasons.name else rows[c] for c in COLUMNS])


@dataclass(frozen=True)
class RegistrationPlan:
    """The registration columns as layers, and where each row's reasons are packed."""

    plan: Plan
    reasons: ReasonCodes


def build(ctx: StageContext, inputs: Inputs) -> RegistrationPlan:
    """The registration columns as layers, for the rules in force and the lookups rows need."""
    with ctx.amount(*ACQUISITION_COLUMNS):
        acquisition = environmental_performance_tax(inputs, ctx)
    with ctx.amount("reg_automobile_tax_jpy"):
        annual_tax = automobile_tax(inputs, ctx)
        auto_amount, months, kei_note = registration_amount(annual_tax, ctx, inputs)
    with ctx.amount("reg_weight_tax_jpy"):
        weight = weight_tax(inputs, ctx)
    insured_months = pl.col("inspection_first_years") * 12 + 1
    with ctx.amount("reg_compulsory_insurance_jpy"):
        insurance = compulsory_insurance(inputs, ctx)
        premium = insurance.premium(insured_months)
    fees = registration_fees(inputs, ctx)
    with ctx.amount("fuel_economy_attainment_pct"):
        attainment = attainment_pct(inputs, ctx)
    parts = {
        "reg_environmental_performance_tax_jpy": acquisition.amount_jpy,
        "reg_automobile_tax_jpy": auto_amount,
        "reg_weight_tax_jpy": weight.at_registration(),
        "reg_compulsory_insurance_jpy": premium,
        "reg_recycling_jpy": fees.recycling["typical"],
        "reg_fees_jpy": fees.fees_jpy,
    }
    reasons = [
        *acquisition.reasons,
        *annual_tax.reasons,
        kei_note,
        *weight.reasons,
        *unknown(inputs, "inspection_first_years"),
        *insurance.reasons,
        *fees.reasons,
    ]
    columns = inputs.columns
    for name, expr in parts.items():
        columns.column(name, expr.cast(pl.Int64))
    extra = {
        "reg_environmental_performance_tax_rate": acquisition.rate_scaled / SCALE,
        "reg_environmental_performance_tax_base_jpy": acquisition.base_jpy.cast(pl.Int64),
        "fuel_economy_attainment_pct": attainment,
        "reg_automobile_tax_months": lit_int(months),
        "reg_compulsory_insurance_months": insured_months.cast(pl.Int64),
        "reg_recycling_low_jpy": fees.recycling["low"],
        "reg_recycling_high_jpy": fees.recycling["high"],
        "reg_total_jpy": strict_sum(pl.col(p) for p in PARTS),
    }
    for name, expr in extra.items():
        columns.column(name, expr)
    codes = pack(columns, "registration_reasons", reasons)
    layers = columns.layers()
    ctx.link_exprs(e for layer in layers for e in layer)
    return RegistrationPlan(Plan.of(layers, COLUMNS), codes)


def known_total(row: Mapping[str, Any]) -> tuple[Any, list[str]]:
    """The registration total's known parts summed, and the names of the unknown parts."""
    parts = {p.removeprefix("reg_").removesuffix("_jpy"): p for p in PARTS}
    return partial_total(row, "reg_total_jpy", parts)


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``registration`` part of ``costs``: the amounts paid at registration and why."""
    known, missing = known_total(row)
    return {
        "registration": {
            "environmental_performance_tax_jpy": row.get("reg_environmental_performance_tax_jpy"),
            "automobile_tax_jpy": row.get("reg_automobile_tax_jpy"),
            "weight_tax_jpy": row.get("reg_weight_tax_jpy"),
            "compulsory_insurance_jpy": row.get("reg_compulsory_insurance_jpy"),
            "recycling_jpy": row.get("reg_recycling_jpy"),
            "fees_jpy": row.get("reg_fees_jpy"),
            "total_jpy": row.get("reg_total_jpy"),
            "known_total_jpy": known,
            "missing": missing,
            "environmental_performance_tax": {
                "rate": row.get("reg_environmental_performance_tax_rate"),
                "base_jpy": row.get("reg_environmental_performance_tax_base_jpy"),
                "fuel_economy_attainment_pct": row.get("fuel_economy_attainment_pct"),
            },
            "automobile_tax_months": row.get("reg_automobile_tax_months"),
            "compulsory_insurance_months": row.get("reg_compulsory_insurance_months"),
            "recycling_range_jpy": {
                "low": row.get("reg_recycling_low_jpy"),
                "high": row.get("reg_recycling_high_jpy"),
            },
            "reasons": list(row.get("registration_reasons") or []),
        }
    }
