"""Run the stages over a VehicleFrame and hold the result of assessing one vehicle."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from jpimport.errors import InputError
from jpimport.options import AssessOptions, with_options
from jpimport.stages import StageContext, pipeline
from jpimport.stages.costs.explain import explanations, with_used_for
from jpimport.vehicles.vehicle import Vehicle

_ROW = "__row"


def run_stages(
    frame: pl.DataFrame, options: AssessOptions
) -> tuple[pl.DataFrame, dict[dt.date, StageContext]]:
    """Assess every row: partition by as-of date, run each stage, restore input order."""
    frame = with_options(frame, options).with_row_index(_ROW)
    contexts: dict[dt.date, StageContext] = {}
    parts: list[pl.DataFrame] = []
    for (as_of,), part in frame.partition_by("as_of", as_dict=True, maintain_order=True).items():
        if not isinstance(as_of, dt.date):
            raise InputError("missing as-of date", field="as_of")
        ctx = contexts.setdefault(as_of, StageContext(as_of=as_of))
        for stage in pipeline():
            part = stage.run(part, ctx)
        parts.append(part)
    result = pl.concat(parts, how="diagonal_relaxed") if parts else frame
    return result.sort(_ROW).drop(_ROW), contexts


@dataclass(frozen=True)
class Assessment:
    """The assessment of one vehicle: every stage's result plus the trace of rules used."""

    vehicle: Vehicle
    options: AssessOptions
    row: dict[str, Any]
    context: StageContext = field(repr=False, compare=False)
    unconfirmed: list[str] = field(default_factory=list)
    not_in_force: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def explanations(self) -> dict[str, dict[str, Any]]:
        """Amount path → the parameters, inputs and rules behind it (built when first asked,
        so an assessment that is never explained does not pay for it)."""
        return explanations(self.row, self.context)

    @cached_property
    def trace(self) -> list[dict[str, Any]]:
        """Every parameter used, in name order, each with the amounts it fed (``used_for``)."""
        return with_used_for(self.context.trace(), self.explanations)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``jpimport assess --json``."""
        document: dict[str, Any] = {
            "vehicle": self.vehicle.to_dict(),
            "as_of": self.options.as_of.isoformat(),
            "options": self.options.model_dump(mode="json"),
        }
        for stage in pipeline():
            document.update(stage.to_json(self.row))
        document["unconfirmed"] = list(self.unconfirmed)
        document["not_in_force"] = dict(self.not_in_force)
        document["notes"] = list(self.notes)
        document["explanations"] = dict(self.explanations)
        document["trace"] = list(self.trace)
        return document

    def table(self, *, explain: bool = False, width: int = 160) -> str:
        """The assessment as readable text tables (what ``jpimport assess`` prints)."""
        from rich.console import Console

        from jpimport.views.assessment_text import render_assessment

        out = Console(width=width, no_color=True, markup=False, record=True, file=io.StringIO())
        render_assessment(self.to_dict(), out, explain=explain)
        return out.export_text()

    def __str__(self) -> str:
        """The readable tables, so ``print(assessment)`` shows the answer."""
        return self.table()


def resolve_target(target: str | Path | Vehicle) -> tuple[Vehicle, list[str]]:
    """A catalog id, a VIN, a spec file or a Vehicle → the vehicle, with notes on how."""
    from jpimport.vehicles.catalog import catalog_vehicles, get_vehicle
    from jpimport.vehicles.files import read_vehicles

    if isinstance(target, Vehicle):
        return target, []
    text = str(target).strip()
    if text in catalog_vehicles():
        return get_vehicle(text), []
    path = Path(text)
    if path.suffix.lower() in (".toml", ".json", ".csv") and path.exists():
        vehicles = read_vehicles(path)
        if len(vehicles) != 1:
            raise InputError(
                f"holds {len(vehicles)} vehicles; assess takes one (use `jpimport batch` for many)",
                source=path,
            )
        return vehicles[0], [f"vehicle from spec file {path}"]
    if len(text) == 17 and text.isalnum():
        from jpimport.vehicles.vindecode import decode_vin

        decoded = decode_vin(text)
        match = decoded.catalog_match
        if match is None or match.id is None:
            raise InputError(
                f"VIN {decoded.vin} decodes to {decoded.make} {decoded.model} "
                f"({decoded.model_year}), which the catalog does not hold; "
                "describe it in a spec file instead",
                field="VIN",
            )
        note = (
            f"VIN {decoded.vin} matched catalog entry {match.id} "
            f"(confidence {match.confidence:.2f})"
        )
        return get_vehicle(match.id), [note]
    return get_vehicle(text), []


def assess(target: str | Path | Vehicle, **options: Any) -> Assessment:
    """Assess one vehicle (catalog id, VIN, spec file or Vehicle) as of a date.

    Options are those of ``AssessOptions`` (as_of, importer, volume, registration, …).
    """
    opts = AssessOptions.build(**options)
    vehicle, notes = resolve_target(target)
    assessed, contexts = run_stages(vehicle.frame(), opts)
    ctx = contexts[opts.as_of]
    return Assessment(
        vehicle=vehicle,
        options=opts,
        row=assessed.row(0, named=True),
        context=ctx,
        unconfirmed=ctx.unconfirmed,
        not_in_force=dict(ctx.not_in_force),
        notes=notes,
    )
