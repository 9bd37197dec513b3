"""crisis_model.events.reported: a dataset record kept whole as ``record.reported``."""

from __future__ import annotations

import datetime as dt

import crisis_model as cm
from crisis_model.events import ActorIntroduced, RecordReported
from crisis_model.serialization import from_dict, to_dict

D = dt.date


def _actor(aid):
    return ActorIntroduced(occurred_on=D(2024, 8, 1), actor=aid, name=aid.title(),
                           kind=cm.ActorKind.GROUP)


def _record(**kw):
    fields = dict(occurred_on=D(2024, 8, 1), dataset="ucdp", code="2", record_id="900004",
                  actors=("eln",), ends_on=D(2024, 8, 6), deaths_low=2, deaths_best=2,
                  deaths_high=3)
    fields.update(kw)
    return RecordReported(**fields)


def test_state_unchanged_but_kept_in_the_log():
    """Replaying a reported record changes no actor, election or counter."""
    before = cm.replay([_actor("eln")])
    after = cm.replay([_actor("eln"), _record()])
    assert (before.actors, before.incidents) == (after.actors, after.incidents)
    assert 2 == after.version


def test_round_trip():
    """Serialised and read back, the record is equal."""
    e = _record(text="a clash", targets=("eln",))
    assert e == from_dict(to_dict(e))


def test_rules():
    """The range cannot end before it starts; low <= best <= high; no negative counts."""
    state = cm.replay([_actor("eln")])
    assert ["range-ordered"] == [p.rule for p in cm.check(state, _record(ends_on=D(2024, 7, 1)))]
    assert ["deaths_low (5) is more than deaths_best (2)"] == [
        p.message for p in cm.check(state, _record(deaths_low=5))]
    assert ["deaths_high is -1; a count is never negative"] == [
        p.message for p in cm.check(state, _record(deaths_low=None, deaths_best=None,
                                                    deaths_high=-1))]
    assert ["a reported record names its dataset"] == [
        p.message for p in cm.check(state, _record(dataset=" "))]


def test_actors_must_exist():
    """Its actors are references: an unknown one is rejected."""
    problems = cm.check(cm.initial_state(), _record())
    assert ["known-actor"] == [p.rule for p in problems]


def test_summary():
    """A timeline line names the dataset, record, code, actors, range and estimates."""
    assert ("ucdp record 900004 coded 2 by Eln until 2024-08-06 deaths low/best/high 2/2/3: "
            "a clash") == cm.describe(_record(text="a clash"), {"eln": "Eln"})
