"""Compulsory liability insurance (自賠責) premiums by months of cover, passenger or cargo.

A new car is insured for its first inspection period plus one month (37 months for a passenger
car, 25 for a cargo vehicle), each later inspection for the inspection interval (24 or 12).
Cargo premiums depend on whether the declared maximum load exceeds 2 t. Kei and small (4-number)
cargo tables are not recorded, so those come out unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.rules import ParameterValue
from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_inputs import Inputs, absent, find_for, lit_int, unknown
from jpimport.stages.costs.cost_reasons import Reason, because

PREFIX = "insurance.compulsory."
PASSENGER = PREFIX + "private_passenger"
CARGO_LIGHT = PREFIX + "private_ordinary_cargo_up_to_2t"
CARGO_HEAVY = PREFIX + "private_ordinary_cargo_over_2t"
#: The load that splits the two cargo tables (GIROJ classes 最大積載量2トン以下 / 2トン超).
CARGO_SPLIT_KG = 2000


@dataclass(frozen=True)
class ParameterLookup:
    """A months → premium table in force, or None (every lookup null)."""

    table: ParameterValue | None

    def lookup(self, months: pl.Expr) -> pl.Expr:
        """The table's premium for each row's months; null if the table or the key is absent."""
        if self.table is None:
            return lit_int(None)
        return self.table.table_expr(months)


@dataclass(frozen=True)
class CompulsoryInsurance:
    """Premium lookups by months of cover for each row, and reasons for any null."""

    passenger: ParameterLookup
    cargo_light: ParameterLookup
    cargo_heavy: ParameterLookup
    reasons: list[Reason]

    def premium(self, months: pl.Expr) -> pl.Expr:
        """The premium for ``months`` of cover (null where the table or class is unknown)."""
        size, use = pl.col("size_class"), pl.col("use")
        load = pl.col("declared_payload_used_kg")
        cargo = (size == "ordinary") & (use == "cargo")
        return (
            pl.when(size.is_in(("small", "ordinary")) & (use == "passenger"))
            .then(self.passenger.lookup(months))
            .when(cargo & (load <= CARGO_SPLIT_KG))
            .then(self.cargo_light.lookup(months))
            .when(cargo & (load > CARGO_SPLIT_KG))
            .then(self.cargo_heavy.lookup(months))
            .otherwise(lit_int(None))
        )


def compulsory_insurance(inputs: Inputs, ctx: StageContext) -> CompulsoryInsurance:
    """The premium tables in force on ``ctx.as_of`` and the reasons a row's premium is unknown."""
    size, use = pl.col("size_class"), pl.col("use")
    passenger_row = size.is_in(("small", "ordinary")) & (use == "passenger")
    cargo_row = (size == "ordinary") & (use == "cargo")
    reasons = [*unknown(inputs, "size_class", "use")]
    reasons += unknown(inputs, "declared_payload_used_kg", where=cargo_row)
    reasons.append(because(size == "kei", "kei vehicle: compulsory-insurance table not recorded"))
    reasons.append(
        because(
            (size == "small") & (use == "cargo"),
            "small (4-number) cargo vehicle: compulsory-insurance table not recorded",
        )
    )
    tables = {}
    light = pl.col("declared_payload_used_kg") <= CARGO_SPLIT_KG
    rows = {
        PASSENGER: passenger_row,
        CARGO_LIGHT: cargo_row & light,
        CARGO_HEAVY: cargo_row & ~light,
    }
    for name, row in rows.items():
        value = find_for(ctx, name, inputs, row)
        if value is None:
            reasons.append(because(row, absent(ctx, name)))
        elif name != PASSENGER and value.status != "confirmed":
            reasons.append(because(row, f"cargo compulsory insurance is an estimate ({name})"))
        tables[name] = ParameterLookup(value)
    return CompulsoryInsurance(
        passenger=tables[PASSENGER],
        cargo_light=tables[CARGO_LIGHT],
        cargo_heavy=tables[CARGO_HEAVY],
        reasons=reasons,
    )
