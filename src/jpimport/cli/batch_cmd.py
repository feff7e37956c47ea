"""``jpimport batch``: assess every row of a CSV or Parquet file into an output file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from jpimport.cli.output import print_json

_OPTIONS = "Assumptions (each may also be an input column, per row)"
_ENGINE = "Engine"


def batch(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="CSV or Parquet file, or folder of Parquet parts: vin, id or vehicle columns.",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Output file, .parquet or .csv (replaced atomically)."),
    ],
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Date the rules apply (default: today).",
            rich_help_panel=_OPTIONS,
        ),
    ] = None,
    importer: Annotated[
        str | None,
        typer.Option(help="manufacturer, independent or individual.", rich_help_panel=_OPTIONS),
    ] = None,
    volume: Annotated[
        int | None,
        typer.Option(help="Planned units per type per year.", rich_help_panel=_OPTIONS),
    ] = None,
    registration: Annotated[
        str | None,
        typer.Option(help="passenger or cargo (default: by body).", rich_help_panel=_OPTIONS),
    ] = None,
    declared_payload_kg: Annotated[
        int | None,
        typer.Option(help="Maximum load declared at cargo registration.", rich_help_panel=_OPTIONS),
    ] = None,
    manufactured: Annotated[
        str | None,
        typer.Option(help="YYYY-MM of manufacture.", rich_help_panel=_OPTIONS),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(help="Parking region, e.g. tokyo-23-wards.", rich_help_panel=_OPTIONS),
    ] = None,
    usd_jpy: Annotated[
        float | None,
        typer.Option(help="Exchange rate, yen per dollar.", rich_help_panel=_OPTIONS),
    ] = None,
    price_usd: Annotated[
        float | None, typer.Option(help="FOB price in USD.", rich_help_panel=_OPTIONS)
    ] = None,
    km_per_year: Annotated[
        int | None, typer.Option(help="Kilometres driven a year.", rich_help_panel=_OPTIONS)
    ] = None,
    engine: Annotated[
        str,
        typer.Option(help="local, or dask (needs the dask extra).", rich_help_panel=_ENGINE),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster).",
            rich_help_panel=_ENGINE,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Workers of the local Dask cluster (default 2).", rich_help_panel=_ENGINE
        ),
    ] = None,
    chunk_rows: Annotated[
        int | None,
        typer.Option(
            help="Rows per chunk (default: sized to keep memory under 2 GB); the unit of resuming."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Assess a file of vehicles (一括審査): one output row per input row, resumable."""
    from jpimport.batch import DaskSettings, run_batch
    from jpimport.batch.progress import progress_for
    from jpimport.cli.assess_cmd import options_from_cli
    from jpimport.errors import InputError
    from jpimport.options import AssessOptions

    if engine not in ("local", "dask"):
        raise InputError(f"expected local or dask, got {engine!r}", field="--engine")
    if workers is not None and workers < 1:
        raise InputError("must be at least 1", field="--workers")
    options = AssessOptions.build(
        **options_from_cli(
            as_of=as_of,
            importer=importer,
            volume=volume,
            registration=registration,
            declared_payload_kg=declared_payload_kg,
            manufactured=manufactured,
            region=region,
            usd_jpy=usd_jpy,
            price_usd=price_usd,
            km_per_year=km_per_year,
        )
    )
    summary = run_batch(
        input_path,
        output,
        options=options,
        engine="dask" if engine == "dask" else "local",
        dask=DaskSettings(scheduler=scheduler, workers=workers),
        chunk_rows=chunk_rows,
        progress=progress_for(sys.stderr),
    )
    if as_json:
        print_json(summary.to_dict())
        return
    for line in summary.lines():
        typer.echo(line)
