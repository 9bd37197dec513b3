"""The measurements, one function per benchmark group; each returns a list of case records.

A *case record* is a plain dict: ``name`` (``group.case``), ``n`` (events in
the log), ``actors``, ``events`` (events the timed code processed), ``times``
(seconds, one per repeat), ``median_s``, ``events_per_s``, ``ns_per_event``,
and optional extras (``bytes_per_event``, ``skipped``, ``note``...).  Baselines
are cases of their own; :mod:`benchmarks.report` pairs them.

Garbage collection stays enabled in every timed call (what a user gets), with
``gc.collect()`` before each repeat, except in cases named ``*_gc_paused``.
"""

from __future__ import annotations

import contextlib
import cProfile
import ctypes
import datetime as dt
import functools
import gc
import io
import json
import os
import pstats
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import crisis_model as cm
from crisis_model.serialization import from_dict, from_dicts

from .floor import replay_floor
from .jsonl_text import orjson as _orjson
from .jsonl_text import payload_text as _payload_text

__all__ = [
    "Settings",
    "eventsourcing_cases",
    "interleaved",
    "jsonl_cases",
    "paths_cases",
    "profile_replay",
    "replay_cases",
    "snapshot_cases",
    "sqlite_cases",
    "startup_cases",
    "state_at_cases",
    "whole_log_paths",
]

Record = dict[str, Any]
_K = TypeVar("_K", bound=Hashable)
REPO = Path(__file__).resolve().parent.parent
SEED_SCENARIO = REPO / "seeds" / "venezuela_2024.toml"



@dataclass
class Settings:
    """How hard to measure: repeats, time and memory budgets, what to print."""

    repeats: int = 5
    min_repeats: int = 3
    budget_s: float = 20.0
    mem_budget_bytes: int = 4 << 30
    startup_repeats: int = 15
    state_at_queries: int = 200
    verbose: bool = True
    log: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    #: The clock cases are timed by: ``time.perf_counter`` (wall clock, the default) or
    #: ``time.process_time`` (this process's CPU time: ``--clock cpu``, for a machine
    #: shared with other jobs, where the wall clock measures the other jobs too).
    clock: Callable[[], float] = time.perf_counter

    def say(self, line: str) -> None:
        if self.verbose:
            self.log(line)


# -- timing ------------------------------------------------------------------------------------


def _rss() -> int:
    """Resident set size of this process, in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _trim() -> None:
    """Collect garbage and hand freed memory back to the OS, so RSS deltas mean something."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def timed(
    settings: Settings,
    fn: Callable[[Any], Any],
    *,
    setup: Callable[[], Any] | None = None,
    keep: Callable[[Any, float], None] | None = None,
    repeats: int | None = None,
    context: bool = False,
) -> list[float]:
    """Seconds per call of ``fn(setup())``, repeated: at least ``min_repeats`` times, then
    until ``repeats`` or the time budget runs out.  ``keep(result, seconds)`` sees each
    result before it is dropped.  A ``context`` case (no target depends on it) stops
    as soon as the budget is spent, after one call if need be."""
    most = repeats or settings.repeats
    least = 1 if context else settings.min_repeats
    times: list[float] = []
    while len(times) < most:
        arg = setup() if setup is not None else None
        gc.collect()
        t0 = settings.clock()
        result = fn(arg)
        seconds = settings.clock() - t0
        times.append(seconds)
        if keep is not None:
            keep(result, seconds)
        del result, arg
        if len(times) >= least and sum(times) > settings.budget_s:
            break
    return times


def interleaved(settings: Settings, jobs: Sequence[tuple[_K, Callable[[], Any]]],
                budget_s: float, label: str) -> dict[_K, list[float]]:
    """Seconds per call of each job, timed in interleaved rounds: every round calls each
    job once, in order, so that a change of load on a shared machine hits every job
    alike.  At least ``min_repeats`` rounds, then more while the time spent stays
    within ``budget_s`` and ``repeats`` allows.  A job's result is dropped after its
    timing."""
    times: dict[_K, list[float]] = {key: [] for key, _ in jobs}
    spent = 0.0
    rounds = 0
    while rounds < settings.repeats:
        for key, fn in jobs:
            gc.collect()
            t0 = settings.clock()
            result = fn()
            seconds = settings.clock() - t0
            del result
            times[key].append(seconds)
            spent += seconds
        rounds += 1
        settings.say(f"  {label} round {rounds} done ({spent:.0f} s so far)")
        if rounds >= settings.min_repeats and spent > budget_s:
            break
    return times


def record(name: str, n: int, actors: int | None, times: Sequence[float], events: int,
           **extra: Any) -> Record:
    """A case record (see the module docstring)."""
    median = statistics.median(times)
    rec: Record = {
        "name": name, "n": n, "actors": actors, "events": events,
        "repeats": len(times), "times": list(times), "median_s": median,
        "events_per_s": events / median if median > 0 else None,
        "ns_per_event": median / events * 1e9 if events else None,
        "load_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    rec.update(extra)
    return rec


def skipped(name: str, n: int, actors: int | None, why: str, **extra: Any) -> Record:
    """A record for a case that was not run, saying why."""
    return {"name": name, "n": n, "actors": actors, "skipped": why, **extra}


def _report(settings: Settings, rec: Record) -> Record:
    if "skipped" in rec:
        settings.say(f"  {rec['name']:<34} skipped: {rec['skipped']}")
    elif rec["events"] == 1:
        settings.say(f"  {rec['name']:<34} {rec['median_s'] * 1e3:>13,.1f} ms  "
                     f"(median of {rec['repeats']})")
    else:
        extra = ""
        if rec.get("bytes_per_event") is not None:
            extra = f"  {rec['bytes_per_event']:,.0f} B/event"
        settings.say(
            f"  {rec['name']:<34} {rec['events_per_s']:>13,.0f} ev/s "
            f"{rec['ns_per_event']:>10,.0f} ns/ev  (median of {rec['repeats']}){extra}"
        )
    return rec


# -- replay ------------------------------------------------------------------------------------


def replay_cases(settings: Settings, logs: dict[tuple[int, int], list[cm.Event]],
                 ) -> list[Record]:
    """The floor, strict replay and lenient replay of every log, in interleaved rounds.

    Each round times the three on every log in turn, so a change of load on a
    shared machine hits every (N, A) alike and the per-event costs stay
    comparable (the flatness targets compare them).  At least ``min_repeats``
    rounds, then more while the rounds fit the time budget (times the number
    of logs) and ``repeats`` allows.
    """
    def strict(log: list[cm.Event]) -> cm.CrisisState:
        state = cm.replay(log)
        assert state.version == len(log), "strict replay skipped events"
        return state

    def lenient(log: list[cm.Event]) -> cm.CrisisState:
        state, anomalies = cm.replay(log, strict=False)
        assert not anomalies, "the generated log should be admissible"
        return state

    cases: tuple[tuple[str, Callable[[list[cm.Event]], Any]], ...] = (
        ("replay.floor", replay_floor), ("replay.strict", strict), ("replay.lenient", lenient))
    times = interleaved(settings, [((name, n, actors), functools.partial(fn, log))
                                   for (n, actors), log in logs.items() for name, fn in cases],
                        settings.budget_s * len(logs), "replay")
    out = []
    for (n, actors) in logs:
        settings.say(f"  N={n:,} A={actors:,}")
        for name, _ in cases:
            out.append(_report(settings, record(name, n, actors, times[(name, n, actors)], n)))
    return out


def profile_replay(log: list[cm.Event], top: int = 40) -> str:
    """``cProfile`` of one strict replay of ``log``, the ``top`` functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    cm.replay(log)
    profiler.disable()
    buf = io.StringIO()
    pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(top)
    text = buf.getvalue()
    # Paths of this machine stay out of the output: keep file names only.
    return re.sub(r"(?:[^\s(]*/)([^/\s:]+\.py)", r"\1", text)


# -- snapshots ---------------------------------------------------------------------------------


def _marginal_bytes(
    settings: Settings, log: list[cm.Event], actors: int, cap: int
) -> tuple[float, int]:
    """Bytes retained per event by ``snapshots()`` once every actor is introduced.

    Replays the introductions, then keeps the snapshots of up to 20,000 further
    events (fewer if they pass ``cap`` bytes), traced by ``tracemalloc``, and
    returns (bytes per event over the second half, events traced).
    """
    start = min(actors, len(log))
    rest = log[start: start + 20_000]
    if not rest:
        return 0.0, 0
    initial = cm.replay(log[:start])
    gc.collect()
    tracemalloc.start()
    try:
        kept = []
        marks: list[tuple[int, int]] = [(0, tracemalloc.get_traced_memory()[0])]
        for i, state in enumerate(cm.snapshots(rest, initial=initial), 1):
            kept.append(state)
            if i % 256 == 0 or i == len(rest):
                used = tracemalloc.get_traced_memory()[0]
                marks.append((i, used))
                if used - marks[0][1] > cap:
                    break
        gc.collect()
        marks[-1] = (marks[-1][0], tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    del kept
    _trim()
    half = marks[len(marks) // 2]
    last = marks[-1]
    if last[0] == half[0]:
        half = marks[0]
    return (last[1] - half[1]) / (last[0] - half[0]), last[0]


def snapshot_cases(settings: Settings, log: list[cm.Event], actors: int) -> list[Record]:
    """``list(cm.snapshots(log))`` with every snapshot retained: time (GC on, and paused)
    and bytes retained per event (``tracemalloc``, and the RSS delta)."""
    n = len(log)
    out: list[Record] = []
    pilot_cap = min(settings.mem_budget_bytes // 8, 512 << 20)
    marginal, traced = _marginal_bytes(settings, log, actors, pilot_cap)
    predicted = marginal * n * 1.15 + n * 200
    settings.say(f"  snapshots: {marginal:,.0f} B/event retained once all actors exist "
                 f"(traced over {traced} events); {predicted / 2**30:.2f} GiB predicted for "
                 f"{n:,} events")
    if predicted > settings.mem_budget_bytes:
        why = (f"keeping {n:,} snapshots would need about {predicted / 2**30:.1f} GiB, over "
               f"the {settings.mem_budget_bytes / 2**30:.1f} GiB memory budget")
        for name in ("snapshots.retained", "snapshots.retained_gc_paused"):
            out.append(_report(settings, skipped(
                name, n, actors, why, steady_bytes_per_event=marginal)))
        return out

    rss: list[int] = []

    def setup() -> None:
        _trim()
        rss.append(_rss())

    def keep(snaps: list[cm.CrisisState], _: float) -> None:
        assert len(snaps) == n
        rss[-1] = _rss() - rss[-1]

    t = timed(settings, lambda _: list(cm.snapshots(log)), setup=setup, keep=keep)
    _trim()
    out.append(_report(settings, record(
        "snapshots.retained", n, actors, t, n, rss_bytes_per_event=min(rss) / n,
        steady_bytes_per_event=marginal)))

    def paused(_: Any) -> list[cm.CrisisState]:
        gc.disable()
        try:
            return list(cm.snapshots(log))
        finally:
            gc.enable()

    t = timed(settings, paused, setup=_trim, context=True)
    _trim()
    out.append(_report(settings, record("snapshots.retained_gc_paused", n, actors, t, n)))

    # Exact retained bytes, traced once (tracemalloc slows the run, so it is not timed).
    if n <= 200_000:
        gc.collect()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            snaps = list(cm.snapshots(log))
            gc.collect()
            used = tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
        del snaps
        _trim()
        out[0]["bytes_per_event"] = used / n
        out[0]["bytes_method"] = "tracemalloc"
    else:
        out[0]["bytes_per_event"] = out[0]["rss_bytes_per_event"]
        out[0]["bytes_method"] = "RSS delta"
    settings.say(f"  snapshots.retained: {out[0]['bytes_per_event']:,.0f} B/event "
                 f"({out[0]['bytes_method']}), RSS delta {out[0]['rss_bytes_per_event']:,.0f}")
    return out


# -- state_at ----------------------------------------------------------------------------------


def _query_dates(log: list[cm.Event], count: int, seed: int = 7) -> list[dt.date]:
    rng = random.Random(seed)
    first, last = log[0].occurred_on, log[-1].occurred_on
    span = (last - first).days + 2
    return [first + dt.timedelta(days=rng.randrange(-1, span)) for _ in range(count)]


def state_at_cases(settings: Settings, log: list[cm.Event], actors: int) -> list[Record]:
    """``cm.History(log).state_at(when)`` latency at random dates and the History's build
    cost; without ``cm.History``, plain ``cm.state_at`` on a prefix of the log."""
    n = len(log)
    history_cls = getattr(cm, "History", None)
    if history_cls is not None:
        # The index answers as plain state_at does (checked on a prefix, outside the timings).
        sample = log[: min(n, 3_000)]
        small = history_cls(sample, checkpoint_every=100)
        for when in _query_dates(sample, 4, seed=3):
            assert cm.state_at(sample, when) == small.state_at(when), f"History differs on {when}"
        built: list[Any] = []
        t = timed(settings, lambda _: history_cls(log), keep=lambda h, _: built.append(h),
                  repeats=3)
        out = [_report(settings, record("state_at.build", n, actors, t, n))]
        history = built[-1]
        del built[:-1]
        dates = _query_dates(log, settings.state_at_queries)
        history.state_at(dates[0])  # warm
        lat = []
        for when in dates:
            t0 = time.perf_counter()
            history.state_at(when)
            lat.append(time.perf_counter() - t0)
        rec = record("state_at.query", n, actors, lat, 1, api="cm.History(log).state_at(when)",
                     p90_s=sorted(lat)[int(len(lat) * 0.9)], max_s=max(lat))
        out.append(rec)
        settings.say(f"  state_at.query: median {rec['median_s'] * 1e3:.3f} ms over "
                     f"{len(lat)} dates (p90 {rec['p90_s'] * 1e3:.3f} ms)")
        return out
    small = log[: min(n, 10_000)]
    dates = _query_dates(small, min(30, settings.state_at_queries))
    lat = []
    t_total = 0.0
    for when in dates:
        t0 = time.perf_counter()
        cm.state_at(small, when)
        lat.append(time.perf_counter() - t0)
        t_total += lat[-1]
        if len(lat) >= 5 and t_total > settings.budget_s:
            break
    note = (f"cm.History is not available: plain cm.state_at replays the prefix on every "
            f"call, so it was measured on the first {len(small):,} events only")
    out = [skipped("state_at.build", n, actors, "no index: cm.History is not available")]
    rec = record("state_at.query", len(small), actors, lat, 1, api="cm.state_at(log, when)",
                 note=note, p90_s=sorted(lat)[int(len(lat) * 0.9)], max_s=max(lat))
    out.append(rec)
    settings.say(f"  state_at.query (fallback, N={len(small):,}): median "
                 f"{rec['median_s'] * 1e3:.1f} ms over {len(lat)} dates")
    return out


# -- JSON Lines --------------------------------------------------------------------------------


@contextlib.contextmanager
def _tempdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="crisis-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def jsonl_cases(settings: Settings, log: list[cm.Event], actors: int) -> list[Record]:
    """Load a JSON Lines file of ``log`` into events, against loading it as plain dicts.

    The measured cases are the library's bulk path, ``from_dicts`` over the parsed
    lines (``jsonl.decode_bulk_orjson``, ``jsonl.decode_bulk_json``); ``from_dict``
    line by line (``jsonl.decode_orjson``, ``jsonl.decode_json``) is context.
    """
    n = len(log)
    out = []
    with _tempdir() as tmp:
        path = tmp / "log.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for e in log:
                f.write(_payload_text(e))
                f.write("\n")

        def check(events: list[Any], _: float) -> None:
            assert len(events) == n

        # (name, per-line loader or None, bulk loader or None, context?)
        loaders: list[tuple[str, Callable[[bytes], Any] | None,
                            Callable[[Any], list[Any]] | None, bool]] = []
        per_line = [("jsonl.decode_orjson", "jsonl.orjson_dicts", "jsonl.decode_bulk_orjson",
                     _orjson.loads if _orjson is not None else None),
                    ("jsonl.decode_json", "jsonl.json_dicts", "jsonl.decode_bulk_json",
                     json.loads)]
        for decode_name, dicts_name, bulk_name, parse in per_line:
            if parse is None:
                continue
            # With orjson present, the stdlib json cases are context.
            minor = _orjson is not None and parse is json.loads
            loaders += [
                (dicts_name, parse, None, minor),
                (bulk_name, None, lambda f, parse=parse: from_dicts(map(parse, f)), minor),
                (decode_name, lambda line, parse=parse: from_dict(parse(line)), None, True),
            ]
        for name, load, bulk, context in loaders:
            def run(_: Any, load: Callable[[bytes], Any] | None = load,
                    bulk: Callable[[Any], list[Any]] | None = bulk) -> list[Any]:
                with open(path, "rb") as f:
                    if bulk is not None:
                        return bulk(f)
                    assert load is not None
                    return [load(line) for line in f]
            t = timed(settings, run, keep=check, context=context)
            out.append(_report(settings, record(name, n, actors, t, n)))
        # The decoded events equal the originals, both ways (checked once, outside the timings).
        with open(path, "rb") as fb:
            lines = [line for _, line in zip(range(2000), fb, strict=False)]
        assert [from_dict(json.loads(line)) for line in lines] == log[: len(lines)], \
            "JSON Lines round trip changed events"
        assert from_dicts(map(json.loads, lines)) == log[: len(lines)], \
            "JSON Lines round trip (from_dicts) changed events"
    return out


# -- SQLite ------------------------------------------------------------------------------------

_RAW_SCHEMA = """
CREATE TABLE streams (
    name TEXT PRIMARY KEY,
    parent TEXT REFERENCES streams(name),
    at_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    stream TEXT NOT NULL REFERENCES streams(name),
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (stream, version)
);
"""
STREAM = "bench"
BATCH = 1000


def _raw_db(path: Path) -> sqlite3.Connection:
    """A raw connection set up as the store sets itself up: WAL, synchronous=NORMAL, same
    tables and UNIQUE index, autocommit with explicit ``BEGIN IMMEDIATE``."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    for statement in _RAW_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    return db


def _raw_insert(db: sqlite3.Connection, rows: Sequence[tuple[str, int, str, str]]) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT OR IGNORE INTO streams (name, parent, at_version) VALUES (?, NULL, 0)",
               (STREAM,))
    db.executemany("INSERT INTO events (stream, version, type, payload) VALUES (?, ?, ?, ?)",
                   rows)
    db.execute("COMMIT")


def sqlite_cases(settings: Settings, log: list[cm.Event], actors: int,
                 per_event: int) -> list[Record]:
    """``SqliteStore`` append (batches of 1,000; one event per call) and read+decode, against
    raw ``sqlite3`` on the same schema, pragmas and JSON payload rows."""
    n = len(log)
    m = min(n, per_event)
    out = []
    rows = [(STREAM, i + 1, type(e).event_tag, _payload_text(e)) for i, e in enumerate(log)]
    with _tempdir() as tmp:
        counter = iter(range(10**9))

        def fresh(_: Any = None) -> Path:
            return tmp / f"db-{next(counter)}.sqlite"

        def cleanup(path: Path) -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        # raw, batched
        def raw_batched(path: Path) -> Path:
            db = _raw_db(path)
            for i in range(0, n, BATCH):
                _raw_insert(db, rows[i: i + BATCH])
            db.close()
            return path

        t = timed(settings, raw_batched, setup=fresh, keep=lambda p, _: cleanup(p))
        out.append(_report(settings, record("sqlite.raw_insert_batched", n, actors, t, n)))

        def raw_encode_batched(path: Path) -> Path:
            db = _raw_db(path)
            for i in range(0, n, BATCH):
                _raw_insert(db, [(STREAM, i + j + 1, type(e).event_tag, _payload_text(e))
                                 for j, e in enumerate(log[i: i + BATCH])])
            db.close()
            return path

        t = timed(settings, raw_encode_batched, setup=fresh, keep=lambda p, _: cleanup(p),
                  context=True)
        out.append(_report(settings, record("sqlite.raw_encode_insert_batched", n, actors, t,
                                            n)))

        # the store, batched; the last database is kept for the reads
        kept: list[Path] = []

        def store_batched(path: Path) -> Path:
            with cm.SqliteStore(path) as store:
                version = 0  # (what append returns: an event whose content a stored one has,
                for i in range(0, n, BATCH):  # without an id, is taken for it and left out)
                    version = store.append(STREAM, log[i: i + BATCH], expected_version=version)
            return path

        def keep_last(path: Path, _: float) -> None:
            for p in kept:
                cleanup(p)
            kept[:] = [path]

        t = timed(settings, store_batched, setup=fresh, keep=keep_last)
        out.append(_report(settings, record(
            "sqlite.append_batched", n, actors, t, n,
            note="append() checks every event against the rules (replaying the batch) and "
                 "encodes it, inside the timing")))
        db_path = kept[0]
        with cm.SqliteStore(db_path) as store:  # the events it holds: those of the log, less
            held = store.version(STREAM)  # any an earlier batch holds word for word already

        # one event per transaction
        def raw_each(path: Path) -> Path:
            db = _raw_db(path)
            for row in rows[:m]:
                _raw_insert(db, [row])
            db.close()
            return path

        t = timed(settings, raw_each, setup=fresh, keep=lambda p, _: cleanup(p))
        out.append(_report(settings, record("sqlite.raw_insert_each", n, actors, t, m)))

        def store_each(path: Path) -> Path:
            with cm.SqliteStore(path) as store:
                version = 0
                for e in log[:m]:
                    version = store.append(STREAM, [e], expected_version=version)
            return path

        t = timed(settings, store_each, setup=fresh, keep=lambda p, _: cleanup(p))
        out.append(_report(settings, record("sqlite.append_each", n, actors, t, m)))

        # reads
        def raw_select(_: Any) -> list[Any]:
            db = sqlite3.connect(db_path)
            try:
                return db.execute(
                    "SELECT version, payload FROM events WHERE stream = ? ORDER BY version",
                    (STREAM,)).fetchall()
            finally:
                db.close()

        def check(items: list[Any], _: float) -> None:
            assert len(items) == held

        t = timed(settings, raw_select, keep=check)
        out.append(_report(settings, record("sqlite.raw_select", n, actors, t, held)))

        def raw_select_loads(_: Any) -> list[Any]:
            loads = json.loads
            return [loads(p) for _, p in raw_select(None)]

        t = timed(settings, raw_select_loads, keep=check, context=True)
        out.append(_report(settings, record("sqlite.raw_select_json_loads", n, actors, t, held)))

        def read(_: Any) -> list[cm.Event]:
            with cm.SqliteStore(db_path) as store:
                return store.read(STREAM)

        t = timed(settings, read, keep=check)
        out.append(_report(settings, record("sqlite.read_decode", n, actors, t, held)))

        def cold_replay(_: Any) -> cm.CrisisState:
            with cm.SqliteStore(db_path) as store:
                return store.replay(STREAM)

        t = timed(settings, cold_replay, context=True)
        out.append(_report(settings, record("sqlite.cold_replay", n, actors, t, held)))
        cleanup(db_path)
    return out


# -- eventsourcing -----------------------------------------------------------------------------


def eventsourcing_cases(settings: Settings, n: int) -> list[Record]:
    """The ``eventsourcing`` library on one aggregate with one ``@event`` method, N events:
    trigger, replay the event objects, reconstruct from POPO and SQLite, save to SQLite."""
    try:
        import eventsourcing
        from eventsourcing.application import Application, project_aggregate

        from . import es_model
    except ImportError:
        return [_report(settings, skipped("eventsourcing.get_popo", n, None,
                                          "eventsourcing is not installed (pip install "
                                          "'.[bench]')"))]
    version = getattr(eventsourcing, "__version__", None)

    trigger: list[float] = []

    def make_dog(_: Any = None) -> Any:
        """A dog with N pending events; the time it takes is the "trigger" case."""
        t0 = time.perf_counter()
        dog = es_model.make_dog(n)
        trigger.append(time.perf_counter() - t0)
        return dog

    popo = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    out = []
    def project(events: list[Any]) -> Any:
        return project_aggregate(None, events)

    es_events = list(make_dog().collect_events())
    t = timed(settings, project, setup=lambda: es_events)
    out.append(_report(settings, record("eventsourcing.project", n, None, t, n)))
    es_events = []

    def saved(env: dict[str, str]) -> tuple[Any, Any]:
        """An application on ``env`` holding one saved dog, and the dog's id."""
        app: Any = Application(env=env)
        dog = make_dog()
        app.save(dog)
        return app, dog.id

    def get(app_and_id: tuple[Any, Any]) -> Any:
        return app_and_id[0].repository.get(app_and_id[1])

    with _tempdir() as tmp:
        popo_app = saved(popo)
        t = timed(settings, get, setup=lambda: popo_app)
        out.append(_report(settings, record("eventsourcing.get_popo", n, None, t, n,
                                            version=version)))
        sq = {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
              "SQLITE_DBNAME": str(tmp / "es.sqlite")}
        sqlite_app = saved(sq)
        t = timed(settings, get, setup=lambda: sqlite_app, context=True)
        out.append(_report(settings, record("eventsourcing.get_sqlite", n, None, t, n)))
        counter = iter(range(10**9))

        def setup() -> tuple[Any, Any]:
            env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                   "SQLITE_DBNAME": str(tmp / f"save-{next(counter)}.sqlite")}
            return Application(env=env), make_dog()

        t = timed(settings, lambda a: a[0].save(a[1]), setup=setup, context=True)
        out.append(_report(settings, record("eventsourcing.save_sqlite", n, None, t, n)))
    out.append(_report(settings, record("eventsourcing.trigger", n, None, trigger, n,
                                        note="timed while building the other cases' inputs")))
    return out


# -- start-up ----------------------------------------------------------------------------------


def _startup_env(cache: Path) -> dict[str, str]:
    """The environment of the start-up cases: bytecode cached (in ``cache``, not in the
    repository), as a user's installed package has it, even where the machine sets
    ``PYTHONDONTWRITEBYTECODE`` (which makes every start compile every module)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _wall(argv: list[str], repeats: int, env: dict[str, str]) -> list[float]:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=REPO, env=env)  # (once untimed: it writes the bytecode cache)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=REPO, env=env)
        times.append(time.perf_counter() - t0)
    return times


def _importtime(repeats: int, env: dict[str, str]) -> list[float]:
    """Cumulative import time of ``crisis_model`` as ``python -X importtime`` reports it."""
    out = []
    for _ in range(repeats):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import crisis_model"],
                              check=True, capture_output=True, text=True, cwd=REPO, env=env)
        for line in proc.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "crisis_model":
                out.append(int(parts[1]) / 1e6)
    return out


def startup_cases(settings: Settings) -> list[Record]:
    """Wall time of ``python -c pass``, ``python -c "import crisis_model"`` and
    ``python -m crisis_model replay`` on the seed scenario; ``-X importtime``.  Each
    command runs once untimed first, with bytecode cached (see :func:`_startup_env`)."""
    r = settings.startup_repeats
    py = sys.executable
    out = []
    with _tempdir() as cache:
        env = _startup_env(cache)
        base = _wall([py, "-c", "pass"], r, env)
        out.append(_report(settings, record("startup.python_pass", 1, None, base, 1)))
        t = _wall([py, "-c", "import crisis_model"], r, env)
        out.append(_report(settings, record("startup.import", 1, None, t, 1)))
        t = _importtime(r, env)
        if t:
            out.append(_report(settings, record("startup.importtime", 1, None, t, 1)))
        if SEED_SCENARIO.exists():
            t = _wall([py, "-m", "crisis_model", "replay", str(SEED_SCENARIO)], r, env)
            out.append(_report(settings, record("startup.replay_seed", 1, None, t, 1,
                                                scenario="seeds/venezuela_2024.toml")))
        else:
            out.append(_report(settings, skipped("startup.replay_seed", 1, None,
                                                 "the seed scenario is missing")))
    return out


# -- what-if sweeps ----------------------------------------------------------------------------


def sweep_cases(settings: Settings, n: int, actors: int, fork: int, count: int,
                length: int, seed: int) -> list[Record]:
    """``cm.sweep``: ``count`` branches of ``length`` events after event ``fork`` of an
    ``n``-event log, against replaying ``count * length`` events of the log itself from
    the same fork (``cm.replay(log[fork:fork + count * length], initial=fork_state)``).

    The two take turns, each call after ``gc.collect()``.  The branches are
    admissible and differ (``generator.generate_branches``).
    """
    from .generator import generate_branches

    log, branches = generate_branches(n, actors, fork, count, length, seed=seed)
    start = cm.replay(log[:fork])
    tail = log[fork: fork + count * length]
    events = count * length

    def baseline(_: Any) -> cm.CrisisState:
        return cm.replay(tail, initial=start)

    def sweep(_: Any) -> list[cm.CrisisState]:
        ends = list(cm.sweep(start, branches))
        assert len(ends) == count
        return ends

    times: dict[str, list[float]] = {"sweep.tail_replay": [], "sweep.branches": []}
    for _ in range(settings.repeats):
        times["sweep.tail_replay"] += timed(settings, baseline, repeats=1)
        times["sweep.branches"] += timed(settings, sweep, repeats=1)
    extra = {"fork": fork, "branches": count, "branch_length": length}
    return [_report(settings, record(name, n, actors, t, events, **extra))
            for name, t in times.items()]


# -- instruction counts -------------------------------------------------------------------------


def callgrind_cases(settings: Settings, n: int, actors: int, seed: int) -> list[Record]:
    """Instructions per event (valgrind callgrind) of the floor, strict replay, snapshots
    and a sweep; skipped, saying so, where valgrind is missing."""
    from . import callgrind

    if callgrind.valgrind() is None:
        return [_report(settings, skipped("callgrind", n, actors,
                                          "valgrind is not installed (apt-get install valgrind)"))]
    settings.say("  running under valgrind (about a minute per 10,000 events)")
    result = callgrind.measure(n, actors, seed)
    assert result is not None
    out = []
    for region, count in result["instructions"].items():
        events = result["events"][region]
        out.append({
            "name": f"callgrind.{region}", "n": n, "actors": actors, "events": events,
            "instructions": count, "instructions_per_event": count / events,
            "over_floor": (count / events) / result["per_event"]["floor"]})
        settings.say(f"  callgrind.{region:<24} {count / events:>10,.0f} instructions/event")
    return out


# -- paths users reach over a whole log (no quadratic ones) ---------------------------------------


@contextlib.contextmanager
def whole_log_paths(log: list[cm.Event], only: Collection[str] | None = None,
                    ) -> Iterator[dict[str, Callable[[], Any]]]:
    """The whole-log paths a user reaches over ``log``, each a call without arguments, in
    the order they are measured: ``timeline``, ``uncertain_events``, ``included_events``
    and ``state_at`` as of the last event's date (the uncertainty path: every event is
    included and checked), ``diff`` of the states at half and at the end, ``validate``
    (``crisis-model validate --lenient`` of a JSON Lines scenario file of ``log``: load
    the file, lenient replay, invariants, its output discarded),
    ``validate_unknown_sources`` (the same file defining none of the sources its
    events cite: a problem for each citation, grouped), store reads
    (``store_read_sqlite``, ``store_read_jsonl``: ``read`` of the stream from a store
    opened fresh; ``store_list_jsonl``: ``store list``'s work in-process), and strict
    ``replay``.  ``only``: just the paths named (in the same order), and only the set-up
    they need (the states ``diff`` compares, the files and stores the others read; at
    10^6 events under callgrind the whole set-up costs more than counting strict replay).
    The files the paths read live in a temporary folder until the block ends.  Shared
    by the timed cases and the instruction counts (``benchmarks.callgrind``)."""
    from crisis_model import query

    def wanted(*names: str) -> bool:
        return only is None or any(name in only for name in names)

    n = len(log)
    when = log[-1].occurred_on
    fns: dict[str, Callable[[], Any]] = {
        "timeline": lambda: query.timeline(log),
        "uncertain_events": lambda: query.uncertain_events(log, when),
        "included_events": lambda: query.included_events(log, when),
        "state_at": lambda: cm.state_at(log, when),
    }
    if wanted("diff"):
        half, final = cm.replay(log[: n // 2]), cm.replay(log)
        fns["diff"] = lambda: query.diff(half, final)
    with _tempdir() as tmp, _limits("file-size=4G"):  # 10^6 events exceed 128 MiB
        if wanted("validate"):
            fns["validate"] = _validate_fn(log, tmp / "log.jsonl")
        if wanted("validate_unknown_sources"):
            fns["validate_unknown_sources"] = _validate_fn(log, tmp / "bad.jsonl",
                                                           sources=False)
        if wanted("store_read_sqlite", "store_read_jsonl", "store_list_jsonl"):
            fns |= _store_read_fns(log, tmp)
        fns["replay"] = lambda: cm.replay(log)
        yield fns if only is None else {k: f for k, f in fns.items() if k in only}


def report_cases(settings: Settings, configs: Sequence[tuple[int, int]],
                 seed: int) -> list[Record]:
    """``crisis_model.reporting.report(log)`` (the HTML page, built and rendered) on a
    generated log of N events over A actors for each ``(N, A)`` of ``configs``, timed
    in interleaved rounds.  The page samples the state on every day an event begins
    and draws every actor's bands over those days: with A growing with N, a page
    whose cost per event rises has a path that grows with days times actors (as the
    bands once had, reading every actor on every day)."""
    from crisis_model.reporting import report

    from .generator import generate

    logs = {(n, a): generate(n, a, seed=seed) for n, a in configs}
    chars: dict[tuple[int, int], int] = {}

    def page(key: tuple[int, int]) -> str:
        text = report(logs[key])
        chars[key] = len(text)  # the page's size, noted in passing (len of a str is O(1))
        return text

    jobs = [(key, functools.partial(page, key)) for key in logs]
    times = interleaved(settings, jobs, settings.budget_s * len(configs), "report")
    return [_report(settings, record("report.html", n, a, t, len(logs[(n, a)]),
                                     page_chars=chars[(n, a)]))
            for (n, a), t in times.items()]


def paths_cases(settings: Settings, logs: Mapping[int, list[cm.Event]], actors: int,
                seed: int) -> list[Record]:
    """Each of :func:`whole_log_paths` timed on every log of ``logs`` (N -> a log among
    ``actors`` actors), and strict replay of an N-event log among :data:`FEW_ACTORS`
    actors (``paths.replay_few_actors``, whose histories grow with N), so that the
    per-event cost can be compared across N.  All of them are timed in interleaved
    rounds (:func:`interleaved`: each path on every N in turn, then the next path), so
    that a change of load hits every N alike; the flatness target compares the N of one
    path.  Strict replay (``paths.replay``) is context: its own flatness tells the
    machine's share (caches, memory) of any rise in the other paths."""
    from .generator import generate

    few = {n: generate(n, FEW_ACTORS, seed=seed) for n in logs}
    with contextlib.ExitStack() as stack:
        fns = {n: stack.enter_context(whole_log_paths(log)) for n, log in logs.items()}
        names = list(next(iter(fns.values()))) if fns else []
        jobs: list[tuple[tuple[str, int, int], Callable[[], Any]]] = [
            ((f"paths.{name}", n, actors), fns[n][name]) for name in names for n in logs]
        jobs += [(("paths.replay_few_actors", n, FEW_ACTORS), functools.partial(cm.replay, log))
                 for n, log in few.items()]
        times = interleaved(settings, jobs, settings.budget_s * len(logs), "paths")
    out = []
    for n in logs:
        settings.say(f"  N={n:,} A={actors:,} (replay_few_actors: A={FEW_ACTORS})")
        out += [_report(settings, record(name, n, a, times[(name, n, a)], n))
                for (name, n_, a), _ in jobs if n_ == n]
    return out


#: The actors of the paths benchmark's second log: with this few, every actor's histories
#: grow to about N / FEW_ACTORS entries (at 1,000 actors they stay short at every N).
FEW_ACTORS = 10


def _store_read_fns(log: list[cm.Event], tmp: Path) -> dict[str, Callable[[], Any]]:
    """Store reads over the whole log: ``read`` of the stream (fetch and decode every event)
    from an SQLite store and from a JSON Lines store, each opened fresh, and ``store
    list``'s work in-process (open the store, every stream's version).  The stores are
    filled in ``tmp`` as ``benchmarks.store_list`` fills them (rows written as the stores
    write them, without checking the rules again)."""
    from crisis_model.store._base import encode

    from .store_list import fill_jsonl, fill_sqlite

    texts = [encode(e)[1] for e in log]
    sqlite_path, jsonl_path = tmp / "crisis.db", tmp / "st.jsonl"
    fill_sqlite(sqlite_path, log, texts)
    fill_jsonl(jsonl_path, log, texts)
    del texts

    def read_sqlite() -> list[cm.Event]:
        with cm.SqliteStore(sqlite_path) as store:
            return store.read("crisis")

    def read_jsonl() -> list[cm.Event]:
        with cm.JsonlStore(jsonl_path, read_only=True) as store:
            return store.read("crisis")

    def list_jsonl() -> int:
        with cm.JsonlStore(jsonl_path, read_only=True) as store:
            return sum(store.version(s) for s in store.streams())

    return {"store_read_sqlite": read_sqlite, "store_read_jsonl": read_jsonl,
            "store_list_jsonl": list_jsonl}


@contextlib.contextmanager
def _limits(value: str) -> Iterator[None]:
    """``CRISIS_MODEL_LIMITS`` set to ``value`` inside the block, restored after it."""
    old = os.environ.get("CRISIS_MODEL_LIMITS")
    os.environ["CRISIS_MODEL_LIMITS"] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CRISIS_MODEL_LIMITS", None)
        else:
            os.environ["CRISIS_MODEL_LIMITS"] = old


def _validate_fn(log: list[cm.Event], path: Path, *, sources: bool = True) -> Callable[[], int]:
    """``crisis-model validate --lenient`` of a JSON Lines scenario file of ``log`` written
    at ``path``, its output discarded.  With ``sources``, the file defines every source
    its events cite (a clean file: loaded, replayed leniently, invariants checked);
    without, it defines none (a problem for each citation, grouped; nothing replayed)."""
    import argparse

    from crisis_model import cli
    from crisis_model.scenario import Scenario, Source

    cited = sorted({s for e in log for s in e.sources}) if sources else []
    Scenario(id="bench", title="bench", events=tuple(log),
             sources={s: Source(id=s, outlet="bench", title=f"report {s}")
                      for s in cited}).dump(path)
    args = argparse.Namespace(file=str(path), lenient=True, show_all=False)

    def run() -> int:
        with contextlib.redirect_stdout(io.StringIO()):
            return cli.run_validate(args)

    return run
