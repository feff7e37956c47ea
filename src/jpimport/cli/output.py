"""Shared output helpers: JSON on stdout, Rich tables sized for terminals and pipes."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

UNKNOWN = "–"


def print_json(document: Any) -> None:
    """Print one JSON document on stdout and nothing else."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


def console() -> Console:
    """A console for tables: the terminal's width, or a wide fixed width when piped."""
    if sys.stdout.isatty():
        return Console(markup=False)
    return Console(width=200, no_color=True, markup=False)


def fmt(value: Any, unit: str = "") -> str:
    """Format a value for a table cell; None shows as an en dash (unknown)."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    return f"{value}{unit}"
