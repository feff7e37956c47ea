"""Generate N realistic batch rows, as an auction feed or a planner's sweep would hold them.

Rows are sampled from the bundled catalog with variation (dimensions, prices, regions,
importers, as-of dates), in the mix a real feed has: catalog ids (55 %), VINs of U.S.-built
models in the catalog (25 %), vehicles given by their canonical columns (19 %) and 1 %
malformed rows (bad check digit, unknown id, negative or non-numeric length, empty row).
Everything is a Polars expression on a seeded hash, so 10 million rows take seconds and the
same seed gives the same file.

    .venv/bin/python benchmarks/vehicles_gen.py 1000000 /tmp/vehicles.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from jpimport.vehicles.catalog import load_catalog
from jpimport.vehicles.vindecode import check_digit

#: VIN positions 1-8 and 10-11 of U.S.-built models the catalog holds ("?" = check digit).
VIN_PATTERNS = (
    "5TFLA5DB?TX",  # Toyota Tundra, San Antonio
    "4T1DAACK?TU",  # Toyota Camry, Georgetown
    "1HGCY1F3?TA",  # Honda Accord, Marysville
    "5FNYG1H5?TB",  # Honda Pilot, Lincoln
    "1FTEW1E5?TF",  # Ford F-150, Dearborn
    "7SAYGDEE?TF",  # Tesla Model Y
    "5YJ3E1EA?TF",  # Tesla Model 3, Fremont
)
COLUMNS = (
    "make",
    "model",
    "trim",
    "model_year",
    "body",
    "seats",
    "plant_country",
    "drive_side",
    "length_mm",
    "width_mm",
    "height_mm",
    "curb_weight_kg",
    "powertrain",
    "displacement_cc",
    "fuel",
    "msrp_usd",
)


def _h(salt: int, modulo: int) -> pl.Expr:
    """A seeded pseudo-random integer in [0, modulo) per row."""
    return (pl.col("_i").hash(seed=salt) % modulo).cast(pl.Int64)


def _vins(salt: int) -> pl.Expr:
    """A valid VIN per row: one of the patterns, a model year 2024-2026, a random serial."""
    pattern = pl.lit(pl.Series(VIN_PATTERNS)).get(_h(salt, len(VIN_PATTERNS)))
    year = pl.lit(pl.Series(list("RST"))).get(_h(salt + 1, 3))
    serial = _h(salt + 2, 1_000_000).cast(pl.String).str.zfill(6)
    draft = pl.concat_str(
        pattern.str.slice(0, 8), pl.lit("0"), year, pattern.str.slice(10, 1), serial
    )
    return draft.map_batches(
        lambda s: pl.Series([v[:8] + check_digit(v) + v[9:] for v in s.to_list()]),
        return_dtype=pl.String,
    )


def generate(n: int, seed: int = 7) -> pl.DataFrame:
    """N rows of ids, VINs and canonical columns with option columns and 1 % malformed."""
    catalog = load_catalog().with_row_index("_pick").with_columns(pl.col("_pick").cast(pl.Int64))
    base = pl.select(pl.int_range(n, dtype=pl.Int64).alias("_i")).with_columns(
        _h(seed, catalog.height).alias("_pick"),
        _h(seed + 1, 100).alias("_kind"),
        _h(seed + 2, 5).alias("_bad"),
    )
    frame = base.join(catalog, on="_pick", how="left", maintain_order="left")
    kind, bad = pl.col("_kind"), pl.col("_bad")
    is_id, is_vin = kind < 55, (kind >= 55) & (kind < 80)
    is_cols, is_bad = (kind >= 80) & (kind < 99), kind >= 99
    jitter = _h(seed + 3, 61) - 30
    length = (pl.col("length_mm") + jitter).cast(pl.String)
    length = pl.when(is_bad & (bad == 2)).then(pl.lit("-4700")).otherwise(length)
    length = pl.when(is_bad & (bad == 3)).then(pl.lit("long")).otherwise(length)
    show_length = is_cols | (is_id & (_h(seed + 4, 10) == 0)) | (is_bad & bad.is_in([2, 3]))
    vin: pl.Expr = pl.when(is_vin | (is_bad & (bad == 0))).then(_vins(seed + 10))
    broken = pl.concat_str(vin.str.slice(0, 8), pl.lit("Z"), vin.str.slice(9))
    vin = pl.when(is_bad & (bad == 0)).then(broken).otherwise(vin)
    unknown = pl.concat_str(pl.lit("unknown-model-"), _h(seed + 5, 1000).cast(pl.String))
    ident: pl.Expr = pl.when(is_id | (is_bad & bad.is_in([2, 3]))).then(pl.col("id"))
    ident = pl.when(is_bad & (bad == 1)).then(unknown).otherwise(ident)
    price = (pl.col("msrp_usd") * (0.75 + _h(seed + 6, 40) / 100)).round(0)
    canonical = [
        pl.when(is_cols).then(pl.col(c).cast(pl.String)).alias(c)
        for c in COLUMNS
        if c != "length_mm"
    ]
    return (
        frame.select(
            pl.concat_str(pl.lit("LOT-"), pl.col("_i").cast(pl.String)).alias("lot"),
            ident.alias("id"),
            vin.alias("vin"),
            *canonical,
            pl.when(show_length).then(length).alias("length_mm"),
            pl.when(_h(seed + 7, 2) == 0).then(price).alias("price_usd"),
            pl.lit(pl.Series(["national", "national", "tokyo-23-wards"]))
            .get(_h(seed + 8, 3))
            .alias("region"),
            pl.lit(pl.Series(["manufacturer", "independent", "individual"]))
            .get(_h(seed + 9, 3))
            .alias("importer"),
            pl.when(_h(seed + 11, 5) == 0).then(pl.lit("2027-04-01")).alias("as_of"),
            kind,
            bad,
        )
        .with_columns(
            pl.when(is_bad & (bad == 4)).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("id", "vin", *COLUMNS)
        )
        .drop("_kind", "_bad")
    )


def write(frame: pl.DataFrame, path: Path) -> None:
    """Write the rows as CSV or Parquet by the path's extension."""
    if path.suffix == ".csv":
        frame.write_csv(path)
    else:
        frame.write_parquet(path)


def main() -> None:
    """Generate ``argv[1]`` rows into ``argv[2]``."""
    n, path = int(sys.argv[1]), Path(sys.argv[2])
    write(generate(n), path)
    print(f"{n:,} rows → {path} ({path.stat().st_size / 2**20:,.0f} MiB)")


if __name__ == "__main__":
    main()
