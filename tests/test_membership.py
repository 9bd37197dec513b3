"""Tests for crisis_model.events.membership."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import MemberJoined, MemberReadmitted, MemberSuspended, MemberWithdrew
from crisis_model.events.membership import MembershipStatus, _render, _to_json, memberships

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

START = D(2023, 1, 1)


def _log() -> list[cm.Event]:
    return [body("au", cm.ActorKind.INTERNATIONAL_ORG, START),
            body("psc", cm.ActorKind.INTERNATIONAL_ORG, START),
            body("ner", cm.ActorKind.GOVERNMENT, START), person("bazoum", START),
            MemberSuspended(occurred_on=D(2023, 8, 22), organisation="au", member="ner",
                            by="psc", grounds="unconstitutional change of government")]


class TestMembership:
    def test_suspended_then_readmitted_keeps_history(self):
        """Readmission ends a suspension; both steps stay in the history."""
        log = [*_log(), MemberReadmitted(occurred_on=D(2024, 3, 1), organisation="au",
                                         member="ner")]
        m = memberships(cm.replay(log))["au"]["ner"]
        assert (MembershipStatus.READMITTED, ["suspended", "readmitted"], ("psc",), ("au",)) == (
            m.status, [h.status.value for h in m.history], m.history[0].by, m.history[1].by)

    def test_readmit_only_the_suspended(self):
        """Readmitting a member in good standing is rejected, as is a second suspension."""
        state = cm.replay(_log())
        assert ["readmit-suspended"] == rejected_rules(state, MemberReadmitted(
            occurred_on=D(2024, 1, 1), organisation="psc", member="ner"))
        assert ["not-already-suspended"] == rejected_rules(state, MemberSuspended(
            occurred_on=D(2024, 1, 1), organisation="au", member="ner"))

    def test_withdrawal(self):
        """A suspended member may withdraw (once); its effective date is not before the
        announcement."""
        log = [*_log(), MemberWithdrew(occurred_on=D(2024, 1, 28), organisation="au",
                                       member="ner", effective_on=D(2025, 1, 29))]
        state = cm.replay(log)
        m = memberships(state)["au"]["ner"]
        assert (MembershipStatus.WITHDRAWN, D(2025, 1, 29)) == (m.status,
                                                                m.history[-1].effective_on)
        assert ["not-already-withdrawn"] == rejected_rules(state, MemberWithdrew(
            occurred_on=D(2024, 2, 1), organisation="au", member="ner"))
        assert ["not-already-withdrawn"] == rejected_rules(cm.replay(_log()), MemberWithdrew(
            occurred_on=D(2024, 2, 1), organisation="au", member="ner",
            effective_on=D(2024, 1, 1)))

    def test_organisation_is_a_body(self):
        """A person is no organisation, and nothing is a member of itself."""
        state = cm.replay(_log())
        assert ["organisation-is-body"] == rejected_rules(state, MemberSuspended(
            occurred_on=D(2024, 1, 1), organisation="bazoum", member="ner"))
        assert ["organisation-is-body"] == rejected_rules(state, MemberSuspended(
            occurred_on=D(2024, 1, 1), organisation="psc", member="psc"))

    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = _log()
        table = memberships(cm.replay(log))
        assert "AU suspends NER by PSC: unconstitutional change of government" == cm.describe(
            log[-1], {"au": "AU", "ner": "NER", "psc": "PSC"})
        assert ["ner in au: suspended (suspended 2023-08-22)"] == _render(table, lambda i: i or "")
        assert "suspended" == _to_json(table)["au"]["ner"]["status"]

    def test_joining(self):
        """Founding members join; a member cannot join twice, but may rejoin after leaving."""
        log = [*_log(), body("aes", cm.ActorKind.INTERNATIONAL_ORG, D(2023, 9, 16)),
               MemberJoined(occurred_on=D(2023, 9, 16), organisation="aes", member="ner")]
        state = cm.replay(log)
        assert MembershipStatus.MEMBER == memberships(state)["aes"]["ner"].status
        assert ["not-already-member"] == rejected_rules(state, MemberJoined(
            occurred_on=D(2023, 9, 17), organisation="aes", member="ner"))
        left = cm.replay([MemberWithdrew(occurred_on=D(2024, 1, 1), organisation="aes",
                                         member="ner")], initial=state)
        assert [] == rejected_rules(left, MemberJoined(occurred_on=D(2024, 2, 1),
                                                       organisation="aes", member="ner"))
        assert ["not-already-suspended"] != rejected_rules(state, MemberSuspended(
            occurred_on=D(2023, 9, 17), organisation="aes", member="ner"))

    @given(family_logs((MemberJoined, MemberSuspended, MemberReadmitted, MemberWithdrew)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of membership steps leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
