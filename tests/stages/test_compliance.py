"""The compliance stage: findings per rule and route, windows, unknowns, totals, drive side."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jpimport.options import AssessOptions, with_options
from jpimport.rules import RuleStore, load_rule_tree
from jpimport.rules.compliance import ROUTES, bundled_entries
from jpimport.stages import compliance, pathways
from jpimport.stages.context import StageContext
from jpimport.stages.verdicts import verdicts_only
from jpimport.vehicles.schema import FRAME_SCHEMA, NAMES

DATA = Path(compliance.__file__).resolve().parents[1] / "rules" / "data"
AS_OF = dt.date(2026, 3, 1)
STAGE = {
    "use": pl.String(),
    "jp_gross_weight_kg": pl.Int64(),
    "declared_payload_used_kg": pl.Int64(),
}

# A U.S.-spec sedan as a parallel importer finds it: red rear turn signals, a right-traffic
# dipped beam and a mph speedometer (a synthetic vehicle; other facts unknown).
SEDAN: dict[str, Any] = {
    "model_year": 2026,
    "manufacture_date": "2026-01",
    "body": "sedan",
    "seats": 5,
    "use": "passenger",
    "plant_country": "US",
    "drive_side": "LHD",
    "length_mm": 4900,
    "width_mm": 1850,
    "height_mm": 1450,
    "gvwr_kg": 2100,
    "powertrain": "ice",
    "rear_turn_signal_color": "red",
    "headlamp_beam": "right_traffic",
    "speedometer_units": "mph",
}


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleStore:
    """Only this issue's rule families, so other families' work in progress cannot break these."""
    root = tmp_path_factory.mktemp("rules")
    for family in ("pathways", "compliance", "drive_side"):
        shutil.copytree(DATA / family, root / family)
    return load_rule_tree(root)


def run(
    rules: RuleStore, *rows: dict[str, Any], as_of: dt.date = AS_OF, **options: Any
) -> tuple[pl.DataFrame, StageContext]:
    """Run pathways then compliance over partial rows; stage columns are given directly."""
    base = pl.DataFrame([{n: r.get(n) for n in NAMES} for r in rows], schema=FRAME_SCHEMA)
    base = base.with_columns(
        pl.Series(c, [r.get(c) for r in rows], dtype=t) for c, t in STAGE.items()
    )
    frame = with_options(base, AssessOptions.build(as_of=as_of, **options))
    ctx = StageContext(as_of=as_of, rules=rules)
    return compliance.run(pathways.run(frame, ctx), ctx), ctx


def one(rules: RuleStore, row: dict[str, Any], **options: Any) -> dict[str, Any]:
    """The assessed row of one vehicle."""
    return run(rules, row, **options)[0].row(0, named=True)


def found(row: dict[str, Any], rule: str, route: str) -> dict[str, Any]:
    """The finding of one rule on one route."""
    return next(f for f in row["findings"] if f["rule"] == rule and f["pathway"] == route)


def json_finding(row: dict[str, Any], rule: str, route: str) -> dict[str, Any]:
    """The finding of one rule on one route as the JSON document gives it (titles, citation)."""
    findings = compliance.to_json(row)["findings"]
    return next(f for f in findings if f["rule"] == rule and f["pathway"] == route)


def test_there_is_one_finding_per_rule_and_route(rules: RuleStore) -> None:
    row = one(rules, SEDAN)
    assert len(row["findings"]) == len(bundled_entries()) * len(ROUTES)
    first = row["findings"][0]
    # The frame keeps what varies by row; the rule's own texts are added in the JSON only.
    assert set(first) == {
        "rule",
        "outcome",
        "pathway",
        "reason",
        "modification",
        "cost_low_jpy",
        "cost_typical_jpy",
        "cost_high_jpy",
        "missing",
        "compared_date",
        "compared_date_estimated",
    }
    document = compliance.to_json(row)["findings"][0]
    assert set(document) >= {*first, "title_en", "title_ja", "status", "citation", "cost_jpy"}
    assert list(document)[:3] == ["rule", "title_en", "title_ja"]
    assert set(document["citation"]) == {"title", "url", "article"}
    entry = next(r for r in bundled_entries() if r.id == first["rule"])
    assert (document["title_en"], document["citation"]) == (
        entry.title_en,
        entry.citation.to_dict(),
    )


def test_red_rear_turn_signals_need_amber_except_under_the_us_route(rules: RuleStore) -> None:
    row = one(rules, SEDAN)
    parallel = found(row, "rear_turn_signal_color", "parallel")
    assert parallel["outcome"] == "modify"
    assert (parallel["cost_low_jpy"], parallel["cost_typical_jpy"], parallel["cost_high_jpy"]) == (
        30_000,
        80_000,
        150_000,
    )
    assert json_finding(row, "rear_turn_signal_color", "parallel")["status"] == "unconfirmed"
    us = found(row, "rear_turn_signal_color", "us_certified")
    assert us["outcome"] == "advisory"
    assert "voluntary measures" in us["reason"]
    amber = one(rules, {**SEDAN, "rear_turn_signal_color": "amber"})
    assert found(amber, "rear_turn_signal_color", "parallel")["outcome"] == "pass"


def test_a_missing_attribute_is_unknown_and_named_never_a_pass(rules: RuleStore) -> None:
    row = one(rules, {**SEDAN, "rear_turn_signal_color": None})
    for route in ("php", "type_designation", "parallel"):
        finding = found(row, "rear_turn_signal_color", route)
        assert finding["outcome"] == "unknown"
        assert finding["missing"] == ["rear_turn_signal_color"]
        assert finding["reason"] == "unknown: needs rear_turn_signal_color"
    general = found(one(rules, {**SEDAN, "height_mm": None}), "general_dimensions", "parallel")
    assert (general["outcome"], general["missing"]) == ("unknown", ["height_mm"])


def test_japanese_only_items_are_deemed_met_under_the_us_route(rules: RuleStore) -> None:
    row = one(rules, SEDAN)  # side repeaters and direct vision are unknown facts
    for rule in ("side_turn_repeaters", "direct_vision", "auto_headlamps"):
        assert found(row, rule, "us_certified")["outcome"] == "pass"
        assert found(row, rule, "parallel")["outcome"] == "unknown"
    assert found(row, "side_turn_repeaters", "parallel")["missing"] == ["side_turn_repeaters"]


@pytest.mark.parametrize(("made", "outcome"), [("2021-09", "pass"), ("2021-10", "modify")])
def test_automatic_headlamps_follow_the_continuing_production_date_on_the_parallel_route(
    rules: RuleStore, made: str, outcome: str
) -> None:
    row = one(rules, {**SEDAN, "auto_headlamps": False}, manufactured=made)
    finding = found(row, "auto_headlamps", "parallel")
    assert finding["outcome"] == outcome
    assert finding["compared_date"] == dt.date.fromisoformat(made + "-01")
    assert finding["compared_date_estimated"] is False
    if outcome == "pass":
        assert finding["reason"] == (
            "not required: applies to vehicles made from 2021-10-01; compared date 2021-09-01"
        )


def test_a_type_approved_now_follows_the_new_model_date(rules: RuleStore) -> None:
    """A 2019-built car approved by PHP in 2026 is a new type: automatic headlamps apply."""
    row = one(rules, {**SEDAN, "auto_headlamps": False}, manufactured="2019-05")
    assert found(row, "auto_headlamps", "php")["outcome"] == "modify"
    assert found(row, "auto_headlamps", "parallel")["outcome"] == "pass"


@pytest.mark.parametrize(("made", "outcome"), [("2022-08", "pass"), ("2022-09", "modify")])
def test_seat_belt_reminders_both_sides_of_the_continuing_date(
    rules: RuleStore, made: str, outcome: str
) -> None:
    row = one(rules, {**SEDAN, "rear_seatbelt_reminder": False}, manufactured=made)
    finding = found(row, "seatbelt_reminders", "parallel")
    assert finding["outcome"] == outcome
    # the continuing date is unconfirmed
    assert json_finding(row, "seatbelt_reminders", "parallel")["status"] == "unconfirmed"


def test_an_estimated_date_never_excludes_a_vehicle_it_may_cover(rules: RuleStore) -> None:
    undated = {**SEDAN, "manufacture_date": None, "auto_headlamps": False}
    row = one(rules, {**undated, "model_year": 2026})
    windscreen = found(row, "pedestrian_head_windscreen", "parallel")
    assert windscreen["outcome"] == "unknown"
    assert windscreen["missing"] == ["manufacture_date"]
    assert windscreen["compared_date"] == dt.date(2025, 7, 1)
    assert windscreen["compared_date_estimated"] is True
    old = one(rules, {**undated, "model_year": 2020})
    headlamps = found(old, "auto_headlamps", "parallel")
    assert headlamps["outcome"] == "pass"
    assert headlamps["reason"].endswith("(estimated from the model year)")
    neither = one(rules, {**undated, "model_year": None})
    finding = found(neither, "auto_headlamps", "parallel")
    assert (finding["outcome"], finding["missing"]) == (
        "unknown",
        ["manufacture_date", "model_year"],
    )


def test_a_rule_outside_its_scope_passes_with_the_reason(rules: RuleStore) -> None:
    row = one(rules, SEDAN)
    finding = found(row, "approach_sound", "parallel")
    assert finding["outcome"] == "pass"
    assert finding["reason"].startswith("not required: applies only to hybrid")
    hybrid = one(rules, {**SEDAN, "powertrain": "hev", "approach_sound": False})
    assert found(hybrid, "approach_sound", "parallel")["outcome"] == "modify"
    unknown = found(one(rules, {**SEDAN, "powertrain": None}), "approach_sound", "parallel")
    assert (unknown["outcome"], unknown["missing"]) == ("unknown", ["powertrain"])


def test_cargo_registration_needs_cargo_rated_wheels_over_500_kg(rules: RuleStore) -> None:
    pickup = {**SEDAN, "body": "pickup", "use": "cargo", "jp_gross_weight_kg": 3200}
    heavy = one(rules, {**pickup, "declared_payload_used_kg": 600})
    assert found(heavy, "cargo_wheels_tyres", "parallel")["outcome"] == "modify"
    light = one(rules, {**pickup, "declared_payload_used_kg": 400})
    assert found(light, "cargo_wheels_tyres", "parallel")["outcome"] == "pass"


def test_the_plate_recess_needs_a_bracket_on_every_route(rules: RuleStore) -> None:
    row = one(rules, SEDAN)
    for route in ROUTES:
        assert found(row, "number_plate_mounting", route)["outcome"] == "modify"


@pytest.mark.parametrize(("as_of", "outcome"), [("2021-09-30", "pass"), ("2021-10-01", "advisory")])
def test_plate_angles_apply_from_first_registration_on_2021_10_01(
    rules: RuleStore, as_of: str, outcome: str
) -> None:
    day = dt.date.fromisoformat(as_of)
    finding = found(one(rules, SEDAN, as_of=day), "number_plate_angle", "parallel")
    assert (finding["outcome"], finding["compared_date"]) == (outcome, day)


def test_limits_block_and_big_trucks_need_axle_loads(rules: RuleStore) -> None:
    wide = one(rules, {**SEDAN, "width_mm": 2600}, importer="individual", volume=1)
    assert found(wide, "general_dimensions", "parallel")["outcome"] == "block"
    assert wide["blocked"] is True
    truck = one(rules, {**SEDAN, "gvwr_kg": 12_000})
    axle = found(truck, "axle_wheel_loads", "parallel")
    assert (axle["outcome"], axle["missing"]) == ("unknown", ["axle_loads_kg"])


def test_totals_add_up_the_recommended_routes_modifications(rules: RuleStore) -> None:
    row = one(rules, SEDAN, importer="individual", volume=1)
    assert row["recommended_pathway"] == "parallel"
    modify = [f for f in row["findings"] if f["pathway"] == "parallel" and f["outcome"] == "modify"]
    assert sorted(f["rule"] for f in modify) == [
        "headlamp_beam_left_traffic",
        "number_plate_mounting",
        "rear_turn_signal_color",
        "speedometer_kmh",
    ]
    assert row["modification_count"] == 4
    assert row["modifications_low_jpy"] == 5_000 + 30_000 + 50_000 + 20_000
    assert row["modifications_jpy"] == sum(f["cost_typical_jpy"] for f in modify) == 295_000
    assert row["modifications_high_jpy"] == 40_000 + 150_000 + 300_000 + 150_000
    assert row["blocked"] is False
    maker = one(rules, SEDAN)
    assert (maker["recommended_pathway"], maker["modification_count"]) == ("us_certified", 1)
    assert maker["modifications_jpy"] == 15_000


def test_a_modification_without_a_cost_in_force_leaves_the_total_unknown(rules: RuleStore) -> None:
    frame = pl.DataFrame([{n: SEDAN.get(n) for n in NAMES}], schema=FRAME_SCHEMA)
    frame = frame.with_columns(
        pl.lit("passenger").alias("use"), pl.lit("parallel").alias("recommended_pathway")
    )
    day = dt.date(2023, 6, 1)  # before the modification-cost estimates start
    frame = with_options(frame, AssessOptions.build(as_of=day))
    row = compliance.run(frame, StageContext(as_of=day, rules=rules)).row(0, named=True)
    assert row["modification_count"] == 4
    assert row["modifications_jpy"] is None


def test_no_recommended_route_means_no_totals(rules: RuleStore) -> None:
    row = one(rules, SEDAN, as_of=dt.date(2013, 6, 1), importer="individual")
    assert row["recommended_pathway"] is None
    assert (row["modification_count"], row["modifications_jpy"], row["blocked"]) == (
        None,
        None,
        None,
    )


def test_left_hand_drive_notes_and_no_conversion_by_default(rules: RuleStore) -> None:
    row = one(rules, {**SEDAN, "rhd_available": False})
    notes = row["drive_side_notes"]
    assert (
        notes[0]
        == "Left-hand drive is legal to register and drive in Japan; conversion is optional."
    )
    assert any(n.startswith("Toll booths") for n in notes)
    assert any(n.startswith("Drive-throughs") for n in notes)
    assert any(n.startswith("Parking") for n in notes)
    assert "The plant builds no right-hand-drive version." in notes
    assert (row["rhd_conversion_low_jpy"], row["rhd_conversion_jpy"]) == (0, 0)


@pytest.mark.parametrize(("as_of", "yen_per_aud"), [("2026-02-04", 106), ("2026-02-05", 109)])
def test_rhd_conversion_is_the_australian_reference_in_yen(
    rules: RuleStore, as_of: str, yen_per_aud: int
) -> None:
    row = one(rules, SEDAN, as_of=dt.date.fromisoformat(as_of), rhd_conversion=True)
    assert (
        row["rhd_conversion_low_jpy"],
        row["rhd_conversion_jpy"],
        row["rhd_conversion_high_jpy"],
    ) == (
        10_000 * yen_per_aud,
        25_000 * yen_per_aud,
        60_000 * yen_per_aud,
    )
    assert any("RMA" in n and "UNCONFIRMED" in n for n in row["drive_side_notes"])


def test_a_right_hand_drive_vehicle_needs_no_conversion(rules: RuleStore) -> None:
    row = one(rules, {**SEDAN, "drive_side": "RHD"}, rhd_conversion=True)
    assert row["drive_side_notes"] == ["Right-hand drive as built: no conversion needed."]
    assert row["rhd_conversion_jpy"] == 0
    unknown = one(rules, {**SEDAN, "drive_side": None}, rhd_conversion=True)
    assert unknown["drive_side_notes"] == ["Drive side unknown (drive_side missing)."]
    assert unknown["rhd_conversion_jpy"] is None


def test_every_entry_is_traced_with_its_status(rules: RuleStore) -> None:
    _, ctx = run(rules, SEDAN)
    traced = ctx.trace()
    names = {t["name"] for t in traced}
    assert {f"compliance.{r.id}" for r in bundled_entries()} <= names
    assert "compliance.costs.rear_turn_signal_amber" in names
    assert "compliance.seatbelt_reminders" in ctx.unconfirmed
    assert "compliance.general_dimensions" not in ctx.unconfirmed


def test_many_rows_give_the_same_answers_as_one_row_each(rules: RuleStore) -> None:
    rows = [SEDAN, {**SEDAN, "rear_turn_signal_color": None}, {**SEDAN, "manufacture_date": None}]
    together = run(rules, *rows)[0].to_dicts()
    assert together == [one(rules, r) for r in rows]


def test_the_json_has_findings_a_summary_and_the_drive_side(rules: RuleStore) -> None:
    document = compliance.to_json(one(rules, {**SEDAN, "auto_headlamps": None}))
    assert set(document) == {"findings", "compliance", "drive_side"}
    summary = document["compliance"]
    assert summary["pathway"] == "us_certified"
    assert summary["outcomes"]["rear_turn_signal_color"]["parallel"] == "modify"
    assert "rear_turn_signal_color" in summary["advisory"]
    assert summary["unknown"]["pedestrian_head_windscreen"] == ["pedestrian_protection_evidence"]
    dated = next(f for f in document["findings"] if f["rule"] == "auto_headlamps")
    assert dated["compared_date"] == "2026-01-01"
    assert set(document["drive_side"]) == {
        "drive_side_notes",
        "rhd_conversion_low_jpy",
        "rhd_conversion_jpy",
        "rhd_conversion_high_jpy",
    }


def _fields_as_text(column: str, fields: tuple[str, ...]) -> pl.Expr:
    """A list of records cut down to ``fields``, each cast to text."""
    return pl.col(column).list.eval(
        pl.struct([pl.element().struct.field(f).cast(pl.String) for f in fields])
    )


def test_verdicts_only_keeps_each_verdict_and_every_other_column(rules: RuleStore) -> None:
    rows = [SEDAN, {**SEDAN, "rear_turn_signal_color": None}, {**SEDAN, "auto_headlamps": False}]
    full = run(rules, *rows)[0]
    with verdicts_only():
        lean = run(rules, *rows)[0]
    lists = {"findings": compliance.VERDICTS, "pathways": pathways.VERDICTS}
    assert lean.drop(*lists).equals(full.drop(*lists), null_equal=True)
    for column, fields in lists.items():
        got = lean.select(_fields_as_text(column, fields))
        assert got.equals(full.select(_fields_as_text(column, fields)), null_equal=True), column
        inner = lean.schema[column].inner  # type: ignore[attr-defined]
        assert [f.name for f in inner.fields] == list(fields)
    assert run(rules, SEDAN)[0].equals(full.head(1), null_equal=True)  # the mode ends with it
