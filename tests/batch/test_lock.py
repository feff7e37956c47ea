"""Two runs writing the same output at once: the second fails at once, the first is unharmed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from jpimport.batch import run_batch
from jpimport.batch.lock import lock_path, output_lock
from jpimport.errors import InputError
from jpimport.options import AssessOptions
from tests.batch.conftest import AS_OF, sample_rows, start_slow_batch, write_input

pytestmark = pytest.mark.usefixtures("fake_stages")
OPTIONS = AssessOptions.build(as_of=AS_OF)
BUSY = "another jpimport batch is writing this output"


def test_a_held_output_refuses_a_second_run_and_frees_after(tmp_path: Path) -> None:
    source = write_input(sample_rows(30), tmp_path / "in.csv")
    target = tmp_path / "out.parquet"
    with output_lock(target), pytest.raises(InputError, match=BUSY):
        run_batch(source, target, options=OPTIONS, chunk_rows=10)
    assert not target.exists()
    summary = run_batch(source, target, options=OPTIONS, chunk_rows=10)
    assert summary.rows == 30
    assert not lock_path(target).exists()


def test_the_lock_is_per_output(tmp_path: Path) -> None:
    source = write_input(sample_rows(10), tmp_path / "in.csv")
    with output_lock(tmp_path / "a.parquet"):
        summary = run_batch(source, tmp_path / "b.parquet", options=OPTIONS)
    assert summary.rows == 10


def test_two_processes_on_one_output(tmp_path: Path) -> None:
    source = write_input(sample_rows(120), tmp_path / "in.csv")
    run_batch(source, tmp_path / "whole.parquet", options=OPTIONS, chunk_rows=20)
    target = tmp_path / "shared.parquet"
    first = start_slow_batch(source, target, pause_s=0.2)
    parts = tmp_path / "shared.parquet.parts"
    deadline = time.monotonic() + 60
    while not list(parts.glob("part-*.arrow")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert first.poll() is None, "the first run should still be writing"
    with pytest.raises(InputError, match=BUSY):
        run_batch(source, target, options=OPTIONS, chunk_rows=20)
    assert first.wait(timeout=120) == 0
    assert target.read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def test_the_command_line_says_so_in_one_line_with_exit_code_2(tmp_path: Path) -> None:
    source = write_input(sample_rows(5), tmp_path / "in.csv")
    target = tmp_path / "out.parquet"
    command = [sys.executable, "-m", "jpimport", "batch", str(source), "-o", str(target)]
    with output_lock(target):
        busy = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert busy.returncode == 2
    assert busy.stdout == ""
    assert len(busy.stderr.strip().splitlines()) == 1
    assert BUSY in busy.stderr
