"""The classify stage: size class, use and cargo conditions, plates, weights, licence, tolls."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jpimport.options import AssessOptions, with_options
from jpimport.rules import RuleStore, load_rule_tree
from jpimport.stages import classify
from jpimport.stages.context import StageContext
from jpimport.vehicles.schema import FRAME_SCHEMA, NAMES

DATA = Path(classify.__file__).resolve().parents[1] / "rules" / "data"
TODAY = dt.date(2026, 11, 21)

# Japanese-market reference cars (sources in tests/cases/classification.yaml).
N_BOX = {
    "body": "hatchback",
    "seats": 4,
    "length_mm": 3395,
    "width_mm": 1475,
    "height_mm": 1790,
    "displacement_cc": 658,
    "fuel": "regular",
    "powertrain": "ice",
}
YARIS = {
    "body": "hatchback",
    "seats": 5,
    "length_mm": 3940,
    "width_mm": 1695,
    "height_mm": 1500,
    "displacement_cc": 1490,
    "fuel": "regular",
    "powertrain": "hev",
}
HILUX = {
    "body": "pickup",
    "seats": 5,
    "length_mm": 5340,
    "width_mm": 1855,
    "height_mm": 1800,
    "displacement_cc": 2393,
    "fuel": "diesel",
    "powertrain": "ice",
    "curb_weight_kg": 2100,
    "bed_floor_area_m2": 2.2,
}


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleStore:
    """Only this stage's rule families, so other families' work in progress cannot break it."""
    root = tmp_path_factory.mktemp("rules")
    for family in ("classification", "fit"):
        shutil.copytree(DATA / family, root / family)
    return load_rule_tree(root)


def assess(
    rules: RuleStore, *rows: dict[str, Any], as_of: dt.date = TODAY, **options: Any
) -> pl.DataFrame:
    """Classify vehicles given as partial rows (other columns unknown)."""
    base = pl.DataFrame([{n: r.get(n) for n in NAMES} for r in rows], schema=FRAME_SCHEMA)
    frame = with_options(base, AssessOptions.build(as_of=as_of, **options))
    return classify.run(frame, StageContext(as_of=as_of, rules=rules))


def one(rules: RuleStore, row: dict[str, Any], **options: Any) -> dict[str, Any]:
    """The classified row of one vehicle."""
    return assess(rules, row, **options).row(0, named=True)


def test_a_kei_car_gets_yellow_5_plates(rules: RuleStore) -> None:
    got = one(rules, N_BOX)
    assert (got["size_class"], got["size_class_reasons"]) == ("kei", [])
    assert (got["use"], got["plate_class"], got["plate_color"]) == ("passenger", 5, "yellow")
    assert (got["inspection_first_years"], got["inspection_then_years"]) == (3, 2)
    assert got["toll_class"] == "kei"


def test_a_small_car_names_the_kei_limits_it_exceeds(rules: RuleStore) -> None:
    got = one(rules, YARIS)
    assert got["size_class"] == "small"
    assert got["size_class_reasons"] == [
        "length 3,940 mm > 3,400 mm kei limit",
        "width 1,695 mm > 1,480 mm kei limit",
        "displacement 1,490 cc > 660 cc kei limit",
    ]
    assert (got["plate_class"], got["plate_color"], got["toll_class"]) == (5, "white", "ordinary")


def test_an_ordinary_car_names_each_small_car_limit_exceeded(rules: RuleStore) -> None:
    tundra = {
        "body": "suv",
        "length_mm": 5933,
        "width_mm": 2037,
        "height_mm": 1981,
        "displacement_cc": 3445,
        "fuel": "regular",
        "powertrain": "hev",
    }
    got = one(rules, tundra)
    assert got["size_class"] == "ordinary"
    assert got["size_class_reasons"] == [
        "length 5,933 mm > 4,700 mm small-car limit",
        "width 2,037 mm > 1,700 mm small-car limit",
        "displacement 3,445 cc > 2,000 cc small-car limit",
    ]


@pytest.mark.parametrize(
    ("fuel", "powertrain", "displacement_cc", "expected"),
    [
        ("diesel", "ice", 2393, "small"),  # the 2,000 cc limit does not bind a diesel
        ("regular", "ice", 2393, "ordinary"),
        ("regular", "hev", 2487, "ordinary"),  # hybrids are bound
        ("premium", "phev", 2001, "ordinary"),
        ("regular", "ice", 2000, "small"),  # at the limit is within it
        ("electric", "ev", None, "small"),  # no engine, no displacement limit
        (None, "ev", None, "small"),
        (None, "ice", 1500, "small"),  # under every limit whatever the fuel
        (None, "ice", 2400, None),  # diesel (small) or petrol (ordinary): unknown
        ("regular", "ice", None, None),
    ],
)
def test_displacement_limit_by_fuel(
    rules: RuleStore,
    fuel: str | None,
    powertrain: str,
    displacement_cc: int | None,
    expected: str | None,
) -> None:
    row = {
        "body": "wagon",
        "length_mm": 4690,
        "width_mm": 1695,
        "height_mm": 1600,
        "fuel": fuel,
        "powertrain": powertrain,
        "displacement_cc": displacement_cc,
    }
    assert one(rules, row)["size_class"] == expected


def test_a_kei_diesel_is_still_bound_by_660_cc(rules: RuleStore) -> None:
    row = {**N_BOX, "fuel": "diesel", "displacement_cc": 700}
    got = one(rules, row)
    assert got["size_class"] == "small"
    assert got["size_class_reasons"] == ["displacement 700 cc > 660 cc kei limit"]


def test_a_missing_dimension_that_could_decide_leaves_the_class_null(rules: RuleStore) -> None:
    got = one(rules, {**YARIS, "width_mm": None})
    assert got["size_class"] is None
    assert got["size_class_reasons"] == ["width_mm missing: it could decide the size class"]
    assert got["plate_class"] is None and got["toll_class"] is None


def test_a_known_excess_decides_even_with_a_missing_dimension(rules: RuleStore) -> None:
    got = one(rules, {**YARIS, "width_mm": None, "length_mm": 4800})
    assert got["size_class"] == "ordinary"
    assert got["size_class_reasons"] == ["length 4,800 mm > 4,700 mm small-car limit"]


def test_a_pickup_is_cargo_with_the_double_cab_default_load(rules: RuleStore) -> None:
    got = one(rules, HILUX)
    assert (got["use"], got["cargo_failures"]) == ("cargo", [])
    assert got["use_reasons"] == [
        "a pickup is assessed as cargo (貨物) by default",
        "declared load 500 kg assumed, as declared for a Hilux double cab; "
        "set declared_payload_kg to change it",
    ]
    assert (got["plate_class"], got["plate_color"]) == (1, "white")
    assert got["declared_payload_used_kg"] == 500
    assert got["jp_gross_weight_kg"] == 2100 + 500 + 5 * 55
    assert got["max_declared_payload_under_3500_kg"] == 3499 - 2100 - 275
    assert (got["inspection_first_years"], got["inspection_then_years"]) == (2, 1)
    assert (got["licence"], got["toll_class"]) == ("standard", "mid_size")


def test_the_declared_load_option_overrides_the_default(rules: RuleStore) -> None:
    got = one(rules, HILUX, declared_payload_kg=400)
    assert got["declared_payload_used_kg"] == 400
    assert got["jp_gross_weight_kg"] == 2100 + 400 + 275
    assert not any("assumed" in reason for reason in got["use_reasons"])


def test_a_single_cab_pickup_has_no_default_load(rules: RuleStore) -> None:
    got = one(rules, {**HILUX, "seats": 2})
    assert got["use"] == "cargo"
    assert got["cargo_failures"] == ["declared load cannot be checked: declared_payload_kg missing"]
    assert got["jp_gross_weight_kg"] is None
    assert got["licence_reason"] == "unknown: declared_payload_kg missing"


def test_a_small_bed_makes_it_passenger(rules: RuleStore) -> None:
    got = one(rules, {**HILUX, "bed_floor_area_m2": 0.8})
    assert got["use"] == "passenger"
    assert got["cargo_failures"] == ["cargo floor 0.8 m² < 1.0 m² minimum"]
    assert (
        "a cargo condition fails (see cargo_failures), so it is assessed as passenger"
        in (got["use_reasons"])
    )
    assert (got["plate_class"], got["declared_payload_used_kg"]) == (3, 0)
    assert got["jp_gross_weight_kg"] == 2100 + 275
    assert (got["inspection_first_years"], got["toll_class"]) == (3, "ordinary")


def test_a_load_no_heavier_than_the_occupants_makes_it_passenger(rules: RuleStore) -> None:
    got = one(rules, HILUX, declared_payload_kg=275)
    assert got["use"] == "passenger"
    assert got["cargo_failures"] == [
        "declared load 275 kg is not more than the occupants' 5 × 55 kg = 275 kg"
    ]


def test_an_unknown_bed_is_listed_and_cargo_stands(rules: RuleStore) -> None:
    got = one(rules, {**HILUX, "bed_floor_area_m2": None})
    assert got["use"] == "cargo"
    assert got["cargo_failures"] == [
        "cargo floor area cannot be checked: bed_floor_area_m2 missing"
    ]


def test_registration_passenger_forces_passenger(rules: RuleStore) -> None:
    got = one(rules, HILUX, registration="passenger")
    assert (got["use"], got["use_reasons"], got["cargo_failures"]) == (
        "passenger",
        ["registration=passenger requested"],
        [],
    )
    assert (got["plate_class"], got["toll_class"]) == (3, "ordinary")


def test_cargo_on_a_non_pickup_is_allowed_but_checked(rules: RuleStore) -> None:
    van = {
        "body": "suv",
        "seats": 2,
        "length_mm": 4950,
        "width_mm": 1930,
        "height_mm": 1730,
        "displacement_cc": 2487,
        "fuel": "regular",
        "powertrain": "hev",
        "curb_weight_kg": 2000,
    }
    got = one(rules, van, registration="cargo", declared_payload_kg=400)
    assert (got["use"], got["plate_class"]) == ("cargo", 1)
    assert got["cargo_failures"] == [
        "cargo floor area cannot be checked: bed_floor_area_m2 missing",
        "loading opening cannot be checked: no column describes it",
        "partition between the seats and the load cannot be checked: no column describes it",
        "cargo floor larger than the seating floor cannot be checked: no column describes it",
    ]


def test_a_kei_truck_is_inspected_every_two_years(rules: RuleStore) -> None:
    kei_truck = {
        "body": "pickup",
        "seats": 2,
        "length_mm": 3395,
        "width_mm": 1475,
        "height_mm": 1765,
        "displacement_cc": 658,
        "fuel": "regular",
        "powertrain": "ice",
        "curb_weight_kg": 850,
        "bed_floor_area_m2": 2.7,
        "declared_payload_kg": 350,
    }
    got = one(rules, kei_truck)
    assert (got["size_class"], got["use"], got["plate_class"]) == ("kei", "cargo", 4)
    assert (got["plate_color"], got["toll_class"]) == ("yellow", "kei")
    assert (got["inspection_first_years"], got["inspection_then_years"]) == (2, 2)


def test_a_bed_between_the_kei_and_the_registered_minimum(rules: RuleStore) -> None:
    got = one(rules, {**HILUX, "bed_floor_area_m2": 0.7, "length_mm": 4500, "width_mm": None})
    assert got["size_class"] is None
    assert got["cargo_failures"] == [
        "cargo floor area cannot be checked: size_class unknown "
        "(the minimum is 0.6 to 1 m² by size class)"
    ]


@pytest.mark.parametrize(
    ("as_of", "licence"),
    [(dt.date(2017, 3, 11), "standard"), (dt.date(2017, 3, 12), "semi_medium")],
)
def test_licence_on_both_sides_of_2017_03_12(
    rules: RuleStore, as_of: dt.date, licence: str
) -> None:
    got = assess(rules, HILUX, as_of=as_of, declared_payload_kg=1200).row(0, named=True)
    assert got["jp_gross_weight_kg"] == 3575
    assert got["licence"] == licence


def test_licence_reasons_name_the_limit(rules: RuleStore) -> None:
    got = one(rules, HILUX, declared_payload_kg=1200)
    assert got["licence_reason"] == (
        "gross weight 3,575 kg ≥ 3,500 kg: beyond the standard licence "
        "(issued from 2017-03-12), needs semi_medium"
    )
    within = one(rules, HILUX)["licence_reason"]
    assert within.startswith("gross weight 2,875 kg, load 500 kg, 5 seats: the standard licence")


@pytest.mark.parametrize(
    ("extra", "licence"),
    [
        ({"declared_payload_kg": 2000}, "semi_medium"),  # load 2 t is not under 2 t
        ({"declared_payload_kg": 4600}, "medium"),
        ({"declared_payload_kg": 9000}, "large"),
    ],
)
def test_heavier_loads_need_bigger_licences(
    rules: RuleStore, extra: dict[str, int], licence: str
) -> None:
    assert one(rules, {**HILUX, **extra})["licence"] == licence


def test_a_twelve_seat_van_is_a_2_number_mid_size_vehicle(rules: RuleStore) -> None:
    van = {
        "body": "van",
        "seats": 12,
        "length_mm": 5380,
        "width_mm": 1880,
        "height_mm": 2285,
        "displacement_cc": 2800,
        "fuel": "diesel",
        "powertrain": "ice",
        "curb_weight_kg": 2300,
    }
    got = one(rules, van)
    assert (got["plate_class"], got["licence"], got["toll_class"]) == (2, "medium", "mid_size")
    assert got["licence_reason"].startswith("seats 12 > 10: beyond the standard licence")


def test_before_the_licence_rules_the_licence_is_explicitly_unknown(rules: RuleStore) -> None:
    got = assess(rules, HILUX, as_of=dt.date(2000, 1, 1)).row(0, named=True)
    assert got["size_class"] == "ordinary"  # 別表第一 is modelled from 1998-10-01
    assert got["licence"] is None
    assert got["licence_reason"] == (
        "unknown: classification.licence.gross_weight_below_kg is not in force on 2000-01-01"
    )
    assert got["use"] == "cargo"
    assert got["cargo_failures"] == ["declared load cannot be checked: declared_payload_kg missing"]
    assert got["use_reasons"][-1] == (
        "no default load: classification.cargo.default_declared_payload_kg "
        "is not in force on 2000-01-01"
    )


def test_before_every_rule_each_column_is_null_with_a_reason(rules: RuleStore) -> None:
    got = assess(rules, YARIS, as_of=dt.date(1950, 1, 1)).row(0, named=True)
    assert got["size_class"] is None
    assert got["size_class_reasons"] == [
        "unknown: classification.kei.max_length_mm is not in force on 1950-01-01"
    ]
    assert all(got[c] is None for c in ("plate_class", "licence", "toll_class", "use"))


def test_a_batch_equals_its_rows_one_by_one(rules: RuleStore) -> None:
    rows = [N_BOX, YARIS, HILUX, {**HILUX, "bed_floor_area_m2": 0.8}, {"body": None}]
    batch = assess(rules, *rows)
    assert batch.height == len(rows)
    for i, row in enumerate(rows):
        single = assess(rules, row)
        assert batch.slice(i, 1).select(classify.COLUMNS).equals(single.select(classify.COLUMNS))


def test_an_unknown_body_has_no_default_use(rules: RuleStore) -> None:
    got = one(rules, {**YARIS, "body": None})
    assert got["use"] is None
    assert got["use_reasons"] == ["body missing: no default use (set registration)"]


def test_to_json_holds_every_column(rules: RuleStore) -> None:
    row = one(rules, HILUX)
    section = classify.to_json(row)["classification"]
    assert list(section) == list(classify.COLUMNS)
    assert section["plate_class"] == 1


def test_parameters_used_are_traced(rules: RuleStore) -> None:
    ctx = StageContext(as_of=TODAY, rules=rules)
    base = pl.DataFrame([{n: HILUX.get(n) for n in NAMES}], schema=FRAME_SCHEMA)
    classify.run(with_options(base, AssessOptions.build(as_of=TODAY)), ctx)
    assert "classification.small.max_width_mm" in ctx.used
    assert "classification.cargo.default_declared_payload_kg" in ctx.unconfirmed
