"""The fit stage: parking types, narrow roads and the garage-certificate check."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jpimport.errors import InputError
from jpimport.options import AssessOptions, with_options
from jpimport.rules import RuleStore, load_rule_tree
from jpimport.stages import classify, fit
from jpimport.stages.context import StageContext
from jpimport.vehicles.schema import FRAME_SCHEMA, NAMES

DATA = Path(fit.__file__).resolve().parents[1] / "rules" / "data"
TODAY = dt.date(2026, 11, 21)

IDS = [
    "mlit-ordinary",
    "mlit-small",
    "mlit-kei",
    "residential-standard",
    "residential-min",
    "mech-legacy",
    "mech-standard",
    "mech-wide",
    "mech-highroof",
]

HILUX = {
    "body": "pickup",
    "seats": 5,
    "length_mm": 5340,
    "width_mm": 1855,
    "height_mm": 1800,
    "curb_weight_kg": 2100,
    "min_turning_radius_m": 6.4,
}
N_BOX = {
    "body": "hatchback",
    "seats": 4,
    "length_mm": 3395,
    "width_mm": 1475,
    "height_mm": 1790,
    "displacement_cc": 658,
    "fuel": "regular",
}
SEDAN = {
    "body": "sedan",
    "seats": 5,
    "length_mm": 4690,
    "width_mm": 1695,
    "height_mm": 1450,
    "curb_weight_kg": 1300,
    "displacement_cc": 1490,
    "fuel": "regular",
    "powertrain": "ice",
}


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleStore:
    """Only the classification and fit rule families, so others' work cannot break these tests."""
    root = tmp_path_factory.mktemp("rules")
    for family in ("classification", "fit"):
        shutil.copytree(DATA / family, root / family)
    return load_rule_tree(root)


def assess(rules: RuleStore, *rows: dict[str, Any], as_of: dt.date = TODAY) -> pl.DataFrame:
    """Classify and fit vehicles given as partial rows (other columns unknown)."""
    base = pl.DataFrame([{n: r.get(n) for n in NAMES} for r in rows], schema=FRAME_SCHEMA)
    frame = with_options(base, AssessOptions.build(as_of=as_of))
    ctx = StageContext(as_of=as_of, rules=rules)
    return fit.run(classify.run(frame, ctx), ctx)


def parking(rules: RuleStore, row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The parking verdicts of one vehicle by parking-type id."""
    got = assess(rules, row).row(0, named=True)
    return {entry["id"]: entry for entry in got["parking"]}


def test_every_parking_type_is_listed_with_hyphenated_ids(rules: RuleStore) -> None:
    got = assess(rules, HILUX).row(0, named=True)
    assert [entry["id"] for entry in got["parking"]] == IDS


def test_a_hilux_fits_only_the_large_bays(rules: RuleStore) -> None:
    got = assess(rules, HILUX).row(0, named=True)
    assert got["parking_fits"] == ["mlit-ordinary", "residential-standard"]
    verdicts = {entry["id"]: entry for entry in got["parking"]}
    assert verdicts["mlit-ordinary"] == {
        "id": "mlit-ordinary",
        "fits": True,
        "excess_length_mm": -660,
        "excess_width_mm": -645,
        "excess_height_mm": None,
        "excess_kg": None,
        "comfortable": False,  # 1,855 + 800 mm > 2,500 mm
    }
    assert verdicts["mech-standard"] == {
        "id": "mech-standard",
        "fits": False,
        "excess_length_mm": 290,
        "excess_width_mm": 5,
        "excess_height_mm": 250,
        "excess_kg": 100,
        "comfortable": None,
    }


def test_a_tall_kei_car_misses_a_standard_pallet_on_height(rules: RuleStore) -> None:
    verdicts = parking(rules, N_BOX)
    assert verdicts["mech-standard"]["excess_height_mm"] == 240
    assert verdicts["mech-standard"]["fits"] is False
    assert verdicts["mlit-kei"]["fits"] is True


def test_an_unknown_weight_leaves_a_pallet_verdict_open(rules: RuleStore) -> None:
    verdicts = parking(rules, {**SEDAN, "curb_weight_kg": None})
    assert verdicts["mech-standard"]["fits"] is None
    assert verdicts["mech-standard"]["excess_kg"] is None
    assert verdicts["mlit-small"]["fits"] is True  # a bay has no weight limit


def test_a_known_excess_decides_even_with_an_unknown_weight(rules: RuleStore) -> None:
    verdicts = parking(rules, {**HILUX, "curb_weight_kg": None})
    assert verdicts["mech-standard"]["fits"] is False


def test_a_5_number_sedan_fits_a_standard_pallet_and_comfortably_an_ordinary_bay(
    rules: RuleStore,
) -> None:
    verdicts = parking(rules, SEDAN)
    assert verdicts["mech-standard"]["fits"] is True
    assert verdicts["mech-standard"]["excess_kg"] == -700
    assert verdicts["mlit-ordinary"]["comfortable"] is True  # 1,695 + 800 <= 2,500
    assert verdicts["mlit-small"]["comfortable"] is False  # 1,695 + 800 > 2,300


def test_limits_are_inclusive(rules: RuleStore) -> None:
    exact = {"length_mm": 5050, "width_mm": 1850, "height_mm": 1550, "curb_weight_kg": 2000}
    verdict = parking(rules, exact)["mech-standard"]
    assert verdict["fits"] is True
    assert (verdict["excess_length_mm"], verdict["excess_kg"]) == (0, 0)


def test_narrow_road_clearance(rules: RuleStore) -> None:
    got = assess(rules, {"width_mm": 2037}, {"width_mm": None}).to_dicts()
    assert [g["narrow_road_clearance_mm"] for g in got] == [4000 - 2037 - 1700, None]
    assert got[0]["narrow_road_width_mm"] == 4000
    assert got[0]["narrow_road_oncoming_width_mm"] == 1700


def test_to_json_shapes_the_fit_section(rules: RuleStore) -> None:
    document = fit.to_json(assess(rules, HILUX).row(0, named=True))["fit"]
    assert document["parking"][0] == {
        "id": "mlit-ordinary",
        "fits": True,
        "excess_mm": {"length": -660, "width": -645, "height": None},
        "excess_kg": None,
        "comfortable": False,
    }
    assert document["roads"] == {
        "road_width_mm": 4000,
        "oncoming_car_width_mm": 1700,
        "clearance_mm": 445,
        "min_turning_radius_m": 6.4,
    }


def test_a_date_before_a_parking_type_leaves_it_out(rules: RuleStore) -> None:
    got = assess(rules, HILUX, as_of=dt.date(1995, 1, 1)).row(0, named=True)
    assert [entry["id"] for entry in got["parking"]] == ["mlit-ordinary", "mlit-small", "mlit-kei"]
    assert got["narrow_road_clearance_mm"] is None  # the oncoming-car rule starts in 1998


def test_a_batch_equals_its_rows_one_by_one(rules: RuleStore) -> None:
    rows = [HILUX, N_BOX, SEDAN, {"width_mm": None}]
    batch = assess(rules, *rows)
    columns = ["parking", "parking_fits", "narrow_road_clearance_mm"]
    for i, row in enumerate(rows):
        assert batch.slice(i, 1).select(columns).equals(assess(rules, row).select(columns))


def garage(rules: RuleStore, vehicle: Any, *space: int | None, **kw: Any) -> dict[str, Any]:
    """garage_certificate() against the test rules, as of the test date."""
    return fit.garage_certificate(vehicle, *space, as_of=kw.pop("as_of", TODAY), rules=rules, **kw)


def test_a_space_that_holds_the_whole_car(rules: RuleStore) -> None:
    got = garage(rules, SEDAN, 5000, 2300)
    assert got["fits_entirely"] is True
    assert got["excess_mm"] == {"length": -310, "width": -605, "height": None}
    assert got["requirements"][0] == {
        "id": "holds_whole_vehicle",
        "met": True,
        "text": "the space holds the whole vehicle and it can enter and leave freely",
    }
    distance = got["requirements"][2]
    assert (distance["id"], distance["max_distance_km"], distance["met"]) == (
        "within_distance",
        2,
        None,
    )
    assert [t["name"] for t in got["trace"]] == ["fit.garage_certificate.max_distance_km"]


def test_a_space_too_short_or_too_low(rules: RuleStore) -> None:
    got = garage(rules, HILUX, 5000, 2500, 1750)
    assert got["fits_entirely"] is False
    assert got["excess_mm"] == {"length": 340, "width": -645, "height": 50}


def test_a_missing_dimension_leaves_it_open(rules: RuleStore) -> None:
    got = garage(rules, {**SEDAN, "length_mm": None}, 5000, 2300)
    assert (got["fits_entirely"], got["missing"]) == (None, ["length_mm"])
    too_narrow = garage(rules, {**SEDAN, "length_mm": None}, 5000, 1600)
    assert too_narrow["fits_entirely"] is False


def test_a_classified_frame_gives_the_procedure(rules: RuleStore) -> None:
    kei = assess(rules, N_BOX)
    assert garage(rules, kei, 3600, 2000)["procedure"] == "notification"
    assert garage(rules, assess(rules, SEDAN), 5000, 2300)["procedure"] == "certificate"
    assert garage(rules, SEDAN, 5000, 2300)["procedure"] is None  # size class not known


def test_before_the_distance_rule_it_says_so(rules: RuleStore) -> None:
    got = garage(rules, SEDAN, 5000, 2300, as_of=dt.date(2000, 1, 1))
    assert got["requirements"][2]["max_distance_km"] is None
    assert got["not_in_force"] == {
        "fit.garage_certificate.max_distance_km": "not in force on 2000-01-01"
    }


@pytest.mark.parametrize(
    ("space", "field"),
    [
        ((0, 2300), "space_length_mm"),
        ((5000, -1), "space_width_mm"),
        ((5000, 2300, 1.5), "space_height_mm"),
    ],
)
def test_bad_space_dimensions_are_refused(
    rules: RuleStore, space: tuple[Any, ...], field: str
) -> None:
    with pytest.raises(InputError) as caught:
        garage(rules, SEDAN, *space)
    assert caught.value.field == field


def test_a_frame_of_many_vehicles_is_refused(rules: RuleStore) -> None:
    with pytest.raises(InputError, match="one vehicle"):
        garage(rules, assess(rules, SEDAN, HILUX), 5000, 2300)
