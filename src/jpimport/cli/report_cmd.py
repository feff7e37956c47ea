"""``jpimport lineup`` and ``jpimport compare``: reports over several assessments."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from jpimport.cli.assess_cmd import AsOf, options_from_cli
from jpimport.cli.output import console, fmt, print_json


def _yen(value: Any) -> str:
    """A yen amount for a table cell."""
    if value is None or isinstance(value, str):
        return fmt(value)
    return f"−¥{-value:,}" if value < 0 else f"¥{value:,}"


def _bound(total: Any, known: Any, missing: list[str]) -> str:
    """A total, or ``≥`` what is known of it when some part is unknown.

    Without the retail price a first-year figure says too little to print as a bound.
    """
    if total is None and known is not None and missing and "retail_price" not in missing:
        return f"≥{_yen(known)}"
    return _yen(total)


def _regional(row: dict[str, Any], column: str) -> str:
    """A lineup row's regional total (``first_year_tokyo`` …) as a cell."""
    return _bound(row[f"{column}_jpy"], row[f"{column}_known_jpy"], row[f"{column}_missing"])


def lineup(
    as_of: AsOf = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Assess the Japan lineup: models announced for Japan and press candidates (逆輸入車)."""
    from jpimport.reports.lineup import lineup as build

    result = build(**options_from_cli(as_of=as_of))
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(
        title=f"U.S.-built lineup for Japan, as of {result.as_of.isoformat()}", title_justify="left"
    )
    for header in (
        "vehicle",
        "plan",
        "plate",
        "route",
        "mods",
        "mods ¥",
        "landed ¥",
        "retail ¥",
        "1st yr Tokyo ¥",
        "per yr Tokyo ¥",
        "1st yr national ¥",
        "per yr national ¥",
        "parking it fits",
    ):
        table.add_column(header, overflow="fold")
    for r in result.rows:
        plate = fmt(r["plate_class"])
        if r["plate_class"] is not None:
            plate = f"{r['plate_class']} ({r['use']})"
        table.add_row(
            f"{r['make']} {r['model']} {r['trim'] or ''}".strip(),
            r["japan_plan"],
            plate,
            fmt(r["recommended_pathway"]),
            fmt(r["modification_count"]),
            _yen(r["modifications_jpy"]),
            _yen(r["landed_total_jpy"]),
            _yen(r["retail_price_jpy"]),
            _regional(r, "first_year_tokyo"),
            _regional(r, "annual_tokyo"),
            _regional(r, "first_year_national"),
            _regional(r, "annual_national"),
            fmt(None) if r["parking_fits"] is None else ", ".join(r["parking_fits"]) or "none",
        )
    out = console()
    out.print(table)
    out.print("– = unknown (a missing source value; see `jpimport catalog show ID`).")
    out.print(
        "≥ = a lower bound: the sum of the known parts; `--json` names the missing ones "
        "(`*_missing`) and `jpimport assess ID` shows why."
    )
    if result.unconfirmed:
        out.print("Unconfirmed parameters used (未確認): " + ", ".join(result.unconfirmed))


def compare(
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="TARGET...",
            help="Catalog ids or VINs; ID@registration=cargo gives one target its own options.",
        ),
    ],
    as_of: AsOf = None,
    importer: Annotated[
        str | None, typer.Option(help="manufacturer, independent or individual.")
    ] = None,
    region: Annotated[str | None, typer.Option(help="Parking region, e.g. tokyo-minato.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare vehicles side by side (比較)."""
    from jpimport.reports.compare import compare as build

    result = build(targets, **options_from_cli(as_of=as_of, importer=importer, region=region))
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(title="Comparison 比較", title_justify="left")
    table.add_column("")
    for label in result.labels:
        table.add_column(label, overflow="fold")
    for row in result.rows():
        cells = [_yen(v) if "¥" in row["metric"] else fmt(v) for v in row["values"]]
        if "known" in row:
            bounds = zip(row["values"], row["known"], row["missing"], strict=True)
            cells = [_bound(total, known, missing) for total, known, missing in bounds]
        table.add_row(row["metric"], *cells)
    console().print(table)
