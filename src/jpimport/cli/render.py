"""Print an assessment document as readable tables (English, with the Japanese terms)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.table import Table

from jpimport.cli.output import console, fmt

_CLASSIFICATION_LABELS = {
    "size_class": "Size class 区分 (軽/小型/普通)",
    "use": "Use 用途 (乗用/貨物)",
    "plate_class": "Plate class 分類番号",
    "plate_color": "Plate colour",
    "jp_gross_weight_kg": "Gross weight 車両総重量 kg",
    "inspection_first_years": "First inspection 初回車検 (years)",
    "inspection_then_years": "Then every 以後 (years)",
    "licence": "Licence 運転免許",
    "toll_class": "Toll class 車種区分",
}


def _yen(value: Any) -> str:
    """Yen with a ¥ sign, or the unknown dash."""
    return fmt(value) if value is None else f"¥{value:,}"


def _cost(range_: Mapping[str, Any] | None) -> str:
    """A low–high yen range."""
    if not range_ or range_.get("low") is None:
        return ""
    return f"{_yen(range_['low'])}–{_yen(range_['high'])}"


def _classification(document: Mapping[str, Any]) -> Table | None:
    """The classification as a two-column table."""
    section = document.get("classification")
    if not section:
        return None
    table = Table(title="Classification 分類", title_justify="left", show_header=False)
    table.add_column("item")
    table.add_column("value", overflow="fold")
    for key, value in section.items():
        shown = ", ".join(value) if isinstance(value, list) else fmt(value)
        table.add_row(_CLASSIFICATION_LABELS.get(key, key), shown)
    return table


def _pathways(document: Mapping[str, Any]) -> Table | None:
    """The certification routes side by side."""
    routes = document.get("pathways")
    if not routes:
        return None
    table = Table(title="Certification routes 認証制度", title_justify="left")
    for header in ("route", "eligible", "fixed ¥/model", "¥/unit", "lead days", "reasons"):
        table.add_column(header, overflow="fold")
    for r in routes:
        table.add_row(
            r.get("id"),
            fmt(r.get("eligible")),
            _yen(r.get("fixed_cost_jpy")),
            _yen(r.get("unit_cost_jpy")),
            fmt(r.get("lead_time_days")),
            "; ".join(r.get("reasons") or []),
        )
    return table


def _findings(document: Mapping[str, Any]) -> Table | None:
    """Findings for the recommended route (or all, when none is recommended)."""
    findings = document.get("findings")
    if not findings:
        return None
    route = document.get("recommended_pathway")
    shown = [f for f in findings if route is None or f.get("pathway") in (route, None)]
    table = Table(title=f"Findings 適合性 ({route or 'all routes'})", title_justify="left")
    for header in ("rule", "title", "outcome", "what to do", "cost"):
        table.add_column(header, overflow="fold")
    for f in shown:
        table.add_row(
            f.get("rule"),
            f"{f.get('title_en')}\n{f.get('title_ja')}",
            f.get("outcome"),
            fmt(f.get("modification") or ""),
            _cost(f.get("cost_jpy")),
        )
    return table


def _fit(document: Mapping[str, Any]) -> Table | None:
    """Parking types and whether the vehicle fits."""
    fit = document.get("fit") or {}
    parking = fit.get("parking")
    if not parking:
        return None
    table = Table(title="Parking fit 駐車場", title_justify="left")
    for header in ("type", "fits", "excess mm (L/W/H)", "excess kg"):
        table.add_column(header)
    for p in parking:
        excess = p.get("excess_mm") or {}
        table.add_row(
            p.get("id"),
            fmt(p.get("fits")),
            "/".join(fmt(excess.get(k)) for k in ("length", "width", "height")),
            fmt(p.get("excess_kg")),
        )
    return table


def _trace(document: Mapping[str, Any]) -> Table:
    """Every rule and parameter used, with its window, status and citation."""
    table = Table(title="Rules and parameters used (根拠)", title_justify="left")
    for header in ("name", "value", "in force", "status", "source"):
        table.add_column(header, overflow="fold")
    for t in document.get("trace", []):
        value = json.dumps(t.get("value"), ensure_ascii=False)
        if len(value) > 80:
            value = value[:79] + "…"
        window = f"{t.get('start')} → {t.get('end') or '…'}"
        citation = t.get("citation") or {}
        table.add_row(
            t.get("name"),
            f"{value} {t.get('unit', '')}",
            window,
            t.get("status"),
            f"{citation.get('title')}\n{citation.get('url')}",
        )
    return table


def render_assessment(document: Mapping[str, Any], *, explain: bool = False) -> None:
    """Print the assessment's sections, its unconfirmed inputs and, on request, the trace."""
    out = console()
    vehicle = document["vehicle"]
    label = " ".join(
        str(vehicle[k])
        for k in ("model_year", "make", "model", "trim")
        if vehicle.get(k) is not None
    )
    out.print(f"{label} ({vehicle['id']}) — as of {document['as_of']}")
    for note in document.get("notes", []):
        out.print(f"note: {note}")
    for build in (_classification, _pathways, _findings, _fit):
        table = build(document)
        if table is not None:
            out.print(table)
    if document.get("recommended_pathway"):
        out.print(
            f"Recommended route: {document['recommended_pathway']} — "
            f"{document.get('recommended_reason', '')}"
        )
    for extra in document.get("render_extra", []):
        out.print(extra)
    unconfirmed = document.get("unconfirmed") or []
    if unconfirmed:
        out.print("Unconfirmed inputs (未確認): " + ", ".join(unconfirmed))
    if explain:
        out.print(_trace(document))
