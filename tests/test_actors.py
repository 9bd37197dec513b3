"""Tests for crisis_model.events.actors."""

from __future__ import annotations

import crisis_model as cm
from crisis_model.events import ActorIntroduced

from .builders import D, base_state, body, person, rejected_rules


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
