"""The record: stable event ids and the dates facts entered the record.

Every event has an **id**, unique within its log: the one it carries
(``Event.id``), or else one derived from its content.  The recipe, so that two
loads of one file (or one stream) give the same ids:

1. take the event's payload as :func:`crisis_model.serialization.to_dict`
   writes it, without ``version`` and without the fields that hold their
   default value (so adding a field with a default to a type later changes
   no id);
2. write it as JSON with sorted keys, no spaces, UTF-8 (lone surrogates passed through);
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
begun by ``K`` (as the possible reading of ``state_at`` counts an event).

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
import enum
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._event import RECORD_FIELDS, Event, Precision
from ._frozenmap import FrozenMap
from .errors import CrisisModelError, DuplicateEventIdError
from .reducer import event_type

__all__ = [
    "RECORD_TYPES",
    "KnownLog",
    "RecordCorrected",
    "RecordError",
    "RecordRetracted",
    "Revision",
    "SourceDates",
    "as_known",
    "derived_id",
    "event_ids",
    "explicit_id_clashes",
    "has_record_events",
    "recorded_date",
    "recorded_dates",
    "revisions",
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
        if getattr(event, f.name) == default or f.name in RECORD_FIELDS:
            del payload[f.name]
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def derived_id(event: Event, occurrence: int = 1) -> str:
    """The id the recipe gives ``event`` (the ``occurrence``-th of its content in the log).

    An explicit ``event.id`` plays no part (nor do ``recorded_on`` and
    ``recorded_precision``): this is the id the event would have without one.
    """
    digest = hashlib.sha256(_content(event).encode("utf-8", "surrogatepass")).hexdigest()[:12]
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


# -- corrections and retractions: events about events ----------------------------------------


def _frozen_value(value: Any) -> Any:
    """A payload value made hashable and JSON-able: dates as ISO text, enums as their
    values, lists as tuples, tables as FrozenMaps."""
    if isinstance(value, enum.Enum):
        return _frozen_value(value.value)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return FrozenMap({str(k): _frozen_value(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen_value(v) for v in value)
    return value


def _changes(value: Mapping[str, Any]) -> FrozenMap[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"changes must be a table of field = new value, got {value!r}")
    out = _frozen_value(value)
    assert isinstance(out, FrozenMap)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


#: Fields a correction may not change: the id (a correction keeps it) and the
#: record dates (the correction's own recorded date is when it counts).
UNCORRECTABLE = ("type", "version", "id", "recorded_on", "recorded_precision")


@event_type("record.corrected")
@attrs.frozen(kw_only=True)
class RecordCorrected(Event):
    """A correction of the record: from this event's recorded date on, the event whose
    id is ``corrects`` says ``changes`` (field = new value, as in a payload) instead.

    ``occurred_on`` is the day the correction was made; ``sources`` who made it.
    The corrected event keeps its place in the log, its id and its recorded date.
    """

    corrects: str
    changes: FrozenMap[str, Any] = attrs.field(converter=_changes)


@event_type("record.retracted")
@attrs.frozen(kw_only=True)
class RecordRetracted(Event):
    """A retraction: from this event's recorded date on, the event (or correction)
    whose id is ``retracts`` is withdrawn from the record, for ``reason``.

    Retracting a correction restores what the event said before it; retracting a
    retraction restores what it withdrew.  Nothing is deleted from the log.
    """

    retracts: str
    reason: str = ""


#: The types replay never applies: the record transform consumes them.
RECORD_TYPES: frozenset[type[Event]] = frozenset({RecordCorrected, RecordRetracted})


class RecordError(CrisisModelError):
    """A correction or retraction the record cannot take: an unknown id, a change of a
    field it may not change, a target after it in the log...  ``index`` is its position."""

    def __init__(self, index: int, event: Event, message: str) -> None:
        self.index = index
        self.event = event
        self.message = message
        super().__init__(
            f"event #{index} ({event.event_tag}, {event.occurred_on.isoformat()}) refused: "
            f"{message}"
        )


@attrs.frozen
class Revision:
    """One version of an event in the record: what it ``said`` from ``recorded_on``
    (at ``precision``) on whose word (``sources``); ``by`` is the id of the correction
    that made it (``None`` for the original report); ``retracted`` marks the moment
    the event was withdrawn (``said`` is then ``None``)."""

    event_id: str
    said: Event | None
    recorded_on: _dt.date
    precision: Precision
    sources: tuple[str, ...]
    by: str | None = None
    retracted: bool = False
    reason: str = ""


@attrs.frozen
class KnownLog:
    """The effective log as known on a day: :func:`as_known` builds it.

    ``events`` are the events replay applies, corrected, in log order;
    ``origins[i]`` is the position in the full log of ``events[i]``;
    ``corrected_by[i]`` the position of the last correction applied to it (if any).
    """

    events: tuple[Event, ...]
    origins: tuple[int, ...]
    corrected_by: FrozenMap[int, int]
    ids: tuple[str, ...]

    #: The full log (to name the correction that made an event inadmissible).
    full: tuple[Event, ...] = attrs.field(default=(), repr=False)

    def source_event(self, position: int) -> Event:
        """The event at ``position`` in the full log."""
        return self.full[position]

    def origin(self, index: int) -> int:
        """The full log's position for ``events[index]`` (a correction's, if one changed it)."""
        return self.corrected_by.get(index, self.origins[index])


def _target(event: Event) -> str | None:
    """The id a correction or retraction is about (``None`` for any other event)."""
    if type(event) is RecordCorrected:
        return event.corrects
    if type(event) is RecordRetracted:
        return event.retracts
    return None


def has_record_events(events: Sequence[Event]) -> bool:
    """Whether ``events`` holds any correction or retraction."""
    return not RECORD_TYPES.isdisjoint(map(type, events))


def _is_known(day: tuple[_dt.date, Precision], known_on: _dt.date | None) -> bool:
    return known_on is None or day[0] <= known_on


def _apply_changes(
    index: int, correction: RecordCorrected, target: Event, target_id: str
) -> Event:
    from .serialization import DecodeError, from_dict, to_dict

    bad = sorted(k for k in correction.changes if k in UNCORRECTABLE)
    if bad:
        raise RecordError(index, correction, (
            f"a correction cannot change {', '.join(bad)} (to change an event's type, "
            "retract it and record the right event)"))
    fields = {f.name for f in attrs.fields(type(target))}
    unknown = sorted(k for k in correction.changes if k not in fields)
    if unknown:
        raise RecordError(index, correction, (
            f"{target.event_tag!r} (corrected event {target_id!r}) has no field "
            f"{', '.join(map(repr, unknown))}"))
    payload = to_dict(target)
    payload.update(_plain(dict(correction.changes)))
    payload["id"] = target_id
    try:
        return from_dict(payload)
    except DecodeError as exc:
        raise RecordError(index, correction, (
            f"its changes do not make a valid {target.event_tag!r} event "
            f"(corrected event {target_id!r}): " + "; ".join(map(str, exc.errors)))) from None


def as_known(
    events: Iterable[Event],
    known_on: _dt.date | None = None,
    *,
    sources: Mapping[str, Any] | None = None,
) -> KnownLog:
    """The effective log as known on ``known_on`` (``None``: everything recorded).

    A pure transform, applied before replay: keep the events recorded by
    ``known_on`` (see :func:`recorded_date`; ``sources`` gives the sources'
    publication dates), withdraw those a retraction recorded by then withdraws,
    apply the corrections recorded by then (in log order) to the events they
    correct, and drop the corrections and retractions themselves.  Nothing in
    ``events`` changes.  A correction or retraction must come after its target
    in the log; a correction may target only an ordinary event.  A correction of
    an event not yet known on ``known_on`` waits until it is.

    Raises :class:`RecordError` for a correction or retraction that names an
    unknown id or a target after it, or whose changes cannot apply, and
    :class:`~crisis_model.DuplicateEventIdError` for ids used twice.
    """
    log = events if isinstance(events, tuple) else tuple(events)
    ids = event_ids(log)
    if known_on is not None:
        dates = source_dates(sources)
        known = [_is_known(recorded_date(e, dates), known_on) for e in log]
    else:
        known = [True] * len(log)
    position = {eid: i for i, eid in enumerate(ids)}
    targets: dict[int, int] = {}  # record event -> its target
    for i, e in enumerate(log):
        cls = type(e)
        if cls not in RECORD_TYPES:
            continue
        target_id = _target(e)
        assert target_id is not None
        t = position.get(target_id)
        what = "corrects" if cls is RecordCorrected else "retracts"
        if t is None:
            raise RecordError(i, e, f"{what} {target_id!r}, which no event of the log carries")
        if t >= i:
            raise RecordError(i, e, (
                f"{what} {target_id!r}, event #{t}, which comes after it: an event about an "
                "event follows it in the log"))
        if cls is RecordCorrected and type(log[t]) in RECORD_TYPES:
            raise RecordError(i, e, (
                f"corrects {target_id!r}, a {log[t].event_tag} event: a correction or "
                "retraction is not corrected but retracted (and recorded anew)"))
        targets[i] = t
    # Withdrawn entries, from the end: a retraction counts only if it is itself in force.
    active = list(known)
    for i in range(len(log) - 1, -1, -1):
        if active[i] and type(log[i]) is RecordRetracted:
            active[targets[i]] = False
    corrections: dict[int, list[int]] = {}
    for i, t in targets.items():
        if active[i] and active[t] and type(log[i]) is RecordCorrected:
            corrections.setdefault(t, []).append(i)
    out: list[Event] = []
    origins: list[int] = []
    corrected_by: dict[int, int] = {}
    for i, e in enumerate(log):
        if not active[i] or type(e) in RECORD_TYPES:
            continue
        for c in corrections.get(i, ()):
            e = _apply_changes(c, log[c], e, ids[i])  # type: ignore[arg-type]
            corrected_by[len(out)] = c
        out.append(e)
        origins.append(i)
    return KnownLog(tuple(out), tuple(origins), FrozenMap(corrected_by), ids, log)


def revisions(
    events: Iterable[Event],
    event_id: str,
    *,
    sources: Mapping[str, Any] | None = None,
) -> tuple[Revision, ...]:
    """The history of one event in the record: what it said, from when, on whose word.

    The first revision is the original report; each correction of it (and each
    retraction of it, or of one of its corrections) adds one, in the order of
    their recorded dates (log order on a tie).  A correction withdrawn later
    still appears, as what the record said while it stood.
    """
    log = tuple(events)
    ids = event_ids(log)
    if event_id not in ids:
        raise CrisisModelError(f"no event of the log has id {event_id!r}")
    dates = source_dates(sources)
    recorded = [recorded_date(e, dates) for e in log]
    position = {eid: i for i, eid in enumerate(ids)}
    t = position[event_id]
    # Every record event bearing on it: its corrections, retractions of it or of them.
    related = {t}
    steps: list[int] = []
    for i, e in enumerate(log):
        target = _target(e)
        if target is not None and position.get(target) in related:
            related.add(i)
            steps.append(i)
    out = [Revision(event_id, log[t], *recorded[t], log[t].sources)]
    for i in sorted(steps, key=lambda i: (recorded[i][0], i)):
        as_of = recorded[i][0]
        said = as_known(log, as_of, sources=sources)
        current = next((e for e, o in zip(said.events, said.origins, strict=True) if o == t),
                       None)
        e = log[i]
        out.append(Revision(
            event_id, current, *recorded[i], e.sources, by=ids[i],
            retracted=current is None, reason=getattr(e, "reason", ""),
        ))
    return tuple(out)
