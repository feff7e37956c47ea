"""Validate one vehicle record (a mapping of canonical columns) and say exactly what is wrong.

The validator is a Pydantic model generated from the column table in ``schema.py``, so the
table is the single definition of names, types, bounds and allowed values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, create_model

from jpimport.errors import InputError
from jpimport.vehicles.schema import BY_NAME, COLUMNS, GROUPS, NAMES, Column

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
_URL = re.compile(r"^https?://\S+$")
_EXPECTED: dict[str, str] = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "month": "a month as YYYY-MM",
}


class Source(BaseModel):
    """Where one group of values comes from, and when it was checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    title: str
    verified_on: dt.date
    more_urls: tuple[str, ...] = ()
    note: str | None = None


def _field_type(column: Column) -> Any:
    """The Python type Pydantic should validate a column against."""
    if column.choices is not None:
        return Literal[column.choices]
    return {"str": StrictStr, "int": int, "float": float, "bool": bool, "month": str}[column.kind]


@cache
def _validator() -> type[BaseModel]:
    """Build (once) the Pydantic model that checks one record's canonical columns."""
    fields: dict[str, Any] = {}
    for column in COLUMNS:
        constraints: dict[str, Any] = {}
        if column.minimum is not None:
            constraints["ge"] = column.minimum
        if column.maximum is not None:
            constraints["le"] = column.maximum
        if column.kind == "month":
            constraints["pattern"] = _MONTH
        fields[column.name] = (_field_type(column) | None, Field(default=None, **constraints))
    config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    model: type[BaseModel] = create_model("VehicleRecord", __config__=config, **fields)
    return model


def _describe(column_name: str, error: Mapping[str, Any]) -> str:
    """Turn one Pydantic error into a plain sentence about the field."""
    column = BY_NAME.get(column_name)
    given = error.get("input")
    kind = error.get("type", "")
    if column is None:
        return f"unknown column; expected one of the canonical columns ({', '.join(NAMES[:6])}, …)"
    if column.choices is not None and kind == "literal_error":
        return f"expected one of {', '.join(column.choices)}, got {given!r}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds = f"between {column.minimum:g} and {column.maximum:g}"
        if column.maximum is None:
            bounds = f"at least {column.minimum:g}"
        return f"expected {_EXPECTED[column.kind]} {bounds}, got {given!r}"
    return f"expected {_EXPECTED[column.kind]}, got {given!r}"


def validate_values(
    raw: Mapping[str, Any], *, source: str | Path | None = None, row: int | None = None
) -> dict[str, Any]:
    """Check a record's canonical columns; return them complete (absent → None).

    Raises ``InputError`` naming the source, the row and the first field at fault.
    """
    cleaned = {k: (None if v == "" else v) for k, v in raw.items()}
    try:
        record = _validator().model_validate(cleaned)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        raise InputError(_describe(name, first), source=source, row=row, field=name) from None
    return record.model_dump()


def validate_sources(
    raw: Any, values: Mapping[str, Any], *, source: str | Path, required: bool
) -> dict[str, Source]:
    """Check ``[sources.<group>]`` tables; when required, every group with a value needs one."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise InputError("expected a table of sources by group", source=source, field="sources")
    sources: dict[str, Source] = {}
    for group, table in raw.items():
        where = f"sources.{group}"
        if group not in GROUPS:
            raise InputError(
                f"unknown group; expected one of {', '.join(GROUPS)}", source=source, field=where
            )
        try:
            parsed = Source.model_validate(table)
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(p) for p in first["loc"])
            raise InputError(f"{key}: {first['msg']}", source=source, field=where) from None
        for url in (parsed.url, *parsed.more_urls):
            if not _URL.match(url):
                raise InputError(
                    f"expected an http(s) URL, got {url!r}", source=source, field=where
                )
        sources[group] = parsed
    if required:
        for column in COLUMNS:
            if column.group and values.get(column.name) is not None and column.group not in sources:
                raise InputError(
                    f"has a value but no [sources.{column.group}] table says where it comes from",
                    source=source,
                    field=column.name,
                )
    return sources


def validate_estimated(
    raw: Any, values: Mapping[str, Any], *, source: str | Path
) -> dict[str, str]:
    """Check ``[estimated]``: column name → how the value was derived (non-empty)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InputError("expected a table column = how derived", source=source, field="estimated")
    for name, how in raw.items():
        if name not in BY_NAME:
            raise InputError("not a canonical column", source=source, field=f"estimated.{name}")
        if values.get(name) is None:
            raise InputError("marked estimated but has no value", source=source, field=name)
        if not isinstance(how, str) or not how.strip():
            raise InputError(
                "expected a sentence saying how the value was derived",
                source=source,
                field=f"estimated.{name}",
            )
    return dict(raw)
