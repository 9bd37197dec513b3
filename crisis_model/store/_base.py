"""What every backend shares: errors, name checks, encoding, batch validation, state cache.

A backend stores, per stream, payload texts (the JSON of
:func:`crisis_model.serialization.to_dict`) at versions 1..n, and knows how a
fork's history is made of its parent's.  Everything that decides *whether* a
batch may be written lives here, so that the backends behave identically.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import re
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeAlias

import attrs
import immutables

from .._event import Event
from .._jsontext import escape
from ..errors import CrisisModelError, DuplicateEventIdError, RuleViolation, UnknownEventTypeError
from ..record import RecordError, derived_id, event_ids, has_record_events
from ..reducer import (
    Problem,
    check,
    evolve,
    initial_state,
    paused_gc,
    registry,
    replay,
    state_at,
)
from ..serialization import _decode, _payload_text
from ..state import CrisisState

__all__ = [
    "BatchRejected",
    "ConcurrencyError",
    "FeedItem",
    "FeedRow",
    "SourceTable",
    "StoreBase",
    "StoreError",
    "StoreProblem",
    "Stored",
    "canonical",
    "check_after",
    "check_fork",
    "check_limit",
    "check_range",
    "check_stream_name",
    "check_version",
    "coerce_events",
    "decode",
    "decode_rows",
    "encode",
    "new_events",
    "new_sources",
    "segments",
]

#: Letters, digits, ``_``, ``-`` and ``.``; not starting with ``.``; at most 200 characters.
_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")

_NO_LIMIT = 2**62

#: How many streams' latest states a store object keeps.
_CACHED_STATES = 64


class StoreError(CrisisModelError):
    """An event store cannot do what was asked: unknown stream, bad name, corrupt file..."""


@attrs.frozen
class StoreProblem:
    """One thing wrong in a store, as :meth:`StoreBase.check` finds it.

    ``kind`` says what (``"torn-tail"``, ``"missing-newline"``, ``"damaged-line"``,
    ``"undecodable-event"``, ``"rules"``, ``"integrity"``), ``message`` says it in
    words; ``stream``, ``file``, ``line`` and ``version`` say where, as far as known.
    """

    kind: str
    message: str
    stream: str | None = None
    file: str | None = None
    line: int | None = None
    version: int | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.stream is not None:
            where.append(f"stream {self.stream!r}" + (
                "" if self.version is None else f", version {self.version}"))
        return (": ".join([", ".join(where), self.message]) if where else self.message)


class ConcurrencyError(StoreError):
    """``append`` was told the stream was at ``expected`` but it is at ``actual``.

    Nothing was written.  Read what was appended since ``expected``, decide
    again, and retry with ``expected_version=actual``.
    """

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"stream {stream!r} is at version {actual}, not the expected {expected}: "
            "another writer appended first (nothing was written; re-read and retry)"
        )


class BatchRejected(RuleViolation):
    """A batch was refused because one of its events breaks a rule; nothing was written.

    ``index`` is the event's position *within the batch* (0-based, as the
    caller passed it), ``version`` the stream version it would have taken,
    ``stream`` the stream.  ``rule``, ``tag`` and ``problems`` are as for
    :class:`~crisis_model.RuleViolation`.
    """

    def __init__(
        self, stream: str, version: int, index: int, event: Event, problems: Sequence[Problem]
    ) -> None:
        self.stream = stream
        self.version = version
        super().__init__(index, event, problems)

    def describe(self) -> str:
        """The violation, saying which stream, batch position and version."""
        head = (
            f"batch for stream {self.stream!r} rejected, nothing written: event #{self.index} "
            f"of the batch ({self.tag}, {self.event.occurred_on.isoformat()}, would have been "
            f"version {self.version})"
        )
        lines = [f"{head}: {self.problems[0]}"] + [f"  also: {p}" for p in self.problems[1:]]
        return "\n".join(lines)


def check_stream_name(stream: str) -> str:
    """``stream`` if it is a valid stream name, else :class:`StoreError`.

    A name is 1-200 letters, digits, ``_``, ``-`` and ``.``, not starting
    with ``.``: safe as a file name, never a path.
    """
    if not isinstance(stream, str) or not _NAME_RE.fullmatch(stream):
        raise StoreError(
            f"invalid stream name {stream!r}: use 1-200 letters, digits, '_', '-' or '.', "
            "not starting with '.'"
        )
    return stream


def check_version(value: object, what: str) -> int:
    """``value`` if it is a whole number >= 0, else :class:`StoreError`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StoreError(f"{what} must be a whole number >= 0, got {value!r}")
    return value


def check_range(start: object, stop: object) -> tuple[int, int | None]:
    """Validated ``(start, stop)`` of a read."""
    first = check_version(start, "start")
    last = None if stop is None else check_version(stop, "stop")
    return first, last


def check_fork(
    stream: str, at_version: int, new_stream: str, *, source: int | None, taken: bool
) -> None:
    """Raise :class:`StoreError` unless ``stream`` (at version ``source``, ``None`` when
    it does not exist) can be forked at ``at_version`` to ``new_stream`` (``taken``
    when that name exists)."""
    check_stream_name(stream)
    check_stream_name(new_stream)
    check_version(at_version, "at_version")
    if source is None:
        raise StoreError(f"cannot fork {stream!r}: no such stream")
    if at_version > source:
        raise StoreError(
            f"cannot fork {stream!r} at version {at_version}: it is at version {source}"
        )
    if taken:
        raise StoreError(f"cannot fork to {new_stream!r}: a stream of that name exists")


def check_after(value: object) -> int:
    """``value`` if it is a feed position (a whole number >= 0), else :class:`StoreError`."""
    return check_version(value, "after")


def check_limit(value: object) -> int | None:
    """``value`` if it is ``None`` or a whole number >= 0, else :class:`StoreError`."""
    return None if value is None else check_version(value, "limit")


@attrs.frozen
class FeedItem:
    """One event of a store's global feed (:meth:`StoreBase.read_all`, :meth:`StoreBase.subscribe`).

    ``position`` orders every event of the store by commit (it only grows:
    resume a feed with ``after=item.position``); ``stream`` and ``version``
    say where the event sits (a fork's feed items are its own events only: the
    history it shares was fed under its parent's name).
    """

    position: int
    stream: str
    version: int
    event: Event


#: ``(position, stream, version, stored payload)`` as a backend's :meth:`StoreBase._feed` gives it.
FeedRow: TypeAlias = "tuple[int, str, int, Stored]"

#: How often, in seconds, :meth:`StoreBase.subscribe` looks for new events by default.
POLL_INTERVAL = 0.2


#: A source definition as the store keeps it: the plain table a scenario file gives it.
SourceTable: TypeAlias = "dict[str, Any]"


def canonical(table: Mapping[str, Any]) -> str:
    """A source table as canonical JSON text (keys sorted), for storing and comparing.

    Characters line-splitting readers trip on (U+0085, U+2028, U+2029) and lone
    surrogates are written as ``\\uXXXX`` escapes."""
    return escape(json.dumps(dict(table), ensure_ascii=False, sort_keys=True,
                             separators=(",", ":"), allow_nan=False))


def new_sources(
    known: Mapping[str, str], sources: Mapping[str, Mapping[str, Any]]
) -> dict[str, str]:
    """The entries of ``sources`` not yet in ``known`` (id -> canonical text).

    An id already known with a different definition is a :class:`StoreError`:
    a source, once recorded, is never silently redefined.
    """
    out: dict[str, str] = {}
    for sid, table in sources.items():
        if not isinstance(sid, str) or not sid:
            raise StoreError(f"a source id must be a non-empty string, got {sid!r}")
        if not isinstance(table, Mapping):
            raise StoreError(f"source {sid!r} must be a table of fields, got {table!r}")
        try:
            text = canonical(table)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"source {sid!r} is not plain JSON data: {exc}") from None
        old = known.get(sid, out.get(sid))
        if old is not None and old != text:
            raise StoreError(
                f"source {sid!r} is already recorded with a different definition "
                f"({old}); give the new one another id"
            )
        if old is None:
            out[sid] = text
    return out


def segments(
    lineage: Sequence[tuple[str, int]], start: int, stop: int | None
) -> list[tuple[str, int, int]]:
    """Which stream holds which versions of a fork's history, oldest first.

    ``lineage`` is ``[(stream, at_version)]`` from the root stream down to the
    fork (the root at 0).  Returns ``(stream, lo, hi)``: read versions
    ``lo + 1 .. hi`` of that stream's own events.  Each ancestor contributes
    only what every later fork in the chain kept.
    """
    cap = _NO_LIMIT if stop is None else stop
    out = []
    for name, at in reversed(lineage):
        lo = max(start, at)
        if lo < cap:
            out.append((name, lo, cap))
        cap = min(cap, at)
    out.reverse()
    return out


#: ``(value, end)`` of the JSON text at the start of a string.
_raw_decode = json.JSONDecoder().raw_decode


def encode(event: Event) -> tuple[str, str]:
    """``(tag, payload JSON text)`` of an event, as every backend stores it: the JSON of
    :func:`~crisis_model.serialization.to_dict`, compact, UTF-8, without NaN, with
    U+0085, U+2028, U+2029 and lone surrogates escaped (so that every line reader
    and UTF-8 encoder takes it)."""
    text = _payload_text(event)  # first: it refuses what is not a registered event
    return type(event).event_tag, escape(text)


#: A stored payload: its JSON text, or the dict a backend already parsed it into.
Stored: TypeAlias = "str | Mapping[str, Any]"


def _parse(stream: str, version: int, text: str) -> Any:
    """The JSON value of a stored payload text."""
    try:
        value, end = _raw_decode(text)
    except (ValueError, RecursionError):
        value, end = None, -1
    if end == len(text):
        return value
    try:  # whitespace around the value, or not JSON: json.loads tells
        return json.loads(text)
    except (ValueError, RecursionError):
        raise StoreError(
            f"stream {stream!r}, version {version}: the stored payload is not valid JSON"
        ) from None


def decode(stream: str, version: int, stored: Stored) -> Event:
    """The event stored at ``version`` of ``stream`` (upcast as needed).

    Decoding errors get a note naming the stream and version.
    """
    payload = _parse(stream, version, stored) if isinstance(stored, str) else stored
    try:
        return _decode(payload)
    except CrisisModelError as exc:
        exc.add_note(f"reading stream {stream!r}, version {version}")
        raise


def decode_rows(
    stream: str,
    rows: Iterable[tuple[int, Stored]],
    where: Callable[[str, int], str] | None = None,
) -> list[Event]:
    """:func:`decode` of each ``(version, stored payload)`` of ``stream``, in order.

    An error gets a note ``reading <where(stream, version)>`` (by default
    ``stream 's', version 3``).  Call it with the garbage collector paused (the
    events it builds live on).
    """
    out: list[Event] = []
    append = out.append
    for version, stored in rows:
        try:
            payload = _parse(stream, version, stored) if isinstance(stored, str) else stored
        except StoreError as exc:
            if where is not None:
                raise StoreError(f"{exc} ({where(stream, version)})") from None
            raise
        try:
            append(_decode(payload))
        except CrisisModelError as exc:
            place = f"stream {stream!r}, version {version}" if where is None else where(
                stream, version)
            exc.add_note(f"reading {place}")
            raise
    return out


def coerce_events(events: Iterable[Any]) -> tuple[Event, ...]:
    """The batch as a tuple, each item checked to be an event of a registered type."""
    batch = tuple(events)
    for i, e in enumerate(batch):
        if not isinstance(e, Event):
            raise StoreError(f"event #{i} of the batch is {e!r}, not a crisis_model.Event")
        cls = type(e)
        if registry.types.get(cls.event_tag) is not cls:
            raise UnknownEventTypeError(cls.event_tag or cls.__qualname__, registry.types)
    return batch


class StoreBase(ABC):
    """The parts of :class:`~crisis_model.store.EventStore` every backend shares.

    A backend supplies :meth:`version`, :meth:`streams`, :meth:`append`,
    :meth:`fork`, :meth:`close` and :meth:`_payloads`; validation of batches,
    decoding and the cache of each stream's latest state live here.
    """

    #: Whether the store was opened read-only (every write raises :class:`StoreError`).
    read_only: bool = False

    def __init__(self) -> None:
        # stream -> (version, registry generation, state after that version)
        self._states: dict[str, tuple[int, int, CrisisState]] = {}
        # stream -> (version, registry generation, the ids of its first `version` events)
        self._ids: dict[str, tuple[int, int, _IdIndex]] = {}
        # streams known to hold corrections or retractions (replayed whole, never in part)
        self._recorded: set[str] = set()
        # stream -> the id index after the batch being appended, and the state _prepare
        # returned for it: kept once the backend remembers that very state (it wrote it)
        self._pending_ids: dict[str, tuple[int, int, _IdIndex]] = {}
        self._pending_state: dict[str, CrisisState] = {}

    # -- what a backend provides ----------------------------------------------------------

    @abstractmethod
    def version(self, stream: str) -> int:
        """The stream's version: how many events it holds (0 for a stream never written)."""

    @abstractmethod
    def streams(self) -> list[str]:
        """Every stream's name (forks included), sorted."""

    @abstractmethod
    def append(
        self,
        stream: str,
        events: Iterable[Event],
        *,
        expected_version: int,
        sources: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Append a batch atomically, with the source definitions it brings; see
        :class:`~crisis_model.store.EventStore`."""

    @abstractmethod
    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream`` sharing ``stream``'s history up to ``at_version``."""

    @abstractmethod
    def sources(self) -> dict[str, SourceTable]:
        """Every source definition recorded, by id (sorted)."""

    @abstractmethod
    def add_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> int:
        """Record source definitions (id -> table); return how many were new.

        Re-recording an identical definition changes nothing; a different
        definition for a recorded id is a :class:`StoreError` and records nothing.
        """

    @abstractmethod
    def origin(self, stream: str) -> tuple[str, int] | None:
        """``(parent, at_version)`` if ``stream`` is a fork, else ``None``."""

    @abstractmethod
    def close(self) -> None:
        """Release the store's files and connections."""

    @abstractmethod
    def _payloads(self, stream: str, start: int, stop: int | None) -> list[tuple[int, Stored]]:
        """``(version, stored payload)`` for versions ``start + 1 .. stop``, in order."""

    @abstractmethod
    def _feed(self, after: int, limit: int | None) -> list[FeedRow]:
        """The feed's rows after position ``after`` (at most ``limit``), in commit order."""

    @abstractmethod
    def head(self) -> int:
        """The position of the last event committed to the store (0 if none)."""

    @contextlib.contextmanager
    def _waiter(self) -> Iterator[Callable[[float, threading.Event | None], None]]:
        """A function that waits up to ``seconds`` for new events (or ``stop``): by default
        a plain sleep, so :meth:`subscribe` polls.  A backend that can be told of
        commits (PostgreSQL's ``LISTEN``) returns sooner."""

        def wait(seconds: float, stop: threading.Event | None) -> None:
            if stop is not None:
                stop.wait(seconds)
            else:
                time.sleep(seconds)

        yield wait

    # -- shared behaviour -----------------------------------------------------------------

    def _writable(self, what: str) -> None:
        """Raise :class:`StoreError` if the store was opened read-only."""
        if self.read_only:
            raise StoreError(f"cannot {what}: the store was opened read-only (nothing written)")

    def _where(self, stream: str, version: int) -> str:
        """Where version ``version`` of ``stream`` is kept, in words (for error notes)."""
        return f"stream {stream!r}, version {version}"

    def check(self) -> list[StoreProblem]:
        """Every problem found in the store, changing nothing: each stored event is
        decoded (every one that cannot be is listed) and each stream replayed against
        the rules.  Backends add what they can see of their files."""
        problems: list[StoreProblem] = []
        for stream in self.streams():
            problems += self._check_stream(stream)
        return problems

    def _check_stream(self, stream: str) -> list[StoreProblem]:
        """The problems of one stream's events: undecodable payloads, then rules."""
        problems: list[StoreProblem] = []
        try:
            rows = self._payloads(stream, 0, None)
        except StoreError as exc:
            return [StoreProblem("damaged", str(exc), stream=stream)]
        events: list[Event] = []
        with paused_gc():
            for version, stored in rows:
                try:
                    events.extend(decode_rows(stream, [(version, stored)]))
                except (CrisisModelError, ValueError) as exc:
                    problems.append(StoreProblem(
                        "undecodable-event", f"{self._where(stream, version)}: {exc}",
                        stream=stream, version=version,
                    ))
        if problems:
            return problems
        try:
            replay(events)
        except RuleViolation as exc:
            problems.append(StoreProblem(
                "rules", f"the stored event no longer passes the rules: {exc.problems[0]}",
                stream=stream, version=exc.index + 1,
            ))
        return problems

    def read(self, stream: str, *, start: int = 0, stop: int | None = None) -> list[Event]:
        """The events at versions ``start + 1 .. stop`` (all of them by default).

        ``start`` and ``stop`` slice the log like a list: ``read(s, stop=k)``
        is the history up to version ``k``; ``read(s, start=k)`` what came
        after version ``k``.  An unknown stream reads as empty.
        """
        check_stream_name(stream)
        first, last = check_range(start, stop)
        if last is not None and last <= first:
            return []
        with paused_gc():  # events form no cycles: collecting while building them is waste
            return decode_rows(stream, self._payloads(stream, first, last), self._where)

    def read_all(self, after: int = 0, *, limit: int | None = None) -> list[FeedItem]:
        """Every stream's events in the order they were committed, after position ``after``.

        Each event appears once, with a position greater than every position
        before it; reading again with ``after`` set to the last position seen
        gives exactly what committed since (nothing skipped, nothing repeated,
        also while other processes append).  ``limit`` caps how many are returned.
        """
        first = check_after(after)
        most = check_limit(limit)
        if most == 0:
            return []
        rows = self._feed(first, most)
        out: list[FeedItem] = []
        with paused_gc():
            for position, stream, version, stored in rows:
                out.append(FeedItem(position, stream, version, decode(stream, version, stored)))
        return out

    def subscribe(
        self,
        after: int = 0,
        *,
        timeout: float | None = None,
        stop: threading.Event | None = None,
        poll_interval: float = POLL_INTERVAL,
        batch_size: int = 1000,
    ) -> Iterator[FeedItem]:
        """Yield the feed's events after ``after`` (as :meth:`read_all`), then each new
        event as it commits, for as long as the caller keeps iterating.

        It ends when ``stop`` (a :class:`threading.Event`) is set, or once
        ``timeout`` seconds pass with nothing new; without either it follows the
        store until the caller stops iterating.  To resume later, pass the last
        position seen as ``after``.  New events are looked for every
        ``poll_interval`` seconds (on PostgreSQL, as soon as a commit is notified).
        """
        position = check_after(after)
        if timeout is not None and not timeout >= 0:
            raise StoreError(f"timeout must be a number of seconds >= 0, got {timeout!r}")
        if not poll_interval > 0:
            raise StoreError(f"poll_interval must be > 0 seconds, got {poll_interval!r}")
        size = check_version(batch_size, "batch_size") or 1
        return self._follow(position, timeout, stop, poll_interval, size)

    def _follow(
        self, position: int, timeout: float | None, stop: threading.Event | None,
        poll_interval: float, size: int,
    ) -> Iterator[FeedItem]:
        with self._waiter() as wait:
            quiet_since = time.monotonic()
            while stop is None or not stop.is_set():
                items = self.read_all(position, limit=size)
                for item in items:
                    yield item
                    position = item.position
                    if stop is not None and stop.is_set():
                        return
                if items:
                    quiet_since = time.monotonic()
                    continue
                pause = poll_interval
                if timeout is not None:
                    left = timeout - (time.monotonic() - quiet_since)
                    if left <= 0:
                        return
                    pause = min(pause, left)
                wait(pause, stop)

    def replay(
        self, stream: str, as_of: _dt.date | None = None, *, known_on: _dt.date | None = None
    ) -> CrisisState:
        """The state after every event of ``stream`` (strict), or as of a date.

        With ``as_of``, the state after every event certain to have happened by
        then (see :func:`crisis_model.state_at`).  With ``known_on``, as the
        record stood that day: the store's sources give the publication dates
        (see :func:`crisis_model.record.as_known`).
        """
        check_stream_name(stream)
        if known_on is not None:
            events, sources = self.read(stream), self.sources()
            if as_of is None:
                return replay(events, known_on=known_on, sources=sources)
            return state_at(events, as_of, known_on=known_on, sources=sources)
        if as_of is not None:
            return state_at(self.read(stream), as_of)
        return self._state(stream, self.version(stream))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _drop_states(self) -> None:
        """Forget every cached state (the next replay of each stream starts from scratch)."""
        self._states.clear()
        self._ids.clear()
        self._recorded.clear()
        self._pending_ids.clear()
        self._pending_state.clear()

    def _state(self, stream: str, version: int) -> CrisisState:
        """The state after the first ``version`` events of ``stream`` (cached)."""
        cached = self._states.get(stream)
        if cached is not None and cached[1] == registry.generation and cached[0] <= version:
            if cached[0] == version:
                return cached[2]
            start, state = cached[0], cached[2]
        else:
            start, state = 0, initial_state()
        events = self.read(stream, start=start, stop=version)
        if len(events) != version - start:
            raise StoreError(
                f"stream {stream!r} has {start + len(events)} events, not the {version} expected"
            )
        if start and (stream in self._recorded or has_record_events(events)):
            # A correction changes an earlier event: the stream is replayed whole.
            start, state = 0, initial_state()
            events = self.read(stream, stop=version)
        if stream not in self._recorded and has_record_events(events):
            self._recorded.add(stream)
        try:
            state = replay(events, initial=state)
        except RuleViolation as exc:
            raise StoreError(
                f"stream {stream!r}: the stored event at version {start + exc.index + 1} no "
                f"longer passes the rules ({exc.problems[0]}); the rules changed since it was "
                "written"
            ) from exc
        self._remember(stream, version, state)
        return state

    def _remember(self, stream: str, version: int, state: CrisisState) -> None:
        if self._pending_state.get(stream) is state:  # the batch _prepare checked is written
            del self._pending_state[stream]
            pending = self._pending_ids.pop(stream, None)
            if pending is not None and pending[0] == version:
                self._ids[stream] = pending
        self._states.pop(stream, None)
        self._states[stream] = (version, registry.generation, state)
        while len(self._states) > _CACHED_STATES:
            del self._states[next(iter(self._states))]

    def _copy_state(self, stream: str, at_version: int, new_stream: str) -> None:
        """After a fork: the parent's cached state at ``at_version`` is the fork's too."""
        cached = self._states.get(stream)
        if cached is not None and cached[0] == at_version and cached[1] == registry.generation:
            self._remember(new_stream, at_version, cached[2])

    def _stream_ids(self, stream: str, version: int) -> _IdIndex:
        """The ids of the stream's first ``version`` events (cached, extended as the
        stream grows: each stored event's id is derived once per store object)."""
        cached = self._ids.get(stream)
        if cached is not None and cached[1] == registry.generation and cached[0] <= version:
            index = cached[2]
            if cached[0] < version:
                index = index.copy()
                index.extend(self.read(stream, start=cached[0], stop=version), cached[0])
        else:
            index = _IdIndex()
            index.extend(self.read(stream, stop=version), 0)
        self._ids[stream] = (version, registry.generation, index)
        return index

    def _new_in_batch(
        self, stream: str, actual: int, batch: Sequence[Event]
    ) -> tuple[Event, ...]:
        """The events of ``batch`` not already in the stream (see :func:`new_events`); the
        stream's id index is extended with them, as it will be once they are written."""
        index = self._stream_ids(stream, actual)

        def stored(version: int) -> Event:
            return self.read(stream, start=version - 1, stop=version)[0]

        new = new_events(index.ids, stored, batch, stream=stream)
        if new:
            grown = index.copy()
            grown.extend(new, actual)
            self._pending_ids[stream] = (actual + len(new), registry.generation, grown)
        return new

    def _prepare(
        self, stream: str, actual: int, batch: Sequence[Event]
    ) -> tuple[list[tuple[str, str]], CrisisState]:
        """Check a batch (from :func:`coerce_events`) against the stream's state at
        ``actual``; encode it.

        Events already in the stream (same id, same content) are left out: appending
        them again is a no-op; the same id with other content is refused.  Returns
        ``[(tag, payload text)]`` of the events to write and the state after them, or
        raises :class:`BatchRejected` for the first event a rule rejects.
        """
        self._pending_ids.pop(stream, None)
        self._pending_state.pop(stream, None)
        where = _positions(batch)
        batch = self._new_in_batch(stream, actual, batch)
        positions = [where[id(e)] for e in batch]
        if not batch:
            return [], self._state(stream, actual)
        if stream in self._recorded or has_record_events(batch):
            rows, after = self._prepare_recorded(stream, actual, batch, positions)
        else:
            rows, after = self._prepare_plain(stream, actual, batch, positions)
        self._pending_state[stream] = after
        return rows, after

    def _prepare_plain(
        self, stream: str, actual: int, batch: Sequence[Event], positions: Sequence[int]
    ) -> tuple[list[tuple[str, str]], CrisisState]:
        """:meth:`_prepare` for a stream without corrections: the batch is checked on
        the stream's cached state."""
        state = self._state(stream, actual)
        try:
            after = replay(batch, initial=state)
        except Exception:
            # Some event is refused (or a rule or handler fails): the loop below says
            # which, exactly as it would have without the quick replay.
            return self._prepare_each(stream, actual, batch, state, positions)
        rows = []
        for i, event in enumerate(batch):
            try:
                rows.append(encode(event))
            except (TypeError, ValueError) as exc:  # NaN, or a value JSON cannot hold
                raise _unencodable(positions[i], event, exc) from None
        return rows, after

    def _prepare_each(
        self, stream: str, actual: int, batch: Sequence[Event], state: CrisisState,
        positions: Sequence[int],
    ) -> tuple[list[tuple[str, str]], CrisisState]:
        """:meth:`_prepare` one event at a time: check it, apply it, encode it."""
        rows = []
        for i, event in enumerate(batch):
            problems = check(state, event)
            if problems:
                raise BatchRejected(stream, actual + i + 1, positions[i], event, problems)
            state = evolve(state, event)
            try:
                rows.append(encode(event))
            except (TypeError, ValueError) as exc:  # NaN, or a value JSON cannot hold
                raise _unencodable(positions[i], event, exc) from None
        return rows, state

    def _prepare_recorded(
        self, stream: str, actual: int, batch: Sequence[Event], positions: Sequence[int]
    ) -> tuple[list[tuple[str, str]], CrisisState]:
        """:meth:`_prepare` for a stream with corrections or retractions (in it or in
        the batch): the whole record, batch included, must replay."""
        stored = self.read(stream, stop=actual)
        try:
            after = replay([*stored, *batch])
        except (RuleViolation, RecordError) as exc:
            if exc.index < actual:  # a stored event: the rules changed since
                raise StoreError(
                    f"stream {stream!r}: the stored event at version {exc.index + 1} no "
                    f"longer passes the rules ({exc}); the rules changed since it was written"
                ) from exc
            i = exc.index - actual
            if isinstance(exc, RecordError):
                raise BatchRejected(stream, actual + i + 1, positions[i], batch[i], [
                    Problem(exc.message, rule="record")]) from None
            raise BatchRejected(stream, actual + i + 1, positions[i], batch[i],
                                exc.problems) from None
        rows = []
        for i, event in enumerate(batch):
            try:
                rows.append(encode(event))
            except (TypeError, ValueError) as exc:  # NaN, or a value JSON cannot hold
                raise _unencodable(positions[i], event, exc) from None
        self._recorded.add(stream)
        return rows, after


def _positions(batch: Sequence[Event]) -> dict[int, int]:
    """Each event object's position in the batch (by identity)."""
    return {id(e): i for i, e in enumerate(batch)}


class _IdIndex:
    """The effective ids of a stream's events (id -> version), and how many events
    without an id share each content (for the ``~n`` of a derived id).

    Both maps are persistent (``immutables.Map``): a copy costs O(1) and an extension
    O(k log n) for k events, so appending a batch does not copy the ids of every event
    already stored (which made a long import in batches quadratic)."""

    __slots__ = ("counts", "ids")

    def __init__(self) -> None:
        self.ids: immutables.Map[str, int] = immutables.Map()
        self.counts: immutables.Map[str, int] = immutables.Map()

    def copy(self) -> _IdIndex:
        out = _IdIndex()
        out.ids, out.counts = self.ids, self.counts
        return out

    def extend(self, events: Sequence[Event], version: int) -> None:
        """Add ``events``, stored from version ``version + 1`` on (all of them or, when
        two carry one id, none: the index is left as it was)."""
        ids, counts = self.ids.mutate(), self.counts.mutate()
        for offset, event in enumerate(events, 1):
            eid = event.id
            if eid is None:
                base = derived_id(event)
                n = counts[base] = counts.get(base, 0) + 1
                eid = base if n == 1 else f"{base}~{n}"
            first = ids.get(eid)
            if first is not None:
                raise StoreError(
                    f"two events carry id {eid!r} (versions {first} and {version + offset})"
                )
            ids[eid] = version + offset
        self.ids, self.counts = ids.finish(), counts.finish()


def new_events(
    ids: Mapping[str, int], stored: Callable[[int], Event], batch: Sequence[Event], *,
    stream: str = "",
) -> tuple[Event, ...]:
    """The events of ``batch`` whose ids are not among ``ids`` (stored id -> version;
    ``stored(version)`` reads the event stored there).

    Shared by every backend, so that appends are idempotent alike: an event whose id
    (its own, or derived from its content; see :func:`crisis_model.event_ids`) is
    already stored with the same content is left out; with other content it is
    refused (a :class:`StoreError` that says to append a ``record.corrected`` event).
    A batch holding one id twice is refused too.  Ids in the batch are derived
    from the batch alone, so re-importing a file derives the ids its first import did.
    """
    try:
        batch_ids = event_ids(batch)
    except DuplicateEventIdError as exc:
        raise StoreError(
            f"events #{exc.first} and #{exc.second} of the batch both have id {exc.id!r}; "
            "nothing was written"
        ) from None
    if not ids:
        return tuple(batch)
    out = []
    for i, (eid, event) in enumerate(zip(batch_ids, batch, strict=True)):
        version = ids.get(eid)
        if version is None:
            out.append(event)
            continue
        if stored(version) != event:
            where = f"stream {stream!r}" if stream else "the stream"
            raise StoreError(
                f"event #{i} of the batch ({event.event_tag}) has id {eid!r}, which {where} "
                f"already holds at version {version} with other content; to change what the "
                "record says, append a record.corrected event (nothing was written)"
            )
    return tuple(out)


def _unencodable(index: int, event: Event, exc: Exception) -> StoreError:
    return StoreError(
        f"event #{index} of the batch ({type(event).event_tag}) cannot be stored as "
        f"JSON: {exc}; nothing was written"
    )
