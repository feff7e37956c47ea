"""The output written once as chunks finish: in chunk order, and the parts as a fallback."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from jpimport.batch import run_batch
from jpimport.batch.parts import WorkDir
from jpimport.batch.stream import InOrder, OutputStream
from jpimport.options import AssessOptions
from tests.batch.conftest import AS_OF, sample_rows, write_input

pytestmark = [
    pytest.mark.usefixtures("fake_stages"),
    pytest.mark.filterwarnings("ignore::jpimport.batch.ColumnWarning"),
]
OPTIONS = AssessOptions.build(as_of=AS_OF)


def _chunks() -> list[pl.DataFrame]:
    """Three small chunks of one schema; the middle one has a column that is null throughout."""
    return [
        pl.DataFrame({"n": [0, 1], "t": ["a", "b"]}),
        pl.DataFrame({"n": [2], "t": [None]}),
        pl.DataFrame({"n": [3, 4, 5], "t": ["c", "d", "e"]}),
    ]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_chunks_finishing_out_of_order_are_written_in_order(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    chunks = _chunks()
    work = WorkDir.prepare(tmp_path / "out.parquet", "key", {})
    schema = {"n": pl.Int64(), "t": pl.String()}
    stream = OutputStream(tmp_path / ".streaming.parquet", schema, "parquet", 10)
    feed = InOrder(stream, work, set())
    for index in order:
        work.write_part(index, chunks[index])
        feed.stored_chunk(index, chunks[index])
    assert feed.complete(3)
    assert stream.finish(tmp_path / "out.parquet")
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert_frame_equal(out, pl.concat(chunks).cast(schema))  # type: ignore[arg-type]


def test_a_stream_missing_a_chunk_is_not_complete(tmp_path: Path) -> None:
    chunks = _chunks()
    work = WorkDir.prepare(tmp_path / "out.parquet", "key", {})
    stream = OutputStream(
        tmp_path / ".s.parquet", {"n": pl.Int64(), "t": pl.String()}, "parquet", 10
    )
    feed = InOrder(stream, work, set())
    for index in (0, 2):
        work.write_part(index, chunks[index])
        feed.stored_chunk(index, chunks[index])
    assert not feed.complete(3)
    stream.abort()
    assert not (tmp_path / ".s.parquet").exists()


def test_a_chunk_that_does_not_fit_falls_back_to_the_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_input(sample_rows(100), tmp_path / "in.csv")
    run_batch(source, tmp_path / "streamed.parquet", options=OPTIONS, chunk_rows=30)
    calls: list[int] = []

    def second_does_not_fit(self: OutputStream, frame: pl.DataFrame) -> bool:
        calls.append(frame.height)
        return len(calls) < 2

    monkeypatch.setattr(OutputStream, "fits", second_does_not_fit)
    run_batch(source, tmp_path / "assembled.parquet", options=OPTIONS, chunk_rows=30)
    assert len(calls) == 2
    assert not (tmp_path / "assembled.parquet.parts").exists()
    assert_frame_equal(
        pl.read_parquet(tmp_path / "assembled.parquet"),
        pl.read_parquet(tmp_path / "streamed.parquet"),
    )


def test_a_wider_chunk_does_not_fit(tmp_path: Path) -> None:
    stream = OutputStream(tmp_path / ".s.parquet", {"n": pl.Int32()}, "parquet", 10)
    assert stream.fits(pl.DataFrame({"n": [None]}))
    assert stream.fits(pl.DataFrame({"n": [1]}, schema={"n": pl.Int32()}))
    assert not stream.fits(pl.DataFrame({"n": [1]}, schema={"n": pl.Int64()}))
    extra = pl.DataFrame({"n": [1], "extra": [2]}).cast({"n": pl.Int32()})
    assert not stream.fits(extra)
    stream.abort()
