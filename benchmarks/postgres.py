"""PostgreSQL store benchmarks, as ratios against raw psycopg measured in the same run.

    python -m benchmarks.postgres --dsn postgresql://user@127.0.0.1:5432/db [--quick]

(``CRISIS_MODEL_TEST_POSTGRES_DSN`` is used when ``--dsn`` is not given.)  Each
case runs in a fresh schema of that database, dropped afterwards.

- **append**: N events (``benchmarks.generator``) appended with
  ``PostgresStore.append`` in batches of B (which checks every event against the
  rules, encodes it and takes feed positions), against raw psycopg writing the
  same rows (position, stream, version, type, payload text) into the same
  table layout, one transaction per batch: ``executemany`` of an ``INSERT``,
  and ``COPY ... FROM STDIN`` (the floor).
  For context, the same appends to a ``MemoryStore`` (the same rule checks and
  encoding, no database) say how much of the store's time is the database's.
- **read**: ``PostgresStore.read`` (rows fetched and decoded into events) and
  ``read_all`` (the same, with positions), against a raw ``SELECT`` of the same
  rows (fetched, not decoded: the floor); also the store's fetch alone (its
  query and rows, before decoding).
- **feed under load**: ``read_all`` followed to the end by one reader while 4
  writer processes append batches of 10 to their own streams, against the
  same reader on the same number of events with no writers; also the writers'
  combined append rate.

Times are the median of ``--repeats`` runs; the ratio column is the case's time
over its floor's (1.0 would be as fast as raw psycopg).  Nothing here is
asserted by the test suite, which only runs ``--quick`` to check it works.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import crisis_model as cm
from crisis_model.store import PostgresStore
from crisis_model.store._base import encode

from .generator import generate

ENV = "CRISIS_MODEL_TEST_POSTGRES_DSN"


def _schema() -> str:
    return f"bench_{uuid.uuid4().hex[:12]}"


def _drop(dsn: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _median(fn: Callable[[], Any], repeats: int, setup: Callable[[], Any] | None = None,
            teardown: Callable[[], Any] | None = None) -> float:
    """The median time of ``repeats`` calls of ``fn``, after one untimed warm-up call."""
    if setup is not None:
        setup()
    fn()
    if teardown is not None:
        teardown()
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
        if teardown is not None:
            teardown()
    return statistics.median(times)


def _raw_table(conn: Any, schema: str) -> None:
    conn.execute(f'CREATE SCHEMA "{schema}"')
    conn.execute(f'CREATE TABLE "{schema}".events (position BIGINT PRIMARY KEY, '
                 "stream TEXT NOT NULL, version BIGINT NOT NULL, type TEXT NOT NULL, "
                 "payload TEXT NOT NULL, UNIQUE (stream, version))")


def append_cases(dsn: str, log: Sequence[cm.Event], batch: int, repeats: int) -> dict[str, Any]:
    """Batched append: the store against executemany and COPY of the same rows."""
    import psycopg

    rows = [(i + 1, "s", i + 1, *encode(e)) for i, e in enumerate(log)]
    chunks = [rows[i:i + batch] for i in range(0, len(rows), batch)]
    events = [list(log[i:i + batch]) for i in range(0, len(log), batch)]
    out: dict[str, float] = {}
    schema = ""

    def fresh_store() -> None:  # a new schema, its tables made by the store (not timed)
        nonlocal schema
        schema = _schema()
        PostgresStore(dsn, schema=schema).close()

    def fresh_table() -> None:  # a new schema, the same table made by hand (not timed)
        nonlocal schema
        schema = _schema()
        with psycopg.connect(dsn, autocommit=True) as conn:
            _raw_table(conn, schema)

    def drop() -> None:
        _drop(dsn, schema)

    def store_append() -> None:
        with PostgresStore(dsn, schema=schema) as store:
            version = 0
            for chunk in events:
                version = store.append("s", chunk, expected_version=version)

    def raw(kind: str) -> Callable[[], None]:
        def go() -> None:
            with psycopg.connect(dsn, autocommit=True) as conn:
                insert = f'INSERT INTO "{schema}".events VALUES (%s, %s, %s, %s, %s)'
                copy_sql = f'COPY "{schema}".events FROM STDIN'
                for chunk in chunks:
                    with conn.transaction(), conn.cursor() as cur:
                        if kind == "executemany":
                            cur.executemany(insert, chunk)
                        else:
                            with cur.copy(copy_sql) as copy:
                                for row in chunk:
                                    copy.write_row(row)
        return go

    def memory_append() -> None:  # the same rule checks and encoding, without a database
        store = cm.MemoryStore()
        version = 0
        for chunk in events:
            version = store.append("s", chunk, expected_version=version)

    out["store.append"] = _median(store_append, repeats, fresh_store, drop)
    out["raw.executemany"] = _median(raw("executemany"), repeats, fresh_table, drop)
    out["raw.copy"] = _median(raw("copy"), repeats, fresh_table, drop)
    out["memory.append"] = _median(memory_append, repeats)
    appended = out["store.append"]
    io = appended - out["memory.append"]
    return {
        "n": len(log), "batch": batch, "seconds": out,
        "ratio_vs_executemany": appended / out["raw.executemany"],
        "ratio_vs_copy": appended / out["raw.copy"],
        "database_part_ratio_vs_copy": io / out["raw.copy"],
    }


def read_cases(dsn: str, log: Sequence[cm.Event], repeats: int) -> dict[str, Any]:
    """read and read_all (fetch + decode) against a raw SELECT of the same rows."""
    import psycopg

    schema = _schema()
    try:
        with PostgresStore(dsn, schema=schema) as store:
            version = 0  # (the version append returns: see benchmarks/cases.py)
            for i in range(0, len(log), 1000):
                version = store.append("s", log[i:i + 1000], expected_version=version)
        out: dict[str, float] = {}
        with PostgresStore(dsn, schema=schema) as store:
            out["store.read"] = _median(lambda: store.read("s"), repeats)
            out["store.read_all"] = _median(lambda: store.read_all(), repeats)
            out["store.fetch"] = _median(lambda: store._payloads("s", 0, None), repeats)
            out["store.fetch_feed"] = _median(lambda: store._feed(0, None), repeats)
        with psycopg.connect(dsn) as conn:
            select = (f'SELECT version, payload FROM "{schema}".events WHERE stream = %s '
                      "AND version > %s AND version <= %s ORDER BY version")
            out["raw.select"] = _median(
                lambda: conn.execute(select, ("s", 0, len(log))).fetchall(), repeats)
    finally:
        _drop(dsn, schema)
    return {
        "n": len(log), "seconds": out,
        "ratio_read_vs_select": out["store.read"] / out["raw.select"],
        "ratio_read_all_vs_select": out["store.read_all"] / out["raw.select"],
        "ratio_fetch_vs_select": out["store.fetch"] / out["raw.select"],
        "ratio_fetch_feed_vs_select": out["store.fetch_feed"] / out["raw.select"],
    }


def _writer(dsn: str, schema: str, name: str, log: Sequence[cm.Event], batch: int,
            go: Any, counter: Any) -> None:
    with PostgresStore(dsn, schema=schema) as store:
        store.read(name)  # the decoders and the connection are warm before the clock starts
        with counter.get_lock():
            counter.value += 1
        go.wait()
        version = 0
        for i in range(0, len(log), batch):
            version = store.append(name, log[i:i + batch], expected_version=version)
            with counter.get_lock():
                counter.value += len(log[i:i + batch])


def feed_under_load(dsn: str, per_writer: int, repeats: int) -> dict[str, Any]:
    """read_all followed to the end while 4 writers append, against no writers."""
    logs = [generate(per_writer, max(20, per_writer // 50), seed=k) for k in range(4)]
    total = 4 * per_writer
    ctx = multiprocessing.get_context("spawn")
    loaded: list[float] = []
    writers_rate: list[float] = []
    quiet: list[float] = []
    for _ in range(repeats):
        schema = _schema()
        try:
            PostgresStore(dsn, schema=schema).close()
            go, counter = ctx.Event(), ctx.Value("q", 0)
            procs = [ctx.Process(target=_writer, args=(dsn, schema, f"w{k}", logs[k], 10, go,
                                                       counter)) for k in range(4)]
            for p in procs:
                p.start()
            while counter.value < len(procs):  # every writer connected and ready
                time.sleep(0.01)
            counter.value = 0
            with PostgresStore(dsn, schema=schema) as reader:
                reader.read_all()
                position, seen = 0, 0
                began = time.perf_counter()
                go.set()
                while seen < total:
                    items = reader.read_all(position, limit=1000)
                    if items:
                        seen += len(items)
                        position = items[-1].position
                    else:
                        time.sleep(0.001)
                took = time.perf_counter() - began
                for p in procs:
                    p.join()
                loaded.append(total / took)
                writers_rate.append(total / took)
                began = time.perf_counter()
                position, seen = 0, 0
                while seen < total:
                    items = reader.read_all(position, limit=1000)
                    seen += len(items)
                    position = items[-1].position
                quiet.append(total / (time.perf_counter() - began))
        finally:
            _drop(dsn, schema)
    return {
        "events": total, "writers": 4, "batch": 10,
        "read_all_events_per_s_with_writers": statistics.median(loaded),
        "read_all_events_per_s_alone": statistics.median(quiet),
        "writers_events_per_s": statistics.median(writers_rate),
        "note": "with writers, the reader can only go as fast as events commit: the rate is "
                "the writers' combined append rate, and the reader kept up with it",
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.postgres",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default=os.environ.get(ENV),
                        help=f"the server (default: ${ENV})")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the harness")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not args.dsn:
        parser.error(f"name a PostgreSQL server with --dsn or ${ENV}")
    n, per_writer, repeats = (300, 60, 1) if args.quick else (10_000, 2_500, 3)
    repeats = args.repeats or repeats
    log = generate(n, max(20, n // 20), seed=2024)
    result = {
        "append": append_cases(args.dsn, log, 1000 if not args.quick else 100, repeats),
        "read": read_cases(args.dsn, log, repeats),
        "feed": feed_under_load(args.dsn, per_writer, repeats),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    a, r, f = result["append"], result["read"], result["feed"]
    print(f"append {a['n']} events in batches of {a['batch']}: store "
          f"{a['seconds']['store.append']:.3f} s, executemany "
          f"{a['seconds']['raw.executemany']:.3f} s, COPY {a['seconds']['raw.copy']:.3f} s; "
          f"ratio {a['ratio_vs_executemany']:.2f}x executemany, {a['ratio_vs_copy']:.2f}x COPY; "
          f"the same checks and encoding in memory {a['seconds']['memory.append']:.3f} s, so "
          f"the database part is {a['database_part_ratio_vs_copy']:.2f}x COPY")
    print(f"read {r['n']} events: read {r['seconds']['store.read']:.3f} s, read_all "
          f"{r['seconds']['store.read_all']:.3f} s, raw SELECT {r['seconds']['raw.select']:.3f} s;"
          f" ratio {r['ratio_read_vs_select']:.2f}x (read), "
          f"{r['ratio_read_all_vs_select']:.2f}x (read_all); fetch alone "
          f"{r['ratio_fetch_vs_select']:.2f}x (read), {r['ratio_fetch_feed_vs_select']:.2f}x "
          "(read_all): the rest is decoding")
    print(f"read_all with {f['writers']} writers (batches of {f['batch']}): "
          f"{f['read_all_events_per_s_with_writers']:.0f} events/s followed "
          f"(= the writers' rate); alone {f['read_all_events_per_s_alone']:.0f} events/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
