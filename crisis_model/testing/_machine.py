"""``CrisisMachine``: a hypothesis state machine that grows a history and checks every invariant."""

from __future__ import annotations

from typing import Any

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from .._event import Event
from ..invariants import check_invariants
from ..reducer import check, initial_state, replay
from ..state import CrisisState
from ._given import describe_changes
from ._strategies import _NextEvents

__all__ = ["CrisisMachine"]


class CrisisMachine(RuleBasedStateMachine):
    """Appends generated events (admissible or not) to a history, checking invariants at each step.

    Each step draws the next event for the current state, as
    :func:`~crisis_model.testing.next_events` does (:attr:`flawed` percent of
    them with a flaw), checks it against the rules, applies it if admitted and
    otherwise asserts that lenient replay leaves the state exactly as it was.
    After every step, :func:`crisis_model.check_invariants` must find nothing.

    Run it with ``TestCrisis = CrisisMachine.TestCase``.  Subclass it to add
    rules for your own event types, applying events with :meth:`apply`::

        class DefectionMachine(CrisisMachine):
            @precondition(lambda self: bool(self.state.actors))
            @rule(data=st.data())
            def defect(self, data):
                self.apply(data.draw(next_events(self.state, types=[MilitaryDefected])))

        TestDefections = DefectionMachine.TestCase
    """

    #: The percentage of steps that draw a flawed event (``0``: admissible events only).
    flawed: int = 25

    def __init__(self) -> None:
        super().__init__()
        self.state: CrisisState = initial_state()
        #: The events admitted so far, in order.
        self.log: list[Event] = []
        #: How many drawn events the rules rejected.
        self.rejected = 0
        self._last: Event | None = None
        self._before: CrisisState = self.state

    def apply(self, event: Event) -> bool:
        """Check ``event`` against the state; apply it if admitted, else assert nothing changed.

        Returns whether it was admitted.
        """
        before = self.state
        self._last, self._before = event, before
        if check(before, event):
            after, anomalies = replay([event], strict=False, initial=before)
            assert before == after, "a rejected event changed the state"
            assert 1 == len(anomalies), f"expected one anomaly, got {anomalies!r}"
            self.rejected += 1
            return False
        self.state = replay([event], initial=before)
        self.log.append(event)
        return True

    @rule(data=st.data())
    def append_event(self, data: Any) -> None:
        """Draw the next event for the current state (perhaps a flawed one) and apply it."""
        flawed = min(max(self.flawed, 0), 100)
        event = data.draw(_NextEvents(self.state, None, flawed == 0, flawed))
        note(f"event: {event!r}")
        self.apply(event)

    @invariant()
    def invariants_hold(self) -> None:
        """Every registered invariant holds in the current state."""
        violations = check_invariants(self.state)
        if violations:
            lines = [str(v) for v in violations]
            if self._last is not None:
                lines.append(f"after {type(self._last).event_tag} event {self._last!r}")
                lines += describe_changes(self._before, self.state)
            raise AssertionError("invariants broken:\n  " + "\n  ".join(lines))

    @invariant()
    def version_counts_admitted_events(self) -> None:
        """The state's version is the number of events admitted."""
        assert len(self.log) == self.state.version
