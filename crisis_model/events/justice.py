"""Justice: threats, warrants, charges, detentions, releases and amnesty offers."""

from __future__ import annotations

from typing import Any

import attrs

from .._event import Event, ref, strings
from ..reducer import event_type, handler, reference_kind, rule
from ..state import CrisisState, Jeopardy, Ledger, Offer, OfferStatus, Whereabouts, replace

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

reference_kind("offer", lambda state, key: key in state.offers, ids=lambda state: state.offers)


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
    return [f"{p!r} is already detained"
            for p in e.persons if actors[p].whereabouts is detained] or None


def _released_count(e: PrisonersReleased) -> int | None:
    if e.count is not None:
        return e.count
    return len(e.persons) if e.persons else None


@rule(PrisonersReleased)
def release_at_most_held(state: CrisisState, e: PrisonersReleased) -> list[str] | None:
    actors = state.actors
    detained = Whereabouts.DETAINED
    problems = [f"{p!r} is not detained"
                for p in e.persons if actors[p].whereabouts is not detained]
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


def _jeopardy(state: CrisisState, person: str, **changes: Any) -> CrisisState:
    jeopardy: Jeopardy = state.actors[person].jeopardy
    return state.with_actor(person, jeopardy=replace(jeopardy, **changes))


@handler(ArrestThreatened)
def _threatened(state: CrisisState, e: ArrestThreatened) -> CrisisState:
    return _jeopardy(state, e.person, threatened=True)


@handler(ArrestWarrantIssued)
def _wanted(state: CrisisState, e: ArrestWarrantIssued) -> CrisisState:
    return _jeopardy(state, e.person, wanted=True)


@handler(ChargesFiled)
def _charged(state: CrisisState, e: ChargesFiled) -> CrisisState:
    old = state.actors[e.person].jeopardy.charged
    charges = tuple(dict.fromkeys((*old, *(e.charges or ("unspecified",)))))
    return _jeopardy(state, e.person, charged=charges)


def _move(state: CrisisState, persons: tuple[str, ...], whereabouts: Whereabouts) -> CrisisState:
    return state.with_actors(persons, whereabouts=whereabouts) if persons else state


@handler(PeopleDetained)
def _detained(state: CrisisState, e: PeopleDetained) -> CrisisState:
    if e.group is not None:
        count = e.count if e.count is not None else (len(e.persons) if e.persons else None)
        state = state.with_ledger(
            e.group, lambda g: replace(g, detained=g.detained.add(count))
        )
    return _move(state, e.persons, Whereabouts.DETAINED)


@handler(PrisonersReleased)
def _released(state: CrisisState, e: PrisonersReleased) -> CrisisState:
    if e.group is not None:
        count = _released_count(e)

        def change(g: Ledger) -> Ledger:
            if e.conditional:
                conditions = tuple(dict.fromkeys((*g.conditions, *e.conditions)))
                return replace(
                    g,
                    conditionally_released=g.conditionally_released.add(count),
                    conditions=conditions,
                )
            return replace(g, released=g.released.add(count))

        state = state.with_ledger(e.group, change)
    return _move(state, e.persons, Whereabouts.AT_LARGE)


@handler(AmnestyProposed)
def _proposed(state: CrisisState, e: AmnestyProposed) -> CrisisState:
    old = state.offers.get(e.offer)
    offer = Offer(
        id=e.offer,
        by=e.by,
        to=e.to,
        beneficiaries=e.beneficiaries,
        conditions=e.conditions,
        formal=e.formal,
        proposed_on=old.proposed_on if old is not None else e.occurred_on,
        proposed_precision=old.proposed_precision if old is not None else e.precision,
    )
    return state.put_offer(offer)


def _resolve(state: CrisisState, offer: str, status: OfferStatus, e: Event, by: str) -> CrisisState:
    return state.with_offer(
        offer, status=status, resolved_on=e.occurred_on, resolved_precision=e.precision,
        resolved_by=by,
    )


@handler(AmnestyAccepted)
def _accepted(state: CrisisState, e: AmnestyAccepted) -> CrisisState:
    return _resolve(state, e.offer, OfferStatus.ACCEPTED, e, e.by)


@handler(AmnestyRejected)
def _rejected(state: CrisisState, e: AmnestyRejected) -> CrisisState:
    return _resolve(state, e.offer, OfferStatus.REJECTED, e, e.by)


@handler(AmnestyWithdrawn)
def _withdrawn(state: CrisisState, e: AmnestyWithdrawn) -> CrisisState:
    return _resolve(state, e.offer, OfferStatus.WITHDRAWN, e, e.by)
