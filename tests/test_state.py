"""Tests for crisis_model.state: records, tallies, ledgers and the state helpers."""

from __future__ import annotations

import attrs
import pytest

import crisis_model as cm
from crisis_model.state import Ledger, Tally

from .builders import base_state


class TestTally:
    def test_known_total(self):
        """A tally of counted reports has an exact total."""
        assert 328 == Tally().add(103).add(225).total

    def test_uncounted_makes_total_unknown(self):
        """One report without a number makes the total unknown, never 0."""
        t = Tally().add(5).add(None)
        assert (None, 5, 1) == (t.total, t.known, t.uncounted)
        assert ">=5 (1 report(s) without a number)" == str(t)


class TestLedger:
    def test_held(self):
        """Held is detained minus released and conditionally released."""
        ledger = Ledger(detained=Tally(400), released=Tally(103), conditionally_released=Tally(225))
        assert 72 == ledger.held

    def test_held_unknown(self):
        """Held is unknown when detentions were not counted."""
        assert None is Ledger(detained=Tally(0, 1), released=Tally(103)).held


class TestCrisisState:
    def test_records_are_frozen(self):
        """State records cannot be changed in place."""
        state = base_state()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            state.version = 3  # type: ignore[misc]

    def test_with_actor(self):
        """with_actor returns a new state and leaves the old one alone."""
        state = base_state()
        new = state.with_actor("gonzalez", location="Madrid")
        assert ("Madrid", None) == (
            new.actors["gonzalez"].location, state.actors["gonzalez"].location
        )

    def test_put_records(self):
        """put_actor, put_election and put_offer store a record under its id."""
        state = base_state()
        actor = cm.ActorState(id="edmundo", name="Edmundo", kind=cm.ActorKind.PERSON)
        offer = cm.Offer(id="amnesty", by="maduro", to=("edmundo",))
        new = (state.put_actor(actor).put_election(cm.ElectionState(id="ve-2030"))
               .put_offer(offer))
        assert (actor, "ve-2030", offer) == (
            new.actors["edmundo"], new.elections["ve-2030"].id, new.offers["amnesty"]
        )
        assert "edmundo" not in state.actors

    def test_with_actors(self):
        """with_actors applies the same change to several actors in one new state."""
        state = base_state()
        new = state.with_actors(["maduro", "gonzalez"], location="Caracas")
        assert (["Caracas", "Caracas"], [None, None]) == (
            [new.actors[a].location for a in ("maduro", "gonzalez")],
            [state.actors[a].location for a in ("maduro", "gonzalez")],
        )

    def test_with_incidents(self):
        """with_incidents changes the crisis-wide counters only."""
        state = base_state()
        new = state.with_incidents(protests=2, deaths=Tally(1))
        assert ((2, 1), 0) == ((new.incidents.protests, new.incidents.deaths.total),
                               state.incidents.protests)

    def test_with_ledger_creates(self):
        """with_ledger starts an empty ledger for a new group."""
        state = base_state().with_ledger("detainees", lambda g: attrs.evolve(g, detained=Tally(3)))
        assert 3 == state.ledgers["detainees"].held

    def test_stance_and_recognitions(self):
        """stance() and recognitions() read actors' stances on an election."""
        stance = cm.Stance(cm.StanceKind.RECOGNISES, winner="gonzalez")
        state = base_state().with_actor("usa", stances={"ve": stance})
        assert stance == state.stance("usa", "ve")
        assert None is state.stance("spain", "ve")
        assert {"usa": stance} == state.recognitions("ve")

    def test_with_slice(self):
        """with_slice sets a user slice."""
        assert 1 == base_state().with_slice("x", 1).slices["x"]

    def test_jeopardy_any(self):
        """Jeopardy.any is true once there is any exposure."""
        assert (False, True) == (cm.Jeopardy().any, cm.Jeopardy(wanted=True).any)


class TestHonestTallies:
    """Tallies and ledgers say what the record supports once reports give ranges."""

    def test_range_report(self):
        """A range makes the total inexact and the count a range."""
        t = Tally().add(100).add(cm.Count.between(300, 650, best=400))
        assert (None, cm.Count(400, 500, 750), 400) == (t.total, t.count, t.known)

    def test_exact_counts_stay_exact(self):
        """Exact Counts behave as plain numbers did."""
        t = Tally().add(cm.Count.exact(3)).add(4)
        assert (7, None) == (t.total, t.bounds)

    def test_unknown_report_opens_the_count(self):
        """A report with no number leaves the count with no upper bound."""
        assert cm.Count.at_least(5) == Tally().add(5).add(None).count

    def test_held_range_is_at_most(self):
        """6,700 detained and 2,000 reported released: at most 4,700 still held."""
        ledger = Ledger(detained=Tally(6700), released=Tally(2000))
        assert (cm.Count.at_most(4700), "at most 4,700") == (
            ledger.held_range, str(ledger.held_range))

    def test_held_range_unknown(self):
        """With detentions open-ended, nothing bounds the people still held."""
        assert cm.Count.unknown() == Ledger(detained=Tally(5, 1)).held_range
