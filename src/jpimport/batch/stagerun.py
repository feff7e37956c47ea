"""Run the stages over a batch of vehicles so that one bad row cannot sink the others.

The stages are vectorised and normally never raise for a row. If they do, the failing rows
are isolated (by as-of date, then by halves) and become error rows with the stage's message;
the rest are assessed as usual. Broken bundled data is not a row's fault and stops the run.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import polars as pl

from jpimport.assessment import run_stages
from jpimport.errors import DataError, JpImportError, RuleFileError
from jpimport.options import AssessOptions
from jpimport.stages.verdicts import verdicts_only

POS = "_jpb_pos"
_SYSTEMIC = (DataError, RuleFileError, MemoryError)


def describe(exc: BaseException) -> str:
    """One line saying what the assessment raised."""
    text = str(exc) if isinstance(exc, JpImportError) else f"{type(exc).__name__}: {exc}"
    return "assessment: " + " ".join(text.split())


@lru_cache(maxsize=256)
def _date_failure(as_of: dt.date, options: AssessOptions) -> BaseException | None:
    """What assessing a sound catalog vehicle on this date raises, if anything."""
    from jpimport.vehicles.catalog import load_catalog

    probe = load_catalog().head(1)
    try:
        run_stages(probe, options.model_copy(update={"as_of": as_of}))
    except _SYSTEMIC:
        raise
    except Exception as exc:
        return exc
    return None


def _attempt(
    frame: pl.DataFrame,
    options: AssessOptions,
    parts: list[pl.DataFrame],
    failures: list[tuple[int, str]],
) -> None:
    """Assess ``frame``; on failure, narrow down to the rows at fault."""
    try:
        assessed, _ = run_stages(frame.drop(POS), options)
    except _SYSTEMIC:
        raise
    except Exception as exc:
        message = describe(exc)
        positions = frame.get_column(POS).to_list()
        if frame.height == 1:
            failures.append((positions[0], message))
            return
        dates = frame.get_column("as_of").unique(maintain_order=True)
        if len(dates) > 1:
            for part in frame.partition_by("as_of", maintain_order=True):
                _attempt(part, options, parts, failures)
            return
        whole_date = _date_failure(dates[0], options)
        if whole_date is not None and describe(whole_date) == message:
            if not isinstance(whole_date, JpImportError):
                raise
            failures.extend((position, message) for position in positions)
            return
        half = frame.height // 2
        _attempt(frame.slice(0, half), options, parts, failures)
        _attempt(frame.slice(half), options, parts, failures)
        return
    parts.append(assessed.with_columns(frame.get_column(POS)))


def _by_date(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """The rows of each as-of date, in input order.

    ``run_stages`` assesses one date at a time and then sorts the whole assessed frame back
    into input order; with one date per call that sort has nothing to do, and the batch
    restores the order on its small flat columns instead (a join on ``POS``).
    """
    if frame.get_column("as_of").n_unique() <= 1:
        return [frame]
    return frame.partition_by("as_of", maintain_order=True)


def run_guarded(
    frame: pl.DataFrame, options: AssessOptions
) -> tuple[list[pl.DataFrame], dict[int, str]]:
    """The assessed rows in parts (each with ``POS``, in no particular order of parts; at
    least one, maybe empty) and the message of each row that failed.
    """
    parts: list[pl.DataFrame] = []
    failures: list[tuple[int, str]] = []
    # The output keeps only name=verdict of each record (findings, pathways): the rest is not
    # built (``jpimport.stages.verdicts``).
    with verdicts_only():
        if frame.height:
            for part in _by_date(frame):
                _attempt(part, options, parts, failures)
        if not parts:
            empty, _ = run_stages(frame.clear().drop(POS), options)
            parts = [empty.with_columns(pl.lit(None, pl.UInt32).alias(POS)).clear()]
    return parts, dict(failures)
