"""The work directory of a batch run: one part per finished chunk, a manifest, atomic writes.

``OUTPUT.parts/`` holds ``manifest.json`` (the run's key: a hash of the input's bytes, the
options, the chunk size and the output schema) and ``part-NNNNNN.arrow``, each written to a
temporary name and renamed, so a part exists only when its chunk is complete. A run killed at
any moment and started again with the same command finds the same key, keeps the parts and
computes the rest. The output is written as chunks finish (``stream``; a resumed run feeds
the kept chunks from their parts) or, if a chunk's types do not fit the run's schema,
assembled from the parts at the end; either way it is renamed into place, so a finished
output is only ever replaced whole.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from jpimport.batch.layout import ERROR_KIND, STATUS, Schema, conform, for_csv, unify
from jpimport.errors import InputError

MANIFEST = "manifest.json"
_PART = "part-{:06d}.arrow"
_ROW_GROUP = 100_000


def _fsync(path: Path) -> None:
    """Flush a file to disk, so a rename never exposes a half-written file after a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def output_kind(path: Path) -> str:
    """``parquet`` or ``csv`` from the output's extension."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".csv":
        return "csv"
    raise InputError(
        f"unsupported output {suffix or 'without extension'!r}; expected .parquet or .csv",
        source=path,
    )


@dataclass(frozen=True)
class WorkDir:
    """The parts of one run, keyed so that a different input or option never mixes in."""

    path: Path
    key: str

    @classmethod
    def prepare(cls, output: Path, key: str, meta: dict[str, Any]) -> WorkDir:
        """Reuse ``OUTPUT.parts/`` when its key matches, else start it afresh."""
        work = cls(output.with_name(output.name + ".parts"), key)
        manifest = work.path / MANIFEST
        if manifest.exists():
            try:
                same = json.loads(manifest.read_text(encoding="utf-8")).get("key") == key
            except (OSError, ValueError):
                same = False
            if same:
                return work
        if work.path.exists():
            shutil.rmtree(work.path)
        work.path.mkdir(parents=True)
        work._write_atomic(manifest, json.dumps({"key": key, **meta}, indent=2, sort_keys=True))
        return work

    def _write_atomic(self, target: Path, text: str) -> None:
        """Write text to ``target`` through a temporary file and a rename."""
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_text(text, encoding="utf-8")
        _fsync(temp)
        os.replace(temp, target)

    def part(self, index: int) -> Path:
        """The path of chunk ``index``'s part."""
        return self.path / _PART.format(index)

    def completed(self) -> set[int]:
        """Indices of the chunks whose parts are complete."""
        done = set()
        for file in self.path.glob("part-*.arrow"):
            try:
                done.add(int(file.stem.removeprefix("part-")))
            except ValueError:
                continue
        return done

    def write_part(self, index: int, frame: pl.DataFrame) -> None:
        """Store one chunk's output atomically."""
        target = self.part(index)
        temp = target.with_name(f".{target.name}.tmp")
        frame.write_ipc(temp, compression="lz4")
        _fsync(temp)
        os.replace(temp, target)

    def parts(self, count: int) -> list[Path]:
        """The parts of chunks ``0..count-1``, in order; all must exist."""
        paths = [self.part(i) for i in range(count)]
        missing = [p.name for p in paths if not p.exists()]
        if missing:
            raise InputError(f"work directory lacks {', '.join(missing[:3])}", source=self.path)
        return paths

    def remove(self) -> None:
        """Delete the work directory once the output is in place."""
        shutil.rmtree(self.path, ignore_errors=True)


def _combined(parts: list[Path], first: Schema) -> tuple[pl.LazyFrame, dict[str, pl.DataType]]:
    """Every part conformed to one schema, concatenated lazily in order."""
    schemas = [dict(pl.read_ipc_schema(p)) for p in parts]
    want = unify([first, *schemas])
    if not parts:
        return pl.LazyFrame(schema=want), want
    frames = [conform(pl.scan_ipc(p), s, want) for p, s in zip(parts, schemas, strict=True)]
    return pl.concat(frames), want


def assemble(parts: list[Path], first: Schema, output: Path, work: WorkDir, row_group: int) -> None:
    """Write the output from the parts (streaming), then rename it into place.

    Parquet row groups hold ``row_group`` rows (the chunk size, at most 100,000): the writer
    buffers a whole row group, so wide rows get small groups and memory stays bounded.
    """
    frame, schema = _combined(parts, first)
    temp = work.path / f".assembling{output.suffix}"
    if output_kind(output) == "csv":
        for_csv(frame, schema).sink_csv(temp, sync_on_close="all")
    else:
        size = max(1, min(row_group, _ROW_GROUP))
        frame.sink_parquet(temp, row_group_size=size, sync_on_close="all")
    os.replace(temp, output)


def tally(parts: list[Path]) -> tuple[int, int, dict[str, int]]:
    """Rows, ok rows and error rows by kind, read from the parts."""
    if not parts:
        return 0, 0, {}
    frame = pl.concat([pl.scan_ipc(p).select(STATUS, ERROR_KIND) for p in parts])
    counts = frame.group_by(STATUS, ERROR_KIND).len().collect()
    rows = ok = 0
    errors: dict[str, int] = {}
    for status, kind, count in counts.iter_rows():
        rows += count
        if status == "ok":
            ok += count
        else:
            errors[str(kind)] = errors.get(str(kind), 0) + count
    return rows, ok, dict(sorted(errors.items()))
