"""Tests for crisis_model._trail: the append-only histories of the state."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model import Trail, appended, replaced
from crisis_model.events import ActorIntroduced, PeopleDetained, PrisonersReleased

from .strategies import trail_steps


def _family(steps):
    """Apply ``steps`` (see ``strategies.trail_steps``) to trails and to tuples side by side."""
    trails: list = [Trail(), Trail([0]), ()]
    tuples: list = [(), (0,), ()]
    for step in steps:
        k = step[1] % len(trails)
        if step[0] == "append":
            trails.append(appended(trails[k], step[2]))
            tuples.append((*tuples[k], step[2]))
        elif tuples[k]:
            i = step[2] % len(tuples[k])
            trails.append(replaced(trails[k], i, step[3]))
            tuples.append((*tuples[k][:i], step[3], *tuples[k][i + 1:]))
    return trails, tuples


class TestTrail:
    @given(trail_steps)
    def test_every_trail_is_its_tuple(self, steps):
        """Whatever is appended or replaced, and from whichever trail, each trail keeps
        exactly the items of its tuple model: no trail ever sees another's change."""
        trails, tuples = _family(steps)
        assert tuples == [tuple(t) for t in trails]
        assert tuples == [t[:] for t in trails]
        assert [tuple(reversed(t)) for t in tuples] == [tuple(reversed(t)) for t in trails]
        assert [len(t) for t in tuples] == [len(t) for t in trails]

    @given(trail_steps)
    def test_equal_and_hash_like_tuples(self, steps):
        """A trail equals its tuple both ways, and hashes like it; trails compare by items."""
        trails, tuples = _family(steps)
        both_ways = [t == u and u == t for t, u in zip(trails, tuples, strict=True)]
        assert [True] * len(trails) == both_ways
        assert [hash(u) for u in tuples] == [hash(t) for t in trails]
        assert ([[a == b for b in tuples] for a in tuples]
                == [[a == b for b in trails] for a in trails])

    @given(trail_steps, st.integers(-70, 70))
    def test_indexing(self, steps, i):
        """Indexing (negative too) matches the tuple, raising IndexError where it does."""
        trails, tuples = _family(steps)
        for t, u in zip(trails, tuples, strict=True):
            expected = u[i] if -len(u) <= i < len(u) else IndexError
            actual = t[i] if -len(u) <= i < len(u) else IndexError
            assert expected == actual
            if expected is IndexError:
                with pytest.raises(IndexError):
                    t[i]

    def test_tuple_operations(self):
        """Slices are tuples; ``in``, ``index``, ``count``, ``+``, ``bool`` and ``repr``."""
        t = appended(appended(Trail(["a"]), "b"), "a")
        assert (("a", "b"), "b", True, False, 1, 2) == (
            t[:2], t[1], "b" in t, "z" in t, t.index("b"), t.count("a"))
        suffix, prefix = ("c",), ("z",)
        assert (Trail(("a", "b", "a", "c")), Trail(("z", "a", "b", "a"))) == (
            t + suffix, prefix + t)
        assert (False, True, "Trail(('a', 'b', 'a'))") == (bool(Trail()), bool(t), repr(t))
        assert ("a", "b", "a", "c") == t.plus("c")
        assert t != ["a", "b", "a"]

    def test_immutable(self):
        """A trail has no item assignment, no deletion and no attributes to add."""
        t = Trail((1,))
        with pytest.raises(TypeError):
            t[0] = 2  # type: ignore[index]
        with pytest.raises(TypeError):
            del t[0]  # type: ignore[attr-defined]
        with pytest.raises(AttributeError):
            t.extra = 1  # type: ignore[attr-defined]
        assert (1,) == t

    def test_appending_to_the_newest_shares_storage(self):
        """Appending to the newest trail of a list reuses that list (O(1)); appending
        to an older trail copies it once, then its own line shares again."""
        a = Trail([1])
        b = appended(a, 2)
        c = appended(b, 3)
        fork = appended(a, 9)
        fork2 = appended(fork, 10)
        assert (True, True, False, True) == (
            a._items is b._items, b._items is c._items, fork._items is a._items,
            fork2._items is fork._items)
        assert ((1,), (1, 2), (1, 2, 3), (1, 9), (1, 9, 10)) == (a, b, c, fork, fork2)
        assert [1, 2, 3] == c._items  # the fork wrote nothing into the list it left

    def test_short_histories_stay_tuples(self):
        """A tuple shorter than SHORT grows as a tuple; from SHORT items on, as a trail."""
        h: tuple = ()
        kinds = []
        for i in range(Trail.SHORT + 2):
            h = appended(h, i)
            kinds.append(type(h))
        assert [tuple] * Trail.SHORT + [Trail, Trail] == kinds
        assert tuple(range(Trail.SHORT + 2)) == h
        short = tuple(range(3))
        assert ((0, 9, 2), Trail) == (replaced(short, 1, 9),
                                      type(replaced(tuple(range(Trail.SHORT)), 1, 9)))

    def test_replace_errors(self):
        """Replacing outside the history names the index and the length."""
        with pytest.raises(IndexError, match="index 3 out of range for a history of 2"):
            replaced((1, 2), 3, 0)

    def test_an_append_that_loses_a_race_copies(self):
        """When another append to the same trail lands between the length check and
        this append (another thread), this append keeps its own item: it copies."""

        class Racing(list):
            def append(self, item):  # the other thread's append lands first
                super().append("theirs")
                super().append(item)

        t = Trail(["a"])
        t._items = Racing(["a"])  # type: ignore[misc]
        mine = appended(t, "mine")
        assert (("a", "mine"), ("a",)) == (tuple(mine), tuple(t))


class TestHistoriesInState:
    def test_replay_keeps_long_histories_as_trails(self):
        """A replayed person's long custody history is a trail equal to the tuple of
        its entries, sharing storage with the earlier snapshots, which keep theirs."""
        day = dt.date(2024, 8, 1)
        log = [ActorIntroduced(occurred_on=day, actor="ana", name="Ana",
                               kind=cm.ActorKind.PERSON)]
        for _ in range(Trail.SHORT):
            log += [PeopleDetained(occurred_on=day, persons=("ana",)),
                    PrisonersReleased(occurred_on=day, persons=("ana",))]
        snaps = list(cm.snapshots(log))
        last, before = (s.actors["ana"].custody_history for s in (snaps[-1], snaps[-2]))
        assert (Trail, 2 * Trail.SHORT, 2 * Trail.SHORT - 1, True) == (
            type(last), len(last), len(before), last._items is before._items)
        assert [cm.CustodyStatus.DETAINED, cm.CustodyStatus.RELEASED] * Trail.SHORT == [
            c.status for c in last]
        assert snaps[-1] == cm.replay(log)
