"""Check the shape of a dated value (number, range, brackets, table) against its unit."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import cast

from yaml.nodes import MappingNode, Node, ScalarNode

from jpimport.rules.model import Bracket, Entry, Number, Range, TableKey
from jpimport.rules.nodes import Reader, is_null, join, shown
from jpimport.rules.schema import BRACKET_KEYS, INTEGER_UNITS, RANGE_KEYS

NON_NUMERIC_UNITS = ("bool", "text")


def scalar(reader: Reader, node: Node, where: str, unit: str) -> int | float | bool | str:
    """A ``scalar`` value: a number, a boolean or a string, as the unit says."""
    if not isinstance(node, ScalarNode):
        reader.fail(node, join(where, f"must be a single value (kind scalar), got {shown(node)}"))
    entry = entry_of(reader, node, where, unit)
    assert not isinstance(entry, Range)
    return entry


def entry_of(reader: Reader, node: Node, where: str, unit: str) -> Entry:
    """A value that fits the unit: bool for 'bool', string for 'text', else a number or range."""
    if isinstance(node, MappingNode) and unit not in NON_NUMERIC_UNITS:
        return range_of(reader, node, where, unit)
    if unit == "bool":
        value = reader.plain(node, where)
        if not isinstance(value, bool):
            reader.fail(node, join(where, f"must be true or false (unit bool), got {shown(node)}"))
        return value
    if unit == "text":
        if not isinstance(reader.plain(node, where), str):
            reader.fail(node, join(where, f"must be a string (unit text), got {shown(node)}"))
        return reader.text(node, where)
    return number(reader, node, where, unit)


def number(reader: Reader, node: Node, where: str, unit: str) -> Number:
    """A finite number; an integer for whole units such as yen (a boolean is never a number)."""
    whole = unit in INTEGER_UNITS
    value = reader.plain(node, where) if isinstance(node, ScalarNode) else None
    if isinstance(value, float) and not math.isfinite(value):
        reader.fail(node, join(where, f"must be a finite number, got {value}"))
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or (whole and not isinstance(value, int)):
        wanted = "an integer" if whole else "a number"
        reader.fail(node, join(where, f"must be {wanted} (unit {unit}), got {shown(node)}"))
    return cast(Number, value)


def range_of(reader: Reader, node: Node, where: str, unit: str) -> Range:
    """``{low, typical, high}`` with low <= typical <= high."""
    pairs = reader.mapping(node, where)
    reader.check_keys(pairs, node, where, RANGE_KEYS, RANGE_KEYS)
    low, typical, high = (number(reader, pairs[k][1], join(where, k), unit) for k in RANGE_KEYS)
    if not low <= typical <= high:
        message = f"low {low}, typical {typical}, high {high}: need low <= typical <= high"
        reader.fail(node, join(where, message))
    return Range(low, typical, high)


def brackets_of(reader: Reader, node: Node, where: str, unit: str) -> tuple[Bracket, ...]:
    """Ascending ``{up_to, value}`` steps, the last one open (``up_to: null``)."""
    items = reader.sequence(node, where)
    if not items:
        reader.fail(node, join(where, "must hold at least one bracket"))
    out: list[Bracket] = []
    for i, item in enumerate(items, start=1):
        here = join(where, f"bracket {i}")
        pairs = reader.mapping(item, here)
        reader.check_keys(pairs, item, here, BRACKET_KEYS, ("up_to", "value"))
        if out and out[-1].up_to is None:
            message = f"bracket {i - 1}: only the last bracket may have up_to: null"
            reader.fail(items[i - 2], join(where, message))
        bound_node = pairs["up_to"][1]
        up_to = None if is_null(bound_node) else _bound(reader, bound_node, join(here, "up_to"))
        previous = out[-1].up_to if out else None
        if up_to is not None and previous is not None and up_to <= previous:
            message = f"up_to {up_to} must be above the previous up_to {previous} (bounds ascend)"
            reader.fail(bound_node, join(here, message))
        value = entry_of(reader, pairs["value"][1], join(here, "value"), unit)
        assert not isinstance(value, bool | str)  # numeric units only (checked with the kind)
        out.append(Bracket(up_to, value))
    if out[-1].up_to is not None:
        reader.fail(items[-1], join(where, "the last bracket must have up_to: null (no bound)"))
    _same_shape(reader, items, where, [b.value for b in out])
    return tuple(out)


def table_of(
    reader: Reader, node: Node, where: str, unit: str, allowed: Sequence[TableKey] | None
) -> Mapping[TableKey, Entry]:
    """A read-only mapping from string or integer keys (one type per table) to values."""
    pairs = reader.mapping(node, where)
    if not pairs:
        reader.fail(node, join(where, "must hold at least one entry"))
    out: dict[TableKey, Entry] = {}
    for key_node, value_node in pairs.values():
        key = table_key(reader, key_node, where)
        if out and type(key) is not type(next(iter(out))):
            message = f"key {key!r}: keys must be all strings or all integers"
            reader.fail(key_node, join(where, message))
        if key in out:
            reader.fail(key_node, join(where, f"duplicate key {key!r}"))
        if allowed is not None and key not in allowed:
            reader.fail(key_node, join(where, f"key {key!r} is not among the file's keys"))
        out[key] = entry_of(reader, value_node, join(where, str(key)), unit)
    _same_shape(reader, [v for _, v in pairs.values()], where, list(out.values()))
    return MappingProxyType(out)


def table_key(reader: Reader, node: Node, where: str) -> TableKey:
    """A table key: a string or an integer (quote a key such as ``no`` that YAML reads as bool)."""
    value = reader.plain(node, where) if isinstance(node, ScalarNode) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        hint = " (quote it to make it a string)" if isinstance(value, bool | float) else ""
        reader.fail(node, join(where, f"keys must be strings or integers, got {shown(node)}{hint}"))
    return value


def _bound(reader: Reader, node: Node, where: str) -> Number:
    """A bracket bound: a finite number (in the unit of the quantity ``reads`` names)."""
    value = reader.plain(node, where) if isinstance(node, ScalarNode) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        reader.fail(node, join(where, f"must be a number or null, got {shown(node)}"))
    return value


def _same_shape(reader: Reader, nodes: Sequence[Node], where: str, values: list[Entry]) -> None:
    """Refuse a mix of ranges and plain values, so a lookup yields one column type."""
    first = isinstance(values[0], Range)
    for node, value in zip(nodes, values, strict=True):
        if isinstance(value, Range) != first:
            message = "mixes ranges and plain values; use one or the other"
            reader.fail(node, join(where, message))
