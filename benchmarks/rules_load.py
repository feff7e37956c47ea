"""How long loading the rule store takes, against merely reading the same files' bytes.

Builds a tree of ~150 rule files (copies of the bundled ones under new names, since the real
tree is still small), then times a cold load, a cached ``load_rules()`` call and a plain read.

    .venv/bin/python benchmarks/rules_load.py [n_files]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from jpimport.rules import load_rule_tree, load_rules
from jpimport.rules.store import DATA_DIR


def build_tree(root: Path, n_files: int) -> list[Path]:
    """Copy the bundled rule files round-robin into ``n_files`` files under root."""
    sources = sorted(DATA_DIR.rglob("*.yaml"))
    files: list[Path] = []
    for i in range(n_files):
        source = sources[i % len(sources)]
        target = root / f"group_{i // 10:02d}" / f"{source.stem}_{i:03d}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        files.append(target)
    return files


def best_of(repeats: int, action: Callable[[], object]) -> tuple[float, float]:
    """Minimum and median wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    """Print the timings as a small table."""
    n_files = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = build_tree(root, n_files)
        size = sum(f.stat().st_size for f in files)

        def read_all() -> None:
            for f in files:
                f.read_bytes()

        read_min, read_med = best_of(20, read_all)
        load_min, load_med = best_of(20, lambda: load_rule_tree(root))
        load_rules.cache_clear()
        first = best_of(1, load_rules)[0]
        calls = 100_000
        cached = best_of(5, lambda: [load_rules() for _ in range(calls)])[0] / calls

    print(f"libyaml C loader: {'yes' if yaml.__with_libyaml__ else 'no'}")
    print(f"files: {n_files}, {size / 1024:.0f} KiB")
    print(f"read bytes          min {read_min * 1e3:7.2f} ms   median {read_med * 1e3:7.2f} ms")
    print(
        f"cold load (tree)    min {load_min * 1e3:7.2f} ms   median {load_med * 1e3:7.2f} ms"
        f"   = {load_med / read_med:.0f}x reading the bytes"
    )
    print(f"load_rules() first  {first * 1e3:7.2f} ms  (bundled tree, {len(load_rules())} files)")
    print(
        f"load_rules() cached {cached * 1e9:7.0f} ns per call"
        f"   = {cached / read_med:.6f}x reading the bytes"
    )


if __name__ == "__main__":
    main()
