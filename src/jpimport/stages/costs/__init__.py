"""Stage ``costs``: landed cost and retail price, registration, and annual ownership, in yen.

Three sub-stages run in order, each a module with ``run(frame, ctx)`` and ``to_json(row)``:
``landed`` (FOB → CIF → landed → retail), ``registration`` (taxes and fees at purchase) and
``annual`` (yearly ownership and the total over the ownership period).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from types import ModuleType
from typing import Any

import polars as pl

from jpimport.stages.context import StageContext

NAME = "costs"
_PARTS = ("landed", "registration", "annual")


def _parts() -> tuple[ModuleType, ...]:
    """The sub-stage modules present, in run order."""
    modules = []
    for part in _PARTS:
        try:
            modules.append(import_module(f"jpimport.stages.costs.{part}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"jpimport.stages.costs.{part}":
                raise
    return tuple(modules)


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add every cost column, sub-stage by sub-stage (registration and annual in one query)."""
    parts = _parts()
    if tuple(p.NAME for p in parts) != _PARTS:
        for part in parts:
            frame = part.run(frame, ctx)
        return frame
    landed, _, annual = parts
    result: pl.DataFrame = annual.run_with_registration(landed.run(frame, ctx), ctx)
    return result


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``costs`` section of the assessment document."""
    costs: dict[str, Any] = {}
    for part in _parts():
        costs.update(part.to_json(row))
    return {"costs": costs} if costs else {}
