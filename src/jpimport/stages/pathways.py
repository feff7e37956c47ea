"""Stage ``pathways``: every certification route assessed per vehicle, and the cheapest one.

The recommended route is the cheapest eligible one per unit for the row's importer and
planned volume (fixed cost per model ÷ volume + cost per unit, typical values); a tie goes to
the lighter procedure. Columns and JSON keys: docs/stages.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from polars.expr.whenthen import ChainedThen, Then

from jpimport.rules.compliance import ROUTES
from jpimport.stages.context import StageContext
from jpimport.stages.pathways_format import grouped, yen
from jpimport.stages.pathways_routes import ASSESSORS, RouteAssessment

NAME = "pathways"

#: Lighter procedures first: the order that breaks ties between equally cheap routes.
PROCEDURE_ORDER: tuple[str, ...] = ("us_certified", "php", "parallel", "type_designation")

#: Columns of earlier stages this stage reads; added as null when that stage did not run.
_STAGE_INPUTS: dict[str, pl.DataType] = {"use": pl.String()}


def _int(value: int | None) -> pl.Expr:
    """An integer literal, or a typed null."""
    return pl.lit(value, pl.Int64)


def _strings(values: list[str]) -> pl.Expr:
    """A list-of-strings literal (typed even when empty)."""
    return pl.lit(values, dtype=pl.List(pl.String))


def _struct(route: RouteAssessment) -> pl.Expr:
    """One route's entry of the ``pathways`` list."""
    low, typical, high = route.fixed
    unit_low, unit, unit_high = route.unit
    return pl.struct(
        pl.lit(route.id).alias("id"),
        route.eligible.cast(pl.Boolean).alias("eligible"),
        route.reasons.alias("reasons"),
        _int(typical).alias("fixed_cost_jpy"),
        _int(low).alias("fixed_cost_low_jpy"),
        _int(high).alias("fixed_cost_high_jpy"),
        _int(unit).alias("unit_cost_jpy"),
        _int(unit_low).alias("unit_cost_low_jpy"),
        _int(unit_high).alias("unit_cost_high_jpy"),
        _int(route.lead_time_days).alias("lead_time_days"),
        _strings(route.documents).alias("documents"),
        _strings(route.tests).alias("tests"),
        _strings(route.unconfirmed).alias("unconfirmed"),
    )


def _per_unit(route: RouteAssessment) -> pl.Expr:
    """Typical cost per unit at the row's volume; null unless the route is surely eligible."""
    fixed, unit = route.fixed[1], route.unit[1]
    if fixed is None or unit is None:
        return pl.lit(None, pl.Float64)
    cost = pl.lit(unit, pl.Float64) + pl.lit(fixed, pl.Float64) / pl.col("volume")
    surely = route.eligible.cast(pl.Boolean).fill_null(False) & (pl.col("volume") > 0)
    return pl.when(surely).then(cost).otherwise(pl.lit(None, pl.Float64))


def _choose(routes: dict[str, RouteAssessment]) -> list[pl.Expr]:
    """The recommended route, its reason and its costs, as columns."""
    per_unit = {r: _per_unit(routes[r]).alias(f"__per_unit_{r}") for r in PROCEDURE_ORDER}
    best = pl.min_horizontal(*per_unit.values())
    chosen: Then | ChainedThen = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
    for r in PROCEDURE_ORDER:
        chosen = chosen.when(per_unit[r] == best).then(pl.lit(r))
    return [chosen.otherwise(pl.lit(None, pl.String)).alias("recommended_pathway")]


def _pick(column: str, values: Mapping[str, pl.Expr], dtype: pl.DataType) -> pl.Expr:
    """The value for the recommended route (null when there is none)."""
    chain: Then | ChainedThen = pl.when(pl.lit(False)).then(pl.lit(None, dtype))
    for route, value in values.items():
        chain = chain.when(pl.col("recommended_pathway") == route).then(value)
    return chain.otherwise(pl.lit(None, dtype)).alias(column)


def _reason(routes: dict[str, RouteAssessment]) -> pl.Expr:
    """Why the recommended route was chosen, or why none was."""
    volume = grouped(pl.col("volume"))
    texts: dict[str, pl.Expr] = {}
    for r, route in routes.items():
        fixed, unit = route.fixed[1], route.unit[1]
        if fixed is None or unit is None:
            continue
        # The fixed cost's share per unit is rounded up to the yen, as the landed costs do.
        share = (pl.lit(fixed, pl.Int64) + pl.col("volume") - 1) // pl.col("volume")
        per_unit = share + pl.lit(unit, pl.Int64)
        texts[r] = pl.format(
            "{} is the cheapest eligible route at {} units per type per year: {} per unit "
            "(fixed {} ÷ {} + {} per unit)",
            pl.lit(r),
            volume,
            yen(per_unit),
            yen(pl.lit(fixed)),
            volume,
            yen(pl.lit(unit)),
        )
    unknown = [
        pl.when(routes[r].eligible.is_null()).then(pl.lit(r)).otherwise(pl.lit(None, pl.String))
        for r in ROUTES
    ]
    open_routes = pl.concat_list(unknown).list.drop_nulls().list.join(", ")
    caveat = pl.when(open_routes != "").then(pl.format("; eligibility unknown for {}", open_routes))
    found = _pick("__reason", texts, pl.String())
    none = pl.format("no route is surely eligible with known costs{}", caveat.fill_null(""))
    return (
        pl.when(pl.col("recommended_pathway").is_null())
        .then(none)
        .otherwise(pl.concat_str([found, caveat.fill_null("")]))
        .alias("recommended_reason")
    )


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add ``pathways``, ``recommended_pathway``, ``recommended_reason`` and its two costs."""
    missing = [pl.lit(None, t).alias(c) for c, t in _STAGE_INPUTS.items() if c not in frame.columns]
    work = frame.with_columns(missing) if missing else frame
    routes = {r: ASSESSORS[r](ctx) for r in ROUTES}
    fixed = {r: _int(routes[r].fixed[1]) for r in ROUTES}
    unit = {r: _int(routes[r].unit[1]) for r in ROUTES}
    # Lazy, so Polars evaluates the eligibility expressions the columns share only once.
    lazy = (
        work.lazy()
        .with_columns(pl.concat_list([_struct(routes[r]) for r in ROUTES]).alias("pathways"))
        .with_columns(_choose(routes))
        .with_columns(
            _reason(routes),
            _pick("pathway_fixed_cost_jpy", fixed, pl.Int64()),
            _pick("pathway_unit_cost_jpy", unit, pl.Int64()),
        )
    )
    return lazy.collect().drop([c for c in _STAGE_INPUTS if c not in frame.columns])


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """``pathways`` (one object per route), ``recommended_pathway`` and its reason."""
    return {
        "pathways": [dict(p) for p in row.get("pathways") or []],
        "recommended_pathway": row.get("recommended_pathway"),
        "recommended_reason": row.get("recommended_reason"),
    }
