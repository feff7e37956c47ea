"""Shared output helpers: JSON on stdout, Rich tables sized for terminals and pipes."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

from jpimport.views.format import UNKNOWN, fmt

__all__ = ["UNKNOWN", "console", "fmt", "print_json"]


def print_json(document: Any) -> None:
    """Print one JSON document on stdout and nothing else."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


def console() -> Console:
    """A console for tables: the terminal's width, or a wide fixed width when piped."""
    if sys.stdout.isatty():
        return Console(markup=False)
    return Console(width=200, no_color=True, markup=False)
