"""The assessment stages, run in order over a VehicleFrame (DESIGN.md: the data flow).

Each stage is a module with ``NAME``, ``run(frame, ctx) -> frame`` (pure, vectorised, adds its
columns) and ``to_json(row) -> dict`` (its keys of the ``assess --json`` document).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any, Protocol

import polars as pl

from jpimport.stages.context import StageContext

__all__ = ["Stage", "StageContext", "pipeline"]


class Stage(Protocol):
    """The shape every stage module has."""

    NAME: str

    def run(self, frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
        """Add this stage's columns to every row."""
        ...

    def to_json(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """This stage's part of the JSON document for one assessed row."""
        ...


def pipeline() -> tuple[ModuleType, ...]:
    """The stage modules in run order (imported on first use)."""
    from importlib import import_module

    names = ("classify", "pathways", "compliance", "fit", "costs")
    modules = []
    for name in names:
        try:
            modules.append(import_module(f"jpimport.stages.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"jpimport.stages.{name}":
                raise
    return tuple(modules)
