"""An assessment document as readable tables (English, with the Japanese terms)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from jpimport.views.explain_text import render_explanations
from jpimport.views.format import fmt

#: Vehicle columns whose absence the reader should see at once.
_KEY_COLUMNS = (
    "length_mm",
    "width_mm",
    "height_mm",
    "curb_weight_kg",
    "seats",
    "displacement_cc",
    "fuel",
    "msrp_usd",
    "epa_combined_mpg",
)


def missing_key_columns(vehicle: Mapping[str, Any]) -> list[str]:
    """The key columns this vehicle lacks, among those that apply to it.

    An electric car has no displacement and is rated in kWh/100 mi, not mpg; a car priced in
    Japan (``jp_price_jpy``) needs no U.S. MSRP, nor one with a WLTC figure an EPA one.
    """
    electric = vehicle.get("powertrain") == "ev" or vehicle.get("fuel") == "electric"
    skip = {"displacement_cc", "epa_combined_mpg"} if electric else set()
    if vehicle.get("jp_price_jpy") is not None:
        skip.add("msrp_usd")
    if vehicle.get("jp_wltc_km_per_l") is not None:
        skip.add("epa_combined_mpg")
    wanted = [k for k in _KEY_COLUMNS if k not in skip]
    if electric:
        wanted.append("epa_kwh_per_100mi")
    return [k for k in wanted if vehicle.get(k) is None]


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
    if value is None or isinstance(value, str):
        return fmt(value)
    return f"−¥{-value:,}" if value < 0 else f"¥{value:,}"


def _cost(finding: Mapping[str, Any]) -> str:
    """A finding's typical cost with its low–high range."""
    low, typical, high = (finding.get(f"cost_{k}_jpy") for k in ("low", "typical", "high"))
    if typical is None and low is None:
        return ""
    return f"{_yen(typical)} ({_yen(low)}–{_yen(high)})"


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
            _cost(f),
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


_COST_ROWS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "landed",
        "Landed cost per unit 輸入原価",
        (
            ("fob_jpy", "FOB (U.S. port) 本船渡し価格"),
            ("freight_jpy", "Freight 運賃"),
            ("insurance_jpy", "Marine insurance 海上保険"),
            ("duty_jpy", "Import duty 関税"),
            ("import_consumption_tax_jpy", "Import consumption tax 輸入消費税"),
            ("import_tax_credit_jpy", "Credit against sales tax 仕入税額控除"),
            ("port_handling_jpy", "Port handling and brokerage 港湾・通関"),
            ("pathway_jpy", "Certification route 認証費用"),
            ("modifications_jpy", "Modifications 改善費用"),
            ("rhd_conversion_jpy", "RHD conversion 右ハンドル化"),
            ("pdi_jpy", "Pre-delivery 納車整備"),
            ("total_jpy", "Landed total"),
        ),
    ),
    (
        "retail",
        "Retail price 小売価格",
        (
            ("landed_total_jpy", "Landed total"),
            ("dealer_margin_jpy", "Dealer margin 販売店粗利"),
            ("consumption_tax_jpy", "Consumption tax 消費税"),
            ("total_jpy", "Retail price"),
        ),
    ),
    (
        "registration",
        "At registration 登録時費用",
        (
            ("environmental_performance_tax_jpy", "Environmental performance tax 環境性能割"),
            ("automobile_tax_jpy", "Automobile tax, rest of year 自動車税（月割）"),
            ("weight_tax_jpy", "Weight tax 自動車重量税"),
            ("compulsory_insurance_jpy", "Compulsory insurance 自賠責保険"),
            ("recycling_jpy", "Recycling deposit リサイクル料金"),
            ("fees_jpy", "Stamps, plates, garage certificate 手数料"),
            ("total_jpy", "Total"),
        ),
    ),
    (
        "annual",
        "Per year 年間維持費",
        (
            ("automobile_tax_jpy", "Automobile tax 自動車税"),
            ("weight_tax_jpy", "Weight tax 重量税"),
            ("compulsory_insurance_jpy", "Compulsory insurance 自賠責"),
            ("inspection_jpy", "Inspection 車検（年割）"),
            ("parking_jpy", "Parking 駐車場"),
            ("fuel_jpy", "Fuel 燃料"),
            ("total_jpy", "Total"),
        ),
    ),
)


#: The landed and retail tables of a vehicle priced from its Japanese list price.
_NOT_IMPORTED: dict[str, Callable[[Mapping[str, Any]], tuple[str, str]]] = {
    "landed": lambda _: ("Not imported 輸入なし", "Japan-built: no import costs"),
    "retail": lambda section: (
        "Japanese list price, tax incl. 国内販売価格",
        _yen(section.get("total_jpy")),
    ),
}


def _total(total: Any, known: Any, section: Mapping[str, Any], missing_key: str = "missing") -> str:
    """A total; when unknown for want of some parts, what is known of it and what is missing."""
    missing = section.get(missing_key) or []
    if total is not None or not missing or known is None:
        return _yen(total)
    return f"{_yen(None)} (at least {_yen(known)}; missing: {', '.join(missing)})"


def _costs(document: Mapping[str, Any]) -> list[Table]:
    """The cost sections as tables: landed, retail, registration, per year."""
    costs = document.get("costs") or {}
    priced_in_japan = (costs.get("assumptions") or {}).get("price_basis") == "jp_price"
    tables = []
    for key, title, rows in _COST_ROWS:
        section = costs.get(key)
        if not isinstance(section, Mapping):
            continue
        table = Table(title=title, title_justify="left", show_header=False)
        table.add_column("item")
        table.add_column("yen", justify="right")
        if priced_in_japan and key in _NOT_IMPORTED:
            # A Japan-built comparable: not imported, so no import parts to show as unknown.
            table.add_row(*_NOT_IMPORTED[key](section))
            tables.append(table)
            continue
        for field, label in rows:
            if field in section:
                shown = _yen(section[field])
                if field == "total_jpy":
                    shown = _total(section[field], section.get("known_total_jpy"), section)
                table.add_row(label, shown)
        tables.append(table)
    return tables


#: Amounts explained under --explain besides the cost tables' rows.
_EXPLAINED_EXTRA = (
    ("Voluntary insurance (estimate) 任意保険", "costs.estimates.voluntary_insurance_jpy.typical"),
    ("Maintenance (estimate) 整備", "costs.estimates.maintenance_jpy.typical"),
    ("First year 初年度", "costs.first_year_jpy"),
    ("Ownership total 保有総額", "costs.ownership.total_jpy"),
)


def explained_rows() -> list[tuple[str, str]]:
    """(label, amount path) of every amount the text shows, in the order shown."""
    rows = [
        (f"{label}" if field != "total_jpy" else f"{title}: {label}", f"costs.{key}.{field}")
        for key, title, fields in _COST_ROWS
        for field, label in fields
    ]
    return [*rows, *_EXPLAINED_EXTRA]


def _cost_lines(document: Mapping[str, Any]) -> list[str]:
    """Estimates shown apart from legal costs, first-year and ownership totals."""
    costs = document.get("costs") or {}
    lines = []
    for name, value in (costs.get("estimates") or {}).items():
        if isinstance(value, Mapping) and value.get("low") is not None:
            lines.append(
                f"Estimate, not law — {name.replace('_', ' ')}: {_yen(value.get('typical'))}"
                f" per year ({_yen(value['low'])}–{_yen(value['high'])})"
            )
    first = _total(
        costs.get("first_year_jpy"),
        costs.get("first_year_known_total_jpy"),
        costs,
        "first_year_missing",
    )
    if costs.get("first_year_jpy") is not None or costs.get("first_year_missing"):
        lines.append(f"First year (price + registration + running costs): {first}")
    ownership = costs.get("ownership") or {}
    if ownership.get("total_jpy") is not None:
        lines.append(f"Total over {ownership.get('years')} years: {_yen(ownership['total_jpy'])}")
    return lines


def _unconfirmed(names: list[str]) -> str:
    """Unconfirmed parameters grouped by family, with counts (full names under --explain)."""
    families: dict[str, int] = {}
    for name in names:
        family = name.split(".")[0]
        families[family] = families.get(family, 0) + 1
    groups = ", ".join(f"{family} ({count})" for family, count in sorted(families.items()))
    return (
        f"{len(names)} inputs rest on no primary source (未確認) — {groups}; "
        "see --explain or --json 'unconfirmed' for each."
    )


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


def render_assessment(document: Mapping[str, Any], out: Console, *, explain: bool = False) -> None:
    """Print the assessment's sections, its unconfirmed inputs and, on request, the trace."""
    vehicle = document["vehicle"]
    label = " ".join(
        str(vehicle[k])
        for k in ("model_year", "make", "model", "trim")
        if vehicle.get(k) is not None
    )
    out.print(f"{label} ({vehicle['id']}) — as of {document['as_of']}")
    for note in document.get("notes", []):
        out.print(f"note: {note}")
    for name, how in (vehicle.get("estimated") or {}).items():
        short = how if len(how) <= 100 else how[:99].rstrip() + "…"
        out.print(f"estimated {name} = {fmt(vehicle.get(name))} ({short})")
    if vehicle.get("estimated"):
        out.print(f"  (how each was estimated: jpimport catalog show {vehicle['id']})")
    missing = missing_key_columns(vehicle)
    if missing:
        out.print("unknown (no source found): " + ", ".join(missing))
    for build in (_classification, _pathways, _findings, _fit):
        table = build(document)
        if table is not None:
            out.print(table)
    if document.get("recommended_pathway"):
        out.print(
            f"Recommended route: {document['recommended_pathway']} — "
            f"{document.get('recommended_reason', '')}"
        )
    elif document.get("recommended_reason"):
        out.print(f"Recommended route: none — {document['recommended_reason']}")
    roads = (document.get("fit") or {}).get("roads") or {}
    if roads.get("clearance_mm") is not None:
        out.print(
            f"Narrow road: on a {roads.get('road_width_mm'):,} mm road with an oncoming "
            f"{roads.get('oncoming_car_width_mm'):,} mm car, {roads['clearance_mm']:,} mm "
            "is left to share between the two."
        )
    for note in (document.get("drive_side") or {}).get("drive_side_notes") or []:
        out.print(f"Drive side: {note}")
    for table in _costs(document):
        out.print(table)
    for line in _cost_lines(document):
        out.print(line)
    unconfirmed = document.get("unconfirmed") or []
    if unconfirmed:
        out.print(_unconfirmed(unconfirmed))
    if explain:
        render_explanations(document, out, explained_rows())
        out.print(_trace(document))
