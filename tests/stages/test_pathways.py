"""The pathways stage: each certification route's eligibility, reasons, costs and the choice."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jpimport.options import AssessOptions, with_options
from jpimport.rules import RuleStore, load_rule_tree
from jpimport.rules.compliance import ROUTES
from jpimport.stages import pathways
from jpimport.stages.context import StageContext
from jpimport.vehicles.schema import FRAME_SCHEMA, NAMES

DATA = Path(pathways.__file__).resolve().parents[1] / "rules" / "data"
BEFORE = dt.date(2026, 1, 31)
AFTER = dt.date(2026, 3, 1)
CAMRY = {"body": "sedan", "plant_country": "US", "use": "passenger"}
TUNDRA = {"body": "pickup", "plant_country": "US"}


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleStore:
    """Only the pathway parameters, so other families' work in progress cannot break these."""
    root = tmp_path_factory.mktemp("rules")
    shutil.copytree(DATA / "pathways", root / "pathways")
    return load_rule_tree(root)


def run(
    rules: RuleStore, *rows: dict[str, Any], as_of: dt.date = AFTER, **options: Any
) -> pl.DataFrame:
    """Assess partial rows (other columns unknown); ``use`` stands in for the classify stage."""
    base = pl.DataFrame([{n: r.get(n) for n in NAMES} for r in rows], schema=FRAME_SCHEMA)
    base = base.with_columns(pl.Series("use", [r.get("use") for r in rows], dtype=pl.String))
    frame = with_options(base, AssessOptions.build(as_of=as_of, **options))
    return pathways.run(frame, StageContext(as_of=as_of, rules=rules))


def one(rules: RuleStore, row: dict[str, Any], **options: Any) -> dict[str, Any]:
    """The assessed row of one vehicle."""
    return run(rules, row, **options).row(0, named=True)


def route(row: dict[str, Any], name: str) -> dict[str, Any]:
    """One route's entry of the ``pathways`` list."""
    return next(p for p in row["pathways"] if p["id"] == name)


def test_every_route_is_listed_in_order_with_every_field(rules: RuleStore) -> None:
    got = one(rules, CAMRY)
    assert [p["id"] for p in got["pathways"]] == list(ROUTES)
    assert set(got["pathways"][0]) == {
        "id",
        "eligible",
        "reasons",
        "fixed_cost_jpy",
        "fixed_cost_low_jpy",
        "fixed_cost_high_jpy",
        "unit_cost_jpy",
        "unit_cost_low_jpy",
        "unit_cost_high_jpy",
        "lead_time_days",
        "documents",
        "tests",
        "unconfirmed",
    }


def test_the_us_route_is_not_in_force_before_2026_02_16(rules: RuleStore) -> None:
    got = one(rules, CAMRY, as_of=BEFORE)
    us = route(got, "us_certified")
    assert us["eligible"] is False
    assert us["reasons"] == ["not in force until 2026-02-16"]
    assert us["fixed_cost_jpy"] is None and us["documents"] == []
    assert got["recommended_pathway"] == "php"


def test_the_us_route_covers_a_us_built_car_imported_by_its_maker(rules: RuleStore) -> None:
    got = one(rules, CAMRY)
    us = route(got, "us_certified")
    assert us["eligible"] is True
    assert (
        us["reasons"][-1] == "documents-only review of U.S. test results per model; rear star mark"
    )
    assert (us["fixed_cost_low_jpy"], us["fixed_cost_jpy"], us["fixed_cost_high_jpy"]) == (
        1_000_000,
        3_000_000,
        10_000_000,
    )
    assert us["tests"] == []
    assert any("rear" in d for d in us["documents"])
    assert "pathways.us_certified.importers" in us["unconfirmed"]
    assert got["recommended_pathway"] == "us_certified"
    assert (got["pathway_fixed_cost_jpy"], got["pathway_unit_cost_jpy"]) == (3_000_000, 15_000)
    assert got["recommended_reason"] == (
        "us_certified is the cheapest eligible route at 1,000 units per type per year: ¥18,000 per"
        " unit (fixed ¥3,000,000 ÷ 1,000 + ¥15,000 per unit)"
    )


def test_a_car_built_outside_the_us_cannot_use_the_us_route(rules: RuleStore) -> None:
    us = route(one(rules, {**CAMRY, "plant_country": "JP"}), "us_certified")
    assert us["eligible"] is False
    assert "built in JP, not in the U.S." in us["reasons"]


def test_an_unknown_plant_leaves_the_us_route_unknown(rules: RuleStore) -> None:
    us = route(one(rules, {**CAMRY, "plant_country": None}), "us_certified")
    assert us["eligible"] is None
    assert "plant country unknown (plant_country missing)" in us["reasons"]


@pytest.mark.parametrize(
    ("importer", "eligible", "reason"),
    [
        ("manufacturer", True, None),
        (
            "independent",
            None,
            "UNCONFIRMED whether an importer of kind 'independent' can use the U.S.-made vehicle "
            "certification",
        ),
        ("individual", False, "individual imports cannot use the U.S.-made vehicle certification"),
    ],
)
def test_the_us_route_by_importer(
    rules: RuleStore, importer: str, eligible: bool | None, reason: str | None
) -> None:
    us = route(one(rules, CAMRY, importer=importer), "us_certified")
    assert us["eligible"] is eligible
    if reason is not None:
        assert reason in us["reasons"]


def test_pickups_are_covered_only_as_an_unconfirmed_reading(rules: RuleStore) -> None:
    passenger = route(one(rules, {**TUNDRA, "use": "passenger"}), "us_certified")
    assert passenger["eligible"] is True
    assert any("UNCONFIRMED" in r and "Tundra" in r for r in passenger["reasons"])
    assert "pathways.us_certified.covers_pickups" in passenger["unconfirmed"]
    cargo = route(one(rules, {**TUNDRA, "use": "cargo"}), "us_certified")
    assert cargo["eligible"] is None
    assert "UNCONFIRMED whether the route covers cargo (1-number) registration" in cargo["reasons"]


def test_a_missing_use_leaves_the_us_route_unknown(rules: RuleStore) -> None:
    us = route(one(rules, {**CAMRY, "use": None}), "us_certified")
    assert us["eligible"] is None
    assert "registration use unknown (use missing)" in us["reasons"]


@pytest.mark.parametrize(("volume", "eligible"), [(5000, True), (5001, False)])
def test_php_is_capped_at_5000_units_per_type_per_year(
    rules: RuleStore, volume: int, eligible: bool
) -> None:
    got = one(rules, CAMRY, as_of=BEFORE, volume=volume)
    php = route(got, "php")
    assert php["eligible"] is eligible
    verb = "is within" if eligible else "exceeds"
    assert php["reasons"][0] == (
        f"planned volume {volume:,} {verb} the PHP cap of 5,000 units per type per year "
        "(in force since 2013-05-10)"
    )
    # At 5,000 units type designation's fixed cost spreads thinner than PHP's unit cost.
    assert got["recommended_pathway"] == "type_designation"


def test_the_php_cap_was_2000_before_2013_05_10(rules: RuleStore) -> None:
    php = route(one(rules, CAMRY, as_of=dt.date(2013, 5, 9), volume=2001), "php")
    assert php["eligible"] is False
    assert php["reasons"] == [
        "who may use PHP is not recorded for this date",
        "planned volume 2,001 exceeds the PHP cap of 2,000 units per type per year "
        "(in force since 2013-02-27)",
    ]
    php = route(one(rules, CAMRY, as_of=dt.date(2013, 5, 10), volume=2001), "php")
    assert php["eligible"] is None  # within the new cap; the importer rule is dated from 2016
    assert php["reasons"][1].startswith("planned volume 2,001 is within the PHP cap of 5,000")


def test_before_any_dated_cap_php_is_unknown_not_eligible(rules: RuleStore) -> None:
    php = route(one(rules, CAMRY, as_of=dt.date(2012, 1, 1)), "php")
    assert php["eligible"] is None
    assert "PHP annual cap unknown on 2012-01-01" in php["reasons"]


def test_an_individual_can_only_import_in_parallel(rules: RuleStore) -> None:
    got = one(rules, CAMRY, importer="individual", volume=1)
    assert [route(got, r)["eligible"] for r in ROUTES] == [False, False, False, True]
    parallel = route(got, "parallel")
    assert (
        parallel["unit_cost_low_jpy"],
        parallel["unit_cost_jpy"],
        parallel["unit_cost_high_jpy"],
    ) == (
        100_000 + 300_000 + 143_000,
        137_500 + 450_000 + 330_000,
        250_000 + 450_000 + 330_000,
    )
    assert parallel["fixed_cost_jpy"] == 0
    assert any("並行輸入自動車届出書" in d for d in parallel["documents"])
    assert len(parallel["tests"]) == 3
    assert got["recommended_pathway"] == "parallel"
    assert got["pathway_unit_cost_jpy"] == 917_500


def test_unknown_routes_are_named_beside_the_recommendation(rules: RuleStore) -> None:
    got = one(rules, CAMRY, importer="independent", volume=50)
    assert got["recommended_pathway"] == "parallel"
    assert got["recommended_reason"].endswith(
        "; eligibility unknown for us_certified, php, type_designation"
    )


def test_no_route_without_known_costs_gives_no_recommendation(rules: RuleStore) -> None:
    got = one(rules, CAMRY, as_of=dt.date(2013, 6, 1), importer="individual")
    assert got["recommended_pathway"] is None
    assert got["pathway_fixed_cost_jpy"] is None
    assert got["recommended_reason"].startswith("no route is surely eligible with known costs")


def test_a_tie_goes_to_the_lighter_procedure(tmp_path: Path) -> None:
    """With type designation priced exactly like PHP, PHP (the lighter procedure) wins."""
    shutil.copytree(DATA / "pathways", tmp_path / "pathways")
    for leaf in ("fixed_cost_jpy", "unit_cost_jpy"):
        source = tmp_path / "pathways" / "php" / f"{leaf}.yaml"
        shutil.copy(source, tmp_path / "pathways" / "type_designation" / f"{leaf}.yaml")
    got = one(load_rule_tree(tmp_path), CAMRY, as_of=BEFORE)
    assert route(got, "php")["unit_cost_jpy"] == route(got, "type_designation")["unit_cost_jpy"]
    assert got["recommended_pathway"] == "php"


def test_many_rows_give_the_same_answers_as_one_row_each(rules: RuleStore) -> None:
    rows = [
        CAMRY,
        {**CAMRY, "plant_country": "JP"},
        {**TUNDRA, "use": "cargo"},
        {**CAMRY, "use": None},
    ]
    together = run(rules, *rows).to_dicts()
    apart = [one(rules, r) for r in rows]
    assert together == apart


def test_the_json_keys_follow_the_contract(rules: RuleStore) -> None:
    row = one(rules, CAMRY)
    document = pathways.to_json(row)
    assert set(document) == {"pathways", "recommended_pathway", "recommended_reason"}
    assert document["pathways"][0]["id"] == "us_certified"
