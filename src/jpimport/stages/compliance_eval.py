"""Compliance entries decided per row: scope, window and failure give one finding per route.

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

How it is computed. Per row, Polars only codes each column a condition reads as a small
integer (``ColumnCode``: null, or where the value stands among the values conditions compare
it with) and each window date as 0/1/2/3 (``window_code``). Per date, once, plain Python
decides what those codes mean: every condition for every combination of its columns' codes
(``condition_table``: true, false, or unknown with the mask of its null columns), and every
rule for every combination of its questions' answers (``decide``). The per-row work is then
integer arithmetic and lookups into those tables (``stages.compliance``), a few Polars nodes
however many rules there are.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

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
    Scalar,
    Window,
    column_kind,
    columns_of,
)
from jpimport.stages.context import StageContext

#: ``columns_of``, remembered: deciding every code set asks for the same conditions' columns.
_columns = functools.lru_cache(maxsize=None)(columns_of)

#: Routes on which the vehicle's type is approved in Japan on the as-of date (a new type).
APPROVING_ROUTES: frozenset[str] = frozenset({"us_certified", "php", "type_designation"})
COMPARED = "__compared_date"
LATEST = "__compared_latest"
ESTIMATED = "__compared_estimated"
DATE_COLUMNS: tuple[str, ...] = ("manufacture_date", "model_year")
ESTIMATED_NOTE = " (estimated from the model year)"

_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "month": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
}
_STATUS_RANK = {"confirmed": 0, "estimate": 1, "unconfirmed": 2}
COSTED: frozenset[str] = frozenset({"modify", "advisory", "unknown"})

#: A question's answer for one row: true, false or unknown (None), and a detail code: the
#: bit mask of the null columns for an unknown condition, 1 when the model year is known for
#: an unknown window.
Answer = tuple[bool | None, int]


@dataclass(frozen=True)
class Template:
    """A reason with a row's value in the middle: ``prefix`` + value + ``suffix``."""

    prefix: str
    source: Literal["date", "model_year"]
    suffix: str = ""


@dataclass(frozen=True)
class Decision:
    """One finding's outcome, its reason (text, or a template over the row) and missing data."""

    outcome: str
    reason: str | Template
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question of a rule, answered per row by the code ``key`` names; ``answers[code]``.

    ``key`` is None for a question whose answer is the same for every row (one answer).
    """

    key: Hashable | None
    answers: tuple[Answer, ...]

    @property
    def size(self) -> int:
        """How many codes the question has."""
        return len(self.answers)


class _Other:
    """A column value no condition names (it compares unequal to every listed value)."""

    def __repr__(self) -> str:
        """Shown in errors."""
        return "<other value>"


OTHER = _Other()


@dataclass(frozen=True)
class ColumnCode:
    """One column's values coded per row as a small integer: enough to decide every condition.

    Code 0 is null. A numeric (or Boolean: 0/1) column is placed among the sorted numbers
    conditions compare it with: 1 below the first, 2 equal to it, 3 between the first two, …,
    the last code above the last number (NaN counts as above, as Polars compares it). Another
    column is any value the conditions do not name (1) or one they name (2, 3, …).
    """

    name: str
    numeric: bool
    values: tuple[Scalar, ...]

    @property
    def size(self) -> int:
        """How many codes the column has."""
        return 2 * len(self.values) + 2 if self.numeric else len(self.values) + 2

    def expr(self) -> pl.Expr:
        """The column's code per row (UInt32)."""
        col = pl.col(self.name)
        if not self.numeric:
            codes = [0, *range(2, len(self.values) + 2)]
            return col.replace_strict(
                [None, *self.values], codes, default=1, return_dtype=pl.UInt32
            )
        x = col.cast(pl.Float64)
        bounds = pl.lit(pl.Series([float(v) for v in self.values], dtype=pl.Float64))
        below = bounds.search_sorted(x, side="left")
        up_to = bounds.search_sorted(x, side="right")
        return pl.when(x.is_null()).then(pl.lit(0, pl.UInt32)).otherwise(below + up_to + 1)

    def decode(self, code: int) -> Any:
        """A value standing for every value with this code: None, a listed value or ``OTHER``."""
        if code == 0:
            return None
        if not self.numeric:
            return self.values[code - 2] if code > 1 else OTHER
        numbers = [float(v) for v in self.values]  # Booleans as 0/1: False == 0 in Python
        place, equal = divmod(code - 1, 2)
        if equal:
            return numbers[place]
        if place == 0:
            return numbers[0] - 1
        if place == len(numbers):
            return numbers[-1] + 1
        return (numbers[place - 1] + numbers[place]) / 2


def dtype_of_column(name: str) -> pl.DataType:
    """The Polars type of a column an entry may read (String when unknown)."""
    return _DTYPES[column_kind(name) or "str"]


def _compared_value(cond: Compare, ctx: StageContext) -> Scalar | tuple[Scalar, ...]:
    """What a comparison compares with: its literal, or the parameter in force (traced)."""
    if isinstance(cond.value, ParamRef):
        value: Scalar = ctx.scalar(cond.value.name)
        return value
    return cond.value


def _compares(cond: Condition) -> list[Compare]:
    """The comparisons inside a condition, in order."""
    if isinstance(cond, Compare):
        return [cond]
    if isinstance(cond, AllOf | AnyOf):
        return [c for item in cond.items for c in _compares(item)]
    if isinstance(cond, Not):
        return _compares(cond.item)
    return []


def column_codes(conditions: Iterable[Condition], ctx: StageContext) -> dict[str, ColumnCode]:
    """How to code each column the conditions read (numeric columns first), from every value
    they compare it with.
    """
    found: dict[str, list[Scalar]] = {}
    for cond in conditions:
        for compare in _compares(cond):
            value = _compared_value(compare, ctx)
            listed = found.setdefault(compare.column, [])
            listed.extend(value if isinstance(value, tuple) else (value,))
    codes = []
    for name, values in found.items():
        numeric = column_kind(name) in ("int", "float", "bool")
        distinct = sorted(set(values)) if numeric else list(dict.fromkeys(values))
        codes.append(ColumnCode(name, numeric, tuple(distinct)))
    codes.sort(key=lambda c: not c.numeric)
    return {c.name: c for c in codes}


def _truth(cond: Condition, row: Mapping[str, Any], ctx: StageContext) -> bool | None:
    """The condition on one row's values, three-valued as Polars decides it (null: unknown)."""
    if isinstance(cond, Always):
        return True
    if isinstance(cond, AllOf | AnyOf):
        items = [_truth(c, row, ctx) for c in cond.items]
        settles = isinstance(cond, AnyOf)
        if settles in items:
            return settles
        return None if None in items else not settles
    if isinstance(cond, Not):
        inner = _truth(cond.item, row, ctx)
        return None if inner is None else not inner
    value, other = row[cond.column], _compared_value(cond, ctx)
    if value is None:
        return None
    if cond.op in ("in", "not_in"):
        assert isinstance(other, tuple)
        return (value in other) == (cond.op == "in")
    return bool(_OPS[cond.op](value, other))


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "is": operator.eq,
    "is_not": operator.ne,
    "above": operator.gt,
    "at_least": operator.ge,
    "below": operator.lt,
    "at_most": operator.le,
}


def condition_table(
    cond: Condition, codes: Mapping[str, ColumnCode], ctx: StageContext
) -> list[int]:
    """The condition's code for every combination of its columns' codes (first most significant).

    0 false, 1 true, 1 + mask of its null columns (in ``columns_of`` order) when unknown.
    """
    names = _columns(cond)
    out = []
    for combo in itertools.product(*(range(codes[n].size) for n in names)):
        row = {n: codes[n].decode(c) for n, c in zip(names, combo, strict=True)}
        truth = _truth(cond, row, ctx)
        mask = sum(1 << b for b, c in enumerate(combo) if c == 0)
        out.append(1 + mask if truth is None else int(truth))
    return out


def condition_question(cond: Condition | None) -> Question:
    """A condition's question: 0 false, 1 true, 1 + mask of its null columns when unknown.

    An absent condition (no scope) and ``always`` are true for every row.
    """
    if cond is None or isinstance(cond, Always):
        return Question(None, ((True, 0),))
    masks = range(1, 2 ** len(_columns(cond)))
    return Question(cond, ((False, 0), (True, 0), *((None, m) for m in masks)))


def window_question(window: Window | None, ctx: StageContext) -> Question:
    """Whether the window covers the vehicle by its date: 0 no, 1 yes, 2/3 unknown.

    2 and 3 are unknown without and with a model year; the code is ``window_code``'s for the
    window's continuing-production date. A registration window depends on the as-of date
    only. Routes approving a new type may be covered whatever the code: ``covers``.
    """
    if window is None:
        return Question(None, ((True, 0),))
    if window.compare == "registration":
        assert window.registered_from is not None
        return Question(None, ((ctx.as_of >= window.registered_from, 0),))
    assert window.continuing_from is not None
    return Question(window.continuing_from, ((False, 0), (True, 0), (None, 0), (None, 1)))


def window_code(since: pl.Expr, compared: pl.Expr, latest: pl.Expr, year: pl.Expr) -> pl.Expr:
    """``window_question``'s code from the row's dates (and whether its model year is known)."""
    # An estimated date only settles the question when the whole model year lies on one side.
    return (
        pl.when(compared >= since)
        .then(pl.lit(1, pl.UInt32))
        .when(latest < since)
        .then(pl.lit(0, pl.UInt32))
        .otherwise(year.is_not_null().cast(pl.UInt32) + 2)
    )


def covers(window: Window | None, route: str, answer: Answer, ctx: StageContext) -> Answer:
    """The window's answer on one route: a type approved now is new on the as-of date."""
    if window is None or window.compare == "registration" or route not in APPROVING_ROUTES:
        return answer
    assert window.new_models_from is not None
    return (True, 0) if ctx.as_of >= window.new_models_from else answer


def _masked(names: Sequence[str], mask: int) -> tuple[str, ...]:
    """The names whose bit is set in ``mask``, in order."""
    return tuple(n for b, n in enumerate(names) if mask & (1 << b))


def _window_reason(window: Window, route: str) -> str | Template:
    """Why the window leaves the vehicle out."""
    if window.compare == "registration":
        return f"not required: applies to vehicles first registered from {window.registered_from}"
    new = "" if route not in APPROVING_ROUTES else f"new types from {window.new_models_from}, "
    return Template(
        f"not required: applies to {new}vehicles made from {window.continuing_from}; "
        "compared date ",
        "date",
    )


def _date_unknown(window: Window, year_known: bool) -> Decision:
    """Why the window cannot be judged: no date at all, or a model year spanning the date."""
    if not year_known:
        text = "unknown whether it applies: manufacture date and model year unknown"
        return Decision("unknown", text, DATE_COLUMNS)
    spans = Template(
        "unknown whether it applies: model year ",
        "model_year",
        f" may be built before or after {window.continuing_from}; needs manufacture_date",
    )
    return Decision("unknown", spans, DATE_COLUMNS[:1])


def _final(rule: ComplianceRule, route: str) -> Decision:
    """The route's own outcome for a failed requirement."""
    spec = rule.routes[route]
    defaults = {
        "modify": f"does not meet: {rule.title_en}",
        "advisory": f"advisory: {rule.title_en}",
        "block": f"cannot be registered as built: {rule.title_en}",
        "pass": f"deemed met: {rule.title_en}",
        "unknown": f"unknown: {rule.title_en}",
    }
    return Decision(spec.on_fail, spec.reason or defaults[spec.on_fail], spec.missing)


def decide(
    rule: ComplianceRule, route: str, scope: Answer, window: Answer, fails: Answer
) -> Decision:
    """The finding of one rule on one route, given the answers to its three questions."""
    deemed = rule.routes[route].on_fail == "pass"  # missing facts cannot change the outcome
    if rule.applies_to is not None:
        text = rule.applies_to.text
        if scope[0] is False:
            return Decision("pass", f"not required: applies only to {text}")
        if scope[0] is None and not deemed:
            names = _masked(_columns(rule.applies_to.when), scope[1])
            reason = f"unknown whether it applies ({text}): needs {', '.join(names)}"
            return Decision("unknown", reason, names)
    if rule.window is not None:
        if window[0] is False:
            return Decision("pass", _window_reason(rule.window, route))
        if window[0] is None and not deemed:
            return _date_unknown(rule.window, window[1] == 1)
    if fails[0] is False:
        return Decision("pass", rule.pass_reason or f"meets: {rule.title_en}")
    if fails[0] is None and not deemed:
        names = _masked(_columns(rule.fails_when), fails[1])
        return Decision("unknown", f"unknown: needs {', '.join(names)}", names)
    return _final(rule, route)


def compared_kind(rule: ComplianceRule) -> int:
    """Which date a finding shows: 0 none, 1 the as-of date, 2 the vehicle's compared date."""
    if rule.window is None:
        return 0
    return 1 if rule.window.compare == "registration" else 2


def status_of(rule: ComplianceRule) -> str:
    """The weaker of the entry's status and its window's."""
    statuses = [rule.status] + ([rule.window.status] if rule.window and rule.window.status else [])
    return max(statuses, key=lambda s: _STATUS_RANK[s])


def cost_of(name: str | None, ctx: StageContext) -> tuple[int | None, int | None, int | None]:
    """The low/typical/high cost of a change in force on the as-of date (None if none)."""
    if name is None:
        return (None, None, None)
    value = ctx.find(name)
    if value is None or not isinstance(value.value, Range):
        return (None, None, None)
    r = value.value
    return (int(r.low), int(r.typical), int(r.high))
