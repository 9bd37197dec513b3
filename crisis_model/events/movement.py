"""Movement: hiding, embassy refuge, exile, asylum, and harassment of those who moved."""

from __future__ import annotations

import attrs

from .._draft import Draft
from .._event import Event, ref
from .._place import Place
from ..reducer import event_type, handler, rule
from ..state import Asylum, AsylumStatus, CrisisState, Whereabouts

__all__ = [
    "AsylumDenied",
    "AsylumGranted",
    "AsylumSought",
    "HarassmentReported",
    "LeftCountry",
    "Reappeared",
    "TookEmbassyRefuge",
    "WentIntoHiding",
]


def _upper(value: str) -> str:
    return value.upper()


@event_type("movement.went_into_hiding", version=1)
@attrs.frozen(kw_only=True)
class WentIntoHiding(Event):
    """A person goes into hiding (``location``: where, if reported)."""

    person: str = ref("actor")
    location: str | None = None
    place: Place | None = None


@event_type("movement.embassy_refuge", version=1)
@attrs.frozen(kw_only=True)
class TookEmbassyRefuge(Event):
    """A person (or group) takes refuge in a foreign embassy (``embassy_of``, if known)."""

    person: str = ref("actor")
    embassy_of: str | None = ref("actor", default=None)
    location: str | None = None
    place: Place | None = None


@event_type("movement.left_country", version=1)
@attrs.frozen(kw_only=True)
class LeftCountry(Event):
    """A person leaves the country for ``to`` (ISO 3166 alpha-3) and is in exile."""

    person: str = ref("actor")
    to: str = attrs.field(converter=_upper)
    place: Place | None = None


@event_type("movement.reappeared", version=1)
@attrs.frozen(kw_only=True)
class Reappeared(Event):
    """A person who was hiding, sheltering or abroad is back in public (at ``location``)."""

    person: str = ref("actor")
    location: str | None = None
    place: Place | None = None


@event_type("movement.asylum_sought", version=1)
@attrs.frozen(kw_only=True)
class AsylumSought(Event):
    """A person asks ``host`` (a foreign government) for asylum."""

    person: str = ref("actor")
    host: str = ref("actor")


@event_type("movement.asylum_granted", version=1)
@attrs.frozen(kw_only=True)
class AsylumGranted(Event):
    """``host`` grants the asylum the person sought from it."""

    person: str = ref("actor")
    host: str = ref("actor")


@event_type("movement.asylum_denied", version=1)
@attrs.frozen(kw_only=True)
class AsylumDenied(Event):
    """``host`` denies the asylum the person sought from it."""

    person: str = ref("actor")
    host: str = ref("actor")


@event_type("movement.harassment_reported", version=1)
@attrs.frozen(kw_only=True)
class HarassmentReported(Event):
    """``reported_by`` reports that ``by`` harassed ``target``."""

    target: str = ref("actor")
    by: str | None = ref("actor", default=None)
    reported_by: str | None = ref("actor", default=None)
    place: Place | None = None


_Moves = WentIntoHiding | TookEmbassyRefuge | LeftCountry | Reappeared


@rule(WentIntoHiding, TookEmbassyRefuge, LeftCountry, Reappeared)
def free_to_move(state: CrisisState, e: _Moves) -> str | None:
    if state.actors[e.person].whereabouts is Whereabouts.DETAINED:
        return f"{e.person!r} is detained; only a release frees them"
    return None


@rule(WentIntoHiding)
def not_already_hiding(state: CrisisState, e: WentIntoHiding) -> str | None:
    if state.actors[e.person].whereabouts is Whereabouts.IN_HIDING:
        return f"{e.person!r} is already in hiding"
    return None


@rule(LeftCountry)
def destination_code(state: CrisisState, e: LeftCountry) -> str | None:
    if not (len(e.to) == 3 and e.to.isalpha()):
        return f"destination {e.to!r} is not an ISO 3166 alpha-3 code (such as 'ESP')"
    return None


@rule(Reappeared)
def was_away(state: CrisisState, e: Reappeared) -> str | None:
    if state.actors[e.person].whereabouts is Whereabouts.AT_LARGE:
        return f"{e.person!r} is already at large"
    return None


@rule(AsylumSought)
def not_pending_already(state: CrisisState, e: AsylumSought) -> str | None:
    asylum = state.actors[e.person].asylum
    if asylum is not None and asylum.host == e.host and asylum.status is AsylumStatus.SOUGHT:
        return f"{e.person!r} already has a pending asylum request with {e.host!r}"
    if e.person == e.host:
        return "an actor cannot seek asylum from itself"
    return None


@rule(AsylumGranted, AsylumDenied)
def asylum_was_sought(state: CrisisState, e: AsylumGranted | AsylumDenied) -> str | None:
    asylum = state.actors[e.person].asylum
    if asylum is None or asylum.host != e.host or asylum.status is not AsylumStatus.SOUGHT:
        return f"{e.person!r} has no pending asylum request with {e.host!r}"
    return None


@handler(WentIntoHiding)
def _hiding(draft: Draft, e: WentIntoHiding) -> None:
    a = draft.edit_actor(e.person)
    a.whereabouts = Whereabouts.IN_HIDING
    a.location = e.location


@handler(TookEmbassyRefuge)
def _embassy(draft: Draft, e: TookEmbassyRefuge) -> None:
    location = e.location
    if location is None and e.embassy_of is not None:
        location = f"embassy of {draft.actors[e.embassy_of].name}"
    a = draft.edit_actor(e.person)
    a.whereabouts = Whereabouts.IN_EMBASSY
    a.location = location


@handler(LeftCountry)
def _left(draft: Draft, e: LeftCountry) -> None:
    a = draft.edit_actor(e.person)
    a.whereabouts = Whereabouts.IN_EXILE
    a.location = e.to


@handler(Reappeared)
def _reappeared(draft: Draft, e: Reappeared) -> None:
    a = draft.edit_actor(e.person)
    a.whereabouts = Whereabouts.AT_LARGE
    a.location = e.location


def _asylum(draft: Draft, e: AsylumSought | AsylumGranted | AsylumDenied,
            status: AsylumStatus) -> None:
    draft.edit_actor(e.person).asylum = Asylum(e.host, status, e.occurred_on, e.precision)


@handler(AsylumSought)
def _sought(draft: Draft, e: AsylumSought) -> None:
    _asylum(draft, e, AsylumStatus.SOUGHT)


@handler(AsylumGranted)
def _granted(draft: Draft, e: AsylumGranted) -> None:
    _asylum(draft, e, AsylumStatus.GRANTED)


@handler(AsylumDenied)
def _denied(draft: Draft, e: AsylumDenied) -> None:
    _asylum(draft, e, AsylumStatus.DENIED)


@handler(HarassmentReported)
def _harassed(draft: Draft, e: HarassmentReported) -> None:
    draft.edit_incidents().harassment_reports += 1
