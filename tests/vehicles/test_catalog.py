"""The bundled catalog: every row valid, every value sourced, the required models present."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import jpimport
from jpimport.errors import InputError, UnknownVehicleError
from jpimport.vehicles.catalog import catalog_dir, catalog_vehicles, parse_catalog_file
from jpimport.vehicles.schema import COLUMNS, FRAME_SCHEMA

#: Issue 2's list of U.S.-built models (make, model), plus the Japanese comparables of issue 4.
REQUIRED = [
    ("Toyota", "Camry"),
    ("Toyota", "Highlander"),
    ("Toyota", "Grand Highlander"),
    ("Toyota", "Tundra"),
    ("Toyota", "Sequoia"),
    ("Toyota", "Sienna"),
    ("Toyota", "Corolla"),
    ("Lexus", "TX"),
    ("Honda", "Ridgeline"),
    ("Honda", "Pilot"),
    ("Honda", "Passport"),
    ("Honda", "Odyssey"),
    ("Honda", "Accord"),
    ("Honda", "CR-V"),
    ("Acura", "Integra"),
    ("Acura", "MDX"),
    ("Nissan", "Murano"),
    ("Nissan", "Pathfinder"),
    ("Nissan", "Frontier"),
    ("Nissan", "Rogue"),
    ("Nissan", "Altima"),
    ("Subaru", "Ascent"),
    ("Mazda", "CX-50"),
    ("Ford", "F-150"),
    ("Ford", "Explorer"),
    ("Ford", "Bronco"),
    ("Ford", "Mustang"),
    ("Chevrolet", "Silverado 1500"),
    ("Chevrolet", "Tahoe"),
    ("Chevrolet", "Corvette"),
    ("Cadillac", "Escalade"),
    ("Jeep", "Wrangler"),
    ("Jeep", "Grand Cherokee"),
    ("Tesla", "Model Y"),
    ("Tesla", "Model 3"),
]

#: The Japan lineup: announced models and press candidates (issue 2's priority list).
LINEUP = {
    ("Toyota", "Camry"),
    ("Toyota", "Highlander"),
    ("Toyota", "Tundra"),
    ("Acura", "Integra"),
    ("Honda", "Passport"),
    ("Nissan", "Murano"),
    ("Toyota", "Sienna"),
    ("Toyota", "Sequoia"),
    ("Honda", "Ridgeline"),
    ("Honda", "Pilot"),
    ("Nissan", "Pathfinder"),
    ("Nissan", "Frontier"),
    ("Ford", "F-150"),
}


def test_catalog_frame_has_canonical_schema() -> None:
    frame = jpimport.catalog()
    assert frame.height >= 40
    for name, dtype in FRAME_SCHEMA.items():
        assert frame.schema[name] == dtype, name
    assert frame["id"].n_unique() == frame.height


@pytest.mark.parametrize("make_model", REQUIRED, ids=lambda m: " ".join(m))
def test_required_model_present(make_model: tuple[str, str]) -> None:
    make, model = make_model
    frame = jpimport.catalog().filter((pl.col("make") == make) & (pl.col("model") == model))
    assert frame.height >= 1
    assert set(frame["plant_country"].to_list()) == {"US"}


def test_tundra_has_both_crewmax_beds() -> None:
    ids = [i for i in catalog_vehicles() if i.startswith("toyota-tundra-")]
    assert any("5.5" in i for i in ids) and any("6.5" in i for i in ids)


def test_japan_lineup_is_marked() -> None:
    frame = jpimport.catalog().filter(pl.col("japan_plan").is_in(["announced", "candidate"]))
    present = set(zip(frame["make"], frame["model"], strict=True))
    assert present >= LINEUP


def test_japanese_comparables_have_japanese_prices() -> None:
    frame = jpimport.catalog().filter(pl.col("plant_country") != "US")
    models = set(frame["model"])
    assert {"Alphard", "Land Cruiser 250", "Land Cruiser 300", "Hilux", "GX"} <= models
    assert frame["jp_price_jpy"].null_count() == 0


@pytest.mark.parametrize("vehicle_id", sorted(catalog_vehicles()))
def test_every_value_group_has_a_source(vehicle_id: str) -> None:
    vehicle = catalog_vehicles()[vehicle_id]
    today = dt.date.today()
    for column in COLUMNS:
        if column.group and vehicle.values.get(column.name) is not None:
            source = vehicle.sources.get(column.group)
            assert source is not None, f"{column.name} has no [sources.{column.group}]"
            assert source.url.startswith(("http://", "https://"))
            assert source.verified_on <= today
    for name in vehicle.estimated:
        assert vehicle.values.get(name) is not None, f"{name} is estimated but empty"


def test_every_file_is_named_by_its_id() -> None:
    files = sorted(p.stem for p in catalog_dir().glob("*.toml"))
    assert files == sorted(catalog_vehicles())


def test_get_vehicle_suggests_close_ids() -> None:
    with pytest.raises(UnknownVehicleError, match="did you mean toyota-camry-2026-le"):
        jpimport.get_vehicle("toyota-camry-2026-l")


GOOD = """id = "{stem}"
make = "Ford"
width_mm = 2029
[sources.identity]
url = "https://example.org/a"
title = "a"
verified_on = 2026-11-01
[sources.dimensions]
url = "https://example.org/b"
title = "b"
verified_on = 2026-11-01
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD, None),
        (
            GOOD.replace('make = "Ford"', 'make = "Ford"\nseats = "five"'),
            "field seats: expected a whole number, got 'five'",
        ),
        (
            GOOD.replace("[sources.dimensions]", "[sources.dims]"),
            "field sources.dims: unknown group",
        ),
        (
            GOOD.replace("width_mm = 2029", "width_mm = 2029\nheight_mm = 1900").replace(
                "[sources.dimensions]\nurl", "[sources.weights]\nurl"
            ),
            "field width_mm: has a value but no [sources.dimensions] table",
        ),
        (GOOD.replace('title = "a"\n', ""), "field sources.identity: title: Field required"),
        (
            GOOD + '[estimated]\nheight_mm = "from a sibling"\n',
            "field height_mm: marked estimated but has no value",
        ),
        (GOOD.replace('id = "{stem}"', 'id = "other"'), "field id: 'other' does not match"),
    ],
)
def test_broken_catalog_file_names_file_and_field(
    tmp_path: Path, text: str, expected: str | None
) -> None:
    path = tmp_path / "ford-test.toml"
    path.write_text(text.replace("{stem}", "ford-test"), encoding="utf-8")
    if expected is None:
        assert parse_catalog_file(path).id == "ford-test"
        return
    with pytest.raises(InputError) as info:
        parse_catalog_file(path)
    assert str(info.value).startswith(f"{path}, {expected}"), str(info.value)
