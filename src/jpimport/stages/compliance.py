"""Stage ``compliance``: every compliance entry evaluated for every vehicle and route.

Findings (one per entry and route) go into the ``findings`` list column; the modifications of
the recommended route are totalled, a ``block`` on that route sets ``blocked``, and the drive
side is described by ``drive_side``. Columns and JSON keys: docs/stages.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl
from polars.expr.whenthen import ChainedThen, Then

from jpimport.rules.compliance import ROUTES, ComplianceRule, bundled_entries
from jpimport.stages import drive_side
from jpimport.stages.compliance_eval import COMPARED, ESTIMATED, LATEST, finding, status_of
from jpimport.stages.context import StageContext

NAME = "compliance"

_TOTALS = (
    "modification_count",
    "modifications_low_jpy",
    "modifications_jpy",
    "modifications_high_jpy",
    "blocked",
)


def _temp(rule: ComplianceRule, route: str) -> str:
    """The name of the temporary column holding one finding."""
    return f"__finding_{rule.id}__{route}"


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


def _route_totals(rules: tuple[ComplianceRule, ...], route: str) -> dict[str, pl.Expr]:
    """Count, cost range and block flag of one route's findings."""
    fields = [pl.col(_temp(rule, route)).struct for rule in rules]
    modify = [f.field("outcome") == "modify" for f in fields]

    def total(part: str) -> pl.Expr:
        costs = [pl.when(m).then(f.field(part)) for m, f in zip(modify, fields, strict=True)]
        unpriced = [m & f.field(part).is_null() for m, f in zip(modify, fields, strict=True)]
        summed = pl.sum_horizontal(costs)
        return pl.when(pl.any_horizontal(unpriced)).then(pl.lit(None, pl.Int64)).otherwise(summed)

    return {
        "modification_count": pl.sum_horizontal([m.cast(pl.Int64) for m in modify]),
        "modifications_low_jpy": total("cost_low_jpy"),
        "modifications_jpy": total("cost_typical_jpy"),
        "modifications_high_jpy": total("cost_high_jpy"),
        "blocked": pl.any_horizontal([f.field("outcome") == "block" for f in fields]),
    }


def _for_recommended(rules: tuple[ComplianceRule, ...]) -> list[pl.Expr]:
    """The totals of the recommended route (null when no route is recommended)."""
    per_route = {route: _route_totals(rules, route) for route in ROUTES}
    recommended = pl.col("recommended_pathway")
    out = []
    for name in _TOTALS:
        dtype = pl.Boolean() if name == "blocked" else pl.Int64()
        chain: Then | ChainedThen = pl.when(pl.lit(False)).then(pl.lit(None, dtype))
        for route in ROUTES:
            chain = chain.when(recommended == route).then(per_route[route][name])
        out.append(chain.otherwise(pl.lit(None, dtype)).alias(name))
    return out


def _collect_findings(frame: pl.DataFrame, names: list[str]) -> pl.Series:
    """The finding columns of each row as one list, in rule-then-route order.

    Unpivoting to one finding per row and gathering them back is far faster in Polars than
    ``concat_list`` over many struct columns.
    """
    row = "__row"
    long = (
        frame.select(names).with_row_index(row).unpivot(index=row, on=names, value_name="findings")
    )
    gathered = long.group_by(row, maintain_order=True).agg(pl.col("findings")).sort(row)
    return gathered.get_column("findings")


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add ``findings``, the recommended route's totals and the drive-side columns."""
    rules = bundled_entries()
    work = frame
    if "recommended_pathway" not in work.columns:
        work = work.with_columns(pl.lit(None, pl.String).alias("recommended_pathway"))
    work = work.with_columns(_compared_date(ctx))
    present = frozenset(work.columns)
    temps = []
    for rule in rules:
        _trace(rule, ctx)
        for route in ROUTES:
            temps.append(finding(rule, route, present, ctx).alias(_temp(rule, route)))
    names = [_temp(rule, route) for rule in rules for route in ROUTES]
    # Lazy, so Polars evaluates the sub-expressions findings share only once.
    lazy = work.lazy().with_columns(temps)
    work = lazy.with_columns(*_for_recommended(rules), *drive_side.expressions(ctx)).collect()
    if work.height:
        work = work.with_columns(_collect_findings(work, names))
    else:
        empty = pl.lit([], dtype=pl.List(work.schema[names[0]])).alias("findings")
        work = work.with_columns(empty)
    dropped = [*names, COMPARED, LATEST, ESTIMATED]
    if "recommended_pathway" not in frame.columns:
        dropped.append("recommended_pathway")
    return work.drop(dropped)


def _plain(value: Any) -> Any:
    """Dates as ISO text, structs and lists recursively, for JSON."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _with_cost_range(finding: dict[str, Any]) -> dict[str, Any]:
    """Add the contract's ``cost_jpy`` {low, typical, high} beside the flat cost columns."""
    finding["cost_jpy"] = {
        part: finding.get(f"cost_{part}_jpy") for part in ("low", "typical", "high")
    }
    return finding


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """``findings``, ``drive_side`` and a ``compliance`` summary: the recommended route's totals,
    its unknown findings (rule → missing data) and advisories, and every outcome by rule and route.
    """
    findings = [_with_cost_range(_plain(f)) for f in row.get("findings") or []]
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
