"""Tests for crisis_model.events.recognition."""

from __future__ import annotations

import crisis_model as cm
from crisis_model.events import (
    ElectionCalled,
    RecognitionWithheld,
    ResultRejected,
    TransparencyDemanded,
    WinnerRecognized,
)

from .builders import D, base_state, rejected_rules

DAY = D(2024, 8, 1)
K = cm.StanceKind


class TestRecognition:
    def test_stances(self):
        """Recognising, withholding and rejecting set each actor's stance on the election."""
        log = [
            WinnerRecognized(occurred_on=DAY, by="usa", election="ve", winner="gonzalez"),
            RecognitionWithheld(occurred_on=DAY, by="spain", election="ve",
                                condition="verified tallies"),
            ResultRejected(occurred_on=DAY, by="gonzalez", election="ve"),
        ]
        state = cm.replay(log, initial=base_state())
        assert cm.Stance(K.RECOGNISES, winner="gonzalez", since=DAY) == state.stance("usa", "ve")
        assert cm.Stance(K.WITHHOLDS, condition="verified tallies", since=DAY) == (
            state.stance("spain", "ve")
        )
        assert K.REJECTS == state.stance("gonzalez", "ve").kind

    def test_winner_must_be_candidate(self):
        """A recognised winner is a candidate of that election."""
        e = WinnerRecognized(occurred_on=DAY, by="usa", election="ve", winner="spain")
        assert ["recognised-is-candidate"] == rejected_rules(base_state(), e)

    def test_before_the_vote(self):
        """No stance on a result before the vote."""
        state = cm.replay([ElectionCalled(occurred_on=DAY, election="later")],
                          initial=base_state())
        e = RecognitionWithheld(occurred_on=DAY, by="usa", election="later")
        assert ["vote-held"] == rejected_rules(state, e)

    def test_transparency_demands(self):
        """Demands are recorded once per (by, of) pair; nobody demands of itself."""
        e = TransparencyDemanded(occurred_on=DAY, by="usa", of="cne", election="ve")
        state = cm.replay([e, e], initial=base_state())
        assert (("usa", "cne"),) == state.elections["ve"].transparency_demands
        selfish = TransparencyDemanded(occurred_on=DAY, by="usa", of="usa", election="ve")
        assert ["distinct-parties"] == rejected_rules(base_state(), selfish)
