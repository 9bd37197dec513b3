"""Tests for crisis_model._frozenmap: the immutable mapping of state and events."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model import FrozenMap, MapDraft
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


def _map_draft(d: dict[str, int]) -> tuple[cm.Draft, FrozenMap[str, int], MapDraft[str, int]]:
    draft = cm.Draft(cm.initial_state())
    frozen = FrozenMap(d)
    return draft, frozen, draft.edit_map(frozen)


#: ("set", key, value) | ("del", key) | ("freeze",) | ("copy", key, value)
map_ops = st.lists(st.one_of(
    st.tuples(st.just("set"), st.sampled_from("abcde"), st.integers()),
    st.tuples(st.just("del"), st.sampled_from("abcde")),
    st.tuples(st.just("freeze")),
    st.tuples(st.just("copy"), st.sampled_from("abcde"), st.integers())), max_size=30)


class TestMapDraft:
    @given(st.dictionaries(st.sampled_from("abcde"), st.integers()), map_ops)
    def test_behaves_like_a_dict(self, d, ops):
        """Stores, deletes, copies and freezes keep the items and order a dict would."""
        draft, frozen, m = _map_draft(d)
        model = dict(d)
        kept: list[tuple[FrozenMap[str, int], dict[str, int]]] = []
        for op in ops:
            if op[0] == "set":
                m[op[1]] = op[2]
                model[op[1]] = op[2]
            elif op[0] == "del" and op[1] in model:
                del m[op[1]]
                del model[op[1]]
            elif op[0] == "copy":  # a frozen copy; the draft is unchanged
                kept.append((m.set(op[1], op[2]), {**model, op[1]: op[2]}))
            elif op[0] == "freeze":
                draft.freeze()
                assert FrozenMap is type(m)
                kept.append((m, dict(model)))
                m = draft.edit_map(m)
            assert (list(model.items()), len(model)) == (list(m.items()), len(m))
        draft.freeze()
        kept.append((m, model))
        assert ([list(x.items()) for _, x in kept], list(d.items())) == (
            [list(y.items()) for y, _ in kept], list(frozen.items()))
        assert [FrozenMap] * len(kept) == [type(y) for y, _ in kept]

    def test_same_draft_until_frozen(self):
        """edit_map of a map it returned is that map; after a freeze, a new one."""
        draft, _, m = _map_draft({"a": 1})
        assert m is draft.edit_map(m)
        draft.freeze()
        assert (False, True) == (m is draft.edit_map(m), isinstance(m, FrozenMap))

    def test_frozen_after_freeze(self):
        """A map draft kept past a freeze cannot be written to."""
        draft, _, m = _map_draft({"a": 1})
        draft.freeze()
        with pytest.raises(TypeError):
            m["b"] = 2  # type: ignore[index]

    def test_reads(self):
        """Lookups, get, in, equality and repr read the entries as they stand."""
        _, _, m = _map_draft({"a": 1})
        m["b"] = 2
        assert (2, None, True, 2) == (m["b"], m.get("z"), "a" in m, len(m))
        assert ({"a": 1, "b": 2}, FrozenMap({"a": 1, "b": 2}), m) == (
            m, m, FrozenMap({"b": 2, "a": 1}))
        assert "MapDraft({'a': 1, 'b': 2})" == repr(m)

    def test_unhashable_and_unpicklable(self):
        """A map that can still change has no hash, cannot be pickled or made directly."""
        _, _, m = _map_draft({})
        with pytest.raises(TypeError):
            hash(m)
        with pytest.raises(TypeError, match="freeze the draft first"):
            pickle.dumps(m)
        with pytest.raises(TypeError, match="edit_map"):
            MapDraft({"a": 1})
