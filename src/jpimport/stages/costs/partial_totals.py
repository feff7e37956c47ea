"""Beside a total that is null because a part is: the sum of the known parts, and which are not.

A total stays null when any part is unknown (never a silent 0); ``known_total_jpy`` is a lower
bound (every part is a non-negative cost) and ``missing`` names the null parts. Built in
``to_json`` for one row, so the frame and the batch columns are unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def partial_total(
    row: Mapping[str, Any], total: str, parts: Mapping[str, str | tuple[Any, list[str]]]
) -> tuple[Any, list[str]]:
    """``(known_total_jpy, missing)`` of the total in column ``total``.

    ``parts`` maps each part's name to its column, or to an already computed ``(known, missing)``
    pair of a sub-total (whose missing parts are then named ``<part>.<name>``). A complete
    total gives itself and no missing parts.
    """
    value = row.get(total)
    if value is not None:
        return value, []
    known = 0
    missing: list[str] = []
    for name, source in parts.items():
        inner: list[str] = []
        if isinstance(source, str):
            part = row.get(source)
        else:
            part, inner = source
        if part is None or inner:
            missing.extend([f"{name}.{m}" for m in inner] or [name])
        if part is not None:
            known += part
    return known, missing
