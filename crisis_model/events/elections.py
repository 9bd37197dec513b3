"""Elections: the vote, declarations, disputes, observers, audits and the data behind them."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, ref, strings
from .._frozenmap import FrozenMap, shares_map
from .._replace import compile_make
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, reference_kind, rule
from ..state import (
    Allegation,
    Annulment,
    Assessment,
    Audit,
    AuditStatus,
    Claim,
    Concession,
    CountKind,
    CountReport,
    CrisisState,
    DataStatus,
    Declaration,
    ElectionState,
    Rescheduling,
    Verdict,
    Withdrawal,
    replace,
)

# enum members bound once: reading one from its class costs a metaclass
# __getattr__ hook on Python 3.11 (about 20 times a global read)
_AUDITSTATUS_CONCLUDED = AuditStatus.CONCLUDED
_AUDITSTATUS_OPEN = AuditStatus.OPEN
_DATASTATUS_DISCLOSED = DataStatus.DISCLOSED
_DATASTATUS_WITHHELD = DataStatus.WITHHELD

__all__ = [
    "AuditConcluded",
    "AuditOpened",
    "CandidateConceded",
    "CandidateDisqualified",
    "CandidateWithdrew",
    "ConcessionRetracted",
    "CountReported",
    "DataDisclosed",
    "DataWithheld",
    "ElectionAnnulled",
    "ElectionCalled",
    "ElectionDeclared",
    "ElectionHeld",
    "ElectionRescheduled",
    "FraudAlleged",
    "ObserverAssessed",
    "ResultDisputed",
    "seat_problems",
    "share_problems",
    "winner_problems",
]

reference_kind("election", mapping="elections")


def share_problems(shares: Mapping[str, float], candidates: tuple[str, ...]) -> list[str]:
    """What is wrong with a set of vote shares (percentages) for these candidates.

    >>> share_problems({"a": 60.0, "b": 50.0}, ("a", "b"))
    ['shares sum to 110, more than 100']
    """
    out = []
    for who, share in shares.items():
        if not 0.0 <= share <= 100.0:
            out.append(f"share of {who!r} is {share}, outside 0-100")
        if who not in candidates:
            out.append(f"share given for {who!r}, who is not a candidate")
    total = sum(shares.values())
    if total > 100.0 + 1e-9:
        out.append(f"shares sum to {total:g}, more than 100")
    return out


def seats_map(items: Mapping[str, int] | Iterable[tuple[str, int]] = ()) -> FrozenMap[str, int]:
    """Attrs converter for seats won: a ``FrozenMap`` of whole numbers."""
    pairs = items.items() if isinstance(items, Mapping) else items
    return FrozenMap((k, v) for k, v in pairs)


def seat_problems(seats: Mapping[str, int], candidates: tuple[str, ...]) -> list[str]:
    """What is wrong with a set of seats won by these candidates (parties, lists).

    >>> seat_problems({"a": -1, "c": 3}, ("a", "b"))
    ["seats of 'a' are -1, fewer than none", "seats given for 'c', who is not a candidate"]
    """
    out = []
    for who, n in seats.items():
        if isinstance(n, bool) or not isinstance(n, int):
            out.append(f"seats of {who!r} are {n!r}, not a whole number")
        elif n < 0:
            out.append(f"seats of {who!r} are {n}, fewer than none")
        if who not in candidates:
            out.append(f"seats given for {who!r}, who is not a candidate")
    return out


def winner_problems(
    authority: str, winner: str, shares: Mapping[str, float], seats: Mapping[str, int]
) -> list[str]:
    """Whether ``winner`` leads the shares and seats ``authority`` declared with it.

    >>> winner_problems("cec", "b", {"a": 55.0, "b": 40.0}, {})
    ["'cec' declares 'b' the winner with 40%, behind 'a' with 55%"]
    """
    out = []
    for unit, result in (("%", shares), (" seats", seats)):
        if not result:
            continue
        if winner not in result:
            out.append(f"{authority!r} declares {winner!r} the winner but gives "
                       f"{'shares' if unit == '%' else 'seats'} without {winner!r}")
            continue
        top, best = max(result.items(), key=lambda kv: kv[1])
        if best > result[winner]:
            out.append(f"{authority!r} declares {winner!r} the winner with "
                       f"{result[winner]:g}{unit}, behind {top!r} with {best:g}{unit}")
    return out


def _candidate(state: CrisisState, election: str, who: str | None, what: str) -> str | None:
    if who is None or who in state.elections[election].candidates:
        return None
    return f"{what} {who!r} is not a candidate in election {election!r}"


@event_type("election.called", version=1)
@attrs.frozen(kw_only=True)
class ElectionCalled(Event):
    """An election is called (announced) before the vote, perhaps for a date, perhaps as the
    runoff of an earlier round (``runoff_of``) or the re-run of an annulled vote (``rerun_of``)."""

    election: str = ref("election", new=True)
    country: str | None = None
    office: str | None = None
    scheduled_for: _dt.date | None = None
    runoff_of: str | None = ref("election", default=None)
    rerun_of: str | None = ref("election", default=None)


@event_type("election.held", version=1)
@attrs.frozen(kw_only=True)
class ElectionHeld(Event):
    """The vote takes place, with these candidates (introduces the election if not called);
    ``runoff_of`` and ``rerun_of`` link it to an earlier round or an annulled vote."""

    election: str
    country: str | None = None
    office: str | None = None
    candidates: tuple[str, ...] = ref("actor", default=(), converter=strings)
    runoff_of: str | None = ref("election", default=None)
    rerun_of: str | None = ref("election", default=None)


@event_type("election.candidate_disqualified", version=1)
@attrs.frozen(kw_only=True)
class CandidateDisqualified(Event):
    """A would-be or actual candidate is barred from an election."""

    election: str = ref("election")
    candidate: str = ref("actor")
    by: str | None = ref("actor", default=None)
    grounds: str = ""


@event_type("election.declared", version=1)
@attrs.frozen(kw_only=True)
class ElectionDeclared(Event):
    """An authority declares a winner, with vote shares in percent or seats won (a
    parliamentary election), where given.  A second declaration by the same authority is
    kept beside the first (the history), and becomes its current word."""

    election: str = ref("election")
    authority: str = ref("actor")
    winner: str = ref("actor")
    shares: FrozenMap[str, float] = attrs.field(factory=FrozenMap, converter=shares_map)
    seats: FrozenMap[str, int] = attrs.field(factory=FrozenMap, converter=seats_map)


@event_type("election.disputed", version=1)
@attrs.frozen(kw_only=True)
class ResultDisputed(Event):
    """A contestant (or anyone: a party, an official of the authority itself) disputes the
    result, declared or still being counted, perhaps claiming another winner or shares."""

    election: str = ref("election")
    by: str = ref("actor")
    claimed_winner: str | None = ref("actor", default=None)
    shares: FrozenMap[str, float] = attrs.field(factory=FrozenMap, converter=shares_map)
    grounds: str = ""


@event_type("election.observer_assessed", version=1)
@attrs.frozen(kw_only=True)
class ObserverAssessed(Event):
    """An observer gives its verdict on an election, perhaps naming whom the evidence favours."""

    election: str = ref("election")
    observer: str = ref("actor")
    verdict: Verdict
    favours: str | None = ref("actor", default=None)


@event_type("election.audit_opened", version=1)
@attrs.frozen(kw_only=True)
class AuditOpened(Event):
    """A body opens an audit or review of an election's result."""

    election: str = ref("election")
    audit: str
    by: str = ref("actor")


@event_type("election.audit_concluded", version=1)
@attrs.frozen(kw_only=True)
class AuditConcluded(Event):
    """An open audit concludes, with its finding and the winner it upholds, if any."""

    election: str = ref("election")
    audit: str
    finding: str = ""
    upholds: str | None = ref("actor", default=None)


@event_type("election.data_withheld", version=1)
@attrs.frozen(kw_only=True)
class DataWithheld(Event):
    """The detailed results (tallies by polling station) are withheld."""

    election: str = ref("election")
    by: str = ref("actor")


@event_type("election.data_disclosed", version=1)
@attrs.frozen(kw_only=True)
class DataDisclosed(Event):
    """The detailed results are published."""

    election: str = ref("election")
    by: str = ref("actor")


@event_type("election.rescheduled", version=1)
@attrs.frozen(kw_only=True)
class ElectionRescheduled(Event):
    """A called election is postponed or moved: to a new date ``to``, or (``to`` left out)
    postponed with no new date."""

    election: str = ref("election")
    by: str | None = ref("actor", default=None)
    to: _dt.date | None = None
    reason: str = ""


@event_type("election.count_reported", version=1)
@attrs.frozen(kw_only=True)
class CountReported(Event):
    """A count is reported: an authority's preliminary (partial) or final count, a parallel
    tabulation or an exit poll, in percent or seats, with the percent ``counted`` so far.
    A count names no winner (a first round may end with none: then a runoff)."""

    election: str = ref("election")
    by: str = ref("actor")
    kind: CountKind = CountKind.PRELIMINARY
    shares: FrozenMap[str, float] = attrs.field(factory=FrozenMap, converter=shares_map)
    seats: FrozenMap[str, int] = attrs.field(factory=FrozenMap, converter=seats_map)
    counted: float | None = None


@event_type("election.fraud_alleged", version=1)
@attrs.frozen(kw_only=True)
class FraudAlleged(Event):
    """Someone alleges fraud in an election (against someone, if named): before the vote,
    during the count or after a declaration."""

    election: str = ref("election")
    by: str = ref("actor")
    against: str | None = ref("actor", default=None)
    grounds: str = ""


@event_type("election.withdrew", version=1)
@attrs.frozen(kw_only=True)
class CandidateWithdrew(Event):
    """A candidate (or would-be candidate) withdraws from the race, perhaps endorsing another."""

    election: str = ref("election")
    candidate: str = ref("actor")
    endorses: str | None = ref("actor", default=None)
    reason: str = ""


@event_type("election.conceded", version=1)
@attrs.frozen(kw_only=True)
class CandidateConceded(Event):
    """A candidate concedes defeat (to the winner named in ``to``, if any)."""

    election: str = ref("election")
    candidate: str = ref("actor")
    to: str | None = ref("actor", default=None)


@event_type("election.concession_retracted", version=1)
@attrs.frozen(kw_only=True)
class ConcessionRetracted(Event):
    """A candidate takes back a concession."""

    election: str = ref("election")
    candidate: str = ref("actor")
    reason: str = ""


@event_type("election.annulled", version=1)
@attrs.frozen(kw_only=True)
class ElectionAnnulled(Event):
    """A body (a court, the electoral authority) annuls the result, on some grounds: in the
    whole election, or (``districts`` named) only there."""

    election: str = ref("election")
    by: str = ref("actor")
    grounds: str = ""
    districts: tuple[str, ...] = attrs.field(default=(), converter=strings)


# -- rules ------------------------------------------------------------------------------------


def _link_problems(
    state: CrisisState, election: str, runoff_of: str | None, rerun_of: str | None
) -> list[str]:
    out = []
    for field, linked in (("runoff_of", runoff_of), ("rerun_of", rerun_of)):
        if linked is None:
            continue
        if linked == election:
            out.append(f"election {election!r} cannot be its own {field.replace('_of', '')}")
        elif field == "runoff_of" and not state.elections[linked].held:
            out.append(f"{election!r} is a runoff of {linked!r}, which has not been held yet")
        elif field == "rerun_of" and not state.elections[linked].annulled:
            out.append(f"{election!r} re-runs {linked!r}, which has not been annulled")
    return out


@rule(ElectionCalled, ElectionHeld)
def election_named(state: CrisisState, e: ElectionCalled | ElectionHeld) -> str | None:
    if not e.election.strip():
        return "an election needs a non-blank id"
    return None


@rule(ElectionCalled, name="scheduled-after-called")
def _scheduled_after_called(state: CrisisState, e: ElectionCalled) -> str | None:
    if e.scheduled_for is not None and e.scheduled_for < e.window[0]:
        return (f"election {e.election!r} is scheduled for {e.scheduled_for.isoformat()}, "
                f"before it was called on {e.occurred_on.isoformat()}")
    return None


@rule(ElectionRescheduled, name="scheduled-after-called")
def _rescheduled_ahead(state: CrisisState, e: ElectionRescheduled) -> str | None:
    if e.to is not None and e.to < e.window[0]:
        who = f" by {e.by!r}" if e.by else ""
        return (f"election {e.election!r} is rescheduled{who} to {e.to.isoformat()}, "
                f"before the rescheduling itself on {e.occurred_on.isoformat()}")
    return None


@rule(ElectionRescheduled, name="not-yet-held")
def _not_yet_held(state: CrisisState, e: ElectionRescheduled) -> str | None:
    election = state.elections[e.election]
    if election.held:
        return (f"election {e.election!r} was already held on {election.held_on}; "
                "it cannot be rescheduled (an annulled vote is re-run as a new election "
                "with rerun_of)")
    return None


@rule(ElectionCalled, ElectionHeld, name="rounds-linked")
def _rounds_linked(state: CrisisState, e: ElectionCalled | ElectionHeld) -> list[str] | None:
    problems = _link_problems(state, e.election, e.runoff_of, e.rerun_of)
    known = state.elections.get(e.election)
    if isinstance(e, ElectionHeld) and known is not None:
        for field in ("runoff_of", "rerun_of"):
            given, called = getattr(e, field), getattr(known, field)
            if given is not None and called is not None and given != called:
                problems.append(f"election {e.election!r} was called with {field} "
                                f"{called!r}, held with {field} {given!r}")
    return problems or None


@rule(ElectionHeld, name="runoff-candidates")
def _runoff_candidates(state: CrisisState, e: ElectionHeld) -> list[str] | None:
    known = state.elections.get(e.election)
    problems = []
    for field in ("runoff_of", "rerun_of"):
        linked = getattr(e, field) or (getattr(known, field) if known is not None else None)
        if linked is None or linked not in state.elections:
            continue
        earlier = state.elections[linked].candidates
        problems += [f"{c!r} stands in {e.election!r} but was not a candidate in {linked!r}"
                     for c in e.candidates if c not in earlier]
    return problems or None


@rule(ElectionHeld)
def held_once(state: CrisisState, e: ElectionHeld) -> str | None:
    election = state.elections.get(e.election)
    if election is not None and election.held:
        return f"election {e.election!r} was already held on {election.held_on}"
    return None


@rule(ElectionHeld)
def candidates_eligible(state: CrisisState, e: ElectionHeld) -> list[str] | None:
    problems = []
    if not e.candidates:
        problems.append("an election is held with at least one candidate")
    if len(set(e.candidates)) != len(e.candidates):
        problems.append("a candidate is listed twice")
    election = state.elections.get(e.election)
    if election is not None and election.disqualified:
        problems += [f"{c!r} was disqualified from election {e.election!r}"
                     for c in e.candidates if c in election.disqualified]
    return problems or None


@rule(CandidateDisqualified)
def disqualified_once(state: CrisisState, e: CandidateDisqualified) -> str | None:
    if e.candidate in state.elections[e.election].disqualified:
        return f"{e.candidate!r} is already disqualified from {e.election!r}"
    return None


@rule(ElectionDeclared, ResultDisputed, CountReported, CandidateConceded, ElectionAnnulled)
def vote_held(
    state: CrisisState,
    e: ElectionDeclared | ResultDisputed | CountReported | CandidateConceded | ElectionAnnulled,
) -> str | None:
    # (an event whose election is optional, such as a recognition, passes when it names none)
    if e.election is not None and not state.elections[e.election].held:
        return f"election {e.election!r} has not been held yet"
    return None


@rule(ElectionDeclared)
def winner_is_candidate(state: CrisisState, e: ElectionDeclared) -> str | None:
    if not state.elections[e.election].held:
        return None  # vote-held says what is wrong
    return _candidate(state, e.election, e.winner, "declared winner")


@rule(ResultDisputed)
def claimant_is_candidate(state: CrisisState, e: ResultDisputed) -> str | None:
    return _candidate(state, e.election, e.claimed_winner, "claimed winner")


@rule(ObserverAssessed)
def favoured_is_candidate(state: CrisisState, e: ObserverAssessed) -> str | None:
    return _candidate(state, e.election, e.favours, "favoured")


@rule(AuditConcluded)
def upheld_is_candidate(state: CrisisState, e: AuditConcluded) -> str | None:
    return _candidate(state, e.election, e.upholds, "upheld winner")


@rule(ElectionDeclared, ResultDisputed, CountReported)
def valid_shares(
    state: CrisisState, e: ElectionDeclared | ResultDisputed | CountReported
) -> list[str] | None:
    election = state.elections[e.election]
    if not (election.held and e.shares):
        return None
    return share_problems(e.shares, election.candidates) or None


@rule(ElectionDeclared, CountReported, name="valid-seats")
def _valid_seats(state: CrisisState, e: ElectionDeclared | CountReported) -> list[str] | None:
    election = state.elections[e.election]
    if not (election.held and e.seats):
        return None
    return seat_problems(e.seats, election.candidates) or None


@rule(ElectionDeclared, name="winner-leads")
def _winner_leads(state: CrisisState, e: ElectionDeclared) -> list[str] | None:
    if e.winner not in state.elections[e.election].candidates:
        return None  # winner-is-candidate (or vote-held) says what is wrong
    return winner_problems(e.authority, e.winner, e.shares, e.seats) or None


@rule(CountReported, name="share-counted")
def _share_counted(state: CrisisState, e: CountReported) -> str | None:
    if e.counted is not None and not 0.0 <= e.counted <= 100.0:
        return (f"{e.by!r} reports {e.counted:g}% of the vote of {e.election!r} counted, "
                "outside 0-100")
    return None


@rule(CandidateWithdrew, name="candidate-standing")
def _candidate_standing(state: CrisisState, e: CandidateWithdrew) -> list[str] | None:
    election = state.elections[e.election]
    problems = []
    if election.held and e.candidate not in election.candidates:
        problems.append(f"{e.candidate!r} is not a candidate in election {e.election!r}")
    if e.candidate in election.withdrawn:
        problems.append(f"{e.candidate!r} already withdrew from {e.election!r}")
    if e.candidate in election.disqualified:
        problems.append(f"{e.candidate!r} was disqualified from {e.election!r}")
    if e.endorses is not None:
        if e.endorses == e.candidate:
            problems.append(f"{e.candidate!r} cannot endorse themselves on withdrawing")
        elif election.held and e.endorses not in election.candidates:
            problems.append(f"endorsed {e.endorses!r} is not a candidate in {e.election!r}")
    return problems or None


@rule(CandidateConceded, name="concession-admissible")
def _concession_admissible(state: CrisisState, e: CandidateConceded) -> list[str] | None:
    election = state.elections[e.election]
    if not election.held:
        return None  # vote-held says what is wrong
    problems = []
    if e.candidate not in election.candidates:
        problems.append(f"conceding {e.candidate!r} is not a candidate in {e.election!r}")
    if e.candidate in election.conceded:
        problems.append(f"{e.candidate!r} has already conceded {e.election!r}")
    if e.to is not None:
        if e.to == e.candidate:
            problems.append(f"{e.candidate!r} cannot concede to themselves")
        elif e.to not in election.candidates:
            problems.append(f"{e.candidate!r} concedes to {e.to!r}, not a candidate "
                            f"in {e.election!r}")
    return problems or None


@rule(ConcessionRetracted, name="concession-standing")
def _concession_standing(state: CrisisState, e: ConcessionRetracted) -> str | None:
    if e.candidate not in state.elections[e.election].conceded:
        return f"{e.candidate!r} has no standing concession of {e.election!r} to retract"
    return None


@rule(ElectionAnnulled, name="not-annulled")
def _not_annulled(state: CrisisState, e: ElectionAnnulled) -> list[str] | None:
    election = state.elections[e.election]
    problems = []
    whole = next((a for a in election.annulments if a.whole), None)
    if whole is not None:
        problems.append(f"election {e.election!r} was already annulled as a whole by "
                        f"{whole.by!r} on {whole.on}")
    if len(set(e.districts)) != len(e.districts):
        problems.append(f"a district is listed twice in {e.by!r}'s annulment")
    if any(not d.strip() for d in e.districts):
        problems.append("a district needs a non-blank name")
    return problems or None


@rule(AuditOpened)
def new_audit(state: CrisisState, e: AuditOpened) -> str | None:
    if e.audit in state.elections[e.election].audits:
        return f"audit {e.audit!r} of {e.election!r} was already opened"
    return None


@rule(AuditConcluded)
def audit_open(state: CrisisState, e: AuditConcluded) -> str | None:
    audit = state.elections[e.election].audits.get(e.audit)
    if audit is None:
        return f"audit {e.audit!r} of {e.election!r} was never opened"
    if audit.status is not _AUDITSTATUS_OPEN:
        return f"audit {e.audit!r} of {e.election!r} has already concluded"
    return None


@rule(DataWithheld)
def not_disclosed(state: CrisisState, e: DataWithheld) -> str | None:
    if state.elections[e.election].data is _DATASTATUS_DISCLOSED:
        return f"the data of {e.election!r} were already disclosed"
    return None


# -- handlers ---------------------------------------------------------------------------------


@handler(ElectionCalled)
def _called(draft: Draft, e: ElectionCalled) -> None:
    draft.put_election(ElectionState(
        id=e.election, country=e.country, office=e.office, called_on=e.occurred_on,
        called_precision=e.precision, scheduled_for=e.scheduled_for, runoff_of=e.runoff_of,
        rerun_of=e.rerun_of,
    ))


@handler(ElectionHeld)
def _held(draft: Draft, e: ElectionHeld) -> None:
    if e.election not in draft.elections:
        draft.put_election(ElectionState(id=e.election))
    election = draft.edit_election(e.election)
    election.country = e.country or election.country
    election.office = e.office or election.office
    election.held_on = e.occurred_on
    election.held_precision = e.precision
    election.candidates = e.candidates
    election.runoff_of = e.runoff_of or election.runoff_of
    election.rerun_of = e.rerun_of or election.rerun_of


@handler(ElectionRescheduled)
def _rescheduled(draft: Draft, e: ElectionRescheduled) -> None:
    election = draft.edit_election(e.election)
    entry = Rescheduling(by=e.by, previous=election.scheduled_for, to=e.to, reason=e.reason,
                         on=e.occurred_on, precision=e.precision)
    election.reschedulings = appended(election.reschedulings, entry)
    election.scheduled_for = e.to


@handler(CandidateDisqualified)
def _disqualified(draft: Draft, e: CandidateDisqualified) -> None:
    election = draft.edit_election(e.election)
    election.disqualified = (*election.disqualified, e.candidate)
    actor = draft.edit_actor(e.candidate)
    jeopardy = actor.jeopardy
    actor.jeopardy = replace(
        jeopardy, disqualified_from=(*jeopardy.disqualified_from, e.election)
    )


#: The records each report adds, made without the frozen __init__'s cost (same arguments).
_count_report, _declaration_of, _claim_of = (
    compile_make(CountReport), compile_make(Declaration), compile_make(Claim))
_assessment_of, _audit_of = compile_make(Assessment), compile_make(Audit)


@handler(CountReported)
def _count(draft: Draft, e: CountReported) -> None:
    election = draft.edit_election(e.election)
    report = _count_report(by=e.by, kind=e.kind, shares=e.shares, seats=e.seats,
                           counted=e.counted, on=e.occurred_on, precision=e.precision)
    election.count_history = appended(election.count_history, report)
    election.counts = election.counts.set(e.by, report)


@handler(ElectionDeclared)
def _declared(draft: Draft, e: ElectionDeclared) -> None:
    election = draft.edit_election(e.election)
    declaration = _declaration_of(
        winner=e.winner, shares=e.shares, seats=e.seats, on=e.occurred_on,
        precision=e.precision, by=e.authority,
    )
    election.declaration_history = appended(election.declaration_history, declaration)
    election.declarations = election.declarations.set(e.authority, declaration)


@handler(ResultDisputed)
def _disputed(draft: Draft, e: ResultDisputed) -> None:
    election = draft.edit_election(e.election)
    claim = _claim_of(
        claimed_winner=e.claimed_winner, shares=e.shares, grounds=e.grounds, on=e.occurred_on,
        precision=e.precision, by=e.by,
    )
    election.claim_history = appended(election.claim_history, claim)
    election.claims = election.claims.set(e.by, claim)


@handler(FraudAlleged)
def _alleged(draft: Draft, e: FraudAlleged) -> None:
    election = draft.edit_election(e.election)
    entry = Allegation(by=e.by, against=e.against, grounds=e.grounds, on=e.occurred_on,
                       precision=e.precision)
    election.allegations = appended(election.allegations, entry)


@handler(CandidateWithdrew)
def _withdrew(draft: Draft, e: CandidateWithdrew) -> None:
    election = draft.edit_election(e.election)
    entry = Withdrawal(candidate=e.candidate, endorses=e.endorses, reason=e.reason,
                       on=e.occurred_on, precision=e.precision)
    election.withdrawals = appended(election.withdrawals, entry)


def _concession(draft: Draft, e: CandidateConceded | ConcessionRetracted) -> None:
    election = draft.edit_election(e.election)
    if isinstance(e, CandidateConceded):
        entry = Concession(by=e.candidate, to=e.to, on=e.occurred_on, precision=e.precision)
    else:
        conceded = election.concessions[e.candidate]
        entry = Concession(by=e.candidate, to=conceded.to, retracted=True, on=e.occurred_on,
                           precision=e.precision)
    election.concession_history = appended(election.concession_history, entry)
    election.concessions = election.concessions.set(e.candidate, entry)


handler(CandidateConceded)(_concession)
handler(ConcessionRetracted)(_concession)


@handler(ElectionAnnulled)
def _annulled(draft: Draft, e: ElectionAnnulled) -> None:
    election = draft.edit_election(e.election)
    entry = Annulment(by=e.by, grounds=e.grounds, districts=e.districts, on=e.occurred_on,
                      precision=e.precision)
    election.annulments = appended(election.annulments, entry)


@handler(ObserverAssessed)
def _assessed(draft: Draft, e: ObserverAssessed) -> None:
    election = draft.edit_election(e.election)
    assessment = _assessment_of(
        verdict=e.verdict, favours=e.favours, on=e.occurred_on, precision=e.precision,
        by=e.observer,
    )
    election.assessment_history = appended(election.assessment_history, assessment)
    election.assessments = election.assessments.set(e.observer, assessment)


@handler(AuditOpened)
def _audit_opened(draft: Draft, e: AuditOpened) -> None:
    election = draft.edit_election(e.election)
    election.audits = election.audits.set(e.audit, _audit_of(by=e.by))


@handler(AuditConcluded)
def _audit_concluded(draft: Draft, e: AuditConcluded) -> None:
    election = draft.edit_election(e.election)
    audit = replace(
        election.audits[e.audit],
        status=_AUDITSTATUS_CONCLUDED,
        finding=e.finding or None,
        upholds=e.upholds,
    )
    election.audits = election.audits.set(e.audit, audit)


@handler(DataWithheld)
def _withheld(draft: Draft, e: DataWithheld) -> None:
    draft.edit_election(e.election).data = _DATASTATUS_WITHHELD


@handler(DataDisclosed)
def _disclosed(draft: Draft, e: DataDisclosed) -> None:
    draft.edit_election(e.election).data = _DATASTATUS_DISCLOSED


# -- summaries (plain words for timelines) ------------------------------------------------------

Name = Callable[[str | None], str]

_VERDICTS = {
    Verdict.MET_STANDARDS: "met international standards",
    Verdict.FELL_SHORT: "fell short of international standards",
    Verdict.INCONCLUSIVE: "cannot be judged on the evidence",
}

_COUNT_KINDS = {
    CountKind.PRELIMINARY: "a preliminary count",
    CountKind.FINAL: "the final count",
    CountKind.PARALLEL: "a parallel count",
    CountKind.EXIT_POLL: "an exit poll",
}


def _names(ids: tuple[str, ...], n: Name) -> str:
    shown = [n(i) for i in ids]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _by(actor: str | None, n: Name) -> str:
    return f" by {n(actor)}" if actor else ""


def _result(shares: Mapping[str, float], seats: Mapping[str, int], n: Name) -> str:
    parts = [f"{n(k)} {v:g}%" for k, v in shares.items()]
    parts += [f"{n(k)} {v} seat{'' if v == 1 else 's'}" for k, v in seats.items()]
    return " (" + ", ".join(parts) + ")" if parts else ""


def _rounds(runoff_of: str | None, rerun_of: str | None) -> str:
    return ((f", as the runoff of {runoff_of}" if runoff_of else "")
            + (f", re-running the annulled {rerun_of}" if rerun_of else ""))


@summarizer(ElectionCalled)
def _say_called(e: ElectionCalled, n: Name) -> str:
    return (f"election {e.election} is called" + (f" for {e.office}" if e.office else "")
            + (f", to be held on {e.scheduled_for.isoformat()}" if e.scheduled_for else "")
            + _rounds(e.runoff_of, e.rerun_of))


@summarizer(ElectionHeld)
def _say_held(e: ElectionHeld, n: Name) -> str:
    return (f"election {e.election} is held; candidates: {_names(e.candidates, n)}"
            + _rounds(e.runoff_of, e.rerun_of))


@summarizer(ElectionRescheduled)
def _say_rescheduled(e: ElectionRescheduled, n: Name) -> str:
    when = f"moved to {e.to.isoformat()}" if e.to else "postponed with no new date"
    return (f"election {e.election} is {when}{_by(e.by, n)}"
            + (f" ({e.reason})" if e.reason else ""))


@summarizer(CandidateDisqualified)
def _say_disqualified(e: CandidateDisqualified, n: Name) -> str:
    return (f"{n(e.candidate)} barred from election {e.election}{_by(e.by, n)}"
            + (f" ({e.grounds})" if e.grounds else ""))


@summarizer(CountReported)
def _say_count(e: CountReported, n: Name) -> str:
    counted = f" with {e.counted:g}% counted" if e.counted is not None else ""
    return (f"{n(e.by)} reports {_COUNT_KINDS[e.kind]} of {e.election}{counted}"
            + _result(e.shares, e.seats, n))


@summarizer(ElectionDeclared)
def _say_declared(e: ElectionDeclared, n: Name) -> str:
    return (f"{n(e.authority)} declares {n(e.winner)} the winner of {e.election}"
            + _result(e.shares, e.seats, n))


@summarizer(ResultDisputed)
def _say_disputed(e: ResultDisputed, n: Name) -> str:
    return (f"{n(e.by)} disputes the result of {e.election}"
            + (f", claiming {n(e.claimed_winner)} won" if e.claimed_winner else "")
            + _result(e.shares, {}, n))


@summarizer(FraudAlleged)
def _say_fraud(e: FraudAlleged, n: Name) -> str:
    return (f"{n(e.by)} alleges fraud in {e.election}"
            + (f" by {n(e.against)}" if e.against else "")
            + (f": {e.grounds}" if e.grounds else ""))


@summarizer(CandidateWithdrew)
def _say_withdrew(e: CandidateWithdrew, n: Name) -> str:
    return (f"{n(e.candidate)} withdraws from {e.election}"
            + (f", endorsing {n(e.endorses)}" if e.endorses else "")
            + (f" ({e.reason})" if e.reason else ""))


@summarizer(CandidateConceded)
def _say_conceded(e: CandidateConceded, n: Name) -> str:
    return f"{n(e.candidate)} concedes {e.election}" + (f" to {n(e.to)}" if e.to else "")


@summarizer(ConcessionRetracted)
def _say_retracted(e: ConcessionRetracted, n: Name) -> str:
    return (f"{n(e.candidate)} retracts the concession of {e.election}"
            + (f" ({e.reason})" if e.reason else ""))


@summarizer(ElectionAnnulled)
def _say_annulled(e: ElectionAnnulled, n: Name) -> str:
    where = f" in {', '.join(e.districts)}" if e.districts else ""
    return (f"{n(e.by)} annuls the result of {e.election}{where}"
            + (f": {e.grounds}" if e.grounds else ""))


@summarizer(ObserverAssessed)
def _say_assessed(e: ObserverAssessed, n: Name) -> str:
    return (f"{n(e.observer)} finds that {e.election} {_VERDICTS[e.verdict]}"
            + (f", and that the evidence favours {n(e.favours)}" if e.favours else ""))


@summarizer(AuditOpened)
def _say_audit_opened(e: AuditOpened, n: Name) -> str:
    return f"{n(e.by)} opens an audit ({e.audit}) of {e.election}"


@summarizer(AuditConcluded)
def _say_audit_concluded(e: AuditConcluded, n: Name) -> str:
    return (f"the audit {e.audit} of {e.election} concludes"
            + (f": {e.finding}" if e.finding else "")
            + (f", upholding {n(e.upholds)}" if e.upholds else ""))


@summarizer(DataWithheld)
def _say_withheld(e: DataWithheld, n: Name) -> str:
    return f"{n(e.by)} withholds the detailed results of {e.election}"


@summarizer(DataDisclosed)
def _say_disclosed(e: DataDisclosed, n: Name) -> str:
    return f"{n(e.by)} publishes the detailed results of {e.election}"


# -- invariants -----------------------------------------------------------------------------


@invariant("shares-in-range")
def _shares(state: CrisisState) -> Iterator[InvariantViolation]:
    for eid, election in state.elections.items():
        results = [(a, d.shares) for a, d in election.declarations.items()]
        results += [(a, c.shares) for a, c in election.claims.items()]
        for who, shares in results:
            for problem in share_problems(shares, election.candidates):
                yield InvariantViolation("", f"result of {who!r}: {problem}", eid)


def _latest(entries: Sequence[Any], key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in entries:
        out[getattr(entry, key)] = entry
    return out


@invariant("election-history-current")
def _history_current(state: CrisisState) -> Iterator[InvariantViolation]:
    """Each current view (declarations, claims, assessments, counts, concessions) is the
    latest entry per actor of its history."""
    for eid, e in state.elections.items():
        for what, current, history, key in (
            ("declarations", e.declarations, e.declaration_history, "by"),
            ("claims", e.claims, e.claim_history, "by"),
            ("assessments", e.assessments, e.assessment_history, "by"),
            ("counts", e.counts, e.count_history, "by"),
            ("concessions", e.concessions, e.concession_history, "by"),
        ):
            if dict(current) != _latest(history, key):
                yield InvariantViolation("", f"{what} are not the latest of their history", eid)


@invariant("seats-valid")
def _seats_valid(state: CrisisState) -> Iterator[InvariantViolation]:
    """Declared and counted seats are not negative and go to candidates."""
    for eid, e in state.elections.items():
        results = [(d.by, d.seats) for d in e.declaration_history]
        results += [(c.by, c.seats) for c in e.count_history]
        for who, seats in results:
            for problem in seat_problems(seats, e.candidates):
                yield InvariantViolation("", f"result of {who!r}: {problem}", eid)


@invariant("declared-winner-leads")
def _declared_winner_leads(state: CrisisState) -> Iterator[InvariantViolation]:
    """Every declared winner leads the shares and seats of its own declaration."""
    for eid, e in state.elections.items():
        for d in e.declaration_history:
            for problem in winner_problems(d.by or "?", d.winner, d.shares, d.seats):
                yield InvariantViolation("", problem, eid)


@invariant("rounds-linked")
def _rounds_linked_invariant(state: CrisisState) -> Iterator[InvariantViolation]:
    """A runoff or re-run links to another, known election; a re-run's target was annulled;
    conceding candidates and a count's shares belong to the election."""
    for eid, e in state.elections.items():
        for field in ("runoff_of", "rerun_of"):
            linked = getattr(e, field)
            if linked is not None and (linked == eid or linked not in state.elections):
                yield InvariantViolation("", f"{field} names {linked!r}", eid)
        rerun = state.elections.get(e.rerun_of) if e.rerun_of is not None else None
        if rerun is not None and not rerun.annulled:
            yield InvariantViolation("", f"re-runs {e.rerun_of!r}, never annulled", eid)
        if e.held:
            for c in e.concessions:
                if c not in e.candidates:
                    yield InvariantViolation("", f"{c!r} concedes, not a candidate", eid)
            for report in e.count_history:
                for problem in share_problems(report.shares, e.candidates):
                    yield InvariantViolation("", f"count by {report.by!r}: {problem}", eid)
