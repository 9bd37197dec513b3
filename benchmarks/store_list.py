"""``python -m benchmarks.store_list``: how long ``crisis-model store list`` takes on a
JSON Lines store of N events, against the same command on an SQLite store of the same
events, measured in the same run (the SQLite time is the baseline).

    python -m benchmarks.store_list              # N = 10^6, 5 repeats
    python -m benchmarks.store_list --n 100000 --repeats 3

Both stores hold the log of :func:`benchmarks.generator.generate` (seed 2024, 1,000
actors): its first event appended through the store API, the rest written exactly as
the stores write them (JSON Lines: batches of 10,000 lines, the last closing the batch;
SQLite: the same payload rows), without checking the rules again, so that building a
store of 10^6 events takes seconds, not minutes.  Each timing is the
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
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import crisis_model as cm
from crisis_model.store._base import encode
from crisis_model.store._jsonl import _line

from .generator import generate

ROOT = Path(__file__).resolve().parent.parent
BATCH = 10_000


def fill_jsonl(path: Path, log: list[cm.Event], texts: list[str]) -> None:
    """A JSON Lines store whose stream ``crisis`` holds ``log``: the first event appended
    through the store (which registers the stream), the rest written as the store writes
    them, in batches of 10,000 (the rules are not checked again: ``log`` is admissible)."""
    with cm.JsonlStore(path) as store:
        store.append("crisis", log[:1], expected_version=0)
    with open(path / "crisis.jsonl", "a", encoding="utf-8") as f:
        for start in range(1, len(texts), BATCH):
            chunk = texts[start:start + BATCH]
            f.write("".join(
                _line(start + i + 1, text, i == len(chunk) - 1) for i, text in enumerate(chunk)
            ))


def fill_sqlite(path: Path, log: list[cm.Event], texts: list[str]) -> None:
    """An SQLite store holding the same: the first event through the store, the rest
    inserted as the store inserts them, in one transaction."""
    with cm.SqliteStore(path) as store:
        store.append("crisis", log[:1], expected_version=0)
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO events (stream, version, type, payload) VALUES ('crisis', ?, ?, ?)",
            ((i + 1, log[i].event_tag, texts[i]) for i in range(1, len(texts))),
        )
    db.close()


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
        texts = [encode(e)[1] for e in log]
        jsonl, sqlite = folder / "st.jsonl", folder / "crisis.db"
        fill_jsonl(jsonl, log, texts)
        fill_sqlite(sqlite, log, texts)
        del log, texts
        with cm.JsonlStore(jsonl, read_only=True) as a, cm.SqliteStore(sqlite) as b:
            assert a.version("crisis") == b.version("crisis") == args.n
            assert a.read("crisis", start=args.n - 3) == b.read("crisis", start=args.n - 3)
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
            print(f"{name:<42} {seconds * 1000:9.1f} ms", flush=True)
        ratio = results["store list, JSON Lines"] / results["store list, SQLite"]
        print(f"store list: JSON Lines / SQLite = {ratio:.2f} (target <= 2)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
