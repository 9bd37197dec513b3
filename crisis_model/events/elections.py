"""Elections: the vote, declarations, disputes, observers, audits and the data behind them."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import attrs

from .._draft import Draft
from .._event import Event, ref, strings
from .._frozenmap import FrozenMap, shares_map
from ..reducer import event_type, handler, reference_kind, rule
from ..state import (
    Assessment,
    Audit,
    AuditStatus,
    Claim,
    CrisisState,
    DataStatus,
    Declaration,
    ElectionState,
    Verdict,
    replace,
)

__all__ = [
    "AuditConcluded",
    "AuditOpened",
    "CandidateDisqualified",
    "DataDisclosed",
    "DataWithheld",
    "ElectionCalled",
    "ElectionDeclared",
    "ElectionHeld",
    "ObserverAssessed",
    "ResultDisputed",
    "share_problems",
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


def _candidate(state: CrisisState, election: str, who: str | None, what: str) -> str | None:
    if who is None or who in state.elections[election].candidates:
        return None
    return f"{what} {who!r} is not a candidate in election {election!r}"


@event_type("election.called", version=1)
@attrs.frozen(kw_only=True)
class ElectionCalled(Event):
    """An election is called (announced) before the vote."""

    election: str = ref("election", new=True)
    country: str | None = None
    office: str | None = None
    scheduled_for: _dt.date | None = None


@event_type("election.held", version=1)
@attrs.frozen(kw_only=True)
class ElectionHeld(Event):
    """The vote takes place, with these candidates (introduces the election if not called)."""

    election: str
    country: str | None = None
    office: str | None = None
    candidates: tuple[str, ...] = ref("actor", default=(), converter=strings)


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
    """An authority declares a winner (with vote shares in percent, where given)."""

    election: str = ref("election")
    authority: str = ref("actor")
    winner: str = ref("actor")
    shares: FrozenMap[str, float] = attrs.field(factory=FrozenMap, converter=shares_map)


@event_type("election.disputed", version=1)
@attrs.frozen(kw_only=True)
class ResultDisputed(Event):
    """A contestant disputes the declared result, claiming another winner or shares."""

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


# -- rules ------------------------------------------------------------------------------------


@rule(ElectionCalled, ElectionHeld)
def election_named(state: CrisisState, e: ElectionCalled | ElectionHeld) -> str | None:
    if not e.election.strip():
        return "an election needs a non-blank id"
    return None


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


@rule(ElectionDeclared, ResultDisputed)
def vote_held(state: CrisisState, e: ElectionDeclared | ResultDisputed) -> str | None:
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


@rule(ElectionDeclared, ResultDisputed)
def valid_shares(state: CrisisState, e: ElectionDeclared | ResultDisputed) -> list[str] | None:
    election = state.elections[e.election]
    if not (election.held and e.shares):
        return None
    return share_problems(e.shares, election.candidates) or None


@rule(ResultDisputed)
def result_declared(state: CrisisState, e: ResultDisputed) -> str | None:
    if not state.elections[e.election].declarations:
        return f"no result of election {e.election!r} has been declared to dispute"
    return None


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
    if audit.status is not AuditStatus.OPEN:
        return f"audit {e.audit!r} of {e.election!r} has already concluded"
    return None


@rule(DataWithheld)
def not_disclosed(state: CrisisState, e: DataWithheld) -> str | None:
    if state.elections[e.election].data is DataStatus.DISCLOSED:
        return f"the data of {e.election!r} were already disclosed"
    return None


# -- handlers ---------------------------------------------------------------------------------


@handler(ElectionCalled)
def _called(draft: Draft, e: ElectionCalled) -> None:
    draft.put_election(ElectionState(id=e.election, country=e.country, office=e.office))


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


@handler(CandidateDisqualified)
def _disqualified(draft: Draft, e: CandidateDisqualified) -> None:
    election = draft.edit_election(e.election)
    election.disqualified = (*election.disqualified, e.candidate)
    actor = draft.edit_actor(e.candidate)
    jeopardy = actor.jeopardy
    actor.jeopardy = replace(
        jeopardy, disqualified_from=(*jeopardy.disqualified_from, e.election)
    )


@handler(ElectionDeclared)
def _declared(draft: Draft, e: ElectionDeclared) -> None:
    election = draft.edit_election(e.election)
    declaration = Declaration(
        winner=e.winner, shares=e.shares, on=e.occurred_on, precision=e.precision
    )
    election.declarations = election.declarations.set(e.authority, declaration)


@handler(ResultDisputed)
def _disputed(draft: Draft, e: ResultDisputed) -> None:
    election = draft.edit_election(e.election)
    claim = Claim(
        claimed_winner=e.claimed_winner, shares=e.shares, grounds=e.grounds, on=e.occurred_on,
        precision=e.precision,
    )
    election.claims = election.claims.set(e.by, claim)


@handler(ObserverAssessed)
def _assessed(draft: Draft, e: ObserverAssessed) -> None:
    election = draft.edit_election(e.election)
    assessment = Assessment(
        verdict=e.verdict, favours=e.favours, on=e.occurred_on, precision=e.precision
    )
    election.assessments = election.assessments.set(e.observer, assessment)


@handler(AuditOpened)
def _audit_opened(draft: Draft, e: AuditOpened) -> None:
    election = draft.edit_election(e.election)
    election.audits = election.audits.set(e.audit, Audit(by=e.by))


@handler(AuditConcluded)
def _audit_concluded(draft: Draft, e: AuditConcluded) -> None:
    election = draft.edit_election(e.election)
    audit = replace(
        election.audits[e.audit],
        status=AuditStatus.CONCLUDED,
        finding=e.finding or None,
        upholds=e.upholds,
    )
    election.audits = election.audits.set(e.audit, audit)


@handler(DataWithheld)
def _withheld(draft: Draft, e: DataWithheld) -> None:
    draft.edit_election(e.election).data = DataStatus.WITHHELD


@handler(DataDisclosed)
def _disclosed(draft: Draft, e: DataDisclosed) -> None:
    draft.edit_election(e.election).data = DataStatus.DISCLOSED
