"""Institutions: a legislature, court, electoral authority, council or government that is
dissolved, suspended (by decree, a coup, a boycott, or because it cannot muster a quorum)
and restored; and the votes a legislature takes (no confidence, laws, constitutional
amendments, impeachments, resolutions).

The state keeps, per body, whether it sits now and its whole dated history (every
dissolution, suspension, restoration and vote, in order) in the slice ``"institutions"``
(:func:`institutions`).  A dissolved body is neither suspended nor dissolved again, and a
dissolved or suspended one takes no vote, until it is restored.

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, InstitutionDissolved, LegislatureVoted
>>> day = dt.date(2024, 8, 6)
>>> log = [ActorIntroduced(occurred_on=day, actor="parliament", name="Parliament",
...                        kind=cm.ActorKind.LEGISLATURE),
...        InstitutionDissolved(occurred_on=day, body="parliament", reason="interim rule")]
>>> institutions(cm.replay(log))["parliament"].status
<InstitutionStatus.DISSOLVED: 'dissolved'>
>>> [p.rule for p in cm.check(cm.replay(log), LegislatureVoted(
...     occurred_on=day, body="parliament", motion="law", subject="budget", passed=True))]
['legislature-sitting']
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .._count import Count, count_or_none
from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref
from .._frozenmap import FrozenMap
from .._place import Place
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState
from ._plain import Name, by_clause, day, day_json, names, words
from .courts import RulingIssued

__all__ = [
    "INSTITUTIONS",
    "Institution",
    "InstitutionDissolved",
    "InstitutionEntry",
    "InstitutionRestored",
    "InstitutionStatus",
    "InstitutionStep",
    "InstitutionSuspended",
    "LegislatureVoted",
    "MotionKind",
    "SuspensionCause",
    "Vote",
    "institutions",
]

#: The name of the slice that holds the institutions' records.
INSTITUTIONS = "institutions"

_NONE: FrozenMap[Any, Any] = FrozenMap()


class InstitutionStatus(enum.Enum):
    """Whether a body sits, as far as the record goes."""

    SITTING = "sitting"
    SUSPENDED = "suspended"
    DISSOLVED = "dissolved"


class SuspensionCause(enum.Enum):
    """Why a body stopped sitting for a time."""

    #: Suspended by a decree or order of another authority.
    DECREE = "decree"
    #: Suspended by those who seized power.
    COUP = "coup"
    #: It cannot sit: too few members (judges, deputies) to form a quorum.
    NO_QUORUM = "no_quorum"
    #: Its members (or enough of them) stay away.
    BOYCOTT = "boycott"
    #: A court ordered it.
    COURT_ORDER = "court_order"
    OTHER = "other"


class MotionKind(enum.Enum):
    """What a legislature votes on."""

    NO_CONFIDENCE = "no_confidence"
    LAW = "law"
    CONSTITUTIONAL_AMENDMENT = "constitutional_amendment"
    IMPEACHMENT = "impeachment"
    RESOLUTION = "resolution"
    OTHER = "other"


class InstitutionStep(enum.Enum):
    """A step in a body's history."""

    DISSOLVED = "dissolved"
    SUSPENDED = "suspended"
    RESTORED = "restored"
    VOTED = "voted"


@attrs.frozen(weakref_slot=False)
class Vote:
    """A vote a legislature took: on what, whether it passed, and the tallies reported."""

    #: What kind of motion.
    motion: MotionKind
    #: What it was about, in plain words ("law on presidential elections").
    subject: str
    #: Whether the motion passed.
    passed: bool
    #: Votes for, against and abstentions, where reported (``None``: not reported).
    votes_for: Count | None = None
    votes_against: Count | None = None
    abstentions: Count | None = None
    #: The actor the motion was aimed at (the government in a no-confidence vote, the
    #: person impeached), if any.
    target: str | None = None


@attrs.frozen(weakref_slot=False)
class InstitutionEntry:
    """One dated step of a body's history."""

    #: Dissolved, suspended, restored or voted.
    step: InstitutionStep
    #: The day of the step, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who took the step (who dissolved, suspended or restored it; empty: not reported, and
    #: for a vote, the body itself).
    by: tuple[str, ...] = ()
    #: Why it was suspended (suspensions only).
    cause: SuspensionCause | None = None
    #: The reason given, in plain words.
    reason: str = ""
    #: The date set for a new election (dissolutions), if any.
    election_due: _dt.date | None = None
    #: The vote (votes only).
    vote: Vote | None = None
    #: The source ids the event cites.
    sources: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)
class Institution:
    """One body: whether it sits now, since when, and every step of its history."""

    #: The body's actor id.
    body: str
    #: Sitting, suspended or dissolved (as of the last step).
    status: InstitutionStatus = InstitutionStatus.SITTING
    #: When the status last changed (``None``: sitting since before the record).
    since: _dt.date | None = None
    since_precision: Precision = Precision.DAY
    #: Every step, in order.
    history: Sequence[InstitutionEntry] = ()

    @property
    def sitting(self) -> bool:
        """Whether the body sits (neither suspended nor dissolved)."""
        return self.status is InstitutionStatus.SITTING

    @property
    def votes(self) -> tuple[InstitutionEntry, ...]:
        """The history's votes, in order (each entry's :attr:`~InstitutionEntry.vote`)."""
        return tuple(h for h in self.history if h.step is InstitutionStep.VOTED)


def institutions(state: CrisisState | Draft) -> FrozenMap[str, Institution]:
    """Every body with a recorded dissolution, suspension, restoration or vote, by actor id."""
    value: FrozenMap[str, Institution] = state.slices.get(INSTITUTIONS, _NONE)
    return value


# -- events -----------------------------------------------------------------------------------


@event_type("institution.dissolved", version=1)
@attrs.frozen(kw_only=True)
class InstitutionDissolved(Event):
    """``body`` (a legislature, court, electoral authority, council or government) is
    dissolved, by ``by`` where reported; ``election_due``: the date set for electing a new
    one, if any."""

    body: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    reason: str = ""
    election_due: _dt.date | None = None
    place: Place | None = None


@event_type("institution.suspended", version=1)
@attrs.frozen(kw_only=True)
class InstitutionSuspended(Event):
    """``body`` stops sitting for a time: suspended by ``by`` (a decree, a junta), or unable
    to sit (``cause`` ``no_quorum``: too few members to form a quorum; ``boycott``)."""

    body: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    cause: SuspensionCause = attrs.field(default=SuspensionCause.OTHER, converter=SuspensionCause)
    reason: str = ""


@event_type("institution.restored", version=1)
@attrs.frozen(kw_only=True)
class InstitutionRestored(Event):
    """A dissolved or suspended ``body`` sits again (reinstated, reconvened, re-formed)."""

    body: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    reason: str = ""


@event_type("legislature.voted", version=1)
@attrs.frozen(kw_only=True)
class LegislatureVoted(Event):
    """``body`` (a legislature, or a council that legislates) votes on a ``motion`` about
    ``subject``; ``passed`` says whether it carried.  ``votes_for``, ``votes_against`` and
    ``abstentions`` are counts where reported; ``target`` is whom the motion aims at (the
    government in a no-confidence vote, the person impeached)."""

    body: str = ref("actor")
    motion: MotionKind = attrs.field(converter=MotionKind)
    subject: str = ""
    passed: bool
    votes_for: Count | None = attrs.field(default=None, converter=count_or_none)
    votes_against: Count | None = attrs.field(default=None, converter=count_or_none)
    abstentions: Count | None = attrs.field(default=None, converter=count_or_none)
    target: str | None = ref("actor", default=None)


# -- rules ------------------------------------------------------------------------------------


def _status(state: CrisisState, body: str) -> Institution | None:
    return institutions(state).get(body)


@rule(InstitutionDissolved, InstitutionSuspended)
def institution_not_dissolved(
    state: CrisisState, e: InstitutionDissolved | InstitutionSuspended
) -> str | None:
    rec = _status(state, e.body)
    if rec is not None and rec.status is InstitutionStatus.DISSOLVED:
        what = "dissolved again" if isinstance(e, InstitutionDissolved) else "suspended"
        return (f"{e.body!r} was dissolved on {day(rec.since, rec.since_precision)}: it cannot "
                f"be {what} until it is restored (institution.restored)")
    return None


@rule(InstitutionSuspended)
def institution_not_suspended(state: CrisisState, e: InstitutionSuspended) -> str | None:
    rec = _status(state, e.body)
    if rec is not None and rec.status is InstitutionStatus.SUSPENDED:
        return (f"{e.body!r} is already suspended (since "
                f"{day(rec.since, rec.since_precision)}); restore it first")
    return None


@rule(InstitutionRestored)
def institution_restorable(state: CrisisState, e: InstitutionRestored) -> str | None:
    rec = _status(state, e.body)
    if rec is None or rec.sitting:
        return f"{e.body!r} is sitting: only a dissolved or suspended body can be restored"
    return None


@rule(InstitutionDissolved)
def election_due_after(state: CrisisState, e: InstitutionDissolved) -> str | None:
    if e.election_due is not None and e.election_due < e.occurred_on:
        return (f"election_due {e.election_due.isoformat()} is before the dissolution itself "
                f"({e.occurred_on})")
    return None


def _not_sitting(state: CrisisState, body: str, act: str) -> str | None:
    """Why ``body`` cannot ``act`` now (dissolved or suspended), or ``None`` if it sits."""
    rec = _status(state, body)
    if rec is not None and not rec.sitting:
        return (f"{body!r} was {rec.status.value} on {day(rec.since, rec.since_precision)}: "
                f"it {act} until it is restored (institution.restored)")
    return None


@rule(LegislatureVoted)
def legislature_sitting(state: CrisisState, e: LegislatureVoted) -> str | None:
    return _not_sitting(state, e.body, "takes no vote")


@rule(RulingIssued)
def court_sitting(state: CrisisState, e: RulingIssued) -> str | None:
    return _not_sitting(state, e.by, "issues no ruling")


@rule(LegislatureVoted)
def vote_tally(state: CrisisState, e: LegislatureVoted) -> str | None:
    yes, no = e.votes_for, e.votes_against
    if (e.passed and yes is not None and no is not None and yes.high is not None
            and no.low is not None and yes.high < no.low):
        return (f"the motion is said to have passed with fewer votes for ({yes}) than against "
                f"({no}): check votes_for, votes_against and passed")
    return None


@rule(LegislatureVoted)
def motion_target(state: CrisisState, e: LegislatureVoted) -> str | None:
    if e.target is not None and e.target == e.body:
        return f"{e.body!r} cannot vote a motion aimed at itself (target)"
    if e.motion is MotionKind.IMPEACHMENT and e.target is None:
        return "an impeachment names whom it impeaches (target)"
    return None


# -- handlers ---------------------------------------------------------------------------------


def _apply(draft: Draft, body: str, entry: InstitutionEntry,
           status: InstitutionStatus | None) -> None:
    table = institutions(draft)
    rec = table.get(body) or Institution(body)
    if status is None:
        rec = attrs.evolve(rec, history=appended(rec.history, entry))
    else:
        rec = attrs.evolve(rec, status=status, since=entry.on, since_precision=entry.precision,
                           history=appended(rec.history, entry))
    draft.set_slice(INSTITUTIONS, table.set(body, rec))


@handler(InstitutionDissolved)
def _dissolved(draft: Draft, e: InstitutionDissolved) -> None:
    _apply(draft, e.body, InstitutionEntry(
        InstitutionStep.DISSOLVED, e.occurred_on, e.precision, actors_of(e.by), None, e.reason,
        e.election_due, None, e.sources), InstitutionStatus.DISSOLVED)


@handler(InstitutionSuspended)
def _suspended(draft: Draft, e: InstitutionSuspended) -> None:
    _apply(draft, e.body, InstitutionEntry(
        InstitutionStep.SUSPENDED, e.occurred_on, e.precision, actors_of(e.by), e.cause,
        e.reason, None, None, e.sources), InstitutionStatus.SUSPENDED)


@handler(InstitutionRestored)
def _restored(draft: Draft, e: InstitutionRestored) -> None:
    _apply(draft, e.body, InstitutionEntry(
        InstitutionStep.RESTORED, e.occurred_on, e.precision, actors_of(e.by), None, e.reason,
        None, None, e.sources), InstitutionStatus.SITTING)


@handler(LegislatureVoted)
def _voted(draft: Draft, e: LegislatureVoted) -> None:
    vote = Vote(e.motion, e.subject, e.passed, e.votes_for, e.votes_against, e.abstentions,
                e.target)
    _apply(draft, e.body, InstitutionEntry(
        InstitutionStep.VOTED, e.occurred_on, e.precision, (), None, "", None, vote, e.sources),
        None)


# -- plain words ------------------------------------------------------------------------------


def _tally(v: Vote) -> str:
    parts = [f"{c} {label}" for c, label in ((v.votes_for, "for"), (v.votes_against, "against"),
                                             (v.abstentions, "abstaining")) if c is not None]
    return f" ({', '.join(parts)})" if parts else ""


def _motion(v: Vote, name: Name) -> str:
    motion = {MotionKind.NO_CONFIDENCE: "no confidence",
              MotionKind.CONSTITUTIONAL_AMENDMENT: "a constitutional amendment",
              MotionKind.LAW: "a law", MotionKind.IMPEACHMENT: "impeachment",
              MotionKind.RESOLUTION: "a resolution", MotionKind.OTHER: "a motion"}[v.motion]
    target = f" in {name(v.target)}" if v.motion is MotionKind.NO_CONFIDENCE else (
        f" of {name(v.target)}" if v.motion is MotionKind.IMPEACHMENT else (
            f" concerning {name(v.target)}" if v.target is not None else ""))
    return (f"{motion}{target if v.target is not None else ''}"
            + (f" ({v.subject})" if v.subject else ""))


def _vote_words(v: Vote, name: Name) -> str:
    return (f"voted on {_motion(v, name)}: "
            + ("passed" if v.passed else "rejected") + _tally(v))


def _entry_words(h: InstitutionEntry, name: Name) -> str:
    when = day(h.on, h.precision)
    if h.vote is not None:
        return f"{when}: {_vote_words(h.vote, name)}"
    text = f"{when}: {h.step.value}{by_clause(h.by, name)}"
    if h.cause is not None and h.cause is not SuspensionCause.OTHER:
        text += f" ({words(h.cause)})"
    if h.reason:
        text += f": {h.reason}"
    if h.election_due is not None:
        text += f"; new election due {h.election_due.isoformat()}"
    return text


def _render(value: FrozenMap[str, Institution], name: Name) -> list[str]:
    lines = []
    for key, rec in value.items():
        head = f"{name(key)}: {rec.status.value}"
        if not rec.sitting or rec.since is not None:
            head += f" since {day(rec.since, rec.since_precision)}"
        lines.append(head)
        lines.extend(f"  {_entry_words(h, name)}" for h in rec.history)
    return lines


def _count_json(c: Count | None) -> Any:
    return None if c is None else c.to_json()


def _entry_json(h: InstitutionEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"step": h.step.value, "on": day_json(h.on),
                           "precision": h.precision.value, "by": list(h.by),
                           "cause": None if h.cause is None else h.cause.value,
                           "reason": h.reason, "election_due": day_json(h.election_due),
                           "sources": list(h.sources)}
    v = h.vote
    if v is not None:
        out["vote"] = {"motion": v.motion.value, "subject": v.subject, "passed": v.passed,
                       "votes_for": _count_json(v.votes_for),
                       "votes_against": _count_json(v.votes_against),
                       "abstentions": _count_json(v.abstentions), "target": v.target}
    return out


def _to_json(value: FrozenMap[str, Institution]) -> dict[str, Any]:
    return {k: {"status": r.status.value, "since": day_json(r.since),
                "since_precision": r.since_precision.value,
                "history": [_entry_json(h) for h in r.history]}
            for k, r in value.items()}


state_slice(INSTITUTIONS, FrozenMap(), title="Institutions (dissolved, suspended, votes)",
            render=_render, to_json=_to_json)


@summarizer(InstitutionDissolved)
def _dissolved_summary(e: InstitutionDissolved, name: Name) -> str:
    return (f"{name(e.body)} dissolved{by_clause(e.by, name)}"
            + (f": {e.reason}" if e.reason else "")
            + (f"; new election due {e.election_due.isoformat()}" if e.election_due else ""))


@summarizer(InstitutionSuspended)
def _suspended_summary(e: InstitutionSuspended, name: Name) -> str:
    if e.cause in (SuspensionCause.NO_QUORUM, SuspensionCause.BOYCOTT):
        head = f"{name(e.body)} cannot sit ({words(e.cause)})"
        head += f", as declared by {names(e.by, name)}" if actors_of(e.by) else ""
    else:
        head = f"{name(e.body)} suspended{by_clause(e.by, name)}" + (
            f" ({words(e.cause)})" if e.cause is not SuspensionCause.OTHER else "")
    return head + (f": {e.reason}" if e.reason else "")


@summarizer(InstitutionRestored)
def _restored_summary(e: InstitutionRestored, name: Name) -> str:
    return (f"{name(e.body)} restored{by_clause(e.by, name)}"
            + (f": {e.reason}" if e.reason else ""))


@summarizer(LegislatureVoted)
def _voted_summary(e: LegislatureVoted, name: Name) -> str:
    vote = Vote(e.motion, e.subject, e.passed, e.votes_for, e.votes_against, e.abstentions,
                e.target)
    return f"{name(e.body)} {_vote_words(vote, name)}"


# -- invariants -------------------------------------------------------------------------------

_AFTER = {InstitutionStep.DISSOLVED: InstitutionStatus.DISSOLVED,
          InstitutionStep.SUSPENDED: InstitutionStatus.SUSPENDED,
          InstitutionStep.RESTORED: InstitutionStatus.SITTING}


@invariant("institution-history")
def _institution_history(state: CrisisState) -> Iterator[InvariantViolation]:
    """A body's status follows its history: no vote while it does not sit, no suspension or
    dissolution of a dissolved body, a restoration only of one that did not sit."""
    for key, rec in institutions(state).items():
        status = InstitutionStatus.SITTING
        for h in rec.history:
            bad = ((h.step is InstitutionStep.VOTED and status is not InstitutionStatus.SITTING)
                   or (h.step is InstitutionStep.RESTORED
                       and status is InstitutionStatus.SITTING)
                   or (h.step in (InstitutionStep.DISSOLVED, InstitutionStep.SUSPENDED)
                       and status is InstitutionStatus.DISSOLVED)
                   or (h.step is InstitutionStep.SUSPENDED
                       and status is InstitutionStatus.SUSPENDED))
            if bad:
                yield InvariantViolation("", f"{h.step.value} while {status.value}", key)
            if (h.step is InstitutionStep.VOTED) != (h.vote is not None):
                yield InvariantViolation("", "a vote entry without its vote", key)
            status = _AFTER.get(h.step, status)
        if status is not rec.status or key != rec.body:
            yield InvariantViolation("", "the status does not match the history", key)
