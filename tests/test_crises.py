"""Crises other than Venezuela, written against the public API alone as a new user would.

Each history replays to the snapshots it implies; dates known only roughly use
month precision.  (Acceptance tests of the core model's expressiveness.)
"""

from __future__ import annotations

from datetime import date

import pytest

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    AsylumGranted,
    AsylumSought,
    CandidateDisqualified,
    ElectionCalled,
    ElectionDeclared,
    ElectionHeld,
    LeftCountry,
    OfficeAssumed,
    OfficeVacated,
    PeopleDetained,
    PrisonersReleased,
    ResultDisputed,
    TookEmbassyRefuge,
    WinnerRecognized,
)

K = cm.ActorKind
MONTH = cm.Precision.MONTH


def actor(actor: str, name: str, kind: cm.ActorKind, country: str, **kw) -> ActorIntroduced:
    """An actor introduced at the start of the history."""
    return ActorIntroduced(occurred_on=date(2010, 1, 1), actor=actor, name=name, kind=kind,
                           country=country, **kw)


class TestCoteDIvoire2010:
    """Two authorities declare two winners of one run-off; both claim the presidency."""

    def log(self) -> list[cm.Event]:
        return [
            actor("gbagbo", "Laurent Gbagbo", K.PERSON, "CIV", offices=("president-civ",)),
            actor("ouattara", "Alassane Ouattara", K.PERSON, "CIV"),
            actor("cei", "Independent Electoral Commission", K.ELECTORAL_AUTHORITY, "CIV"),
            actor("cc", "Constitutional Council", K.COURT, "CIV"),
            actor("ecowas", "ECOWAS", K.INTERNATIONAL_ORG, "NGA"),
            ElectionHeld(occurred_on=date(2010, 11, 28), election="civ-2010-runoff",
                         country="CIV", office="president-civ",
                         candidates=("gbagbo", "ouattara")),
            ElectionDeclared(occurred_on=date(2010, 12, 2), election="civ-2010-runoff",
                             authority="cei", winner="ouattara",
                             shares={"ouattara": 54.1, "gbagbo": 45.9}),
            ElectionDeclared(occurred_on=date(2010, 12, 3), election="civ-2010-runoff",
                             authority="cc", winner="gbagbo",
                             shares={"gbagbo": 51.45, "ouattara": 48.55}),
            OfficeAssumed(occurred_on=date(2010, 12, 4), person="ouattara",
                          office="president-civ"),
            WinnerRecognized(occurred_on=date(2010, 12, 7), by="ecowas",
                             election="civ-2010-runoff", winner="ouattara"),
        ]

    def test_both_declarations_kept(self):
        """The model records both winners and never picks one."""
        election = cm.replay(self.log()).elections["civ-2010-runoff"]
        assert {"cei": "ouattara", "cc": "gbagbo"} == {
            a: d.winner for a, d in election.declarations.items()
        }

    def test_two_claim_one_office(self):
        """Both men hold the presidency as far as the record goes."""
        state = cm.replay(self.log())
        assert [("gbagbo", ("president-civ",)), ("ouattara", ("president-civ",))] == [
            (a, state.actors[a].offices) for a in ("gbagbo", "ouattara")
        ]

    def test_recognition_and_invariants(self):
        """The regional body's recognition is recorded and the state is coherent."""
        state = cm.replay(self.log())
        assert "ouattara" == state.stance("ecowas", "civ-2010-runoff").winner
        assert [] == cm.check_invariants(state)


class TestBolivia2019:
    """An incumbent resigns and is granted asylum abroad; officials take embassy refuge."""

    def log(self) -> list[cm.Event]:
        return [
            actor("morales", "Evo Morales", K.PERSON, "BOL", offices=("president-bol",)),
            actor("mexico", "Government of Mexico", K.FOREIGN_GOVERNMENT, "MEX"),
            actor("officials", "Former ministers", K.GROUP, "BOL"),
            OfficeVacated(occurred_on=date(2019, 11, 10), person="morales",
                          office="president-bol", reason=cm.VacatedReason.RESIGNED),
            TookEmbassyRefuge(occurred_on=date(2019, 11, 11), person="officials",
                              embassy_of="mexico", location="La Paz"),
            AsylumSought(occurred_on=date(2019, 11, 11), person="morales", host="mexico"),
            AsylumGranted(occurred_on=date(2019, 11, 11), person="morales", host="mexico"),
            LeftCountry(occurred_on=date(2019, 11, 11), person="morales", to="MEX"),
        ]

    def test_snapshot(self):
        """Morales ends out of office, in exile in Mexico, with asylum granted."""
        morales = cm.replay(self.log()).actors["morales"]
        assert ((), cm.Whereabouts.IN_EXILE, "MEX", cm.AsylumStatus.GRANTED) == (
            morales.offices, morales.whereabouts, morales.location, morales.asylum.status
        )

    def test_embassy_refuge(self):
        """The officials shelter at Mexico's embassy."""
        officials = cm.replay(self.log()).actors["officials"]
        assert (cm.Whereabouts.IN_EMBASSY, "La Paz") == (officials.whereabouts, officials.location)

    def test_asylum_before_request_is_rejected(self):
        """Granting asylum before it was sought names the rule and the person."""
        log = self.log()
        log[5], log[6] = log[6], log[5]
        with pytest.raises(cm.RuleViolation) as info:
            cm.replay(log)
        assert (5, "asylum-was-sought") == (info.value.index, info.value.rule)
        assert "'morales'" in str(info.value)


class TestBelarus2020:
    """A candidate disqualified before the vote; mass detentions, then partial releases."""

    def log(self) -> list[cm.Event]:
        return [
            actor("lukashenko", "Alexander Lukashenko", K.PERSON, "BLR"),
            actor("tsikhanouskaya", "Sviatlana Tsikhanouskaya", K.PERSON, "BLR"),
            actor("babaryka", "Viktar Babaryka", K.PERSON, "BLR"),
            actor("cec", "Central Election Commission", K.ELECTORAL_AUTHORITY, "BLR"),
            actor("protesters", "Detained protesters", K.GROUP, "BLR"),
            actor("lithuania", "Government of Lithuania", K.FOREIGN_GOVERNMENT, "LTU"),
            ElectionCalled(occurred_on=date(2020, 5, 8), election="blr-2020", country="BLR",
                           office="president-blr"),
            CandidateDisqualified(occurred_on=date(2020, 7, 14), election="blr-2020",
                                  candidate="babaryka", by="cec"),
            ElectionHeld(occurred_on=date(2020, 8, 9), election="blr-2020",
                         candidates=("lukashenko", "tsikhanouskaya")),
            ElectionDeclared(occurred_on=date(2020, 8, 10), election="blr-2020",
                             authority="cec", winner="lukashenko",
                             shares={"lukashenko": 80.1, "tsikhanouskaya": 10.1}),
            ResultDisputed(occurred_on=date(2020, 8, 10), election="blr-2020",
                           by="tsikhanouskaya", claimed_winner="tsikhanouskaya"),
            PeopleDetained(occurred_on=date(2020, 8, 1), precision=MONTH, group="protesters",
                           count=6700),
            LeftCountry(occurred_on=date(2020, 8, 11), person="tsikhanouskaya", to="LTU"),
            PrisonersReleased(occurred_on=date(2020, 8, 14), group="protesters", count=2000),
            PrisonersReleased(occurred_on=date(2020, 8, 1), precision=MONTH,
                              group="protesters", count=1000, conditional=True,
                              conditions=("awaiting trial",)),
        ]

    def test_disqualified_candidate(self):
        """The barred candidate carries the disqualification and did not stand."""
        state = cm.replay(self.log())
        assert (("blr-2020",), False) == (
            state.actors["babaryka"].jeopardy.disqualified_from,
            "babaryka" in state.elections["blr-2020"].candidates,
        )

    def test_ledger(self):
        """Partial and conditional releases leave the rest held."""
        ledger = cm.replay(self.log()).ledgers["protesters"]
        assert (6700, 2000, 1000, 3700) == (
            ledger.detained.total, ledger.released.total,
            ledger.conditionally_released.total, ledger.held,
        )

    def test_as_of_the_vote(self):
        """As of election day, August's month-precision detentions are not established (the
        log puts them after the next day's declaration); the release of 14 August settles
        them; the conditional releases, known only to August, are uncertain until the 31st."""
        log = self.log()
        vote, aug14, end = (cm.state_at(log, date(2020, 8, d)) for d in (9, 14, 31))
        assert (False, None, 6700 - 2000, [14], 3700) == (
            "protesters" in vote.ledgers, vote.elections["blr-2020"].declarations.get("cec"),
            aug14.ledgers["protesters"].held,
            [i for i, _ in cm.uncertain_events(log, date(2020, 8, 14))],
            end.ledgers["protesters"].held)

    def test_over_release_rejected(self):
        """Releasing more than are held is rejected, naming the group."""
        log = [*self.log(), PrisonersReleased(occurred_on=date(2020, 9, 1), group="protesters",
                                              count=5000)]
        state, anomalies = cm.replay(log, strict=False)
        assert [("release-at-most-held", "releases 5000 from 'protesters', which holds only "
                 "3700")] == [(p.rule, p.message) for a in anomalies for p in a.problems]
        assert 3700 == state.ledgers["protesters"].held
