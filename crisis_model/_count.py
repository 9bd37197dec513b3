"""``Count``: an honest number of people, as reports give it.

Reports rarely give an exact figure: "at least 800 dead", "about 100,000
marched", "between 300 and 650 killed (best estimate 400)".  A :class:`Count`
keeps exactly what was said: a lower bound, a best estimate and an upper bound,
each possibly unknown.  Sums of counts are counts (bounds add up; an unknown
bound makes the sum's bound unknown), so running totals stay honest.

>>> import crisis_model as cm
>>> print(cm.Count.exact(6700))
6,700
>>> print(cm.Count.at_least(800) + cm.Count.between(300, 650, best=400))
at least 1,100
>>> print(cm.Count.parse("300-650~400"))
300-650 (best 400)
>>> print(cm.Count.about(100_000))
about 100,000
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Count", "count_or_none"]


def _check(inst: Count, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is None:
        return
    if value.__class__ is bool or not isinstance(value, int):
        raise TypeError(f"a count's {attribute.name} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"a count's {attribute.name} is {value}; a count is never negative")


def _order(inst: Count) -> None:
    low, best, high = inst.low, inst.best, inst.high
    if low is not None and best is not None and best < low:
        raise ValueError(f"a count's best estimate {best} is below its low {low}")
    if best is not None and high is not None and high < best:
        raise ValueError(f"a count's best estimate {best} is above its high {high}")
    if low is not None and high is not None and high < low:
        raise ValueError(f"a count's high {high} is below its low {low}")


@attrs.frozen(weakref_slot=False)
class Count:
    """A number of people as reported: bounds and a best estimate, each possibly unknown.

    - ``low``: at least this many (``None``: no lower bound was given; it is then 0);
    - ``best``: the best estimate given, if any;
    - ``high``: at most this many (``None``: no upper bound).

    Exact: ``low == best == high``.  Unknown (no number given): all ``None``.
    """

    low: int | None = attrs.field(default=None, validator=_check)
    best: int | None = attrs.field(default=None, validator=_check)
    high: int | None = attrs.field(default=None, validator=_check)

    def __attrs_post_init__(self) -> None:
        _order(self)
        if self.best is None and self.low is not None and self.low == self.high:
            object.__setattr__(self, "best", self.low)  # a range of one number is exact

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def exact(cls, n: int) -> Count:
        """Exactly ``n``."""
        if cls is Count and n.__class__ is int and 0 <= n < _SMALL:
            c = _exact.get(n)  # counts are immutable: small exact ones are made once
            if c is None:
                c = _exact[n] = cls(n, n, n)
            return c
        return cls(n, n, n)

    @classmethod
    def at_least(cls, n: int) -> Count:
        """At least ``n`` (no upper bound)."""
        return cls(n, None, None)

    @classmethod
    def at_most(cls, n: int) -> Count:
        """At most ``n``."""
        return cls(None, None, n)

    @classmethod
    def about(cls, n: int) -> Count:
        """About ``n``: a best estimate without bounds."""
        return cls(None, n, None)

    @classmethod
    def between(cls, low: int, high: int, best: int | None = None) -> Count:
        """Between ``low`` and ``high`` (inclusive), with an optional best estimate."""
        return cls(low, best, high)

    @classmethod
    def unknown(cls) -> Count:
        """A report that gave no number."""
        return _UNKNOWN

    @classmethod
    def parse(cls, text: str) -> Count:
        """Read a count written as ``"800"``, ``">=800"``, ``"<=4700"``, ``"~100000"``,
        ``"300-650"`` or ``"300-650~400"`` (thousands separators ``,`` or ``_`` allowed)."""
        m = _FORM.fullmatch(text.strip())
        if m is None:
            raise ValueError(
                f"cannot read {text!r} as a count: write 800, >=800, <=4700, ~100000, "
                "300-650 or 300-650~400")
        kind, a, b, best = m.group("kind"), m.group("a"), m.group("b"), m.group("best")
        n = _num(a)
        if b is not None:
            return cls(n, None if best is None else _num(best), _num(b))
        if kind == ">=":
            return cls.at_least(n)
        if kind == "<=":
            return cls.at_most(n)
        if kind == "~":
            return cls.about(n)
        return cls.exact(n)

    # -- reading --------------------------------------------------------------------------------

    @property
    def is_exact(self) -> bool:
        """Whether the count is one exact number."""
        return self.low is not None and self.low == self.high

    @property
    def is_unknown(self) -> bool:
        """Whether no number at all was given."""
        return self.low is None and self.best is None and self.high is None

    @property
    def value(self) -> int | None:
        """The exact number, or ``None`` when the count is not exact."""
        return self.low if self.is_exact else None

    @property
    def floor(self) -> int:
        """The least the count can be (0 when no lower bound was given)."""
        return self.low or 0

    def __add__(self, other: object) -> Count:
        if isinstance(other, int) and other.__class__ is not bool:
            other = Count.exact(other)
        if not isinstance(other, Count):
            return NotImplemented
        if self.is_unknown:
            return other if other.is_unknown else Count(
                other.low, None, None) if other.low is not None else _UNKNOWN
        if other.is_unknown:
            return Count(self.low, None, None) if self.low is not None else _UNKNOWN
        low = None if self.low is None and other.low is None else self.floor + other.floor
        best = None
        if self.best is not None and other.best is not None:
            best = self.best + other.best
        high = None if self.high is None or other.high is None else self.high + other.high
        if best is not None and low is not None and best < low:
            best = None  # bounds of one and estimates of the other disagree: keep the bounds
        return Count(low, best, high)

    __radd__ = __add__

    def to_json(self) -> int | dict[str, int] | None:
        """The exact int, ``None`` when unknown, else a dict of the given low/best/high."""
        if self.is_exact:
            return self.low
        if self.is_unknown:
            return None
        return {k: v for k, v in (("low", self.low), ("best", self.best), ("high", self.high))
                if v is not None}

    def __str__(self) -> str:
        low, best, high = self.low, self.best, self.high
        if self.is_exact:
            return _fmt(low)
        if self.is_unknown:
            return "unknown"
        if low is not None and high is not None:
            text = f"{_fmt(low)}-{_fmt(high)}"
            return text if best is None else f"{text} (best {_fmt(best)})"
        if high is not None:
            text = f"at most {_fmt(high)}"
            return text if best is None else f"about {_fmt(best)}, {text}"
        if low is not None:
            text = f"at least {_fmt(low)}"
            return text if best is None else f"{text}, about {_fmt(best)}"
        return f"about {_fmt(best)}"


_UNKNOWN = Count()
#: Exact counts below this are shared (``Count.exact``): replay makes them for every event.
_SMALL = 4096
_exact: dict[int, Count] = {}
_NUM = r"\d[\d,_]*"
_FORM = re.compile(
    rf"(?P<kind>>=|<=|~)?\s*(?P<a>{_NUM})(?:\s*-\s*(?P<b>{_NUM})(?:\s*~\s*(?P<best>{_NUM}))?)?")


def _num(text: str) -> int:
    return int(text.replace(",", "").replace("_", ""))


def _fmt(n: int | None) -> str:
    return f"{n:,}"


def to_count(value: Any) -> Count:
    """``value`` as a :class:`Count`: a Count, an int (exact), a string (:meth:`Count.parse`)
    or a mapping with ``low``/``best``/``high`` keys."""
    if isinstance(value, Count):
        return value
    if isinstance(value, bool):
        raise TypeError(f"a count must be a number, got {value!r}")
    if isinstance(value, int):
        return Count.exact(value)
    if isinstance(value, str):
        return Count.parse(value)
    if isinstance(value, Mapping):
        extra = set(value) - {"low", "best", "high"}
        if extra:
            raise ValueError(f"a count table has keys low, best, high; got {sorted(extra)}")
        return Count(value.get("low"), value.get("best"), value.get("high"))
    raise TypeError(f"cannot read {value!r} as a count")


def count_or_none(value: Any) -> Count | None:
    """Converter for fields typed ``Count | None``: ``None`` stays ``None`` (no number given),
    anything else becomes a :class:`Count` (an int is exact; an unknown count is ``None``)."""
    if value is None:
        return None
    count = to_count(value)
    return None if count.is_unknown else count
