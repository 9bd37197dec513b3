"""What a report shows, derived from a replayed history through the public API only.

Nothing here renders: :func:`build` turns events (and optionally a base
scenario and an "as of" date) into plain records that ``_html`` draws and
``timelinejs`` exports.  State over time is sampled at every date an event
begins, each sample exactly what :meth:`crisis_model.History.state_at` answers
for that day (brought forward from the day before with ``cm.evolve``).
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .._event import Event, Precision
from .._trail import Trail
from ..history import History
from ..query import (
    Change,
    actors_involved,
    describe,
    diff,
    format_date,
    included_events,
    uncertain_events,
)
from ..record import as_known
from ..reducer import evolve, paused_gc, registry
from ..scenario import Scenario, Source
from ..state import (
    ActorKind,
    ActorState,
    AsylumStatus,
    CrisisState,
    Stance,
    StanceKind,
    Whereabouts,
)
from ._scale import after

__all__ = [
    "BAND_KINDS",
    "BandKind",
    "BandRow",
    "Branch",
    "Mark",
    "ReportModel",
    "Segment",
    "build",
    "plain",
]

#: ``name(actor id) -> display name``.
Namer = Callable[[str | None], str]


@attrs.frozen
class Mark:
    """One event as the report draws it."""

    index: int
    event: Event
    start: _dt.date
    #: The last day of the event's window (inclusive).
    end: _dt.date
    date_text: str
    summary: str
    sources: tuple[str, ...]
    #: The actor lane the event is drawn in (``None``: the crisis-wide lane).
    lane: str | None
    #: Other actors the event involves (drawn as echoes in their lanes).
    echoes: tuple[str, ...]
    uncertain: bool = False
    branch_only: bool = False
    #: The rules' problems when lenient replay rejected the event.
    problems: tuple[str, ...] = ()

    @property
    def tag(self) -> str:
        """The event's type tag."""
        return self.event.event_tag

    @property
    def family(self) -> str:
        """The first part of the tag (``"movement"`` for ``"movement.left_country"``)."""
        return self.tag.split(".", 1)[0] if self.tag else "event"


@attrs.frozen
class Segment:
    """A stretch of time over which one band kept one value: ``[start, end)``."""

    start: _dt.date
    end: _dt.date
    text: str
    style: str


@attrs.frozen
class BandRow:
    """One band: an actor's (or the crisis's) state of one kind over time."""

    actor: str | None
    kind: str
    label: str
    segments: tuple[Segment, ...]


#: ``rows(actor, state, name) -> [(row label, text, style), ...]``.
BandRows = Callable[[ActorState, CrisisState, Namer], Iterable[tuple[str, str, str]]]


def _bool_or_predicate(name: str, value: object) -> None:
    if not (isinstance(value, bool) or callable(value)):
        raise TypeError(f"{name} must be True, False or a predicate of an actor, "
                        f"got {value!r}")


@attrs.frozen
class BandKind:
    """A kind of per-actor state the report draws as bands.

    ``rows`` reads an actor in a state and yields one ``(label, text, style)``
    per band row it has a value for (nothing: no band at that time).  Adding a
    kind of state to the report is adding an entry to :data:`BAND_KINDS`.
    """

    key: str
    label: str
    rows: BandRows
    #: Whether ``rows`` reads more of the state than the actor (and the names ``name``
    #: gives), or a predicate saying so for one actor.  Rows that read only the actor
    #: are read again only on a day the actor's record changed; the others on every
    #: day of the samples.  ``True`` (the default) is always right; ``False`` makes a
    #: long report of many actors much faster.
    reads_state: bool | Callable[[ActorState], bool] = attrs.field(
        default=True, validator=lambda _, a, v: _bool_or_predicate(a.name, v))


def _country_name(code: str | None, state: CrisisState) -> str | None:
    """The name of the foreign government whose country is ``code``, if one is known."""
    if code is None:
        return None
    actors = state.actors
    last = _COUNTRIES[0]  # one read: a pair another thread may replace, never half-done
    if last[0] is not actors:  # the first foreign government of each country, by code
        names: dict[str, str] = {}
        for actor in actors.values():
            if actor.kind is ActorKind.FOREIGN_GOVERNMENT and actor.country is not None:
                names.setdefault(actor.country, actor.name)
        last = _COUNTRIES[0] = (actors, names)
    name = last[1].get(code)
    return code if name is None else f"{name} ({code})"


#: The actors map :func:`_country_name` read last, with the names of its countries'
#: governments (a report asks about the same state for every exile).
_COUNTRIES: list[tuple[Any, dict[str, str]]] = [(None, {})]


#: Kinds of actor whose whereabouts mean something (people and groups of people).
_MOBILE = frozenset({ActorKind.PERSON, ActorKind.GROUP})


def _whereabouts(a: ActorState, state: CrisisState, name: Namer) -> Iterable[tuple[str, str, str]]:
    w = a.whereabouts
    if a.kind not in _MOBILE and w is Whereabouts.AT_LARGE and not a.location:
        return
    place = _country_name(a.location, state) if w is Whereabouts.IN_EXILE else a.location
    text = {
        Whereabouts.AT_LARGE: "at large",
        Whereabouts.IN_HIDING: "in hiding",
        Whereabouts.DETAINED: "detained",
        Whereabouts.IN_EMBASSY: "in an embassy",
        Whereabouts.IN_EXILE: "in exile",
        Whereabouts.UNKNOWN: "whereabouts unknown",
        Whereabouts.DECEASED: "deceased",
    }.get(w, str(w.value).replace("_", " "))
    yield "whereabouts", f"{text}: {place}" if place else text, f"w-{w.value}"


def _offices(a: ActorState, state: CrisisState, name: Namer) -> Iterable[tuple[str, str, str]]:
    if a.offices:
        yield "offices", "holds " + ", ".join(a.offices), "office"


def _asylum(a: ActorState, state: CrisisState, name: Namer) -> Iterable[tuple[str, str, str]]:
    if a.asylum is not None:
        status = a.asylum.status
        verb = {AsylumStatus.SOUGHT: "asylum sought from", AsylumStatus.GRANTED:
                "asylum granted by", AsylumStatus.DENIED: "asylum denied by",
                AsylumStatus.ENDED: "asylum ended with"}[status]
        yield "asylum", f"{verb} {name(a.asylum.host)}", f"asylum-{status.value}"


def _jeopardy(a: ActorState, state: CrisisState, name: Namer) -> Iterable[tuple[str, str, str]]:
    j = a.jeopardy
    parts = []
    if j.threatened:
        parts.append("threatened with arrest")
    if j.wanted:
        parts.append("wanted (arrest warrant)")
    if j.charged:
        parts.append("charged: " + ", ".join(j.charged))
    if j.disqualified_from:
        parts.append("barred from " + ", ".join(j.disqualified_from))
    if parts:
        yield "legal jeopardy", "; ".join(parts), "jeopardy-wanted" if (
            j.wanted or j.charged) else "jeopardy"


def stance_text(s: Stance, name: Namer) -> str:
    """A stance in a few words."""
    if s.kind is StanceKind.RECOGNISES:
        return f"recognises {name(s.winner)}"
    if s.kind is StanceKind.WITHHOLDS:
        return "withholds recognition" + (f" until {s.condition}" if s.condition else "")
    return "rejects the declared result"


def _stances(a: ActorState, state: CrisisState, name: Namer) -> Iterable[tuple[str, str, str]]:
    for election, s in a.stances.items():
        yield f"stance on {election}", stance_text(s, name), f"stance-{s.kind.value}"


#: The kinds of per-actor state drawn as bands, in the order they are drawn.
BAND_KINDS: list[BandKind] = [
    # An exile's host country is named from the state (its foreign government).
    BandKind("whereabouts", "Whereabouts", _whereabouts,
             reads_state=lambda a: a.whereabouts is Whereabouts.IN_EXILE),
    BandKind("offices", "Offices held", _offices, reads_state=False),
    BandKind("asylum", "Asylum", _asylum, reads_state=False),
    BandKind("jeopardy", "Legal jeopardy", _jeopardy, reads_state=False),
    BandKind("stances", "Stances on elections", _stances, reads_state=False),
]


def plain(value: Any, *, depth: int = 0, limit: int = 400) -> str:
    """Any value in plain words, for state the report knows nothing specific about.

    Enums give their value, attrs records and mappings ``key: value`` pairs,
    sequences comma-separated items; nesting and length are bounded.
    """
    text = _plain(value, depth)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any, depth: int) -> str:
    if depth > 4:
        return "…"
    if value is None:
        return "none"
    if isinstance(value, enum.Enum):
        return _plain(value.value, depth + 1)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        parts = [f"{f.name}: {_plain(getattr(value, f.name), depth + 1)}"
                 for f in attrs.fields(type(value))]
        return "; ".join(parts) if parts else type(value).__name__
    if isinstance(value, Mapping):
        items = list(value.items())[:50]
        if not items:
            return "(empty)"
        return "; ".join(f"{_plain(k, depth + 1)}: {_plain(v, depth + 1)}" for k, v in items)
    if isinstance(value, tuple | list | frozenset | set | Trail):
        items = list(value)[:50]
        return ", ".join(_plain(v, depth + 1) for v in items) if items else "(none)"
    return str(value)


@attrs.frozen
class Branch:
    """How a what-if branch relates to its base."""

    base_title: str
    #: How many leading events the two logs share.
    shared: int
    #: The date of the branch's first own event (``None``: the branch adds nothing).
    departs_on: _dt.date | None
    departs_text: str | None
    base_only: tuple[Mark, ...]
    branch_only: tuple[int, ...]
    changes: tuple[Change, ...]
    base_state: CrisisState


@attrs.frozen
class ReportModel:
    """Everything a report shows."""

    title: str
    description: str
    scenario_id: str
    file_name: str | None
    events_total: int
    marks: tuple[Mark, ...]
    #: The actors with a lane, in the order they were introduced.
    actors: tuple[ActorState, ...]
    final: CrisisState
    #: ``(day, state as of day)`` for every day an event shown begins, in order.
    samples: tuple[tuple[_dt.date, CrisisState], ...]
    #: The first and last day of the time axis (inclusive).
    start: _dt.date
    end: _dt.date
    #: The day after the last day the bands cover.
    bands_end: _dt.date
    as_of: _dt.date | None
    sources: Mapping[str, Source]
    bands: tuple[BandRow, ...]
    slice_bands: tuple[BandRow, ...]
    branch: Branch | None
    names: Mapping[str, str]
    #: For each sample, the actors whose record changed since the sample before (new
    #: ones included), in the order they were introduced: what a view of the actors
    #: over time needs to read again.
    changes: tuple[tuple[str, ...], ...]

    def name(self, actor: str | None) -> str:
        """An actor's display name (its id when unknown; ``"-"`` for none)."""
        if actor is None:
            return "-"
        return self.names.get(actor, actor)


def _events_of(scenario: Scenario | Iterable[Event]) -> tuple[Event, ...]:
    return scenario.events if isinstance(scenario, Scenario) else tuple(scenario)


def _first_actor_field_is_new(event: Event) -> bool:
    for _, spec in registry.ref_fields(type(event)):
        if spec.kind == "actor":
            return spec.new
    return False


def _marks(
    events: Sequence[Event],
    shown: Iterable[int],
    names: Mapping[str, str],
    lanes: Mapping[str, Any],
    uncertain: frozenset[int],
    branch_only: frozenset[int],
    problems: Mapping[int, tuple[str, ...]],
) -> tuple[Mark, ...]:
    out = []
    for index in shown:
        event = events[index]
        involved = [a for a in actors_involved(event) if a in lanes]
        lane = involved[0] if involved else None
        echoes = () if _first_actor_field_is_new(event) else tuple(involved[1:])
        first, last = event.window
        out.append(Mark(
            index=index, event=event, start=first, end=last,
            date_text=format_date(event.occurred_on, event.precision, event.until),
            summary=describe(event, names), sources=event.sources,
            lane=lane, echoes=echoes, uncertain=index in uncertain,
            branch_only=index in branch_only, problems=problems.get(index, ()),
        ))
    return tuple(out)


def _segments(values: Sequence[tuple[_dt.date, tuple[str, str] | None]],
              end: _dt.date) -> tuple[Segment, ...]:
    """The stretches of ``values`` (``(day, value)`` in order of day, a value holding until
    the next day given, the last until ``end``; ``None``: no value), equal neighbours
    joined."""
    out: list[Segment] = []
    for k, (day, value) in enumerate(values):
        stop = values[k + 1][0] if k + 1 < len(values) else end
        if value is None or stop <= day:
            continue
        if out and out[-1].end == day and (out[-1].text, out[-1].style) == value:
            out[-1] = attrs.evolve(out[-1], end=stop)
        else:
            out.append(Segment(day, stop, value[0], value[1]))
    return tuple(out)


#: A band row's key: (actor id, band kind's key, row label).
_RowKey = tuple[str, str, str]


def _changes(samples: Sequence[tuple[_dt.date, CrisisState]]) -> tuple[tuple[str, ...], ...]:
    """For each sample, the actors whose record is not the one of the sample before (those
    new that day included, and any no longer there), in the order they were introduced.

    States share structure: an actor's record that did not change is the same object,
    so this is one identity test per actor and day, and everything the report reads
    per actor is read again only for these."""
    out: list[tuple[str, ...]] = []
    last: Any = None
    for _, state in samples:
        actors = state.actors
        if last is None:
            found = list(actors)
        elif actors is last:
            out.append(())
            continue
        else:
            get = last.get
            found = [k for k, v in actors.items() if get(k) is not v]
            if len(actors) - sum(1 for k in found if k not in last) != len(last):
                found += [k for k in last if k not in actors]  # gone (no built-in does it)
        out.append(tuple(found))
        last = actors
    return tuple(out)


def _bands(samples: Sequence[tuple[_dt.date, CrisisState]],
           changes: Sequence[tuple[str, ...]], actors: Sequence[ActorState],
           end: _dt.date, name: Namer) -> tuple[BandRow, ...]:
    """Each actor's band rows over the samples (``changes``: :func:`_changes`).

    A row's values are kept as changes only (the day a value begins, ``None`` where
    the row stops), and an actor's rows are read on the days its record changed,
    not on every day: the work is the changes, not the days times the actors.  A
    kind that reads the state (``reads_state``) is read again on every day for the
    actors it says so of.
    """
    kinds = list(BAND_KINDS)
    everything = list(enumerate(kinds))
    rows: dict[_RowKey, list[tuple[_dt.date, tuple[str, str] | None]]] = {}
    #: actor id -> per kind, its rows' values on the last day they were read.
    seen: dict[str, list[dict[str, tuple[str, str]]]] = {}
    #: actor id -> the kinds to read again each day while its record stays the same.
    watched: dict[str, list[tuple[int, BandKind]]] = {}
    wanted = {a.id for a in actors}

    def read(aid: str, current: ActorState, state: CrisisState, day: _dt.date,
             which: Iterable[tuple[int, BandKind]]) -> None:
        old = seen.get(aid)
        if old is None:
            old = seen[aid] = [{} for _ in kinds]
        for k, kind in which:
            found = {label: (text, style)
                     for label, text, style in kind.rows(current, state, name)}
            before = old[k]
            if found == before:
                continue
            old[k] = found
            for label, value in found.items():
                if before.get(label) != value:
                    rows.setdefault((aid, kind.key, label), []).append((day, value))
            for label in before:
                if label not in found:
                    rows[(aid, kind.key, label)].append((day, None))

    for (day, state), changed in zip(samples, changes, strict=True):
        get = state.actors.get
        for aid in changed:
            if aid not in wanted:
                continue
            current = get(aid)
            if current is None:  # no longer in the state: its rows stop
                for kind, gone in zip(kinds, seen.pop(aid, ()), strict=False):
                    for label in gone:
                        rows[(aid, kind.key, label)].append((day, None))
                watched.pop(aid, None)
                continue
            read(aid, current, state, day, everything)
            again = [(k, kind) for k, kind in everything if _reads_state(kind, current)]
            if again:
                watched[aid] = again
            else:
                watched.pop(aid, None)
        if watched:
            now = set(changed)
            for aid, again in list(watched.items()):
                current = get(aid)
                if aid not in now and current is not None:
                    read(aid, current, state, day, again)
    by_actor: dict[tuple[str, str], list[tuple[str, list[tuple[_dt.date, Any]]]]] = {}
    for (aid, key, label), values in rows.items():
        by_actor.setdefault((aid, key), []).append((label, values))
    out = []
    for a in actors:
        for kind in BAND_KINDS:
            for label, values in by_actor.get((a.id, kind.key), ()):
                segments = _segments(values, end)
                if segments:
                    out.append(BandRow(a.id, kind.key, label, segments))
    return tuple(out)


def _reads_state(kind: BandKind, actor: ActorState) -> bool:
    """Whether ``kind``'s rows for ``actor`` read more of the state than the actor."""
    reads = kind.reads_state
    return reads if isinstance(reads, bool) else bool(reads(actor))


def _samples(history: History, days: Sequence[_dt.date],
             ) -> tuple[tuple[_dt.date, CrisisState], ...]:
    """``(day, history.state_at(day))`` for each of ``days`` (in order), each state brought
    forward from the one before by the events that count from then on: every event is
    applied once in all (``state_at`` on each day would replay up to a checkpoint's worth
    of events for each)."""
    rejected = {a.index for a in history.anomalies}
    state = history.snapshot(-1)
    done = 0
    out = []
    # Every sample is kept: a collection while they pile up walks them all, again and
    # again (states cannot form cycles; see paused_gc).
    with paused_gc():
        for day in days:
            stop = history.count_at(day)
            for i in range(done, stop):
                if i not in rejected:
                    state = evolve(state, history[i])
            done = max(done, stop)
            out.append((day, state))
    return tuple(out)


def _slice_bands(samples: Sequence[tuple[_dt.date, CrisisState]],
                 end: _dt.date) -> tuple[BandRow, ...]:
    """A band per state slice that ever differs from its initial value, in the words of
    its ``render`` hook (see :func:`crisis_model.state_slice`), under its title."""
    names: list[str] = []
    for _, state in samples:
        names.extend(n for n in state.slices if n not in names)
    out = []
    for slice_name in names:
        initial = registry.slices.get(slice_name, _NO_INITIAL)
        if all(state.slices.get(slice_name, initial) == initial for _, state in samples):
            continue  # never changed: nothing to draw
        view = registry.slice_views.get(slice_name)
        values: list[tuple[_dt.date, tuple[str, str] | None]] = []
        previous, shade = None, 0
        # The text of the last value drawn, and the actors its render hook named (by id,
        # with their records then): the same value naming the same records gives the
        # same text, so a slice that did not change is not drawn again.
        last_value: Any = _NO_INITIAL
        last_text = ""
        named: dict[str, ActorState | None] = {}
        for day, state in samples:
            if slice_name not in state.slices:
                values.append((day, None))
                continue
            value = state.slices[slice_name]
            get = state.actors.get
            if value is last_value and all(get(a) is r for a, r in named.items()):
                text = last_text
            elif view is not None and view.render is not None:
                named = {}
                text = _joined_clip(view.render(value, _namer(state, named)), 200)
            else:
                named = {}
                text = plain(value, limit=200)
            last_value, last_text = value, text
            if text != previous:
                shade, previous = 1 - shade, text
            values.append((day, (text, f"generic-{shade}")))
        segments = _segments(values, end)
        if segments:
            label = view.title if view is not None else slice_name
            out.append(BandRow(None, "slice", label, segments))
    return tuple(out)


_NO_INITIAL = object()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _joined_clip(parts: Iterable[str], limit: int) -> str:
    """``_clip("; ".join(parts), limit)``, reading no more of ``parts`` than the clipped text
    shows (a slice's render hook may yield its lines lazily)."""
    taken: list[str] = []
    size = -2
    for part in parts:
        taken.append(part)
        size += len(part) + 2
        if size > limit:
            break
    return _clip("; ".join(taken), limit)


def _namer(state: CrisisState, named: dict[str, ActorState | None] | None = None,
           ) -> Callable[[str | None], str]:
    """Names as of ``state`` (``named``: where to note each actor asked about, with its
    record)."""
    def name(actor: str | None) -> str:
        if actor is None:
            return "unknown"
        a = state.actors.get(actor)
        if named is not None:
            named[actor] = a
        return actor if a is None else a.name
    return name


def _departure(base: Sequence[Event], branch: Sequence[Event]) -> int:
    shared = 0
    for a, b in zip(base, branch, strict=False):
        if a != b:
            break
        shared += 1
    return shared


def build(
    scenario: Scenario | Iterable[Event],
    *,
    base: Scenario | Iterable[Event] | None = None,
    as_of: _dt.date | None = None,
    known_on: _dt.date | None = None,
    lenient: bool = False,
    title: str | None = None,
    sources: Mapping[str, Source] | None = None,
) -> ReportModel:
    """Derive everything a report shows (raises ``RuleViolation`` unless ``lenient``)."""
    events = _events_of(scenario)
    meta = scenario if isinstance(scenario, Scenario) else None
    if known_on is not None:
        cited = sources if sources is not None else (meta.sources if meta else None)
        events = as_known(events, known_on, sources=cited).events
        if base is not None:
            base_cited = base.sources if isinstance(base, Scenario) else cited
            base = as_known(_events_of(base), known_on, sources=base_cited).events
    if meta is not None and not lenient:
        meta.replay()  # a ScenarioRuleViolation names the file and line
    history = History(events, strict=not lenient)
    problems = {a.index: tuple(str(p) for p in a.problems) for a in history.anomalies}
    if as_of is None:
        shown: list[int] = list(range(len(events)))
        final = history.final
        uncertain: frozenset[int] = frozenset()
    else:
        # The events certain by then (the state), those that may have happened by then
        # (marked uncertain: the state leaves them out), and the rejected ones begun.
        included = {i for i, _ in included_events(events, as_of)}
        uncertain = frozenset(i for i, _ in uncertain_events(events, as_of))
        shown = [i for i, e in enumerate(events)
                 if i in included or i in uncertain or (i in problems and e.occurred_on <= as_of)]
        final = history.state_at(as_of)
    names = {aid: a.name for aid, a in final.actors.items()}

    def name(actor: str | None) -> str:
        return "-" if actor is None else names.get(actor, actor)

    branch_info: Branch | None = None
    branch_only: frozenset[int] = frozenset()
    if base is not None:
        base_events = _events_of(base)
        shared = _departure(base_events, events)
        branch_only = frozenset(range(shared, len(events)))
        base_history = History(base_events, strict=not lenient)
        base_state = base_history.final if as_of is None else base_history.state_at(as_of)
        base_names = {**{a: s.name for a, s in base_state.actors.items()}, **names}
        base_problems = {a.index: tuple(str(p) for p in a.problems)
                         for a in base_history.anomalies}
        base_only = _marks(base_events, range(shared, len(base_events)), base_names, {},
                           frozenset(), frozenset(), base_problems)
        departs = events[shared] if shared < len(events) else None
        branch_info = Branch(
            base_title=base.title if isinstance(base, Scenario) else "the base log",
            shared=shared,
            departs_on=departs.occurred_on if departs is not None else None,
            departs_text=format_date(departs.occurred_on, departs.precision)
            if departs is not None else None,
            base_only=base_only,
            branch_only=tuple(sorted(branch_only)),
            changes=tuple(diff(base_state, final)),
            base_state=base_state,
        )

    actors = tuple(final.actors.values())
    lanes = {a.id: a for a in actors}
    marks = _marks(events, shown, names, lanes, uncertain, branch_only, problems)
    days = sorted({m.event.occurred_on for m in marks if not m.problems})
    samples = _samples(history, days)
    changes = _changes(samples)
    if marks:
        start = min(m.start for m in marks)
        end = max(m.end for m in marks)
    else:
        start = end = as_of or _dt.date(2000, 1, 1)
    if as_of is not None:
        start, end = min(start, as_of), max(end, as_of)
    bands_end = after(as_of if as_of is not None else end)
    all_sources: Mapping[str, Source] = dict(sources or {})
    if meta is not None and sources is None:
        all_sources = dict(meta.sources)
    return ReportModel(
        title=title if title is not None else (
            meta.title if meta is not None else "Crisis report"),
        description=meta.description if meta is not None else "",
        scenario_id=meta.id if meta is not None else "",
        file_name=_file_name(meta.path) if meta is not None else None,
        events_total=len(events),
        marks=marks,
        actors=actors,
        final=final,
        samples=samples,
        start=start,
        end=end,
        bands_end=bands_end,
        as_of=as_of,
        sources=all_sources,
        bands=_bands(samples, changes, actors, bands_end, name),
        changes=changes,
        slice_bands=_slice_bands(samples, bands_end),
        branch=branch_info,
        names=names,
    )


def _file_name(path: str | None) -> str | None:
    if not path:
        return None
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def precision_words(event: Event) -> str:
    """How precisely the event's date is known, with its window, in words."""
    first, last = event.window
    if event.until is not None:
        return f"a range of dates: {first.isoformat()} to {last.isoformat()}"
    if event.precision is Precision.DAY:
        return first.isoformat()
    unit = "month" if event.precision is Precision.MONTH else "year"
    return f"known only to the {unit}: {first.isoformat()} to {last.isoformat()}"
