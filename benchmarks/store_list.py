"""``python -m benchmarks.store_list``: how long ``crisis-model store list`` takes on a
JSON Lines store of N events, against the same command on an SQLite store of the same
events, measured in the same run (the SQLite time is the baseline).

    python -m benchmarks.store_list              # N = 10^6, 5 repeats
    python -m benchmarks.store_list --n 100000 --repeats 3

Both stores get the log of :func:`benchmarks.generator.generate` (seed 2024, 1,000
actors) appended through the store API in batches of 10,000 events.  Each timing is the
wall time of a fresh ``python -m crisis_model store --db PATH list`` process (what a
user waits for, start-up included), median of the repeats; ``python -c pass`` and
``python -c "import crisis_model"`` are timed too, for context.  The target: the JSON
Lines time within 2x the SQLite time.  Also timed in-process: opening each store and
reading every stream's version (no process start-up).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import crisis_model as cm

from .generator import generate

ROOT = Path(__file__).resolve().parent.parent
BATCH = 10_000


def fill(store: cm.EventStore, log: list[cm.Event]) -> None:
    """Append ``log`` to stream ``crisis`` in batches."""
    version = 0
    for start in range(0, len(log), BATCH):
        version = store.append("crisis", log[start:start + BATCH], expected_version=version)


def wall(command: list[str], repeats: int) -> float:
    """Median wall time, in seconds, of running ``command`` (which must succeed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(open_: Callable[[], cm.EventStore], repeats: int) -> float:
    """Median time to open a store and read every stream's version."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        with open_() as store:
            for stream in store.streams():
                store.version(stream)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Build both stores, time ``store list`` on each, print the results."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_list")
    parser.add_argument("--n", type=int, default=10**6, help="events (default 10^6)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per timing (default 5)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="store-list-"))
    try:
        log = generate(args.n, 1000, seed=2024)
        jsonl, sqlite = folder / "st.jsonl", folder / "crisis.db"
        for path in (jsonl, sqlite):
            start = time.perf_counter()
            with cm.open_store(path) as store:
                fill(store, log)
            print(f"filled {path.name}: {args.n} events in {time.perf_counter() - start:.1f} s")
        del log
        size = sum(p.stat().st_size for p in jsonl.iterdir())
        print(f"JSON Lines store: {size / 1e6:.0f} MB; SQLite file: "
              f"{sqlite.stat().st_size / 1e6:.0f} MB")
        py = [sys.executable]
        results = {
            "python -c pass": wall([*py, "-c", "pass"], args.repeats),
            "import crisis_model": wall([*py, "-c", "import crisis_model"], args.repeats),
            "store list, SQLite": wall(
                [*py, "-m", "crisis_model", "store", "--db", str(sqlite), "list"], args.repeats),
            "store list, JSON Lines": wall(
                [*py, "-m", "crisis_model", "store", "--db", str(jsonl), "list"], args.repeats),
            "open + versions, SQLite (in-process)": in_process(
                lambda: cm.SqliteStore(sqlite, read_only=True), args.repeats),
            "open + versions, JSON Lines (in-process)": in_process(
                lambda: cm.JsonlStore(jsonl, read_only=True), args.repeats),
        }
        for name, seconds in results.items():
            print(f"{name:<42} {seconds * 1000:9.1f} ms")
        ratio = results["store list, JSON Lines"] / results["store list, SQLite"]
        print(f"store list: JSON Lines / SQLite = {ratio:.2f} (target <= 2)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
