"""Garage certificate (車庫証明): can a user's parking space certify this vehicle?

The space must be off the road, within 2 km of the base of use, let the vehicle in and out freely
and hold all of it, and the owner must have the right to use it (自動車の保管場所の確保等に関する
法律施行令 第1条). Only "holds all of it" follows from dimensions; the rest the user confirms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl

from jpimport.errors import InputError
from jpimport.rules import RuleStore
from jpimport.stages.context import StageContext
from jpimport.vehicles.vehicle import Vehicle

DISTANCE_RULE = "fit.garage_certificate.max_distance_km"

#: Vehicle column → the matching key of ``excess_mm``.
DIMENSIONS = (("length_mm", "length"), ("width_mm", "width"), ("height_mm", "height"))


def _row(vehicle: pl.DataFrame | Mapping[str, Any] | Vehicle) -> Mapping[str, Any]:
    """One vehicle's values from a one-row frame, a row mapping or a Vehicle."""
    if isinstance(vehicle, Vehicle):
        return vehicle.values
    if isinstance(vehicle, pl.DataFrame):
        if vehicle.height != 1:
            raise InputError(f"takes one vehicle, got a frame of {vehicle.height} rows")
        return vehicle.row(0, named=True)
    return vehicle


def _space(value: int | None, name: str, required: bool) -> int | None:
    """A space dimension in whole millimetres, checked (InputError naming it when bad)."""
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InputError(
            f"must be a positive whole number of millimetres, got {value!r}", field=name
        )
    return value


def _procedure(size_class: object) -> str | None:
    """Certificate for a registered vehicle; a kei car is only notified (届出), where required."""
    if size_class == "kei":
        return "notification"
    if size_class in ("small", "ordinary"):
        return "certificate"
    return None


def garage_certificate(
    vehicle_frame_or_row: pl.DataFrame | Mapping[str, Any] | Vehicle,
    space_length_mm: int,
    space_width_mm: int,
    space_height_mm: int | None = None,
    *,
    as_of: dt.date | None = None,
    rules: RuleStore | None = None,
) -> dict[str, Any]:
    """Whether the space holds the whole vehicle, by how much, and what else the user must show.

    ``excess_mm`` is vehicle minus space per dimension (positive: the vehicle sticks out); the
    height is checked only when the space has a ceiling (``space_height_mm`` given). ``as_of``
    defaults to today and ``rules`` to the bundled rule store.
    """
    row = _row(vehicle_frame_or_row)
    spaces = {
        "length": _space(space_length_mm, "space_length_mm", True),
        "width": _space(space_width_mm, "space_width_mm", True),
        "height": _space(space_height_mm, "space_height_mm", False),
    }
    excess: dict[str, int | None] = {}
    missing: list[str] = []
    for column, key in DIMENSIONS:
        space, size = spaces[key], row.get(column)
        if space is None:
            excess[key] = None
        elif size is None:
            excess[key] = None
            missing.append(column)
        else:
            excess[key] = int(size) - space
    over = any(value is not None and value > 0 for value in excess.values())
    fits: bool | None = False if over else (None if missing else True)
    day = as_of or dt.date.today()
    ctx = StageContext(as_of=day) if rules is None else StageContext(as_of=day, rules=rules)
    distance = ctx.find(DISTANCE_RULE)
    km = None if distance is None else distance.value
    return {
        "fits_entirely": fits,
        "excess_mm": excess,
        "missing": missing,
        "procedure": _procedure(row.get("size_class")),
        "requirements": [
            {
                "id": "holds_whole_vehicle",
                "met": fits,
                "text": "the space holds the whole vehicle and it can enter and leave freely",
            },
            {"id": "off_road", "met": None, "text": "the space is off the road (not on a street)"},
            {
                "id": "within_distance",
                "met": None,
                "max_distance_km": km,
                "text": f"within {km} km in a straight line of the home or office (使用の本拠)"
                if km is not None
                else f"distance limit unknown: {DISTANCE_RULE} is not in force",
            },
            {
                "id": "right_to_use",
                "met": None,
                "text": "the owner has the right to use the space (own land, lease or consent)",
            },
        ],
        "as_of": ctx.as_of.isoformat(),
        "trace": ctx.trace(),
        "not_in_force": dict(ctx.not_in_force),
    }
