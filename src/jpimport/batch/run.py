"""``jpimport batch``: input file → output file, chunk by chunk, resumable, atomic.

Memory stays bounded by the chunk size: the input is read one chunk at a time (the next one
resolved while the stages run on this one), each chunk's output goes to its own part on disk
(to resume from) and, in chunk order, into the one writer of the output file (``stream``),
which is renamed into place once every chunk is in it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import polars as pl

from jpimport import __version__
from jpimport.batch.chunk import Plan, Resolved, complete_chunk, make_plan, resolve_chunk
from jpimport.batch.dask_backend import DaskSettings, assess_chunks_dask
from jpimport.batch.inputs import InputSource, Seen, open_input
from jpimport.batch.lock import output_lock
from jpimport.batch.parts import WorkDir, assemble, output_kind, tally
from jpimport.batch.progress import BatchSummary, Progress, SilentProgress, showing
from jpimport.batch.resolve import input_warnings, used_columns
from jpimport.batch.stream import InOrder, OutputStream
from jpimport.errors import DataError, InputError
from jpimport.options import AssessOptions

Engine = Literal["local", "dask"]


def _local(
    chunks: Iterable[tuple[int, pl.DataFrame]], plan: Plan
) -> Iterator[tuple[int, pl.DataFrame]]:
    """Assess chunks one after another in this process (Polars uses every core).

    The next chunk is read and resolved on a second thread while the stages run on this one:
    the stages leave part of the cores idle (planning, single-threaded steps), and the two
    phases of a chunk are independent of other chunks, so the output is the same.
    """
    source = iter(chunks)

    def ahead() -> tuple[int, Resolved] | None:
        """Read and resolve the next chunk, if any."""
        item = next(source, None)
        return None if item is None else (item[0], resolve_chunk(item[1], plan))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="jpimport-resolve") as pool:
        upcoming = pool.submit(ahead)
        while (item := upcoming.result()) is not None:
            upcoming = pool.submit(ahead)
            yield item[0], complete_chunk(item[1], plan)


def _store(
    results: Iterable[tuple[int, pl.DataFrame]],
    work: WorkDir,
    feed: InOrder,
    reporter: Progress,
    on_chunk: Callable[[int], None] | None,
) -> None:
    """Write each chunk's part while the next chunk is assessed (a second thread).

    Polars releases the GIL while it writes, so the write overlaps the next chunk's work. A
    chunk counts as done (progress, ``on_chunk``) only once its part is on disk, and the next
    part is started only after that: stopping in ``on_chunk(i)`` leaves parts ``0..i``. Once
    its part is on disk, the chunk goes on to the output stream (``feed``).
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="jpimport-part") as writer:
        pending: tuple[int, pl.DataFrame, Future[None]] | None = None
        for index, frame in results:
            if pending is not None:
                _finish(*pending, feed, reporter, on_chunk)
            pending = (index, frame, writer.submit(work.write_part, index, frame))
        if pending is not None:
            _finish(*pending, feed, reporter, on_chunk)


def _finish(
    index: int,
    frame: pl.DataFrame,
    written: Future[None],
    feed: InOrder,
    reporter: Progress,
    on_chunk: Callable[[int], None] | None,
) -> None:
    """Wait for a chunk's part to be on disk, report the chunk done, stream it to the output."""
    written.result()
    reporter.advance(frame.height)
    if on_chunk is not None:
        on_chunk(index)
    feed.stored_chunk(index, frame)


def run_key(source: InputSource, options: AssessOptions, chunk_rows: int, schema: str) -> str:
    """The hash a resumed run must match: input bytes, options, chunk size, output schema."""
    data = {
        "input": source.fingerprint(),
        "options": options.model_dump(mode="json"),
        "chunk_rows": chunk_rows,
        "schema": schema,
        "version": __version__,
    }
    text = json.dumps(data, sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _warnings(source: InputSource, plan: Plan) -> list[str]:
    """What the user should know about the input's columns before trusting the output."""
    warnings = input_warnings(source.columns)
    warnings += [
        f"column {old!r} is renamed {new!r}: the output uses that name"
        for old, new in plan.renames.items()
    ]
    if source.columns and not used_columns() & set(source.columns):
        warnings.append("the input has no vin, id or vehicle columns: every row is an error")
    return warnings


def _chunk_rows(index: int, chunk_rows: int, total: int) -> int:
    """How many input rows chunk ``index`` holds."""
    return max(0, min(chunk_rows, total - index * chunk_rows))


def _check_paths(source: InputSource, output: Path) -> None:
    """Refuse to write over the input."""
    target = output.resolve()
    if any(target == f.resolve() for f in source.files) or target == source.path.resolve():
        raise InputError("is the input; choose another output path", source=output)


def run_batch(
    input_path: str | Path,
    output_path: str | Path,
    *,
    options: AssessOptions | None = None,
    engine: Engine = "local",
    dask: DaskSettings | None = None,
    chunk_rows: int | None = None,
    progress: Progress | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Assess every row of the input into the output; resume a killed run of the same command.

    ``chunk_rows`` defaults to what keeps a chunk's stage frame and output near ``CHUNK_BYTES``.

    ``on_chunk(index)`` is called after each chunk's part is safely on disk (tests use it to
    stop a run part-way).
    """
    started = time.perf_counter()
    if chunk_rows is not None and chunk_rows < 1:
        raise InputError("must be at least 1", field="--chunk-rows")
    options = options or AssessOptions.build()
    output = Path(output_path)
    output_kind(output)
    source = open_input(input_path)
    _check_paths(source, output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(output):
        return _run_locked(
            source, output, options, engine, dask, chunk_rows, progress, on_chunk, started
        )


def _run_locked(
    source: InputSource,
    output: Path,
    options: AssessOptions,
    engine: Engine,
    dask: DaskSettings | None,
    chunk_rows: int | None,
    progress: Progress | None,
    on_chunk: Callable[[int], None] | None,
    started: float,
) -> BatchSummary:
    """``run_batch`` once it holds the output's lock."""
    plan, found = make_plan(source.columns, options)
    generated = found.schema
    chunk_rows = chunk_rows or found.chunk_rows()
    schema_text = json.dumps({k: str(v) for k, v in generated.items()})
    key = run_key(source, options, chunk_rows, schema_text)
    meta = {"input": str(source.path), "rows": source.rows, "chunk_rows": chunk_rows}
    work = WorkDir.prepare(output, key, meta)
    done = work.completed()
    estimate = source.estimate()
    seen = Seen()
    reporter = progress or SilentProgress()
    renamed = {plan.renames.get(k, k): v for k, v in source.schema.items()}
    first = {**renamed, **generated}
    kind = output_kind(output)
    stream = OutputStream(work.path / f".streaming{output.suffix}", first, kind, chunk_rows)
    try:
        with showing(reporter):
            reporter.start(estimate, min(estimate, len(done) * chunk_rows))
            pending = source.chunks(chunk_rows, skip=done, seen=seen)
            if engine == "dask":
                results = assess_chunks_dask(pending, plan, dask or DaskSettings())
            else:
                results = _local(pending, plan)
            feed = InOrder(stream, work, done)
            _store(results, work, feed, reporter, on_chunk)
            reporter.settle(seen.rows)
        parts = work.parts(seen.chunks)
        rows, ok, errors = tally(parts)
        if rows != seen.rows:
            raise DataError(f"{rows} output rows for {seen.rows} input rows; rerun the command")
        streamed = feed.complete(seen.chunks) and stream.finish(output)
    except BaseException:
        stream.abort()
        raise
    if not streamed:
        stream.abort()
        assemble(parts, first, output, work, row_group=chunk_rows)
    resumed = {i for i in done if i < seen.chunks}
    work.remove()
    return BatchSummary(
        output=str(output),
        rows=rows,
        ok=ok,
        errors=errors,
        elapsed_s=time.perf_counter() - started,
        chunks=seen.chunks,
        chunk_rows=chunk_rows,
        resumed_chunks=len(resumed),
        resumed_rows=sum(_chunk_rows(i, chunk_rows, rows) for i in resumed),
        warnings=_warnings(source, plan),
    )
