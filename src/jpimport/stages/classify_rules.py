"""Reading rules for the classify and fit stages: in force or an explicit "not in force" outcome.

A stage part reads its parameters with ``need``; if one is not in force on the assessment date the
part's columns become null with a reason naming the rule (and the context records the absence),
so an early date gives an explicit unknown instead of a crash or a silent zero.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from jpimport.errors import DataError
from jpimport.rules import ParameterValue
from jpimport.stages.classify_plan import Layers, Plan, merge
from jpimport.stages.context import StageContext


class RuleNotInForceError(Exception):
    """A parameter a stage part needs has no value in force on the assessment date."""

    def __init__(self, name: str, ctx: StageContext) -> None:
        self.name = name
        super().__init__(f"{name} is not in force on {ctx.as_of.isoformat()}")


def need(ctx: StageContext, name: str) -> ParameterValue:
    """The value of ``name`` in force (traced), or RuleNotInForceError (its absence traced too)."""
    value = ctx.find(name)
    if value is None:
        raise RuleNotInForceError(name, ctx)
    return value


def need_int(ctx: StageContext, name: str) -> int:
    """A whole-number scalar parameter in force."""
    value = need(ctx, name).value
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataError(f"{name} must be a whole number, got {value!r}")
    return value


def table_numbers(value: ParameterValue) -> dict[str, int]:
    """A table parameter of whole numbers as a plain dict keyed by text."""
    table = value.value
    if not isinstance(table, Mapping):
        raise DataError(f"{value.name} is not a table")
    out: dict[str, int] = {}
    for key, entry in table.items():
        if isinstance(entry, bool) or not isinstance(entry, int):
            raise DataError(f"{value.name}: entry {key!r} is not a whole number")
        out[str(key)] = entry
    return out


def table_values(value: ParameterValue) -> list[float]:
    """The numbers of a table parameter (a DataError if it holds anything else)."""
    table = value.value
    if not isinstance(table, Mapping):
        raise DataError(f"{value.name} is not a table")
    numbers: list[float] = []
    for key, entry in table.items():
        if isinstance(entry, bool) or not isinstance(entry, int | float):
            raise DataError(f"{value.name}: entry {key!r} is not a number")
        numbers.append(float(entry))
    return numbers


@dataclass(frozen=True)
class StagePart:
    """A part of a stage: what builds its layers, its columns' types, and the column that says why.

    ``build`` returns layers of expressions (``classify_plan``): each layer reads only columns of
    earlier steps and of its own earlier layers, so every expression stays shallow.
    """

    build: Callable[[StageContext], Layers]
    schema: Mapping[str, pl.DataType]
    reason: str | None = None

    def layers(self, ctx: StageContext) -> Layers:
        """The part's layers, or null columns (and a reason) when a rule is not in force."""
        try:
            return self.build(ctx)
        except RuleNotInForceError as missing:
            out: list[pl.Expr] = []
            for name, dtype in self.schema.items():
                if name == self.reason:
                    text = f"unknown: {missing}"
                    value: object = [text] if isinstance(dtype, pl.List) else text
                    out.append(pl.lit(value, dtype=dtype).alias(name))
                else:
                    out.append(pl.lit(None, dtype=dtype).alias(name))
            return [out]


def stage_plan(steps: Sequence[Sequence[StagePart]], ctx: StageContext) -> Plan:
    """The plan of a stage whose steps run in order, the parts of a step side by side."""
    layers: Layers = []
    for step in steps:
        layers += merge([part.layers(ctx) for part in step])
    outputs = [name for step in steps for part in step for name in part.schema]
    return Plan.of(layers, outputs)
