"""The "unknown (no source found)" line names only the columns that apply to the vehicle."""

from __future__ import annotations

from jpimport.views.assessment_text import missing_key_columns

_SIZE = {"length_mm": 4800, "width_mm": 1920, "height_mm": 1625, "curb_weight_kg": 1990, "seats": 5}


def test_an_electric_car_is_not_asked_for_displacement_or_mpg() -> None:
    ev = {**_SIZE, "powertrain": "ev", "fuel": "electric", "msrp_usd": 40000}
    assert missing_key_columns(ev) == ["epa_kwh_per_100mi"]


def test_a_petrol_car_is_asked_for_displacement_fuel_and_mpg() -> None:
    car = {**_SIZE, "powertrain": "ice", "msrp_usd": 30000}
    assert missing_key_columns(car) == ["displacement_cc", "fuel", "epa_combined_mpg"]


def test_a_car_priced_in_japan_with_a_wltc_figure_needs_no_msrp_or_mpg() -> None:
    car = {
        **_SIZE,
        "powertrain": "hev",
        "fuel": "regular",
        "displacement_cc": 2487,
        "jp_price_jpy": 6350000,
        "jp_wltc_km_per_l": 17.7,
    }
    assert missing_key_columns(car) == []
