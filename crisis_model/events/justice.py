"""Justice: threats, warrants, charges, detention and custody, releases and amnesty offers.

Custody: a detention of named persons records who holds them (``custodian``,
else the one who detained them), where (``place``) and the group ledger they
are counted in; a transfer (``custody.transferred``: to another custodian,
prison, or an international court) or an expulsion across a border straight
from custody (``custody.expelled``) are events with rules.  Each person keeps a
custody history; releasing, transferring or expelling a named person keeps the
count of the group they were counted in consistent.
"""

from __future__ import annotations

import attrs

from .._count import Count, count_or_none
from .._draft import Draft
from .._event import Event, actors_of, joint, ref, strings
from .._place import Place
from .._replace import compile_make, compile_replace  # public as crisis_model.compile_*
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..reducer import event_type, handler, reference_kind, rule
from ..state import (
    CrisisState,
    Custody,
    CustodyStatus,
    Jeopardy,
    MovementKind,
    Offer,
    OfferStatus,
    Whereabouts,
)
from .actors import Name, by_words, moved, names_words

# enum members bound once: reading one from its class costs a metaclass
# __getattr__ hook on Python 3.11 (about 20 times a global read)
_CUSTODYSTATUS_DETAINED = CustodyStatus.DETAINED
_CUSTODYSTATUS_EXPELLED = CustodyStatus.EXPELLED
_CUSTODYSTATUS_RELEASED = CustodyStatus.RELEASED
_CUSTODYSTATUS_TRANSFERRED = CustodyStatus.TRANSFERRED
_MOVEMENTKIND_EXPELLED = MovementKind.EXPELLED
_OFFERSTATUS_ACCEPTED = OfferStatus.ACCEPTED
_OFFERSTATUS_REJECTED = OfferStatus.REJECTED
_OFFERSTATUS_WITHDRAWN = OfferStatus.WITHDRAWN
_WHEREABOUTS_AT_LARGE = Whereabouts.AT_LARGE
_WHEREABOUTS_DETAINED = Whereabouts.DETAINED
_WHEREABOUTS_IN_EXILE = Whereabouts.IN_EXILE

__all__ = [
    "AmnestyAccepted",
    "AmnestyProposed",
    "AmnestyRejected",
    "AmnestyWithdrawn",
    "ArrestThreatened",
    "ArrestWarrantIssued",
    "ChargesFiled",
    "CustodyExpelled",
    "CustodyTransferred",
    "PeopleDetained",
    "PrisonersReleased",
]

reference_kind("offer", mapping="offers")


@event_type("justice.arrest_threatened", version=1)
@attrs.frozen(kw_only=True)
class ArrestThreatened(Event):
    """A person is threatened with arrest."""

    person: str = ref("actor")
    by: str | None = ref("actor", default=None)


@event_type("justice.warrant_issued", version=1)
@attrs.frozen(kw_only=True)
class ArrestWarrantIssued(Event):
    """A warrant is issued for a person's arrest."""

    person: str = ref("actor")
    by: str | None = ref("actor", default=None)


@event_type("justice.charged", version=1)
@attrs.frozen(kw_only=True)
class ChargesFiled(Event):
    """A person is charged (``charges`` names the offences, in plain words)."""

    person: str = ref("actor")
    by: str | None = ref("actor", default=None)
    charges: tuple[str, ...] = attrs.field(default=(), converter=strings)


@event_type("justice.detained", version=1)
@attrs.frozen(kw_only=True)
class PeopleDetained(Event):
    """People are detained: a number into a group's ledger, named persons, or both.

    ``count`` (a :class:`~crisis_model.Count`: exact, at least, about, a range; an
    int in files reads as exact) is ``None`` when the report gives no number (with
    named persons and a group, the persons are the count: write ``">=2"`` for
    "at least these two").  ``by``: who detained them (one actor or several acting
    jointly);
    ``custodian``: who holds them, if not ``by``; ``place``: where they are held.
    ``abduction``: a person in exile was seized abroad and brought home (without
    it, someone abroad cannot be detained at home before a return).
    """

    group: str | None = ref("actor", default=None)
    count: Count | None = attrs.field(default=None, converter=count_or_none)
    persons: tuple[str, ...] = ref("actor", default=(), converter=strings)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    place: Place | None = None
    custodian: str | None = ref("actor", default=None)
    abduction: bool = False


@event_type("justice.released", version=1)
@attrs.frozen(kw_only=True)
class PrisonersReleased(Event):
    """Detainees are released, outright or on conditions (``conditional``, ``conditions``).

    A named person counted in a group when detained is released from that group's
    count (name the group or leave it out).
    """

    group: str | None = ref("actor", default=None)
    count: Count | None = attrs.field(default=None, converter=count_or_none)
    conditional: bool = False
    conditions: tuple[str, ...] = attrs.field(default=(), converter=strings)
    persons: tuple[str, ...] = ref("actor", default=(), converter=strings)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    place: Place | None = None


def _upper(value: str) -> str:
    return value.upper()


@event_type("custody.transferred", version=1)
@attrs.frozen(kw_only=True)
class CustodyTransferred(Event):
    """Detained persons move to another custodian (``to``: a prison service, the army,
    an international court...) and/or another place (``place``); they stay in custody
    and in the group they are counted in."""

    persons: tuple[str, ...] = ref("actor", converter=strings)
    to: str | None = ref("actor", default=None)
    place: Place | None = None
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


@event_type("custody.expelled", version=1)
@attrs.frozen(kw_only=True)
class CustodyExpelled(Event):
    """Detained persons are deported or expelled from custody across a border into
    country ``to`` (ISO 3166 alpha-3).  They leave custody (released from their
    group's count) and are in exile there, unless ``to`` is their own country.
    ``place``: where they were put across (a border post, an airport)."""

    persons: tuple[str, ...] = ref("actor", converter=strings)
    to: str = attrs.field(converter=_upper)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    place: Place | None = None


@event_type("justice.amnesty_proposed", version=1)
@attrs.frozen(kw_only=True)
class AmnestyProposed(Event):
    """An amnesty is offered (``formal=True``) or only reported as under consideration.

    Proposing an offer id again is allowed only to formalise a reported offer
    that is still pending.
    """

    offer: str
    by: str = ref("actor")
    to: tuple[str, ...] = ref("actor", default=(), converter=strings)
    beneficiaries: tuple[str, ...] = ref("actor", default=(), converter=strings)
    conditions: tuple[str, ...] = attrs.field(default=(), converter=strings)
    formal: bool = False


@event_type("justice.amnesty_accepted", version=1)
@attrs.frozen(kw_only=True)
class AmnestyAccepted(Event):
    """An actor the offer was made to accepts it."""

    offer: str = ref("offer")
    by: str = ref("actor")


@event_type("justice.amnesty_rejected", version=1)
@attrs.frozen(kw_only=True)
class AmnestyRejected(Event):
    """An actor the offer was made to rejects it."""

    offer: str = ref("offer")
    by: str = ref("actor")


@event_type("justice.amnesty_withdrawn", version=1)
@attrs.frozen(kw_only=True)
class AmnestyWithdrawn(Event):
    """The proposer withdraws its offer."""

    offer: str = ref("offer")
    by: str = ref("actor")


# -- rules ------------------------------------------------------------------------------------


@rule(PeopleDetained, PrisonersReleased)
def someone(state: CrisisState, e: PeopleDetained | PrisonersReleased) -> str | None:
    persons = e.persons
    if e.group is None and not persons:
        return "name a group, persons, or both"
    if len(persons) > 1 and len(set(persons)) != len(persons):
        return "a person is listed twice"
    return None


@rule(PeopleDetained)
def not_already_detained(state: CrisisState, e: PeopleDetained) -> list[str] | None:
    actors = state.actors
    detained = _WHEREABOUTS_DETAINED
    for p in e.persons:
        if actors[p].whereabouts is detained:
            return [f"{p!r} is already detained"
                    for p in e.persons if actors[p].whereabouts is detained]
    return None


@rule(PeopleDetained)
def exiles_detained_abroad(state: CrisisState, e: PeopleDetained) -> list[str] | None:
    """Someone in exile cannot be detained at home without a return, an extradition
    (a transfer from custody abroad) or an abduction recorded."""
    if e.abduction or not e.persons:
        return None
    actors = state.actors
    exile = _WHEREABOUTS_IN_EXILE
    for p in e.persons:  # the common case: nobody named is in exile
        if actors[p].whereabouts is exile:
            break
    else:
        return None
    where: set[str | None]
    if e.place is not None and e.place.country is not None:
        where = {e.place.country}
    else:
        holders = (e.custodian,) if e.custodian is not None else actors_of(e.by)
        where = {actors[h].country for h in holders}
    problems = []
    for p in e.persons:
        a = actors[p]
        if a.whereabouts is _WHEREABOUTS_IN_EXILE and a.country is not None and a.country in where:
            problems.append(
                f"{p!r} is in exile in {a.location or 'another country'}, so cannot be detained "
                f"in {a.country!r}: record a return (movement.returned), a detention abroad then "
                "a transfer (extradition), or mark the detention abduction = true")
    return problems or None


def _custody_groups(state: CrisisState | Draft,
                    persons: tuple[str, ...]) -> dict[str, Count | None]:
    """How many of ``persons`` leave each group ledger they are counted in (from their
    custody).

    No more than the ledger can still hold: when releases reported for the group
    without names already account for everyone it held, a named person leaving it
    must have been among them, so the group's releases do not grow past its
    detentions (invariant ``released-at-most-detained``).
    """
    groups: dict[str, int] = {}
    for p in persons:
        held = state.actors[p].custody
        if held is not None and held.group is not None:
            groups[held.group] = groups.get(held.group, 0) + 1
    out: dict[str, Count | None] = {}
    for g, n in groups.items():
        ledger = state.ledgers.get(g)
        if ledger is not None:
            most = ledger.held
            if most is None:
                most = ledger.held_range.high
            if most is not None:
                n = min(n, max(most, 0))
        if n:
            out[g] = Count.exact(n)
    return out


@rule(PrisonersReleased)
def counted_in_group(state: CrisisState, e: PrisonersReleased) -> list[str] | None:
    if e.group is None:
        return None
    problems = []
    for p in e.persons:
        held = state.actors[p].custody
        if held is not None and held.group is not None and held.group != e.group:
            problems.append(f"{p!r} is counted in {held.group!r}, not {e.group!r}")
    return problems or None


@rule(CustodyTransferred, CustodyExpelled)
def in_custody(state: CrisisState, e: CustodyTransferred | CustodyExpelled) -> list[str] | None:
    problems = []
    if not e.persons:
        problems.append("name the persons moved from custody")
    if len(set(e.persons)) != len(e.persons):
        problems.append("a person is listed twice")
    for p in e.persons:
        if state.actors[p].whereabouts is not _WHEREABOUTS_DETAINED:
            problems.append(f"{p!r} is not detained")
    return problems or None


@rule(CustodyTransferred)
def transfer_moves(state: CrisisState, e: CustodyTransferred) -> list[str] | None:
    if e.to is None and e.place is None:
        return ["a transfer names the new custodian (to), the new place, or both"]
    problems = []
    for p in e.persons:
        held = state.actors[p].custody
        if held is not None and (e.to is None or e.to == held.custodian) and (
                e.place is None or e.place == held.place):
            problems.append(f"{p!r} is already held by {held.custodian!r}"
                            + (f" at {held.place}" if held.place else ""))
    return problems or None


@rule(CustodyExpelled)
def expelled_to_country(state: CrisisState, e: CustodyExpelled) -> str | None:
    if not (len(e.to) == 3 and e.to.isascii() and e.to.isalpha()):
        return f"destination {e.to!r} is not an ISO 3166 alpha-3 code (such as 'COL')"
    return None


def _released_count(e: PrisonersReleased) -> Count | None:
    if e.count is not None:
        return e.count
    return Count.exact(len(e.persons)) if e.persons else None


@rule(PrisonersReleased)
def release_at_most_held(state: CrisisState, e: PrisonersReleased) -> list[str] | None:
    actors = state.actors
    detained = _WHEREABOUTS_DETAINED
    problems = []
    for p in e.persons:
        if actors[p].whereabouts is not detained:
            problems.append(f"{p!r} is not detained")
    if e.group is not None:
        ledger = state.ledgers.get(e.group)
        count = _released_count(e)
        exact = 0 if ledger is None else ledger.held
        most = exact if exact is not None else ledger.held_range.high if ledger else 0
        if most is not None and count is not None and count.floor > most:
            held = f"only {most}" if exact is not None else f"at most {most}"
            shown = count.value if count.value is not None else count
            problems.append(f"releases {shown} from {e.group!r}, which holds {held}")
    return problems or None


@rule(PrisonersReleased)
def conditions_need_conditional(state: CrisisState, e: PrisonersReleased) -> str | None:
    if e.conditions and not e.conditional:
        return "conditions are given for a release not marked conditional"
    return None


@rule(AmnestyProposed)
def offer_unique(state: CrisisState, e: AmnestyProposed) -> str | None:
    old = state.offers.get(e.offer)
    if old is None:
        return None
    if old.formal or not e.formal or not old.pending:
        return (
            f"offer {e.offer!r} already exists; it may be proposed again only to "
            "formalise a reported offer that is still pending"
        )
    if old.by != e.by:
        return f"offer {e.offer!r} was proposed by {old.by!r}, not {e.by!r}"
    return None


@rule(AmnestyProposed)
def offer_addressed(state: CrisisState, e: AmnestyProposed) -> str | None:
    if not e.to:
        return "an offer is made to at least one actor"
    return None


@rule(AmnestyAccepted, AmnestyRejected, AmnestyWithdrawn)
def offer_pending(
    state: CrisisState, e: AmnestyAccepted | AmnestyRejected | AmnestyWithdrawn
) -> str | None:
    offer = state.offers[e.offer]
    if not offer.pending:
        return f"offer {e.offer!r} was already {offer.status.value} on {offer.resolved_on}"
    return None


@rule(AmnestyAccepted, AmnestyRejected)
def offer_recipient(state: CrisisState, e: AmnestyAccepted | AmnestyRejected) -> str | None:
    offer = state.offers[e.offer]
    if e.by not in offer.to:
        return f"{e.by!r} is not one the offer {e.offer!r} was made to ({', '.join(offer.to)})"
    return None


@rule(AmnestyWithdrawn)
def offer_proposer(state: CrisisState, e: AmnestyWithdrawn) -> str | None:
    offer = state.offers[e.offer]
    if e.by != offer.by:
        return f"only the proposer {offer.by!r} can withdraw offer {e.offer!r}"
    return None


# -- handlers ---------------------------------------------------------------------------------


_custody = compile_make(Custody)  # Custody(...), without the frozen __init__'s cost
_threaten = compile_replace(Jeopardy, ("threatened",))
_want = compile_replace(Jeopardy, ("wanted",))
_charge = compile_replace(Jeopardy, ("charged",))


@handler(ArrestThreatened)
def _threatened(draft: Draft, e: ArrestThreatened) -> None:
    actor = draft.edit_actor(e.person)
    actor.jeopardy = _threaten(actor.jeopardy, True)


@handler(ArrestWarrantIssued)
def _wanted(draft: Draft, e: ArrestWarrantIssued) -> None:
    actor = draft.edit_actor(e.person)
    actor.jeopardy = _want(actor.jeopardy, True)


@handler(ChargesFiled)
def _charged(draft: Draft, e: ChargesFiled) -> None:
    actor = draft.edit_actor(e.person)
    jeopardy = actor.jeopardy
    charges = tuple(dict.fromkeys((*jeopardy.charged, *(e.charges or ("unspecified",)))))
    actor.jeopardy = _charge(jeopardy, charges)


def _move(draft: Draft, persons: tuple[str, ...], whereabouts: Whereabouts) -> None:
    for person in persons:
        draft.edit_actor(person).whereabouts = whereabouts


def _end_custody(draft: Draft, persons: tuple[str, ...], status: CustodyStatus, e: Event,
                 place: Place | None = None) -> None:
    """Close the custody of each of ``persons`` with a ``status`` entry in their history."""
    for p in persons:
        a = draft.edit_actor(p)
        held = a.custody
        entry = _custody(status, None if held is None else held.custodian,
                        place if place is not None else (None if held is None else held.place),
                        None if held is None else held.group, e.occurred_on, e.precision)
        a.custody_history = appended(a.custody_history, entry)
        a.custody = None


@handler(PeopleDetained)
def _detained(draft: Draft, e: PeopleDetained) -> None:
    if e.group is not None:
        count = e.count if e.count is not None else (
            Count.exact(len(e.persons)) if e.persons else None)
        ledger = draft.edit_ledger(e.group)
        ledger.detained = ledger.detained.add(count)
    if e.persons:
        by = actors_of(e.by)
        custodian = e.custodian if e.custodian is not None else (by[0] if len(by) == 1 else None)
        custody = _custody(_CUSTODYSTATUS_DETAINED, custodian, e.place, e.group,
                          e.occurred_on, e.precision)
        for p in e.persons:
            a = draft.edit_actor(p)
            a.whereabouts = _WHEREABOUTS_DETAINED
            a.custody = custody
            a.custody_history = appended(a.custody_history, custody)
            if e.place is not None:
                a.location = e.place.name


def _release_from_groups(draft: Draft, groups: dict[str, Count | None], conditional: bool = False,
                         conditions: tuple[str, ...] = ()) -> None:
    for group, n in groups.items():
        ledger = draft.edit_ledger(group)
        if conditional:
            ledger.conditionally_released = ledger.conditionally_released.add(n)
            ledger.conditions = tuple(dict.fromkeys((*ledger.conditions, *conditions)))
        else:
            ledger.released = ledger.released.add(n)


@handler(PrisonersReleased)
def _released(draft: Draft, e: PrisonersReleased) -> None:
    if e.group is not None:
        _release_from_groups(draft, {e.group: _released_count(e)}, e.conditional, e.conditions)
    else:  # named persons leave the groups they were counted in
        _release_from_groups(draft, _custody_groups(draft, e.persons), e.conditional,
                             e.conditions)
    place = e.place
    for p in e.persons:  # (one pass: what _end_custody and _move do, for each person)
        a = draft.edit_actor(p)
        held = a.custody
        # out of prison: where they were held is no longer where they are
        if place is not None:
            a.location = place.name
        elif held is not None and held.place is not None and a.location == held.place.name:
            a.location = None
        entry = _custody(_CUSTODYSTATUS_RELEASED, None if held is None else held.custodian,
                         place if place is not None else (None if held is None else held.place),
                         None if held is None else held.group, e.occurred_on, e.precision)
        a.custody_history = appended(a.custody_history, entry)
        a.custody = None
        a.whereabouts = _WHEREABOUTS_AT_LARGE


@handler(CustodyTransferred)
def _transferred(draft: Draft, e: CustodyTransferred) -> None:
    for p in e.persons:
        a = draft.edit_actor(p)
        held = a.custody
        entry = _custody(_CUSTODYSTATUS_TRANSFERRED,
                        e.to if e.to is not None else (None if held is None else held.custodian),
                        e.place if e.place is not None else (None if held is None else held.place),
                        None if held is None else held.group, e.occurred_on, e.precision)
        a.custody = entry
        a.custody_history = appended(a.custody_history, entry)
        if e.place is not None:
            a.location = e.place.name


@handler(CustodyExpelled)
def _expelled(draft: Draft, e: CustodyExpelled) -> None:
    _release_from_groups(draft, _custody_groups(draft, e.persons))
    for p in e.persons:
        a = draft.actors[p]
        held = a.custody
        origin = str(e.place) if e.place is not None else (
            str(held.place) if held is not None and held.place is not None else a.location)
        moved(draft, p, _MOVEMENTKIND_EXPELLED, e, origin=origin, destination=e.to)
    _end_custody(draft, e.persons, _CUSTODYSTATUS_EXPELLED, e)
    for p in e.persons:
        a = draft.edit_actor(p)
        a.whereabouts = _WHEREABOUTS_AT_LARGE if a.country == e.to else _WHEREABOUTS_IN_EXILE
        a.location = e.to


_offer = compile_make(Offer)  # Offer(...), without the frozen __init__'s cost


@handler(AmnestyProposed)
def _proposed(draft: Draft, e: AmnestyProposed) -> None:
    old = draft.offers.get(e.offer)
    draft.put_offer(_offer(
        id=e.offer,
        by=e.by,
        to=e.to,
        beneficiaries=e.beneficiaries,
        conditions=e.conditions,
        formal=e.formal,
        proposed_on=old.proposed_on if old is not None else e.occurred_on,
        proposed_precision=old.proposed_precision if old is not None else e.precision,
    ))


def _resolve(draft: Draft, offer_id: str, status: OfferStatus, e: Event, by: str) -> None:
    offer = draft.edit_offer(offer_id)
    offer.status = status
    offer.resolved_on = e.occurred_on
    offer.resolved_precision = e.precision
    offer.resolved_by = by


@handler(AmnestyAccepted)
def _accepted(draft: Draft, e: AmnestyAccepted) -> None:
    _resolve(draft, e.offer, _OFFERSTATUS_ACCEPTED, e, e.by)


@handler(AmnestyRejected)
def _rejected(draft: Draft, e: AmnestyRejected) -> None:
    _resolve(draft, e.offer, _OFFERSTATUS_REJECTED, e, e.by)


@handler(AmnestyWithdrawn)
def _withdrawn(draft: Draft, e: AmnestyWithdrawn) -> None:
    _resolve(draft, e.offer, _OFFERSTATUS_WITHDRAWN, e, e.by)


# -- plain words --------------------------------------------------------------------------------


def _people(count: Count | None) -> str:
    return f"{count} people" if count is not None else "an unreported number of people"


@summarizer(ArrestThreatened)
def _threatened_words(e: ArrestThreatened, n: Name) -> str:
    return f"{n(e.person)} is threatened with arrest{by_words(e.by, n)}"


@summarizer(ArrestWarrantIssued)
def _warrant_words(e: ArrestWarrantIssued, n: Name) -> str:
    return f"a warrant is issued for the arrest of {n(e.person)}{by_words(e.by, n)}"


@summarizer(ChargesFiled)
def _charged_words(e: ChargesFiled, n: Name) -> str:
    return (f"{n(e.person)} is charged" + (f" with {', '.join(e.charges)}" if e.charges else "")
            + by_words(e.by, n))


@summarizer(PeopleDetained)
def _detained_words(e: PeopleDetained, n: Name) -> str:
    who = []
    if e.group is not None or e.count is not None:
        who.append(_people(e.count) + (f" ({n(e.group)})" if e.group else ""))
    if e.persons:
        who.append(names_words(e.persons, n))
    held = f", held by {n(e.custodian)}" if e.custodian else ""
    seized = " (seized abroad)" if e.abduction else ""
    return f"{' and '.join(who)} detained{by_words(e.by, n)}{held}{seized}"


@summarizer(PrisonersReleased)
def _released_words(e: PrisonersReleased, n: Name) -> str:
    return (_people(_released_count(e))
            + (f" ({names_words(e.persons, n)})" if e.persons else "")
            + (f" from {n(e.group)}" if e.group else "")
            + (" released on conditions" if e.conditional else " released")
            + by_words(e.by, n)
            + (f": {'; '.join(e.conditions)}" if e.conditions else ""))


@summarizer(CustodyTransferred)
def _transferred_words(e: CustodyTransferred, n: Name) -> str:
    return (f"{names_words(e.persons, n)} transferred"
            + (f" to the custody of {n(e.to)}" if e.to else "") + by_words(e.by, n))


@summarizer(CustodyExpelled)
def _expelled_words(e: CustodyExpelled, n: Name) -> str:
    return f"{names_words(e.persons, n)} expelled from custody into {e.to}{by_words(e.by, n)}"


@summarizer(AmnestyProposed)
def _proposed_words(e: AmnestyProposed, n: Name) -> str:
    return (f"{n(e.by)} " + ("formally offers" if e.formal else "is reported to consider")
            + f" an amnesty ({e.offer}) to {names_words(e.to, n)}"
            + (f" covering {names_words(e.beneficiaries, n)}" if e.beneficiaries else "")
            + (f", on conditions: {'; '.join(e.conditions)}" if e.conditions else ""))


@summarizer(AmnestyAccepted)
def _accepted_words(e: AmnestyAccepted, n: Name) -> str:
    return f"{n(e.by)} accepts the amnesty {e.offer}"


@summarizer(AmnestyRejected)
def _rejected_words(e: AmnestyRejected, n: Name) -> str:
    return f"{n(e.by)} rejects the amnesty {e.offer}"


@summarizer(AmnestyWithdrawn)
def _withdrawn_words(e: AmnestyWithdrawn, n: Name) -> str:
    return f"{n(e.by)} withdraws the amnesty {e.offer}"
