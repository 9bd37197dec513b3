"""Tests for crisis_model.events.kinds: rules by actor kind and ISO country codes.

Each nonsense case of issue #13 in this area is rejected with a message naming the
rule, the actor and the offending value.
"""

from __future__ import annotations

import pytest

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    AsylumSought,
    ElectionCalled,
    LeftCountry,
    OfficeAssumed,
    OfficeSeized,
    PeopleDetained,
    TookEmbassyRefuge,
    WentIntoHiding,
)
from crisis_model.events.kinds import CAN

from .builders import D, body, person

DAY = D(2024, 8, 1)
K = cm.ActorKind


def _state() -> cm.CrisisState:
    return cm.replay([
        person("maduro", country="VEN"),
        person("gonzalez", country="VEN"),
        body("usa", K.FOREIGN_GOVERNMENT, country="USA"),
        body("ven", K.GOVERNMENT, country="VEN"),
        body("spain", K.FOREIGN_GOVERNMENT, country="ESP"),
        body("cne", K.ELECTORAL_AUTHORITY, country="VEN"),
        body("pud", K.PARTY, country="VEN"),
        body("protesters", K.GROUP, country="VEN"),
        body("oas", K.INTERNATIONAL_ORG),
    ])


def _one(event: cm.Event, rule: str) -> cm.Problem:
    problems = [p for p in cm.check(_state(), event) if p.rule == rule]
    assert 1 == len(problems), cm.check(_state(), event)
    return problems[0]


@pytest.mark.parametrize("event, rule, actor, value", [
    (OfficeAssumed(occurred_on=DAY, person="usa", office="president"),
     "office-holder-kind", "usa", "foreign_government"),
    (OfficeAssumed(occurred_on=DAY, person="pud", office="president"),
     "office-holder-kind", "pud", "party"),
    (LeftCountry(occurred_on=DAY, person="cne", to="ESP"), "movable-kind", "cne",
     "electoral_authority"),
    (WentIntoHiding(occurred_on=DAY, person="usa"), "movable-kind", "usa", "foreign_government"),
    (TookEmbassyRefuge(occurred_on=DAY, person="oas"), "movable-kind", "oas",
     "international_org"),
    (PeopleDetained(occurred_on=DAY, persons=("usa",)), "detainable-kind", "usa",
     "foreign_government"),
    (PeopleDetained(occurred_on=DAY, group="cne", count=3), "detainable-kind", "cne",
     "electoral_authority"),
    (AsylumSought(occurred_on=DAY, person="gonzalez", host="pud"), "asylum-host-kind", "pud",
     "party"),
    (AsylumSought(occurred_on=DAY, person="gonzalez", host="protesters"), "asylum-host-kind",
     "protesters", "group"),
    (AsylumSought(occurred_on=DAY, person="cne", host="spain"), "asylum-seeker-kind", "cne",
     "electoral_authority"),
    (AsylumSought(occurred_on=DAY, person="gonzalez", host="ven"), "asylum-abroad", "gonzalez",
     "VEN"),
    (LeftCountry(occurred_on=DAY, person="gonzalez", to="XYZ"), "destination-code", "gonzalez",
     "XYZ"),
    (LeftCountry(occurred_on=DAY, person="gonzalez", to="ÉÉÉ"), "destination-code", "gonzalez",
     "ÉÉÉ"),
    (ActorIntroduced(occurred_on=DAY, actor="x", name="X", kind=K.PERSON, country="XYZ"),
     "country-code", "x", "XYZ"),
    (ActorIntroduced(occurred_on=DAY, actor="x", name="X", kind=K.PERSON, country="ÉÉÉ"),
     "country-code", "x", "ÉÉÉ"),
    (ActorIntroduced(occurred_on=DAY, actor="x", name="X", kind=K.FOREIGN_GOVERNMENT,
                     offices=("president",)), "office-holder-kind", "x", "president"),
    (ElectionCalled(occurred_on=DAY, election="e", country="XYZ"), "election-country-code",
     "e", "XYZ"),
    (OfficeSeized(occurred_on=DAY, by="protesters", office="president", holder="spain"),
     "office-holder-kind", "spain", "foreign_government"),
])
def test_nonsense_rejected(event, rule, actor, value):
    """The rule, the actor and the offending value are all named."""
    p = _one(event, rule)
    assert rule == p.rule
    assert f"'{actor}'" in str(p)
    assert value in str(p)


@pytest.mark.parametrize("event, rule, expected", [
    (LeftCountry(occurred_on=DAY, person="cne", to="ESP"), "movable-kind",
     "'cne' (CNE) is an electoral_authority, which"),
    (TookEmbassyRefuge(occurred_on=DAY, person="oas"), "movable-kind",
     "'oas' (OAS) is an international_org, which"),
    (WentIntoHiding(occurred_on=DAY, person="usa"), "movable-kind",
     "'usa' (USA) is a foreign_government, which"),
])
def test_message_reads_right(event, rule, expected):
    """The kind takes the article it reads with ("an electoral_authority")."""
    assert 1 == str(_one(event, rule)).count(expected)


@pytest.mark.parametrize("event", [
    OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president"),
    OfficeAssumed(occurred_on=DAY, person="ven", office="government"),
    LeftCountry(occurred_on=DAY, person="gonzalez", to="ESP"),
    LeftCountry(occurred_on=DAY, person="gonzalez", to="XKX"),
    WentIntoHiding(occurred_on=DAY, person="protesters"),
    PeopleDetained(occurred_on=DAY, group="protesters", persons=("gonzalez",), count=10),
    AsylumSought(occurred_on=DAY, person="gonzalez", host="spain"),
    AsylumSought(occurred_on=DAY, person="gonzalez", host="oas"),
    ActorIntroduced(occurred_on=DAY, actor="kos", name="Kosovo", kind=K.FOREIGN_GOVERNMENT,
                    country="XKX"),
])
def test_sensible_admitted(event):
    """What real crises hold is admitted."""
    assert [] == cm.check(_state(), event)


def test_the_table_covers_every_kind():
    """Every capability names only real kinds; only courts and electoral authorities can
    do none of these things."""
    kinds = {k.value for k in K}
    for can in CAN.values():
        assert can - kinds <= {"council", "legislature", "armed_group"}
    idle = {k for k in kinds if not any(k in can for can in CAN.values())}
    assert {"court", "electoral_authority"} == idle


def test_waivable():
    """A kind rule is waived by name, with a reason, like any other."""
    log = [body("cne", K.ELECTORAL_AUTHORITY, country="VEN"),
           LeftCountry(occurred_on=DAY, person="cne", to="ESP")]
    with pytest.raises(cm.RuleViolation, match="movable-kind"):
        cm.replay(log)
    waive = {"movable-kind": "the commission's members fled together"}
    assert "in_exile" == cm.replay(log, waive=waive).actors["cne"].whereabouts.value
