"""`jpimport vin`: the JSON contract, and invalid VINs as one-line errors with exit code 2."""

import json

import pytest

from tests.cli.conftest import Run
from tests.cli.test_cli_basics import assert_one_line_error

TUNDRA = "5TFLA5DB7NX001907"  # 2022 Tundra, San Antonio: a published window sticker


def test_vin_json_contract(run_cli: Run) -> None:
    result = run_cli("vin", TUNDRA, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {
        "vin",
        "valid",
        "check_digit_ok",
        "manufacturer",
        "country",
        "model_year",
        "plant",
        "make",
        "model",
        "catalog_match",
    } <= set(document)
    assert set(document["plant"]) >= {"code", "name", "city", "state"}
    assert set(document["catalog_match"]) >= {"id", "confidence"}
    assert document["valid"] is True and document["check_digit_ok"] is True
    assert document["country"] == "US"
    assert document["plant"]["city"] == "San Antonio"
    assert "Toyota" in document["manufacturer"]
    assert document["catalog_match"]["id"].startswith("toyota-tundra-")


def test_vin_table_names_plant(run_cli: Run) -> None:
    result = run_cli("vin", TUNDRA)
    assert result.returncode == 0
    assert "San Antonio" in result.stdout and "United States" in result.stdout


@pytest.mark.parametrize("as_json", [(), ("--json",)])
@pytest.mark.parametrize(
    ("vin", "fragment"),
    [
        ("5TFLA5DB3NX001907", "check digit is '3', expected '7'"),
        ("5TFLA5DB7NX00190", "has 16 characters, expected 17"),
        ("5TFLA5DB7NXO01907", "position 12"),
    ],
)
def test_bad_vin_is_one_line_exit_2(
    run_cli: Run, vin: str, fragment: str, as_json: tuple[str, ...]
) -> None:
    assert_one_line_error(run_cli("vin", vin, *as_json), fragment)
