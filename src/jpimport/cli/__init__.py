"""The ``jpimport`` command line: a thin layer over the public Python API.

Every error becomes one line on stderr and exit code 2: no traceback, nothing on stdout.
"""

from __future__ import annotations

import os
import sys

import typer
from typer.exceptions import TyperException

from jpimport.cli.app import app
from jpimport.errors import JpImportError

__all__ = ["app", "main"]

EXIT_INPUT = 2
EXIT_INTERNAL = 1


def _one_line(message: str) -> str:
    """Fold a message onto one line."""
    return " ".join(message.split())


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map every expected failure to one stderr line and exit code 2."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="jpimport", standalone_mode=False)
    except JpImportError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    except TyperException as exc:
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":
            print(message)
            sys.exit(0)
        print(f"error: {_one_line(message)} (see --help)", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug, not bad input: one line, unless debugging
        if os.environ.get("JPIMPORT_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {_one_line(str(exc))} "
            "(a bug in jpimport; set JPIMPORT_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)
