"""``jpimport.assess_frame``: the batch assessment of a Polars frame, in memory.

The same rows and columns as ``jpimport batch`` writes: the frame's columns, ``status``,
``error``, ``error_kind``, how each vehicle was resolved, and the flattened assessment.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any, overload

import polars as pl

from jpimport.batch.chunk import assess_chunk, make_plan
from jpimport.batch.inputs import rebatch
from jpimport.batch.layout import conform, unify
from jpimport.batch.resolve import input_warnings
from jpimport.options import AssessOptions


class ColumnWarning(UserWarning):
    """An input column is kept in the output but not used (an unknown attribute)."""


@overload
def assess_frame(
    frame: pl.DataFrame, *, chunk_rows: int | None = None, **options: Any
) -> pl.DataFrame: ...


@overload
def assess_frame(
    frame: pl.LazyFrame, *, chunk_rows: int | None = None, **options: Any
) -> pl.LazyFrame: ...


def assess_frame(
    frame: pl.DataFrame | pl.LazyFrame, *, chunk_rows: int | None = None, **options: Any
) -> pl.DataFrame | pl.LazyFrame:
    """Assess every row (a ``vin``, an ``id`` or the canonical columns; option columns too).

    Options are the defaults of ``AssessOptions`` (as_of, importer, volume, region, …); a
    column of the same name overrides them per row. One output row per input row, in order;
    a malformed row has ``status`` ``error`` and says why in ``error``. A LazyFrame is read in
    chunks of ``chunk_rows`` (default: sized to the stages' output, see ``Probe``) and a
    LazyFrame is returned. A column that is neither a vehicle
    nor an option column is kept but not used, with a ``ColumnWarning``.
    """
    opts = AssessOptions.build(**options)
    schema = dict(frame.collect_schema())
    plan, found = make_plan(list(schema), opts)
    rows = chunk_rows or found.chunk_rows()
    for message in input_warnings(list(schema)):
        warnings.warn(message, ColumnWarning, stacklevel=2)
    batches: Iterable[pl.DataFrame]
    if isinstance(frame, pl.LazyFrame):
        batches = rebatch(frame.collect_batches(chunk_size=rows), rows)
    else:
        batches = frame.iter_slices(rows)
    outputs = [assess_chunk(batch, plan) for batch in batches]
    renamed = {plan.renames.get(k, k): v for k, v in schema.items()}
    want = unify([{**renamed, **found.schema}, *(o.schema for o in outputs)])
    if outputs:
        result = pl.concat([conform(o.lazy(), o.schema, want) for o in outputs]).collect()
    else:
        result = pl.DataFrame(schema=want)
    return result.lazy() if isinstance(frame, pl.LazyFrame) else result
