"""Tests for crisis_model.invariants: each invariant catches the incoherence it names."""

from __future__ import annotations

import attrs
import hypothesis
import pytest
from hypothesis import given

import crisis_model as cm
from crisis_model.invariants import InvariantViolation, check_invariants, invariant
from crisis_model.state import (
    Asylum,
    Audit,
    Claim,
    Declaration,
    Ledger,
    Offer,
    Tally,
)

from .builders import D, base_state, declared
from .strategies import admissible_logs, mixed_logs


def names(state: cm.CrisisState) -> list[tuple[str, str | None]]:
    """(invariant, subject) of each violation."""
    return [(v.invariant, v.subject) for v in check_invariants(state)]


def election(state, **changes):
    """The state with election 've' changed (bypassing the rules)."""
    return state.with_election("ve", **changes)


class TestBuiltins:
    def test_coherent_state(self):
        """A state reached through the rules violates nothing."""
        assert [] == check_invariants(cm.replay([declared()], initial=base_state()))

    def test_shares_out_of_range(self):
        """Shares outside 0-100 or summing past 100 are caught, per election."""
        bad = Declaration(winner="maduro", shares={"maduro": 80.0, "gonzalez": 30.0}, by="cne")
        state = election(base_state(), declarations=cm.FrozenMap({"cne": bad}),
                         declaration_history=(bad,))
        assert [("shares-in-range", "ve")] == names(state)

    def test_claimed_winner_not_candidate(self):
        """A claim naming a non-candidate is caught."""
        claim = Claim(claimed_winner="spain", by="gonzalez")
        state = election(base_state(), claims=cm.FrozenMap({"gonzalez": claim}),
                         claim_history=(claim,))
        assert [("winners-are-candidates", "ve")] == names(state)

    def test_recognition_of_non_candidate(self):
        """An actor recognising a non-candidate is caught, naming the actor."""
        stance = cm.Stance(cm.StanceKind.RECOGNISES, winner="spain")
        state = base_state().with_actor("usa", stances={"ve": stance})
        assert [("winners-are-candidates", "usa")] == names(state)

    def test_negative_counts(self):
        """Negative counters are caught."""
        state = attrs.evolve(base_state(), incidents=cm.state.Incidents(protests=-1))
        assert [("counts-non-negative", "incidents")] == names(state)

    def test_released_more_than_detained(self):
        """A ledger that released more than it detained is caught, naming the group."""
        ledger = Ledger(detained=Tally(10), released=Tally(11))
        state = base_state().with_ledger("detainees", lambda _: ledger)
        assert [("released-at-most-detained", "detainees")] == names(state)

    def test_dangling_reference(self):
        """A record naming an actor that does not exist is caught."""
        state = base_state().with_actor("gonzalez", asylum=Asylum("mexico", cm.AsylumStatus.SOUGHT,
                                                                  D(2024, 9, 8)))
        assert [("references-resolve", "gonzalez")] == names(state)

    def test_offer_lifecycle(self):
        """A pending offer with a resolution date, or accepted by a non-recipient, is caught."""
        pending = Offer(id="o", by="usa", to=("maduro",), resolved_on=D(2024, 9, 1))
        accepted = Offer(id="p", by="usa", to=("maduro",), status=cm.OfferStatus.ACCEPTED,
                         resolved_on=D(2024, 9, 1), resolved_by="usa")
        state = attrs.evolve(base_state(), offers={"o": pending, "p": accepted})
        assert [("offer-lifecycle", "o"), ("offer-lifecycle", "p")] == names(state)

    def test_open_audit_with_finding(self):
        """An open audit with a finding is caught."""
        state = election(base_state(), audits={"a": Audit(by="cne", finding="upheld")})
        assert [("audit-lifecycle", "ve")] == names(state)

    def test_ids_match_keys(self):
        """A record stored under another id is caught."""
        actor = base_state().actors["maduro"]
        state = attrs.evolve(base_state(), actors=base_state().actors.set("nicolas", actor))
        assert ("ids-match-keys", "nicolas") in names(state)

    def test_asylum_from_self(self):
        """Seeking asylum from oneself is caught."""
        asylum = Asylum("gonzalez", cm.AsylumStatus.SOUGHT, D(2024, 9, 8))
        assert [("asylum-abroad", "gonzalez")] == names(
            base_state().with_actor("gonzalez", asylum=asylum)
        )

    def test_clock(self):
        """A state with events but no date is caught."""
        assert [("history-clock", None)] == names(cm.CrisisState(version=2))


class TestUserInvariants:
    def test_user_invariant_joins(self):
        """A registered invariant is checked by check_invariants and named in its results."""
        with cm.registry.scoped():

            @invariant("at-most-ten-actors")
            def _(state):
                if len(state.actors) > 3:
                    yield InvariantViolation("", f"{len(state.actors)} actors", "actors")

            expected = [InvariantViolation("at-most-ten-actors", "6 actors", "actors")]
            assert expected == check_invariants(base_state())
        assert [] == check_invariants(base_state())

    def test_twice(self):
        """An invariant name can be registered once."""
        with pytest.raises(cm.RegistrationError, match="already registered"):
            invariant("shares-in-range")(lambda s: None)

    def test_str(self):
        """A violation reads as invariant, subject and message."""
        assert "invariant 'x' (ve): bad" == str(InvariantViolation("x", "bad", "ve"))


def _bucket(n: int) -> str:
    """A coarse label for a count, for hypothesis statistics."""
    for top in (0, 5, 10, 20, 40, 60):
        if n <= top:
            return f"<={top}"
    return ">60"


class TestRulesGuardInvariants:
    """The central property: what the rules admit keeps every invariant true."""

    @given(mixed_logs)
    def test_admitted_events_keep_invariants(self, log):
        """Every admitted event leaves check_invariants empty; every rejected one changes
        nothing."""
        state = cm.initial_state()
        admitted, kinds = 0, set()
        for event in log:
            if cm.check(state, event):
                snapshot = cm.replay([event], strict=False, initial=state)[0]
                assert state == snapshot
                continue
            state = cm.evolve(state, event)
            admitted += 1
            kinds.add(type(event).event_tag)
            assert [] == check_invariants(state)
        hypothesis.event(f"admitted events {_bucket(admitted)}")
        hypothesis.event(f"rejected events {_bucket(len(log) - admitted)}")
        hypothesis.event(f"actors {_bucket(len(state.actors))}")
        hypothesis.event(f"event types admitted {_bucket(len(kinds))}")

    @given(admissible_logs)
    def test_admissible_logs_reach_far(self, log):
        """Admissible logs replay strictly, and every snapshot satisfies every invariant."""
        for state in cm.snapshots(log):
            assert [] == check_invariants(state)
        hypothesis.event(f"log length {_bucket(len(log))}")
        hypothesis.event(f"actors {_bucket(len(state.actors))}")
        for tag in {type(e).event_tag for e in log}:
            hypothesis.event(f"type {tag}")
