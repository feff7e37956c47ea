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
    table = assessed.select(keep)
    tokyo = table.filter(pl.col("region") == TOKYO).drop("region")
    national = table.filter(pl.col("region") == NATIONAL).select(
        "id",
        pl.col("first_year_total_jpy").alias("first_year_national_jpy"),
        pl.col("annual_total_jpy").alias("annual_national_jpy"),
    )
    merged = tokyo.rename(
        {"first_year_total_jpy": "first_year_tokyo_jpy", "annual_total_jpy": "annual_tokyo_jpy"}
    ).join(national, on="id", how="left", maintain_order="left")
    unconfirmed = sorted({name for ctx in contexts.values() for name in ctx.unconfirmed})
    return Lineup(as_of=opts.as_of, rows=merged.to_dicts(), unconfirmed=unconfirmed)
