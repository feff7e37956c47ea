"""Compare assessments side by side: the same truck as cargo and as a passenger car, or an
import against a Japanese-market car."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jpimport.assessment import Assessment, assess
from jpimport.errors import InputError

#: The rows of a comparison: (label, dotted path into Assessment.to_dict()).
METRICS: tuple[tuple[str, str], ...] = (
    ("Size class 区分", "classification.size_class"),
    ("Use 用途", "classification.use"),
    ("Plate class 分類番号", "classification.plate_class"),
    ("Gross weight 車両総重量 kg", "classification.jp_gross_weight_kg"),
    ("Inspection 車検 first/then years", "classification.inspection"),
    ("Licence 運転免許", "classification.licence"),
    ("Toll class 車種区分", "classification.toll_class"),
    ("Recommended route", "recommended_pathway"),
    ("Retail price ¥", "costs.retail_price_jpy"),
    ("Registration ¥ 登録時", "costs.registration.total_jpy"),
    ("Automobile tax ¥/yr 自動車税", "costs.annual.automobile_tax_jpy"),
    ("Weight tax ¥/yr 重量税", "costs.annual.weight_tax_jpy"),
    ("Compulsory insurance ¥/yr 自賠責", "costs.annual.compulsory_insurance_jpy"),
    ("Inspection ¥/yr 車検", "costs.annual.inspection_jpy"),
    ("Parking ¥/yr 駐車場", "costs.annual.parking_jpy"),
    ("Fuel ¥/yr 燃料", "costs.annual.fuel_jpy"),
    ("Annual total ¥/yr", "costs.annual.total_jpy"),
    ("First year ¥", "costs.first_year_jpy"),
)


#: For the totals: where the assessment puts what is known of them and which parts are missing.
BOUNDS: dict[str, tuple[str, str]] = {
    "costs.registration.total_jpy": (
        "costs.registration.known_total_jpy",
        "costs.registration.missing",
    ),
    "costs.annual.total_jpy": ("costs.annual.known_total_jpy", "costs.annual.missing"),
    "costs.first_year_jpy": ("costs.first_year_known_total_jpy", "costs.first_year_missing"),
}


def parse_target(text: str) -> tuple[str, dict[str, str]]:
    """``ID[@key=value,...]`` → the target and its own options (e.g. ``@registration=cargo``)."""
    target, _, spec = text.partition("@")
    options: dict[str, str] = {}
    for item in filter(None, spec.split(",")):
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise InputError(f"expected key=value after '@', got {item!r}", field=text)
        options[key.strip().replace("-", "_")] = value.strip()
    return target, options


def _dig(document: Any, dotted: str) -> Any:
    """A value at a dotted path, or None where the path does not exist."""
    if dotted == "classification.inspection":
        section = document.get("classification") or {}
        first, then = section.get("inspection_first_years"), section.get("inspection_then_years")
        return None if first is None else f"{first} / {then}"
    for part in dotted.split("."):
        if not isinstance(document, dict) or part not in document:
            return None
        document = document[part]
    return document


@dataclass(frozen=True)
class Comparison:
    """Assessments in order, and the metric table built from them."""

    labels: list[str]
    assessments: list[Assessment]

    def rows(self) -> list[dict[str, Any]]:
        """One row per metric: its label and the value for each target."""
        documents = [a.to_dict() for a in self.assessments]
        rows = []
        for label, path in METRICS:
            row: dict[str, Any] = {"metric": label, "values": [_dig(d, path) for d in documents]}
            if path in BOUNDS:
                known, missing = BOUNDS[path]
                row["known"] = [_dig(d, known) for d in documents]
                row["missing"] = [_dig(d, missing) or [] for d in documents]
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the targets, the metrics and every full assessment."""
        return {
            "targets": self.labels,
            "metrics": self.rows(),
            "assessments": [a.to_dict() for a in self.assessments],
        }


def compare(targets: Sequence[str], **options: Any) -> Comparison:
    """Assess each ``ID[@key=value,...]`` with the shared options plus its own."""
    if len(targets) < 2:
        raise InputError("compare needs at least two targets")
    assessments = []
    for text in targets:
        target, own = parse_target(text)
        assessments.append(assess(target, **{**options, **own}))
    return Comparison(labels=list(targets), assessments=assessments)
