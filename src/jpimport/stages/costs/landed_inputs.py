"""What the landed-cost chain reads: input columns (absent → null) and the parameters in force.

Parameters are fetched through ``ctx.find`` so each one used is traced and one not in force is
recorded as missing (its amounts become null with a reason), never taken as zero.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from fractions import Fraction

import polars as pl

from jpimport.rules import ParameterValue, Range
from jpimport.rules.model import Part
from jpimport.rules.rounding import CUSTOMS_TAX_AMOUNT, CUSTOMS_TAX_BASE
from jpimport.stages.context import StageContext

PREFIX = "landed."
BUSINESS_IMPORTERS = ("manufacturer", "independent")
IMPORTERS = (*BUSINESS_IMPORTERS, "individual")

#: Input columns the chain reads, with the type they take when a stage has not added them.
INPUT_SCHEMA: dict[str, pl.DataType] = {
    "msrp_usd": pl.Int64(),
    "jp_price_jpy": pl.Int64(),
    "plant_country": pl.String(),
    "body": pl.String(),
    "length_mm": pl.Int64(),
    "width_mm": pl.Int64(),
    "height_mm": pl.Int64(),
    "importer": pl.String(),
    "volume": pl.Int64(),
    "usd_jpy": pl.Float64(),
    "price_usd": pl.Float64(),
    "rhd_conversion": pl.Boolean(),
    "pathway_fixed_cost_jpy": pl.Int64(),
    "pathway_unit_cost_jpy": pl.Int64(),
    "modifications_low_jpy": pl.Int64(),
    "modifications_jpy": pl.Int64(),
    "modifications_high_jpy": pl.Int64(),
    "rhd_conversion_low_jpy": pl.Int64(),
    "rhd_conversion_jpy": pl.Int64(),
    "rhd_conversion_high_jpy": pl.Int64(),
}


def with_inputs(frame: pl.DataFrame) -> pl.DataFrame:
    """Add every input column the frame lacks as null, so absent stages read as unknown."""
    columns = set(frame.columns)
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in INPUT_SCHEMA.items()
        if name not in columns
    ]
    return frame.with_columns(missing) if missing else frame


def null_float() -> pl.Expr:
    """A null Float64, for a parameter not in force."""
    return pl.lit(None, dtype=pl.Float64)


@dataclass
class LandedParams:
    """The landed parameters in force on the context's date; None where not in force."""

    ctx: StageContext
    missing: list[str] = field(default_factory=list)
    usd_jpy: ParameterValue | None = None
    fob_share: ParameterValue | None = None
    inland_usd: ParameterValue | None = None
    ocean_rate_usd: ParameterValue | None = None
    volume_by_body: ParameterValue | None = None
    insurance_rate: ParameterValue | None = None
    insured_share: ParameterValue | None = None
    duty_rate: ParameterValue | None = None
    national_rate: ParameterValue | None = None
    local_rate: ParameterValue | None = None
    port_handling: ParameterValue | None = None
    customs_brokerage: ParameterValue | None = None
    pdi: ParameterValue | None = None
    dealer_margin: ParameterValue | None = None
    consumption_tax_rate: ParameterValue | None = None

    def _find(self, name: str) -> ParameterValue | None:
        """One parameter through the context (traced); a missing one is remembered."""
        found = self.ctx.find(PREFIX + name)
        if found is None:
            self.missing.append(PREFIX + name)
        return found

    @classmethod
    def load(cls, ctx: StageContext, *, imports: bool, sales: bool) -> LandedParams:
        """Fetch what the rows need: import parameters if any row imports, margin if any sells."""
        params = cls(ctx)
        params.consumption_tax_rate = params._find("consumption_tax_rate")
        if not imports:
            return params
        params.usd_jpy = params._find("usd_jpy")
        params.fob_share = params._find("fob_share_of_msrp")
        params.inland_usd = params._find("freight.inland_usd")
        params.ocean_rate_usd = params._find("freight.ocean_rate_usd_per_m3")
        params.volume_by_body = params._find("freight.volume_by_body_m3")
        params.insurance_rate = params._find("insurance_rate")
        params.insured_share = params._find("insured_value_share")
        params.duty_rate = params._find("duty_rate")
        params.national_rate = params._find("import_consumption_tax.national_rate")
        params.local_rate = params._find("import_consumption_tax.local_rate")
        params.port_handling = params._find("port_handling")
        params.customs_brokerage = params._find("customs_brokerage")
        params.pdi = params._find("pdi")
        if sales:
            params.dealer_margin = params._find("dealer_margin_rate")
        for rule in (CUSTOMS_TAX_BASE, CUSTOMS_TAX_AMOUNT):
            ctx.record(rule.name, rule.trace())
        return params

    def feeding(self, *columns: str) -> AbstractContextManager[None]:
        """A scope: parameters taken inside it feed ``columns`` (``StageContext.amount``)."""
        return self.ctx.amount(*columns)

    def _taken(self, value: ParameterValue | None) -> None:
        """Attribute a parameter taken into an expression to the columns being built."""
        if value is not None:
            self.ctx.attribute(value.name)

    def scalar(self, value: ParameterValue | None) -> pl.Expr:
        """A scalar parameter as a Float64 literal; null when not in force."""
        self._taken(value)
        if value is None or isinstance(value.value, Range) or value.value is None:
            return null_float()
        return pl.lit(float(_number(value)), dtype=pl.Float64)

    def estimate(self, value: ParameterValue | None, part: Part) -> pl.Expr:
        """One part of a range parameter as a Float64 literal; null when not in force."""
        self._taken(value)
        if value is None or not isinstance(value.value, Range):
            return null_float()
        return pl.lit(float(value.value.part(part)), dtype=pl.Float64)

    def by_key(self, value: ParameterValue | None, key: pl.Expr, part: Part) -> pl.Expr:
        """One part of a table of ranges looked up per row; unknown keys and nulls give null."""
        self._taken(value)
        if value is None:
            return null_float()
        return value.table_expr(key, part=part).cast(pl.Float64)

    def fraction(self, value: ParameterValue | None) -> Fraction | None:
        """A rate as an exact fraction (0.078 → 39/500), for legal tax arithmetic on integers."""
        self._taken(value)
        if value is None or value.value is None:
            return None
        return Fraction(str(_number(value)))


def _number(value: ParameterValue) -> int | float:
    """The number a scalar parameter holds; anything else is a broken rule file."""
    number = value.value
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise TypeError(f"{value.name} must hold a number, got {number!r}")
    return number
