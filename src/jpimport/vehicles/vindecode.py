"""Decode a VIN offline: structure, maker, country, model year, plant, vPIC data, catalog match.

The steps, each a small function below:

1. **Structure** (49 CFR 565.15): 17 characters from the VIN alphabet (no I, O or Q) and a
   check digit at position 9 computed with the transliteration and weights of 565.15(c).
2. **WMI** (positions 1-3): the country range of positions 1-2 (ISO 3780 / SAE J853) and the
   manufacturer registered with NHTSA (vPIC), from ``data/wmi.toml``.
3. **Model year** (position 10), with position 7 choosing the 30-year cycle (565.15, Table VII
   footnote; final rule 73 FR 23367, 2008-04-30): for passenger cars, MPVs and trucks of
   10,000 lb GVWR or less, a letter at position 7 means 2010-2039 and a digit 1980-2009.
4. **Plant** (position 11, 565.15(d)): the manufacturer's own code list, ``data/plants.toml``.
5. **Make, model, trim, body** from NHTSA vPIC offline, through the ``vin`` package (imported
   lazily, so the CLI starts fast). Where its snapshot is older than the VIN, the output says so.
6. **Catalog match**: the best catalog row by :func:`score_candidate`.

``decode_vin`` raises :class:`~jpimport.errors.VinError` for a malformed VIN; ``check_vin``
returns that error instead, for batch use.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jpimport.errors import DataError, VinError

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "CatalogMatch",
    "Plant",
    "VinDecoding",
    "check_digit",
    "check_vin",
    "decode_vin",
    "match_catalog",
    "model_year",
    "score_candidate",
]

VIN_LENGTH = 17
#: VIN characters in the order ISO 3780 ranges use (A-H J-N P R-Z, then 1-9 and 0).
VIN_ORDER = "ABCDEFGHJKLMNPRSTUVWXYZ1234567890"
_ALLOWED = frozenset(VIN_ORDER)
#: 49 CFR 565.15(c)(1): letters transliterated to numbers (digits stand for themselves).
_LETTER_VALUES = "A1 B2 C3 D4 E5 F6 G7 H8 J1 K2 L3 M4 N5 P7 R9 S2 T3 U4 V5 W6 X7 Y8 Z9"
TRANSLITERATION: dict[str, int] = {
    **{str(d): d for d in range(10)},
    **{pair[0]: int(pair[1]) for pair in _LETTER_VALUES.split()},
}
#: 49 CFR 565.15(c)(2): the weight of each position; position 9 (the check digit) weighs 0.
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
#: Model-year codes of position 10, in order: 1980-2000 / 2010-2030, then 2001-2009 / 2031-2039.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
#: vPIC body classes mapped to the canonical bodies of schema.BODIES.
_BODIES: dict[str, str] = {
    "Sedan/Saloon": "sedan",
    "Hatchback/Liftback/Notchback": "hatchback",
    "Coupe": "coupe",
    "Convertible/Cabriolet": "convertible",
    "Roadster": "convertible",
    "Wagon": "wagon",
    "Sport Utility Vehicle (SUV)/Multi-Purpose Vehicle (MPV)": "suv",
    "Crossover Utility Vehicle (CUV)": "suv",
    "Minivan": "minivan",
    "Pickup": "pickup",
    "Sport Utility Truck (SUT)": "pickup",
    "Van": "van",
    "Cargo Van": "van",
}
_DATA = "jpimport.vehicles"
_VPIC_LOCK = threading.Lock()


# --------------------------------------------------------------------------- output models


class Plant(BaseModel):
    """The assembly plant that position 11 names; fields are None when the code is unsourced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str | None
    name: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    sources: list[str] = Field(default_factory=list)


class CatalogMatch(BaseModel):
    """The catalog entry that best fits the VIN, how sure the match is, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    confidence: float = Field(ge=0.0, le=1.0)
    reason: str


class VinDecoding(BaseModel):
    """Everything jpimport reads from one VIN; None where unknown, ``notes`` say why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    vin: str
    valid: bool
    check_digit_ok: bool
    wmi: str
    manufacturer: str | None
    country: str | None
    country_name: str | None
    us_built: bool
    model_year: int | None
    plant: Plant
    make: str | None
    model: str | None
    trim: str | None
    series: str | None
    body: str | None
    body_class: str | None
    vehicle_type: str | None
    vpic_version: str | None
    vpic_matched: bool
    catalog_match: CatalogMatch | None
    notes: list[str]


# --------------------------------------------------------------------------- bundled data


class _Source(BaseModel):
    """One cited source of a data file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    url: str
    kind: Literal["primary", "secondary"]
    more_urls: list[str] = Field(default_factory=list)


class _Range(BaseModel):
    """A country range of VIN positions 1-2 (ISO 3780)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    first: str = Field(min_length=1, max_length=1)
    low: str = Field(alias="from", min_length=1, max_length=1)
    high: str = Field(alias="to", min_length=1, max_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    source: str


class _Wmi(BaseModel):
    """One WMI as NHTSA vPIC registers it, with the plant-code group it uses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[A-HJ-NPR-Z0-9]{3}$")
    manufacturer: str
    makes: list[str]
    vehicle_type: str
    registered_country: str | None = None
    group: str
    source: str


class _WmiFile(BaseModel):
    """The whole of wmi.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verified_on: dt.date
    sources: dict[str, _Source]
    range: list[_Range]
    wmi: list[_Wmi]


class _PlantRow(BaseModel):
    """One plant code of one manufacturer group, with its sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str
    code: str = Field(pattern=r"^[A-HJ-NPR-Z0-9]$")
    name: str
    city: str
    state: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    sources: list[str] = Field(min_length=1)
    verified_on: dt.date


class _PlantFile(BaseModel):
    """The whole of plants.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: dict[str, _Source]
    plant: list[_PlantRow]


def _read_toml(name: str) -> dict[str, Any]:
    """Parse a bundled data file; a broken file is a packaging bug (DataError)."""
    path = files(_DATA).joinpath("data", name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"bundled data file {name} cannot be read: {exc}") from exc


def _check_keys(name: str, cited: Iterable[str], sources: Mapping[str, _Source]) -> None:
    """Fail when a row cites a source key that the file does not define."""
    missing = sorted(set(cited) - set(sources))
    if missing:
        raise DataError(f"bundled data file {name} cites undefined sources: {missing}")


@cache
def _wmi_file() -> _WmiFile:
    """wmi.toml, validated once per process."""
    try:
        data = _WmiFile.model_validate(_read_toml("wmi.toml"))
    except ValidationError as exc:
        raise DataError(f"bundled data file wmi.toml is invalid: {exc}") from exc
    cited = [r.source for r in data.range] + [w.source for w in data.wmi]
    _check_keys("wmi.toml", cited, data.sources)
    return data


@cache
def _wmi_index() -> dict[str, _Wmi]:
    """WMI rows by code."""
    return {w.code: w for w in _wmi_file().wmi}


@cache
def _plant_file() -> _PlantFile:
    """plants.toml, validated once per process."""
    try:
        data = _PlantFile.model_validate(_read_toml("plants.toml"))
    except ValidationError as exc:
        raise DataError(f"bundled data file plants.toml is invalid: {exc}") from exc
    _check_keys("plants.toml", [s for p in data.plant for s in p.sources], data.sources)
    return data


# --------------------------------------------------------------------------- structure


def _normalize(vin: object) -> str:
    """Upper-case the VIN and strip surrounding whitespace (people type it both ways)."""
    return str(vin).strip().upper()


def check_digit(vin: str) -> str:
    """The check digit 49 CFR 565.15(c) gives for a 17-character VIN ('0'-'9' or 'X')."""
    total = sum(TRANSLITERATION[c] * w for c, w in zip(vin, WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _bad_character(vin: str) -> VinError | None:
    """The error for the first character outside the VIN alphabet, if any."""
    for index, char in enumerate(vin):
        if char not in _ALLOWED:
            why = " (I, O and Q are never used in a VIN)" if char in "IOQ" else ""
            return VinError(
                vin,
                f"character {char!r} is not allowed{why}",
                position=index + 1,
                expected="0-9 or A-Z except I, O, Q",
            )
    return None


def check_vin(vin: str) -> VinError | None:
    """Validate a VIN's structure without raising: the error, or None when it is sound."""
    text = _normalize(vin)
    if len(text) != VIN_LENGTH:
        return VinError(
            text,
            f"has {len(text)} characters, expected {VIN_LENGTH}",
            expected=f"{VIN_LENGTH} characters",
        )
    bad = _bad_character(text)
    if bad is not None:
        return bad
    expected = check_digit(text)
    if text[8] != expected:
        return VinError(
            text,
            f"check digit is {text[8]!r}, expected {expected!r}",
            position=9,
            expected=expected,
        )
    return None


# --------------------------------------------------------------------------- WMI and year


def _wmi_code(vin: str) -> str:
    """The WMI: positions 1-3, or 1-3 plus 12-14 for small makers (third character '9')."""
    return vin[:3] + vin[11:14] if vin[2] == "9" else vin[:3]


def _country_range(vin: str) -> _Range | None:
    """The ISO 3780 country range that VIN positions 1-2 fall in, if listed."""
    second = VIN_ORDER.index(vin[1])
    for row in _wmi_file().range:
        low, high = VIN_ORDER.index(row.low), VIN_ORDER.index(row.high)
        if row.first == vin[0] and low <= second <= high:
            return row
    return None


def model_year(vin: str, *, as_of: dt.date | None = None) -> tuple[int | None, list[str]]:
    """The model year of position 10, the cycle chosen by position 7, and notes on doubts."""
    code = vin[9]
    if code not in _YEAR_CODES:
        return None, [f"position 10 is {code!r}, which is not a model-year code"]
    index = _YEAR_CODES.index(code)
    base = 1980 + index if index < 21 else 2001 + index - 21
    if vin[6].isdigit():
        return base, []
    year = base + 30
    today = as_of or dt.date.today()
    if year > today.year + 1:
        return base, [
            f"position 7 is a letter, but {year} is in the future: read as {base} "
            "(the position-7 rule binds only from model year 2010)"
        ]
    return year, []


# --------------------------------------------------------------------------- plant


def _plant_candidates(group: str, code: str) -> list[_PlantRow]:
    """Plant rows of a manufacturer group for one position-11 code."""
    return [p for p in _plant_file().plant if p.group == group and p.code == code]


def _plant_urls(row: _PlantRow) -> list[str]:
    """The URLs a plant row cites."""
    sources = _plant_file().sources
    return [sources[key].url for key in row.sources]


def _find_plant(vin: str, wmi: _Wmi | None, country: str | None) -> tuple[Plant, list[str]]:
    """The plant of position 11 from the sourced table, preferring the WMI's country."""
    code = vin[10]
    if wmi is None:
        return Plant(code=code), ["plant unknown: the WMI is not in jpimport's table"]
    rows = _plant_candidates(wmi.group, code)
    if len(rows) > 1:
        rows = [r for r in rows if r.country == country] or rows
    if len(rows) != 1:
        why = "has no sourced entry" if not rows else "is ambiguous"
        return Plant(code=code), [
            f"plant unknown: code {code!r} {why} for {wmi.group} in jpimport's plant table"
        ]
    row = rows[0]
    plant = Plant(
        code=code,
        name=row.name,
        city=row.city,
        state=row.state,
        country=row.country,
        sources=_plant_urls(row),
    )
    return plant, []


# --------------------------------------------------------------------------- NHTSA vPIC


@cache
def vpic_version() -> tuple[str, dt.date] | None:
    """The bundled vPIC snapshot's version and release date, or None if it cannot be read."""
    try:
        from vin.database import vehicle_db

        with _VPIC_LOCK:
            info: dict[str, Any] = dict(vehicle_db.get_vpic_version())
        return str(info["version"]), dt.date.fromisoformat(str(info["released"]))
    except Exception:  # the optional vPIC layer must never break decoding
        return None


def _vpic_lookup(vin: str, year: int | None) -> tuple[dict[str, Any] | None, str | None]:
    """vPIC's decoding of the VIN for a model year, or None, plus an error note if it failed."""
    try:
        from vin import VIN
        from vin.database import vehicle_db

        parsed = VIN(vin, decode=False, decode_model_year=False)
        with _VPIC_LOCK:
            found = vehicle_db.decode_vin(parsed.wmi, parsed.descriptor, year)
    except Exception as exc:  # wrap: the vin package's errors never leak
        return (
            None,
            f"vPIC lookup failed ({type(exc).__name__}); model unknown, make from the WMI only",
        )
    return (dict(found) if found else None), None


def _clean(value: object) -> str | None:
    """A vPIC text value, or None for blanks and vPIC's placeholder 'Others'."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text in ("", "Others", "Not Applicable") else text


def _vpic_notes(year: int | None, matched: bool) -> list[str]:
    """Plain-English notes on how far vPIC's snapshot can be trusted for this VIN."""
    version = vpic_version()
    if version is None:
        return ["vPIC data is not available; make and model from the WMI and plant only"]
    stamp = version[1].strftime("%Y-%m")
    if year is not None and year > version[1].year:
        if matched:
            return [
                f"vPIC data ({stamp}) predates model year {year}; make, model and trim come "
                "from VIN patterns still open in that snapshot, so check them"
            ]
        return [
            f"vPIC data ({stamp}) predates model year {year}; make and model from the WMI "
            "and plant only"
        ]
    if not matched:
        return [f"no vPIC ({stamp}) pattern matches this VIN; make from the WMI only"]
    return []


# --------------------------------------------------------------------------- catalog match


def _tokens(text: object) -> list[str]:
    """Lower-case alphanumeric words of a name ('F-150' and 'F150' both give 'f150')."""
    return re.findall(r"[a-z0-9]+", str(text or "").lower().replace("-", ""))


def _model_fit(decoded: str, listed: object) -> float:
    """1.0 when model names are equal, 0.5 when one's words start the other's, else 0."""
    mine, theirs = _tokens(decoded), _tokens(listed)
    if not mine or not theirs:
        return 0.0
    if mine == theirs:
        return 1.0
    shorter = min(len(mine), len(theirs))
    return 0.5 if mine[:shorter] == theirs[:shorter] else 0.0


def score_candidate(decoded: Mapping[str, Any], row: Mapping[str, Any]) -> tuple[float, str] | None:
    """Score one catalog row against a decoding, or None when make or model rule it out.

    Deterministic rules, capped at 1.0:

    * make must equal (case-insensitive), else None;
    * model known: it must match, else None; 0.60 if equal, 0.50 if one name starts the other
      (``Silverado`` vs ``Silverado 1500``);
    * model unknown (vPIC older than the VIN): the plant city must match, else None; base 0.30;
    * +0.20 when the model year is the same;
    * +0.10 when the plant city is the same (model known);
    * +0.10 times the share of the decoded trim's words found in the catalog trim.
    """
    if not decoded.get("make") or _tokens(decoded["make"]) != _tokens(row.get("make")):
        return None
    reasons: list[str] = []
    city = decoded.get("plant_city")
    same_city = bool(city) and str(city).lower() == str(row.get("plant_city") or "").lower()
    if decoded.get("model"):
        fit = _model_fit(str(decoded["model"]), row.get("model"))
        if not fit:
            return None
        score = 0.60 if fit == 1.0 else 0.50
        reasons.append(
            "make and model match"
            if fit == 1.0
            else f"model {decoded['model']!r} matches {row.get('model')!r} in part"
        )
        if same_city:
            score += 0.10
            reasons.append(f"plant city {city} matches")
    else:
        if not same_city:
            return None
        score = 0.30
        reasons.append(f"model unknown; make and plant city {city} match")
    if decoded.get("model_year") is not None and decoded["model_year"] == row.get("model_year"):
        score += 0.20
        reasons.append(f"model year {decoded['model_year']} matches")
    trim_words = set(_tokens(decoded.get("trim")))
    if trim_words:
        share = len(trim_words & set(_tokens(row.get("trim")))) / len(trim_words)
        score += 0.10 * share
        if share:
            reasons.append(f"trim {decoded['trim']!r} found in {row.get('trim')!r}")
    return round(min(score, 1.0), 2), "; ".join(reasons)


def match_catalog(decoded: Mapping[str, Any], catalog: pl.DataFrame) -> CatalogMatch | None:
    """The best-scoring catalog row (ties broken by id), or None when nothing qualifies."""
    wanted = ("id", "make", "model", "trim", "model_year", "plant_city")
    columns = [c for c in wanted if c in catalog.columns]
    scored: list[tuple[float, str, str]] = []
    for row in catalog.select(columns).iter_rows(named=True):
        result = score_candidate(decoded, row)
        if result is not None:
            scored.append((result[0], str(row["id"]), result[1]))
    if not scored:
        return None
    scored.sort(key=lambda item: (-item[0], item[1]))
    best, ties = scored[0], sum(1 for s in scored if s[0] == scored[0][0]) - 1
    reason = best[2] + (
        f"; tied with {ties} other entr{'y' if ties == 1 else 'ies'}" if ties else ""
    )
    return CatalogMatch(id=best[1], confidence=best[0], reason=reason)


def _default_catalog() -> pl.DataFrame | None:
    """The bundled catalog, or None while the catalog module is not installed."""
    try:
        from jpimport.vehicles.catalog import load_catalog
    except ImportError:
        return None
    return load_catalog()


# --------------------------------------------------------------------------- decode


def _make_from_wmi(wmi: _Wmi | None) -> tuple[str | None, list[str]]:
    """The make the WMI alone implies: its single make, else unknown with a note."""
    if wmi is None:
        return None, []
    if len(wmi.makes) == 1:
        return wmi.makes[0], []
    makes = ", ".join(wmi.makes) or "none listed"
    return None, [f"WMI {wmi.code} is used for several makes ({makes}); make unknown"]


def _country_name(code: str) -> str | None:
    """The English name of an ISO 3166 alpha-2 code that the country ranges use."""
    return next((r.name for r in _wmi_file().range if r.country == code), None)


def _country(vin: str, wmi: _Wmi | None) -> tuple[str | None, str | None, list[str]]:
    """Country of assembly from positions 1-2, with a note when vPIC registers the WMI elsewhere."""
    found = _country_range(vin)
    if found is None:
        return None, None, [f"positions 1-2 {vin[:2]!r} are not in jpimport's country ranges"]
    notes: list[str] = []
    if wmi and wmi.registered_country and wmi.registered_country != found.country:
        notes.append(
            f"vPIC registers WMI {wmi.code} in {wmi.registered_country}; "
            f"the VIN's country range says {found.country}"
        )
    return found.country, found.name, notes


def _origin(
    text: str, as_of: dt.date | None, notes: list[str]
) -> tuple[dict[str, Any], _Wmi | None]:
    """What the VIN's structure says: WMI, manufacturer, country, model year and plant."""
    wmi = _wmi_index().get(text[:3])
    if wmi is None:
        notes.append(f"WMI {text[:3]} is not in jpimport's WMI table; manufacturer unknown")
    country, country_name, more = _country(text, wmi)
    notes += more
    year, more = model_year(text, as_of=as_of)
    notes += more
    if wmi is not None and wmi.vehicle_type == "Truck" and year is not None:
        notes.append("model year assumes a GVWR of 10,000 lb or less (the position-7 rule)")
    plant, more = _find_plant(text, wmi, country)
    notes += more
    if plant.country and country and plant.country != country:
        notes.append(f"plant is in {plant.country} though the WMI range says {country}")
        country, country_name = plant.country, _country_name(plant.country)
    fields = {
        "wmi": _wmi_code(text),
        "manufacturer": wmi.manufacturer if wmi else None,
        "country": country,
        "country_name": country_name,
        "us_built": country == "US",
        "model_year": year,
        "plant": plant,
    }
    return fields, wmi


def _vehicle(text: str, year: int | None, wmi: _Wmi | None, notes: list[str]) -> dict[str, Any]:
    """What NHTSA vPIC says (make, model, trim, body), falling back to the WMI's make."""
    found, failure = _vpic_lookup(text, year)
    notes += [failure] if failure else _vpic_notes(year, found is not None)
    vpic = found or {}
    make = _clean(vpic.get("make"))
    if make is None:
        make, more = _make_from_wmi(wmi)
        notes += more
    body_class = _clean(vpic.get("body_class"))
    version = vpic_version()
    return {
        "make": make,
        "model": _clean(vpic.get("model")),
        "trim": _clean(vpic.get("trim")),
        "series": _clean(vpic.get("series")),
        "body": _BODIES.get(body_class or ""),
        "body_class": body_class,
        "vehicle_type": _clean(vpic.get("vehicle_type")),
        "vpic_version": f"{version[0]} ({version[1].isoformat()})" if version else None,
        "vpic_matched": found is not None,
        "vpic_manufacturer": _clean(vpic.get("manufacturer")),
    }


def _catalog_match(
    fields: Mapping[str, Any], catalog: pl.DataFrame | None, notes: list[str]
) -> CatalogMatch | None:
    """Match against the given catalog, or the bundled one, noting when there is none."""
    table = catalog if catalog is not None else _default_catalog()
    if table is None:
        notes.append("catalog not available; no catalog match attempted")
        return None
    plant = fields["plant"]
    key = {k: fields[k] for k in ("make", "model", "trim", "model_year")}
    return match_catalog({**key, "plant_city": plant.city}, table)


def decode_vin(
    vin: str, *, catalog: pl.DataFrame | None = None, as_of: dt.date | None = None
) -> VinDecoding:
    """Decode a VIN; raises VinError when it is malformed or its check digit is wrong.

    ``catalog`` defaults to the bundled catalog; ``as_of`` (default today) only bounds which
    model years are possible.
    """
    error = check_vin(vin)
    if error is not None:
        raise error
    text = _normalize(vin)
    notes: list[str] = []
    fields, wmi = _origin(text, as_of, notes)
    fields.update(_vehicle(text, fields["model_year"], wmi, notes))
    vpic_manufacturer = fields.pop("vpic_manufacturer")
    fields["manufacturer"] = fields["manufacturer"] or vpic_manufacturer
    match = _catalog_match(fields, catalog, notes)
    return VinDecoding(
        vin=text, valid=True, check_digit_ok=True, catalog_match=match, notes=notes, **fields
    )
