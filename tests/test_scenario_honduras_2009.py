"""Facts of the shipped Honduras 2009 scenario, asserted on the replayed state."""

from __future__ import annotations

import datetime as dt

import pytest

import crisis_model as cm
from crisis_model.events.office import claimants, office_claims
from crisis_model.events.recognition import current_recognitions, recognition_history

D = dt.date
R = cm.VacatedReason


@pytest.fixture(scope="module")
def events() -> list[cm.Event]:
    return list(cm.load_scenario("honduras-2009").events)


def at(events: list[cm.Event], day: dt.date) -> cm.CrisisState:
    return cm.state_at(events, day)


def positions(entries) -> list[tuple[str, str, str | None]]:
    return [(r.by, r.status.value, r.actor) for r in entries]


def test_loads_by_name_and_replays_strictly(events):
    """The scenario is listed, loads by its id, has 40+ events and replays strictly."""
    assert "honduras-2009" in cm.scenario_names()
    assert len(events) >= 40
    assert [] == cm.replay(events, strict=False)[1]


def test_rival_presidents_after_the_coup(events):
    """On 29 June 2009 two men claim the presidency: Zelaya, removed but contesting it, and
    Micheletti, sworn in by Congress by succession."""
    state = at(events, D(2009, 6, 29))
    assert ("zelaya", "micheletti") == claimants(state, "president")
    zelaya, micheletti = office_claims(state, "president")
    removal = zelaya.contested[0]
    assert (R.REMOVED, ("congress",), ("armed-forces",), None) == (
        removal.reason, removal.by, removal.pressured_by, zelaya.end)
    assert (cm.events.ClaimBasis.SUCCESSION, ("congress",), D(2009, 6, 28)) == (
        micheletti.basis, micheletti.by, micheletti.since)


def test_micheletti_leaves_congress_chair(events):
    """Micheletti gives up the presidency of Congress the day he claims the country's."""
    state = at(events, D(2009, 6, 29))
    assert ("president",) == state.actors["micheletti"].offices


def test_zelaya_detained_on_the_day(events):
    """Zelaya is seized by the military on 28 June."""
    assert cm.Whereabouts.DETAINED == at(events, D(2009, 6, 28)).actors["zelaya"].whereabouts


def test_who_recognises_whom_in_july(events):
    """By early July the OAS, the US, the UN General Assembly and the EU recognise Zelaya;
    the OAS, the General Assembly, Brazil and Venezuela refuse Micheletti."""
    state = at(events, D(2009, 7, 2))
    assert [
        ("oas", "recognises", "zelaya"), ("oas", "refuses", "micheletti"),
        ("usa", "recognises", "zelaya"), ("venezuela", "refuses", "micheletti"),
        ("brazil", "refuses", "micheletti"), ("unga", "recognises", "zelaya"),
        ("unga", "refuses", "micheletti"), ("eu", "recognises", "zelaya"),
    ] == positions(current_recognitions(state, office="president"))
    history = recognition_history(state, office="president")
    assert ("oas", "recognises", "zelaya", ("oas-cp-2009-06-28",)) == (
        history[0].by, history[0].status.value, history[0].actor, history[0].sources)


def test_airport_death(events):
    """One protester is killed at Toncontín on 5 July."""
    assert 1 == at(events, D(2009, 7, 6)).incidents.deaths.known


def test_arias_plan_rejected(events):
    """The Arias plan, with its amnesty, is rejected by the de facto government."""
    offer = at(events, D(2009, 8, 1)).offers["san-jose-plan"]
    assert (cm.OfferStatus.REJECTED, "micheletti") == (offer.status, offer.resolved_by)


def test_election_and_its_recognition(events):
    """The TSE declares Lobo the winner; the US recognises the result, Brazil rejects it."""
    state = at(events, D(2010, 1, 1))
    election = state.elections["hn-2009-general"]
    assert "lobo" == election.declarations["tse"].winner
    assert (cm.StanceKind.RECOGNISES, "lobo") == (
        state.stance("usa", "hn-2009-general").kind, state.stance("usa", "hn-2009-general").winner)
    assert cm.StanceKind.REJECTS == state.stance("brazil", "hn-2009-general").kind


def test_congress_refuses_restoration(events):
    """On 2 December Congress votes not to restore Zelaya."""
    state = at(events, D(2009, 12, 3))
    congress = [r for r in current_recognitions(state, office="president") if r.by == "congress"]
    assert [("congress", "refuses", "zelaya")] == positions(congress)


def test_lobo_sworn_in(events):
    """On 27 January 2010 both rival claims end with the term, and Lobo alone holds office."""
    state = at(events, D(2010, 1, 28))
    assert ("lobo",) == claimants(state, "president")
    ended = {c.holder: c.end.reason for c in office_claims(state, "president") if c.end}
    assert {"zelaya": R.TERM_ENDED, "micheletti": R.TERM_ENDED} == ended


def test_oas_readmits_under_lobo(events):
    """From 1 June 2011 the OAS recognises Lobo (superseding its recognition of Zelaya; its
    refusal of Micheletti stays on the record)."""
    state = at(events, D(2011, 6, 2))
    oas = [r for r in current_recognitions(state, office="president") if r.by == "oas"]
    assert [("oas", "refuses", "micheletti"), ("oas", "recognises", "lobo")] == positions(oas)
