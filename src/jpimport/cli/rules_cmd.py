"""``jpimport rules list|show``: the rules and parameters in force, with their sources."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from jpimport.cli.output import console, print_json

app = typer.Typer(
    help="Japan's rules, taxes and fees as dated, cited data (法令・税率).", no_args_is_help=True
)

AsOf = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date the rules apply (default: today)."),
]


def _short(value: Any, limit: int = 60) -> str:
    """A value squeezed into a table cell."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@app.command("list")
def list_rules(
    as_of: AsOf = None,
    prefix: Annotated[str | None, typer.Option(help="Only names under this prefix.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every parameter with the value in force on the date."""
    from jpimport.rules import load_rules

    day = as_of.date() if as_of else dt.date.today()
    store = load_rules()
    rows: list[dict[str, Any]] = []
    for name in store.names():
        if prefix and not name.startswith(prefix):
            continue
        parameter = store.parameter(name)
        value = parameter.find(day)
        trace = value.trace() if value else None
        rows.append(
            {
                "name": name,
                "title": parameter.title,
                "title_ja": parameter.title_ja,
                "unit": parameter.unit,
                "in_force": value is not None,
                "value": trace["value"] if trace else None,
                "status": trace["status"] if trace else None,
                "source_kind": trace["source_kind"] if trace else None,
            }
        )
    if as_json:
        print_json({"as_of": day.isoformat(), "rules": rows})
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} rules as of {day.isoformat()}", title_justify="left")
    for header in ("name", "title / 名称", "value in force", "status"):
        table.add_column(header, overflow="fold")
    for r in rows:
        shown = _short(r["value"]) + f" {r['unit']}" if r["in_force"] else "not in force"
        table.add_row(
            r["name"],
            f"{r['title']}\n{r['title_ja']}",
            shown,
            f"{r['status'] or ''} {r['source_kind'] or ''}".strip(),
        )
    console().print(table)


@app.command("show")
def show_rule(
    name: Annotated[
        str, typer.Argument(help="Dotted rule name, e.g. pathways.php.annual_cap_units.")
    ],
    as_of: AsOf = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one parameter: every dated value, its citation, and which is in force."""
    from jpimport.rules import load_rules

    day = as_of.date() if as_of else dt.date.today()
    parameter = load_rules().parameter(name)
    current = parameter.find(day)
    windows = [w.trace() | {"in_force": w is current} for w in parameter.windows]
    endings: list[dict[str, Any]] = [
        {
            "start": e.start.isoformat(),
            "citation": e.citation.to_dict() if e.citation else None,
            "status": e.status,
        }
        for e in parameter.endings
    ]
    document = {
        "name": parameter.name,
        "title": parameter.title,
        "title_ja": parameter.title_ja,
        "description": parameter.description,
        "unit": parameter.unit,
        "kind": parameter.kind,
        "reads": parameter.reads,
        "last_verified_on": parameter.last_verified_on.isoformat(),
        "as_of": day.isoformat(),
        "in_force": current is not None,
        "values": windows,
        "endings": endings,
    }
    if as_json:
        print_json(document)
        return
    out = console()
    out.print(f"{parameter.name} — {parameter.title} / {parameter.title_ja}")
    out.print(parameter.description.strip())
    out.print(f"unit: {parameter.unit}; last verified {document['last_verified_on']}")
    for w in windows:
        marker = "▶ in force" if w["in_force"] else "  "
        end = w["end"] or "…"
        out.print(
            f"{marker} {w['start']} → {end}: {_short(w['value'], 200)} "
            f"({w['status']}, {w['source_kind']})"
        )
        out.print(f"     {w['citation']['title']} — {w['citation']['url']}")
    for e in endings:
        out.print(f"   ends {e['start']}" + (f": {e['citation']['url']}" if e["citation"] else ""))
    if current is None:
        out.print(f"not in force on {day.isoformat()}")
