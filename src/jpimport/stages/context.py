"""What a stage sees: the rules in force on one date, with every parameter used recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from jpimport.rules import ParameterValue, RuleStore, load_rules

T = TypeVar("T")

#: Built things (expressions, tables) per (key, as-of date, rule store), with the trace and
#: not-in-force entries recorded while building them, so a cache hit traces the same. Each
#: entry also holds the store itself: while it is referenced its ``id`` cannot be reused by
#: another store, so a slot can never hand one store's plan to another.
_MEMO: dict[
    tuple[str, dt.date, int],
    tuple[RuleStore, Any, dict[str, dict[str, Any]], dict[str, str]],
] = {}


@dataclass
class StageContext:
    """The rule store bound to one as-of date; records each parameter a stage consults."""

    as_of: dt.date
    rules: RuleStore = field(default_factory=load_rules)
    used: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_in_force: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> ParameterValue:
        """The value of ``name`` in force on ``as_of`` (NotInForceError if none); traced."""
        value = self.rules.parameter(name).at(self.as_of)
        self.used.setdefault(name, value.trace())
        return value

    def find(self, name: str) -> ParameterValue | None:
        """Like ``param`` but None when not in force; the absence is traced too."""
        value = self.rules.parameter(name).find(self.as_of)
        if value is None:
            self.not_in_force[name] = f"not in force on {self.as_of.isoformat()}"
            return None
        self.used.setdefault(name, value.trace())
        return value

    def memo(self, key: str, build: Callable[[StageContext], T]) -> T:
        """Build something from the rules in force once per date, and replay its trace.

        ``build`` must depend only on the rules and ``as_of`` (not on the frame): stages use it
        to build their Polars expressions once, so a single assessment does not rebuild them.
        """
        slot = (key, self.as_of, id(self.rules))
        cached = _MEMO.get(slot)
        if cached is None or cached[0] is not self.rules:
            probe = StageContext(as_of=self.as_of, rules=self.rules)
            value = build(probe)
            cached = (self.rules, value, dict(probe.used), dict(probe.not_in_force))
            _MEMO[slot] = cached
        _, value, used, not_in_force = cached
        for name, entry in used.items():
            self.used.setdefault(name, entry)
        self.not_in_force.update(not_in_force)
        return value

    def scalar(self, name: str) -> Any:
        """Shorthand: the plain value of a scalar parameter in force."""
        return self.param(name).value

    @property
    def unconfirmed(self) -> list[str]:
        """Names of the parameters used whose value no primary source confirms."""
        return sorted(n for n, t in self.used.items() if t.get("status") != "confirmed")

    def trace(self) -> list[dict[str, Any]]:
        """Every parameter used, in name order, JSON-ready."""
        return [self.used[name] for name in sorted(self.used)]
