"""An immutable, hashable mapping used for every mapping in events and state.

``FrozenMap`` never changes after construction; ``set``, ``delete`` and
``update`` return a new map.  Iteration follows insertion order, so two maps
built from the same history iterate identically and replay is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")

__all__ = ["FrozenMap", "frozen_map", "shares_map"]


class FrozenMap(Mapping[K, V]):
    """An immutable mapping; "changing" it returns a new map.

    >>> m = FrozenMap({"maduro": 52.0})
    >>> m2 = m.set("gonzalez", 43.0)
    >>> (len(m), len(m2))
    (1, 2)
    """

    __slots__ = ("_d", "_h")

    _d: dict[K, V]
    _h: int | None

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        object.__setattr__(self, "_d", dict(items))
        object.__setattr__(self, "_h", None)

    @classmethod
    def _wrap(cls, d: dict[K, V]) -> FrozenMap[K, V]:
        new = object.__new__(cls)
        object.__setattr__(new, "_d", d)
        object.__setattr__(new, "_h", None)
        return new

    def __getitem__(self, key: K) -> V:
        return self._d[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._d)

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

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._d == other._d
        if isinstance(other, Mapping):
            return self._d == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        h = self._h
        if h is None:
            h = hash(frozenset(self._d.items()))
            object.__setattr__(self, "_h", h)
        return h

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FrozenMap is immutable; use .set() to get a changed copy")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __repr__(self) -> str:
        return f"FrozenMap({self._d!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._d,))

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        """Return a copy with ``key`` mapped to ``value``."""
        d = self._d.copy()
        d[key] = value
        return FrozenMap._wrap(d)

    def delete(self, key: K) -> FrozenMap[K, V]:
        """Return a copy without ``key``; ``KeyError`` if it is absent."""
        d = self._d.copy()
        del d[key]
        return FrozenMap._wrap(d)

    def update(self, other: Mapping[K, V]) -> FrozenMap[K, V]:
        """Return a copy with every item of ``other`` set."""
        d = self._d.copy()
        d.update(other)
        return FrozenMap._wrap(d)

    def to_dict(self) -> dict[K, V]:
        """A plain ``dict`` copy (for JSON output and the like)."""
        return self._d.copy()


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
