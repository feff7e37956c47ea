"""Use (乗用 passenger / 貨物 cargo), the cargo conditions, the declared load and the gross weight.

A pickup is assessed as cargo unless ``registration`` says passenger; any body may ask for cargo.
Cargo must meet the conditions of the MLIT circular on vehicle uses (floor area, load heavier
than the occupants, loading opening, partition); a condition known to fail makes the vehicle
passenger, one that cannot be checked is listed and the cargo assessment stands.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.stages.classify_plan import Layers
from jpimport.stages.classify_rules import need, need_int, table_numbers, table_values
from jpimport.stages.classify_text import int_text, number_text, text_list
from jpimport.stages.context import StageContext

#: A pickup with this many seats or more has a rear seat row: a double (crew) cab.
DOUBLE_CAB_MIN_SEATS = 4

IS_PICKUP = pl.col("body") == "pickup"

DEFAULT_LOAD_RULE = "classification.cargo.default_declared_payload_kg"

REQUESTED = "__classify_requested_use"
DECLARED = "__classify_declared_payload"
LOAD_NOTE = "__classify_load_note"
FLOOR_MINIMUM = "__classify_floor_minimum"
FLOOR_PASSED = "__classify_floor_passed"
LOAD_PASSED = "__classify_load_passed"
BODY_PASSED = "__classify_body_passed"
WANTS_CARGO = "__classify_wants_cargo"


@dataclass(frozen=True)
class Check:
    """One cargo condition: pass (True), fail (False) or unknown (null), with its texts."""

    passed: pl.Expr
    failure: pl.Expr
    unknown: pl.Expr


def requested_use() -> pl.Expr:
    """The use asked for: the registration option, else cargo for a pickup, else passenger."""
    return (
        pl.when(pl.col("registration").is_not_null())
        .then(pl.col("registration"))
        .when(IS_PICKUP)
        .then(pl.lit("cargo"))
        .when(pl.col("body").is_not_null())
        .then(pl.lit("passenger"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def declared_payload(ctx: StageContext) -> tuple[pl.Expr, pl.Expr]:
    """The declared load (the vehicle's or option's, else the double-cab default) and a note.

    The note says when the default was assumed, or why it could not be (a date before the
    default is in force leaves just the rows that need it without a load).
    """
    found = ctx.find(DEFAULT_LOAD_RULE)
    double_cab = IS_PICKUP & (pl.col("seats") >= DOUBLE_CAB_MIN_SEATS)
    needs_default = pl.col("declared_payload_kg").is_null() & double_cab.fill_null(False)
    declared = pl.col("declared_payload_kg").cast(pl.Int64)
    if found is None:
        absent = f"no default load: {DEFAULT_LOAD_RULE} is not in force on {ctx.as_of.isoformat()}"
        return declared, pl.when(needs_default).then(pl.lit(absent))
    default = table_numbers(found)["double_cab"]
    note = pl.when(needs_default).then(
        pl.lit(
            f"declared load {default:,} kg assumed, as declared for a Hilux double cab; "
            "set declared_payload_kg to change it"
        )
    )
    return pl.coalesce(declared, pl.when(double_cab).then(pl.lit(default, dtype=pl.Int64))), note


def _floor_minimum(ctx: StageContext) -> pl.Expr:
    """The minimum floor area for the row's size class (null if the class is unknown)."""
    table = need(ctx, "classification.cargo.min_floor_area_m2")
    return table.table_expr(pl.col("size_class")).cast(pl.Float64)


def _floor_check(ctx: StageContext) -> Check:
    """The load floor is at least the minimum area for the size class (``FLOOR_MINIMUM``)."""
    table = need(ctx, "classification.cargo.min_floor_area_m2")
    areas = [float(v) for v in table_values(table)]
    least, most = min(areas), max(areas)
    area = pl.col("bed_floor_area_m2")
    minimum = pl.col(FLOOR_MINIMUM)
    passed = (
        pl.when(area.is_null())
        .then(pl.lit(None, dtype=pl.Boolean))
        .when(minimum.is_not_null())
        .then(area >= minimum)
        .when(area >= most)
        .then(pl.lit(True))
        .when(area < least)
        .then(pl.lit(False))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )
    shown_minimum = pl.coalesce(minimum, pl.lit(least)).round(2).cast(pl.String)
    failure = pl.concat_str(
        pl.lit("cargo floor "),
        area.round(2).cast(pl.String),
        pl.lit(" m² < "),
        shown_minimum,
        pl.lit(" m² minimum"),
    )
    unknown = (
        pl.when(area.is_null())
        .then(pl.lit("cargo floor area cannot be checked: bed_floor_area_m2 missing"))
        .otherwise(
            pl.lit(
                "cargo floor area cannot be checked: size_class unknown "
                f"(the minimum is {number_text(least)} to {number_text(most)} m² by size class)"
            )
        )
    )
    return Check(passed, failure, unknown)


def _load_check(ctx: StageContext, declared: pl.Expr) -> Check:
    """The declared load outweighs the occupants (55 kg per seat)."""
    per_seat = need_int(ctx, "classification.occupant_weight_kg")
    occupants = pl.col("seats") * per_seat
    failure = pl.concat_str(
        pl.lit("declared load "),
        int_text(declared),
        pl.lit(" kg is not more than the occupants' "),
        pl.col("seats").cast(pl.String),
        pl.lit(f" × {per_seat} kg = "),
        int_text(occupants),
        pl.lit(" kg"),
    )
    unknown = (
        pl.when(declared.is_null())
        .then(pl.lit("declared load cannot be checked: declared_payload_kg missing"))
        .otherwise(pl.lit("declared load cannot be checked: seats missing"))
    )
    return Check(declared > occupants, failure, unknown)


def _body_passed() -> pl.Expr:
    """Met by an open pickup bed by construction (``BODY_PASSED``); unknown for other bodies."""
    return pl.when(IS_PICKUP).then(pl.lit(True)).otherwise(pl.lit(None, dtype=pl.Boolean))


def _body_check(subject: str) -> Check:
    """A condition an open pickup bed meets by construction and no column describes otherwise."""
    text = pl.lit(f"{subject} cannot be checked: no column describes it")
    return Check(pl.col(BODY_PASSED), text, text)


def cargo_checks(ctx: StageContext, declared: pl.Expr) -> list[Check]:
    """Every cargo condition jpimport checks, in the order they are reported."""
    seating = Check(
        pl.col(BODY_PASSED),
        pl.lit(""),  # never shown: the seating condition cannot fail
        pl.lit(
            "cargo floor larger than the seating floor cannot be checked: no column describes it"
        ),
    )
    return [
        _floor_check(ctx),
        _load_check(ctx, declared),
        _body_check("loading opening"),
        _body_check("partition between the seats and the load"),
        seating,
    ]


def _use_reasons(failed: pl.Expr) -> pl.Expr:
    """Why the vehicle has its use: the request or default, a failed condition, the load."""
    return text_list(
        [
            pl.when(pl.col("registration").is_not_null()).then(
                pl.concat_str(pl.lit("registration="), pl.col("registration"), pl.lit(" requested"))
            ),
            pl.when(pl.col("registration").is_null() & IS_PICKUP).then(
                pl.lit("a pickup is assessed as cargo (貨物) by default")
            ),
            pl.when(pl.col("registration").is_null() & IS_PICKUP.not_()).then(
                pl.concat_str(
                    pl.lit("body "), pl.col("body"), pl.lit(": passenger (乗用) by default")
                )
            ),
            pl.when(pl.col(REQUESTED).is_null()).then(
                pl.lit("body missing: no default use (set registration)")
            ),
            pl.when(failed).then(
                pl.lit(
                    "a cargo condition fails (see cargo_failures), so it is assessed as passenger"
                )
            ),
            pl.when(pl.col("use") == "cargo").then(pl.col(LOAD_NOTE)),
        ]
    )


def _failures(wants_cargo: pl.Expr, checks: list[Check]) -> pl.Expr:
    """The cargo conditions that fail or cannot be checked, for a vehicle that asks for cargo."""
    return text_list(
        [
            pl.when(wants_cargo & c.passed.not_())
            .then(c.failure)
            .when(wants_cargo & c.passed.is_null())
            .then(c.unknown)
            for c in checks
        ]
    )


def use_columns(ctx: StageContext) -> Layers:
    """``use``, ``use_reasons``, ``cargo_failures`` and ``declared_payload_used_kg``."""
    declared, load_note = declared_payload(ctx)
    checks = cargo_checks(ctx, pl.col(DECLARED))
    floor, load, *others = checks
    passed = [Check(pl.col(FLOOR_PASSED), floor.failure, floor.unknown)]
    passed.append(Check(pl.col(LOAD_PASSED), load.failure, load.unknown))
    passed += others
    wants_cargo = pl.col(WANTS_CARGO)
    failed = wants_cargo & pl.any_horizontal([c.passed.not_() for c in passed]).fill_null(False)
    use = pl.when(failed).then(pl.lit("passenger")).otherwise(pl.col(REQUESTED))
    used = (
        pl.when(pl.col("use") == "cargo")
        .then(pl.col(DECLARED))
        .when(pl.col("use") == "passenger")
        .then(pl.lit(0, dtype=pl.Int64))
        .otherwise(pl.lit(None, dtype=pl.Int64))
    )
    return [
        [
            requested_use().alias(REQUESTED),
            declared.alias(DECLARED),
            load_note.alias(LOAD_NOTE),
            _floor_minimum(ctx).alias(FLOOR_MINIMUM),
            _body_passed().alias(BODY_PASSED),
        ],
        [
            floor.passed.alias(FLOOR_PASSED),
            load.passed.alias(LOAD_PASSED),
            (pl.col(REQUESTED) == "cargo").fill_null(False).alias(WANTS_CARGO),
        ],
        [use.alias("use"), _failures(wants_cargo, passed).alias("cargo_failures")],
        [_use_reasons(failed).alias("use_reasons"), used.alias("declared_payload_used_kg")],
    ]


def weight_columns(ctx: StageContext) -> Layers:
    """``jp_gross_weight_kg``: curb weight + declared load + 55 kg × seats (needs ``use``)."""
    per_seat = need_int(ctx, "classification.occupant_weight_kg")
    gross = (
        pl.col("curb_weight_kg") + pl.col("declared_payload_used_kg") + pl.col("seats") * per_seat
    )
    return [[gross.cast(pl.Int64).alias("jp_gross_weight_kg")]]
