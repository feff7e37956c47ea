"""Landed cost and retail price: the FOB → CIF → tax → landed → retail chain, to the yen."""

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
from jpimport.stages.costs import landed
from jpimport.stages.costs.landed_inputs import INPUT_SCHEMA
from jpimport.stages.costs.landed_tax import (
    consumption_tax_base,
    customs_value,
    duty,
    local_tax,
    national_tax,
)

TODAY = dt.date(2026, 11, 21)


def _landed_store() -> RuleStore:
    """Only this stage's rule files, so other families' work in progress cannot break these."""
    root = Path(DATA_DIR)
    files = sorted((root / "landed").rglob("*.yaml"))
    names = {".".join(f.relative_to(root).with_suffix("").parts): f for f in files}
    return RuleStore({n: load_parameter(f, n) for n, f in names.items()}, root)


STORE = _landed_store()

SEDAN: dict[str, Any] = {
    "msrp_usd": 40000,
    "plant_country": "US",
    "body": "sedan",
    "length_mm": 4915,
    "width_mm": 1840,
    "height_mm": 1445,
    "importer": "manufacturer",
    "volume": 1000,
    "rhd_conversion": False,
    "pathway_fixed_cost_jpy": 50_000_000,
    "pathway_unit_cost_jpy": 10_000,
    "modifications_low_jpy": 50_000,
    "modifications_jpy": 100_000,
    "modifications_high_jpy": 200_000,
}


def ctx(as_of: dt.date = TODAY) -> StageContext:
    """A context over the landed rules only."""
    return StageContext(as_of=as_of, rules=STORE)


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    """Rows of the given columns (others absent), typed as the stages would type them."""
    columns = sorted({k for row in rows for k in row})
    schema = {c: INPUT_SCHEMA.get(c, pl.String()) for c in columns}
    return pl.DataFrame([{c: row.get(c) for c in columns} for row in rows], schema=schema)


def one(row: dict[str, Any], as_of: dt.date = TODAY) -> dict[str, Any]:
    """Run the stage on one row and return the result row."""
    return landed.run(frame(row), ctx(as_of)).row(0, named=True)


def test_manufacturer_sedan_to_the_yen() -> None:
    """Each step of the chain for a $40,000 sedan imported by its maker at ¥157."""
    r = one(SEDAN)
    assert r["price_basis"] == "msrp"
    assert r["usd_jpy_used"] == 157.0
    assert r["fob_usd"] == 37200.0  # 40,000 x 0.93
    assert r["fob_jpy"] == 5_840_400
    assert r["inland_freight_jpy"] == 125_600  # $800
    assert r["shipping_volume_m3"] == 13.07  # 4.915 x 1.84 x 1.445
    assert r["ocean_freight_jpy"] == 190_835  # 13.07 m3 x $93 x 157
    assert r["freight_jpy"] == 316_435
    assert r["insurance_jpy"] == 67_725  # 1% of 110% of (FOB + freight)
    assert r["cif_jpy"] == 6_224_560
    assert r["customs_value_jpy"] == 6_224_000
    assert r["duty_jpy"] == 0
    assert r["import_consumption_tax_national_jpy"] == 485_400  # 485,472 cut to ¥100
    assert r["import_consumption_tax_local_jpy"] == 136_900  # 485,400 x 22/78 = 136,907.7
    assert r["import_consumption_tax_jpy"] == 622_300
    assert r["import_tax_credit_jpy"] == -622_300
    assert r["port_handling_jpy"] == 55_000  # 40,000 port + 15,000 brokerage
    assert r["pathway_jpy"] == 60_000  # 50M / 1,000 units + 10,000
    assert r["landed_rhd_conversion_jpy"] == 0
    assert r["pdi_jpy"] == 40_000
    assert r["landed_total_jpy"] == 6_479_560
    assert r["dealer_margin_jpy"] == 1_143_452  # 15% of the pre-tax retail price
    assert r["retail_consumption_tax_jpy"] == 762_301
    assert r["retail_price_jpy"] == 8_385_313
    assert r["landed_reasons"] == []


def test_individual_bears_the_import_tax_and_pays_tax_on_services() -> None:
    """An individual gets no credit and sells nothing: 10% is added on services in Japan."""
    row = {
        **SEDAN,
        "importer": "individual",
        "usd_jpy": 150.0,
        "body": "pickup",
        "length_mm": None,
        "rhd_conversion": True,
        "pathway_fixed_cost_jpy": 0,
        "pathway_unit_cost_jpy": 300_000,
        "modifications_jpy": 200_000,
        "rhd_conversion_jpy": 800_000,
    }
    r = one(row)
    assert r["fob_jpy"] == 6_180_000  # $40,000 x 1.03 x 150
    assert r["shipping_volume_basis"] == "body_estimate"
    assert r["ocean_freight_jpy"] == 495_000  # 22 m3 x $150 x 150
    assert r["import_consumption_tax_jpy"] == 692_900
    assert r["import_tax_credit_jpy"] == 0
    assert r["landed_rhd_conversion_jpy"] == 800_000
    assert r["landed_total_jpy"] == 9_018_305
    assert r["dealer_margin_jpy"] == 0
    domestic = 55_000 + 300_000 + 200_000 + 800_000 + 40_000
    assert r["retail_consumption_tax_jpy"] == domestic // 10 == 139_500
    assert r["retail_price_jpy"] == 9_157_805


def test_business_importers_credit_the_tax_individuals_do_not() -> None:
    """Same $30,000 price and a 14.4 m3 body: a business credits the tax, an individual cannot."""
    base = {**SEDAN, "price_usd": 30000.0, "usd_jpy": 150.0, "length_mm": 4800}
    base |= {"width_mm": 2000, "height_mm": 1500}
    importers = ("manufacturer", "independent", "individual")
    out = landed.run(frame(*({**base, "importer": i} for i in importers)), ctx())
    # ocean 14.4 m3 x $93 / $130 / $150 x 150 = 200,880 / 280,800 / 324,000
    assert out["cif_jpy"].to_list() == [4_752_590, 4_833_389, 4_877_064]
    assert out["import_consumption_tax_national_jpy"].to_list() == [370_600, 376_900, 380_400]
    assert out["import_consumption_tax_local_jpy"].to_list() == [104_500, 106_300, 107_200]
    assert out["import_consumption_tax_jpy"].to_list() == [475_100, 483_200, 487_600]
    assert out["import_tax_credit_jpy"].to_list() == [-475_100, -483_200, 0]


@pytest.mark.parametrize(
    ("plant", "expected"), [("JP", "jp_price"), ("TH", "jp_price"), ("US", "msrp")]
)
def test_japan_built_comparable_is_priced_in_japan(plant: str, expected: str) -> None:
    """Built in Japan (or priced in Japan and built outside the U.S.): jp_price, no imports."""
    r = one({**SEDAN, "plant_country": plant, "jp_price_jpy": 6_350_000})
    assert r["price_basis"] == expected
    if expected == "jp_price":
        assert r["retail_price_jpy"] == 6_350_000
        assert r["retail_price_ex_tax_jpy"] == 6_350_000 - 577_272  # tax = 6,350,000 / 11
        for name in ("fob_jpy", "cif_jpy", "import_consumption_tax_jpy", "landed_total_jpy"):
            assert r[name] is None, name
        assert r["landed_notes"][0].startswith("Japan-built comparable")
    else:
        assert r["retail_price_jpy"] == 8_385_313


def test_missing_price_is_null_with_a_reason_never_zero() -> None:
    """No MSRP and no price_usd: every amount is null and the row says why."""
    r = one({**SEDAN, "msrp_usd": None})
    assert r["price_basis"] is None
    for name in landed.AMOUNTS:
        assert r[name] is None, name
    assert r["landed_reasons"][0].startswith("no price")


def test_price_usd_overrides_msrp_and_adds_no_inland_freight() -> None:
    """A price given in USD is the FOB price at the U.S. port (used cars are priced this way)."""
    r = one({**SEDAN, "price_usd": 25000.0})
    assert r["price_basis"] == "price_usd"
    assert r["fob_jpy"] == 25000 * 157
    assert r["inland_freight_jpy"] == 0


def test_absent_earlier_stages_give_null_totals_not_a_crash() -> None:
    """Without route and compliance columns, the import parts exist and the totals are null."""
    row = {k: v for k, v in SEDAN.items() if not k.startswith(("pathway", "modifications"))}
    r = one(row)
    assert r["cif_jpy"] == 6_224_560
    assert r["modifications_jpy"] is None
    assert r["landed_total_jpy"] is None
    assert r["retail_price_jpy"] is None
    reasons = " | ".join(r["landed_reasons"])
    assert "route costs unknown" in reasons
    assert "modifications_jpy missing" in reasons


@pytest.mark.parametrize(
    ("as_of", "rate"),
    [
        (dt.date(2025, 8, 31), None),
        (dt.date(2025, 9, 1), 147.0),
        (dt.date(2025, 9, 30), 147.0),
        (dt.date(2025, 10, 1), 148.0),
        (dt.date(2025, 11, 30), 148.0),
        (dt.date(2025, 12, 1), 151.0),
        (dt.date(2026, 1, 31), 151.0),
        (dt.date(2026, 2, 1), 156.0),
        (dt.date(2026, 2, 28), 156.0),
        (dt.date(2026, 3, 1), 157.0),
    ],
)
def test_default_exchange_rate_on_each_side_of_its_dates(
    as_of: dt.date, rate: float | None
) -> None:
    """The dated default applies in its window; before the first one there is no rate."""
    r = one({**SEDAN, "price_usd": 10000.0}, as_of)
    assert r["usd_jpy_used"] == rate
    if rate is None:
        assert r["fob_jpy"] is None
        assert any("no exchange rate" in reason for reason in r["landed_reasons"])
    else:
        assert r["fob_jpy"] == int(10000 * rate)


def test_the_usd_jpy_option_overrides_the_default() -> None:
    """An explicit rate wins over the dated default."""
    assert one({**SEDAN, "price_usd": 10000.0, "usd_jpy": 140.5})["fob_jpy"] == 1_405_000


def test_estimates_start_in_2025_and_say_so_before() -> None:
    """Cost estimates are not in force before 2025-01-01: amounts null, reasons name them."""
    before = one({**SEDAN, "usd_jpy": 150.0}, dt.date(2024, 12, 31))
    after = one({**SEDAN, "usd_jpy": 150.0}, dt.date(2025, 1, 1))
    assert before["fob_jpy"] is None and before["landed_total_jpy"] is None
    assert "landed.fob_share_of_msrp is not in force on 2024-12-31" in before["landed_reasons"]
    assert after["fob_jpy"] == 5_580_000 and after["landed_total_jpy"] is not None


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("import_consumption_tax.national_rate", 0.063, 0.078),
        ("import_consumption_tax.local_rate", 0.017, 0.022),
        ("consumption_tax_rate", 0.08, 0.1),
    ],
)
def test_consumption_tax_rates_on_each_side_of_2019_10_01(
    name: str, before: float, after: float
) -> None:
    """8% (6.3 + 1.7) until 2019-09-30, 10% (7.8 + 2.2) from 2019-10-01; none before 2014-04."""
    parameter = STORE.parameter("landed." + name)
    assert parameter.at(dt.date(2019, 9, 30)).value == before
    assert parameter.at(dt.date(2019, 10, 1)).value == after
    assert parameter.at(dt.date(2014, 4, 1)).value == before
    assert parameter.find(dt.date(2014, 3, 31)) is None


def test_duty_rate_is_zero_from_1979() -> None:
    """No customs duty on cars; jpimport has no value before 1979-01-01."""
    duty_rate = STORE.parameter("landed.duty_rate")
    assert duty_rate.find(dt.date(1978, 12, 31)) is None
    assert duty_rate.at(dt.date(1979, 1, 1)).value == 0


ESTIMATES = [n for n in STORE.names() if STORE.parameter(n).windows[0].start == dt.date(2025, 1, 1)]


@pytest.mark.parametrize("name", ESTIMATES)
def test_estimates_on_each_side_of_their_start(name: str) -> None:
    """Every 2025-01-01 estimate is absent the day before and present on the day."""
    parameter = STORE.parameter(name)
    assert parameter.windows[0].status == "estimate"
    assert parameter.find(dt.date(2024, 12, 31)) is None
    assert parameter.find(dt.date(2025, 1, 1)) is not None


def _taxes(cif: int, national: str, local: str) -> tuple[int, int]:
    """National and local import consumption tax on a CIF value, through the stage's helpers."""
    from fractions import Fraction

    n, lo = Fraction(national), Fraction(local)
    value = customs_value(pl.lit(cif))
    base = consumption_tax_base(value, duty(value, Fraction(0)))
    nat = national_tax(base, n)
    out = pl.select(nat.alias("n"), local_tax(nat, n, lo).alias("l"))
    return out["n"].item(), out["l"].item()


def test_import_tax_before_and_after_2019_10_01() -> None:
    """The same CIF value: 6.3% + 17/63 before, 7.8% + 22/78 after, each cut below ¥100."""
    assert _taxes(5_974_252, "0.063", "0.017") == (376_300, 101_500)
    assert _taxes(5_974_252, "0.078", "0.022") == (465_900, 131_400)


def test_local_tax_matches_the_customs_worked_example() -> None:
    """Customs Answer 1111: national ¥56,400 gives local ¥15,907 → ¥15,900."""
    from fractions import Fraction

    out = pl.select(local_tax(pl.lit(56_400), Fraction("0.078"), Fraction("0.022")))
    assert out.item() == 15_900


def test_rhd_conversion_asked_for_without_a_cost_is_unknown() -> None:
    """Asking for RHD conversion when compliance gave no cost: null total and a reason."""
    r = one({**SEDAN, "rhd_conversion": True})
    assert r["landed_rhd_conversion_jpy"] is None
    assert r["landed_total_jpy"] is None
    assert any("RHD conversion" in reason for reason in r["landed_reasons"])


def test_fixed_route_cost_is_spread_and_rounded_up() -> None:
    """¥1,000,001 over 1,000 units is ¥1,001 a unit (never under-recovered), plus unit cost."""
    r = one({**SEDAN, "pathway_fixed_cost_jpy": 1_000_001, "pathway_unit_cost_jpy": 5})
    assert r["pathway_jpy"] == 1_006


def test_unknown_importer_and_unknown_volume_are_reasons() -> None:
    """A bad importer or a vehicle with no dimensions or body leaves the totals unknown."""
    r = one({**SEDAN, "importer": "dealer", "length_mm": None, "body": None})
    assert r["landed_total_jpy"] is None
    reasons = " | ".join(r["landed_reasons"])
    assert "importer is missing or not manufacturer" in reasons
    assert "shipping volume unknown" in reasons


def test_trace_holds_every_parameter_and_marks_estimates() -> None:
    """Each parameter used is traced; estimates and the exchange rate are listed unconfirmed."""
    context = ctx()
    landed.run(frame(SEDAN), context)
    used = set(context.used)
    assert {n for n in STORE.names()} <= used
    assert {"rounding.customs_tax_base", "rounding.customs_tax_amount"} <= used
    assert "landed.usd_jpy" in context.unconfirmed
    assert "landed.import_consumption_tax.national_rate" not in context.unconfirmed


def test_a_japan_built_row_alone_loads_no_import_parameters() -> None:
    """Only the consumption tax rate is consulted when no row is imported."""
    context = ctx()
    landed.run(frame({"plant_country": "JP", "jp_price_jpy": 5_000_000}), context)
    assert set(context.used) == {"landed.consumption_tax_rate"}


def test_empty_frame_keeps_its_shape() -> None:
    """Zero rows in, zero rows out, with the stage's columns."""
    out = landed.run(frame(SEDAN).head(0), ctx())
    assert out.height == 0
    assert "landed_total_jpy" in out.columns and "landed_reasons" in out.columns


def test_to_json_has_the_contract_keys_and_adds_up() -> None:
    """The JSON parts of the landed total and of the retail price add up to their totals."""
    row = landed.run(frame(SEDAN), ctx()).row(0, named=True)
    doc = landed.to_json(row)
    parts = doc["landed"]
    summed = sum(
        parts[k]
        for k in (
            "cif_jpy",
            "duty_jpy",
            "import_consumption_tax_jpy",
            "import_tax_credit_jpy",
            "port_handling_jpy",
            "pathway_jpy",
            "modifications_jpy",
            "rhd_conversion_jpy",
            "pdi_jpy",
        )
    )
    assert summed == parts["total_jpy"]
    assert parts["modifications_range_jpy"] == {"low": 50_000, "high": 200_000}
    retail = doc["retail"]
    assert (
        retail["landed_total_jpy"] + retail["dealer_margin_jpy"] + retail["consumption_tax_jpy"]
        == (retail["total_jpy"])
    )
    assert doc["retail_price_jpy"] == retail["total_jpy"]
    assert doc["assumptions"] == {
        "usd_jpy": 157.0,
        "price_basis": "msrp",
        "fob_usd": 37200.0,
        "importer": "manufacturer",
        "volume": 1000,
        "rhd_conversion": False,
        "shipping_volume_m3": 13.07,
        "shipping_volume_basis": "dimensions",
    }


def _check_sums(r: dict[str, Any]) -> None:
    """Every total equals the sum of its parts, and the ranges bracket the typical point."""
    assert r["freight_jpy"] == r["inland_freight_jpy"] + r["ocean_freight_jpy"]
    assert r["cif_jpy"] == r["fob_jpy"] + r["freight_jpy"] + r["insurance_jpy"]
    assert r["port_handling_jpy"] == r["port_charges_jpy"] + r["customs_brokerage_jpy"]
    national, local = (
        r["import_consumption_tax_national_jpy"],
        r["import_consumption_tax_local_jpy"],
    )
    assert r["import_consumption_tax_jpy"] == national + local
    assert national % 100 == 0 and local % 100 == 0 and r["import_tax_base_jpy"] % 1000 == 0
    parts = (
        "cif_jpy",
        "duty_jpy",
        "import_consumption_tax_jpy",
        "import_tax_credit_jpy",
        "port_handling_jpy",
        "pathway_jpy",
        "modifications_jpy",
        "landed_rhd_conversion_jpy",
        "pdi_jpy",
    )
    assert r["landed_total_jpy"] == sum(r[p] for p in parts)
    retail = r["landed_total_jpy"] + r["dealer_margin_jpy"] + r["retail_consumption_tax_jpy"]
    assert r["retail_price_jpy"] == retail
    if r["importer"] == "individual":
        assert r["import_tax_credit_jpy"] == 0 and r["dealer_margin_jpy"] == 0
    else:
        assert r["import_tax_credit_jpy"] == -r["import_consumption_tax_jpy"]
    assert r["landed_total_low_jpy"] <= r["landed_total_jpy"] <= r["landed_total_high_jpy"]
    assert r["retail_price_low_jpy"] <= r["retail_price_jpy"] <= r["retail_price_high_jpy"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "msrp_usd": st.integers(1_000, 500_000),
                "price_usd": st.one_of(
                    st.none(), st.floats(100, 400_000).map(lambda x: round(x, 2))
                ),
                "usd_jpy": st.one_of(st.none(), st.floats(70, 250).map(lambda x: round(x, 3))),
                "volume": st.integers(1, 100_000),
                "importer": st.sampled_from(["manufacturer", "independent", "individual"]),
                "body": st.sampled_from(["sedan", "suv", "pickup", "van"]),
                "length_mm": st.one_of(st.none(), st.integers(3000, 6500)),
                "pathway_fixed_cost_jpy": st.integers(0, 200_000_000),
                "pathway_unit_cost_jpy": st.integers(0, 2_000_000),
                "rhd_conversion": st.booleans(),
            }
        ),
        min_size=1,
        max_size=8,
    )
)
def test_parts_add_up_to_every_total(rows: list[dict[str, Any]]) -> None:
    """For random prices, volumes, rates and importers, each total is the sum of its parts."""
    full = [
        {
            **SEDAN,
            **row,
            "rhd_conversion_low_jpy": 500_000,
            "rhd_conversion_jpy": 900_000,
            "rhd_conversion_high_jpy": 1_500_000,
        }
        for row in rows
    ]
    out = landed.run(frame(*full), ctx())
    assert out.height == len(rows)
    for r in out.iter_rows(named=True):
        assert r["landed_reasons"] == []
        _check_sums(r)
