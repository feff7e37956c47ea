"""``--engine dask`` gives the same file as the local engine (a small in-process cluster)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from jpimport.batch import DaskSettings, run_batch
from jpimport.options import AssessOptions
from tests.batch.conftest import AS_OF, sample_rows, write_input

pytest.importorskip("distributed")
pytestmark = pytest.mark.usefixtures("fake_stages")


def test_dask_equals_local(tmp_path: Path) -> None:
    source = write_input(sample_rows(150), tmp_path / "in.csv")
    options = AssessOptions.build(as_of=AS_OF)
    local = run_batch(source, tmp_path / "local.parquet", options=options, chunk_rows=20)
    settings = DaskSettings(workers=2, processes=False)
    remote = run_batch(
        source,
        tmp_path / "dask.parquet",
        options=options,
        chunk_rows=20,
        engine="dask",
        dask=settings,
    )
    assert (tmp_path / "dask.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()
    assert (remote.rows, remote.ok, remote.errors) == (local.rows, local.ok, local.errors)


@pytest.fixture
def busy_dashboard_port() -> Iterator[None]:
    """Hold port 8787 (Dask's default dashboard port), as another program may."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind(("0.0.0.0", 8787))
        holder.listen(1)
    except OSError:
        pass  # already held by another program: the same condition
    try:
        yield
    finally:
        holder.close()


@pytest.mark.usefixtures("busy_dashboard_port")
def test_a_busy_dashboard_port_does_not_disturb_the_cluster(tmp_path: Path) -> None:
    # Under filterwarnings=error a "port 8787 is already in use" warning would fail the run.
    source = write_input(sample_rows(40), tmp_path / "in.csv")
    options = AssessOptions.build(as_of=AS_OF)
    settings = DaskSettings(workers=1, processes=False)
    summary = run_batch(
        source, tmp_path / "out.parquet", options=options, engine="dask", dask=settings
    )
    assert summary.rows == 40


class StopRunError(Exception):
    """Stops a run part-way, as a kill would."""


def test_a_local_run_resumes_on_dask(tmp_path: Path) -> None:
    source = write_input(sample_rows(120), tmp_path / "in.csv")
    options = AssessOptions.build(as_of=AS_OF)
    run_batch(source, tmp_path / "whole.parquet", options=options, chunk_rows=20)
    target = tmp_path / "resumed.parquet"

    def stop(index: int) -> None:
        if index == 2:
            raise StopRunError

    with pytest.raises(StopRunError):
        run_batch(source, target, options=options, chunk_rows=20, on_chunk=stop)
    settings = DaskSettings(workers=2, processes=False)
    summary = run_batch(
        source, target, options=options, chunk_rows=20, engine="dask", dask=settings
    )
    assert summary.resumed_chunks == 3
    assert target.read_bytes() == (tmp_path / "whole.parquet").read_bytes()
