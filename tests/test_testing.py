"""Tests for crisis_model.testing: strategies, the state machine, given/when/then."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import Phase, event, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import crisis_model as cm
from crisis_model import serialization
from crisis_model.events import ActorIntroduced, ElectionDeclared, PeopleDetained
from crisis_model.testing import (
    actors,
    crisis_states,
    event_logs,
    events,
    next_events,
    register_event_strategy,
    shares,
)

BUILT_IN_TAGS = sorted(cm.registry.tags())
#: Settings for searches whose result is checked, not shrunk (shrinking long logs is slow).
SEARCH = settings(database=None, max_examples=300, phases=[Phase.generate])


def sweep(strategy, n=100):
    """Everything ``strategy`` draws in ``n`` examples (generation only, no shrinking)."""
    seen = []

    @settings(database=None, max_examples=n, phases=[Phase.generate])
    @given(strategy)
    def collect(value):
        seen.append(value)

    collect()
    return seen


def bucket(n: int, width: int = 10) -> str:
    """``n`` as a range label such as ``20-29`` (for hypothesis statistics)."""
    low = n // width * width
    return f"{low}-{low + width - 1}"


class TestEventLogs:
    @given(event_logs())
    def test_admissible_logs_replay_strictly(self, log):
        """Every event of an admissible log passes the rules against the state before it."""
        state = cm.replay(log)
        assert len(log) == state.version

    @given(event_logs())
    def test_admissible_logs_keep_invariants(self, log):
        """Admissible logs replay into states where every invariant holds."""
        assert [] == cm.check_invariants(cm.replay(log))

    @given(event_logs(min_size=3, max_size=7))
    def test_sizes_are_respected(self, log):
        """A log is between min_size and max_size events long."""
        assert 3 <= len(log) <= 7

    @given(event_logs(admissible=False, max_size=30))
    def test_inadmissible_logs_load_leniently(self, log):
        """Lenient replay of a mixed log applies the admissible events and reports the rest."""
        state, anomalies = cm.replay(log, strict=False)
        assert len(log) == state.version + len(anomalies)

    def test_inadmissible_logs_contain_anomalies(self):
        """With admissible=False, generated logs do contain events the rules reject."""
        log = find(
            event_logs(admissible=False, min_size=10, max_size=20),
            lambda log: len(cm.replay(log, strict=False)[1]) >= 2,
            settings=SEARCH,
        )
        assert 2 <= len(cm.replay(log, strict=False)[1])

    def test_every_built_in_type_is_reached(self):
        """A hundred admissible logs reach every built-in event type."""
        logs = sweep(event_logs(min_size=20))
        assert BUILT_IN_TAGS == sorted({type(e).event_tag for log in logs for e in log})

    @pytest.mark.parametrize(
        "kwargs",
        [{"max_size": -1}, {"min_size": 5, "max_size": 2}, {"admissible": "yes"},
         {"min_size": 1.5}],
    )
    def test_bad_arguments_fail_at_once(self, kwargs):
        """Invalid options raise InvalidArgument when the strategy is made, not when drawn."""
        with pytest.raises(InvalidArgument):
            event_logs(**kwargs)

    @settings(max_examples=100)
    @given(event_logs(), event_logs(admissible=False))
    def test_reach(self, log, mixed):
        """Reach of the log strategies, reported with --hypothesis-show-statistics."""
        tags = {type(e).event_tag for e in log}
        event(f"admissible log length={bucket(len(log))}")
        event(f"types in one admissible log={bucket(len(tags), 5)}")
        state = cm.replay(log)
        event(f"actors in final state={bucket(len(state.actors), 5)}")
        _, anomalies = cm.replay(mixed, strict=False)
        if mixed:
            event(f"mixed log: rejected fraction={bucket(100 * len(anomalies) // len(mixed))}%")
        assert len(log) == state.version


class TestNextEvents:
    @given(st.data())
    def test_admissible_next_event(self, data):
        """An admissible next event passes the rules against the state it was drawn for."""
        state = data.draw(crisis_states(max_events=15))
        e = data.draw(next_events(state))
        assert [] == cm.check(state, e)

    @given(st.data())
    def test_types_restrict(self, data):
        """With types, every next event is of one of those types."""
        state = data.draw(crisis_states(min_events=1, max_events=10))
        e = data.draw(next_events(state, types=[ActorIntroduced], admissible=False))
        assert ActorIntroduced is type(e)

    def test_state_must_be_a_state(self):
        """A state that is not a CrisisState is refused at once."""
        with pytest.raises(InvalidArgument):
            next_events({})  # type: ignore[arg-type]


class TestEvents:
    @pytest.mark.parametrize("tag", BUILT_IN_TAGS)
    @settings(max_examples=10)
    @given(data=st.data())
    def test_types_are_honoured(self, tag, data):
        """events(types=[cls]) draws only events of cls."""
        cls = cm.registry.type_for(tag)
        assert cls is type(data.draw(events(types=[cls])))

    @given(events())
    def test_events_round_trip(self, e):
        """Drawn events survive serialisation unchanged (they are well-formed)."""
        assert e == serialization.from_dict(serialization.to_dict(e))

    def test_unregistered_types_are_refused(self):
        """A class that is not a registered event type is refused at once."""
        with pytest.raises(InvalidArgument, match="not a registered event type"):
            events(types=[int])  # type: ignore[list-item]

    def test_a_lone_class_is_refused(self):
        """Passing a class instead of an iterable of classes is a clear error."""
        with pytest.raises(InvalidArgument, match="iterable"):
            events(types=ActorIntroduced)  # type: ignore[arg-type]


class TestStatesAndActors:
    @given(crisis_states(min_events=5, max_events=10))
    def test_states_are_reachable(self, state):
        """Drawn states have replayed at least min_events events."""
        assert 5 <= state.version <= 10

    @given(actors())
    def test_actors(self, actor):
        """Drawn actors are ActorState records with a non-blank name."""
        assert (True, True) == (isinstance(actor, cm.ActorState), bool(actor.name.strip()))

    @given(shares(["a", "b", "c"]))
    def test_shares(self, result):
        """Shares name only candidates, lie within 0-100 and sum to at most 100."""
        assert (True, True) == (
            set(result) <= {"a", "b", "c"},
            all(0 <= v <= 100 for v in result.values()) and sum(result.values()) <= 100,
        )


class TestRegisterEventStrategy:
    def test_unregistered_class_is_refused(self):
        """A strategy for a class that is not a registered event type is a RegistrationError."""
        with pytest.raises(cm.RegistrationError, match="not a registered event type"):
            register_event_strategy(int, lambda state: None)  # type: ignore[arg-type]

    def test_twice_is_refused(self):
        """A second strategy for the same type is a RegistrationError."""
        with pytest.raises(cm.RegistrationError, match="already has a strategy"):
            register_event_strategy(ElectionDeclared, lambda state: None)

    def test_user_types_are_covered(self, fresh_registry):
        """A type registered by a user appears in generated logs with no further work."""

        @cm.event_type("test.curfew_imposed")
        @attrs.frozen(kw_only=True)
        class CurfewImposed(cm.Event):
            by: str = cm.ref("actor")
            hours: int
            city: str | None = None

        @cm.handler(CurfewImposed)
        def _(state, e):
            return state

        log = find(
            event_logs(min_size=5, max_size=30),
            lambda log: any(isinstance(e, CurfewImposed) for e in log),
            settings=SEARCH,
        )
        assert 1 <= sum(isinstance(e, CurfewImposed) for e in log)

    def test_user_strategy_is_used(self, fresh_registry):
        """A registered per-type strategy supplies the fields it names; the rest are generic."""

        @cm.event_type("test.seized")
        @attrs.frozen(kw_only=True)
        class Seized(cm.Event):
            group: str = cm.ref("actor")
            count: int

        @cm.handler(Seized)
        def _(state, e):
            return state

        @cm.rule(Seized)
        def count_is_seven(state, e):
            return None if e.count == 7 else "only sevens"

        register_event_strategy(Seized, lambda state: st.just({"count": 7}))
        e = find(events(types=[Seized]), lambda e: True, settings=SEARCH)
        assert (7, dt.date) == (e.count, type(e.occurred_on))


class TestDetention:
    @given(st.data())
    def test_release_never_exceeds_held(self, data):
        """Admissible detention and release events keep released <= detained in every ledger."""
        log = data.draw(event_logs(min_size=10, max_size=40))
        state = cm.replay(log)
        detained = [e for e in log if isinstance(e, PeopleDetained)]
        event(f"detentions={bucket(len(detained), 3)}")
        assert [] == [v for v in cm.check_invariants(state)
                      if v.invariant == "released-at-most-detained"]
