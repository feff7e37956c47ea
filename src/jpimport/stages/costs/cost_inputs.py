"""What the registration and annual cost stages read: input columns, parameter values, reasons.

Absent columns are read as null (an earlier stage has not run), so every amount that needs them
becomes null with a reason naming the column, never a zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import polars as pl

from jpimport.rules import ParameterValue, Range
from jpimport.rules.model import Entry, TableKey
from jpimport.rules.rounding import RoundingRule
from jpimport.stages.classify_plan import Layering, memo_key
from jpimport.stages.context import StageContext
from jpimport.stages.costs.cost_reasons import Reason, because

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


#: Temporary columns of the registration and annual plans start with this.
TEMP = "__costs_"

#: Each distinct lookup condition (by its text) as a small number, for plan keys.
_CONDITIONS: dict[str, int] = {}

#: More rounds than any chain of conditions (a condition that depends on another lookup) needs.
MAX_ROUNDS = 10

#: The query of each condition: whether any row meets it.
_FLAGS: dict[tuple[str, int], pl.Expr] = {}

T = TypeVar("T")


@dataclass
class Inputs:
    """What a cost plan is built for: the input columns given and which lookups rows need.

    ``statuses`` holds, per conditional parameter, the condition (by number) some row was found
    to meet or not; ``asked`` collects the conditions the build asks about; ``columns`` holds
    the columns the build registers (``classify_plan.Layering``).
    """

    provided: frozenset[str]
    statuses: Mapping[str, tuple[int, bool]] = field(default_factory=dict)
    asked: dict[str, tuple[int, pl.Expr]] = field(default_factory=dict)
    columns: Layering = field(default_factory=lambda: Layering(TEMP))


def input_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Just the input columns, cast to their input types; absent ones as typed nulls."""
    given, rows = set(frame.columns), frame.height
    return pl.DataFrame(
        [
            frame[name].cast(dtype, strict=False)
            if name in given
            else pl.Series(name, [None] * rows, dtype=dtype)
            for name, (dtype, _) in INPUTS.items()
        ]
    )


def provided(frame: pl.DataFrame) -> frozenset[str]:
    """The input columns ``frame`` has (the others have not been provided)."""
    return frozenset(INPUTS).intersection(frame.columns)


def condition_key(condition: pl.Expr) -> int:
    """A number standing for the condition's text (the same text, the same number)."""
    return _CONDITIONS.setdefault(str(condition), len(_CONDITIONS))


def find_for(
    ctx: StageContext, name: str, inputs: Inputs, condition: pl.Expr
) -> ParameterValue | None:
    """``ctx.find(name)`` when some row meets ``condition``; None (not traced) otherwise.

    The condition is recorded for ``cost_plan``, which evaluates it over the rows and builds
    again. Until it has been evaluated some row is assumed to meet it (so conditions that
    depend on this lookup are built as they most often end up); that build is not the last.
    """
    key = condition_key(condition)
    earlier = inputs.asked.get(name)
    if earlier is not None and earlier[0] != key:
        raise ValueError(f"{name} is looked up under two different conditions")
    inputs.asked[name] = (key, condition)
    status = inputs.statuses.get(name)
    if status is not None and status[0] == key and not status[1]:
        return None
    return ctx.find(name)


def cost_plan(
    ctx: StageContext,
    key: str,
    given: frozenset[str],
    data: pl.DataFrame,
    build: Callable[[StageContext, Inputs], T],
) -> T:
    """``build`` once per date, input columns given and set of lookups the rows of ``data`` need.

    A parameter only some rows use is looked up (and traced) only when a row uses it: the
    conditions the build asks about are evaluated in one query, and the build is repeated (from
    the memo) until none is left unevaluated; only the last build's trace reaches ``ctx``.
    """
    statuses: dict[str, tuple[int, bool]] = {}
    for _ in range(MAX_ROUNDS):
        known = ",".join(f"{n}={c}:{int(b)}" for n, (c, b) in sorted(statuses.items()))
        slot = memo_key(ctx, f"{key}|{','.join(sorted(given))}|{known}")

        run = _recording(build, Inputs(given, dict(statuses)))
        scratch = StageContext(as_of=ctx.as_of, rules=ctx.rules)
        _, asked = scratch.memo(slot, run)
        pending = {n: a for n, a in asked.items() if statuses.get(n, (-1, False))[0] != a[0]}
        if not pending:
            return ctx.memo(slot, run)[0]
        flags = data.select([_flag(n, number, c) for n, (number, c) in pending.items()])
        for (name, (number, _)), flag in zip(pending.items(), flags.row(0), strict=True):
            statuses[name] = (number, bool(flag))
    raise RuntimeError(f"{key}: the lookups' conditions did not settle in {MAX_ROUNDS} rounds")


def _flag(name: str, number: int, condition: pl.Expr) -> pl.Expr:
    """Whether any row meets, or may meet, the condition (numbered ``number``) of ``name``.

    A row whose condition is null (an input unknown) counts as meeting it: whether the lookup
    happens must not depend on the other rows, or a vehicle assessed alone could differ from
    the same vehicle in a batch.
    """
    key = (name, number)
    found = _FLAGS.get(key)
    if found is None:
        found = _FLAGS[key] = condition.fill_null(True).any().alias(name)
    return found


def _recording(
    build: Callable[[StageContext, Inputs], T], inputs: Inputs
) -> Callable[[StageContext], tuple[T, dict[str, tuple[int, pl.Expr]]]]:
    """``build`` as a memo builder that also returns the conditions it asked about."""

    def run(probe: StageContext) -> tuple[T, dict[str, tuple[int, pl.Expr]]]:
        return build(probe, inputs), inputs.asked

    return run


def unknown(inputs: Inputs, *names: str, where: pl.Expr | None = None) -> list[Reason]:
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
        ctx.record(rule.name, rule.trace())


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
