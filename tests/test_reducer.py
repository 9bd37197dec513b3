"""Tests for crisis_model.reducer: the registry, the decorators and replay."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import (
    AmnestyAccepted,
    AmnestyProposed,
    ElectionDeclared,
    ElectionHeld,
    WentIntoHiding,
    WinnerRecognized,
)
from crisis_model.reducer import Problem
from crisis_model.serialization import from_dict, to_dict

from .builders import D, base_log, base_state, body, declared, person
from .strategies import admissible_logs, mixed_logs, split_logs


class TestEventType:
    def test_registers_tag_and_version(self):
        """The decorator records the tag and version on the class and in the registry."""
        with cm.registry.scoped():

            @cm.event_type("test.thing", version=3)
            @attrs.frozen(kw_only=True)
            class Thing(cm.Event):
                x: int

            assert ("test.thing", 3) == (Thing.event_tag, Thing.event_version)
            assert Thing is cm.registry.type_for("test.thing")
        assert "test.thing" not in cm.registry.tags()

    @pytest.mark.parametrize("tag", ["Thing", "thing", "a..b", "A.b", "a.b c", ""])
    def test_bad_tag(self, tag):
        """Tags are lowercase dotted words."""
        with pytest.raises(cm.RegistrationError, match="lowercase dotted"):
            cm.event_type(tag)

    def test_duplicate_tag(self):
        """A tag can be registered once."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match="already registered"):

            @cm.event_type("election.declared")
            @attrs.frozen(kw_only=True)
            class Other(cm.Event):
                pass

    def test_not_an_event(self):
        """Only Event subclasses can be registered."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match="not a subclass"):

            @cm.event_type("test.plain")
            @attrs.frozen(kw_only=True)
            class Plain:
                pass

    def test_forgot_attrs(self):
        """A subclass that is not an attrs class of its own is refused with the fix."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match=r"attrs\.frozen"):

            @cm.event_type("test.bare")
            class Bare(cm.Event):
                pass

    def test_bad_version(self):
        """Versions are positive ints."""
        with pytest.raises(cm.RegistrationError, match="version"):
            cm.event_type("test.v", version=0)


class TestHandlerAndRule:
    def test_handler_for_unregistered_class(self):
        """A handler needs a registered event type."""

        @attrs.frozen(kw_only=True)
        class Loose(cm.Event):
            pass

        with pytest.raises(cm.RegistrationError, match="not a registered event type"):
            cm.handler(Loose)

    def test_handler_twice(self):
        """A type has one handler."""
        with pytest.raises(cm.RegistrationError, match="already has a handler"):
            cm.handler(ElectionHeld)(lambda s, e: s)

    def test_missing_handler_is_an_error_at_replay(self):
        """An event type with no handler is never a silent no-op."""
        with cm.registry.scoped():

            @cm.event_type("test.unhandled")
            @attrs.frozen(kw_only=True)
            class Unhandled(cm.Event):
                pass

            assert ["test.unhandled"] == cm.registry.missing_handlers()
            with pytest.raises(cm.UnhandledEventError, match=r"test\.unhandled"):
                cm.replay([Unhandled(occurred_on=D(2024, 1, 1))])

    def test_rule_names(self):
        """Rule names come from the function name, hyphenated; reference rules come first."""
        expected = [
            "chronology", "source-chronology", "known-offer", "known-actor", "offer-pending",
            "offer-recipient", "alive",
        ]
        assert expected == cm.registry.rule_names(AmnestyAccepted)

    def test_rule_may_return_problems(self):
        """A rule may return strings, Problems or iterables of them."""
        with cm.registry.scoped():

            @cm.event_type("test.ruled")
            @attrs.frozen(kw_only=True)
            class Ruled(cm.Event):
                n: int

            cm.handler(Ruled)(lambda s, e: s)

            @cm.rule(Ruled)
            def _(state, e):
                if e.n < 0:
                    yield Problem("negative", field="n")
                    yield "and odd" if e.n % 2 else "and even"

            problems = cm.check(cm.initial_state(), Ruled(occurred_on=D(2024, 1, 1), n=-1))
            rule = "test.ruled#1"
            assert [Problem("negative", rule, "n"), Problem("and odd", rule)] == problems

    def test_buggy_rule_says_which(self):
        """An exception inside a rule carries a note naming the rule and the event type."""
        with cm.registry.scoped():

            @cm.event_type("test.buggy")
            @attrs.frozen(kw_only=True)
            class Buggy(cm.Event):
                pass

            @cm.rule(Buggy)
            def explode(state, e):
                raise ZeroDivisionError

            with pytest.raises(ZeroDivisionError) as info:
                cm.check(cm.initial_state(), Buggy(occurred_on=D(2024, 1, 1)))
            assert ["raised by rule 'explode' checking a 'test.buggy' event"] == (
                info.value.__notes__
            )


class TestReplay:
    def test_empty_log(self):
        """Replaying nothing gives the initial state."""
        assert cm.initial_state() == cm.replay([])

    def test_version_and_as_of(self):
        """The state counts events and remembers the latest date reached."""
        state = base_state()
        assert (7, D(2024, 7, 28)) == (state.version, state.as_of)

    def test_strict_raises_with_index_tag_rule(self):
        """Strict replay names the event's index, tag, rule, field and subject."""
        log = [*base_log(), declared(winner="nobody")]
        with pytest.raises(cm.RuleViolation) as info:
            cm.replay(log)
        err = info.value
        assert (7, "election.declared", "known-actor") == (err.index, err.tag, err.rule)
        assert "field 'winner'" in str(err) and "'nobody'" in str(err)

    def test_lenient_collects_anomalies(self):
        """Lenient replay skips each rejected event and reports it."""
        bad1 = declared(winner="nobody")
        bad2 = AmnestyAccepted(occurred_on=D(2024, 8, 2), offer="x", by="maduro")
        log = [*base_log(), bad1, declared(), bad2]
        state, anomalies = cm.replay(log, strict=False)
        assert [7, 9] == [a.index for a in anomalies]
        assert [bad1, bad2] == [a.event for a in anomalies]
        assert cm.replay([*base_log(), declared()]) == state

    def test_initial_state_is_used(self):
        """Replay can continue from a given state."""
        state = cm.replay([declared()], initial=base_state())
        assert "cne" in state.elections["ve"].declarations

    def test_inputs_not_mutated(self):
        """Replay leaves the log and the initial state as they were."""
        log = base_log()
        copy = list(log)
        initial = cm.initial_state()
        cm.replay(log, initial=initial)
        assert (copy, cm.initial_state()) == (log, initial)


class TestChronology:
    def test_earlier_day_rejected(self):
        """An event dated before the history's latest date is rejected."""
        state = base_state()
        event = declared(day=D(2024, 7, 27))
        assert ["chronology"] == [p.rule for p in cm.check(state, event)]

    def test_month_precision_overlapping_is_admitted(self):
        """A month-precision event whose window contains the latest date is admitted."""
        state = cm.replay([declared()], initial=base_state())
        event = WentIntoHiding(occurred_on=D(2024, 7, 1), precision=cm.Precision.MONTH,
                               person="gonzalez")
        assert [] == cm.check(state, event)

    def test_year_then_day(self):
        """A day event after a year-precision one may fall anywhere in that year."""
        log = [
            body("x", cm.ActorKind.GROUP, day=D(2024, 1, 1), precision=cm.Precision.YEAR),
            person("y", day=D(2024, 3, 5)),
        ]
        assert 2 == cm.replay(log).version

    def test_as_of_never_goes_back(self):
        """A month event after a later day keeps the later day as the clock."""
        log = [
            person("a", day=D(2024, 7, 20)),
            person("b", day=D(2024, 7, 1), precision=cm.Precision.MONTH),
        ]
        assert D(2024, 7, 20) == cm.replay(log).as_of


class TestSnapshotsAndStateAt:
    def test_one_snapshot_per_event(self):
        """snapshots() yields the state after each event."""
        log = base_log()
        snaps = list(cm.snapshots(log))
        assert [cm.replay(log[: k + 1]) for k in range(len(log))] == snaps

    def test_snapshots_are_lazy(self):
        """snapshots() consumes the log only as far as asked."""
        consumed = []

        def log():
            for e in base_log():
                consumed.append(e)
                yield e

        it = cm.snapshots(log())
        next(it)
        assert 1 == len(consumed)

    def test_lenient_snapshots_repeat_state_for_rejected(self):
        """With strict=False, a rejected event yields the state unchanged."""
        log = [*base_log(), declared(winner="nobody")]
        snaps = list(cm.snapshots(log, strict=False))
        assert snaps[-2] == snaps[-1]

    def test_state_at_includes_the_day(self):
        """state_at includes every event dated on or before the day."""
        log = [*base_log(), declared()]
        assert 7 == cm.state_at(log, D(2024, 7, 28)).version
        assert 8 == cm.state_at(log, D(2024, 7, 29)).version

    def test_state_at_month_window_over(self):
        """A month event is certain once its month is over (possible from the 1st)."""
        log = [
            *base_log(),
            WentIntoHiding(occurred_on=D(2024, 8, 1), precision=cm.Precision.MONTH,
                           person="gonzalez"),
        ]
        expected = (cm.Whereabouts.AT_LARGE, cm.Whereabouts.IN_HIDING,
                    cm.Whereabouts.AT_LARGE, cm.Whereabouts.IN_HIDING)
        actual = tuple(
            cm.state_at(log, day, reading=reading).actors["gonzalez"].whereabouts
            for day, reading in ((D(2024, 8, 30), "certain"), (D(2024, 8, 31), "certain"),
                                 (D(2024, 7, 31), "possible"), (D(2024, 8, 1), "possible"))
        )
        assert expected == actual

    def test_state_at_month_event_logged_after_a_later_day(self):
        """A month event logged after a later-dated day event is uncertain until its month ends."""
        log = [
            *base_log(),
            declared(day=D(2024, 8, 10)),
            WentIntoHiding(occurred_on=D(2024, 8, 1), precision=cm.Precision.MONTH,
                           person="gonzalez"),
        ]
        state = cm.state_at(log, D(2024, 8, 10))
        assert (cm.Whereabouts.AT_LARGE, 1, [8]) == (
            state.actors["gonzalez"].whereabouts, len(state.elections["ve"].declarations),
            [i for i, _ in cm.uncertain_events(log, D(2024, 8, 10))],
        )

    def test_state_at_a_later_event_settles_earlier_ones(self):
        """The log's order asserts chronology: a month event before a day event is certain then."""
        log = [
            *base_log(),
            WentIntoHiding(occurred_on=D(2024, 8, 1), precision=cm.Precision.MONTH,
                           person="gonzalez"),
            declared(day=D(2024, 8, 10)),
        ]
        assert (7, 9) == (cm.state_at(log, D(2024, 8, 9)).version,
                          cm.state_at(log, D(2024, 8, 10)).version)

    def test_state_at_leaves_out_what_comes_after_an_event_not_begun(self):
        """An event logged after one not yet begun is not even possible: it came later."""
        log = [
            *base_log(),
            person("machado", D(2024, 8, 10)),
            WentIntoHiding(occurred_on=D(2024, 8, 1), precision=cm.Precision.MONTH,
                           person="machado"),
        ]
        assert (7, 7, 8, 9) == (cm.state_at(log, D(2024, 8, 9)).version,
                                cm.state_at(log, D(2024, 8, 9), reading="possible").version,
                                cm.state_at(log, D(2024, 8, 10)).version,
                                cm.state_at(log, D(2024, 8, 10), reading="possible").version)

    def test_state_at_unknown_reading(self):
        """A reading other than certain or possible is an error naming the value."""
        with pytest.raises(cm.CrisisModelError, match="'probable'"):
            cm.state_at(base_log(), D(2024, 8, 1), reading="probable")  # type: ignore[arg-type]

    def test_state_at_strict_raises_for_contradictions(self):
        """A genuine contradiction up to the date still raises in strict mode."""
        log = [*base_log(), declared(winner="nobody")]
        with pytest.raises(cm.RuleViolation):
            cm.state_at(log, D(2024, 12, 31))

    def test_state_at_lenient(self):
        """state_at with strict=False skips rejected events."""
        log = [*base_log(), declared(winner="nobody"), declared()]
        assert 8 == cm.state_at(log, D(2024, 12, 31), strict=False).version


class TestSlicesAndRefKinds:
    def test_slice_in_initial_state(self):
        """A registered slice starts at its initial value."""
        with cm.registry.scoped():
            cm.state_slice("units", cm.FrozenMap())
            assert cm.FrozenMap() == cm.initial_state().slices["units"]
        assert "units" not in cm.initial_state().slices

    def test_slice_twice(self):
        """A slice name can be registered once."""
        with cm.registry.scoped():
            cm.state_slice("units", 0)
            with pytest.raises(cm.RegistrationError, match="already registered"):
                cm.state_slice("units", 1)

    def _shutdowns(self):
        """A throwaway slice (internet shutdowns by region) with its hooks, and one event."""
        cm.state_slice(
            "test.shutdowns", cm.FrozenMap(), title="Internet shutdowns",
            render=lambda v, name: [f"{r}: since {d}" for r, d in v.items()],
            to_json=lambda v: {r: d.isoformat() for r, d in v.items()})

        @cm.event_type("test.shutdown")
        @attrs.frozen(kw_only=True)
        class Shutdown(cm.Event):
            region: str

        @cm.handler(Shutdown)
        def _(draft: cm.Draft, e: Shutdown) -> None:
            old = draft.slices["test.shutdowns"]
            draft.set_slice("test.shutdowns", old.set(e.region, e.occurred_on))

        return Shutdown

    def test_slice_hooks_in_snapshot_and_diff(self):
        """A slice shows in the JSON snapshot and in diff through its to_json hook."""
        with cm.registry.scoped():
            shutdown = self._shutdowns()
            before = cm.initial_state()
            after = cm.replay([shutdown(occurred_on=D(2024, 7, 29), region="Caracas")])
            assert ({}, {"test.shutdowns": {"Caracas": "2024-07-29"}}) == (
                cm.snapshot_dict(before)["slices"], cm.snapshot_dict(after)["slices"])
            assert [cm.Change("slice", "test.shutdowns", "Caracas", None, "2024-07-29")] == (
                cm.diff(before, after))

    def test_slice_view_lines(self):
        """The render hook gives the slice's lines; without one, one line per entry."""
        with cm.registry.scoped():
            shutdown = self._shutdowns()
            cm.state_slice("test.plain", cm.FrozenMap({"a": 1}))
            state = cm.replay([shutdown(occurred_on=D(2024, 7, 29), region="Caracas")])
            views = {v.name: (v.title, v.lines(value, str)) for v, value in
                     cm.reducer.shown_slices(state)}
            assert {"test.shutdowns": ("Internet shutdowns", ["Caracas: since 2024-07-29"])} == (
                views)
            plain = cm.reducer.registry.slice_views["test.plain"]
            assert ["a: 1"] == plain.lines(cm.FrozenMap({"a": 1}), str)

    def test_user_reference_kind(self):
        """A user's reference kind gets the known-<kind> rule for free."""
        with cm.registry.scoped():
            cm.state_slice("units", cm.FrozenMap())
            cm.reference_kind("unit", lambda s, k: k in s.slices["units"])

            @cm.event_type("test.unit_moved")
            @attrs.frozen(kw_only=True)
            class UnitMoved(cm.Event):
                unit: str = cm.ref("unit")

            cm.handler(UnitMoved)(lambda s, e: s)
            event = UnitMoved(occurred_on=D(2024, 1, 1), unit="7th")
            assert ["known-unit"] == [p.rule for p in cm.check(cm.initial_state(), event)]

    def test_unregistered_reference_kind(self):
        """A ref field of a kind nobody registered is a registration error when checked."""
        with cm.registry.scoped():

            @cm.event_type("test.odd_ref")
            @attrs.frozen(kw_only=True)
            class OddRef(cm.Event):
                thing: str = cm.ref("thing")

            with pytest.raises(cm.RegistrationError, match="'thing'"):
                cm.check(cm.initial_state(), OddRef(occurred_on=D(2024, 1, 1), thing="x"))


class TestNewRefs:
    def test_duplicate_actor(self):
        """An actor id can be introduced once."""
        state = base_state()
        assert ["new-actor"] == [p.rule for p in cm.check(state, person("maduro", D(2024, 8, 1)))]

    def test_rules_skip_when_refs_unknown(self):
        """Type rules run only once every reference resolves."""
        event = ElectionDeclared(occurred_on=D(2024, 8, 1), election="nope", authority="cne",
                                 winner="maduro")
        assert ["known-election"] == [p.rule for p in cm.check(base_state(), event)]

    def test_unregistered_event_class_cannot_be_checked(self):
        """check() refuses events whose class is not registered."""

        @attrs.frozen(kw_only=True)
        class Loose(cm.Event):
            pass

        with pytest.raises(cm.UnknownEventTypeError):
            cm.check(cm.initial_state(), Loose(occurred_on=D(2024, 1, 1)))

    def test_amnesty_offer_new_id(self):
        """Offers are introduced by AmnestyProposed and referenced afterwards."""
        state = cm.replay([
            AmnestyProposed(occurred_on=D(2024, 8, 11), offer="o", by="usa", to=("maduro",)),
        ], initial=base_state())
        assert ["o"] == list(state.offers)


class TestFastPath:
    def test_handler_returning_a_kept_state_is_not_changed(self):
        """A handler returning a state it did not just build gets a copy stamped, not its own."""
        kept = base_state()
        with cm.registry.scoped():

            @cm.event_type("test.kept")
            @attrs.frozen(kw_only=True)
            class Kept(cm.Event):
                pass

            cm.handler(Kept)(lambda s, e: kept)
            after = cm.replay([Kept(occurred_on=D(2024, 9, 1))], initial=base_state())
        assert (base_state().version + 1, D(2024, 9, 1)) == (after.version, after.as_of)
        assert (base_state().version, base_state().as_of) == (kept.version, kept.as_of)

    def test_handler_returning_its_input(self):
        """A handler that changes nothing still advances the version, on a new state."""
        start = base_state()
        with cm.registry.scoped():

            @cm.event_type("test.noop")
            @attrs.frozen(kw_only=True)
            class Noop(cm.Event):
                pass

            cm.handler(Noop)(lambda s, e: s)
            after = cm.evolve(start, Noop(occurred_on=D(2024, 9, 1)))
        assert (start.version + 1, start.version) == (after.version, base_state().version)

    def test_intermediate_state_is_not_stamped(self):
        """Only the state a handler returns is stamped; one it built on the way is left alone."""
        seen: list[cm.CrisisState] = []
        with cm.registry.scoped():

            @cm.event_type("test.twostep")
            @attrs.frozen(kw_only=True)
            class TwoStep(cm.Event):
                pass

            @cm.handler(TwoStep)
            def _(s: cm.CrisisState, e: TwoStep) -> cm.CrisisState:
                first = s.with_actor("maduro", location="Caracas")
                seen.append(first)
                return first.with_actor("maduro", location="Miraflores")

            start = base_state()
            after = cm.evolve(start, TwoStep(occurred_on=D(2024, 9, 1)))
        assert (start.version + 1, start.version) == (after.version, seen[0].version)

    def test_rules_registered_after_a_replay_apply(self):
        """A rule registered after a type was replayed applies to the next replay."""
        with cm.registry.scoped():

            @cm.event_type("test.later")
            @attrs.frozen(kw_only=True)
            class Later(cm.Event):
                n: int

            cm.handler(Later)(lambda s, e: s)
            log = [Later(occurred_on=D(2024, 1, 1), n=-1)]
            assert 1 == cm.replay(log).version

            @cm.rule(Later)
            def positive(state: cm.CrisisState, e: Later) -> str | None:
                return None if e.n > 0 else "n must be positive"

            with pytest.raises(cm.RuleViolation, match="n must be positive"):
                cm.replay(log)

    def test_paused_gc_restores_on_error(self):
        """paused_gc re-enables the collector after an error, and leaves it off if it was off."""
        import gc

        with pytest.raises(ZeroDivisionError), cm.paused_gc():
            1 / 0  # noqa: B018
        assert gc.isenabled()
        gc.disable()
        try:
            with cm.paused_gc():
                pass
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_paused_gc_leaves_no_young_pass_behind(self):
        """What a pause made joins the oldest generation: the collector does not start a
        young pass over it once back on (replay's objects live long and form no cycles)."""
        import gc

        gc.collect()
        before = gc.get_stats()[0]["collections"]
        with cm.paused_gc():
            made = [[] for _ in range(5_000)]  # far past the young generation's threshold
        after = [[] for _ in range(50)]  # allocations once the collector is back on
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        assert (before, True, True, 0) == (
            gc.get_stats()[0]["collections"], id(made) in oldest, gc.isenabled(),
            gc.get_freeze_count())
        del made, after

    def test_paused_gc_keeps_what_the_caller_froze(self):
        """Objects the caller froze (gc.freeze) stay frozen after a pause."""
        import gc

        gc.freeze()
        try:
            frozen = gc.get_freeze_count()
            with cm.paused_gc():
                made = [[] for _ in range(100)]
            assert (frozen, True) == (gc.get_freeze_count(), gc.isenabled())
            del made
        finally:
            gc.unfreeze()

    def test_replay_restores_gc_after_a_violation(self):
        """A strict replay that raises leaves the collector enabled."""
        import gc

        with pytest.raises(cm.RuleViolation):
            cm.replay([person("maduro"), person("maduro")])
        assert gc.isenabled()

    def test_tuple_references(self):
        """Each id of a tuple reference field must resolve; a new one must not repeat."""
        with cm.registry.scoped():

            @cm.event_type("test.many")
            @attrs.frozen(kw_only=True)
            class Many(cm.Event):
                known: tuple[str, ...] = cm.ref("actor", default=())
                fresh: tuple[str, ...] = cm.ref("actor", new=True, default=())

            cm.handler(Many)(lambda s, e: s)
            state = base_state()
            day = D(2024, 9, 1)
            assert [] == cm.check(state, Many(occurred_on=day, known=("maduro", "cne")))
            assert [("known-actor", "nobody")] == [
                (p.rule, p.subject)
                for p in cm.check(state, Many(occurred_on=day, known=("maduro", "nobody")))
            ]
            assert [("new-actor", "x")] == [
                (p.rule, p.subject)
                for p in cm.check(state, Many(occurred_on=day, fresh=("x", "y", "x")))
            ]
            again = Many(occurred_on=day, fresh=("maduro",))
            assert [("new-actor", "maduro")] == [
                (p.rule, p.subject) for p in cm.check(state, again)
            ]


class TestProperties:
    """Properties of replay over generated logs (crisis_model.testing strategies)."""

    @given(admissible_logs)
    def test_deterministic(self, log):
        """Identical logs give identical states, also after a serialisation round trip."""
        again = [from_dict(to_dict(e)) for e in log]
        assert cm.replay(log) == cm.replay(again)

    @given(admissible_logs)
    def test_pure(self, log):
        """Replay mutates neither the log nor the initial state."""
        before = list(log)
        initial = cm.initial_state()
        initial_hash = hash(initial)
        cm.replay(log, initial=initial)
        list(cm.snapshots(log, initial=initial))
        assert (before, initial_hash) == (log, hash(initial))

    @given(split_logs())
    def test_split_fold(self, parts):
        """Replaying a+b equals replaying b from the state after a."""
        a, b = parts
        assert cm.replay(a + b) == cm.replay(b, initial=cm.replay(a))

    @given(admissible_logs, st.data())
    def test_snapshot_k_is_replay_of_first_k(self, log, data):
        """Snapshot k equals the replay of the first k+1 events."""
        snaps = list(cm.snapshots(log))
        k = data.draw(st.integers(0, len(log) - 1), label="k")
        assert cm.replay(log[: k + 1]) == snaps[k]
        assert len(log) == len(snaps) == snaps[-1].version

    @given(mixed_logs)
    def test_lenient_equals_replay_of_admitted(self, log):
        """Lenient replay equals strict replay of the events it admitted."""
        state, anomalies = cm.replay(log, strict=False)
        rejected = {a.index for a in anomalies}
        admitted = [e for i, e in enumerate(log) if i not in rejected]
        assert cm.replay(admitted) == state

    @given(mixed_logs)
    def test_admits_agrees_with_check(self, log):
        """reducer.admits (admission checks first) says yes exactly where check is empty."""
        from crisis_model.reducer import admits

        state = cm.initial_state()
        answers = []
        for event in log:
            empty = not cm.check(state, event)
            answers.append((admits(state, event), empty))
            if empty:
                state = cm.evolve(state, event)
        assert [(empty, empty) for _, empty in answers] == answers

    @given(mixed_logs)
    def test_strict_raises_at_first_anomaly(self, log):
        """Strict replay raises exactly at lenient replay's first anomaly."""
        _, anomalies = cm.replay(log, strict=False)
        if not anomalies:
            assert len(log) == cm.replay(log).version
            return
        with pytest.raises(cm.RuleViolation) as info:
            cm.replay(log)
        first = anomalies[0]
        assert (first.index, first.problems) == (info.value.index, info.value.problems)

    @given(admissible_logs, st.data())
    def test_state_at_last_date_is_final_state(self, log, data):
        """Every event of an admissible log counts as of the last day of the last window
        (and, read as possible, as of the latest date reached)."""
        final = cm.replay(log)
        last_end = max(e.window[1] for e in log)
        last_start = max(e.occurred_on for e in log)
        assert (final, final) == (cm.state_at(log, last_end),
                                  cm.state_at(log, last_start, reading="possible"))


class TestTypingExamples:
    def test_user_style_module_runs(self):
        """The module CI type-checks as a user's code also replays cleanly."""
        import runpy
        from pathlib import Path

        with cm.registry.scoped():
            ns = runpy.run_path(str(Path(__file__).with_name("typing_examples.py")))
            state, example = ns["state"], ns["example"]
            after = cm.replay([example], initial=state)
        assert (8, ("a",), "here") == (state.version, example.tags, after.actors["m"].location)


def _hiding_twice() -> list[cm.Event]:
    """A person introduced, then reported going into hiding twice (the second is rejected)."""
    return [person("m"), WentIntoHiding(occurred_on=D(2024, 8, 1), person="m"),
            WentIntoHiding(occurred_on=D(2024, 8, 2), person="m")]


class TestWaivers:
    def test_rule_rejects_without_waiver(self):
        """Without a waiver the second move into hiding is rejected, naming its rule."""
        with pytest.raises(cm.RuleViolation) as exc:
            cm.replay(_hiding_twice())
        assert "not-already-hiding" == exc.value.rule

    def test_waiver_for_every_event(self):
        """A mapping of rule name to reason waives the rule for the whole log."""
        state = cm.replay(_hiding_twice(), waive={"not-already-hiding": "two reports"})
        assert 3 == state.version

    def test_waiver_for_one_event(self):
        """A waiver with ``event`` applies to the event at that position only."""
        log = _hiding_twice()
        assert 3 == cm.replay(log, waive=[cm.Waiver("not-already-hiding", "x", event=2)]).version
        with pytest.raises(cm.RuleViolation):
            cm.replay([*log, WentIntoHiding(occurred_on=D(2024, 8, 3), person="m")],
                      waive=[cm.Waiver("not-already-hiding", "x", event=2)])

    def test_waived_lists_what_was_set_aside(self):
        """``cm.waived`` names the waiver, the event and the problem it set aside."""
        w = cm.Waiver("not-already-hiding", "two reports")
        used = cm.waived(_hiding_twice(), [w])
        assert [(w, 2, "not-already-hiding")] == [(u.waiver, u.index, u.problem.rule)
                                                  for u in used]

    def test_unused_waiver_sets_nothing_aside(self):
        """A waiver whose rule never objects appears in no waived problem."""
        assert [] == cm.waived(_hiding_twice()[:2], {"not-already-hiding": "x"})

    def test_only_the_waived_rule_is_set_aside(self):
        """Other rules still reject the event."""
        log = [*_hiding_twice()[:2], WentIntoHiding(occurred_on=D(2024, 7, 1), person="m")]
        with pytest.raises(cm.RuleViolation) as exc:
            cm.replay(log, waive={"not-already-hiding": "x"})
        assert "chronology" == exc.value.rule

    def test_chronology_can_be_waived(self):
        """``chronology`` is a rule like the others."""
        log = [*_hiding_twice()[:1], WentIntoHiding(occurred_on=D(2024, 6, 1), person="m")]
        assert 2 == cm.replay(log, waive={"chronology": "the date was misprinted"}).version

    @pytest.mark.parametrize("reason", ["", "   ", None])
    def test_reason_required(self, reason):
        """A waiver without a reason in words is an error."""
        with pytest.raises(cm.WaiverError, match="needs a reason"):
            cm.Waiver("not-already-hiding", reason)  # type: ignore[arg-type]

    def test_unknown_rule(self):
        """An unknown rule name is an error suggesting near names."""
        with pytest.raises(cm.WaiverError, match=r"'not-already-hidin'.*not-already-hiding"):
            cm.replay(_hiding_twice(), waive={"not-already-hidin": "typo"})

    def test_reference_rules_cannot_be_waived(self):
        """known-/new- rules guard what handlers rely on."""
        with pytest.raises(cm.WaiverError, match="cannot be waived"):
            cm.replay(_hiding_twice(), waive={"known-actor": "x"})

    def test_one_event_waiver_must_fit_the_event(self):
        """A waiver for one event names a rule checked for that event's type."""
        with pytest.raises(cm.WaiverError, match=r"not checked for 'actor\.introduced'"):
            cm.replay(_hiding_twice(), waive=[cm.Waiver("not-already-hiding", "x", event=0)])

    def test_state_at_snapshots_history_check(self):
        """Every entry point that replays takes ``waive``."""
        log, waive = _hiding_twice(), {"not-already-hiding": "two reports"}
        assert 3 == cm.state_at(log, D(2024, 9, 1), waive=waive).version
        assert 3 == list(cm.snapshots(log, waive=waive))[-1].version
        history = cm.History(log, waive=waive)
        assert (3, 1) == (history.final.version, len(history.waived))
        assert 3 == history.state_at(D(2024, 9, 1)).version
        state = cm.replay(log[:2])
        assert [] == cm.check(state, log[2], waive=waive)
        assert ["not-already-hiding"] == [p.rule for p in cm.check(state, log[2])]

    def test_waiver_with_retractions(self):
        """A one-event waiver follows its event when retractions are applied first."""
        log = [person("m"), person("x"), *_hiding_twice()[1:]]
        gone = cm.RecordRetracted(occurred_on=D(2024, 8, 3), retracts=cm.derived_id(log[1]))
        waive = [cm.Waiver("not-already-hiding", "two reports", event=3)]
        assert 3 == cm.replay([*log, gone], waive=waive).version
        assert [3] == [u.index for u in cm.waived([*log, gone], waive)]


class TestRuleNames:
    def test_name_clash_is_an_error(self):
        """Registering a second rule under a taken name is an error saying how to replace."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match="replaces="):

            @cm.rule(WentIntoHiding)
            def not_already_hiding(state, e):
                return None

    def test_replace_a_built_in_rule(self):
        """``replaces=`` puts the new rule in the old one's place, for the classes given."""
        with cm.registry.scoped():

            @cm.rule(WentIntoHiding, replaces="not-already-hiding")
            def hiding_reported_once_a_day(state, e):
                return None

            names = cm.registry.rule_names(WentIntoHiding)
            assert "hiding-reported-once-a-day" in names
            assert "not-already-hiding" not in names
            assert 3 == cm.replay(_hiding_twice()).version
        with pytest.raises(cm.RuleViolation):
            cm.replay(_hiding_twice())

    def test_replace_keeping_the_name(self):
        """A replacement may keep the name it replaces (waivers of it keep working)."""
        with cm.registry.scoped():

            @cm.rule(WentIntoHiding, replaces="not-already-hiding", name="not-already-hiding")
            def relaxed(state, e):
                return None

            assert 3 == cm.replay(_hiding_twice()).version

    def test_replace_unknown_rule(self):
        """Replacing a rule the class does not check is an error listing its rules."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match="its rules"):

            @cm.rule(WentIntoHiding, replaces="not-holding")
            def other(state, e):
                return None


class TestLogsWithRecordEvents:
    """Replay looks for corrections and retractions only once it meets one (or fails)."""

    @staticmethod
    def _recognition(winner: str) -> WinnerRecognized:
        return WinnerRecognized(occurred_on=D(2024, 8, 1), by="usa", election="ve",
                                winner=winner, id="rec")

    def test_correction_fixes_an_earlier_inadmissible_event(self):
        """Strict replay fails at an unknown winner unless a later correction names a
        known one: then the record as corrected is replayed."""
        wrong = [*base_log(), self._recognition("nobody")]
        fixed = [*wrong, cm.RecordCorrected(occurred_on=D(2024, 8, 2), corrects="rec",
                                            changes={"winner": "gonzalez"})]
        with pytest.raises(cm.RuleViolation):
            cm.replay(wrong)
        state = cm.replay(fixed)
        assert ("gonzalez", len(base_log()) + 1) == (
            state.actors["usa"].stances["ve"].winner, state.version)

    def test_lenient_replay_meets_a_retraction(self):
        """A retraction met after an anomaly: the anomaly found on the way is dropped and
        the record replayed as retracted."""
        log = [*base_log(), self._recognition("nobody"),
               cm.RecordRetracted(occurred_on=D(2024, 8, 2), retracts="rec", reason="wrong")]
        state, anomalies = cm.replay(log, strict=False)
        assert ([], len(base_log()), "ve" in state.actors["usa"].stances) == (
            anomalies, state.version, False)

    @given(admissible_logs)
    def test_same_state_as_the_record_applied_first(self, log):
        """Without record events, replay equals replay of the record as known."""
        assert cm.replay(cm.as_known(log).events) == cm.replay(log)
