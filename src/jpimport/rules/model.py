"""Typed, immutable parameters and their dated values: as-of lookup, brackets, tables, trace."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeAlias

import polars as pl

from jpimport.errors import NotInForceError
from jpimport.rules import vector
from jpimport.rules.schema import Kind, SourceKind, Status

Number: TypeAlias = int | float
TableKey: TypeAlias = str | int
Part: TypeAlias = Literal["low", "typical", "high"]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a value comes from: a title, a URL and, where known, the article of law."""

    title: str
    url: str
    article: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The citation as JSON-ready data."""
        return {"title": self.title, "url": self.url, "article": self.article}


@dataclass(frozen=True, slots=True)
class Range:
    """An estimate: low <= typical <= high, so outputs can show the spread, not one guess."""

    low: Number
    typical: Number
    high: Number

    def part(self, which: Part) -> Number:
        """One end of the range, or its typical value."""
        return {"low": self.low, "typical": self.typical, "high": self.high}[which]

    def to_dict(self) -> dict[str, Number]:
        """The range as JSON-ready data."""
        return {"low": self.low, "typical": self.typical, "high": self.high}


Entry: TypeAlias = int | float | bool | str | Range
Value: TypeAlias = int | float | bool | str | Range | Mapping[TableKey, Entry]


@dataclass(frozen=True, slots=True)
class Bracket:
    """One step of a scale: quantities up to ``up_to`` (inclusive; None: no bound) get ``value``."""

    up_to: Number | None
    value: Number | Range


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """The value of one parameter in force over [start, end), with its source for the trace."""

    name: str
    unit: str
    kind: Kind
    start: date
    end: date | None
    value: Value | None
    brackets: tuple[Bracket, ...] | None
    citation: Citation
    source_kind: SourceKind
    status: Status
    note: str | None = None
    reads: str | None = None

    @property
    def unconfirmed(self) -> bool:
        """Whether the value is not confirmed (unconfirmed or an estimate): outputs must say so."""
        return self.status != "confirmed"

    def in_force_on(self, as_of: date) -> bool:
        """Whether this window covers the date."""
        return self.start <= as_of and (self.end is None or as_of < self.end)

    def lookup(self, q: object) -> Entry | None:
        """The bracket value for quantity ``q`` or the table entry for key ``q``; None → None.

        Brackets: the first bracket with ``q <= up_to``; NaN counts as unknown. Tables: a key the
        table lacks gives None (unknown), as ``table_expr`` does for a column.
        """
        if q is None:
            return None
        if self.brackets is not None:
            if isinstance(q, bool) or not isinstance(q, int | float):
                raise TypeError(f"{self.name}: a bracket lookup takes a number, got {q!r}")
            if isinstance(q, float) and math.isnan(q):
                return None
            for bracket in self.brackets:
                if bracket.up_to is None or q <= bracket.up_to:
                    return bracket.value
            return None  # unreachable: the loader requires an open last bracket
        if isinstance(self.value, Mapping):
            if isinstance(q, bool) or not isinstance(q, str | int):
                raise TypeError(f"{self.name}: a table lookup takes a string or integer key")
            return self.value.get(q)
        raise TypeError(f"{self.name} is a {self.kind} parameter; read .value instead of lookup()")

    def expr(self, column: pl.Expr, part: Part | None = None) -> pl.Expr:
        """Vectorised bracket lookup over a column: a when/then chain; null or NaN in → null out.

        ``part`` picks low/typical/high when the bracket values are ranges.
        """
        if self.brackets is None:
            raise TypeError(f"{self.name} is a {self.kind} parameter; expr() needs brackets")
        bounds = [b.up_to for b in self.brackets]
        values = [_pick(self.name, b.value, part) for b in self.brackets]
        return vector.bracket_expr(column, bounds, values)

    def table_expr(self, column: pl.Expr, part: Part | None = None) -> pl.Expr:
        """Vectorised table lookup over a column of keys; keys the table lacks give null."""
        if not isinstance(self.value, Mapping):
            raise TypeError(f"{self.name} is a {self.kind} parameter; table_expr() needs a table")
        mapping = {key: _pick(self.name, entry, part) for key, entry in self.value.items()}
        return vector.table_expr(column, mapping)

    def trace(self, value_used: object = None) -> dict[str, Any]:
        """JSON-ready record for the assessment trace; ``value_used`` replaces the whole value."""
        if value_used is not None:
            shown: Any = _json(value_used)
        elif self.brackets is not None:
            shown = [{"up_to": b.up_to, "value": _json(b.value)} for b in self.brackets]
        else:
            shown = _json(self.value)
        return {
            "name": self.name,
            "value": shown,
            "unit": self.unit,
            "start": self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "citation": self.citation.to_dict(),
            "source_kind": self.source_kind,
            "status": self.status,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Ending:
    """A date from which the parameter is not in force (``value: null``), with its source if any."""

    start: date
    citation: Citation | None
    status: Status | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
    """One rule file: metadata plus the dated windows in which it is in force, oldest first."""

    name: str
    title: str
    title_ja: str
    description: str
    unit: str
    kind: Kind
    reads: str | None
    keys: tuple[TableKey, ...] | None
    last_verified_on: date
    path: Path
    windows: tuple[ParameterValue, ...]
    endings: tuple[Ending, ...] = ()

    def find(self, as_of: date) -> ParameterValue | None:
        """The value in force on ``as_of``, or None when the parameter is not in force then."""
        day = _as_date(as_of)
        i = bisect_right(self.windows, day, key=lambda w: w.start)
        if i == 0:
            return None
        window = self.windows[i - 1]
        return window if window.in_force_on(day) else None

    def at(self, as_of: date) -> ParameterValue:
        """The value in force on ``as_of``; raises NotInForceError naming the windows it has."""
        found = self.find(as_of)
        if found is None:
            spans = "; ".join(_spans(self.windows)) or "never"
            raise NotInForceError(
                f"{self.name} is not in force on {_as_date(as_of).isoformat()} (in force: {spans})"
            )
        return found


def _as_date(as_of: date) -> date:
    """Accept a datetime as its date, since comparing the two types raises."""
    return as_of.date() if isinstance(as_of, datetime) else as_of


def _spans(windows: tuple[ParameterValue, ...]) -> list[str]:
    """Windows as text, adjacent ones merged: 'from 2013-02-27', 'from A until B'."""
    merged: list[tuple[date, date | None]] = []
    for w in windows:
        if merged and merged[-1][1] == w.start:
            merged[-1] = (merged[-1][0], w.end)
        else:
            merged.append((w.start, w.end))
    return [
        f"from {a.isoformat()}" + ("" if b is None else f" until {b.isoformat()}")
        for a, b in merged
    ]


def _pick(name: str, entry: Entry, part: Part | None) -> Number | bool | str:
    """A plain value for a vector expression: a number as is, or the chosen part of a range."""
    if isinstance(entry, Range):
        if part is None:
            raise TypeError(f"{name} holds ranges; pass part='low', 'typical' or 'high'")
        return entry.part(part)
    if part is not None:
        raise TypeError(f"{name} holds plain values, not ranges; do not pass part")
    return entry


def _json(value: object) -> Any:
    """Ranges and tables as JSON-ready data (table keys become strings)."""
    if isinstance(value, Range):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, Bracket):
        return {"up_to": value.up_to, "value": _json(value.value)}
    return value
