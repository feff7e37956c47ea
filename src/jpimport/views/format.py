"""Plain formatting of values for table cells."""

from __future__ import annotations

from typing import Any

UNKNOWN = "–"


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
