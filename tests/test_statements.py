"""Tests for crisis_model.events.statements."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import PersonDied, StatementMade
from crisis_model.events.statements import (
    StatementKind,
    _render,
    _to_json,
    statements,
    statements_about,
)

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

DAY = D(2024, 8, 5)


def _log() -> list[cm.Event]:
    return [person("waker", DAY), person("hasina", DAY),
            body("ecowas", cm.ActorKind.INTERNATIONAL_ORG, DAY),
            body("au", cm.ActorKind.INTERNATIONAL_ORG, DAY),
            StatementMade(occurred_on=DAY, speaker="waker", kind="announcement",
                          about=["hasina"], says="the prime minister has resigned",
                          medium="televised address")]


class TestStatements:
    def test_kept_per_speaker(self):
        """Statements are kept in order under each speaker; a joint one under both, found
        once among those about an actor."""
        log = [*_log(),
               StatementMade(occurred_on=D(2024, 8, 6), speaker=["ecowas", "au"],
                             kind="ultimatum", about=["hasina"], says="hand over power",
                             deadline=D(2024, 8, 20))]
        state = cm.replay(log)
        table = statements(state)
        assert ((StatementKind.ANNOUNCEMENT,), ("ecowas", "au"), D(2024, 8, 20)) == (
            tuple(s.kind for s in table["waker"]), table["au"][0].speakers,
            table["ecowas"][0].deadline)
        assert ["the prime minister has resigned", "hand over power"] == [
            s.says for s in statements_about(state, "hasina")]

    def test_rules(self):
        """A statement says something, names each actor once, sets no deadline before itself,
        and no dead person makes one."""
        state = cm.replay(_log())
        assert ["statement-says"] == rejected_rules(state, StatementMade(
            occurred_on=DAY, speaker="waker", says="  "))
        assert ["statement-about-once"] == rejected_rules(state, StatementMade(
            occurred_on=DAY, speaker="waker", about=["hasina", "hasina"], says="x"))
        assert ["deadline-after-statement"] == rejected_rules(state, StatementMade(
            occurred_on=DAY, speaker="waker", kind="ultimatum", says="x",
            deadline=D(2024, 8, 1)))
        dead = cm.replay([PersonDied(occurred_on=DAY, person="waker")], initial=state)
        assert ["speaker-alive"] == rejected_rules(dead, StatementMade(
            occurred_on=DAY, speaker="waker", says="x"))

    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and --json."""
        log = _log()
        state = cm.replay(log)
        assert ("waker announces, about hasina (televised address): the prime minister has "
                "resigned") == cm.describe(log[-1])
        assert ["2024-08-05: waker announces, about hasina (televised address): the prime "
                "minister has resigned"] == _render(statements(state), lambda a: a or "")
        data = _to_json(statements(state))["waker"][0]
        assert ("announcement", ["hasina"], "2024-08-05") == (
            data["kind"], data["about"], data["on"])

    def test_timeline_of_the_speaker(self):
        """The statement shows in the timeline of the speaker and of whom it is about."""
        log = _log()
        assert [4] == [t.index for t in cm.timeline(log, actor="hasina")
                       if t.event.event_tag == "statement.made"]

    @given(family_logs((StatementMade, PersonDied)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of statements (and deaths) keeps the invariants."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
