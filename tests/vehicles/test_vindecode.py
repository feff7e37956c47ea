"""VIN decoding: structure, WMI, model year, plant, vPIC data and catalog match.

The real VINs below were all published; a comment says where. Their check digits are valid.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tomllib
from importlib.resources import files
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from jpimport.errors import InputError, VinError
from jpimport.vehicles import vindecode
from jpimport.vehicles.vindecode import (
    check_digit,
    check_vin,
    decode_vin,
    match_catalog,
    model_year,
    score_candidate,
)

# Published VINs of U.S.-built vehicles.
# 2022 Toyota Tundra SR5 CrewMax: Toyota window sticker (final assembly San Antonio, TX) in
# GitHub repo Sman19/Personal-Vehicles, file "5TFLA5DB7NX001907 - Tiff.pdf".
TUNDRA_2022 = "5TFLA5DB7NX001907"
# 2013 Toyota Tundra Crew Cab 4x4: Ritchie Bros. Auctioneers, Houston TX sale of 5-6 Feb 2014,
# item 3984681 (rbauction.com listing JSON, serial number field).
TUNDRA_2013 = "5TFDW5F19DX287381"
# 2006 Toyota Tundra: the same Ritchie Bros. Houston sale, item 3984672.
TUNDRA_2006 = "5TBET34156S550214"
# 2026 Toyota Tundra SR5 (dealer stock TX004025, MSRP $52,349): dealer vehicle-detail-page
# markup captured in a public scraper's test fixture.
TUNDRA_2026 = "5TFLA5BC9TX004025"
# 2007 Honda Odyssey LX (Lincoln, Alabama): davidpeckham/vin tests/cars/test_decode.yaml.
ODYSSEY_2007 = "5FNRL38297B007384"
# 2003 Honda Accord EX-V6 coupe (Marysville, Ohio): NHTSA vPIC decode outputs captured in
# public API fixtures (Plant City MARYSVILLE, OHIO).
ACCORD_2003 = "1HGCM82633A004352"
# 2015 Tesla Model S (Fremont): NHTSA vPIC decode in PeteCarrott/vinDecode sampleData.md.
MODEL_S_2015 = "5YJSA1H12FFP71790"
# 2022 Tesla Model Y, WMI 7SA: sample in an open-source vPIC decoder's test suite
# ("Community Patterns - Tesla International", TESLA_AUSTIN_MODEL_Y list).
MODEL_Y_2022 = "7SAYGDEE2NF433437"
# 1989 Ford F-150 (Norfolk, Virginia): davidpeckham/vin tests/cars/test_decode.yaml.
F150_1989 = "1FTEF14N5KNB35920"
# 2008 Chevrolet 1500 Extended Cab (Silverado): Ritchie Bros. Houston sale of Feb 2014,
# item 3981340.
SILVERADO_2008 = "1GCEC19X28Z298139"
# 2013 Jeep Wrangler Sport (Toledo): davidpeckham/vin tests/cars/test_decode.yaml.
WRANGLER_2013 = "1C4GJWAG3DL544796"
# 2010 Toyota Camry (Georgetown, Kentucky): davidpeckham/vin tests/cars/test_decode.yaml.
CAMRY_2010 = "4T1BB3EK5AU118081"
# 2026 Toyota Tacoma (Mexico, for contrast): Toyota window sticker in Sman19/Personal-Vehicles,
# file "3TMLB5JNXTM212971 - REI.pdf".
TACOMA_2026_MX = "3TMLB5JNXTM212971"

AS_OF = dt.date(2026, 11, 21)
# An independent copy of 49 CFR 565.15(c): transliteration and position weights.
CFR_VALUES = dict(zip("0123456789", range(10), strict=True)) | {
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8, "J": 1, "K": 2, "L": 3,
    "M": 4, "N": 5, "P": 7, "R": 9, "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8,
    "Z": 9,
}  # fmt: skip
CFR_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
CONTRACT_KEYS = {
    "vin", "valid", "check_digit_ok", "manufacturer", "country", "model_year", "plant", "make",
    "model", "catalog_match",
}  # fmt: skip


def small_catalog() -> pl.DataFrame:
    """A catalog frame with the canonical columns the matcher reads."""
    return pl.DataFrame(
        {
            "id": ["toyota-tundra-2026-sr5", "toyota-tundra-2026-limited", "toyota-camry-2026-le",
                   "chevrolet-silverado-1500-2026-wt", "honda-odyssey-2026-ex-l"],
            "make": ["Toyota", "Toyota", "Toyota", "Chevrolet", "Honda"],
            "model": ["Tundra", "Tundra", "Camry", "Silverado 1500", "Odyssey"],
            "trim": ["SR5 CrewMax", "Limited CrewMax", "LE", "WT", "EX-L"],
            "model_year": [2026, 2026, 2026, 2026, 2026],
            "plant_city": ["San Antonio", "San Antonio", "Georgetown", "Roanoke", "Lincoln"],
            "body": ["pickup", "pickup", "sedan", "pickup", "minivan"],
        }
    )  # fmt: skip


def decode(vin: str) -> vindecode.VinDecoding:
    """Decode against the small test catalog on a fixed date."""
    return decode_vin(vin, catalog=small_catalog(), as_of=AS_OF)


# ----------------------------------------------------------------------------- real VINs


@pytest.mark.parametrize(
    ("vin", "make", "model", "year", "plant_city", "state"),
    [
        (TUNDRA_2022, "Toyota", "Tundra", 2022, "San Antonio", "TX"),
        (TUNDRA_2013, "Toyota", "Tundra", 2013, "San Antonio", "TX"),
        (TUNDRA_2006, "Toyota", "Tundra", 2006, "Princeton", "IN"),
        (TUNDRA_2026, "Toyota", "Tundra", 2026, "San Antonio", "TX"),
        (ODYSSEY_2007, "Honda", "Odyssey", 2007, "Lincoln", "AL"),
        (ACCORD_2003, "Honda", "Accord", 2003, "Marysville", "OH"),
        (MODEL_S_2015, "Tesla", "Model S", 2015, "Fremont", "CA"),
        (MODEL_Y_2022, "Tesla", "Model Y", 2022, "Fremont", "CA"),
        (F150_1989, "Ford", "F-150", 1989, "Norfolk", "VA"),
        (SILVERADO_2008, "Chevrolet", "Silverado", 2008, "Roanoke", "IN"),
        (WRANGLER_2013, "Jeep", "Wrangler", 2013, "Toledo", "OH"),
        (CAMRY_2010, "Toyota", "Camry", 2010, "Georgetown", "KY"),
    ],
)
def test_real_us_built_vins(
    vin: str, make: str, model: str, year: int, plant_city: str, state: str
) -> None:
    """Published VINs decode to their maker, the United States, model year and plant."""
    decoded = decode(vin)
    assert decoded.valid and decoded.check_digit_ok
    assert (decoded.make, decoded.model, decoded.model_year) == (make, model, year)
    assert (decoded.country, decoded.country_name, decoded.us_built) == (
        "US", "United States", True,
    )  # fmt: skip
    assert (decoded.plant.city, decoded.plant.state, decoded.plant.country) == (
        plant_city, state, "US",
    )  # fmt: skip
    assert decoded.plant.code == vin[10]
    assert decoded.plant.sources, "every plant names its sources"
    assert decoded.vpic_matched


def test_tundra_names_toyota_united_states_and_san_antonio() -> None:
    """The lead's case: a real Tundra VIN names Toyota, the U.S. and the San Antonio plant."""
    decoded = decode(TUNDRA_2022)
    assert decoded.manufacturer == "Toyota Motor Manufacturing, Texas, Inc."
    assert decoded.make == "Toyota"
    assert decoded.country == "US"
    assert decoded.plant.name == "Toyota Motor Manufacturing, Texas (TMMTX)"
    assert decoded.plant.city == "San Antonio"
    assert decoded.body == "pickup"
    assert decoded.trim == "SR5"
    assert decoded.wmi == "5TF"


def test_tundra_matches_the_bundled_catalog() -> None:
    """Against the real catalog, a 2026 Tundra SR5 finds a Tundra entry."""
    decoded = decode_vin(TUNDRA_2026, as_of=AS_OF)
    assert decoded.catalog_match is not None
    assert decoded.catalog_match.id.startswith("toyota-tundra-")
    assert 0.0 <= decoded.catalog_match.confidence <= 1.0


def test_model_year_newer_than_vpic_is_noted() -> None:
    """A 2026 VIN says that the 2024-03 vPIC snapshot predates it."""
    decoded = decode(TUNDRA_2026)
    assert decoded.vpic_version is not None and decoded.vpic_version.startswith("3.45")
    assert any("vPIC data (2024-03) predates model year 2026" in n for n in decoded.notes)


def test_mexican_tacoma_is_not_us_built() -> None:
    """A 3TM Tacoma is Mexican; its plant code is not in the sourced table."""
    decoded = decode(TACOMA_2026_MX)
    assert (decoded.country, decoded.us_built) == ("MX", False)
    assert decoded.plant.code == "M" and decoded.plant.city is None
    assert any("plant unknown" in n for n in decoded.notes)
    assert decoded.catalog_match is None


def test_model_dump_has_the_json_contract() -> None:
    """model_dump gives the contract keys (and more), with nested plant and catalog_match."""
    dumped = decode(TUNDRA_2026).model_dump()
    assert set(dumped) >= CONTRACT_KEYS
    assert {"code", "name", "city", "state"} <= set(dumped["plant"])
    assert {"id", "confidence", "reason"} <= set(dumped["catalog_match"])
    assert isinstance(dumped["notes"], list)


def test_decoding_is_frozen() -> None:
    """A VinDecoding cannot be changed after it is made."""
    decoded = decode(TUNDRA_2022)
    with pytest.raises(ValidationError):
        decoded.make = "Ford"  # type: ignore[misc]


# ----------------------------------------------------------------------------- structure errors


def test_lower_case_and_whitespace_are_accepted() -> None:
    """Input is upper-cased and stripped."""
    decoded = decode(f"  {TUNDRA_2022.lower()}\n")
    assert decoded.vin == TUNDRA_2022
    assert check_vin(TUNDRA_2022.lower()) is None


@pytest.mark.parametrize("text", ["5TFLA5DB7NX00190", "5TFLA5DB7NX0019070", ""])
def test_wrong_length(text: str) -> None:
    """The error states the length found."""
    with pytest.raises(VinError) as info:
        decode_vin(text)
    assert f"has {len(text)} characters, expected 17" in str(info.value)
    assert info.value.position is None


@pytest.mark.parametrize("bad", ["I", "O", "Q"])
@pytest.mark.parametrize("position", [1, 5, 12, 17])
def test_forbidden_letters_report_their_position(bad: str, position: int) -> None:
    """I, O and Q are refused, naming the character and its 1-based position."""
    text = TUNDRA_2022[: position - 1] + bad + TUNDRA_2022[position:]
    error = check_vin(text)
    assert isinstance(error, VinError)
    assert error.position == position
    assert f"character {bad!r} is not allowed" in str(error)
    with pytest.raises(VinError):
        decode_vin(text)


def test_first_bad_character_is_reported() -> None:
    """With several bad characters, the first one is named."""
    error = check_vin("5TF-A5DB7NX00190Q")
    assert error is not None and error.position == 4 and "'-'" in str(error)


def test_wrong_check_digit_names_the_expected_digit() -> None:
    """The error says which digit was expected, at position 9."""
    wrong = TUNDRA_2022[:8] + "3" + TUNDRA_2022[9:]
    with pytest.raises(VinError) as info:
        decode_vin(wrong)
    assert str(info.value) == (
        "invalid VIN '5TFLA5DB3NX001907' at position 9: check digit is '3', expected '7'"
    )
    assert (info.value.position, info.value.expected) == (9, "7")
    assert isinstance(info.value, InputError) and isinstance(info.value, ValueError)


def test_check_vin_returns_none_for_sound_vins() -> None:
    """check_vin never raises; it returns None or the error."""
    assert check_vin(TUNDRA_2022) is None
    assert isinstance(check_vin("nonsense"), VinError)


# ----------------------------------------------------------------------------- properties


def cfr_check_digit(vin: str) -> str:
    """The check digit computed from the independent CFR tables above."""
    remainder = sum(CFR_VALUES[c] * w for c, w in zip(vin, CFR_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def with_check_digit(body: str) -> str:
    """A 17-character VIN from 16 characters, with the computed check digit at position 9."""
    draft = body[:8] + "0" + body[8:]
    return draft[:8] + check_digit(draft) + draft[9:]


bodies = st.text(alphabet=ALPHABET, min_size=16, max_size=16)


@given(bodies)
def test_any_vin_with_its_check_digit_passes(body: str) -> None:
    """Any 17 allowed characters with the computed check digit pass the structure check."""
    vin = with_check_digit(body)
    assert check_vin(vin) is None
    assert check_digit(vin) == cfr_check_digit(vin)


@given(bodies, st.integers(0, 16).filter(lambda i: i != 8), st.sampled_from(ALPHABET))
def test_changing_one_character_breaks_the_check_digit(body: str, index: int, new: str) -> None:
    """One changed character fails the check, unless it transliterates to the same value."""
    vin = with_check_digit(body)
    if new == vin[index]:
        return
    changed = vin[:index] + new + vin[index + 1 :]
    error = check_vin(changed)
    if CFR_VALUES[new] == CFR_VALUES[vin[index]]:
        assert error is None  # e.g. A and J both count 1: a known blind spot of the check digit
    else:
        assert error is not None and error.position == 9
        assert error.expected == cfr_check_digit(changed)


@given(bodies)
def test_check_digit_agrees_with_the_vin_package(body: str) -> None:
    """Our check digit equals the one the `vin` dependency computes."""
    from vin import VIN

    vin = with_check_digit(body)
    assert VIN.calculate_check_digit(vin) == check_digit(vin)


# ----------------------------------------------------------------------------- model year


@pytest.mark.parametrize(
    ("vin", "year"),
    [
        ("1GCEC14W6TZ228585", 1996),  # digit at position 7: 1980-2009 cycle
        ("5TBET34156S550214", 2006),
        ("4T1BB3EK5AU118081", 2010),  # letter at position 7: 2010-2039 cycle
        ("5TFLA5BC9TX004025", 2026),
    ],
)
def test_position_seven_chooses_the_cycle(vin: str, year: int) -> None:
    """Position 7 decides between 1980-2009 and 2010-2039 (49 CFR 565.15, Table VII note)."""
    assert model_year(vin, as_of=AS_OF) == (year, [])


def test_digit_year_codes_in_the_new_cycle() -> None:
    """With a letter at position 7, digits 1-9 at position 10 mean 2031-2039 once possible."""
    vin = with_check_digit("5TFLA5BC" + "1X004025")
    assert model_year(vin, as_of=dt.date(2031, 1, 1))[0] == 2031
    year, notes = model_year(vin, as_of=AS_OF)
    assert year == 2001 and "in the future" in notes[0]


@pytest.mark.parametrize("code", ["0", "U", "Z"])
def test_codes_that_are_no_year(code: str) -> None:
    """0, U and Z are never model-year codes: year unknown, with a note."""
    vin = with_check_digit("5TFLA5BC" + code + "X004025")
    year, notes = model_year(vin)
    assert year is None and f"position 10 is {code!r}" in notes[0]
    assert decode(vin).model_year is None


# ----------------------------------------------------------------------------- WMI and plant


@pytest.mark.parametrize(
    ("prefix", "country"),
    [("1G", "US"), ("4T", "US"), ("5Y", "US"), ("7S", "US"), ("7F", "US"), ("7A", "NZ"),
     ("2T", "CA"), ("3G", "MX"), ("JT", "JP"), ("KN", "KR"), ("LR", "CN"), ("WB", "DE"),
     ("SA", "GB"), ("ZF", "IT"), ("YV", "SE")],
)  # fmt: skip
def test_country_ranges(prefix: str, country: str) -> None:
    """Positions 1-2 give the country of assembly (ISO 3780 ranges)."""
    vin = with_check_digit(prefix + "XXXXXXPA000001")
    assert decode(vin).country == country


def test_unknown_wmi_keeps_country_and_says_so() -> None:
    """A WMI outside the table still gets its country; the notes say the maker is unknown."""
    vin = with_check_digit("9BWZZZ37" + "7T000001")
    decoded = decode(vin)
    assert decoded.country == "BR" and not decoded.us_built
    assert any("not in jpimport's WMI table" in n for n in decoded.notes)
    assert decoded.plant.city is None


def test_gm_code_one_depends_on_the_country() -> None:
    """GM's plant code '1' is Wentzville on U.S. WMIs and Oshawa on Canadian ones."""
    us = decode(with_check_digit("1GCUYDED" + "L1123456"))
    ca = decode(with_check_digit("2G1WB5E3" + "A1123456"))
    assert (us.plant.city, ca.plant.city) == ("Wentzville", "Oshawa")


def test_multi_make_wmi_without_vpic_match_leaves_make_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no vPIC pattern, a WMI shared by several makes gives no make, and says why."""
    monkeypatch.setattr(vindecode, "_vpic_lookup", lambda vin, year: (None, None))
    decoded = decode(WRANGLER_2013)
    assert decoded.make is None and not decoded.vpic_matched
    assert any("several makes" in n for n in decoded.notes)
    assert decoded.manufacturer == "FCA US LLC"


def test_single_make_wmi_falls_back_to_wmi_make(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no vPIC pattern, a single-make WMI still names the make; the model is unknown."""
    monkeypatch.setattr(vindecode, "_vpic_lookup", lambda vin, year: (None, None))
    decoded = decode(TUNDRA_2026)
    assert (decoded.make, decoded.model) == ("Toyota", None)
    assert any("make and model from the WMI and plant only" in n for n in decoded.notes)
    assert decoded.catalog_match is not None  # matched on make and plant city
    assert decoded.catalog_match.confidence <= 0.6


def test_vin_package_errors_never_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception inside the vin package becomes a note, not a crash."""
    from vin.database import vehicle_db

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(vehicle_db, "decode_vin", boom)
    decoded = decode(TUNDRA_2022)
    assert not decoded.vpic_matched and decoded.make == "Toyota"
    assert any("vPIC lookup failed (RuntimeError)" in n for n in decoded.notes)


# ----------------------------------------------------------------------------- catalog match


def key(**overrides: Any) -> dict[str, Any]:
    """A decoding's match key: a 2026 Tundra SR5 from San Antonio unless overridden."""
    base = {"make": "Toyota", "model": "Tundra", "trim": "SR5", "model_year": 2026,
            "plant_city": "San Antonio"}  # fmt: skip
    return base | overrides


def test_score_rules() -> None:
    """The documented weights: model 0.6, year 0.2, plant 0.1, trim 0.1."""
    row = small_catalog().row(0, named=True)
    assert score_candidate(key(), row) == (
        1.0,
        "make and model match; plant city San Antonio matches; model year 2026 matches; "
        "trim 'SR5' found in 'SR5 CrewMax'",
    )
    assert score_candidate(key(model_year=2022, trim=None), row) == (
        0.7, "make and model match; plant city San Antonio matches",
    )  # fmt: skip
    other_plant = score_candidate(key(make="toyota", plant_city="Princeton"), row)
    assert other_plant is not None and other_plant[0] == 0.9
    assert score_candidate(key(make="Honda"), row) is None
    assert score_candidate(key(model="Tacoma"), row) is None


def test_best_match_and_none() -> None:
    """The best row wins; no row of that make and model gives None."""
    match = match_catalog(key(), small_catalog())
    assert match is not None and match.id == "toyota-tundra-2026-sr5" and match.confidence == 1.0
    assert match_catalog(key(model="Sequoia"), small_catalog()) is None
    assert match_catalog(key(make="Ford", model="F-150"), small_catalog()) is None


def test_ties_are_broken_by_id() -> None:
    """Equal scores pick the smallest id, and the reason says there was a tie."""
    match = match_catalog(key(trim=None), small_catalog())
    assert match is not None and match.id == "toyota-tundra-2026-limited"
    assert match.reason.endswith("tied with 1 other entry")


def test_partial_model_names_match_with_less_confidence() -> None:
    """'Silverado' from vPIC matches the catalog's 'Silverado 1500' at a lower score."""
    match = match_catalog(
        key(make="Chevrolet", model="Silverado", trim="LS", model_year=2008,
            plant_city="Roanoke"),
        small_catalog(),
    )  # fmt: skip
    assert match is not None and match.id == "chevrolet-silverado-1500-2026-wt"
    assert match.confidence == 0.6 and "in part" in match.reason


def test_unknown_model_matches_on_plant_only() -> None:
    """Without a model, only the make and plant city can match, at 0.6 at most."""
    match = match_catalog(key(model=None, trim=None), small_catalog())
    assert match is not None and match.confidence == 0.5
    assert match.reason.startswith("model unknown; make and plant city San Antonio match")
    assert match_catalog(key(model=None, plant_city=None), small_catalog()) is None


# ----------------------------------------------------------------------------- data files


def read_data(name: str) -> dict[str, Any]:
    """A bundled data file."""
    return tomllib.loads(files("jpimport.vehicles").joinpath("data", name).read_text("utf-8"))


def test_wmi_rows_are_sourced_and_listed_in_vpic() -> None:
    """Every WMI row cites a defined source and exists in the vin package's vPIC snapshot."""
    import sqlite3

    data = read_data("wmi.toml")
    database = sqlite3.connect(str(files("vin").joinpath("vehicle.db")))
    try:
        for row in data["wmi"]:
            assert row["source"] in data["sources"]
            found = database.execute(
                "select manufacturer.name from wmi join manufacturer "
                "on manufacturer.id = wmi.manufacturer_id where wmi.code = ?",
                (row["code"],),
            ).fetchone()
            assert found == (row["manufacturer"],), row["code"]
    finally:
        database.close()
    for wmi in ("4T1", "5TF", "7SV", "1HG", "5FN", "7FA", "19X", "19U", "1N4", "5N1", "4S3",
                "4S4", "7MM", "1FA", "1FT", "1G1", "1GC", "1GN", "3GC", "1GY", "1C4", "1J4",
                "5YJ", "7SA", "7G2"):  # fmt: skip
        assert any(r["code"] == wmi for r in data["wmi"]), wmi


def test_plant_rows_are_sourced_and_unambiguous() -> None:
    """Every plant cites defined sources and a date; no code repeats in one group and country."""
    data = read_data("plants.toml")
    seen: set[tuple[str, str, str]] = set()
    for row in data["plant"]:
        assert row["sources"] and set(row["sources"]) <= set(data["sources"])
        assert isinstance(row["verified_on"], dt.date)
        ident = (row["group"], row["code"], row["country"])
        assert ident not in seen, ident
        seen.add(ident)


def test_import_does_not_load_the_vin_package() -> None:
    """The vin package loads only when a VIN is decoded, so `jpimport --help` stays fast."""
    code = "import sys, jpimport.vehicles.vindecode; print('vin' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "False"
