"""Diplomacy: envoys expelled, recalled and departed; diplomatic relations severed and
restored.

Diplomatic missions and relations belong to countries, not to whichever government
speaks for them (a junta that expels an ambassador and the government that later
restores relations act for the same country), so both are keyed by ISO 3166 alpha-3
codes: a **mission** is one country's representation in another (``"FRA>NER"``: France's
embassy in Niger), **relations** are between two countries (``"FRA|NER"``, the codes in
order).  ``by`` names the actor that acted (a government, a council, a foreign
government); the country it acts for defaults to that actor's ``country``.

Expelling an envoy orders them out; it does not move them: their departure is its own
event (``diplomacy.envoy_departed``), and is not exile.  The state keeps every mission
and every pair's relations, each with its dated history, in the slice ``"diplomacy"``
(:func:`diplomacy`).
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref
from .._frozenmap import FrozenMap
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..countries import country_problem
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import ActorKind, CrisisState
from ._plain import Name, by_clause, day, day_json

__all__ = [
    "DIPLOMACY",
    "Diplomacy",
    "EnvoyDeparted",
    "EnvoyExpelled",
    "EnvoyRecalled",
    "Mission",
    "MissionEntry",
    "MissionStatus",
    "Relations",
    "RelationsEntry",
    "RelationsRestored",
    "RelationsSevered",
    "diplomacy",
    "mission_key",
    "relations_key",
]

#: The name of the slice that holds missions and relations.
DIPLOMACY = "diplomacy"


class MissionStatus(enum.Enum):
    """Where a mission's envoy stands, as of its latest step."""

    #: Ordered out by the host country (the envoy has not yet left, as far as the record goes).
    ORDERED_OUT = "ordered_out"
    #: Recalled by the sending country (not yet left).
    RECALLED = "recalled"
    #: The envoy has left the host country.
    DEPARTED = "departed"


def _code(value: str | None) -> str | None:
    return None if value is None else value.upper()


def mission_key(of_country: str, from_country: str) -> str:
    """The slice key of ``of_country``'s mission in ``from_country``: ``"FRA>NER"``."""
    return f"{of_country}>{from_country}"


def relations_key(a: str, b: str) -> str:
    """The slice key of the relations between two countries, in order: ``"FRA|NER"``."""
    return "|".join(sorted((a, b)))


@attrs.frozen(weakref_slot=False)
class MissionEntry:
    """One dated step of a mission: its envoy expelled, recalled or departed."""

    #: The step, as the status it leads to.
    status: MissionStatus
    #: The day of the step, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who took it (the host expelling, the sender recalling; empty for a departure).
    by: tuple[str, ...] = ()
    #: The envoy concerned (``None``: not named).
    envoy: str | None = None
    #: The date the envoy was told to leave by (expulsions only).
    deadline: _dt.date | None = None
    #: Why, in plain words.
    reason: str = ""


@attrs.frozen(weakref_slot=False)
class Mission:
    """One country's mission in another, as the record goes."""

    #: The sending country (ISO alpha-3).
    of_country: str
    #: The host country (ISO alpha-3).
    from_country: str
    #: The latest envoy named (``None``: none named yet).
    envoy: str | None
    #: Where the envoy stands after the latest step.
    status: MissionStatus
    #: Every step, in order.
    history: Sequence[MissionEntry] = ()
    #: The title of the post, in plain words ("ambassador"), if given.
    post: str = ""


@attrs.frozen(weakref_slot=False)
class RelationsEntry:
    """One dated step in two countries' relations."""

    #: Whether relations were severed (``True``) or restored (``False``) at this step.
    severed: bool
    #: The day of the step, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The country that took the step (ISO alpha-3).
    country: str = ""
    #: The actors that took it.
    by: tuple[str, ...] = ()
    #: Why, in plain words.
    reason: str = ""


@attrs.frozen(weakref_slot=False)
class Relations:
    """Two countries' diplomatic relations: severed or not, and every step."""

    #: The two countries (ISO alpha-3, in order).
    countries: tuple[str, str]
    #: Whether relations are severed now.
    severed: bool
    #: Every step, in order.
    history: Sequence[RelationsEntry] = ()


_NO_MISSIONS: FrozenMap[str, Mission] = FrozenMap()
_NO_RELATIONS: FrozenMap[str, Relations] = FrozenMap()


@attrs.frozen(weakref_slot=False)
class Diplomacy:
    """Missions (by :func:`mission_key`) and relations (by :func:`relations_key`)."""

    #: ``"FRA>NER"`` -> France's mission in Niger.
    missions: FrozenMap[str, Mission] = _NO_MISSIONS
    #: ``"FRA|NER"`` -> the two countries' relations.
    relations: FrozenMap[str, Relations] = _NO_RELATIONS


_EMPTY = Diplomacy()


def diplomacy(state: CrisisState | Draft) -> Diplomacy:
    """The missions and relations in ``state``."""
    value: Diplomacy = state.slices.get(DIPLOMACY, _EMPTY)
    return value


_STATUS_WORDS = {MissionStatus.ORDERED_OUT: "ordered out", MissionStatus.RECALLED: "recalled",
                 MissionStatus.DEPARTED: "left"}


def _render(value: Diplomacy, name: Name) -> list[str]:
    lines = []
    for m in value.missions.values():
        who = name(m.envoy) if m.envoy else f"the {m.post or 'envoy'}"
        steps = "; ".join(f"{_STATUS_WORDS[h.status]}{by_clause(h.by, name)} "
                          f"{day(h.on, h.precision)}"
                          + (f" (deadline {h.deadline.isoformat()})" if h.deadline else "")
                          for h in m.history)
        lines.append(f"{m.of_country} mission in {m.from_country}: {who}: {steps}")
    for r in value.relations.values():
        last = r.history[-1]
        lines.append(f"relations {r.countries[0]}-{r.countries[1]}: "
                     + ("severed" if r.severed else "restored")
                     + f" by {last.country} {day(last.on, last.precision)}")
    return lines


def _to_json(value: Diplomacy) -> dict[str, Any]:
    return {
        "missions": {k: {"of_country": m.of_country, "from_country": m.from_country,
                         "envoy": m.envoy, "post": m.post, "status": m.status.value,
                         "history": [{"status": h.status.value, "on": day_json(h.on),
                                      "precision": h.precision.value, "by": list(h.by),
                                      "envoy": h.envoy, "deadline": day_json(h.deadline),
                                      "reason": h.reason} for h in m.history]}
                     for k, m in value.missions.items()},
        "relations": {k: {"countries": list(r.countries), "severed": r.severed,
                          "history": [{"severed": h.severed, "on": day_json(h.on),
                                       "precision": h.precision.value, "country": h.country,
                                       "by": list(h.by), "reason": h.reason}
                                      for h in r.history]}
                      for k, r in value.relations.items()},
    }


state_slice(DIPLOMACY, _EMPTY, title="Diplomacy", render=_render, to_json=_to_json)


# -- the event types ------------------------------------------------------------------------


@event_type("diplomacy.envoy_expelled", version=1)
@attrs.frozen(kw_only=True)
class EnvoyExpelled(Event):
    """``by`` (the host's authorities) orders ``of_country``'s envoy out of ``from_country``
    (default: ``by``'s country), perhaps by a ``deadline``.

    ``envoy`` names the person if known; ``post`` is their title ("ambassador").  An
    order repeated (a second ultimatum) is kept as another step; the envoy's leaving is
    ``diplomacy.envoy_departed``.
    """

    by: str | tuple[str, ...] = ref("actor", converter=joint)
    of_country: str = attrs.field(converter=_code)
    from_country: str | None = attrs.field(default=None, converter=_code)
    envoy: str | None = ref("actor", default=None)
    post: str = ""
    deadline: _dt.date | None = None
    reason: str = ""


@event_type("diplomacy.envoy_recalled", version=1)
@attrs.frozen(kw_only=True)
class EnvoyRecalled(Event):
    """``by`` (the sending country's authorities) recalls its envoy from ``from_country``;
    the country recalling is ``of_country`` (default: ``by``'s country)."""

    by: str | tuple[str, ...] = ref("actor", converter=joint)
    from_country: str = attrs.field(converter=_code)
    of_country: str | None = attrs.field(default=None, converter=_code)
    envoy: str | None = ref("actor", default=None)
    post: str = ""
    reason: str = ""


@event_type("diplomacy.envoy_departed", version=1)
@attrs.frozen(kw_only=True)
class EnvoyDeparted(Event):
    """``of_country``'s envoy leaves ``from_country`` (after an expulsion or a recall, or
    on their own).  A diplomat leaving a post is not going into exile: their whereabouts
    are unchanged."""

    of_country: str = attrs.field(converter=_code)
    from_country: str = attrs.field(converter=_code)
    envoy: str | None = ref("actor", default=None)
    post: str = ""


@event_type("diplomacy.relations_severed", version=1)
@attrs.frozen(kw_only=True)
class RelationsSevered(Event):
    """``by``, for ``country`` (default: ``by``'s country), breaks off diplomatic relations
    with ``with_country``."""

    by: str | tuple[str, ...] = ref("actor", converter=joint)
    with_country: str = attrs.field(converter=_code)
    country: str | None = attrs.field(default=None, converter=_code)
    reason: str = ""


@event_type("diplomacy.relations_restored", version=1)
@attrs.frozen(kw_only=True)
class RelationsRestored(Event):
    """``by``, for ``country`` (default: ``by``'s country), restores diplomatic relations
    with ``with_country``, which were severed."""

    by: str | tuple[str, ...] = ref("actor", converter=joint)
    with_country: str = attrs.field(converter=_code)
    country: str | None = attrs.field(default=None, converter=_code)
    reason: str = ""


_Acting = EnvoyExpelled | EnvoyRecalled | RelationsSevered | RelationsRestored


def acting_country(state: CrisisState | Draft, e: _Acting) -> str | None:
    """The country ``e``'s ``by`` acts for: given on the event, else the first of ``by``'s
    actors with a country."""
    given = e.from_country if isinstance(e, EnvoyExpelled) else (
        e.of_country if isinstance(e, EnvoyRecalled) else e.country)
    if given is not None:
        return given
    for a in actors_of(e.by):
        country = state.actors[a].country
        if country is not None:
            return country
    return None


def _pair(state: CrisisState | Draft, e: EnvoyExpelled | EnvoyRecalled | EnvoyDeparted
          ) -> tuple[str, str]:
    """(sending, host) country codes of the mission ``e`` concerns."""
    if isinstance(e, EnvoyExpelled):
        return e.of_country, acting_country(state, e) or ""
    if isinstance(e, EnvoyRecalled):
        return acting_country(state, e) or "", e.from_country
    return e.of_country, e.from_country


# -- rules ----------------------------------------------------------------------------------


_FIELDS = {EnvoyExpelled: ("of_country", "from_country"),
           EnvoyRecalled: ("from_country", "of_country"),
           EnvoyDeparted: ("of_country", "from_country"),
           RelationsSevered: ("with_country", "country"),
           RelationsRestored: ("with_country", "country")}


@rule(EnvoyExpelled, EnvoyRecalled, EnvoyDeparted, RelationsSevered, RelationsRestored)
def diplomacy_countries(
    state: CrisisState, e: _Acting | EnvoyDeparted
) -> list[str] | None:
    problems = []
    named, acting = _FIELDS[type(e)]
    for field in (named, acting):
        code = getattr(e, field)
        if code is not None:
            problem = country_problem(code, field)
            if problem:
                problems.append(problem)
    if problems:
        return problems
    other: str | None = None
    if isinstance(e, EnvoyDeparted):
        other = e.from_country
    else:
        other = acting_country(state, e)
        if other is None:
            return [f"give {acting}: none of {', '.join(repr(a) for a in actors_of(e.by))} "
                    "has a country to act for"]
    if other == getattr(e, named):
        return [f"{named} and {acting} are both {other}: diplomacy is between two countries"]
    return None


@rule(EnvoyExpelled, EnvoyRecalled, EnvoyDeparted)
def envoy_is_person(state: CrisisState, e: EnvoyExpelled | EnvoyRecalled | EnvoyDeparted
                    ) -> str | None:
    if e.envoy is None:
        return None
    a = state.actors[e.envoy]
    if a.kind is not ActorKind.PERSON:
        return f"envoy {e.envoy!r} ({a.name}) is a {a.kind.value}, not a person"
    if a.death is not None:
        return f"envoy {e.envoy!r} died on {a.death.on.isoformat()}"
    return None


@rule(EnvoyExpelled, EnvoyRecalled, EnvoyDeparted)
def envoy_still_there(state: CrisisState, e: EnvoyExpelled | EnvoyRecalled | EnvoyDeparted
                      ) -> str | None:
    sender, host = _pair(state, e)
    m = diplomacy(state).missions.get(mission_key(sender, host))
    if m is None or m.status is not MissionStatus.DEPARTED:
        return None
    if e.envoy is not None and e.envoy != m.envoy:
        return None  # a new envoy, since
    last = m.history[-1]
    who = repr(m.envoy) if m.envoy else f"{sender}'s envoy"
    return (f"{who} already left {host} on {day(last.on, last.precision)}; name the new "
            "envoy (envoy) if another was sent since")


@rule(EnvoyExpelled)
def deadline_after_order(state: CrisisState, e: EnvoyExpelled) -> str | None:
    if e.deadline is not None and e.deadline < e.occurred_on:
        return f"deadline {e.deadline.isoformat()} is before the order itself ({e.occurred_on})"
    return None


@rule(RelationsSevered)
def not_already_severed(state: CrisisState, e: RelationsSevered) -> str | None:
    country = acting_country(state, e) or ""
    r = diplomacy(state).relations.get(relations_key(country, e.with_country))
    if r is not None and r.severed:
        last = r.history[-1]
        return (f"relations between {country} and {e.with_country} are already severed "
                f"(since {day(last.on, last.precision)})")
    return None


@rule(RelationsRestored)
def restore_severed(state: CrisisState, e: RelationsRestored) -> str | None:
    country = acting_country(state, e) or ""
    r = diplomacy(state).relations.get(relations_key(country, e.with_country))
    if r is None or not r.severed:
        return (f"relations between {country} and {e.with_country} are not severed: "
                "only severed relations are restored")
    return None


# -- handlers -------------------------------------------------------------------------------


def _step(draft: Draft, e: EnvoyExpelled | EnvoyRecalled | EnvoyDeparted,
          status: MissionStatus, by: tuple[str, ...], deadline: _dt.date | None = None,
          reason: str = "") -> None:
    sender, host = _pair(draft, e)
    key = mission_key(sender, host)
    record = diplomacy(draft)
    entry = MissionEntry(status, e.occurred_on, e.precision, by, e.envoy, deadline, reason)
    old = record.missions.get(key)
    if old is None:
        m = Mission(sender, host, e.envoy, status, (entry,), e.post)
    else:
        m = attrs.evolve(old, envoy=e.envoy or old.envoy, status=status,
                         history=appended(old.history, entry), post=e.post or old.post)
    draft.set_slice(DIPLOMACY, attrs.evolve(record, missions=record.missions.set(key, m)))


@handler(EnvoyExpelled)
def _expelled(draft: Draft, e: EnvoyExpelled) -> None:
    _step(draft, e, MissionStatus.ORDERED_OUT, actors_of(e.by), e.deadline, e.reason)


@handler(EnvoyRecalled)
def _recalled(draft: Draft, e: EnvoyRecalled) -> None:
    _step(draft, e, MissionStatus.RECALLED, actors_of(e.by), reason=e.reason)


@handler(EnvoyDeparted)
def _departed(draft: Draft, e: EnvoyDeparted) -> None:
    _step(draft, e, MissionStatus.DEPARTED, ())


def _relations(draft: Draft, e: RelationsSevered | RelationsRestored, severed: bool) -> None:
    country = acting_country(draft, e) or ""
    a, b = sorted((country, e.with_country))
    key = relations_key(a, b)
    record = diplomacy(draft)
    entry = RelationsEntry(severed, e.occurred_on, e.precision, country, actors_of(e.by),
                           e.reason)
    old = record.relations.get(key)
    history = appended(() if old is None else old.history, entry)
    r = Relations((a, b), severed, history)
    draft.set_slice(DIPLOMACY, attrs.evolve(record, relations=record.relations.set(key, r)))


@handler(RelationsSevered)
def _severed(draft: Draft, e: RelationsSevered) -> None:
    _relations(draft, e, True)


@handler(RelationsRestored)
def _restored(draft: Draft, e: RelationsRestored) -> None:
    _relations(draft, e, False)


# -- summaries ------------------------------------------------------------------------------


def _envoy(e: EnvoyExpelled | EnvoyRecalled | EnvoyDeparted, country: str | None,
           name: Name) -> str:
    title = e.post or "envoy"
    return (f"{country}'s {title}" if country else f"the {title}") + (
        f" {name(e.envoy)}" if e.envoy else "")


@summarizer(EnvoyExpelled)
def _expelled_summary(e: EnvoyExpelled, name: Name) -> str:
    return (f"{_envoy(e, e.of_country, name)} ordered out"
            + (f" of {e.from_country}" if e.from_country else "") + by_clause(e.by, name)
            + (f", to leave by {e.deadline.isoformat()}" if e.deadline else "")
            + (f": {e.reason}" if e.reason else ""))


@summarizer(EnvoyRecalled)
def _recalled_summary(e: EnvoyRecalled, name: Name) -> str:
    return (f"{_envoy(e, e.of_country, name)} recalled from {e.from_country}{by_clause(e.by, name)}"
            + (f": {e.reason}" if e.reason else ""))


@summarizer(EnvoyDeparted)
def _departed_summary(e: EnvoyDeparted, name: Name) -> str:
    return f"{_envoy(e, e.of_country, name)} leaves {e.from_country}"


@summarizer(RelationsSevered)
def _severed_summary(e: RelationsSevered, name: Name) -> str:
    return (f"diplomatic relations with {e.with_country} severed{by_clause(e.by, name)}"
            + (f" for {e.country}" if e.country else "") + (f": {e.reason}" if e.reason else ""))


@summarizer(RelationsRestored)
def _restored_summary(e: RelationsRestored, name: Name) -> str:
    return (f"diplomatic relations with {e.with_country} restored{by_clause(e.by, name)}"
            + (f" for {e.country}" if e.country else "") + (f": {e.reason}" if e.reason else ""))


@invariant("diplomacy-history")
def _diplomacy_history(state: CrisisState) -> Iterator[InvariantViolation]:
    """Each mission and pair sits under its key; current status and severance match the
    latest step; relations alternate between severed and restored, starting severed."""
    record = diplomacy(state)
    for key, m in record.missions.items():
        if (key != mission_key(m.of_country, m.from_country) or not m.history
                or m.status is not m.history[-1].status):
            yield InvariantViolation("", "mission does not match its key or its history", key)
    for key, r in record.relations.items():
        flags = [h.severed for h in r.history]
        if (key != relations_key(*r.countries) or not flags or r.severed != flags[-1]
                or any(flags[i] == bool(i % 2) for i in range(len(flags)))):
            yield InvariantViolation("", "relations do not alternate severed / restored", key)
