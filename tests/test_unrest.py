"""Tests for crisis_model.events.unrest."""

from __future__ import annotations

import crisis_model as cm
from crisis_model.events import CrackdownReported, ProtestHeld
from crisis_model.state import Tally

from .builders import D, base_state, rejected_rules

DAY = D(2024, 7, 29)


class TestUnrest:
    def test_counts_unknown_stay_unknown(self):
        """Crackdowns without numbers leave totals unknown, never 0."""
        log = [ProtestHeld(occurred_on=DAY, location="Caracas"),
               CrackdownReported(occurred_on=DAY, deaths=2),
               CrackdownReported(occurred_on=DAY, group="detainees")]
        state = cm.replay(log, initial=base_state())
        i = state.incidents
        assert (1, 2, Tally(2, 1), None) == (i.protests, i.crackdowns, i.deaths, i.deaths.total)

    def test_arrests_feed_group_ledger(self):
        """A crackdown's arrests enter the named group's detention ledger."""
        e = CrackdownReported(occurred_on=DAY, arrests=40, group="detainees")
        assert 40 == cm.replay([e], initial=base_state()).ledgers["detainees"].held

    def test_negative_counts(self):
        """Counts are never negative."""
        assert ["non-negative-counts"] == rejected_rules(
            base_state(), CrackdownReported(occurred_on=DAY, injuries=-1)
        )
        assert ["non-negative-size"] == rejected_rules(
            base_state(), ProtestHeld(occurred_on=DAY, size=-5)
        )
