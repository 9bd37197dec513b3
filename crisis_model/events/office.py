"""Office: people assuming and vacating offices (two may claim one office at once)."""

from __future__ import annotations

import attrs

from .._draft import Draft
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
def _assumed(draft: Draft, e: OfficeAssumed) -> None:
    a = draft.edit_actor(e.person)
    a.offices = (*a.offices, e.office)


@handler(OfficeVacated)
def _vacated(draft: Draft, e: OfficeVacated) -> None:
    a = draft.edit_actor(e.person)
    a.offices = tuple(o for o in a.offices if o != e.office)
