"""Stage ``compliance``: every compliance entry evaluated for every vehicle and route.

Findings (one per entry and route) go into the ``findings`` list column; the modifications of
the recommended route are totalled, a ``block`` on that route sets ``blocked``, and the drive
side is described by ``drive_side``. Columns and JSON keys: docs/stages.md.

How it runs fast. Per date, once (``ctx.memo``): every rule's questions become integer codes
per row (``compliance_eval``), and every possible set of codes is decided in Python into a
small table of findings. Per row, Polars computes the codes, looks up each finding's table row
(an integer per rule and route) and gathers the findings' fields from the table; only reasons
that quote the row's dates are text built per row.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.rules.compliance import (
    ROUTES,
    AllOf,
    Always,
    AnyOf,
    Compare,
    ComplianceRule,
    Condition,
    Not,
    bundled_entries,
    columns_of,
)
from jpimport.stages import drive_side, verdicts
from jpimport.stages.compliance_eval import (
    COMPARED,
    COSTED,
    DATE_COLUMNS,
    ESTIMATED,
    ESTIMATED_NOTE,
    LATEST,
    Decision,
    Question,
    Template,
    column_codes,
    compared_kind,
    condition_question,
    condition_table,
    cost_of,
    covers,
    decide,
    dtype_of_column,
    status_of,
    window_code,
    window_question,
)
from jpimport.stages.context import StageContext

NAME = "compliance"

#: How the stage's plan is collected. Its steps are already minimal, so Polars' optimiser
#: passes only add planning time (most of a one-row assessment); common-subexpression
#: elimination would also try to hoist the per-finding (longer) columns, which Polars cannot.
_QUICK = pl.QueryOptFlags.none()

_TOTALS = (
    "modification_count",
    "modifications_low_jpy",
    "modifications_jpy",
    "modifications_high_jpy",
    "blocked",
)
_PARTS = ("low", "typical", "high")
_CODE = "__ccode_{}"
_CONDITION_TYPES = (Compare, AllOf, AnyOf, Not, Always)
_CONDITIONS = "__cconditions"
_WINDOWS = "__cwindows"
_DYNAMIC = "__cdynamic"
_DATE_TEXT = "__cdate_text"
_YEAR_TEXT = "__cyear_text"
_RECOMMENDED = "__crecommended"
_FOUND = "__cfound"
_ON_ROUTE = "__con_route"

#: The fields of a finding, in the order of the ``findings`` structs.
_FINDING_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "outcome": pl.String(),
    "pathway": pl.String(),
    "reason": pl.String(),
    "modification": pl.String(),
    "cost_low_jpy": pl.Int64(),
    "cost_typical_jpy": pl.Int64(),
    "cost_high_jpy": pl.Int64(),
    "missing": pl.List(pl.String()),
    "compared_date": pl.Date(),
    "compared_date_estimated": pl.Boolean(),
}
#: The fields of a finding that are the rule's own (the same on every row): added by
#: ``to_json`` from the bundled entry, kept out of the frame (they were most of its bytes).
_RULE_FIELDS = ("title_en", "title_ja", "status", "citation")
#: A finding's keys in the JSON document, in order.
_JSON_ORDER = (
    "rule",
    "title_en",
    "title_ja",
    *(name for name in _FINDING_SCHEMA if name != "rule"),
    "status",
    "citation",
)
#: Per distinct finding, beside its fields: how to fill in the row's reason and date, and what
#: it adds to the recommended route's totals.
_EXTRA_SCHEMA: dict[str, pl.DataType] = {
    "reason_base": pl.UInt32(),
    "reason_step": pl.UInt32(),
    "date_base": pl.UInt32(),
    "date_step": pl.UInt32(),
    "modify": pl.Boolean(),
    "unpriced": pl.Boolean(),
    "block": pl.Boolean(),
    "modify_low": pl.Int64(),
    "modify_typical": pl.Int64(),
    "modify_high": pl.Int64(),
}


@dataclass(frozen=True)
class _Plan:
    """What the stage runs for one date: input columns, expression steps, temporary columns.

    ``inputs`` are the columns read, each with the typed null standing for it when missing.
    """

    inputs: dict[str, pl.Expr]
    steps: tuple[tuple[pl.Expr, ...], ...]
    temps: tuple[str, ...]


class _Table:
    """Distinct findings numbered in first-seen order, and the reason templates they use.

    A finding's reason, compared date and its estimate flag are left null here: they are
    filled in per row (the reason from a template when it quotes the row).
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[tuple[Any, ...], tuple[Any, ...]], int] = {}
        self.templates: dict[Template, int] = {}
        self._numbers: dict[tuple[str, str, Decision], int] = {}

    def add(
        self,
        rule: ComplianceRule,
        route: str,
        decision: Decision,
        costs: tuple[int | None, int | None, int | None],
    ) -> int:
        """The number of this finding's row (added when new)."""
        key = (rule.id, route, decision)
        if key not in self._numbers:
            self._numbers[key] = self._number(rule, route, decision, costs)
        return self._numbers[key]

    def _number(
        self,
        rule: ComplianceRule,
        route: str,
        decision: Decision,
        costs: tuple[int | None, int | None, int | None],
    ) -> int:
        """The number of the row holding this finding's fields (added when new)."""
        reason: str | None = None
        template = 0
        if isinstance(decision.reason, Template):
            template = self.templates.setdefault(decision.reason, len(self.templates) + 1)
        else:
            reason = decision.reason
        costed = decision.outcome in COSTED
        shown = costs if costed else (None, None, None)
        modify = decision.outcome == "modify"
        fields = (
            *(rule.id, decision.outcome, route, reason),
            rule.routes[route].modification if costed else None,
            *shown,
            decision.missing,
            *(None, None),
        )
        kind = compared_kind(rule)
        extra = (
            *(template, kind, kind // 2, modify, modify and None in shown),
            *(decision.outcome == "block", *((c or 0) if modify else 0 for c in shown)),
        )
        return self.rows.setdefault((fields, extra), len(self.rows))

    @functools.cached_property
    def findings(self) -> pl.Series:
        """The findings' fields as structs, one per table row (once every row is added)."""
        rows = [f for f, _ in self.rows]
        return pl.DataFrame(rows, schema=_FINDING_SCHEMA, orient="row").to_struct("findings")

    @functools.cached_property
    def _extras(self) -> pl.DataFrame:
        """The per-finding columns of ``_EXTRA_SCHEMA`` (once every row is added)."""
        rows = [self._resolved(n, e) for n, (_, e) in enumerate(self.rows)]
        return pl.DataFrame(rows, schema=_EXTRA_SCHEMA, orient="row")

    def extra(self, name: str) -> pl.Series:
        """One of the per-finding columns of ``_EXTRA_SCHEMA``."""
        return self._extras.get_column(name)

    def _resolved(self, number: int, extra: tuple[Any, ...]) -> tuple[Any, ...]:
        """A row's extra values with its reason template turned into a base and a row step."""
        template, *rest = extra
        if template == 0:
            return (number, 0, *rest)
        return (len(self.rows) + template - 1, len(self.templates), *rest)


def _trace(rule: ComplianceRule, ctx: StageContext) -> None:
    """Record the entry in the assessment trace, like a parameter."""
    window = rule.window
    start = None
    if window is not None:
        start = window.registered_from or window.new_models_from
    ctx.used.setdefault(
        f"compliance.{rule.id}",
        {
            "name": f"compliance.{rule.id}",
            "value": {"reads": list(rule.reads), "title_ja": rule.title_ja},
            "unit": "rule",
            "start": start.isoformat() if isinstance(start, dt.date) else None,
            "end": None,
            "citation": rule.citation.to_dict(),
            "source_kind": rule.source_kind,
            "status": status_of(rule),
            "note": None if window is None else window.note,
        },
    )


def _compared_date(ctx: StageContext) -> list[pl.Expr]:
    """The date compared with rule windows: the manufacture month, else the model year's start.

    With only a model year, the year's last day is kept too: a window excludes the vehicle
    only when the whole model year ends before it (an estimate never gives a false pass).
    """
    offset = ctx.scalar("compliance.model_year_start_offset_months")
    made = pl.concat_str([pl.col("manufacture_date"), pl.lit("-01")]).str.to_date(
        "%Y-%m-%d", strict=False
    )
    year_start = pl.date(pl.col("model_year"), 1, 1).dt.offset_by(f"{int(offset)}mo")
    year_end = pl.date(pl.col("model_year"), 12, 31)
    estimated = pl.when(made.is_not_null()).then(False).when(year_start.is_not_null()).then(True)
    return [
        pl.coalesce(made, year_start).alias(COMPARED),
        pl.coalesce(made, year_end).alias(LATEST),
        estimated.alias(ESTIMATED),
    ]


def _inputs(rules: tuple[ComplianceRule, ...]) -> dict[str, pl.Expr]:
    """Columns the stage reads, with the typed null a frame lacking one gets (unknown)."""
    names = [c for r in rules if r.applies_to is not None for c in columns_of(r.applies_to.when)]
    names += [c for r in rules for c in columns_of(r.fails_when)]
    types = {n: dtype_of_column(n) for n in (*DATE_COLUMNS, *names)}
    types["recommended_pathway"] = pl.String()
    return {n: pl.lit(None, t).alias(n) for n, t in types.items()}


def _questions(rule: ComplianceRule, ctx: StageContext) -> tuple[Question, Question, Question]:
    """A rule's three questions: scope, window, failure."""
    scope = rule.applies_to.when if rule.applies_to is not None else None
    return (
        condition_question(scope),
        window_question(rule.window, ctx),
        condition_question(rule.fails_when),
    )


def _per_row(values: list[int]) -> pl.Expr:
    """The same array of numbers on every row (a literal Polars broadcasts)."""
    return pl.lit(pl.Series([values], dtype=pl.Array(pl.UInt32, len(values)))).first()


def _weighted_sums(flat: pl.Expr, width: int, picks: list[list[tuple[int, int]]]) -> pl.Expr:
    """Per row and item, the sum of weight × value over the item's (column, weight) picks.

    ``flat`` holds ``width`` values per row, row after row; so does the result, one value per
    item. This is how codes combine into a mixed-radix index with a few Polars nodes however
    many rules there are (a one-row assessment's time is mostly planning, per node).
    """
    slots = max(len(p) for p in picks)
    padded = [p + [(0, 0)] * (slots - len(p)) for p in picks]
    columns = _per_row([c for p in padded for c, _ in p])
    weights = _per_row([w for p in padded for _, w in p])
    start = pl.int_range(0, pl.len(), dtype=pl.UInt32) * width
    picked = flat.gather((start + columns).reshape((-1,))).reshape((-1, len(picks) * slots))
    return (picked * weights).reshape((-1, slots)).arr.sum()


def _strides(sizes: list[int]) -> list[int]:
    """Mixed-radix place values, the first size most significant."""
    out, place = [], 1
    for size in reversed(sizes):
        out.append(place)
        place *= size
    return out[::-1]


def _conditions(conditions: list[Condition], ctx: StageContext) -> list[tuple[pl.Expr, ...]]:
    """Each condition's code per row (array ``_CONDITIONS``), via its columns' codes: two
    steps (the columns' codes, the conditions' codes).
    """
    codes = column_codes(conditions, ctx)
    names = list(codes)
    one = len(names)  # the index of a constant 1 after the columns: it adds each offset
    tables: list[int] = []
    picks = []
    for cond in conditions:
        own = columns_of(cond)
        places = _strides([codes[n].size for n in own])
        picks.append([(names.index(n), w) for n, w in zip(own, places, strict=True)])
        picks[-1].append((one, len(tables)))
        tables.extend(condition_table(cond, codes, ctx))
    coded = [pl.col(_CODE.format(i)) for i in range(one)]
    flat = pl.concat_arr([*coded, pl.lit(1, pl.UInt32)]).reshape((-1,))
    per_row = pl.lit(pl.Series(tables, dtype=pl.UInt32)).gather(
        _weighted_sums(flat, one + 1, picks)
    )
    return [
        tuple(c.expr().alias(_CODE.format(i)) for i, c in enumerate(codes.values())),
        (per_row.reshape((-1, len(conditions))).alias(_CONDITIONS),),
    ]


def _windows(dates: list[dt.date]) -> pl.Expr:
    """Each window date's code per row (array ``_WINDOWS``), see ``window_code``."""
    at = pl.int_range(0, pl.len() * len(dates), dtype=pl.UInt32)
    row = at // len(dates)
    code = window_code(
        pl.lit(pl.Series(dates, dtype=pl.Date)).gather(at % len(dates)),
        pl.col(COMPARED).gather(row),
        pl.col(LATEST).gather(row),
        pl.col("model_year").gather(row),
    )
    return code.reshape((-1, len(dates))).alias(_WINDOWS)


def _decide_all(
    rule: ComplianceRule, questions: tuple[Question, ...], table: _Table, ctx: StageContext
) -> list[list[int]]:
    """The table rows of every code set of one rule: one per route, in ``ROUTES`` order."""
    costs = {route: cost_of(rule.routes[route].cost, ctx) for route in ROUTES}
    out = []
    for scope, window, fails in itertools.product(*(q.answers for q in questions)):
        rows = []
        for route in ROUTES:
            on_route = covers(rule.window, route, window, ctx)
            decision = decide(rule, route, scope, on_route, fails)
            rows.append(table.add(rule, route, decision, costs[route]))
        out.append(rows)
    return out


def _texts() -> list[pl.Expr]:
    """The row's compared date (with the estimate note) and model year as text."""
    note = pl.when(pl.col(ESTIMATED)).then(pl.lit(ESTIMATED_NOTE)).otherwise(pl.lit(""))
    return [
        pl.concat_str([pl.col(COMPARED).cast(pl.String), note]).alias(_DATE_TEXT),
        pl.col("model_year").cast(pl.String).alias(_YEAR_TEXT),
    ]


def _templates(templates: dict[Template, int]) -> pl.Expr:
    """Every reason template filled in with the row's value, as an array per row."""
    filled = [
        pl.concat_str(
            [
                pl.lit(t.prefix),
                pl.col(_DATE_TEXT if t.source == "date" else _YEAR_TEXT),
                pl.lit(t.suffix),
            ]
        )
        for t in templates
    ]
    return pl.concat_arr(filled).alias(_DYNAMIC)


def _flat(name: str) -> pl.Expr:
    """An array column of per-finding values as one long column."""
    return pl.col(name).reshape((-1,))


def _single(expr: pl.Expr) -> pl.Expr:
    """``expr`` as one contiguous column: gathering from appended pieces is several times slower."""
    return expr.implode().explode()


def _findings(table: _Table, as_of: dt.date, width: int) -> pl.Expr:
    """The ``findings`` list: table structs gathered per finding, with the row's reason and date."""
    found = _flat(_FOUND)
    row = pl.int_range(0, pl.len() * width, dtype=pl.UInt32) // width

    def per_finding(name: str) -> pl.Expr:
        return pl.lit(table.extra(name)).gather(found)

    # Static reasons first, then each row's filled-in templates (row-major): a static reason
    # is at its own index, a template's at ``base`` + row × ``step``.
    reasons = pl.lit(table.findings.struct.field("reason"))
    if table.templates:
        reasons = _single(reasons.append(_flat(_DYNAMIC)))
    reason = reasons.gather(per_finding("reason_base") + per_finding("reason_step") * row)
    # The compared date is null, the as-of date or the row's: index 0, 1 or 2 + row.
    date_index = per_finding("date_base") + per_finding("date_step") * row
    dates = _single(pl.lit(pl.Series([None, as_of], dtype=pl.Date)).append(pl.col(COMPARED)))
    estimated = pl.lit(pl.Series([None, False], dtype=pl.Boolean)).append(pl.col(ESTIMATED))
    return (
        pl.lit(table.findings)
        .gather(found)
        .struct.with_fields(
            reason.alias("reason"),
            dates.gather(date_index).alias("compared_date"),
            _single(estimated).gather(date_index).alias("compared_date_estimated"),
        )
        .reshape((-1, width))
        .arr.to_list()
        .alias("findings")
    )


def _totals(table: _Table, rules: int) -> list[pl.Expr]:
    """The recommended route's modification count, cost range and block flag."""
    on_route = _flat(_ON_ROUTE)

    def summed(name: str) -> pl.Expr:
        added = pl.lit(table.extra(name)).gather(on_route).cast(pl.Int64)
        return added.reshape((-1, rules)).arr.sum()

    none = pl.col(_RECOMMENDED).is_null()
    unpriced = none | (summed("unpriced") > 0)
    values = {
        "modification_count": pl.when(none)
        .then(pl.lit(None, pl.Int64))
        .otherwise(summed("modify")),
        **{
            f"modifications{'' if p == 'typical' else '_' + p}_jpy": pl.when(unpriced)
            .then(pl.lit(None, pl.Int64))
            .otherwise(summed(f"modify_{p}"))
            for p in _PARTS
        },
        "blocked": pl.when(none).then(pl.lit(None, pl.Boolean)).otherwise(summed("block") > 0),
    }
    return [value.alias(name) for name, value in values.items()]


def _shared(asked: Sequence[tuple[Question, ...]]) -> tuple[list[Condition], list[dt.date]]:
    """The distinct conditions and window dates the rules' questions read, in first-use order."""
    keys = dict.fromkeys(q.key for questions in asked for q in questions if q.key is not None)
    conditions: list[Condition] = [k for k in keys if isinstance(k, _CONDITION_TYPES)]
    return conditions, [k for k in keys if isinstance(k, dt.date)]


def _found(
    rules: tuple[ComplianceRule, ...],
    asked: Sequence[tuple[Question, ...]],
    table: _Table,
    ctx: StageContext,
) -> pl.Expr:
    """Every finding's table row per row (array ``_FOUND``), rule after rule, route by route.

    A rule's code set is a mixed-radix number over its questions' codes (read from the arrays
    ``_CONDITIONS`` and ``_WINDOWS``), offset to the rule's part of the lookup.
    """
    conditions, dates = _shared(asked)
    keys: list[Hashable] = [*conditions, *dates]
    one = len(keys)  # the index of a constant 1 after the questions' codes: it adds offsets
    picks: list[list[tuple[int, int]]] = []
    lookup: list[list[int]] = []
    for rule, questions in zip(rules, asked, strict=True):
        places = _strides([q.size for q in questions])
        pick = [
            (keys.index(q.key), w)
            for q, w in zip(questions, places, strict=True)
            if q.key is not None
        ]
        picks.append([*pick, (one, len(lookup))])
        lookup.extend(_decide_all(rule, questions, table, ctx))
    answers = pl.concat_arr(
        *((pl.col(_CONDITIONS),) if conditions else ()),
        *((pl.col(_WINDOWS),) if dates else ()),
        pl.lit(1, pl.UInt32),
    ).reshape((-1,))
    by_route = pl.lit(pl.Series(lookup, dtype=pl.Array(pl.UInt32, len(ROUTES))))
    found = by_route.gather(_weighted_sums(answers, one + 1, picks))
    return found.reshape((-1, len(rules) * len(ROUTES))).alias(_FOUND)


def _on_route(rules: int) -> pl.Expr:
    """The table rows of the recommended route's findings (array ``_ON_ROUTE``; null: none)."""
    per_rule = pl.int_range(0, pl.len() * rules)
    row = per_rule // rules
    on_route = per_rule * len(ROUTES) + pl.col(_RECOMMENDED).gather(row)
    return _flat(_FOUND).gather(on_route).reshape((-1, rules)).alias(_ON_ROUTE)


def _verdicts(table: _Table, width: int) -> pl.Expr:
    """The ``findings`` list with only each finding's rule, outcome and route (``VERDICTS``).

    The fields are Enums of their few values (text when cast): gathering 80 small integers a
    row is cheaper than 80 texts, and so is everything that reads them.
    """
    texts = table.findings.struct.unnest().select(VERDICTS)
    fields = texts.with_columns(
        pl.col(name).cast(pl.Enum(sorted(set(texts.get_column(name).drop_nulls()))))
        for name in VERDICTS
    ).to_struct("findings")
    found = pl.lit(fields).gather(_flat(_FOUND))
    return found.reshape((-1, width)).arr.to_list().alias("findings")


def _build(ctx: StageContext, lean: bool = False) -> _Plan:
    """Everything per date: the codes' expressions, the findings table and the output steps.

    With ``lean`` (``verdicts.verdicts_only``), findings hold only ``VERDICTS`` and the per-row
    reason texts are not built.
    """
    rules = bundled_entries()
    for rule in rules:
        _trace(rule, ctx)
    asked = [_questions(rule, ctx) for rule in rules]
    conditions, dates = _shared(asked)
    table = _Table()
    found = _found(rules, asked, table, ctx)
    recommended = pl.col("recommended_pathway").replace_strict(
        list(ROUTES), list(range(len(ROUTES))), default=None, return_dtype=pl.UInt32
    )
    codes, coded = _conditions(conditions, ctx) if conditions else ((), ())
    width = len(rules) * len(ROUTES)
    texts = () if lean else (*_texts(),)
    templates = (_templates(table.templates),) if table.templates and not lean else ()
    findings = _verdicts(table, width) if lean else _findings(table, ctx.as_of, width)
    steps = (
        (*_compared_date(ctx), drive_side.code(), recommended.alias(_RECOMMENDED), *codes),
        (*texts, *((_windows(dates),) if dates else ()), *coded),
        (*templates, found),
        (_on_route(len(rules)),),
        (*_totals(table, len(rules)), *drive_side.expressions(ctx), findings),
    )
    temps = [str(e.meta.output_name()) for step in steps[:-1] for e in step]
    return _Plan(_inputs(rules), steps, tuple(temps))


#: The finding fields a batch output keeps (``rule@pathway=outcome``): ``verdicts_only``.
VERDICTS = ("rule", "outcome", "pathway")


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add ``findings``, the recommended route's totals and the drive-side columns."""
    if verdicts.active():
        plan = ctx.memo(f"{NAME}|verdicts", lambda c: _build(c, lean=True))
    else:
        plan = ctx.memo(NAME, _build)
    have = set(frame.columns)
    added = {name: null for name, null in plan.inputs.items() if name not in have}
    lazy = frame.lazy().with_columns(list(added.values())) if added else frame.lazy()
    for step in plan.steps:
        lazy = lazy.with_columns(step)
    return lazy.drop([*plan.temps, *added]).collect(engine="in-memory", optimizations=_QUICK)


def _plain(value: Any) -> Any:
    """Dates as ISO text, structs and lists recursively, for JSON."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@functools.cache
def _rule_fields() -> dict[str, dict[str, Any]]:
    """Per bundled entry id, the finding fields that are the rule's own (``_RULE_FIELDS``)."""
    return {
        rule.id: {
            "title_en": rule.title_en,
            "title_ja": rule.title_ja,
            "status": status_of(rule),
            "citation": rule.citation.to_dict(),
        }
        for rule in bundled_entries()
    }


def _finding_json(finding: Mapping[str, Any]) -> dict[str, Any]:
    """One finding of the frame as JSON: its rule's titles, status and citation added, and the
    contract's ``cost_jpy`` {low, typical, high} beside the flat cost columns.
    """
    own = _rule_fields().get(finding["rule"], {})
    out = {key: _plain(finding[key] if key in finding else own.get(key)) for key in _JSON_ORDER}
    out["cost_jpy"] = {part: out.get(f"cost_{part}_jpy") for part in ("low", "typical", "high")}
    return out


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """``findings``, ``drive_side`` and a ``compliance`` summary: the recommended route's totals,
    its unknown findings (rule → missing data) and advisories, and every outcome by rule and route.
    """
    findings = [_finding_json(f) for f in row.get("findings") or []]
    outcomes: dict[str, dict[str, str]] = {}
    for f in findings:
        outcomes.setdefault(f["rule"], {})[f["pathway"]] = f["outcome"]
    chosen = row.get("recommended_pathway")
    on_route = [f for f in findings if f["pathway"] == chosen]
    return {
        "findings": findings,
        "compliance": {
            "pathway": chosen,
            **{name: row.get(name) for name in _TOTALS},
            "unknown": {f["rule"]: f["missing"] for f in on_route if f["outcome"] == "unknown"},
            "advisory": [f["rule"] for f in on_route if f["outcome"] == "advisory"],
            "outcomes": outcomes,
        },
        "drive_side": {name: _plain(row.get(name)) for name in drive_side.COLUMNS},
    }
