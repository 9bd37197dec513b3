"""Questions asked of a history: the state as of a date, a timeline, what changed, what is unsure.

* :func:`state_at` (from :mod:`crisis_model.reducer`) replays the events
  *certain* by a date: those whose window, or a later event's, is over by then.
* :func:`uncertain_events` lists the events that *may* have happened by then but
  are not certain (their window has begun, not ended); :func:`included_events`
  those :func:`state_at` applies.
* :func:`timeline` lists events in order, each dated at its precision with a
  plain-words summary (:func:`describe`) and its sources.
* :func:`snapshot_dict` turns a state into the stable, JSON-able document that
  ``crisis-model replay --json`` prints; :func:`diff` compares two states
  field by field, per actor, election, offer and detention ledger.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._dates import Reading, certain_count, format_range, possible_count
from ._draft import Draft
from ._event import BASE_OPTIONAL, Event, Precision
from ._place import Place
from ._summary import _SUMMARIES, Summary, summarizer
from .record import as_known, has_record_events, recorded_dates
from .reducer import (
    Anomaly,
    _as_of_prefix,
    _run,
    initial_state,
    paused_gc,
    registry,
    shown_slices,
    state_at,
)
from .state import (
    ActorState,
    Assessment,
    Asylum,
    Claim,
    Concession,
    CountReport,
    CrisisState,
    Custody,
    Declaration,
    ElectionState,
    Ledger,
    Movement,
    Offer,
    Stance,
    Tally,
)

__all__ = [
    "Change",
    "Summary",
    "TimelineEntry",
    "actors_involved",
    "describe",
    "diff",
    "format_date",
    "included_events",
    "snapshot_dict",
    "state_at",
    "summarizer",
    "timeline",
    "uncertain_events",
]




# -- dates and uncertainty ------------------------------------------------------------------------


def format_date(day: _dt.date, precision: Precision, until: _dt.date | None = None) -> str:
    """``day`` printed at ``precision``: ``2024-07-28``, ``2024-11`` or ``2024``; with
    ``until`` (the last day of a range), the range in words: ``20 Aug - 10 Sep 2024``.

    >>> import datetime as dt
    >>> format_date(dt.date(2024, 11, 1), Precision.MONTH)
    '2024-11'
    >>> format_date(dt.date(2024, 8, 20), Precision.DAY, dt.date(2024, 9, 10))
    '20 Aug - 10 Sep 2024'
    """
    if until is not None:
        return format_range(day, precision, until)
    if precision is Precision.YEAR:
        return f"{day.year:04d}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def uncertain_events(events: Iterable[Event], when: _dt.date) -> list[tuple[int, Event]]:
    """``(index, event)`` for each event that *may* have happened by ``when`` but is not
    *certain* to have: :func:`state_at` leaves them out, and the reading
    ``reading="possible"`` counts them (see ``docs/concepts.md``, "Dates and the
    as-of reading").

    The log's order asserts chronology, so an event is certain by ``when`` once its
    window, or that of any later event, is over by then; it is possible once its
    window, and every earlier event's, has begun.  Both are prefixes of the log, so
    these events are the ones between them.  One pass, no replay (the rules are not
    checked for them).

    >>> import datetime as dt
    >>> from crisis_model.events import ProtestHeld
    >>> e = ProtestHeld(occurred_on=dt.date(2024, 11, 1), precision=Precision.MONTH)
    >>> uncertain_events([e], dt.date(2024, 11, 15)) == [(0, e)]
    True
    >>> uncertain_events([e], dt.date(2024, 11, 30))
    []
    """
    log = events if isinstance(events, list | tuple) else list(events)
    low, high = certain_count(log, when), possible_count(log, when)
    return [(i, log[i]) for i in range(low, high)]


def included_events(
    events: Iterable[Event], when: _dt.date, *, reading: Reading = "certain"
) -> list[tuple[int, Event]]:
    """``(index, event)`` for each event :func:`state_at` applies as of ``when`` under
    ``reading`` (leniently: events the rules reject are left out).

    The events the reading counts are a prefix of the log: one lenient replay of
    that prefix says which of them the rules admit (linear in its length).
    """
    log = events if isinstance(events, list | tuple) else list(events)
    prefix = _as_of_prefix(log, when, reading)
    anomalies: list[Anomaly] = []
    with paused_gc():  # the pairs too: a million tuples would wake the collector many times
        _run(prefix, False, Draft(initial_state()), anomalies)
        rejected = {a.index for a in anomalies}
        return [(i, log[i]) for i in range(len(prefix)) if i not in rejected]


# -- who an event involves, and what it says ---------------------------------------------------


def actors_involved(event: Event) -> tuple[str, ...]:
    """Every actor id the event's reference fields name, in field order."""
    out: list[str] = []
    for name, spec in registry.ref_fields(type(event)):
        if spec.kind != "actor":
            continue
        value = getattr(event, name)
        if value is None:
            continue
        out.extend((value,) if isinstance(value, str) else value)
    return tuple(dict.fromkeys(out))


def describe(event: Event, names: Mapping[str, str] | None = None) -> str:
    """The event in plain words (actors by their names from ``names``, else by id).

    An event with a ``place`` (a :class:`~crisis_model.Place`) ends with
    ``(place: ...)``: summaries need not mention it.
    """
    lookup = names or {}

    def name(actor: str | None) -> str:
        if actor is None:
            return "someone"
        return lookup.get(actor, actor)

    fn = _SUMMARIES.get(type(event))
    text = fn(event, name) if fn is not None else _generic(event)
    place = getattr(event, "place", None)
    if place.__class__ is Place:
        text += f" (place: {place})"
    return text


def _generic(event: Event) -> str:
    parts = []
    for f in attrs.fields(type(event)):
        if f.name in ("occurred_on", "precision", "sources", "note", "place", *BASE_OPTIONAL):
            continue
        value = getattr(event, f.name)
        if value in (None, (), "", {}) or value is f.default:
            continue
        parts.append(f"{f.name}={_plain_value(value)}")
    return f"{event.event_tag}: " + ", ".join(parts) if parts else event.event_tag


def _plain_value(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return ", ".join(_plain_value(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {_plain_value(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _names(ids: Sequence[str], name: Callable[[str | None], str]) -> str:
    shown = [name(i) for i in ids]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _shares(shares: Mapping[str, float], name: Callable[[str | None], str]) -> str:
    if not shares:
        return ""
    return " (" + ", ".join(f"{name(k)} {v:g}%" for k, v in shares.items()) + ")"


def _by(actor: str | tuple[str, ...] | None, name: Callable[[str | None], str]) -> str:
    if not actor:
        return ""
    if isinstance(actor, str):
        return f" by {name(actor)}"
    return f" by {_names(actor, name)}" + (" jointly" if len(actor) > 1 else "")



# -- timeline -----------------------------------------------------------------------------------


@attrs.frozen
class TimelineEntry:
    """One line of a timeline: the event, its position, its date at its precision,
    what it says in plain words, and the sources it cites."""

    index: int
    event: Event
    date: str
    summary: str
    sources: tuple[str, ...]
    #: The event's id (its own, or derived: see :func:`crisis_model.event_ids`).
    id: str = ""
    #: When it entered the record (see :func:`crisis_model.recorded_date`), as text.
    recorded: str = ""
    #: Whether a correction changed what it says (as the record stood).
    corrected: bool = False

    def __str__(self) -> str:
        cites = f"  [{', '.join(self.sources)}]" if self.sources else ""
        return f"{self.date:<10}  {self.summary}{cites}"


def _actor_names(events: Iterable[Event]) -> dict[str, str]:
    names: dict[str, str] = {}
    introducing: dict[type, str | None] = {}
    for e in events:
        cls = type(e)
        field = introducing.get(cls, "")
        if field == "":  # the field that introduces an actor, for types that have a name
            field = introducing[cls] = next(
                (f for f, spec in registry.ref_fields(cls) if spec.kind == "actor" and spec.new
                 and isinstance(getattr(e, "name", None), str)), None)
        if field is not None:
            names[getattr(e, field)] = e.name  # type: ignore[attr-defined]
    return names


def timeline(
    events: Sequence[Event],
    *,
    start: _dt.date | None = None,
    end: _dt.date | None = None,
    actor: str | None = None,
    known_on: _dt.date | None = None,
    sources: Mapping[str, Any] | None = None,
) -> list[TimelineEntry]:
    """The events in order, one entry each: those whose date window meets
    ``[start, end]`` and, if ``actor`` is given, that involve that actor.

    Corrections are applied and retracted events left out; with ``known_on``,
    only what was recorded by that day counts (see
    :func:`crisis_model.record.as_known`; ``sources`` gives the sources'
    publication dates).  Each entry's ``index`` is its position in ``events``.
    """
    from .record import event_ids

    all_ids = event_ids(events)
    dates = recorded_dates(events, sources)
    positions: Sequence[int] = range(len(events))
    corrected: Mapping[int, int] = {}
    if known_on is not None or has_record_events(events):
        known = as_known(events, known_on, sources=sources)
        events, positions, corrected = known.events, known.origins, known.corrected_by
    names = _actor_names(events)
    out = []
    for k, event in enumerate(events):
        index = positions[k]
        first, last = event.window
        if start is not None and last < start:
            continue
        if end is not None and first > end:
            continue
        if actor is not None and actor not in actors_involved(event):
            continue
        out.append(TimelineEntry(
            index=index,
            event=event,
            date=format_date(event.occurred_on, event.precision, event.until),
            summary=describe(event, names),
            sources=event.sources,
            id=all_ids[index],
            recorded=format_date(*dates[index]),
            corrected=k in corrected,
        ))
    return out


# -- snapshot documents ---------------------------------------------------------------------------


def _iso(day: _dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _tally(t: Tally) -> dict[str, Any]:
    return {"known": t.known, "uncounted": t.uncounted, "total": t.total,
            "count": t.count.to_json()}


def _stance(s: Stance) -> dict[str, Any]:
    return {
        "kind": s.kind.value, "winner": s.winner, "condition": s.condition,
        "since": _iso(s.since), "precision": s.precision.value,
    }


def _place(p: Place | None) -> dict[str, Any] | None:
    return None if p is None else p.to_json()


def _asylum(a: Asylum) -> dict[str, Any]:
    return {"host": a.host, "status": a.status.value, "since": _iso(a.since),
            "precision": a.precision.value, "reason": a.reason}


def _custody(c: Custody) -> dict[str, Any]:
    return {"status": c.status.value, "custodian": c.custodian, "place": _place(c.place),
            "group": c.group, "on": _iso(c.on), "precision": c.precision.value}


def _movement(m: Movement) -> dict[str, Any]:
    return {"kind": m.kind.value, "from": m.origin, "to": m.destination,
            "place": _place(m.place), "on": _iso(m.on), "precision": m.precision.value}


def _actor(a: ActorState) -> dict[str, Any]:
    j = a.jeopardy
    return {
        "name": a.name,
        "kind": a.kind.value,
        "country": a.country,
        "affiliation": a.affiliation,
        "offices": list(a.offices),
        "whereabouts": a.whereabouts.value,
        "location": a.location,
        "asylum": None if a.asylum is None else _asylum(a.asylum),
        "asylum_history": [_asylum(x) for x in a.asylum_history],
        "custody": None if a.custody is None else _custody(a.custody),
        "custody_history": [_custody(c) for c in a.custody_history],
        "movements": [_movement(m) for m in a.movements],
        "death": None if a.death is None else {
            "cause": a.death.cause.value, "on": _iso(a.death.on),
            "precision": a.death.precision.value, "by": list(a.death.by),
            "place": _place(a.death.place),
        },
        "jeopardy": {
            "threatened": j.threatened,
            "wanted": j.wanted,
            "charged": list(j.charged),
            "disqualified_from": list(j.disqualified_from),
        },
        "stances": {eid: _stance(s) for eid, s in a.stances.items()},
    }


def _dated(on: _dt.date | None, precision: Precision) -> dict[str, Any]:
    return {"on": _iso(on), "precision": precision.value}


def _declaration(d: Declaration) -> dict[str, Any]:
    return {"by": d.by, "winner": d.winner, "shares": dict(d.shares), "seats": dict(d.seats),
            **_dated(d.on, d.precision)}


def _claim(c: Claim) -> dict[str, Any]:
    return {"by": c.by, "claimed_winner": c.claimed_winner, "shares": dict(c.shares),
            "grounds": c.grounds, **_dated(c.on, c.precision)}


def _assessment(a: Assessment) -> dict[str, Any]:
    return {"by": a.by, "verdict": a.verdict.value, "favours": a.favours,
            **_dated(a.on, a.precision)}


def _count_report(c: CountReport) -> dict[str, Any]:
    return {"by": c.by, "kind": c.kind.value, "shares": dict(c.shares), "seats": dict(c.seats),
            "counted": c.counted, **_dated(c.on, c.precision)}


def _concession(c: Concession) -> dict[str, Any]:
    return {"by": c.by, "to": c.to, "retracted": c.retracted, **_dated(c.on, c.precision)}


def _election(e: ElectionState, state: CrisisState) -> dict[str, Any]:
    return {
        "country": e.country,
        "office": e.office,
        "called_on": _iso(e.called_on),
        "called_precision": e.called_precision.value,
        "scheduled_for": _iso(e.scheduled_for),
        "runoff_of": e.runoff_of,
        "rerun_of": e.rerun_of,
        "held_on": _iso(e.held_on),
        "held_precision": e.held_precision.value,
        "candidates": list(e.candidates),
        "disqualified": list(e.disqualified),
        "withdrawals": [{"candidate": w.candidate, "endorses": w.endorses, "reason": w.reason,
                         **_dated(w.on, w.precision)} for w in e.withdrawals],
        "counts": {by: _count_report(c) for by, c in e.counts.items()},
        "count_history": [_count_report(c) for c in e.count_history],
        "declarations": {by: _declaration(d) for by, d in e.declarations.items()},
        "declaration_history": [_declaration(d) for d in e.declaration_history],
        "claims": {by: _claim(c) for by, c in e.claims.items()},
        "claim_history": [_claim(c) for c in e.claim_history],
        "allegations": [{"by": f.by, "against": f.against, "grounds": f.grounds,
                         **_dated(f.on, f.precision)} for f in e.allegations],
        "concessions": {by: _concession(c) for by, c in e.concessions.items()},
        "concession_history": [_concession(c) for c in e.concession_history],
        "annulled": e.annulled,
        "annulments": [{"by": a.by, "grounds": a.grounds, "districts": list(a.districts),
                        **_dated(a.on, a.precision)} for a in e.annulments],
        "reschedulings": [{"by": r.by, "from": _iso(r.previous), "to": _iso(r.to),
                           "reason": r.reason, **_dated(r.on, r.precision)}
                          for r in e.reschedulings],
        "assessments": {by: _assessment(a) for by, a in e.assessments.items()},
        "assessment_history": [_assessment(a) for a in e.assessment_history],
        "audits": {
            aid: {"by": a.by, "status": a.status.value, "finding": a.finding,
                  "upholds": a.upholds}
            for aid, a in e.audits.items()
        },
        "recognitions": {by: _stance(s) for by, s in state.recognitions(e.id).items()},
        "data": e.data.value,
        "transparency_demands": [{"by": by, "of": of} for by, of in e.transparency_demands],
    }


def _offer(o: Offer) -> dict[str, Any]:
    return {
        "by": o.by,
        "to": list(o.to),
        "beneficiaries": list(o.beneficiaries),
        "conditions": list(o.conditions),
        "formal": o.formal,
        "status": o.status.value,
        "proposed_on": _iso(o.proposed_on),
        "proposed_precision": o.proposed_precision.value,
        "resolved_on": _iso(o.resolved_on),
        "resolved_precision": o.resolved_precision.value,
        "resolved_by": o.resolved_by,
    }


def _ledger(g: Ledger) -> dict[str, Any]:
    return {
        "detained": _tally(g.detained),
        "released": _tally(g.released),
        "conditionally_released": _tally(g.conditionally_released),
        "conditions": list(g.conditions),
        "held": g.held,
        "held_range": g.held_range.to_json(),
    }


def snapshot_dict(state: CrisisState) -> dict[str, Any]:
    """The state as plain, JSON-able data with a fixed shape (documented in docs/cli.md).

    Dates are ISO strings, enums their values, unknown numbers ``None``;
    mappings are keyed by id.  ``slices`` holds each registered state slice that
    differs from its initial value, in the form its ``to_json`` hook gives (see
    :func:`~crisis_model.state_slice`).
    """
    i = state.incidents
    doc = {
        "version": state.version,
        "reached": _iso(state.as_of),
        "actors": {aid: _actor(a) for aid, a in state.actors.items()},
        "elections": {eid: _election(e, state) for eid, e in state.elections.items()},
        "offers": {oid: _offer(o) for oid, o in state.offers.items()},
        "ledgers": {gid: _ledger(g) for gid, g in state.ledgers.items()},
        "incidents": {
            "protests": i.protests,
            "crackdowns": i.crackdowns,
            "deaths": _tally(i.deaths),
            "injuries": _tally(i.injuries),
            "arrests": _tally(i.arrests),
            "harassment_reports": i.harassment_reports,
        },
        "slices": {view.name: view.json(value) for view, value in shown_slices(state)},
    }
    return doc


# -- diff -----------------------------------------------------------------------------------------


@attrs.frozen
class Change:
    """One difference between two states.

    ``section`` is ``"actor"``, ``"election"``, ``"offer"``, ``"ledger"``,
    ``"incidents"`` or ``"slice"``; ``subject`` the id within it (``None`` for
    incidents; the slice's name for a slice);
    ``field`` a dotted path into :func:`snapshot_dict`'s record (empty when the
    whole subject appears or disappears); ``before`` and ``after`` plain
    values (``None`` when absent).
    """

    section: str
    subject: str | None
    field: str
    before: Any
    after: Any

    @property
    def added(self) -> bool:
        """Whether the whole subject appears (absent before)."""
        return self.field == "" and self.before is None

    @property
    def removed(self) -> bool:
        """Whether the whole subject disappears (absent after)."""
        return self.field == "" and self.after is None


_SECTIONS = (("actor", "actors"), ("election", "elections"), ("offer", "offers"),
             ("ledger", "ledgers"), ("slice", "slices"))


def _walk(before: Any, after: Any, path: str) -> Iterable[tuple[str, Any, Any]]:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in dict.fromkeys([*before, *after]):
            sub = f"{path}.{key}" if path else str(key)
            if key not in before:
                yield sub, None, after[key]
            elif key not in after:
                yield sub, before[key], None
            else:
                yield from _walk(before[key], after[key], sub)
    elif before != after:
        yield path, before, after


def diff(before: CrisisState, after: CrisisState) -> list[Change]:
    """Every difference between two states, per actor, election, offer, ledger and
    state slice, then the incident counters (field by field, in a stable order)."""
    a, b = snapshot_dict(before), snapshot_dict(after)
    out: list[Change] = []
    for section, key in _SECTIONS:
        old, new = a[key], b[key]
        for subject in dict.fromkeys([*old, *new]):
            if section == "slice":  # a slice is always there: compare its contents
                out.extend(Change(section, subject, path, x, y) for path, x, y in
                           _walk(old.get(subject, {}), new.get(subject, {}), ""))
            elif subject not in old:
                out.append(Change(section, subject, "", None, new[subject]))
            elif subject not in new:
                out.append(Change(section, subject, "", old[subject], None))
            else:
                out.extend(
                    Change(section, subject, path, x, y)
                    for path, x, y in _walk(old[subject], new[subject], "")
                )
    out.extend(
        Change("incidents", None, path, x, y)
        for path, x, y in _walk(a["incidents"], b["incidents"], "")
    )
    return out
