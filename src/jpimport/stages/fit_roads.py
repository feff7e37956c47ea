"""Narrow roads: the room left on a 4 m residential road when the vehicle meets a small car.

Many Japanese residential streets are the 4 m minimum of 建築基準法 第42条; the clearance is the
road width minus the vehicle's width minus an oncoming small car's width (mirrors excluded).
"""

from __future__ import annotations

import polars as pl

from jpimport.stages.classify_plan import Layers
from jpimport.stages.classify_rules import need_int
from jpimport.stages.context import StageContext


def road_columns(ctx: StageContext) -> Layers:
    """``narrow_road_width_mm``, ``narrow_road_oncoming_width_mm``, ``narrow_road_clearance_mm``."""
    road = need_int(ctx, "fit.roads.narrow_road_width_mm")
    oncoming = need_int(ctx, "fit.roads.oncoming_car_width_mm")
    clearance = pl.lit(road - oncoming, dtype=pl.Int64) - pl.col("width_mm").cast(pl.Int64)
    return [
        [
            pl.lit(road, dtype=pl.Int64).alias("narrow_road_width_mm"),
            pl.lit(oncoming, dtype=pl.Int64).alias("narrow_road_oncoming_width_mm"),
            clearance.alias("narrow_road_clearance_mm"),
        ]
    ]
