"""What the registration and annual cost stages read: input columns, parameter values, reasons.

Absent columns are read as null (an earlier stage has not run), so every amount that needs them
becomes null with a reason naming the column, never a zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from jpimport.rules import ParameterValue, Range
from jpimport.rules.model import Entry, TableKey
from jpimport.rules.rounding import RoundingRule
from jpimport.stages.context import StageContext

#: Fixed-point scale for rates, so yen amounts are computed in integers (no float drift).
SCALE = 100_000

#: Columns the two stages read, the type each takes when absent, and who provides it.
INPUTS: dict[str, tuple[pl.DataType, str]] = {
    "displacement_cc": (pl.Int64(), "the vehicle"),
    "powertrain": (pl.String(), "the vehicle"),
    "fuel": (pl.String(), "the vehicle"),
    "curb_weight_kg": (pl.Int64(), "the vehicle"),
    "seats": (pl.Int64(), "the vehicle"),
    "jp_wltc_km_per_l": (pl.Float64(), "the vehicle"),
    "epa_combined_mpg": (pl.Float64(), "the vehicle"),
    "epa_kwh_per_100mi": (pl.Float64(), "the vehicle"),
    "manufacture_date": (pl.String(), "the vehicle"),
    "plant_country": (pl.String(), "the vehicle"),
    "importer": (pl.String(), "the options"),
    "region": (pl.String(), "the options"),
    "km_per_year": (pl.Int64(), "the options"),
    "ownership_years": (pl.Int64(), "the options"),
    "size_class": (pl.String(), "classify"),
    "use": (pl.String(), "classify"),
    "declared_payload_used_kg": (pl.Int64(), "classify"),
    "jp_gross_weight_kg": (pl.Int64(), "classify"),
    "inspection_first_years": (pl.Int64(), "classify"),
    "inspection_then_years": (pl.Int64(), "classify"),
    "retail_price_jpy": (pl.Int64(), "costs.landed"),
    "retail_consumption_tax_jpy": (pl.Int64(), "costs.landed"),
    "reg_total_jpy": (pl.Int64(), "costs.registration"),
}

ELECTRIC = ("ev", "phev")  # exempt from the environmental performance tax and, new, weight tax
NOT_AGED = ("ev", "phev", "hev")  # outside the age surcharges (jpimport's reading; see params)


@dataclass(frozen=True)
class Inputs:
    """The stage's input frame (every input column present, in one chunk) and what was given."""

    data: pl.DataFrame
    provided: frozenset[str]

    @classmethod
    def of(cls, frame: pl.DataFrame) -> Inputs:
        """Add absent input columns as typed nulls and cast the others to their input types."""
        missing = [
            pl.lit(None, dtype=dtype).alias(name)
            for name, (dtype, _) in INPUTS.items()
            if name not in frame.columns
        ]
        casts = [pl.col(n).cast(INPUTS[n][0], strict=False) for n in INPUTS if n in frame.columns]
        data = frame.with_columns(casts).with_columns(missing).rechunk()
        return cls(data, frozenset(frame.columns))


def needed(inputs: Inputs, condition: pl.Expr) -> bool:
    """Whether any row meets ``condition``, so a parameter only some rows use is looked up
    (and traced) only when a row uses it."""
    return bool(inputs.data.select(condition.fill_null(False).any()).item())


def find_for(
    ctx: StageContext, name: str, inputs: Inputs, condition: pl.Expr
) -> ParameterValue | None:
    """``ctx.find(name)`` when some row meets ``condition``; None (not traced) otherwise."""
    return ctx.find(name) if needed(inputs, condition) else None


def unknown(inputs: Inputs, *names: str, where: pl.Expr | None = None) -> list[pl.Expr]:
    """One reason per named input that is null in a row (and ``where`` holds), naming its source."""
    out = []
    for name in names:
        producer = INPUTS[name][1]
        text = f"{name} unknown" + (
            "" if name in inputs.provided else f" (not provided: {producer} has not run)"
        )
        condition = pl.col(name).is_null()
        out.append(because(condition if where is None else condition & where, text))
    return out


def because(condition: pl.Expr, text: str | pl.Expr) -> pl.Expr:
    """A reason where ``condition`` holds, else null (dropped from the reasons list)."""
    value = pl.lit(text) if isinstance(text, str) else text
    return pl.when(condition).then(value).otherwise(pl.lit(None, dtype=pl.String))


def reason_list(items: Sequence[pl.Expr]) -> pl.Expr:
    """The non-null reasons of a row, in order, without repeats."""
    if not items:
        return pl.lit([], dtype=pl.List(pl.String))
    return pl.concat_list(list(items)).list.drop_nulls().list.unique(maintain_order=True)


def absent(ctx: StageContext, name: str) -> str:
    """Why parameter ``name`` has no value on ``ctx.as_of``: ended, or not recorded that early."""
    parameter = ctx.rules.parameter(name)
    day = ctx.as_of
    ended = [e for e in parameter.endings if e.start <= day]
    if ended:
        last = ended[-1]
        status = f", {last.status}" if last.status else ""
        return f"{name} not in force from {last.start.isoformat()}{status}"
    first = parameter.windows[0].start.isoformat() if parameter.windows else "any date"
    return f"{name} has no value recorded for {day.isoformat()} (first from {first})"


def abolished(ctx: StageContext, name: str) -> bool:
    """Whether ``name`` was in force before ``ctx.as_of`` and has since ended."""
    parameter = ctx.rules.parameter(name)
    return any(e.start <= ctx.as_of for e in parameter.endings)


def use_rounding(ctx: StageContext, *rules: RoundingRule) -> None:
    """Record legal rounding rules in the trace, like parameters."""
    for rule in rules:
        ctx.used.setdefault(rule.name, rule.trace())


def number(value: ParameterValue) -> int | float:
    """The plain number of a scalar parameter."""
    v = value.value
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise TypeError(f"{value.name} is not a number")
    return v


def text(value: ParameterValue) -> str:
    """The plain text of a scalar parameter."""
    if not isinstance(value.value, str):
        raise TypeError(f"{value.name} is not text")
    return value.value


def table(value: ParameterValue) -> Mapping[TableKey, Entry]:
    """The mapping of a table parameter."""
    if not isinstance(value.value, Mapping):
        raise TypeError(f"{value.name} is not a table")
    return value.value


def entry_number(value: ParameterValue, key: TableKey) -> int | float:
    """One plain number of a table parameter."""
    entry = table(value)[key]
    if isinstance(entry, bool | str | Range):
        raise TypeError(f"{value.name}[{key!r}] is not a number")
    return entry


def estimate(value: ParameterValue) -> Range:
    """The range of a range parameter."""
    if not isinstance(value.value, Range):
        raise TypeError(f"{value.name} is not a range")
    return value.value


def scaled(rate: float) -> int:
    """A rate as an integer count of 1/SCALE."""
    return round(rate * SCALE)


def lit_int(value: int | float | None) -> pl.Expr:
    """An Int64 literal (null for None)."""
    return pl.lit(None if value is None else int(value), dtype=pl.Int64)


def fiscal_months_after(day: dt.date) -> int:
    """Months from the month after ``day`` to the end of the fiscal year (March): 0 to 11."""
    return (15 - day.month) % 12


def months_to_next_april(day: dt.date) -> int:
    """Whole months from ``day``'s month to the next 1 April strictly after it: 1 to 12."""
    return (3 - day.month) % 12 + 1


def manufacture_age_months(day: dt.date) -> pl.Expr:
    """Months from ``manufacture_date`` (YYYY-MM) to ``day``; null when unknown."""
    raw = pl.col("manufacture_date")
    year = raw.str.slice(0, 4).cast(pl.Int64, strict=False)
    month = raw.str.slice(5, 2).cast(pl.Int64, strict=False)
    return pl.lit(day.year * 12 + day.month, dtype=pl.Int64) - (year * 12 + month)


def age_at_registration(basis: str | None, day: dt.date) -> pl.Expr:
    """Age in months at registration (``day``) under an age-basis parameter value; null if none.

    ``first_registration_in_japan``: 0 (the registration is the first in Japan);
    ``manufacture``: months since ``manufacture_date``.
    """
    if basis == "first_registration_in_japan":
        return pl.lit(0, dtype=pl.Int64)
    if basis == "manufacture":
        return manufacture_age_months(day)
    return pl.lit(None, dtype=pl.Int64)


def strict_sum(parts: Iterable[pl.Expr]) -> pl.Expr:
    """The sum of the parts, null if any part is null (so a total never hides an unknown)."""
    items = list(parts)
    total = items[0]
    for part in items[1:]:
        total = total + part
    return total
