"""The rule store: every parameter of a rule tree by dotted name, loaded once per process."""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from jpimport.errors import RuleFileError, UnknownRuleError
from jpimport.rules.loader import load_parameter
from jpimport.rules.model import Parameter
from jpimport.rules.nodes import display_path

DATA_DIR = Path(__file__).resolve().parent / "data"
_PART = re.compile(r"[a-z][a-z0-9_]*")


class RuleStore:
    """Parameters by dotted name (``taxes.automobile_tax.passenger_by_displacement``)."""

    def __init__(self, parameters: Mapping[str, Parameter], root: Path | None = None) -> None:
        self._parameters = dict(sorted(parameters.items()))
        self.root = root

    def parameter(self, name: str) -> Parameter:
        """The parameter of that name; an unknown name suggests close ones."""
        found = self._parameters.get(name)
        if found is not None:
            return found
        inside = self.under(name)
        if inside:
            listed = ", ".join(p.name for p in inside[:5]) + (", ..." if len(inside) > 5 else "")
            raise UnknownRuleError(f"'{name}' is a folder of rules, not a parameter: {listed}")
        close = difflib.get_close_matches(name, self._parameters, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownRuleError(f"no rule parameter named '{name}'{hint}")

    def names(self) -> tuple[str, ...]:
        """Every parameter name, sorted."""
        return tuple(self._parameters)

    def under(self, prefix: str) -> tuple[Parameter, ...]:
        """The parameters named ``prefix`` or inside it (``taxes`` holds ``taxes.x.y``)."""
        stem = prefix.rstrip(".")
        return tuple(
            p for n, p in self._parameters.items() if n == stem or n.startswith(stem + ".")
        )

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    def __repr__(self) -> str:
        return f"RuleStore({len(self)} parameters from {self.root})"


def load_rule_tree(path: str | Path) -> RuleStore:
    """Load every ``*.yaml`` under ``path``; a file's path below it is its dotted name."""
    root = Path(path)
    if not root.is_dir():
        raise RuleFileError("the rule directory does not exist", path=display_path(root))
    parameters: dict[str, Parameter] = {}
    for file in _rule_files(root):
        parts = file.relative_to(root).with_suffix("").parts
        for part in parts:
            if not _PART.fullmatch(part):
                message = f"'{part}' cannot be part of a rule name (use a-z, 0-9 and _)"
                raise RuleFileError(message, path=display_path(file))
        name = ".".join(parts)
        parameters[name] = load_parameter(file, name)
    return RuleStore(parameters, root)


@functools.lru_cache(maxsize=1)
def load_rules() -> RuleStore:
    """The bundled rules (``jpimport/rules/data``), parsed once per process."""
    return load_rule_tree(DATA_DIR)


def _rule_files(root: Path) -> list[Path]:
    """The ``.yaml`` files under root, sorted; a ``.yml`` file is refused, not skipped."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for file in sorted(files):
            if file.startswith("."):
                continue
            if file.endswith(".yaml"):
                found.append(Path(folder, file))
            elif file.endswith(".yml"):
                message = "rule files end in .yaml, not .yml"
                raise RuleFileError(message, path=display_path(Path(folder, file)))
    return found
