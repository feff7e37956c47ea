"""`jpimport assess`, `rules`, `lineup` and `compare` from the command line."""

import json
from pathlib import Path

from tests.cli.conftest import Run
from tests.cli.test_cli_basics import assert_one_line_error

CAMRY = "toyota-camry-2026-le"


def route(document: dict, name: str) -> dict:
    return next(p for p in document["pathways"] if p["id"] == name)


def test_assess_json_contract(run_cli: Run) -> None:
    result = run_cli("assess", CAMRY, "--as-of", "2026-03-01", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    for key in (
        "vehicle",
        "as_of",
        "classification",
        "pathways",
        "recommended_pathway",
        "recommended_reason",
        "findings",
        "fit",
        "costs",
        "unconfirmed",
        "trace",
    ):
        assert key in document, key
    assert document["as_of"] == "2026-03-01"
    assert set(document["costs"]["landed"]) >= {
        "fob_jpy",
        "freight_jpy",
        "insurance_jpy",
        "cif_jpy",
        "duty_jpy",
        "import_consumption_tax_jpy",
        "pathway_jpy",
        "modifications_jpy",
        "total_jpy",
    }
    assert set(document["costs"]["registration"]) >= {
        "environmental_performance_tax_jpy",
        "automobile_tax_jpy",
        "weight_tax_jpy",
        "compulsory_insurance_jpy",
        "recycling_jpy",
        "fees_jpy",
        "total_jpy",
    }
    assert set(document["costs"]["annual"]) >= {
        "automobile_tax_jpy",
        "weight_tax_jpy",
        "compulsory_insurance_jpy",
        "inspection_jpy",
        "parking_jpy",
        "fuel_jpy",
        "total_jpy",
    }


def test_us_certified_route_opens_on_2026_02_16(run_cli: Run) -> None:
    before = json.loads(run_cli("assess", CAMRY, "--as-of", "2026-01-31", "--json").stdout)
    after = json.loads(run_cli("assess", CAMRY, "--as-of", "2026-03-01", "--json").stdout)
    assert route(before, "us_certified")["eligible"] is False
    assert any("2026-02-16" in r for r in route(before, "us_certified")["reasons"])
    assert route(after, "us_certified")["eligible"] is True


def test_php_cap_makes_php_ineligible(run_cli: Run) -> None:
    document = json.loads(run_cli("assess", CAMRY, "--volume", "5001", "--json").stdout)
    php = route(document, "php")
    assert php["eligible"] is False
    assert any("5,000" in r for r in php["reasons"])


def test_assess_spec_file(run_cli: Run, tmp_path: Path) -> None:
    spec = tmp_path / "truck.toml"
    spec.write_text(
        'make = "Ford"\nmodel = "F-150"\nbody = "pickup"\nlength_mm = 5885\n'
        "width_mm = 2029\nheight_mm = 1960\ncurb_weight_kg = 2241\nseats = 5\n"
        'displacement_cc = 2694\nfuel = "regular"\npowertrain = "ice"\n'
        'plant_country = "US"\nmsrp_usd = 40000\n',
        encoding="utf-8",
    )
    result = run_cli("assess", "--spec", str(spec), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["classification"]["plate_class"] == 1
    assert document["classification"]["jp_gross_weight_kg"] == 2241 + 500 + 55 * 5


def test_assess_table_and_explain(run_cli: Run) -> None:
    result = run_cli("assess", CAMRY, "--explain")
    assert result.returncode == 0, result.stderr
    assert "Certification routes" in result.stdout
    assert "Rules and parameters used" in result.stdout


def test_assess_errors_are_one_line(run_cli: Run) -> None:
    assert_one_line_error(run_cli("assess", "toyota-nope", "--json"), "no catalog entry")
    assert_one_line_error(run_cli("assess", CAMRY, "--importer", "pirate"), "importer")
    assert_one_line_error(run_cli("assess", "5TFLA5DB3NX001907"), "expected '7'")
    assert_one_line_error(run_cli("assess"), "TARGET")


def test_rules_list_and_show(run_cli: Run) -> None:
    listed = json.loads(run_cli("rules", "list", "--as-of", "2026-03-01", "--json").stdout)
    names = {r["name"] for r in listed["rules"]}
    assert "pathways.php.annual_cap_units" in names
    shown = json.loads(
        run_cli(
            "rules", "show", "pathways.php.annual_cap_units", "--as-of", "2013-05-09", "--json"
        ).stdout
    )
    in_force = [v for v in shown["values"] if v["in_force"]]
    assert in_force[0]["value"] == 2000
    assert_one_line_error(run_cli("rules", "show", "pathways.php.annual_cap"), "did you mean")


def test_lineup_and_compare(run_cli: Run) -> None:
    lineup = json.loads(run_cli("lineup", "--json").stdout)
    ids = {r["id"] for r in lineup["rows"]}
    assert any(i.startswith("toyota-tundra-") for i in ids)
    assert any(i.startswith("ford-f-150-") for i in ids)
    tundra = "toyota-tundra-2026-sr5-crewmax-5.5"
    result = run_cli(
        "compare", f"{tundra}@registration=cargo", f"{tundra}@registration=passenger", "--json"
    )
    assert result.returncode == 0, result.stderr
    compared = json.loads(result.stdout)
    plates = next(m for m in compared["metrics"] if m["metric"].startswith("Plate class"))
    assert plates["values"] == [1, 3]
