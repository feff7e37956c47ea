"""VINs of a batch, checked in one vectorised pass and decoded once per distinct VIN prefix.

A million auction VINs share a few hundred prefixes: the structure check (49 CFR 565.15) is a
Polars expression, only malformed VINs go through ``check_vin`` for their message, and
``decode_vin`` runs once per prefix (positions 1-8, 10 and 11, plus 12-14 for makers whose
third character is 9), on a canonical VIN of that prefix so the result never depends on
which row came first or how the input was chunked.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import polars as pl

from jpimport.vehicles.vindecode import (
    TRANSLITERATION,
    WEIGHTS,
    check_digit,
    check_vin,
    decode_vin,
)

VIN_COLUMN = "vin"
_SHAPE = r"^[A-HJ-NPR-Z0-9]{17}$"
_KEY = "_jpb_vin_key"

#: Columns :func:`resolve_vins` returns, one row per input row.
VIN_RESULT_SCHEMA: dict[str, pl.DataType] = {
    "vin_id": pl.String(),
    "vin_confidence": pl.Float64(),
    "vin_error": pl.String(),
}


def normalized(vin: pl.Expr) -> pl.Expr:
    """Upper-case and trim a VIN column, blank → null (people type VINs both ways)."""
    text = vin.cast(pl.String, strict=False).str.strip_chars().str.to_uppercase()
    return pl.when(text.str.len_bytes() > 0).then(text)


def structure_ok(vin: pl.Expr) -> pl.Expr:
    """True where a normalised VIN has 17 allowed characters and a correct check digit."""
    weights = dict(enumerate(WEIGHTS))
    value = pl.element().replace_strict(TRANSLITERATION, default=0, return_dtype=pl.Int64)
    weight = pl.int_range(pl.len()).replace_strict(weights, default=0, return_dtype=pl.Int64)
    total = vin.str.split("").list.eval((value * weight).sum()).list.first()
    remainder = total % 11
    expected = pl.when(remainder == 10).then(pl.lit("X")).otherwise(remainder.cast(pl.String))
    return vin.str.contains(_SHAPE) & (vin.str.slice(8, 1) == expected)


def prefix(vin: pl.Expr) -> pl.Expr:
    """The part of a VIN that decoding reads: positions 1-8 and 10-11 (+12-14 for small makers)."""
    small = vin.str.slice(2, 1) == "9"
    tail = pl.when(small).then(vin.str.slice(11, 3)).otherwise(pl.lit(""))
    return pl.concat_str(vin.str.slice(0, 8), vin.str.slice(9, 2), tail)


def canonical_vin(key: str) -> str:
    """A VIN with this prefix, serial zero and the right check digit: the prefix's stand-in."""
    serial = key[10:13] if len(key) == 13 else "000"
    text = f"{key[:8]}0{key[8:10]}{serial}000"
    return f"{text[:8]}{check_digit(text)}{text[9:]}"


@lru_cache(maxsize=1 << 16)
def decode_prefix(key: str, as_of: dt.date) -> tuple[str | None, float | None, str]:
    """Decode one prefix: the catalog id and confidence it matches, and what it decodes to."""
    decoded = decode_vin(canonical_vin(key), as_of=as_of)
    name = " ".join(p for p in (decoded.make, decoded.model) if p) or "an unknown make and model"
    label = f"{name} ({decoded.model_year})" if decoded.model_year else name
    match = decoded.catalog_match
    if match is None:
        return None, None, label
    return match.id, match.confidence, label


def _malformed(vins: pl.Series) -> pl.DataFrame:
    """The check_vin message of each distinct malformed VIN (few: they are the exceptions)."""
    values = vins.unique(maintain_order=True).to_list()
    messages: list[str | None] = []
    for value in values:
        error = check_vin(value)
        messages.append(None if error is None else f"column {VIN_COLUMN}: {error}")
    return pl.DataFrame(
        {"_jpb_vin": values, "_jpb_message": messages},
        schema={"_jpb_vin": pl.String(), "_jpb_message": pl.String()},
    )


def _decoded(pairs: pl.DataFrame) -> pl.DataFrame:
    """Decode each distinct (prefix, as-of) pair once; one result row per pair."""
    rows = [
        (key, as_of, *decode_prefix(key, as_of))
        for key, as_of in pairs.select(_KEY, "_jpb_as_of").iter_rows()
    ]
    return pl.DataFrame(
        rows,
        schema={
            _KEY: pl.String(),
            "_jpb_as_of": pl.Date(),
            "vin_id": pl.String(),
            "vin_confidence": pl.Float64(),
            "_jpb_label": pl.String(),
        },
        orient="row",
    )


def resolve_vins(vins: pl.Series, as_of: pl.Series) -> pl.DataFrame:
    """Per row: the matched catalog id and confidence, or why the VIN cannot be used."""
    frame = pl.DataFrame({"_jpb_vin": vins, "_jpb_as_of": as_of})
    frame = frame.with_columns(_jpb_ok=structure_ok(pl.col("_jpb_vin")).fill_null(False))
    bad = frame.filter(pl.col("_jpb_vin").is_not_null() & pl.col("_jpb_ok").not_())
    messages = _malformed(bad.get_column("_jpb_vin"))
    frame = frame.join(messages, on="_jpb_vin", how="left", maintain_order="left")
    usable = pl.col("_jpb_vin").is_not_null() & pl.col("_jpb_message").is_null()
    frame = frame.with_columns(pl.when(usable).then(prefix(pl.col("_jpb_vin"))).alias(_KEY))
    pairs = frame.filter(usable).select(_KEY, "_jpb_as_of").unique(maintain_order=True)
    frame = frame.join(_decoded(pairs), on=[_KEY, "_jpb_as_of"], how="left", maintain_order="left")
    unmatched = pl.concat_str(
        pl.lit(f"column {VIN_COLUMN}: VIN "),
        pl.col("_jpb_vin"),
        pl.lit(" decodes to "),
        pl.col("_jpb_label"),
        pl.lit(", which the catalog does not hold; give its columns instead"),
    )
    error = (
        pl.when(pl.col("_jpb_message").is_not_null())
        .then(pl.col("_jpb_message"))
        .when(usable & pl.col("vin_id").is_null())
        .then(unmatched)
    )
    return frame.select("vin_id", "vin_confidence", error.alias("vin_error"))
