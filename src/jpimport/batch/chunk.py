"""Assess one chunk of input rows: resolve, run the stages, flatten, one output row per input row.

This is the whole of the batch computation; the local and Dask engines only decide where a
chunk runs. A row's output never depends on the other rows of its chunk, so any chunking
gives the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from jpimport.batch.flatten import flatten_frame
from jpimport.batch.layout import ERROR, ERROR_KIND, RESULT_SCHEMA, STATUS, input_renames
from jpimport.batch.resolve import ERROR as RESOLVE_ERROR
from jpimport.batch.resolve import KIND, RESOLUTION_SCHEMA, resolve, stage_options
from jpimport.batch.stagerun import POS, run_guarded
from jpimport.options import OPTION_SCHEMA, AssessOptions
from jpimport.vehicles.schema import FRAME_SCHEMA
from jpimport.vehicles.vehicle import EXTRA_SCHEMA

#: The columns a VehicleFrame with options carries into the stages.
VEHICLE_COLUMNS: tuple[str, ...] = (*FRAME_SCHEMA, *EXTRA_SCHEMA, *OPTION_SCHEMA)
_ASSESSMENT_KIND = "assessment"
#: Target size of a chunk's stage frame and flat output together (both are alive at once).
#: The local engine holds more than one chunk: the next one resolved on a second thread, the
#: current one in the stages, one queued for the writer and one being written. At 512 MiB a
#: 1,000,000-row run peaked at 2,287 MiB RSS (issue 5's bound is 2 GB at 10 million rows).
CHUNK_BYTES = 256 * 2**20
MIN_CHUNK_ROWS = 1_000
MAX_CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to assess a chunk: the options and the input renames."""

    options: AssessOptions
    renames: dict[str, str] = field(default_factory=dict)


def _with_failures(result: pl.DataFrame, failures: dict[int, str]) -> pl.DataFrame:
    """Mark the rows the stages could not assess as errors of kind ``assessment``."""
    if not failures:
        return result
    failed = pl.DataFrame(
        {POS: list(failures), "_jpb_fail": list(failures.values())},
        schema={POS: pl.UInt32(), "_jpb_fail": pl.String()},
    )
    result = result.join(failed, on=POS, how="left", maintain_order="left")
    return result.with_columns(
        pl.coalesce(RESOLVE_ERROR, "_jpb_fail").alias(RESOLVE_ERROR),
        pl.when(pl.col("_jpb_fail").is_not_null())
        .then(pl.lit(_ASSESSMENT_KIND))
        .otherwise(pl.col(KIND))
        .alias(KIND),
    ).drop("_jpb_fail")


def assess_chunk(raw: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """The output rows of one chunk: input columns, status, error, resolution, assessment."""
    return _assess(raw, plan)[0]


@dataclass(frozen=True)
class Resolved:
    """A chunk after its first phase: the input rows and what they resolve to, by position."""

    raw: pl.DataFrame
    resolved: pl.DataFrame


def resolve_chunk(raw: pl.DataFrame, plan: Plan) -> Resolved:
    """A chunk's first phase: its rows resolved to vehicles (the local engine runs it for the
    next chunk while the stages run on this one)."""
    return Resolved(raw, resolve(raw, plan.options).with_row_index(POS))


def complete_chunk(chunk: Resolved, plan: Plan) -> pl.DataFrame:
    """A chunk's second phase: the stages, flattened, joined to the input rows."""
    return _complete(chunk, plan)[0]


def _assess(raw: pl.DataFrame, plan: Plan) -> tuple[pl.DataFrame, int]:
    """The output rows of one chunk, and the bytes its stage frame and output held."""
    return _complete(resolve_chunk(raw, plan), plan)


def _complete(chunk: Resolved, plan: Plan) -> tuple[pl.DataFrame, int]:
    """``complete_chunk``, and the bytes its stage frame and output held."""
    raw, resolved = chunk.raw, chunk.resolved
    good = resolved.filter(pl.col(KIND).is_null()).select(POS, *VEHICLE_COLUMNS)
    assessed, failures = run_guarded(good, stage_options(plan.options))
    inputs = raw.rename(plan.renames)
    taken = {*inputs.columns, *RESULT_SCHEMA}
    flat = _flat_parts(assessed)
    flat = flat.rename({c: f"{c}_result" for c in flat.columns if c in taken})
    result = _with_failures(
        resolved.select(POS, *RESOLUTION_SCHEMA, RESOLVE_ERROR, KIND), failures
    ).join(flat, on=POS, how="left", maintain_order="left")
    status = pl.when(pl.col(KIND).is_null()).then(pl.lit("ok")).otherwise(pl.lit("error"))
    result = result.select(
        status.alias(STATUS),
        pl.col(RESOLVE_ERROR).alias(ERROR),
        pl.col(KIND).alias(ERROR_KIND),
        *RESOLUTION_SCHEMA,
        *[c for c in flat.columns if c != POS],
    )
    out = inputs.hstack(result)
    held = sum(int(part.estimated_size()) for part in assessed) + int(out.estimated_size())
    return out, held


def _flat_parts(assessed: list[pl.DataFrame]) -> pl.DataFrame:
    """``POS`` and the flat stage columns of every part, in no particular row order.

    Each part is flattened before the parts are put together: the nested stage columns are
    most of the bytes, and the join on ``POS`` orders only the flat ones.
    """
    skip = {*VEHICLE_COLUMNS, POS}
    flats = []
    for part in assessed:
        stage_names = [c for c in part.columns if c not in skip]
        flats.append(flatten_frame(part, [POS, *stage_names]))
    return flats[0] if len(flats) == 1 else pl.concat(flats, how="diagonal_relaxed")


@dataclass(frozen=True)
class Probe:
    """What the stages give, learnt by assessing the catalog: columns, types, bytes per row."""

    schema: dict[str, pl.DataType]
    row_bytes: int

    def chunk_rows(self) -> int:
        """Rows per chunk so a chunk's stage frame and output hold about ``CHUNK_BYTES``."""
        rows = CHUNK_BYTES // max(self.row_bytes, 1) // 1000 * 1000
        return min(max(rows, MIN_CHUNK_ROWS), MAX_CHUNK_ROWS)


@lru_cache(maxsize=32)
def probe(options: AssessOptions) -> Probe:
    """Assess the whole catalog once to learn the output's assessment columns."""
    from jpimport.vehicles.catalog import load_catalog

    raw = load_catalog().select("id")
    out, size = _assess(raw, Plan(options=options))
    schema = {name: dtype for name, dtype in out.schema.items() if name != "id"}
    return Probe(schema=schema, row_bytes=size // max(raw.height, 1))


def make_plan(input_columns: list[str], options: AssessOptions) -> tuple[Plan, Probe]:
    """The plan for an input with these columns, and the probe of the stages."""
    found = probe(options)
    renames = input_renames(input_columns, found.schema)
    return Plan(options=options, renames=renames), found
