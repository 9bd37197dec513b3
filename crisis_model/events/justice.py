"""Justice: threats, warrants, charges, detentions, releases and amnesty offers."""

from __future__ import annotations

import attrs

from .._draft import Draft
from .._event import Event, ref, strings
from .._place import Place
from .._replace import compile_replace  # public as crisis_model.compile_replace
from ..reducer import event_type, handler, reference_kind, rule
from ..state import CrisisState, Jeopardy, Offer, OfferStatus, Whereabouts

__all__ = [
    "AmnestyAccepted",
    "AmnestyProposed",
    "AmnestyRejected",
    "AmnestyWithdrawn",
    "ArrestThreatened",
    "ArrestWarrantIssued",
    "ChargesFiled",
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

    ``count`` is ``None`` when the report gives no number.
    """

    group: str | None = ref("actor", default=None)
    count: int | None = None
    persons: tuple[str, ...] = ref("actor", default=(), converter=strings)
    by: str | None = ref("actor", default=None)
    place: Place | None = None


@event_type("justice.released", version=1)
@attrs.frozen(kw_only=True)
class PrisonersReleased(Event):
    """Detainees are released, outright or on conditions (``conditional``, ``conditions``)."""

    group: str | None = ref("actor", default=None)
    count: int | None = None
    conditional: bool = False
    conditions: tuple[str, ...] = attrs.field(default=(), converter=strings)
    persons: tuple[str, ...] = ref("actor", default=(), converter=strings)
    by: str | None = ref("actor", default=None)
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
def non_negative_count(state: CrisisState, e: PeopleDetained | PrisonersReleased) -> str | None:
    if e.count is not None and e.count < 0:
        return f"count is {e.count}; a count is never negative"
    return None


@rule(PeopleDetained, PrisonersReleased)
def someone(state: CrisisState, e: PeopleDetained | PrisonersReleased) -> str | None:
    if e.group is None and not e.persons:
        return "name a group, persons, or both"
    if len(set(e.persons)) != len(e.persons):
        return "a person is listed twice"
    return None


@rule(PeopleDetained)
def not_already_detained(state: CrisisState, e: PeopleDetained) -> list[str] | None:
    actors = state.actors
    detained = Whereabouts.DETAINED
    for p in e.persons:
        if actors[p].whereabouts is detained:
            return [f"{p!r} is already detained"
                    for p in e.persons if actors[p].whereabouts is detained]
    return None


def _released_count(e: PrisonersReleased) -> int | None:
    if e.count is not None:
        return e.count
    return len(e.persons) if e.persons else None


@rule(PrisonersReleased)
def release_at_most_held(state: CrisisState, e: PrisonersReleased) -> list[str] | None:
    actors = state.actors
    detained = Whereabouts.DETAINED
    problems = []
    for p in e.persons:
        if actors[p].whereabouts is not detained:
            problems.append(f"{p!r} is not detained")
    if e.group is not None:
        ledger = state.ledgers.get(e.group)
        count = _released_count(e)
        held = 0 if ledger is None else ledger.held
        if held is not None and count is not None and count > held:
            problems.append(f"releases {count} from {e.group!r}, which holds only {held}")
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


@handler(PeopleDetained)
def _detained(draft: Draft, e: PeopleDetained) -> None:
    if e.group is not None:
        count = e.count if e.count is not None else (len(e.persons) if e.persons else None)
        ledger = draft.edit_ledger(e.group)
        ledger.detained = ledger.detained.add(count)
    _move(draft, e.persons, Whereabouts.DETAINED)


@handler(PrisonersReleased)
def _released(draft: Draft, e: PrisonersReleased) -> None:
    if e.group is not None:
        count = _released_count(e)
        ledger = draft.edit_ledger(e.group)
        if e.conditional:
            ledger.conditionally_released = ledger.conditionally_released.add(count)
            ledger.conditions = tuple(dict.fromkeys((*ledger.conditions, *e.conditions)))
        else:
            ledger.released = ledger.released.add(count)
    _move(draft, e.persons, Whereabouts.AT_LARGE)


@handler(AmnestyProposed)
def _proposed(draft: Draft, e: AmnestyProposed) -> None:
    old = draft.offers.get(e.offer)
    draft.put_offer(Offer(
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
    _resolve(draft, e.offer, OfferStatus.ACCEPTED, e, e.by)


@handler(AmnestyRejected)
def _rejected(draft: Draft, e: AmnestyRejected) -> None:
    _resolve(draft, e.offer, OfferStatus.REJECTED, e, e.by)


@handler(AmnestyWithdrawn)
def _withdrawn(draft: Draft, e: AmnestyWithdrawn) -> None:
    _resolve(draft, e.offer, OfferStatus.WITHDRAWN, e, e.by)
