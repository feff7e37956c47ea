"""Single = batch: every catalog vehicle's batch row holds exactly what ``assess`` gives.

Runs the real stages. Each stage column of ``assess(id).row`` is compared with its flattened
cell in the batch output: scalars equal, lists of scalars joined by "; ", records with a name
and a verdict as ``name[@pathway]=verdict`` pairs, other nested values as JSON, structs spread into
``<column>_<field>``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jpimport.assessment import assess
from jpimport.batch import run_batch
from jpimport.batch.chunk import VEHICLE_COLUMNS
from jpimport.options import AssessOptions
from tests.batch.conftest import AS_OF, catalog_ids

pytestmark = pytest.mark.usefixtures("real_stages")


def _plain(value: Any) -> Any:
    """A value as JSON would carry it (dates as ISO text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _verdict(item: Any) -> str | None:
    """``name=verdict`` for a record with a name and a verdict, else None."""
    if not isinstance(item, dict):
        return None
    scalar = {k: v for k, v in item.items() if not isinstance(v, dict | list)}
    key = next((k for k in ("id", "rule", "name") if k in scalar), None)
    verdict = next((k for k in ("outcome", "eligible", "fits", "status") if k in scalar), None)
    if key is None or verdict is None:
        return None
    shown = scalar[verdict]
    text = "unknown" if shown is None else str(shown).lower() if isinstance(shown, bool) else shown
    label = scalar[key]
    if scalar.get("pathway") is not None:
        label = f"{label}@{scalar['pathway']}"
    return f"{label}={text}"


def _expected_cells(name: str, value: Any) -> dict[str, Any]:
    """The flat cells one stage value becomes."""
    if isinstance(value, dict):
        cells: dict[str, Any] = {}
        for key, item in value.items():
            cells.update(_expected_cells(f"{name}_{key}", item))
        return cells
    if isinstance(value, list):
        pairs = [_verdict(v) for v in value]
        if value and all(p is not None for p in pairs):
            return {name: "; ".join(p for p in pairs if p is not None)}
        if any(isinstance(v, dict | list) for v in value):
            return {name: ("json", _plain(value))}
        return {name: "; ".join(str(_plain(v)) for v in value if v is not None)}
    return {name: value}


def _same(expected: Any, actual: Any) -> bool:
    """Equal, with JSON cells parsed and floats compared to rounding."""
    if isinstance(expected, tuple) and expected[0] == "json":
        return actual is not None and json.loads(actual) == expected[1]
    if isinstance(expected, float) and isinstance(actual, float):
        return math.isclose(expected, actual, rel_tol=1e-12) or expected == actual
    return bool(expected == actual)


def _check(row: dict[str, Any], single: dict[str, Any], label: str) -> None:
    assert row["status"] == "ok", (label, row["error"])
    for name, value in single.items():
        if name in VEHICLE_COLUMNS:
            continue
        for cell, expected in _expected_cells(name, value).items():
            assert cell in row, (label, cell)
            assert _same(expected, row[cell]), (label, cell, expected, row[cell])


def test_every_catalog_vehicle(tmp_path: Path) -> None:
    ids = catalog_ids()
    source = tmp_path / "ids.csv"
    pl.DataFrame({"id": ids}).write_csv(source)
    target = tmp_path / "out.parquet"
    run_batch(source, target, options=AssessOptions.build(as_of=AS_OF))
    out = pl.read_parquet(target)
    assert out.get_column("id").to_list() == ids
    for row in out.iter_rows(named=True):
        _check(row, assess(row["id"], as_of=AS_OF).row, row["id"])


def test_a_vin_and_per_row_options(tmp_path: Path) -> None:
    vin = "5TFLA5DB0TX123456"
    accord = "honda-accord-2026-lx"
    source = tmp_path / "mixed.csv"
    pl.DataFrame(
        {
            "vin": [vin, None],
            "id": [None, accord],
            "importer": [None, "individual"],
            "region": ["tokyo-23-wards", None],
        }
    ).write_csv(source)
    target = tmp_path / "out.parquet"
    run_batch(source, target, options=AssessOptions.build(as_of=AS_OF))
    first, second = pl.read_parquet(target).iter_rows(named=True)
    _check(first, assess(vin, as_of=AS_OF, region="tokyo-23-wards").row, vin)
    _check(second, assess(accord, as_of=AS_OF, importer="individual").row, accord)
