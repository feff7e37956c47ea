"""The bundled catalog of U.S.-built vehicles (and Japanese comparables), validated at load."""

from __future__ import annotations

import difflib
import tomllib
from functools import cache
from importlib.resources import files
from pathlib import Path

import polars as pl

from jpimport.errors import DataError, InputError, UnknownVehicleError
from jpimport.vehicles.records import validate_estimated, validate_sources, validate_values
from jpimport.vehicles.vehicle import Vehicle, vehicles_frame


def catalog_dir() -> Path:
    """The folder of bundled catalog files, one TOML file per entry."""
    return Path(str(files("jpimport.vehicles").joinpath("data", "catalog")))


def parse_catalog_file(path: Path) -> Vehicle:
    """Read and validate one catalog entry; sources are required for every valued group."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=path) from None
    sources_raw = raw.pop("sources", None)
    estimated_raw = raw.pop("estimated", None)
    values = validate_values(raw, source=path)
    if values["id"] is None:
        raise InputError("missing; every catalog entry needs an id", source=path, field="id")
    if values["id"] != path.stem:
        raise InputError(
            f"{values['id']!r} does not match the file name {path.stem!r}", source=path, field="id"
        )
    sources = validate_sources(sources_raw, values, source=path, required=True)
    estimated = validate_estimated(estimated_raw, values, source=path)
    return Vehicle(values=values, sources=sources, estimated=estimated)


@cache
def catalog_vehicles() -> dict[str, Vehicle]:
    """Every bundled entry by id, sorted by id; a broken file is a packaging bug (DataError)."""
    vehicles: dict[str, Vehicle] = {}
    for path in sorted(catalog_dir().glob("*.toml")):
        try:
            vehicle = parse_catalog_file(path)
        except InputError as exc:
            raise DataError(f"bundled catalog is broken: {exc}") from exc
        vehicles[vehicle.id] = vehicle
    return vehicles


@cache
def load_catalog() -> pl.DataFrame:
    """The catalog as a VehicleFrame, one row per entry, ordered by id."""
    return vehicles_frame(catalog_vehicles().values())


def get_vehicle(vehicle_id: str) -> Vehicle:
    """The catalog entry with this id; the error suggests close ids."""
    vehicles = catalog_vehicles()
    try:
        return vehicles[vehicle_id]
    except KeyError:
        close = difflib.get_close_matches(vehicle_id, list(vehicles), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `jpimport catalog list`"
        raise UnknownVehicleError(f"no catalog entry {vehicle_id!r}{hint}") from None
