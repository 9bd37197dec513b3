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


# -- exile, return, asylum history, the dead ---------------------------------------------------

from crisis_model.events import (  # noqa: E402
    AsylumEnded,
    OfficeAssumed,
    PersonDied,
    PrisonersReleased,
    Returned,
)
from crisis_model.events.office import OfficeSeized  # noqa: E402

from .builders import body, person  # noqa: E402

LATER = D(2024, 9, 20)
MK = cm.MovementKind


def abroad_state():
    """The base state plus Perez (of Venezuela), Venezuela's and Spain's governments."""
    day = D(2024, 8, 1)
    return cm.replay([person("perez", day, country="VEN"),
                      body("ven", cm.ActorKind.GOVERNMENT, day, country="VEN"),
                      body("mdv", cm.ActorKind.FOREIGN_GOVERNMENT, day, country="MDV")],
                     initial=base_state())


def abroad(*events):
    """The abroad state with ``events`` applied strictly."""
    return cm.replay(list(events), initial=abroad_state())


class TestExileAndReturn:
    def test_movement_history(self):
        """Each move records where the person left from and where they went."""
        airport = cm.Place("Maiquetia airport", country="VEN")
        state = abroad(LeftCountry(occurred_on=DAY, person="perez", to="MDV", place=airport),
                       LeftCountry(occurred_on=LATER, person="perez", to="SGP"),
                       Returned(occurred_on=D(2024, 9, 30), person="perez"))
        perez = state.actors["perez"]
        assert [(MK.LEFT_COUNTRY, "Maiquetia airport (VEN)", "MDV"),
                (MK.LEFT_COUNTRY, "MDV", "SGP"),
                (MK.RETURNED, "SGP", "VEN")] == [
            (m.kind, m.origin, m.destination) for m in perez.movements]
        assert (W.AT_LARGE, None) == (perez.whereabouts, perez.location)

    def test_exile_is_abroad(self):
        """Nobody goes into exile in their own country."""
        e = LeftCountry(occurred_on=DAY, person="perez", to="VEN")
        assert ["exile-abroad"] == rejected_rules(abroad_state(), e)

    def test_return_needs_exile(self):
        """Only someone abroad returns home."""
        assert ["was-abroad"] == rejected_rules(abroad_state(),
                                                Returned(occurred_on=DAY, person="perez"))


class TestAsylumHistory:
    def test_second_host_keeps_both(self):
        """Asylum in a second country shows both, the latest being the current one."""
        state = after(AsylumSought(occurred_on=DAY, person="gonzalez", host="usa"),
                      AsylumGranted(occurred_on=DAY, person="gonzalez", host="usa"),
                      AsylumEnded(occurred_on=LATER, person="gonzalez", host="usa",
                                  reason="moved on"),
                      AsylumSought(occurred_on=LATER, person="gonzalez", host="spain"),
                      AsylumGranted(occurred_on=LATER, person="gonzalez", host="spain"))
        g = state.actors["gonzalez"]
        statuses = [(a.host, a.status.value) for a in g.asylum_history]
        assert ([("usa", "sought"), ("usa", "granted"), ("usa", "ended"),
                 ("spain", "sought"), ("spain", "granted")], g.asylum_history[-1]) == (
            statuses, g.asylum)
        assert "moved on" == g.asylum_history[2].reason

    def test_end_needs_asylum_in_force(self):
        """Only asylum granted or pending with that host can end."""
        e = AsylumEnded(occurred_on=DAY, person="gonzalez", host="usa")
        assert ["asylum-in-force"] == rejected_rules(base_state(), e)

    def test_asylum_is_abroad(self):
        """Asylum is not sought from one's own country."""
        e = AsylumSought(occurred_on=DAY, person="perez", host="ven")
        assert ["asylum-abroad"] == rejected_rules(abroad_state(), e)


class TestTheDead:
    def dead(self):
        """Perez is killed."""
        return abroad(PersonDied(occurred_on=DAY, person="perez", cause=cm.DeathCause.KILLED))

    def test_cannot_move_be_detained_or_take_office(self):
        """The dead do not hide, flee, get detained or take office."""
        state = self.dead()
        for e in (WentIntoHiding(occurred_on=LATER, person="perez"),
                  LeftCountry(occurred_on=LATER, person="perez", to="ESP"),
                  PeopleDetained(occurred_on=LATER, persons=("perez",)),
                  OfficeAssumed(occurred_on=LATER, person="perez", office="president"),
                  OfficeSeized(occurred_on=LATER, by="ven", office="president", holder="perez"),
                  PersonDied(occurred_on=LATER, person="perez")):
            assert "alive" in rejected_rules(state, e), e
        message = cm.check(state, OfficeAssumed(occurred_on=LATER, person="perez",
                                                office="president"))[0].message
        assert "'perez' died on 2024-09-08 (killed)" in message

    def test_can_still_be_named(self):
        """The dead may still be recognised, charged or reported on."""
        from crisis_model.events import ChargesFiled, RecognitionWithheld

        state = self.dead()
        assert [] == rejected_rules(state, ChargesFiled(occurred_on=LATER, person="perez"))
        assert [] == rejected_rules(state, RecognitionWithheld(occurred_on=LATER, by="perez",
                                                               election="ve"))

    def test_died_in_custody_released_is_refused(self):
        """Someone who died in custody cannot be released."""
        state = abroad(PeopleDetained(occurred_on=DAY, persons=("perez",), by="ven"),
                       PersonDied(occurred_on=LATER, person="perez",
                                  cause=cm.DeathCause.DIED_IN_CUSTODY))
        assert "release-at-most-held" in rejected_rules(
            state, PrisonersReleased(occurred_on=LATER, persons=("perez",)))
