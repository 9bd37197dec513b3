"""Admission checks: one fast check for each of the busiest event types.

Replay asks of each event only whether it is admissible; these checks answer for
several of a type's rules at once, with one pass over the actors the event names
(see :func:`crisis_model.admission`).  They return ``True`` only in the common,
plainly admissible case and ``False`` whenever anything needs a closer look (an
exile, a named group, someone dead), leaving the rules to decide and to say why.
Each covers every rule of its type and its references too (``references=True``):
a missing id makes it say no (a ``KeyError`` counts as no), so it is the type's
whole admission.  Messages, waivers and :func:`crisis_model.check` always come
from the rules.
``tests/test_admissions.py`` compares every check with its rules on generated logs
(:func:`crisis_model.testing.check_admissions`).

They are registered with the public :func:`crisis_model.admission`, as a user's
extension would register its own; this module imports every module whose rules it
covers, so those rules are registered before it names them.
"""

from __future__ import annotations

from typing import Any

from ..countries import is_country
from ..reducer import admission
from ..state import AsylumStatus, Whereabouts
from . import kinds as _kinds
from .actors import ActorIntroduced
from .elections import (
    ElectionDeclared,
    ObserverAssessed,
    ResultDisputed,
    seat_problems,
    share_problems,
    winner_problems,
)
from .justice import ArrestThreatened, ArrestWarrantIssued, PeopleDetained, PrisonersReleased
from .movement import (
    AsylumDenied,
    AsylumGranted,
    AsylumSought,
    LeftCountry,
    Reappeared,
    TookEmbassyRefuge,
    WentIntoHiding,
)
from .office import ClaimBasis, OfficeAssumed
from .recognition import RecognitionWithheld, WinnerRecognized

__all__: list[str] = []

_DETAINED = Whereabouts.DETAINED
_HIDING = Whereabouts.IN_HIDING
_EXILE = Whereabouts.IN_EXILE
_AT_LARGE = Whereabouts.AT_LARGE
_PARALLEL = ClaimBasis.PARALLEL
_SOUGHT = AsylumStatus.SOUGHT
_str = str


def _known(actors: Any, ids: str | tuple[str, ...] | None) -> bool:
    """Whether each id of an optional reference field (one id or several) is an actor."""
    if ids is None:
        return True
    if ids.__class__ is _str:
        return ids in actors
    for k in ids:  # noqa: SIM110 (a loop, not all(): no generator on the common path)
        if k not in actors:
            return False
    return True


def _living(actors: Any, ids: str | tuple[str, ...] | None) -> bool:
    """Whether each id of an optional actor field is an actor not recorded dead (a missing
    id raises ``KeyError``, which counts as no)."""
    if ids is None:
        return True
    if ids.__class__ is _str:
        return actors[ids].death is None
    for k in ids:  # noqa: SIM110 (a loop, not all(): no generator on the common path)
        if actors[k].death is not None:
            return False
    return True


@admission(PeopleDetained, covers=("someone", "not-already-detained", "exiles-detained-abroad",
                                   "alive", "detainable-kind"), references=True)
def _detained(state: Any, e: PeopleDetained) -> bool:
    actors = state.actors
    persons = e.persons
    group = e.group
    detain = _kinds._DETAIN
    if group is None:
        if not persons:
            return False
    elif actors[group].kind not in detain:
        return False
    if len(persons) > 1 and len(set(persons)) != len(persons):
        return False
    for p in persons:
        a = actors[p]
        where = a.whereabouts
        if (where is _DETAINED or where is _EXILE or a.death is not None
                or a.kind not in detain):
            return False
    return _living(actors, e.by) and (e.custodian is None or e.custodian in actors)


@admission(PrisonersReleased, covers=("someone", "counted-in-group", "release-at-most-held",
                                      "conditions-need-conditional"), references=True)
def _released(state: Any, e: PrisonersReleased) -> bool:
    if e.group is not None:  # the group's ledger: the rules count it
        return False
    persons = e.persons
    if not persons or (len(persons) > 1 and len(set(persons)) != len(persons)):
        return False
    if e.conditions and not e.conditional:
        return False
    actors = state.actors
    for p in persons:
        if actors[p].whereabouts is not _DETAINED:
            return False
    return _known(actors, e.by)


@admission(WentIntoHiding,
           covers=("free-to-move", "not-already-hiding", "alive", "movable-kind"), references=True)
def _hiding(state: Any, e: WentIntoHiding) -> bool:
    a = state.actors[e.person]
    where = a.whereabouts
    return (where is not _DETAINED and where is not _HIDING and a.death is None
            and a.kind in _kinds._MOVE)


@admission(Reappeared, covers=("free-to-move", "was-away", "alive"), references=True)
def _reappeared(state: Any, e: Reappeared) -> bool:
    a = state.actors[e.person]
    where = a.whereabouts
    return where is not _DETAINED and where is not _AT_LARGE and a.death is None


@admission(TookEmbassyRefuge, covers=("free-to-move", "alive", "movable-kind"), references=True)
def _refuge(state: Any, e: TookEmbassyRefuge) -> bool:
    actors = state.actors
    a = actors[e.person]
    return (a.whereabouts is not _DETAINED and a.death is None and a.kind in _kinds._MOVE
            and (e.embassy_of is None or e.embassy_of in actors))


@admission(LeftCountry, covers=("free-to-move", "destination-code", "exile-abroad", "alive",
                                "movable-kind"), references=True)
def _left(state: Any, e: LeftCountry) -> bool:
    a = state.actors[e.person]
    where = a.whereabouts
    to = e.to
    return (where is not _DETAINED and a.death is None and a.kind in _kinds._MOVE
            and is_country(to) and to != a.country
            and not (where is _EXILE and a.location == to))


@admission(ArrestThreatened, covers=("alive",), references=True)
def _threatened(state: Any, e: ArrestThreatened) -> bool:
    actors = state.actors
    if actors[e.person].death is not None:
        return False
    return _living(actors, e.by)


@admission(ArrestWarrantIssued, covers=("alive",), references=True)
def _warrant(state: Any, e: ArrestWarrantIssued) -> bool:
    actors = state.actors
    return actors[e.person].death is None and _known(actors, e.by)


@admission(OfficeAssumed, covers=("not-holding", "new-term-incumbent", "parallel-named-by",
                                  "alive", "office-holder-kind"), references=True)
def _assumed(state: Any, e: OfficeAssumed) -> bool:
    actors = state.actors
    a = actors[e.person]
    if (e.office in a.offices) is not e.new_term:
        return False
    if e.basis is _PARALLEL and not e.by:
        return False
    return a.death is None and a.kind in _kinds._HOLD and _known(actors, e.by)


@admission(AsylumSought, covers=("not-pending-already", "asylum-abroad", "alive",
                                 "asylum-seeker-kind", "asylum-host-kind"), references=True)
def _asylum(state: Any, e: AsylumSought) -> bool:
    actors = state.actors
    person, host = e.person, e.host
    if person == host:
        return False
    a, h = actors[person], actors[host]
    if a.asylum is not None or a.death is not None:
        return False
    if a.country is not None and h.country == a.country:
        return False
    return a.kind in _kinds._SEEK and h.kind in _kinds._GRANT


@admission(ActorIntroduced, covers=("country-code", "named", "office-holder-kind"), references=True)
def _introduced(state: Any, e: ActorIntroduced) -> bool:
    actors = state.actors
    if e.actor in actors or (e.affiliation is not None and e.affiliation not in actors):
        return False  # the id is taken, or the affiliation unknown
    if e.country is not None and not is_country(e.country):
        return False
    if not e.actor.strip() or not e.name.strip():
        return False
    return not e.offices or e.kind in _kinds._HOLD


@admission(ElectionDeclared, covers=("vote-held", "winner-is-candidate", "valid-shares",
                                     "valid-seats", "winner-leads"), references=True)
def _declared(state: Any, e: ElectionDeclared) -> bool:
    election = state.elections[e.election]
    candidates = election.candidates
    if not election.held or e.winner not in candidates:
        return False
    actors = state.actors
    if e.authority not in actors or e.winner not in actors:
        return False
    # (elections are declared rarely: the rules' own helpers, called directly)
    shares, seats = e.shares, e.seats
    if shares and share_problems(shares, candidates):
        return False
    if seats and seat_problems(seats, candidates):
        return False
    return not winner_problems(e.authority, e.winner, shares, seats)


@admission(ResultDisputed,
           covers=("vote-held", "claimant-is-candidate", "valid-shares"), references=True)
def _disputed(state: Any, e: ResultDisputed) -> bool:
    election = state.elections[e.election]
    candidates = election.candidates
    actors = state.actors
    if not election.held or not _known(actors, e.by) or not _known(actors, e.claimed_winner):
        return False
    if e.claimed_winner is not None and e.claimed_winner not in candidates:
        return False
    return not e.shares or not share_problems(e.shares, candidates)


@admission(WinnerRecognized, covers=("vote-held", "recognised-is-candidate"), references=True)
def _recognised(state: Any, e: WinnerRecognized) -> bool:
    election = state.elections[e.election]
    actors = state.actors
    return (election.held and e.winner in election.candidates
            and e.by in actors and e.winner in actors)


@admission(RecognitionWithheld,
           covers=("vote-held", "one-subject", "named-claimant"), references=True)
def _withheld(state: Any, e: RecognitionWithheld) -> bool:
    election = e.election
    if election is None or e.office is not None or e.country is not None:
        return False  # about an office or a country: the rules decide
    held = state.elections[election]
    actors = state.actors
    return (held.held and e.by in actors
            and (e.actor is None or (e.actor in held.candidates and e.actor in actors)))


@admission(ObserverAssessed, covers=("favoured-is-candidate",), references=True)
def _assessed(state: Any, e: ObserverAssessed) -> bool:
    candidates = state.elections[e.election].candidates
    actors = state.actors
    return e.observer in actors and (
        e.favours is None or (e.favours in candidates and e.favours in actors))


def _pending(state: Any, e: AsylumGranted | AsylumDenied) -> Any:
    """The person's record, if asylum is pending with this host and both kinds fit; else None."""
    actors = state.actors
    a = actors[e.person]
    asylum = a.asylum
    if (asylum is None or asylum.status is not _SOUGHT or asylum.host != e.host
            or a.kind not in _kinds._SEEK or actors[e.host].kind not in _kinds._GRANT):
        return None
    return a


@admission(AsylumGranted, covers=("asylum-was-sought", "alive", "asylum-seeker-kind",
                                  "asylum-host-kind"), references=True)
def _granted(state: Any, e: AsylumGranted) -> bool:
    a = _pending(state, e)
    return a is not None and a.death is None


@admission(AsylumDenied,
           covers=("asylum-was-sought", "asylum-seeker-kind", "asylum-host-kind"), references=True)
def _denied(state: Any, e: AsylumDenied) -> bool:
    return _pending(state, e) is not None
