"""The assumptions an assessment runs under, validated once (pyblp-style configuration)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jpimport.errors import InputError

Importer = Literal["manufacturer", "independent", "individual"]
Registration = Literal["passenger", "cargo"]


class AssessOptions(BaseModel):
    """Options of an assessment; each may also be a column of a batch input, per row.

    ``None`` means: use the vehicle's own value or the rule store's dated default.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: dt.date = Field(default_factory=dt.date.today)
    importer: Importer = "manufacturer"
    volume: int = Field(default=1000, ge=1, le=10_000_000)
    registration: Registration | None = None
    declared_payload_kg: int | None = Field(default=None, ge=0, le=50_000)
    manufactured: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    region: str = "national"
    usd_jpy: float | None = Field(default=None, gt=0, lt=10_000)
    price_usd: float | None = Field(default=None, ge=0)
    km_per_year: int | None = Field(default=None, ge=0, le=500_000)
    ownership_years: int = Field(default=5, ge=1, le=30)
    rhd_conversion: bool = False

    @classmethod
    def build(cls, **values: Any) -> AssessOptions:
        """Validate options given by name; a bad one raises InputError naming the option."""
        try:
            return cls.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "?"
            raise InputError(
                f"{first['msg']} (got {first.get('input')!r})", field=f"option {name}"
            ) from None


#: Polars types of the option columns a frame carries through the stages.
OPTION_SCHEMA: dict[str, pl.DataType] = {
    "as_of": pl.Date(),
    "importer": pl.String(),
    "volume": pl.Int64(),
    "registration": pl.String(),
    "region": pl.String(),
    "usd_jpy": pl.Float64(),
    "price_usd": pl.Float64(),
    "km_per_year": pl.Int64(),
    "ownership_years": pl.Int64(),
    "rhd_conversion": pl.Boolean(),
}


def with_options(frame: pl.DataFrame, options: AssessOptions) -> pl.DataFrame:
    """Add option columns (keeping any the frame already has) and apply vehicle overrides."""
    values = options.model_dump()
    missing = [
        pl.lit(values[name], dtype=dtype).alias(name)
        for name, dtype in OPTION_SCHEMA.items()
        if name not in frame.columns
    ]
    frame = frame.with_columns(missing) if missing else frame
    overrides = []
    if options.declared_payload_kg is not None:
        overrides.append(pl.lit(options.declared_payload_kg, pl.Int64).alias("declared_payload_kg"))
    if options.manufactured is not None:
        overrides.append(pl.lit(options.manufactured, pl.String).alias("manufacture_date"))
    return frame.with_columns(overrides) if overrides else frame
