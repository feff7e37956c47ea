"""Stage ``classify``: how Japan would register the vehicle and what follows from it.

Size class (kei / small / ordinary), use (passenger / cargo) with the cargo conditions, plate
class and colour, Japanese gross weight, inspection intervals, driving-licence class and
expressway toll class. Every threshold is a dated rule under ``classification.``; each column
is one Polars expression over all rows, and a part whose rules are not in force on the date
gives null columns with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from jpimport.stages.classify_licence import licence_columns
from jpimport.stages.classify_plan import Plan, memo_key
from jpimport.stages.classify_plate import inspection_columns, plate_columns
from jpimport.stages.classify_rules import StagePart, stage_plan
from jpimport.stages.classify_size import size_columns
from jpimport.stages.classify_text import for_rows, row_mode
from jpimport.stages.classify_toll import toll_columns
from jpimport.stages.classify_use import use_columns, weight_columns
from jpimport.stages.context import StageContext

NAME = "classify"

TEXTS = pl.List(pl.String())

#: Steps in order: the parts of a step read only the columns of the steps before it.
STEPS: tuple[tuple[StagePart, ...], ...] = (
    (
        StagePart(
            size_columns,
            {"size_class": pl.String(), "size_class_reasons": TEXTS},
            "size_class_reasons",
        ),
    ),
    (
        StagePart(
            use_columns,
            {
                "use": pl.String(),
                "use_reasons": TEXTS,
                "cargo_failures": TEXTS,
                "declared_payload_used_kg": pl.Int64(),
            },
            "use_reasons",
        ),
    ),
    (StagePart(weight_columns, {"jp_gross_weight_kg": pl.Int64()}),),
    (
        StagePart(plate_columns, {"plate_class": pl.Int64(), "plate_color": pl.String()}),
        StagePart(
            inspection_columns,
            {"inspection_first_years": pl.Int64(), "inspection_then_years": pl.Int64()},
        ),
        StagePart(
            licence_columns,
            {
                "licence": pl.String(),
                "licence_reason": pl.String(),
                "max_declared_payload_under_3500_kg": pl.Int64(),
            },
            "licence_reason",
        ),
        StagePart(toll_columns, {"toll_class": pl.String()}),
    ),
)

#: The columns this stage adds, in the order of the JSON ``classification`` section.
COLUMNS = (
    "size_class",
    "size_class_reasons",
    "use",
    "use_reasons",
    "cargo_failures",
    "plate_class",
    "plate_color",
    "declared_payload_used_kg",
    "jp_gross_weight_kg",
    "max_declared_payload_under_3500_kg",
    "inspection_first_years",
    "inspection_then_years",
    "licence",
    "licence_reason",
    "toll_class",
)


def plan(ctx: StageContext, rows: int = 1) -> Plan:
    """The stage's layers for the rules in force on ``ctx.as_of``, suited to ``rows`` rows."""
    with for_rows(rows):
        return stage_plan(STEPS, ctx)


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add the classification columns to every row, step by step, in one query."""
    rows = frame.height
    key = memo_key(ctx, f"{NAME}|{row_mode(rows)}")
    return ctx.memo(key, lambda c: plan(c, rows)).run(frame)


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``classification`` section of the assessment document."""
    return {"classification": {name: row.get(name) for name in COLUMNS}}
