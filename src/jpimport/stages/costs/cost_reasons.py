"""Reasons beside cost amounts: packed per row as bits, decoded once per distinct set.

A reason is a text (fixed, or per row) and the rows it applies to. Fixed texts become bits of
UInt64 code columns and per-row texts temporary columns; after the query runs, each distinct
combination is turned into its list of texts once (in order, without repeats), so a million rows
cost a handful of list builds instead of a million.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.stages.classify_plan import Layering

TEXTS = pl.List(pl.String())
BITS = 64


@dataclass(frozen=True)
class Reason:
    """A reason: its text (fixed, or an expression per row) and the rows it applies to."""

    text: str | pl.Expr
    condition: pl.Expr | None = None


def because(condition: pl.Expr, text: str | pl.Expr) -> Reason:
    """A reason where ``condition`` holds (a null condition does not hold)."""
    return Reason(text, condition)


@dataclass(frozen=True)
class Slot:
    """Where one reason is found in a row: always, a bit of a code column, or a text column."""

    column: str | None
    bit: int | None
    text: str | None

    def read(self, row: Mapping[str, Any]) -> str | None:
        """The reason's text in a row of the key columns, or None when it does not apply."""
        if self.column is None:
            return self.text
        value = row[self.column]
        if self.bit is None:
            return None if value is None else str(value)
        return self.text if value >> self.bit & 1 else None


@dataclass(frozen=True)
class ReasonCodes:
    """The reasons of a plan, in order, and the columns that say which apply to a row."""

    slots: tuple[Slot, ...]

    @property
    def keys(self) -> list[str]:
        """The columns the reasons are read from (codes and per-row texts)."""
        return list(dict.fromkeys(s.column for s in self.slots if s.column is not None))

    def texts(self, row: Mapping[str, Any]) -> list[str]:
        """The reasons of one combination of key values, in order, each text once."""
        found = (slot.read(row) for slot in self.slots)
        return list(dict.fromkeys(text for text in found if text is not None))

    def decode(self, frame: pl.DataFrame, name: str) -> pl.Series:
        """The List(String) of reasons of every row of ``frame`` (which holds the keys)."""
        keys = self.keys
        if frame.height == 0:
            return pl.Series(name, [], dtype=TEXTS)
        if not keys:
            return pl.Series(name, [self.texts({})] * frame.height, dtype=TEXTS)
        if frame.height == 1:
            row = {key: frame[key][0] for key in keys}
            return pl.Series(name, [self.texts(row)], dtype=TEXTS)
        distinct = frame.select(keys).unique()
        lists = [self.texts(row) for row in distinct.iter_rows(named=True)]
        if len(keys) == 1 and self.slots and frame.schema[keys[0]] == pl.UInt64():
            codes = frame[keys[0]]
            return codes.replace_strict(distinct[keys[0]], lists, return_dtype=TEXTS).alias(name)
        table = distinct.with_columns(pl.Series(name, lists, dtype=TEXTS))
        rows = frame.select(keys).join(
            table, on=keys, how="left", nulls_equal=True, maintain_order="left"
        )
        return rows[name]


def pack(columns: Layering, name: str, reasons: Sequence[Reason]) -> ReasonCodes:
    """Register the code and text columns of ``reasons`` (temporaries named after ``name``)."""
    slots: list[Slot] = []
    bits: dict[str, list[pl.Expr]] = {}
    for index, reason in enumerate(reasons):
        if isinstance(reason.text, str):
            if reason.condition is None:
                slots.append(Slot(None, None, reason.text))
                continue
            count = sum(len(b) for b in bits.values())
            code = f"{columns.prefix}{name}_code_{count // BITS}"
            bit = count % BITS
            flag = pl.when(reason.condition).then(pl.lit(1 << bit, dtype=pl.UInt64))
            bits.setdefault(code, []).append(flag.otherwise(pl.lit(0, dtype=pl.UInt64)))
            slots.append(Slot(code, bit, reason.text))
        else:
            text = reason.text.cast(pl.String)
            if reason.condition is not None:
                text = pl.when(reason.condition).then(text)
            column = columns.temp(f"{name}_text_{index}", text)
            slots.append(Slot(column.meta.output_name(), None, None))
    for code, flags in bits.items():
        columns.column(code, pl.sum_horizontal(flags))
    return ReasonCodes(tuple(slots))
