"""Compliance entries as Polars expressions: scope, window and failure give one finding per route.

A finding's outcome is decided in this order: the rule does not cover the vehicle (pass), it
cannot tell whether it does (unknown), the rule's window excludes the vehicle (pass) or cannot
be judged (unknown), the requirement is met (pass) or a fact is missing (unknown), else the
route's outcome for a failure (modify, advisory, block, pass when deemed met, or unknown).

Which date is compared with a window. On routes that approve the type in Japan
(us_certified, php, type_designation) the type is new on the as-of date, so a rule applies
from its new-model date, or to any vehicle made from its continuing-production date. A
parallel import has no approved type, so its manufacture date is compared with the
continuing-production date. NALTEC's 審査事務規程 4-5 takes, for a vehicle that is not type
designated, the date of its first inspection application unless a document (a maker's
certificate, for imports the customs certificate) shows an earlier date, the oldest applying
(https://www.team-ash.jp/sinjimukitei_4-5.html, transcription; the import clause is cut off
there). jpimport uses the vehicle's ``manufacture_date`` (the month on its U.S. certification
label) and, without it, the start of its model year (parameter
``compliance.model_year_start_offset_months``), flagged as estimated; an estimated date only
excludes a vehicle when the whole model year ends before the window. That new types follow
the new-model date and parallel imports the continuing-production date is jpimport's reading
of the 適用関係告示, which was not read in full: UNCONFIRMED.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from polars.expr.whenthen import ChainedThen, Then

from jpimport.rules import Range
from jpimport.rules.compliance import (
    AllOf,
    Always,
    AnyOf,
    Compare,
    ComplianceRule,
    Condition,
    Not,
    ParamRef,
    Window,
    column_kind,
    columns_of,
)
from jpimport.stages.context import StageContext

#: Routes on which the vehicle's type is approved in Japan on the as-of date (a new type).
APPROVING_ROUTES: frozenset[str] = frozenset({"us_certified", "php", "type_designation"})
COMPARED = "__compared_date"
LATEST = "__compared_latest"
ESTIMATED = "__compared_estimated"
DATE_COLUMNS: tuple[str, ...] = ("manufacture_date", "model_year")

_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "month": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
}
_STATUS_RANK = {"confirmed": 0, "estimate": 1, "unconfirmed": 2}
_COSTED = ("modify", "advisory", "unknown")


@dataclass(frozen=True)
class Step:
    """One stage of the decision: when ``when`` holds, the finding is settled here."""

    when: pl.Expr
    outcome: str
    reason: pl.Expr
    missing: pl.Expr


def column(name: str, present: frozenset[str]) -> pl.Expr:
    """A column the frame has, or a typed null standing for an attribute nobody supplied."""
    if name in present:
        return pl.col(name)
    return pl.lit(None, _DTYPES[column_kind(name) or "str"])


def condition(cond: Condition, present: frozenset[str], ctx: StageContext) -> pl.Expr:
    """A three-valued Boolean expression: null when the columns it needs are null."""
    if isinstance(cond, Always):
        return pl.lit(True)
    if isinstance(cond, AllOf):
        return functools.reduce(operator.and_, (condition(c, present, ctx) for c in cond.items))
    if isinstance(cond, AnyOf):
        return functools.reduce(operator.or_, (condition(c, present, ctx) for c in cond.items))
    if isinstance(cond, Not):
        return condition(cond.item, present, ctx).not_()
    return _compare(cond, present, ctx)


def _compare(cond: Compare, present: frozenset[str], ctx: StageContext) -> pl.Expr:
    """``column <op> value`` with nulls kept as nulls."""
    col = column(cond.column, present)
    value = ctx.scalar(cond.value.name) if isinstance(cond.value, ParamRef) else cond.value
    if cond.op in ("in", "not_in"):
        listed = pl.when(col.is_null()).then(None).otherwise(col.is_in(list(value)))  # type: ignore[arg-type]
        return listed if cond.op == "in" else listed.not_()
    ops = {
        "is": operator.eq,
        "is_not": operator.ne,
        "above": operator.gt,
        "at_least": operator.ge,
        "below": operator.lt,
        "at_most": operator.le,
    }
    result: pl.Expr = ops[cond.op](col, pl.lit(value))
    return result


def missing(names: Sequence[str], present: frozenset[str]) -> pl.Expr:
    """The names among ``names`` whose values are null, where a condition on them was null.

    A condition on one column is null only when that column is, so its list is a constant.
    """
    if len(names) <= 1:
        return _fixed_list(names)
    parts = [
        pl.when(column(n, present).is_null()).then(pl.lit(n)).otherwise(pl.lit(None, pl.String))
        for n in names
    ]
    return pl.concat_list(parts).list.drop_nulls()


def _fixed_list(names: Sequence[str]) -> pl.Expr:
    """A literal list of strings."""
    return pl.lit(list(names), dtype=pl.List(pl.String))


def window_applies(window: Window, route: str, ctx: StageContext) -> pl.Expr:
    """Whether the rule's window covers the vehicle on this route (null: date unknown)."""
    if window.compare == "registration":
        assert window.registered_from is not None
        return pl.lit(ctx.as_of >= window.registered_from)
    assert window.continuing_from is not None and window.new_models_from is not None
    since = pl.lit(window.continuing_from)
    # An estimated date only settles the question when the whole model year lies on one side.
    made_after = (
        pl.when(pl.col(COMPARED) >= since)
        .then(True)
        .when(pl.col(LATEST) < since)
        .then(False)
        .otherwise(pl.lit(None, pl.Boolean))
    )
    if route in APPROVING_ROUTES:
        return pl.lit(ctx.as_of >= window.new_models_from) | made_after
    return made_after


def _window_reason(window: Window, route: str) -> pl.Expr:
    """Why the window leaves the vehicle out."""
    if window.compare == "registration":
        assert window.registered_from is not None
        return pl.lit(
            f"not required: applies to vehicles first registered from {window.registered_from}"
        )
    assert window.continuing_from is not None and window.new_models_from is not None
    new = "" if route not in APPROVING_ROUTES else f"new types from {window.new_models_from}, "
    estimated = pl.when(pl.col(ESTIMATED)).then(pl.lit(" (estimated from the model year)"))
    return pl.format(
        "not required: applies to " + new + "vehicles made from {}; compared date {}{}",
        pl.lit(window.continuing_from),
        pl.col(COMPARED),
        estimated.otherwise(pl.lit("")),
    )


def steps(
    rule: ComplianceRule, route: str, present: frozenset[str], ctx: StageContext
) -> list[Step]:
    """The decision steps before the route's own outcome for a failure, in order."""
    none = _fixed_list(())
    out: list[Step] = []
    if rule.applies_to is not None:
        scope = condition(rule.applies_to.when, present, ctx)
        text = rule.applies_to.text
        scope_missing = missing(columns_of(rule.applies_to.when), present)
        out.append(
            Step(scope.not_(), "pass", pl.lit(f"not required: applies only to {text}"), none)
        )
        unknown = pl.format(
            "unknown whether it applies ({}): needs {}", pl.lit(text), scope_missing.list.join(", ")
        )
        out.append(Step(scope.is_null(), "unknown", unknown, scope_missing))
    if rule.window is not None:
        applies = window_applies(rule.window, route, ctx)
        out.append(Step(applies.not_(), "pass", _window_reason(rule.window, route), none))
        out.append(Step(applies.is_null(), "unknown", _date_unknown(rule.window), _date_missing()))
    fails = condition(rule.fails_when, present, ctx)
    passed = rule.pass_reason or f"meets: {rule.title_en}"
    out.append(Step(fails.not_(), "pass", pl.lit(passed), none))
    fail_columns = columns_of(rule.fails_when)
    fail_missing = missing(fail_columns, present)
    if len(fail_columns) == 1:
        unknown = pl.lit(f"unknown: needs {fail_columns[0]}")
    else:
        unknown = pl.format("unknown: needs {}", fail_missing.list.join(", "))
    out.append(Step(fails.is_null(), "unknown", unknown, fail_missing))
    return out


def _date_unknown(window: Window) -> pl.Expr:
    """Why the window cannot be judged: no date at all, or a model year spanning the date."""
    since = window.continuing_from
    spans = pl.format(
        "unknown whether it applies: model year {} may be built before or after {}; "
        "needs manufacture_date",
        pl.col("model_year"),
        pl.lit(since),
    )
    none = pl.lit("unknown whether it applies: manufacture date and model year unknown")
    return pl.when(pl.col("model_year").is_null()).then(none).otherwise(spans)


def _date_missing() -> pl.Expr:
    """The date columns whose absence leaves the window undecided."""
    both = _fixed_list(DATE_COLUMNS)
    return (
        pl.when(pl.col("model_year").is_null()).then(both).otherwise(_fixed_list(DATE_COLUMNS[:1]))
    )


def finding(
    rule: ComplianceRule, route: str, present: frozenset[str], ctx: StageContext
) -> pl.Expr:
    """One finding (a struct) for every row: this rule on this route."""
    spec = rule.routes[route]
    defaults = {
        "modify": f"does not meet: {rule.title_en}",
        "advisory": f"advisory: {rule.title_en}",
        "block": f"cannot be registered as built: {rule.title_en}",
        "pass": f"deemed met: {rule.title_en}",
        "unknown": f"unknown: {rule.title_en}",
    }
    final = Step(
        pl.lit(True),
        spec.on_fail,
        pl.lit(spec.reason or defaults[spec.on_fail]),
        _fixed_list(spec.missing),
    )
    decided = steps(rule, route, present, ctx)
    if spec.on_fail == "pass":  # deemed met: missing facts cannot change the outcome
        decided = [s for s in decided if s.outcome != "unknown"]
    chain = [*decided, final]
    outcome = _chain([(s.when, pl.lit(s.outcome)) for s in chain], pl.String())
    reason = _chain([(s.when, s.reason) for s in chain], pl.String())
    lacking = _chain([(s.when, s.missing) for s in chain], pl.List(pl.String()))
    costed = outcome.is_in(_COSTED)
    low, typical, high = _cost(spec.cost, ctx)
    modification = pl.when(costed).then(pl.lit(spec.modification, pl.String))
    return pl.struct(
        pl.lit(rule.id).alias("rule"),
        pl.lit(rule.title_en).alias("title_en"),
        pl.lit(rule.title_ja).alias("title_ja"),
        outcome.alias("outcome"),
        pl.lit(route).alias("pathway"),
        reason.alias("reason"),
        modification.alias("modification"),
        pl.when(costed).then(pl.lit(low, pl.Int64)).alias("cost_low_jpy"),
        pl.when(costed).then(pl.lit(typical, pl.Int64)).alias("cost_typical_jpy"),
        pl.when(costed).then(pl.lit(high, pl.Int64)).alias("cost_high_jpy"),
        lacking.alias("missing"),
        _compared(rule, ctx).alias("compared_date"),
        _estimated(rule).alias("compared_date_estimated"),
        pl.lit(status_of(rule)).alias("status"),
        pl.struct(
            pl.lit(rule.citation.title).alias("title"),
            pl.lit(rule.citation.url).alias("url"),
            pl.lit(rule.citation.article, pl.String).alias("article"),
        ).alias("citation"),
    )


def status_of(rule: ComplianceRule) -> str:
    """The weaker of the entry's status and its window's."""
    statuses = [rule.status] + ([rule.window.status] if rule.window and rule.window.status else [])
    return max(statuses, key=lambda s: _STATUS_RANK[s])


def _chain(pairs: list[tuple[pl.Expr, pl.Expr]], dtype: pl.DataType) -> pl.Expr:
    """``when(c1).then(v1).when(c2).then(v2)…`` typed as ``dtype``."""
    first, *rest = pairs
    chain: Then | ChainedThen = pl.when(first[0]).then(first[1])
    for when, then in rest:
        chain = chain.when(when).then(then)
    return chain.otherwise(pl.lit(None, dtype)).cast(dtype)


def _cost(name: str | None, ctx: StageContext) -> tuple[int | None, int | None, int | None]:
    """The low/typical/high cost of a change in force on the as-of date (None if none)."""
    if name is None:
        return (None, None, None)
    value = ctx.find(name)
    if value is None or not isinstance(value.value, Range):
        return (None, None, None)
    r = value.value
    return (int(r.low), int(r.typical), int(r.high))


def _compared(rule: ComplianceRule, ctx: StageContext) -> pl.Expr:
    """The date compared with the rule's window (null when it has none)."""
    if rule.window is None:
        return pl.lit(None, pl.Date)
    if rule.window.compare == "registration":
        return pl.lit(ctx.as_of, pl.Date)
    return pl.col(COMPARED)


def _estimated(rule: ComplianceRule) -> pl.Expr:
    """Whether the compared date was estimated from the model year."""
    if rule.window is None or rule.window.compare == "registration":
        return pl.lit(None, pl.Boolean) if rule.window is None else pl.lit(False)
    return pl.col(ESTIMATED)
