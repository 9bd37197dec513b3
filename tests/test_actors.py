"""Tests for crisis_model.events.actors."""

from __future__ import annotations

from hypothesis import given, settings

import crisis_model as cm
from crisis_model.events import ActorIntroduced

from .builders import D, base_state, body, person, rejected_rules
from .strategies import admissible_logs


class TestActorIntroduced:
    def test_introduces(self):
        """The actor appears with its kind, country (upper-cased), affiliation and offices."""
        log = [body("pud", cm.ActorKind.COALITION),
               person("gonzalez", country="ven", affiliation="pud", offices=("mp", "mp"))]
        actor = cm.replay(log).actors["gonzalez"]
        expected = cm.ActorState(id="gonzalez", name="Gonzalez", kind=cm.ActorKind.PERSON,
                                 country="VEN", affiliation="pud", offices=("mp",))
        assert expected == actor

    def test_unknown_affiliation(self):
        """An affiliation must name an actor introduced earlier."""
        assert ["known-actor"] == rejected_rules(cm.initial_state(), person("x", affiliation="y"))

    def test_bad_country(self):
        """Countries are ISO alpha-3 codes."""
        assert ["country-code"] == rejected_rules(cm.initial_state(), person("x", country="VE"))

    def test_blank_name(self):
        """Ids and names are not blank."""
        e = ActorIntroduced(occurred_on=D(2024, 1, 1), actor="x", name=" ",
                            kind=cm.ActorKind.PERSON)
        assert ["named"] == rejected_rules(cm.initial_state(), e)

    def test_twice(self):
        """An id is introduced once."""
        assert ["new-actor"] == rejected_rules(base_state(), person("maduro", D(2024, 8, 1)))


class TestPersonDied:
    def test_death_ends_custody_and_office(self):
        """A death records cause, date and place, closes custody and ends offices."""
        from crisis_model.events import PeopleDetained, PersonDied

        day, place = D(2024, 9, 1), cm.Place("Tocoron prison", country="VEN")
        state = cm.replay([PeopleDetained(occurred_on=day, persons=("maduro",), by="cne"),
                           PersonDied(occurred_on=day, person="maduro", by="cne", place=place,
                                      cause=cm.DeathCause.DIED_IN_CUSTODY)],
                          initial=base_state())
        maduro = state.actors["maduro"]
        expected = cm.Death(cm.DeathCause.DIED_IN_CUSTODY, day, by=("cne",), place=place)
        assert (expected, cm.Whereabouts.DECEASED, None, (), cm.CustodyStatus.DIED, False) == (
            maduro.death, maduro.whereabouts, maduro.custody, maduro.offices,
            maduro.custody_history[-1].status, maduro.alive)

    def test_only_persons_die(self):
        """Deaths among a group are counted by unrest events, not person.died."""
        from crisis_model.events import PersonDied

        e = PersonDied(occurred_on=D(2024, 9, 1), person="detainees")
        assert ["mortal"] == rejected_rules(base_state(), e)

    def test_died_in_custody_needs_custody(self):
        """Only someone detained dies in custody."""
        from crisis_model.events import PersonDied

        e = PersonDied(occurred_on=D(2024, 9, 1), person="gonzalez",
                       cause=cm.DeathCause.DIED_IN_CUSTODY)
        assert ["died-in-custody-held"] == rejected_rules(base_state(), e)


class TestTheDeadStayDead:
    @settings(max_examples=60)
    @given(admissible_logs)
    def test_dead_stay_dead(self, log):
        """Once an admitted history records a death, every later state keeps it, unchanged."""
        deaths: dict[str, cm.Death] = {}
        for state in cm.snapshots(log):
            for aid, death in deaths.items():
                actor = state.actors[aid]
                assert (death, cm.Whereabouts.DECEASED, None) == (
                    actor.death, actor.whereabouts, actor.custody)
            deaths.update((a.id, a.death) for a in state.actors.values() if a.death)
