"""Run the plain-language YAML cases in tests/cases/ (one file per rule family)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from jpimport.assessment import assess
from jpimport.vehicles.records import validate_values
from jpimport.vehicles.vehicle import Vehicle

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


def _vehicle(spec: Any) -> str | Vehicle:
    if isinstance(spec, str):
        return spec
    return Vehicle(values=validate_values({"id": "case-vehicle", **spec}))


def _dig(document: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


@pytest.mark.parametrize("case", _load())
def test_case(case: dict[str, Any]) -> None:
    as_of = case["as_of"]
    assert isinstance(as_of, dt.date), "as_of must be a date"
    result = assess(_vehicle(case["vehicle"]), as_of=as_of, **case.get("options", {}))
    for column, expected in case.get("expect", {}).items():
        assert column in result.row, f"no column {column}"
        assert result.row[column] == expected, f"{column}: {result.row[column]!r}"
    document = result.to_dict()
    for path, expected in case.get("expect_json", {}).items():
        assert _dig(document, path) == expected, f"{path}: {_dig(document, path)!r}"
