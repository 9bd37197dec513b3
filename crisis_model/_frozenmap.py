"""An immutable, hashable mapping used for every mapping in events and state.

``FrozenMap`` never changes after construction; ``set``, ``delete`` and
``update`` return a new map.  It is a persistent hash array mapped trie
(``immutables.Map``), so a changed copy costs O(log n) time and memory rather
than a copy of every entry: keeping a snapshot after every event of a crisis
with thousands of actors stays cheap.

Iteration follows insertion order (not hash order, which varies between
processes), so two maps built from the same history iterate identically and
output is deterministic.  Equality, like ``dict``'s, ignores order.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, Mapping, ValuesView
from operator import itemgetter
from typing import Any, TypeVar, overload

import immutables

from ._replace import _twin

K = TypeVar("K")
V = TypeVar("V")

__all__ = ["FrozenMap", "MapDraft", "frozen_map", "shares_map"]

_by_rank = itemgetter(1)


class FrozenMap(Mapping[K, V]):
    """An immutable mapping; "changing" it returns a new map.

    >>> m = FrozenMap({"maduro": 52.0})
    >>> m2 = m.set("gonzalez", 43.0)
    >>> (len(m), len(m2), list(m2))
    (1, 2, ['maduro', 'gonzalez'])
    """

    # _d: key -> value; _o: the order of the keys, shared by every map with the
    # same keys (so changing a value copies two references, nothing more).
    __slots__ = ("_d", "_o")

    _d: immutables.Map[K, V]
    _o: _Order

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        d: dict[K, V] = {}
        for k, v in pairs:
            d[k] = v
        _set_d(self, immutables.Map(d))
        _set_o(self, _Order(immutables.Map(zip(d, range(len(d)), strict=True)), len(d)))

    def __getitem__(self, key: K) -> V:
        return self._d[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._ordered())

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, key: object) -> bool:
        return key in self._d

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | Any, /) -> V | Any: ...
    def get(self, key: K, default: Any = None, /) -> Any:
        return self._d.get(key, default)

    def items(self) -> ItemsView[K, V]:
        """A view of the ``(key, value)`` pairs, in insertion order."""
        return _Items(self)

    def values(self) -> ValuesView[V]:
        """A view of the values, in their keys' insertion order."""
        return _Values(self)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is FrozenMap and self.__class__ is FrozenMap:
            return self._d == other._d
        if isinstance(other, Mapping):
            return len(self._d) == len(other) and all(
                k in other and other[k] == v for k, v in self._d.items()
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._d)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FrozenMap is immutable; use .set() to get a changed copy")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __repr__(self) -> str:
        return f"FrozenMap({self.to_dict()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self.to_dict(),))

    def _ordered(self) -> tuple[K, ...]:
        keys = self._o.keys
        return _keys(self._o) if keys is None else keys

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        """Return a copy with ``key`` mapped to ``value`` (a new key goes last)."""
        new: Any = _Filling()
        old = self._d
        d = new._d = old.set(key, value)
        order = self._o
        if len(d) == len(old):  # the same keys in the same order
            new._o = order
        else:
            new._o = _Order(order.rank.set(key, order.next), order.next + 1)
        new.__class__ = FrozenMap
        return new  # type: ignore[no-any-return]

    def delete(self, key: K) -> FrozenMap[K, V]:
        """Return a copy without ``key``; ``KeyError`` if it is absent."""
        new = _new(FrozenMap)
        _set_d(new, self._d.delete(key))
        order = self._o
        _set_o(new, _Order(order.rank.delete(key), order.next))
        return new

    def update(self, other: Mapping[K, V]) -> FrozenMap[K, V]:
        """Return a copy with every item of ``other`` set."""
        new: FrozenMap[K, V] = self
        for k, v in other.items():
            new = new.set(k, v)
        return new

    def to_dict(self) -> dict[K, V]:
        """A plain ``dict`` copy in insertion order (for JSON output and the like)."""
        d = self._d
        return {k: d[k] for k in self._ordered()}


class MapDraft(FrozenMap[K, V]):
    """A :class:`FrozenMap` being changed in place inside a :class:`~crisis_model.Draft`.

    :meth:`Draft.edit_map <crisis_model.Draft.edit_map>` hands one out; ``m[key] = value``
    and ``del m[key]`` change it in place, at the cost of a ``dict`` store, instead of
    copying the map's path on every change as :meth:`FrozenMap.set` does.  It reads like
    the map it will become (lookups, iteration in insertion order, ``len``, ``==``); its
    ``set``, ``delete`` and ``update`` still return new, frozen maps and leave it as it
    is.  When the draft is frozen it becomes a plain :class:`FrozenMap` in place; from
    then on a store raises ``TypeError``.  It cannot be hashed while it can change.

    >>> import crisis_model as cm
    >>> draft = cm.Draft(cm.initial_state())
    >>> table = draft.edit_map(cm.FrozenMap({"a": 1}))
    >>> table["b"] = 2
    >>> del table["a"]
    >>> draft.set_slice("table", table)
    >>> draft.freeze().slices["table"]
    FrozenMap({'b': 2})
    """

    # _d: an immutables.MapMutation of the map's entries; _o: the frozen map's _Order
    # until a key is added or removed, then a _DraftOrder.
    __slots__ = ()
    __setattr__ = object.__setattr__  # type: ignore[assignment]
    __delattr__ = object.__delattr__
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        raise TypeError("a MapDraft comes from Draft.edit_map(frozen_map)")

    def __setitem__(self, key: K, value: V) -> None:
        d: Any = self._d
        if key not in d:
            order: Any = self._o
            if order.__class__ is _Order:  # the first new key
                order = self._o = _DraftOrder(order)  # type: ignore[assignment]
            order.added.append(key)
        d[key] = value

    def __delitem__(self, key: K) -> None:
        d: Any = self._d
        del d[key]
        order: Any = self._o
        if order.__class__ is _Order:
            order = self._o = _DraftOrder(order)  # type: ignore[assignment]
        if key in order.base.rank:
            order.removed.add(key)
        if key in order.added:
            order.added.remove(key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return len(self) == len(other) and all(
            k in other and other[k] == v for k, v in self.items())

    def _ordered(self) -> tuple[K, ...]:
        order: Any = self._o
        if order.__class__ is _Order:
            return FrozenMap._ordered(self)
        removed = order.removed
        keys = order.base.keys
        if keys is None:
            keys = _keys(order.base)
        if removed:
            keys = [k for k in keys if k not in removed]
        return (*keys, *order.added)

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        """A new, frozen map with ``key`` mapped to ``value``; this one is unchanged."""
        return self._frozen_copy().set(key, value)

    def delete(self, key: K) -> FrozenMap[K, V]:
        """A new, frozen map without ``key``; this one is unchanged."""
        return self._frozen_copy().delete(key)

    def update(self, other: Mapping[K, V]) -> FrozenMap[K, V]:
        """A new, frozen map with every item of ``other`` set; this one is unchanged."""
        return self._frozen_copy().update(other)

    def _frozen_copy(self) -> FrozenMap[K, V]:
        """The map as it stands, frozen (O(log n)); this one carries on from it."""
        d: Any = self._d
        done = d.finish()  # (a finished mutation is done with: carry on in a new one)
        self._d = done.mutate()
        order = self._o = _settled(self._o)
        return _from_parts(done, order)

    def __repr__(self) -> str:
        return f"MapDraft({self.to_dict()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("a MapDraft cannot be pickled: freeze the draft first")


class _DraftOrder:
    """The key order of a :class:`MapDraft`: its frozen map's, less ``removed`` (keys of
    ``base`` deleted since), then the keys ``added`` since, in order (a key of ``base``
    deleted and stored again is in both: it goes last)."""

    __slots__ = ("added", "base", "removed")

    def __init__(self, base: _Order) -> None:
        self.base = base
        self.added: list[Any] = []
        self.removed: set[Any] = set()


def _settle_map(m: Any) -> None:
    """Turn the :class:`MapDraft` ``m`` into a :class:`FrozenMap` in place."""
    m._d = m._d.finish()
    order = m._o
    # (tested here rather than by calling _settled: the call costs freezing after every
    # event 0.25% of its instructions, and most map drafts only change values)
    if order.__class__ is not _Order:  # keys were added or removed
        m._o = _settled(order)
    m.__class__ = FrozenMap


def _settled(order: _Order | _DraftOrder) -> _Order:
    """The key order a map draft's keys have now (``order`` itself if none changed)."""
    if isinstance(order, _Order):
        return order
    return _order_with(order.base, order.added, order.removed)


class _Items(ItemsView[K, V]):
    """``FrozenMap.items()``: iterated in C (the generic view looks each key up in Python)."""

    __slots__ = ()
    _mapping: FrozenMap[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        m = self._mapping
        keys = m._ordered()
        return zip(keys, map(m._d.__getitem__, keys), strict=True)


class _Values(ValuesView[V]):
    """``FrozenMap.values()``: iterated in C."""

    __slots__ = ()
    _mapping: FrozenMap[Any, V]

    def __iter__(self) -> Iterator[V]:
        m = self._mapping
        return map(m._d.__getitem__, m._ordered())


class _Order:
    """The insertion order of a map's keys: each key's rank, the next rank, and
    (computed on first iteration, then cached) the keys in order."""

    __slots__ = ("keys", "next", "rank")

    def __init__(self, rank: immutables.Map[Any, int], nxt: int) -> None:
        self.rank = rank
        self.next = nxt
        self.keys: tuple[Any, ...] | None = None


def _keys(order: _Order) -> tuple[Any, ...]:
    """The keys of ``order``, in order (computed once, then kept)."""
    keys = order.keys = tuple(k for k, _ in sorted(order.rank.items(), key=_by_rank))
    return keys


_new = object.__new__
_set_d = vars(FrozenMap)["_d"].__set__  # the slots' descriptors
_set_o = vars(FrozenMap)["_o"].__set__


#: A map being made: filled by plain stores, then a ``FrozenMap`` by ``__class__``
#: assignment, which costs less than two calls of the slots' descriptors (see
#: ``crisis_model._replace.plain_subclass``).
_Filling: Any = _twin(FrozenMap)


def _from_parts(d: immutables.Map[Any, Any], order: _Order) -> FrozenMap[Any, Any]:
    """A map of ``d`` whose keys' insertion order is ``order`` (for the reducer's drafts)."""
    new: Any = _Filling()
    new._d = d
    new._o = order
    new.__class__ = FrozenMap
    return new  # type: ignore[no-any-return]


def _with_new_keys(old: FrozenMap[Any, Any], d: immutables.Map[Any, Any],
                   added: list[Any]) -> FrozenMap[Any, Any]:
    """The map of ``d``: ``old``'s keys in ``old``'s order, then ``added`` (new keys) in order."""
    return _from_parts(d, _order_with(old._o, added))


def _order_with(base: _Order, added: list[Any], removed: set[Any] | None = None) -> _Order:
    """``base`` less the keys ``removed``, then the keys ``added`` (not in it after the
    removals), last and in order: ``base`` itself if both are empty."""
    if not (added or removed):
        return base
    rank = base.rank.mutate()
    nxt = base.next
    for key in removed or ():
        del rank[key]
    for key in added:
        rank[key] = nxt
        nxt += 1
    return _Order(rank.finish(), nxt)


def frozen_map(items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = ()) -> FrozenMap[Any, Any]:
    """Attrs converter: turn any mapping into a ``FrozenMap`` (a ``FrozenMap`` passes through)."""
    if isinstance(items, FrozenMap):
        return items
    return FrozenMap(items)


def shares_map(
    items: Mapping[str, float] | Iterable[tuple[str, float]] = (),
) -> FrozenMap[str, float]:
    """Attrs converter for vote shares: a ``FrozenMap`` of percentages as floats."""
    pairs = items.items() if isinstance(items, Mapping) else items
    return FrozenMap((k, float(v)) for k, v in pairs)
