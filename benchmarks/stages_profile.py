"""Time each assessment stage on one row (warm latency) and on many rows (throughput).

Also saves or compares a golden output, so a speed-up can show it changed no result:

    python benchmarks/stages_profile.py --rows 100000 --save /tmp/golden.parquet
    python benchmarks/stages_profile.py --rows 100000 --compare /tmp/golden.parquet

Figures are ratios and per-row costs measured in this process; not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

import polars as pl

from jpimport.assessment import run_stages
from jpimport.options import AssessOptions, with_options
from jpimport.stages import StageContext, pipeline
from jpimport.vehicles.catalog import load_catalog

AS_OF = dt.date(2026, 11, 21)


def sweep(rows: int) -> pl.DataFrame:
    """Catalog rows repeated with varied options, so every branch of every stage runs."""
    catalog = load_catalog()
    n = max(rows, catalog.height)
    index = pl.int_range(0, n, eager=True)
    base = catalog[(index % catalog.height).to_list()]
    return base.with_columns(
        importer=pl.Series(["manufacturer", "independent", "individual"] * n)[:n],
        volume=(index % 7 * 1000 + 500).cast(pl.Int64),
        registration=pl.Series([None, "passenger", "cargo", None] * n, dtype=pl.String)[:n],
        region=pl.Series(["national", "tokyo-minato", "osaka", "tokyo-23-wards"] * n)[:n],
        as_of=pl.Series([AS_OF, dt.date(2026, 1, 31), dt.date(2026, 3, 1)] * n)[:n],
    ).head(rows)


def time_stages(frame: pl.DataFrame, repeat: int) -> dict[str, float]:
    """Median seconds per stage over ``repeat`` runs, on one as-of partition."""
    options = AssessOptions.build(as_of=AS_OF)
    base = with_options(frame.drop("as_of", strict=False), options)
    ctx = StageContext(as_of=AS_OF)
    timings: dict[str, list[float]] = {}
    for _ in range(repeat):
        work = base
        for stage in pipeline():
            start = time.perf_counter()
            work = stage.run(work, ctx)
            timings.setdefault(stage.NAME, []).append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    """Print per-stage single-row latency and N-row throughput; save or compare output."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()

    one = sweep(1)
    time_stages(one, 1)  # warm caches and imports
    single = time_stages(one, 20)
    many_frame = sweep(args.rows)
    many = time_stages(many_frame, 1)
    print(f"{'stage':<12}{'1 row (ms)':>12}{f'{args.rows:,} rows (s)':>18}{'µs/row':>10}")
    for name in single:
        per_row = many[name] / args.rows * 1e6
        print(f"{name:<12}{single[name] * 1e3:>12.2f}{many[name]:>18.2f}{per_row:>10.1f}")
    print(f"{'total':<12}{sum(single.values()) * 1e3:>12.2f}{sum(many.values()):>18.2f}")

    if args.save or args.compare:
        result, _ = run_stages(sweep(min(args.rows, 20_000)), AssessOptions.build(as_of=AS_OF))
        result = result.select(sorted(result.columns))
        if args.save:
            result.write_parquet(args.save)
            print(f"saved {result.shape} to {args.save}")
        if args.compare:
            golden = pl.read_parquet(args.compare)
            same = golden.columns == result.columns and golden.equals(result, null_equal=True)
            print(f"identical to {args.compare}: {same}")
            if not same:
                for column in golden.columns:
                    if column not in result.columns:
                        print(f"  missing column {column}")
                    elif not golden[column].equals(result[column], check_names=True):
                        print(f"  differs: {column}")


if __name__ == "__main__":
    main()
