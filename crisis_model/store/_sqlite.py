"""The SQLite event store: one file, safe for several processes appending at once.

Layout (``PRAGMA user_version = 1``)::

    streams(name TEXT PRIMARY KEY, parent TEXT, at_version INTEGER)
    events(id INTEGER PRIMARY KEY, stream TEXT, version INTEGER, type TEXT, payload TEXT,
           UNIQUE(stream, version))
    sources(id TEXT PRIMARY KEY, doc TEXT)   -- source definitions, as JSON

Every stream has a row in ``streams``; a fork's row names its parent and the
version it forked at, and ``events`` holds only the fork's own events (versions
``at_version + 1 ..``).  Reading a fork reads the parent's rows up to
``at_version``, then its own: nothing is copied.

Writes run in ``BEGIN IMMEDIATE`` transactions: concurrent appenders queue for
the write lock (for up to ``timeout`` seconds), and the expected-version check,
the rule check and the insert all happen inside one transaction.

The global feed (:meth:`~SqliteStore.read_all`) is ``events`` in ``id`` order:
an ``id`` is given (the largest so far plus one) inside the transaction that
holds the database's only write lock, so ids grow in commit order and a reader
never sees a later id before an earlier one.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

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

__all__ = ["SqliteStore"]

#: The layout version this code writes, kept in ``PRAGMA user_version``.
FORMAT = 1
_SYNCHRONOUS = ("NORMAL", "FULL", "EXTRA")

_SCHEMA = """
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
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
);
"""


class SqliteStore(StoreBase):
    """An event store in one SQLite file (created if missing), in WAL mode.

    Several processes may open the same file and append to the same stream;
    optimistic concurrency (``expected_version``) tells each writer when
    another got there first.

    ``synchronous`` is SQLite's durability setting.  ``"NORMAL"`` (the
    default) never corrupts the file and never loses a committed batch when a
    process crashes or is killed; after a power cut or OS crash the last
    batches committed before it may be missing (never half of one).
    ``"FULL"`` syncs the disk at every commit so that no committed batch is
    lost even then, at the price of an fsync per append (about 5,000 commits a
    second rather than tens of thousands).  ``timeout`` is how long, in
    seconds, a writer waits for another's transaction before giving up.

    One object per process and thread: do not share it across ``os.fork``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: str = "NORMAL",
        timeout: float = 30.0,
    ) -> None:
        super().__init__()
        mode = synchronous.upper() if isinstance(synchronous, str) else synchronous
        if mode not in _SYNCHRONOUS:
            raise StoreError(
                f"synchronous must be one of {', '.join(_SYNCHRONOUS)}, got {synchronous!r}"
            )
        self.path = os.fspath(path)
        self._lineages: dict[str, list[tuple[str, int]]] = {}
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path!r}: {exc}") from None
        try:
            self._setup(mode, timeout)
        except BaseException:
            self._db.close()
            raise

    def _setup(self, synchronous: str, timeout: float) -> None:
        with self._errors():
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            journal = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(journal).lower() != "wal":
                raise StoreError(
                    f"{self.path!r}: SQLite cannot use write-ahead logging here (journal mode "
                    f"{journal!r}); keep the store on a local file system"
                )
            self._db.execute(f"PRAGMA synchronous = {synchronous}")
            with self._transaction():
                found = self._db.execute("PRAGMA user_version").fetchone()[0]
                if found > FORMAT:
                    raise StoreError(
                        f"{self.path!r} was written by a newer crisis_model (store format "
                        f"{found}; this code knows up to {FORMAT})"
                    )
                if found == 0:
                    tables = self._db.execute(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                    ).fetchone()[0]
                    if tables:
                        raise StoreError(
                            f"{self.path!r} is an SQLite database, but not a crisis_model store"
                        )
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {FORMAT}")

    # -- plumbing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.ProgrammingError as exc:
            raise StoreError(f"the store {self.path!r} cannot be used: {exc}") from None
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"the store {self.path!r} stayed locked by another writer: {exc}"
                ) from None
            raise StoreError(f"the store {self.path!r} failed: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path!r} is not a usable store: {exc}") from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction: ``BEGIN IMMEDIATE`` takes the write lock at once."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _row(self, stream: str) -> tuple[str | None, int] | None:
        row = self._db.execute(
            "SELECT parent, at_version FROM streams WHERE name = ?", (stream,)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def _version(self, stream: str) -> int:
        row = self._db.execute(
            "SELECT at_version, (SELECT max(version) FROM events WHERE stream = ?) "
            "FROM streams WHERE name = ?",
            (stream, stream),
        ).fetchone()
        if row is None:
            return 0
        return int(row[1] if row[1] is not None else row[0])

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
            return self._version(stream)

    def streams(self) -> list[str]:
        """Every stream's name (forks included), sorted."""
        with self._errors():
            return [r[0] for r in self._db.execute("SELECT name FROM streams ORDER BY name")]

    def append(self, stream: str, events: Iterable[Event], *, expected_version: int) -> int:
        """Append a batch atomically; see :class:`~crisis_model.store.EventStore`."""
        check_stream_name(stream)
        check_version(expected_version, "expected_version")
        batch = coerce_events(events)
        with self._errors(), self._transaction():
            actual = self._version(stream)
            if actual != expected_version:
                raise ConcurrencyError(stream, expected_version, actual)
            if not batch:
                return actual
            rows, state = self._prepare(stream, actual, batch)
            if actual == 0:  # a stream at a version > 0 has its row already
                self._db.execute(
                    "INSERT OR IGNORE INTO streams (name, parent, at_version) VALUES (?, NULL, 0)",
                    (stream,),
                )
            self._db.executemany(
                "INSERT INTO events (stream, version, type, payload) VALUES (?, ?, ?, ?)",
                [(stream, actual + i + 1, tag, text) for i, (tag, text) in enumerate(rows)],
            )
        new = actual + len(rows)
        self._remember(stream, new, state)
        return new

    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream`` sharing ``stream``'s history up to ``at_version``."""
        check_stream_name(stream)
        check_stream_name(new_stream)
        with self._errors(), self._transaction():
            exists = self._row(stream) is not None
            check_fork(
                stream, at_version, new_stream,
                source=self._version(stream) if exists else None,
                taken=self._row(new_stream) is not None,
            )
            self._db.execute(
                "INSERT INTO streams (name, parent, at_version) VALUES (?, ?, ?)",
                (new_stream, stream, at_version),
            )
        self._copy_state(stream, at_version, new_stream)
        return at_version

    def sources(self) -> dict[str, SourceTable]:
        """Every source definition recorded, by id (sorted)."""
        with self._errors():
            rows = self._db.execute("SELECT id, doc FROM sources ORDER BY id").fetchall()
        return {sid: json.loads(doc) for sid, doc in rows}

    def add_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> int:
        """Record source definitions (id -> table); return how many were new."""
        with self._errors(), self._transaction():
            known = dict(self._db.execute("SELECT id, doc FROM sources").fetchall())
            new = new_sources(known, sources)
            self._db.executemany("INSERT INTO sources (id, doc) VALUES (?, ?)", new.items())
        return len(new)

    def origin(self, stream: str) -> tuple[str, int] | None:
        """``(parent, at_version)`` if ``stream`` is a fork, else ``None``."""
        check_stream_name(stream)
        with self._errors():
            row = self._row(stream)
        return None if row is None or row[0] is None else (row[0], row[1])

    def close(self) -> None:
        """Close the connection (further use raises :class:`StoreError`)."""
        self._db.close()

    def head(self) -> int:
        """The position of the last event committed to the store (0 if none)."""
        with self._errors():
            return int(self._db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])

    def _feed(self, after: int, limit: int | None) -> list[FeedRow]:
        with self._errors():
            return self._db.execute(
                "SELECT id, stream, version, payload FROM events WHERE id > ? ORDER BY id LIMIT ?",
                (after, -1 if limit is None else limit),
            ).fetchall()

    def _payloads(self, stream: str, start: int, stop: int | None) -> list[tuple[int, Stored]]:
        out: list[tuple[int, Stored]] = []
        with self._errors():
            for name, lo, hi in segments(self._lineage(stream), start, stop):
                out.extend(self._db.execute(
                    "SELECT version, payload FROM events "
                    "WHERE stream = ? AND version > ? AND version <= ? ORDER BY version",
                    (name, lo, hi),
                ))
        return out
