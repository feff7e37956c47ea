"""The Typer application and its command groups; heavy modules are imported inside commands."""

from __future__ import annotations

from typing import Annotated

import typer

from jpimport import __version__
from jpimport.cli import assess_cmd, batch_cmd, catalog_cmd, report_cmd, rules_cmd, vin_cmd

app = typer.Typer(
    name="jpimport",
    help="Plan the import of U.S.-built vehicles into Japan (逆輸入・並行輸入の計画).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog_cmd.app, name="catalog")
app.command(name="vin")(vin_cmd.vin)
app.command(name="assess")(assess_cmd.assess)
app.add_typer(rules_cmd.app, name="rules")
app.command(name="lineup")(report_cmd.lineup)
app.command(name="compare")(report_cmd.compare)
app.command(name="batch")(batch_cmd.batch)


def _version(value: bool) -> None:
    """Print the version and stop."""
    if value:
        typer.echo(f"jpimport {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Plan the import of U.S.-built vehicles into Japan."""
