"""A stream's replayed state, kept current from a store's global feed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..reducer import replay
from ..state import CrisisState
from ._base import FeedItem, check_stream_name

if TYPE_CHECKING:
    from . import EventStore

__all__ = ["Projection"]


class Projection:
    """The state of one stream of ``store``, kept current by the events its feed brings.

    On creation it replays the stream as it stands (with :func:`crisis_model.replay`);
    :meth:`apply` then folds in each feed item of that stream (others are passed
    over) and :meth:`follow` does so as new events commit.  ``state``,
    ``version`` (how many of the stream's events it holds) and ``position``
    (the last feed position it has seen) are always consistent with each other.

    >>> import datetime as dt
    >>> import crisis_model as cm
    >>> from crisis_model.events import ActorIntroduced
    >>> from crisis_model.store import Projection
    >>> store = cm.MemoryStore()
    >>> view = Projection(store, "ve")
    >>> e = ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="cne", name="CNE",
    ...                     kind=cm.ActorKind.ELECTORAL_AUTHORITY)
    >>> store.append("ve", [e], expected_version=0)
    1
    >>> view.catch_up(), view.version, view.state.actors["cne"].name
    (1, 1, 'CNE')
    """

    def __init__(self, store: EventStore, stream: str) -> None:
        self.store = store
        self.stream = check_stream_name(stream)
        # The position first: whatever commits after it is in the feed, so nothing is missed;
        # what the read below already holds is recognised by its version and passed over.
        self.position: int = store.head()
        events = store.read(stream)
        self.version: int = len(events)
        self.state: CrisisState = replay(events)

    def apply(self, item: FeedItem) -> bool:
        """Fold one feed item in (if it is a new event of the stream); return whether the
        state changed."""
        self.position = max(self.position, item.position)
        if item.stream != self.stream or item.version <= self.version:
            return False
        # A fork's feed carries its own events only; anything between is read from the store.
        missing = self.store.read(self.stream, start=self.version, stop=item.version - 1)
        self.state = replay([*missing, item.event], initial=self.state)
        self.version = item.version
        return True

    def catch_up(self) -> int:
        """Apply everything committed since :attr:`position`; return how many events of the
        stream that was."""
        return sum(self.apply(item) for item in self.store.read_all(self.position))

    def follow(
        self, *, timeout: float | None = None, stop: threading.Event | None = None,
        poll_interval: float = 0.2,
    ) -> Iterator[CrisisState]:
        """Yield the new state each time an event of the stream commits, until ``stop`` is
        set or ``timeout`` seconds pass with nothing new (see ``EventStore.subscribe``)."""
        for item in self.store.subscribe(self.position, timeout=timeout, stop=stop,
                                         poll_interval=poll_interval):
            if self.apply(item):
                yield self.state
