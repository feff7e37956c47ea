"""Users' own vehicle files: TOML, JSON or CSV with the canonical columns."""

from __future__ import annotations

import csv
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from jpimport.errors import InputError
from jpimport.vehicles.records import validate_estimated, validate_sources, validate_values
from jpimport.vehicles.vehicle import Vehicle, vehicles_frame


def _slug(values: Mapping[str, Any], row: int) -> str:
    """An id for a user's vehicle that has none: make-model-year-trim, or vehicle-<row>."""
    parts = [values.get(k) for k in ("make", "model", "model_year", "trim")]
    text = "-".join(str(p) for p in parts if p is not None)
    slug = re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")
    return slug or f"vehicle-{row}"


def _records(path: Path) -> list[dict[str, Any]]:
    """The raw records of a file, by its extension."""
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", source=path) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=path) from None
    if suffix == ".toml":
        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not valid TOML: {exc}", source=path) from None
        data = data["vehicles"] if set(data) == {"vehicles"} else data
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}", source=path) from None
    elif suffix == ".csv":
        data = list(csv.DictReader(text.splitlines()))
    else:
        raise InputError(
            f"unsupported file type {suffix!r}; expected .toml, .json or .csv", source=path
        )
    records = data if isinstance(data, list) else [data]
    for row, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise InputError("expected a table of column = value", source=path, row=row)
    return records


def read_vehicles(path: str | Path) -> list[Vehicle]:
    """Read and validate every vehicle in a user's file (sources optional)."""
    path = Path(path)
    vehicles: list[Vehicle] = []
    for row, raw in enumerate(_records(path), start=1):
        raw = dict(raw)
        sources_raw = raw.pop("sources", None)
        estimated_raw = raw.pop("estimated", None)
        values = validate_values(raw, source=path, row=row)
        if values["id"] is None:
            values["id"] = _slug(values, row)
        try:
            sources = validate_sources(sources_raw, values, source=path, required=False)
            estimated = validate_estimated(estimated_raw, values, source=path)
        except InputError as exc:
            raise InputError(exc.reason, source=path, row=row, field=exc.field) from None
        vehicles.append(Vehicle(values=values, sources=sources, estimated=estimated))
    if not vehicles:
        raise InputError("no vehicles in the file", source=path)
    return vehicles


def load_vehicles(path: str | Path) -> pl.DataFrame:
    """A user's vehicle file as a VehicleFrame (one row per vehicle, in file order)."""
    return vehicles_frame(read_vehicles(path))
