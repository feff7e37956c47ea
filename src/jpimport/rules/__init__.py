"""The rule store: Japan's law and practice as dated, cited parameters, looked up as of a date.

    >>> from datetime import date
    >>> from jpimport.rules import load_rules
    >>> tax = load_rules().parameter("taxes.automobile_tax.passenger_by_displacement")
    >>> tax.at(date(2026, 4, 1)).lookup(2488)
    43500

The file format is docs/rule-files.md; legal rounding lives in ``jpimport.rules.rounding``.
"""

from __future__ import annotations

from jpimport.rules.model import Bracket, Citation, Ending, Parameter, ParameterValue, Range
from jpimport.rules.store import RuleStore, load_rule_tree, load_rules

__all__ = [
    "Bracket",
    "Citation",
    "Ending",
    "Parameter",
    "ParameterValue",
    "Range",
    "RuleStore",
    "load_rule_tree",
    "load_rules",
]
