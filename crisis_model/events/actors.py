"""Actors: introducing the people, bodies and states a crisis involves."""

from __future__ import annotations

import attrs

from .._draft import Draft
from .._event import Event, ref, strings
from .._replace import compile_replace  # public as crisis_model.compile_replace
from ..countries import country_problem
from ..reducer import event_type, handler, reference_kind, rule
from ..state import ActorKind, ActorState, CrisisState, Whereabouts

__all__ = ["ActorIntroduced"]

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
    if e.country is not None:  # the ISO 3166-1 table (crisis_model.countries)
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
