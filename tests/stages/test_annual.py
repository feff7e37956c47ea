"""Annual ownership costs and the totals over ownership, to the yen, with their assumptions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jpimport.rules import RuleStore, load_rule_tree
from jpimport.rules.loader import load_parameter
from jpimport.rules.store import DATA_DIR
from jpimport.stages.context import StageContext
from jpimport.stages.costs import annual, registration
from jpimport.stages.costs.cost_inputs import INPUTS

TODAY = dt.date(2026, 11, 21)
FAMILIES = ("taxes", "fees", "insurance", "ownership")
KM_PER_L_PER_MPG = 0.42514370749052


def _store(root: Path = Path(DATA_DIR)) -> RuleStore:
    """Only the rule families these stages read, so others' work in progress cannot break them."""
    files = sorted(f for family in FAMILIES for f in (root / family).rglob("*.yaml"))
    names = {".".join(f.relative_to(root).with_suffix("").parts): f for f in files}
    return RuleStore({n: load_parameter(f, n) for n, f in names.items()}, root)


STORE = _store()

#: A petrol SUV registered as a passenger car, driven 10,000 km a year, parked nationally.
SUV: dict[str, Any] = {
    "powertrain": "ice",
    "fuel": "regular",
    "displacement_cc": 2488,
    "curb_weight_kg": 1990,
    "seats": 5,
    "epa_combined_mpg": 20.0,
    "plant_country": "US",
    "importer": "manufacturer",
    "region": "national",
    "km_per_year": 10_000,
    "ownership_years": 5,
    "size_class": "ordinary",
    "use": "passenger",
    "declared_payload_used_kg": 0,
    "jp_gross_weight_kg": 2265,
    "inspection_first_years": 3,
    "inspection_then_years": 2,
    "retail_price_jpy": 6_600_000,
    "retail_consumption_tax_jpy": 600_000,
}
PICKUP: dict[str, Any] = {
    **SUV,
    "fuel": "diesel",
    "displacement_cc": 2393,
    "curb_weight_kg": 2135,
    "plant_country": "JP",
    "epa_combined_mpg": None,
    "jp_wltc_km_per_l": 11.7,
    "use": "cargo",
    "declared_payload_used_kg": 500,
    "jp_gross_weight_kg": 2910,
    "inspection_first_years": 2,
    "inspection_then_years": 1,
}
EV: dict[str, Any] = {
    **SUV,
    "powertrain": "ev",
    "fuel": "electric",
    "displacement_cc": None,
    "curb_weight_kg": 1800,
    "epa_combined_mpg": None,
    "epa_kwh_per_100mi": 25.0,
}
SCHEMA = {name: dtype for name, (dtype, _) in INPUTS.items() if name != "reg_total_jpy"}


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    """A frame of input rows with the stages' input types."""
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def run(
    rows: list[dict[str, Any]], as_of: dt.date = TODAY, store: RuleStore = STORE
) -> pl.DataFrame:
    """Registration then annual, as the costs stage runs them."""
    ctx = StageContext(as_of=as_of, rules=store)
    return annual.run(registration.run(frame(*rows), ctx), ctx)


def assess(as_of: dt.date = TODAY, base: dict[str, Any] = SUV, **changes: Any) -> dict[str, Any]:
    """Every cost column of one row."""
    return run([{**base, **changes}], as_of).row(0, named=True)


# --- parking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "monthly"),
    [
        ("tokyo-minato", 47_479),
        ("tokyo-adachi", 18_223),
        ("tokyo-23-wards", 34_048),
        ("tokyo", 31_077),
        ("osaka", 26_475),
        ("aichi", 13_510),
        ("kanagawa", 16_716),
        ("fukuoka", 11_798),
        ("kyoto", 18_216),
        ("nagano", 4_144),
        ("national", 8_288),
    ],
)
def test_parking_is_twelve_months_of_the_regions_average_rent(region: str, monthly: int) -> None:
    """Monthly contracted-parking rent by ward, prefecture or nation, times 12."""
    row = assess(region=region)
    assert row["parking_monthly_jpy"] == monthly
    assert row["annual_parking_jpy"] == monthly * 12


def test_a_region_without_data_is_unknown_with_a_reason() -> None:
    """No figure for Niigata: parking, the annual total and ownership totals are null, not 0."""
    row = assess(region="niigata")
    assert row["annual_parking_jpy"] is None
    assert row["annual_total_jpy"] is None
    assert row["ownership_total_jpy"] is None
    assert "no parking rent on record for region 'niigata'" in row["annual_reasons"]


# --- fuel ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "grade", "price", "fuel_jpy"),
    [
        ({}, "premium", 180.8, 212_633),  # U.S. regular → Japanese premium
        ({"fuel": "premium"}, "premium", 180.8, 212_633),
        ({"plant_country": "JP"}, "regular", 170.0, 199_932),  # the maker's Japanese rating
    ],
)
def test_fuel_is_distance_over_epa_km_per_l_times_the_grade_price(
    changes: dict[str, Any], grade: str, price: float, fuel_jpy: int
) -> None:
    """20 mpg = 8.50287 km/L; 10,000 km = 1,176.07 L."""
    row = assess(**changes)
    assert row["fuel_grade"] == grade
    assert row["fuel_price_jpy_per_l"] == pytest.approx(price)
    assert row["fuel_economy_km_per_l"] == pytest.approx(20 * KM_PER_L_PER_MPG)
    assert row["annual_fuel_jpy"] == fuel_jpy


def test_regular_petrol_price_either_side_of_the_march_2026_subsidy() -> None:
    """Japan-built regular car: ¥157.1/L on 2026-03-01, the ¥170 target from 2026-03-19."""
    before = assess(dt.date(2026, 3, 1), plant_country="JP")
    after = assess(dt.date(2026, 3, 19), plant_country="JP")
    assert before["annual_fuel_jpy"] == 184_761
    assert after["annual_fuel_jpy"] == 199_932


def test_diesel_uses_the_wltc_value_without_an_epa_figure() -> None:
    """11.7 km/L Japanese WLTC, ¥146.0/L diesel: 10,000 / 11.7 x 146 = ¥124,786."""
    row = assess(base=PICKUP)
    assert row["fuel_grade"] == "diesel"
    assert row["annual_fuel_jpy"] == 124_786


def test_electric_car_pays_for_kwh() -> None:
    """25 kWh/100 mi = 0.15534 kWh/km; 10,000 km x ¥31 = ¥48,156."""
    row = assess(base=EV)
    assert row["fuel_grade"] == "electric"
    assert row["electricity_price_jpy_per_kwh"] == pytest.approx(31.0)
    assert row["annual_fuel_jpy"] == 48_156


@pytest.mark.parametrize(("as_of", "km"), [(dt.date(2025, 8, 20), 6_972), (TODAY, 6_728)])
def test_default_distance_is_the_survey_average(as_of: dt.date, km: int) -> None:
    """Without the km_per_year option, the Sony survey average of the date (2024 vs 2025)."""
    row = assess(as_of, km_per_year=None)
    assert row["km_per_year_used"] == km


def test_missing_economy_makes_fuel_unknown() -> None:
    """No EPA or WLTC value: fuel null, with the reason."""
    row = assess(epa_combined_mpg=None)
    assert row["annual_fuel_jpy"] is None
    assert "fuel economy unknown (no EPA mpg or WLTC)" in row["annual_reasons"]


# --- legal costs in a typical year ----------------------------------------------------------


@pytest.mark.parametrize(("cc", "tax"), [(2000, 36_000), (2001, 43_500), (6001, 110_000)])
def test_annual_automobile_tax_by_displacement(cc: int, tax: int) -> None:
    """Cars first registered from 2019-10-01: ¥36,000 up to 2,000 cc, ¥43,500 from 2,001."""
    assert assess(displacement_cc=cc)["annual_automobile_tax_jpy"] == tax


@pytest.mark.parametrize(
    ("seats", "load", "tax"), [(5, 500, 16_000), (3, 500, 8_000), (5, 1500, 19_500)]
)
def test_cargo_automobile_tax_by_load_and_seats(seats: int, load: int, tax: int) -> None:
    """Load ≤1 t ¥8,000, ≤2 t ¥11,500; four seats or more add ¥8,000 over 1.5 L."""
    row = assess(base=PICKUP, seats=seats, declared_payload_used_kg=load)
    assert row["annual_automobile_tax_jpy"] == tax


@pytest.mark.parametrize(("kg", "tax"), [(1990, 16_400), (2010, 20_500)])
def test_annual_weight_tax_per_half_tonne(kg: int, tax: int) -> None:
    """¥4,100 per 0.5 t per year: 4 steps vs 5."""
    assert assess(curb_weight_kg=kg)["annual_weight_tax_jpy"] == tax


def test_typical_year_for_a_passenger_car() -> None:
    """Insurance 17,650 / 2; inspection (1,800 + 70,000) / 2; the parts add up."""
    row = assess()
    assert row["annual_compulsory_insurance_jpy"] == 8_825
    assert row["annual_inspection_jpy"] == 35_900
    parts = [row[p] for p in annual.PARTS]
    assert parts == [43_500, 16_400, 8_825, 35_900, 99_456, 212_633]
    assert row["annual_total_jpy"] == sum(parts)


@pytest.mark.parametrize(
    ("as_of", "premium"), [(dt.date(2023, 3, 31), 10_005), (dt.date(2023, 4, 1), 8_825)]
)
def test_annual_compulsory_insurance_either_side_of_the_2023_cut(
    as_of: dt.date, premium: int
) -> None:
    """Half the 24-month premium: ¥20,010 before 2023-04-01, ¥17,650 after."""
    assert assess(as_of)["annual_compulsory_insurance_jpy"] == premium


def test_cargo_is_inspected_every_year() -> None:
    """12-month insurance (estimate) and a whole inspection every year; weight 3 t x ¥4,100."""
    row = assess(base=PICKUP)
    assert row["annual_compulsory_insurance_jpy"] == 17_760
    assert row["annual_inspection_jpy"] == 71_800
    assert row["annual_weight_tax_jpy"] == 12_300


def test_electric_car_typical_year_uses_the_base_weight_rate() -> None:
    """EVs: lowest automobile-tax band, weight tax at the base ¥2,500 per 0.5 t (4 steps)."""
    row = assess(base=EV)
    assert row["annual_automobile_tax_jpy"] == 25_000
    assert row["annual_weight_tax_jpy"] == 10_000


def test_estimates_are_shown_apart_and_left_out_of_totals() -> None:
    """Voluntary insurance and maintenance ranges do not enter any total."""
    row = assess()
    assert (
        row["annual_voluntary_insurance_low_jpy"],
        row["annual_voluntary_insurance_typical_jpy"],
        row["annual_voluntary_insurance_high_jpy"],
    ) == (45_000, 90_000, 200_000)
    assert row["annual_maintenance_typical_jpy"] == 60_000
    assert row["annual_total_jpy"] == sum(row[p] for p in annual.PARTS)


# --- over the ownership period ----------------------------------------------------------------


def test_five_years_pay_one_inspection_in_year_four() -> None:
    """Year 1-5 running costs; the first inspection (after 3 years) adds 2 years of weight tax,
    24 months of insurance and one inspection to year 4."""
    row = assess()
    yearly = 43_500 + 99_456 + 212_633
    inspection = 32_800 + 17_650 + 71_800
    assert row["ownership_running_by_year_jpy"] == [yearly] * 3 + [yearly + inspection, yearly]
    assert row["first_year_running_jpy"] == yearly
    paid = 6_600_000 + row["reg_total_jpy"]
    assert row["first_year_total_jpy"] == paid + yearly
    assert row["ownership_total_jpy"] == paid + 5 * yearly + inspection


def test_electric_car_relief_and_exemptions_fall_in_their_years() -> None:
    """Year 1: automobile tax ¥6,500 (green relief); year 4: no weight tax (first inspection
    exempt); year 6: base-rate weight tax ¥2,500 x 4 x 2."""
    row = assess(base=EV, ownership_years=7)
    by_year = row["ownership_running_by_year_jpy"]
    regular = 25_000 + 99_456 + 48_156
    insurance_and_inspection = 17_650 + 71_800
    assert by_year[0] == 6_500 + 99_456 + 48_156
    assert by_year[1] == regular
    assert by_year[3] == regular + insurance_and_inspection
    assert by_year[5] == regular + 20_000 + insurance_and_inspection


def test_age_bands_apply_in_the_years_the_car_reaches_them() -> None:
    """Registered 2026-11: the 1 April 2040 tax (year 14) carries the 13-year surcharge
    (43,500 → ¥50,000); the inspection at 13 years pays the 13-year weight rate (4 x 5,700 x 2)."""
    by_year = assess(ownership_years=14)["ownership_running_by_year_jpy"]
    running = 99_456 + 212_633
    inspection = 17_650 + 71_800
    assert by_year[12] == 43_500 + running  # year 13: 12 y 5 m on 1 April, no surcharge
    assert by_year[13] == 50_000 + running + 4 * 5_700 * 2 + inspection


def test_diesel_surcharge_starts_after_eleven_years() -> None:
    """A Japan-built diesel cargo vehicle: the 1 April tax of year 12 is surcharged ~10%."""
    by_year = assess(base=PICKUP, ownership_years=12)["ownership_running_by_year_jpy"]
    yearly_others = 99_456 + 124_786 + 12_300 + 17_760 + 71_800
    assert by_year[10] == 16_000 + yearly_others
    assert by_year[11] == 17_600 + yearly_others


def test_age_can_count_from_manufacture(tmp_path: Path) -> None:
    """With the age basis set to manufacture, a 2012 car registered in 2026 is surcharged at
    once: 43,500 x 1.15 = ¥50,000; 4 months prorated = ¥16,600."""
    root = tmp_path / "data"
    for family in FAMILIES:
        shutil.copytree(Path(DATA_DIR) / family, root / family)
    basis = root / "taxes" / "automobile_tax" / "age_basis.yaml"
    basis.write_text(
        basis.read_text(encoding="utf-8").replace(
            "value: first_registration_in_japan", "value: manufacture"
        ),
        encoding="utf-8",
    )
    store = load_rule_tree(root)
    row = run([{**SUV, "manufacture_date": "2012-01"}], store=store).row(0, named=True)
    assert row["annual_automobile_tax_jpy"] == 50_000
    assert row["reg_automobile_tax_jpy"] == 16_600


def test_without_earlier_stages_totals_are_null_with_reasons() -> None:
    """No classify, no landed: totals null, reasons naming who has not run."""
    bare = pl.DataFrame({"powertrain": ["ice"], "ownership_years": [5], "region": ["national"]})
    ctx = StageContext(as_of=TODAY, rules=STORE)
    row = annual.run(registration.run(bare, ctx), ctx).row(0, named=True)
    assert row["annual_total_jpy"] is None
    assert row["first_year_total_jpy"] is None
    assert row["ownership_total_jpy"] is None
    assert any("classify has not run" in r for r in row["annual_reasons"])
    assert any("costs.landed has not run" in r for r in row["annual_reasons"])


rows_strategy = st.fixed_dictionaries(
    {
        "powertrain": st.sampled_from(["ice", "hev", "phev", "ev"]),
        "fuel": st.sampled_from(["regular", "premium", "diesel", None]),
        "displacement_cc": st.integers(600, 7000),
        "curb_weight_kg": st.integers(700, 3500),
        "epa_combined_mpg": st.one_of(st.none(), st.floats(10, 60)),
        "epa_kwh_per_100mi": st.one_of(st.none(), st.floats(20, 50)),
        "region": st.sampled_from(["national", "tokyo-minato", "osaka", "niigata", None]),
        "km_per_year": st.one_of(st.none(), st.integers(0, 40_000)),
        "ownership_years": st.integers(1, 20),
        "use": st.sampled_from(["passenger", "cargo"]),
        "plant_country": st.sampled_from(["US", "JP"]),
    }
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(rows_strategy, min_size=1, max_size=5))
def test_totals_are_the_sums_of_their_parts(rows: list[dict[str, Any]]) -> None:
    """annual = its six parts; ownership = retail + registration + each year; first year too."""
    data = [
        {**(PICKUP if r["use"] == "cargo" else SUV), **r, "jp_wltc_km_per_l": None} for r in rows
    ]
    out = run(data)
    assert out.height == len(rows)
    for row in out.iter_rows(named=True):
        parts = [row[p] for p in annual.PARTS]
        assert row["annual_total_jpy"] == (None if None in parts else sum(parts))
        by_year = row["ownership_running_by_year_jpy"]
        assert len(by_year) == row["ownership_years"]
        paid = (
            None if row["reg_total_jpy"] is None else row["retail_price_jpy"] + row["reg_total_jpy"]
        )
        if paid is None or None in by_year:
            assert row["ownership_total_jpy"] is None
        else:
            assert row["ownership_total_jpy"] == paid + sum(by_year)
            assert row["first_year_total_jpy"] == paid + by_year[0]


def test_to_json_gives_the_contract_keys_and_assumptions() -> None:
    """annual, estimates, first_year_jpy, ownership and ownership_assumptions."""
    document = annual.to_json(assess(region="tokyo-minato"))
    assert set(document) == {
        "annual",
        "estimates",
        "first_year_jpy",
        "first_year_known_total_jpy",
        "first_year_missing",
        "ownership",
        "ownership_assumptions",
    }
    assert document["annual"]["parking_jpy"] == 569_748
    assert document["ownership"]["years"] == 5
    assumptions = document["ownership_assumptions"]
    assert assumptions["region"] == "tokyo-minato"
    assert assumptions["fuel_grade"] == "premium"
    assert assumptions["fuel_price_jpy_per_l"] == pytest.approx(180.8)
    assert assumptions["km_per_year"] == 10_000
