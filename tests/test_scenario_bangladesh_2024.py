"""Facts of the shipped scenario bangladesh-2024, asserted on the replayed state."""

from __future__ import annotations

import subprocess
import sys

import pytest

import crisis_model as cm
from crisis_model.events.courts import OutcomeKind, court_record
from crisis_model.events.emergency import emergencies
from crisis_model.events.security import SecurityActKind, security_record
from crisis_model.events.unrest import tolls

from .builders import D


@pytest.fixture(scope="module")
def bangladesh() -> cm.Scenario:
    return cm.load_scenario("bangladesh-2024")


def at(scenario: cm.Scenario, day: D) -> cm.CrisisState:
    return cm.state_at(scenario.events, day)


class TestBangladesh2024:
    def test_loads_by_name_and_replays_strictly(self, bangladesh):
        """Shipped, listed, at least 40 events, strict replay with built-in types only."""
        assert "bangladesh-2024" in cm.scenario_names()
        assert len(bangladesh.events) >= 40
        assert all(type(e).__module__.startswith("crisis_model.") for e in bangladesh.events)
        bangladesh.replay()

    def test_validate_from_the_cli(self):
        """`crisis-model validate bangladesh-2024` finds no problem."""
        run = subprocess.run([sys.executable, "-m", "crisis_model", "validate",
                              "bangladesh-2024"], capture_output=True, text=True, check=False)
        assert (0, "0 problems") == (run.returncode, run.stdout.split(", ")[-1][:10])

    def test_quota_rulings(self, bangladesh):
        """The High Court restored the quota; the Appellate Division cut it on 21 July."""
        rulings = court_record(at(bangladesh, D(2024, 7, 21))).rulings
        assert (["high-court", "appellate", "appellate"], True) == (
            [r.by for r in rulings], rulings[-1].decision.startswith("93% of government jobs"))

    def test_first_deaths_and_curfew(self, bangladesh):
        """By 20 July at least six are dead, and a nationwide curfew with the army deployed
        and a shoot-on-sight order is in force, as is the internet shutdown."""
        state = at(bangladesh, D(2024, 7, 20))
        curfew = emergencies(state)["bgd-curfew"]
        assert ("at least 6", ("army deployed", "shoot-on-sight order"), True, True) == (
            str(state.incidents.deaths.count), curfew.measures, curfew.in_force,
            emergencies(state)["bgd-internet-july"].in_force)

    def test_coordinators_detained_then_freed(self, bangladesh):
        """Three coordinators are held by the Detective Branch from 26 July; all six are
        free on 1 August."""
        held = at(bangladesh, D(2024, 7, 26))
        freed = at(bangladesh, D(2024, 8, 1))
        assert ((cm.Whereabouts.DETAINED,) * 3, {cm.Whereabouts.AT_LARGE}) == (
            tuple(held.actors[p].whereabouts for p in ("nahid", "asif", "abu-baker")),
            {freed.actors[p].whereabouts
             for p in ("nahid", "asif", "abu-baker", "sarjis", "hasnat", "nusrat")})

    def test_jamaat_banned_then_unbanned(self, bangladesh):
        """Jamaat-e-Islami is banned on 1 August and the ban lifted on 28 August."""
        assert court_record(at(bangladesh, D(2024, 8, 2))).bans["jamaat"].in_force
        assert not court_record(at(bangladesh, D(2024, 8, 28))).bans["jamaat"].in_force

    def test_fall_of_hasina(self, bangladesh):
        """On 5 August Hasina no longer holds office and is in exile in India, after the army
        refused to enforce the curfew."""
        state = at(bangladesh, D(2024, 8, 5))
        hasina = state.actors["hasina"]
        refusal = security_record(state)["army"][0]
        assert ((), cm.Whereabouts.IN_EXILE, SecurityActKind.REFUSED_ORDERS, "hasina") == (
            hasina.offices, hasina.whereabouts, refusal.kind, refusal.counterpart)

    def test_interim_government_and_pardon(self, bangladesh):
        """Khaleda Zia's conviction no longer stands after 6 August; Yunus, convicted in
        January, is acquitted on appeal on 7 August and leads from 8 August; the curfew is
        over."""
        assert court_record(at(bangladesh, D(2024, 8, 6))).convicted("yunus")
        state = at(bangladesh, D(2024, 8, 8))
        record = court_record(state)
        assert (False, False, ("chief-adviser-bgd",), False) == (
            record.convicted("khaleda"), record.convicted("yunus"),
            state.actors["yunus"].offices, emergencies(state)["bgd-curfew"].in_force)

    def test_death_toll_as_reported(self, bangladesh):
        """The toll is kept per reporter as a range: about 300 on 5 August, about 650 (UN,
        preliminary), up to 1,400 (UN fact-finding, February 2025); never summed."""
        deaths = [str(t.deaths) for t in tolls(at(bangladesh, D(2025, 2, 28)))
                  if t.deaths is not None]
        assert ["147", "about 300", "about 650", "about 1,000", "at most 1,400"] == deaths
        assert "at least 96" == str(at(bangladesh, D(2025, 2, 28)).incidents.deaths.count)

    def test_cases_against_hasina(self, bangladesh):
        """Charged with murder in August, wanted by the tribunal from October 2024, convicted
        and sentenced to death in absentia in November 2025."""
        assert (("murder",), False) == (
            at(bangladesh, D(2024, 8, 13)).actors["hasina"].jeopardy.charged,
            at(bangladesh, D(2024, 10, 16)).actors["hasina"].jeopardy.wanted)
        state = at(bangladesh, D(2025, 11, 30))
        outcomes = court_record(state).outcomes["hasina"]
        assert (True, [OutcomeKind.CONVICTED, OutcomeKind.SENTENCED], "death") == (
            state.actors["hasina"].jeopardy.wanted, [o.kind for o in outcomes],
            outcomes[-1].sentence)

    def test_abu_sayed_killed_in_rangpur(self, bangladesh):
        """Abu Sayed was killed by police in Rangpur on 16 July."""
        sayed = at(bangladesh, D(2024, 7, 17)).actors["abu-sayed"]
        assert (cm.Whereabouts.DECEASED, cm.DeathCause.KILLED, ("police",), D(2024, 7, 16),
                "outside Begum Rokeya University, Rangpur") == (
            sayed.whereabouts, sayed.death.cause, sayed.death.by, sayed.death.on,
            sayed.death.place.name)

    def test_leaders_held_at_the_detective_branch(self, bangladesh):
        """The coordinators taken from hospital on 26 July were held at the DB office in Dhaka."""
        nahid = at(bangladesh, D(2024, 7, 27)).actors["nahid"]
        assert (cm.Whereabouts.DETAINED, "db", "Detective Branch office, Minto Road, Dhaka",
                "BGD") == (nahid.whereabouts, nahid.custody.custodian,
                           nahid.custody.place.name, nahid.custody.place.country)

    def test_internet_shutdown_in_force_on_20_july(self, bangladesh):
        """The nationwide internet shutdown of 18 July was in force alongside the curfew."""
        ms = emergencies(at(bangladesh, D(2024, 7, 20)))
        net, curfew = ms["bgd-internet-july"], ms["bgd-curfew"]
        assert ((True, "nationwide", D(2024, 7, 18)),
                (True, ("army deployed", "shoot-on-sight order"))) == (
            (net.in_force, net.scope, net.declared_on), (curfew.in_force, curfew.measures))

    def test_army_chief_announces_the_resignation(self, bangladesh):
        """On 5 August the army chief announces on television that Hasina has resigned and
        an interim government will be formed."""
        from crisis_model.events.statements import statements

        (said,) = statements(at(bangladesh, D(2024, 8, 5)))["waker"]
        assert ("announcement", ("hasina",), "televised address", D(2024, 8, 5), True) == (
            said.kind.value, said.about, said.medium, said.on,
            "interim government" in said.says)

    def test_parliament_dissolved(self, bangladesh):
        """Parliament sits until the president dissolves it on 6 August."""
        from crisis_model.events.institutions import institutions

        assert "parliament" not in institutions(at(bangladesh, D(2024, 8, 5)))
        rec = institutions(at(bangladesh, D(2024, 8, 6)))["parliament"]
        assert ("dissolved", D(2024, 8, 6), ("president",), None) == (
            rec.status.value, rec.since, rec.history[-1].by, rec.history[-1].election_due)
