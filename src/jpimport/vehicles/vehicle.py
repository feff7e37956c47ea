"""A single vehicle: its canonical values, the sources behind them, and what is estimated."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jpimport.vehicles.records import Source
from jpimport.vehicles.schema import FRAME_SCHEMA, NAMES

#: Columns a VehicleFrame carries besides the canonical ones.
EXTRA_SCHEMA: dict[str, pl.DataType] = {
    "verified_on": pl.Date(),
    "estimated": pl.List(pl.String()),
    "sources": pl.String(),
}


@dataclass(frozen=True)
class Vehicle:
    """One vehicle with every canonical column (None where unknown) and its provenance."""

    values: Mapping[str, Any]
    sources: Mapping[str, Source] = field(default_factory=dict)
    estimated: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        """The value of a canonical column (None when unknown)."""
        if name not in NAMES:
            raise KeyError(name)
        return self.values.get(name)

    @property
    def id(self) -> str:
        """The vehicle's stable slug."""
        return str(self.values["id"])

    @property
    def verified_on(self) -> dt.date | None:
        """The oldest date on which any of its sources was checked."""
        dates = [s.verified_on for s in self.sources.values()]
        return min(dates) if dates else None

    @property
    def label(self) -> str:
        """A short human name: year, make, model and trim."""
        parts = (self["model_year"], self["make"], self["model"], self["trim"])
        return " ".join(str(p) for p in parts if p is not None)

    def sources_dict(self) -> dict[str, dict[str, Any]]:
        """Sources by group, JSON-ready."""
        return {g: s.model_dump(mode="json", exclude_none=True) for g, s in self.sources.items()}

    def to_dict(self) -> dict[str, Any]:
        """Every canonical column plus ``sources``, ``estimated`` and ``verified_on``."""
        out: dict[str, Any] = {name: self.values.get(name) for name in NAMES}
        out["estimated"] = dict(self.estimated)
        out["sources"] = self.sources_dict()
        verified = self.verified_on
        out["verified_on"] = verified.isoformat() if verified else None
        return out

    def row(self) -> dict[str, Any]:
        """The vehicle as one VehicleFrame row."""
        out: dict[str, Any] = {name: self.values.get(name) for name in NAMES}
        out["verified_on"] = self.verified_on
        out["estimated"] = sorted(self.estimated)
        out["sources"] = json.dumps(self.sources_dict(), ensure_ascii=False, sort_keys=True)
        return out

    def frame(self) -> pl.DataFrame:
        """The vehicle as a one-row VehicleFrame: the same path as a million rows."""
        return vehicles_frame([self])


def vehicles_frame(vehicles: Iterable[Vehicle]) -> pl.DataFrame:
    """Build a VehicleFrame (canonical columns + provenance) from vehicles, in order."""
    schema = {**FRAME_SCHEMA, **EXTRA_SCHEMA}
    return pl.DataFrame([v.row() for v in vehicles], schema=schema, orient="row")
