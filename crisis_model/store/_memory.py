"""The in-memory event store: for tests, notebooks and what-if work that need not last."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

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
)

__all__ = ["MemoryStore"]


@attrs.define
class _Stream:
    """A stream's own payloads (versions ``at_version + 1 ..``) and where it forked from."""

    parent: str | None = None
    at_version: int = 0
    payloads: list[str] = attrs.Factory(list)

    @property
    def version(self) -> int:
        return self.at_version + len(self.payloads)


class MemoryStore(StoreBase):
    """An event store held in this process's memory; gone when the object is.

    Events are kept encoded, exactly as the file backends store them, so that
    it behaves like them in every respect but lasting.  A fork keeps only its
    own events and reads its parent's history through the parent.
    """

    def __init__(self) -> None:
        super().__init__()
        self._streams: dict[str, _Stream] = {}
        self._sources: dict[str, str] = {}
        #: The feed: (stream, version, payload) of every event, in commit order.
        self._log: list[tuple[str, int, str]] = []
        self._closed = False

    def _live(self) -> dict[str, _Stream]:
        if self._closed:
            raise StoreError("the store is closed")
        return self._streams

    def version(self, stream: str) -> int:
        """The stream's version: how many events it holds (0 for a stream never written)."""
        s = self._live().get(check_stream_name(stream))
        return 0 if s is None else s.version

    def streams(self) -> list[str]:
        """Every stream's name (forks included), sorted."""
        return sorted(self._live())

    def append(
        self,
        stream: str,
        events: Iterable[Event],
        *,
        expected_version: int,
        sources: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Append a batch atomically, with the new source definitions it brings; see
        :class:`~crisis_model.store.EventStore`."""
        check_stream_name(stream)
        check_version(expected_version, "expected_version")
        batch = coerce_events(events)
        streams = self._live()
        actual = self.version(stream)
        if actual != expected_version:
            raise ConcurrencyError(stream, expected_version, actual)
        if not batch:
            return actual
        new = new_sources(self._sources, sources) if sources else {}
        rows, state = self._prepare(stream, actual, batch)
        self._sources.update(new)
        streams.setdefault(stream, _Stream()).payloads.extend(text for _, text in rows)
        self._log.extend((stream, actual + i + 1, text) for i, (_, text) in enumerate(rows))
        self._remember(stream, actual + len(rows), state)
        return actual + len(rows)

    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream`` sharing ``stream``'s history up to ``at_version``."""
        streams = self._live()
        source = streams.get(check_stream_name(stream))
        check_fork(
            stream, at_version, new_stream,
            source=None if source is None else source.version,
            taken=check_stream_name(new_stream) in streams,
        )
        streams[new_stream] = _Stream(parent=stream, at_version=at_version)
        self._copy_state(stream, at_version, new_stream)
        return at_version

    def sources(self) -> dict[str, SourceTable]:
        """Every source definition recorded, by id (sorted)."""
        self._live()
        return {sid: json.loads(self._sources[sid]) for sid in sorted(self._sources)}

    def add_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> int:
        """Record source definitions (id -> table); return how many were new."""
        self._live()
        new = new_sources(self._sources, sources)
        self._sources.update(new)
        return len(new)

    def origin(self, stream: str) -> tuple[str, int] | None:
        """``(parent, at_version)`` if ``stream`` is a fork, else ``None``."""
        s = self._live().get(check_stream_name(stream))
        return None if s is None or s.parent is None else (s.parent, s.at_version)

    def close(self) -> None:
        """Forget everything: a memory store does not outlive ``close``."""
        self._closed = True
        self._streams = {}
        self._sources = {}
        self._log = []
        self._drop_states()

    def head(self) -> int:
        """The position of the last event appended (0 if none)."""
        self._live()
        return len(self._log)

    def _feed(self, after: int, limit: int | None) -> list[FeedRow]:
        self._live()
        end = len(self._log) if limit is None else min(len(self._log), after + limit)
        return [(i + 1, *self._log[i]) for i in range(after, end)]

    def _payloads(self, stream: str, start: int, stop: int | None) -> list[tuple[int, Stored]]:
        s = self._live().get(stream)
        if s is None:
            return []
        last = s.version if stop is None else min(stop, s.version)
        out = []
        if s.parent is not None and start < s.at_version:
            out = self._payloads(s.parent, start, min(last, s.at_version))
        first = max(start, s.at_version)
        for i in range(first, last):
            out.append((i + 1, s.payloads[i - s.at_version]))
        return out

