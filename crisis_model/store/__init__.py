"""Event stores: append-only logs of events, per stream, that last.

A *stream* is one history (say, one crisis, or a what-if branch of it): the
events at versions 1..n.  Every backend behaves the same:

- :meth:`~EventStore.append` writes a batch atomically, only if the stream is
  still at ``expected_version`` (else :class:`ConcurrencyError`, nothing
  written) and only if every event passes the rules against the state the
  stream has reached (else :class:`BatchRejected`, a
  :class:`~crisis_model.RuleViolation` whose ``index`` is the event's position
  in the batch, nothing written);
- :meth:`~EventStore.read` slices the log, :meth:`~EventStore.replay` folds it;
- :meth:`~EventStore.fork` starts a branch that shares a prefix of another
  stream's history without copying it;
- :meth:`~EventStore.add_sources` records the definitions of the sources
  events cite (shared by every stream of the store);
- :meth:`~EventStore.read_all` reads every stream's events in commit order,
  each with a feed ``position`` that only grows, and
  :meth:`~EventStore.subscribe` follows that feed as events commit
  (:class:`Projection` keeps one stream's replayed state current from it).

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced
>>> store = cm.MemoryStore()
>>> e = ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="cne", name="CNE",
...                     kind=cm.ActorKind.ELECTORAL_AUTHORITY)
>>> store.append("ve-2024", [e], expected_version=0)
1
>>> store.replay("ve-2024").actors["cne"].name
'CNE'

Backends: :class:`MemoryStore`, :class:`JsonlStore` (a directory of JSON
Lines files), :class:`SqliteStore` (one file; the default) and
:class:`PostgresStore` (a PostgreSQL database; the ``postgres`` extra).
:func:`open_store` picks one from a path or a ``postgresql://`` URI.
Loading never runs code named by data: stored payloads are JSON, and their
``type`` tags resolve only through the registry.
"""

from __future__ import annotations

import datetime as _dt
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from .._event import Event
from ..state import CrisisState
from ._base import BatchRejected, ConcurrencyError, FeedItem, StoreError, StoreProblem
from ._jsonl import (
    DamagedStreamError,
    JsonlStore,
    RepairReport,
    TornTail,
    TornTailError,
    TornTailWarning,
)
from ._memory import MemoryStore
from ._postgres import PostgresStore, is_dsn
from ._projection import Projection
from ._sqlite import SqliteStore

__all__ = [
    "DEFAULT_PATH",
    "BatchRejected",
    "ConcurrencyError",
    "DamagedStreamError",
    "EventStore",
    "FeedItem",
    "JsonlStore",
    "MemoryStore",
    "PostgresStore",
    "Projection",
    "RepairReport",
    "SqliteStore",
    "StoreError",
    "StoreProblem",
    "TornTail",
    "TornTailError",
    "TornTailWarning",
    "open_store",
]

#: Where the command line keeps its store unless told otherwise.
DEFAULT_PATH = "crisis.db"


class EventStore(Protocol):
    """What every event store does (the contract the test suite checks on each backend).

    Versions count events: a stream at version *n* holds the events at
    versions 1..*n*; a stream never written is at version 0 and reads as empty.
    """

    def append(
        self,
        stream: str,
        events: Iterable[Event],
        *,
        expected_version: int,
        sources: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Append ``events`` as one batch and return the stream's new version.

        All or nothing: if the stream is not at ``expected_version``, raises
        :class:`ConcurrencyError` (carrying the actual version); if a rule
        rejects an event (checked against the stream's state, then each event
        against the state after the ones before it), raises
        :class:`BatchRejected` naming the event's index in the batch, its rule
        and the version it would have taken.  Either way nothing is written.
        An empty batch writes nothing and returns the version.

        ``sources`` (id -> table) are source definitions the batch brings: those
        not yet recorded are recorded in the same transaction or write as the
        batch, so a refused batch leaves none behind; one that differs from a
        recorded definition of the same id refuses the batch (:class:`StoreError`).
        """
        ...

    def read(self, stream: str, *, start: int = 0, stop: int | None = None) -> list[Event]:
        """The events at versions ``start + 1 .. stop`` (all by default), sliced like a list."""
        ...

    def version(self, stream: str) -> int:
        """The stream's version: how many events it holds."""
        ...

    def streams(self) -> list[str]:
        """Every stream's name (forks included), sorted."""
        ...

    def replay(
        self, stream: str, as_of: _dt.date | None = None, *, known_on: _dt.date | None = None
    ) -> CrisisState:
        """The stream's state after all its events, or as of a date; with ``known_on``,
        as the record stood that day."""
        ...

    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream``, a what-if branch sharing ``stream``'s first ``at_version``
        events; later appends to either do not show in the other.  Returns ``at_version``,
        the new stream's version.  :class:`StoreError` if ``stream`` does not exist, is
        not that long, or ``new_stream`` exists."""
        ...

    def origin(self, stream: str) -> tuple[str, int] | None:
        """``(parent, at_version)`` if ``stream`` is a fork, else ``None``."""
        ...

    def sources(self) -> dict[str, dict[str, Any]]:
        """Every source definition recorded (the tables scenario files give), by id."""
        ...

    def add_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> int:
        """Record source definitions (id -> table) that events cite; return how many were
        new.  An identical definition changes nothing; a different definition for a
        recorded id is a :class:`StoreError` and records nothing."""
        ...

    def read_all(self, after: int = 0, *, limit: int | None = None) -> list[FeedItem]:
        """Every stream's events after feed position ``after`` (at most ``limit``), in commit
        order: each event once, positions only growing, nothing skipped while others write."""
        ...

    def head(self) -> int:
        """The feed position of the last event committed (0 if none)."""
        ...

    def subscribe(
        self,
        after: int = 0,
        *,
        timeout: float | None = None,
        stop: threading.Event | None = None,
        poll_interval: float = 0.2,
        batch_size: int = 1000,
    ) -> Iterator[FeedItem]:
        """The feed after ``after``, then each event as it commits; ends when ``stop`` is set
        or after ``timeout`` seconds with nothing new."""
        ...

    def check(self) -> list[StoreProblem]:
        """Every problem found in the store (damaged lines, torn tails, events that no
        longer decode or pass the rules), changing nothing."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...

    def __enter__(self) -> EventStore: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def open_store(
    path: str | os.PathLike[str] = DEFAULT_PATH, *, read_only: bool = False
) -> SqliteStore | JsonlStore | PostgresStore:
    """The store at ``path``: a :class:`PostgresStore` if it is a ``postgresql://`` URI, a
    :class:`JsonlStore` if it is a directory or its name ends in ``.jsonl``, otherwise a
    :class:`SqliteStore`.

    A missing store is created, unless ``read_only`` (then it is a
    :class:`StoreError`, and nothing is ever written).  A path that holds
    something other than a crisis_model store is refused, unchanged.
    """
    if is_dsn(path):
        return PostgresStore(str(path), read_only=read_only)
    p = Path(path)
    if p.suffix == ".jsonl" or p.is_dir():
        return JsonlStore(p, read_only=read_only)
    return SqliteStore(p, read_only=read_only)
