"""Tests for crisis_model.events.security."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    InterventionOrdered,
    InterventionThreatened,
    SecurityDefected,
    SecurityMutinied,
    SecurityRefusedOrders,
    TroopsDeployed,
    TroopsWithdrawn,
)
from crisis_model.events.security import (
    OperationStage,
    SecurityActKind,
    _render,
    _render_operations,
    _to_json,
    operations,
    security_record,
)

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


class TestOperations:
    def test_threat_order_and_no_deployment(self):
        """An ultimatum, then an order to ready a force: both steps kept, deadline too."""
        log = [*_log(),
               InterventionThreatened(occurred_on=D(2023, 7, 30), operation="eco", by="ecowas",
                                      against="cnsp", country="ner",
                                      demand="Bazoum reinstated", deadline=D(2023, 8, 6)),
               InterventionOrdered(occurred_on=D(2023, 8, 10), operation="eco", by="ecowas",
                                   force="the standby force")]
        op = operations(cm.replay(log))["eco"]
        assert (OperationStage.ORDERED, ("cnsp",), "NER", D(2023, 8, 6)) == (
            op.stage, op.against, op.country, op.history[0].deadline)
        assert ["eco: ecowas against cnsp in NER: ordered (threatened 2023-07-30 (deadline "
                "2023-08-06); ordered 2023-08-10)"] == _render_operations(
                    operations(cm.replay(log)), lambda i: i or "")

    def test_withdrawal_needs_troops(self):
        """Troops leave only once deployed; a completed withdrawal ends the operation."""
        state = cm.replay(_log())
        assert ["operation-stage"] == rejected_rules(
            state, TroopsWithdrawn(occurred_on=D(2024, 1, 1), operation="fr"))
        log = [*_log(), TroopsDeployed(occurred_on=D(2023, 1, 1), operation="fr", by="bazoum",
                                       country="NER"),
               TroopsWithdrawn(occurred_on=D(2023, 9, 24), operation="fr", complete=False),
               TroopsWithdrawn(occurred_on=D(2023, 12, 22), operation="fr")]
        done = cm.replay(log)
        assert OperationStage.WITHDRAWN == operations(done)["fr"].stage
        assert ["operation-stage"] == rejected_rules(done, TroopsDeployed(
            occurred_on=D(2024, 1, 1), operation="fr", by="bazoum"))

    def test_stages_move_forward(self):
        """An ordered intervention is not merely threatened again; a deadline follows the
        threat; nobody threatens itself."""
        state = cm.replay([*_log(), InterventionOrdered(occurred_on=D(2023, 8, 10),
                                                        operation="eco", by="ecowas")])
        assert ["operation-stage"] == rejected_rules(state, InterventionThreatened(
            occurred_on=D(2023, 8, 11), operation="eco", by="ecowas"))
        assert ["operation-parties"] == rejected_rules(state, InterventionThreatened(
            occurred_on=D(2023, 8, 11), operation="x", by="ecowas", deadline=D(2023, 8, 1)))
        assert ["operation-parties"] == rejected_rules(state, InterventionThreatened(
            occurred_on=D(2023, 8, 11), operation="x", by="ecowas", against="ecowas"))

    def test_summaries(self):
        """Plain words in the timeline."""
        e = InterventionThreatened(occurred_on=D(2023, 7, 30), operation="eco", by="ecowas",
                                   against="cnsp", demand="Bazoum is reinstated",
                                   deadline=D(2023, 8, 6))
        assert ("ecowas threatens force against cnsp unless Bazoum is reinstated by "
                "2023-08-06 (eco)") == cm.describe(e)

    @given(family_logs((InterventionThreatened, InterventionOrdered, TroopsDeployed,
                        TroopsWithdrawn)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of operation steps leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
