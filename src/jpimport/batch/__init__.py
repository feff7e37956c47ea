"""Batch assessment: many vehicles from a file or a frame, in chunks, through the same stages.

``assess_frame`` assesses a Polars frame in memory; ``run_batch`` streams a CSV or Parquet
input to an output file, resumably, locally or on Dask. Both give one output row per input
row, in order, with ``status`` and ``error`` (DESIGN.md, principle 7).
"""

from __future__ import annotations

from jpimport.batch.api import ColumnWarning, assess_frame
from jpimport.batch.dask_backend import DaskSettings
from jpimport.batch.progress import BatchSummary
from jpimport.batch.run import run_batch

__all__ = ["BatchSummary", "ColumnWarning", "DaskSettings", "assess_frame", "run_batch"]
