"""Named invariants over one state, and ``check_invariants(state)``.

Rules guard transitions (is this event admissible here?); invariants judge a
single state (is this state coherent?).  The central property the test suite
proves: every event the rules admit leaves every invariant true.

Users add their own with :func:`invariant`; it joins :func:`check_invariants`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import attrs

from .errors import RegistrationError
from .reducer import registry
from .state import AuditStatus, CrisisState, OfferStatus, StanceKind, Tally

__all__ = ["InvariantViolation", "check_invariants", "invariant"]

InvariantResult = Iterable["str | InvariantViolation"] | None


@attrs.frozen
class InvariantViolation:
    """A state that breaks invariant ``invariant``, at ``subject`` (an actor, election... id)."""

    invariant: str
    message: str
    subject: str | None = None

    def __str__(self) -> str:
        at = f" ({self.subject})" if self.subject else ""
        return f"invariant {self.invariant!r}{at}: {self.message}"


def invariant(
    name: str,
) -> Callable[[Callable[[CrisisState], InvariantResult]], Callable[[CrisisState], InvariantResult]]:
    """Register a named invariant: a function of one state yielding what is wrong.

    It may yield plain messages or :class:`InvariantViolation` records (to name
    a subject); an empty result means the invariant holds.
    """

    def decorate(
        fn: Callable[[CrisisState], InvariantResult],
    ) -> Callable[[CrisisState], InvariantResult]:
        if name in registry.invariants:
            raise RegistrationError(f"invariant {name!r} is already registered")
        registry.invariants[name] = fn
        registry._changed()
        return fn

    return decorate


def check_invariants(state: CrisisState) -> list[InvariantViolation]:
    """Every violated invariant in ``state`` (an empty list: the state is coherent)."""
    found: list[InvariantViolation] = []
    for name, fn in registry.invariants.items():
        for item in fn(state) or ():
            if isinstance(item, InvariantViolation):
                if not item.invariant:
                    item = InvariantViolation(name, item.message, item.subject)
                found.append(item)
            else:
                found.append(InvariantViolation(name, str(item)))
    return found


def _v(message: str, subject: str) -> InvariantViolation:
    return InvariantViolation("", message, subject)


@invariant("ids-match-keys")
def _ids_match(state: CrisisState) -> Iterator[InvariantViolation]:
    for table in (state.actors, state.elections, state.offers):
        for key, record in table.items():
            if record.id != key:
                yield _v(f"stored under {key!r} but its id is {record.id!r}", key)


@invariant("history-clock")
def _clock(state: CrisisState) -> Iterator[str]:
    if state.version < 0:
        yield f"version is {state.version}"
    if state.version > 0 and state.as_of is None:
        yield "events were applied but no date was reached"


@invariant("shares-in-range")
def _shares(state: CrisisState) -> Iterator[InvariantViolation]:
    # imported here: the vocabulary registers invariants with this module, so it
    # must load without the vocabulary
    from .events.elections import share_problems

    for eid, election in state.elections.items():
        results = [(a, d.shares) for a, d in election.declarations.items()]
        results += [(a, c.shares) for a, c in election.claims.items()]
        for who, shares in results:
            for problem in share_problems(shares, election.candidates):
                yield _v(f"result of {who!r}: {problem}", eid)


@invariant("winners-are-candidates")
def _winners(state: CrisisState) -> Iterator[InvariantViolation]:
    for eid, election in state.elections.items():
        named: list[tuple[str, str | None]]
        named = [(f"declaration by {a!r}", d.winner) for a, d in election.declarations.items()]
        named += [(f"claim by {a!r}", c.claimed_winner) for a, c in election.claims.items()]
        named += [(f"assessment by {a!r}", s.favours) for a, s in election.assessments.items()]
        named += [(f"audit {a!r}", s.upholds) for a, s in election.audits.items()]
        for what, who in named:
            if who is not None and who not in election.candidates:
                yield _v(f"{what} names {who!r}, not a candidate", eid)
    for aid, actor in state.actors.items():
        for eid, stance in actor.stances.items():
            held = state.elections.get(eid)
            if stance.kind is StanceKind.RECOGNISES and (
                held is None or stance.winner not in held.candidates
            ):
                yield _v(f"recognises {stance.winner!r}, not a candidate of {eid!r}", aid)


def _tally_ok(t: Tally) -> bool:
    return t.known >= 0 and t.uncounted >= 0


@invariant("counts-non-negative")
def _counts(state: CrisisState) -> Iterator[InvariantViolation]:
    i = state.incidents
    for name in ("protests", "crackdowns", "harassment_reports"):
        if getattr(i, name) < 0:
            yield _v(f"{name} is {getattr(i, name)}", "incidents")
    for name in ("deaths", "injuries", "arrests"):
        if not _tally_ok(getattr(i, name)):
            yield _v(f"{name} is {getattr(i, name)!r}", "incidents")
    for group, ledger in state.ledgers.items():
        for tally in (ledger.detained, ledger.released, ledger.conditionally_released):
            if not _tally_ok(tally):
                yield _v(f"negative tally {tally!r}", group)


@invariant("released-at-most-detained")
def _ledgers(state: CrisisState) -> Iterator[InvariantViolation]:
    for group, ledger in state.ledgers.items():
        held = ledger.held
        if held is not None and held < 0:
            yield _v(
                f"{ledger.detained.known} detained but {ledger.released.known} released and "
                f"{ledger.conditionally_released.known} conditionally released",
                group,
            )


@invariant("references-resolve")
def _references(state: CrisisState) -> Iterator[InvariantViolation]:
    actors = state.actors
    for aid, actor in actors.items():
        refs = [actor.affiliation, actor.asylum.host if actor.asylum else None]
        for ref in refs:
            if ref is not None and ref not in actors:
                yield _v(f"refers to unknown actor {ref!r}", aid)
        for eid in actor.stances:
            if eid not in state.elections:
                yield _v(f"takes a stance on unknown election {eid!r}", aid)
    for eid, election in state.elections.items():
        ids = [*election.candidates, *election.declarations, *election.claims,
               *election.assessments, *(a.by for a in election.audits.values()),
               *(x for pair in election.transparency_demands for x in pair)]
        for ref in ids:
            if ref not in actors:
                yield _v(f"refers to unknown actor {ref!r}", eid)
    for oid, offer in state.offers.items():
        for ref in (offer.by, *offer.to, *offer.beneficiaries):
            if ref not in actors:
                yield _v(f"refers to unknown actor {ref!r}", oid)
    for group in state.ledgers:
        if group not in actors:
            yield _v("ledger of an unknown group", group)


@invariant("offer-lifecycle")
def _offers(state: CrisisState) -> Iterator[InvariantViolation]:
    for oid, offer in state.offers.items():
        resolved = offer.resolved_on is not None or offer.resolved_by is not None
        if offer.pending and resolved:
            yield _v("pending, yet resolved", oid)
        if not offer.pending and not resolved:
            yield _v(f"{offer.status.value} but with no date or actor", oid)
        if offer.status in (OfferStatus.ACCEPTED, OfferStatus.REJECTED) and (
            offer.resolved_by not in offer.to
        ):
            yield _v(f"{offer.status.value} by {offer.resolved_by!r}, not a recipient", oid)
        if offer.status is OfferStatus.WITHDRAWN and offer.resolved_by != offer.by:
            yield _v(f"withdrawn by {offer.resolved_by!r}, not its proposer", oid)


@invariant("audit-lifecycle")
def _audits(state: CrisisState) -> Iterator[InvariantViolation]:
    for eid, election in state.elections.items():
        for aid, audit in election.audits.items():
            if audit.status is AuditStatus.OPEN and (audit.finding or audit.upholds):
                yield _v(f"audit {aid!r} is open but has a finding", eid)


@invariant("asylum-abroad")
def _asylum(state: CrisisState) -> Iterator[InvariantViolation]:
    for aid, actor in state.actors.items():
        if actor.asylum is not None and actor.asylum.host == aid:
            yield _v("seeks asylum from itself", aid)
