"""The lineup's regional totals come with what is known of them and which parts are missing."""

from __future__ import annotations

import pytest

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
