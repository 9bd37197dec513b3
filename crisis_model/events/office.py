"""Office: people assuming and vacating offices (two may claim one office at once)."""

from __future__ import annotations

import attrs

from .._event import Event, ref
from ..reducer import event_type, handler, rule
from ..state import CrisisState, VacatedReason

__all__ = ["OfficeAssumed", "OfficeVacated"]


@event_type("office.assumed", version=1)
@attrs.frozen(kw_only=True)
class OfficeAssumed(Event):
    """A person assumes (or claims to assume) an office."""

    person: str = ref("actor")
    office: str


@event_type("office.vacated", version=1)
@attrs.frozen(kw_only=True)
class OfficeVacated(Event):
    """A person leaves an office they held."""

    person: str = ref("actor")
    office: str
    reason: VacatedReason = VacatedReason.OTHER


@rule(OfficeAssumed)
def not_holding(state: CrisisState, e: OfficeAssumed) -> str | None:
    if e.office in state.actors[e.person].offices:
        return f"{e.person!r} already holds {e.office!r}"
    return None


@rule(OfficeVacated)
def holding(state: CrisisState, e: OfficeVacated) -> str | None:
    if e.office not in state.actors[e.person].offices:
        return f"{e.person!r} does not hold {e.office!r}"
    return None


@handler(OfficeAssumed)
def _assumed(state: CrisisState, e: OfficeAssumed) -> CrisisState:
    return state.with_actor(e.person, offices=(*state.actors[e.person].offices, e.office))


@handler(OfficeVacated)
def _vacated(state: CrisisState, e: OfficeVacated) -> CrisisState:
    offices = tuple(o for o in state.actors[e.person].offices if o != e.office)
    return state.with_actor(e.person, offices=offices)
