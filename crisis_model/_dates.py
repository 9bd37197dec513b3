"""Date precision: how precisely a reported fact's date is known, and its window."""

from __future__ import annotations

import calendar
import datetime as _dt
import enum

__all__ = ["Precision", "window"]


class Precision(enum.Enum):
    """How precisely an event's date is known.

    A fact known only to the month is dated on the 1st with ``MONTH``; one
    known only to the year is dated on 1 January with ``YEAR``.
    """

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def window(day: _dt.date, precision: Precision) -> tuple[_dt.date, _dt.date]:
    """The first and last day an event dated ``day`` at ``precision`` may have happened."""
    if precision is Precision.DAY:
        return day, day
    if precision is Precision.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day, day.replace(day=last)
    return day, day.replace(month=12, day=31)
