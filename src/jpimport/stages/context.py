"""What a stage sees: the rules in force on one date, with every parameter used recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jpimport.rules import ParameterValue, RuleStore, load_rules


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
