"""Year-by-year running costs over the ownership period, summed without discounting.

Year ``y`` (1 = the first 12 months after registration) pays the 1 April automobile tax that
falls in it (the fiscal year after registration gets any EV relief; the age surcharge applies
once the car is old enough on that 1 April), parking and fuel; and, when a periodic inspection
falls at its start, the weight tax, compulsory insurance and inspection costs for the next
interval at the age-band rates of that inspection. Rates are those of ``as_of`` throughout (no
inflation, no discounting); the taxes and insurance prepaid at registration are in the
registration total, not here.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from jpimport.stages.classify_plan import collect
from jpimport.stages.costs.tax_automobile import AutomobileTax
from jpimport.stages.costs.tax_weight import WeightTax

INDEX = "_cost_row"
YEAR = "_cost_year"

#: Per-row helper columns the caller materialises before the frame is expanded by year.
HELPERS = {
    "_at_standard": "automobile tax, full year",
    "_at_aged": "automobile tax with the age surcharge",
    "_at_aged_from": "age (months) from which the surcharge applies",
    "_at_relief": "automobile tax in the fiscal year after registration (EV relief)",
    "_at_age0": "age (months) at registration, automobile-tax basis",
    "_wt_standard": "weight tax per year, under 13 years",
    "_wt_aged_13": "weight tax per year, from 13 years",
    "_wt_aged_18": "weight tax per year, from 18 years",
    "_wt_base": "weight tax per year at the statutory base rate",
    "_wt_electric": "electric or plug-in hybrid",
    "_wt_exempt": "exempt at registration and the first inspection",
    "_wt_age0": "age (months) at registration, weight-tax basis",
    "_ci_inspection": "compulsory insurance for one inspection interval",
    "_inspection": "inspection fee and service for one inspection",
    "_parking_year": "parking for a year",
    "_fuel_year": "fuel or electricity for a year",
}
#: The helper columns made from the automobile tax and from the weight tax.
AUTOMOBILE_HELPERS = tuple(h for h in HELPERS if h.startswith("_at_"))
WEIGHT_HELPERS = tuple(h for h in HELPERS if h.startswith("_wt_"))
#: The columns ``by_year`` adds.
BY_YEAR = ("ownership_running_jpy", "ownership_running_by_year_jpy", "first_year_running_jpy")
CARRIED = ("powertrain", "inspection_first_years", "inspection_then_years", "ownership_years")


def helper_columns(auto: AutomobileTax, weight: WeightTax) -> dict[str, pl.Expr]:
    """The tax helper columns, from the stage's tax objects."""
    return {
        "_at_standard": auto.standard,
        "_at_aged": auto.aged,
        "_at_aged_from": auto.aged_from_months,
        "_at_relief": auto.relief,
        "_at_age0": auto.age_at_registration_months,
        "_wt_standard": weight.standard,
        "_wt_aged_13": weight.aged_13,
        "_wt_aged_18": weight.aged_18,
        "_wt_base": weight.base,
        "_wt_electric": weight.electric,
        "_wt_exempt": weight.exempt_new,
        "_wt_age0": weight.age_at_registration_months,
    }


def running_by_year(auto: AutomobileTax, weight: WeightTax, months_to_april: int) -> pl.Expr:
    """The running cost of one ownership year (``YEAR``), from the ``HELPERS`` columns.

    Null where the year, the first inspection or the inspection interval is unknown.
    """
    auto_y = replace(
        auto,
        standard=pl.col("_at_standard"),
        aged=pl.col("_at_aged"),
        aged_from_months=pl.col("_at_aged_from"),
        age_at_registration_months=pl.col("_at_age0"),
    )
    weight_y = replace(
        weight,
        standard=pl.col("_wt_standard"),
        aged_13=pl.col("_wt_aged_13"),
        aged_18=pl.col("_wt_aged_18"),
        base=pl.col("_wt_base"),
        electric=pl.col("_wt_electric"),
        exempt_new=pl.col("_wt_exempt"),
        age_at_registration_months=pl.col("_wt_age0"),
    )
    year = pl.col(YEAR)
    elapsed = year - 1
    first, then = pl.col("inspection_first_years"), pl.col("inspection_then_years")
    inspection = (elapsed >= first) & (then > 0) & ((elapsed - first) % then == 0)
    april_age = pl.col("_at_age0") + months_to_april + 12 * elapsed
    relieved = (year == 1) & pl.col("_at_relief").is_not_null()
    automobile = pl.when(relieved).then(pl.col("_at_relief")).otherwise(auto_y.at_age(april_age))
    at_inspection = (
        weight_y.at_inspection(elapsed) + pl.col("_ci_inspection") + pl.col("_inspection")
    )
    running = (
        automobile
        + pl.col("_parking_year")
        + pl.col("_fuel_year")
        + pl.when(inspection).then(at_inspection).otherwise(0)
    )
    valid = year.is_not_null() & first.is_not_null() & then.is_not_null()
    return pl.when(valid).then(running.cast(pl.Int64))


def by_year(frame: pl.DataFrame, running: pl.Expr) -> pl.DataFrame:
    """Per-row sums over the ownership years: total, list by year, and the first year.

    ``frame`` holds the ``HELPERS`` and ``CARRIED`` columns; the result has, row for row,
    ``ownership_running_jpy``, ``ownership_running_by_year_jpy`` and ``first_year_running_jpy``.
    A null in any year makes the sums null.
    """
    value = pl.col("_running")
    totals = collect(
        frame.lazy()
        .select(*HELPERS, *CARRIED, pl.int_ranges(1, pl.col("ownership_years") + 1).alias(YEAR))
        .with_row_index(INDEX)
        .explode(YEAR)
        .with_columns(running.alias("_running"))
        .group_by(INDEX, maintain_order=True)
        .agg(
            pl.when(value.is_null().any())
            .then(None)
            .otherwise(value.sum())
            .alias("ownership_running_jpy"),
            value.alias("ownership_running_by_year_jpy"),
            value.filter(pl.col(YEAR) == 1).first().alias("first_year_running_jpy"),
        )
    )
    if totals.height != frame.height:  # no years at all (ownership_years below 1): all null
        rows = pl.DataFrame({INDEX: pl.int_range(frame.height, dtype=pl.UInt32, eager=True)})
        totals = rows.join(totals, on=INDEX, how="left", maintain_order="left")
    return totals.drop(INDEX)
