"""The PostgreSQL event store: one schema of a database that many machines append to.

Layout (in the schema ``schema``, ``crisis_model`` by default; created on first use)::

    schema_version(version INTEGER, written_by TEXT)          -- one row: the layout's version
    streams(name TEXT PRIMARY KEY, parent TEXT, at_version BIGINT, version BIGINT)
    events(position BIGINT PRIMARY KEY, stream TEXT, version BIGINT, type TEXT, payload TEXT,
           UNIQUE (stream, version))
    sources(id TEXT PRIMARY KEY, doc TEXT)                    -- source definitions, as JSON
    feed_head(one BOOLEAN PRIMARY KEY, position BIGINT)       -- one row: the last position

As in the SQLite store, every stream has a ``streams`` row (a fork's names its
parent and the version it forked at) and ``events`` holds each stream's own
events; payloads are the JSON text every backend stores, kept as written.

**The global order.**  ``events.position`` is not a sequence: a sequence hands
out numbers when rows are inserted, and concurrent transactions commit in
another order, so a reader following "everything after position N" can see
N + 2 before N + 1 commits and then never read N + 1 (the trap described in
Eventuous issue #222 and Marten's high-water-mark issues).  Here a batch takes
its positions from the single row of ``feed_head``, updated in the batch's own
transaction after its checks pass: the row lock that update takes is held until
the transaction ends, so the next batch gets its positions only after this one
has committed (or rolled back, undoing its update: no gap is left either).
Positions are therefore handed out in commit order, and a reader that has seen
position N and reads ``position > N`` can only ever find what committed after.
The price is that appends (from the moment a batch takes its positions to its
commit) run one at a time across the whole store; the checks against the rules,
which take most of an append's time, still run concurrently.

Each commit also sends ``NOTIFY`` on the channel ``<schema>.feed``, so that
:meth:`PostgresStore.subscribe` wakes up at once; it polls as well, in case a
notification is lost (or a connection pooler drops ``LISTEN``).
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .._event import Event
from ._base import (
    ConcurrencyError,
    FeedRow,
    SourceTable,
    StoreBase,
    Stored,
    StoreError,
    check_fork,
    check_stream_name,
    check_version,
    coerce_events,
    new_sources,
    segments,
)

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresStore"]

#: The layout version this code writes, kept in ``schema_version``.
FORMAT = 1
_SCHEMA_RE = re.compile(r"[a-z_][a-z0-9_]{0,47}")
_TABLES = ("schema_version", "streams", "events", "sources", "feed_head")

_CREATE = """
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE {s}.schema_version (version INTEGER NOT NULL, written_by TEXT NOT NULL);
CREATE TABLE {s}.streams (
    name TEXT PRIMARY KEY,
    parent TEXT REFERENCES {s}.streams (name),
    at_version BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE {s}.events (
    position BIGINT PRIMARY KEY,
    stream TEXT NOT NULL REFERENCES {s}.streams (name),
    version BIGINT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (stream, version)
);
CREATE TABLE {s}.sources (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE {s}.feed_head (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    position BIGINT NOT NULL
);
INSERT INTO {s}.feed_head (one, position) VALUES (TRUE, 0);
INSERT INTO {s}.schema_version (version, written_by) VALUES ({format}, 'crisis_model');
"""


def _psycopg() -> ModuleType:
    """The psycopg module, or a :class:`StoreError` saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "the PostgreSQL store needs psycopg 3, which is not installed: "
            "install the 'postgres' extra (pip install 'crisis-model[postgres]')"
        ) from None
    return psycopg


def is_dsn(location: object) -> bool:
    """Whether ``location`` is a PostgreSQL connection URI (``postgresql://...``)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def _describe(dsn: str) -> str:
    """Where ``dsn`` points, for messages: host, port and database, never the password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(dsn)
    except Exception:
        return "(an unreadable connection string)"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"postgresql://{host}:{port}/{parts.get('dbname') or ''}"


class PostgresStore(StoreBase):
    """An event store in a PostgreSQL database (psycopg 3: the ``postgres`` extra).

    ``dsn`` is a libpq connection string or URI (``postgresql://user@host:5432/db``);
    the store's tables live in the schema ``schema`` (created, with its tables, on
    first use), so one database can hold several stores.  Any number of processes
    and machines may append at once: optimistic concurrency (``expected_version``)
    tells each writer when another got there first, and :meth:`read_all` gives
    every event once, in commit order, with no gaps (see the module's notes).

    With ``read_only=True`` nothing is ever written: a missing store is an error
    rather than created, and ``append``, ``fork`` and ``add_sources`` are refused.

    One object per process and thread: it holds one connection (and
    :meth:`subscribe` opens a second one while it runs, to ``LISTEN``).
    """

    def __init__(
        self, dsn: str, *, schema: str = "crisis_model", read_only: bool = False
    ) -> None:
        super().__init__()
        self.read_only = read_only
        pg = _psycopg()
        if not isinstance(schema, str) or not _SCHEMA_RE.fullmatch(schema):
            raise StoreError(
                f"invalid schema name {schema!r}: use 1-48 lower-case letters, digits and '_', "
                "not starting with a digit"
            )
        if not isinstance(dsn, str):
            raise StoreError(f"a PostgreSQL connection string is text, got {dsn!r}")
        self._pg = pg
        self.dsn = dsn
        self.schema = schema
        self.where = f"{_describe(dsn)} (schema {schema})"
        self.channel = f"{schema}.feed"
        self._lineages: dict[str, list[tuple[str, int]]] = {}
        s = f'"{schema}"'
        self._q = {
            "version": f"SELECT version FROM {s}.streams WHERE name = %s",
            "lock": f"SELECT version FROM {s}.streams WHERE name = %s FOR NO KEY UPDATE",
            "row": f"SELECT parent, at_version FROM {s}.streams WHERE name = %s",
            "create": f"INSERT INTO {s}.streams (name) VALUES (%s) ON CONFLICT DO NOTHING",
            "bump": f"UPDATE {s}.streams SET version = %s WHERE name = %s",
            "take": f"UPDATE {s}.feed_head SET position = position + %s RETURNING position",
            "copy": f"COPY {s}.events (position, stream, version, type, payload) FROM STDIN",
            "read": f"SELECT version, payload FROM {s}.events "
                    "WHERE stream = %s AND version > %s AND version <= %s ORDER BY version",
            "feed": f"SELECT position, stream, version, payload FROM {s}.events "
                    "WHERE position > %s ORDER BY position LIMIT %s",
            "head": f"SELECT position FROM {s}.feed_head",
            "streams": f"SELECT name FROM {s}.streams",
            "fork": f"INSERT INTO {s}.streams (name, parent, at_version, version) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            "sources": f"SELECT id, doc FROM {s}.sources ORDER BY id",
            "lock_sources": f"LOCK TABLE {s}.sources IN SHARE ROW EXCLUSIVE MODE",
            "add_source": f"INSERT INTO {s}.sources (id, doc) VALUES (%s, %s)",
        }
        self._conn: psycopg.Connection[Any] = self._connect()
        try:
            self._setup()
        except BaseException:
            self._conn.close()
            raise

    # -- plumbing -------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            conn: psycopg.Connection[Any] = self._pg.connect(self.dsn, autocommit=True)
        except self._pg.Error as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to the PostgreSQL store {self.where}: "
                             f"{detail}") from None
        return conn

    def _setup(self) -> None:
        with self._errors(), self._conn.transaction():
            # Two processes opening a new store at once: one creates it, the other waits.
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                               (f"crisis_model:{self.schema}",))
            tables = {r[0] for r in self._conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (self.schema,))}
            if "schema_version" in tables:
                found = self._conn.execute(
                    f'SELECT max(version) FROM "{self.schema}".schema_version').fetchone()
                version = found[0] if found else None
                if not isinstance(version, int):
                    raise StoreError(f"{self.where} has an empty schema_version table: "
                                     "it is not a usable crisis_model store")
                if version > FORMAT:
                    raise StoreError(
                        f"{self.where} was written by a newer crisis_model (store format "
                        f"{version}; this code knows up to {FORMAT}): upgrade crisis_model"
                    )
                missing = [t for t in _TABLES if t not in tables]
                if missing:
                    raise StoreError(f"{self.where} is a damaged store: its tables "
                                     f"{', '.join(missing)} are missing")
            elif self.read_only:
                raise StoreError(f"no store at {self.where} (opened read-only, so it was "
                                 "not created)")
            elif tables:
                raise StoreError(
                    f"the schema {self.schema!r} at {_describe(self.dsn)} holds other tables "
                    f"({', '.join(sorted(tables))}): it is not a crisis_model store; "
                    "name another schema"
                )
            else:
                for statement in _CREATE.format(s=f'"{self.schema}"', format=FORMAT).split(";"):
                    if statement.strip():
                        self._conn.execute(statement)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._pg.Error as exc:
            text = str(exc).strip()
            detail = text.splitlines()[0] if text else type(exc).__name__
            raise StoreError(f"the PostgreSQL store {self.where} failed: {detail}") from None

    def _one(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._conn.execute(query, params).fetchone()
        return row

    def _row(self, stream: str) -> tuple[str | None, int] | None:
        row = self._one(self._q["row"], (stream,))
        return None if row is None else (row[0], int(row[1]))

    def _lineage(self, stream: str) -> list[tuple[str, int]]:
        """``[(stream, at_version)]`` from the root stream down to ``stream``."""
        cached = self._lineages.get(stream)
        if cached is not None:
            return cached
        chain: list[tuple[str, int]] = []
        name: str | None = stream
        while name is not None:
            row = self._row(name)
            if row is None:
                return []
            chain.append((name, row[1]))
            name = row[0]
        chain.reverse()
        self._lineages[stream] = chain
        return chain

    # -- the EventStore interface ---------------------------------------------------------

    def version(self, stream: str) -> int:
        """The stream's version: how many events it holds (0 for a stream never written)."""
        check_stream_name(stream)
        with self._errors():
            row = self._one(self._q["version"], (stream,))
        return 0 if row is None else int(row[0])

    def streams(self) -> list[str]:
        """Every stream's name (forks included), sorted."""
        with self._errors():
            return sorted(r[0] for r in self._conn.execute(self._q["streams"]))

    def append(
        self,
        stream: str,
        events: Iterable[Event],
        *,
        expected_version: int,
        sources: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Append a batch atomically, with the new source definitions it brings, in one
        transaction; see :class:`~crisis_model.store.EventStore`."""
        check_stream_name(stream)
        check_version(expected_version, "expected_version")
        batch = coerce_events(events)
        self._writable("append")
        with self._errors(), self._conn.transaction():
            row = self._one(self._q["lock"], (stream,))
            actual = 0 if row is None else int(row[0])
            if actual != expected_version:
                raise ConcurrencyError(stream, expected_version, actual)
            if not batch:
                return actual
            new_defs: dict[str, str] = {}
            if sources:
                self._conn.execute(self._q["lock_sources"])
                known = dict(self._conn.execute(self._q["sources"]).fetchall())
                new_defs = new_sources(known, sources)
            rows, state = self._prepare(stream, actual, batch)
            if new_defs:
                with self._conn.cursor() as cur:
                    cur.executemany(self._q["add_source"], list(new_defs.items()))
            if row is None:
                # Another writer may create the stream first: then lock its row and look again.
                self._conn.execute(self._q["create"], (stream,))
                row = self._one(self._q["lock"], (stream,))
                actual = 0 if row is None else int(row[0])
                if actual != expected_version:
                    raise ConcurrencyError(stream, expected_version, actual)
            # From here to the commit, no other batch can take positions (see the notes).
            taken = self._one(self._q["take"], (len(rows),))
            assert taken is not None
            last = int(taken[0])
            first = last - len(rows) + 1
            with self._conn.cursor() as cur, cur.copy(self._q["copy"]) as copy:
                for i, (tag, text) in enumerate(rows):
                    copy.write_row((first + i, stream, actual + i + 1, tag, text))
            new = actual + len(rows)
            self._conn.execute(self._q["bump"], (new, stream))
            self._conn.execute("SELECT pg_notify(%s, %s)", (self.channel, str(last)))
        self._remember(stream, new, state)
        return new

    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream`` sharing ``stream``'s history up to ``at_version``."""
        check_stream_name(stream)
        check_stream_name(new_stream)
        self._writable("fork")
        with self._errors(), self._conn.transaction():
            source = self._one(self._q["version"], (stream,))
            check_fork(
                stream, at_version, new_stream,
                source=None if source is None else int(source[0]),
                taken=self._one(self._q["version"], (new_stream,)) is not None,
            )
            made = self._conn.execute(
                self._q["fork"], (new_stream, stream, at_version, at_version)
            ).rowcount
            if made != 1:
                check_fork(stream, at_version, new_stream, source=at_version, taken=True)
        self._copy_state(stream, at_version, new_stream)
        return at_version

    def sources(self) -> dict[str, SourceTable]:
        """Every source definition recorded, by id (sorted)."""
        with self._errors():
            rows = self._conn.execute(self._q["sources"]).fetchall()
        return {sid: json.loads(doc) for sid, doc in rows}

    def add_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> int:
        """Record source definitions (id -> table); return how many were new.  (To record
        them with the batch that cites them, pass them to ``append``.)"""
        self._writable("record sources")
        with self._errors(), self._conn.transaction():
            self._conn.execute(self._q["lock_sources"])
            known = dict(self._conn.execute(self._q["sources"]).fetchall())
            new = new_sources(known, sources)
            if new:
                with self._conn.cursor() as cur:
                    cur.executemany(self._q["add_source"], list(new.items()))
        return len(new)

    def origin(self, stream: str) -> tuple[str, int] | None:
        """``(parent, at_version)`` if ``stream`` is a fork, else ``None``."""
        check_stream_name(stream)
        with self._errors():
            row = self._row(stream)
        return None if row is None or row[0] is None else (row[0], row[1])

    def head(self) -> int:
        """The position of the last event committed to the store (0 if none)."""
        with self._errors():
            row = self._one(self._q["head"], ())
        return 0 if row is None else int(row[0])

    def close(self) -> None:
        """Close the connection (further use raises :class:`StoreError`)."""
        self._conn.close()

    def _payloads(self, stream: str, start: int, stop: int | None) -> list[tuple[int, Stored]]:
        out: list[tuple[int, Stored]] = []
        with self._errors():
            for name, lo, hi in segments(self._lineage(stream), start, stop):
                out.extend(self._conn.execute(self._q["read"], (name, lo, hi)))
        return out

    def _feed(self, after: int, limit: int | None) -> list[FeedRow]:
        with self._errors():
            return self._conn.execute(self._q["feed"], (after, limit)).fetchall()

    @contextlib.contextmanager
    def _waiter(self) -> Iterator[Callable[[float, threading.Event | None], None]]:
        """Wait on ``LISTEN <schema>.feed`` (a second connection); poll if that fails."""
        pg = self._pg
        try:
            listener = pg.connect(self.dsn, autocommit=True)
        except pg.Error:
            listener = None
        if listener is not None:
            try:
                listener.execute(f'LISTEN "{self.channel}"')
            except pg.Error:
                listener.close()
                listener = None
        if listener is None:
            with super()._waiter() as poll:
                yield poll
            return

        def wait(seconds: float, stop: threading.Event | None) -> None:
            nonlocal listener
            if listener is not None:
                try:
                    for _ in listener.notifies(timeout=seconds, stop_after=1):
                        pass
                    return
                except pg.Error:  # the connection was lost: poll from now on
                    listener.close()
                    listener = None
            if stop is not None:
                stop.wait(seconds)
            else:
                time.sleep(seconds)

        try:
            yield wait
        finally:
            if listener is not None:
                listener.close()
