"""Explanations: every amount in ``costs`` names the parameters, inputs and rules behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import polars as pl
import pytest

from jpimport.assessment import assess
from jpimport.rules import load_rules
from jpimport.stages import context
from jpimport.stages.context import StageContext
from jpimport.vehicles.catalog import catalog_vehicles
from jpimport.vehicles.records import validate_values
from jpimport.vehicles.vehicle import Vehicle

AS_OF = dt.date(2026, 11, 21)
PASSENGER_WEIGHT = "taxes.weight_tax.passenger_per_half_tonne"
CARGO_WEIGHT = "taxes.weight_tax.cargo_per_tonne"
WEIGHT_TAX = "costs.registration.weight_tax_jpy"


def spec(**values: Any) -> Vehicle:
    """An inline vehicle (no catalog values, which others may change)."""
    return Vehicle(values=validate_values({"id": "explain-test", **values}))


SEDAN = {
    "make": "Test",
    "model": "Sedan",
    "body": "sedan",
    "seats": 5,
    "plant_country": "US",
    "length_mm": 4900,
    "width_mm": 1840,
    "height_mm": 1450,
    "curb_weight_kg": 1550,
    "powertrain": "ice",
    "fuel": "regular",
    "displacement_cc": 2487,
    "epa_combined_mpg": 32.0,
    "msrp_usd": 28000,
    "drive_side": "LHD",
}
PICKUP = {
    "make": "Test",
    "model": "Pickup",
    "body": "pickup",
    "seats": 5,
    "plant_country": "JP",
    "length_mm": 5340,
    "width_mm": 1855,
    "height_mm": 1800,
    "bed_length_mm": 1565,
    "bed_floor_area_m2": 2.3,
    "curb_weight_kg": 2100,
    "declared_payload_kg": 500,
    "powertrain": "ice",
    "fuel": "diesel",
    "displacement_cc": 2393,
    "jp_wltc_km_per_l": 11.7,
    "jp_price_jpy": 3876000,
}


def amount_paths(node: Mapping[str, Any], prefix: str, in_amount: bool = False) -> Iterator[str]:
    """Every amount of a costs document: values under ``*_jpy`` keys (leaves of mappings)."""
    for key, value in node.items():
        path, amount = f"{prefix}.{key}", in_amount or key.endswith("_jpy")
        if isinstance(value, Mapping):
            yield from amount_paths(value, path, amount)
        elif amount:
            yield path


def check_document(document: Mapping[str, Any]) -> None:
    """Every amount explained; every parameter named is in the trace, which says what it fed."""
    explanations = document["explanations"]
    trace = {t["name"]: t for t in document["trace"]}
    paths = list(amount_paths(document["costs"], "costs"))
    assert paths
    for path in paths:
        assert path in explanations, path
        entry = explanations[path]
        assert set(entry) >= {"value_jpy", "parameters", "inputs", "rules"}
        for name in entry["parameters"]:
            assert name in trace, f"{path}: {name} not in the trace"
            assert path in trace[name]["used_for"], f"{name} does not say it fed {path}"
    for name, t in trace.items():
        for path in t["used_for"]:
            assert name in explanations[path]["parameters"]


@pytest.mark.parametrize("vehicle_id", sorted(catalog_vehicles()))
def test_every_catalog_amount_is_explained(vehicle_id: str) -> None:
    check_document(assess(vehicle_id, as_of=AS_OF).to_dict())


def test_trace_stays_a_list_of_parameter_entries() -> None:
    document = assess(spec(**SEDAN), as_of=AS_OF).to_dict()
    assert isinstance(document["trace"], list)
    assert all({"name", "value", "citation", "used_for"} <= set(t) for t in document["trace"])
    classify_only = [t for t in document["trace"] if t["name"].startswith("classification.")]
    assert classify_only and all(t["used_for"] == [] for t in classify_only)


def test_passenger_weight_tax_names_the_half_tonne_table_and_its_inputs() -> None:
    document = assess(spec(**SEDAN), as_of=AS_OF).to_dict()
    check_document(document)
    entry = document["explanations"][WEIGHT_TAX]
    assert PASSENGER_WEIGHT in entry["parameters"]
    assert CARGO_WEIGHT not in entry["parameters"]
    assert entry["value_jpy"] == document["costs"]["registration"]["weight_tax_jpy"]
    assert entry["inputs"]["curb_weight_kg"] == SEDAN["curb_weight_kg"]
    assert entry["inputs"]["size_class"] == document["classification"]["size_class"]
    assert entry["inputs"]["use"] == "passenger"
    assert "inspection_first_years" in entry["inputs"]
    # a part's parameters are not those of an unrelated amount
    assert (
        PASSENGER_WEIGHT
        not in document["explanations"]["costs.registration.fees_jpy"]["parameters"]
    )


def test_cargo_pickup_weight_tax_names_the_cargo_table() -> None:
    document = assess(spec(**PICKUP), as_of=AS_OF, registration="cargo").to_dict()
    check_document(document)
    entry = document["explanations"][WEIGHT_TAX]
    assert CARGO_WEIGHT in entry["parameters"]
    assert PASSENGER_WEIGHT not in entry["parameters"]
    assert entry["inputs"]["use"] == "cargo"
    assert entry["inputs"]["jp_gross_weight_kg"] == document["classification"]["jp_gross_weight_kg"]


def test_a_total_rests_on_the_union_of_its_parts() -> None:
    explanations = assess(spec(**SEDAN), as_of=AS_OF).to_dict()["explanations"]
    section = "costs.registration"
    parts = [
        f"{section}.{p}_jpy"
        for p in (
            "environmental_performance_tax",
            "automobile_tax",
            "weight_tax",
            "compulsory_insurance",
            "recycling",
            "fees",
        )
    ]
    union = {n for p in parts for n in explanations[p]["parameters"]}
    total = explanations[f"{section}.total_jpy"]
    assert set(total["parameters"]) == union
    assert set(total["amounts"]) == set(parts)
    first_year = set(explanations["costs.first_year_jpy"]["parameters"])
    assert union <= first_year
    assert set(explanations["costs.retail_price_jpy"]["parameters"]) <= first_year


def test_table_rows_applied_are_named() -> None:
    explanations = assess(spec(**SEDAN), as_of=AS_OF, importer="independent").to_dict()[
        "explanations"
    ]
    fob = explanations["costs.landed.fob_jpy"]
    assert fob["applied"]["landed.fob_share_of_msrp"]["key"] == "independent"
    automobile = explanations["costs.annual.automobile_tax_jpy"]
    bracket = next(iter(automobile["applied"].values()))
    assert bracket["column"] == "displacement_cc"
    assert bracket["key"] == SEDAN["displacement_cc"]


def test_modifications_list_the_compliance_rules_costed() -> None:
    document = assess(spec(**SEDAN), as_of=AS_OF).to_dict()
    route = document["recommended_pathway"]
    costed = sorted(
        f["rule"]
        for f in document["findings"]
        if f["pathway"] == route and f["outcome"] == "modify"
    )
    entry = document["explanations"]["costs.landed.modifications_jpy"]
    assert sorted(entry["rules"]) == costed
    assert all(f"compliance.{r}" in entry["parameters"] for r in costed)
    assert set(entry["rules"]) <= set(document["explanations"]["costs.landed.total_jpy"]["rules"])


def test_a_memo_cache_hit_gives_identical_explanations() -> None:
    context._MEMO.clear()
    cold = assess(spec(**SEDAN), as_of=AS_OF).to_dict()
    warm = assess(spec(**SEDAN), as_of=AS_OF).to_dict()
    assert cold["explanations"] == warm["explanations"]
    assert cold["trace"] == warm["trace"]


def test_a_memo_build_inside_an_amount_scope_is_attributed_on_every_hit() -> None:
    rules = load_rules()
    name = "landed.usd_jpy"

    def build(ctx: StageContext) -> int:
        with ctx.amount("inner"):
            ctx.param(name)
        return 1

    for _ in range(2):  # a build, then a cache hit
        ctx = StageContext(as_of=AS_OF, rules=rules)
        with ctx.amount("outer"):
            assert ctx.memo("explain-test-scope", build) == 1
        assert ctx.feeds == {"outer": {name}, "inner": {name}}
        assert name in ctx.used


def test_links_carry_parameters_to_what_reads_them() -> None:
    ctx = StageContext(as_of=AS_OF)
    with ctx.amount("a"):
        ctx.param("landed.usd_jpy")
    ctx.link_exprs([(pl.col("a") * 2).alias("b"), (pl.col("b") + pl.col("x")).alias("c")])
    assert ctx.links == {"b": {"a"}, "c": {"b", "x"}}
