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
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .._event import Event
from ._base import (
    ConcurrencyError,
    FeedRow,
    SourceTable,
    StoreBase,
    Stored,
    StoreError,
    StoreProblem,
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

    Before it changes anything (journal mode included) the store checks that
    the file is empty, new, or a crisis_model store; anything else is refused
    untouched.  ``read_only=True`` opens the file with SQLite's ``mode=ro``:
    nothing is ever written, and a store the user may read but not write can
    be read (when no ``-wal`` file is present and its directory cannot be
    written, SQLite's ``immutable`` mode is used, which assumes no one writes
    the file meanwhile).

    One object per process and thread: do not share it across ``os.fork``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: str = "NORMAL",
        timeout: float = 30.0,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        mode = synchronous.upper() if isinstance(synchronous, str) else synchronous
        if mode not in _SYNCHRONOUS:
            raise StoreError(
                f"synchronous must be one of {', '.join(_SYNCHRONOUS)}, got {synchronous!r}"
            )
        self.path = os.fspath(path)
        self.read_only = read_only
        self._lineages: dict[str, list[tuple[str, int]]] = {}
        fresh = self._look()
        try:
            if read_only:
                self._db = self._connect_ro(self.path, timeout)
            else:
                self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path!r}: {exc}") from None
        try:
            if read_only:
                with self._errors():
                    self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                    self._db.execute("SELECT count(*) FROM streams").fetchone()
            else:
                self._setup(mode, timeout, fresh)
        except BaseException:
            self._db.close()
            raise

    def _look(self) -> bool:
        """Check, changing nothing, that the file is new, empty or a crisis_model store.

        Returns whether it is new or empty (and so may be given the schema).
        """
        where = self.path
        try:
            st = os.stat(where)
        except FileNotFoundError:
            if self.read_only:
                raise StoreError(f"no store at {where!r}") from None
            if not os.path.isdir(os.path.dirname(os.path.abspath(where))):
                raise StoreError(f"cannot open the store {where!r}: no such directory") from None
            return True
        except OSError as exc:
            raise StoreError(f"cannot open the store {where!r}: {exc}") from None
        if stat.S_ISDIR(st.st_mode):
            raise StoreError(f"{where!r} is a directory, not an SQLite store")
        if st.st_size == 0:
            if self.read_only:
                raise StoreError(f"no store at {where!r} (an empty file)")
            return True
        try:
            with open(where, "rb") as f:
                header = f.read(100)
        except OSError as exc:
            raise StoreError(f"cannot open the store {where!r}: {exc}") from None
        if not header.startswith(b"SQLite format 3\x00"):
            raise StoreError(
                f"{where!r} is not an SQLite database (nor a crisis_model store); "
                "nothing was changed"
            )
        try:
            db = self._connect_ro(where, 5.0)
            try:
                found = db.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                db.close()
        except sqlite3.Error as exc:
            # A store of ours whose -wal outlived its -shm cannot be read without writing:
            # the header's user_version (bytes 60-63) says whose it is.
            if int.from_bytes(header[60:64], "big") == FORMAT and len(header) >= 64:
                return False
            raise StoreError(f"{where!r} is not a usable store: {exc}; nothing was changed"
                             ) from None
        if found > FORMAT:
            raise StoreError(
                f"{where!r} was written by a newer crisis_model (store format "
                f"{found}; this code knows up to {FORMAT})"
            )
        if found == 0 and not tables:
            if self.read_only:
                raise StoreError(f"no store at {where!r} (an empty database)")
            return True
        if found != FORMAT or not {"streams", "events", "sources"} <= tables:
            raise StoreError(
                f"{where!r} is an SQLite database, but not a crisis_model store; "
                "nothing was changed"
            )
        return False

    @staticmethod
    def _connect_ro(path: str, timeout: float) -> sqlite3.Connection:
        """A read-only connection that writes nothing, not even a lock or -shm file it can
        do without (``immutable`` when there is no -wal file and ``mode=ro`` cannot read)."""
        uri = Path(path).absolute().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
            if os.path.exists(path + "-wal"):
                raise
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout,
                               isolation_level=None)

    def _setup(self, synchronous: str, timeout: float, fresh: bool) -> None:
        with self._errors():
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            journal = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(journal).lower() != "wal":
                raise StoreError(
                    f"{self.path!r}: SQLite cannot use write-ahead logging here (journal mode "
                    f"{journal!r}); keep the store on a local file system"
                )
            self._db.execute(f"PRAGMA synchronous = {synchronous}")
            if not fresh:
                return
            with self._transaction():
                found = self._db.execute("PRAGMA user_version").fetchone()[0]
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
        with self._errors(), self._transaction():
            actual = self._version(stream)
            if actual != expected_version:
                raise ConcurrencyError(stream, expected_version, actual)
            if not batch:
                return actual
            new: dict[str, str] = {}
            if sources:
                known = dict(self._db.execute("SELECT id, doc FROM sources").fetchall())
                new = new_sources(known, sources)
            rows, state = self._prepare(stream, actual, batch)
            self._db.executemany("INSERT INTO sources (id, doc) VALUES (?, ?)", new.items())
            if actual == 0:  # a stream at a version > 0 has its row already
                self._db.execute(
                    "INSERT OR IGNORE INTO streams (name, parent, at_version) VALUES (?, NULL, 0)",
                    (stream,),
                )
            self._db.executemany(
                "INSERT INTO events (stream, version, type, payload) VALUES (?, ?, ?, ?)",
                [(stream, actual + i + 1, tag, text) for i, (tag, text) in enumerate(rows)],
            )
        version = actual + len(rows)
        self._remember(stream, version, state)
        return version

    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream`` sharing ``stream``'s history up to ``at_version``."""
        check_stream_name(stream)
        check_stream_name(new_stream)
        self._writable("fork")
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
        """Record source definitions (id -> table); return how many were new.  (To record
        them with the batch that cites them, pass them to ``append``.)"""
        self._writable("record sources")
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

    def check(self) -> list[StoreProblem]:
        """Every problem found, changing nothing: SQLite's own integrity check, then each
        stream's events decoded and replayed against the rules."""
        with self._errors():
            rows = [r[0] for r in self._db.execute("PRAGMA integrity_check")]
        problems = [StoreProblem("integrity", f"SQLite integrity check: {r}", file=self.path)
                    for r in rows if r != "ok"]
        return problems + super().check()

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
