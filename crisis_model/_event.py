"""The ``Event`` base class, date precision and reference fields.

Every event, built-in or user-defined, subclasses :class:`Event` and is an
``attrs`` frozen, slotted, keyword-only class.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeAlias

import attrs

from ._dates import Precision, check_until, window

__all__ = [
    "BASE_OPTIONAL",
    "ID_RE",
    "RECORD_FIELDS",
    "REF_METADATA_KEY",
    "Event",
    "Joint",
    "Precision",
    "RefSpec",
    "actors_of",
    "joint",
    "ref",
    "strings",
    "window",
]

REF_METADATA_KEY = "crisis_model.ref"

#: Base fields that payloads leave out when they hold their default (so that
#: payloads written before they existed and payloads written now read alike).
BASE_OPTIONAL = ("id", "recorded_on", "recorded_precision", "until")
#: Base fields about the record rather than the fact: they play no part in derived ids
#: (``until`` does: a range is part of what the event says).
RECORD_FIELDS = ("id", "recorded_on", "recorded_precision")


def strings(value: Iterable[str]) -> tuple[str, ...]:
    """Attrs converter for ``tuple[str, ...]`` fields: any iterable of strings as a tuple.

    A lone string becomes a one-element tuple (never a tuple of its letters).

    >>> strings(["a", "b"]), strings("a")
    (('a', 'b'), ('a',))
    """
    if isinstance(value, str):
        return (value,)
    return tuple(value)


#: What a field that may name one actor or several actors together holds.
Joint: TypeAlias = "str | tuple[str, ...]"


def joint(value: str | Iterable[str] | None) -> str | tuple[str, ...] | None:
    """Attrs converter for a ``by`` field that may name several actors acting together.

    A string stays a string (so old files and event ids are unchanged), any other
    iterable of ids becomes a tuple (one id alone in a list stays a one-element tuple),
    ``None`` stays ``None``.

    >>> joint("police"), joint(["police", "army"]), joint(None)
    ('police', ('police', 'army'), None)
    """
    if value is None or isinstance(value, str):
        return value
    return tuple(value)


def actors_of(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The actor ids a :func:`joint` field names, as a tuple (empty for ``None``).

    >>> actors_of("police"), actors_of(("police", "army")), actors_of(None)
    (('police',), ('police', 'army'), ())
    """
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return value


def _check_precision(inst: Event, attribute: attrs.Attribute[Precision], value: Precision) -> None:
    if value is Precision.DAY:  # nearly every event: nothing to check
        return
    if not isinstance(value, Precision):
        raise TypeError(f"precision must be a Precision (day, month or year), got {value!r}")
    d = inst.occurred_on
    if value is Precision.MONTH and d.day != 1:
        raise ValueError(
            f"an event known only to the month is dated on the 1st: got {d.isoformat()} "
            f"with precision month (use {d.replace(day=1).isoformat()})"
        )
    if value is Precision.YEAR and (d.month, d.day) != (1, 1):
        raise ValueError(
            f"an event known only to the year is dated on 1 January: got {d.isoformat()} "
            f"with precision year (use {d.year}-01-01)"
        )


def _check_until(inst: Event, attribute: attrs.Attribute[_dt.date | None],
                 value: _dt.date | None) -> None:
    if value is None:  # nearly every event: nothing to check
        return
    problem = check_until(inst.occurred_on, inst.precision, value)
    if problem is not None:
        raise (TypeError if type(value) is not _dt.date else ValueError)(problem)


def _check_date(inst: Event, attribute: attrs.Attribute[_dt.date], value: _dt.date) -> None:
    if type(value) is not _dt.date:
        raise TypeError(f"occurred_on must be a datetime.date, got {value!r}")


#: What an explicit event id may hold: 1-200 letters, digits and ``_ - . : / #``.
ID_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:/#-]{0,199}")


def _check_id(inst: Event, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if value.__class__ is not str:
        raise TypeError(f"id must be a string, got {value!r}")
    if not ID_RE.fullmatch(value):
        raise ValueError(
            f"id {value!r} must be 1-200 letters, digits, '_', '-', '.', ':', '/' or '#', "
            "starting with a letter, digit or '_'"
        )


def _check_recorded(
    inst: Event, attribute: attrs.Attribute[_dt.date | None], value: _dt.date | None
) -> None:
    if value is None:
        return
    if type(value) is not _dt.date:
        raise TypeError(f"recorded_on must be a datetime.date, got {value!r}")


def _check_recorded_precision(
    inst: Event, attribute: attrs.Attribute[Precision], value: Precision
) -> None:
    if value is Precision.DAY:
        return
    if not isinstance(value, Precision):
        raise TypeError(
            f"recorded_precision must be a Precision (day, month or year), got {value!r}"
        )
    d = inst.recorded_on
    if d is None:
        raise ValueError("recorded_precision is given without recorded_on")
    if value is Precision.MONTH and d.day != 1:
        raise ValueError(
            f"a record date known only to the month is the 1st: got {d.isoformat()} "
            f"(use {d.replace(day=1).isoformat()})"
        )
    if value is Precision.YEAR and (d.month, d.day) != (1, 1):
        raise ValueError(
            f"a record date known only to the year is 1 January: got {d.isoformat()} "
            f"(use {d.year}-01-01)"
        )


@attrs.frozen(kw_only=True)
class Event:
    """A reported fact: what happened, when (and how precisely), and who reports it.

    Subclass it, decorate the subclass with ``@attrs.frozen(kw_only=True)`` and
    register it with :func:`crisis_model.event_type`.
    """

    #: The registered type tag, set by :func:`crisis_model.event_type`.
    event_tag: ClassVar[str] = ""
    #: The registered payload version, set by :func:`crisis_model.event_type`.
    event_version: ClassVar[int] = 0

    occurred_on: _dt.date = attrs.field(validator=_check_date)
    precision: Precision = attrs.field(default=Precision.DAY, validator=_check_precision)
    sources: tuple[str, ...] = attrs.field(default=(), converter=strings)
    note: str = ""
    #: A stable id, unique within a log or stream (``None``: derived from content,
    #: see :func:`crisis_model.event_ids`).
    id: str | None = attrs.field(default=None, validator=_check_id)
    #: When the fact entered the record (``None``: the earliest publication date of
    #: the sources it cites, see :func:`crisis_model.recorded_dates`).
    recorded_on: _dt.date | None = attrs.field(default=None, validator=_check_recorded)
    #: How precisely ``recorded_on`` is known.
    recorded_precision: Precision = attrs.field(
        default=Precision.DAY, validator=_check_recorded_precision
    )
    #: The last day the event may have happened, when the reports give a range of
    #: dates ("late August or early September": ``occurred_on`` 20 August, ``until``
    #: 10 September); ``None``: the window ``occurred_on`` gives at ``precision``.
    until: _dt.date | None = attrs.field(default=None, validator=_check_until)

    @property
    def window(self) -> tuple[_dt.date, _dt.date]:
        """The first and last day this event may have happened, given its precision
        (and ``until``, for a range)."""
        until = self.until
        if until is not None:
            return self.occurred_on, until
        return window(self.occurred_on, self.precision)


@attrs.frozen
class RefSpec:
    """What a reference field points at: ``kind`` names a reference kind
    (``"actor"``, ``"election"``, ``"offer"`` or one a user registered).

    ``new=True`` marks a field that introduces the id (it must not exist yet).
    """

    kind: str
    new: bool = False


def ref(
    kind: str,
    *,
    new: bool = False,
    default: Any = attrs.NOTHING,
    converter: Callable[[Any], Any] | None = None,
) -> Any:
    """An ``attrs`` field that refers to (or, with ``new=True``, introduces) an id.

    The field may hold a ``str``, ``None`` or a tuple of ``str`` (give a tuple
    field ``converter=strings`` so that lists are accepted).  Every
    registered event type gets a rule for free: each id in such a field must
    have been introduced earlier (or, for ``new=True``, must not have been).

    >>> import attrs
    >>> @attrs.frozen(kw_only=True)
    ... class Example:
    ...     person: str = ref("actor")
    """
    return attrs.field(
        default=default, converter=converter, metadata={REF_METADATA_KEY: RefSpec(kind, new)}
    )
