"""File to file: rows in = rows out, chunked = unchunked, deterministic, resumable, atomic."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from jpimport.batch import ColumnWarning, assess_frame, run_batch
from jpimport.batch.parts import MANIFEST
from jpimport.errors import InputError
from jpimport.options import AssessOptions
from tests.batch.conftest import AS_OF, sample_rows, start_slow_batch, write_input

pytestmark = [
    pytest.mark.usefixtures("fake_stages"),
    pytest.mark.filterwarnings("ignore::jpimport.batch.ColumnWarning"),
]
OPTIONS = AssessOptions.build(as_of=AS_OF)


class StopRunError(Exception):
    """Raised from the chunk hook to stop a run part-way, as a kill would."""


def _stop_after(k: int) -> object:
    def hook(index: int) -> None:
        hook.calls += 1  # type: ignore[attr-defined]
        if hook.calls >= k:  # type: ignore[attr-defined]
            raise StopRunError

    hook.calls = 0  # type: ignore[attr-defined]
    return hook


def _run(source: Path, target: Path, chunk_rows: int = 1000, **kw: object) -> object:
    return run_batch(source, target, options=OPTIONS, chunk_rows=chunk_rows, **kw)  # type: ignore[arg-type]


def test_rows_in_equal_rows_out_in_order(tmp_path: Path) -> None:
    frame = sample_rows(230)
    summary = _run(write_input(frame, tmp_path / "in.csv"), tmp_path / "out.parquet", 40)
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert out.height == frame.height == summary.rows  # type: ignore[attr-defined]
    assert out.get_column("lot").to_list() == frame.get_column("lot").to_list()
    assert out.columns[: frame.width] == frame.columns
    errors = out.filter(pl.col("status") == "error")
    assert errors.get_column("error").null_count() == 0
    assert summary.ok + sum(summary.errors.values()) == frame.height  # type: ignore[attr-defined]
    assert not (tmp_path / "out.parquet.parts").exists()


def test_chunked_equals_unchunked_equals_api(tmp_path: Path) -> None:
    frame = sample_rows(230)
    source = write_input(frame, tmp_path / "in.csv")
    _run(source, tmp_path / "one.parquet", 10_000)
    _run(source, tmp_path / "many.parquet", 17)
    one = pl.read_parquet(tmp_path / "one.parquet")
    assert_frame_equal(one, pl.read_parquet(tmp_path / "many.parquet"))
    assert_frame_equal(one, assess_frame(frame, as_of=AS_OF, chunk_rows=33))


def test_parquet_file_and_folder_inputs_match_csv(tmp_path: Path) -> None:
    frame = sample_rows(120)
    write_input(frame, tmp_path / "in.parquet")
    parts = tmp_path / "parts"
    parts.mkdir()
    for i, piece in enumerate(frame.iter_slices(50)):
        piece.write_parquet(parts / f"part-{i}.parquet")
    _run(write_input(frame, tmp_path / "in.csv"), tmp_path / "a.parquet", 30)
    _run(tmp_path / "in.parquet", tmp_path / "b.parquet", 30)
    _run(parts, tmp_path / "c.parquet", 30)
    a = pl.read_parquet(tmp_path / "a.parquet")
    assert_frame_equal(a, pl.read_parquet(tmp_path / "b.parquet"))
    assert_frame_equal(a, pl.read_parquet(tmp_path / "c.parquet"))


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_output_is_byte_identical_across_runs(tmp_path: Path, suffix: str) -> None:
    source = write_input(sample_rows(90), tmp_path / "in.csv")
    _run(source, tmp_path / f"a{suffix}", 25)
    _run(source, tmp_path / f"b{suffix}", 25)
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()


def test_csv_output_has_one_line_per_row(tmp_path: Path) -> None:
    frame = sample_rows(60)
    _run(write_input(frame, tmp_path / "in.csv"), tmp_path / "out.csv", 25)
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out.height == 60
    assert {"status", "error", "parking", "size_class_reasons"} <= set(out.columns)


def test_resumed_run_equals_uninterrupted(tmp_path: Path) -> None:
    source = write_input(sample_rows(200), tmp_path / "in.csv")
    _run(source, tmp_path / "whole.parquet", 30)
    target = tmp_path / "resumed.parquet"
    with pytest.raises(StopRunError):
        _run(source, target, 30, on_chunk=_stop_after(3))
    assert not target.exists()
    assert len(list((tmp_path / "resumed.parquet.parts").glob("part-*.arrow"))) == 3
    summary = _run(source, target, 30)
    assert summary.resumed_chunks == 3  # type: ignore[attr-defined]
    assert target.read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def test_other_options_never_reuse_parts(tmp_path: Path) -> None:
    source = write_input(sample_rows(100), tmp_path / "in.csv")
    target = tmp_path / "out.parquet"
    with pytest.raises(StopRunError):
        _run(source, target, 30, on_chunk=_stop_after(2))
    later = AssessOptions.build(as_of=AS_OF.replace(year=2027))
    summary = run_batch(source, target, options=later, chunk_rows=30)
    assert summary.resumed_chunks == 0
    assert set(pl.read_parquet(target).get_column("rules_year")) == {2027, None}


def test_finished_output_is_replaced_only_whole(tmp_path: Path) -> None:
    source = write_input(sample_rows(100), tmp_path / "in.csv")
    target = tmp_path / "out.parquet"
    _run(source, target, 30)
    before = target.read_bytes()
    bigger = write_input(sample_rows(150), tmp_path / "in.csv")
    with pytest.raises(StopRunError):
        _run(bigger, target, 30, on_chunk=_stop_after(2))
    assert target.read_bytes() == before
    _run(bigger, target, 30)
    assert pl.read_parquet(target).height == 150


def test_killed_process_resumes_to_the_same_file(tmp_path: Path) -> None:
    source = write_input(sample_rows(240), tmp_path / "in.csv")
    _run(source, tmp_path / "whole.parquet", 20)
    target = tmp_path / "killed.parquet"
    process = start_slow_batch(source, target, pause_s=0.3)
    parts = tmp_path / "killed.parquet.parts"
    deadline = time.monotonic() + 60
    while len(list(parts.glob("part-*.arrow"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not target.exists()
    assert (parts / MANIFEST).exists()
    summary = _run(source, target, 20)
    assert summary.resumed_chunks >= 3  # type: ignore[attr-defined]
    assert target.read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def test_a_row_the_stages_reject_does_not_sink_its_chunk(tmp_path: Path) -> None:
    frame = sample_rows(80).with_columns(
        pl.when(pl.int_range(pl.len()) % 9 == 2).then(pl.lit("13")).alias("seats")
    )
    out = assess_frame(frame, as_of=AS_OF, chunk_rows=40)
    unlucky = out.filter(pl.col("seats") == "13")
    assert set(unlucky.get_column("status")) == {"error"}
    stage_failures = unlucky.filter(pl.col("error_kind") == "assessment")
    assert stage_failures.height >= 5
    assert stage_failures.get_column("error").str.contains("thirteen seats").all()
    others = out.filter(pl.col("seats").is_null() & pl.col("error").is_null())
    assert others.get_column("size_class").null_count() == 0


def test_header_only_input_gives_an_empty_output_with_every_column(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,vin\n", encoding="utf-8")
    summary = _run(source, tmp_path / "out.parquet")
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert summary.rows == 0  # type: ignore[attr-defined]
    assert out.height == 0
    assert {"id", "vin", "status", "size_class", "retail_price_jpy"} <= set(out.columns)


def test_input_columns_named_like_outputs_are_renamed(tmp_path: Path) -> None:
    frame = sample_rows(10).with_columns(pl.lit("sold").alias("status"))
    summary = _run(write_input(frame, tmp_path / "in.csv"), tmp_path / "out.parquet")
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert set(out.get_column("input_status")) == {"sold"}
    assert set(out.get_column("status")) <= {"ok", "error"}
    assert any("'input_status'" in w for w in summary.warnings)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "target", "fragment"),
    [
        ("in.csv", "out.xlsx", "unsupported output '.xlsx'"),
        ("missing.csv", "out.parquet", "file not found"),
        ("in.txt", "out.parquet", "unsupported input '.txt'"),
        ("in.csv", "in.csv", "is the input"),
    ],
)
def test_file_level_mistakes_are_input_errors(
    tmp_path: Path, source: str, target: str, fragment: str
) -> None:
    write_input(sample_rows(3), tmp_path / "in.csv")
    (tmp_path / "in.txt").write_text("id\n", encoding="utf-8")
    with pytest.raises(InputError, match=fragment):
        _run(tmp_path / source, tmp_path / target)


@pytest.mark.filterwarnings("default")
def test_api_warns_about_unused_columns() -> None:
    with pytest.warns(ColumnWarning, match="'lot' is not a vehicle or option column"):
        out = assess_frame(sample_rows(3), as_of=AS_OF)
    assert out.get_column("lot").to_list() == ["lot-0", "lot-1", "lot-2"]
