"""Batch inputs read lazily in fixed-size chunks: a CSV file, a Parquet file or a folder of parts.

Chunk ``i`` is always rows ``[i * n, (i + 1) * n)`` of the input, whatever was read before, so
a resumed run reads exactly the chunks an uninterrupted one would. CSV cells are read as text
(the resolution parses and checks them, row by row); Parquet keeps its types, unified over
the parts of a folder. A Parquet input's row count comes from its metadata; a CSV's is only
known once read (counting it up front would map the whole file into memory), so until then
it is estimated from the file size, for the progress bar.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from jpimport.batch.layout import conform, unify
from jpimport.errors import InputError

Kind = Literal["csv", "parquet"]
_CSV_OPTIONS: dict[str, object] = {
    "infer_schema": False,
    "truncate_ragged_lines": True,
    "encoding": "utf8-lossy",
    "raise_if_empty": False,
}


def _scan_csv(path: Path) -> pl.LazyFrame:
    """A CSV file as text columns; short lines are padded, long ones cut (never an error)."""
    return pl.scan_csv(path, **_CSV_OPTIONS)  # type: ignore[arg-type]


def rebatch(frames: Iterable[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """Regroup a stream of frames into frames of exactly ``rows`` rows (the last may be short)."""
    pending: list[pl.DataFrame] = []
    held = 0
    for frame in frames:
        while frame.height:
            take = min(rows - held, frame.height)
            pending.append(frame.slice(0, take))
            frame = frame.slice(take)
            held += take
            if held == rows:
                yield pl.concat(pending, rechunk=True)
                pending, held = [], 0
    if held:
        yield pl.concat(pending, rechunk=True)


@dataclass
class Seen:
    """What a pass over the input met: chunks and rows, the skipped ones included."""

    chunks: int = 0
    rows: int = 0


@dataclass(frozen=True)
class InputSource:
    """A batch input: its files, kind, columns and row count (None for CSV: see ``estimate``)."""

    path: Path
    kind: Kind
    files: tuple[Path, ...]
    schema: dict[str, pl.DataType]
    rows: int | None
    file_rows: tuple[int, ...] = ()
    file_schemas: tuple[dict[str, pl.DataType], ...] = field(default_factory=tuple)

    def estimate(self) -> int:
        """The row count, or for CSV an estimate from the size of its first megabyte's lines."""
        if self.rows is not None:
            return self.rows
        with self.path.open("rb") as handle:
            head = handle.read(1 << 20)
        lines = head.count(b"\n")
        if lines <= 1:
            return max(lines, 0)
        per_row = len(head) / lines
        return max(round(self.path.stat().st_size / per_row) - 1, 0)

    @property
    def columns(self) -> list[str]:
        """The input's column names, in order."""
        return list(self.schema)

    def fingerprint(self) -> str:
        """A hash of the input's bytes and part names: the same input, the same hash."""
        digest = hashlib.blake2b(digest_size=16)
        for file in self.files:
            digest.update(file.name.encode() + b"\0")
            with file.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "blake2b").digest())
        return digest.hexdigest()

    def chunks(
        self, rows: int, skip: Collection[int] = (), seen: Seen | None = None
    ) -> Iterator[tuple[int, pl.DataFrame]]:
        """``(index, frame)`` for every chunk of ``rows`` rows not in ``skip``, in order.

        ``seen`` counts every chunk and row passed, skipped ones included, once exhausted.
        """
        seen = seen if seen is not None else Seen()
        if self.kind == "csv":
            yield from self._csv_chunks(rows, skip, seen)
            return
        total = self.rows or 0
        for index in range((total + rows - 1) // rows):
            seen.chunks, seen.rows = index + 1, min(total, (index + 1) * rows)
            if index not in skip:
                yield index, self._parquet_slice(index * rows, rows)

    def _csv_chunks(
        self, rows: int, skip: Collection[int], seen: Seen
    ) -> Iterator[tuple[int, pl.DataFrame]]:
        """CSV chunks, streamed; skipped chunks are parsed and dropped (CSV cannot seek rows)."""
        if not self.schema:
            return
        batches = _scan_csv(self.path).collect_batches(chunk_size=rows)
        for index, frame in enumerate(rebatch(batches, rows)):
            seen.chunks, seen.rows = index + 1, seen.rows + frame.height
            if index not in skip:
                yield index, frame

    def _parquet_slice(self, start: int, length: int) -> pl.DataFrame:
        """Rows ``[start, start + length)`` across the Parquet files, in the unified schema."""
        pieces: list[pl.LazyFrame] = []
        offset = 0
        for file, count, schema in zip(self.files, self.file_rows, self.file_schemas, strict=True):
            lo, hi = max(start - offset, 0), min(start + length - offset, count)
            if lo < hi:
                scan = pl.scan_parquet(file).slice(lo, hi - lo)
                pieces.append(conform(scan, schema, self.schema))
            offset += count
        if not pieces:
            return pl.DataFrame(schema=self.schema)
        return pl.concat(pieces).collect()


def _parquet_files(path: Path) -> tuple[Path, ...]:
    """The Parquet file, or the folder's ``*.parquet`` parts in name order."""
    if path.is_dir():
        files = tuple(sorted(p for p in path.rglob("*.parquet") if not p.name.startswith(".")))
        if not files:
            raise InputError("folder holds no .parquet files", source=path)
        return files
    return (path,)


def open_input(path: str | Path) -> InputSource:
    """Open a batch input, reading only its header or metadata; bad files fail here, clearly."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", source=path)
    suffix = path.suffix.lower()
    try:
        if path.is_file() and suffix == ".csv":
            schema = dict(_scan_csv(path).collect_schema())
            return InputSource(path, "csv", (path,), schema, None if schema else 0)
        if path.is_dir() or suffix in (".parquet", ".pq"):
            files = _parquet_files(path)
            schemas = tuple(dict(pl.read_parquet_schema(f)) for f in files)
            counts = tuple(int(pl.scan_parquet(f).select(pl.len()).collect().item()) for f in files)
            return InputSource(path, "parquet", files, unify(schemas), sum(counts), counts, schemas)
    except (pl.exceptions.PolarsError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot be read: {first}", source=path) from None
    raise InputError(
        f"unsupported input {suffix or 'without extension'!r}; expected .csv, .parquet "
        "or a folder of .parquet parts",
        source=path,
    )
