"""Row resolution: VIN, else id, else columns; overrides; per-row options; clear row errors."""

from __future__ import annotations

import polars as pl
import pytest

from jpimport.batch.resolve import ERROR, KIND, input_warnings, resolve
from jpimport.options import AssessOptions
from jpimport.vehicles.catalog import get_vehicle
from jpimport.vehicles.vindecode import check_digit
from tests.batch.conftest import AS_OF

TUNDRA = "toyota-tundra-2026-sr5-crewmax-5.5"
ACCORD = "honda-accord-2026-lx"
TUNDRA_VIN = "5TFLA5DB0TX123456"  # decodes to a 2026 Tundra SR5 built in San Antonio


def _resolve(rows: list[dict[str, object]], **options: object) -> pl.DataFrame:
    frame = pl.DataFrame(rows)
    return resolve(frame, AssessOptions.build(as_of=AS_OF, **options))


def _valid(vin: str) -> str:
    return vin[:8] + check_digit(vin) + vin[9:]


def test_vin_wins_over_id_and_matches_the_catalog() -> None:
    out = _resolve([{"vin": TUNDRA_VIN.lower() + " ", "id": ACCORD}])
    row = out.row(0, named=True)
    assert row["id"] == TUNDRA
    assert row["vehicle_source"] == "vin"
    assert row["vin_match_confidence"] == pytest.approx(1.0)
    assert row["make"] == "Toyota"
    assert row[ERROR] is None


def test_known_id_takes_the_catalog_row_and_columns_override_it() -> None:
    out = _resolve([{"id": ACCORD, "length_mm": "5000", "seats": None}])
    row = out.row(0, named=True)
    accord = get_vehicle(ACCORD)
    assert row["vehicle_source"] == "catalog"
    assert row["length_mm"] == 5000
    assert row["seats"] == accord["seats"]
    assert row["model"] == accord["model"]
    assert "length_mm" not in row["estimated"]


def test_canonical_columns_are_the_vehicle() -> None:
    out = _resolve([{"make": "Ford", "model": "Ranger", "length_mm": "5370", "body": "pickup"}])
    row = out.row(0, named=True)
    assert row["vehicle_source"] == "columns"
    assert (row["make"], row["length_mm"], row["body"]) == ("Ford", 5370, "pickup")
    assert row["sources"] == "{}"
    assert row[ERROR] is None


def test_unknown_id_with_columns_is_a_user_vehicle_without_is_an_error() -> None:
    out = _resolve([{"id": "my-truck", "length_mm": "5000"}, {"id": "my-truck", "length_mm": None}])
    assert out.get_column("vehicle_source").to_list() == ["columns", None]
    assert out.get_column(KIND).to_list() == [None, "unknown_id"]
    assert "column id: no catalog entry 'my-truck'" in out.item(1, ERROR)


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("length_mm", "-5", "column length_mm: expected a whole number between 1 and 30000"),
        ("length_mm", "long", "got 'long'"),
        ("length_mm", "4700.5", "expected a whole number"),
        ("body", "truck", "column body: expected one of sedan"),
        ("rhd_available", "maybe", "column rhd_available: expected true or false"),
        ("manufacture_date", "2026-13", "column manufacture_date: expected a month as YYYY-MM"),
        ("as_of", "tomorrow", "column as_of: expected a date as YYYY-MM-DD"),
        ("importer", "smuggler", "column importer: expected one of manufacturer"),
        ("volume", "0", "column volume: expected a whole number between 1 and 10000000"),
        ("usd_jpy", "0", "column usd_jpy: expected a number above 0 and below 10000"),
    ],
)
def test_bad_values_are_row_errors_naming_the_column(
    column: str, value: str, fragment: str
) -> None:
    out = _resolve([{"id": ACCORD, column: value}, {"id": ACCORD, column: None}])
    assert out.get_column(KIND).to_list() == ["invalid_value", None]
    assert fragment in out.item(0, ERROR)


def test_every_problem_of_a_row_is_reported() -> None:
    out = _resolve([{"id": ACCORD, "length_mm": "-1", "width_mm": "wide"}])
    message = out.item(0, ERROR)
    assert "column length_mm" in message
    assert "column width_mm" in message


def test_bad_vin_and_unmatched_vin() -> None:
    civic = _valid("2HGFE2F50TH123456")  # a Honda Civic: not in the catalog
    out = _resolve([{"vin": "5TFLA5DB5TX123456"}, {"vin": "SHORT"}, {"vin": civic}])
    assert out.get_column(KIND).to_list() == ["vin", "vin", "vin"]
    assert "check digit is '5', expected '0'" in out.item(0, ERROR)
    assert "has 5 characters, expected 17" in out.item(1, ERROR)
    assert "which the catalog does not hold" in out.item(2, ERROR)


def test_empty_row_misses_required_columns() -> None:
    out = _resolve([{"id": None, "vin": None, "length_mm": None, "note": "x"}])
    assert out.item(0, KIND) == "missing_columns"
    assert out.item(0, ERROR) == "row has no vin, no id and no vehicle columns"


def test_option_columns_override_defaults_per_row() -> None:
    out = _resolve(
        [
            {"id": ACCORD, "importer": "individual", "as_of": "2027-04-01", "volume": "10"},
            {"id": ACCORD, "importer": None, "as_of": None, "volume": None},
        ],
        importer="independent",
        volume=500,
    )
    assert out.get_column("importer").to_list() == ["individual", "independent"]
    assert [d.isoformat() for d in out.get_column("as_of")] == ["2027-04-01", AS_OF.isoformat()]
    assert out.get_column("volume").to_list() == [10, 500]


def test_vehicle_options_row_value_beats_command_line_beats_catalog() -> None:
    out = _resolve(
        [
            {"id": TUNDRA, "declared_payload_kg": "300", "manufactured": "2026-01"},
            {"id": TUNDRA, "declared_payload_kg": None, "manufactured": None},
        ],
        declared_payload_kg=500,
        manufactured="2025-12",
    )
    assert out.get_column("declared_payload_kg").to_list() == [300, 500]
    assert out.get_column("manufacture_date").to_list() == ["2026-01", "2025-12"]


def test_typed_parquet_values_are_checked_too() -> None:
    frame = pl.DataFrame(
        {"id": [ACCORD, ACCORD, ACCORD], "length_mm": [4900.0, -1.0, float("nan")]}
    )
    out = resolve(frame, AssessOptions.build(as_of=AS_OF))
    assert out.get_column("length_mm").to_list()[0] == 4900
    assert out.get_column(KIND).to_list() == [None, "invalid_value", None]


def test_unknown_columns_are_warned_about_not_errors() -> None:
    warnings = input_warnings(["id", "VIN", "mileage"])
    assert any("'VIN'" in w and "did you mean 'vin'" in w for w in warnings)
    assert any("'mileage'" in w for w in warnings)
    assert not any("'id'" in w for w in warnings)


def _overridden_estimates(ids: list[str]) -> list[list[str]]:
    """The ``estimated`` list of each catalog id with ``length_mm`` and ``seats`` given."""
    rows = [{"id": i, "length_mm": "5000", "seats": "4"} for i in ids]
    return [list(e) for e in _resolve(rows).get_column("estimated").to_list()]


@pytest.mark.parametrize("reverse", [False, True])
def test_overridden_estimates_are_the_sorted_remainder(
    monkeypatch: pytest.MonkeyPatch, reverse: bool
) -> None:
    from jpimport.batch import resolve as module

    catalog = module._catalog()
    given = {"length_mm", "seats"}
    if reverse:  # a catalog whose lists are not sorted must still give sorted lists
        unsorted = catalog.with_columns(
            pl.col("_jpb_cat_estimated").list.reverse().list.concat(pl.lit(["a"]))
        )
        monkeypatch.setattr(module, "_catalog", lambda: unsorted)
        monkeypatch.setattr(module, "_catalog_estimated_sorted", lambda: False)
        catalog = unsorted
    with_estimates = catalog.filter(pl.col("_jpb_cat_estimated").list.len() > 1)
    ids = with_estimates.get_column("_jpb_base_id").to_list()
    lists = with_estimates.get_column("_jpb_cat_estimated").to_list()
    expected = [sorted(set(items) - given) for items in lists]
    assert _overridden_estimates(ids) == expected
