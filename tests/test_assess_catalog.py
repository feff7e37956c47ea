"""Every catalog vehicle gets a complete, cited assessment (issue 3 and 4 acceptance)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import jpimport
from jpimport.assessment import run_stages
from jpimport.options import AssessOptions
from jpimport.stages import pipeline
from jpimport.vehicles.catalog import load_catalog

AS_OF = dt.date(2026, 3, 1)
CLASSIFICATION = {
    "size_class",
    "use",
    "plate_class",
    "plate_color",
    "jp_gross_weight_kg",
    "inspection_first_years",
    "inspection_then_years",
    "licence",
    "toll_class",
}
PATHWAY = {
    "id",
    "eligible",
    "reasons",
    "fixed_cost_jpy",
    "unit_cost_jpy",
    "lead_time_days",
    "documents",
    "tests",
}
FINDING = {
    "rule",
    "title_en",
    "title_ja",
    "outcome",
    "pathway",
    "modification",
    "cost_jpy",
    "citation",
}
OUTCOMES = {"pass", "modify", "advisory", "block", "unknown"}


@pytest.fixture(scope="module")
def assessed() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    frame, contexts = run_stages(load_catalog(), AssessOptions.build(as_of=AS_OF))
    documents = []
    for row in frame.iter_rows(named=True):
        document: dict[str, Any] = {}
        for stage in pipeline():
            document.update(stage.to_json(row))
        documents.append(document)
    return documents, contexts[AS_OF].trace()


def test_every_vehicle_has_every_section(assessed: Any) -> None:
    documents, _ = assessed
    assert len(documents) == load_catalog().height
    for document in documents:
        assert set(document["classification"]) >= CLASSIFICATION
        assert {p["id"] for p in document["pathways"]} == {
            "us_certified",
            "php",
            "type_designation",
            "parallel",
        }
        for pathway in document["pathways"]:
            assert set(pathway) >= PATHWAY
        assert "recommended_pathway" in document and "recommended_reason" in document
        assert document["findings"], "findings for every vehicle"
        for finding in document["findings"]:
            assert set(finding) >= FINDING
            assert finding["outcome"] in OUTCOMES
            assert finding["citation"]["url"].startswith("http")
            if finding["outcome"] == "unknown":
                assert finding["missing"], f"{finding['rule']}: unknown must name what is missing"
        assert {"parking", "roads"} <= set(document["fit"])
        assert {"landed", "registration", "annual"} <= set(document["costs"])


def test_every_parameter_used_is_cited(assessed: Any) -> None:
    _, trace = assessed
    assert len(trace) > 50
    for entry in trace:
        assert entry["citation"]["url"].startswith("http"), entry["name"]
        assert entry["status"] in ("confirmed", "unconfirmed", "estimate")
        if entry["status"] == "confirmed":
            assert entry["source_kind"] == "primary", entry["name"]
        if entry["start"] is not None:  # dated parameters; rule entries carry their own windows
            assert entry["start"] <= AS_OF.isoformat()


def test_unknown_attribute_is_never_a_pass() -> None:
    vehicle = jpimport.Vehicle(
        values={
            "id": "bare",
            "make": "Ford",
            "model": "F-150",
            "body": "pickup",
            "plant_country": "US",
        }
    )
    document = jpimport.assess(vehicle, as_of=AS_OF).to_dict()
    reads_speedometer = [f for f in document["findings"] if f["rule"] == "speedometer_kmh"]
    assert reads_speedometer
    for finding in reads_speedometer:
        assert finding["outcome"] in ("unknown", "advisory", "pass")
        if finding["pathway"] != "us_certified":
            assert finding["outcome"] == "unknown"
            assert "speedometer_units" in finding["missing"]
    assert document["classification"]["size_class"] is None


def test_assessment_prints_a_readable_table() -> None:
    text = str(jpimport.assess("toyota-camry-2026-le", as_of=AS_OF))
    for fragment in ("Classification 分類", "Certification routes", "Findings", "Parking fit"):
        assert fragment in text
