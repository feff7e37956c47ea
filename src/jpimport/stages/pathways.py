"""Stage ``pathways``: every certification route assessed per vehicle, and the cheapest one.

The recommended route is the cheapest eligible one per unit for the row's importer and
planned volume (fixed cost per model ÷ volume + cost per unit, typical values); a tie goes to
the lighter procedure. Columns and JSON keys: docs/stages.md.

The expressions are built once per date (``ctx.memo``) and run as one Polars plan in a few
steps. What is known per date (each route's costs and papers, the texts of its amounts) is a
literal gathered per row; Polars computes only eligibility, reasons and the choice per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.rules.compliance import ROUTES
from jpimport.stages import verdicts
from jpimport.stages.context import StageContext
from jpimport.stages.pathways_format import grouped, yen_text
from jpimport.stages.pathways_routes import ASSESSORS, ELIGIBLE, VOLUME_TEXT, RouteAssessment

NAME = "pathways"

#: How the stage's plan is collected. Its steps are already minimal, so Polars' optimiser
#: passes only add planning time (most of a one-row assessment); common-subexpression
#: elimination would also try to hoist the per-route (longer) columns, which Polars cannot.
_QUICK = pl.QueryOptFlags.none()

#: Lighter procedures first: the order that breaks ties between equally cheap routes.
PROCEDURE_ORDER: tuple[str, ...] = ("us_certified", "php", "parallel", "type_designation")

#: Columns of earlier stages this stage reads; added as null when that stage did not run.
_STAGE_INPUTS: dict[str, pl.DataType] = {"use": pl.String(), "plant_country": pl.String()}
#: Why a Japan-built vehicle gets no import route.
DOMESTIC_REASON = (
    "built in Japan: sold under its maker's Japanese type designation (型式指定); "
    "no import route applies"
)


def _domestic() -> pl.Expr:
    """Rows built in Japan: not imported, so no route is recommended (unknown plant: imported)."""
    return (pl.col("plant_country") == "JP").fill_null(False)


_REASONS = "__reasons_{}"
_PER_UNIT = "__per_unit_{}"
_SHARE = "__recommended_per_unit"
_OPEN = "__open_routes"
_CHOICE = "__choice"


@dataclass(frozen=True)
class _Plan:
    """What the stage runs for one date: expression steps and their temporary columns."""

    steps: tuple[tuple[pl.Expr, ...], ...]
    temps: tuple[str, ...]


#: The fields of a ``pathways`` entry, in order.
_ROUTE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "eligible": pl.Boolean(),
    "reasons": pl.List(pl.String()),
    "fixed_cost_jpy": pl.Int64(),
    "fixed_cost_low_jpy": pl.Int64(),
    "fixed_cost_high_jpy": pl.Int64(),
    "unit_cost_jpy": pl.Int64(),
    "unit_cost_low_jpy": pl.Int64(),
    "unit_cost_high_jpy": pl.Int64(),
    "lead_time_days": pl.Int64(),
    "documents": pl.List(pl.String()),
    "tests": pl.List(pl.String()),
    "unconfirmed": pl.List(pl.String()),
}


def _entries(routes: dict[str, RouteAssessment]) -> pl.Series:
    """Each route's entry as known per date (eligibility and reasons left null), in order."""
    rows = []
    for r in ROUTES:
        route = routes[r]
        low, typical, high = route.fixed
        unit_low, unit, unit_high = route.unit
        papers = (route.lead_time_days, route.documents, route.tests, route.unconfirmed)
        rows.append((r, None, None, typical, low, high, unit, unit_low, unit_high, *papers))
    return pl.DataFrame(rows, schema=_ROUTE_SCHEMA, orient="row").to_struct("pathways")


def _pathways(routes: dict[str, RouteAssessment]) -> pl.Expr:
    """The ``pathways`` list: the per-date entries with each row's eligibility and reasons."""
    width = len(ROUTES)
    entry = pl.int_range(0, pl.len() * width, dtype=pl.UInt32) % width
    eligible = pl.concat_arr([pl.col(ELIGIBLE.format(r)) for r in ROUTES]).reshape((-1,))
    reasons = pl.concat_arr([pl.col(_REASONS.format(r)) for r in ROUTES]).arr.explode()
    return (
        pl.lit(_entries(routes))
        .gather(entry)
        .struct.with_fields(eligible.alias("eligible"), reasons.alias("reasons"))
        .reshape((-1, width))
        .arr.to_list()
        .alias("pathways")
    )


#: The route fields a batch output keeps (``id=eligible``): ``verdicts.verdicts_only``.
VERDICTS = ("id", "eligible")


def _verdicts() -> pl.Expr:
    """The ``pathways`` list with only each route's ``VERDICTS`` (``id`` an Enum of routes)."""
    width = len(ROUTES)
    ids = pl.lit(pl.Series(list(ROUTES), dtype=pl.Enum(list(ROUTES))))
    entry = pl.int_range(0, pl.len() * width, dtype=pl.UInt32) % width
    eligible = pl.concat_arr([pl.col(ELIGIBLE.format(r)) for r in ROUTES]).reshape((-1,))
    return (
        pl.struct(ids.gather(entry).alias("id"), eligible.alias("eligible"))
        .reshape((-1, width))
        .arr.to_list()
        .alias("pathways")
    )


def _per_unit(route: RouteAssessment) -> pl.Expr:
    """Typical cost per unit at the row's volume; null unless the route is surely eligible."""
    fixed, unit = route.fixed[1], route.unit[1]
    if fixed is None or unit is None:
        return pl.lit(None, pl.Float64)
    cost = pl.lit(unit, pl.Float64) + pl.lit(fixed, pl.Float64) / pl.col("volume")
    surely = pl.col(ELIGIBLE.format(route.id)).fill_null(False) & (pl.col("volume") > 0)
    return pl.when(surely).then(cost).otherwise(pl.lit(None, pl.Float64))


def _choice() -> pl.Expr:
    """Which route is recommended, as its place in ``PROCEDURE_ORDER`` (null: none, or Japan-built).

    The cheapest per unit; the first cheapest in that order, so ties go to the lighter
    procedure.
    """
    per_unit = pl.concat_arr([pl.col(_PER_UNIT.format(r)) for r in PROCEDURE_ORDER])
    cheapest = per_unit.arr.arg_min()
    none = pl.lit(None, dtype=pl.UInt32)
    return pl.when(_domestic()).then(none).otherwise(cheapest).alias(_CHOICE)


def _chosen(values: Mapping[str, Any], dtype: pl.DataType) -> pl.Expr:
    """The per-date value (None: null) for the recommended route (null when there is none)."""
    ordered = pl.Series([values[r] for r in PROCEDURE_ORDER], dtype=dtype)
    return pl.lit(ordered).gather(pl.col(_CHOICE))


def _priced(routes: dict[str, RouteAssessment]) -> dict[str, tuple[int, int] | None]:
    """The typical fixed and unit costs of each route, None unless it has both."""
    return {
        r: (a.fixed[1], a.unit[1]) if a.fixed[1] is not None and a.unit[1] is not None else None
        for r, a in routes.items()
    }


def _share(routes: dict[str, RouteAssessment]) -> pl.Expr:
    """The recommended route's cost per unit in whole yen at the row's volume."""
    priced = _priced(routes)
    fixed = _chosen({r: p and p[0] for r, p in priced.items()}, pl.Int64())
    unit = _chosen({r: p and p[1] for r, p in priced.items()}, pl.Int64())
    volume = pl.col("volume")
    # The fixed cost's share per unit is rounded up to the yen, as the landed costs do.
    return ((fixed + volume - 1) // volume + unit).alias(_SHARE)


def _reason(routes: dict[str, RouteAssessment]) -> pl.Expr:
    """Why the recommended route was chosen, or why none was."""
    priced = _priced(routes)
    found = pl.concat_str(
        pl.col("recommended_pathway"),
        pl.lit(" is the cheapest eligible route at "),
        pl.col(VOLUME_TEXT),
        pl.lit(" units per type per year: ¥"),
        grouped(pl.col(_SHARE)),
        pl.lit(" per unit (fixed "),
        _chosen({r: p and yen_text(p[0]) for r, p in priced.items()}, pl.String()),
        pl.lit(" ÷ "),
        pl.col(VOLUME_TEXT),
        pl.lit(" + "),
        _chosen({r: p and yen_text(p[1]) for r, p in priced.items()}, pl.String()),
        pl.lit(" per unit)"),
    )
    return (
        pl.when(_domestic())
        .then(pl.lit(DOMESTIC_REASON))
        .when(pl.col("recommended_pathway").is_null())
        .then(_by_open_routes("no route is surely eligible with known costs"))
        .otherwise(pl.concat_str([found, _by_open_routes("")]))
        .alias("recommended_reason")
    )


def _open_routes() -> pl.Expr:
    """Which routes' eligibility is unknown, as a bit mask over ``ROUTES``."""
    bits = [
        pl.col(ELIGIBLE.format(r)).is_null().cast(pl.UInt32) * (1 << b)
        for b, r in enumerate(ROUTES)
    ]
    return pl.sum_horizontal(bits).alias(_OPEN)


def _by_open_routes(text: str) -> pl.Expr:
    """``text`` followed by the routes whose eligibility is unknown, if any."""
    texts = []
    for mask in range(2 ** len(ROUTES)):
        names = [r for b, r in enumerate(ROUTES) if mask & (1 << b)]
        texts.append(text + (f"; eligibility unknown for {', '.join(names)}" if names else ""))
    return pl.lit(pl.Series(texts, dtype=pl.String)).gather(pl.col(_OPEN))


def _build(ctx: StageContext, lean: bool = False) -> _Plan:
    """The stage's expressions for one date, in dependent steps.

    With ``lean`` (``verdicts.verdicts_only``), ``pathways`` holds only ``VERDICTS`` and the
    per-route reasons are not built.
    """
    routes = {r: ASSESSORS[r](ctx) for r in ROUTES}
    reasons = () if lean else tuple(routes[r].reasons.alias(_REASONS.format(r)) for r in ROUTES)
    steps = (
        (
            grouped(pl.col("volume")).alias(VOLUME_TEXT),
            *(routes[r].eligible.cast(pl.Boolean).alias(ELIGIBLE.format(r)) for r in ROUTES),
        ),
        (
            *reasons,
            *(_per_unit(routes[r]).alias(_PER_UNIT.format(r)) for r in ROUTES),
        ),
        (_verdicts() if lean else _pathways(routes), _choice(), _open_routes()),
        (
            _chosen({r: r for r in ROUTES}, pl.String()).alias("recommended_pathway"),
            _share(routes),
        ),
        (
            _reason(routes),
            _chosen({r: routes[r].fixed[1] for r in ROUTES}, pl.Int64()).alias(
                "pathway_fixed_cost_jpy"
            ),
            _chosen({r: routes[r].unit[1] for r in ROUTES}, pl.Int64()).alias(
                "pathway_unit_cost_jpy"
            ),
        ),
    )
    temps = (
        *(str(e.meta.output_name()) for step in steps[:2] for e in step),
        _CHOICE,
        _OPEN,
        _SHARE,
    )
    return _Plan(steps, temps)


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add ``pathways``, ``recommended_pathway``, ``recommended_reason`` and its two costs."""
    if verdicts.active():
        plan = ctx.memo(f"{NAME}|verdicts", lambda c: _build(c, lean=True))
    else:
        plan = ctx.memo(NAME, _build)
    have = set(frame.columns)
    added = [c for c in _STAGE_INPUTS if c not in have]
    lazy = frame.lazy()
    if added:
        lazy = lazy.with_columns(pl.lit(None, _STAGE_INPUTS[c]).alias(c) for c in added)
    for step in plan.steps:
        lazy = lazy.with_columns(step)
    return lazy.drop([*plan.temps, *added]).collect(engine="in-memory", optimizations=_QUICK)


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """``pathways`` (one object per route), ``recommended_pathway`` and its reason."""
    return {
        "pathways": [dict(p) for p in row.get("pathways") or []],
        "recommended_pathway": row.get("recommended_pathway"),
        "recommended_reason": row.get("recommended_reason"),
    }
