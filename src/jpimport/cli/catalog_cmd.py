"""``jpimport catalog list|show``: browse the bundled catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from jpimport.cli.output import UNKNOWN, console, fmt, print_json

app = typer.Typer(help="Browse the bundled catalog of U.S.-built vehicles.", no_args_is_help=True)

_LIST_KEYS = (
    "id",
    "make",
    "model",
    "trim",
    "model_year",
    "body",
    "plant_city",
    "plant_state",
    "plant_country",
    "drive_side",
    "length_mm",
    "width_mm",
    "height_mm",
    "curb_weight_kg",
    "powertrain",
    "displacement_cc",
    "msrp_usd",
    "jp_price_jpy",
    "japan_plan",
)


@app.command("list")
def list_entries(
    make: Annotated[str | None, typer.Option(help="Only this make (case-insensitive).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List catalog entries (車種一覧)."""
    import polars as pl

    from jpimport.vehicles.catalog import load_catalog

    frame = load_catalog()
    if make is not None:
        frame = frame.filter(pl.col("make").str.to_lowercase() == make.lower())
    rows = frame.select(_LIST_KEYS).to_dicts()
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"jpimport catalog: {len(rows)} vehicles", title_justify="left")
    for header in (
        "id",
        "Make",
        "Model / trim",
        "MY",
        "Body 車体",
        "Plant 工場",
        "L×W×H mm 全長×全幅×全高",
        "Curb kg 車両重量",
        "Power",
        "MSRP USD",
        "Japan",
    ):
        table.add_column(header, overflow="fold")
    for r in rows:
        plant = UNKNOWN if r["plant_city"] is None else f"{r['plant_city']}, {r['plant_state']}"
        dims = "×".join(fmt(r[k]) for k in ("length_mm", "width_mm", "height_mm"))
        power = fmt(r["powertrain"])
        if r["displacement_cc"]:
            power += f" {r['displacement_cc']:,} cc"
        table.add_row(
            r["id"],
            fmt(r["make"]),
            f"{fmt(r['model'])} {fmt(r['trim'])}",
            fmt(None if r["model_year"] is None else str(r["model_year"])),
            fmt(r["body"]),
            plant,
            dims,
            fmt(r["curb_weight_kg"]),
            power,
            fmt(r["msrp_usd"]),
            fmt(r["japan_plan"]),
        )
    out = console()
    out.print(table)
    out.print(f"{UNKNOWN} = unknown: no source found yet (never guessed).")


@app.command("show")
def show_entry(
    vehicle_id: Annotated[str, typer.Argument(metavar="ID", help="Catalog id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one entry with every column and its sources (出典)."""
    from jpimport.vehicles.catalog import get_vehicle
    from jpimport.vehicles.schema import COLUMNS

    vehicle = get_vehicle(vehicle_id)
    document = vehicle.to_dict()
    if as_json:
        print_json(document)
        return
    from rich.table import Table

    table = Table(title=vehicle.label, title_justify="left")
    for header in ("column", "value", "source group", "note"):
        table.add_column(header, overflow="fold")
    for column in COLUMNS:
        value = vehicle.values.get(column.name)
        note = (
            "estimated: " + vehicle.estimated[column.name]
            if column.name in vehicle.estimated
            else ""
        )
        table.add_row(column.name, fmt(value), column.group or "", note)
    out = console()
    out.print(table)
    for group, source in vehicle.sources.items():
        out.print(f"({group}) {source.title} — {source.url} (verified {source.verified_on})")
