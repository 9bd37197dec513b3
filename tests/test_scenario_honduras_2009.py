"""Facts of the shipped Honduras 2009 scenario, asserted on the replayed state."""

from __future__ import annotations

import datetime as dt

import pytest

import crisis_model as cm
from crisis_model.events.agreements import AgreementStatus, MediationOutcome, agreements
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
    """Zelaya is seized by the military on 28 June and expelled from its custody the same day."""
    history = at(events, D(2009, 6, 28)).actors["zelaya"].custody_history
    assert [("detained", "armed-forces"), ("expelled", "armed-forces")] == [
        (c.status.value, c.custodian) for c in history]


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


def test_zelaya_expelled_to_costa_rica(events):
    """On the day of the coup the army flies Zelaya out of custody into exile in Costa Rica."""
    zelaya = at(events, D(2009, 6, 29)).actors["zelaya"]
    assert (cm.Whereabouts.IN_EXILE, "CRI", None) == (zelaya.whereabouts, zelaya.location,
                                                      zelaya.custody)


def test_oas_suspends_then_readmits_honduras(events):
    """The OAS suspends Honduras on 4 July 2009 and readmits it on 1 June 2011."""
    def status(day: dt.date) -> str:
        return at(events, day).slices["memberships"]["oas"]["honduras"].status.value
    assert ("suspended", "readmitted") == (status(D(2009, 7, 10)), status(D(2011, 6, 2)))


def test_us_sanctions_in_force_in_september(events):
    """By the end of September 2009 the US has cut aid to Honduras and revoked Micheletti's visa."""
    sanctions = at(events, D(2009, 9, 30)).slices["sanctions"]
    actual = {k: ([x.value for x in s.in_force], s.targets) for k, s in sanctions.items()}
    assert {"us-aid-2009": (["aid_suspension"], ("honduras",)),
            "us-visas-2009": (["travel_ban"], ("micheletti",))} == actual


def test_emergency_decree_revoked_in_october(events):
    """The 27 September decree is in force at the end of September, revoked by November."""
    def lifted(day: dt.date) -> dt.date | None:
        return at(events, day).slices["emergencies"]["decree-pcm-m-016-2009"].lifted_on
    assert (None, D(2009, 10, 1)) == (lifted(D(2009, 9, 30)), lifted(D(2009, 11, 1)))


def test_zelaya_in_brazils_embassy_then_dominican_republic(events):
    """Zelaya shelters in Brazil's embassy from 21 September, then the Dominican Republic."""
    def where(day: dt.date) -> tuple[cm.Whereabouts, str | None]:
        zelaya = at(events, day).actors["zelaya"]
        return zelaya.whereabouts, zelaya.location
    assert [(cm.Whereabouts.IN_EMBASSY, "Tegucigalpa"), (cm.Whereabouts.IN_EXILE, "DOM")] == [
        where(D(2009, 9, 22)), where(D(2010, 1, 28))]


def test_amnesty_enacted_january_2010(events):
    """The January 2010 amnesty is certain only once January has ended."""
    def laws(day: dt.date) -> list[str]:
        return [a.law for a in at(events, day).slices["courts"].amnesty_laws]
    assert ([], ["amnesty decree for political offences of the crisis"]) == (
        laws(D(2010, 1, 20)), laws(D(2010, 2, 1)))


def test_charges_dropped_and_zelaya_home(events):
    """By 29 May 2011 the charges and warrant are gone and Zelaya is home, no longer in exile."""
    zelaya = at(events, D(2011, 5, 29)).actors["zelaya"]
    assert (cm.Whereabouts.AT_LARGE, False, ()) == (
        zelaya.whereabouts, zelaya.jeopardy.wanted, zelaya.jeopardy.charged)


def _accords(events, day):
    return agreements(at(events, day))


def test_arias_mediates_in_san_jose(events):
    """From 9 July 2009 Arias mediates between Zelaya and Micheletti in San José; the talks
    stall in July."""
    m = _accords(events, D(2009, 7, 9)).mediations["san-jose-talks"]
    assert (("arias",), ("zelaya", "micheletti"), "CRI", True) == (
        m.mediators, m.parties, m.place.country if m.place else None, m.ongoing)
    later = _accords(events, D(2009, 8, 1)).mediations["san-jose-talks"]
    assert (False, MediationOutcome.SUSPENDED, [D(2009, 7, 18)]) == (
        later.ongoing, later.outcome, [h.on for h in later.rounds])


def test_tegucigalpa_san_jose_accord(events):
    """On 30 October 2009 the two sides sign the Tegucigalpa/San José accord, brokered by the
    OAS and the United States."""
    a = _accords(events, D(2009, 10, 30)).agreements["tegucigalpa-san-jose-accord"]
    m = _accords(events, D(2009, 10, 30)).mediations["guaymuras-dialogue"]
    assert (("zelaya", "micheletti"), ("oas", "usa"), AgreementStatus.SIGNED,
            MediationOutcome.AGREEMENT) == (a.parties, a.mediated_by, a.status, m.outcome)


def test_accord_collapses_in_november(events):
    """Zelaya declares the accord dead in November 2009."""
    a = _accords(events, D(2009, 12, 1)).agreements["tegucigalpa-san-jose-accord"]
    assert (AgreementStatus.COLLAPSED, ("zelaya",)) == (a.status, a.history[-1].by)


def test_cartagena_accord(events):
    """The Cartagena accord of 22 May 2011 between Lobo and Zelaya, brokered by Santos and
    Chávez, is carried out by Zelaya's return and the OAS readmitting Honduras."""
    def accord(day):
        return _accords(events, day).agreements.get("cartagena-accord")
    signed = accord(D(2011, 5, 22))
    done = accord(D(2011, 6, 1))
    assert (None, ("lobo", "zelaya"), ("jm-santos", "chavez"), AgreementStatus.SIGNED,
            AgreementStatus.IMPLEMENTED,
            ["Zelaya returns to Honduras", "the OAS lifts the suspension of Honduras"]) == (
        accord(D(2011, 5, 21)), signed.parties, signed.mediated_by, signed.status,
        done.status, [h.detail for h in done.history[1:]])
