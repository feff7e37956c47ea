"""Progress of a batch run (a Rich bar on a terminal, nothing otherwise) and its summary."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from types import TracebackType
from typing import Any, Protocol, TextIO


class Progress(Protocol):
    """What a run reports as it goes."""

    def start(self, total: int, done: int) -> None:
        """The run has about ``total`` rows, ``done`` of them already in finished parts."""
        ...

    def advance(self, rows: int) -> None:
        """Another chunk of ``rows`` rows is finished."""
        ...

    def settle(self, total: int) -> None:
        """Every chunk is read: the true row count replaces the estimate."""
        ...

    def stop(self) -> None:
        """The run is over (finished or not)."""
        ...


class SilentProgress:
    """Reports nothing: for pipes, logs and the Python API."""

    def start(self, total: int, done: int) -> None:
        """Ignore the start."""

    def advance(self, rows: int) -> None:
        """Ignore the step."""

    def settle(self, total: int) -> None:
        """Ignore the count."""

    def stop(self) -> None:
        """Ignore the end."""


class BarProgress:
    """A Rich progress bar on stderr: rows done of total, rows per second, time left."""

    def __init__(self, stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("assessing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TextColumn("{task.fields[speed]} rows/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=stream or sys.stderr),
            transient=False,
        )
        self._task: Any = None
        self._started = False

    def start(self, total: int, done: int) -> None:
        """Show the bar, already advanced by the rows of a resumed run."""
        self._bar.start()
        self._started = True
        self._task = self._bar.add_task("batch", total=total, completed=done, speed="–")

    def advance(self, rows: int) -> None:
        """Move the bar and refresh the speed; an estimated total grows if it was short."""
        self._bar.advance(self._task, rows)
        task = self._bar.tasks[0]
        if task.total is not None and task.completed > task.total:
            self._bar.update(self._task, total=task.completed)
        speed = task.speed
        self._bar.update(self._task, speed=f"{speed:,.0f}" if speed else "–")

    def settle(self, total: int) -> None:
        """Show the true total once the input is read."""
        self._bar.update(self._task, total=total, completed=total)

    def stop(self) -> None:
        """Leave the final bar on screen."""
        if self._started:
            self._bar.stop()
            self._started = False


def progress_for(stream: TextIO | None = None) -> Progress:
    """A bar when ``stream`` (default stderr) is a terminal, else silence."""
    target = stream or sys.stderr
    return BarProgress(target) if target.isatty() else SilentProgress()


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did: rows, ok rows, errors by kind, time, and where the output is."""

    output: str
    rows: int
    ok: int
    errors: dict[str, int]
    elapsed_s: float
    chunks: int
    chunk_rows: int
    resumed_chunks: int = 0
    resumed_rows: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_per_s(self) -> float:
        """Rows assessed per second by this invocation (rows of resumed chunks left out)."""
        assessed = self.rows - self.resumed_rows
        return assessed / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``jpimport batch --json`` prints it."""
        data = asdict(self)
        data["error_rows"] = sum(self.errors.values())
        data["elapsed_s"] = round(self.elapsed_s, 3)
        data["rows_per_s"] = round(self.rows_per_s, 1)
        return data

    def lines(self) -> list[str]:
        """The summary as a few plain lines for the terminal."""
        errors = sum(self.errors.values())
        by_kind = ", ".join(f"{kind} {count:,}" for kind, count in self.errors.items())
        resumed = f" (resumed {self.resumed_chunks} of {self.chunks} chunks)"
        lines = [
            f"rows    {self.rows:,} → {self.output}",
            f"ok      {self.ok:,}",
            f"errors  {errors:,}" + (f" ({by_kind})" if by_kind else ""),
            f"time    {self.elapsed_s:,.1f} s, {self.rows_per_s:,.0f} rows/s"
            + (resumed if self.resumed_chunks else ""),
        ]
        return lines + [f"warning: {w}" for w in self.warnings]


class _Closing:
    """Context manager that stops a progress reporter however the run ends."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __enter__(self) -> Progress:
        return self.progress

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.progress.stop()


def showing(progress: Progress) -> _Closing:
    """Use a progress reporter in a ``with`` block; it is stopped on the way out."""
    return _Closing(progress)
