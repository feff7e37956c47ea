"""The vocabulary of rule files (docs/rule-files.md): allowed keys, units, kinds and labels."""

from __future__ import annotations

from typing import Final, Literal

Kind = Literal["scalar", "range", "brackets", "table"]
SourceKind = Literal["primary", "secondary", "weak"]
Status = Literal["confirmed", "unconfirmed", "estimate"]

KINDS: Final[tuple[Kind, ...]] = ("scalar", "range", "brackets", "table")
SOURCE_KINDS: Final[tuple[SourceKind, ...]] = ("primary", "secondary", "weak")
STATUSES: Final[tuple[Status, ...]] = ("confirmed", "unconfirmed", "estimate")

UNITS: Final[tuple[str, ...]] = (
    "jpy",
    "jpy_per_year",
    "jpy_per_month",
    "jpy_per_unit",
    "jpy_per_model",
    "usd",
    "usd_per_unit",
    "usd_per_m3",
    "aud",
    "jpy_per_usd",
    "jpy_per_aud",
    "rate",
    "mm",
    "m",
    "m2",
    "m3",
    "kg",
    "cc",
    "days",
    "months",
    "years",
    "count",
    "units_per_year",
    "km_per_l",
    "jpy_per_l",
    "jpy_per_kwh",
    "km",
    "bool",
    "text",
)

# Units whose numbers must be whole (integer yen, DESIGN.md principle 5; counts; cc; days).
INTEGER_UNITS: Final[frozenset[str]] = frozenset(
    {
        "jpy",
        "jpy_per_year",
        "jpy_per_month",
        "jpy_per_unit",
        "jpy_per_model",
        "cc",
        "days",
        "months",
        "count",
        "units_per_year",
    }
)

TOP_KEYS: Final[frozenset[str]] = frozenset(
    {"title", "title_ja", "description", "unit", "kind", "reads", "keys"}
    | {"last_verified_on", "values"}
)
TOP_REQUIRED: Final[tuple[str, ...]] = (
    "title",
    "title_ja",
    "description",
    "unit",
    "kind",
    "last_verified_on",
    "values",
)
VALUE_KEYS: Final[frozenset[str]] = frozenset(
    {"value", "brackets", "citation", "source_kind", "status", "note"}
)
CITATION_KEYS: Final[frozenset[str]] = frozenset({"title", "url", "article"})
RANGE_KEYS: Final[tuple[str, ...]] = ("low", "typical", "high")
BRACKET_KEYS: Final[frozenset[str]] = frozenset({"up_to", "value"})
