"""``jpimport assess``: one vehicle, as of a date, with every rule and its source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from jpimport.cli.output import print_json

AsOf = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date the rules apply (default: today)."),
]


def options_from_cli(**values: Any) -> dict[str, Any]:
    """Turn CLI option values into AssessOptions keywords (dates as dates, None dropped)."""
    out = {k: v for k, v in values.items() if v is not None}
    if isinstance(out.get("as_of"), dt.datetime):
        out["as_of"] = out["as_of"].date()
    return out


def assess(
    target: Annotated[
        str | None, typer.Argument(metavar="TARGET", help="Catalog id or VIN.")
    ] = None,
    spec: Annotated[
        Path | None, typer.Option("--spec", help="A vehicle in the canonical columns (TOML/JSON).")
    ] = None,
    as_of: AsOf = None,
    importer: Annotated[
        str | None, typer.Option(help="manufacturer, independent or individual.")
    ] = None,
    volume: Annotated[int | None, typer.Option(help="Planned units per type per year.")] = None,
    registration: Annotated[
        str | None, typer.Option(help="passenger or cargo (default: by body).")
    ] = None,
    declared_payload_kg: Annotated[
        int | None, typer.Option(help="Maximum load declared at cargo registration (最大積載量).")
    ] = None,
    manufactured: Annotated[
        str | None, typer.Option(help="YYYY-MM of manufacture of the vehicle in hand.")
    ] = None,
    region: Annotated[str | None, typer.Option(help="Parking region, e.g. tokyo-minato.")] = None,
    usd_jpy: Annotated[float | None, typer.Option(help="Exchange rate, yen per dollar.")] = None,
    price_usd: Annotated[float | None, typer.Option(help="FOB price in USD.")] = None,
    km_per_year: Annotated[int | None, typer.Option(help="Kilometres driven a year.")] = None,
    rhd_conversion: Annotated[
        bool, typer.Option("--rhd-conversion", help="Add a right-hand-drive conversion.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="List every rule and parameter used.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Assess a vehicle (審査): class, routes, findings, fit — and why."""
    from jpimport.assessment import assess as run_assess
    from jpimport.cli.output import console
    from jpimport.errors import InputError
    from jpimport.views.assessment_text import render_assessment

    if (target is None) == (spec is None):
        raise InputError("give exactly one of TARGET (catalog id or VIN) or --spec FILE")
    options = options_from_cli(
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
        rhd_conversion=rhd_conversion or None,
    )
    result = run_assess(spec if spec is not None else str(target), **options)
    document = result.to_dict()
    if as_json:
        print_json(document)
        return
    render_assessment(document, console(), explain=explain)
