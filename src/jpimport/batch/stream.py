"""The output file written once, as chunks complete: one Polars sink fed on a second thread.

Each finished chunk is handed to a single ``sink_parquet`` / ``sink_csv`` (a Polars IO source
reading from a queue), in chunk order, conformed to the run's schema. The file goes to a
temporary name in the work directory and is renamed into place only when every chunk is in
it. The parts stay the resume format: a resumed run feeds the finished chunks from their parts
and the rest as they are assessed, so it writes the same bytes as an uninterrupted run.

If a chunk's types do not fit the run's schema (which the probe normally fixes), the stream
is abandoned and the output is assembled from the parts instead (``parts.assemble``).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from polars.io.plugins import register_io_source

from jpimport.batch.layout import Schema, conform, for_csv, unify
from jpimport.batch.parts import WorkDir

_ROW_GROUP = 100_000
_END = "end"
_ABORT = "abort"
#: How long a blocked hand-over waits before checking that the writer is still alive.
_POLL_S = 0.5


class OutputStream:
    """One output file written from frames given in order, on a background thread."""

    def __init__(self, temp: Path, schema: Schema, kind: str, row_group: int) -> None:
        self.temp = temp
        self.schema = dict(unify([schema]))
        self.kind = kind
        self.row_group = max(1, min(row_group, _ROW_GROUP))
        self.broken = False
        self._queue: queue.Queue[pl.DataFrame | str] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, name="jpimport-output", daemon=True)
        self._thread.start()

    def _frames(
        self,
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        """The IO source: frames from the queue until the end (or an abort) is signalled."""
        left = n_rows
        while True:
            item = self._queue.get()
            if isinstance(item, str):
                return
            frame = item if with_columns is None else item.select(with_columns)
            if predicate is not None:
                frame = frame.filter(predicate)
            if left is not None:
                frame = frame.head(left)
                left -= frame.height
            yield frame
            if left is not None and left <= 0:
                return

    def _write(self) -> None:
        """Run the one sink that writes the whole file (on this object's thread)."""
        try:
            source = register_io_source(self._frames, schema=self.schema)
            if self.kind == "csv":
                for_csv(source, self.schema).sink_csv(self.temp, sync_on_close="all")
            else:
                source.sink_parquet(self.temp, row_group_size=self.row_group, sync_on_close="all")
        except BaseException as exc:  # reported by the thread that waits for the file
            self._error = exc

    def _put(self, item: pl.DataFrame | str) -> None:
        """Hand an item to the writer, never blocking forever on a writer that died."""
        while self._thread.is_alive():
            try:
                self._queue.put(item, timeout=_POLL_S)
                return
            except queue.Full:
                continue
        self._raise()

    def _raise(self) -> None:
        """Re-raise what stopped the writer, if anything."""
        if self._error is not None:
            raise self._error

    def fits(self, frame: pl.DataFrame) -> bool:
        """Whether a chunk's columns and types fit the run's schema as given."""
        return unify([self.schema, frame.schema]) == self.schema

    def add(self, frame: pl.DataFrame) -> None:
        """Append a chunk's rows; a chunk that does not fit abandons the stream."""
        if self.broken:
            return
        if not self.fits(frame):
            self.abort()
            return
        self._put(conform(frame.lazy(), frame.schema, self.schema).collect())

    def finish(self, target: Path) -> bool:
        """Close the file and rename it to ``target``; False if the stream was abandoned."""
        if self.broken:
            return False
        self._put(_END)
        self._thread.join()
        self._raise()
        os.replace(self.temp, target)
        return True

    def abort(self) -> None:
        """Stop writing and drop the unfinished file (the parts stay for a resumed run)."""
        if self.broken:
            return
        self.broken = True
        try:
            if self._thread.is_alive():
                self._put(_ABORT)
                self._thread.join()
        except Exception:  # the writer's own failure: the file is dropped all the same
            pass
        self.temp.unlink(missing_ok=True)


class InOrder:
    """Feeds a stream in chunk order: a chunk just stored from memory, the others from parts.

    Chunks may finish out of order (Dask) or before this run (resumed): a chunk goes into the
    stream once every chunk before it has, read back from its part unless it is the one just
    finished.
    """

    def __init__(self, stream: OutputStream, work: WorkDir, done: set[int]) -> None:
        self.stream = stream
        self.work = work
        self.stored = set(done)
        self.next = 0

    def stored_chunk(self, index: int, frame: pl.DataFrame) -> None:
        """Chunk ``index``'s part is on disk; feed it and whatever now follows in order."""
        self.stored.add(index)
        if index == self.next and not self.stream.broken:
            self.stream.add(frame)
            self.next += 1
        self._drain()

    def _drain(self) -> None:
        """Feed the stored chunks that come next, from their parts."""
        while self.next in self.stored and not self.stream.broken:
            self.stream.add(pl.read_ipc(self.work.part(self.next)))
            self.next += 1

    def complete(self, chunks: int) -> bool:
        """Feed what is left; True when all ``chunks`` chunks are in the stream."""
        self._drain()
        return self.next == chunks and not self.stream.broken
