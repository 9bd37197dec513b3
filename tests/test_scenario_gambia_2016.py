"""Facts of the shipped Gambia 2016-17 scenario, asserted on the replayed state."""

from __future__ import annotations

import datetime as dt

import pytest

import crisis_model as cm
from crisis_model.events.office import claimants, office_claims
from crisis_model.events.recognition import current_recognitions, recognition_history

D = dt.date
R = cm.VacatedReason
ELECTION = "gm-2016-presidential"


@pytest.fixture(scope="module")
def events() -> list[cm.Event]:
    return list(cm.load_scenario("gambia-2016").events)


def at(events: list[cm.Event], day: dt.date) -> cm.CrisisState:
    return cm.state_at(events, day)


def positions(entries) -> list[tuple[str, str, str | None]]:
    return [(r.by, r.status.value, r.actor) for r in entries]


def test_loads_by_name_and_replays_strictly(events):
    """The scenario is listed, loads by its id, has 40+ events and replays strictly."""
    assert "gambia-2016" in cm.scenario_names()
    assert len(events) >= 40
    assert [] == cm.replay(events, strict=False)[1]


def test_barrow_declared_and_jammeh_concedes(events):
    """On 2 December the IEC declares Barrow the winner and Jammeh recognises him."""
    state = at(events, D(2016, 12, 3))
    assert "barrow" == state.elections[ELECTION].declarations["iec"].winner
    stance = state.stance("jammeh", ELECTION)
    assert (cm.StanceKind.RECOGNISES, "barrow") == (stance.kind, stance.winner)


def test_concession_retracted_history_kept(events):
    """On 9 December Jammeh withdraws his recognition; both positions stay on the record."""
    state = at(events, D(2016, 12, 10))
    stance = state.stance("jammeh", ELECTION)
    assert (cm.StanceKind.WITHDRAWN, "barrow", D(2016, 12, 9)) == (
        stance.kind, stance.winner, stance.since)
    mine = [r for r in recognition_history(state, election=ELECTION) if r.by == "jammeh"]
    assert [("jammeh", "recognises", "barrow"), ("jammeh", "withdraws", "barrow")] == (
        positions(mine))


def test_disputes(events):
    """Jammeh and his party dispute the result (the party before the Supreme Court)."""
    claims = at(events, D(2016, 12, 14)).elections[ELECTION].claims
    assert {"jammeh", "aprc"} == set(claims)


def test_darboe_freed_on_bail(events):
    """The jailed opposition leader is released on bail on 5 December."""
    before, after = at(events, D(2016, 12, 4)), at(events, D(2016, 12, 6))
    assert (cm.Whereabouts.DETAINED, cm.Whereabouts.AT_LARGE) == (
        before.actors["darboe"].whereabouts, after.actors["darboe"].whereabouts)


def test_ecowas_recognises_winner(events):
    """ECOWAS heads of state recognise Barrow's victory on 17 December."""
    state = at(events, D(2016, 12, 18))
    assert "barrow" == state.stance("ecowas", ELECTION).winner


def test_term_extended(events):
    """On 18 January the Assembly extends Jammeh's mandate: his old claim ends with its term
    and a new one, named by the Assembly, begins; the vice-president has resigned."""
    state = at(events, D(2017, 1, 18))
    old, new = office_claims(state, "president")
    assert (R.TERM_ENDED, True, ("national-assembly",)) == (old.end.reason, new.new_term, new.by)
    assert () == state.actors["njie-saidy"].offices


def test_two_presidents_on_19_january(events):
    """Sworn in at the embassy in Dakar, Barrow claims the presidency beside Jammeh, and the
    regional bodies, the Security Council and Senegal recognise him; the AU refuses Jammeh."""
    state = at(events, D(2017, 1, 19))
    assert ("jammeh", "barrow") == claimants(state, "president")
    assert cm.events.ClaimBasis.ELECTED == office_claims(state, "president")[-1].basis
    assert [("ecowas", "recognises", "barrow"), ("au", "recognises", "barrow"),
            ("au", "refuses", "jammeh"), ("unsc", "recognises", "barrow"),
            ("senegal", "recognises", "barrow")] == positions(
                current_recognitions(state, office="president"))


def test_sworn_in_abroad(events):
    """The oath's place is Senegal, outside the country whose presidency Barrow takes."""
    oath = next(e for e in events if e.event_tag == "office.assumed" and e.person == "barrow")
    assert ("SEN", "The Gambia's embassy, Dakar") == (oath.place.country, oath.place.name)
    assert cm.describe(oath).endswith("(place: The Gambia's embassy, Dakar (SEN))")


def test_jammeh_gives_up_and_leaves(events):
    """On 21 January Jammeh renounces his claim under ECOWAS pressure and flies out."""
    state = at(events, D(2017, 1, 22))
    assert ("barrow",) == claimants(state, "president")
    end = office_claims(state, "president")[1].end
    assert (R.RENOUNCED, ("ecowas",)) == (end.reason, end.pressured_by)
    flight = next(i for i, e in enumerate(events) if getattr(e, "to", None) == "GIN")
    then = cm.replay(events[:flight + 1])  # before the onward move, known only to the month
    assert (cm.Whereabouts.IN_EXILE, "GIN") == (
        then.actors["jammeh"].whereabouts, then.actors["jammeh"].location)


def test_exile_in_equatorial_guinea(events):
    """By the end of January Jammeh is in Equatorial Guinea."""
    assert "GNQ" == at(events, D(2017, 2, 1)).actors["jammeh"].location


def test_iec_revises_its_figures(events):
    """On 5 December the IEC revises its figures: Barrow still wins; both declarations kept."""
    election = at(events, D(2016, 12, 6)).elections[ELECTION]
    assert [(D(2016, 12, 2), "barrow", 45.54), (D(2016, 12, 5), "barrow", 43.29)] == [
        (d.on, d.winner, d.shares["barrow"]) for d in election.declaration_history]
    assert 39.64 == election.declarations["iec"].shares["jammeh"]


def test_concession_then_retraction(events):
    """Jammeh concedes to Barrow on 2 December and retracts it on 9 December."""
    def concession(day: dt.date) -> tuple[str | None, bool]:
        c = at(events, day).elections[ELECTION].concessions["jammeh"]
        return c.to, c.retracted
    assert [("barrow", False), ("barrow", True)] == [
        concession(D(2016, 12, 3)), concession(D(2016, 12, 10))]


def test_state_of_emergency(events):
    """Jammeh declares a state of emergency on 17 January 2017."""
    emergencies = at(events, D(2017, 1, 18)).slices["emergencies"]
    actual = {k: (e.kind.value, e.by, e.declared_on, e.lifted_on) for k, e in emergencies.items()}
    expected = ("state_of_emergency", ("jammeh",), D(2017, 1, 17), None)
    assert {"gm-emergency-2017": expected} == actual


def test_ecowas_threat_then_deployment(events):
    """ECOWAS threatens force in December; ECOMIG troops deploy on 19 January."""
    def stage(day: dt.date) -> str:
        return at(events, day).slices["operations"]["ecomig"].stage.value
    assert ("threatened", "deployed") == (stage(D(2016, 12, 18)), stage(D(2017, 1, 20)))


def test_flight_to_senegal(events):
    """About 45,000 people had fled to Senegal in January 2017 (none reported in December)."""
    def flows(day: dt.date) -> dict[str, str]:
        return {k: str(f.total) for k, f in at(events, day).slices["displacement"].items()}
    assert ({}, {"cross_border:GMB>SEN": "about 45,000"}) == (
        flows(D(2016, 12, 31)), flows(D(2017, 2, 1)))


def test_barrow_returns_home(events):
    """Barrow flies home from Dakar to Banjul on 26 January 2017."""
    barrow = at(events, D(2017, 1, 27)).actors["barrow"]
    last = barrow.movements[-1]
    assert ("returned", "SEN", "Banjul", "GMB") == (
        last.kind.value, last.origin, last.place.name, last.place.country)


def test_supreme_court_cannot_sit(events):
    """The Supreme Court sits until 10 January 2017, when it cannot hear the APRC's petition
    for want of judges (no quorum); it is still unable to sit when Jammeh's term ends."""
    from crisis_model.events.institutions import institutions

    def court(day: dt.date) -> tuple[str, str | None, dt.date | None]:
        rec = institutions(at(events, day)).get("gm-supreme-court")
        if rec is None:
            return ("sitting", None, None)
        return (rec.status.value, rec.history[-1].cause.value, rec.since)

    assert [("sitting", None, None), ("suspended", "no_quorum", D(2017, 1, 10)),
            ("suspended", "no_quorum", D(2017, 1, 10))] == [
        court(D(2017, 1, 9)), court(D(2017, 1, 10)), court(D(2017, 1, 19))]


def test_chief_justice_puts_the_petition_off(events):
    """On 16 January 2017 the court says the petition against the result waits for its next
    regular session (May or November)."""
    from crisis_model.events.statements import statements_about

    said = [(s.speakers, s.kind.value, s.on) for s in statements_about(
        at(events, D(2017, 1, 16)), "jammeh")]
    assert [(("gm-supreme-court",), "announcement", D(2017, 1, 16))] == said


def test_ecowas_mediation(events):
    """ECOWAS mediates from 13 December 2016; its second round (13 January) fails; the
    presidents of Guinea and Mauritania make the last round (20 January), and the
    mediation ends in Jammeh agreeing to go on 21 January."""
    from crisis_model.events.agreements import agreements

    def mediation(day):
        return agreements(at(events, day)).mediations["ecowas-gambia"]

    first = mediation(D(2016, 12, 14))
    assert (("ecowas",), ("jammeh", "barrow"), None, ()) == (
        first.mediators, first.parties, first.outcome, first.rounds)
    last = mediation(D(2017, 1, 22))
    assert ([(D(2017, 1, 13), ("ecowas",)), (D(2017, 1, 20), ("guinea", "mauritania"))],
            "agreement", D(2017, 1, 21)) == (
        [(r.on, r.by) for r in last.rounds], last.outcome.value, last.ended_on)
