"""A progress bar on a terminal, silence elsewhere; the summary in lines and JSON."""

from __future__ import annotations

import io
import json

from jpimport.batch.progress import BarProgress, BatchSummary, SilentProgress, progress_for


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_silence_in_a_pipe() -> None:
    assert isinstance(progress_for(io.StringIO()), SilentProgress)
    screen = Terminal()
    bar = progress_for(screen)
    assert isinstance(bar, BarProgress)
    bar.start(1000, 100)
    bar.advance(500)
    bar.advance(600)  # the estimate was short: the total grows
    bar.settle(1200)
    bar.stop()
    text = screen.getvalue()
    assert "1200/1200" in text
    assert "rows/s" in text


def test_summary_lines_and_json() -> None:
    summary = BatchSummary(
        output="out.parquet",
        rows=1000,
        ok=990,
        errors={"unknown_id": 4, "vin": 6},
        elapsed_s=2.0,
        chunks=4,
        chunk_rows=250,
        resumed_chunks=2,
        resumed_rows=500,
        warnings=["column 'lot' is not a vehicle or option column: kept, not used"],
    )
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["error_rows"] == 10
    assert data["rows_per_s"] == 250.0
    lines = summary.lines()
    assert lines[0].startswith("rows    1,000")
    assert "unknown_id 4, vin 6" in lines[2]
    assert "resumed 2 of 4 chunks" in lines[3]
    assert lines[-1].startswith("warning: column 'lot'")
