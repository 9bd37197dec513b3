"""Tests for crisis_model.events.institutions."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    InstitutionDissolved,
    InstitutionRestored,
    InstitutionSuspended,
    LegislatureVoted,
)
from crisis_model.events.institutions import (
    InstitutionStatus,
    InstitutionStep,
    MotionKind,
    SuspensionCause,
    _render,
    _to_json,
    institutions,
)

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

START = D(2016, 1, 1)
S = InstitutionStatus


def _log() -> list[cm.Event]:
    return [body("rada", cm.ActorKind.LEGISLATURE, START),
            body("court", cm.ActorKind.COURT, START),
            body("cabinet", cm.ActorKind.GOVERNMENT, START),
            person("president", START), person("pm", START),
            body("party", cm.ActorKind.PARTY, START)]


def _vote(**kw: object) -> LegislatureVoted:
    fields: dict[str, object] = {"occurred_on": D(2024, 12, 1), "body": "rada",
                                 "motion": "no_confidence", "subject": "the government",
                                 "passed": True, "target": "cabinet"}
    fields.update(kw)
    return LegislatureVoted(**fields)  # type: ignore[arg-type]


class TestInstitutions:
    def test_dissolved_then_restored(self):
        """A dissolution and a restoration are kept in order; the status follows them."""
        log = [*_log(),
               InstitutionDissolved(occurred_on=D(2024, 8, 6), body="rada", by="president",
                                    reason="to make way for an interim government",
                                    election_due=D(2025, 2, 1)),
               InstitutionRestored(occurred_on=D(2024, 9, 1), body="rada")]
        dissolved = institutions(cm.state_at(log, D(2024, 8, 6)))["rada"]
        restored = institutions(cm.replay(log))["rada"]
        assert ((S.DISSOLVED, D(2024, 8, 6), ("president",), D(2025, 2, 1)),
                (S.SITTING, True, ["dissolved", "restored"])) == (
            (dissolved.status, dissolved.since, dissolved.history[0].by,
             dissolved.history[0].election_due),
            (restored.status, restored.sitting, [h.step.value for h in restored.history]))

    def test_court_without_a_quorum(self):
        """A court that cannot sit for want of judges is suspended with cause no_quorum."""
        log = [*_log(), InstitutionSuspended(occurred_on=D(2017, 1, 10), body="court",
                                             cause="no_quorum", reason="judges absent")]
        rec = institutions(cm.replay(log))["court"]
        assert (S.SUSPENDED, SuspensionCause.NO_QUORUM, "judges absent") == (
            rec.status, rec.history[-1].cause, rec.history[-1].reason)

    def test_votes_recorded(self):
        """Votes are kept with their motion, outcome, tallies and target."""
        log = [*_log(), _vote(votes_for=229),
               _vote(motion="constitutional_amendment", subject="constitutional reform",
                     votes_for=402, votes_against=21, abstentions=19, target=None,
                     occurred_on=D(2024, 12, 8))]
        votes = institutions(cm.replay(log))["rada"].votes
        first, second = (v.vote for v in votes)
        assert ((MotionKind.NO_CONFIDENCE, True, cm.Count.exact(229), None, "cabinet"),
                (MotionKind.CONSTITUTIONAL_AMENDMENT, 402, 21, 19)) == (
            (first.motion, first.passed, first.votes_for, first.votes_against, first.target),
            (second.motion, second.votes_for.value, second.votes_against.value,
             second.abstentions.value))
        assert S.SITTING == institutions(cm.replay(log))["rada"].status

    def test_court_that_cannot_sit_issues_no_ruling(self):
        """A court suspended (no quorum) issues no ruling until restored; once restored, it
        does."""
        from crisis_model.events import RulingIssued

        suspended = [*_log(), InstitutionSuspended(occurred_on=D(2017, 1, 10), body="court",
                                                   cause="no_quorum")]
        ruling = RulingIssued(occurred_on=D(2017, 1, 16), by="court", decision="petition heard")
        problems = [p for p in cm.check(cm.replay(suspended), ruling) if p.rule == "court-sitting"]
        assert ["'court' was suspended on 2017-01-10: it issues no ruling until it is restored "
                "(institution.restored)"] == [p.message for p in problems]
        restored = cm.replay([*suspended, InstitutionRestored(occurred_on=D(2017, 1, 12),
                                                              body="court")])
        assert [] == rejected_rules(restored, ruling)

    def test_dissolved_body_neither_votes_nor_is_suspended(self):
        """Until it is restored, a dissolved body takes no vote, is not suspended or dissolved
        again; a suspended one takes no vote and is not suspended twice."""
        dissolved = cm.replay([*_log(), InstitutionDissolved(occurred_on=D(2024, 8, 6),
                                                             body="rada")])
        assert ["legislature-sitting"] == rejected_rules(dissolved, _vote())
        assert ["institution-not-dissolved"] == rejected_rules(dissolved, InstitutionSuspended(
            occurred_on=D(2024, 8, 7), body="rada"))
        assert ["institution-not-dissolved"] == rejected_rules(dissolved, InstitutionDissolved(
            occurred_on=D(2024, 8, 7), body="rada"))
        suspended = cm.replay([*_log(), InstitutionSuspended(occurred_on=D(2024, 8, 6),
                                                             body="rada", cause="coup")])
        assert ["legislature-sitting"] == rejected_rules(suspended, _vote())
        assert ["institution-not-suspended"] == rejected_rules(suspended, InstitutionSuspended(
            occurred_on=D(2024, 8, 7), body="rada"))
        assert [] == rejected_rules(suspended, InstitutionDissolved(occurred_on=D(2024, 8, 7),
                                                                    body="rada"))

    def test_restoring_a_sitting_body(self):
        """Only a dissolved or suspended body is restored."""
        state = cm.replay(_log())
        assert ["institution-restorable"] == rejected_rules(state, InstitutionRestored(
            occurred_on=D(2024, 8, 7), body="rada"))

    def test_kinds(self):
        """Only a state's institutions are dissolved; only legislatures and councils vote;
        impeachment targets a person; a confidence vote a government, council or person."""
        state = cm.replay(_log())
        assert ["institution-body-kind"] == rejected_rules(state, InstitutionDissolved(
            occurred_on=D(2024, 8, 6), body="party"))
        assert ["voting-body-kind"] == rejected_rules(state, _vote(body="court"))
        assert ["motion-target-kind"] == rejected_rules(state, _vote(
            motion="impeachment", target="cabinet"))
        assert ["motion-target-kind"] == rejected_rules(state, _vote(target="party"))
        assert [] == rejected_rules(state, _vote(motion="impeachment", target="president"))
        assert [] == rejected_rules(state, _vote(target="pm"))

    def test_vote_rules(self):
        """A passed motion cannot have fewer votes for than against; an impeachment names its
        target; a body does not vote on itself; a new election is not due before the
        dissolution."""
        state = cm.replay(_log())
        assert ["vote-tally"] == rejected_rules(state, _vote(votes_for=100, votes_against=300))
        assert [] == rejected_rules(state, _vote(votes_for=100, votes_against=300,
                                                 passed=False))
        assert ["motion-target"] == rejected_rules(state, _vote(motion="impeachment",
                                                                target=None))
        assert ["motion-target", "motion-target-kind"] == sorted(rejected_rules(
            state, _vote(target="rada")))
        assert ["election-due-after"] == rejected_rules(state, InstitutionDissolved(
            occurred_on=D(2024, 8, 6), body="rada", election_due=D(2024, 1, 1)))

    def test_summaries(self):
        """Plain words in the timeline."""
        assert ("rada dissolved by president: interim rule; new election due 2025-02-01"
                == cm.describe(InstitutionDissolved(
                    occurred_on=D(2024, 8, 6), body="rada", by="president",
                    reason="interim rule", election_due=D(2025, 2, 1))))
        assert "court cannot sit (no quorum): judges absent" == cm.describe(
            InstitutionSuspended(occurred_on=D(2017, 1, 10), body="court", cause="no_quorum",
                                 reason="judges absent"))
        assert "rada suspended by junta (coup)" == cm.describe(InstitutionSuspended(
            occurred_on=D(2023, 7, 27), body="rada", by="junta", cause="coup"))
        assert "rada restored" == cm.describe(InstitutionRestored(occurred_on=D(2024, 1, 1),
                                                                 body="rada"))
        assert ("rada voted on no confidence in cabinet (the government): passed (229 for, "
                "at least 5 against)") == cm.describe(_vote(votes_for=229,
                                                            votes_against=">=5"))

    def test_rendering(self):
        """The replay text and --json show the status and every step."""
        log = [*_log(), _vote(votes_for=229),
               InstitutionDissolved(occurred_on=D(2024, 12, 9), body="rada", by="president")]
        table = institutions(cm.replay(log))
        assert ["rada: dissolved since 2024-12-09",
                "  2024-12-01: voted on no confidence in cabinet (the government): passed "
                "(229 for)",
                "  2024-12-09: dissolved by president"] == _render(table, lambda a: a or "")
        data = _to_json(table)["rada"]
        assert ("dissolved", ["voted", "dissolved"], 229) == (
            data["status"], [h["step"] for h in data["history"]],
            data["history"][0]["vote"]["votes_for"])
        assert InstitutionStep.DISSOLVED == table["rada"].history[-1].step

    @given(family_logs((InstitutionDissolved, InstitutionSuspended, InstitutionRestored,
                        LegislatureVoted)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of dissolutions, suspensions, restorations and votes
        leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
