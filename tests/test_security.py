"""Tests for crisis_model.events.security."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import SecurityDefected, SecurityMutinied, SecurityRefusedOrders
from crisis_model.events.security import SecurityActKind, _render, _to_json, security_record

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

START = D(2023, 1, 1)


def _log() -> list[cm.Event]:
    return [person("bazoum", START, offices=("president",)),
            body("guard", cm.ActorKind.SECURITY_FORCES, START, affiliation="bazoum"),
            body("army", cm.ActorKind.SECURITY_FORCES, START, affiliation="bazoum"),
            body("cnsp", cm.ActorKind.GROUP, START),
            body("ecowas", cm.ActorKind.INTERNATIONAL_ORG, START)]


class TestSecurity:
    def test_mutiny_then_joint_defection(self):
        """Acts are kept per unit; a defection realigns every unit that took part."""
        log = [*_log(),
               SecurityMutinied(occurred_on=D(2023, 7, 26), unit="guard", against="bazoum"),
               SecurityDefected(occurred_on=D(2023, 7, 27), unit=["guard", "army"], to="cnsp")]
        state = cm.replay(log)
        acts = security_record(state)
        assert ([SecurityActKind.MUTINIED, SecurityActKind.DEFECTED], ("guard", "army"), "cnsp",
                "cnsp") == ([a.kind for a in acts["guard"]], acts["army"][0].together,
                            state.actors["guard"].affiliation, state.actors["army"].affiliation)

    def test_unit_kind(self):
        """An international organisation does not mutiny; a unit does not join itself."""
        state = cm.replay(_log())
        assert ["unit-kind"] == rejected_rules(
            state, SecurityMutinied(occurred_on=D(2024, 1, 1), unit="ecowas"))
        assert ["unit-kind"] == rejected_rules(
            state, SecurityDefected(occurred_on=D(2024, 1, 1), unit="army", to="army"))

    def test_not_already_aligned(self):
        """Defecting to the side a unit already backs is rejected."""
        assert ["not-already-aligned"] == rejected_rules(cm.replay(_log()), SecurityDefected(
            occurred_on=D(2024, 1, 1), unit="army", to="bazoum"))

    def test_refusal(self):
        """A refusal of orders names who gave them and what was refused."""
        log = [*_log(), SecurityRefusedOrders(occurred_on=D(2024, 8, 4), unit="army",
                                              given_by="bazoum", order="fire on protesters")]
        act = security_record(cm.replay(log))["army"][0]
        assert (SecurityActKind.REFUSED_ORDERS, "bazoum", "fire on protesters") == (
            act.kind, act.counterpart, act.detail)
        assert "army refuses orders from bazoum (fire on protesters)" == cm.describe(log[-1])

    def test_rendering(self):
        """The replay text and JSON list each unit's acts."""
        log = [*_log(), SecurityMutinied(occurred_on=D(2023, 7, 26), unit="guard",
                                         against="bazoum", demand="the president's removal")]
        table = security_record(cm.replay(log))
        assert ["guard: mutinied against bazoum 2023-07-26 (the president's removal)"] == (
            _render(table, lambda i: i or ""))
        assert "mutinied" == _to_json(table)["guard"][0]["kind"]

    @given(family_logs((SecurityMutinied, SecurityDefected, SecurityRefusedOrders)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of security acts leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
