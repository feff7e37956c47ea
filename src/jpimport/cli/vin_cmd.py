"""``jpimport vin VIN``: decode a VIN offline and match it to the catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from jpimport.cli.output import console, fmt, print_json


def vin(
    number: Annotated[str, typer.Argument(metavar="VIN", help="17-character VIN.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Decode a VIN (車台番号): maker, country, model year, plant, catalog match."""
    from jpimport.vehicles.vindecode import decode_vin

    decoded = decode_vin(number)
    document = decoded.model_dump(mode="json")
    if as_json:
        print_json(document)
        return
    from rich.table import Table

    table = Table(title=f"VIN {document['vin']}", title_justify="left", show_header=False)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    plant = document.get("plant") or {}
    match = document.get("catalog_match") or {}
    rows = [
        ("Check digit", "ok" if document.get("check_digit_ok") else "wrong"),
        ("Manufacturer", fmt(document.get("manufacturer"))),
        (
            "Country of assembly",
            f"{fmt(document.get('country'))} ({fmt(document.get('country_name'))})",
        ),
        (
            "Model year",
            fmt(None if document.get("model_year") is None else str(document["model_year"])),
        ),
        ("Plant 工場", " / ".join(fmt(plant.get(k)) for k in ("code", "name", "city", "state"))),
        ("Make / model", f"{fmt(document.get('make'))} {fmt(document.get('model'))}"),
        ("Catalog match", f"{fmt(match.get('id'))} (confidence {fmt(match.get('confidence'))})"),
    ]
    for row in rows:
        table.add_row(*row)
    out = console()
    out.print(table)
    for note in document.get("notes") or []:
        out.print(f"note: {note}")
