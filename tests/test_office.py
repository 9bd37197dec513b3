"""Tests for crisis_model.events.office."""

from __future__ import annotations

import crisis_model as cm
from crisis_model.events import OfficeAssumed, OfficeVacated

from .builders import D, base_state, rejected_rules

DAY = D(2025, 1, 10)


class TestOffice:
    def test_vacate_and_assume(self):
        """An office changes hands; two may hold one office if both claim it."""
        log = [
            OfficeVacated(occurred_on=DAY, person="maduro", office="president",
                          reason=cm.VacatedReason.RESIGNED),
            OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president"),
        ]
        state = cm.replay(log, initial=base_state())
        assert ((), ("president",)) == (
            state.actors["maduro"].offices, state.actors["gonzalez"].offices
        )
        both = cm.replay([OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president")],
                         initial=base_state())
        assert ("president",) == both.actors["maduro"].offices == both.actors["gonzalez"].offices

    def test_vacate_unheld(self):
        """Only a held office can be vacated."""
        e = OfficeVacated(occurred_on=DAY, person="gonzalez", office="president")
        assert ["holding"] == rejected_rules(base_state(), e)

    def test_assume_held(self):
        """One cannot assume an office one already holds."""
        e = OfficeAssumed(occurred_on=DAY, person="maduro", office="president")
        assert ["not-holding"] == rejected_rules(base_state(), e)
