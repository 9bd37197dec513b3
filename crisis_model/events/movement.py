"""Movement: hiding, embassy refuge, exile and return, asylum, and harassment of those who moved.

Every move is appended to the person's ``movements`` history (where from, where
to); every asylum request, grant, denial or end to ``asylum_history`` (the
current ``asylum`` is its last entry).  Exile and asylum are abroad: outside
the person's own country (``ActorState.country``).  This module also holds the
rule that the dead neither act nor are acted on as if alive
(``alive``), registered on the classes of the modules it concerns.
"""

from __future__ import annotations

import attrs

from .._draft import Draft
from .._event import Event, ref
from .._place import Place
from .._replace import compile_make
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..countries import country_problem, is_country
from ..reducer import event_type, handler, rule
from ..state import (
    ActorState,
    Asylum,
    AsylumStatus,
    CrisisState,
    MovementKind,
    Whereabouts,
)
from .actors import Name, PersonDied, by_words, moved
from .justice import (
    AmnestyAccepted,
    AmnestyRejected,
    ArrestThreatened,
    ArrestWarrantIssued,
    CustodyExpelled,
    CustodyTransferred,
    PeopleDetained,
)
from .office import OfficeAssumed, OfficeSeized

# enum members bound once: reading one from its class costs a metaclass
# __getattr__ hook on Python 3.11 (about 20 times a global read)
_ASYLUMSTATUS_DENIED = AsylumStatus.DENIED
_ASYLUMSTATUS_ENDED = AsylumStatus.ENDED
_ASYLUMSTATUS_GRANTED = AsylumStatus.GRANTED
_ASYLUMSTATUS_SOUGHT = AsylumStatus.SOUGHT
_MOVEMENTKIND_LEFT_COUNTRY = MovementKind.LEFT_COUNTRY
_MOVEMENTKIND_REAPPEARED = MovementKind.REAPPEARED
_MOVEMENTKIND_RETURNED = MovementKind.RETURNED
_MOVEMENTKIND_TOOK_EMBASSY_REFUGE = MovementKind.TOOK_EMBASSY_REFUGE
_MOVEMENTKIND_WENT_INTO_HIDING = MovementKind.WENT_INTO_HIDING
_WHEREABOUTS_AT_LARGE = Whereabouts.AT_LARGE
_WHEREABOUTS_DETAINED = Whereabouts.DETAINED
_WHEREABOUTS_IN_EMBASSY = Whereabouts.IN_EMBASSY
_WHEREABOUTS_IN_EXILE = Whereabouts.IN_EXILE
_WHEREABOUTS_IN_HIDING = Whereabouts.IN_HIDING

__all__ = [
    "AsylumDenied",
    "AsylumEnded",
    "AsylumGranted",
    "AsylumSought",
    "HarassmentReported",
    "LeftCountry",
    "Reappeared",
    "Returned",
    "TookEmbassyRefuge",
    "WentIntoHiding",
]


def _upper(value: str) -> str:
    return value.upper()


@event_type("movement.went_into_hiding", version=1)
@attrs.frozen(kw_only=True)
class WentIntoHiding(Event):
    """A person goes into hiding (``location``/``place``: where, if reported)."""

    person: str = ref("actor")
    location: str | None = None
    place: Place | None = None


@event_type("movement.embassy_refuge", version=1)
@attrs.frozen(kw_only=True)
class TookEmbassyRefuge(Event):
    """A person (or group) takes refuge in a foreign embassy (``embassy_of``, if known;
    ``place``: where the embassy is)."""

    person: str = ref("actor")
    embassy_of: str | None = ref("actor", default=None)
    location: str | None = None
    place: Place | None = None


@event_type("movement.left_country", version=1)
@attrs.frozen(kw_only=True)
class LeftCountry(Event):
    """A person leaves for ``to`` (ISO 3166 alpha-3, not their own country) and is in exile.

    Also a move on from one country of exile to another.  ``place``: where they
    left from (an airport, a border crossing), if reported.
    """

    person: str = ref("actor")
    to: str = attrs.field(converter=_upper)
    place: Place | None = None


@event_type("movement.reappeared", version=1)
@attrs.frozen(kw_only=True)
class Reappeared(Event):
    """A person who was hiding or sheltering is back in public (at ``location``/``place``).

    A person abroad comes home with :class:`Returned`.
    """

    person: str = ref("actor")
    location: str | None = None
    place: Place | None = None


@event_type("movement.returned", version=1)
@attrs.frozen(kw_only=True)
class Returned(Event):
    """A person in exile comes back to their own country, which ends the exile.

    ``place``: where they arrived, if reported.
    """

    person: str = ref("actor")
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


@event_type("movement.asylum_ended", version=1)
@attrs.frozen(kw_only=True)
class AsylumEnded(Event):
    """The asylum ``host`` granted (or the request still pending with it) ends:
    withdrawn, revoked, or the person moved on (``reason``, in words)."""

    person: str = ref("actor")
    host: str = ref("actor")
    reason: str | None = None


@event_type("movement.harassment_reported", version=1)
@attrs.frozen(kw_only=True)
class HarassmentReported(Event):
    """``reported_by`` reports that ``by`` harassed ``target`` (at ``place``, if given)."""

    target: str = ref("actor")
    by: str | None = ref("actor", default=None)
    reported_by: str | None = ref("actor", default=None)
    place: Place | None = None


_Moves = WentIntoHiding | TookEmbassyRefuge | LeftCountry | Reappeared | Returned


@rule(WentIntoHiding, TookEmbassyRefuge, LeftCountry, Reappeared, Returned)
def free_to_move(state: CrisisState, e: _Moves) -> str | None:
    if state.actors[e.person].whereabouts is _WHEREABOUTS_DETAINED:
        return (f"{e.person!r} is detained; only a release, a transfer (custody.transferred) "
                "or an expulsion (custody.expelled) moves them")
    return None


@rule(WentIntoHiding)
def not_already_hiding(state: CrisisState, e: WentIntoHiding) -> str | None:
    if state.actors[e.person].whereabouts is _WHEREABOUTS_IN_HIDING:
        return f"{e.person!r} is already in hiding"
    return None


def _alpha3(code: str) -> bool:
    return len(code) == 3 and code.isascii() and code.isalpha()


@rule(LeftCountry)
def destination_code(state: CrisisState, e: LeftCountry) -> str | None:
    if is_country(e.to):  # crisis_model.countries
        return None
    return country_problem(e.to, f"{e.person!r}: destination")


@rule(LeftCountry)
def exile_abroad(state: CrisisState, e: LeftCountry) -> str | None:
    actor = state.actors[e.person]
    if actor.country is not None and e.to == actor.country:
        return (f"{e.person!r} cannot go into exile in {e.to!r}, their own country "
                "(a return home is movement.returned)")
    if actor.whereabouts is _WHEREABOUTS_IN_EXILE and actor.location == e.to:
        return f"{e.person!r} is already in {e.to!r}"
    return None


@rule(Reappeared)
def was_away(state: CrisisState, e: Reappeared) -> str | None:
    if state.actors[e.person].whereabouts is _WHEREABOUTS_AT_LARGE:
        return f"{e.person!r} is already at large"
    return None


@rule(Returned)
def was_abroad(state: CrisisState, e: Returned) -> str | None:
    actor = state.actors[e.person]
    if actor.whereabouts is not _WHEREABOUTS_IN_EXILE:
        return (f"{e.person!r} is not abroad (whereabouts "
                f"{actor.whereabouts.value.replace('_', ' ')}); only exile ends with a return")
    return None


@rule(AsylumSought)
def not_pending_already(state: CrisisState, e: AsylumSought) -> str | None:
    asylum = state.actors[e.person].asylum
    if asylum is not None and asylum.host == e.host and asylum.status is _ASYLUMSTATUS_SOUGHT:
        return f"{e.person!r} already has a pending asylum request with {e.host!r}"
    if e.person == e.host:
        return "an actor cannot seek asylum from itself"
    return None


@rule(AsylumSought)
def asylum_abroad(state: CrisisState, e: AsylumSought) -> str | None:
    home = state.actors[e.person].country
    host = state.actors[e.host].country
    if home is not None and host == home:
        return (f"{e.person!r} cannot seek asylum from {e.host!r}: both are of {home!r}, "
                "and asylum is abroad")
    return None


@rule(AsylumGranted, AsylumDenied)
def asylum_was_sought(state: CrisisState, e: AsylumGranted | AsylumDenied) -> str | None:
    asylum = state.actors[e.person].asylum
    if asylum is None or asylum.host != e.host or asylum.status is not _ASYLUMSTATUS_SOUGHT:
        return f"{e.person!r} has no pending asylum request with {e.host!r}"
    return None


@rule(AsylumEnded)
def asylum_in_force(state: CrisisState, e: AsylumEnded) -> str | None:
    asylum = state.actors[e.person].asylum
    if asylum is None or asylum.host != e.host or asylum.status not in (
            _ASYLUMSTATUS_SOUGHT, _ASYLUMSTATUS_GRANTED):
        return f"{e.person!r} has no asylum granted or pending with {e.host!r} to end"
    return None


# -- the dead neither act nor are acted on as if alive ----------------------------------------

#: Event classes and the fields naming the people they move, detain, appoint or
#: hear from: a dead person in any of these is refused.  Recognitions, reports,
#: elections, charges and convictions may still name the dead.
_PERSON = ("person",)
_LIVING_FIELDS: dict[type[Event], tuple[str, ...]] = {
    WentIntoHiding: _PERSON,
    TookEmbassyRefuge: _PERSON,
    LeftCountry: _PERSON,
    Reappeared: _PERSON,
    Returned: _PERSON,
    AsylumSought: _PERSON,
    AsylumGranted: _PERSON,
    ArrestThreatened: ("person", "by"),
    ArrestWarrantIssued: _PERSON,
    PeopleDetained: ("persons", "by"),
    CustodyTransferred: ("persons", "by"),
    CustodyExpelled: ("persons", "by"),
    AmnestyAccepted: ("by",),
    AmnestyRejected: ("by",),
    OfficeAssumed: _PERSON,
    OfficeSeized: ("holder", "by"),
    PersonDied: _PERSON,
}


def _named(e: Event, fields: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for f in fields:
        value = getattr(e, f)
        if value is None:
            continue
        if value.__class__ is str:
            out.append(value)
        else:
            out.extend(value)
    return out


def dead_among(state: CrisisState, ids: list[str]) -> list[ActorState]:
    """The actors among ``ids`` whose death is recorded in ``state``."""
    actors = state.actors
    return [actors[a] for a in dict.fromkeys(ids) if a in actors and actors[a].death is not None]


@rule(*_LIVING_FIELDS)
def alive(state: CrisisState, e: Event) -> list[str] | None:
    actors = state.actors
    fields = _LIVING_FIELDS[e.__class__]
    if fields is _PERSON:  # the common case: one person, alive (no list is built)
        a = actors.get(e.person)  # type: ignore[attr-defined]
        if a is None or a.death is None:
            return None
    else:
        for f in fields:  # the admissible case first: no list is built
            value = getattr(e, f)
            if value.__class__ is str:
                a = actors.get(value)
                if a is not None and a.death is not None:
                    break
            elif value is not None:
                for v in value:
                    a = actors.get(v)
                    if a is not None and a.death is not None:
                        break
                else:
                    continue
                break
        else:
            return None
    dead = dead_among(state, _named(e, _LIVING_FIELDS[type(e)]))
    if not dead:
        return None
    return [f"{a.id!r} died on {_when(a)} ({a.death.cause.value.replace('_', ' ')}); "
            f"a {e.event_tag} event cannot name them as if alive" for a in dead if a.death]


def _when(a: ActorState) -> str:
    death = a.death
    if death is None:
        return "an unknown date"
    day = death.on.isoformat()
    return {"day": day, "month": day[:7], "year": day[:4]}.get(death.precision.value, day)


# -- handlers ---------------------------------------------------------------------------------


@handler(WentIntoHiding)
def _hiding(draft: Draft, e: WentIntoHiding) -> None:
    where = e.location or (e.place.name if e.place else None)
    a = moved(draft, e.person, _MOVEMENTKIND_WENT_INTO_HIDING, e, destination=where)
    a.whereabouts = _WHEREABOUTS_IN_HIDING
    a.location = where


@handler(TookEmbassyRefuge)
def _embassy(draft: Draft, e: TookEmbassyRefuge) -> None:
    location = e.location
    if location is None and e.embassy_of is not None:
        location = f"embassy of {draft.actors[e.embassy_of].name}"
    if location is None and e.place is not None:
        location = e.place.name
    a = moved(draft, e.person, _MOVEMENTKIND_TOOK_EMBASSY_REFUGE, e, destination=location)
    a.whereabouts = _WHEREABOUTS_IN_EMBASSY
    a.location = location


@handler(LeftCountry)
def _left(draft: Draft, e: LeftCountry) -> None:
    a = moved(draft, e.person, _MOVEMENTKIND_LEFT_COUNTRY, e,
              origin=str(e.place) if e.place is not None else None, destination=e.to)
    a.whereabouts = _WHEREABOUTS_IN_EXILE
    a.location = e.to


@handler(Reappeared)
def _reappeared(draft: Draft, e: Reappeared) -> None:
    where = e.location or (e.place.name if e.place else None)
    a = moved(draft, e.person, _MOVEMENTKIND_REAPPEARED, e, destination=where)
    a.whereabouts = _WHEREABOUTS_AT_LARGE
    a.location = where


@handler(Returned)
def _returned(draft: Draft, e: Returned) -> None:
    a = draft.actors[e.person]
    home = e.place.name if e.place is not None else a.country
    moved(draft, e.person, _MOVEMENTKIND_RETURNED, e, destination=home)
    edit = draft.edit_actor(e.person)
    edit.whereabouts = _WHEREABOUTS_AT_LARGE
    edit.location = e.place.name if e.place is not None else None


_asylum_entry = compile_make(Asylum)  # Asylum(...), without the frozen __init__'s cost


def _asylum(draft: Draft, e: AsylumSought | AsylumGranted | AsylumDenied | AsylumEnded,
            status: AsylumStatus, reason: str | None = None) -> None:
    a = draft.edit_actor(e.person)
    entry = _asylum_entry(e.host, status, e.occurred_on, e.precision, reason)
    a.asylum = entry
    a.asylum_history = appended(a.asylum_history, entry)


@handler(AsylumSought)
def _sought(draft: Draft, e: AsylumSought) -> None:
    _asylum(draft, e, _ASYLUMSTATUS_SOUGHT)


@handler(AsylumGranted)
def _granted(draft: Draft, e: AsylumGranted) -> None:
    _asylum(draft, e, _ASYLUMSTATUS_GRANTED)


@handler(AsylumDenied)
def _denied(draft: Draft, e: AsylumDenied) -> None:
    _asylum(draft, e, _ASYLUMSTATUS_DENIED)


@handler(AsylumEnded)
def _ended(draft: Draft, e: AsylumEnded) -> None:
    _asylum(draft, e, _ASYLUMSTATUS_ENDED, e.reason)


@handler(HarassmentReported)
def _harassed(draft: Draft, e: HarassmentReported) -> None:
    draft.edit_incidents().harassment_reports += 1


# -- plain words --------------------------------------------------------------------------------


@summarizer(WentIntoHiding)
def _hiding_words(e: WentIntoHiding, n: Name) -> str:
    return f"{n(e.person)} goes into hiding" + (f" in {e.location}" if e.location else "")


@summarizer(TookEmbassyRefuge)
def _embassy_words(e: TookEmbassyRefuge, n: Name) -> str:
    where = (f"the embassy of {n(e.embassy_of)}" + (f" ({e.location})" if e.location else "")
             if e.embassy_of else (e.location or "an embassy"))
    return f"{n(e.person)} takes refuge in {where}"


@summarizer(LeftCountry)
def _left_words(e: LeftCountry, n: Name) -> str:
    return f"{n(e.person)} leaves the country for {e.to}"


@summarizer(Reappeared)
def _reappeared_words(e: Reappeared, n: Name) -> str:
    return f"{n(e.person)} reappears in public" + (f" in {e.location}" if e.location else "")


@summarizer(Returned)
def _returned_words(e: Returned, n: Name) -> str:
    return f"{n(e.person)} returns home from exile"


@summarizer(AsylumSought)
def _sought_words(e: AsylumSought, n: Name) -> str:
    return f"{n(e.person)} seeks asylum from {n(e.host)}"


@summarizer(AsylumGranted)
def _granted_words(e: AsylumGranted, n: Name) -> str:
    return f"{n(e.host)} grants {n(e.person)} asylum"


@summarizer(AsylumDenied)
def _denied_words(e: AsylumDenied, n: Name) -> str:
    return f"{n(e.host)} denies {n(e.person)} asylum"


@summarizer(AsylumEnded)
def _ended_words(e: AsylumEnded, n: Name) -> str:
    return (f"the asylum of {n(e.person)} with {n(e.host)} ends"
            + (f": {e.reason}" if e.reason else ""))


@summarizer(HarassmentReported)
def _harassment_words(e: HarassmentReported, n: Name) -> str:
    return ((f"{n(e.reported_by)} reports" if e.reported_by else "reported:")
            + f" harassment of {n(e.target)}{by_words(e.by, n)}")
