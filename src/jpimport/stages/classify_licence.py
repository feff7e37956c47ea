"""Driving-licence class (普通 standard / 準中型 semi_medium / 中型 medium / 大型 large).

The licence classes of 道路交通法施行規則 第2条 in force on the assessment date: the class a driver
licensed on that date needs. A vehicle needs the first class whose gross-weight, load and seating
limits it stays within; a missing input leaves the licence null with the column named.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from polars.expr.whenthen import ChainedThen, Then

from jpimport.stages.classify_plan import Layers
from jpimport.stages.classify_rules import need, need_int, table_numbers
from jpimport.stages.classify_text import int_text, number_text
from jpimport.stages.context import StageContext

CLASS_ORDER = ("standard", "semi_medium", "medium")

GROSS_TEXT = "__classify_gross_text"
LOAD_TEXT = "__classify_load_text"

gross_col = pl.col("jp_gross_weight_kg")
load_col = pl.col("declared_payload_used_kg")
seats_col = pl.col("seats")
gross_text = pl.col(GROSS_TEXT)
load_text = pl.col(LOAD_TEXT)


@dataclass(frozen=True)
class LicenceLimits:
    """The limits of each licence class in force, and the date the standard limits began."""

    gross_below_kg: dict[str, int]
    load_below_kg: dict[str, int]
    max_seats: dict[str, int]
    standard_since: str

    @property
    def classes(self) -> tuple[str, ...]:
        """The classes in force below large, smallest first."""
        return tuple(c for c in CLASS_ORDER if c in self.gross_below_kg)


def read_limits(ctx: StageContext) -> LicenceLimits:
    """The licence limits in force, each parameter traced."""
    gross = need(ctx, "classification.licence.gross_weight_below_kg")
    return LicenceLimits(
        gross_below_kg=table_numbers(gross),
        load_below_kg=table_numbers(need(ctx, "classification.licence.payload_below_kg")),
        max_seats=table_numbers(need(ctx, "classification.licence.max_seats")),
        standard_since=gross.start.isoformat(),
    )


def _within(limits: LicenceLimits, cls: str) -> pl.Expr:
    """The vehicle is within every limit of ``cls``."""
    return (
        (limits.gross_below_kg[cls] > gross_col)
        & (limits.load_below_kg[cls] > load_col)
        & (limits.max_seats[cls] >= seats_col)
    )


def _missing() -> pl.Expr:
    """Text naming the inputs of the gross weight that are missing (null when none is)."""
    names = pl.concat_str(
        [
            pl.when(pl.col("curb_weight_kg").is_null()).then(pl.lit("curb_weight_kg")),
            pl.when(seats_col.is_null()).then(pl.lit("seats")),
            pl.when(load_col.is_null() & (pl.col("use") == "cargo").fill_null(False)).then(
                pl.lit("declared_payload_kg")
            ),
            pl.when(pl.col("use").is_null()).then(pl.lit("use (body or registration)")),
        ],
        separator=", ",
        ignore_nulls=True,
    )
    return pl.when(names != "").then(pl.concat_str(pl.lit("unknown: "), names, pl.lit(" missing")))


def _beyond_standard(limits: LicenceLimits) -> pl.Expr:
    """Which standard-licence limits the vehicle reaches, joined as text."""
    gross = limits.gross_below_kg["standard"]
    load = limits.load_below_kg["standard"]
    seats = limits.max_seats["standard"]
    parts = [
        pl.when(gross_col >= gross).then(
            pl.concat_str(
                pl.lit("gross weight "),
                gross_text,
                pl.lit(f" kg ≥ {number_text(gross)} kg"),
            )
        ),
        pl.when(load_col >= load).then(
            pl.concat_str(pl.lit("load "), load_text, pl.lit(f" kg ≥ {number_text(load)} kg"))
        ),
        pl.when(seats_col > seats).then(
            pl.concat_str(pl.lit("seats "), seats_col.cast(pl.String), pl.lit(f" > {seats}"))
        ),
    ]
    return pl.concat_str(parts, separator=", ", ignore_nulls=True)


def licence_columns(ctx: StageContext) -> Layers:
    """``licence``, ``licence_reason`` and ``max_declared_payload_under_3500_kg``."""
    limits = read_limits(ctx)
    known = gross_col.is_not_null() & load_col.is_not_null() & seats_col.is_not_null()
    chain: Then | ChainedThen = pl.when(known.not_()).then(pl.lit(None, dtype=pl.String))
    for cls in limits.classes:
        chain = chain.when(_within(limits, cls)).then(pl.lit(cls))
    licence = pl.col("licence")
    std_gross = limits.gross_below_kg["standard"]
    std_load = limits.load_below_kg["standard"]
    std_seats = limits.max_seats["standard"]
    scope = (
        f"the standard licence (issued from {limits.standard_since}) covers gross weight under "
        f"{number_text(std_gross)} kg, load under {number_text(std_load)} kg "
        f"and up to {std_seats} seats"
    )
    reason = (
        pl.when(known.not_())
        .then(_missing())
        .when(licence == "standard")
        .then(
            pl.concat_str(
                pl.lit("gross weight "),
                gross_text,
                pl.lit(" kg, load "),
                load_text,
                pl.lit(" kg, "),
                seats_col.cast(pl.String),
                pl.lit(f" seats: {scope}"),
            )
        )
        .otherwise(
            pl.concat_str(
                _beyond_standard(limits),
                pl.lit(f": beyond the standard licence (issued from {limits.standard_since}), "),
                pl.lit("needs "),
                licence,
            )
        )
    )
    per_seat = need_int(ctx, "classification.occupant_weight_kg")
    room = std_gross - 1 - pl.col("curb_weight_kg") - seats_col * per_seat
    most_load = pl.when(room >= 0).then(room).cast(pl.Int64)
    return [
        [
            chain.otherwise(pl.lit("large")).alias("licence"),
            most_load.alias("max_declared_payload_under_3500_kg"),
            int_text(gross_col).alias(GROSS_TEXT),
            int_text(load_col).alias(LOAD_TEXT),
        ],
        [reason.alias("licence_reason")],
    ]
