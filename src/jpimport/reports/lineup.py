"""The Japan lineup: every model announced for Japan and every press candidate, side by side.

One row per catalog entry whose ``japan_plan`` is ``announced`` or ``candidate``, assessed in
one vectorised run for two regions (Tokyo's 23 wards and the national average).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.assessment import run_stages
from jpimport.options import AssessOptions
from jpimport.vehicles.catalog import load_catalog

PLANS = ("announced", "candidate")
TOKYO = "tokyo-23-wards"
NATIONAL = "national"

#: Output columns taken from the assessed frame (null where a stage gives nothing).
_PICK = (
    "size_class",
    "use",
    "plate_class",
    "recommended_pathway",
    "modification_count",
    "modifications_jpy",
    "landed_total_jpy",
    "retail_price_jpy",
)


@dataclass(frozen=True)
class Lineup:
    """The lineup table plus the assessment contexts (trace, unconfirmed inputs)."""

    as_of: dt.date
    rows: list[dict[str, Any]]
    unconfirmed: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the date, the rows and the unconfirmed parameters used."""
        return {"as_of": self.as_of.isoformat(), "rows": self.rows, "unconfirmed": self.unconfirmed}


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A column if the stages produced it, else a null literal (a stage not yet present)."""
    return pl.col(name) if name in frame.columns else pl.lit(None).alias(name)


def lineup(*, as_of: dt.date | None = None, **options: Any) -> Lineup:
    """Assess the lineup for Tokyo and nationally; one row per vehicle, ordered by plan and id."""
    opts = AssessOptions.build(as_of=as_of, **options)
    vehicles = load_catalog().filter(pl.col("japan_plan").is_in(PLANS))
    vehicles = vehicles.sort(
        pl.col("japan_plan").replace_strict({p: i for i, p in enumerate(PLANS)}), "id"
    )
    both = pl.concat(
        [vehicles.with_columns(pl.lit(region).alias("region")) for region in (TOKYO, NATIONAL)]
    )
    assessed, contexts = run_stages(both, opts)
    keep = [
        "id",
        "make",
        "model",
        "trim",
        "japan_plan",
        "region",
        *[_col(assessed, name) for name in _PICK],
        _col(assessed, "first_year_total_jpy"),
        _col(assessed, "annual_total_jpy"),
        _col(assessed, "parking_fits"),
    ]
    table = assessed.select(keep).with_columns(_lower_bounds(assessed))
    tokyo = table.filter(pl.col("region") == TOKYO).drop("region")
    national = table.filter(pl.col("region") == NATIONAL).select(
        "id", *[pl.col(c).alias(c.replace(_REGIONAL, "_national_")) for c in _REGIONAL_COLUMNS]
    )
    merged = tokyo.rename({c: c.replace(_REGIONAL, "_tokyo_") for c in _REGIONAL_COLUMNS}).join(
        national, on="id", how="left", maintain_order="left"
    )
    unconfirmed = sorted({name for ctx in contexts.values() for name in ctx.unconfirmed})
    return Lineup(as_of=opts.as_of, rows=merged.to_dicts(), unconfirmed=unconfirmed)


#: The regional columns, named ``first_year_<region>_...`` and ``annual_<region>_...`` in a row.
_REGIONAL = "_total_"
_REGIONAL_COLUMNS = (
    "first_year_total_jpy",
    "first_year_total_known_jpy",
    "first_year_total_missing",
    "annual_total_jpy",
    "annual_total_known_jpy",
    "annual_total_missing",
)


def _lower_bounds(assessed: pl.DataFrame) -> list[pl.Series]:
    """Per row, what is known of the first-year and annual totals and which parts are missing.

    Taken from the assessment document (``costs.to_json``), so the lineup states the same lower
    bound as ``jpimport assess``; a complete total gives itself and no missing parts.
    """
    from jpimport.stages.costs import to_json

    documents = [to_json(row).get("costs", {}) for row in assessed.iter_rows(named=True)]
    annual = [d.get("annual", {}) for d in documents]
    return [
        pl.Series(
            "first_year_total_known_jpy",
            [d.get("first_year_known_total_jpy") for d in documents],
            pl.Int64,
        ),
        pl.Series(
            "first_year_total_missing",
            [d.get("first_year_missing") or [] for d in documents],
            pl.List(pl.String),
        ),
        pl.Series("annual_total_known_jpy", [a.get("known_total_jpy") for a in annual], pl.Int64),
        pl.Series(
            "annual_total_missing", [a.get("missing") or [] for a in annual], pl.List(pl.String)
        ),
    ]
