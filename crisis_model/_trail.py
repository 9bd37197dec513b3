"""``Trail``: the immutable sequence long histories in the state are.

A history (a person's movements, an election's declarations, every attack
recorded, the claims to an office...) grows at its end, and now and then has
one entry amended (a claim that ends).  Kept as a tuple, each new entry copies
every earlier one, so an actor with *k* entries costs O(k) per event and a
long crisis O(k^2) in all.  A :class:`Trail` appends in O(1): it is a view of
the first ``n`` items of a list that it shares with the trails it grew from,
and :func:`appended` adds to that list in place when the trail is its newest
view.  :func:`replaced` amends one item in O(log n), in a small persistent
map of amended items the trail carries.  Appending to an older trail (a
what-if branch from a snapshot) copies, once, so no trail ever sees its items
change.  Short histories stay tuples (see :attr:`Trail.SHORT`).

A trail reads like a tuple (``len``, indexing, slicing, iteration, ``in``) and
compares equal to the tuple of the same items, with the same hash.

>>> import crisis_model as cm
>>> first = cm.Trail(["detained"])
>>> second = cm.appended(first, "released")
>>> branch = cm.appended(first, "transferred")   # from the older trail: a copy
>>> (tuple(first), tuple(second), tuple(branch))
(('detained',), ('detained', 'released'), ('detained', 'transferred'))
>>> second == ("detained", "released"), second[-1], second[:1]
(True, 'released', ('detained',))
>>> cm.replaced(second, 0, "held"), second
(Trail(('held', 'released')), Trail(('detained', 'released')))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, ClassVar, TypeVar, overload

import immutables

__all__ = ["Trail", "appended", "replaced"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

_EMPTY_OVER: immutables.Map[int, Any] = immutables.Map()
_SHORT = 16


class Trail(Sequence[T_co]):
    """An immutable sequence that grows at its end in O(1) (see :func:`appended`).

    ``Trail(items)`` copies ``items``.  It never changes afterwards; it equals
    (and hashes like) the tuple of its items.

    >>> t = Trail(["a", "b"])
    >>> (len(t), list(t), t == ("a", "b"), hash(t) == hash(("a", "b")))
    (2, ['a', 'b'], True, True)
    """

    # _items: a list shared with every trail grown from the same start; only its
    # first _n items are this trail's, and those never change (the list only grows).
    # _over: index -> item for the items this trail amended (None: none).  The three
    # are private and set once, when the trail is made (a plain store: a guard in
    # __setattr__ would cost every append a slot wrapper call, several times the rest).
    __slots__ = ("_items", "_n", "_over")

    #: :func:`appended` and :func:`replaced` keep a tuple shorter than this a tuple:
    #: copying a few references costs less than a trail's bookkeeping (measured by
    #: ``python -m benchmarks.callgrind``), and O(1) matters only for long histories.
    SHORT: ClassVar[int] = _SHORT

    _items: list[Any]
    _n: int
    _over: immutables.Map[int, Any] | None

    def __init__(self, items: Iterable[T_co] = ()) -> None:
        values = list(items)
        self._items = values
        self._n = len(values)
        self._over = None

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> T_co: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T_co, ...]: ...
    def __getitem__(self, index: int | slice) -> T_co | tuple[T_co, ...]:
        """An item (negative indices count from the end), or a slice as a tuple."""
        if index.__class__ is slice:
            return self._tuple()[index]
        n = self._n
        i = index.__index__()  # type: ignore[union-attr]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("Trail index out of range")
        over = self._over
        item: T_co = self._items[i] if over is None else over.get(i, self._items[i])
        return item

    def __iter__(self) -> Iterator[T_co]:
        over = self._over
        it: Iterator[T_co] = (islice(self._items, self._n) if over is None
                              else map(over.get, range(self._n), self._items))
        return it

    def _tuple(self) -> tuple[T_co, ...]:
        return tuple(self._items[:self._n]) if self._over is None else tuple(self)

    def __reversed__(self) -> Iterator[T_co]:
        items, n, over = self._items, self._n, self._over
        it: Iterator[T_co] = islice(reversed(items), len(items) - n, None)
        if over is not None:
            it = map(over.get, range(n - 1, -1, -1), it)
        return it

    def __contains__(self, value: object) -> bool:
        return value in self._tuple()

    def __bool__(self) -> bool:
        return self._n > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Trail):
            that: Trail[Any] = other
            return self._n == that._n and (
                (self._items is that._items and self._over is that._over)
                or self._tuple() == that._tuple())
        if isinstance(other, tuple):
            return len(other) == self._n and self._tuple() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __add__(self, other: Iterable[Any]) -> Trail[Any]:
        if not isinstance(other, tuple | Trail):
            return NotImplemented
        return Trail([*self, *other])

    def __radd__(self, other: Iterable[Any]) -> Trail[Any]:
        if not isinstance(other, tuple):
            return NotImplemented
        return Trail([*other, *self])

    def __repr__(self) -> str:
        return f"Trail({self._tuple()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Trail, (self._tuple(),))

    def plus(self, item: T) -> Trail[T_co | T]:
        """This trail with ``item`` at its end (this trail is unchanged)."""
        new: Trail[T_co | T] = appended(self, item)  # type: ignore[assignment]
        return new


_new = object.__new__


def appended(history: Sequence[T], item: T) -> Sequence[T]:
    """``history`` with ``item`` at its end; ``history`` is unchanged.

    ``history`` may be a tuple, a :class:`Trail` or any other sequence.  A short
    tuple (under :attr:`Trail.SHORT` items) gives a tuple; anything longer a trail, to
    which the next append costs O(1) (appending to an older trail, a what-if branch
    from a snapshot, copies once).  Safe under threads: two appends to the same
    trail never see each other's item.

    >>> import crisis_model as cm
    >>> h = ()
    >>> for day in range(20):
    ...     h = cm.appended(h, day)
    >>> (type(h).__name__, len(h), h[-1], h == tuple(range(20)))
    ('Trail', 20, 19, True)
    """
    cls = history.__class__
    if cls is tuple and len(history) < _SHORT:
        return (*history, item)
    over = None
    if cls is Trail:
        items: list[Any] = history._items  # type: ignore[attr-defined]
        n: int = history._n  # type: ignore[attr-defined]
        over = history._over  # type: ignore[attr-defined]
        if len(items) == n:
            items.append(item)
            if items[n] is item:  # no other append to this trail came between
                new: Trail[T] = _new(Trail)
                new._items = items
                new._n = n + 1
                new._over = over
                return new
        items = items[:n] if over is None else list(history)
        over = None
    else:
        items = list(history)
    items.append(item)
    new = _new(Trail)
    new._items = items
    new._n = len(items)
    new._over = over
    return new


def replaced(history: Sequence[T], index: int, item: T) -> Sequence[T]:
    """``history`` with its item at ``index`` (negative counts from the end) replaced by
    ``item``; ``history`` is unchanged.  A short tuple gives a tuple; anything longer a
    :class:`Trail` (O(log n) on a trail)."""
    n = len(history)
    i = index + n if index < 0 else index
    if not 0 <= i < n:
        raise IndexError(f"index {index} out of range for a history of {n}")
    if history.__class__ is Trail:
        items: list[Any] = history._items
        over = history._over
    elif n < _SHORT:
        return (*history[:i], item, *history[i + 1:])
    else:
        items, over = list(history), None
    new: Trail[T] = _new(Trail)
    new._items = items
    new._n = n
    new._over = (_EMPTY_OVER if over is None else over).set(i, item)
    return new
