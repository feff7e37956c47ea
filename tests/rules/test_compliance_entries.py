"""Compliance entries: golden errors for broken files, and checks on every bundled entry.

A golden case is one YAML file in compliance_invalid/ whose first line is
``# expect: <message>``; add a case by adding a file.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from jpimport.errors import RuleError, RuleFileError
from jpimport.rules import Range, load_rule_tree
from jpimport.rules.compliance import (
    ROUTES,
    Always,
    AnyOf,
    Compare,
    ParamRef,
    bundled_entries,
    column_kind,
    columns_of,
    load_entries,
    load_entry,
)
from jpimport.rules.store import DATA_DIR

HERE = Path(__file__).parent
REPO = HERE.parent.parent
CASES = sorted((HERE / "compliance_invalid").glob("*.yaml"))
PREFIX = "# expect: "

VALID = """\
id: {id}
title_en: Test rule
title_ja: テスト規則
description: A synthetic entry for tests.
citation: {{title: Test source, url: 'https://example.org/rules', article: Art. 1}}
source_kind: primary
status: confirmed
last_verified_on: 2026-11-21
reads: [use, width_mm, rear_turn_signal_color]
applies_to:
  when: {{column: use, in: [passenger, cargo]}}
  text: every vehicle
window:
  compare: manufacture
  continuing_from: 2021-10-01
  status: unconfirmed
fails_when:
  any:
    - {{column: rear_turn_signal_color, is: red}}
    - {{column: width_mm, above: {{param: compliance.limits.width_mm}}}}
routes:
  default:
    on_fail: modify
    modification: Fit amber lamps.
    cost: compliance.costs.rear_turn_signal_amber
  us_certified: {{on_fail: pass, reason: deemed met}}
  parallel: {{on_fail: unknown, missing: [axle_loads_kg]}}
"""


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(PREFIX), f"{path.name} must start with '{PREFIX}<message>'"
    return first.removeprefix(PREFIX)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_broken_entry_fails_with_the_golden_message(path: Path) -> None:
    """The message names the file, the line and the fault."""
    shown = path.relative_to(REPO).as_posix()
    with pytest.raises(RuleFileError) as caught:
        load_entry(path, shown)
    assert str(caught.value) == _expected(path)
    assert caught.value.path == shown
    assert isinstance(caught.value, RuleError)


def test_there_is_a_golden_case_for_every_kind_of_fault() -> None:
    """The folder keeps its coverage."""
    names = {p.stem for p in CASES}
    for kind in (
        "unknown_key_top",
        "missing_required_key",
        "duplicate_key",
        "id_mismatch",
        "reads_unknown_column",
        "condition_column_not_read",
        "condition_value_not_a_choice",
        "window_new_after_continuing",
        "route_not_covered",
        "modify_without_cost",
        "unknown_without_missing",
        "citation_missing_url",
        "invalid_yaml",
        "empty_file",
    ):
        assert kind in names


def test_a_valid_entry_parses_into_conditions_windows_and_routes(tmp_path: Path) -> None:
    path = tmp_path / "test_rule.yaml"
    path.write_text(VALID.format(id="test_rule"), encoding="utf-8")
    rule = load_entry(path)
    assert rule.reads == ("use", "width_mm", "rear_turn_signal_color")
    assert rule.citation.article == "Art. 1"
    assert rule.applies_to is not None and rule.applies_to.text == "every vehicle"
    assert isinstance(rule.fails_when, AnyOf)
    first, second = rule.fails_when.items
    assert first == Compare("rear_turn_signal_color", "is", "red")
    assert second == Compare("width_mm", "above", ParamRef("compliance.limits.width_mm"))
    assert columns_of(rule.fails_when) == ("rear_turn_signal_color", "width_mm")
    assert rule.window is not None
    assert rule.window.new_models_from == rule.window.continuing_from == dt.date(2021, 10, 1)
    assert rule.window.status == "unconfirmed"
    assert set(rule.routes) == set(ROUTES)
    assert rule.routes["php"] == rule.routes["type_designation"]
    assert rule.routes["php"].cost == "compliance.costs.rear_turn_signal_amber"
    assert rule.routes["us_certified"].on_fail == "pass"
    assert rule.routes["parallel"].missing == ("axle_loads_kg",)


def test_a_directory_refuses_yml_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("id: a\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"end in \.yaml, not \.yml"):
        load_entries(tmp_path)


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="does not exist"):
        load_entries(tmp_path / "nowhere")


def test_the_bundled_entries_cover_the_required_rules() -> None:
    ids = {rule.id for rule in bundled_entries()}
    assert ids >= {
        "rear_turn_signal_color",
        "side_turn_repeaters",
        "headlamp_beam_left_traffic",
        "direct_vision",
        "speedometer_kmh",
        "auto_headlamps",
        "approach_sound",
        "seatbelt_reminders",
        "pedestrian_head_bonnet",
        "pedestrian_head_windscreen",
        "emissions_test",
        "acceleration_noise_test",
        "cargo_wheels_tyres",
        "rear_side_marker_color",
        "number_plate_mounting",
        "general_dimensions",
        "turning_radius",
        "axle_wheel_loads",
    }


@pytest.mark.parametrize(
    ("rule_id", "new", "continuing"),
    [
        ("auto_headlamps", dt.date(2020, 4, 1), dt.date(2021, 10, 1)),
        ("auto_headlamps_heavy", dt.date(2021, 4, 1), dt.date(2023, 10, 1)),
        ("approach_sound", dt.date(2018, 3, 8), dt.date(2020, 10, 8)),
        ("seatbelt_reminders", dt.date(2020, 9, 1), dt.date(2022, 9, 1)),
        ("pedestrian_head_bonnet", dt.date(2005, 9, 1), dt.date(2010, 9, 1)),
        ("pedestrian_head_windscreen", dt.date(2024, 7, 7), dt.date(2025, 7, 7)),
    ],
)
def test_the_dated_rules_carry_their_new_model_and_continuing_dates(
    rule_id: str, new: dt.date, continuing: dt.date
) -> None:
    rule = next(r for r in bundled_entries() if r.id == rule_id)
    assert rule.window is not None
    assert (rule.window.new_models_from, rule.window.continuing_from) == (new, continuing)


def test_every_cost_an_entry_names_is_a_yen_range_parameter(tmp_path: Path) -> None:
    """Costs are parameters with sources; a typo in a name would silently drop a cost."""
    shutil.copytree(DATA_DIR / "compliance", tmp_path / "compliance")
    store = load_rule_tree(tmp_path)
    for rule in bundled_entries():
        for route, outcome in rule.routes.items():
            if outcome.cost is None:
                continue
            parameter = store.parameter(outcome.cost)
            assert parameter.unit == "jpy_per_unit", (rule.id, route)
            value = parameter.find(dt.date(2026, 3, 1))
            assert value is not None and isinstance(value.value, Range), (rule.id, route)


def test_every_entry_reads_known_columns_and_sources_its_text() -> None:
    for rule in bundled_entries():
        assert all(column_kind(c) is not None for c in rule.reads), rule.id
        assert rule.citation.url.startswith(("http://", "https://")), rule.id
        assert rule.title_ja and rule.title_en, rule.id
        if rule.fails_when == Always():
            assert not columns_of(rule.fails_when)
        # us_certified never blocks what the other routes let through.
        if rule.routes["us_certified"].on_fail == "block":
            assert all(rule.routes[r].on_fail == "block" for r in ROUTES), rule.id
