"""Why each amount: the parameters, inputs and compliance rules behind every yen in ``costs``.

Built for one assessed row from what the stages recorded while building their plans
(``StageContext.feeds``: the parameters read for a column; ``links``: the columns a column is
computed from), so a batch does no per-row work for it. An amount's parameters are those read
for it and for every column it is computed from, so a total's are the union of its parts'.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from typing import Any

from jpimport.rules.compliance import bundled_entries
from jpimport.stages.context import StageContext
from jpimport.stages.pathways_routes import FIXED_COST, UNIT_COST

#: The compliance columns the modification amounts come from.
MODIFICATION_COLUMNS = frozenset(
    {"modifications_low_jpy", "modifications_jpy", "modifications_high_jpy"}
)


class _Marker:
    """Stands for a row column in a probe of ``to_json``: tells which column a key shows."""

    def __init__(self, column: str) -> None:
        self.column = column

    def __iter__(self) -> Iterator[_Marker]:
        """A list built from the value holds the marker itself (``list(row.get(c) or [])``)."""
        yield self


class _ProbeRow(dict[str, Any]):
    """A row whose every column reads as a marker naming the column."""

    def get(self, key: str, default: Any = None) -> Any:
        return _Marker(key)

    def __getitem__(self, key: str) -> Any:
        return _Marker(key)


@functools.cache
def amount_columns() -> dict[str, str]:
    """Each amount of the ``costs`` document (dotted path) → the row column it shows.

    Amounts are the values under keys ending ``_jpy`` (and inside such keys' mappings), found
    by running the costs stage's own ``to_json`` over a probe row, so the map follows it.
    """
    from jpimport.stages import costs

    found: dict[str, str] = {}

    def walk(node: Mapping[str, Any], prefix: str, in_amount: bool) -> None:
        for key, value in node.items():
            path, amount = f"{prefix}.{key}", in_amount or key.endswith("_jpy")
            if isinstance(value, Mapping):
                walk(value, path, amount)
            elif amount and isinstance(value, _Marker):
                found[path] = value.column
            elif amount and isinstance(value, list) and value and isinstance(value[0], _Marker):
                found[path] = value[0].column

    walk(costs.to_json(_ProbeRow()).get("costs", {}), "costs", False)
    return found


def _at(document: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of the document (None when absent)."""
    node: Any = document
    for key in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _plain(value: Any) -> Any:
    """A JSON-ready input value."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _reach(ctx: StageContext, column: str, row: Mapping[str, Any]) -> set[str]:
    """``column`` and every column it is computed from, transitively.

    A route-cost column leads to the recorded costs of the row's recommended route.
    """
    route = row.get("recommended_pathway")
    chosen = {c: {f"{c}@{route}"} for c in (FIXED_COST, UNIT_COST)} if route else {}
    seen: set[str] = set()
    todo = [column]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(ctx.links.get(current, ()))
            todo.extend(chosen.get(current, ()))
    return seen


def _nearest_amounts(ctx: StageContext, column: str, path_of: Mapping[str, str]) -> list[str]:
    """The amounts ``column`` is directly computed from (through unnamed intermediate columns)."""
    found: set[str] = set()
    seen = {column}
    todo = list(ctx.links.get(column, ()))
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in path_of:
            found.add(path_of[current])
        else:
            todo.extend(ctx.links.get(current, ()))
    return sorted(found)


def _modification_rules(
    row: Mapping[str, Any], used: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """The compliance rules whose modifications were costed on the recommended route, and the
    trace entries behind them (the rule and its cost parameter)."""
    route = row.get("recommended_pathway")
    rules = [
        str(f["rule"])
        for f in row.get("findings") or []
        if f.get("pathway") == route and f.get("outcome") == "modify"
    ]
    entries = {r.id: r for r in bundled_entries()}
    names = []
    for rule_id in rules:
        names.append(f"compliance.{rule_id}")
        entry = entries.get(rule_id)
        outcome = entry.routes.get(str(route)) if entry is not None else None
        if outcome is not None and outcome.cost:
            names.append(outcome.cost)
    return rules, [n for n in names if n in used]


def _applied(parameter: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any] | None:
    """The table row or bracket used for this vehicle, where cheaply told: a table keyed by one
    of its inputs' values, or a bracket list (``up_to``) over a number input the parameter's name
    mentions (``passenger_by_displacement`` → ``displacement_cc``)."""
    table = parameter.get("value")
    if isinstance(table, Mapping):
        for column, value in inputs.items():
            if isinstance(value, str) and value in table:
                return {"column": column, "key": value, "entry": table[value]}
    if isinstance(table, list) and table and all(isinstance(b, Mapping) for b in table):
        name = str(parameter.get("name", ""))
        for column, value in inputs.items():
            stem = column.rsplit("_", 1)[0]
            if isinstance(value, int | float) and not isinstance(value, bool) and stem in name:
                for bracket in table:
                    top = bracket.get("up_to")
                    if top is None or value <= top:
                        return {"column": column, "key": value, "entry": dict(bracket)}
    return None


def explanations(row: Mapping[str, Any], ctx: StageContext) -> dict[str, dict[str, Any]]:
    """Amount path → its value, parameters (names in the trace), inputs, rules and applied rows.

    ``inputs`` are the row's columns the amount is computed from that no cost plan makes (the
    vehicle, the options and earlier stages' results), with this vehicle's values; ``amounts``
    are the other amounts it is computed from.
    """
    from jpimport.stages import costs

    document = costs.to_json(row).get("costs", {})
    columns = amount_columns()
    path_of: dict[str, str] = {}
    for path, column in columns.items():
        path_of.setdefault(column, path)
    out: dict[str, dict[str, Any]] = {}
    for path, column in columns.items():
        reached = _reach(ctx, column, row)
        names = {n for c in reached for n in ctx.feeds.get(c, ())}
        absent = sorted({n for c in reached for n in ctx.absent_for.get(c, ())})
        inputs = {
            c: _plain(row.get(c))
            for c in sorted(reached)
            if c not in ctx.links and c in row and not c.startswith("_")
        }
        rules: list[str] = []
        if reached & MODIFICATION_COLUMNS:
            rules, behind = _modification_rules(row, ctx.used)
            names.update(behind)
        parameters = sorted(n for n in names if n in ctx.used)
        applied = {
            n: found for n in parameters if (found := _applied(ctx.used[n], inputs)) is not None
        }
        out[path] = {
            "value_jpy": _plain(_at({"costs": document}, path)),
            "column": column,
            "parameters": parameters,
            "inputs": inputs,
            "rules": rules,
            "not_in_force": {n: ctx.not_in_force.get(n, "not in force") for n in absent},
            "amounts": _nearest_amounts(ctx, column, path_of),
            "applied": applied,
        }
    return out


def with_used_for(
    trace: list[dict[str, Any]], explained: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The trace entries (copied), each with ``used_for``: the amount paths it fed."""
    fed: dict[str, list[str]] = {}
    for path, entry in explained.items():
        for name in entry["parameters"]:
            fed.setdefault(name, []).append(path)
    return [{**t, "used_for": sorted(fed.get(str(t.get("name")), []))} for t in trace]
