"""Stage ``fit``: where the vehicle fits in Japan: parking types, narrow roads, garage certificate.

Parking verdicts for every bundled bay and mechanical-parking pallet (``fit.parking.*`` rules),
the clearance on a 4 m residential road when meeting a small car, and, for one vehicle and a
user's own space, ``garage_certificate()``. ``run`` is one set of Polars expressions over all rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from jpimport.stages.classify_plan import Plan, memo_key
from jpimport.stages.classify_rules import StagePart, stage_plan
from jpimport.stages.classify_text import for_rows, row_mode
from jpimport.stages.context import StageContext
from jpimport.stages.fit_garage import garage_certificate
from jpimport.stages.fit_parking import STRUCT, parking_columns
from jpimport.stages.fit_roads import road_columns

__all__ = ["NAME", "garage_certificate", "run", "to_json"]

NAME = "fit"

PARTS = (
    StagePart(parking_columns, {"parking": pl.List(STRUCT), "parking_fits": pl.List(pl.String())}),
    StagePart(
        road_columns,
        {
            "narrow_road_width_mm": pl.Int64(),
            "narrow_road_oncoming_width_mm": pl.Int64(),
            "narrow_road_clearance_mm": pl.Int64(),
        },
    ),
)


def plan(ctx: StageContext, rows: int = 1) -> Plan:
    """The stage's layers for the rules in force on ``ctx.as_of``, suited to ``rows`` rows."""
    with for_rows(rows):
        return stage_plan([PARTS], ctx)


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add the parking and narrow-road columns to every row."""
    rows = frame.height
    key = memo_key(ctx, f"{NAME}|{row_mode(rows)}")
    return ctx.memo(key, lambda c: plan(c, rows)).run(frame)


def _parking_json(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One parking verdict as the JSON document shows it."""
    return {
        "id": entry["id"],
        "fits": entry["fits"],
        "excess_mm": {
            "length": entry["excess_length_mm"],
            "width": entry["excess_width_mm"],
            "height": entry["excess_height_mm"],
        },
        "excess_kg": entry["excess_kg"],
        "comfortable": entry["comfortable"],
    }


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``fit`` section of the assessment document."""
    return {
        "fit": {
            "parking": [_parking_json(entry) for entry in row.get("parking") or []],
            "parking_fits": list(row.get("parking_fits") or []),
            "roads": {
                "road_width_mm": row.get("narrow_road_width_mm"),
                "oncoming_car_width_mm": row.get("narrow_road_oncoming_width_mm"),
                "clearance_mm": row.get("narrow_road_clearance_mm"),
                "min_turning_radius_m": row.get("min_turning_radius_m"),
            },
        }
    }
