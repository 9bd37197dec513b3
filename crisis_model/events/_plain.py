"""Small plain-words helpers the families' summaries and slice renderings share."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable
from typing import Any

from .._event import Precision, actors_of

__all__ = ["Name", "by_clause", "day", "day_json", "names", "words"]

#: ``name(actor_id) -> display name``.
Name = Callable[[str | None], str]


def names(ids: str | tuple[str, ...] | None, name: Name) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``."""
    shown = [name(i) for i in actors_of(ids)]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def by_clause(ids: str | tuple[str, ...] | None, name: Name) -> str:
    """`` by A and B`` (nothing when nobody is named)."""
    return f" by {names(ids, name)}" if actors_of(ids) else ""


def day(on: _dt.date | None, precision: Precision = Precision.DAY) -> str:
    """A date at its precision: ``2024-07-28``, ``2024-07`` or ``2024``."""
    if on is None:
        return "an unknown date"
    if precision is Precision.YEAR:
        return f"{on.year:04d}"
    if precision is Precision.MONTH:
        return f"{on.year:04d}-{on.month:02d}"
    return on.isoformat()


def day_json(on: _dt.date | None) -> str | None:
    """A date as JSON (ISO text), ``None`` kept."""
    return None if on is None else on.isoformat()


def words(value: Any) -> str:
    """An enum value (or several) in plain words (``martial_law`` -> ``martial law``)."""
    if isinstance(value, enum.Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, tuple):
        return ", ".join(words(v) for v in value)
    return str(value)
