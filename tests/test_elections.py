"""Tests for crisis_model.events.elections."""

from __future__ import annotations

import crisis_model as cm
from crisis_model.events import (
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
from crisis_model.state import Claim, Declaration

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
