"""Each certification route assessed as Polars expressions: eligibility, reasons, costs, papers.

The four routes (DESIGN.md vocabulary) are the U.S.-made vehicle certification (2026-02-16),
the Preferential Handling Procedure (PHP), type designation and parallel import. Eligibility
is three-valued: true, false, or null when a fact is missing or no source settles it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl

from jpimport.errors import DataError
from jpimport.rules import ParameterValue, Range
from jpimport.stages.context import StageContext
from jpimport.stages.pathways_format import grouped

Triple = tuple[int | None, int | None, int | None]
NO_COST: Triple = (None, None, None)

#: How each route's unit cost is made up: one parameter, or the sum of several (parallel).
UNIT_COST_PARTS: dict[str, tuple[str, ...]] = {
    "us_certified": ("unit_cost_jpy",),
    "php": ("unit_cost_jpy",),
    "type_designation": ("unit_cost_jpy",),
    "parallel": ("registration_service_jpy", "emissions_test_jpy", "noise_test_jpy"),
}


@dataclass
class RouteAssessment:
    """One route for every row: eligibility and reasons as expressions, the rest per date."""

    id: str
    eligible: pl.Expr
    reasons: pl.Expr
    fixed: Triple = NO_COST
    unit: Triple = NO_COST
    lead_time_days: int | None = None
    documents: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)


class _Used:
    """The parameters one route consults, so the route can list those no source confirms."""

    def __init__(self, ctx: StageContext, route: str) -> None:
        self.ctx = ctx
        self.route = route
        self.unconfirmed: list[str] = []

    def find(self, leaf: str) -> ParameterValue | None:
        """``pathways.<route>.<leaf>`` in force on the as-of date, or None; traced."""
        name = f"pathways.{self.route}.{leaf}"
        if name not in self.ctx.rules:
            return None
        value = self.ctx.find(name)
        if value is not None and value.status == "unconfirmed" and name not in self.unconfirmed:
            self.unconfirmed.append(name)
        return value


def reasons_of(*items: tuple[pl.Expr, pl.Expr]) -> pl.Expr:
    """A list of the texts whose condition holds (null conditions add nothing)."""
    parts = [pl.when(cond).then(text).otherwise(pl.lit(None, pl.String)) for cond, text in items]
    return pl.concat_list(parts).list.drop_nulls()


def answer(value: ParameterValue | None, key: pl.Expr | None = None) -> pl.Expr:
    """A yes/no/unknown rule value (scalar, or table keyed by ``key``) as true/false/null."""
    if value is None:
        return pl.lit(None, pl.Boolean)
    entries = list(value.value.values()) if isinstance(value.value, Mapping) else [value.value]
    if any(entry not in ("yes", "no", "unknown") for entry in entries):
        raise DataError(f"{value.name}: every value must be yes, no or unknown")
    text = value.table_expr(key) if key is not None else pl.lit(value.value, pl.String)
    return pl.when(text == "yes").then(True).when(text == "no").then(False).otherwise(None)


def _triple(values: list[ParameterValue | None]) -> Triple:
    """The summed low/typical/high of range parameters; unknown if any is missing."""
    ranges = [v.value if v is not None else None for v in values]
    if not ranges or any(not isinstance(r, Range) for r in ranges):
        return NO_COST
    parts = [r for r in ranges if isinstance(r, Range)]
    return (
        int(sum(r.low for r in parts)),
        int(sum(r.typical for r in parts)),
        int(sum(r.high for r in parts)),
    )


def _texts(value: ParameterValue | None) -> list[str]:
    """The entries of a text table, in file order."""
    if value is None or not isinstance(value.value, Mapping):
        return []
    return [str(v) for v in value.value.values()]


def _common(used: _Used, assessment: RouteAssessment) -> RouteAssessment:
    """Fill in the per-date facts every route has: costs, lead time, documents, tests."""
    assessment.fixed = _triple([used.find("fixed_cost_jpy")])
    assessment.unit = _triple([used.find(p) for p in UNIT_COST_PARTS[used.route]])
    lead = used.find("lead_time_days")
    assessment.lead_time_days = (
        lead.value if lead is not None and isinstance(lead.value, int) else None
    )
    assessment.documents = _texts(used.find("documents"))
    assessment.tests = _texts(used.find("tests"))
    assessment.unconfirmed = used.unconfirmed
    return assessment


def _importer_reasons(
    route_name: str, covered: pl.Expr, known: bool
) -> tuple[tuple[pl.Expr, pl.Expr], ...]:
    """Why the importer kind does or does not qualify (or is unknown) for a route."""
    importer = pl.col("importer")
    if not known:
        text = f"who may use {route_name} is not recorded for this date"
        return ((pl.lit(True), pl.lit(text)),)
    return (
        (importer.is_null(), pl.lit("importer kind unknown (importer missing)")),
        (covered.eq(False), pl.format("{} imports cannot use " + route_name, importer)),
        (
            covered.is_null() & importer.is_not_null(),
            pl.format(
                "UNCONFIRMED whether an importer of kind '{}' can use " + route_name, importer
            ),
        ),
    )


def us_certified(ctx: StageContext) -> RouteAssessment:
    """The 2026 certification of U.S.-built, U.S.-certified vehicles imported by makers."""
    used = _Used(ctx, "us_certified")
    in_force = used.find("in_force")
    if in_force is None or in_force.value is not True:
        windows = ctx.rules.parameter("pathways.us_certified.in_force").windows
        later = [w.start for w in windows if w.start > ctx.as_of]
        text = f"not in force until {later[0].isoformat()}" if later else "not in force"
        return _common(
            used,
            RouteAssessment(
                "us_certified", pl.lit(False), pl.lit([text], dtype=pl.List(pl.String))
            ),
        )
    plant = pl.col("plant_country")
    built_us = plant == "US"
    importers = used.find("importers")
    importer = answer(importers, pl.col("importer"))
    pickup = pl.col("body") == "pickup"
    pickups = answer(used.find("covers_pickups"))
    pickup_ok = pl.when(pickup).then(pickups).otherwise(pickup.not_())
    cargo = pl.col("use") == "cargo"
    cargo_answer = answer(used.find("covers_cargo_registration"))
    cargo_ok = pl.when(cargo).then(cargo_answer).otherwise(cargo.not_())
    eligible = built_us & importer & pickup_ok & cargo_ok
    reasons = reasons_of(
        (plant.is_null(), pl.lit("plant country unknown (plant_country missing)")),
        (built_us.not_(), pl.format("built in {}, not in the U.S.", plant)),
        *_importer_reasons("the U.S.-made vehicle certification", importer, importers is not None),
        (pl.col("body").is_null(), pl.lit("body unknown (body missing): pickups are unconfirmed")),
        (
            pickup & pickups.is_not_null(),
            pl.lit("pickup: the scope says 乗用車等; Toyota plans the Tundra (UNCONFIRMED)"),
        ),
        (pickup & pickups.is_null(), pl.lit("UNCONFIRMED whether the route covers pickups")),
        (cargo.is_null(), pl.lit("registration use unknown (use missing)")),
        (
            cargo & cargo_answer.is_null(),
            pl.lit("UNCONFIRMED whether the route covers cargo (1-number) registration"),
        ),
        (cargo & cargo_answer.eq(False), pl.lit("the route does not cover cargo registration")),
        (
            eligible.is_null() | eligible,
            pl.lit("assumes the vehicle carries its U.S. safety and emissions certification"),
        ),
        (
            eligible,
            pl.lit("documents-only review of U.S. test results per model; rear star mark"),
        ),
    )
    return _common(used, RouteAssessment("us_certified", eligible, reasons))


def php(ctx: StageContext) -> RouteAssessment:
    """The Preferential Handling Procedure: at most the annual cap of units per type."""
    used = _Used(ctx, "php")
    importers = used.find("importers")
    importer = answer(importers, pl.col("importer"))
    cap = ctx.find("pathways.php.annual_cap_units")
    volume = pl.col("volume")
    if cap is None:
        within: pl.Expr = pl.lit(None, pl.Boolean)
        cap_reasons: tuple[tuple[pl.Expr, pl.Expr], ...] = (
            (pl.lit(True), pl.lit(f"PHP annual cap unknown on {ctx.as_of.isoformat()}")),
        )
    else:
        if cap.status == "unconfirmed":
            used.unconfirmed.append(cap.name)
        limit = pl.lit(cap.value, pl.Int64)
        since = cap.start.isoformat()
        within = volume <= limit
        cap_text = f" units per type per year (in force since {since})"
        cap_reasons = (
            (volume.is_null(), pl.lit("planned volume unknown (volume missing)")),
            (
                within.not_(),
                pl.format(
                    "planned volume {} exceeds the PHP cap of {}" + cap_text,
                    grouped(volume),
                    grouped(limit),
                ),
            ),
            (
                within,
                pl.format(
                    "planned volume {} is within the PHP cap of {}" + cap_text,
                    grouped(volume),
                    grouped(limit),
                ),
            ),
        )
    eligible = importer & within
    reasons = reasons_of(
        *_importer_reasons("PHP", importer, importers is not None),
        *cap_reasons,
        (
            eligible,
            pl.lit("test data reviewed on paper; each vehicle presented at its new inspection"),
        ),
    )
    return _common(used, RouteAssessment("php", eligible, reasons))


def type_designation(ctx: StageContext) -> RouteAssessment:
    """Full type approval: sample vehicle, quality audit; no per-vehicle presentation."""
    used = _Used(ctx, "type_designation")
    importers = used.find("importers")
    importer = answer(importers, pl.col("importer"))
    reasons = reasons_of(
        *_importer_reasons("type designation", importer, importers is not None),
        (importer, pl.lit("full type approval: sample vehicle examined and quality-control audit")),
    )
    return _common(used, RouteAssessment("type_designation", importer, reasons))


def parallel(ctx: StageContext) -> RouteAssessment:
    """Parallel (individual) import: each vehicle notified, tested and inspected on its own."""
    used = _Used(ctx, "parallel")
    importers = used.find("importers")
    importer = answer(importers, pl.col("importer"))
    reasons = reasons_of(
        *_importer_reasons("parallel import", importer, importers is not None),
        (
            importer,
            pl.lit("vehicle by vehicle: NALTEC notice, emissions and noise tests, pre-inspection"),
        ),
    )
    return _common(used, RouteAssessment("parallel", importer, reasons))


ASSESSORS: dict[str, Callable[[StageContext], RouteAssessment]] = {
    "us_certified": us_certified,
    "php": php,
    "type_designation": type_designation,
    "parallel": parallel,
}
