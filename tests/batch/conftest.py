"""Fixtures for batch tests: a small, fast stand-in pipeline and input builders.

Most batch properties (rows in = rows out, chunked = unchunked, resumed = uninterrupted,
local = Dask) are about the batch machinery, not the rules, so they run on ``fake_stages``:
two vectorised stages with scalar, list, list-of-struct and struct columns, one of which
raises for ``seats == 13`` (to test that a failing row cannot sink its chunk). The tests of
single = batch run the real stages.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from jpimport import assessment
from jpimport.batch import chunk, stagerun
from jpimport.errors import InputError
from jpimport.stages import StageContext
from jpimport.vehicles.catalog import load_catalog

AS_OF = dt.date(2026, 11, 21)


def _size(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Stand-in stage: size class from length, with reasons and a nested parking list."""
    if (frame.get_column("seats") == 13).any():
        raise InputError("thirteen seats are unlucky", field="seats")
    length = pl.col("length_mm")
    return frame.with_columns(
        pl.when(length > 4700)
        .then(pl.lit("ordinary"))
        .otherwise(pl.lit("small"))
        .alias("size_class"),
        pl.when(length > 4700)
        .then(pl.concat_list(pl.lit("length"), pl.lit("width")))
        .otherwise(pl.lit([], pl.List(pl.String)))
        .alias("size_class_reasons"),
        (length * 2).alias("double_length_mm"),
        pl.concat_list(
            pl.struct(pl.lit("flat").alias("id"), (length < 5000).alias("fits")),
            pl.struct(pl.lit("tower").alias("id"), (length < 4800).alias("fits")),
        ).alias("parking"),
        pl.struct(pl.col("importer").alias("who"), (pl.col("volume") * 10).alias("units")).alias(
            "plan"
        ),
        pl.lit(ctx.as_of.year).alias("rules_year"),
    )


def _money(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Stand-in stage: a price from MSRP, the exchange rate and an option column."""
    rate = pl.col("usd_jpy").fill_null(150.0)
    return frame.with_columns(
        (pl.col("msrp_usd") * rate).round(0).cast(pl.Int64).alias("retail_price_jpy"),
        pl.col("region").alias("region_used"),
        pl.lit(None).alias("always_null"),
    )


def _json(row: Mapping[str, Any]) -> dict[str, Any]:
    """Stand-in ``to_json``."""
    return {}


FAKE_PIPELINE = (
    SimpleNamespace(NAME="size", run=_size, to_json=_json),
    SimpleNamespace(NAME="money", run=_money, to_json=_json),
)


def clear_caches() -> None:
    """Forget probes and date checks made with another pipeline."""
    chunk.probe.cache_clear()
    stagerun._date_failure.cache_clear()


@pytest.fixture
def fake_stages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the batch on the stand-in pipeline."""
    clear_caches()
    monkeypatch.setattr(assessment, "pipeline", lambda: FAKE_PIPELINE)
    yield
    clear_caches()


@pytest.fixture
def real_stages() -> Iterator[None]:
    """Run the batch on the real pipeline (clearing probes another test left)."""
    clear_caches()
    yield
    clear_caches()


def catalog_ids() -> list[str]:
    """Every catalog id, in catalog order."""
    return load_catalog().get_column("id").to_list()


def sample_rows(n: int) -> pl.DataFrame:
    """A mixed input as text (as from CSV): ids, overrides, option columns, bad rows, a VIN."""
    ids = catalog_ids()
    rows: list[dict[str, str | None]] = []
    for i in range(n):
        row: dict[str, str | None] = {
            "id": ids[i % len(ids)],
            "vin": None,
            "length_mm": str(4500 + (i * 37) % 700) if i % 3 else None,
            "msrp_usd": str(30000 + i) if i % 4 else None,
            "usd_jpy": "140.5" if i % 5 == 0 else None,
            "seats": None,
            "lot": f"lot-{i}",
        }
        if i % 17 == 3:
            row["length_mm"] = "-5"
        if i % 19 == 4:
            row["id"] = "no-such-car"
        if i % 23 == 5:
            row["id"], row["vin"] = None, "5TFLA5DB0TX123456"
        if i % 29 == 6:
            row["vin"] = "5TFLA5DB5TX123456"
        if i % 31 == 7:
            row["usd_jpy"] = "many"
        rows.append(row)
    return pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))


def write_input(frame: pl.DataFrame, path: Path) -> Path:
    """Write a frame as CSV or Parquet by the path's extension."""
    if path.suffix == ".csv":
        frame.write_csv(path)
    else:
        frame.write_parquet(path)
    return path


def start_slow_batch(source: Path, target: Path, *, pause_s: float) -> subprocess.Popen[bytes]:
    """A ``run_batch`` in another process on the fake stages, pausing ``pause_s`` after each
    20-row chunk, so a test can act while it writes (kill it, or start a second run)."""
    script = (
        "import time\n"
        "import tests.batch.conftest as c\n"
        "from jpimport import assessment\n"
        "from jpimport.batch import run_batch\n"
        "from jpimport.options import AssessOptions\n"
        "assessment.pipeline = lambda: c.FAKE_PIPELINE\n"
        f"run_batch({str(source)!r}, {str(target)!r}, chunk_rows=20,\n"
        "          options=AssessOptions.build(as_of=c.AS_OF),\n"
        f"          on_chunk=lambda i: time.sleep({pause_s!r}))\n"
    )
    root = Path(__file__).resolve().parents[2]
    return subprocess.Popen([sys.executable, "-c", script], cwd=root)
