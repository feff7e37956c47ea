"""A total with an unknown part stays null, with the sum of its known parts and what is missing."""

from __future__ import annotations

import datetime as dt

from jpimport.assessment import assess
from jpimport.stages.costs import annual, registration
from jpimport.stages.costs.partial_totals import partial_total
from jpimport.vehicles.records import validate_values
from jpimport.vehicles.vehicle import Vehicle
from tests.stages.test_explanations import SEDAN, check_document

AS_OF = dt.date(2026, 11, 21)


def no_fuel_economy() -> Vehicle:
    """A sedan with no EPA or WLTC figure and no fuel: its fuel cost is unknown."""
    values = {k: v for k, v in SEDAN.items() if k not in ("epa_combined_mpg", "fuel")}
    return Vehicle(values=validate_values({"id": "partial-test", **values}))


def test_annual_total_with_unknown_fuel_is_null_with_a_known_lower_bound() -> None:
    result = assess(no_fuel_economy(), as_of=AS_OF)
    document = result.to_dict()
    section = document["costs"]["annual"]
    assert section["fuel_jpy"] is None
    assert section["total_jpy"] is None
    assert section["missing"] == ["fuel"]
    known = [result.row[p] for p in annual.PARTS if result.row[p] is not None]
    assert len(known) == len(annual.PARTS) - 1
    assert section["known_total_jpy"] == sum(known)
    check_document(document)


def test_first_year_total_names_what_its_running_costs_lack() -> None:
    costs = assess(no_fuel_economy(), as_of=AS_OF).to_dict()["costs"]
    assert costs["first_year_jpy"] is None
    assert costs["first_year_missing"] == ["first_year_running.fuel"]
    paid = costs["retail_price_jpy"] + costs["registration"]["total_jpy"]
    assert costs["first_year_known_total_jpy"] == paid


def test_a_complete_total_is_its_own_known_total() -> None:
    costs = assess(no_fuel_economy(), as_of=AS_OF).to_dict()["costs"]
    section = costs["registration"]
    assert section["total_jpy"] is not None
    assert section["known_total_jpy"] == section["total_jpy"]
    assert section["missing"] == []


def test_registration_parts_missing_are_named_and_nested_into_the_first_year() -> None:
    row = {p: 1000 for p in registration.PARTS}
    row["reg_weight_tax_jpy"] = None
    row.update(reg_total_jpy=None, retail_price_jpy=5_000_000)
    known, missing = registration.known_total(row)
    assert (known, missing) == (5000, ["weight_tax"])
    first = partial_total(
        {**row, "first_year_total_jpy": None},
        "first_year_total_jpy",
        {"retail_price": "retail_price_jpy", "registration": (known, missing), "running": (7, [])},
    )
    assert first == (5_005_007, ["registration.weight_tax"])


def test_text_shows_at_least_and_what_is_missing_for_the_total() -> None:
    text = assess(no_fuel_economy(), as_of=AS_OF).table()
    costs = assess(no_fuel_economy(), as_of=AS_OF).to_dict()["costs"]
    expected = f"– (at least ¥{costs['annual']['known_total_jpy']:,}; missing: fuel)"
    assert expected in text
    assert "missing: first_year_running.fuel" in text
