"""Tests for crisis_model.history: the checkpointed History agrees with plain replay."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import WentIntoHiding

from .builders import D, base_log, declared, person
from .strategies import admissible_logs, mixed_logs


def dates_around(log: list[cm.Event]) -> st.SearchStrategy[dt.date]:
    """Dates from a little before the log's first event to a little after its last."""
    days = [e.occurred_on for e in log]
    return st.dates(min(days) - dt.timedelta(days=3), max(days) + dt.timedelta(days=40))


class TestHistory:
    @given(admissible_logs, st.integers(1, 7), st.data())
    def test_state_at_agrees(self, log, every, data):
        """History.state_at equals cm.state_at for any date and checkpoint spacing."""
        history = cm.History(log, checkpoint_every=every)
        when = data.draw(dates_around(log), label="when")
        assert cm.state_at(log, when) == history.state_at(when)

    @given(admissible_logs, st.integers(1, 7), st.data())
    def test_snapshot_agrees(self, log, every, data):
        """History.snapshot(k) equals the k-th snapshot."""
        history = cm.History(log, checkpoint_every=every)
        k = data.draw(st.integers(-1, len(log) - 1), label="k")
        expected = cm.initial_state() if k == -1 else list(cm.snapshots(log))[k]
        assert expected == history.snapshot(k)
        assert cm.replay(log) == history.final

    @given(mixed_logs, st.integers(1, 7), st.data())
    def test_lenient(self, log, every, data):
        """A lenient History skips what lenient replay skips, and answers alike."""
        history = cm.History(log, strict=False, checkpoint_every=every)
        state, anomalies = cm.replay(log, strict=False)
        when = data.draw(dates_around(log), label="when")
        assert (state, anomalies) == (history.final, history.anomalies)
        assert cm.state_at(log, when, strict=False) == history.state_at(when)

    def test_strict_raises(self):
        """A strict History refuses a contradictory log, naming the event."""
        with pytest.raises(cm.RuleViolation) as info:
            cm.History([*base_log(), declared(winner="nobody")])
        assert 7 == info.value.index

    def test_certain_and_possible_as_state_at(self):
        """Like state_at: a month event logged after a later day is possible from that day,
        certain once its month is over."""
        log = [*base_log(), person("machado", D(2024, 8, 10)),
               WentIntoHiding(occurred_on=D(2024, 8, 1), precision=cm.Precision.MONTH,
                              person="machado")]
        history = cm.History(log, checkpoint_every=2)
        days = (D(2024, 8, 9), D(2024, 8, 10), D(2024, 8, 31))
        expected = [(cm.state_at(log, d), cm.state_at(log, d, reading="possible")) for d in days]
        actual = [(history.state_at(d), history.state_at(d, reading="possible")) for d in days]
        assert (expected, [7, 8, 9], [7, 9, 9]) == (
            actual, [s.version for s, _ in actual], [p.version for _, p in actual])

    def test_sequence_and_bounds(self):
        """A History is a sequence of its events; snapshot indexes are checked."""
        log = base_log()
        history = cm.History(log)
        assert (log, len(log), log[2]) == (list(history), len(history), history[2])
        with pytest.raises(IndexError):
            history.snapshot(len(log))

    def test_bad_spacing(self):
        """checkpoint_every must be a positive int."""
        with pytest.raises(cm.CrisisModelError, match="positive"):
            cm.History([], checkpoint_every=0)
