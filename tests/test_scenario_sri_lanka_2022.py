"""Facts of the shipped scenario sri-lanka-2022, asserted on the replayed state."""

from __future__ import annotations

import subprocess
import sys

import pytest

import crisis_model as cm
from crisis_model.events.courts import court_record
from crisis_model.events.economy import AidStage, economy
from crisis_model.events.emergency import EmergencyKind as EK
from crisis_model.events.emergency import emergencies

from .builders import D

W = cm.Whereabouts


@pytest.fixture(scope="module")
def scenario():
    """The shipped Sri Lanka 2022 scenario, loaded by its id."""
    return cm.load_scenario("sri-lanka-2022")


def at(scenario, day):
    """The state as of ``day``."""
    return scenario.state_at(day)


class TestLoads:
    def test_listed_and_strict(self, scenario):
        """It is listed, has 40 or more events, each citing a source, and replays strictly."""
        assert "sri-lanka-2022" in cm.scenario_names()
        assert len(scenario.events) >= 40
        assert all(e.sources for e in scenario.events)
        assert 22 == len(scenario.replay().actors)

    def test_validates_from_the_cli(self):
        """``crisis-model validate sri-lanka-2022`` finds no problem."""
        run = subprocess.run([sys.executable, "-m", "crisis_model", "validate", "sri-lanka-2022"],
                             capture_output=True, text=True)
        assert (0, "0 problems: ok") == (run.returncode, run.stdout.strip()[-14:])


class TestFacts:
    def test_mirihana_arrests(self, scenario):
        """After the Mirihana protest of 31 March, police had arrested 54."""
        ledger = at(scenario, D(2022, 4, 1)).ledgers["aragalaya"]
        assert cm.Count.exact(54) == ledger.detained.count

    def test_prime_minister_resigns(self, scenario):
        """Mahinda Rajapaksa held the premiership until 9 May, when he resigned under the
        protesters' pressure."""
        from crisis_model.events.office import office_claims

        assert ("prime-minister-lka",) == at(scenario, D(2022, 5, 8)).actors["mahinda"].offices
        state = at(scenario, D(2022, 5, 9))
        [claim] = [c for c in office_claims(state, "prime-minister-lka") if c.holder == "mahinda"]
        assert ((), "resigned", ("aragalaya",)) == (
            state.actors["mahinda"].offices, claim.end.reason.value, claim.end.pressured_by)

    def test_mp_dies(self, scenario):
        """MP Amarakeerthi Athukorala died in Nittambuwa on 9 May."""
        death = at(scenario, D(2022, 5, 10)).actors["athukorala"].death
        assert (D(2022, 5, 9), "Nittambuwa") == (death.on, death.place.name)

    def test_wickremesinghe_prime_minister(self, scenario):
        """Ranil Wickremesinghe was prime minister from 12 May."""
        assert ("prime-minister-lka",) == at(scenario, D(2022, 5, 12)).actors["ranil"].offices

    def test_flight_to_the_maldives_then_singapore(self, scenario):
        """The president left for the Maldives on 13 July still in office, then Singapore."""
        g = at(scenario, D(2022, 7, 13)).actors["gotabaya"]
        assert (W.IN_EXILE, "MDV", ("president-lka",)) == (g.whereabouts, g.location, g.offices)
        g = at(scenario, D(2022, 7, 14)).actors["gotabaya"]
        assert ("SGP", ()) == (g.location, g.offices)
        assert ["LKA", "MDV"] == [
            m.origin.split("(")[-1].rstrip(")") for m in g.movements]

    def test_acting_president(self, scenario):
        """Wickremesinghe acted as president while remaining prime minister, 13-20 July;
        on 13 July two claims to the presidency stood (the president's, and his)."""
        from crisis_model.events.office import ClaimBasis, claimants, office_claims

        assert ("prime-minister-lka", "president-lka") == (
            at(scenario, D(2022, 7, 15)).actors["ranil"].offices)
        state = at(scenario, D(2022, 7, 13))
        assert ("gotabaya", "ranil") == claimants(state, "president-lka")
        assert [("ranil", ClaimBasis.ACTING, ("gotabaya",))] == [
            (c.holder, c.basis, c.by) for c in office_claims(state, "president-lka")]

    def test_elected_by_parliament(self, scenario):
        """Parliament elected Wickremesinghe on 20 July (134 of 219 valid votes)."""
        election = at(scenario, D(2022, 7, 20)).elections["lka-president-by-parliament-2022"]
        declaration = election.declarations["parliament"]
        assert ("ranil", ("ranil", "dullas", "anura")) == (
            declaration.winner, election.candidates)
        assert declaration.shares["ranil"] > declaration.shares["dullas"]

    def test_president_and_new_prime_minister(self, scenario):
        """Sworn in on 21 July; Dinesh Gunawardena prime minister from 22 July."""
        state = at(scenario, D(2022, 7, 22))
        assert (("president-lka",), ("prime-minister-lka",)) == (
            state.actors["ranil"].offices, state.actors["dinesh"].offices)

    def test_camp_raid_jointly(self, scenario):
        """The 22 July raid: nine arrested by troops and police together."""
        raid = [e for e in scenario.events
                if e.event_tag == "justice.detained" and e.occurred_on == D(2022, 7, 22)]
        assert [(cm.Count.exact(9), ("armed-forces", "police"))] == [
            (e.count, e.by) for e in raid]

    def test_leaders_held_under_terrorism_law(self, scenario):
        """The three protest leaders arrested on 18 August are still held on 1 October."""
        state = at(scenario, D(2022, 10, 1))
        held = {p: state.actors[p].custody for p in ("mudalige", "siridhamma", "gunathilake")}
        assert {("police", "aragalaya")} == {(c.custodian, c.group) for c in held.values()}
        assert all(state.actors[p].jeopardy.charged for p in held)

    def test_bail_for_sixteen(self, scenario):
        """Sixteen of the 18 August arrests were bailed the next day."""
        ledger = at(scenario, D(2022, 8, 19)).ledgers["aragalaya"]
        assert (cm.Count.exact(54 + 9 + 19), cm.Count.exact(16)) == (
            ledger.detained.count, ledger.conditionally_released.count)

    def test_return_home(self, scenario):
        """Gotabaya Rajapaksa went on to Thailand and came home on 2 September."""
        assert "THA" == at(scenario, D(2022, 9, 1)).actors["gotabaya"].location
        g = at(scenario, D(2022, 9, 2)).actors["gotabaya"]
        assert (W.AT_LARGE, cm.MovementKind.RETURNED) == (g.whereabouts, g.movements[-1].kind)

    def test_moved_to_tangalle(self, scenario):
        """Mudalige was held at the old prison in Tangalle in November (month known only)."""
        state = scenario.state_at(D(2022, 11, 30))
        assert "Old Prison, Tangalle" == state.actors["mudalige"].custody.place.name


class TestEmergencies:
    def test_april_emergency_and_curfew(self, scenario):
        """The emergency of 1 April and the weekend curfew were both in force on 3 April."""
        ms = emergencies(at(scenario, D(2022, 4, 3)))
        april, curfew = ms["lka-emergency-april"], ms["lka-curfew-april"]
        assert ((EK.STATE_OF_EMERGENCY, ("gotabaya",), True), (EK.CURFEW, D(2022, 4, 4), True)) == (
            (april.kind, april.by, april.in_force), (curfew.kind, curfew.until, curfew.in_force))

    def test_april_emergency_revoked(self, scenario):
        """The president revoked the April emergency on 5 April."""
        april = emergencies(at(scenario, D(2022, 4, 6)))["lka-emergency-april"]
        assert (False, D(2022, 4, 5)) == (april.in_force, april.lifted_on)

    def test_may_emergency_and_curfew(self, scenario):
        """On 10 May the emergency of 6 May and the island-wide curfew of 9 May were in force."""
        ms = emergencies(at(scenario, D(2022, 5, 10)))
        may, curfew = ms["lka-emergency-may"], ms["lka-curfew-may"]
        assert ((D(2022, 5, 6), True), ("nationwide", D(2022, 5, 9), True)) == (
            (may.declared_on, may.in_force), (curfew.scope, curfew.declared_on, curfew.in_force))

    def test_may_measures_ended_within_the_month(self, scenario):
        """By June both May measures had ended, on a day known only to the month."""
        ms = emergencies(at(scenario, D(2022, 6, 1)))
        assert [(False, cm.Precision.MONTH)] * 2 == [
            (ms[k].in_force, ms[k].lifted_precision)
            for k in ("lka-emergency-may", "lka-curfew-may")]

    def test_july_emergency_gazetted(self, scenario):
        """The acting president's emergency of 13 July, gazetted on 17 July, stood on 19 July."""
        july = emergencies(at(scenario, D(2022, 7, 19)))["lka-emergency-july"]
        assert (("ranil",), D(2022, 7, 13), True, 2) == (
            july.by, july.declared_on, july.in_force, len(july.history))

    def test_july_emergency_lapsed_in_august(self, scenario):
        """The July emergency still stood on 30 July and lapsed in August."""
        assert emergencies(at(scenario, D(2022, 7, 30)))["lka-emergency-july"].in_force
        july = emergencies(at(scenario, D(2022, 9, 1)))["lka-emergency-july"]
        assert (False, D(2022, 8, 1), cm.Precision.MONTH) == (
            july.in_force, july.lifted_on, july.lifted_precision)


class TestEconomyAndCourts:
    def test_shortages_then_default(self, scenario):
        """Shortages of fuel, gas, medicines and power are on record from March; the
        government is in default from 12 April 2022 (external debt), not before."""
        before, after = economy(at(scenario, D(2022, 4, 11))), economy(at(scenario, D(2022, 4, 12)))
        assert (False, True, "external public debt") == (
            before.in_default("lka-government"), after.in_default("lka-government"),
            after.defaults[0].debt)
        assert ("fuel", "cooking gas", "medicines", "electricity") == (
            economy(at(scenario, D(2022, 3, 31))).shortages[0].goods)

    def test_imf_staff_level_agreement(self, scenario):
        """On 1 September 2022 the IMF and the government reach a staff-level agreement."""
        assert "imf-eff-2022" not in economy(at(scenario, D(2022, 8, 31))).aid
        deal = economy(at(scenario, D(2022, 9, 1))).aid["imf-eff-2022"]
        assert (AidStage.STAFF_LEVEL, ("imf",), "lka-government") == (
            deal.stage, deal.lender, deal.borrower)

    def test_travel_ban_on_mahinda_and_basil(self, scenario):
        """From 15 July 2022 the Supreme Court bars Mahinda and Basil Rajapaksa from leaving
        the country; Gotabaya, already abroad, is not named."""
        record = court_record(at(scenario, D(2022, 7, 20)))
        assert (False, True, True, False) == (
            court_record(at(scenario, D(2022, 7, 14))).travel_banned("mahinda", D(2022, 7, 14)),
            record.travel_banned("mahinda", D(2022, 7, 20)),
            record.travel_banned("basil", D(2022, 7, 20)),
            record.travel_banned("gotabaya", D(2022, 7, 20)))
        assert ("supreme-court",) == record.travel_bans["basil"][0].by

    def test_may_endings_known_to_the_month(self, scenario):
        """The May curfew and emergency end in May 2022: shown as ended once May is over,
        never before the month has ended (the as-of reading of month dates)."""
        during, after = at(scenario, D(2022, 5, 20)), at(scenario, D(2022, 6, 1))
        assert (True, True) == (emergencies(during)["lka-emergency-may"].in_force,
                                emergencies(during)["lka-curfew-may"].in_force)
        assert (False, False) == (emergencies(after)["lka-emergency-may"].in_force,
                                  emergencies(after)["lka-curfew-may"].in_force)
