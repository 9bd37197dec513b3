"""Tests for crisis_model.store: one contract for every backend, then each backend's own duties."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import event as note_event
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

import crisis_model as cm
from crisis_model._jsontext import escape
from crisis_model.events import ProtestHeld, Reappeared, WentIntoHiding
from crisis_model.serialization import DecodeError, FieldError, to_dict
from crisis_model.store import (
    BatchRejected,
    ConcurrencyError,
    EventStore,
    FeedItem,
    JsonlStore,
    MemoryStore,
    PostgresStore,
    Projection,
    SqliteStore,
    StoreError,
    TornTailError,
    TornTailWarning,
    open_store,
)
from crisis_model.store._base import encode

from .builders import D, person
from .conftest import drop_schema, new_schema
from .strategies import any_text, events

# -- events the contract draws from: a small world where rules sometimes say no ------------

ACTORS = ("ana", "ben", "cruz")
DAYS = (D(2024, 7, 1), D(2024, 7, 2), D(2024, 7, 3))
STREAMS = ("ve", "ve.what-if", "branch_2", "C-3")
NOTES = ("", "Caracas – según fuentes", "line\u2028separator \"quoted\" \\ 🗳")


@st.composite
def world_events(draw: st.DrawFn) -> cm.Event:
    """One event about ACTORS, dated on one of DAYS; some will break a rule."""
    day = draw(st.sampled_from(DAYS))
    actor = draw(st.sampled_from(ACTORS))
    note = draw(st.sampled_from(NOTES))
    kind = draw(st.sampled_from(("introduce", "protest", "hide", "reappear")))
    if kind == "introduce":
        return person(actor, day, note=note)
    if kind == "protest":
        by = draw(st.none() | st.sampled_from(ACTORS))
        size = draw(st.sampled_from((None, 5000, "300-650~400")))
        return ProtestHeld(occurred_on=day, by=by, size=size, note=note)
    if kind == "hide":
        return WentIntoHiding(occurred_on=day, person=actor, note=note)
    return Reappeared(occurred_on=day, person=actor, location="Caracas")


batches = st.lists(world_events(), max_size=4)


def fresh(history: list[cm.Event], batch: list[cm.Event]) -> tuple[list[cm.Event], list[int]]:
    """The events of ``batch`` a store appends after ``history`` (those whose id, derived
    from the batch alone, the history does not hold: the others are no-ops), and their
    positions in the batch."""
    stored = set(cm.event_ids(history))
    kept = [(e, i) for i, (e, eid) in enumerate(zip(batch, cm.event_ids(batch), strict=True))
            if eid not in stored]
    return [e for e, _ in kept], [i for _, i in kept]


def expected_outcome(history: list[cm.Event], batch: list[cm.Event]) -> tuple[int, str] | None:
    """``(index, rule)`` of the first event of ``batch`` the rules reject after ``history``."""
    state = cm.replay(history)
    for i, event in enumerate(batch):
        problems = cm.check(state, event)
        if problems:
            return i, problems[0].rule
        state = cm.evolve(state, event)
    return None


# -- the contract -----------------------------------------------------------------------------


class StoreContract(RuleBasedStateMachine):
    """Drives a store and a model (a dict of plain lists) with the same operations.

    Subclasses say how to open the backend and what reopening it means.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="crisis-store-"))
        self.model: dict[str, list[cm.Event]] = {}
        self.origins: dict[str, tuple[str, int]] = {}
        self.store: EventStore = self.open()

    def open(self) -> EventStore:
        raise NotImplementedError

    def reopen(self) -> None:
        self.store.close()
        self.store = self.open()

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @initialize(batch=st.lists(world_events(), min_size=1, max_size=6))
    def seed(self, batch: list[cm.Event]) -> None:
        _, anomalies = cm.replay(batch, strict=False)
        skipped = {a.index for a in anomalies}
        accepted = [e for i, e in enumerate(batch) if i not in skipped]
        if accepted:
            assert len(accepted) == self.store.append("ve", accepted, expected_version=0)
            self.model["ve"] = list(accepted)

    @rule(stream=st.sampled_from(STREAMS), batch=batches, skew=st.sampled_from((0, 0, 0, -1, 1)))
    def append(self, stream: str, batch: list[cm.Event], skew: int) -> None:
        history = self.model.get(stream, [])
        expected = max(0, len(history) + skew)
        if expected != len(history):
            note_event("append: stale version")
            with pytest.raises(ConcurrencyError) as info:
                self.store.append(stream, batch, expected_version=expected)
            assert (stream, expected, len(history)) == (
                info.value.stream, info.value.expected, info.value.actual
            )
            return
        new, positions = fresh(history, batch)
        rejected = expected_outcome(history, new)
        if rejected is not None:
            note_event("append: rejected by a rule")
            with pytest.raises(BatchRejected) as rejection:
                self.store.append(stream, batch, expected_version=expected)
            assert (positions[rejected[0]], rejected[1]) == (
                rejection.value.index, rejection.value.rule)
            assert len(history) + rejected[0] + 1 == rejection.value.version
            return
        note_event("append: accepted" if new else "append: empty or already stored")
        assert len(history) + len(new) == self.store.append(
            stream, batch, expected_version=expected
        )
        if new:
            self.model[stream] = history + new

    @rule(
        stream=st.sampled_from(STREAMS),
        start=st.integers(0, 12),
        stop=st.none() | st.integers(0, 12),
    )
    def read(self, stream: str, start: int, stop: int | None) -> None:
        assert self.model.get(stream, [])[start:stop] == self.store.read(
            stream, start=start, stop=stop
        )

    @rule(source=st.sampled_from(STREAMS), at=st.integers(0, 10), new=st.sampled_from(STREAMS))
    def fork(self, source: str, at: int, new: str) -> None:
        history = self.model.get(source)
        if history is None or at > len(history) or new in self.model:
            note_event("fork: refused")
            with pytest.raises(StoreError, match="cannot fork"):
                self.store.fork(source, at, new)
            return
        note_event("fork: made")
        assert at == self.store.fork(source, at, new)
        self.model[new] = history[:at]
        self.origins[new] = (source, at)

    @rule()
    def reopen_store(self) -> None:
        self.reopen()

    @rule(stream=st.sampled_from(STREAMS), as_of=st.none() | st.sampled_from(DAYS))
    def replay(self, stream: str, as_of: dt.date | None) -> None:
        history = self.model.get(stream, [])
        expected = cm.replay(history) if as_of is None else cm.state_at(history, as_of)
        assert expected == self.store.replay(stream, as_of)

    @invariant()
    def same_streams_and_versions(self) -> None:
        assert sorted(self.model) == self.store.streams()
        for stream in STREAMS:
            assert len(self.model.get(stream, [])) == self.store.version(stream)
            assert self.origins.get(stream) == self.store.origin(stream)


class MemoryContract(StoreContract):
    def open(self) -> EventStore:
        return MemoryStore()

    def reopen(self) -> None:
        # A memory store cannot outlive close(); reopening it means forgetting its caches.
        assert isinstance(self.store, MemoryStore)
        self.store._drop_states()


class JsonlContract(StoreContract):
    def open(self) -> EventStore:
        return JsonlStore(self.dir / "store.jsonl")


class SqliteContract(StoreContract):
    def open(self) -> EventStore:
        return SqliteStore(self.dir / "crisis.db")


class PostgresContract(StoreContract):
    #: The test server (set by the test before the machine runs).
    dsn = ""

    def __init__(self) -> None:
        self.schema = new_schema()
        super().__init__()

    def open(self) -> EventStore:
        return PostgresStore(self.dsn, schema=self.schema)

    def teardown(self) -> None:
        super().teardown()
        drop_schema(self.dsn, self.schema)


MACHINES: dict[str, type[StoreContract]] = {
    "memory": MemoryContract,
    "jsonl": JsonlContract,
    "sqlite": SqliteContract,
    "postgres": PostgresContract,
}


class TestContract:
    @pytest.mark.parametrize("backend", sorted(MACHINES))
    def test_contract(self, backend: str, request: pytest.FixtureRequest) -> None:
        """Every backend matches the model through random appends, reads, forks and reopens."""
        if backend == "postgres":
            PostgresContract.dsn = request.getfixturevalue("postgres_dsn")
        run_state_machine_as_test(MACHINES[backend], settings=settings(stateful_step_count=30))


# -- fixtures for the unit tests ---------------------------------------------------------------

Opener = Callable[[], EventStore]


def lasting_opener(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Opener]:
    """Opens a store of a backend that lasts; each call opens another object on the same
    files (or PostgreSQL schema)."""
    opened: list[EventStore] = []
    dsn = request.getfixturevalue("postgres_dsn") if backend == "postgres" else ""
    schema = new_schema()

    def open_() -> EventStore:
        store: EventStore
        if backend == "postgres":
            store = PostgresStore(dsn, schema=schema)
        elif backend == "jsonl":
            store = JsonlStore(tmp_path / "s.jsonl")
        else:
            store = SqliteStore(tmp_path / "s.db")
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()
    if backend == "postgres":
        drop_schema(dsn, schema)


@pytest.fixture(params=sorted(MACHINES))
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a store of each backend; lasting backends reopen the same store."""
    if request.param == "memory":
        memory = MemoryStore()
        yield lambda: memory
        return
    yield from lasting_opener(request.param, request, tmp_path)


@pytest.fixture
def store(opener: Opener) -> EventStore:
    """A fresh store of each backend."""
    return opener()


@pytest.fixture(params=["jsonl", "sqlite"])
def file_opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a store of each file backend; each call opens another object on the same files."""
    yield from lasting_opener(request.param, request, tmp_path)


@pytest.fixture(params=["jsonl", "postgres", "sqlite"])
def shared_opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a store of each lasting backend; each call opens another object on the same
    store, as another process would."""
    yield from lasting_opener(request.param, request, tmp_path)


JULY_2 = D(2024, 7, 2)


def hide(who: str, day: dt.date = JULY_2) -> WentIntoHiding:
    """``who`` goes into hiding (on 2 July unless told)."""
    return WentIntoHiding(occurred_on=day, person=who)


# -- every backend ---------------------------------------------------------------------------


class TestAppend:
    def test_returns_new_version(self, store: EventStore) -> None:
        """Each append returns the version the stream reached."""
        assert 2 == store.append("s", [person("a"), person("b")], expected_version=0)
        assert 3 == store.append("s", [hide("a")], expected_version=2)

    def test_stale_version_writes_nothing(self, store: EventStore) -> None:
        """A stale expected version raises ConcurrencyError with the actual version."""
        store.append("s", [person("a")], expected_version=0)
        with pytest.raises(ConcurrencyError) as info:
            store.append("s", [person("b")], expected_version=0)
        assert ("s", 0, 1) == (info.value.stream, info.value.expected, info.value.actual)
        assert [person("a")] == store.read("s")

    def test_rejected_batch_writes_nothing(self, store: EventStore) -> None:
        """A batch whose third event breaks a rule is refused whole, naming event and rule."""
        store.append("s", [person("a")], expected_version=0)
        with pytest.raises(BatchRejected) as info:
            store.append("s", [person("b"), hide("b"), hide("b")], expected_version=1)
        assert (2, 4, "not-already-hiding", "s") == (
            info.value.index, info.value.version, info.value.rule, info.value.stream
        )
        assert "event #2 of the batch" in str(info.value)
        assert 1 == store.version("s")

    def test_rejection_is_a_rule_violation(self, store: EventStore) -> None:
        """Callers may catch the rejection as cm.RuleViolation."""
        with pytest.raises(cm.RuleViolation, match="unknown actor 'nobody'"):
            store.append("s", [hide("nobody")], expected_version=0)

    def test_batch_checked_against_stored_state(self, opener: Opener) -> None:
        """Rules see the history already stored, also after reopening.  (The very same
        event again would be a no-op: its id is already stored.)"""
        opener().append("s", [person("a")], expected_version=0)
        with pytest.raises(BatchRejected, match="already introduced"):
            opener().append("s", [person("a", note="again")], expected_version=1)

    def test_stale_version_checked_before_rules(self, store: EventStore) -> None:
        """A stale batch that also breaks a rule reports the conflict."""
        store.append("s", [person("a")], expected_version=0)
        with pytest.raises(ConcurrencyError):
            store.append("s", [hide("nobody")], expected_version=0)

    def test_empty_batch(self, store: EventStore) -> None:
        """An empty batch writes nothing, creates no stream, and still checks the version."""
        assert 0 == store.append("s", [], expected_version=0)
        assert [] == store.streams()
        with pytest.raises(ConcurrencyError):
            store.append("s", [], expected_version=3)

    def test_accepts_any_iterable(self, store: EventStore) -> None:
        """A generator of events is a batch like a list."""
        assert 2 == store.append("s", (person(a) for a in "xy"), expected_version=0)

    def test_not_an_event(self, store: EventStore) -> None:
        """Something that is not an event is refused before anything is written."""
        with pytest.raises(StoreError, match=r"not a crisis_model\.Event"):
            store.append("s", [person("a"), {"type": "actor.introduced"}], expected_version=0)
        assert 0 == store.version("s")

    def test_unregistered_type(self, store: EventStore) -> None:
        """An event of an unregistered class is refused."""
        @attrs.frozen(kw_only=True)
        class Loose(cm.Event):
            pass

        with pytest.raises(cm.UnknownEventTypeError):
            store.append("s", [Loose(occurred_on=D(2024, 1, 1))], expected_version=0)

    def test_not_json(self, store: EventStore) -> None:
        """An event JSON cannot hold (a NaN) is refused with the batch, not half-written."""
        with cm.registry.scoped():

            @cm.event_type("test.measured")
            @attrs.frozen(kw_only=True)
            class Measured(cm.Event):
                value: float

            @cm.handler(Measured)
            def _(state: cm.CrisisState, e: Measured) -> cm.CrisisState:
                return state

            batch = [Measured(occurred_on=JULY_2, value=1.0),
                     Measured(occurred_on=JULY_2, value=float("nan"))]
            with pytest.raises(StoreError, match=r"event #1 of the batch \(test.measured\)"):
                store.append("s", batch, expected_version=0)
            assert 0 == store.version("s")

    @pytest.mark.parametrize(("nan_at", "error", "expected"), [
        (0, StoreError, r"event #0 of the batch \(test.measured\) cannot be stored"),
        (2, BatchRejected, r"rejected, nothing written: event #1 of the batch"),
    ])
    def test_first_problem_reported(
        self, store: EventStore, nan_at: int, error: type[Exception], expected: str
    ) -> None:
        """In a batch with an event JSON cannot hold and one a rule refuses, whichever
        comes first is reported; nothing is written."""
        with cm.registry.scoped():

            @cm.event_type("test.measured")
            @attrs.frozen(kw_only=True)
            class Measured(cm.Event):
                value: float

            @cm.handler(Measured)
            def _(state: cm.CrisisState, e: Measured) -> cm.CrisisState:
                return state

            @cm.rule(Measured)
            def positive(state: cm.CrisisState, e: Measured) -> str | None:
                return "negative" if e.value < 0 else None

            batch = [Measured(occurred_on=JULY_2, value=1.0), Measured(occurred_on=JULY_2,
                                                                       value=-1.0)]
            batch.insert(nan_at, Measured(occurred_on=JULY_2, value=float("nan")))
            with pytest.raises(error, match=expected):
                store.append("s", batch, expected_version=0)
            assert 0 == store.version("s")

    @pytest.mark.parametrize("bad", [-1, True, 1.0, "1", None])
    def test_bad_expected_version(self, store: EventStore, bad: object) -> None:
        """An expected version that is not a whole number >= 0 is refused."""
        with pytest.raises(StoreError, match="expected_version"):
            store.append("s", [person("a")], expected_version=bad)  # type: ignore[arg-type]

    def test_events_round_trip(self, opener: Opener) -> None:
        """Reading after reopening gives events equal to those appended, unicode and all."""
        events = [
            person("a", note="Ñandú – “quoted” \u2028 🗳", sources=("rio-times", "ap")),
            ProtestHeld(occurred_on=D(2024, 8, 1), precision=cm.Precision.MONTH, size=10),
        ]
        opener().append("s", events, expected_version=0)
        assert events == opener().read("s")


class TestEncoding:
    """The payload text every backend stores is the compact JSON of ``to_dict``."""

    @staticmethod
    def compact(event: cm.Event) -> str:
        return escape(json.dumps(to_dict(event), ensure_ascii=False, separators=(",", ":"),
                                 allow_nan=False))

    @pytest.mark.parametrize("tag", cm.registry.tags())
    @settings(max_examples=30)
    @given(data=st.data())
    def test_every_type(self, tag: str, data: st.DataObject) -> None:
        """encode(e) is (tag, compact JSON of to_dict(e), line separators escaped) for
        events of every type, with any text in their notes."""
        event = data.draw(events(types=[cm.registry.type_for(tag)]))
        event = attrs.evolve(event, note=data.draw(st.text(max_size=8)))
        assert (tag, self.compact(event)) == encode(event)

    def test_unusual_values(self) -> None:
        """Values of classes the fast writer does not expect are written as to_dict has them."""

        class Name(str):
            pass

        event = ProtestHeld(occurred_on=JULY_2, by=Name("ana"), size=cm.Count(300, 400, 650),
                            note="\u2028\"")
        assert ("unrest.protest", self.compact(event)) == encode(event)

    def test_nan_refused(self) -> None:
        """A NaN cannot be written (the store turns this into a StoreError)."""
        with cm.registry.scoped():

            @cm.event_type("test.measured")
            @attrs.frozen(kw_only=True)
            class Measured(cm.Event):
                value: float

            assert 1.5 == json.loads(encode(Measured(occurred_on=JULY_2, value=1.5))[1])["value"]
            with pytest.raises(ValueError, match="Out of range float"):
                encode(Measured(occurred_on=JULY_2, value=float("nan")))


class TestNames:
    @pytest.mark.parametrize(
        "name", ["", "../x", "a/b", "a\\b", ".hidden", "..", "x" * 201, "a b", "ñ", "a\nb", 7]
    )
    def test_invalid(self, store: EventStore, name: object) -> None:
        """A name that is not a safe file name is refused by every operation."""
        with pytest.raises(StoreError, match="invalid stream name"):
            store.append(name, [person("a")], expected_version=0)  # type: ignore[arg-type]
        with pytest.raises(StoreError, match="invalid stream name"):
            store.read(name)  # type: ignore[arg-type]
        with pytest.raises(StoreError, match="invalid stream name"):
            store.version(name)  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["a", "ve-2024", "x.y_z", "_", "9", "A" * 200])
    def test_valid(self, store: EventStore, name: str) -> None:
        """Letters, digits, '-', '_' and '.' (not leading) make a name."""
        store.append(name, [person("a")], expected_version=0)
        assert [name] == store.streams()


class TestRead:
    def test_slices_like_a_list(self, store: EventStore) -> None:
        """start and stop slice the log: stop=k is the history up to version k."""
        log = [person(a) for a in "abcde"]
        store.append("s", log, expected_version=0)
        assert (log[:2], log[3:], log[1:4], []) == (
            store.read("s", stop=2), store.read("s", start=3),
            store.read("s", start=1, stop=4), store.read("s", start=4, stop=2),
        )

    def test_unknown_stream_is_empty(self, store: EventStore) -> None:
        """A stream never written reads as empty, at version 0."""
        assert ([], 0, cm.initial_state()) == (
            store.read("nope"), store.version("nope"), store.replay("nope")
        )

    @pytest.mark.parametrize("bad", [{"start": -1}, {"stop": -2}, {"start": "0"}])
    def test_bad_range(self, store: EventStore, bad: dict[str, object]) -> None:
        """Negative or non-integer bounds are refused."""
        with pytest.raises(StoreError):
            store.read("s", **bad)  # type: ignore[arg-type]


class TestReplay:
    def test_as_of(self, store: EventStore) -> None:
        """replay(as_of=...) is state_at over the stream's events."""
        log = [person("a"), hide("a", D(2024, 7, 5))]
        store.append("s", log, expected_version=0)
        assert cm.state_at(log, D(2024, 7, 3)) == store.replay("s", as_of=D(2024, 7, 3))
        assert cm.replay(log) == store.replay("s")

    def test_sees_other_writers(self, shared_opener: Opener) -> None:
        """A store object's cached state catches up with appends made through another."""
        a, b = shared_opener(), shared_opener()
        a.append("s", [person("x")], expected_version=0)
        assert ["x"] == list(b.replay("s").actors)
        a.append("s", [person("y")], expected_version=1)
        assert ["x", "y"] == sorted(b.replay("s").actors)
        with pytest.raises(BatchRejected, match="already introduced"):
            b.append("s", [person("y", note="again")], expected_version=2)


class TestFork:
    def test_branches_diverge(self, store: EventStore) -> None:
        """A fork shares the prefix; later appends to either stay out of the other."""
        store.append("s", [person("a"), person("b")], expected_version=0)
        assert 1 == store.fork("s", 1, "t")
        store.append("t", [hide("a")], expected_version=1)
        store.append("s", [hide("b")], expected_version=2)
        assert [person("a"), hide("a")] == store.read("t")
        assert [person("a"), person("b"), hide("b")] == store.read("s")
        assert ["s", "t"] == store.streams()

    def test_fork_rules_use_branch_state(self, store: EventStore) -> None:
        """Appends to a fork are checked against the fork's own history."""
        store.append("s", [person("a"), person("b")], expected_version=0)
        store.fork("s", 1, "t")
        assert 2 == store.append("t", [person("b")], expected_version=1)

    def test_fork_of_fork(self, opener: Opener) -> None:
        """A fork of a fork reads through both parents, after reopening too."""
        s = opener()
        s.append("s", [person("a"), person("b"), person("c")], expected_version=0)
        s.fork("s", 2, "t")
        s.append("t", [person("x"), person("y")], expected_version=2)
        s.fork("t", 3, "u")
        s.append("u", [person("z")], expected_version=3)
        assert [person(n) for n in "abxz"] == opener().read("u")
        assert [person(n) for n in "bx"] == opener().read("u", start=1, stop=3)

    def test_fork_of_fork_further_back(self, opener: Opener) -> None:
        """A fork of a fork at an earlier version than its parent's fork point sees only
        that prefix (nothing of the grandparent beyond it)."""
        s = opener()
        s.append("s", [person("a"), person("b"), person("c")], expected_version=0)
        s.fork("s", 2, "t")
        s.append("t", [person("x")], expected_version=2)
        s.fork("t", 1, "u")
        s.fork("t", 0, "v")
        assert ([person("a")], [], 1, 0) == (
            opener().read("u"), opener().read("v"), opener().version("u"), opener().version("v")
        )
        assert cm.replay([person("a")]) == opener().replay("u")

    def test_fork_at_zero(self, store: EventStore) -> None:
        """A fork at version 0 is an empty stream that exists."""
        store.append("s", [person("a")], expected_version=0)
        store.fork("s", 0, "t")
        assert (["s", "t"], 0, []) == (store.streams(), store.version("t"), store.read("t"))

    @pytest.mark.parametrize(
        ("source", "at", "target", "message"),
        [
            ("nope", 0, "t", "no such stream"),
            ("s", 2, "t", "it is at version 1"),
            ("s", 1, "s", "a stream of that name exists"),
            ("s", -1, "t", "at_version"),
            ("s", 1, "../t", "invalid stream name"),
        ],
    )
    def test_fork_errors(
        self, store: EventStore, source: str, at: int, target: str, message: str
    ) -> None:
        """Forking a missing stream, beyond its end, or onto an existing name is refused."""
        store.append("s", [person("a")], expected_version=0)
        with pytest.raises(StoreError, match=message):
            store.fork(source, at, target)
        assert ["s"] == store.streams()


class TestFeed:
    def test_commit_order(self, store: EventStore) -> None:
        """read_all gives every stream's events once, in the order they were appended,
        with positions that only grow."""
        store.append("s", [person("a"), person("b")], expected_version=0)
        store.append("t", [person("c")], expected_version=0)
        store.append("s", [hide("a")], expected_version=2)
        feed = store.read_all()
        assert [("s", 1, person("a")), ("s", 2, person("b")), ("t", 1, person("c")),
                ("s", 3, hide("a"))] == [(i.stream, i.version, i.event) for i in feed]
        positions = [i.position for i in feed]
        assert sorted(set(positions)) == positions
        assert (positions[-1], all(isinstance(i, FeedItem) for i in feed)) == (
            store.head(), True
        )

    def test_after_and_limit(self, opener: Opener) -> None:
        """after= resumes after a position seen, limit= pages; a reopened store agrees."""
        store = opener()
        for k in range(5):
            store.append("s", [person(f"p{k}")], expected_version=k)
        everything = store.read_all()
        pages, after = [], 0
        while page := opener().read_all(after, limit=2):
            pages.append(page)
            after = page[-1].position
        assert ([2, 2, 1], everything) == ([len(p) for p in pages], [i for p in pages for i in p])
        assert (everything[3:], [], []) == (
            store.read_all(everything[2].position), store.read_all(after),
            store.read_all(limit=0),
        )

    def test_refused_batches_leave_no_trace(self, store: EventStore) -> None:
        """A batch refused by a rule or a conflict takes no position."""
        store.append("s", [person("a")], expected_version=0)
        with pytest.raises(BatchRejected):
            store.append("s", [person("b"), hide("nobody")], expected_version=1)
        with pytest.raises(ConcurrencyError):
            store.append("s", [person("b")], expected_version=0)
        store.append("s", [person("b")], expected_version=1)
        assert [person("a"), person("b")] == [i.event for i in store.read_all()]

    def test_forks_feed_their_own_events(self, store: EventStore) -> None:
        """A fork adds no event to the feed; what is appended to it is fed under its name."""
        store.append("s", [person("a"), person("b")], expected_version=0)
        store.fork("s", 1, "t")
        store.append("t", [hide("a")], expected_version=1)
        assert [("s", 1), ("s", 2), ("t", 2)] == [(i.stream, i.version)
                                                  for i in store.read_all()]

    @pytest.mark.parametrize("bad", [{"after": -1}, {"after": "3"}, {"limit": -1},
                                     {"limit": 1.5}])
    def test_bad_arguments(self, store: EventStore, bad: dict[str, object]) -> None:
        """A position or limit that is not a whole number >= 0 is refused."""
        with pytest.raises(StoreError):
            store.read_all(**bad)  # type: ignore[arg-type]

    def test_subscribe_catches_up_then_times_out(self, store: EventStore) -> None:
        """subscribe yields what is there after the position, then ends after the timeout."""
        store.append("s", [person("a"), person("b")], expected_version=0)
        first = store.read_all()[0].position
        got = list(store.subscribe(first, timeout=0.2, poll_interval=0.05))
        assert [person("b")] == [i.event for i in got]

    def test_subscribe_sees_new_commits(self, shared_opener: Opener) -> None:
        """A subscription that has caught up sees events committed later through another
        store object (as another process would), in order, each once."""
        writer, reader = shared_opener(), shared_opener()
        writer.append("s", [person("a")], expected_version=0)
        feed = reader.subscribe(poll_interval=0.02, timeout=60)
        seen = [next(feed)]
        for k in range(3):
            writer.append("s" if k % 2 else "t", [person(f"b{k}")],
                          expected_version=k // 2 + (k % 2))
            seen.append(next(feed))
        feed.close()
        assert ([person("a"), *(person(f"b{k}") for k in range(3))], writer.read_all()) == (
            [i.event for i in seen], seen
        )

    def test_subscribe_stop_ends_waiting(self, store: EventStore) -> None:
        """A subscription with nothing to yield ends soon after its stop event is set."""
        stop = threading.Event()
        timer = threading.Timer(0.1, stop.set)
        timer.start()
        assert [] == list(store.subscribe(stop=stop, poll_interval=0.05))
        timer.join()

    def test_subscribe_arguments_checked_at_once(self, store: EventStore) -> None:
        """Bad arguments are refused when subscribe is called, not at the first next()."""
        with pytest.raises(StoreError, match="timeout"):
            store.subscribe(timeout=-1)
        with pytest.raises(StoreError, match="after"):
            store.subscribe(-5)

    def test_projection(self, shared_opener: Opener) -> None:
        """A projection replays the stream, then folds in the stream's new events only."""
        writer, reader = shared_opener(), shared_opener()
        writer.append("s", [person("a")], expected_version=0)
        view = Projection(reader, "s")
        assert (1, cm.replay([person("a")])) == (view.version, view.state)
        writer.append("other", [person("z")], expected_version=0)
        writer.append("s", [person("b"), hide("b")], expected_version=1)
        assert 2 == view.catch_up()
        assert (3, writer.head(), reader.replay("s")) == (view.version, view.position,
                                                           view.state)
        writer.append("s", [hide("a")], expected_version=3)
        states = list(view.follow(timeout=0.3, poll_interval=0.05))
        assert [writer.replay("s")] == states

    def test_projection_of_a_fork(self, store: EventStore) -> None:
        """A projection of a fork follows the fork's own events, not its parent's."""
        store.append("s", [person("a")], expected_version=0)
        store.fork("s", 1, "t")
        view = Projection(store, "t")
        store.append("s", [person("b")], expected_version=1)
        store.append("t", [person("c")], expected_version=1)
        assert (1, cm.replay([person("a"), person("c")])) == (view.catch_up(), view.state)


class TestSources:
    def test_record_and_read(self, opener: Opener) -> None:
        """Source definitions are kept by id, across reopening."""
        table = {"outlet": "Wire – Ñ", "title": "Count disputed", "published": "2024-07-30"}
        assert 1 == opener().add_sources({"wire-1": table})
        assert {"wire-1": table} == opener().sources()

    def test_same_definition_again(self, store: EventStore) -> None:
        """Recording an identical definition again adds nothing."""
        store.add_sources({"a": {"outlet": "X", "title": "T"}})
        assert 0 == store.add_sources({"a": {"title": "T", "outlet": "X"}})

    def test_redefinition_refused(self, store: EventStore) -> None:
        """A different definition for a recorded id is refused, and nothing of it is kept."""
        store.add_sources({"a": {"outlet": "X", "title": "T"}})
        with pytest.raises(StoreError, match="already recorded with a different definition"):
            store.add_sources({"b": {"outlet": "Y", "title": "U"}, "a": {"outlet": "Z"}})
        assert ["a"] == list(store.sources())

    @pytest.mark.parametrize("bad", [{"": {}}, {"a": "text"}, {"a": {"n": float("nan")}}])
    def test_malformed_refused(self, store: EventStore, bad: dict[str, object]) -> None:
        """An empty id, a table that is not one, or non-JSON data is refused."""
        with pytest.raises(StoreError):
            store.add_sources(bad)  # type: ignore[arg-type]


class TestOpenStore:
    def test_sqlite_by_default(self, tmp_path: Path) -> None:
        """A file name that is not .jsonl opens SQLite."""
        with open_store(tmp_path / "x.db") as s:
            assert isinstance(s, SqliteStore)

    def test_jsonl_by_suffix_or_directory(self, tmp_path: Path) -> None:
        """A name ending in .jsonl, or an existing directory, opens JSON Lines."""
        (tmp_path / "d").mkdir()
        with open_store(tmp_path / "a.jsonl") as a, open_store(tmp_path / "d") as d:
            assert (JsonlStore, JsonlStore) == (type(a), type(d))

    def test_context_manager_closes(self, tmp_path: Path) -> None:
        """Leaving the with block closes the store."""
        with open_store(tmp_path / "x.db") as s:
            pass
        with pytest.raises(StoreError):
            s.version("s")


class TestSecurity:
    def test_tag_never_imports(self, tmp_path: Path) -> None:
        """A stored tag that names a module is an unknown type; nothing is imported."""
        path = tmp_path / "x.db"
        SqliteStore(path).close()
        with sqlite3.connect(path) as db:
            db.execute("INSERT INTO streams VALUES ('s', NULL, 0)")
            db.execute(
                "INSERT INTO events (stream, version, type, payload) VALUES ('s', 1, ?, ?)",
                ("antigravity.fly", '{"type": "antigravity.fly", "occurred_on": "2024-01-01"}'),
            )
        with SqliteStore(path) as store, pytest.raises(cm.UnknownEventTypeError) as info:
            store.read("s")
        assert "antigravity" not in sys.modules
        assert any("stream 's', version 1" in n for n in info.value.__notes__)


# -- SQLite ------------------------------------------------------------------------------------


class TestSqlite:
    def test_wal_and_unique(self, tmp_path: Path) -> None:
        """The file is in WAL mode and refuses a second row at the same stream version."""
        with SqliteStore(tmp_path / "x.db") as s:
            s.append("s", [person("a")], expected_version=0)
        with sqlite3.connect(tmp_path / "x.db") as db:
            assert "wal" == db.execute("PRAGMA journal_mode").fetchone()[0]
            with pytest.raises(sqlite3.IntegrityError):
                db.execute("INSERT INTO events (stream, version, type, payload) "
                           "VALUES ('s', 1, 'x', '{}')")

    @pytest.mark.parametrize(("option", "level"), [("NORMAL", 1), ("full", 2)])
    def test_synchronous(self, tmp_path: Path, option: str, level: int) -> None:
        """synchronous= sets SQLite's durability level."""
        with SqliteStore(tmp_path / "x.db", synchronous=option) as s:
            assert level == s._db.execute("PRAGMA synchronous").fetchone()[0]

    def test_bad_synchronous(self, tmp_path: Path) -> None:
        """An unknown durability level is refused."""
        with pytest.raises(StoreError, match="synchronous"):
            SqliteStore(tmp_path / "x.db", synchronous="OFF")

    def test_fork_copies_nothing(self, tmp_path: Path) -> None:
        """A fork adds a streams row and no event rows."""
        with SqliteStore(tmp_path / "x.db") as s:
            s.append("s", [person("a"), person("b")], expected_version=0)
            s.fork("s", 2, "t")
            assert (2, ("s", 2)) == (
                s._db.execute("SELECT count(*) FROM events").fetchone()[0],
                s._db.execute("SELECT parent, at_version FROM streams WHERE name = 't'")
                .fetchone(),
            )

    def test_newer_format(self, tmp_path: Path) -> None:
        """A file written by a newer layout is refused with a clear message."""
        SqliteStore(tmp_path / "x.db").close()
        with sqlite3.connect(tmp_path / "x.db") as db:
            db.execute("PRAGMA user_version = 99")
        with pytest.raises(StoreError, match="newer crisis_model"):
            SqliteStore(tmp_path / "x.db")

    def test_foreign_database(self, tmp_path: Path) -> None:
        """Another application's database is not taken for a store."""
        with sqlite3.connect(tmp_path / "x.db") as db:
            db.execute("CREATE TABLE people (name TEXT)")
        with pytest.raises(StoreError, match="not a crisis_model store"):
            SqliteStore(tmp_path / "x.db")

    def test_not_a_database(self, tmp_path: Path) -> None:
        """A file that is not SQLite is a StoreError, not a crash."""
        (tmp_path / "x.db").write_text("hello, this is not a database at all " * 100)
        with pytest.raises(StoreError):
            SqliteStore(tmp_path / "x.db")

    def test_missing_directory(self, tmp_path: Path) -> None:
        """A path in a directory that does not exist is a StoreError."""
        with pytest.raises(StoreError, match="cannot open"):
            SqliteStore(tmp_path / "no" / "x.db")

    @staticmethod
    def _stored(tmp_path: Path, payload: str) -> SqliteStore:
        """A store whose stream ``s`` holds a person, then ``payload`` as written by hand."""
        s = SqliteStore(tmp_path / "x.db")
        s.append("s", [person("a")], expected_version=0)
        s._db.execute("INSERT INTO events (stream, version, type, payload) "
                      "VALUES ('s', 2, 'x', ?)", (payload,))
        return s

    def test_payload_not_json(self, tmp_path: Path) -> None:
        """A stored payload that is not JSON is a StoreError naming stream and version."""
        with self._stored(tmp_path, '{"type": "actor.introduced",') as s, \
                pytest.raises(StoreError, match=r"stream 's', version 2: .* not valid JSON"):
            s.read("s")
        assert gc.isenabled()

    def test_payload_with_whitespace(self, tmp_path: Path) -> None:
        """A payload written by another tool, spaced out, reads as the same event."""
        text = "  " + json.dumps(to_dict(person("b")), indent=2) + "\n"
        with self._stored(tmp_path, text) as s:
            assert [person("a"), person("b")] == s.read("s")

    def test_payload_not_an_event(self, tmp_path: Path) -> None:
        """A stored payload that is JSON but a wrong event says which stream and version."""
        d = to_dict(person("b"))
        d["name"] = 5
        with self._stored(tmp_path, json.dumps(d)) as s, pytest.raises(DecodeError) as info:
            s.read("s")
        assert [FieldError("name", "expected a string, got int 5")] == info.value.errors
        assert ["reading stream 's', version 2"] == info.value.__notes__
        assert gc.isenabled()


# -- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def pg(postgres_dsn: str) -> Iterator[tuple[str, str]]:
    """``(dsn, schema)``: the test server and a schema of this test's own."""
    schema = new_schema()
    yield postgres_dsn, schema
    drop_schema(postgres_dsn, schema)


def pg_execute(dsn: str, statement: str, params: tuple[object, ...] = ()) -> None:
    """Run one statement on the test server, as another tool would."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(statement, params)  # type: ignore[arg-type]


class TestPostgres:
    def test_schema_created_with_version(self, pg: tuple[str, str]) -> None:
        """The first use creates the schema, its tables and a version table at format 1."""
        import psycopg

        dsn, schema = pg
        PostgresStore(dsn, schema=schema).close()
        with psycopg.connect(dsn) as conn:
            tables = sorted(r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)))
            version = conn.execute(f'SELECT version FROM "{schema}".schema_version').fetchall()
        assert (["events", "feed_head", "schema_version", "sources", "streams"], [(1,)]) == (
            tables, version
        )

    def test_newer_format(self, pg: tuple[str, str]) -> None:
        """A store written by a newer layout is refused with a clear message."""
        dsn, schema = pg
        PostgresStore(dsn, schema=schema).close()
        pg_execute(dsn, f'UPDATE "{schema}".schema_version SET version = 99')
        with pytest.raises(StoreError, match=r"newer crisis_model \(store format 99"):
            PostgresStore(dsn, schema=schema)

    def test_foreign_schema(self, pg: tuple[str, str]) -> None:
        """A schema holding another application's tables is not taken for a store."""
        dsn, schema = pg
        pg_execute(dsn, f'CREATE SCHEMA "{schema}"')
        pg_execute(dsn, f'CREATE TABLE "{schema}".people (name TEXT)')
        with pytest.raises(StoreError, match="not a crisis_model store"):
            PostgresStore(dsn, schema=schema)

    @pytest.mark.parametrize("schema", ["", "Upper", "a;drop", "1abc", "x" * 49, 5])
    def test_bad_schema_name(self, postgres_dsn: str, schema: object) -> None:
        """A schema name that is not a plain lower-case identifier is refused."""
        with pytest.raises(StoreError, match="invalid schema name"):
            PostgresStore(postgres_dsn, schema=schema)  # type: ignore[arg-type]

    def test_cannot_connect(self, postgres_dsn: str) -> None:
        """A server that is not there is a StoreError that names where, never the password."""
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with pytest.raises(StoreError, match=f"cannot connect.*127.0.0.1:{port}") as info:
            PostgresStore(f"postgresql://who:hunter2@127.0.0.1:{port}/x?connect_timeout=5")
        assert "hunter2" not in str(info.value)

    def test_schemas_are_separate_stores(self, pg: tuple[str, str]) -> None:
        """Two schemas of one database are two stores."""
        dsn, schema = pg
        other = new_schema()
        try:
            with PostgresStore(dsn, schema=schema) as a, PostgresStore(dsn, schema=other) as b:
                a.append("s", [person("a")], expected_version=0)
                assert ([], 0, ["s"]) == (b.streams(), b.head(), a.streams())
        finally:
            drop_schema(dsn, other)

    def test_positions_have_no_gaps(self, pg: tuple[str, str]) -> None:
        """Refused batches and conflicts use up no position: the feed counts 1, 2, 3..."""
        with PostgresStore(*pg[:1], schema=pg[1]) as store:
            store.append("s", [person("a")], expected_version=0)
            with pytest.raises(BatchRejected):
                store.append("s", [person("b"), hide("nobody")], expected_version=1)
            with pytest.raises(ConcurrencyError):
                store.append("s", [person("b")], expected_version=0)
            store.append("t", [person("b"), person("c")], expected_version=0)
            assert [1, 2, 3] == [i.position for i in store.read_all()]

    def test_uncommitted_batch_holds_back_later_ones(self, pg: tuple[str, str]) -> None:
        """While a transaction holds positions it has not committed, no other batch can take
        positions (so none can become visible ahead of it); when it rolls back, the next
        batch takes the same positions: no gap."""
        import psycopg

        dsn, schema = pg
        with PostgresStore(dsn, schema=schema) as store, psycopg.connect(dsn) as slow:
            store.append("s", [person("a")], expected_version=0)
            slow.execute(f'UPDATE "{schema}".feed_head SET position = position + 5')

            def append_b() -> None:
                with PostgresStore(dsn, schema=schema) as second:
                    second.append("t", [person("b")], expected_version=0)

            other = threading.Thread(target=append_b)
            other.start()
            other.join(timeout=1.0)
            waiting = other.is_alive()
            assert ([person("a")], 1) == ([i.event for i in store.read_all()], store.head())
            slow.rollback()
            other.join(timeout=60)
            assert (True, [1, 2]) == (waiting, [i.position for i in store.read_all()])

    def test_reader_never_skips_under_concurrent_writers(self, pg: tuple[str, str]) -> None:
        """A reader polling read_all as fast as it can while 4 writers append to their own
        streams sees every event, once, in position order (a sequence-numbered feed fails
        this: a later number commits first and the reader moves past the earlier one)."""
        dsn, schema = pg
        PostgresStore(dsn, schema=schema).close()

        def write(name: str) -> None:
            with PostgresStore(dsn, schema=schema) as mine:
                for k in range(100):
                    mine.append(name, [person(f"{name}-{k}")], expected_version=k)

        writers = [threading.Thread(target=write, args=(f"w{i}",)) for i in range(4)]
        for w in writers:
            w.start()
        seen: list[FeedItem] = []
        with PostgresStore(dsn, schema=schema) as reader:
            while any(w.is_alive() for w in writers):
                seen.extend(reader.read_all(seen[-1].position if seen else 0))
            seen.extend(reader.read_all(seen[-1].position if seen else 0))
            assert reader.read_all() == seen
        assert 400 == len(seen)

    def test_notify_wakes_subscriber(self, pg: tuple[str, str]) -> None:
        """A waiting subscription is woken by a commit's NOTIFY, long before it would poll."""
        dsn, schema = pg
        with PostgresStore(dsn, schema=schema) as store, \
                PostgresStore(dsn, schema=schema) as writer:
            timer = threading.Timer(
                0.2, lambda: writer.append("s", [person("a")], expected_version=0))
            with store._waiter() as wait:
                timer.start()
                began = time.monotonic()
                wait(120.0, None)
                woken_after = time.monotonic() - began
            timer.join()
            assert woken_after < 60, "the subscriber slept through the NOTIFY"
            assert [person("a")] == [i.event for i in store.read_all()]

    def test_open_store_takes_a_dsn(self, postgres_dsn: str) -> None:
        """open_store opens a PostgresStore from a postgresql:// URI."""
        with open_store(postgres_dsn) as store:
            assert isinstance(store, PostgresStore)

    def test_without_psycopg(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without psycopg the package still imports; using PostgresStore says what to install."""
        monkeypatch.setitem(sys.modules, "psycopg", None)
        with pytest.raises(StoreError, match=r"crisis-model\[postgres\]"):
            PostgresStore("postgresql://127.0.0.1/x")
        script = ("import sys; sys.modules['psycopg'] = None; import crisis_model as cm; "
                  "s = cm.MemoryStore(); print(cm.PostgresStore.__name__, s.head())")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True)
        assert "PostgresStore 0" == done.stdout.strip()

    def test_tag_never_imports(self, pg: tuple[str, str]) -> None:
        """A stored tag that names a module is an unknown type; nothing is imported."""
        dsn, schema = pg
        PostgresStore(dsn, schema=schema).close()
        pg_execute(dsn, f"INSERT INTO \"{schema}\".streams (name, version) VALUES ('s', 1)")
        pg_execute(
            dsn, f'INSERT INTO "{schema}".events VALUES (1, %s, 1, %s, %s)',
            ("s", "antigravity.fly", '{"type": "antigravity.fly", "occurred_on": "2024-01-01"}'),
        )
        with PostgresStore(dsn, schema=schema) as store, \
                pytest.raises(cm.UnknownEventTypeError) as info:
            store.read_all()
        assert "antigravity" not in sys.modules
        assert any("stream 's', version 1" in n for n in info.value.__notes__)


# -- JSON Lines ----------------------------------------------------------------------------------


def open_quietly(path: Path) -> JsonlStore:
    """Open a JSON Lines store, failing the test if it warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return JsonlStore(path)


@pytest.fixture
def jsonl(tmp_path: Path) -> Iterator[Path]:
    """A JSON Lines store holding stream 's': one batch of two events, then one of one."""
    path = tmp_path / "s.jsonl"
    with JsonlStore(path) as s:
        s.append("s", [person("a"), person("b")], expected_version=0)
        s.append("s", [hide("a")], expected_version=2)
    yield path


class TestJsonlLayout:
    def test_lines(self, jsonl: Path) -> None:
        """One line per event with its stream version; the last line of a batch says so."""
        lines = [json.loads(x) for x in (jsonl / "s.jsonl").read_text().splitlines()]
        assert ([1, 2, 3], [False, True, True]) == (
            [x["stream_version"] for x in lines], [x.get("batch_end", False) for x in lines]
        )
        assert cm.serialization.to_dict(person("a")) == lines[0]["event"]

    def test_fork_is_metadata(self, jsonl: Path) -> None:
        """A fork is recorded in store.json; its file holds only its own events."""
        with JsonlStore(jsonl) as s:
            s.fork("s", 2, "t")
            assert not (jsonl / "t.jsonl").exists()
            s.append("t", [hide("b")], expected_version=2)
        meta = json.loads((jsonl / "store.json").read_text())
        assert {"t": {"parent": "s", "at_version": 2}} == meta["forks"]
        assert [3] == [json.loads(x)["stream_version"]
                       for x in (jsonl / "t.jsonl").read_text().splitlines()]

    def test_not_a_store(self, tmp_path: Path) -> None:
        """A directory with other files and no store.json is refused."""
        (tmp_path / "notes.txt").write_text("hello")
        with pytest.raises(StoreError, match="not a crisis_model JSON Lines store"):
            JsonlStore(tmp_path)

    def test_newer_format(self, jsonl: Path) -> None:
        """A store written by a newer layout is refused with a clear message."""
        meta = json.loads((jsonl / "store.json").read_text())
        (jsonl / "store.json").write_text(json.dumps({**meta, "format_version": 9}))
        with pytest.raises(StoreError, match="newer crisis_model"):
            JsonlStore(jsonl)

    def test_metadata_names_no_paths(self, jsonl: Path) -> None:
        """A fork in store.json whose name is a path is refused, not followed."""
        meta = json.loads((jsonl / "store.json").read_text())
        meta["forks"] = {"../../etc": {"parent": "s", "at_version": 1}}
        (jsonl / "store.json").write_text(json.dumps(meta))
        with pytest.raises(StoreError, match="malformed"):
            JsonlStore(jsonl)

    def test_stray_files_ignored(self, jsonl: Path) -> None:
        """Files whose names are not stream names are not streams."""
        (jsonl / ".x.jsonl").write_text("junk")
        assert ["s"] == open_quietly(jsonl).streams()


LATE = D(2024, 7, 3)

TORN_TAILS = {
    "cut mid-line": lambda whole: whole[: len(whole) // 2],
    "whole lines, batch not closed": lambda whole: whole.splitlines(keepends=True)[0],
    "closed batch's first line, cut before its newline":
        lambda whole: whole.splitlines(keepends=True)[0].rstrip(b"\n"),
    "zeros": lambda whole: b"\0" * 37,
}


def torn_batch(jsonl: Path, cut: Callable[[bytes], bytes]) -> bytes:
    """Append to 's' a next batch of two events, cut short by ``cut``; return the file before."""
    before = (jsonl / "s.jsonl").read_bytes()
    scratch = jsonl.parent / "scratch.jsonl"
    shutil.rmtree(scratch, ignore_errors=True)
    with JsonlStore(scratch) as s:
        s.append("s", [person("a"), person("b")], expected_version=0)
        s.append("s", [hide("a")], expected_version=2)
        s.append("s", [person("c", LATE), person("d", LATE)], expected_version=3)
    whole = (scratch / "s.jsonl").read_bytes()
    assert before == whole[:len(before)]
    whole = whole[len(before):]
    with open(jsonl / "s.jsonl", "ab") as f:
        f.write(cut(whole))
    return before


class TestTornTail:
    @pytest.mark.parametrize("how", sorted(TORN_TAILS))
    def test_reported_on_open(self, jsonl: Path, how: str) -> None:
        """Opening warns of the torn tail, and .torn says where it starts and what it holds."""
        before = torn_batch(jsonl, TORN_TAILS[how])
        with pytest.warns(TornTailWarning, match="stream 's'"):
            store = JsonlStore(jsonl)
        torn = store.torn["s"]
        assert (len(before), (jsonl / "s.jsonl").read_bytes()[len(before):]) == (
            torn.offset, torn.data
        )
        store.close()

    @pytest.mark.parametrize("how", sorted(TORN_TAILS))
    def test_reads_whole_batches(self, jsonl: Path, how: str) -> None:
        """A torn stream reads as its whole batches, at their version."""
        torn_batch(jsonl, TORN_TAILS[how])
        with pytest.warns(TornTailWarning), JsonlStore(jsonl) as store:
            assert (3, [person("a"), person("b"), hide("a")]) == (
                store.version("s"), store.read("s")
            )

    def test_append_refused_until_repair(self, jsonl: Path) -> None:
        """Appending to a torn stream is refused; repair cuts the tail and returns it."""
        before = torn_batch(jsonl, TORN_TAILS["cut mid-line"])
        torn_bytes = (jsonl / "s.jsonl").read_bytes()[len(before):]
        with pytest.warns(TornTailWarning), JsonlStore(jsonl) as store:
            with pytest.raises(TornTailError, match="repair"):
                store.append("s", [person("c", LATE)], expected_version=3)
            removed = store.repair().cut
            assert ([("s", len(before), torn_bytes)], before) == (
                [(t.stream, t.offset, t.data) for t in removed],
                (jsonl / "s.jsonl").read_bytes(),
            )
            assert removed[0].backup is not None
            assert torn_bytes == Path(removed[0].backup).read_bytes()
            appended = store.append("s", [person("c", LATE)], expected_version=3)
            assert ({}, 4) == (store.torn, appended)
        assert cm.store.RepairReport() == open_quietly(jsonl).repair()

    def test_other_streams_unaffected(self, jsonl: Path) -> None:
        """A torn stream does not stop appends to other streams."""
        torn_batch(jsonl, TORN_TAILS["zeros"])
        with pytest.warns(TornTailWarning), JsonlStore(jsonl) as store:
            assert 1 == store.append("other", [person("a")], expected_version=0)

    def test_torn_while_open(self, jsonl: Path) -> None:
        """A tail torn by another process after opening is found before the next append."""
        store = open_quietly(jsonl)
        assert 3 == store.version("s")
        torn_batch(jsonl, TORN_TAILS["cut mid-line"])
        with pytest.raises(TornTailError):
            store.append("s", [person("c", LATE)], expected_version=3)
        assert ["s"] == list(store.torn)
        store.close()

    def test_torn_first_batch(self, tmp_path: Path) -> None:
        """A stream whose only batch is torn is listed nowhere until repaired, then empty."""
        with JsonlStore(tmp_path / "j") as s:
            s.append("s", [person("a")], expected_version=0)
        path = tmp_path / "j" / "s.jsonl"
        path.write_bytes(path.read_bytes()[:-10])
        with pytest.warns(TornTailWarning), JsonlStore(tmp_path / "j") as store:
            assert ([], 0) == (store.streams(), store.version("s"))
            assert 1 == len(store.repair().cut)
            assert 1 == store.append("s", [person("b")], expected_version=0)

    def test_damage_before_last_batch_not_repaired(self, jsonl: Path) -> None:
        """A bad line followed by a closed batch is damage, refused loudly, never cut away."""
        lines = (jsonl / "s.jsonl").read_bytes().splitlines(keepends=True)
        damaged = b"{broken\n" + lines[1] + lines[2]
        (jsonl / "s.jsonl").write_bytes(damaged)
        with JsonlStore(jsonl) as store:
            with pytest.raises(StoreError, match=r"s\.jsonl:1, stream 's', version 1: damaged"):
                store.read("s")
            assert [1] == [p.line for p in store.repair().damaged]
        assert damaged == (jsonl / "s.jsonl").read_bytes()

    def test_duplicated_batch_is_damage(self, jsonl: Path) -> None:
        """A closed batch repeated at the end is damage, not a torn tail to cut off."""
        lines = (jsonl / "s.jsonl").read_bytes().splitlines(keepends=True)
        (jsonl / "s.jsonl").write_bytes(b"".join(lines) + lines[2])
        with JsonlStore(jsonl) as store:
            assert [4] == [p.line for p in store.repair().damaged]
            with pytest.raises(StoreError, match="damaged"):
                store.read("s")

    def test_misnumbered_line_is_damage(self, jsonl: Path) -> None:
        """A line out of sequence followed by a closed batch is damage too."""
        lines = (jsonl / "s.jsonl").read_bytes().splitlines(keepends=True)
        (jsonl / "s.jsonl").write_bytes(lines[0] + lines[0] + lines[1] + lines[2])
        with JsonlStore(jsonl) as store, pytest.raises(StoreError, match=r"s\.jsonl:2.*damaged"):
            store.read("s")


class TestJsonlFeed:
    def test_feed_file(self, jsonl: Path) -> None:
        """store.feed has one line per batch, in commit order, naming its last position."""
        lines = [json.loads(x) for x in (jsonl / "store.feed").read_text().splitlines()]
        assert [{"position": 2, "stream": "s", "version": 2, "count": 2},
                {"position": 3, "stream": "s", "version": 3, "count": 1}] == lines

    @pytest.mark.parametrize("cut", [0, 10])
    def test_batch_written_but_not_fed(self, jsonl: Path, cut: int) -> None:
        """A writer killed after writing its batch but before (or while) feeding it: the
        next writer feeds it, once, after what was fed before."""
        feed = jsonl / "store.feed"
        whole = feed.read_bytes().splitlines(keepends=True)
        feed.write_bytes(whole[0] + whole[1][:cut])
        with open_quietly(jsonl) as store:
            assert [(2, "s", 2), (3, "s", 3)] == [
                (i.position, i.stream, i.version) for i in store.read_all(1)
            ]
            store.append("t", [person("x")], expected_version=0)
            assert [1, 2, 3, 4] == [i.position for i in store.read_all()]
        assert 3 == len(feed.read_bytes().splitlines())

    def test_store_without_feed(self, jsonl: Path) -> None:
        """A store written before the feed existed is fed stream by stream, in name order."""
        with JsonlStore(jsonl) as s:
            s.append("a", [person("x")], expected_version=0)
        (jsonl / "store.feed").unlink()
        with open_quietly(jsonl) as store:
            assert [("a", 1), ("s", 1), ("s", 2), ("s", 3)] == [
                (i.stream, i.version) for i in store.read_all()
            ]

    def test_damaged_feed(self, jsonl: Path) -> None:
        """A feed line that does not follow the ones before it is refused loudly."""
        feed = jsonl / "store.feed"
        feed.write_bytes(feed.read_bytes() + b'{"position":9,"stream":"s","version":4,"count":1}\n')
        with pytest.raises(StoreError, match="damaged"):
            JsonlStore(jsonl)


class TestJsonlConcurrency:
    def test_two_objects_conflict(self, jsonl: Path) -> None:
        """Two store objects on one directory see each other's appends and conflicts."""
        a, b = open_quietly(jsonl), open_quietly(jsonl)
        assert 4 == a.append("s", [person("c", LATE)], expected_version=3)
        with pytest.raises(ConcurrencyError) as info:
            b.append("s", [person("d", LATE)], expected_version=3)
        assert 4 == info.value.actual
        assert 5 == b.append("s", [person("d", LATE)], expected_version=4)
        assert [person("c", LATE), person("d", LATE)] == a.read("s", start=3)
        a.close()
        b.close()

    def test_fork_by_another_object(self, jsonl: Path) -> None:
        """A fork made through one object is seen by another."""
        a, b = open_quietly(jsonl), open_quietly(jsonl)
        a.fork("s", 1, "t")
        assert (["s", "t"], [person("a")]) == (b.streams(), b.read("t"))
        a.close()
        b.close()


# -- issue 10: the stores never destroy what a user committed ---------------------------------


def whole_stream(tmp_path: Path) -> Path:
    """A JSON Lines store whose stream 's' holds one batch of three events."""
    path = tmp_path / "st.jsonl"
    with JsonlStore(path) as s:
        s.append("s", [person("a"), person("b"), hide("a")], expected_version=0)
    return path


class TestRepairCutsOnlyWhatIsTorn:
    def test_last_record_without_newline_is_whole(self, tmp_path: Path) -> None:
        """A closed last batch that lost its final newline is read, kept and completed by
        repair (it used to be cut, taking the whole batch with it)."""
        path = whole_stream(tmp_path)
        file = path / "s.jsonl"
        file.write_bytes(file.read_bytes().rstrip(b"\n"))
        with open_quietly(path) as store:
            assert (3, {}) == (store.version("s"), store.torn)
            report = store.repair()
            assert ((), ("s",)) == (report.cut, report.completed)
        assert file.read_bytes().endswith(b"}\n")
        with open_quietly(path) as store:
            assert [person("a"), person("b"), hide("a")] == store.read("s")

    def test_append_after_missing_newline(self, tmp_path: Path) -> None:
        """Appending to a stream whose last record lacks its newline puts it back first."""
        path = whole_stream(tmp_path)
        file = path / "s.jsonl"
        file.write_bytes(file.read_bytes().rstrip(b"\n"))
        with open_quietly(path) as store:
            assert 4 == store.append("s", [person("c", LATE)], expected_version=3)
        with open_quietly(path) as store:
            assert [person("a"), person("b"), hide("a"), person("c", LATE)] == store.read("s")
            assert [] == store.check()

    def test_dry_run_changes_nothing(self, jsonl: Path) -> None:
        """repair(dry_run=True) says what it would cut, and cuts nothing."""
        torn_batch(jsonl, TORN_TAILS["cut mid-line"])
        before = sorted((p.name, p.read_bytes()) for p in jsonl.iterdir())
        with pytest.warns(TornTailWarning), JsonlStore(jsonl) as store:
            report = store.repair(dry_run=True)
        assert (["s"], [None]) == ([t.stream for t in report.cut], [t.backup for t in report.cut])
        assert before == sorted((p.name, p.read_bytes()) for p in jsonl.iterdir())

    def test_backup_is_dated_and_named(self, jsonl: Path) -> None:
        """What repair removes goes first to a new dated file beside the stream's; a second
        repair the same second gets another name."""
        names = []
        for _ in range(2):
            torn_batch(jsonl, TORN_TAILS["zeros"])
            with pytest.warns(TornTailWarning), JsonlStore(jsonl) as store:
                (torn,) = store.repair().cut
            assert torn.backup is not None
            backup = Path(torn.backup)
            assert (jsonl, b"\0" * 37) == (backup.parent, backup.read_bytes())
            assert re.fullmatch(r"s\.jsonl\.torn-\d{8}T\d{6}Z(-\d+)?\.bak", backup.name)
            names.append(backup.name)
        assert names[0] != names[1]
        with open_quietly(jsonl) as store:  # backups are not streams
            assert (["s"], 3) == (store.streams(), store.version("s"))


class TestOnlyRegisteredFiles:
    def test_unrelated_jsonl_never_touched(self, jsonl: Path) -> None:
        """A user's notes.jsonl (even one that looks torn) is not a stream: not listed, not
        read, not repaired, not checked."""
        notes = jsonl / "notes.jsonl"
        notes.write_bytes(b'{"mine": 1}\n{"half')
        with open_quietly(jsonl) as store:
            assert (["s"], 0, {}) == (store.streams(), store.version("notes"), store.torn)
            assert cm.store.RepairReport() == store.repair()
            assert [] == store.check()
        assert b'{"mine": 1}\n{"half' == notes.read_bytes()

    def test_append_refuses_a_stranger_file(self, jsonl: Path) -> None:
        """A stream whose file name is taken by a file the store did not write is refused."""
        notes = jsonl / "notes.jsonl"
        notes.write_bytes(b"my notes\n")
        with open_quietly(jsonl) as store:
            with pytest.raises(StoreError, match="not one of the store's files"):
                store.append("notes", [person("a")], expected_version=0)
            with pytest.raises(StoreError, match="not one of the store's files"):
                store.fork("s", 1, "notes")
        assert b"my notes\n" == notes.read_bytes()

    def test_registry_in_metadata(self, jsonl: Path) -> None:
        """store.json lists the streams; a fork is registered when made."""
        with open_quietly(jsonl) as store:
            store.fork("s", 1, "t")
        meta = json.loads((jsonl / "store.json").read_text())
        assert (2, ["s", "t"]) == (meta["format_version"], meta["streams"])


def old_form(path: Path) -> None:
    """Rewrite a store's store.json as the previous layout wrote it (format 1, no registry)."""
    meta = json.loads((path / "store.json").read_text())
    del meta["streams"]
    meta["format_version"] = 1
    (path / "store.json").write_text(json.dumps(meta))


class TestOldStores:
    def test_old_store_opens_and_migrates(self, jsonl: Path) -> None:
        """A format-1 store opens: its stream files are adopted, other files are not, and
        nothing but store.json changes."""
        with open_quietly(jsonl) as store:
            store.fork("s", 2, "t")
            store.append("t", [hide("b")], expected_version=2)
        old_form(jsonl)
        stranger = b'{"scenario": {"id": "x", "title": "an export"}}\n'
        (jsonl / "export.jsonl").write_bytes(stranger)
        (jsonl / "notes.jsonl").write_bytes(b"{broken\n")
        files = {p.name: p.read_bytes() for p in jsonl.iterdir() if p.name != "store.json"}
        with open_quietly(jsonl) as store:
            assert (["s", "t"], 3, [person("a"), person("b"), hide("b")]) == (
                store.streams(), store.version("t"), store.read("t"))
            assert cm.store.RepairReport() == store.repair()
        meta = json.loads((jsonl / "store.json").read_text())
        assert (2, ["s", "t"]) == (meta["format_version"], meta["streams"])
        assert files == {p.name: p.read_bytes() for p in jsonl.iterdir()
                         if p.name != "store.json"}

    def test_old_damaged_stream_stays_a_stream(self, jsonl: Path) -> None:
        """A format-1 stream file damaged after its first line is still adopted; its damage
        is reported with its line, not hidden by dropping the stream."""
        old_form(jsonl)
        file = jsonl / "s.jsonl"
        file.write_bytes(file.read_bytes().replace(b'"stream_version":3', b'"stream_version":8'))
        with open_quietly(jsonl) as store:
            assert ["s"] == store.streams()
            assert [("damaged-line", 3)] == [(p.kind, p.line) for p in store.check()]

    def test_old_store_read_only(self, jsonl: Path) -> None:
        """Opened read-only, a format-1 store is read as migrated, and left as it was."""
        old_form(jsonl)
        meta = (jsonl / "store.json").read_bytes()
        with JsonlStore(jsonl, read_only=True) as store:
            assert (["s"], 3) == (store.streams(), store.version("s"))
        assert meta == (jsonl / "store.json").read_bytes()


class TestSourcesWithTheirBatch:
    def test_refused_batch_leaves_no_source(self, store: EventStore) -> None:
        """Sources passed with a batch the rules refuse are not recorded; the corrected
        batch, with a corrected definition, is accepted."""
        with pytest.raises(BatchRejected):
            store.append("s", [hide("nobody")], expected_version=0,
                         sources={"w": {"outlet": "Wire", "title": "Draft"}})
        assert {} == store.sources()
        store.append("s", [person("a")], expected_version=0,
                     sources={"w": {"outlet": "Wire", "title": "Final"}})
        assert {"w": {"outlet": "Wire", "title": "Final"}} == store.sources()

    def test_conflicting_source_refuses_batch(self, opener: Opener) -> None:
        """A batch bringing a different definition of a recorded id is refused whole."""
        opener().append("s", [person("a")], expected_version=0,
                        sources={"w": {"outlet": "Wire", "title": "One"}})
        with pytest.raises(StoreError, match="different definition"):
            opener().append("s", [person("b")], expected_version=1,
                            sources={"w": {"outlet": "Wire", "title": "Two"}, "x": {"t": 1}})
        store = opener()
        assert (1, ["w"]) == (store.version("s"), list(store.sources()))

    def test_torn_batch_takes_its_sources(self, jsonl: Path) -> None:
        """In JSON Lines the sources travel in the batch's first line: a batch torn by a
        crash and cut by repair takes them with it."""
        with open_quietly(jsonl) as store:
            store.append("s", [person("c", LATE), person("d", LATE)], expected_version=3,
                         sources={"w": {"outlet": "Wire", "title": "T"}})
        file = jsonl / "s.jsonl"
        data = file.read_bytes()
        first = data.index(b'{"sources":')
        assert data[first - 1:first] == b"\n"
        file.write_bytes(data[:first + 200])
        with pytest.warns(TornTailWarning), JsonlStore(jsonl) as store:
            assert {} == store.sources()
            store.repair()
            assert {} == store.sources()


class TestLookBeforeTouching:
    def test_foreign_sqlite_untouched(self, tmp_path: Path) -> None:
        """Another application's SQLite database is refused before any pragma: not switched
        to WAL, no -wal or -shm file, not a byte changed."""
        path = tmp_path / "app.db"
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE people (name TEXT)")
        db.close()
        before = path.read_bytes()
        with pytest.raises(StoreError, match="not a crisis_model store; nothing was changed"):
            SqliteStore(path)
        assert (before, ["app.db"]) == (path.read_bytes(), sorted(os.listdir(tmp_path)))

    def test_foreign_file_untouched(self, tmp_path: Path) -> None:
        """A file that is not SQLite is refused unchanged."""
        path = tmp_path / "notes.db"
        path.write_text("my notes")
        with pytest.raises(StoreError, match="not an SQLite database"):
            SqliteStore(path)
        assert ("my notes", ["notes.db"]) == (path.read_text(), os.listdir(tmp_path))

    def test_foreign_directory_untouched(self, tmp_path: Path) -> None:
        """A directory that is not a store gets no store.lock before it is refused."""
        (tmp_path / "notes.txt").write_text("hello")
        with pytest.raises(StoreError, match="nothing was changed"):
            JsonlStore(tmp_path)
        assert ["notes.txt"] == os.listdir(tmp_path)

    def test_file_named_jsonl_untouched(self, tmp_path: Path) -> None:
        """A scenario file named *.jsonl given as a store is refused, unchanged."""
        path = tmp_path / "scenario.jsonl"
        path.write_text('{"scenario": {"id": "x", "title": "x"}}\n')
        with pytest.raises(StoreError, match="is a file, not a JSON Lines store"):
            open_store(path)
        assert '{"scenario": {"id": "x", "title": "x"}}\n' == path.read_text()


class TestDamageIsLocal:
    @staticmethod
    def two_streams(tmp_path: Path) -> Path:
        path = tmp_path / "st.jsonl"
        with JsonlStore(path) as s:
            s.append("a", [person("x"), person("y")], expected_version=0)
            s.append("a", [hide("x")], expected_version=2)
            s.append("b", [person("z")], expected_version=0)
        return path

    def test_edited_line_named_other_streams_work(self, tmp_path: Path) -> None:
        """An edited line in one stream's file is reported with its file and line; the other
        streams are listed, read and appended to as before."""
        path = self.two_streams(tmp_path)
        file = path / "a.jsonl"
        lines = file.read_bytes().split(b"\n")
        lines[1] = lines[1].replace(b'"stream_version":2', b'"stream_version":7')
        file.write_bytes(b"\n".join(lines))
        with open_quietly(path) as store:
            assert ["a", "b"] == store.streams()
            assert [person("z")] == store.read("b")
            assert 2 == store.append("b", [person("w")], expected_version=1)
            with pytest.raises(cm.store.DamagedStreamError, match=r"a\.jsonl:2, stream 'a'"):
                store.read("a")
            with pytest.raises(cm.store.DamagedStreamError, match=r"a\.jsonl:2"):
                store.append("a", [person("v")], expected_version=3)
            problems = store.check()
        assert [("damaged-line", "a", 2)] == [(p.kind, p.stream, p.line) for p in problems]

    def test_blank_lines_are_harmless(self, tmp_path: Path) -> None:
        """Blank lines in a stream's file (an editor's doing) are skipped, not damage."""
        path = self.two_streams(tmp_path)
        file = path / "a.jsonl"
        file.write_bytes(b"\n" + file.read_bytes().replace(b"\n", b"\n\n", 1) + b"\n \n")
        with open_quietly(path) as store:
            assert [person("x"), person("y"), hide("x")] == store.read("a")
            assert 4 == store.append("a", [person("v", LATE)], expected_version=3)
            assert [] == store.check()

    def test_check_lists_every_problem_changing_nothing(self, tmp_path: Path) -> None:
        """check() names a damaged line, a torn tail, a missing newline and an event that
        no longer decodes, all at once, and changes no file."""
        path = self.two_streams(tmp_path)
        with JsonlStore(path) as s:
            s.append("c", [person("q")], expected_version=0)
            s.append("d", [person("r")], expected_version=0)
        a = path / "a.jsonl"
        a.write_bytes(a.read_bytes().replace(b'"stream_version":3', b'"stream_version":9'))
        b = path / "b.jsonl"
        b.write_bytes(b.read_bytes() + b'{"stream_version":2,"ev')
        c = path / "c.jsonl"
        c.write_bytes(c.read_bytes().rstrip(b"\n"))
        d = path / "d.jsonl"
        d.write_bytes(d.read_bytes().replace(b'"name":"R"', b'"name":5'))
        before = {p.name: p.read_bytes() for p in path.iterdir()}
        with pytest.warns(TornTailWarning), JsonlStore(path, read_only=True) as store:
            found = [(p.kind, p.stream, p.line) for p in store.check()]
        assert [("damaged-line", "a", 3), ("torn-tail", "b", 2), ("missing-newline", "c", 1),
                ("undecodable-event", "d", None)] == found
        assert before == {p.name: p.read_bytes() for p in path.iterdir()}

    def test_undecodable_event_names_file_and_line(self, tmp_path: Path) -> None:
        """An event that no longer decodes is named with its stream, version, file and line."""
        path = self.two_streams(tmp_path)
        a = path / "a.jsonl"
        a.write_bytes(a.read_bytes().replace(b'"name":"Y"', b'"name":5'))
        with open_quietly(path) as store, pytest.raises(DecodeError) as info:
            store.read("a")
        assert re.fullmatch(r"reading stream 'a', version 2 \(.*a\.jsonl:2\)",
                            info.value.__notes__[0])


    def test_fifo_is_local_damage(self, tmp_path: Path) -> None:
        """A stream file replaced by a FIFO is never opened for reading (which would block);
        it is reported, and the other streams work."""
        path = self.two_streams(tmp_path)
        (path / "a.jsonl").unlink()
        os.mkfifo(path / "a.jsonl")
        with open_quietly(path) as store:
            assert (["b"], [person("z")]) == (store.streams(), store.read("b"))
            with pytest.raises(cm.store.DamagedStreamError, match="not a regular file"):
                store.read("a")
            assert ["damaged-file"] == [p.kind for p in store.check()]

    def test_blank_space_tail_then_sources(self, tmp_path: Path) -> None:
        """After a tail of blank space without a newline, the next batch starts on a line of
        its own, so the sources it brings are found again."""
        path = self.two_streams(tmp_path)
        with open(path / "b.jsonl", "ab") as f:
            f.write(b"  ")
        with open_quietly(path) as store:
            store.append("b", [person("v")], expected_version=1,
                         sources={"w": {"outlet": "W", "title": "T"}})
        with open_quietly(path) as store:
            assert (["w"], [], 2) == (list(store.sources()), store.check(), store.version("b"))


class TestReadOnlyMode:
    def test_read_only_writes_nothing(self, file_opener: Opener, tmp_path: Path) -> None:
        """A store opened read-only reads, and refuses every write without writing."""
        file_opener().append("s", [person("a")], expected_version=0)

        def files() -> dict[str, bytes]:  # (SQLite readers keep read marks in -shm)
            return {p.name: p.read_bytes() for p in tmp_path.rglob("*")
                    if p.is_file() and not p.name.endswith("-shm")}

        before = files()
        store = open_store(next(p for p in tmp_path.glob("s.*") if p.suffix in (".db", ".jsonl")),
                           read_only=True)
        assert ([person("a")], ["s"]) == (store.read("s"), store.streams())
        with pytest.raises(StoreError, match="read-only"):
            store.append("s", [person("b")], expected_version=1)
        with pytest.raises(StoreError, match="read-only"):
            store.fork("s", 1, "t")
        with pytest.raises(StoreError, match="read-only"):
            store.add_sources({"w": {"outlet": "W", "title": "T"}})
        store.close()
        assert before == files()

    @pytest.mark.parametrize("name", ["none.db", "none.jsonl"])
    def test_read_only_creates_nothing(self, tmp_path: Path, name: str) -> None:
        """Opening a missing store read-only is an error, and creates nothing."""
        with pytest.raises(StoreError, match="no store at"):
            open_store(tmp_path / name, read_only=True)
        assert [] == os.listdir(tmp_path)


class TestFastOpen:
    def test_list_reads_only_last_lines(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
        """Opening a JSON Lines store and listing its streams parses no line but each
        file's last: a damaged line in the middle does not even show."""
        path = tmp_path / "st.jsonl"
        with JsonlStore(path) as s:
            for k in range(50):
                s.append("s", [person(f"p{k}")], expected_version=k)
        file = path / "s.jsonl"
        file.write_bytes(file.read_bytes().replace(b'"stream_version":20,', b'"stream_":20,'))
        parsed: list[bytes] = []
        loads = json.loads

        def counting(text: str | bytes, **kw: object) -> object:
            parsed.append(text if isinstance(text, bytes) else text.encode())
            return loads(text, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(json, "loads", counting)
        with open_quietly(path) as store:
            assert (["s"], 50) == (store.streams(), store.version("s"))
        assert [] == [x for x in parsed if b"stream_version" in x and b'"p49"' not in x]


class TestLosslessText:
    @settings(max_examples=60, deadline=None)
    @given(text=any_text)
    def test_any_text_through_every_writer(self, text: str) -> None:
        """Any text, in an event's note and name and in a source's title, comes back
        unchanged from scenario JSON Lines and TOML files (TOML refuses a lone surrogate
        with a clear error) and from the memory, JSON Lines and SQLite stores."""
        event = person("a", note=text)
        event = attrs.evolve(event, name="n" + text)
        table = {"outlet": "O", "title": text}
        scenario = cm.Scenario(id="x", title="t" + text, events=[event],
                               sources={"w": cm.Source(id="w", outlet="O", title=text)})
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            scenario.dump(folder / "x.jsonl")
            back = cm.load_scenario(folder / "x.jsonl")
            assert (scenario.events, scenario.sources, scenario.title) == (
                back.events, back.sources, back.title)
            if any("\ud800" <= c <= "\udfff" for c in text):
                with pytest.raises(cm.ScenarioError, match="lone surrogate"):
                    scenario.dump(folder / "x.toml")
            else:
                scenario.dump(folder / "x.toml")
                back = cm.load_scenario(folder / "x.toml")
                assert (scenario.events, scenario.sources, scenario.title) == (
                    back.events, back.sources, back.title)
            for store, reopen in (
                (MemoryStore(), None),
                (JsonlStore(folder / "st.jsonl"), lambda: JsonlStore(folder / "st.jsonl")),
                (SqliteStore(folder / "x.db"), lambda: SqliteStore(folder / "x.db")),
            ):
                store.append("s", [event], expected_version=0, sources={"w": table})
                if reopen is not None:
                    store.close()
                    store = reopen()
                assert ([event], {"w": table}) == (store.read("s"), store.sources())
                assert [] == store.check()
                store.close()


# -- ids: idempotent appends, corrections ---------------------------------------------------


class TestIds:
    def test_same_id_same_content_is_a_no_op(self, opener: Opener) -> None:
        """Appending events already stored (same id, same content) writes nothing, even
        after reopening the store."""
        store = opener()
        log = [person("ana", id="ana-intro"), ProtestHeld(occurred_on=D(2024, 7, 2))]
        assert 2 == store.append("ve", log, expected_version=0)
        assert 2 == store.append("ve", log, expected_version=2)
        assert 3 == store.append("ve", [*log, person("ben", D(2024, 7, 3))], expected_version=2)
        reopened = opener()
        assert 3 == reopened.append("ve", log, expected_version=3)
        assert [*log, person("ben", D(2024, 7, 3))] == reopened.read("ve")

    def test_repeats_in_a_batch_are_kept(self, store: EventStore) -> None:
        """Identical events without ids in one batch are distinct (their ids end ~2, ~3);
        re-appending the batch is a no-op."""
        twice = [ProtestHeld(occurred_on=D(2024, 7, 2))] * 2
        assert 2 == store.append("ve", twice, expected_version=0)
        assert 2 == store.append("ve", twice, expected_version=2)
        assert 3 == store.append("ve", [*twice, twice[0]], expected_version=2)

    def test_a_repeat_in_a_later_batch_is_taken_for_the_stored_event(
            self, store: EventStore) -> None:
        """A batch's ids come from the batch alone: an event without an id whose content
        a stored one has is that event (docs/concepts.md); the version says so."""
        protest = ProtestHeld(occurred_on=D(2024, 7, 2))
        assert 1 == store.append("ve", [protest], expected_version=0)
        later = person("ana", D(2024, 7, 3))
        assert 2 == store.append("ve", [protest, later], expected_version=1)
        assert [protest, later] == store.read("ve")

    def test_the_id_index_grows_without_copies(self) -> None:
        """The index of a stream's ids is persistent: a copy shares it (O(1), so a long
        import in batches is not quadratic), and an extension that meets one id twice
        leaves it as it was."""
        from crisis_model.store._base import _IdIndex

        index = _IdIndex()
        index.extend([person("ana"), ProtestHeld(occurred_on=D(2024, 7, 2))], 0)
        copy = index.copy()
        assert (True, True) == (copy.ids is index.ids, copy.counts is index.counts)
        copy.extend([person("ben")], 2)
        assert (2, 3) == (len(index.ids), len(copy.ids))
        with pytest.raises(StoreError, match="two events carry id 'x'"):
            copy.extend([person("cruz", id="x"), person("dora", id="x")], 3)
        assert 3 == len(copy.ids)

    def test_same_id_other_content_refused(self, store: EventStore) -> None:
        """An id already stored with other content is refused; nothing is written."""
        store.append("ve", [person("ana", id="x")], expected_version=0)
        with pytest.raises(StoreError, match=r"id 'x'.*record\.corrected"):
            store.append("ve", [person("ben"), person("cruz", id="x")], expected_version=1)
        assert 1 == store.version("ve")

    def test_duplicate_ids_in_a_batch_refused(self, store: EventStore) -> None:
        """A batch holding one id twice is refused, naming both positions."""
        with pytest.raises(StoreError, match="#0 and #1 of the batch both have id 'x'"):
            store.append("ve", [person("ana", id="x"), person("ben", id="x")],
                         expected_version=0)
        assert 0 == store.version("ve")

    def test_rejection_names_the_batch_position(self, store: EventStore) -> None:
        """With stored events left out of a batch, a rejection still names the caller's
        position in it."""
        store.append("ve", [person("ana")], expected_version=0)
        with pytest.raises(BatchRejected) as info:
            store.append("ve", [person("ana"), Reappeared(occurred_on=D(2024, 7, 2),
                                                          person="nobody")],
                         expected_version=1)
        assert (1, 2) == (info.value.index, info.value.version)

    def test_corrections_through_the_store(self, opener: Opener) -> None:
        """A correction appended to a stream changes the replayed record; one the rules
        refuse is rejected; the record as known before it is unchanged."""
        store = opener()
        store.append("ve", [person("ana", id="a", recorded_on=D(2024, 7, 1))],
                     expected_version=0)
        fix = cm.RecordCorrected(occurred_on=D(2024, 8, 1), corrects="a",
                                 changes={"name": "Ana María"}, id="fix")
        assert 2 == store.append("ve", [fix], expected_version=1)
        assert "Ana María" == store.replay("ve").actors["ana"].name
        assert "Ana" == store.replay("ve", known_on=D(2024, 7, 31)).actors["ana"].name
        bad = cm.RecordCorrected(occurred_on=D(2024, 8, 2), corrects="a",
                                 changes={"kind": "no-such-kind"})
        with pytest.raises(BatchRejected, match="record"):
            store.append("ve", [bad], expected_version=2)
        more = [WentIntoHiding(occurred_on=D(2024, 8, 3), person="ana")]
        assert 3 == store.append("ve", more, expected_version=2)
        assert "Ana María" == opener().replay("ve").actors["ana"].name


class TestIdsAndSources:
    def test_no_op_batch_still_records_new_sources(self, opener: Opener) -> None:
        """A batch of events all already stored writes no event, but the new source
        definitions it brings are recorded (nothing is silently dropped)."""
        store = opener()
        log = [person("ana", id="a", sources=("s1",))]
        store.append("ve", log, expected_version=0, sources={"s1": {"outlet": "o", "title": "t"}})
        assert 1 == store.append("ve", log, expected_version=1,
                                 sources={"s2": {"outlet": "p", "title": "u"}})
        assert ["s1", "s2"] == sorted(opener().sources())
