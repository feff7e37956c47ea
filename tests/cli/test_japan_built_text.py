"""A Japan-built comparable's text shows its Japanese list price, not a table of unknowns."""

from __future__ import annotations

from jpimport import Vehicle, assess
from jpimport.vehicles.records import validate_values

_JAPAN_BUILT = {
    "id": "test-japan-built",
    "make": "Test",
    "model": "Wagon",
    "body": "suv",
    "seats": 5,
    "plant_country": "JP",
    "length_mm": 4925,
    "width_mm": 1980,
    "height_mm": 1935,
    "powertrain": "ice",
    "fuel": "diesel",
    "displacement_cc": 2754,
    "curb_weight_kg": 2410,
    "jp_wltc_km_per_l": 11.0,
    "jp_price_jpy": 7350000,
}


def _vehicle(**changes: object) -> Vehicle:
    return Vehicle(values=validate_values({**_JAPAN_BUILT, **changes}))


def test_the_landed_table_says_not_imported_and_retail_is_the_list_price() -> None:
    text = assess(_vehicle(), as_of="2026-11-21").table()
    landed = text.split("Landed cost per unit")[1].split("At registration")[0]
    assert "Not imported" in landed
    assert "Japanese list price" in landed
    assert "¥7,350,000" in landed
    assert "FOB" not in landed


def test_a_us_built_car_keeps_its_landed_parts() -> None:
    car = _vehicle(plant_country="US", jp_price_jpy=None, msrp_usd=50000)
    text = assess(car, as_of="2026-11-21").table()
    assert "FOB (U.S. port)" in text
    assert "Not imported" not in text


def test_a_japan_built_car_gets_no_import_route_and_says_why() -> None:
    result = assess(_vehicle(), as_of="2026-11-21")
    assert result.row["recommended_pathway"] is None
    assert "built in Japan" in result.row["recommended_reason"]
    assert "Recommended route: none — built in Japan" in result.table()


def test_a_car_of_unknown_plant_is_still_treated_as_an_import() -> None:
    result = assess(
        _vehicle(plant_country=None, jp_price_jpy=None, msrp_usd=50000), as_of="2026-11-21"
    )
    assert "built in Japan" not in (result.row["recommended_reason"] or "")
