"""The canonical vehicle columns (DESIGN.md): names, types, allowed values and source groups.

Every input (catalog, spec file, batch table) is brought to these columns; every stage reads
them. A column's *group* says which source in ``sources`` backs its value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

Kind = Literal["str", "int", "float", "bool", "month"]


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, kind, source group and allowed values."""

    name: str
    kind: Kind
    group: str | None
    description: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


BODIES = ("sedan", "hatchback", "coupe", "convertible", "wagon", "suv", "minivan", "pickup", "van")
POWERTRAINS = ("ice", "hev", "phev", "ev")
FUELS = ("regular", "premium", "diesel", "electric")
DRIVE_SIDES = ("LHD", "RHD")
JAPAN_PLANS = ("announced", "candidate", "sold_in_japan", "none")

COLUMNS: tuple[Column, ...] = (
    Column("id", "str", None, "stable slug, e.g. toyota-tundra-2026-sr5-crewmax-5.5"),
    Column("make", "str", "identity", "brand"),
    Column("model", "str", "identity", "model name"),
    Column("trim", "str", "identity", "trim or grade"),
    Column("model_year", "int", "identity", "U.S. model year", minimum=1950, maximum=2100),
    Column("body", "str", "identity", "body style", choices=BODIES),
    Column("seats", "int", "identity", "seating positions", minimum=1, maximum=60),
    Column("plant_name", "str", "plant", "assembly plant"),
    Column("plant_city", "str", "plant", "plant city"),
    Column("plant_state", "str", "plant", "plant state or province"),
    Column("plant_country", "str", "plant", "ISO 3166 alpha-2 country of assembly"),
    Column("drive_side", "str", "drive", "LHD or RHD as built", choices=DRIVE_SIDES),
    Column("rhd_available", "bool", "drive", "whether the plant builds an RHD version"),
    Column("length_mm", "int", "dimensions", "overall length", minimum=1, maximum=30_000),
    Column("width_mm", "int", "dimensions", "overall width (no mirrors)", minimum=1, maximum=5_000),
    Column("height_mm", "int", "dimensions", "overall height", minimum=1, maximum=6_000),
    Column("wheelbase_mm", "int", "dimensions", "wheelbase", minimum=1, maximum=20_000),
    Column(
        "min_turning_radius_m",
        "float",
        "dimensions",
        "minimum turning radius",
        minimum=1,
        maximum=30,
    ),
    Column("bed_length_mm", "int", "dimensions", "pickup bed floor length", minimum=1),
    Column("bed_floor_area_m2", "float", "dimensions", "pickup bed floor area", minimum=0),
    Column("curb_weight_kg", "int", "weights", "curb weight", minimum=1, maximum=50_000),
    Column("gvwr_kg", "int", "weights", "U.S. gross vehicle weight rating", minimum=1),
    Column("payload_kg", "int", "weights", "U.S. payload incl. occupants", minimum=0),
    Column("declared_payload_kg", "int", None, "maximum load declared in Japan", minimum=0),
    Column("powertrain", "str", "powertrain", "ice, hev, phev or ev", choices=POWERTRAINS),
    Column("displacement_cc", "int", "powertrain", "engine displacement", minimum=0),
    Column("fuel", "str", "powertrain", "fuel the engine is rated for", choices=FUELS),
    Column("epa_combined_mpg", "float", "efficiency", "EPA combined mpg", minimum=0),
    Column("epa_kwh_per_100mi", "float", "efficiency", "EPA kWh per 100 miles", minimum=0),
    Column("msrp_usd", "int", "price", "U.S. base MSRP of this trim", minimum=0),
    Column("jp_price_jpy", "int", "japan", "Japanese retail price incl. tax", minimum=0),
    Column("jp_wltc_km_per_l", "float", "japan", "Japanese WLTC fuel economy", minimum=0),
    Column("japan_plan", "str", "japan", "status for Japan", choices=JAPAN_PLANS),
    Column("manufacture_date", "month", None, "YYYY-MM of the vehicle in hand"),
    Column(
        "rear_turn_signal_color", "str", "equipment", "rear turn lamps", choices=("red", "amber")
    ),
    Column(
        "headlamp_beam",
        "str",
        "equipment",
        "dipped-beam pattern",
        choices=("right_traffic", "left_traffic", "switchable"),
    ),
    Column(
        "speedometer_units", "str", "equipment", "speedometer", choices=("mph", "kmh", "switchable")
    ),
    Column(
        "auto_headlamps", "bool", "equipment", "automatic headlamps that cannot be switched off"
    ),
    Column("approach_sound", "bool", "equipment", "acoustic vehicle alerting system"),
    Column("rear_seatbelt_reminder", "bool", "equipment", "seat-belt reminders for rear seats"),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(c.group for c in COLUMNS if c.group is not None))

_DTYPES: dict[Kind, pl.DataType] = {
    "str": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "month": pl.String(),
}

#: Polars schema of a VehicleFrame (the canonical columns, before any stage adds its own).
FRAME_SCHEMA: dict[str, pl.DataType] = {c.name: _DTYPES[c.kind] for c in COLUMNS}


def columns_in_group(group: str) -> tuple[str, ...]:
    """Names of the columns whose values a source of ``group`` backs."""
    return tuple(c.name for c in COLUMNS if c.group == group)
