"""Each certification route assessed as Polars expressions: eligibility, reasons, costs, papers.

The four routes (DESIGN.md vocabulary) are the U.S.-made vehicle certification (2026-02-16),
the Preferential Handling Procedure (PHP), type designation and parallel import. Eligibility
is three-valued: true, false, or null when a fact is missing or no source settles it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jpimport.errors import DataError
from jpimport.rules import ParameterValue, Range
from jpimport.stages.context import StageContext
from jpimport.stages.pathways_format import grouped_text

#: The planned volume as grouped text, a column the pathways stage adds before the routes.
VOLUME_TEXT = "__volume_text"
#: Each route's eligibility, a column the pathways stage adds before the reasons (which read it).
ELIGIBLE = "__eligible_{}"

Triple = tuple[int | None, int | None, int | None]
NO_COST: Triple = (None, None, None)

#: The columns of the recommended route's costs (``pathways.run``).
FIXED_COST, UNIT_COST = "pathway_fixed_cost_jpy", "pathway_unit_cost_jpy"

#: How each route's unit cost is made up: one parameter, or the sum of several (parallel).
UNIT_COST_PARTS: dict[str, tuple[str, ...]] = {
    "us_certified": ("unit_cost_jpy",),
    "php": ("unit_cost_jpy",),
    "type_designation": ("unit_cost_jpy",),
    "parallel": ("registration_service_jpy", "emissions_test_jpy", "noise_test_jpy"),
}


@dataclass
class RouteAssessment:
    """One route for every row: eligibility and reasons as expressions, the rest per date.

    ``reasons`` may read the route's eligibility as the column ``ELIGIBLE.format(id)``.
    """

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


#: A reason: its condition and its text (a plain string, or an expression over the row); or a
#: segment: an expression giving several reasons at once, each text after ``SEPARATOR`` (null
#: for none).
Reason = tuple[pl.Expr, str | pl.Expr] | pl.Expr
#: Joins a row's reasons before splitting them into a list: a control character no reason has.
SEPARATOR = "\x1f"


def reasons_of(*items: Reason) -> pl.Expr:
    """A list of the texts whose condition holds (null conditions add nothing), in order."""
    parts = []
    for item in items:
        if isinstance(item, pl.Expr):
            parts.append(item)
            continue
        cond, text = item
        shown = pl.lit(SEPARATOR + text) if isinstance(text, str) else pl.lit(SEPARATOR) + text
        parts.append(pl.when(cond).then(shown))
    # Joining (each text after a separator) then splitting is several times faster in Polars
    # than gathering the parts into a list and dropping the nulls; the split's first item is
    # the empty text before the first separator.
    joined = pl.concat_str(parts, ignore_nulls=True)
    return joined.str.split(SEPARATOR).list.slice(1)


_TRUTH: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}


def _checked(value: ParameterValue) -> ParameterValue:
    """``value`` after checking every entry is yes, no or unknown (DataError if not)."""
    entries = list(value.value.values()) if isinstance(value.value, Mapping) else [value.value]
    if any(entry not in _TRUTH for entry in entries):
        raise DataError(f"{value.name}: every value must be yes, no or unknown")
    return value


def known(value: ParameterValue | None) -> bool | None:
    """A scalar yes/no/unknown rule value as true/false/None (None also when not in force)."""
    return None if value is None else _TRUTH[str(_checked(value).value)]


def answer(value: ParameterValue | None, key: pl.Expr | None = None) -> pl.Expr:
    """A yes/no/unknown rule value (scalar, or table keyed by ``key``) as true/false/null."""
    if value is None or key is None:
        return pl.lit(known(value), pl.Boolean)
    table = _checked(value).value
    assert isinstance(table, Mapping)
    values = pl.Series([_TRUTH[str(v)] for v in table.values()], dtype=pl.Boolean)
    keys = list(table)
    return key.replace_strict(keys, values, default=None, return_dtype=pl.Boolean)


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
    # attributed per route: the explanation of a row's route cost reads its route's entry
    with used.ctx.amount(f"{FIXED_COST}@{used.route}"):
        assessment.fixed = _triple([used.find("fixed_cost_jpy")])
    with used.ctx.amount(f"{UNIT_COST}@{used.route}"):
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
    route_name: str, importers: ParameterValue | None, covered: str | None = None
) -> pl.Expr:
    """Why the importer kind does or does not qualify (or is unknown) for a route: a segment.

    ``covered`` is the reason shown when the importer kind qualifies, if any.
    """
    if importers is None:
        return pl.lit(SEPARATOR + f"who may use {route_name} is not recorded for this date")
    assert isinstance(importers.value, Mapping)
    texts: dict[Any, str | None] = {None: "importer kind unknown (importer missing)"}
    for kind, entry in importers.value.items():
        texts[kind] = {
            "yes": covered,
            "no": f"{kind} imports cannot use {route_name}",
        }.get(str(entry), f"UNCONFIRMED whether an importer of kind '{kind}' can use {route_name}")
    other = pl.format(
        SEPARATOR + "UNCONFIRMED whether an importer of kind '{}' can use " + route_name,
        pl.col("importer"),
    )
    shown = [None if t is None else SEPARATOR + t for t in texts.values()]
    return pl.col("importer").replace_strict(
        list(texts), shown, default=other, return_dtype=pl.String
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
    pickups = known(used.find("covers_pickups"))
    pickup_ok = pl.when(pickup).then(pl.lit(pickups, pl.Boolean)).otherwise(pickup.not_())
    cargo = pl.col("use") == "cargo"
    cargo_answer = known(used.find("covers_cargo_registration"))
    cargo_ok = pl.when(cargo).then(pl.lit(cargo_answer, pl.Boolean)).otherwise(cargo.not_())
    eligible = built_us & importer & pickup_ok & cargo_ok
    decided = pl.col(ELIGIBLE.format("us_certified"))
    pickup_text = (
        "UNCONFIRMED whether the route covers pickups"
        if pickups is None
        else "pickup: the scope says 乗用車等; Toyota plans the Tundra (UNCONFIRMED)"
    )
    cargo_text = {
        None: "UNCONFIRMED whether the route covers cargo (1-number) registration",
        False: "the route does not cover cargo registration",
    }.get(cargo_answer)
    reasons = reasons_of(
        (plant.is_null(), "plant country unknown (plant_country missing)"),
        (built_us.not_(), pl.format("built in {}, not in the U.S.", plant)),
        _importer_reasons("the U.S.-made vehicle certification", importers),
        (pl.col("body").is_null(), "body unknown (body missing): pickups are unconfirmed"),
        (pickup, pickup_text),
        (cargo.is_null(), "registration use unknown (use missing)"),
        *(((cargo, cargo_text),) if cargo_text is not None else ()),
        (
            decided.fill_null(True),
            "assumes the vehicle carries its U.S. safety and emissions certification",
        ),
        (decided, "documents-only review of U.S. test results per model; rear star mark"),
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
        cap_reasons: tuple[Reason, ...] = (
            (pl.lit(True), f"PHP annual cap unknown on {ctx.as_of.isoformat()}"),
        )
    else:
        if cap.status == "unconfirmed":
            used.unconfirmed.append(cap.name)
        limit = pl.lit(cap.value, pl.Int64)
        since = cap.start.isoformat()
        within = volume <= limit
        cap_text = f" units per type per year (in force since {since})"
        assert isinstance(cap.value, int | float), "the PHP cap is a number of units"
        limit_text = grouped_text(int(cap.value))
        cap_reasons = (
            (volume.is_null(), "planned volume unknown (volume missing)"),
            (
                within.not_(),
                pl.format(
                    "planned volume {} exceeds the PHP cap of " + limit_text + cap_text,
                    pl.col(VOLUME_TEXT),
                ),
            ),
            (
                within,
                pl.format(
                    "planned volume {} is within the PHP cap of " + limit_text + cap_text,
                    pl.col(VOLUME_TEXT),
                ),
            ),
        )
    eligible = importer & within
    reasons = reasons_of(
        _importer_reasons("PHP", importers),
        *cap_reasons,
        (
            pl.col(ELIGIBLE.format("php")),
            "test data reviewed on paper; each vehicle presented at its new inspection",
        ),
    )
    return _common(used, RouteAssessment("php", eligible, reasons))


def type_designation(ctx: StageContext) -> RouteAssessment:
    """Full type approval: sample vehicle, quality audit; no per-vehicle presentation."""
    used = _Used(ctx, "type_designation")
    importers = used.find("importers")
    importer = answer(importers, pl.col("importer"))
    covered = "full type approval: sample vehicle examined and quality-control audit"
    reasons = reasons_of(_importer_reasons("type designation", importers, covered))
    return _common(used, RouteAssessment("type_designation", importer, reasons))


def parallel(ctx: StageContext) -> RouteAssessment:
    """Parallel (individual) import: each vehicle notified, tested and inspected on its own."""
    used = _Used(ctx, "parallel")
    importers = used.find("importers")
    importer = answer(importers, pl.col("importer"))
    covered = "vehicle by vehicle: NALTEC notice, emissions and noise tests, pre-inspection"
    reasons = reasons_of(_importer_reasons("parallel import", importers, covered))
    return _common(used, RouteAssessment("parallel", importer, reasons))


ASSESSORS: dict[str, Callable[[StageContext], RouteAssessment]] = {
    "us_certified": us_certified,
    "php": php,
    "type_designation": type_designation,
    "parallel": parallel,
}
