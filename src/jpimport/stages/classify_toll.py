"""Expressway toll class (NEXCO 料金車種区分): kei, ordinary, mid_size, large or extra_large.

Kei vehicles pay the kei toll; small vehicles and ordinary passenger cars with up to 10 seats the
ordinary toll; ordinary cargo (1-number) vehicles under 8 t gross and 5 t load, and microbuses,
the mid-size toll; heavier cargo vehicles the large toll; buses of 30+ seats the extra-large toll.
"""

from __future__ import annotations

import polars as pl

from jpimport.stages.classify_plan import Layers
from jpimport.stages.classify_rules import need, table_numbers
from jpimport.stages.context import StageContext

size_col = pl.col("size_class")
use_col = pl.col("use")
seats_col = pl.col("seats")
gross_col = pl.col("jp_gross_weight_kg")
load_col = pl.col("declared_payload_used_kg")


def toll_columns(ctx: StageContext) -> Layers:
    """The ``toll_class`` expression (null when an input it needs is missing)."""
    weights = table_numbers(need(ctx, "classification.toll.mid_size_below_kg"))
    seats = table_numbers(need(ctx, "classification.toll.max_seats"))
    gross_below, load_below = weights["gross_weight"], weights["payload"]
    ordinary_passenger = (size_col == "ordinary") & (use_col == "passenger")
    ordinary_cargo = (size_col == "ordinary") & (use_col == "cargo")
    toll = (
        pl.when(size_col == "kei")
        .then(pl.lit("kei"))
        .when(size_col == "small")
        .then(pl.lit("ordinary"))
        .when(ordinary_passenger & (seats_col <= seats["ordinary"]))
        .then(pl.lit("ordinary"))
        .when(ordinary_passenger & (seats_col <= seats["mid_size"]) & (gross_col < gross_below))
        .then(pl.lit("mid_size"))
        .when(ordinary_passenger & (seats_col <= seats["mid_size"]) & (gross_col >= gross_below))
        .then(pl.lit("large"))
        .when(ordinary_passenger & (seats_col > seats["mid_size"]))
        .then(pl.lit("extra_large"))
        .when(ordinary_cargo & (gross_col < gross_below) & (load_col < load_below))
        .then(pl.lit("mid_size"))
        .when(ordinary_cargo & ((gross_col >= gross_below) | (load_col >= load_below)))
        .then(pl.lit("large"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return [[toll.alias("toll_class")]]
