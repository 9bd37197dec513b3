"""Hypothesis strategies for events, admissible logs, actors and states.

Generation is *state-aware*: a log is built one event at a time from the
state the events so far replay into.  For each step an event type is picked
among those whose required references can resolve, then its fields are built:
by a per-type strategy registered with :func:`register_event_strategy` where
there is one, and otherwise generically from the attrs fields and their type
annotations.  That is why types users register are covered with no further
work.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import functools
import hashlib
import inspect
import math
import types as _types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias, TypeVar

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .._count import Count
from .._event import BASE_OPTIONAL, REF_METADATA_KEY, Event, Precision, RefSpec, window
from .._frozenmap import FrozenMap
from ..errors import RegistrationError
from ..reducer import admits, check, evolve, initial_state, registry
from ..state import ActorKind, ActorState, AsylumStatus, CrisisState
from . import _values
from ._values import counts

__all__ = [
    "EventStrategy",
    "actors",
    "crisis_states",
    "event_logs",
    "events",
    "next_events",
    "register_event_strategy",
    "shares",
]

E = TypeVar("E", bound=Event)

#: ``fn(state) -> strategy | None``: a state-aware strategy for one event type.
#: The strategy draws either a mapping of field values (fields it leaves out
#: are filled in generically, and the date is chosen for it) or a whole event.
#: ``None`` says no event of the type makes sense in ``state``.
EventStrategy: TypeAlias = Callable[
    [CrisisState], "SearchStrategy[Mapping[str, Any]] | SearchStrategy[Event] | None"
]

_STRATEGIES: dict[type[Event], EventStrategy] = {}

#: The date the first event of a generated log falls on (plus up to two years).
START = _dt.date(2024, 1, 1)
#: How many draws :func:`event_logs` makes for one admissible event before it
#: falls back on introducing a new actor (always admissible).
MAX_TRIES = 12
#: The percentage of flawed events in ``admissible=False`` logs and next events.
FLAW_RATE = 25
#: How many draws of one type a step makes before trying the other types only.
TRIES_PER_TYPE = 3
#: How many events :func:`events` may add to its context state to reach one the
#: requested types fit before it settles for an event with unknown ids.
CONTEXT_STEPS = 25
#: Default maximum length of :func:`event_logs`.
DEFAULT_MAX_SIZE = 50

_BASE_FIELDS = ("occurred_on", "precision", "sources", "note", *BASE_OPTIONAL)
_NAMES = ("Ana", "Luis", "María", "Pedro", "Rosa", "Tomás", "Inés", "Jorge", "Zoë", "Ngozi")
_WORDS = ("fraud", "tally", "audit", "curfew", "march", "petition", "decree", "recount",
          "blackout", "strike", "amnesty", "treason", "terrorism", "incitement")
_COUNTRIES = ("VEN", "COL", "BRA", "USA", "ESP", "ARG", "MEX", "PAN", "CHL", "PER", "CIV")
_OFFICES = ("president", "vice_president", "governor", "mayor", "minister", "deputy")
_PLACES = ("Caracas", "Maracaibo", "Valencia", "Bogotá", "Madrid", "Panamá")
_SOURCES = ("wire-a", "wire-b", "ngo-report", "gazette", "press-briefing")
_DAY_WEIGHTED = (Precision.DAY,) * 8 + (Precision.MONTH, Precision.YEAR)


# -- public hook --------------------------------------------------------------------------------


def register_event_strategy(
    cls: type[E], fn: EventStrategy | None = None
) -> Any:
    """Register a state-aware strategy for events of ``cls`` (also usable as a decorator).

    ``fn(state)`` returns ``None`` when no event of ``cls`` makes sense in
    ``state``, or a strategy drawing a mapping of field values: the fields it
    leaves out (the date among them) are filled in generically.  It may also
    draw whole events.  Use it where the rules of ``cls`` are too tight for
    generic fields to pass them often::

        @register_event_strategy(MilitaryDefected)
        def _(state):
            units = sorted(state.slices["military"].loyal)
            if not units:
                return None
            return st.fixed_dictionaries({"unit": st.sampled_from(units)})
    """
    if not registry.is_registered(cls):
        raise RegistrationError(
            f"cannot register a strategy for {getattr(cls, '__qualname__', cls)!r}: it is not a "
            "registered event type (decorate it with @cm.event_type first)"
        )

    def decorate(f: EventStrategy) -> EventStrategy:
        if not callable(f):
            raise InvalidArgument(f"the strategy for {cls.event_tag!r} must be callable")
        if _STRATEGIES.get(cls) is not None:
            raise RegistrationError(f"{cls.event_tag!r} already has a strategy")
        _STRATEGIES[cls] = f
        return f

    return decorate if fn is None else decorate(fn)


# -- field introspection ----------------------------------------------------------------------


@attrs.frozen
class _Field:
    name: str
    type: Any
    spec: RefSpec | None
    required: bool
    default: Any


_FIELDS: dict[type[Event], tuple[_Field, ...]] = {}
_REQUIRED: dict[type[Event], frozenset[str]] = {}


def _fields(cls: type[Event]) -> tuple[_Field, ...]:
    """What the generator needs to know of each attrs field of ``cls`` (cached)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = _introspect(cls)
    return found


def _introspect(cls: type[Event]) -> tuple[_Field, ...]:
    try:
        hints = typing.get_type_hints(cls)
    except Exception:
        hints = {}
    out = []
    for f in attrs.fields(cls):
        tp = hints.get(f.name, f.type if not isinstance(f.type, str) else Any)
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory() if not default.takes_self else attrs.NOTHING
        out.append(_Field(
            name=f.name, type=tp, spec=f.metadata.get(REF_METADATA_KEY),
            required=f.default is attrs.NOTHING, default=default,
        ))
    return tuple(out)


def _required_kinds(cls: type[Event]) -> frozenset[str]:
    """Kinds that must have at least one id before an admissible ``cls`` can exist."""
    found = _REQUIRED.get(cls)
    if found is None:
        found = _REQUIRED[cls] = frozenset(
            f.spec.kind for f in _fields(cls)
            if f.spec is not None and not f.spec.new and f.required and _base(f.type) is str
        )
    return found


def _base(tp: Any) -> Any:
    """``X`` for ``X | None``, else ``tp``."""
    if typing.get_origin(tp) in (typing.Union, _types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _optional(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, _types.UnionType) and type(None) in (
        typing.get_args(tp)
    )


# -- randomness: bits from few hypothesis draws ------------------------------------------------
#
# A hypothesis draw costs tens of microseconds, and an event needs a dozen or
# more small choices (its type, date, precision, sources, each field).  So the
# generator draws *chunks* of random bytes (a fixed size: their bytes are
# uniform, where hypothesis' integers favour small values; bare choices where
# it can, see :func:`_bare_chunks`), and takes each small choice from the next few
# bits.  Every choice maps its bits monotonically (zero bits: the first item,
# the smallest number, no text), so when hypothesis shrinks a chunk's bytes
# towards zero, first to last, the events they feed become simpler, the
# earliest first; and a log shrinks by its groups (see :class:`_Group`).
# Strategies the generator does not know (a user's, in a registered per-type
# strategy) are drawn by hypothesis as usual.

#: Random bytes the steps of one test case's next events draw from hypothesis at a
#: time (a few events' worth; a log's groups draw :data:`GROUP_BYTES`);
#: :func:`events`, :func:`actors` and next events drawn with another draw
#: function draw :data:`NEXT_CHUNK_BYTES` (one value rarely needs more).
CHUNK_BYTES = 64
NEXT_CHUNK_BYTES = 16
_SLACK = 3  # extra bits per choice among n items: its bias is at most 2**-_SLACK


@functools.cache
def _chunk(size: int) -> SearchStrategy[bytes]:
    return st.binary(min_size=size, max_size=size)


def _chunks(draw: st.DrawFn, size: int) -> Callable[[], bytes]:
    """Chunks of ``size`` random bytes, each one draw of ``st.binary`` with ``draw``."""
    chunk = _chunk(size)
    return lambda: draw(chunk)


def _bare_chunks(data: Any, size: int) -> Callable[[], bytes]:
    """Chunks of ``size`` random bytes drawn from hypothesis' test case ``data`` as bare
    choices (``data.draw_bytes``), outside any span.

    Hypothesis' mutator copies a span over another of the same label.  Every chunk
    drawn through ``st.binary`` had the same label, and a chunk copied over another
    changed how many bits the steps after it took, so that the example asked for
    more choices than its record held and was thrown away.  A bare choice has no
    span to copy.  (With a hypothesis whose ``draw_bytes`` is not this one, chunks
    are drawn through ``st.binary`` as before.)"""

    def fetch() -> bytes:
        if _BARE[0]:
            try:
                value = data.draw_bytes(size, size)
            except TypeError:  # another signature: draw through the strategy from now on
                _BARE[0] = False
            else:
                if isinstance(value, bytes) and len(value) == size:
                    return value
                _BARE[0] = False
        return typing.cast(bytes, data.draw(_chunk(size)))

    return fetch


#: Whether this hypothesis' ``ConjectureData.draw_bytes(min_size, max_size)`` draws bytes.
_BARE = [True]


class _Bits:
    """A stream of random bits refilled a chunk at a time from ``fetch()`` (``size``
    random bytes: one hypothesis draw)."""

    __slots__ = ("avail", "bits", "fetch", "size")

    def __init__(self, fetch: Callable[[], bytes], size: int = CHUNK_BYTES) -> None:
        self.fetch = fetch
        self.bits = 0
        self.avail = 0
        self.size = size * 8

    def refill(self) -> int:
        """The next chunk's bits."""
        return int.from_bytes(self.fetch(), "little")

    def take(self, k: int) -> int:
        """``k`` random bits, as a non-negative int below ``2**k`` (the first byte drawn
        gives the lowest bits)."""
        avail = self.avail
        while avail < k:
            self.bits |= self.refill() << avail
            avail += self.size
        bits = self.bits
        self.bits = bits >> k
        self.avail = avail - k
        return bits & ((1 << k) - 1)

    def below(self, n: int) -> int:
        """An int in ``[0, n)``; zero bits give 0."""
        if n <= 1:
            return 0
        k = _WIDTH[n] if n < _WIDTHS else (n - 1).bit_length() + _SLACK
        avail = self.avail
        if avail < k:
            return (self.take(k) * n) >> k
        bits = self.bits
        self.bits = bits >> k
        self.avail = avail - k
        return ((bits & ((1 << k) - 1)) * n) >> k


class _Seeded(_Bits):
    """The bits of *one* hypothesis draw, then as many more as are asked for, derived
    from them (:func:`_stretch`).

    A group of a log's events takes its bits from one of these, so that it is always
    one choice in hypothesis' record, whatever its events need.  Hypothesis' mutator
    copies one group's choices over another's (a trick to repeat a value); with a
    group that drew as many chunks as its events asked for, the copy drawn again
    for another state asked for more choices than the record held, and hypothesis
    threw the whole test case away (a quarter to a third of them).  The first bits are the
    drawn ones, so the first events of a group shrink as before; the derived bits
    of zero bits are zeros, so a group hypothesis zeroes is the simplest there is.
    """

    __slots__ = ("block",)

    def __init__(self, fetch: Callable[[], bytes], size: int) -> None:
        super().__init__(fetch, size)
        self.block = self.bits = int.from_bytes(fetch(), "little")
        self.avail = self.size

    def refill(self) -> int:
        """Bits derived from the last block (the first is the one drawn)."""
        self.block = block = _stretch(self.block, self.size)
        return block


#: An odd multiplier as wide as any chunk (multiplying by an odd number is a bijection
#: modulo a power of two).
_ODD = int("9e3779b97f4a7c15f39cc0605cedc8341082276bf3a27251f86c6a11d0c18e95" * 8, 16) | 1


def _stretch(block: int, width: int) -> int:
    """The next ``width`` bits after ``block``: a bijection of ``width``-bit ints (two
    rounds of multiply and xor-shift) that keeps zero at zero."""
    mask = (1 << width) - 1
    block = (block * _ODD) & mask
    block ^= block >> (width // 2)
    block = (block * _ODD) & mask
    return block ^ (block >> (width // 3))


#: Bits :meth:`_Bits.below` takes for ``n`` items, for small ``n`` (read, not computed).
_WIDTHS = 4096
_WIDTH = tuple((n - 1).bit_length() + _SLACK for n in range(_WIDTHS))


_T = TypeVar("_T")
_E = TypeVar("_E", bound=enum.Enum)
_Form = Callable[["_Draw"], Any]
#: How the generator draws a strategy it knows from bits, by identity of the strategy.
_FORMS: dict[int, tuple[SearchStrategy[Any], _Form]] = {}


def _known(strategy: SearchStrategy[_T], form: _Form) -> SearchStrategy[_T]:
    _FORMS[id(strategy)] = (strategy, form)  # the strategy is kept alive: ids stay unique
    return strategy


class _Draw:
    """The draw function per-type strategies get during generation.

    Strategies the generator knows (its own, ``st.booleans()``, plain
    ``st.integers(a, b)`` and ``st.sampled_from(...)``) take their values from
    the shared bits; any other strategy is drawn by hypothesis itself.
    """

    __slots__ = ("bits", "real", "texts")
    __signature__ = inspect.signature(lambda strategy, label=None: None)

    def __init__(self, real: st.DrawFn, chunk_bytes: int = CHUNK_BYTES,
                 bits: _Bits | None = None, texts: tuple[str, ...] | None = None) -> None:
        self.real = real
        self.bits = _Bits(_chunks(real, chunk_bytes), chunk_bytes) if bits is None else bits
        self.texts = texts

    def text(self, strategy: SearchStrategy[str]) -> str:
        """A text of hypothesis' own from ``strategy`` (one of the generator's text
        strategies): the log's text for it, drawn when the log began, if there is one."""
        slot = _TEXT_SLOTS.get(id(strategy))
        if self.texts is not None and slot is not None:
            return self.texts[slot]
        return self.real(strategy)

    def __call__(self, strategy: SearchStrategy[_T], label: Any = None) -> _T:
        known = _FORMS.get(id(strategy))
        if known is not None and known[0] is strategy:
            return typing.cast("_T", known[1](self))
        form = _PLAIN.get(id(strategy), _NOT_SEEN)
        if form is _NOT_SEEN or _PLAIN_KEPT.get(id(strategy)) is not strategy:
            form = _plain_form(strategy)
            if len(_PLAIN) < 4096:  # strategies are immutable: remember what each is
                _PLAIN[id(strategy)] = form
                _PLAIN_KEPT[id(strategy)] = strategy  # kept alive: ids stay unique
        if form is None:
            return self.real(strategy) if label is None else self.real(strategy, label=label)
        return typing.cast("_T", form(self))


_NOT_SEEN: Any = object()
#: The bits form of other strategies drawn so far (``None``: drawn by hypothesis).
_PLAIN: dict[int, _Form | None] = {}
_PLAIN_KEPT: dict[int, SearchStrategy[Any]] = {}


def _fast(draw: st.DrawFn, chunk_bytes: int = CHUNK_BYTES) -> st.DrawFn:
    """A :class:`_Draw` over hypothesis' ``draw``."""
    return _Draw(draw, chunk_bytes)


def _plain_form(strategy: Any) -> _Form | None:
    """The bits form of ``st.booleans()``, ``st.integers(a, b)``, ``st.sampled_from(seq)``
    when ``strategy`` is exactly one of those (no map or filter), else ``None``."""
    try:
        if getattr(strategy, "_transformations", ()):
            return None
        function = getattr(strategy, "function", None)
        if function is not None:  # a lazy strategy: st.booleans(), st.integers(...)
            name = getattr(function, "__name__", "")
            if name == "booleans":
                return _bool_form
            if name == "integers":
                inner = strategy.wrapped_strategy
                lo, hi = getattr(inner, "start", None), getattr(inner, "end", None)
                if (type(inner).__name__ == "IntegersStrategy" and isinstance(lo, int)
                        and isinstance(hi, int) and not getattr(inner, "_transformations", ())):
                    return lambda d: lo + d.bits.below(hi - lo + 1)
            return None
        if type(strategy).__name__ == "SampledFromStrategy":
            items = strategy.elements
            if items:
                return lambda d: items[d.bits.below(len(items))]
    except Exception:  # another hypothesis: draw it the ordinary way
        return None
    return None


def _bool_form(d: _Draw) -> bool:
    return d.bits.take(1) == 1


@functools.cache
def _index(n: int) -> SearchStrategy[int]:
    return _known(st.integers(0, n - 1), lambda d: d.bits.below(n))


@functools.cache
def _range(lo: int, hi: int) -> SearchStrategy[int]:
    return _known(st.integers(lo, hi), lambda d: lo + d.bits.below(hi - lo + 1))


def choice(draw: st.DrawFn, items: Sequence[_T]) -> _T:
    """One of ``items`` (shrinking towards the first); ``items`` must not be empty."""
    n = len(items)
    if n <= 1:
        return items[0]
    if type(draw) is _Draw:
        return items[draw.bits.below(n)]
    return items[draw(_index(n))]


def _int(draw: st.DrawFn, lo: int, hi: int) -> int:
    """An int in ``[lo, hi]``, shrinking towards ``lo``."""
    if type(draw) is _Draw:
        return lo + draw.bits.below(hi - lo + 1)
    return draw(_range(lo, hi))


def maybe(draw: st.DrawFn, make: Callable[[], _T]) -> _T | None:
    """Usually ``make()``, sometimes ``None`` (an unknown value)."""
    if type(draw) is _Draw:
        return None if draw.bits.below(4) == 3 else make()
    return None if _int(draw, 0, 3) == 3 else make()


def subset(
    draw: st.DrawFn, items: Sequence[_T], *, min_size: int = 0, max_size: int = 3
) -> tuple[_T, ...]:
    """Distinct ``items`` (order kept), between ``min_size`` and ``max_size`` of them."""
    hi = min(max_size, len(items))
    k = _int(draw, min(min_size, hi), hi)
    if not k:
        return ()
    pool = list(items)
    picked = []
    for _ in range(k):
        picked.append(pool.pop(_int(draw, 0, len(pool) - 1)) if len(pool) > 1 else pool.pop())
    return tuple(picked)


#: The ids of each kind in the last state asked about: a step asks several times.
_IDS_CACHE: tuple[CrisisState | None, dict[str, list[str]]] = (None, {})


def _ids(state: CrisisState, kind: str) -> list[str]:
    """The ids of ``kind`` in ``state`` (do not change the list: it is shared)."""
    global _IDS_CACHE
    cache = _IDS_CACHE
    if cache[0] is not state:
        cache = _IDS_CACHE = (state, {})
    found = cache[1].get(kind)
    if found is None:
        ids = registry.ref_ids.get(kind)
        found = cache[1][kind] = [] if ids is None else list(ids(state))
    return found


_K = TypeVar("_K")
_V = TypeVar("_V")
#: ``items_of``' lists, by identity of the map (kept alive with it, so ids stay unique).
_ITEMS: dict[int, tuple[Mapping[Any, Any], list[tuple[Any, Any]], list[Any]]] = {}


def _listed(m: Mapping[_K, _V]) -> tuple[Mapping[Any, Any], list[tuple[Any, Any]], list[Any]]:
    found = _ITEMS.get(id(m))
    if found is not None and found[0] is m:
        return found
    if type(m) is not FrozenMap:  # it may change: list it afresh each time
        pairs = list(m.items())
        return (m, pairs, [v for _, v in pairs])
    d = m._d
    pairs = [(k, d[k]) for k in m._ordered()]
    if len(_ITEMS) >= 64:  # the maps of the last few states (a step reads several)
        _ITEMS.clear()
    found = _ITEMS[id(m)] = (m, pairs, [v for _, v in pairs])
    return found


def items_of(m: Mapping[_K, _V]) -> list[tuple[_K, _V]]:
    """``list(m.items())`` in ``m``'s order, listed once per map: a generation step asks
    about the same maps of one state many times (do not change the list: it is shared)."""
    return _listed(m)[1]


def values_of(m: Mapping[_K, _V]) -> list[_V]:
    """``list(m.values())``, listed once per map as :func:`items_of` is (do not change it)."""
    return _listed(m)[2]


_F = TypeVar("_F", bound=Callable[..., Any])


@typing.overload
def per_state(fn: _F, /) -> _F: ...


@typing.overload
def per_state(*, reads: str) -> Callable[[_F], _F]: ...


def per_state(fn: _F | None = None, /, *, reads: str | None = None) -> Any:
    """Remember ``fn(state, *args)`` for the last ``state`` it was called with (by
    identity: states are immutable).  For the helpers of per-type strategies: a step
    asks a type's guard, then its build, the same questions about one state.  The
    result is shared: do not change it.

    With ``reads="actors"`` (an attribute of the state), remember it for the last
    value of that attribute instead, which many steps leave as it was (the same
    object): for a helper that reads nothing else of the state."""

    def decorate(fn: _F) -> _F:
        if len(inspect.signature(fn).parameters) == 1:  # fn(state): one answer to remember
            pair: list[Any] = [_NOT_SEEN, None]

            @functools.wraps(fn)
            def one(state: Any) -> Any:
                seen = state if reads is None else getattr(state, reads)
                if pair[0] is seen:
                    return pair[1]
                found = fn(state)
                pair[0], pair[1] = seen, found
                return found

            return typing.cast("_F", one)
        memo: dict[Any, Any] = {}
        last: list[Any] = [None]

        @functools.wraps(fn)
        def cached(state: Any, *args: Any, **kwargs: Any) -> Any:
            seen = state if reads is None else getattr(state, reads)
            if last[0] is not seen:
                memo.clear()
                last[0] = seen
            key = (args, tuple(kwargs.items())) if kwargs else args
            found = memo.get(key, _NOT_SEEN)
            if found is _NOT_SEEN:
                found = memo[key] = fn(state, *args, **kwargs)
            return found

        return typing.cast("_F", cached)

    return decorate if fn is None else decorate(fn)


@functools.cache
def kinds_in(values: frozenset[str]) -> tuple[ActorKind, ...]:
    """The actor kinds whose values are ``values``, as a tuple: ``a.kind in kinds_in(...)``
    compares members by identity (reading ``a.kind.value`` or hashing a member runs
    Python code in the enum module)."""
    return tuple(k for k in members(ActorKind) if k.value in values)


def fresh_id(draw: st.DrawFn, state: CrisisState, kind: str) -> str:
    """A new id of ``kind`` (``actor7``, ``election2``...) that ``state`` does not know."""
    lookup = registry.ref_kinds.get(kind)
    n = len(_ids(state, kind)) + _int(draw, 0, 3)
    while lookup is not None and lookup(state, f"{kind}{n}"):
        n += 1
    return f"{kind}{n}"


#: Characters drawn texts are made of: letters, digits, spaces and punctuation,
#: accents, other scripts, an emoji, controls, a zero-width space and a
#: right-to-left override (one in eight texts is drawn by hypothesis itself).
_ALPHABET = ("abcdefghijklmnopqrstuvwxyz ABCXYZ0129 .,;:'\"-_/\\()[]{}<>#%&*+=?!@$~|"
             "áéíóúñüßçÁÉÑØœ€£¥°§ΩЖжяאبع中文한日\u00a0\u200b\u202e\t\n\r\x00\x1b🙂👍🏽")


_CHAR_BITS = 7  # bits per character: 2**7 >= len(_ALPHABET), every character reachable
_CHARS = tuple(_ALPHABET[(v * len(_ALPHABET)) >> _CHAR_BITS] for v in range(1 << _CHAR_BITS))
assert set(_CHARS) == set(_ALPHABET)


def _text_form(strategy: SearchStrategy[str], min_size: int, max_size: int) -> _Form:
    span = max_size - min_size + 1

    def form(d: _Draw) -> str:
        bits = d.bits
        if bits.take(3) == 7:
            return d.text(strategy)
        n = min_size + bits.below(span)
        if not n:
            return ""
        v = bits.take(_CHAR_BITS * n)  # the characters' bits at once, the first the lowest
        chars = _CHARS
        return "".join([chars[(v >> i) & 127] for i in range(0, _CHAR_BITS * n, _CHAR_BITS)])

    return form


def _either(words: Sequence[str], other: _Form, odds: int) -> _Form:
    """One of ``words`` (the first when the bits are zero), or ``other`` one time in ``odds``."""
    def form(d: _Draw) -> str:
        pick = d.bits.below(odds)
        return other(d) if pick == odds - 1 else words[d.bits.below(len(words))]

    return form


def _sampled(items: Sequence[_T]) -> SearchStrategy[_T]:
    return _known(st.sampled_from(items), lambda d: items[d.bits.below(len(items))])


def _two_ranges(lo: int, small: int, large: int) -> SearchStrategy[int]:
    """Ints in ``[lo, small]`` half the time, else in ``[lo, large]``."""
    return _known(st.one_of(st.integers(lo, small), st.integers(lo, large)),
                  lambda d: lo + d.bits.below((small if d.bits.take(1) == 0 else large) - lo + 1))


def _count_form(max_value: int) -> _Form:
    """The bits form of :func:`~crisis_model.testing.counts`: each bound small (up to 30)
    half the time; zero bits give an exact zero."""
    small = min(30, max_value)

    def number(d: _Draw) -> int:
        return d.bits.below((small if d.bits.take(1) == 0 else max_value) + 1)

    def form(d: _Draw) -> Count:
        shape = d.bits.below(6)
        if shape == 0:
            return Count.exact(number(d))
        if shape == 1:
            return Count.at_least(number(d))
        if shape == 2:
            return Count.at_most(number(d))
        if shape == 3:
            return Count.about(number(d))
        if shape == 5:
            return Count.unknown()
        low, high = sorted((number(d), number(d)))
        best = None if d.bits.take(1) == 0 else low + d.bits.below(high - low + 1)
        return Count.between(low, high, best)

    return form


_values._known_to_generator = lambda strategy, max_value: _known(strategy,
                                                                 _count_form(max_value))

_any_text = st.text(min_size=1, max_size=12)
_texts = _known(st.one_of(st.sampled_from(_WORDS), _any_text),
                _either(_WORDS, _text_form(_any_text, 1, 12), 4))
_letters = st.text(st.characters(categories=["L"]), min_size=1, max_size=10)
_names = _known(st.one_of(st.sampled_from(_NAMES), _letters),
                _either(_NAMES, lambda d: d.text(_letters), 8))
_countries = _sampled(_COUNTRIES)
_offices = _sampled(_OFFICES)
_places = _sampled(_PLACES)
_counts = _two_ranges(0, 30, 100_000)


def _sources_form(d: _Draw) -> tuple[str, ...]:
    """``subset(d, _SOURCES, max_size=2)``, the same bits taken the same way."""
    bits = d.bits
    k = bits.below(3)
    if not k:
        return ()
    i = bits.below(5)
    if k == 1:
        return (_SOURCES[i],)
    j = bits.below(4)
    return (_SOURCES[i], _SOURCES[j + 1 if j >= i else j])


_sources = _known(st.lists(st.sampled_from(_SOURCES), max_size=2, unique=True).map(tuple),
                  _sources_form)
_note_text = st.text(max_size=20)
_note_form = _text_form(_note_text, 1, 20)


def _notes_form(d: _Draw) -> str:
    return "" if d.bits.take(2) != 3 else _note_form(d)


_notes = _known(st.one_of(st.just(""), _note_text), _notes_form)
#: The texts the generator asks hypothesis for itself (one time in eight, for what
#: hypothesis' own text strategies reach beyond the generator's alphabet).  A log
#: draws one of each when it begins, and its events use those, so that its groups
#: stay one choice each (see :class:`_Seeded`).
_TEXT_POOL = st.tuples(_note_text, _any_text, _letters)
_TEXT_SLOTS = {id(_note_text): 0, id(_any_text): 1, id(_letters): 2}
_gaps = _two_ranges(0, 3, 60)
_precisions = _sampled(_DAY_WEIGHTED)
_flags = _range(0, 99)
_booleans = _known(st.booleans(), _bool_form)


def draw_shares(draw: st.DrawFn, candidates: Sequence[str]) -> FrozenMap[str, float]:
    """Vote shares (percentages, one decimal) for some of ``candidates``, summing to <= 100."""
    who = subset(draw, candidates, max_size=len(candidates))
    if not who:
        return FrozenMap()
    weights = [_int(draw, 1, 100) for _ in who]
    total = _int(draw, 0, 1000) / 10
    scale = total / sum(weights)
    return FrozenMap(
        (c, math.floor(w * scale * 10) / 10) for c, w in zip(who, weights, strict=True)
    )


@st.composite
def _shares(draw: st.DrawFn, candidates: tuple[str, ...]) -> FrozenMap[str, float]:
    return draw_shares(draw, candidates)


def shares(candidates: Iterable[str]) -> SearchStrategy[FrozenMap[str, float]]:
    """Vote shares (percentages, one decimal) for a subset of ``candidates``, summing to <= 100."""
    return _shares(tuple(candidates))


_DAYS = tuple(_dt.timedelta(days=n) for n in range(731))


def draw_date(draw: st.DrawFn, as_of: _dt.date | None) -> tuple[_dt.date, Precision]:
    """A date and precision for the next event: its window never ends before ``as_of``."""
    if type(draw) is _Draw:  # the same bits as below, taken directly
        bits = draw.bits
        if as_of is None:
            day = START + _DAYS[bits.below(731)]
        else:
            day = as_of + _DAYS[bits.below(4 if bits.take(1) == 0 else 61)]
        precision = _DAY_WEIGHTED[bits.below(10)]
    elif as_of is None:
        day = START + _dt.timedelta(days=_int(draw, 0, 730))
        precision = draw(_precisions)
    else:
        day = as_of + _dt.timedelta(days=draw(_gaps))
        precision = draw(_precisions)
    if precision is Precision.DAY:
        return day, precision
    if precision is Precision.MONTH:
        day = day.replace(day=1)
    elif precision is Precision.YEAR:
        day = day.replace(month=1, day=1)
    return day, precision


def draw_until(draw: st.DrawFn, day: _dt.date, precision: Precision) -> _dt.date | None:
    """Sometimes (one event in ten) a range of dates: the last day, past the window of
    ``day`` at ``precision`` by a few days to a few months (to a month's end for a month,
    to 31 December for a year); else ``None``."""
    if (draw.bits.below(10) if type(draw) is _Draw else draw(_range(0, 9))) < 9:
        return None  # shrinks towards no range
    end = window(day, precision)[1] + _dt.timedelta(days=draw(_range(1, 100)))
    if precision is Precision.MONTH:  # "between March and May"
        end = window(end.replace(day=1), Precision.MONTH)[1]
    elif precision is Precision.YEAR:
        end = end.replace(month=12, day=31)
    return end


# -- generic field values ---------------------------------------------------------------------

_IMPOSSIBLE: Any = object()

_MEMBERS: dict[type[enum.Enum], tuple[Any, ...]] = {}


def members(tp: type[_E]) -> tuple[_E, ...]:
    """The members of the enum ``tp``, in order (cached: listing an enum is slow)."""
    found = _MEMBERS.get(tp)
    if found is None:
        found = _MEMBERS[tp] = tuple(tp)
    return typing.cast("tuple[_E, ...]", found)


#: ``fn(draw, state) -> value``: how one field of one event type is drawn.
_FieldDrawer = Callable[[st.DrawFn, CrisisState], Any]


def _form_of(strategy: SearchStrategy[Any]) -> Callable[[st.DrawFn], Any]:
    """``draw(strategy)``, calling the bits form of a strategy the generator knows directly."""
    form = _FORMS[id(strategy)][1]

    def run(draw: st.DrawFn) -> Any:
        return form(draw) if type(draw) is _Draw else draw(strategy)

    return run


def _value_drawer(tp: Any, name: str) -> _FieldDrawer:
    """What :func:`_draw_value` does for ``tp``, with the type's structure read once."""
    origin = typing.get_origin(tp)
    simple: Callable[[st.DrawFn], Any] | None = None
    if origin in (typing.Union, _types.UnionType):
        args = typing.get_args(tp)
        options = [a for a in args if a is not type(None)]
        subs = [_value_drawer(a, name) for a in options]
        nullable = len(options) < len(args)
        if len(subs) == 1:
            only = subs[0]
            if not nullable:
                return only

            def one(draw: st.DrawFn, state: CrisisState) -> Any:
                return None if _int(draw, 0, 3) == 3 else only(draw, state)

            return one

        def union(draw: st.DrawFn, state: CrisisState) -> Any:
            if nullable and _int(draw, 0, 3) == 3:
                return None
            return choice(draw, subs)(draw, state)

        return union
    if tp is str:
        simple = _form_of(_countries if "country" in name else _texts)
    elif tp is bool:
        simple = _form_of(_booleans)
    elif tp is int:
        simple = _form_of(_counts)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        items = members(tp)

        def pick(draw: st.DrawFn) -> Any:
            return choice(draw, items)

        simple = pick
    if simple is not None:
        run = simple

        def plain(draw: st.DrawFn, state: CrisisState) -> Any:
            return run(draw)

        return plain
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _value_drawer(args[0], name)

            def many(draw: st.DrawFn, state: CrisisState) -> Any:
                return tuple([item(draw, state) for _ in range(_int(draw, 0, 3))])

            return many
    if isinstance(tp, type) and origin is None and tp is not _dt.date and tp is not Any \
            and not issubclass(tp, FrozenMap):
        resolved: list[Callable[[st.DrawFn], Any]] = []
        cls: Any = tp

        def registered(draw: st.DrawFn, state: CrisisState) -> Any:
            # Resolved at the first draw, not before: a field a per-type strategy always
            # fills is never resolved, as it never was.
            if not resolved:
                strategy = _from_type(cls)
                resolved.append(_form_of(strategy) if id(strategy) in _FORMS
                                else lambda draw: draw(strategy))
            return resolved[0](draw)

        return registered

    def generic(draw: st.DrawFn, state: CrisisState) -> Any:
        return _draw_value(draw, tp, name, state)

    return generic


def _field_drawer(f: _Field, slot: int) -> _FieldDrawer:
    """What :func:`_draw_field` does for ``f``, with its checks made once."""
    if f.name == "sources":
        return lambda draw, state: _sources_form(draw) if type(draw) is _Draw else draw(_sources)
    if f.name == "note":
        return lambda draw, state: _notes_form(draw) if type(draw) is _Draw else draw(_notes)
    if f.name in BASE_OPTIONAL:
        default = f.default
        return lambda draw, state: default
    if f.spec is None:
        return _value_drawer(f.type, f.name)
    if f.spec.new:
        return lambda draw, state: _draw_field(draw, f, state, slot)
    return _ref_drawer(f, slot)


def _ref_drawer(f: _Field, slot: int) -> _FieldDrawer:
    """What :func:`_draw_field` does for a reference ``f`` to ids that exist, the
    field's shape read once."""
    assert f.spec is not None
    kind = f.spec.kind
    is_tuple = typing.get_origin(_base(f.type)) is tuple
    optional = _optional(f.type)

    def drawer(draw: st.DrawFn, state: CrisisState) -> Any:
        ids = _ids(state, kind)
        if ids and slot:
            shift = slot % len(ids)
            ids = ids[shift:] + ids[:shift]
        if is_tuple:
            # Shrinks towards one id rather than none: rules often want at least one.
            hi = min(3, len(ids))
            size = (_int(draw, 0, hi) + 1) % (hi + 1) if hi else 0
            return subset(draw, ids, min_size=size, max_size=size)
        if not ids:
            return None if optional else _IMPOSSIBLE
        if optional:
            return maybe(draw, lambda: choice(draw, ids))
        return choice(draw, ids)

    return drawer




def _draw_value(draw: st.DrawFn, tp: Any, name: str, state: CrisisState) -> Any:
    """A value for a plain (non-reference) field of type ``tp``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, _types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) < len(typing.get_args(tp)) and draw(_range(0, 3)) == 3:
            return None
        return _draw_value(draw, choice(draw, options), name, state)
    if tp is str:
        return draw(_countries if "country" in name else _texts)
    if tp is bool:
        return draw(_booleans)
    if tp is int:
        return draw(_counts)
    if tp is _dt.date:
        base = START if state.as_of is None else state.as_of
        return base + _dt.timedelta(days=draw(_range(0, 120)))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return choice(draw, members(tp))
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(
                _draw_value(draw, args[0], name, state) for _ in range(draw(_range(0, 3)))
            )
        return tuple(_draw_value(draw, a, name, state) for a in args)
    if origin is FrozenMap or tp is FrozenMap:
        key, val = typing.get_args(tp) or (str, str)
        if (key, val) == (str, float):
            return draw_shares(draw, _ids(state, "actor"))
        size = draw(_range(0, 3))
        return FrozenMap(
            (_draw_value(draw, key, name, state), _draw_value(draw, val, name, state))
            for _ in range(size)
        )
    if tp is Any:
        return None
    return draw(_from_type(tp))


@functools.cache
def _from_type(tp: Any) -> SearchStrategy[Any]:
    if tp is float:
        return st.floats(0, 100, allow_nan=False)
    if tp is Count:  # honest counts: never negative, bounds in order
        return counts(max_value=100_000)
    return st.from_type(tp)


def _draw_field(draw: st.DrawFn, f: _Field, state: CrisisState, slot: int = 0) -> Any:
    """A value for field ``f`` in ``state`` (``_IMPOSSIBLE``: a reference cannot resolve).

    ``slot`` counts the earlier reference fields of the same kind in this
    event: each starts at a different id, so the simplest examples name
    different actors in different roles (a sanction's ``by`` and ``on``).
    """
    if f.name == "sources":
        return draw(_sources)
    if f.name == "note":
        return draw(_notes)
    if f.name in BASE_OPTIONAL:  # ids and record dates: see crisis_model.testing.known_logs
        return f.default
    spec = f.spec
    if spec is None:
        return _draw_value(draw, f.type, f.name, state)
    base = _base(f.type)
    is_tuple = typing.get_origin(base) is tuple
    if spec.new:
        if is_tuple:
            return (fresh_id(draw, state, spec.kind),) if draw(_booleans) else ()
        if _optional(f.type):
            return maybe(draw, lambda: fresh_id(draw, state, spec.kind))
        return fresh_id(draw, state, spec.kind)
    ids = _ids(state, spec.kind)
    if ids and slot:
        shift = slot % len(ids)
        ids = ids[shift:] + ids[:shift]
    if is_tuple:
        # Shrinks towards one id rather than none: rules often want at least one.
        hi = min(3, len(ids))
        size = (draw(_range(0, hi)) + 1) % (hi + 1) if hi else 0
        return subset(draw, ids, min_size=size, max_size=size)
    if not ids:
        return None if _optional(f.type) else _IMPOSSIBLE
    if _optional(f.type):
        return maybe(draw, lambda: choice(draw, ids))
    return choice(draw, ids)


def _ghost(state: CrisisState, kind: str) -> str:
    lookup = registry.ref_kinds.get(kind)
    n = 0
    while lookup is not None and lookup(state, f"ghost-{kind}{n}"):
        n += 1
    return f"ghost-{kind}{n}"


# -- drawing one event ------------------------------------------------------------------------


class _Builder:
    """A per-type strategy written as ``build(draw, state) -> fields``, guarded by ``when(state)``.

    Calling it gives the public form (a strategy or ``None``); the generator
    calls ``build`` directly, which is much faster than going through a strategy.
    """

    def __init__(
        self,
        build: Callable[[st.DrawFn, CrisisState], Mapping[str, Any]],
        when: Callable[[CrisisState], bool],
    ) -> None:
        self.build = build
        self.when = when

    def __call__(self, state: CrisisState) -> SearchStrategy[Mapping[str, Any]] | None:
        return _run_builder(self.build, state) if self.when(state) else None


@st.composite
def _run_builder(
    draw: st.DrawFn, build: Callable[[st.DrawFn, CrisisState], Mapping[str, Any]],
    state: CrisisState,
) -> Mapping[str, Any]:
    return build(_fast(draw), state)


def _custom_fields(
    draw: st.DrawFn, fn: EventStrategy, state: CrisisState, fitted: bool = False
) -> Mapping[str, Any] | Event | None:
    """What the per-type strategy ``fn`` draws for ``state`` (``fitted``: its guard,
    if it has one, has said yes for ``state`` already)."""
    if isinstance(fn, _Builder):
        return fn.build(draw, state) if fitted or fn.when(state) else None
    strategy = fn(state)
    if strategy is None:
        return None
    return typing.cast("Mapping[str, Any] | Event", draw(strategy))


_DRAWN: dict[type[Event], tuple[tuple[str, _FieldDrawer, _Field], ...]] = {}


def _drawn_fields(cls: type[Event]) -> tuple[tuple[str, _FieldDrawer, _Field], ...]:
    """The fields of ``cls`` the generator draws, each with its drawer (a reference
    field knows its slot: see :func:`_draw_field`); ids and record dates keep their
    defaults (cached)."""
    found = _DRAWN.get(cls)
    if found is None:
        slots: dict[str, int] = {}
        out = []
        for f in _fields(cls):
            slot = 0
            if f.spec is not None and not f.spec.new:
                slot = slots[f.spec.kind] = slots.get(f.spec.kind, -1) + 1
            if f.name not in BASE_OPTIONAL:  # see crisis_model.testing.known_logs
                out.append((f.name, _field_drawer(f, slot), f))
        found = _DRAWN[cls] = tuple(out)
    return found


def _draw_event(
    draw: st.DrawFn, cls: type[Event], state: CrisisState, *, custom: bool = True,
    ghosts: bool = False, fitted: bool = False,
) -> Event | None:
    """One event of ``cls`` for ``state``, or ``None`` if none can be built.

    ``custom=False`` ignores the registered per-type strategy (generic fields
    only); ``ghosts=True`` fills references that cannot resolve with unknown ids;
    ``fitted=True``: :func:`_fits` has said yes to ``cls`` in ``state``.
    """
    fn = _STRATEGIES.get(cls) if custom else None
    if fn is None:
        fields: dict[str, Any] = {}
    else:
        if fitted and fn.__class__ is _Builder:
            drawn: Any = fn.build(draw, state)
        else:
            drawn = _custom_fields(draw, fn, state, fitted)
        if drawn.__class__ is not dict:
            if isinstance(drawn, Event):
                return drawn
            if drawn is None and not ghosts:
                return None
        fields = dict(drawn) if drawn else {}
    if "occurred_on" not in fields:
        day, precision = draw_date(draw, state.as_of)
        fields["occurred_on"] = day
        precision = fields.setdefault("precision", precision)
        if "until" not in fields:
            fields["until"] = draw_until(draw, day, precision)
    found = _DRAWN.get(cls)
    for name, drawer, f in _drawn_fields(cls) if found is None else found:
        if name in fields:
            continue
        value = drawer(draw, state)
        if value is _IMPOSSIBLE:
            if not ghosts or f.spec is None:
                return None
            value = _ghost(state, f.spec.kind)
        fields[name] = value
    try:
        return cls(**fields)
    except (TypeError, ValueError):  # the class's own validators refused the values
        return None


def _has_ids(state: CrisisState, kind: str, known: dict[str, bool]) -> bool:
    """Whether ``state`` has an id of ``kind`` (remembered in ``known`` for this state)."""
    found = known.get(kind)
    if found is None:
        found = known[kind] = bool(_ids(state, kind))
    return found


def _fits(cls: type[Event], state: CrisisState, known: dict[str, bool]) -> bool:
    """Whether the required references of ``cls`` can resolve in ``state`` (and its
    per-type strategy, if any, says an event of it makes sense there)."""
    plan = _FIT_PLANS.get(cls)
    if plan is None or plan[0] is not _STRATEGIES.get(cls):
        plan = _fit_plan(cls)
    _, required, when = plan
    for k in required:
        has = known.get(k)
        if has is None:
            has = known[k] = bool(_ids(state, k))
        if not has:
            missing = [k for k in required if not _has_ids(state, k, known)]
            if not (cls in _STRATEGIES and not any(k in registry.ref_ids for k in missing)):
                return False
            break
    return when is None or bool(when(state))


#: class -> (its strategy, the kinds it requires, its builder's guard): what
#: :func:`_fits` reads, by class.
_FIT_PLANS: dict[type[Event], tuple[Any, tuple[str, ...], Callable[[CrisisState], bool] | None]]
_FIT_PLANS = {}


def _fit_plan(
    cls: type[Event],
) -> tuple[Any, tuple[str, ...], Callable[[CrisisState], bool] | None]:
    fn = _STRATEGIES.get(cls)
    plan = _FIT_PLANS[cls] = (fn, tuple(_required_kinds(cls)),
                              fn.when if isinstance(fn, _Builder) else None)
    return plan


def _possible(types: Sequence[type[Event]], state: CrisisState) -> list[type[Event]]:
    """The types whose required references can resolve in ``state``."""
    known: dict[str, bool] = {}
    return [cls for cls in types if _fits(cls, state, known)]


_WEIGHTING: dict[int, tuple[tuple[type[Event], ...], bool, bool, tuple[type[Event], ...]]] = {}
#: The event types :func:`_weighted` repeats (imported on first use: the events package
#: imports this module's users).
_STEERED: list[Any] = []


def _steered() -> list[Any]:
    if not _STEERED:
        from ..events import (
            ActorIntroduced,
            AsylumDenied,
            AsylumEnded,
            AsylumGranted,
            AsylumSought,
            ElectionHeld,
        )

        _STEERED[:] = [ActorIntroduced, ElectionHeld, AsylumSought, AsylumGranted, AsylumDenied,
                       AsylumEnded]
    return _STEERED


_SOUGHT, _GRANTED = AsylumStatus.SOUGHT, AsylumStatus.GRANTED


def _weighted(candidates: Sequence[type[Event]], state: CrisisState) -> list[type[Event]]:
    """Repeat a few types to steer logs towards rich states (more actors, held elections)."""
    found = _WEIGHTING.get(id(candidates))
    if found is None or found[0] is not candidates:  # which of them the pool holds, once
        introduced_cls, held_cls, sought, granted_cls, denied, ended = _steered()
        # only types the pool holds are repeated: a pool of one type draws only that type
        lifecycle: tuple[type[Event], ...] = tuple(
            c for c in (sought, granted_cls, denied, ended) if c in candidates)
        found = (tuple(candidates), introduced_cls in candidates, held_cls in candidates,
                 lifecycle)
        if isinstance(candidates, tuple) and len(_WEIGHTING) < 256:
            _WEIGHTING[id(candidates)] = found = (candidates, *found[1:])
    _, introduced, held, asylum = found
    out = list(candidates)
    if introduced:
        n = len(state.actors)
        if n < 15:
            out += [_STEERED[0]] * (6 if n < 4 else 4 if n < 8 else 2)
    if held:
        for e in state.elections._d.values():  # order does not matter: no FrozenMap order
            if e.held:
                break
        else:
            out += [_STEERED[1]] * 2
    if asylum:  # the rarest lifecycle: a seeker and a foreign host first
        pending = granted = False
        for a in state.actors._d.values():
            r = a.asylum
            if r is not None:
                status = r.status
                if status is _SOUGHT:
                    pending = True
                elif status is _GRANTED:
                    granted = True
        sought_cls, ended_cls = _STEERED[2], _STEERED[5]
        for cls in asylum:
            if cls is sought_cls:
                out += [cls] * 2
            elif cls is ended_cls:
                if granted:
                    out += [cls] * 2
            elif pending:
                out += [cls] * 2
    return out


def _fallback(draw: st.DrawFn, state: CrisisState) -> Event:
    """An always-admissible event: a new actor."""
    from ..events import ActorIntroduced

    when, precision = draw_date(draw, state.as_of)
    return ActorIntroduced(
        occurred_on=when, precision=precision, until=draw_until(draw, when, precision),
        actor=fresh_id(draw, state, "actor"),
        name=choice(draw, _NAMES), kind=choice(draw, list(ActorKind)),
    )


def _drop(candidates: list[type[Event]], index: int) -> None:
    """Remove ``candidates[index]`` and every other copy of its type (order not kept)."""
    cls = candidates[index]
    candidates[index] = candidates[-1]
    candidates.pop()
    if cls in candidates:  # a weighted type: it has copies
        candidates[:] = [c for c in candidates if c is not cls]


def _admissible(
    draw: st.DrawFn, state: CrisisState, pool: Sequence[type[Event]], *, strict_types: bool
) -> Event | None:
    """An admissible event for ``state``: a type is picked (weighted) among ``pool``, and
    only then asked whether it fits ``state``; one that does not is dropped and another
    picked, which draws each fitting type as often as picking among the fitting ones."""
    candidates = _weighted(pool, state)
    known: dict[str, bool] = {}
    fits: dict[type[Event], bool] = {}
    failures: dict[type[Event], int] = {}
    tries = 0
    bits = draw.bits if type(draw) is _Draw else None
    while candidates and tries < MAX_TRIES:
        index = _int(draw, 0, len(candidates) - 1) if bits is None else bits.below(len(candidates))
        cls = candidates[index]
        ok = fits.get(cls)
        if ok is None:
            ok = fits[cls] = _fits(cls, state, known)
        if not ok:
            _drop(candidates, index)
            continue
        tries += 1
        event = _draw_event(draw, cls, state, fitted=True)
        if event is not None and admits(state, event):
            return event
        failures[cls] = failures.get(cls, 0) + 1
        if failures[cls] >= TRIES_PER_TYPE:  # give the other types their turn
            _drop(candidates, index)
    return None if strict_types else _fallback(draw, state)


_FLAWS = ("unknown-id", "negative-count", "out-of-order", "lifecycle")


def _int_fields(cls: type[Event]) -> list[str]:
    return [f.name for f in _fields(cls) if f.spec is None and _base(f.type) is int]


def _ref_fields(cls: type[Event]) -> list[_Field]:
    return [f for f in _fields(cls) if f.spec is not None and not f.spec.new]


def _flawed(draw: st.DrawFn, state: CrisisState, pool: Sequence[type[Event]]) -> Event | None:
    """An event that is probably inadmissible, with one of several kinds of flaw."""
    flaw = choice(draw, _FLAWS)
    if flaw == "out-of-order" and state.as_of is None:
        flaw = "unknown-id"
    if flaw == "lifecycle":
        return _draw_event(draw, choice(draw, pool), state, custom=False, ghosts=True)
    if flaw == "out-of-order":
        assert state.as_of is not None
        event = _draw_event(draw, choice(draw, pool), state, ghosts=True)
        back = _dt.timedelta(days=draw(_range(1, 400)))
        if event is None:
            return None
        return _evolve(event, occurred_on=state.as_of - back, precision=Precision.DAY,
                       until=None)
    want = _int_fields if flaw == "negative-count" else _ref_fields
    eligible = [c for c in pool if want(c)]
    if not eligible:
        return None
    cls = choice(draw, eligible)
    event = _draw_event(draw, cls, state, ghosts=True)
    if event is None:
        return None
    if flaw == "negative-count":
        name = choice(draw, _int_fields(cls))
        return _evolve(event, **{name: -draw(_range(1, 1000))})
    f = choice(draw, _ref_fields(cls))
    ghost = _ghost(state, f.spec.kind if f.spec else "actor")
    is_tuple = typing.get_origin(_base(f.type)) is tuple
    return _evolve(event, **{f.name: (ghost,) if is_tuple else ghost})


def _evolve(event: Event, **changes: Any) -> Event | None:
    try:
        return attrs.evolve(event, **changes)
    except (TypeError, ValueError):
        return None


def _next_event(
    draw: st.DrawFn, state: CrisisState, pool: Sequence[type[Event]], *,
    admissible: bool, flaw_rate: int = FLAW_RATE, strict_types: bool = False,
) -> Event | None:
    if not admissible and draw(_flags) >= 100 - flaw_rate:
        event = _flawed(draw, state, pool)
        if event is not None:
            return event
    return _admissible(draw, state, pool, strict_types=strict_types)


# -- public strategies ----------------------------------------------------------------------


_REPLAYABLE: list[Any] = [None, ()]


def _replayable() -> tuple[type[Event], ...]:
    """The registered types a replayed log may hold: those with a handler (corrections
    and retractions have none: crisis_model.testing.known_logs adds them)."""
    key = (registry.generation, id(registry.types), id(registry.handlers), len(registry.types),
           len(registry.handlers))
    if _REPLAYABLE[0] != key:
        handlers = registry.handlers
        _REPLAYABLE[:] = [key, tuple(c for c in registry.types.values() if c in handlers)]
    return typing.cast("tuple[type[Event], ...]", _REPLAYABLE[1])


def _pool(types: Iterable[type[Event]] | None) -> tuple[type[Event], ...]:
    if types is None:
        return _replayable()
    if isinstance(types, type):
        raise InvalidArgument(f"types must be an iterable of event types, got the class {types!r}")
    pool = tuple(types)
    if not pool:
        raise InvalidArgument("types must name at least one event type")
    for cls in pool:
        if not (isinstance(cls, type) and registry.is_registered(cls)):
            raise InvalidArgument(f"{cls!r} is not a registered event type")
    return pool


def _check_size(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgument(f"{name} must be a non-negative int, got {value!r}")


def _check_flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be True or False, got {value!r}")


class _NeverEmpty(SearchStrategy[_T]):
    """A strategy of the generator's own: never empty, its values never reused."""

    # Known at once (hypothesis would work them out for each new object, at some cost).
    force_is_empty = False
    force_has_reusable_values = False

    def calc_has_reusable_values(self, recur: Any) -> bool:
        return False

    def calc_is_empty(self, recur: Any) -> bool:
        return False


class _NextEvents(_NeverEmpty[Event]):
    """What :func:`next_events` returns: a plain strategy object (cheap to make, one per
    step) whose draws take their bits from the test case's shared reservoir."""

    def __init__(self, state: CrisisState, pool: tuple[type[Event], ...] | None,
                 admissible: bool, flaw_rate: int = FLAW_RATE) -> None:
        super().__init__()
        self.state = state
        self.pool = pool
        self.admissible = admissible
        self.flaw_rate = flaw_rate

    def __repr__(self) -> str:
        types = "" if self.pool is None else f", types={list(self.pool)!r}"
        return f"next_events(<state at version {self.state.version}>{types}, " \
               f"admissible={self.admissible!r})"

    def calc_label(self) -> int:
        """A label for each step (by the state's version).  Hypothesis' mutator copies
        one part of an example over another *of the same label*.  A step's choices
        copied over another step's ask, drawn again for another state, for a
        different number of choices (steps share one stream of bits, so a step
        draws a chunk or none), and an example that asks for more choices than its
        record holds is thrown away: a third of them were.  With a label per step,
        and chunks drawn as bare choices (:func:`_bare_chunks`), none is."""
        return _step_label(self.state.version, "next_events")

    def do_draw(self, data: Any) -> Event:
        return _next_value(_shared(data), self.state, self.pool, self.admissible,
                           self.flaw_rate)


@functools.lru_cache(maxsize=4096)
def _step_label(version: int, name: str) -> int:
    """Hypothesis' labels are 64-bit ints made from a name, as this one is."""
    digest = hashlib.sha384(f"crisis_model.{name}@{version}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


#: The attribute of hypothesis' test-case object that holds its :class:`_Draw`.
_SHARED = "_crisis_model_bits"


def _shared(data: Any) -> _Draw:
    """The :class:`_Draw` over ``data`` (one hypothesis test case) that every next event
    drawn in the test case shares: a step takes the bits the step before left over, so
    a chunk of random bytes serves several steps (one chunk draw costs more than an
    event's own work)."""
    found = getattr(data, _SHARED, None)
    if found is None:
        found = _Draw(data.draw, bits=_Bits(_bare_chunks(data, CHUNK_BYTES), CHUNK_BYTES))
        _keep(data, _SHARED, found)  # refused: each step has a stream of its own
    return typing.cast(_Draw, found)


def _keep(data: Any, name: str, value: Any) -> None:
    """Keep ``value`` on hypothesis' test-case object ``data`` for the rest of the test
    case, as attribute ``name`` (another hypothesis may refuse the attribute: then
    nothing is kept, and whoever reads it makes its own)."""
    with contextlib.suppress(AttributeError, TypeError):
        setattr(data, name, value)


def _next_value(
    draw: st.DrawFn, state: CrisisState, pool: tuple[type[Event], ...] | None, admissible: bool,
    flaw_rate: int = FLAW_RATE,
) -> Event:
    """What :func:`next_events` draws, drawn with ``draw`` (a :class:`_Draw`, or any draw
    function, which gets a stream of bits of its own)."""
    types = _replayable() if pool is None else pool
    if not isinstance(draw, _Draw):
        draw = _fast(draw, NEXT_CHUNK_BYTES)
    event = _next_event(draw, state, types, admissible=admissible, flaw_rate=flaw_rate,
                        strict_types=pool is not None)
    if event is None and not admissible:
        event = _draw_event(draw, choice(draw, types), state, ghosts=True)
    if event is None:
        reject()
    return event


def next_events(
    state: CrisisState,
    *,
    types: Iterable[type[Event]] | None = None,
    admissible: bool = True,
) -> SearchStrategy[Event]:
    """The next event of a history that has reached ``state``.

    With ``admissible=True`` every event passes :func:`crisis_model.check`
    against ``state``.  When ``types`` is given and no admissible event of
    those types can be built, the example is rejected (guard such a state
    machine rule with a precondition); with ``types=None`` a new actor is
    introduced instead.  With ``admissible=False`` about a quarter of the
    events carry a flaw (an unknown id, a negative count, a date before
    ``state.as_of``, a step out of a lifecycle).

    Each draw of it is a draw of hypothesis' own, which costs more than
    making the event (two to three times as much as one element of a list).  Where
    the next few steps need not each be a rule of a state machine, draw them
    as a run, ``data.draw(event_logs(initial=state, max_size=8))``: one draw
    for up to eight events.
    """
    if not isinstance(state, CrisisState):
        raise InvalidArgument(f"state must be a CrisisState, got {state!r}")
    _check_flag("admissible", admissible)
    return _NextEvents(state, None if types is None else _pool(types), admissible)


#: Events a log draws as one group: one element of the list hypothesis sees (see
#: :class:`_Group`), with bits of its own.
GROUP = 8
#: Random bytes a group draws from hypothesis (one choice; it derives more bits
#: from them when its events need more: see :class:`_Seeded`).  They are a
#: couple of events' worth, so the first events of a group shrink bit by bit;
#: a smaller record also makes a long log's simplest form small enough for
#: hypothesis' health check.
GROUP_BYTES = 32
#: Events a group may hold while the log is shorter than ``min_size`` (it must
#: reach it anyway): a long ``min_size`` costs few groups, and the log's simplest
#: form stays small enough for hypothesis' health check.
FILL = 4 * GROUP


class _Log:
    """A log being drawn: its events so far and the state they replay into."""

    __slots__ = ("admissible", "log", "max_size", "min_size", "pool", "state", "texts")

    def __init__(self, admissible: bool, min_size: int, max_size: int,
                 initial: CrisisState | None = None) -> None:
        #: Texts of hypothesis' own for the log's events (drawn by its first group, or by
        #: an earlier log of the same test case).
        self.texts: tuple[str, ...] | None = None
        self.admissible = admissible
        self.min_size = min_size
        self.max_size = max_size
        self.pool = _replayable()
        #: The state the events drawn so far reach (from ``initial``).
        self.state = initial_state() if initial is None else initial
        self.log: list[Event] = []

    def extend(self, draw: st.DrawFn, n: int) -> None:
        """Append up to ``n`` events (never past ``max_size``), drawn with ``draw``."""
        admissible, pool, log = self.admissible, self.pool, self.log
        state = self.state
        for _ in range(min(n, self.max_size - len(log))):
            event = _next_event(draw, state, pool, admissible=admissible)
            assert event is not None  # without strict_types, there is always the fallback
            # An admissible event has been checked already (the fallback always is).
            if admissible or not check(state, event):
                state = evolve(state, event)
            log.append(event)
        self.state = state


class _Group(_NeverEmpty[int]):
    """One element of a log as hypothesis sees it: one to :data:`GROUP` events (zero
    bits give one; below ``min_size``, at least as many as are missing, up to
    :data:`FILL`), or, once the log has ``min_size`` events, one time in 32 the end
    of the log (zero bits give the end), all drawn from the bits of one hypothesis
    choice (:class:`_Seeded`).

    A log is a sequence of groups, so hypothesis shrinks it as it shrinks a list:
    deleting a group deletes its events and leaves the bits of the others as they
    were (they are drawn again for the state the remaining events reach).
    """

    def __init__(self, target: _Log) -> None:
        super().__init__()
        self.target = target

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def do_draw(self, data: Any) -> int:
        bits = _Seeded(_bare_chunks(data, GROUP_BYTES), GROUP_BYTES)
        target = self.target
        before = len(target.log)
        missing = target.min_size - before
        if missing <= 0 and bits.take(5) == 0:
            return -1
        n = 1 + bits.take(3)  # monotone: fewer bits, fewer events
        self.begin(data)
        target.extend(_Draw(data.draw, bits=bits, texts=target.texts),
                      max(n, min(FILL, missing)))
        return len(target.log) - before

    def begin(self, data: Any) -> None:
        """What a group draws after its bits, before its events: nothing."""


class _FirstGroup(_Group):
    """The first group of a log: after its bits, it draws the texts of hypothesis' own
    that the log's events use (:data:`_TEXT_POOL`).  It is a class of its own, with a
    label of its own, so that hypothesis' mutator, which copies one group's choices
    over another's of the same label, never mixes it with the others.  (Drawn before
    the first group, the texts were the first choice of every log, and hypothesis'
    first examples, which take a random beginning and make the rest the simplest
    there is, were mostly empty logs.)

    The texts serve every later log of the same test case too (a run of steps
    drawn with ``event_logs(initial=state)`` is one log per run): those begin with
    a plain :class:`_Group`."""

    def begin(self, data: Any) -> None:
        texts = self.target.texts = data.draw(_TEXT_POOL)
        _keep(data, _TEXTS, texts)  # refused: each log draws its own


#: The attribute of hypothesis' test-case object that holds the texts of its logs.
_TEXTS = "_crisis_model_texts"


class _Logs(_NeverEmpty[Any]):
    """What :func:`event_logs` and :func:`crisis_states` return: logs drawn as a sequence
    of groups (:class:`_Group`), giving the log (``part=0``) or the state it reaches
    (``part=1``).  A plain strategy object, cheap to make: a step-by-step test makes
    one for each run of steps."""

    def __init__(self, admissible: bool, min_size: int, max_size: int,
                 initial: CrisisState | None, part: int) -> None:
        super().__init__()
        self.admissible = admissible
        self.min_size = min_size
        self.max_size = max_size
        self.initial = initial
        self.part = part

    def __repr__(self) -> str:
        start = "" if self.initial is None else \
            f", initial=<state at version {self.initial.version}>"
        if self.part:
            return f"crisis_states(min_events={self.min_size}, " \
                   f"max_events={self.max_size}{start})"
        return f"event_logs(admissible={self.admissible!r}, min_size={self.min_size}, " \
               f"max_size={self.max_size}{start})"

    def calc_label(self) -> int:
        """A label of its own for each state a log continues (by its version) and each set
        of options, as for :func:`next_events`' steps.  Only a test case's first log
        draws texts (:class:`_FirstGroup`); hypothesis' mutator copies one span's
        choices over another's of the same label, and a later log's copied over the
        first would leave the first short of choices: the example would be thrown away."""
        version = -1 if self.initial is None else self.initial.version
        return _step_label(version, f"event_logs/{self.admissible:d}/{self.min_size}/"
                                    f"{self.max_size}/{self.part}")

    def do_draw(self, data: Any) -> Any:
        target = _Log(self.admissible, self.min_size, self.max_size, self.initial)
        max_size = self.max_size
        if max_size:
            texts = target.texts = getattr(data, _TEXTS, None)
            first = _FirstGroup(target) if texts is None else _Group(target)
            if data.draw(first) >= 0:
                group = _Group(target)
                while len(target.log) < max_size and data.draw(group) >= 0:
                    pass
        return target.state if self.part else target.log


def _check_initial(initial: Any) -> None:
    if initial is not None and not isinstance(initial, CrisisState):
        raise InvalidArgument(f"initial must be a CrisisState or None, got {initial!r}")


def event_logs(
    *, admissible: bool = True, min_size: int = 0, max_size: int = DEFAULT_MAX_SIZE,
    initial: CrisisState | None = None,
) -> SearchStrategy[list[Event]]:
    """Logs of events of every registered type, built one event at a time by consulting the rules.

    With ``admissible=True`` (the default) strict replay accepts the whole
    log.  With ``admissible=False`` about a quarter of the events are flawed
    (unknown ids, negative counts, dates out of order, lifecycle steps out of
    turn): lenient replay reports them as anomalies.

    ``initial`` is the state the log continues (the empty state by default), as
    in ``cm.replay(log, initial=initial)``.  In a step-by-step test, drawing
    a run of the next few events at once, ``data.draw(event_logs(initial=state,
    max_size=8))``, costs hypothesis one draw for the run instead of one per
    event (see :func:`next_events`).
    """
    _check_flag("admissible", admissible)
    _check_size("min_size", min_size)
    _check_size("max_size", max_size)
    _check_initial(initial)
    if max_size < min_size:
        raise InvalidArgument(f"max_size={max_size} is less than min_size={min_size}")
    return _Logs(admissible, min_size, max_size, initial, 0)


def crisis_states(
    *, min_events: int = 0, max_events: int = 30, initial: CrisisState | None = None,
) -> SearchStrategy[CrisisState]:
    """States reachable by strict replay of an admissible log of that many events (from
    ``initial``, the empty state by default)."""
    _check_size("min_events", min_events)
    _check_size("max_events", max_events)
    _check_initial(initial)
    if max_events < min_events:
        raise InvalidArgument(f"max_events={max_events} is less than min_events={min_events}")
    return _Logs(True, min_events, max_events, initial, 1)


@st.composite
def _actors(draw: st.DrawFn) -> ActorState:
    draw = _fast(draw, NEXT_CHUNK_BYTES)
    state: CrisisState = draw(_Logs(True, 0, 20, None, 1))
    if not state.actors:
        state = evolve(state, _fallback(draw, state))
    return choice(draw, list(state.actors.values()))


def actors() -> SearchStrategy[ActorState]:
    """Actors as they stand in some reachable state (whereabouts, stances and all)."""
    return _actors()


@st.composite
def _events(draw: st.DrawFn, pool: tuple[type[Event], ...] | None) -> Event:
    every = _replayable()
    draw = _fast(draw, NEXT_CHUNK_BYTES)
    cls = choice(draw, every if pool is None else pool)
    state: CrisisState = draw(_Logs(True, 0, 8, None, 1), label="context")
    for step in range(CONTEXT_STEPS):  # grow the context until an event of the type fits
        event = _admissible(draw, state, (cls,), strict_types=True)
        if event is not None:
            return event
        # Every other step introduces an actor: most types need actors of some kind.
        grow = _fallback(draw, state) if step % 2 == 0 else _admissible(
            draw, state, every, strict_types=False)
        assert grow is not None
        state = evolve(state, grow)
    for _ in range(MAX_TRIES):  # settle for a well-formed event, perhaps with unknown ids
        event = _draw_event(draw, cls, state, ghosts=True)
        if event is not None:
            return event
    reject()


def events(types: Iterable[type[Event]] | None = None) -> SearchStrategy[Event]:
    """Single events of every registered type (or of ``types``), every field well-formed.

    Each is drawn against a small reachable state, so its references mostly
    name real ids; it is not guaranteed to be admissible anywhere.
    """
    return _events(None if types is None else _pool(types))
