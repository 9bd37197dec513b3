"""Actors: introducing the people, bodies and states a crisis involves."""

from __future__ import annotations

import attrs

from .._draft import Draft
from .._event import Event, ref, strings
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
    if e.country is not None and not (len(e.country) == 3 and e.country.isalpha()):
        return f"country {e.country!r} is not an ISO 3166 alpha-3 code (such as 'VEN')"
    return None


@rule(ActorIntroduced)
def named(state: CrisisState, e: ActorIntroduced) -> str | None:
    if not e.actor.strip() or not e.name.strip():
        return "an actor needs a non-blank id and name"
    return None


@handler(ActorIntroduced)
def _introduce(draft: Draft, e: ActorIntroduced) -> None:
    draft.put_actor(ActorState(
        id=e.actor,
        name=e.name,
        kind=e.kind,
        country=e.country,
        affiliation=e.affiliation,
        offices=tuple(dict.fromkeys(e.offices)),
        whereabouts=Whereabouts.AT_LARGE,
        location=e.location,
    ))
