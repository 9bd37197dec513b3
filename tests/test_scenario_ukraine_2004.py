"""Facts of the shipped scenario ukraine-2004, asserted on the replayed state."""

from __future__ import annotations

import datetime as dt

import pytest

import crisis_model as cm
from crisis_model.state import CountKind

D = dt.date
R1, R2, RERUN = "ua-2004-r1", "ua-2004-r2", "ua-2004-rerun"


@pytest.fixture(scope="module")
def scenario() -> cm.Scenario:
    return cm.load_scenario("ukraine-2004")


def at(scenario, day):
    return scenario.state_at(day)


def test_loads_by_name_and_replays_strictly(scenario):
    """The file ships with the package, is listed, and replays strictly."""
    assert "ukraine-2004" in cm.scenario_names()
    assert (40 <= len(scenario.events), "ukraine-2004") == (True, scenario.id)
    scenario.replay()  # strict: raises on any rule violation


def test_first_round_without_a_winner(scenario):
    """The first round's final count gives Yushchenko 39.9% to Yanukovych's 39.26%, and no
    authority declares a winner: a runoff follows."""
    r1 = at(scenario, D(2004, 11, 15)).elections[R1]
    count = r1.counts["cec"]
    assert (CountKind.FINAL, 39.9, 39.26, {}) == (
        count.kind, count.shares["yushchenko"], count.shares["yanukovych"], dict(r1.declarations))


def test_runoff_linked_to_first_round(scenario):
    """The runoff of 21 November is linked to the first round, between its two leaders."""
    r2 = at(scenario, D(2004, 11, 21)).elections[R2]
    assert (R1, D(2004, 11, 21), ("yushchenko", "yanukovych")) == (
        r2.runoff_of, r2.held_on, r2.candidates)


def test_dispute_before_declaration(scenario):
    """On 22 November Yushchenko alleges fraud and claims victory before any declaration."""
    r2 = at(scenario, D(2004, 11, 23)).elections[R2]
    assert ({}, "yushchenko", ["yushchenko"]) == (
        dict(r2.declarations), r2.claims["yushchenko"].claimed_winner,
        [a.by for a in r2.allegations])


def test_cec_declares_yanukovych(scenario):
    """The CEC declares Yanukovych the winner on 24 November, 49.46% to 46.61%."""
    d = at(scenario, D(2004, 11, 24)).elections[R2].declarations["cec"]
    assert ("yanukovych", {"yanukovych": 49.46, "yushchenko": 46.61}) == (
        d.winner, dict(d.shares))


def test_observers_find_runoff_fell_short(scenario):
    """The OSCE/ODIHR mission finds the runoff short of standards."""
    a = at(scenario, D(2004, 11, 24)).elections[R2].assessments["odihr"]
    assert cm.Verdict.FELL_SHORT == a.verdict


def test_russia_and_the_west_split(scenario):
    """Russia recognises Yanukovych; the United States rejects the declared result."""
    state = at(scenario, D(2004, 11, 25))
    assert (cm.StanceKind.RECOGNISES, "yanukovych", cm.StanceKind.REJECTS) == (
        state.stance("russia", R2).kind, state.stance("russia", R2).winner,
        state.stance("usa", R2).kind)


def test_supreme_court_annuls_the_runoff(scenario):
    """On 3 December the Supreme Court annuls the runoff as a whole and a re-run is called;
    the CEC's declaration stays on record."""
    state = at(scenario, D(2004, 12, 4))
    r2 = state.elections[R2]
    [annulment] = r2.annulments
    assert (True, "supreme-court", (), "yanukovych") == (
        r2.annulled, annulment.by, annulment.districts, r2.declarations["cec"].winner)
    assert (R1, R2, D(2004, 12, 26)) == (
        state.elections[RERUN].runoff_of, state.elections[RERUN].rerun_of,
        state.elections[RERUN].scheduled_for)


def test_rerun_declared_for_yushchenko(scenario):
    """The CEC declares Yushchenko the winner of the re-run on 10 January 2005."""
    d = at(scenario, D(2005, 1, 10)).elections[RERUN].declarations["cec"]
    assert ("yushchenko", 51.99, 44.2) == (
        d.winner, d.shares["yushchenko"], d.shares["yanukovych"])


def test_appeals_rejected(scenario):
    """Yanukovych's appeals end with the court upholding Yushchenko."""
    audit = at(scenario, D(2005, 1, 21)).elections[RERUN].audits["yanukovych-appeals"]
    assert (cm.state.AuditStatus.CONCLUDED, "yushchenko") == (audit.status, audit.upholds)


def test_offices_change_hands(scenario):
    """Yanukovych resigns as prime minister on 31 December; Yushchenko succeeds Kuchma on
    23 January 2005; Tymoshenko becomes prime minister in February."""
    before = at(scenario, D(2004, 12, 30))
    after = at(scenario, D(2005, 2, 5))
    assert (("prime-minister-ukr",), (), ("president-ukr",), ("prime-minister-ukr",)) == (
        before.actors["yanukovych"].offices, after.actors["yanukovych"].offices,
        after.actors["yushchenko"].offices, after.actors["tymoshenko"].offices)
    assert () == after.actors["kuchma"].offices


def test_symbolic_oath_claims_nothing(scenario):
    """Yushchenko's symbolic oath in the Rada on 23 November 2004 is recorded but makes no
    claim: Kuchma alone claims the presidency until 23 January 2005, when Yushchenko's real
    inauguration is admitted; the oath stays in the record."""
    from crisis_model.events.office import claimants, symbolic_oaths

    nov24, jan23 = at(scenario, D(2004, 11, 24)), at(scenario, D(2005, 1, 23))
    oaths = [(o, oath.on, oath.place.name) for o, oath in symbolic_oaths(
        jan23, person="yushchenko")]
    assert ((("kuchma",), ()), (("yushchenko",), ("president-ukr",)),
            [("president-ukr", D(2004, 11, 23), "Verkhovna Rada, Kyiv")]) == (
        (claimants(nov24, "president-ukr"), nov24.actors["yushchenko"].offices),
        (claimants(jan23, "president-ukr"), jan23.actors["yushchenko"].offices), oaths)


def test_poisoning_known_only_in_december(scenario):
    """Yushchenko was poisoned in September 2004 and survived; that it was poison was
    recorded only when his doctors said so, on 11 December."""
    from crisis_model.events.violence import violence
    attacks = violence(scenario.state_at(D(2004, 10, 1))).on_persons["yushchenko"]
    assert [(D(2004, 9, 1), "poisoned", "survived")] == [
        (a.on, a.means.value, a.outcome.value) for a in attacks]
    def known_on(day):
        state = scenario.state_at(D(2004, 12, 31), known_on=day)
        return "yushchenko" in violence(state).on_persons
    assert (False, True) == (known_on(D(2004, 12, 1)), known_on(D(2004, 12, 11)))


def test_no_confidence_vote(scenario):
    """On 1 December 2004 the Rada passes no confidence in Yanukovych's government with 229
    votes; he stays prime minister (Kuchma did not dismiss him) until he resigns."""
    from crisis_model.events.institutions import institutions

    state = at(scenario, D(2004, 12, 2))
    (entry,) = institutions(state)["rada"].votes
    vote = entry.vote
    assert ("no_confidence", True, 229, "cabinet-ukr", D(2004, 12, 1), ("prime-minister-ukr",)) == (
        vote.motion.value, vote.passed, vote.votes_for.value, vote.target, entry.on,
        state.actors["yanukovych"].offices)


def test_reform_package_of_8_december(scenario):
    """On 8 December 2004 the Rada passes the electoral-law amendments and the constitutional
    reform in one package, 402 to 21 with 19 abstentions."""
    from crisis_model.events.institutions import institutions

    votes = [(e.on, e.vote.motion.value, e.vote.passed, e.vote.votes_for.value,
              e.vote.votes_against.value, e.vote.abstentions.value)
             for e in institutions(at(scenario, D(2004, 12, 8)))["rada"].votes[1:]]
    assert [(D(2004, 12, 8), "law", True, 402, 21, 19),
            (D(2004, 12, 8), "constitutional_amendment", True, 402, 21, 19)] == votes
