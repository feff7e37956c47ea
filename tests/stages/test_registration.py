"""Registration costs: taxes, insurance and fees at purchase, to the yen, on both sides of dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jpimport.rules import RuleStore
from jpimport.rules.loader import load_parameter
from jpimport.rules.store import DATA_DIR
from jpimport.stages.context import StageContext
from jpimport.stages.costs import registration
from jpimport.stages.costs.cost_inputs import INPUTS

TODAY = dt.date(2026, 11, 21)
FAMILIES = ("taxes", "fees", "insurance", "ownership")


def _store() -> RuleStore:
    """Only the rule families these stages read, so others' work in progress cannot break them."""
    root = Path(DATA_DIR)
    files = sorted(f for family in FAMILIES for f in (root / family).rglob("*.yaml"))
    names = {".".join(f.relative_to(root).with_suffix("").parts): f for f in files}
    return RuleStore({n: load_parameter(f, n) for n, f in names.items()}, root)


STORE = _store()

#: A U.S.-built petrol SUV with no Japanese fuel-economy value, registered as a passenger car.
SUV: dict[str, Any] = {
    "powertrain": "ice",
    "fuel": "regular",
    "displacement_cc": 3445,
    "curb_weight_kg": 2010,
    "seats": 5,
    "jp_wltc_km_per_l": None,
    "epa_combined_mpg": 20.0,
    "plant_country": "US",
    "importer": "independent",
    "region": "national",
    "ownership_years": 5,
    "size_class": "ordinary",
    "use": "passenger",
    "declared_payload_used_kg": 0,
    "jp_gross_weight_kg": 2285,
    "inspection_first_years": 3,
    "inspection_then_years": 2,
    "retail_price_jpy": 8_800_000,
    "retail_consumption_tax_jpy": 800_000,
}
#: A double-cab pickup registered as cargo (1-number, 貨客兼用), Hilux-like.
PICKUP: dict[str, Any] = {
    **SUV,
    "fuel": "diesel",
    "displacement_cc": 2393,
    "curb_weight_kg": 2135,
    "use": "cargo",
    "declared_payload_used_kg": 500,
    "jp_gross_weight_kg": 2910,
    "inspection_first_years": 2,
    "inspection_then_years": 1,
}
SCHEMA = {name: dtype for name, (dtype, _) in INPUTS.items() if name != "reg_total_jpy"}


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    """A frame of input rows with the stage's input types."""
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def context(as_of: dt.date = TODAY) -> StageContext:
    """A context over this stage's rule families only."""
    return StageContext(as_of=as_of, rules=STORE)


def assess(as_of: dt.date = TODAY, **changes: Any) -> dict[str, Any]:
    """The registration columns of one SUV-based row."""
    return registration.run(frame({**SUV, **changes}), context(as_of)).row(0, named=True)


# --- environmental performance tax ------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "tax"),
    [(dt.date(2026, 3, 1), 216_000), (dt.date(2026, 3, 31), 216_000), (dt.date(2026, 4, 1), 0)],
)
def test_fuel_hungry_import_pays_the_top_rate_until_the_planned_abolition(
    as_of: dt.date, tax: int
) -> None:
    """8,000,000 before tax x 90% = 7,200,000 x 3% = ¥216,000; nothing from 2026-04-01."""
    row = assess(as_of)
    assert row["reg_environmental_performance_tax_jpy"] == tax
    if tax:
        assert row["reg_environmental_performance_tax_base_jpy"] == 7_200_000
        assert row["reg_environmental_performance_tax_rate"] == pytest.approx(0.03)
        assert any("top rate 3%" in r for r in row["registration_reasons"])
    else:
        assert any("abolished" in r and "unconfirmed" in r for r in row["registration_reasons"])


def test_abolition_is_traced_as_not_in_force() -> None:
    """After the end date the rate parameter is listed as not in force, not silently zero."""
    ctx = context(dt.date(2026, 4, 1))
    registration.run(frame(SUV), ctx)
    assert "taxes.environmental_performance_tax.rate_by_attainment" in ctx.not_in_force
    before = context(dt.date(2026, 3, 1))
    registration.run(frame(SUV), before)
    assert "taxes.environmental_performance_tax.rate_by_attainment" in before.unconfirmed


def test_a_date_before_any_recorded_rate_is_unknown_not_zero() -> None:
    """No rate is recorded before 2023-04-01: the tax is null with a reason, never ¥0."""
    row = assess(dt.date(2023, 3, 1))
    assert row["reg_environmental_performance_tax_jpy"] is None
    assert row["reg_total_jpy"] is None
    assert any("no value recorded" in r for r in row["registration_reasons"])


@pytest.mark.parametrize("powertrain", ["ev", "phev"])
def test_electric_and_plug_in_hybrid_cars_are_exempt(powertrain: str) -> None:
    """EVs and PHEVs pay no environmental performance tax even before the abolition."""
    row = assess(dt.date(2026, 3, 1), powertrain=powertrain, fuel="electric", displacement_cc=None)
    assert row["reg_environmental_performance_tax_jpy"] == 0


@pytest.mark.parametrize(
    ("as_of", "wltc", "attainment", "tax"),
    [
        (dt.date(2025, 6, 1), 26.0, 95, 0),  # 95% or more: exempt
        (dt.date(2025, 6, 1), 25.9, 94, 36_000),  # 1%
        (dt.date(2025, 6, 1), 23.3, 85, 36_000),  # 1%
        (dt.date(2025, 6, 1), 23.2, 84, 72_000),  # 2%
        (dt.date(2025, 6, 1), 20.0, 73, 108_000),  # 3%
        (dt.date(2024, 6, 1), 23.3, 85, 0),  # before 2025-04-01, 85% was enough
        (dt.date(2024, 6, 1), 23.2, 84, 36_000),
    ],
)
def test_a_japanese_wltc_value_is_graded_against_the_2030_standard(
    as_of: dt.date, wltc: float, attainment: int, tax: int
) -> None:
    """1,000 kg: standard 27.328 km/L; base 4,000,000 x 90% = 3,600,000."""
    row = assess(
        as_of,
        curb_weight_kg=1000,
        jp_wltc_km_per_l=wltc,
        retail_price_jpy=4_400_000,
        retail_consumption_tax_jpy=400_000,
    )
    assert row["fuel_economy_attainment_pct"] == attainment
    assert row["reg_environmental_performance_tax_jpy"] == tax


def test_an_epa_figure_never_earns_a_lower_rate() -> None:
    """However frugal by EPA, a car with no Japanese WLTC value pays the top rate."""
    row = assess(dt.date(2026, 3, 1), epa_combined_mpg=58.0, curb_weight_kg=1000)
    assert row["reg_environmental_performance_tax_rate"] == pytest.approx(0.03)


@pytest.mark.parametrize(
    ("retail", "tax", "expected"),
    [
        (550_000, 50_000, 0),  # base 450,000: at or below ¥500,000, no tax
        (660_000, 60_000, 16_200),  # base 540,000 x 3%
        (5_501_999, 500_000, 135_000),  # 4,501,799 → 4,501,000; 135,030 → 135,000
    ],
)
def test_base_and_tax_are_truncated_and_small_prices_are_exempt(
    retail: int, tax: int, expected: int
) -> None:
    """Tax base cut below ¥1,000, tax below ¥100; a base of ¥500,000 or less pays nothing."""
    row = assess(dt.date(2026, 3, 1), retail_price_jpy=retail, retail_consumption_tax_jpy=tax)
    assert row["reg_environmental_performance_tax_jpy"] == expected


# --- automobile tax for the rest of the fiscal year ---------------------------------------


@pytest.mark.parametrize(
    ("as_of", "cc", "months", "tax"),
    [
        (dt.date(2026, 4, 10), 2000, 11, 33_000),  # 36,000 x 11/12
        (dt.date(2026, 4, 10), 2001, 11, 39_800),  # 43,500 x 11/12 = 39,875
        (dt.date(2026, 11, 21), 3445, 4, 19_000),  # 57,000 x 4/12
        (dt.date(2026, 3, 15), 3445, 0, 0),  # registered in March: nothing until April
        (dt.date(2027, 1, 5), 6001, 2, 18_300),  # 110,000 x 2/12 = 18,333
    ],
)
def test_automobile_tax_is_prorated_from_the_month_after_registration(
    as_of: dt.date, cc: int, months: int, tax: int
) -> None:
    """Tokyo tax bureau: 年額 × months to March / 12, truncated to ¥100."""
    row = assess(as_of, displacement_cc=cc)
    assert row["reg_automobile_tax_months"] == months
    assert row["reg_automobile_tax_jpy"] == tax


def test_electric_car_is_taxed_in_the_lowest_band() -> None:
    """An EV counts as 0 cc: 25,000 x 11/12 = 22,916 → ¥22,900."""
    row = assess(dt.date(2026, 4, 10), powertrain="ev", fuel="electric", displacement_cc=None)
    assert row["reg_automobile_tax_jpy"] == 22_900


def test_double_cab_cargo_pays_load_rate_plus_seat_surcharge() -> None:
    """≤1 t load ¥8,000 + 4 seats or more over 1.5 L ¥8,000 = ¥16,000 a year; 4 months → 5,300."""
    row = registration.run(frame(PICKUP), context()).row(0, named=True)
    assert row["reg_automobile_tax_jpy"] == 5_300


# --- weight tax for the first inspection period -------------------------------------------


@pytest.mark.parametrize(
    ("kg", "tax"),
    [(1500, 36_900), (1501, 49_200), (1990, 49_200), (2010, 61_500)],
)
def test_weight_tax_counts_each_started_half_tonne_for_three_years(kg: int, tax: int) -> None:
    """¥4,100 per 0.5 t (or part) per year x 3 years: 1,990 kg = 4 steps, 2,010 kg = 5."""
    assert assess(curb_weight_kg=kg)["reg_weight_tax_jpy"] == tax


@pytest.mark.parametrize(("gross", "tax"), [(2400, 19_800), (2500, 19_800), (2910, 24_600)])
def test_cargo_weight_tax_is_per_tonne_gross_for_two_years(gross: int, tax: int) -> None:
    """Up to 2.5 t gross ¥3,300 per tonne per year, above ¥4,100; 2 years at registration."""
    row = registration.run(frame({**PICKUP, "jp_gross_weight_kg": gross}), context())
    assert row.row(0, named=True)["reg_weight_tax_jpy"] == tax


def test_electric_cars_pay_no_weight_tax_at_registration() -> None:
    """EVs and PHEVs are exempt at new registration (NTA tax answer 7194)."""
    row = assess(powertrain="ev", fuel="electric", displacement_cc=None)
    assert row["reg_weight_tax_jpy"] == 0


@pytest.mark.parametrize(
    ("as_of", "wltc", "tax"),
    [
        (dt.date(2026, 3, 1), 18.0, 15_000),  # 93%: 50% off the base rate (2025-05 steps)
        (dt.date(2026, 11, 21), 18.0, 22_500),  # 93%: 25% off (2026-05 steps: 50% needs 95%)
        (dt.date(2026, 11, 21), 20.5, 0),  # 106%: exempt
        (dt.date(2026, 11, 21), 14.0, 49_200),  # 73%: no relief, temporary rate
    ],
)
def test_eco_car_relief_needs_a_japanese_wltc_value(as_of: dt.date, wltc: float, tax: int) -> None:
    """1,990 kg (4 steps; standard 19.17 km/L): relief is off the base rate ¥2,500 x 4 x 3."""
    row = assess(as_of, curb_weight_kg=1990, jp_wltc_km_per_l=wltc)
    assert row["reg_weight_tax_jpy"] == tax


# --- compulsory insurance -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "premium"), [(dt.date(2023, 3, 31), 27_770), (dt.date(2023, 4, 1), 24_190)]
)
def test_compulsory_insurance_for_37_months_either_side_of_the_2023_cut(
    as_of: dt.date, premium: int
) -> None:
    """A new passenger car is insured for 37 months: ¥27,770 before 2023-04-01, ¥24,190 after."""
    row = assess(as_of)
    assert row["reg_compulsory_insurance_months"] == 37
    assert row["reg_compulsory_insurance_jpy"] == premium


@pytest.mark.parametrize(("load", "premium"), [(500, 30_020), (2500, 36_680)])
def test_cargo_insurance_is_an_estimate_for_25_months(load: int, premium: int) -> None:
    """Cargo: 25 months, by maximum load up to or over 2 t; the premiums are estimates."""
    row = registration.run(frame({**PICKUP, "declared_payload_used_kg": load}), context())
    got = row.row(0, named=True)
    assert got["reg_compulsory_insurance_months"] == 25
    assert got["reg_compulsory_insurance_jpy"] == premium
    assert any("estimate" in r for r in got["registration_reasons"])


def test_kei_insurance_and_fees_are_unknown_not_zero() -> None:
    """No kei tables are recorded: null with a reason."""
    row = assess(size_class="kei")
    assert row["reg_compulsory_insurance_jpy"] is None
    assert row["reg_fees_jpy"] is None
    assert row["reg_automobile_tax_jpy"] == 0
    assert any("kei" in r for r in row["registration_reasons"])


# --- fees and recycling ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fees"),
    [
        ({}, 7_500),  # presented: 700 + 2,600 + plates 1,600 + garage 2,600
        ({"size_class": "small"}, 7_400),  # presented small: inspection 2,500
        ({"importer": "manufacturer"}, 7_000),  # completion certificate: 900 + 1,900
        ({"plant_country": "JP"}, 7_000),
    ],
)
def test_fees_follow_the_registration_route(changes: dict[str, Any], fees: int) -> None:
    """Stamps by route plus the typical plates and garage certificate."""
    assert assess(**changes)["reg_fees_jpy"] == fees


def test_recycling_deposit_is_a_range_with_the_typical_value_in_the_total() -> None:
    """No per-model figure: ordinary cars ¥10,000-22,000, typical ¥15,000."""
    row = assess()
    assert (row["reg_recycling_low_jpy"], row["reg_recycling_jpy"]) == (10_000, 15_000)
    assert row["reg_recycling_high_jpy"] == 22_000


def test_a_whole_registration_adds_up() -> None:
    """2026-03-01: 216,000 + 0 + 61,500 + 24,190 + 15,000 + 7,500 = ¥324,190."""
    assert assess(dt.date(2026, 3, 1))["reg_total_jpy"] == 324_190


# --- unknowns, invariants, trace, JSON -------------------------------------------------------


def test_without_classify_every_dependent_amount_is_null_with_its_reason() -> None:
    """Absent classify columns read as null: nulls and reasons naming classify, never 0."""
    bare = pl.DataFrame({"powertrain": ["ice"], "displacement_cc": [2000]})
    row = registration.run(bare, context(dt.date(2026, 3, 1))).row(0, named=True)
    assert all(row[name] is None for name in registration.PARTS)
    assert row["reg_total_jpy"] is None
    assert any("classify has not run" in r for r in row["registration_reasons"])
    assert "size_class" not in registration.run(bare, context()).columns


vehicle_rows = st.fixed_dictionaries(
    {
        "powertrain": st.sampled_from(["ice", "hev", "phev", "ev", None]),
        "displacement_cc": st.one_of(st.none(), st.integers(600, 7000)),
        "curb_weight_kg": st.one_of(st.none(), st.integers(700, 4000)),
        "seats": st.one_of(st.none(), st.integers(2, 9)),
        "jp_wltc_km_per_l": st.one_of(st.none(), st.floats(5, 35)),
        "size_class": st.sampled_from(["ordinary", "small", "kei", None]),
        "use": st.sampled_from(["passenger", "cargo", None]),
        "declared_payload_used_kg": st.one_of(st.none(), st.integers(0, 9000)),
        "jp_gross_weight_kg": st.one_of(st.none(), st.integers(800, 9000)),
        "retail_price_jpy": st.one_of(st.none(), st.integers(300_000, 40_000_000)),
        "importer": st.sampled_from(["manufacturer", "independent", "individual"]),
    }
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(vehicle_rows, min_size=1, max_size=6),
    day=st.dates(dt.date(2023, 4, 1), dt.date(2027, 3, 31)),
)
def test_the_total_is_the_sum_of_its_parts(rows: list[dict[str, Any]], day: dt.date) -> None:
    """reg_total = sum of the six parts when all are known, else null; amounts are yen ≥ 0."""
    data = [
        {
            **SUV,
            **r,
            "retail_consumption_tax_jpy": None
            if r["retail_price_jpy"] is None
            else r["retail_price_jpy"] // 11,
        }
        for r in rows
    ]
    out = registration.run(frame(*data), context(day))
    assert out.height == len(rows)
    for row in out.iter_rows(named=True):
        parts = [row[p] for p in registration.PARTS]
        assert all(p is None or (isinstance(p, int) and p >= 0) for p in parts)
        expected = None if any(p is None for p in parts) else sum(parts)
        assert row["reg_total_jpy"] == expected


def test_trace_names_the_rounding_and_only_the_tables_used() -> None:
    """The trace cites the legal rounding; a passenger car does not consult kei or cargo tables."""
    ctx = context(dt.date(2026, 3, 1))
    registration.run(frame(SUV), ctx)
    assert {"rounding.local_tax_amount", "rounding.local_tax_base"} <= set(ctx.used)
    assert "taxes.automobile_tax.passenger_by_displacement" in ctx.used
    assert "taxes.light_vehicle_tax.annual" not in ctx.used
    assert "insurance.compulsory.private_ordinary_cargo_up_to_2t" not in ctx.used


def test_to_json_gives_the_contract_keys() -> None:
    """costs.registration carries the seven amounts of docs/stages.md."""
    document = registration.to_json(assess(dt.date(2026, 3, 1)))["registration"]
    for key in (
        "environmental_performance_tax_jpy",
        "automobile_tax_jpy",
        "weight_tax_jpy",
        "compulsory_insurance_jpy",
        "recycling_jpy",
        "fees_jpy",
        "total_jpy",
    ):
        assert key in document
    assert document["total_jpy"] == 324_190
    assert isinstance(document["reasons"], list)
