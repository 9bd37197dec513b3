"""Actors: introducing the people, bodies and states a crisis involves, and a person's death."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import attrs

from .._draft import Draft
from .._event import Event, actors_of, joint, ref, strings
from .._place import Place
from .._replace import compile_make, compile_replace  # public as crisis_model.compile_*
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..countries import country_problem, is_country
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, reference_kind, rule
from ..state import (
    ActorDraft,
    ActorKind,
    ActorState,
    CrisisState,
    Custody,
    CustodyStatus,
    Death,
    DeathCause,
    Movement,
    MovementKind,
    VacatedReason,
    Whereabouts,
)
from .office import ClaimEnd
from .office import _close as close_claim

# enum members bound once: reading one from its class costs a metaclass
# __getattr__ hook on Python 3.11 (about 20 times a global read)
_ACTORKIND_PERSON = ActorKind.PERSON
_CUSTODYSTATUS_DIED = CustodyStatus.DIED
_DEATHCAUSE_DIED_IN_CUSTODY = DeathCause.DIED_IN_CUSTODY
_VACATEDREASON_DIED = VacatedReason.DIED
_WHEREABOUTS_AT_LARGE = Whereabouts.AT_LARGE
_WHEREABOUTS_DECEASED = Whereabouts.DECEASED
_WHEREABOUTS_DETAINED = Whereabouts.DETAINED

__all__ = ["ActorIntroduced", "PersonDied", "by_words", "moved", "names_words"]

reference_kind("actor", mapping="actors")


def _country(value: str | None) -> str | None:
    return None if value is None else value.upper()


@event_type("actor.introduced", version=1)
@attrs.frozen(kw_only=True)
class ActorIntroduced(Event):
    """An actor enters the history: a person, party, court, foreign government, group...

    ``country`` is an ISO 3166 alpha-3 code; ``offices`` the offices it holds
    when introduced; ``location`` where it is, if known.
    """

    actor: str = ref("actor", new=True)
    name: str
    kind: ActorKind
    country: str | None = attrs.field(default=None, converter=_country)
    affiliation: str | None = ref("actor", default=None)
    offices: tuple[str, ...] = attrs.field(default=(), converter=strings)
    location: str | None = None


@rule(ActorIntroduced)
def country_code(state: CrisisState, e: ActorIntroduced) -> str | None:
    if e.country is not None and not is_country(e.country):  # the ISO 3166-1 table
        return country_problem(e.country, f"{e.actor!r}: country")
    return None


@rule(ActorIntroduced)
def named(state: CrisisState, e: ActorIntroduced) -> str | None:
    if not e.actor.strip() or not e.name.strip():
        return "an actor needs a non-blank id and name"
    return None


#: Builds an actor from a blank one: only the named fields are stored (no keyword parsing).
_new_actor = compile_replace(
    ActorState, ("id", "name", "kind", "country", "affiliation", "offices", "location"))
_BLANK = ActorState(id="", name="", kind=ActorKind.PERSON, whereabouts=Whereabouts.AT_LARGE)


@handler(ActorIntroduced)
def _introduce(draft: Draft, e: ActorIntroduced) -> None:
    offices = e.offices
    if len(offices) > 1:
        offices = tuple(dict.fromkeys(offices))
    draft.put_actor(_new_actor(
        _BLANK, e.actor, e.name, e.kind, e.country, e.affiliation, offices, e.location))


@event_type("person.died", version=1)
@attrs.frozen(kw_only=True)
class PersonDied(Event):
    """A person dies: ``cause`` (killed, executed, died in custody, natural causes,
    unknown), ``by`` whom if reported, ``place`` where.

    Death ends their custody and the offices they held (``ActorState.offices``);
    afterwards no event may move, detain or appoint them, though they may still
    be named in recognitions, reports and charges.
    """

    person: str = ref("actor")
    cause: DeathCause = DeathCause.UNKNOWN
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    place: Place | None = None


@rule(PersonDied)
def mortal(state: CrisisState, e: PersonDied) -> str | None:
    kind = state.actors[e.person].kind
    if kind is not _ACTORKIND_PERSON:
        return (f"{e.person!r} is a {kind.value.replace('_', ' ')}, not a person; "
                "deaths among a group are counted by unrest events")
    return None


@rule(PersonDied)
def died_in_custody_held(state: CrisisState, e: PersonDied) -> str | None:
    if e.cause is _DEATHCAUSE_DIED_IN_CUSTODY and (
            state.actors[e.person].whereabouts is not _WHEREABOUTS_DETAINED):
        return f"{e.person!r} is not in custody, so cannot die in custody"
    return None


@handler(PersonDied)
def _died(draft: Draft, e: PersonDied) -> None:
    a = draft.edit_actor(e.person)
    held = a.custody
    if held is not None:
        entry = Custody(_CUSTODYSTATUS_DIED, held.custodian, e.place or held.place, held.group,
                        e.occurred_on, e.precision)
        a.custody_history = appended(a.custody_history, entry)
        a.custody = None
    a.death = Death(e.cause, e.occurred_on, e.precision, actors_of(e.by), e.place)
    a.whereabouts = _WHEREABOUTS_DECEASED
    if e.place is not None:
        a.location = e.place.name
    offices, a.offices = a.offices, ()
    end = ClaimEnd(e.occurred_on, e.precision, _VACATEDREASON_DIED, sources=e.sources)
    for office in offices:  # their claims end in the offices slice too (see events/office.py)
        close_claim(draft, office, e.person, end, contested=False)


_movement = compile_make(Movement)  # Movement(...), without the frozen __init__'s cost


def moved(draft: Draft, person: str, kind: MovementKind, e: Event, *,
          origin: str | None = None, destination: str | None = None) -> ActorDraft:
    """Append a move of ``person`` to their movement history, from ``origin`` (default:
    where they are) to ``destination``, with the event's place and date; returns the
    person's writable record (``draft.edit_actor(person)``), for the handler's other changes.

    For handlers of any module that move people (``draft.edit_actor`` rules apply).
    """
    a = draft.edit_actor(person)
    if origin is None:  # where they are, as last reported (in words, or their country)
        origin = a.location
        if origin is None and a.whereabouts is _WHEREABOUTS_AT_LARGE:
            origin = a.country
    place = getattr(e, "place", None)
    a.movements = appended(a.movements, _movement(
        kind, origin, destination, place if type(place) is Place else None,
        e.occurred_on, e.precision))
    return a


# -- plain words --------------------------------------------------------------------------------

Name = Callable[[str | None], str]


def names_words(ids: Sequence[str], name: Name) -> str:
    """Actors' names joined in words: ``A``, ``A and B``, ``A, B and C``."""
    shown = [name(i) for i in ids]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def by_words(actor: str | tuple[str, ...] | None, name: Name) -> str:
    """`` by A`` (or `` by A and B jointly``), or nothing when nobody is named."""
    if not actor:
        return ""
    if isinstance(actor, str):
        return f" by {name(actor)}"
    return f" by {names_words(actor, name)}" + (" jointly" if len(actor) > 1 else "")


@summarizer(ActorIntroduced)
def _introduced_words(e: ActorIntroduced, n: Name) -> str:
    return (f"{e.name} enters the record: {e.kind.value.replace('_', ' ')}"
            + (f", {e.country}" if e.country else "")
            + (f", holding {', '.join(e.offices)}" if e.offices else "")
            + (f", aligned with {n(e.affiliation)}" if e.affiliation else ""))


_DEATHS = {DeathCause.KILLED: "is killed", DeathCause.EXECUTED: "is executed",
           DeathCause.DIED_IN_CUSTODY: "dies in custody",
           DeathCause.NATURAL_CAUSES: "dies of natural causes", DeathCause.UNKNOWN: "dies"}


@summarizer(PersonDied)
def _died_words(e: PersonDied, n: Name) -> str:
    return f"{n(e.person)} {_DEATHS[e.cause]}{by_words(e.by, n)}"


def _v(message: str, subject: str) -> InvariantViolation:
    return InvariantViolation("", message, subject)


# -- invariants: custody, asylum history, the dead --------------------------------------------


@invariant("custody-current-is-latest")
def _custody(state: CrisisState) -> Iterator[InvariantViolation]:
    for aid, actor in state.actors.items():
        history = actor.custody_history
        last = history[-1] if history else None
        current = last if last is not None and last.status.held else None
        if actor.custody != current:
            yield _v(f"current custody {actor.custody!r} is not the latest held entry "
                     f"{current!r} of its history", aid)
        if actor.custody is not None and actor.whereabouts is not _WHEREABOUTS_DETAINED:
            yield _v(f"in custody but {actor.whereabouts.value}", aid)


@invariant("asylum-current-is-latest")
def _asylum_history(state: CrisisState) -> Iterator[InvariantViolation]:
    for aid, actor in state.actors.items():
        if actor.asylum_history and actor.asylum != actor.asylum_history[-1]:
            yield _v("current asylum is not the latest entry of its history", aid)


@invariant("dead-stay-dead")
def _dead(state: CrisisState) -> Iterator[InvariantViolation]:
    for aid, actor in state.actors.items():
        if actor.death is None:
            if actor.whereabouts is _WHEREABOUTS_DECEASED:
                yield _v("deceased, with no death recorded", aid)
            continue
        if actor.whereabouts is not _WHEREABOUTS_DECEASED:
            yield _v(f"dead, yet {actor.whereabouts.value}", aid)
        if actor.custody is not None or actor.offices:
            yield _v("dead, yet in custody or holding an office", aid)
