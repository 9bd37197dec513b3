"""The record: stable event ids and the dates facts entered the record.

Every event has an **id**, unique within its log: the one it carries
(``Event.id``), or else one derived from its content.  The recipe, so that two
loads of one file (or one stream) give the same ids:

1. take the event's payload as :func:`crisis_model.serialization.to_dict`
   writes it, without ``version`` and without the fields that hold their
   default value (so adding a field with a default to a type later changes
   no id);
2. write it as JSON with sorted keys, no spaces, UTF-8;
3. the id is ``"h"`` and the first 12 hex digits of its SHA-256;
4. the *n*-th event of the log with the same content (n >= 2) gets ``~n``
   appended (identical events are told apart by their order).

Derived ids change when an event's content changes; give an event an
explicit ``id`` when something (a correction, another dataset) must refer to
it for good.

Every event has a **recorded date**, when it entered the record: its
``recorded_on`` (at ``recorded_precision``), or else the earliest publication
date among the sources it cites (at that source's precision), or else, with
no dated source, the start of its own date window (recorded as it happened).
An event counts as known on a day ``K`` once its recorded date's window has
begun by ``K``, as an event counts as begun for ``state_at``.

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced
>>> log = [ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="cne", name="CNE",
...                        kind=cm.ActorKind.ELECTORAL_AUTHORITY, id="cne-intro"),
...        ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="un", name="UN",
...                        kind=cm.ActorKind.INTERNATIONAL_ORG, sources=("wire",))]
>>> cm.event_ids(log)
('cne-intro', 'h80e3838abad7')
>>> [day.isoformat() for day, _ in cm.recorded_dates(log, {"wire": dt.date(2024, 8, 2)})]
['2024-07-01', '2024-08-02']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._event import BASE_OPTIONAL, Event, Precision
from .errors import DuplicateEventIdError

__all__ = [
    "DuplicateEventIdError",
    "SourceDates",
    "derived_id",
    "event_ids",
    "explicit_id_clashes",
    "recorded_date",
    "recorded_dates",
    "source_dates",
]

#: Source id -> (publication date, its precision).  :func:`source_dates` builds it
#: from scenario sources, store source tables or plain dates.
SourceDates = Mapping[str, "tuple[_dt.date, Precision]"]


# -- ids ------------------------------------------------------------------------------------


def _content(event: Event) -> str:
    """The event's content as the id recipe hashes it (steps 1 and 2)."""
    from .serialization import to_dict  # imports the reducer; loaded on first use

    payload = to_dict(event)
    payload.pop("version", None)
    for f in attrs.fields(type(event)):
        if f.name == "occurred_on" or f.name not in payload:
            continue
        default = f.default
        if default is attrs.NOTHING:
            continue
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                continue
            default = default.factory()
        if getattr(event, f.name) == default or f.name in BASE_OPTIONAL:
            del payload[f.name]
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def derived_id(event: Event, occurrence: int = 1) -> str:
    """The id the recipe gives ``event`` (the ``occurrence``-th of its content in the log).

    An explicit ``event.id`` plays no part (nor do ``recorded_on`` and
    ``recorded_precision``): this is the id the event would have without one.
    """
    digest = hashlib.sha256(_content(event).encode("utf-8")).hexdigest()[:12]
    return f"h{digest}" if occurrence <= 1 else f"h{digest}~{occurrence}"


def explicit_id_clashes(events: Iterable[Event]) -> list[tuple[str, int, int]]:
    """``(id, first, second)`` for every event whose explicit id an earlier one carries.

    Cheap (no id is derived): what loaders check while reading a file.
    """
    where: dict[str, int] = {}
    out: list[tuple[str, int, int]] = []
    for index, event in enumerate(events):
        eid = event.id
        if eid is None:
            continue
        first = where.setdefault(eid, index)
        if first != index:
            out.append((eid, first, index))
    return out


def event_ids(events: Iterable[Event]) -> tuple[str, ...]:
    """Every event's effective id, in log order: its own ``id`` or the derived one.

    Raises :class:`DuplicateEventIdError` (naming both events) when two events
    share an id, explicit or derived.
    """
    ids: list[str] = []
    where: dict[str, int] = {}
    seen: dict[str, int] = {}
    log = events if isinstance(events, Sequence) else tuple(events)
    for index, event in enumerate(log):
        eid = event.id
        if eid is None:
            base = derived_id(event)
            n = seen[base] = seen.get(base, 0) + 1
            eid = base if n == 1 else f"{base}~{n}"
        first = where.get(eid)
        if first is not None:
            raise DuplicateEventIdError(eid, first, log[first], index, event)
        where[eid] = index
        ids.append(eid)
    return tuple(ids)


# -- recorded dates -------------------------------------------------------------------------


def _as_date(value: Any, precision: Any) -> tuple[_dt.date, Precision] | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value)
        except ValueError:
            return None
    if type(value) is _dt.datetime:
        value = value.date()
    if not isinstance(value, _dt.date):
        return None
    try:
        p = precision if isinstance(precision, Precision) else Precision(precision or "day")
    except ValueError:
        p = Precision.DAY
    return value, p


def source_dates(sources: Mapping[str, Any] | None) -> dict[str, tuple[_dt.date, Precision]]:
    """Publication dates of ``sources``: source id -> ``(date, precision)``.

    A value may be a :class:`~crisis_model.Source` (or anything with
    ``published`` and ``precision``), a table with ``published`` (a date or
    ``YYYY-MM-DD``) and an optional ``precision`` (as stores keep them), a
    ``(date, precision)`` pair or a plain date.  Sources without a
    publication date are left out.
    """
    out: dict[str, tuple[_dt.date, Precision]] = {}
    for sid, value in (sources or {}).items():
        found: tuple[_dt.date, Precision] | None
        if isinstance(value, _dt.date):
            found = _as_date(value, Precision.DAY)
        elif isinstance(value, tuple) and len(value) == 2:
            found = _as_date(value[0], value[1])
        elif isinstance(value, Mapping):
            found = _as_date(value.get("published"), value.get("precision"))
        else:
            found = _as_date(getattr(value, "published", None), getattr(value, "precision", None))
        if found is not None:
            out[sid] = found
    return out


def recorded_date(
    event: Event, sources: SourceDates | None = None
) -> tuple[_dt.date, Precision]:
    """When ``event`` entered the record, and how precisely that is known.

    ``sources`` maps source ids to ``(publication date, precision)`` (see
    :func:`source_dates`).  Its ``recorded_on`` if it has one; else the
    earliest publication date of its cited sources (the earliest window start;
    on a tie, the most precise); else its own ``occurred_on`` at its
    ``precision``.
    """
    if event.recorded_on is not None:
        return event.recorded_on, event.recorded_precision
    best: tuple[_dt.date, Precision] | None = None
    if sources:
        for sid in event.sources:
            found = sources.get(sid)
            if found is not None and (best is None or _earlier(found, best)):
                best = found
    if best is not None:
        return best
    return event.occurred_on, event.precision


_FINENESS = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2}


def _earlier(a: tuple[_dt.date, Precision], b: tuple[_dt.date, Precision]) -> bool:
    return (a[0], _FINENESS[a[1]]) < (b[0], _FINENESS[b[1]])


def recorded_dates(
    events: Iterable[Event], sources: Mapping[str, Any] | None = None
) -> tuple[tuple[_dt.date, Precision], ...]:
    """:func:`recorded_date` of every event, in log order.

    ``sources`` may be anything :func:`source_dates` reads (a scenario's
    ``sources``, a store's source tables, source id -> date).
    """
    dates = source_dates(sources)
    return tuple(recorded_date(e, dates) for e in events)
