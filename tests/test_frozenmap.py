"""Tests for crisis_model._frozenmap: the immutable mapping of state and events."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_model import FrozenMap
from crisis_model._frozenmap import frozen_map, shares_map

dicts = st.dictionaries(st.text(max_size=3), st.integers())


class TestFrozenMap:
    @given(dicts, st.text(max_size=3), st.integers())
    def test_set_returns_copy(self, d, k, v):
        """set() returns a changed copy and leaves the original alone."""
        m = FrozenMap(d)
        m2 = m.set(k, v)
        assert (d, {**d, k: v}) == (dict(m), dict(m2))

    @given(dicts)
    def test_delete_and_update(self, d):
        """delete() and update() return copies."""
        m = FrozenMap(d)
        for k in d:
            assert {x: y for x, y in d.items() if x != k} == dict(m.delete(k))
        assert {**d, "new": 1} == dict(m.update({"new": 1}))
        assert d == dict(m)

    @given(dicts)
    def test_equality_and_hash(self, d):
        """Equal maps hash alike and compare equal to dicts with the same items."""
        assert (FrozenMap(d), hash(FrozenMap(d))) == (FrozenMap(dict(d)), hash(FrozenMap(d)))
        assert d == FrozenMap(d)

    def test_immutable(self):
        """Attributes cannot be set."""
        with pytest.raises(AttributeError):
            FrozenMap().x = 1  # type: ignore[attr-defined]

    def test_insertion_order(self):
        """Iteration follows insertion order."""
        assert ["b", "a"] == list(FrozenMap({"b": 1}).set("a", 2))

    def test_get_and_repr(self):
        """get() defaults like dict.get; repr shows the items."""
        m = FrozenMap({"a": 1})
        assert (1, None, 0) == (m.get("a"), m.get("z"), m.get("z", 0))
        assert "FrozenMap({'a': 1})" == repr(m)

    def test_converters(self):
        """frozen_map passes FrozenMaps through; shares_map turns values into floats."""
        m = FrozenMap({"a": 1})
        assert m is frozen_map(m)
        assert {"a": 52.0} == shares_map({"a": 52})
        assert float is type(shares_map({"a": 52})["a"])
