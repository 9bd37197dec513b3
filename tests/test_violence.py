"""Tests for crisis_model.events.violence."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import AttackReported, PersonAttacked, PersonDied
from crisis_model.events.violence import AttackOutcome, _render, _to_json, violence

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

START = D(2004, 1, 1)


def _log() -> list[cm.Event]:
    return [person("yushchenko", START, offices=("mp",)), person("kuchma", START),
            body("youths", cm.ActorKind.GROUP, START)]


class TestAttack:
    def test_attack_counts_add_to_incidents(self):
        """An attack by civilians keeps its counts and adds them to the incident counters."""
        log = [*_log(), AttackReported(occurred_on=D(2008, 1, 1), target="a church",
                                       attackers="armed youths", means="burned",
                                       deaths=">=17", injuries="~50",
                                       place=cm.Place("Kiambaa", "KEN"))]
        state = cm.replay(log)
        attack = violence(state).attacks[0]
        assert ("at least 17", "armed youths", "at least 17") == (
            str(attack.deaths), attack.attackers, str(state.incidents.deaths.count))

    def test_target_named(self):
        """An attack says what was attacked."""
        assert ["attack-target"] == rejected_rules(cm.replay(_log()), AttackReported(
            occurred_on=D(2008, 1, 1), target=" "))


class TestPersonAttacked:
    def test_survived(self):
        """A poisoning the victim survives is kept; they stay alive and in office."""
        log = [*_log(), PersonAttacked(occurred_on=D(2004, 9, 1), precision=cm.Precision.MONTH,
                                       victim="yushchenko", means="poisoned")]
        state = cm.replay(log)
        [attack] = violence(state).on_persons["yushchenko"]
        assert (AttackOutcome.SURVIVED, None, ("mp",)) == (
            attack.outcome, state.actors["yushchenko"].death, state.actors["yushchenko"].offices)

    def test_killed_is_the_death(self):
        """An attack that kills records the death (as person.died would); a second death,
        or another attack, is refused."""
        log = [*_log(), PersonAttacked(occurred_on=D(2004, 9, 5), victim="yushchenko",
                                       means="shot", outcome="killed", by="kuchma")]
        state = cm.replay(log)
        death = state.actors["yushchenko"].death
        assert (cm.DeathCause.KILLED, ("kuchma",), (), cm.Whereabouts.DECEASED) == (
            death.cause, death.by, state.actors["yushchenko"].offices,
            state.actors["yushchenko"].whereabouts)
        assert ["alive"] == rejected_rules(state, PersonDied(occurred_on=D(2004, 9, 6),
                                                             person="yushchenko"))
        assert ["victim-alive"] == rejected_rules(state, PersonAttacked(
            occurred_on=D(2004, 9, 6), victim="yushchenko", means="other"))

    def test_victim_is_a_person(self):
        """A group is attacked with violence.attack; nobody attacks themselves."""
        state = cm.replay(_log())
        assert ["victim-is-person"] == rejected_rules(state, PersonAttacked(
            occurred_on=D(2004, 9, 5), victim="youths", means="beaten"))
        assert ["victim-is-person"] == rejected_rules(state, PersonAttacked(
            occurred_on=D(2004, 9, 5), victim="kuchma", by="kuchma", means="beaten"))

    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = [*_log(), PersonAttacked(occurred_on=D(2004, 9, 1), precision=cm.Precision.MONTH,
                                       victim="yushchenko", means="poisoned",
                                       attackers="unidentified"),
               AttackReported(occurred_on=D(2008, 1, 1), target="a church",
                              attackers="armed youths", by="youths", deaths=17)]
        names = {"yushchenko": "Yushchenko", "youths": "Youths"}
        assert "Yushchenko is poisoned by unidentified and survives" == cm.describe(
            log[-2], names)
        assert "attack on a church by armed youths (Youths): 17 killed" == cm.describe(
            log[-1], names)
        record = violence(cm.replay(log))
        assert ["attack on a church by armed youths (Youths) 2008-01-01: 17 killed",
                "Yushchenko poisoned by unidentified 2004-09: survived"] == _render(
                    record, lambda i: names.get(i or "", i or ""))
        assert ("survived", 17) == (_to_json(record)["on_persons"]["yushchenko"][0]["outcome"],
                                    _to_json(record)["attacks"][0]["deaths"])

    @given(family_logs((AttackReported, PersonAttacked, PersonDied)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of attacks and deaths leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
