"""Batch at scale: batch time against the I/O floor, memory, single latency, start-up, Dask.

One run reports, on this machine:

* **batch** — ``run_batch`` from the input file to a Parquet output, in a fresh process: wall
  time, rows/s and peak RSS (VmHWM of that process);
* **I/O floor** — in a fresh process, Polars reading the same input file, plus writing a
  frame of the output's shape (the batch's own output, loaded before the clock starts) to
  Parquet; the **ratio** batch / floor;
* **single** — ``jpimport.assessment.assess(id)`` warm, p50 and p99 over catalog ids;
* **--help** — ``jpimport --help`` in a fresh interpreter (cold start), min and median;
* **Dask** — the same batch on a local cluster of 1 and of 2 worker processes.

With ``_RJEM_MALLOC_CONF`` set (e.g. ``dirty_decay_ms:10000,muzzy_decay_ms:10000``), Polars'
allocator keeps freed memory for reuse in both children; the setting is recorded in the report.

``--stages none`` replaces the stages by none at all, to measure the batch machinery alone
(reading, resolving, VIN decoding, parts, assembling) — e.g. its memory over 10 million rows.

    .venv/bin/python benchmarks/batch_scale.py --rows 1000000 --dask-rows 100000
    .venv/bin/python benchmarks/batch_scale.py --rows 10000000 --only batch --no-floor
    .venv/bin/python benchmarks/batch_scale.py --rows 10000000 --stages none --only batch
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = "2026-11-21"


# --------------------------------------------------------------------------- child processes


def _child_batch(args: argparse.Namespace) -> dict[str, Any]:
    """Run one batch in this process; return its summary."""
    from jpimport.batch import DaskSettings, run_batch
    from jpimport.options import AssessOptions

    if args.stages == "none":
        from jpimport import assessment

        assessment.pipeline = lambda: ()  # type: ignore[attr-defined]
    settings = DaskSettings(workers=args.workers, processes=True)
    summary = run_batch(
        args.input,
        args.output,
        options=AssessOptions.build(as_of=dt.date.fromisoformat(AS_OF)),
        engine=args.engine,
        dask=settings,
        chunk_rows=args.chunk_rows,
    )
    return summary.to_dict()


def _child_floor(args: argparse.Namespace) -> dict[str, Any]:
    """Read the input as the batch does, then write a frame of the output's shape."""
    output = pl.read_parquet(args.output)
    start = time.perf_counter()
    if str(args.input).endswith(".csv"):
        frame = pl.read_csv(args.input, infer_schema=False)
    else:
        frame = pl.read_parquet(args.input)
    read = time.perf_counter() - start
    start = time.perf_counter()
    output.write_parquet(Path(args.output).with_suffix(".floor.parquet"))
    write = time.perf_counter() - start
    return {"read_s": read, "write_s": write, "rows": frame.height, "columns": output.width}


def _peak_rss_mib() -> float | None:
    """This process's peak RSS since it started (VmHWM), in MiB.

    Not ``ru_maxrss``: Linux carries the parent's resident size over a fork and exec, so a
    child of a large parent would report the parent's memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _run_child(*argv: str) -> tuple[dict[str, Any], float, float]:
    """Run this script as a child; its JSON result, wall seconds and peak RSS in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, *argv], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"child {argv} failed with status {status}")
    result = json.loads(out)
    peak = result.pop("peak_rss_mib", None)
    return result, wall, peak if peak is not None else usage.ru_maxrss / 1024


# --------------------------------------------------------------------------- measurements


def single_latency(budget_s: float) -> dict[str, Any]:
    """Warm ``assess(id)`` over the catalog ids, as many times as fit in the budget."""
    from jpimport.assessment import assess
    from jpimport.vehicles.catalog import catalog_vehicles

    ids = list(catalog_vehicles())
    assess(ids[0], as_of=dt.date.fromisoformat(AS_OF))
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < 1000 and (time.perf_counter() - started < budget_s or len(times) < 20):
        vehicle = ids[len(times) % len(ids)]
        start = time.perf_counter()
        assess(vehicle, as_of=dt.date.fromisoformat(AS_OF))
        times.append(time.perf_counter() - start)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return {"n": len(times), "p50_ms": statistics.median(times) * 1e3, "p99_ms": p99 * 1e3}


def help_cold_start(repeats: int = 7) -> dict[str, Any]:
    """Wall time of ``jpimport --help`` in a fresh interpreter."""
    command = [str(Path(sys.executable).with_name("jpimport")), "--help"]
    subprocess.run(command, capture_output=True, check=True)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {"min_s": min(times), "median_s": statistics.median(times)}


def machine() -> dict[str, Any]:
    """The machine the figures come from."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{int(mem) / 2**20:.0f} GiB"
    except OSError:
        ram = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "python": platform.python_version(),
        "polars": pl.__version__,
        "os": platform.platform(),
        # Polars' allocator (jemalloc) settings, inherited by every child (batch and floor):
        # e.g. a longer dirty_decay_ms keeps freed pages instead of faulting them in again.
        "rjem_malloc_conf": os.environ.get("_RJEM_MALLOC_CONF"),
    }


def main() -> None:
    """Generate the input, run every measurement, print a JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--stages", choices=("real", "none"), default="real")
    parser.add_argument("--chunk-rows", type=int, default=None)
    parser.add_argument("--dask-rows", type=int, default=20_000)
    parser.add_argument("--single-budget", type=float, default=30.0)
    parser.add_argument("--only", nargs="*", default=["batch", "single", "help", "dask"])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--no-floor", action="store_true", help="skip the floor (it loads the whole output)"
    )
    parser.add_argument("--child", choices=("batch", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = _child_batch(args) if args.child == "batch" else _child_floor(args)
        print(json.dumps({**result, "peak_rss_mib": _peak_rss_mib()}))
        return

    sys.path.insert(0, str(HERE))
    from vehicles_gen import generate, write

    work = Path(args.workdir or tempfile.mkdtemp(prefix="jpimport-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"machine": machine(), "argv": sys.argv[1:]}
    source = work / f"vehicles-{args.rows}.{args.format}"
    if not source.exists():
        start = time.perf_counter()
        write(generate(args.rows), source)
        report["generate_s"] = time.perf_counter() - start
    report["input"] = {"rows": args.rows, "mib": source.stat().st_size / 2**20}
    common = ["--stages", args.stages]
    if args.chunk_rows:
        common += ["--chunk-rows", str(args.chunk_rows)]
    sections: dict[str, Callable[[], dict[str, Any]]] = {
        "batch": lambda: batch_and_floor(source, work, common, floor=not args.no_floor),
        "single": lambda: {"single": single_latency(args.single_budget)},
        "help": lambda: {"help": help_cold_start()},
        "dask": lambda: {"dask": dask_scaling(args, work, common, generate, write)},
    }
    for name in args.only:
        try:
            report.update(sections[name]())
        except (Exception, SystemExit) as exc:  # one failed section must not lose the rest
            report[name] = {"error": f"{type(exc).__name__}: {exc}"}
        report.setdefault("load_average", []).append(os.getloadavg())
        print(json.dumps(report, indent=2), file=sys.stderr)
    print(json.dumps(report, indent=2))
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


def batch_and_floor(source: Path, work: Path, common: list[str], floor: bool) -> dict[str, Any]:
    """The batch run and the I/O floor on the same input and output shape."""
    target = work / "out.parquet"
    target.unlink(missing_ok=True)
    summary, wall, rss = _run_child(
        "--child", "batch", "--input", str(source), "--output", str(target), *common
    )
    batch = {
        "wall_s": wall,
        "run_s": summary["elapsed_s"],
        "rows_per_s": summary["rows"] / wall,
        "peak_rss_mib": rss,
        "chunk_rows": summary["chunk_rows"],
        "ok": summary["ok"],
        "errors": summary["errors"],
        "output_mib": target.stat().st_size / 2**20,
    }
    if not floor:
        return {"batch": batch}
    measured, _, _ = _run_child("--child", "floor", "--input", str(source), "--output", str(target))
    floor_s = measured["read_s"] + measured["write_s"]
    batch["output_columns"] = measured["columns"]
    return {"batch": batch, "floor": {**measured, "total_s": floor_s, "ratio": wall / floor_s}}


def dask_scaling(
    args: argparse.Namespace, work: Path, common: list[str], generate: Any, write: Any
) -> dict[str, Any]:
    """The same small batch on local Dask clusters of 1 and 2 workers, and locally."""
    small = work / f"vehicles-dask-{args.dask_rows}.{args.format}"
    if not small.exists():
        write(generate(args.dask_rows), small)
    result: dict[str, Any] = {"rows": args.dask_rows}
    for workers in (1, 2):
        target = work / f"dask-{workers}.parquet"
        target.unlink(missing_ok=True)
        _, wall, _ = _run_child(
            "--child", "batch", "--input", str(small), "--output", str(target),
            "--engine", "dask", "--workers", str(workers), *common,
        )  # fmt: skip
        result[f"workers_{workers}_s"] = wall
    local = work / "dask-local.parquet"
    local.unlink(missing_ok=True)
    _, wall, _ = _run_child(
        "--child", "batch", "--input", str(small), "--output", str(local), *common
    )
    result["local_s"] = wall
    result["identical_to_local"] = (work / "dask-2.parquet").read_bytes() == local.read_bytes()
    return result


if __name__ == "__main__":
    main()
