"""The lineup's regional totals come with what is known of them and which parts are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from jpimport.reports.compare import BOUNDS, compare
from jpimport.reports.lineup import lineup

_TOTALS = ("first_year_tokyo", "annual_tokyo", "first_year_national", "annual_national")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return lineup(as_of="2026-11-21").rows


def test_a_complete_total_is_its_own_bound_and_an_incomplete_one_names_what_is_missing(
    rows: list[dict[str, object]],
) -> None:
    for row in rows:
        for total in _TOTALS:
            value, known = row[f"{total}_jpy"], row[f"{total}_known_jpy"]
            missing = row[f"{total}_missing"]
            assert isinstance(missing, list)
            if value is not None:
                assert (known, missing) == (value, []), (row["id"], total)
            else:
                assert missing, (row["id"], total)


def test_tokyo_parking_makes_the_tokyo_annual_bound_at_least_the_national_one(
    rows: list[dict[str, object]],
) -> None:
    for row in rows:
        tokyo, national = row["annual_tokyo_known_jpy"], row["annual_national_known_jpy"]
        if isinstance(tokyo, int) and isinstance(national, int):
            assert tokyo >= national, row["id"]


_WHOLE = """
make = "Test"
model = "Wagon"
body = "suv"
seats = 5
plant_country = "JP"
length_mm = 4925
width_mm = 1980
height_mm = 1935
powertrain = "ice"
fuel = "diesel"
displacement_cc = 2754
jp_wltc_km_per_l = 11.0
jp_price_jpy = 7350000
"""


def test_compare_gives_each_total_its_known_part_and_missing_parts(tmp_path: Path) -> None:
    whole = tmp_path / "whole.toml"
    whole.write_text(_WHOLE + "curb_weight_kg = 2410\n", encoding="utf-8")
    no_weight = tmp_path / "no-weight.toml"
    no_weight.write_text(_WHOLE, encoding="utf-8")
    rows = compare([str(whole), str(no_weight)], as_of="2026-11-21").rows()
    bounded = [r for r in rows if "known" in r]
    assert len(bounded) == len(BOUNDS)
    for row in bounded:
        total, known = row["values"], row["known"]
        assert total[0] is not None and known[0] == total[0] and row["missing"][0] == []
        assert total[1] is None and row["missing"][1], row["metric"]
        assert known[1] < known[0], row["metric"]  # the weight tax is what is missing
