"""Facts of the shipped scenario kenya-2007, asserted on the replayed state."""

from __future__ import annotations

import datetime as dt

import pytest

import crisis_model as cm
from crisis_model.events.agreements import AgreementStatus, agreements

D = dt.date
PRES, PARL = "ke-2007-presidential", "ke-2007-parliament"


@pytest.fixture(scope="module")
def scenario() -> cm.Scenario:
    return cm.load_scenario("kenya-2007")


def at(scenario, day):
    return scenario.state_at(day)


def test_loads_by_name_and_replays_strictly(scenario):
    """The file ships with the package, is listed, and replays strictly."""
    assert "kenya-2007" in cm.scenario_names()
    assert (True, "kenya-2007") == (40 <= len(scenario.events), scenario.id)
    scenario.replay()  # strict: raises on any rule violation


def test_scheduled_and_held(scenario):
    """The general election was set for, and held on, 27 December 2007."""
    e = at(scenario, D(2007, 12, 28)).elections[PRES]
    assert (D(2007, 12, 27), D(2007, 12, 27), ("kibaki", "odinga", "musyoka")) == (
        e.scheduled_for, e.held_on, e.candidates)


def test_rigging_alleged_before_declaration(scenario):
    """ODM alleges rigging on 29 December, before the commission declares any result."""
    e = at(scenario, D(2007, 12, 29)).elections[PRES]
    assert ({}, [("odm", "pnu")]) == (
        dict(e.declarations), [(a.by, a.against) for a in e.allegations])


def test_eck_declares_kibaki(scenario):
    """The ECK declares Kibaki re-elected on 30 December, with 46.42% to Odinga's 44.07%."""
    d = at(scenario, D(2007, 12, 30)).elections[PRES].declarations["eck"]
    assert ("kibaki", 46.42, 44.07) == (d.winner, d.shares["kibaki"], d.shares["odinga"])


def test_odinga_disputes(scenario):
    """Odinga disputes the declared result and claims he won."""
    claim = at(scenario, D(2007, 12, 30)).elections[PRES].claims["odinga"]
    assert "odinga" == claim.claimed_winner


def test_odm_largest_party(scenario):
    """ODM wins the most seats in parliament: 99 to the PNU's 43."""
    d = at(scenario, D(2008, 1, 1)).elections[PARL].declarations["eck"]
    assert ("odm", 99, 43) == (d.winner, d.seats["odm"], d.seats["pnu"])


def test_us_congratulates_then_withholds(scenario):
    """The United States first recognises Kibaki, then withholds recognition pending an
    investigation."""
    assert cm.StanceKind.RECOGNISES == at(scenario, D(2007, 12, 30)).stance("usa", PRES).kind
    later = at(scenario, D(2008, 1, 5)).stance("usa", PRES)
    assert cm.StanceKind.WITHHOLDS == later.kind


def test_eu_observers(scenario):
    """EU observers find that the elections fell short of standards."""
    a = at(scenario, D(2008, 2, 1)).elections[PRES].assessments["eu-eom"]
    assert cm.Verdict.FELL_SHORT == a.verdict


def test_commission_chairman_doubts(scenario):
    """The commission's own chairman later says he does not know who won."""
    claim = at(scenario, D(2008, 2, 1)).elections[PRES].claims["kivuitu"]
    assert (None, "eck") == (claim.claimed_winner,
                             at(scenario, D(2008, 2, 1)).actors["kivuitu"].affiliation)


def test_grand_coalition(scenario):
    """On 17 April 2008 Odinga is sworn in as prime minister, with two deputies, while Kibaki
    remains president."""
    state = at(scenario, D(2008, 4, 18))
    assert (("prime-minister-ken",), ("president-ken",), ("deputy-prime-minister-ken",)) == (
        state.actors["odinga"].offices, state.actors["kibaki"].offices,
        state.actors["uhuru"].offices)


def test_kriegler_no_winner(scenario):
    """The Kriegler commission concludes that no one can say who won, upholding no one."""
    audit = at(scenario, D(2008, 10, 1)).elections[PRES].audits["kriegler-commission"]
    assert (cm.state.AuditStatus.CONCLUDED, None) == (audit.status, audit.upholds)


def test_kibaki_sworn_in_for_a_new_term(scenario):
    """Kibaki is sworn in for a second term on the evening of the declaration."""
    record = at(scenario, D(2007, 12, 31)).slices["offices"]["president-ken"]
    current = record.claims[-1]
    assert ("kibaki", True, D(2007, 12, 30), None) == (
        current.holder, current.new_term, current.since, current.end)


def test_kiambaa_church_burning(scenario):
    """The church burned at Kiambaa on 1 January 2008 is recorded with at least 17 dead."""
    tolls = at(scenario, D(2008, 1, 2)).slices["tolls"]
    assert [(D(2008, 1, 1), "at least 17")] == [(t.since, str(t.deaths)) for t in tolls]


def test_kiambaa_attackers_were_civilians(scenario):
    """The Kiambaa attack is recorded as one by armed civilians, named by no actor."""
    from crisis_model.events.violence import violence
    attacks = violence(at(scenario, D(2008, 1, 2))).attacks
    assert [(D(2008, 1, 1), "a crowd of armed youths", (), "at least 17")] == [
        (a.on, a.attackers, a.by, str(a.deaths)) for a in attacks]


def test_waki_commission_toll(scenario):
    """The Waki Commission's October 2008 report counts 1,133 killed, 27 Dec 2007 to 28 Feb 2008."""
    def commission(day):
        return [(t.since, t.until, t.deaths) for t in at(scenario, day).slices["tolls"]
                if t.by == ("cipev",)]
    assert ([], [(D(2007, 12, 27), D(2008, 2, 28), cm.Count.exact(1133))]) == (
        commission(D(2008, 9, 30)), commission(D(2008, 11, 1)))


def test_internally_displaced(scenario):
    """About 350,000 internally displaced per the commission; other estimates up to 660,000."""
    def flows(day):
        return {k: f.total for k, f in at(scenario, day).slices["displacement"].items()}
    assert ({}, {"internal:KEN": cm.Count.between(350_000, 660_000, best=350_000)}) == (
        flows(D(2008, 9, 30)), flows(D(2008, 11, 1)))


def _accords(scenario, day):
    return agreements(at(scenario, day))


def test_annan_panel_mediates(scenario):
    """From 22 January 2008 the AU panel led by Annan mediates between the PNU and ODM in
    Nairobi; there is no mediation the day before."""
    before, after = _accords(scenario, D(2008, 1, 21)), _accords(scenario, D(2008, 1, 22))
    m = after.mediations["kenya-national-dialogue"]
    assert ({}, ("annan", "machel", "mkapa"), ("pnu", "odm"), "Nairobi", True) == (
        dict(before.mediations), m.mediators, m.parties, m.place.name if m.place else None,
        m.ongoing)


def test_first_meeting_and_formal_talks(scenario):
    """Annan brings Kibaki and Odinga together on 24 January 2008; the formal talks between
    the two sides open on 29 January."""
    m = _accords(scenario, D(2008, 2, 1)).mediations["kenya-national-dialogue"]
    assert [(D(2008, 1, 24), ("annan",), ("kibaki", "odinga")),
            (D(2008, 1, 29), ("annan",), ("pnu", "odm"))] == [
        (h.on, h.by, h.met) for h in m.rounds]


def test_national_accord_signed(scenario):
    """On 28 February 2008 Kibaki and Odinga sign the National Accord under the panel's
    mediation, Annan witnessing."""
    a = _accords(scenario, D(2008, 2, 28)).agreements["national-accord"]
    assert (("kibaki", "odinga"), ("annan", "machel", "mkapa"), ("annan",),
            AgreementStatus.SIGNED, "kenya-national-dialogue") == (
        a.parties, a.mediated_by, a.witnesses, a.status, a.mediation)
    assert {} == dict(_accords(scenario, D(2008, 2, 27)).agreements)


def test_national_accord_enacted_and_implemented(scenario):
    """Parliament enacts the accord in March 2008; the grand coalition cabinet sworn in on
    17 April carries it out."""
    def state(day):
        a = _accords(scenario, day).agreements["national-accord"]
        return a.status, a.ratified_by
    assert ((AgreementStatus.RATIFIED, ("parliament",)),
            (AgreementStatus.IMPLEMENTED, ("parliament",))) == (
        state(D(2008, 3, 31)), state(D(2008, 4, 17)))
