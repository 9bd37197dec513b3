"""Tests for crisis_model.events.emergency."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import EmergencyDeclared, EmergencyExtended, EmergencyLifted
from crisis_model.events.emergency import EmergencyKind, _render, _to_json, emergencies

from .builders import D, body, rejected_rules
from .strategies import family_logs

START = D(2024, 1, 1)


def _log() -> list[cm.Event]:
    return [body("gov", cm.ActorKind.GOVERNMENT, START),
            body("army", cm.ActorKind.SECURITY_FORCES, START),
            EmergencyDeclared(occurred_on=D(2024, 7, 19), emergency="curfew", kind="curfew",
                              by=["gov", "army"], scope="nationwide", ends_on=D(2024, 7, 21),
                              measures=["army deployed", "shoot-on-sight order"])]


class TestEmergency:
    def test_declared_extended_lifted(self):
        """Extensions move the end date; lifting ends the measure; every step is kept."""
        log = [*_log(),
               EmergencyExtended(occurred_on=D(2024, 7, 21), emergency="curfew",
                                 ends_on=D(2024, 7, 28)),
               EmergencyLifted(occurred_on=D(2024, 8, 11), emergency="curfew", by="gov")]
        m = emergencies(cm.replay(log))["curfew"]
        assert (EmergencyKind.CURFEW, ("gov", "army"), D(2024, 7, 28), False, D(2024, 8, 11),
                ["declared", "extended", "lifted"]) == (
            m.kind, m.by, m.until, m.in_force, m.lifted_on, [h.step.value for h in m.history])

    def test_lifted_is_final(self):
        """A lifted measure can be neither extended nor lifted again."""
        state = cm.replay([*_log(), EmergencyLifted(occurred_on=D(2024, 8, 1),
                                                     emergency="curfew")])
        assert ["emergency-in-force"] == rejected_rules(
            state, EmergencyLifted(occurred_on=D(2024, 8, 2), emergency="curfew"))
        assert ["emergency-in-force"] == rejected_rules(state, EmergencyExtended(
            occurred_on=D(2024, 8, 2), emergency="curfew", ends_on=D(2024, 9, 1)))

    def test_extension_extends(self):
        """An extension names a later end or a new scope; end dates never precede the event."""
        state = cm.replay(_log())
        assert ["extension-extends"] == rejected_rules(state, EmergencyExtended(
            occurred_on=D(2024, 7, 20), emergency="curfew", ends_on=D(2024, 7, 21)))
        assert ["extension-extends"] == rejected_rules(state, EmergencyExtended(
            occurred_on=D(2024, 7, 20), emergency="curfew"))
        assert ["ends-after-start"] == rejected_rules(state, EmergencyDeclared(
            occurred_on=D(2024, 7, 20), emergency="e2", kind="martial_law",
            ends_on=D(2024, 7, 1)))

    def test_extension_adds_measures(self):
        """New powers added to a measure in force are kept with the others."""
        log = [*_log(), EmergencyExtended(occurred_on=D(2024, 7, 20), emergency="curfew",
                                          measures="no gatherings")]
        m = emergencies(cm.replay(log))["curfew"]
        assert (("army deployed", "shoot-on-sight order", "no gatherings"),
                ("no gatherings",)) == (m.measures, m.history[-1].measures)

    def test_kinds_beyond_the_classic_three(self):
        """A suspended constitution, closed borders and an internet shutdown are measures too."""
        log = [*_log(), EmergencyDeclared(occurred_on=D(2024, 7, 19), emergency="net",
                                          kind="internet_shutdown", by="gov")]
        assert EmergencyKind.INTERNET_SHUTDOWN == emergencies(cm.replay(log))["net"].kind

    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = _log()
        table = emergencies(cm.replay(log))
        assert ("curfew (curfew) declared by gov and army, nationwide, until 2024-07-21, with "
                "army deployed; shoot-on-sight order") == cm.describe(log[-1])
        assert ["curfew: curfew (nationwide) declared by gov and army 2024-07-19, with army "
                "deployed; shoot-on-sight order, in force until 2024-07-21"] == _render(
                    table, lambda i: i or "")
        assert (True, "2024-07-21") == (_to_json(table)["curfew"]["in_force"],
                                        _to_json(table)["curfew"]["until"])

    @given(family_logs((EmergencyDeclared, EmergencyExtended, EmergencyLifted)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of emergency steps leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
