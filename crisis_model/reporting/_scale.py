"""The report's time axis: months (or years) as columns, quiet ones narrower.

Crises are bursty: months of calm, then a week of events.  A linear axis
squeezes the burst into a sliver, so the axis is piecewise linear: each
calendar month (each year, for spans over eight years) is a column, and
columns in which no event begins are drawn at a third of the width.  The
mapping stays monotonic, so windows and bands keep their order and overlap.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

import attrs

__all__ = ["Scale", "Tick", "after"]

_QUIET = 0.3
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@attrs.frozen
class Tick:
    """One column of the axis: where it starts and ends (percent) and its label."""

    left: float
    right: float
    label: str
    #: The year, on the first column of each year (and the first column).
    year: str
    quiet: bool


def after(day: _dt.date) -> _dt.date:
    """The next day (the last representable day stays itself)."""
    return day if day == _dt.date.max else day + _dt.timedelta(days=1)


def _next(day: _dt.date, by_year: bool) -> _dt.date:
    if day.year == _dt.MAXYEAR and (by_year or day.month == 12):
        return _dt.date.max
    if by_year:
        return _dt.date(day.year + 1, 1, 1)
    return _dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


class Scale:
    """Maps days to percentages of the axis width."""

    def __init__(self, start: _dt.date, end: _dt.date, active: Iterable[_dt.date]) -> None:
        by_year = (end.year - start.year) > 8
        first = _dt.date(start.year, 1 if by_year else start.month, 1)
        bounds = [first]
        while bounds[-1] <= end and bounds[-1] != _dt.date.max:
            bounds.append(_next(bounds[-1], by_year))
        busy = {(d.year, 0 if by_year else d.month) for d in active}
        weights = []
        for b in bounds[:-1]:
            key = (b.year, 0 if by_year else b.month)
            weights.append(1.0 if not busy or key in busy else _QUIET)
        total = sum(weights)
        self._bounds = bounds
        self._cum = [0.0]
        for w in weights:
            self._cum.append(self._cum[-1] + w / total * 100.0)
        self.by_year = by_year
        self.ticks: list[Tick] = []
        for k, b in enumerate(bounds[:-1]):
            label = str(b.year) if by_year else _MONTHS[b.month - 1]
            year = str(b.year) if (k == 0 or b.month == 1) and not by_year else ""
            self.ticks.append(Tick(self._cum[k], self._cum[k + 1], label, year,
                                   weights[k] < 1.0))

    @property
    def first(self) -> _dt.date:
        """The first day the axis shows."""
        return self._bounds[0]

    @property
    def stop(self) -> _dt.date:
        """The day after the last day the axis shows."""
        return self._bounds[-1]

    def x(self, day: _dt.date) -> float:
        """Where the start of ``day`` lies, in percent of the axis (clamped to 0-100)."""
        if day <= self._bounds[0]:
            return 0.0
        if day >= self._bounds[-1]:
            return 100.0
        lo, hi = 0, len(self._bounds) - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._bounds[mid] <= day:
                lo = mid
            else:
                hi = mid
        a, b = self._bounds[lo], self._bounds[lo + 1]
        frac = (day - a).days / max((b - a).days, 1)
        return self._cum[lo] + frac * (self._cum[lo + 1] - self._cum[lo])

    def span(self, first: _dt.date, last: _dt.date) -> tuple[float, float]:
        """``(left, width)`` in percent of the days ``first`` to ``last`` inclusive."""
        left = self.x(first)
        right = self.x(after(last))
        return left, right - left
