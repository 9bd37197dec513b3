"""``History``: a replayed log indexed for fast "as of" queries.

``cm.state_at(events, when)`` replays from the start each time; a
:class:`History` replays once, keeps a checkpoint every ``checkpoint_every``
events, and then answers ``state_at`` and ``snapshot`` with one checkpoint
lookup plus a replay of at most ``checkpoint_every`` events.  Answers are
identical to :func:`crisis_model.state_at` and :func:`crisis_model.snapshots`.

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, WentIntoHiding
>>> log = [
...     ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="machado",
...                     name="María Corina Machado", kind=cm.ActorKind.PERSON),
...     WentIntoHiding(occurred_on=dt.date(2024, 8, 1), person="machado", location="Caracas"),
... ]
>>> history = cm.History(log)
>>> history.state_at(dt.date(2024, 7, 31)).actors["machado"].whereabouts.value
'at_large'
>>> history.state_at(dt.date(2024, 8, 1)).actors["machado"].whereabouts.value
'in_hiding'
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Iterable, Iterator, Sequence

from ._draft import Draft
from ._event import Event
from .errors import CrisisModelError
from .reducer import Anomaly, _run, check, evolve, initial_state, paused_gc, sweep
from .state import CrisisState

__all__ = ["History"]


class History(Sequence[Event]):
    """An immutable, replayed event log with checkpoints for fast queries.

    Building it replays the whole log once (strictly by default, raising
    :class:`~crisis_model.RuleViolation`; with ``strict=False`` rejected
    events are skipped and listed in :attr:`anomalies`).  Memory: one state
    every ``checkpoint_every`` events (states share structure, so each costs
    about what one event changed).
    """

    def __init__(
        self,
        events: Iterable[Event],
        *,
        strict: bool = True,
        checkpoint_every: int = 100,
        initial: CrisisState | None = None,
    ) -> None:
        if not isinstance(checkpoint_every, int) or checkpoint_every < 1:
            raise CrisisModelError(
                f"checkpoint_every must be a positive int, got {checkpoint_every!r}"
            )
        self._events = tuple(events)
        self._every = checkpoint_every
        self._initial = initial_state() if initial is None else initial
        self._rejected: frozenset[int] = frozenset()
        starts = [e.occurred_on for e in self._events]
        # reached[i]: the latest date among events 0..i (non-decreasing, for bisect);
        # tail_min[i]: the earliest date among events i.. (to stop scanning early).
        reached: list[_dt.date] = []
        latest = _dt.date.min
        for day in starts:
            latest = max(latest, day)
            reached.append(latest)
        tail_min = starts[:]
        for i in range(len(tail_min) - 2, -1, -1):
            tail_min[i] = min(tail_min[i], tail_min[i + 1])
        self._starts, self._reached, self._tail_min = starts, reached, tail_min
        self._checkpoints, self.anomalies = self._build(strict)

    def _build(self, strict: bool) -> tuple[list[CrisisState], list[Anomaly]]:
        checkpoints = [self._initial]
        anomalies: list[Anomaly] = []
        draft = Draft(self._initial)
        with paused_gc():  # states cannot form cycles; collecting while they pile up is waste
            # One draft, frozen at each checkpoint only.
            _run(self._events, strict, draft, anomalies, self._every, checkpoints)
        self._rejected = frozenset(a.index for a in anomalies)
        self._final = draft.freeze()
        return checkpoints, anomalies

    # -- Sequence of events -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._events)

    def __getitem__(self, index: int) -> Event:  # type: ignore[override]
        return self._events[index]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    # -- queries ------------------------------------------------------------------------------

    @property
    def final(self) -> CrisisState:
        """The state after the whole log."""
        return self._final

    def snapshot(self, index: int) -> CrisisState:
        """The state after event ``index`` (``-1``: before any event), as ``snapshots`` gives it."""
        if not -1 <= index < len(self._events):
            raise IndexError(f"no event #{index} in a history of {len(self._events)}")
        return self._replay_to(index + 1)

    def _replay_to(self, stop: int) -> CrisisState:
        """The state after the first ``stop`` events (rejected ones skipped)."""
        k = stop // self._every
        state = self._checkpoints[k]
        rejected = self._rejected
        for i in range(k * self._every, stop):
            if i not in rejected:
                state = evolve(state, self._events[i])
        return state

    def sweep(
        self, after: int, branches: Iterable[Iterable[Event]], *, strict: bool = True
    ) -> Iterator[CrisisState] | Iterator[tuple[CrisisState, list[Anomaly]]]:
        """What-if sweeps from a point of this history: each branch replayed after event
        ``after`` (``-1``: before any), the states it ends in, lazily (see
        :func:`crisis_model.sweep`).  The fork costs one checkpoint lookup and at most
        ``checkpoint_every`` events, once; each branch then costs its own events only.
        """
        return sweep(self.snapshot(after), branches, strict=strict)

    def state_at(self, when: _dt.date) -> CrisisState:
        """The state as of ``when``: the same as ``cm.state_at(events, when)``, but fast."""
        # Every event before `cut` is dated on or before `when`; from `cut` on, only
        # events whose window straddles `when` may still count.
        cut = bisect.bisect_right(self._reached, when)
        state = self._replay_to(cut)
        rejected = self._rejected
        events, starts, tail_min = self._events, self._starts, self._tail_min
        for i in range(cut, len(events)):
            if tail_min[i] > when:
                break
            if starts[i] > when or i in rejected:
                continue
            event = events[i]
            if check(state, event):
                continue  # depends on an event that had not begun by `when`
            state = evolve(state, event)
        return state
