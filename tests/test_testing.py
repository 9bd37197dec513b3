"""Tests for crisis_model.testing: strategies, the state machine, given/when/then."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import attrs
import pytest
from hypothesis import Phase, event, find, settings
from hypothesis import given as for_all
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import invariant, precondition, rule, run_state_machine_as_test

import crisis_model as cm
from crisis_model import serialization
from crisis_model.events import (
    ActorIntroduced,
    ElectionDeclared,
    PeopleDetained,
    WentIntoHiding,
)
from crisis_model.testing import (
    CrisisMachine,
    actors,
    crisis_states,
    event_logs,
    events,
    given,
    next_events,
    register_event_strategy,
    shares,
)

BUILT_IN_TAGS = sorted(cm.registry.tags())
#: The tags a replayed log holds (corrections and retractions are applied before replay).
REPLAYED_TAGS = sorted(t for t in BUILT_IN_TAGS if cm.registry.type_for(t) in cm.registry.handlers)
#: Settings for searches whose result is checked, not shrunk (shrinking long logs is slow).
SEARCH = settings(database=None, max_examples=300, phases=[Phase.generate])


def sweep(strategy, n=100):
    """Everything ``strategy`` draws in ``n`` examples (generation only, derandomized)."""
    seen = []

    @settings(database=None, max_examples=n, phases=[Phase.generate], derandomize=True)
    @for_all(strategy)
    def collect(value):
        seen.append(value)

    collect()
    return seen


def begun_and_ended(body, n=60):
    """How many examples of a test drawing with ``body(data)`` hypothesis began, and how
    many reached the end of ``body`` (generation only, derandomized)."""
    counts = [0, 0]

    @settings(database=None, max_examples=n, phases=[Phase.generate], derandomize=True)
    @for_all(st.data())
    def run(data):
        counts[0] += 1
        body(data)
        counts[1] += 1

    run()
    return tuple(counts)


def bucket(n: int, width: int = 10) -> str:
    """``n`` as a range label such as ``20-29`` (for hypothesis statistics)."""
    low = n // width * width
    return f"{low}-{low + width - 1}"


class TestEventLogs:
    @for_all(event_logs())
    def test_admissible_logs_replay_strictly(self, log):
        """Every event of an admissible log passes the rules against the state before it."""
        state = cm.replay(log)
        assert len(log) == state.version

    @for_all(event_logs())
    def test_admissible_logs_keep_invariants(self, log):
        """Admissible logs replay into states where every invariant holds."""
        assert [] == cm.check_invariants(cm.replay(log))

    @for_all(event_logs(min_size=3, max_size=7))
    def test_sizes_are_respected(self, log):
        """A log is between min_size and max_size events long."""
        assert 3 <= len(log) <= 7

    @for_all(event_logs(admissible=False, max_size=30))
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
        """Six hundred admissible logs of 60 to 80 events reach every built-in event type (over
        100 types: lifecycles such as asylum sought, then denied, need many long logs)."""
        logs = sweep(event_logs(min_size=60, max_size=80), n=600)
        assert REPLAYED_TAGS == sorted({type(e).event_tag for log in logs for e in log})

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
    @for_all(event_logs(), event_logs(admissible=False))
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


class TestRuns:
    """``event_logs(initial=state)``: logs that continue a state, drawn as runs of steps."""

    @for_all(st.data())
    def test_a_run_continues_its_state(self, data):
        """A run drawn for a state replays strictly from it, and the state it reaches
        (``crisis_states(initial=...)``) is that replay's."""
        state = data.draw(crisis_states(max_events=15))
        run = data.draw(event_logs(initial=state, min_size=1, max_size=8))
        after = cm.replay(run, initial=state)
        assert (True, state.version + len(run)) == (1 <= len(run) <= 8, after.version)
        reached = data.draw(crisis_states(min_events=2, max_events=4, initial=after))
        assert after.version + 2 <= reached.version <= after.version + 4

    @for_all(st.data())
    def test_flawed_runs_continue_their_state(self, data):
        """With ``admissible=False`` a run is checked against the state it continues:
        lenient replay from that state accounts for every event."""
        state = data.draw(crisis_states(min_events=3, max_events=10))
        run = data.draw(event_logs(initial=state, admissible=False, max_size=10))
        after, anomalies = cm.replay(run, strict=False, initial=state)
        assert len(run) == after.version - state.version + len(anomalies)

    def test_every_run_example_reaches_its_end(self):
        """A step-by-step test drawing runs of steps loses no example half-way (every
        run after the first reuses the first's texts, and begins with a plain group:
        a first group that drew none would take the same label with other choices)."""
        def runs(data):
            state = cm.initial_state()
            for _ in range(5):
                for e in data.draw(event_logs(initial=state, min_size=8, max_size=8)):
                    state = cm.evolve(state, e)

        begun, ended = begun_and_ended(runs)
        assert begun == ended

    def test_later_runs_share_the_first_runs_texts(self):
        """The texts of hypothesis' own that a log's events use are drawn once per test
        case, by its first log, and serve its later logs."""
        from crisis_model.testing import _strategies

        seen = []

        @settings(database=None, max_examples=20, phases=[Phase.generate], derandomize=True)
        @for_all(st.data())
        def runs(data):
            state = cm.initial_state()
            for _ in range(3):
                for e in data.draw(event_logs(initial=state, min_size=4, max_size=4)):
                    state = cm.evolve(state, e)
                seen.append(getattr(data.conjecture_data, _strategies._TEXTS, None))

        runs()
        assert all(t is not None and t is seen[i - i % 3] for i, t in enumerate(seen))

    @pytest.mark.parametrize("make", [event_logs, crisis_states])
    def test_initial_must_be_a_state(self, make):
        """An initial state that is not a CrisisState is refused when the strategy is made."""
        with pytest.raises(InvalidArgument, match="initial"):
            make(initial={})

    def test_repr_names_the_options(self):
        """The strategies say what they draw (hypothesis prints them in its reports)."""
        state = cm.initial_state()
        assert ("event_logs(admissible=False, min_size=0, max_size=3, initial=<state at "
                "version 0>)", "crisis_states(min_events=1, max_events=2)") == (
            repr(event_logs(admissible=False, max_size=3, initial=state)),
            repr(crisis_states(min_events=1, max_events=2)))


class TestGroups:
    """A log is drawn as groups of events, each one hypothesis choice (``_Seeded``)."""

    def test_stretch_is_a_bijection_that_keeps_zero(self):
        """Derived bits of distinct blocks differ, and those of zero bits are zeros."""
        from crisis_model.testing._strategies import _stretch

        images = [_stretch(block, 8) for block in range(256)]
        assert (0, list(range(256))) == (images[0], sorted(images))

    def test_seeded_bits_begin_with_the_drawn_bytes(self):
        """A group's first bits are the bytes hypothesis drew, the lowest first; the bits
        after them are derived, and zero bytes give zeros all the way."""
        from crisis_model.testing._strategies import _Seeded, _stretch

        bits = _Seeded(lambda: bytes([5, 1]) + bytes(2), 4)
        assert (5, 1, 0, _stretch(0x105, 32)) == (bits.take(8), bits.take(8), bits.take(16),
                                                  bits.take(32))
        zeros = _Seeded(lambda: bytes(4), 4)
        assert [0] * 9 == [zeros.take(31) for _ in range(9)]

    def test_every_log_hypothesis_begins_reaches_the_test(self, monkeypatch):
        """Hypothesis' mutator copies one group's choices over another's; as every group is
        one choice, the copy never asks for more choices than the record holds, so no
        test case is thrown away (a third were, when a group drew what its events asked)."""
        from crisis_model.testing import _strategies

        begun = []

        class Counted(_strategies._Log):
            __slots__ = ()

            def __init__(self, *args):
                super().__init__(*args)
                begun.append(self)

        monkeypatch.setattr(_strategies, "_Log", Counted)
        seen = sweep(event_logs(min_size=40, max_size=40), n=60)
        assert (len(begun), {40}) == (len(seen), {len(log) for log in seen})

    def test_a_long_minimum_passes_the_health_checks(self):
        """A log of at least 1,000 events is small in hypothesis' record: its groups fill
        up to 32 events each below min_size (one group per event's worth of bits failed
        the large-base-example health check from about 300 events)."""
        seen = []

        @settings(database=None, max_examples=2)
        @for_all(event_logs(min_size=1000, max_size=1000))
        def long_logs(log):
            seen.append(len(log))

        long_logs()
        assert {1000} == set(seen)

    def test_shrinks_to_the_events_a_failure_needs(self):
        """A property that fails when a log holds a death shrinks to a few events (an
        actor introduced, then dead, and little else: 12 events was the median before
        groups were one choice each)."""
        from crisis_model.events import PersonDied

        log = find(event_logs(), lambda log: any(isinstance(e, PersonDied) for e in log),
                   settings=settings(database=None, derandomize=True, max_examples=1000))
        assert len(log) <= 6


class TestPerState:
    def test_reads_remembers_for_the_part_it_names(self):
        """``per_state(reads="actors")`` answers again for a state whose actors map is the
        one it saw last (many steps leave it as it was), and works it out anew for
        another map."""
        from crisis_model.testing._strategies import per_state

        calls = []

        @per_state(reads="actors")
        def people(state):
            calls.append(state.version)
            return sorted(state.actors)

        first = cm.initial_state()
        day = dt.date(2024, 1, 1)
        second = cm.evolve(first, ActorIntroduced(occurred_on=day, actor="a", name="A",
                                                  kind=cm.ActorKind.PERSON))
        third = cm.evolve(second, cm.registry.type_for("election.called")(
            occurred_on=day, election="e", country="VEN", office="president"))
        answers = [people(s) for s in (first, second, third, second)]
        assert ([[], ["a"], ["a"], ["a"]], [0, 1]) == (answers, calls)

    def test_a_helper_with_arguments_remembers_each_answer_for_the_last_state(self):
        """A helper taking more than the state remembers one answer per set of arguments,
        all forgotten when another state comes."""
        from crisis_model.testing._strategies import per_state

        calls = []

        @per_state
        def tagged(state, tag, *, twice=False):
            calls.append((state.version, tag, twice))
            return [tag] * (2 if twice else 1)

        first = cm.initial_state()
        second = cm.evolve(first, ActorIntroduced(occurred_on=dt.date(2024, 1, 1), actor="a",
                                                  name="A", kind=cm.ActorKind.PERSON))
        answers = [tagged(first, "x"), tagged(first, "y"), tagged(first, "x"),
                   tagged(first, "x", twice=True), tagged(second, "x"), tagged(first, "x")]
        expected_calls = [(0, "x", False), (0, "y", False), (0, "x", True), (1, "x", False),
                          (0, "x", False)]
        assert ([["x"], ["y"], ["x"], ["x", "x"], ["x"], ["x"]], expected_calls) == (
            answers, calls)


class TestNextEvents:
    def test_every_stepping_example_reaches_its_end(self):
        """No example of a step-by-step test is thrown away half-way: steps have labels
        of their own and chunks are bare choices, so hypothesis' mutator copies
        neither (a third of the examples ended at a step, before)."""
        def steps(data):
            state = cm.initial_state()
            for _ in range(40):
                state = cm.evolve(state, data.draw(next_events(state)))

        begun, ended = begun_and_ended(steps)
        assert begun == ended

    def test_chunks_fall_back_on_the_strategy(self, monkeypatch):
        """With a hypothesis whose ``draw_bytes`` takes other arguments, chunks are drawn
        through ``st.binary`` as before."""
        from crisis_model.testing import _strategies

        monkeypatch.setattr(_strategies, "_BARE", [True])

        class Data:
            def draw_bytes(self, size):
                raise AssertionError("not called this way")

            def draw(self, strategy):
                return b"\x01" * 4

        fetch = _strategies._bare_chunks(Data(), 4)
        assert (b"\x01" * 4, [False]) == (fetch(), _strategies._BARE)

    def test_each_step_has_a_label_of_its_own(self):
        """Steps of different versions have different hypothesis labels (so its mutator
        does not copy one step's choices over another's); one version, one label."""
        first = cm.initial_state()
        second = cm.evolve(first, ActorIntroduced(occurred_on=dt.date(2024, 1, 1), actor="a",
                                                  name="A", kind=cm.ActorKind.PERSON))
        labels = [next_events(s).label for s in (first, second, first)]
        assert (3, 2) == (len(labels), len(set(labels)))
        assert labels[0] == labels[2]

    @for_all(st.data())
    def test_admissible_next_event(self, data):
        """An admissible next event passes the rules against the state it was drawn for."""
        state = data.draw(crisis_states(max_events=15))
        e = data.draw(next_events(state))
        assert [] == cm.check(state, e)

    @for_all(st.data())
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
    @for_all(data=st.data())
    def test_types_are_honoured(self, tag, data):
        """events(types=[cls]) draws only events of cls."""
        cls = cm.registry.type_for(tag)
        assert cls is type(data.draw(events(types=[cls])))

    def test_weighting_stays_in_the_pool(self):
        """Steering towards rich states repeats only types the pool holds: with an asylum
        request pending, a pool of asylum.sought alone still draws only that type."""
        from crisis_model.events import AsylumSought
        from crisis_model.testing._strategies import _weighted

        from .builders import body, person
        state = cm.replay([
            person("x", country="VEN"), body("esp", cm.ActorKind.FOREIGN_GOVERNMENT, country="ESP"),
            AsylumSought(occurred_on=dt.date(2024, 9, 1), person="x", host="esp")])
        assert {AsylumSought} == set(_weighted((AsylumSought,), state))

    @for_all(events())
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
    @for_all(crisis_states(min_events=5, max_events=10))
    def test_states_are_reachable(self, state):
        """Drawn states have replayed at least min_events events."""
        assert 5 <= state.version <= 10

    @for_all(actors())
    def test_actors(self, actor):
        """Drawn actors are ActorState records with a non-blank name."""
        assert (True, True) == (isinstance(actor, cm.ActorState), bool(actor.name.strip()))

    @for_all(shares(["a", "b", "c"]))
    def test_shares(self, result):
        """Shares name only candidates, lie within 0-100 and sum to at most 100."""
        assert (True, True) == (
            set(result) <= {"a", "b", "c"},
            all(0 <= v <= 100 for v in result.values()) and sum(result.values()) <= 100,
        )


class TestRegisterEventStrategy:
    def test_no_built_in_build_is_remembered_per_state(self):
        """A build draws, so it must not be remembered per state (``per_state`` is for
        reading the state): one was, and handed back the same fields to each try of
        its type, after hashing the whole state to find them."""
        from crisis_model.testing._strategies import _STRATEGIES, _Builder

        builds = [fn.build for fn in _STRATEGIES.values() if isinstance(fn, _Builder)]
        assert [] == [b.__qualname__ for b in builds if hasattr(b, "__wrapped__")]

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


class TestFromType:
    @pytest.mark.parametrize("tag", ["election.declared", "justice.released", "actor.introduced"])
    def test_built_in_types(self, tag):
        """st.from_type(cls) draws events of cls built by the state-aware strategies."""
        cls = cm.registry.type_for(tag)
        e = find(st.from_type(cls), lambda e: True, settings=SEARCH)
        assert cls is type(e)

    def test_types_registered_later(self, fresh_registry):
        """A type registered after hypothesis was imported resolves through the registry hook."""

        @cm.event_type("test.late_arrival")
        @attrs.frozen(kw_only=True)
        class LateArrival(cm.Event):
            who: str = cm.ref("actor")
            when_known: str = "unsure"

        strategy = st.from_type(LateArrival)  # resolved eagerly, right here
        found = find(strategy, lambda e: e.who in {"actor0", "actor1", "actor2"},
                     settings=SEARCH)
        assert LateArrival is type(found)


class TestDetention:
    @for_all(st.data())
    def test_release_never_exceeds_held(self, data):
        """Admissible detention and release events keep released <= detained in every ledger."""
        log = data.draw(event_logs(min_size=10, max_size=40))
        state = cm.replay(log)
        detained = [e for e in log if isinstance(e, PeopleDetained)]
        event(f"detentions={bucket(len(detained), 3)}")
        assert [] == [v for v in cm.check_invariants(state)
                      if v.invariant == "released-at-most-detained"]


# -- the state machine --------------------------------------------------------------------------

TestCrisisMachine = CrisisMachine.TestCase
TestCrisisMachine.settings = settings(max_examples=15, stateful_step_count=40, deadline=None)


class TestMachine:
    def test_broken_invariant_is_caught(self, fresh_registry):
        """A state that breaks an invariant fails the machine, naming the invariant."""

        @cm.invariant("test-few-actors")
        def _(state):
            if len(state.actors) > 2:
                yield "more than two actors"

        with pytest.raises(AssertionError, match="test-few-actors"):
            run_state_machine_as_test(
                CrisisMachine, settings=settings(max_examples=50, database=None,
                                                 stateful_step_count=20, deadline=None,
                                                 phases=[Phase.generate]))

    def test_rejected_events_leave_the_state_alone(self):
        """apply() refuses an inadmissible event, counts it and keeps the state as it was."""
        machine = CrisisMachine()
        bad = PeopleDetained(occurred_on=dt.date(2024, 1, 1), group="nobody", count=3)
        assert (False, 1, 0) == (machine.apply(bad), machine.rejected, machine.state.version)

    def test_admitted_events_are_logged(self):
        """apply() applies an admissible event and logs it."""
        machine = CrisisMachine()
        e = ActorIntroduced(occurred_on=dt.date(2024, 1, 1), actor="x", name="X",
                            kind=cm.ActorKind.PERSON)
        assert (True, [e], 1) == (machine.apply(e), machine.log, machine.state.version)

    def test_subclass_with_a_user_rule(self, fresh_registry):
        """A subclass adds a rule for a user type; its events are applied and invariants hold."""

        @cm.event_type("test.rally")
        @attrs.frozen(kw_only=True)
        class Rally(cm.Event):
            by: str = cm.ref("actor")

        cm.state_slice("test.rallies", 0)

        @cm.handler(Rally)
        def _(state, e):
            return state.with_slice("test.rallies", state.slices["test.rallies"] + 1)

        applied = []

        class RallyMachine(CrisisMachine):
            flawed = 0

            @precondition(lambda self: bool(self.state.actors))
            @rule(data=st.data())
            def rally(self, data):
                applied.append(self.apply(data.draw(next_events(self.state, types=[Rally]))))

            @invariant()
            def rallies_counted(self):
                rallies = sum(isinstance(e, Rally) for e in self.log)
                assert rallies == self.state.slices["test.rallies"]

        run_state_machine_as_test(
            RallyMachine, settings=settings(max_examples=10, database=None, deadline=None,
                                            stateful_step_count=20, phases=[Phase.generate]))
        assert (True, True) == (bool(applied), all(applied))


# -- given / when / then ------------------------------------------------------------------------

D = dt.date(2024, 8, 1)
K = cm.ActorKind


def person(actor, **kw):
    """An ActorIntroduced event for a person."""
    return ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor=actor, name=actor.title(),
                           kind=kw.pop("kind", K.PERSON), **kw)


HISTORY = [person("machado"), person("gonzalez"), person("usa", kind=K.FOREIGN_GOVERNMENT),
           person("bystander")]


class TestGivenWhenThen:
    def test_then_passes(self):
        """An admitted event whose predicate holds passes, and then() can be chained."""
        outcome = given(HISTORY).when(WentIntoHiding(occurred_on=D, person="machado")).then(
            lambda s: s.actors["machado"].whereabouts is cm.Whereabouts.IN_HIDING
        ).then(lambda s: s.version == 5)
        assert 5 == outcome.after.version

    def test_then_failure_shows_only_the_relevant_state(self):
        """A failing predicate's message shows the event's records and changes, not everything."""
        with pytest.raises(AssertionError) as info:
            given(HISTORY).when(WentIntoHiding(occurred_on=D, person="machado")).then(
                lambda s: s.actors["machado"].whereabouts is cm.Whereabouts.IN_EXILE
            )
        message = str(info.value)
        assert (True, True, True, False) == (
            "IN_EXILE" in message,
            "actors['machado'].whereabouts: at_large -> in_hiding" in message,
            "actors['machado']: ActorState(" in message,
            "bystander" in message,
        )

    def test_then_on_a_rejected_event(self):
        """then() on an event the rules reject fails, naming the rule."""
        with pytest.raises(AssertionError, match="known-actor"):
            given(HISTORY).when(WentIntoHiding(occurred_on=D, person="nobody")).then()

    def test_asserting_predicates_get_context(self):
        """A predicate that asserts itself fails with the event's context attached."""

        def check(state):
            assert state.actors["machado"].location == "Caracas"

        with pytest.raises(AssertionError) as info:
            given(HISTORY).when(WentIntoHiding(occurred_on=D, person="machado")).then(check)
        assert "changed by the event" in "\n".join(getattr(info.value, "__notes__", []))

    def test_then_checks_invariants(self, fresh_registry):
        """then() fails when an invariant breaks after the event."""

        @cm.invariant("test-nobody-hides")
        def _(state):
            return ["someone hides"] if any(
                a.whereabouts is cm.Whereabouts.IN_HIDING for a in state.actors.values()) else []

        with pytest.raises(AssertionError, match="test-nobody-hides"):
            given(HISTORY).when(WentIntoHiding(occurred_on=D, person="machado")).then()

    def test_then_rejected_passes(self):
        """then_rejected(rule=...) passes when that rule rejects the event."""
        hides = WentIntoHiding(occurred_on=D, person="machado")
        outcome = given([*HISTORY, hides]).when(hides).then_rejected(rule="not-already-hiding")
        assert ["not-already-hiding"] == [p.rule for p in outcome.problems]

    def test_then_rejected_but_admitted(self):
        """then_rejected() on an admitted event fails, showing what the event changed."""
        with pytest.raises(AssertionError, match=r"was admitted[\s\S]*at_large -> in_hiding"):
            given(HISTORY).when(WentIntoHiding(occurred_on=D, person="machado")).then_rejected()

    def test_then_rejected_by_another_rule(self):
        """then_rejected(rule=...) fails when other rules rejected the event, listing them."""
        with pytest.raises(AssertionError, match=r"other rules[\s\S]*known-actor"):
            given(HISTORY).when(WentIntoHiding(occurred_on=D, person="nobody")).then_rejected(
                rule="not-already-hiding")

    def test_unknown_rule_name(self):
        """A rule name the event type does not have is a ValueError suggesting the nearest."""
        with pytest.raises(ValueError, match="did you mean 'not-already-hiding'"):
            given(HISTORY).when(WentIntoHiding(occurred_on=D, person="machado")).then_rejected(
                rule="not-already-hidng")

    def test_inadmissible_history(self):
        """A given history the rules reject fails with a clear message."""
        with pytest.raises(AssertionError, match="given history is itself inadmissible"):
            given([WentIntoHiding(occurred_on=D, person="machado")]).when(
                WentIntoHiding(occurred_on=D, person="machado"))

    def test_scenarios_are_accepted(self, seed_scenario):
        """given() takes a scenario (anything with .events) as the history."""
        spec = given(seed_scenario)
        assert len(seed_scenario.events) == spec.state.version


BLOCK_HYPOTHESIS = "import sys; sys.modules['hypothesis'] = None; "


class TestWithoutHypothesis:
    def run(self, code):
        """Run ``code`` in a fresh interpreter where hypothesis cannot be imported."""
        return subprocess.run([sys.executable, "-c", BLOCK_HYPOTHESIS + code],
                              capture_output=True, text=True, timeout=300)

    def test_testing_needs_the_test_extra(self):
        """Importing crisis_model.testing without hypothesis says to install the test extra."""
        result = self.run("import crisis_model.testing")
        assert (1, True, True) == (
            result.returncode,
            "ImportError: crisis_model.testing needs hypothesis" in result.stderr,
            "'test' extra" in result.stderr,
        )

    def test_the_library_and_pytest_plugin_do_not(self):
        """crisis_model and its pytest plugin import without hypothesis."""
        result = self.run("import crisis_model, crisis_model._pytest_plugin; print('ok')")
        assert (0, "ok") == (result.returncode, result.stdout.strip())


class TestPytestPlugin:
    def test_seeds_dir(self, seeds_dir):
        """The seeds_dir fixture finds the seed scenario."""
        assert (seeds_dir / "venezuela_2024.toml").is_file()

    def test_seed_scenario(self, seed_scenario):
        """The seed scenario fixture replays strictly into a state with actors."""
        assert 0 < len(seed_scenario.replay().actors)

    def test_in_a_user_project(self, tmp_path):
        """In a user's project, fresh_registry undoes registrations and seed_scenario loads."""
        (tmp_path / "test_user.py").write_text(textwrap.dedent('''
            import attrs
            import pytest
            import crisis_model as cm

            @pytest.mark.parametrize("n", [1, 2])
            def test_register(fresh_registry, n):
                @cm.event_type("user.thing")
                @attrs.frozen(kw_only=True)
                class Thing(cm.Event):
                    pass
                assert "user.thing" in fresh_registry.types

            def test_gone():
                assert "user.thing" not in cm.registry.types

            def test_seed(seed_scenario):
                assert seed_scenario.events
        '''), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
        assert (0, "4 passed") == (result.returncode, result.stdout.strip().splitlines()[-1][:8])
