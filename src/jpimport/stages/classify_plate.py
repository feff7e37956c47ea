"""Plate class and colour, and the inspection (車検) intervals that go with the registration.

The plate's first digit follows size class and use (1 ordinary cargo, 3 ordinary passenger, 4
small or kei cargo, 5 small or kei passenger, 2 an ordinary passenger vehicle with 11+ seats);
inspection intervals follow use, kei and the 8 t gross-weight line for cargo.
"""

from __future__ import annotations

import polars as pl

from jpimport.stages.classify_plan import Layers
from jpimport.stages.classify_rules import need, need_int
from jpimport.stages.context import StageContext

#: A passenger vehicle with this many seats or more is a bus (乗合, 2-number when ordinary).
BUS_MIN_SEATS = 11

INSPECTION_KEY = "__classify_inspection_key"

size_col = pl.col("size_class")
use_col = pl.col("use")


def _plate_key() -> pl.Expr:
    """The plate-class table key: '<size class>_<use>', or 'ordinary_bus' for 11+ seats."""
    bus = (size_col == "ordinary") & (use_col == "passenger") & (pl.col("seats") >= BUS_MIN_SEATS)
    use = pl.when(bus.fill_null(False)).then(pl.lit("bus")).otherwise(use_col)
    return pl.concat_str(size_col, pl.lit("_"), use)


def _inspection_key(ctx: StageContext) -> pl.Expr:
    """The inspection table key: passenger, cargo, cargo_heavy or kei_cargo (null if unknown)."""
    heavy = need_int(ctx, "classification.inspection.cargo_heavy_gross_weight_kg")
    gross = pl.col("jp_gross_weight_kg")
    return (
        pl.when(use_col == "passenger")
        .then(pl.lit("passenger"))
        .when((use_col == "cargo") & (size_col == "kei"))
        .then(pl.lit("kei_cargo"))
        .when((use_col == "cargo") & size_col.is_not_null() & (gross >= heavy))
        .then(pl.lit("cargo_heavy"))
        .when((use_col == "cargo") & size_col.is_not_null() & (gross < heavy))
        .then(pl.lit("cargo"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def plate_columns(ctx: StageContext) -> Layers:
    """``plate_class`` and ``plate_color``."""
    plate = need(ctx, "classification.plate_class").table_expr(_plate_key())
    color = need(ctx, "classification.plate_color").table_expr(size_col)
    return [[plate.cast(pl.Int64).alias("plate_class"), color.alias("plate_color")]]


def inspection_columns(ctx: StageContext) -> Layers:
    """``inspection_first_years`` and ``inspection_then_years`` (the table key a temporary)."""
    built = _inspection_key(ctx)
    key = pl.col(INSPECTION_KEY)
    first = need(ctx, "classification.inspection.first_years").table_expr(key)
    later = need(ctx, "classification.inspection.then_years")
    then_key = key
    if later.lookup("cargo") == later.lookup("cargo_heavy"):
        unweighed = (
            (use_col == "cargo") & (size_col != "kei") & pl.col("jp_gross_weight_kg").is_null()
        )
        then_key = pl.when(unweighed).then(pl.lit("cargo")).otherwise(key)
    then = later.table_expr(then_key)
    return [
        [built.alias(INSPECTION_KEY)],
        [
            first.cast(pl.Int64).alias("inspection_first_years"),
            then.cast(pl.Int64).alias("inspection_then_years"),
        ],
    ]
