"""Facts of the shipped scenario niger-2023, asserted on the replayed state."""

from __future__ import annotations

import subprocess
import sys

import pytest

import crisis_model as cm
from crisis_model.events.courts import OutcomeKind, court_record
from crisis_model.events.diplomacy import MissionStatus, diplomacy
from crisis_model.events.displacement import evacuated_from, evacuations
from crisis_model.events.emergency import emergencies
from crisis_model.events.membership import MembershipStatus, memberships
from crisis_model.events.sanctions import SanctionKind, sanctions
from crisis_model.events.security import OperationStage, operations, security_record

from .builders import D


@pytest.fixture(scope="module")
def niger() -> cm.Scenario:
    return cm.load_scenario("niger-2023")


def at(scenario: cm.Scenario, day: D) -> cm.CrisisState:
    return cm.state_at(scenario.events, day)


class TestNiger2023:
    def test_loads_by_name_and_replays_strictly(self, niger):
        """Shipped, listed, at least 40 events, strict replay with built-in types only."""
        assert "niger-2023" in cm.scenario_names()
        assert len(niger.events) >= 40
        assert all(type(e).__module__.startswith("crisis_model.") for e in niger.events)
        niger.replay()

    def test_validate_from_the_cli(self):
        """`crisis-model validate niger-2023` finds no problem."""
        run = subprocess.run([sys.executable, "-m", "crisis_model", "validate", "niger-2023"],
                             capture_output=True, text=True, check=False)
        assert (0, "0 problems") == (run.returncode, run.stdout.split(", ")[-1][:10])

    def test_president_held_by_his_guard(self, niger):
        """On 27 July Bazoum is detained, after the guard's mutiny, and still president in
        the record (he never resigned); the army has sided with the junta."""
        state = at(niger, D(2023, 7, 27))
        bazoum = state.actors["bazoum"]
        mutiny = security_record(state)["presidential-guard"][0]
        assert (cm.Whereabouts.DETAINED, ("president-ner",), "bazoum", "cnsp") == (
            bazoum.whereabouts, bazoum.offices, mutiny.counterpart,
            state.actors["fan"].affiliation)

    def test_junta_measures(self, niger):
        """The CNSP suspended the constitution, closed the borders and set a curfew."""
        table = emergencies(at(niger, D(2023, 7, 27)))
        assert {"ner-constitution-suspended", "ner-borders-closed", "ner-curfew"} == set(table)
        assert all(m.in_force and m.by == ("cnsp",) for m in table.values())

    def test_tchiani_seizes_the_presidency(self, niger):
        """Tchiani claims the presidency from 28 July, not before; Bazoum's claim stands."""
        assert () == at(niger, D(2023, 7, 27)).actors["tchiani"].offices
        state = at(niger, D(2023, 7, 28))
        assert (("president-ner",), ("president-ner",)) == (
            state.actors["tchiani"].offices, state.actors["bazoum"].offices)

    def test_ecowas_sanctions_and_ultimatum(self, niger):
        """On 31 July the ECOWAS sanctions are in force and a one-week ultimatum runs."""
        state = at(niger, D(2023, 7, 31))
        regime = sanctions(state)["ecowas-ner-2023"]
        threat = operations(state)["ecowas-niger"]
        assert (("ner",), True, OperationStage.THREATENED, D(2023, 8, 6)) == (
            regime.targets, SanctionKind.NO_FLY in regime.in_force, threat.stage,
            threat.history[0].deadline)

    def test_standby_force_ordered(self, niger):
        """On 10 August the threat became an order to activate the standby force."""
        assert OperationStage.ORDERED == operations(at(niger, D(2023, 8, 10)))[
            "ecowas-niger"].stage

    def test_au_suspension(self, niger):
        """The AU suspended Niger on 22 August 2023."""
        assert "ner" not in memberships(at(niger, D(2023, 8, 21))).get("au", {})
        assert MembershipStatus.SUSPENDED == memberships(at(niger, D(2023, 8, 22)))["au"][
            "ner"].status

    def test_french_troops_leave(self, niger):
        """Withdrawal announced 24 September, completed by 22 December 2023."""
        assert OperationStage.DEPLOYED == operations(at(niger, D(2023, 9, 23)))[
            "france-in-niger"].stage
        assert OperationStage.WITHDRAWING == operations(at(niger, D(2023, 10, 1)))[
            "france-in-niger"].stage
        assert OperationStage.WITHDRAWN == operations(at(niger, D(2023, 12, 31)))[
            "france-in-niger"].stage

    def test_sahel_alliance_and_ecowas_exit(self, niger):
        """Founding members of the AES in September; all three leave ECOWAS in January."""
        state = at(niger, D(2024, 1, 28))
        table = memberships(state)
        assert ({"mali", "burkina", "ner"}, {MembershipStatus.WITHDRAWN}) == (
            set(table["aes"]), {m.status for m in table["ecowas"].values()})

    def test_most_sanctions_lifted(self, niger):
        """On 24 February 2024 the economic sanctions end; the targeted ones stay."""
        before, after = at(niger, D(2024, 2, 23)), at(niger, D(2024, 2, 24))
        assert (False, True, True) == (sanctions(before)["ecowas-ner-2023"].lifted,
                                       sanctions(after)["ecowas-ner-2023"].lifted,
                                       bool(sanctions(after)["ecowas-cnsp-targeted"].in_force))

    def test_court_order_and_immunity(self, niger):
        """The ECOWAS court ordered his release; in June 2024 he is still held and his
        immunity is lifted; his son was freed in January."""
        state = at(niger, D(2024, 6, 30))
        record = court_record(state)
        assert (["ecowas-court"], [OutcomeKind.IMMUNITY_LIFTED], cm.Whereabouts.DETAINED,
                cm.Whereabouts.AT_LARGE) == (
            [r.by for r in record.rulings], [o.kind for o in record.outcomes["bazoum"]],
            state.actors["bazoum"].whereabouts, state.actors["salem-bazoum"].whereabouts)

    def test_bazoum_held_by_the_guard_in_the_palace(self, niger):
        """Bazoum is held by the presidential guard in the palace in Niamey from the coup,
        and still there when the State Court lifts his immunity in June 2024."""
        start = at(niger, D(2023, 7, 27)).actors["bazoum"].custody
        end = at(niger, D(2024, 6, 30)).actors["bazoum"]
        assert (("presidential-guard", "Presidential palace, Niamey", "NER"),
                (cm.Whereabouts.DETAINED, start)) == (
            (start.custodian, start.place.name, start.place.country),
            (end.whereabouts, end.custody))


class TestNigerDiplomacy:
    def test_evacuation_of_foreign_nationals(self, niger):
        """France's evacuation (1-3 August 2023) is certain once it has ended: about 1,000
        people, French nationals among them, flown out of Niger."""
        assert () == evacuations(at(niger, D(2023, 8, 2)))
        state = at(niger, D(2023, 8, 3))
        [evacuation] = evacuations(state)
        assert (("france",), ("FRA",), "about 1,000") == (
            evacuation.by, evacuation.nationals_of, str(evacuated_from(state, "NER")))

    def test_ambassador_ordered_out_then_leaves(self, niger):
        """Ordered out on 25 August (48 hours) and again on 31 August, recalled by France
        on 24 September, gone on 27 September: a departure, not exile."""
        def mission(day: D):
            return diplomacy(at(niger, day)).missions.get("FRA>NER")

        assert None is mission(D(2023, 8, 24))
        assert (MissionStatus.ORDERED_OUT, D(2023, 8, 27)) == (
            mission(D(2023, 8, 26)).status, mission(D(2023, 8, 26)).history[0].deadline)
        assert 2 == len(mission(D(2023, 9, 1)).history)
        assert MissionStatus.RECALLED == mission(D(2023, 9, 25)).status
        state = at(niger, D(2023, 9, 27))
        assert (MissionStatus.DEPARTED, "itte", cm.Whereabouts.AT_LARGE, ()) == (
            mission(D(2023, 9, 27)).status, mission(D(2023, 9, 27)).envoy,
            state.actors["itte"].whereabouts, state.actors["itte"].movements)

    def test_niger_recalls_its_ambassadors(self, niger):
        """On 3 August 2023 the CNSP ends the missions of Niger's ambassadors to France,
        Nigeria, Togo and the United States."""
        missions = diplomacy(at(niger, D(2023, 8, 3))).missions
        assert ["NER>FRA", "NER>NGA", "NER>TGO", "NER>USA"] == sorted(
            k for k, m in missions.items() if m.status is MissionStatus.RECALLED)
