"""Read YAML as nodes (with line numbers) and turn them into checked Python values or errors."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jpimport.errors import RuleFileError

try:  # the C parser (libyaml) is several times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_T = "tag:yaml.org,2002:"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONSTRUCT = yaml.constructor.SafeConstructor()

Plain = int | float | bool | str | None
Pairs = dict[str, tuple[ScalarNode, Node]]


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def line_of(node: Node) -> int:
    """The 1-based line where a node starts."""
    return int(node.start_mark.line) + 1


def join(where: str, what: str) -> str:
    """Prefix a message with its place in the file, e.g. 'values 2019-10-01: citation'."""
    return f"{where}: {what}" if where else what


class Reader:
    """Raises RuleFileError for one file; every check names the line of the offending node."""

    def __init__(self, path: Path, display: str | None = None) -> None:
        self.path = path
        self.display = display

    def fail(self, node: Node | None, message: str) -> NoReturn:
        """Stop loading with the file, the node's line and the message."""
        self.fail_at(None if node is None else line_of(node), message)

    def fail_at(self, line: int | None, message: str) -> NoReturn:
        """Stop loading with the file, a line number (if known) and the message."""
        shown = self.display if self.display is not None else display_path(self.path)
        raise RuleFileError(message, path=shown, line=line)

    def compose(self, text: bytes) -> Node | None:
        """Parse one YAML document into nodes; a syntax error names its line."""
        try:
            return yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = error.problem or "cannot parse"
            if error.context:
                at = error.context_mark
                where = "" if at is None else f" (line {int(at.line) + 1})"
                message = f"{error.context}{where}: {message}"
            line = None if mark is None else int(mark.line) + 1
        except yaml.YAMLError as error:
            message, line = str(error), None
        self.fail_at(line, f"invalid YAML: {message}")

    def mapping(self, node: Node, where: str) -> Pairs:
        """A mapping's pairs by key text; duplicate or non-scalar keys fail."""
        if not isinstance(node, MappingNode):
            self.fail(node, join(where, f"must be a mapping, got {shown(node)}"))
        pairs: Pairs = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag == _T + "merge":
                self.fail(key, join(where, "keys must be plain scalars (no '<<' merges)"))
            first = pairs.get(key.value)
            if first is not None:
                message = f"duplicate key '{key.value}' (first at line {line_of(first[0])})"
                self.fail(key, join(where, message))
            pairs[key.value] = (key, value)
        return pairs

    def check_keys(
        self,
        pairs: Pairs,
        owner: Node,
        where: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> None:
        """Fail on a key not in ``allowed`` (suggesting a close one) or a missing required key."""
        allowed = sorted(allowed)
        for text, (key, _) in pairs.items():
            if text not in allowed:
                hint = suggest(text, allowed) or f" (allowed: {', '.join(allowed)})"
                self.fail(key, join(where, f"unknown key '{text}'{hint}"))
        for name in required:
            if name not in pairs:
                self.fail(owner, join(where, f"missing required key '{name}'"))

    def sequence(self, node: Node, where: str) -> list[Node]:
        """A list's items."""
        if not isinstance(node, SequenceNode):
            self.fail(node, join(where, f"must be a list, got {shown(node)}"))
        return list(node.value)

    def plain(self, node: Node, where: str) -> Plain:
        """A scalar as Python: None, bool, int, float or str (dates and other tags fail)."""
        if not isinstance(node, ScalarNode):
            self.fail(node, join(where, f"must be a single value, got {shown(node)}"))
        tag = node.tag
        if tag == _T + "str":
            return str(node.value)
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            return bool(_CONSTRUCT.construct_yaml_bool(node))
        if tag == _T + "int":
            return int(_CONSTRUCT.construct_yaml_int(node))
        if tag == _T + "float":
            return float(_CONSTRUCT.construct_yaml_float(node))
        self.fail(node, join(where, f"unexpected {shown(node)}"))

    def text(self, node: Node, where: str) -> str:
        """A non-empty string (surrounding whitespace removed)."""
        if not isinstance(node, ScalarNode) or node.tag != _T + "str":
            self.fail(node, join(where, f"must be a string, got {shown(node)}"))
        value = str(node.value)
        if not value.strip():
            self.fail(node, join(where, "must not be empty"))
        return value.strip()

    def day(self, node: Node, where: str) -> date:
        """An ISO date YYYY-MM-DD, checked to exist in the calendar."""
        raw = node.value if isinstance(node, ScalarNode) else None
        if not isinstance(raw, str) or not _DATE.fullmatch(raw):
            self.fail(node, join(where, f"must be a date YYYY-MM-DD, got {shown(node)}"))
        try:
            return date.fromisoformat(raw)
        except ValueError as error:
            self.fail(node, join(where, f"'{raw}' is not a valid date ({error})"))

    def choice(self, node: Node, where: str, options: Iterable[str]) -> str:
        """A string out of a fixed vocabulary; an unknown one suggests the closest."""
        value = self.text(node, where)
        options = list(options)
        if value not in options:
            hint = suggest(value, options) or f" (allowed: {', '.join(options)})"
            self.fail(node, join(where, f"unknown value '{value}'{hint}"))
        return value


def is_null(node: Node) -> bool:
    """Whether a node is YAML null (``null``, ``~`` or nothing)."""
    return isinstance(node, ScalarNode) and node.tag == _T + "null"


def describe(node: Node) -> str:
    """A node's YAML type in words, for messages ('string', 'boolean', 'mapping', ...)."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    names = {
        "str": "string",
        "int": "integer",
        "float": "number",
        "bool": "boolean",
        "null": "null",
        "timestamp": "date",
    }
    tag = str(node.tag)
    short = tag.removeprefix(_T)
    if short == "timestamp" and not _DATE.fullmatch(str(node.value)):
        return "date-time"
    return names.get(short, f"tag {tag}")


def shown(node: Node) -> str:
    """A node's type and, for a scalar, its text: "string '0.1'", 'a mapping'."""
    if isinstance(node, ScalarNode) and node.tag != _T + "null":
        return f"{describe(node)} {node.value!r}"
    return describe(node)


def suggest(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a close option, else ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
