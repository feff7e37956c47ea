"""What each batch input column must hold, and vectorised parsing that says what is wrong.

The canonical vehicle columns come from ``vehicles/schema.py`` and the option columns from
``AssessOptions``, so the bounds and allowed values are defined once for single and batch.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import annotated_types
import polars as pl

from jpimport.options import AssessOptions
from jpimport.vehicles.schema import COLUMNS

Kind = Literal["str", "int", "float", "bool", "month", "date"]

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")
_WHAT: dict[str, str] = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "month": "a month as YYYY-MM",
    "date": "a date as YYYY-MM-DD",
}
_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "month": pl.String(),
    "date": pl.Date(),
}


def _num(value: float) -> str:
    """A bound as people write it: 10000000, not 1e+07."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Spec:
    """One input column: its kind, allowed values and bounds."""

    name: str
    kind: Kind
    choices: tuple[str, ...] | None = None
    ge: float | None = None
    le: float | None = None
    gt: float | None = None
    lt: float | None = None

    @property
    def dtype(self) -> pl.DataType:
        """The Polars type of the parsed column."""
        return _DTYPES[self.kind]

    def expected(self) -> str:
        """A plain description of a valid value, as in the single-vehicle messages."""
        if self.choices is not None:
            return f"one of {', '.join(self.choices)}"
        bounds = [
            f"at least {_num(self.ge)}" if self.ge is not None else "",
            f"above {_num(self.gt)}" if self.gt is not None else "",
            f"at most {_num(self.le)}" if self.le is not None else "",
            f"below {_num(self.lt)}" if self.lt is not None else "",
        ]
        if self.ge is not None and self.le is not None:
            bounds = [f"between {_num(self.ge)} and {_num(self.le)}"]
        text = " and ".join(b for b in bounds if b)
        return f"{_WHAT[self.kind]} {text}".strip()


@dataclass(frozen=True)
class Parsed:
    """A parsed column: typed values (null when missing or bad), where a value was given, and
    the error message of each bad value (None when the column has none)."""

    value: pl.Series
    present: pl.Series
    error: pl.Series | None


def _unwrap(annotation: Any) -> Any:
    """Drop ``| None`` from an annotation."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _option_spec(name: str) -> Spec:
    """The spec of one AssessOptions field, read from its annotation and constraints."""
    field = AssessOptions.model_fields[name]
    annotation = _unwrap(field.annotation)
    bounds: dict[str, float] = {}
    for item in field.metadata:
        for key in ("ge", "le", "gt", "lt"):
            if isinstance(item, annotated_types.BaseMetadata) and hasattr(item, key):
                bounds[key] = float(getattr(item, key))
    if typing.get_origin(annotation) is Literal:
        return Spec(name, "str", choices=tuple(str(a) for a in typing.get_args(annotation)))
    if name == "manufactured":
        return Spec(name, "month")
    kinds: dict[Any, Kind] = {
        dt.date: "date",
        bool: "bool",
        int: "int",
        float: "float",
        str: "str",
    }
    return Spec(
        name,
        kinds[annotation],
        ge=bounds.get("ge"),
        le=bounds.get("le"),
        gt=bounds.get("gt"),
        lt=bounds.get("lt"),
    )


@cache
def option_specs() -> dict[str, Spec]:
    """Every option that may be a column, by name (``declared_payload_kg`` is a vehicle column)."""
    return {
        name: _option_spec(name)
        for name in AssessOptions.model_fields
        if name != "declared_payload_kg"
    }


@cache
def vehicle_specs() -> dict[str, Spec]:
    """Every canonical vehicle column, by name."""
    return {
        c.name: Spec(c.name, c.kind, choices=c.choices, ge=c.minimum, le=c.maximum) for c in COLUMNS
    }


def as_text(column: str, dtype: pl.DataType) -> pl.Expr:
    """A column as trimmed text, blank → null (CSV cells arrive as text)."""
    expr = pl.col(column)
    if dtype == pl.String():
        text = expr.str.strip_chars()
        return pl.when(text.str.len_bytes() > 0).then(text)
    return expr.cast(pl.String, strict=False)


# Column names inside the one-column frame a parse works on; each step reads the columns the
# steps before it materialised, so no string operation runs twice.
_RAW, _TEXT, _INT, _FLOAT, _VALUE = "raw", "text", "int", "float", "value"


def _number_steps(dtype: pl.DataType, kind: Kind) -> list[dict[str, pl.Expr]]:
    """Steps reading a number: numbers pass, text is read, whole numbers where asked."""
    raw = pl.col(_RAW)
    if dtype.is_integer():
        cast = pl.Int64 if kind == "int" else pl.Float64
        return [{_VALUE: raw.cast(cast, strict=False)}]
    if dtype.is_float():
        number = raw.cast(pl.Float64)
    elif dtype == pl.String():
        number = pl.col(_TEXT).cast(pl.Float64, strict=False)
    else:
        return [{_VALUE: pl.lit(None, pl.Float64)}]
    steps = [{_FLOAT: number}]
    if dtype == pl.String() and kind == "int":
        steps[0][_INT] = pl.col(_TEXT).cast(pl.Int64, strict=False)
    number = pl.col(_FLOAT)
    finite = number.is_finite()
    if kind == "float":
        return [*steps, {_VALUE: pl.when(finite).then(number)}]
    whole = finite & (number == number.floor()) & (number.abs() < 2.0**62)
    from_float = pl.when(whole).then(number.cast(pl.Int64, strict=False))
    value = pl.coalesce(pl.col(_INT), from_float) if _INT in steps[0] else from_float
    return [*steps, {_VALUE: value}]


def _value_steps(spec: Spec, dtype: pl.DataType) -> list[dict[str, pl.Expr]]:
    """The steps that turn ``raw`` (and its ``text``) into the typed ``value``."""
    raw, text = pl.col(_RAW), pl.col(_TEXT)
    temporal = dtype == pl.Date() or isinstance(dtype, pl.Datetime)
    if spec.kind in ("int", "float"):
        return _number_steps(dtype, spec.kind)
    if spec.kind == "bool":
        if dtype == pl.Boolean():
            return [{_VALUE: raw}]
        if dtype.is_integer():
            return [{_VALUE: pl.when(raw == 1).then(True).when(raw == 0).then(False)}]
        lower = text.str.to_lowercase()
        return [
            {_VALUE: pl.when(lower.is_in(_TRUE)).then(True).when(lower.is_in(_FALSE)).then(False)}
        ]
    if spec.kind == "date":
        if dtype == pl.Date():
            return [{_VALUE: raw}]
        if isinstance(dtype, pl.Datetime):
            return [{_VALUE: raw.dt.date()}]
        return [{_VALUE: text.str.to_date("%Y-%m-%d", strict=False)}]
    if spec.kind == "month":
        if temporal:
            return [{_VALUE: raw.dt.strftime("%Y-%m")}]
        return [{_VALUE: pl.when(text.str.contains(_MONTH)).then(text)}]
    return [{_VALUE: text}]


def _within(spec: Spec, value: pl.Expr) -> pl.Expr:
    """True where a parsed value honours the spec's bounds and choices (null passes)."""
    checks: list[pl.Expr] = []
    if spec.choices is not None:
        checks.append(value.is_in(spec.choices))
    if spec.ge is not None:
        checks.append(value >= spec.ge)
    if spec.le is not None:
        checks.append(value <= spec.le)
    if spec.gt is not None:
        checks.append(value > spec.gt)
    if spec.lt is not None:
        checks.append(value < spec.lt)
    if not checks:
        return pl.lit(True)
    return pl.all_horizontal(checks).fill_null(True)


def parse(spec: Spec, column: pl.Series) -> Parsed:
    """Parse an input column against a spec; a present value that does not fit is an error.

    Blank text and NaN are missing (unknown), not errors.
    """
    dtype = column.dtype
    frame = pl.DataFrame({_RAW: column}).with_columns(as_text(_RAW, dtype).alias(_TEXT))
    for step in _value_steps(spec, dtype):
        frame = frame.with_columns(**step)
    present = pl.col(_TEXT).is_not_null()
    if dtype.is_float():
        present = present & pl.col(_RAW).is_nan().not_()
    elif spec.kind == "float" and _FLOAT in frame.columns:
        present = present & pl.col(_FLOAT).is_nan().fill_null(False).not_()
    value = pl.col(_VALUE)
    good = value.is_not_null() & _within(spec, value)
    frame = frame.select(
        pl.when(good).then(value).cast(spec.dtype).alias(_VALUE),
        (present & good.not_()).alias("bad"),
        present.alias("present"),
        pl.col(_TEXT),
    )
    bad = frame.get_column("bad")
    error: pl.Series | None = None
    if bad.any():
        shown = pl.col(_TEXT)
        if dtype == pl.String():
            shown = pl.lit("'") + pl.col(_RAW) + pl.lit("'")
        said = pl.lit(f"column {spec.name}: expected {spec.expected()}, got ")
        error = (
            frame.with_columns(pl.Series(_RAW, column))
            .select(pl.when(pl.col("bad")).then(said + shown.fill_null("?")))
            .to_series()
        )
    return Parsed(
        value=frame.get_column(_VALUE),
        present=frame.get_column("present"),
        error=error,
    )
