"""What a stage sees: the rules in force on one date, with every parameter used recorded.

Besides the trace of every parameter used, the context records what each amount rests on
(principle 3): ``amount`` scopes name the columns being built, every parameter read inside a
scope is attributed to them (``feeds``), and ``link`` records which columns a column is
computed from, so an amount's parameters are those of everything it is computed from.
All of it is recorded while plans are built (once per date), never per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl

from jpimport.rules import ParameterValue, RuleStore, load_rules

T = TypeVar("T")


@dataclass(frozen=True)
class _Built:
    """A memo entry: the built value with what building it recorded, and the store it is for.

    Holding the store keeps its ``id`` from being reused by another store while the entry lives,
    so a slot can never hand one store's plan to another.
    """

    rules: RuleStore
    value: Any
    used: dict[str, dict[str, Any]]
    not_in_force: dict[str, str]
    feeds: dict[str, frozenset[str]]
    absent_for: dict[str, frozenset[str]]
    links: dict[str, frozenset[str]]


#: Built things (expressions, tables) per (key, as-of date, rule store), with the trace,
#: not-in-force entries and attributions recorded while building them, so a cache hit records
#: the same as a build.
_MEMO: dict[tuple[str, dt.date, int], _Built] = {}


@dataclass
class StageContext:
    """The rule store bound to one as-of date; records each parameter a stage consults.

    ``feeds`` maps a column to the parameters read for it, ``absent_for`` to those looked up
    for it but not in force; ``links`` maps a column to the columns its expression reads.
    """

    as_of: dt.date
    rules: RuleStore = field(default_factory=load_rules)
    used: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_in_force: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, set[str]] = field(default_factory=dict)
    absent_for: dict[str, set[str]] = field(default_factory=dict)
    links: dict[str, set[str]] = field(default_factory=dict)
    _scope: tuple[str, ...] = field(default=(), init=False, repr=False)

    def param(self, name: str) -> ParameterValue:
        """The value of ``name`` in force on ``as_of`` (NotInForceError if none); traced."""
        value = self.rules.parameter(name).at(self.as_of)
        self.record(name, value.trace())
        return value

    def find(self, name: str) -> ParameterValue | None:
        """Like ``param`` but None when not in force; the absence is traced too."""
        value = self.rules.parameter(name).find(self.as_of)
        if value is None:
            self.not_in_force[name] = f"not in force on {self.as_of.isoformat()}"
            for column in self._scope:
                self.absent_for.setdefault(column, set()).add(name)
            return None
        self.record(name, value.trace())
        return value

    def record(self, name: str, trace: dict[str, Any]) -> None:
        """Trace an entry (a parameter or a legal rounding rule) and attribute it to the scope."""
        self.used.setdefault(name, trace)
        self.attribute(name)

    def attribute(self, name: str) -> None:
        """Attribute a traced entry to every column of the current ``amount`` scope."""
        for column in self._scope:
            self.feeds.setdefault(column, set()).add(name)

    @contextmanager
    def amount(self, *columns: str) -> Iterator[None]:
        """Within the block, every parameter read is attributed to ``columns`` (and outer ones)."""
        outer = self._scope
        self._scope = (*outer, *(c for c in columns if c not in outer))
        try:
            yield
        finally:
            self._scope = outer

    def link(self, column: str, reads: Iterable[str]) -> None:
        """Record that ``column`` is computed from the columns ``reads``."""
        found = {r for r in reads if r != column}
        if found:
            self.links.setdefault(column, set()).update(found)

    def link_exprs(self, exprs: Iterable[pl.Expr]) -> None:
        """``link`` each named expression to the columns it reads."""
        for expr in exprs:
            self.link(str(expr.meta.output_name()), expr.meta.root_names())

    def memo(self, key: str, build: Callable[[StageContext], T]) -> T:
        """Build something from the rules in force once per date, and replay what it recorded.

        ``build`` must depend only on the rules and ``as_of`` (not on the frame): stages use it
        to build their Polars expressions once, so a single assessment does not rebuild them.
        A cache hit replays the trace, the attributions and the links; every parameter the
        build read is also attributed to the current ``amount`` scope.
        """
        slot = (key, self.as_of, id(self.rules))
        cached = _MEMO.get(slot)
        if cached is None or cached.rules is not self.rules:
            probe = StageContext(as_of=self.as_of, rules=self.rules)
            value = build(probe)
            cached = _Built(
                self.rules,
                value,
                dict(probe.used),
                dict(probe.not_in_force),
                {c: frozenset(n) for c, n in probe.feeds.items()},
                {c: frozenset(n) for c, n in probe.absent_for.items()},
                {c: frozenset(r) for c, r in probe.links.items()},
            )
            _MEMO[slot] = cached
        for name, entry in cached.used.items():
            self.record(name, entry)
        self.not_in_force.update(cached.not_in_force)
        for name in cached.not_in_force:
            for column in self._scope:
                self.absent_for.setdefault(column, set()).add(name)
        for column, names in cached.absent_for.items():
            self.absent_for.setdefault(column, set()).update(names)
        for column, names in cached.feeds.items():
            self.feeds.setdefault(column, set()).update(names)
        for column, reads in cached.links.items():
            self.links.setdefault(column, set()).update(reads)
        return cached.value  # type: ignore[no-any-return]

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
