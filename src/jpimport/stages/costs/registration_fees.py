"""Fees at registration (stamps, plates, garage certificate) and the recycling deposit.

A manufacturer's import and a Japan-built car go through the counter with a completion
certificate (完成検査終了証); any other import is presented for inspection, as a parallel import
is. Plates, garage certificate and recycling deposit are estimate ranges; totals use the typical
value and the low and high ends are reported beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.rules.model import Part
from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import (
    Inputs,
    absent,
    entry_number,
    estimate,
    lit_int,
    unknown,
)
from jpimport.stages.costs.cost_reasons import Reason, because

PREFIX = "fees."
REGISTRATION = PREFIX + "registration_stamp"
INSPECTION = PREFIX + "new_inspection_stamp"
PLATES = PREFIX + "number_plates"
GARAGE = PREFIX + "garage_certificate"
RECYCLING = PREFIX + "recycling_deposit"

CERTIFIED_IMPORTERS = ("manufacturer",)


@dataclass(frozen=True)
class RegistrationFees:
    """Fees and recycling deposit for each row, with reasons for any null."""

    fees_jpy: pl.Expr
    recycling: dict[Part, pl.Expr]
    reasons: list[Reason]


#: The registration columns the fee and recycling parameters feed (``StageContext.amount``).
FEES_COLUMN = "reg_fees_jpy"
RECYCLING_COLUMNS = ("reg_recycling_low_jpy", "reg_recycling_jpy", "reg_recycling_high_jpy")


def registration_fees(inputs: Inputs, ctx: StageContext) -> RegistrationFees:
    """Stamps + plates + garage certificate, and the recycling deposit, as of ``ctx.as_of``."""
    size = pl.col("size_class")
    certified = (pl.col("plant_country") == "JP") | pl.col("importer").is_in(CERTIFIED_IMPORTERS)
    route_known = pl.col("plant_country").is_not_null() | pl.col("importer").is_not_null()
    reasons = [*unknown(inputs, "size_class")]
    reasons.append(because(size == "kei", "kei vehicle: registration fees are not modelled"))
    reasons.append(
        because(~route_known, "importer and plant_country unknown: registration route unknown")
    )
    with ctx.amount(FEES_COLUMN):
        stamp, check = ctx.find(REGISTRATION), ctx.find(INSPECTION)
        plates, garage = ctx.find(PLATES), ctx.find(GARAGE)
    fees = lit_int(None)
    if stamp is None or check is None or plates is None or garage is None:
        pairs = ((REGISTRATION, stamp), (INSPECTION, check), (PLATES, plates), (GARAGE, garage))
        reasons += [Reason(absent(ctx, name)) for name, value in pairs if value is None]
    else:
        registration = (
            pl.when(certified)
            .then(lit_int(entry_number(stamp, "counter_certified")))
            .otherwise(lit_int(entry_number(stamp, "presented")))
        )
        inspection = (
            pl.when(certified)
            .then(lit_int(entry_number(check, "completion_certificate")))
            .when(size == "ordinary")
            .then(lit_int(entry_number(check, "presented_ordinary")))
            .when(size == "small")
            .then(lit_int(entry_number(check, "presented_small")))
            .otherwise(lit_int(None))
        )
        others = int(estimate(plates).typical) + int(estimate(garage).typical)
        registered = size.is_in(("small", "ordinary")) & route_known
        fees = pl.when(registered).then(registration + inspection + others)
    with ctx.amount(*RECYCLING_COLUMNS):
        recycling_value = ctx.find(RECYCLING)
    recycling: dict[Part, pl.Expr] = {}
    for part in ("low", "typical", "high"):
        if recycling_value is None:
            recycling[part] = lit_int(None)
        else:
            recycling[part] = recycling_value.table_expr(size, part=part).cast(pl.Int64)
    if recycling_value is None:
        reasons.append(Reason(absent(ctx, RECYCLING)))
    return RegistrationFees(fees_jpy=fees, recycling=recycling, reasons=reasons)
