"""Compliance rule entries: strict loading of one YAML file per Japanese requirement.

An entry, ``rules/compliance_entries/<id>.yaml``, says which vehicle attributes a requirement
reads, when it applies, when a vehicle fails it and what a failure means on each certification
route. Every fault fails loading with the file and the line, as the parameter loader does.

Keys (required unless marked optional)::

    id: rear_turn_signal_color          # = the file name; lower_snake_case
    title_en: ...                       # English and Japanese titles
    title_ja: ...
    description: ...                    # what and why
    citation: {title: ..., url: https://..., article: ...}   # article optional
    source_kind: primary | secondary | weak
    status: confirmed | unconfirmed | estimate
    last_verified_on: 2026-11-21
    reads: [rear_turn_signal_color]     # vehicle, stage or proposed columns; may be []
    applies_to:                         # optional: which vehicles the rule covers
      when: <condition>
      text: passenger cars under 10 seats ...
    window:                             # optional: when it applies
      compare: manufacture              # or registration (the as-of date is the first one)
      new_models_from: 2020-04-01       # optional; defaults to continuing_from
      continuing_from: 2021-10-01       # registration windows take registered_from instead
      status: unconfirmed               # optional: the dates' own status
      note: ...                         # optional
    fails_when: <condition> | always    # when the vehicle, as built, does not meet it
    pass_reason: ...                    # optional
    routes:                             # an outcome for every route, by name or default
      default: {on_fail: modify, modification: ..., cost: compliance.costs.x, reason: ...}
      us_certified: {on_fail: advisory, reason: ...}

A condition is ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}`` or ``{column: <name>, <op>:
<value>}`` with one op of is, is_not, in, not_in (a list), above, at_least, below, at_most (a
number or ``{param: dotted.name}``); the column must be in ``reads`` and the value must fit it.
``on_fail`` is pass (deemed met), modify (needs ``modification`` and ``cost``, a range
parameter), advisory, block or unknown (needs ``missing``, the data that would settle it).
How findings are decided, and which date meets the window: ``jpimport.stages.compliance_eval``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, TypeAlias, cast

from yaml.nodes import MappingNode, Node, ScalarNode

from jpimport.errors import RuleFileError
from jpimport.rules.loader import citation_of
from jpimport.rules.model import Citation
from jpimport.rules.nodes import Pairs, Reader, display_path, join, shown
from jpimport.rules.schema import SOURCE_KINDS, STATUSES, SourceKind, Status
from jpimport.vehicles.schema import BY_NAME

ENTRIES_DIR = Path(__file__).resolve().parent / "compliance_entries"

#: Certification routes an entry gives outcomes for, in the order reports list them.
ROUTES: tuple[str, ...] = ("us_certified", "php", "type_designation", "parallel")
Outcome = Literal["pass", "modify", "advisory", "block", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("pass", "modify", "advisory", "block", "unknown")

#: Columns earlier stages add that entries may read, with their kinds.
STAGE_COLUMNS: dict[str, str] = {
    "size_class": "str",
    "use": "str",
    "plate_class": "int",
    "declared_payload_used_kg": "int",
    "jp_gross_weight_kg": "int",
}
#: Attributes the vehicle schema does not have yet; entries reading them give ``unknown``.
PROPOSED_COLUMNS: dict[str, str] = {
    "side_turn_repeaters": "bool",
    "direct_vision_compliant": "bool",
    "pedestrian_protection_evidence": "bool",
}

_TOP_KEYS = frozenset(
    {"id", "title_en", "title_ja", "description", "citation", "source_kind", "status"}
    | {"last_verified_on", "reads", "applies_to", "window", "fails_when", "pass_reason"}
    | {"routes"}
)
_TOP_REQUIRED = (
    "id",
    "title_en",
    "title_ja",
    "description",
    "citation",
    "source_kind",
    "status",
    "last_verified_on",
    "reads",
    "fails_when",
    "routes",
)
_WINDOW_KEYS = frozenset(
    {"compare", "new_models_from", "continuing_from", "registered_from", "status", "note"}
)
_ROUTE_KEYS = frozenset({"on_fail", "reason", "modification", "cost", "missing"})
_COMPARE_OPS = ("is", "is_not", "in", "not_in", "above", "at_least", "below", "at_most")
_NUMERIC_OPS = ("above", "at_least", "below", "at_most")
_ID = re.compile(r"[a-z][a-z0-9_]*")
_PARAM = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")

Scalar: TypeAlias = str | int | float | bool


@dataclass(frozen=True)
class ParamRef:
    """A comparison value taken from a scalar rule parameter in force on the as-of date."""

    name: str


@dataclass(frozen=True)
class Compare:
    """``column <op> value``; a null column value makes the comparison unknown."""

    column: str
    op: str
    value: Scalar | tuple[Scalar, ...] | ParamRef


@dataclass(frozen=True)
class AllOf:
    """True when every item is true (unknown items leave it unknown unless one is false)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when one item is true (unknown items leave it unknown unless one is true)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """The negation of a condition (unknown stays unknown)."""

    item: Condition


@dataclass(frozen=True)
class Always:
    """A condition that always holds: the requirement is never met as built."""


Condition: TypeAlias = Compare | AllOf | AnyOf | Not | Always


@dataclass(frozen=True)
class Scope:
    """Which vehicles the rule covers, with the sentence shown when it does not apply."""

    when: Condition
    text: str


@dataclass(frozen=True)
class Window:
    """When the rule applies: by manufacture date (new models / continuing) or registration."""

    compare: Literal["manufacture", "registration"]
    new_models_from: date | None
    continuing_from: date | None
    registered_from: date | None
    status: Status | None
    note: str | None


@dataclass(frozen=True)
class RouteOutcome:
    """What a failed requirement means on one route, and what to change at what cost."""

    on_fail: Outcome
    reason: str | None
    modification: str | None
    cost: str | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ComplianceRule:
    """One requirement of Japanese law or practice, evaluated for every vehicle and route."""

    id: str
    title_en: str
    title_ja: str
    description: str
    citation: Citation
    source_kind: SourceKind
    status: Status
    last_verified_on: date
    reads: tuple[str, ...]
    applies_to: Scope | None
    window: Window | None
    fails_when: Condition
    pass_reason: str | None
    routes: dict[str, RouteOutcome]
    path: Path


def column_kind(name: str) -> str | None:
    """The kind (str, int, float, bool, month) of a column an entry may read; None if unknown."""
    if name in BY_NAME:
        return BY_NAME[name].kind
    return STAGE_COLUMNS.get(name) or PROPOSED_COLUMNS.get(name)


def columns_of(condition: Condition) -> tuple[str, ...]:
    """The columns a condition reads, in first-use order."""
    if isinstance(condition, Compare):
        return (condition.column,)
    if isinstance(condition, AllOf | AnyOf):
        found = (c for item in condition.items for c in columns_of(item))
        return tuple(dict.fromkeys(found))
    if isinstance(condition, Not):
        return columns_of(condition.item)
    return ()


def load_entry(path: Path, display: str | None = None) -> ComplianceRule:
    """Read and check one entry file; ``display`` is the path shown in error messages."""
    reader = Reader(path, display)
    root = reader.compose(path.read_bytes())
    if root is None:
        reader.fail(None, "the file is empty")
    if not isinstance(root, MappingNode):
        reader.fail(root, f"the file must be a mapping (id, title_en, ...), got {shown(root)}")
    top = reader.mapping(root, "")
    reader.check_keys(top, root, "", _TOP_KEYS, _TOP_REQUIRED)
    rule_id = reader.text(top["id"][1], "id")
    if not _ID.fullmatch(rule_id):
        reader.fail(top["id"][1], f"id: '{rule_id}' must be lower_snake_case")
    if rule_id != path.stem:
        reader.fail(top["id"][1], f"id: '{rule_id}' must match the file name '{path.stem}'")
    reads = _reads(reader, top["reads"][1])
    applies_to = _scope(reader, top["applies_to"][1], reads) if "applies_to" in top else None
    return ComplianceRule(
        id=rule_id,
        title_en=reader.text(top["title_en"][1], "title_en"),
        title_ja=reader.text(top["title_ja"][1], "title_ja"),
        description=reader.text(top["description"][1], "description"),
        citation=citation_of(reader, top["citation"], ""),
        source_kind=cast(
            SourceKind, reader.choice(top["source_kind"][1], "source_kind", SOURCE_KINDS)
        ),
        status=cast(Status, reader.choice(top["status"][1], "status", STATUSES)),
        last_verified_on=reader.day(top["last_verified_on"][1], "last_verified_on"),
        reads=reads,
        applies_to=applies_to,
        window=_window(reader, top["window"][1]) if "window" in top else None,
        fails_when=_condition(reader, top["fails_when"][1], "fails_when", reads),
        pass_reason=reader.text(top["pass_reason"][1], "pass_reason")
        if "pass_reason" in top
        else None,
        routes=_routes(reader, top["routes"][1], reads),
        path=path,
    )


def load_entries(directory: Path | None = None) -> tuple[ComplianceRule, ...]:
    """Every ``*.yaml`` entry in a directory (default: the bundled entries), sorted by id."""
    folder = ENTRIES_DIR if directory is None else Path(directory)
    if not folder.is_dir():
        raise RuleFileError(
            "the compliance entry directory does not exist", path=display_path(folder)
        )
    for stray in sorted(folder.glob("*.yml")):
        raise RuleFileError("compliance entries end in .yaml, not .yml", path=display_path(stray))
    return tuple(load_entry(p) for p in sorted(folder.glob("*.yaml")))


@functools.lru_cache(maxsize=1)
def bundled_entries() -> tuple[ComplianceRule, ...]:
    """The bundled compliance entries, parsed once per process."""
    return load_entries()


def _reads(reader: Reader, node: Node) -> tuple[str, ...]:
    """``reads``: the known columns the entry looks at, each once."""
    items = reader.sequence(node, "reads")
    names: list[str] = []
    for item in items:
        name = reader.text(item, "reads")
        if column_kind(name) is None:
            reader.fail(item, f"reads: '{name}' is not a vehicle or stage column")
        if name in names:
            reader.fail(item, f"reads: '{name}' is listed twice")
        names.append(name)
    return tuple(names)


def _scope(reader: Reader, node: Node, reads: tuple[str, ...]) -> Scope:
    """``applies_to``: a condition (``when``) and the sentence shown when it is false."""
    pairs = reader.mapping(node, "applies_to")
    reader.check_keys(pairs, node, "applies_to", ("when", "text"), ("when", "text"))
    when = _condition(reader, pairs["when"][1], "applies_to: when", reads)
    return Scope(when=when, text=reader.text(pairs["text"][1], "applies_to: text"))


def _condition(reader: Reader, node: Node, where: str, reads: tuple[str, ...]) -> Condition:
    """A condition: ``always``, ``{all|any: [...]}``, ``{not: ...}`` or a column comparison."""
    if isinstance(node, ScalarNode):
        if reader.plain(node, where) == "always":
            return Always()
        reader.fail(node, join(where, f"must be 'always' or a mapping, got {shown(node)}"))
    pairs = reader.mapping(node, where)
    for group, make in (("all", AllOf), ("any", AnyOf)):
        if group in pairs:
            reader.check_keys(pairs, node, where, (group,))
            items = reader.sequence(pairs[group][1], join(where, group))
            if len(items) < 2:
                reader.fail(pairs[group][1], join(where, f"{group}: needs at least two conditions"))
            inner = join(where, group)
            return make(tuple(_condition(reader, i, inner, reads) for i in items))
    if "not" in pairs:
        reader.check_keys(pairs, node, where, ("not",))
        return Not(_condition(reader, pairs["not"][1], join(where, "not"), reads))
    return _compare(reader, node, pairs, where, reads)


def _compare(
    reader: Reader, node: Node, pairs: Pairs, where: str, reads: tuple[str, ...]
) -> Compare:
    """``{column: name, <op>: value}``: exactly one operator, value checked against the column."""
    allowed = ("column", *_COMPARE_OPS)
    reader.check_keys(pairs, node, where, allowed, ("column",))
    ops = [k for k in pairs if k != "column"]
    if len(ops) != 1:
        reader.fail(node, join(where, f"needs exactly one of {', '.join(_COMPARE_OPS)}"))
    column = reader.text(pairs["column"][1], join(where, "column"))
    if column not in reads:
        reader.fail(pairs["column"][1], join(where, f"column '{column}' is not listed in reads"))
    op = ops[0]
    here = join(where, op)
    value_node = pairs[op][1]
    kind = column_kind(column) or "str"
    if op in _NUMERIC_OPS:
        if kind not in ("int", "float"):
            reader.fail(
                pairs[op][0], join(where, f"{op} needs a numeric column; '{column}' is {kind}")
            )
        if isinstance(value_node, MappingNode):
            return Compare(column, op, _param_ref(reader, value_node, here))
        return Compare(column, op, _value(reader, value_node, here, column, kind))
    if op in ("in", "not_in"):
        items = reader.sequence(value_node, here)
        if not items:
            reader.fail(value_node, join(here, "must list at least one value"))
        values = tuple(_value(reader, i, here, column, kind) for i in items)
        return Compare(column, op, values)
    return Compare(column, op, _value(reader, value_node, here, column, kind))


def _param_ref(reader: Reader, node: MappingNode, where: str) -> ParamRef:
    """``{param: dotted.name}``: a scalar parameter looked up as of the assessment date."""
    pairs = reader.mapping(node, where)
    reader.check_keys(pairs, node, where, ("param",), ("param",))
    name = reader.text(pairs["param"][1], join(where, "param"))
    if not _PARAM.fullmatch(name):
        reader.fail(pairs["param"][1], join(where, f"'{name}' is not a dotted parameter name"))
    return ParamRef(name)


def _value(reader: Reader, node: Node, where: str, column: str, kind: str) -> Scalar:
    """A literal that fits the column: its allowed choices, a number or a boolean."""
    value = reader.plain(node, where)
    if value is None:
        reader.fail(
            node, join(where, "must not be null (missing values give unknown by themselves)")
        )
    fits = {
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
    }.get(kind, isinstance(value, str))
    if not fits:
        reader.fail(node, join(where, f"{shown(node)} does not fit column '{column}' ({kind})"))
    choices = BY_NAME[column].choices if column in BY_NAME else None
    if choices is not None and value not in choices:
        reader.fail(node, join(where, f"'{value}' is not one of {', '.join(choices)}"))
    return value


def _window(reader: Reader, node: Node) -> Window:
    """``window``: manufacture dates (new models, continuing production) or a registration date."""
    pairs = reader.mapping(node, "window")
    reader.check_keys(pairs, node, "window", _WINDOW_KEYS, ("compare",))
    compare = reader.choice(pairs["compare"][1], "window: compare", ("manufacture", "registration"))
    days = {k: reader.day(pairs[k][1], f"window: {k}") for k in pairs if k.endswith("_from")}
    if compare == "manufacture":
        if "registered_from" in days:
            reader.fail(
                pairs["registered_from"][0], "window: registered_from needs compare: registration"
            )
        if "continuing_from" not in days:
            reader.fail(
                node, "window: missing required key 'continuing_from' (compare: manufacture)"
            )
        new = days.get("new_models_from", days["continuing_from"])
        if new > days["continuing_from"]:
            reader.fail(
                pairs["new_models_from"][1],
                "window: new_models_from must not be after continuing_from",
            )
    else:
        wrong = [k for k in ("new_models_from", "continuing_from") if k in days]
        if wrong:
            reader.fail(pairs[wrong[0]][0], f"window: {wrong[0]} needs compare: manufacture")
        if "registered_from" not in days:
            reader.fail(
                node, "window: missing required key 'registered_from' (compare: registration)"
            )
    status = (
        reader.choice(pairs["status"][1], "window: status", STATUSES) if "status" in pairs else None
    )
    return Window(
        compare=cast(Literal["manufacture", "registration"], compare),
        new_models_from=days.get("new_models_from", days.get("continuing_from")),
        continuing_from=days.get("continuing_from"),
        registered_from=days.get("registered_from"),
        status=cast(Status | None, status),
        note=reader.text(pairs["note"][1], "window: note") if "note" in pairs else None,
    )


def _routes(reader: Reader, node: Node, reads: tuple[str, ...]) -> dict[str, RouteOutcome]:
    """``routes``: an outcome for every route, given by name or by ``default``."""
    pairs = reader.mapping(node, "routes")
    reader.check_keys(pairs, node, "routes", ("default", *ROUTES))
    given = {
        name: _route(reader, value, f"routes: {name}", reads) for name, (_, value) in pairs.items()
    }
    out: dict[str, RouteOutcome] = {}
    for route in ROUTES:
        found = given.get(route, given.get("default"))
        if found is None:
            reader.fail(node, f"routes: no outcome for '{route}' (give it or a default)")
        out[route] = found
    return out


def _route(reader: Reader, node: Node, where: str, reads: tuple[str, ...]) -> RouteOutcome:
    """One route's outcome when the requirement fails; modify needs a modification and a cost."""
    pairs = reader.mapping(node, where)
    reader.check_keys(pairs, node, where, _ROUTE_KEYS, ("on_fail",))
    on_fail = cast(Outcome, reader.choice(pairs["on_fail"][1], join(where, "on_fail"), OUTCOMES))
    text = {
        k: reader.text(pairs[k][1], join(where, k))
        for k in ("reason", "modification")
        if k in pairs
    }
    cost = None
    if "cost" in pairs:
        cost = reader.text(pairs["cost"][1], join(where, "cost"))
        if not _PARAM.fullmatch(cost):
            reader.fail(
                pairs["cost"][1], join(where, f"cost: '{cost}' is not a dotted parameter name")
            )
        if on_fail in ("pass", "block"):
            reader.fail(pairs["cost"][0], join(where, f"cost: an outcome '{on_fail}' has no cost"))
    if on_fail == "modify":
        for key in ("modification", "cost"):
            if key not in pairs:
                reader.fail(node, join(where, f"missing required key '{key}' (on_fail: modify)"))
    missing: tuple[str, ...] = ()
    if "missing" in pairs:
        if on_fail != "unknown":
            reader.fail(
                pairs["missing"][0],
                join(where, "missing: only on_fail: unknown names missing data"),
            )
        items = reader.sequence(pairs["missing"][1], join(where, "missing"))
        missing = tuple(reader.text(i, join(where, "missing")) for i in items)
    elif on_fail == "unknown":
        reader.fail(node, join(where, "missing required key 'missing' (on_fail: unknown)"))
    return RouteOutcome(on_fail, text.get("reason"), text.get("modification"), cost, missing)
