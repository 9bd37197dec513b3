"""Tests for crisis_model.events.movement."""

from __future__ import annotations

import crisis_model as cm
from crisis_model.events import (
    AsylumDenied,
    AsylumGranted,
    AsylumSought,
    HarassmentReported,
    LeftCountry,
    PeopleDetained,
    Reappeared,
    TookEmbassyRefuge,
    WentIntoHiding,
)

from .builders import D, base_state, rejected_rules

DAY = D(2024, 9, 8)
W = cm.Whereabouts


def after(*events):
    """The base state with ``events`` applied strictly."""
    return cm.replay(list(events), initial=base_state())


class TestWhereabouts:
    def test_hiding_then_exile(self):
        """Whereabouts and location follow the person."""
        state = after(WentIntoHiding(occurred_on=DAY, person="gonzalez", location="Caracas"))
        assert (W.IN_HIDING, "Caracas") == (
            state.actors["gonzalez"].whereabouts, state.actors["gonzalez"].location
        )
        state = cm.replay([LeftCountry(occurred_on=DAY, person="gonzalez", to="esp")],
                          initial=state)
        assert (W.IN_EXILE, "ESP") == (
            state.actors["gonzalez"].whereabouts, state.actors["gonzalez"].location
        )

    def test_embassy_refuge_names_the_embassy(self):
        """Refuge in an embassy records whose embassy it is."""
        state = after(TookEmbassyRefuge(occurred_on=DAY, person="gonzalez", embassy_of="spain"))
        assert (W.IN_EMBASSY, "embassy of SPAIN") == (
            state.actors["gonzalez"].whereabouts, state.actors["gonzalez"].location
        )

    def test_detained_cannot_move(self):
        """A detained person cannot hide, flee or reappear until released."""
        state = after(PeopleDetained(occurred_on=DAY, persons=("gonzalez",)))
        for e in (WentIntoHiding(occurred_on=DAY, person="gonzalez"),
                  LeftCountry(occurred_on=DAY, person="gonzalez", to="ESP"),
                  Reappeared(occurred_on=DAY, person="gonzalez")):
            assert ["free-to-move"] == rejected_rules(state, e)

    def test_hiding_twice_and_reappearing(self):
        """One cannot hide twice or reappear while at large."""
        state = after(WentIntoHiding(occurred_on=DAY, person="gonzalez"))
        assert ["not-already-hiding"] == rejected_rules(
            state, WentIntoHiding(occurred_on=DAY, person="gonzalez")
        )
        assert ["was-away"] == rejected_rules(
            base_state(), Reappeared(occurred_on=DAY, person="gonzalez")
        )
        back = cm.replay([Reappeared(occurred_on=DAY, person="gonzalez")], initial=state)
        assert W.AT_LARGE == back.actors["gonzalez"].whereabouts

    def test_destination_code(self):
        """Destinations are ISO alpha-3 codes."""
        assert ["destination-code"] == rejected_rules(
            base_state(), LeftCountry(occurred_on=DAY, person="gonzalez", to="Spain")
        )


class TestAsylum:
    def test_lifecycle(self):
        """Asylum is granted or denied only to a person who sought it from that host."""
        sought = AsylumSought(occurred_on=DAY, person="gonzalez", host="spain")
        granted = AsylumGranted(occurred_on=DAY, person="gonzalez", host="spain")
        assert ["asylum-was-sought"] == rejected_rules(base_state(), granted)
        state = after(sought)
        assert cm.Asylum("spain", cm.AsylumStatus.SOUGHT, DAY) == state.actors["gonzalez"].asylum
        assert ["not-pending-already"] == rejected_rules(state, sought)
        assert ["asylum-was-sought"] == rejected_rules(
            state, AsylumDenied(occurred_on=DAY, person="gonzalez", host="usa")
        )
        done = cm.replay([granted], initial=state)
        assert cm.AsylumStatus.GRANTED == done.actors["gonzalez"].asylum.status
        assert ["asylum-was-sought"] == rejected_rules(done, granted)

    def test_denied(self):
        """A denial is recorded."""
        state = after(AsylumSought(occurred_on=DAY, person="gonzalez", host="spain"),
                      AsylumDenied(occurred_on=DAY, person="gonzalez", host="spain"))
        assert cm.AsylumStatus.DENIED == state.actors["gonzalez"].asylum.status

    def test_harassment_counted(self):
        """Harassment reports are counted."""
        state = after(HarassmentReported(occurred_on=DAY, target="gonzalez", by="cne",
                                         reported_by="spain"))
        assert 1 == state.incidents.harassment_reports
