"""``jpimport batch`` on the command line: summary, ``--json``, options, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from jpimport.cli.batch_cmd import batch
from jpimport.errors import InputError
from tests.batch.conftest import sample_rows, write_input

pytestmark = pytest.mark.usefixtures("fake_stages")


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command(name="batch")(batch)

    @app.callback()
    def root() -> None:
        """Group, so the command keeps its name."""

    return app


def test_summary_and_json(tmp_path: Path) -> None:
    source = write_input(sample_rows(50), tmp_path / "in.csv")
    target = tmp_path / "out.csv"
    args = ["batch", str(source), "-o", str(target), "--as-of", "2026-11-21", "--chunk-rows", "20"]
    result = CliRunner().invoke(_app(), [*args, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 50
    assert summary["ok"] + summary["error_rows"] == 50
    assert set(summary["errors"]) <= {"vin", "unknown_id", "invalid_value", "missing_columns"}
    assert any("'lot'" in w for w in summary["warnings"])
    text = CliRunner().invoke(_app(), args)
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0].startswith("rows    50")
    assert pl.read_csv(target, infer_schema=False).height == 50


def test_options_apply_to_every_row_without_a_column(tmp_path: Path) -> None:
    source = write_input(sample_rows(10).drop("usd_jpy"), tmp_path / "in.parquet")
    target = tmp_path / "out.parquet"
    args = ["batch", str(source), "-o", str(target), "--as-of", "2027-01-05"]
    result = CliRunner().invoke(_app(), [*args, "--importer", "individual", "--volume", "7"])
    assert result.exit_code == 0, result.output
    out = pl.read_parquet(target).filter(pl.col("status") == "ok")
    assert set(out.get_column("plan_who")) == {"individual"}
    assert set(out.get_column("plan_units")) == {70}
    assert set(out.get_column("rules_year")) == {2027}


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--engine", "spark"], "expected local or dask"),
        (["--volume", "0"], "option volume"),
        (["--chunk-rows", "0"], "must be at least 1"),
    ],
)
def test_bad_options_are_input_errors(tmp_path: Path, extra: list[str], fragment: str) -> None:
    source = write_input(sample_rows(3), tmp_path / "in.csv")
    args = ["batch", str(source), "-o", str(tmp_path / "out.parquet"), *extra]
    result = CliRunner().invoke(_app(), args)
    assert isinstance(result.exception, InputError)
    assert fragment in str(result.exception)


def _registered() -> bool:
    from jpimport.cli.app import app

    return any(c.name == "batch" for c in app.registered_commands)


@pytest.mark.skipif(not _registered(), reason="`batch` is not registered in cli/app.py yet")
def test_real_cli_exit_codes(tmp_path: Path) -> None:
    source = write_input(sample_rows(5), tmp_path / "in.csv")
    command = [sys.executable, "-m", "jpimport", "batch", str(source), "-o"]
    bad = subprocess.run([*command, str(tmp_path / "out.xlsx")], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "unsupported output '.xlsx'" in bad.stderr
    good = subprocess.run(
        [*command, str(tmp_path / "out.parquet"), "--as-of", "2026-11-21", "--json"],
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["rows"] == 5
