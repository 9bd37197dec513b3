"""Honest dates: how precisely a reported fact's date is known, and its window.

An event is dated by ``occurred_on`` at a :class:`Precision` (a day, a month
or a year), and optionally by ``until``, the last day it may have happened,
when the reports give a range ("late August or early September 2024",
"between March and May").  Its *window* is the first and last day it may have
happened.

The *as-of readings* (see ``docs/concepts.md``, "Dates and the as-of reading")
are computed here too: the order of a log asserts chronology, so an event is
*certain* by a day when it, or any event after it, had a window over by then
(:func:`certain_count`), and *possible* when its window, and that of every
event before it, had begun (:func:`possible_count`).  Both sets are prefixes
of the log.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import enum
from collections.abc import Sequence
from typing import Literal, Protocol

__all__ = [
    "Precision",
    "Reading",
    "certain_count",
    "check_until",
    "exact_range",
    "format_range",
    "possible_count",
    "settled_dates",
    "window",
]

#: Which events an as-of query counts: ``"certain"`` (their window, or a later
#: event's, is over) or ``"possible"`` (their window, and every earlier one's, has begun).
Reading = Literal["certain", "possible"]


class Precision(enum.Enum):
    """How precisely an event's date is known.

    A fact known only to the month is dated on the 1st with ``MONTH``; one
    known only to the year is dated on 1 January with ``YEAR``.  A range
    (``until``, the last possible day) may widen any of them.
    """

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def window(
    day: _dt.date, precision: Precision, until: _dt.date | None = None
) -> tuple[_dt.date, _dt.date]:
    """The first and last day an event dated ``day`` at ``precision`` may have happened
    (``until``, when given, is the last day).

    >>> import datetime as dt
    >>> window(dt.date(2024, 2, 1), Precision.MONTH)
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> window(dt.date(2024, 8, 20), Precision.DAY, dt.date(2024, 9, 10))
    (datetime.date(2024, 8, 20), datetime.date(2024, 9, 10))
    """
    if until is not None:
        return day, until
    if precision is Precision.DAY:
        return day, day
    if precision is Precision.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day, day.replace(day=last)
    return day, day.replace(month=12, day=31)


def check_until(day: _dt.date, precision: Precision, until: _dt.date | None) -> str | None:
    """What is wrong with ``until`` as the end of a range starting ``day`` at
    ``precision`` (``None``: nothing).  A range must end after the window the
    start alone gives (else the start's own precision says it all)."""
    if until is None:
        return None
    if type(until) is not _dt.date:
        return f"until must be a datetime.date (the last day it may have happened), got {until!r}"
    own = window(day, precision)[1]
    if until <= own:
        return (
            f"until {until.isoformat()} must lie after the window occurred_on "
            f"{day.isoformat()} ({precision.value}) gives alone, which ends "
            f"{own.isoformat()}: until is the last day a range of dates may reach"
        )
    return None


def exact_range(start: _dt.date, end: _dt.date) -> tuple[_dt.date, Precision, _dt.date | None]:
    """The date, precision and ``until`` that hold the range ``start``..``end`` exactly.

    >>> import datetime as dt
    >>> exact_range(dt.date(2024, 7, 29), dt.date(2024, 8, 2))
    (datetime.date(2024, 7, 29), <Precision.DAY: 'day'>, datetime.date(2024, 8, 2))
    >>> exact_range(dt.date(2024, 7, 1), dt.date(2024, 7, 31))
    (datetime.date(2024, 7, 1), <Precision.MONTH: 'month'>, None)
    """
    for precision in (Precision.DAY, Precision.MONTH, Precision.YEAR):
        if window(start, precision) == (start, end) and (
                precision is not Precision.MONTH or start.day == 1) and (
                precision is not Precision.YEAR or (start.month, start.day) == (1, 1)):
            return start, precision, None
    return start, Precision.DAY, end


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _is_month_end(d: _dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def format_range(day: _dt.date, precision: Precision, until: _dt.date) -> str:
    """A range of dates in words: each end at the precision it is known to.

    >>> import datetime as dt
    >>> format_range(dt.date(2024, 8, 20), Precision.DAY, dt.date(2024, 9, 10))
    '20 Aug - 10 Sep 2024'
    >>> format_range(dt.date(2024, 3, 1), Precision.MONTH, dt.date(2024, 5, 31))
    'Mar - May 2024'
    >>> format_range(dt.date(2023, 12, 28), Precision.DAY, dt.date(2024, 1, 3))
    '28 Dec 2023 - 3 Jan 2024'
    >>> format_range(dt.date(2022, 1, 1), Precision.YEAR, dt.date(2023, 12, 31))
    '2022 - 2023'
    """
    if precision is Precision.YEAR and (until.month, until.day) == (12, 31):
        return f"{day.year} - {until.year}"
    start_unit = "day" if precision is Precision.DAY else "month"
    end_unit = "month" if precision is not Precision.DAY and _is_month_end(until) else "day"

    def text(d: _dt.date, unit: str) -> str:
        month = _MONTHS[d.month - 1]
        return month if unit == "month" else f"{d.day} {month}"

    if day.year == until.year:
        return f"{text(day, start_unit)} - {text(until, end_unit)} {until.year}"
    return f"{text(day, start_unit)} {day.year} - {text(until, end_unit)} {until.year}"


# -- the as-of readings ---------------------------------------------------------------------


class Dated(Protocol):
    """What the as-of readings need of an event."""

    @property
    def occurred_on(self) -> _dt.date: ...
    @property
    def window(self) -> tuple[_dt.date, _dt.date]: ...


def settled_dates(events: Sequence[Dated]) -> list[_dt.date]:
    """For each position ``i``, the day by which event ``i`` has certainly happened:
    the earliest window end among events ``i..`` (the log's order asserts that
    event ``i`` came no later than any event after it).  Non-decreasing, so
    ``bisect`` finds the certain prefix (:func:`certain_count`)."""
    out: list[_dt.date] = [_dt.date.max] * len(events)
    low = _dt.date.max
    for i in range(len(events) - 1, -1, -1):
        end = events[i].window[1]
        if end < low:
            low = end
        out[i] = low
    return out


def certain_count(events: Sequence[Dated], when: _dt.date) -> int:
    """How many leading events are *certain* by ``when``: one past the last event
    whose window ended by ``when`` (every event before it came before it).

    >>> import datetime as dt
    >>> from crisis_model import Event
    >>> log = [Event(occurred_on=dt.date(2024, 8, 1), precision=Precision.MONTH),
    ...        Event(occurred_on=dt.date(2024, 8, 12))]
    >>> [certain_count(log, dt.date(2024, 8, d)) for d in (5, 12)]
    [0, 2]
    """
    for i in range(len(events) - 1, -1, -1):  # the last such event: scan from the end
        if events[i].window[1] <= when:
            return i + 1
    return 0


def possible_count(events: Sequence[Dated], when: _dt.date) -> int:
    """How many leading events *may* have happened by ``when``: those before the
    first event whose window begins after ``when`` (no event after it can have
    come earlier).

    >>> import datetime as dt
    >>> from crisis_model import Event
    >>> log = [Event(occurred_on=dt.date(2024, 8, 1), precision=Precision.MONTH),
    ...        Event(occurred_on=dt.date(2024, 8, 12))]
    >>> [possible_count(log, dt.date(2024, 8, d)) for d in (5, 12)]
    [1, 2]
    """
    for i, event in enumerate(events):
        if event.occurred_on > when:
            return i
    return len(events)


def certain_in(settled: Sequence[_dt.date], when: _dt.date) -> int:
    """:func:`certain_count` from precomputed :func:`settled_dates`, in ``O(log n)``."""
    return bisect.bisect_right(settled, when)
