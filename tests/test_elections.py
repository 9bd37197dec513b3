"""Tests for crisis_model.events.elections."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    AuditConcluded,
    AuditOpened,
    CandidateDisqualified,
    DataDisclosed,
    DataWithheld,
    ElectionCalled,
    ElectionDeclared,
    ElectionHeld,
    ObserverAssessed,
    ResultDisputed,
)
from crisis_model.events.elections import (
    CandidateConceded,
    CandidateWithdrew,
    ConcessionRetracted,
    CountReported,
    ElectionAnnulled,
    ElectionRescheduled,
    FraudAlleged,
)
from crisis_model.state import Annulment, Claim, Concession, CountKind, Declaration
from crisis_model.testing import next_events

from .builders import D, base_log, base_state, body, declared, person, rejected_rules

DAY = D(2024, 8, 2)


def after(*events):
    """The base state with ``events`` applied strictly."""
    return cm.replay(list(events), initial=base_state())


class TestElectionHeld:
    def test_called_then_held(self):
        """A called election keeps its country and office once held."""
        log = [person("a"), person("b"),
               ElectionCalled(occurred_on=D(2024, 7, 2), election="x", country="VEN",
                              office="president"),
               ElectionHeld(occurred_on=D(2024, 7, 28), election="x", candidates=("a", "b"))]
        e = cm.replay(log).elections["x"]
        assert ("VEN", "president", D(2024, 7, 28), ("a", "b")) == (
            e.country, e.office, e.held_on, e.candidates
        )

    def test_held_once(self):
        """An election is held once."""
        again = ElectionHeld(occurred_on=DAY, election="ve", candidates=("maduro",))
        assert ["held-once"] == rejected_rules(base_state(), again)

    def test_no_candidates(self):
        """An election has at least one candidate, each listed once."""
        assert ["candidates-eligible"] == rejected_rules(
            base_state(), ElectionHeld(occurred_on=DAY, election="y")
        )
        twice = ElectionHeld(occurred_on=DAY, election="y", candidates=("maduro", "maduro"))
        assert ["candidates-eligible"] == rejected_rules(base_state(), twice)

    def test_disqualified_cannot_run(self):
        """A candidate disqualified before the vote cannot stand in it."""
        log = [person("machado"), person("rosales"),
               ElectionCalled(occurred_on=D(2024, 1, 1), precision=cm.Precision.YEAR,
                              election="x"),
               CandidateDisqualified(occurred_on=D(2024, 1, 1), precision=cm.Precision.YEAR,
                                     election="x", candidate="machado", grounds="ban")]
        state = cm.replay(log)
        assert ("x",) == state.actors["machado"].jeopardy.disqualified_from
        held = ElectionHeld(occurred_on=D(2024, 7, 28), election="x",
                            candidates=("machado", "rosales"))
        assert ["candidates-eligible"] == rejected_rules(state, held)
        twice = CandidateDisqualified(occurred_on=D(2024, 7, 2), election="x",
                                      candidate="machado")
        assert ["disqualified-once"] == rejected_rules(state, twice)


class TestDeclaredAndDisputed:
    def test_two_authorities_two_winners(self):
        """Two authorities may declare different winners; both are recorded."""
        state = after(
            body("court", cm.ActorKind.COURT, day=D(2024, 7, 29)),
            declared(),
            declared(authority="court", winner="gonzalez", shares={"gonzalez": 51.0}),
        )
        declarations = state.elections["ve"].declarations
        assert {"cne": Declaration("maduro", {"maduro": 52.0}, D(2024, 7, 29), by="cne"),
                "court": Declaration("gonzalez", {"gonzalez": 51.0}, D(2024, 7, 29),
                                     by="court")} == declarations

    def test_dispute(self):
        """A contestant's dispute records the winner and shares it claims."""
        state = after(declared(), ResultDisputed(
            occurred_on=DAY, election="ve", by="gonzalez", claimed_winner="gonzalez",
            shares={"gonzalez": 67}, grounds="tally sheets"))
        assert {"gonzalez": Claim("gonzalez", {"gonzalez": 67.0}, "tally sheets", DAY,
                                  by="gonzalez")} == (
            state.elections["ve"].claims
        )

    def test_dispute_before_declaration(self):
        """A result may be disputed while still being counted, not before the vote."""
        e = ResultDisputed(occurred_on=DAY, election="ve", by="gonzalez")
        assert [] == rejected_rules(base_state(), e)
        log = [*base_log(), ElectionCalled(occurred_on=D(2024, 7, 28), election="later")]
        early = ResultDisputed(occurred_on=DAY, election="later", by="gonzalez")
        assert ["vote-held"] == rejected_rules(cm.replay(log), early)

    def test_winner_and_shares(self):
        """The winner is a candidate; shares lie in 0-100, for candidates, summing to <= 100."""
        state = base_state()
        assert ["winner-is-candidate"] == rejected_rules(state, declared(winner="cne"))
        assert ["valid-shares", "valid-shares"] == rejected_rules(
            state, declared(shares={"maduro": 101})
        )
        assert ["valid-shares"] == rejected_rules(
            state, declared(shares={"maduro": 60, "gonzalez": 50})
        )
        assert ["valid-shares", "winner-leads"] == rejected_rules(
            state, declared(shares={"usa": 1})
        )

    def test_before_vote(self):
        """No result is declared before the vote."""
        log = [*base_log(), ElectionCalled(occurred_on=D(2024, 7, 28), election="later")]
        e = ElectionDeclared(occurred_on=DAY, election="later", authority="cne", winner="maduro")
        assert ["vote-held"] == rejected_rules(cm.replay(log), e)


class TestObserversAndAudits:
    def test_observer(self):
        """An observer's verdict and whom it favours are recorded."""
        state = after(body("carter", cm.ActorKind.OBSERVER, day=DAY), ObserverAssessed(
            occurred_on=DAY, election="ve", observer="carter", verdict=cm.Verdict.FELL_SHORT,
            favours="gonzalez"))
        assessment = state.elections["ve"].assessments["carter"]
        assert (cm.Verdict.FELL_SHORT, "gonzalez") == (assessment.verdict, assessment.favours)
        bad = ObserverAssessed(occurred_on=DAY, election="ve", observer="usa",
                               verdict=cm.Verdict.INCONCLUSIVE, favours="spain")
        assert ["favoured-is-candidate"] == rejected_rules(state, bad)

    def test_audit_lifecycle(self):
        """An audit concludes only after it opened, and only once."""
        opened = AuditOpened(occurred_on=DAY, election="ve", audit="tsj", by="cne")
        concluded = AuditConcluded(occurred_on=DAY, election="ve", audit="tsj",
                                   finding="upheld", upholds="maduro")
        assert ["audit-open"] == rejected_rules(base_state(), concluded)
        state = after(opened)
        assert cm.state.AuditStatus.OPEN == state.elections["ve"].audits["tsj"].status
        assert ["new-audit"] == rejected_rules(state, opened)
        done = cm.replay([concluded], initial=state)
        audit = done.elections["ve"].audits["tsj"]
        assert (cm.state.AuditStatus.CONCLUDED, "upheld", "maduro") == (
            audit.status, audit.finding, audit.upholds
        )
        assert ["audit-open"] == rejected_rules(done, concluded)

    def test_data(self):
        """Data can be disclosed after being withheld, not withheld after disclosure."""
        withheld = DataWithheld(occurred_on=DAY, election="ve", by="cne")
        state = after(withheld)
        assert cm.DataStatus.WITHHELD == state.elections["ve"].data
        disclosed = cm.replay([DataDisclosed(occurred_on=DAY, election="ve", by="cne")],
                              initial=state)
        assert cm.DataStatus.DISCLOSED == disclosed.elections["ve"].data
        assert ["not-disclosed"] == rejected_rules(disclosed, withheld)


# -- the lifecycle (#11 item 3): rounds, counts, seats, fraud, withdrawal, concession,
# -- annulment, rescheduling; histories (#11 item 4); chronology and arithmetic (#13 item 2)


R1, R2 = D(2004, 10, 31), D(2004, 11, 21)


def rounds_log():
    """Three candidates, a first round without a winner, a runoff of the top two."""
    return [
        person("yu", day=D(2004, 7, 1)), person("ya", day=D(2004, 7, 1)),
        person("mo", day=D(2004, 7, 1)),
        body("cec", cm.ActorKind.ELECTORAL_AUTHORITY, day=D(2004, 7, 1)),
        body("court", cm.ActorKind.COURT, day=D(2004, 7, 1)),
        ElectionCalled(occurred_on=D(2004, 7, 1), election="r1", scheduled_for=R1),
        ElectionHeld(occurred_on=R1, election="r1", candidates=("yu", "ya", "mo")),
        CountReported(occurred_on=D(2004, 11, 10), election="r1", by="cec",
                      kind=CountKind.FINAL, shares={"yu": 39.9, "ya": 39.26, "mo": 5.82},
                      counted=100),
        ElectionCalled(occurred_on=D(2004, 11, 10), election="r2", runoff_of="r1",
                       scheduled_for=R2),
        ElectionHeld(occurred_on=R2, election="r2", candidates=("yu", "ya")),
    ]


def rounds(*more):
    return cm.replay([*rounds_log(), *more])


class TestRounds:
    def test_runoff_linked(self):
        """A runoff records the round it follows; a first round's final count names no winner."""
        state = rounds()
        r1, r2 = state.elections["r1"], state.elections["r2"]
        assert ("r1", None, {}) == (r2.runoff_of, r1.runoff_of, dict(r1.declarations))
        assert (CountKind.FINAL, 100.0) == (r1.counts["cec"].kind, r1.counts["cec"].counted)

    def test_runoff_of_unheld_round(self):
        """A runoff follows a round that was held."""
        log = rounds_log()[:6]
        e = ElectionCalled(occurred_on=D(2004, 7, 2), election="r2", runoff_of="r1")
        assert ["rounds-linked"] == rejected_rules(cm.replay(log), e)

    def test_runoff_candidates_stood_before(self):
        """Only candidates of the first round stand in its runoff."""
        log = rounds_log()[:-1]
        e = ElectionHeld(occurred_on=R2, election="r2", candidates=("yu", "cec"))
        assert ["runoff-candidates"] == rejected_rules(cm.replay(log), e)

    def test_rerun_needs_annulment(self):
        """A re-run follows an annulled vote, and its candidates stood in it."""
        rerun = ElectionHeld(occurred_on=D(2004, 12, 26), election="r3", runoff_of="r1",
                             rerun_of="r2", candidates=("yu", "ya"))
        assert ["rounds-linked"] == rejected_rules(rounds(), rerun)
        annul = ElectionAnnulled(occurred_on=D(2004, 12, 3), election="r2", by="court",
                                 grounds="systematic fraud")
        state = rounds(annul, rerun)
        assert ("r1", "r2", True) == (state.elections["r3"].runoff_of,
                                      state.elections["r3"].rerun_of,
                                      state.elections["r2"].annulled)

    def test_called_and_held_links_agree(self):
        """An election called as a runoff of one round is not held as the runoff of another."""
        log = [*rounds_log()[:-1], ElectionCalled(occurred_on=D(2004, 11, 11), election="x",
                                                  country="UKR")]
        e = ElectionHeld(occurred_on=R2, election="r2", runoff_of="x", candidates=("yu",))
        assert "rounds-linked" in rejected_rules(cm.replay(log), e)


class TestCountsAndSeats:
    def test_partial_count(self):
        """A preliminary count keeps the share counted; each report stays in the history."""
        first = CountReported(occurred_on=D(2004, 11, 22), election="r2", by="cec",
                              shares={"ya": 49.4, "yu": 46.7}, counted=99.0)
        second = CountReported(occurred_on=D(2004, 11, 24), election="r2", by="cec",
                               kind=CountKind.FINAL, shares={"ya": 49.46, "yu": 46.61},
                               counted=100.0)
        e = rounds(first, second).elections["r2"]
        assert [99.0, 100.0] == [c.counted for c in e.count_history]
        assert e.count_history[-1] == e.counts["cec"]

    def test_counted_share_in_range(self):
        """The share counted lies in 0-100."""
        bad = CountReported(occurred_on=D(2004, 11, 22), election="r2", by="cec", counted=120)
        assert ["share-counted"] == rejected_rules(rounds(), bad)

    def test_seats(self):
        """A parliamentary result is declared in seats; the winner leads them."""
        early = D(2007, 1, 1)
        parties = [body(p, cm.ActorKind.PARTY, day=early) for p in ("odm", "pnu")]
        log = [*parties, body("eck", cm.ActorKind.ELECTORAL_AUTHORITY, day=early),
               ElectionHeld(occurred_on=D(2007, 12, 27), election="parl",
                            candidates=("odm", "pnu"))]
        ok = ElectionDeclared(occurred_on=D(2007, 12, 30), election="parl", authority="eck",
                              winner="odm", seats={"odm": 99, "pnu": 43})
        state = cm.replay([*log, ok])
        assert {"odm": 99, "pnu": 43} == dict(state.elections["parl"].declarations["eck"].seats)
        behind = ElectionDeclared(occurred_on=D(2007, 12, 30), election="parl",
                                  authority="eck", winner="pnu", seats={"odm": 99, "pnu": 43})
        assert ["winner-leads"] == rejected_rules(cm.replay(log), behind)
        negative = ElectionDeclared(occurred_on=D(2007, 12, 30), election="parl",
                                    authority="eck", winner="odm", seats={"odm": 9, "pnu": -1})
        assert ["valid-seats"] == rejected_rules(cm.replay(log), negative)


class TestWinnerLeads:
    def test_winner_behind_is_refused(self):
        """A winner with a smaller declared share than another's is refused, naming both."""
        bad = declared(shares={"maduro": 40.0, "gonzalez": 55.0})
        [problem] = cm.check(base_state(), bad)
        assert ("winner-leads", "'cne' declares 'maduro' the winner with 40%, behind "
                "'gonzalez' with 55%") == (problem.rule, problem.message)

    def test_tie_is_admitted(self):
        """A declared winner level with another is not behind anyone."""
        assert [] == rejected_rules(base_state(),
                                    declared(shares={"maduro": 45.0, "gonzalez": 45.0}))


class TestHistory:
    def test_authority_reverses_itself(self):
        """Both declarations of an authority that reverses itself are kept; the current view is
        the latest."""
        first = ElectionDeclared(occurred_on=D(2004, 11, 24), election="r2", authority="cec",
                                 winner="ya", shares={"ya": 49.46, "yu": 46.61})
        annul = ElectionAnnulled(occurred_on=D(2004, 12, 3), election="r2", by="court")
        second = ElectionDeclared(occurred_on=D(2005, 1, 10), election="r2", authority="cec",
                                  winner="yu")
        e = rounds(first, annul, second).elections["r2"]
        assert [("ya", D(2004, 11, 24)), ("yu", D(2005, 1, 10))] == [
            (d.winner, d.on) for d in e.declaration_history]
        assert "yu" == e.declarations["cec"].winner

    def test_observer_second_assessment(self):
        """An observer's second assessment joins its first."""
        obs = body("osce", cm.ActorKind.OBSERVER, day=DAY)
        a = ObserverAssessed(occurred_on=DAY, election="ve", observer="osce",
                             verdict=cm.Verdict.INCONCLUSIVE)
        b = ObserverAssessed(occurred_on=D(2024, 8, 9), election="ve", observer="osce",
                             verdict=cm.Verdict.FELL_SHORT)
        e = after(obs, a, b).elections["ve"]
        assert [cm.Verdict.INCONCLUSIVE, cm.Verdict.FELL_SHORT] == [
            x.verdict for x in e.assessment_history]
        assert cm.Verdict.FELL_SHORT == e.assessments["osce"].verdict

    def test_history_invariant(self):
        """A current view that is not the latest of its history breaks an invariant."""
        state = after(declared())
        stale = state.with_election("ve", declaration_history=())
        assert ["election-history-current"] == [v.invariant for v in cm.check_invariants(stale)]


class TestFraudAndDisputes:
    def test_fraud_before_declaration(self):
        """Fraud may be alleged before any result is declared, even before the vote."""
        log = [*base_log(), ElectionCalled(occurred_on=D(2024, 7, 29), election="later")]
        early = FraudAlleged(occurred_on=D(2024, 7, 30), election="later", by="gonzalez",
                             against="cne", grounds="voter roll padded")
        state = cm.replay([*log, early])
        assert [("gonzalez", "cne", "voter roll padded")] == [
            (f.by, f.against, f.grounds) for f in state.elections["later"].allegations]


class TestWithdrawConcede:
    def test_withdrawal_before_the_vote(self):
        """A would-be candidate withdraws from a called election, endorsing another."""
        log = [*base_log(), ElectionCalled(occurred_on=D(2024, 7, 29), election="later")]
        w = CandidateWithdrew(occurred_on=D(2024, 8, 1), election="later", candidate="maduro",
                              endorses="gonzalez")
        state = cm.replay([*log, w])
        assert ("maduro",) == state.elections["later"].withdrawn
        assert ["candidate-standing"] == rejected_rules(state, w)

    def test_concession_and_retraction(self):
        """A concession is kept when retracted; only a standing concession can be retracted."""
        conceded = CandidateConceded(occurred_on=D(2024, 8, 1), election="ve",
                                     candidate="gonzalez", to="maduro")
        retracted = ConcessionRetracted(occurred_on=D(2024, 8, 9), election="ve",
                                        candidate="gonzalez", reason="irregularities")
        assert ["concession-standing"] == rejected_rules(base_state(), retracted)
        state = after(conceded)
        assert (("gonzalez",), ["concession-admissible"]) == (
            state.elections["ve"].conceded, rejected_rules(state, conceded))
        e = after(conceded, retracted).elections["ve"]
        assert ((), (Concession("gonzalez", "maduro", False, D(2024, 8, 1)),
                     Concession("gonzalez", "maduro", True, D(2024, 8, 9)))) == (
            e.conceded, e.concession_history)
        again = CandidateConceded(occurred_on=D(2024, 8, 10), election="ve",
                                  candidate="gonzalez")
        assert [] == rejected_rules(after(conceded, retracted), again)

    def test_concede_to_a_non_candidate(self):
        """A concession names a rival candidate, if any."""
        bad = CandidateConceded(occurred_on=DAY, election="ve", candidate="gonzalez", to="usa")
        assert ["concession-admissible"] == rejected_rules(base_state(), bad)


class TestAnnulment:
    def test_whole_and_districts(self):
        """An annulment records by whom, on what grounds, and where; a whole annulment is
        final."""
        part = ElectionAnnulled(occurred_on=D(2024, 8, 5), election="ve", by="cne",
                                grounds="ballot stuffing", districts=("zulia", "lara"))
        whole = ElectionAnnulled(occurred_on=D(2024, 8, 9), election="ve", by="cne")
        state = after(part)
        assert (False, (Annulment("cne", "ballot stuffing", ("zulia", "lara"),
                                  D(2024, 8, 5)),)) == (state.elections["ve"].annulled,
                                                        state.elections["ve"].annulments)
        done = after(part, whole)
        assert done.elections["ve"].annulled
        later = attrs.evolve(part, occurred_on=D(2024, 8, 9))
        assert ["not-annulled"] == rejected_rules(done, later)

    def test_not_before_the_vote(self):
        """Only a vote that was held can be annulled."""
        log = [*base_log(), ElectionCalled(occurred_on=D(2024, 7, 29), election="later")]
        e = ElectionAnnulled(occurred_on=D(2024, 8, 1), election="later", by="cne")
        assert ["vote-held"] == rejected_rules(cm.replay(log), e)


class TestSchedule:
    def test_scheduled_before_called(self):
        """An election cannot be scheduled for a date before it was called."""
        e = ElectionCalled(occurred_on=D(2024, 9, 5), election="x", scheduled_for=D(2024, 9, 1))
        [problem] = cm.check(base_state(), e)
        assert ("scheduled-after-called", "election 'x' is scheduled for 2024-09-01, before "
                "it was called on 2024-09-05") == (problem.rule, problem.message)

    def test_month_precision_call(self):
        """A call known only to the month may precede a vote later in that month."""
        e = ElectionCalled(occurred_on=D(2024, 9, 1), precision=cm.Precision.MONTH,
                           election="x", scheduled_for=D(2024, 9, 20))
        assert [] == rejected_rules(base_state(), e)

    def test_postponed_then_rescheduled(self):
        """A called election is postponed, then given a new date; both moves are kept."""
        called = ElectionCalled(occurred_on=D(2024, 9, 1), election="x",
                                scheduled_for=D(2024, 12, 1))
        postponed = ElectionRescheduled(occurred_on=D(2024, 10, 1), election="x", by="cne",
                                        reason="unrest")
        moved = ElectionRescheduled(occurred_on=D(2024, 12, 2), election="x", by="cne",
                                    to=D(2025, 3, 1))
        e = cm.replay([called, postponed, moved], initial=base_state()).elections["x"]
        assert (D(2025, 3, 1), [(D(2024, 12, 1), None), (None, D(2025, 3, 1))]) == (
            e.scheduled_for, [(r.previous, r.to) for r in e.reschedulings])
        back = ElectionRescheduled(occurred_on=D(2024, 12, 2), election="x", to=D(2024, 12, 1))
        assert ["scheduled-after-called"] == rejected_rules(
            cm.replay([called], initial=base_state()), back)

    def test_held_election_is_not_rescheduled(self):
        """A vote already held is not rescheduled (a re-run is a new election)."""
        e = ElectionRescheduled(occurred_on=DAY, election="ve", to=D(2024, 12, 1))
        assert ["not-yet-held"] == rejected_rules(base_state(), e)


class TestSummaries:
    def test_new_types_read_plainly(self):
        """Each new type has a plain-words summary, registered beside its class."""
        names = {"yu": "Yushchenko", "court": "Supreme Court", "cec": "CEC"}
        said = [cm.describe(e, names) for e in (
            ElectionAnnulled(occurred_on=D(2004, 12, 3), election="r2", by="court",
                             grounds="fraud"),
            CountReported(occurred_on=R2, election="r2", by="cec", shares={"yu": 46.6},
                          counted=99),
            ConcessionRetracted(occurred_on=R2, election="r2", candidate="yu"),
            ElectionRescheduled(occurred_on=R2, election="r9", to=D(2005, 1, 1)),
        )]
        assert ["Supreme Court annuls the result of r2: fraud",
                "CEC reports a preliminary count of r2 with 99% counted (Yushchenko 46.6%)",
                "Yushchenko retracts the concession of r2",
                "election r9 is moved to 2005-01-01"] == said


ELECTION_TYPES = [
    ActorIntroduced, ElectionCalled, ElectionHeld, ElectionRescheduled, CountReported,
    ElectionDeclared, ResultDisputed, FraudAlleged, CandidateWithdrew, CandidateConceded,
    ConcessionRetracted, ElectionAnnulled, ObserverAssessed, CandidateDisqualified,
]


@st.composite
def election_histories(draw):
    """Admissible logs of election lifecycle events only (rounds, annulments, concessions)."""
    state, log = cm.replay(base_log()), []
    for _ in range(draw(st.integers(1, 30))):
        event = draw(next_events(state, types=ELECTION_TYPES))
        log.append(event)
        state = cm.replay([event], initial=state)
    return log


class TestProperties:
    @settings(max_examples=60)
    @given(election_histories())
    def test_lifecycle_keeps_invariants(self, log):
        """Every admitted lifecycle sequence leaves every invariant true, and each current view
        is the latest of its history."""
        state = cm.replay([*base_log(), *log])
        assert [] == cm.check_invariants(state)
        for e in state.elections.values():
            latest = {d.by: d for d in e.declaration_history}
            assert latest == dict(e.declarations)
            assert all(d.winner == max(d.shares, key=d.shares.__getitem__)
                       or d.shares[d.winner] == max(d.shares.values())
                       for d in e.declaration_history if d.shares)


class TestShown:
    def test_replay_text_and_json(self, tmp_path):
        """replay shows rounds, counts, annulments and superseded declarations, in text and
        JSON."""
        import json
        import subprocess
        import sys

        first = ElectionDeclared(occurred_on=D(2004, 11, 24), election="r2", authority="cec",
                                 winner="ya", shares={"ya": 49.46, "yu": 46.61})
        annul = ElectionAnnulled(occurred_on=D(2004, 12, 3), election="r2", by="court",
                                 grounds="fraud", districts=("donetsk",))
        second = ElectionDeclared(occurred_on=D(2005, 1, 10), election="r2", authority="cec",
                                  winner="yu", shares={"yu": 52.0, "ya": 44.2})
        scenario = cm.Scenario(id="rounds", title="rounds", events=[
            *rounds_log(), first, annul, second])
        path = tmp_path / "rounds.toml"
        scenario.dump(str(path))
        run = [sys.executable, "-m", "crisis_model", "replay", str(path)]
        text = subprocess.run(run, capture_output=True, text=True, check=True).stdout
        assert ["runoff of r1", "annulled by COURT in donetsk: fraud, on 2004-12-03"] == [
            " ".join(line.split()) for line in text.splitlines()
            if line.strip().startswith(("runoff of", "annulled"))]
        assert 1 == sum("superseded by a later declaration" in line for line in text.splitlines())
        doc = json.loads(subprocess.run([*run, "--json"], capture_output=True, text=True,
                                        check=True).stdout)
        r2 = doc["elections"]["r2"]
        assert (["ya", "yu"], "yu", "r1", False) == (
            [d["winner"] for d in r2["declaration_history"]], r2["declarations"]["cec"]["winner"],
            r2["runoff_of"], r2["annulled"])
