"""The shape of a batch output: its columns, their order and types, the same for every chunk.

A chunk's own types can be narrower than the run's (a column that is null throughout a chunk
has type Null there), so parts are conformed to one schema when they are put together: the
supertype of the probe's and every part's type, columns in the probe's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from jpimport.batch.flatten import flat_columns
from jpimport.batch.resolve import RESOLUTION_SCHEMA

STATUS = "status"
ERROR = "error"
ERROR_KIND = "error_kind"

#: Columns every output row has after the input columns, before the assessment columns.
RESULT_SCHEMA: dict[str, pl.DataType] = {
    STATUS: pl.String(),
    ERROR: pl.String(),
    ERROR_KIND: pl.String(),
    **RESOLUTION_SCHEMA,
}

Schema = Mapping[str, pl.DataType]


def input_renames(columns: Iterable[str], reserved: Iterable[str]) -> dict[str, str]:
    """Input columns whose names the output needs (``status``…) → ``input_<name>``."""
    taken = set(reserved)
    columns = list(columns)
    names = set(columns)
    renames: dict[str, str] = {}
    for column in columns:
        if column not in taken:
            continue
        new = f"input_{column}"
        while new in taken or new in names:
            new = f"input_{new}"
        renames[column] = new
        names.add(new)
    return renames


def unify(schemas: Iterable[Schema]) -> dict[str, pl.DataType]:
    """One schema for many: columns in first-seen order, each at its types' supertype."""
    empties = [pl.DataFrame(schema=dict(schema)) for schema in schemas]
    if not empties:
        return {}
    return dict(pl.concat(empties, how="diagonal_relaxed").schema)


def conform(frame: pl.LazyFrame, have: Schema, want: Schema) -> pl.LazyFrame:
    """A part in the run's schema: columns in order, cast, missing ones null."""
    exprs = [
        pl.col(name).cast(dtype) if name in have else pl.lit(None, dtype).alias(name)
        for name, dtype in want.items()
    ]
    return frame.select(exprs)


def for_csv(frame: pl.LazyFrame, schema: Schema) -> pl.LazyFrame:
    """Flatten nested input columns (from Parquet) so a CSV can hold every cell."""
    return frame.select(flat_columns(schema, list(schema)))
