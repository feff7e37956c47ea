"""CLI contract: --version, --json documents, and one-line errors with exit code 2."""

import json

import jpimport
from tests.cli.conftest import Run


def assert_one_line_error(result: object, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_version(run_cli: Run) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"jpimport {jpimport.__version__}"


def test_help_lists_commands(run_cli: Run) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("catalog", "vin"):
        assert command in result.stdout


def test_catalog_list_json_is_one_document(run_cli: Run) -> None:
    result = run_cli("catalog", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == jpimport.catalog().height
    for row in rows:
        assert {"id", "make", "model", "model_year", "plant_country"} <= set(row)


def test_catalog_list_filters_by_make(run_cli: Run) -> None:
    rows = json.loads(run_cli("catalog", "list", "--make", "toyota", "--json").stdout)
    assert rows, "the catalog has Toyota entries"
    assert {r["make"] for r in rows} == {"Toyota"}


def test_catalog_show_unknown_id(run_cli: Run) -> None:
    assert_one_line_error(
        run_cli("catalog", "show", "toyota-tundra-1999", "--json"),
        "no catalog entry 'toyota-tundra-1999'",
    )


def test_unknown_option_is_one_line(run_cli: Run) -> None:
    assert_one_line_error(run_cli("catalog", "list", "--colour", "red"), "--colour")


def test_unknown_command_is_one_line(run_cli: Run) -> None:
    assert_one_line_error(run_cli("fly"), "fly")
