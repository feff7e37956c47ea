"""The strict reader of one rule file (docs/rule-files.md): every fault fails with file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from yaml.nodes import MappingNode, Node, ScalarNode

from jpimport.rules import shapes
from jpimport.rules.model import (
    Bracket,
    Citation,
    Ending,
    Parameter,
    ParameterValue,
    TableKey,
    Value,
)
from jpimport.rules.nodes import Pairs, Reader, is_null, join, shown
from jpimport.rules.schema import (
    CITATION_KEYS,
    KINDS,
    SOURCE_KINDS,
    STATUSES,
    TOP_KEYS,
    TOP_REQUIRED,
    UNITS,
    VALUE_KEYS,
    Kind,
    SourceKind,
    Status,
)

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class _Meta:
    """What every dated value of one file shares: name, unit, kind, reads and allowed keys."""

    name: str
    unit: str
    kind: Kind
    reads: str | None
    keys: tuple[TableKey, ...] | None


def load_parameter(path: Path, name: str, display: str | None = None) -> Parameter:
    """Read and check one rule file; errors show ``display``, else the path from the cwd."""
    reader = Reader(path, display)
    return parse_parameter(path.read_bytes(), name=name, path=path, reader=reader)


def parse_parameter(text: bytes, *, name: str, path: Path, reader: Reader) -> Parameter:
    """Check a rule file's text against the format and build its Parameter."""
    root = reader.compose(text)
    if root is None:
        reader.fail(None, "the file is empty")
    if not isinstance(root, MappingNode):
        reader.fail(
            root, f"the file must be a mapping (title, unit, values, ...), got {shown(root)}"
        )
    top = reader.mapping(root, "")
    reader.check_keys(top, root, "", TOP_KEYS, TOP_REQUIRED)
    title = reader.text(top["title"][1], "title")
    title_ja = reader.text(top["title_ja"][1], "title_ja")
    description = reader.text(top["description"][1], "description")
    unit_node = top["unit"][1]
    unit = reader.choice(unit_node, "unit", UNITS)
    kind = cast(Kind, reader.choice(top["kind"][1], "kind", KINDS))
    if kind in ("range", "brackets") and unit in shapes.NON_NUMERIC_UNITS:
        reader.fail(unit_node, f"unit: kind {kind} needs a numeric unit, not '{unit}'")
    meta = _Meta(name, unit, kind, _reads(reader, top, root, kind), _keys(reader, top, kind))
    last_verified_on = reader.day(top["last_verified_on"][1], "last_verified_on")
    windows, endings = _values(reader, top["values"][1], meta)
    return Parameter(
        name=name,
        title=title,
        title_ja=title_ja,
        description=description,
        unit=unit,
        kind=kind,
        reads=meta.reads,
        keys=meta.keys,
        last_verified_on=last_verified_on,
        path=path,
        windows=tuple(windows),
        endings=tuple(endings),
    )


def _reads(reader: Reader, top: Pairs, root: Node, kind: Kind) -> str | None:
    """``reads``: required for brackets, refused for every other kind."""
    if "reads" not in top:
        if kind == "brackets":
            reader.fail(root, "missing required key 'reads' (kind brackets)")
        return None
    key, node = top["reads"]
    if kind != "brackets":
        reader.fail(key, f"reads: only brackets parameters take 'reads' (kind is {kind})")
    value = reader.text(node, "reads")
    if not _IDENTIFIER.fullmatch(value):
        reader.fail(node, f"reads: '{value}' is not a column name like 'displacement_cc'")
    return value


def _keys(reader: Reader, top: Pairs, kind: Kind) -> tuple[TableKey, ...] | None:
    """``keys``: an optional list of the keys a table may use (tables only)."""
    if "keys" not in top:
        return None
    key, node = top["keys"]
    if kind != "table":
        reader.fail(key, f"keys: only table parameters take 'keys' (kind is {kind})")
    items = reader.sequence(node, "keys")
    if not items:
        reader.fail(node, "keys: must list at least one key")
    seen: list[TableKey] = []
    for item in items:
        value = shapes.table_key(reader, item, "keys")
        if value in seen:
            reader.fail(item, f"keys: duplicate key {value!r}")
        seen.append(value)
    return tuple(seen)


def _values(reader: Reader, node: Node, meta: _Meta) -> tuple[list[ParameterValue], list[Ending]]:
    """The dated values in ascending order, each window ending where the next date starts."""
    pairs = reader.mapping(node, "values")
    if not pairs:
        reader.fail(node, "values: must hold at least one dated value")
    starts: list[tuple[date, ScalarNode, Node]] = []
    for text, (key, value) in pairs.items():
        start = reader.day(key, "values")
        if starts and start <= starts[-1][0]:
            message = f"{text} must come after {starts[-1][0].isoformat()} (dates ascend)"
            reader.fail(key, join("values", message))
        starts.append((start, key, value))
    windows: list[ParameterValue] = []
    endings: list[Ending] = []
    for i, (start, key, value) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else None
        where = f"values {start.isoformat()}"
        dated = _dated(reader, key, value, where, meta, (start, end))
        if isinstance(dated, ParameterValue):
            windows.append(dated)
        elif i == 0:
            reader.fail(key, join(where, "the first dated value cannot be an end (null)"))
        elif endings and endings[-1].start == starts[i - 1][0]:
            message = f"already not in force since {endings[-1].start}; remove this end"
            reader.fail(key, join(where, message))
        else:
            endings.append(dated)
    return windows, endings


def _dated(
    reader: Reader,
    key: ScalarNode,
    node: Node,
    where: str,
    meta: _Meta,
    span: tuple[date, date | None],
) -> ParameterValue | Ending:
    """One dated value: a value in force with its source, or an end (``null``/``value: null``)."""
    start, end = span
    if is_null(node):
        return Ending(start=start, citation=None)
    pairs = reader.mapping(node, where)
    reader.check_keys(pairs, key, where, VALUE_KEYS)
    is_end = "value" in pairs and is_null(pairs["value"][1])
    field = "brackets" if meta.kind == "brackets" else "value"
    if meta.kind == "brackets" and "value" in pairs and not is_end:
        reader.fail(pairs["value"][0], join(where, "kind brackets takes 'brackets', not 'value'"))
    if meta.kind != "brackets" and "brackets" in pairs:
        message = f"'brackets' is only for kind brackets (kind is {meta.kind})"
        reader.fail(pairs["brackets"][0], join(where, message))
    if is_end and "brackets" in pairs:
        reader.fail(pairs["brackets"][0], join(where, "an end (value: null) has no 'brackets'"))
    required = ("citation",) if is_end else (field, "citation", "source_kind", "status")
    reader.check_keys(pairs, key, where, VALUE_KEYS, required)
    citation = citation_of(reader, pairs["citation"], where)
    note = reader.text(pairs["note"][1], join(where, "note")) if "note" in pairs else None
    status = _optional_choice(reader, pairs, "status", where, STATUSES)
    source = _optional_choice(reader, pairs, "source_kind", where, SOURCE_KINDS)
    if is_end:
        return Ending(start=start, citation=citation, status=cast(Status | None, status), note=note)
    value: Value | None = None
    brackets: tuple[Bracket, ...] | None = None
    here = join(where, field)
    if meta.kind == "brackets":
        brackets = shapes.brackets_of(reader, pairs["brackets"][1], here, meta.unit)
    elif meta.kind == "range":
        value = shapes.range_of(reader, pairs["value"][1], here, meta.unit)
    elif meta.kind == "table":
        value = shapes.table_of(reader, pairs["value"][1], here, meta.unit, meta.keys)
    else:
        value = shapes.scalar(reader, pairs["value"][1], here, meta.unit)
    if status == "confirmed" and source != "primary":
        message = (
            f"status confirmed needs source_kind primary (got {source}); a value no primary "
            "source confirms is unconfirmed"
        )
        reader.fail(pairs["status"][0], join(where, message))
    return ParameterValue(
        name=meta.name,
        unit=meta.unit,
        kind=meta.kind,
        start=start,
        end=end,
        value=value,
        brackets=brackets,
        citation=citation,
        source_kind=cast(SourceKind, source),
        status=cast(Status, status),
        note=note,
        reads=meta.reads,
    )


def _optional_choice(
    reader: Reader, pairs: Pairs, key: str, where: str, options: tuple[str, ...]
) -> str | None:
    """A vocabulary value if the key is present."""
    if key not in pairs:
        return None
    return reader.choice(pairs[key][1], join(where, key), options)


def citation_of(reader: Reader, pair: tuple[ScalarNode, Node], where: str) -> Citation:
    """A citation: title and an http(s) url required, article optional."""
    key, node = pair
    here = join(where, "citation")
    if not isinstance(node, MappingNode):
        reader.fail(node, f"{here} must be a mapping with title and url, got {shown(node)}")
    pairs = reader.mapping(node, here)
    reader.check_keys(pairs, node, here, CITATION_KEYS)
    for name in ("title", "url"):
        if name not in pairs:
            reader.fail(key, f"{here} is missing '{name}'")
    title = reader.text(pairs["title"][1], join(here, "title"))
    url = reader.text(pairs["url"][1], join(here, "url"))
    if not url.startswith(("http://", "https://")) or len(url) <= len("https://"):
        message = f"url must start with http:// or https://, got {url!r}"
        reader.fail(pairs["url"][1], join(here, message))
    article = None
    if "article" in pairs:
        article = reader.text(pairs["article"][1], join(here, "article"))
    return Citation(title, url, article)
