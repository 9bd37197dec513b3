"""Tests for crisis_model.events.recognition."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    ClaimBasis,
    ElectionCalled,
    HolderRecognized,
    OfficeAssumed,
    RecognitionRefused,
    RecognitionWithdrawn,
    RecognitionWithheld,
    RepresentativeRecognized,
    ResultRejected,
    TransparencyDemanded,
    WinnerRecognized,
)
from crisis_model.events.recognition import (
    SLICE,
    RecognitionEntry,
    RecognitionOf,
    Recognitions,
    RecognitionStatus,
    current_recognitions,
    recognition_history,
)
from crisis_model.invariants import check_invariants
from crisis_model.serialization import from_dict

from .builders import D, base_state, rejected_rules
from .test_office import power_logs

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


S = RecognitionStatus


def positions(entries) -> list[tuple[str, str, str | None]]:
    """(by, status, actor) of each entry."""
    return [(r.by, r.status.value, r.actor) for r in entries]


def rival_state() -> cm.CrisisState:
    """Maduro holds the presidency; González claims it too."""
    return cm.replay([OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president",
                                    basis=ClaimBasis.INTERIM)], initial=base_state())


class TestGovernments:
    def test_rival_holders_each_recognised(self):
        """Rival claimants are each recognised by someone; the state says who recognises whom,
        since when, on whose report."""
        log = [
            HolderRecognized(occurred_on=DAY, by="usa", actor="gonzalez", office="president",
                             sources=("wire",)),
            HolderRecognized(occurred_on=DAY, by="spain", actor="maduro", office="president"),
        ]
        state = cm.replay(log, initial=rival_state())
        (usa, spain) = current_recognitions(state, office="president")
        assert (("usa", "gonzalez", DAY, ("wire",)), ("spain", "maduro")) == (
            (usa.by, usa.actor, usa.on, usa.sources), (spain.by, spain.actor))
        assert [] == check_invariants(state)

    def test_holder_must_claim(self):
        """Only a claimant can be recognised as holder, and not by itself."""
        e = HolderRecognized(occurred_on=DAY, by="usa", actor="gonzalez", office="president")
        assert ["recognised-claims-office"] == rejected_rules(base_state(), e)
        e = HolderRecognized(occurred_on=DAY, by="maduro", actor="maduro", office="president")
        assert ["recognises-another"] == rejected_rules(base_state(), e)

    def test_representative(self):
        """An actor is recognised as a country's legitimate representative."""
        e = RepresentativeRecognized(occurred_on=DAY, by="usa", actor="gonzalez", country="VEN")
        state = cm.replay([e], initial=base_state())
        assert [("usa", "recognises", "gonzalez")] == positions(
            current_recognitions(state, country="VEN"))

    def test_withdrawal_lifecycle(self):
        """Recognised, then withdrawn: both kept in order; the current view is the withdrawal;
        a recognition not in force cannot be withdrawn."""
        granted = HolderRecognized(occurred_on=DAY, by="usa", actor="gonzalez",
                                   office="president")
        withdrawn = RecognitionWithdrawn(occurred_on=D(2024, 9, 1), by="usa", office="president",
                                         grounds="talks")
        state = cm.replay([granted, withdrawn], initial=rival_state())
        assert [("usa", "recognises", "gonzalez"), ("usa", "withdraws", "gonzalez")] == (
            positions(recognition_history(state, office="president")))
        assert [("usa", "withdraws", "gonzalez")] == positions(
            current_recognitions(state, office="president"))
        assert ["recognition-in-force"] == rejected_rules(state, withdrawn)
        assert [] == check_invariants(state)

    def test_invariant_finds_a_withdrawal_never_granted(self):
        """A recorded withdrawal of a recognition never given (or already withdrawn) breaks
        'withdrawals-follow-recognitions', once per such withdrawal; a withdrawal that
        follows its recognition does not."""
        def entry(status: RecognitionStatus, actor: str) -> RecognitionEntry:
            return RecognitionEntry(by="usa", status=status, of=RecognitionOf.HOLDER,
                                    subject="president", actor=actor, condition=None, on=DAY)

        granted = entry(RecognitionStatus.RECOGNISES, "gonzalez")
        withdrawn = entry(RecognitionStatus.WITHDRAWS, "gonzalez")
        stray = entry(RecognitionStatus.WITHDRAWS, "maduro")
        for history, expected in (((granted, withdrawn), 0), ((stray, granted, withdrawn), 1),
                                  ((stray, granted, withdrawn, withdrawn), 2)):
            book = Recognitions(entries=cm.FrozenMap({(RecognitionOf.HOLDER, "president"):
                                                      history}))
            state = rival_state().with_slice(SLICE, book)
            assert [("withdrawals-follow-recognitions", "usa")] * expected == [
                (v.invariant, v.subject) for v in check_invariants(state)
                if v.invariant == "withdrawals-follow-recognitions"]

    def test_withdraw_winner_keeps_stance_history(self):
        """Withdrawing recognition of a winner updates the stance (withdrawn) and keeps the
        earlier recognition in the history."""
        log = [WinnerRecognized(occurred_on=DAY, by="usa", election="ve", winner="gonzalez"),
               RecognitionWithdrawn(occurred_on=DAY, by="usa", election="ve")]
        state = cm.replay(log, initial=base_state())
        assert cm.Stance(K.WITHDRAWN, winner="gonzalez", since=DAY) == state.stance("usa", "ve")
        assert [("usa", "recognises", "gonzalez"), ("usa", "withdraws", "gonzalez")] == (
            positions(recognition_history(state, election="ve")))

    def test_withheld_and_refused_for_offices(self):
        """Recognition of a holder may be withheld on conditions or refused outright."""
        log = [RecognitionWithheld(occurred_on=DAY, by="spain", office="president",
                                   condition="a negotiated transition"),
               RecognitionRefused(occurred_on=DAY, by="usa", actor="maduro", office="president",
                                  grounds="fraud")]
        state = cm.replay(log, initial=rival_state())
        spain, usa = current_recognitions(state, office="president")
        assert (("withholds", "a negotiated transition"), ("refuses", "maduro", "fraud")) == (
            (spain.status.value, spain.condition), (usa.status.value, usa.actor, usa.condition))

    def test_one_subject(self):
        """A withholding, refusal or withdrawal names exactly one subject."""
        e = RecognitionRefused(occurred_on=DAY, by="usa", office="president", country="VEN")
        assert ["one-subject"] == rejected_rules(base_state(), e)
        e = RecognitionRefused(occurred_on=DAY, by="usa")
        assert ["one-subject"] == rejected_rules(base_state(), e)

    def test_refused_names_claimant(self):
        """A refused actor is a candidate of the election or a claimant of the office."""
        e = RecognitionRefused(occurred_on=DAY, by="usa", actor="spain", election="ve")
        assert ["named-claimant"] == rejected_rules(base_state(), e)

    def test_old_withheld_loads(self):
        """An old recognition.withheld (election and condition only) loads unchanged, same id."""
        old = {"type": "recognition.withheld", "occurred_on": "2024-08-01", "by": "spain",
               "election": "ve", "condition": "tallies"}
        e = RecognitionWithheld(occurred_on=DAY, by="spain", election="ve", condition="tallies")
        assert e == from_dict(old)
        assert cm.event_ids([e]) == cm.event_ids([from_dict(old)])

    def test_summaries(self):
        """Each type reads in plain words."""
        names = {"usa": "US", "gonzalez": "Edmundo González"}
        said = [cm.describe(e, names) for e in (
            HolderRecognized(occurred_on=DAY, by="usa", actor="gonzalez", office="president"),
            RepresentativeRecognized(occurred_on=DAY, by="usa", actor="gonzalez", country="VEN"),
            RecognitionRefused(occurred_on=DAY, by="usa", office="president"),
            RecognitionWithdrawn(occurred_on=DAY, by="usa", actor="gonzalez", election="ve"),
            RecognitionWithheld(occurred_on=DAY, by="usa", election="ve", condition="tallies"),
        )]
        assert [
            "US recognises Edmundo González as the holder of president",
            "US recognises Edmundo González as the legitimate representative of VEN",
            "US refuses to recognise anyone as the holder of president",
            "US withdraws recognition of Edmundo González as the winner of ve",
            "US withholds recognition of ve until tallies",
        ] == said

    def test_switching_recognition(self):
        """Recognising another claimant supersedes the earlier recognition (one holder at a
        time); a refusal of a rival stands beside a recognition."""
        log = [
            HolderRecognized(occurred_on=DAY, by="usa", actor="maduro", office="president"),
            RecognitionRefused(occurred_on=DAY, by="usa", actor="maduro", office="president"),
            HolderRecognized(occurred_on=DAY, by="usa", actor="gonzalez", office="president"),
            HolderRecognized(occurred_on=DAY, by="spain", actor="gonzalez", office="president"),
            RecognitionRefused(occurred_on=DAY, by="spain", actor="maduro", office="president"),
        ]
        state = cm.replay(log, initial=rival_state())
        assert [("usa", "refuses", "maduro"), ("usa", "recognises", "gonzalez"),
                ("spain", "recognises", "gonzalez"), ("spain", "refuses", "maduro")] == positions(
                    current_recognitions(state, office="president"))
        assert 5 == len(recognition_history(state, office="president"))
        withdraw = RecognitionWithdrawn(occurred_on=DAY, by="usa", actor="maduro",
                                        office="president")
        assert ["recognition-in-force"] == rejected_rules(state, withdraw)


class TestLifecycleProperties:
    @given(power_logs())
    def test_withdrawal_ends_recognition(self, log):
        """In every admitted log, each position adds exactly one history entry, and after a
        withdrawal the actor no longer recognises anyone about that subject."""
        state = cm.initial_state()
        for e in log:
            after = cm.evolve(state, e)
            if isinstance(e, RecognitionWithdrawn | RecognitionRefused | RecognitionWithheld):
                subject = {"election": e.election, "office": e.office, "country": e.country}
                before_n = len(recognition_history(state, **subject))
                assert before_n + 1 == len(recognition_history(after, **subject))
                if isinstance(e, RecognitionWithdrawn):
                    mine = [r for r in current_recognitions(after, **subject) if r.by == e.by]
                    assert [] == [r for r in mine if r.status is RecognitionStatus.RECOGNISES]
            state = after
