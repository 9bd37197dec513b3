"""Tests for crisis_model.events.sanctions."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import SanctionsImposed, SanctionsLifted
from crisis_model.events.sanctions import SanctionKind, SanctionStep, _render, _to_json, sanctions

from .builders import D, body, rejected_rules
from .strategies import family_logs

B, F, N = SanctionKind.BORDER_CLOSURE, SanctionKind.FINANCIAL, SanctionKind.NO_FLY


def _log() -> list[cm.Event]:
    start = D(2023, 1, 1)
    return [body("ecowas", cm.ActorKind.INTERNATIONAL_ORG, start),
            body("nga", cm.ActorKind.GOVERNMENT, start),
            body("cnsp", cm.ActorKind.GOVERNMENT, start),
            SanctionsImposed(occurred_on=D(2023, 7, 30), sanction="eco", by=["ecowas", "nga"],
                             targets="cnsp", kinds=["border_closure", "financial", "no_fly"])]


class TestSanctions:
    def test_imposed_then_partly_lifted(self):
        """Lifting some kinds leaves the others in force; the history keeps both steps."""
        log = [*_log(), SanctionsLifted(occurred_on=D(2024, 2, 24), sanction="eco",
                                        kinds=["border_closure", "no_fly"], by="ecowas")]
        s = sanctions(cm.replay(log))["eco"]
        assert ((F,), ("ecowas", "nga"), [SanctionStep.IMPOSED, SanctionStep.LIFTED]) == (
            s.in_force, s.by, [h.step for h in s.history])

    def test_lift_everything_in_force(self):
        """A lifting that names no kind lifts all that is still in force."""
        log = [*_log(), SanctionsLifted(occurred_on=D(2024, 2, 24), sanction="eco")]
        s = sanctions(cm.replay(log))["eco"]
        assert ((), True, (B, F, N)) == (s.in_force, s.lifted, s.history[-1].kinds)

    def test_lift_only_what_is_in_force(self):
        """Lifting a measure never imposed, or one already lifted, is rejected."""
        state = cm.replay([*_log(), SanctionsLifted(occurred_on=D(2024, 1, 1), sanction="eco")])
        assert ["lift-in-force"] == rejected_rules(
            state, SanctionsLifted(occurred_on=D(2024, 3, 1), sanction="eco"))
        fresh = cm.replay(_log())
        assert ["lift-in-force"] == rejected_rules(
            fresh, SanctionsLifted(occurred_on=D(2024, 3, 1), sanction="eco", kinds="arms_embargo"))

    def test_unknown_and_duplicate_ids(self):
        """Lifting names an imposed regime; imposing introduces a new one."""
        state = cm.replay(_log())
        assert ["known-sanction"] == rejected_rules(
            state, SanctionsLifted(occurred_on=D(2024, 3, 1), sanction="nope"))
        again = SanctionsImposed(occurred_on=D(2024, 3, 1), sanction="eco", by="ecowas",
                                 targets="cnsp", kinds="trade")
        assert ["new-sanction"] == rejected_rules(state, again)

    def test_targets_and_kinds(self):
        """A sanction names a target other than its imposers and at least one kind, once."""
        state = cm.replay(_log())
        selfish = SanctionsImposed(occurred_on=D(2024, 3, 1), sanction="s2", by="ecowas",
                                   targets="ecowas", kinds="trade")
        empty = SanctionsImposed(occurred_on=D(2024, 3, 1), sanction="s3", by="ecowas",
                                 targets="cnsp", kinds=())
        twice = SanctionsImposed(occurred_on=D(2024, 3, 1), sanction="s4", by="ecowas",
                                 targets="cnsp", kinds=["trade", "trade"])
        assert (["sanction-targets"], ["sanction-kinds-listed"], ["sanction-kinds-listed"]) == (
            rejected_rules(state, selfish), rejected_rules(state, empty),
            rejected_rules(state, twice))

    def test_joint_by_stays_a_string_alone(self):
        """One imposer stays a string (ids unchanged); several become a tuple."""
        one = SanctionsImposed(occurred_on=D(2024, 3, 1), sanction="a", by="x", targets="y",
                               kinds="trade")
        assert ("x", ("x", "y")) == (one.by, SanctionsImposed(
            occurred_on=D(2024, 3, 1), sanction="a", by=["x", "y"], targets="z",
            kinds="trade").by)

    def test_summary_and_rendering(self):
        """Timeline words, replay text lines and JSON say what is in force."""
        log = [*_log(), SanctionsLifted(occurred_on=D(2024, 2, 24), sanction="eco",
                                        kinds="no_fly")]
        table = sanctions(cm.replay(log))
        assert ("ECOWAS and NGA imposes sanctions (eco: border closure, financial, no fly) "
                "on CNSP") == cm.describe(log[3], {"ecowas": "ECOWAS", "nga": "NGA",
                                                   "cnsp": "CNSP"})
        assert ["eco: ecowas and nga on cnsp: border closure, financial in force since "
                "2023-07-30; no fly lifted 2024-02-24"] == _render(table, lambda i: i or "")
        assert ["border_closure", "financial"] == _to_json(table)["eco"]["in_force"]

    @given(family_logs((SanctionsImposed, SanctionsLifted)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of sanctions leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
