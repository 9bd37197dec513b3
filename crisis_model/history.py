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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from . import reducer as _reducer_module
from ._dates import Reading, certain_in, settled_dates
from ._draft import Draft
from ._event import Event
from .errors import CrisisModelError, RuleViolation
from .record import KnownLog, as_known, has_record_events
from .reducer import (
    Anomaly,
    Waived,
    Waivers,
    _anomaly_in_record,
    _in_record,
    _run,
    _source_problems,
    _steps,
    _waivers,
    evolve,
    initial_state,
    paused_gc,
    sweep,
)
from .state import CrisisState

__all__ = ["History"]


class History(Sequence[Event]):
    """An immutable, replayed event log with checkpoints for fast queries.

    Building it replays the whole log once (strictly by default, raising
    :class:`~crisis_model.RuleViolation`; with ``strict=False`` rejected
    events are skipped and listed in :attr:`anomalies`).  Memory: one state
    every ``checkpoint_every`` events (states share structure, so each costs
    about what one event changed).

    With ``known_on``, the history is that of the record as known on that day
    (see :func:`crisis_model.record.as_known`; ``sources`` gives the publication
    dates of the sources events cite).  Strict mode then checks the whole record
    first; an event reported by that day that needs one reported later (say, a
    statement by an actor whose introduction was reported later) cannot be placed
    yet and is left out (listed in :attr:`anomalies`).  A log holding corrections or retractions
    is replayed as corrected.  The history is then the sequence of the corrected
    events, and :attr:`known` maps them back to the full log (anomalies give
    positions in the full log).
    """

    def __init__(
        self,
        events: Iterable[Event],
        *,
        strict: bool = True,
        checkpoint_every: int = 100,
        initial: CrisisState | None = None,
        known_on: _dt.date | None = None,
        sources: Mapping[str, Any] | None = None,
        waive: Waivers = None,
    ) -> None:
        if not isinstance(checkpoint_every, int) or checkpoint_every < 1:
            raise CrisisModelError(
                f"checkpoint_every must be a positive int, got {checkpoint_every!r}"
            )
        log = tuple(events)
        waivers = _waivers(waive, log)
        #: What the record said (see :func:`crisis_model.record.as_known`), or ``None``
        #: for a log without corrections or retractions read with no ``known_on``.
        self.known: KnownLog | None = None
        partial = False
        if known_on is not None or has_record_events(log):
            self.known = as_known(log, known_on, sources=sources)
            partial = known_on is not None and len(self.known.origins) < len(log)
            if partial and strict:  # the whole record must hold, before a part of it is shown
                whole = as_known(log)
                try:
                    whole_waivers = None if waivers is None else waivers.rebased(whole.origins)
                    for _ in _steps(whole.events, True, self._initial_or(initial),
                                    whole_waivers):
                        pass
                except RuleViolation as exc:
                    raise _in_record(exc, whole) from None
            log = self.known.events
            if waivers is not None:
                waivers = waivers.rebased(self.known.origins)
        self._waivers = waivers
        self._extra = _source_problems(log, sources)
        self._events = log
        self._every = checkpoint_every
        self._initial = initial_state() if initial is None else initial
        self._rejected: frozenset[int] = frozenset()
        # reached[i]: the latest window start among events 0..i (non-decreasing: the
        # possible prefix is found by bisect); settled[i]: the earliest window end among
        # events i.. (non-decreasing: the certain prefix, likewise).
        reached: list[_dt.date] = []
        latest = _dt.date.min
        for event in self._events:
            day = event.occurred_on
            if day > latest:
                latest = day
            reached.append(latest)
        self._reached, self._settled = reached, settled_dates(self._events)
        try:
            # A part of a sound record may hold an event it cannot place yet (one that
            # needs an event reported later): it is left out.  A correction it cannot
            # take is still an error.
            self._checkpoints, anomalies = self._build(strict and not partial)
        except RuleViolation as exc:
            if self.known is None:
                raise
            raise _in_record(exc, self.known) from None
        if self.known is not None:
            if strict and partial:
                rejected = [a for a in anomalies if a.index in self.known.corrected_by]
                if rejected:
                    a = rejected[0]
                    raise _in_record(RuleViolation(a.index, a.event, a.problems), self.known)
            # positions in the full log, as replay reports them
            anomalies = [_anomaly_in_record(a, self.known) for a in anomalies]
        self.anomalies = anomalies

    def _build(self, strict: bool) -> tuple[list[CrisisState], list[Anomaly]]:
        checkpoints = [self._initial]
        anomalies: list[Anomaly] = []
        draft = Draft(self._initial)
        with paused_gc():  # states cannot form cycles; collecting while they pile up is waste
            # One draft, frozen at each checkpoint only.
            _run(self._events, strict, draft, anomalies, self._every, checkpoints,
                 waived=self._waivers, extra=self._extra)
        self._rejected = frozenset(a.index for a in anomalies)
        self._final = draft.freeze()
        return checkpoints, anomalies

    @staticmethod
    def _initial_or(initial: CrisisState | None) -> CrisisState:
        return initial_state() if initial is None else initial

    # -- Sequence of events -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._events)

    def __getitem__(self, index: int) -> Event:  # type: ignore[override]
        return self._events[index]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    # -- queries ------------------------------------------------------------------------------

    @property
    def waived(self) -> list[Waived]:
        """The problems the waivers (``waive=``) set aside while the history was built."""
        return [] if self._waivers is None else list(self._waivers.used)

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

    def state_at(self, when: _dt.date, *, reading: Reading = "certain") -> CrisisState:
        """The state as of ``when``: the same as ``cm.state_at(events, when, reading=...)``,
        but fast (two binary searches, one checkpoint lookup and a replay of at most
        ``checkpoint_every`` events)."""
        return self._replay_to(self.count_at(when, reading=reading))

    def count_at(self, when: _dt.date, *, reading: Reading = "certain") -> int:
        """How many leading events count as of ``when`` under ``reading`` (see
        :func:`crisis_model.state_at`): events ``count_at(when)`` to
        ``count_at(when, reading="possible")`` are the uncertain ones."""
        if reading == "certain":
            return certain_in(self._settled, when)
        if reading == "possible":
            return bisect.bisect_right(self._reached, when)
        raise CrisisModelError(f'reading must be "certain" or "possible", got {reading!r}')


_reducer_module._HISTORY[:] = [History]  # replay(known_on=) and state_at(known_on=) use it
