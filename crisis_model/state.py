"""The state a log replays into: ``CrisisState`` and the records it holds.

Every record is a frozen ``attrs`` class; every mapping is a
:class:`~crisis_model.FrozenMap`; every history (a field typed ``Sequence``) is a
tuple while short and a :class:`~crisis_model.Trail` once long, equal to the tuple
of its entries either way.  Unknown quantities are ``None`` (never 0).
Handlers change state only by returning new records (see the ``with_*``
helpers on :class:`CrisisState`).
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import attrs

from ._count import Count
from ._dates import Precision
from ._frozenmap import FrozenMap, frozen_map
from ._place import Place
from ._replace import _twin, compile_replace, plain_subclass, replace

__all__ = [
    "ActorDraft",
    "ActorKind",
    "ActorState",
    "Allegation",
    "Annulment",
    "Assessment",
    "Asylum",
    "AsylumStatus",
    "Audit",
    "AuditStatus",
    "Claim",
    "Concession",
    "CountKind",
    "CountReport",
    "CrisisState",
    "Custody",
    "CustodyStatus",
    "DataStatus",
    "Death",
    "DeathCause",
    "Declaration",
    "ElectionDraft",
    "ElectionState",
    "Incidents",
    "IncidentsDraft",
    "Jeopardy",
    "Ledger",
    "LedgerDraft",
    "Movement",
    "MovementKind",
    "Offer",
    "OfferDraft",
    "OfferStatus",
    "Rescheduling",
    "Stance",
    "StanceKind",
    "Tally",
    "VacatedReason",
    "Verdict",
    "Whereabouts",
    "Withdrawal",
    "draft_class",
    "replace",
]

Shares: TypeAlias = FrozenMap[str, float]

#: The empty map every record starts with (maps never change, so one is shared).
_EMPTY: FrozenMap[Any, Any] = FrozenMap()


class ActorKind(enum.Enum):
    """What kind of actor an id names."""

    PERSON = "person"
    PARTY = "party"
    COALITION = "coalition"
    GOVERNMENT = "government"
    ELECTORAL_AUTHORITY = "electoral_authority"
    COURT = "court"
    SECURITY_FORCES = "security_forces"
    FOREIGN_GOVERNMENT = "foreign_government"
    OBSERVER = "observer"
    INTERNATIONAL_ORG = "international_org"
    NGO = "ngo"
    GROUP = "group"
    LEGISLATURE = "legislature"
    COUNCIL = "council"
    ARMED_GROUP = "armed_group"


class Whereabouts(enum.Enum):
    """Where a person (or group of people) is, as last reported."""

    AT_LARGE = "at_large"
    IN_HIDING = "in_hiding"
    DETAINED = "detained"
    IN_EMBASSY = "in_embassy"
    IN_EXILE = "in_exile"
    UNKNOWN = "unknown"
    #: Dead (see :class:`Death`): no later event may move, detain or appoint them.
    DECEASED = "deceased"


class AsylumStatus(enum.Enum):
    """Where an asylum request stands."""

    SOUGHT = "sought"
    GRANTED = "granted"
    DENIED = "denied"
    #: The asylum (or the request) ended: withdrawn, revoked, or the person moved on.
    ENDED = "ended"


class CustodyStatus(enum.Enum):
    """What an entry of a person's custody history records."""

    DETAINED = "detained"
    TRANSFERRED = "transferred"
    RELEASED = "released"
    EXPELLED = "expelled"
    DIED = "died"

    @property
    def held(self) -> bool:
        """Whether the person is still in custody after such an entry."""
        return self is CustodyStatus.DETAINED or self is CustodyStatus.TRANSFERRED


class DeathCause(enum.Enum):
    """How a person died, as reported."""

    KILLED = "killed"
    EXECUTED = "executed"
    DIED_IN_CUSTODY = "died_in_custody"
    NATURAL_CAUSES = "natural_causes"
    UNKNOWN = "unknown"


class MovementKind(enum.Enum):
    """What kind of move an entry of a person's movement history records."""

    WENT_INTO_HIDING = "went_into_hiding"
    TOOK_EMBASSY_REFUGE = "took_embassy_refuge"
    LEFT_COUNTRY = "left_country"
    REAPPEARED = "reappeared"
    RETURNED = "returned"
    EXPELLED = "expelled"


class StanceKind(enum.Enum):
    """An actor's position on an election's result."""

    RECOGNISES = "recognises"
    WITHHOLDS = "withholds"
    REJECTS = "rejects"
    #: Withdrew a recognition it gave earlier (``winner``: whom it had recognised).
    WITHDRAWN = "withdrawn"


class OfferStatus(enum.Enum):
    """The lifecycle of an offer (such as an amnesty): pending, then one terminal status."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AuditStatus(enum.Enum):
    """Whether an audit is still open."""

    OPEN = "open"
    CONCLUDED = "concluded"


class DataStatus(enum.Enum):
    """Whether an election's detailed results were published."""

    UNKNOWN = "unknown"
    DISCLOSED = "disclosed"
    WITHHELD = "withheld"


class Verdict(enum.Enum):
    """An observer's overall assessment of an election."""

    MET_STANDARDS = "met_standards"
    FELL_SHORT = "fell_short"
    INCONCLUSIVE = "inconclusive"


class VacatedReason(enum.Enum):
    """Why someone left an office."""

    RESIGNED = "resigned"
    REMOVED = "removed"
    TERM_ENDED = "term_ended"
    DIED = "died"
    OTHER = "other"
    #: Driven out by force or a coup.
    OUSTED = "ousted"
    #: Removed by impeachment.
    IMPEACHED = "impeached"
    #: Gave up the claim (renounced it, conceded it to a rival).
    RENOUNCED = "renounced"


@attrs.frozen(weakref_slot=False)
class Tally:
    """A cumulative count from reports, some of which may give no number or only a range.

    ``known`` sums the least each report supports (its number, or a range's low);
    ``uncounted`` counts the reports that gave no number.  ``total`` is the exact
    figure, or ``None`` when any report was uncounted or inexact.  :attr:`count` is
    the honest sum as a :class:`~crisis_model.Count` (``bounds`` holds it once a
    report gave a range; ``None`` while every report was a plain number or none).
    """

    known: int = 0
    uncounted: int = 0
    bounds: Count | None = None

    @property
    def total(self) -> int | None:
        """The exact total, or ``None`` if some report gave no number or only a range."""
        if self.uncounted or (self.bounds is not None and not self.bounds.is_exact):
            return None
        return self.known

    @property
    def count(self) -> Count:
        """The honest sum of every report (open-ended when some report gave no number)."""
        if self.bounds is not None:
            return self.bounds
        return Count.exact(self.known) if self.uncounted == 0 else Count.at_least(self.known)

    def add(self, count: int | Count | None) -> Tally:
        """Return the tally with one more report of ``count`` (``None``: no number given)."""
        if count.__class__ is Count:  # (the common case first: fields read directly)
            low = count.low
            if low is not None and low == count.high and self.bounds is None:
                new: Any = _TallyFill()  # (a copy made in place: one call fewer per report)
                new.known = self.known + low
                new.uncounted = self.uncounted
                new.bounds = None
                new.__class__ = Tally
                return new  # type: ignore[no-any-return]
        if count is None or (isinstance(count, Count) and count.is_unknown):
            bounds = None if self.bounds is None else self.bounds + Count.unknown()
            return _tally(self, self.known, self.uncounted + 1, bounds)
        if isinstance(count, Count):
            if count.is_exact and self.bounds is None:
                return _tally(self, self.known + count.floor, self.uncounted, None)
            return _tally(self, self.known + count.floor, self.uncounted, self.count + count)
        bounds = None if self.bounds is None else self.bounds + count
        return _tally(self, self.known + count, self.uncounted, bounds)

    def __str__(self) -> str:
        if self.bounds is not None:
            return str(self.bounds)
        if self.uncounted == 0:
            return str(self.known)
        return f">={self.known} ({self.uncounted} report(s) without a number)"


@attrs.frozen(weakref_slot=False)
class Asylum:
    """An asylum request: the host actor and where the request stands.

    ``host``: the actor asked (a foreign government); ``status``: where the
    request stands; ``since``/``precision``: the date of the event that put it
    there; ``reason``: why it ended, if reported (status ``ended``).
    """

    #: the actor asked for asylum (a state or an international body)
    host: str
    #: sought, granted or denied
    status: AsylumStatus
    #: the date of the event that set this status
    since: _dt.date
    #: how precisely ``since`` is known
    precision: Precision = Precision.DAY
    reason: str | None = None


@attrs.frozen(weakref_slot=False)
class Custody:
    """One entry of a person's custody history (the latest entry is the current one).

    ``status``: detained, transferred (still held, by a new custodian or at a
    new place), released, expelled (from custody across a border) or died;
    ``custodian``: the actor holding the person (``None``: not reported);
    ``place``: where they are held; ``group``: the detention ledger (group
    actor) they are counted in, if any; ``on``/``precision``: when.
    """

    status: CustodyStatus
    custodian: str | None = None
    place: Place | None = None
    group: str | None = None
    on: _dt.date | None = None
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class Movement:
    """One entry of a person's movement history: where they left from and where they went.

    ``origin``/``destination``: in words or as an ISO alpha-3 country code
    (``None``: not reported); ``place``: the event's place, if given;
    ``on``/``precision``: when.
    """

    kind: MovementKind
    origin: str | None = None
    destination: str | None = None
    place: Place | None = None
    on: _dt.date | None = None
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class Death:
    """A person's death: ``cause``, when (``on``/``precision``), ``by`` whom if
    reported (actor ids), and ``place``."""

    cause: DeathCause
    on: _dt.date
    precision: Precision = Precision.DAY
    by: tuple[str, ...] = ()
    place: Place | None = None


@attrs.frozen(weakref_slot=False)
class Jeopardy:
    """An actor's legal exposure."""

    #: whether the actor has been threatened with arrest
    threatened: bool = False
    #: whether a warrant is out for the actor's arrest
    wanted: bool = False
    #: the charges filed against the actor, in plain words, in order
    charged: tuple[str, ...] = ()
    #: the elections the actor was disqualified from
    disqualified_from: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        """Whether the actor faces any legal jeopardy at all."""
        return bool(self.threatened or self.wanted or self.charged or self.disqualified_from)


@attrs.frozen(weakref_slot=False)
class Stance:
    """An actor's stance on one election: whom it recognises, or on what condition it waits."""

    #: recognises, withholds (recognition, on a condition) or rejects
    kind: StanceKind
    #: the actor recognised as the winner (``kind`` recognises)
    winner: str | None = None
    #: what recognition waits for (``kind`` withholds), if stated
    condition: str | None = None
    #: the date of the event that set the stance
    since: _dt.date | None = None
    #: how precisely ``since`` is known
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class ActorState:
    """Everything known about one actor at one point in the history.

    ``whereabouts``/``location``: where it is, as last reported; ``asylum``: its
    latest asylum request (the last entry of ``asylum_history``, which keeps
    every one); ``custody``: who holds it and where, while it is in custody (the
    last entry of ``custody_history`` when that entry still holds it, else
    ``None``); ``movements``: every move, from where to where; ``death``: how and
    when it died (``None``: alive, or not a person).
    """

    #: the actor's id (the key it is filed under)
    id: str
    #: its display name
    name: str
    #: what kind of actor it is (person, party, court, foreign government...)
    kind: ActorKind
    #: its ISO 3166-1 alpha-3 country code, if known
    country: str | None = None
    #: the actor it belongs to (a person's party, a unit's command), if any
    affiliation: str | None = None
    #: the offices it holds now, in the order it took them
    offices: tuple[str, ...] = ()
    #: where it is, as last reported (at large, in hiding, detained, in exile...)
    whereabouts: Whereabouts = Whereabouts.AT_LARGE
    #: where exactly, in words or as a country code, if reported
    location: str | None = None
    #: its latest asylum request, if any
    asylum: Asylum | None = None
    #: its legal exposure (threats, warrants, charges, disqualifications)
    jeopardy: Jeopardy = Jeopardy()
    #: its current stance on each election, by election id
    stances: FrozenMap[str, Stance] = attrs.field(default=_EMPTY, converter=frozen_map)
    asylum_history: Sequence[Asylum] = ()
    custody: Custody | None = None
    custody_history: Sequence[Custody] = ()
    movements: Sequence[Movement] = ()
    death: Death | None = None

    @property
    def alive(self) -> bool:
        """Whether no death is recorded for the actor."""
        return self.death is None


@attrs.frozen(weakref_slot=False)
class Declaration:
    """A result declared by an authority: ``winner`` won, with ``shares`` (percent) or
    ``seats`` (a parliamentary election), on ``on`` (at ``precision``); ``by`` is the
    authority (set on every entry of :attr:`ElectionState.declaration_history`)."""

    #: the actor the authority declared the winner
    winner: str
    #: the vote shares it declared, in percent, by candidate
    shares: Shares = attrs.field(default=_EMPTY, converter=frozen_map)
    #: the date of the declaration
    on: _dt.date | None = None
    #: how precisely ``on`` is known
    precision: Precision = Precision.DAY
    seats: FrozenMap[str, int] = attrs.field(default=_EMPTY, converter=frozen_map)
    by: str | None = None


@attrs.frozen(weakref_slot=False)
class Claim:
    """A contestant's dispute of a result (declared or not yet), with the result it claims
    instead; ``by`` is the contestant (set on every entry of the history)."""

    #: the winner the contestant claims instead, if it names one
    claimed_winner: str | None
    #: the vote shares it claims, in percent, by candidate
    shares: Shares = attrs.field(default=_EMPTY, converter=frozen_map)
    #: why it disputes the declared result, in words
    grounds: str = ""
    #: the date of the claim
    on: _dt.date | None = None
    #: how precisely ``on`` is known
    precision: Precision = Precision.DAY
    by: str | None = None


@attrs.frozen(weakref_slot=False)
class Assessment:
    """An observer's assessment of an election (``by``: the observer, on history entries)."""

    #: the observer's overall verdict
    verdict: Verdict
    #: the candidate its findings favour, if it says
    favours: str | None = None
    #: the date of the assessment
    on: _dt.date | None = None
    #: how precisely ``on`` is known
    precision: Precision = Precision.DAY
    by: str | None = None


class CountKind(enum.Enum):
    """What a reported count is: an authority's preliminary (partial) or final count, a
    parallel tabulation (by observers or a party, from tally sheets), or an exit poll."""

    PRELIMINARY = "preliminary"
    FINAL = "final"
    PARALLEL = "parallel"
    EXIT_POLL = "exit_poll"


@attrs.frozen(weakref_slot=False)
class CountReport:
    """A count reported by ``by`` on ``on``: ``shares`` (percent) or ``seats`` per candidate,
    ``counted`` the percent of the vote (or of polling stations) counted when reported
    (``None``: not said).  A count names no winner: a declaration does."""

    by: str
    kind: CountKind = CountKind.PRELIMINARY
    shares: Shares = attrs.field(default=_EMPTY, converter=frozen_map)
    seats: FrozenMap[str, int] = attrs.field(default=_EMPTY, converter=frozen_map)
    counted: float | None = None
    on: _dt.date | None = None
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class Allegation:
    """Fraud alleged by ``by`` (against ``against``, if named), before or after any
    declaration, on these ``grounds``."""

    by: str
    against: str | None = None
    grounds: str = ""
    #: The day the fraud was alleged (``None``: not known), and how precisely it is known.
    on: _dt.date | None = None
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class Withdrawal:
    """``candidate`` withdrew from the race (endorsing ``endorses``, if anyone)."""

    candidate: str
    endorses: str | None = None
    #: Why, in plain words, as reported.
    reason: str = ""
    #: The day the candidate withdrew (``None``: not known), and how precisely it is known.
    on: _dt.date | None = None
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class Concession:
    """``by`` conceded defeat (to ``to``, if named); ``retracted`` marks the entry that
    records the concession being taken back."""

    by: str
    to: str | None = None
    retracted: bool = False
    #: The day the concession (or its retraction) was made (``None``: not known),
    #: and how precisely it is known.
    on: _dt.date | None = None
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class Annulment:
    """The result annulled by ``by`` on ``grounds``: in the whole election when
    ``districts`` is empty, else only in the districts named."""

    by: str
    grounds: str = ""
    districts: tuple[str, ...] = ()
    #: The day the result was annulled (``None``: not known), and how precisely it is known.
    on: _dt.date | None = None
    precision: Precision = Precision.DAY

    @property
    def whole(self) -> bool:
        """Whether the whole election was annulled (not only some districts)."""
        return not self.districts


@attrs.frozen(weakref_slot=False)
class Rescheduling:
    """The vote moved by ``by`` (if said) from ``previous`` to ``to`` (``None``: postponed
    with no new date), for ``reason``."""

    by: str | None = None
    previous: _dt.date | None = None
    to: _dt.date | None = None
    reason: str = ""
    #: The day the vote was moved (``None``: not known), and how precisely it is known.
    on: _dt.date | None = None
    precision: Precision = Precision.DAY


@attrs.frozen(weakref_slot=False)
class Audit:
    """An audit or review of an election's result."""

    #: the actor conducting the audit
    by: str
    #: open or concluded
    status: AuditStatus = AuditStatus.OPEN
    #: what it found, in words, once concluded
    finding: str | None = None
    #: the winner whose declared result it upholds, if any
    upholds: str | None = None


@attrs.frozen(weakref_slot=False)
class ElectionState:
    """Everything recorded about one election: who declared, claimed, assessed and audited what.

    The model never picks a "true" winner: two authorities may declare two
    winners, and both declarations are kept.  Nothing said is overwritten: every
    declaration, claim, assessment, count and concession is an entry of a dated
    history (``*_history``); ``declarations``, ``claims``, ``assessments``,
    ``counts`` and ``concessions`` are the current view (the latest entry per actor).

    Fields: ``country``, ``office``: where and for what; ``held_on``/``held_precision``:
    the vote; ``candidates``, ``disqualified``; ``called_on``/``called_precision``: when
    it was called; ``scheduled_for``: the date the vote is currently set for;
    ``runoff_of``: the round this one is a runoff of; ``rerun_of``: the annulled vote
    this one re-runs; ``allegations``: fraud alleged; ``withdrawals``; ``annulments``;
    ``reschedulings``: each postponement with the date before and after.
    """

    #: the election's id
    id: str
    #: the ISO 3166-1 alpha-3 code of the country voting, if given
    country: str | None = None
    #: the office elected, if given
    office: str | None = None
    #: the day of the vote, once held
    held_on: _dt.date | None = None
    #: how precisely ``held_on`` is known
    held_precision: Precision = Precision.DAY
    #: the candidates, in the order given
    candidates: tuple[str, ...] = ()
    #: candidates disqualified, in order
    disqualified: tuple[str, ...] = ()
    #: each authority's declared result, by authority id
    declarations: FrozenMap[str, Declaration] = attrs.field(
        default=_EMPTY, converter=frozen_map
    )
    #: each contestant's claimed result, by contestant id
    claims: FrozenMap[str, Claim] = attrs.field(default=_EMPTY, converter=frozen_map)
    #: each observer's assessment, by observer id
    assessments: FrozenMap[str, Assessment] = attrs.field(default=_EMPTY, converter=frozen_map)
    #: each audit, by audit id
    audits: FrozenMap[str, Audit] = attrs.field(default=_EMPTY, converter=frozen_map)
    #: whether the detailed results were published
    data: DataStatus = DataStatus.UNKNOWN
    #: (who demanded, what) for each demand of transparency, in order
    transparency_demands: Sequence[tuple[str, str]] = ()
    called_on: _dt.date | None = None
    called_precision: Precision = Precision.DAY
    scheduled_for: _dt.date | None = None
    runoff_of: str | None = None
    rerun_of: str | None = None
    declaration_history: Sequence[Declaration] = ()
    claim_history: Sequence[Claim] = ()
    assessment_history: Sequence[Assessment] = ()
    counts: FrozenMap[str, CountReport] = attrs.field(default=_EMPTY, converter=frozen_map)
    count_history: Sequence[CountReport] = ()
    allegations: Sequence[Allegation] = ()
    withdrawals: Sequence[Withdrawal] = ()
    concessions: FrozenMap[str, Concession] = attrs.field(default=_EMPTY, converter=frozen_map)
    concession_history: Sequence[Concession] = ()
    annulments: Sequence[Annulment] = ()
    reschedulings: Sequence[Rescheduling] = ()

    @property
    def held(self) -> bool:
        """Whether the vote has taken place."""
        return self.held_on is not None

    @property
    def annulled(self) -> bool:
        """Whether some authority annulled the whole result (not only some districts)."""
        return any(a.whole for a in self.annulments)

    @property
    def withdrawn(self) -> tuple[str, ...]:
        """The candidates who withdrew, in order."""
        return tuple(w.candidate for w in self.withdrawals)

    @property
    def conceded(self) -> tuple[str, ...]:
        """The candidates whose latest word is a concession (not retracted)."""
        return tuple(c for c, entry in self.concessions.items() if not entry.retracted)


@attrs.frozen(weakref_slot=False)
class Offer:
    """An offer (an amnesty, say) and where it stands in its lifecycle."""

    #: the offer's id
    id: str
    #: the actor making the offer
    by: str
    #: the actors it is made to
    to: tuple[str, ...]
    #: the actors it would benefit, if others than those it is made to
    beneficiaries: tuple[str, ...] = ()
    #: its conditions, in words
    conditions: tuple[str, ...] = ()
    #: whether it was made formally
    formal: bool = False
    #: pending, accepted, rejected or withdrawn
    status: OfferStatus = OfferStatus.PENDING
    #: the date it was made
    proposed_on: _dt.date | None = None
    #: how precisely ``proposed_on`` is known
    proposed_precision: Precision = Precision.DAY
    #: the date it stopped being pending
    resolved_on: _dt.date | None = None
    #: how precisely ``resolved_on`` is known
    resolved_precision: Precision = Precision.DAY
    #: the actor whose answer or withdrawal resolved it
    resolved_by: str | None = None

    @property
    def pending(self) -> bool:
        """Whether the offer is still open."""
        return self.status is OfferStatus.PENDING


@attrs.frozen(weakref_slot=False)
class Ledger:
    """Detention counts for one group of detainees.

    ``held`` is the number still held, or ``None`` when some report gave no number.
    """

    #: detentions reported
    detained: Tally = Tally()
    #: releases reported (unconditional)
    released: Tally = Tally()
    #: releases on conditions reported
    conditionally_released: Tally = Tally()
    #: the conditions of those releases, in words
    conditions: tuple[str, ...] = ()

    @property
    def held(self) -> int | None:
        """People still held: detained minus released, or ``None`` when unknown."""
        d, r, c = self.detained.total, self.released.total, self.conditionally_released.total
        if d is None or r is None or c is None:
            return None
        return d - r - c

    @property
    def held_range(self) -> Count:
        """What the record supports about the people still held.

        Releases may go unreported, so the record never proves anyone is still
        held: at most the detained (high) less the releases reported (low),
        and ``Count.unknown()`` when the detentions have no upper bound.

        >>> from crisis_model import Count, Ledger, Tally
        >>> print(Ledger(Tally(6700), Tally(2000)).held_range)
        at most 4,700
        """
        high = self.detained.count.high
        if high is None:
            return Count.unknown()
        gone = self.released.count.floor + self.conditionally_released.count.floor
        return Count.at_most(max(high - gone, 0))


@attrs.frozen(weakref_slot=False)
class Incidents:
    """Counters of unrest across the crisis (cumulative; they never decrease)."""

    #: protests reported
    protests: int = 0
    #: crackdowns reported
    crackdowns: int = 0
    #: deaths reported
    deaths: Tally = Tally()
    #: injuries reported
    injuries: Tally = Tally()
    #: arrests reported
    arrests: Tally = Tally()
    #: reports of harassment
    harassment_reports: int = 0


_Record: TypeAlias = Any


@attrs.frozen(weakref_slot=False)
class CrisisState:
    """The whole crisis as of one point in its history.

    ``version`` counts the events applied; ``as_of`` is the latest date the
    history is known to have reached (the start of the latest event's window).
    """

    version: int = 0
    as_of: _dt.date | None = None
    #: every actor, by id
    actors: FrozenMap[str, ActorState] = attrs.field(default=_EMPTY, converter=frozen_map)
    #: every election, by id
    elections: FrozenMap[str, ElectionState] = attrs.field(
        default=_EMPTY, converter=frozen_map
    )
    #: every offer, by id
    offers: FrozenMap[str, Offer] = attrs.field(default=_EMPTY, converter=frozen_map)
    #: each group's detention ledger, by group id
    ledgers: FrozenMap[str, Ledger] = attrs.field(default=_EMPTY, converter=frozen_map)
    #: the crisis-wide counters of unrest
    incidents: Incidents = Incidents()
    #: each registered state slice's value, by slice name (see ``cm.state_slice``)
    slices: FrozenMap[str, Any] = attrs.field(default=_EMPTY, converter=frozen_map)

    # -- helpers handlers use ------------------------------------------------------------
    # Each returns a new state and notes it as freshly built (see `_FRESH`), so
    # the reducer can stamp the version on it instead of copying it once more.

    def with_actor(self, actor_id: str, **changes: Any) -> CrisisState:
        """Return the state with actor ``actor_id`` changed by ``changes``."""
        names = tuple(changes)
        change = _actor_replacers.get(names) or _actor_replacer(names)
        actors = self.actors
        new = _with_actors(self, actors.set(actor_id, change(actors[actor_id], *changes.values())))
        _FRESH[0] = new
        return new

    def with_actors(self, actor_ids: Iterable[str], **changes: Any) -> CrisisState:
        """Return the state with each actor of ``actor_ids`` changed by the same ``changes``."""
        names = tuple(changes)
        change = _actor_replacers.get(names) or _actor_replacer(names)
        values = tuple(changes.values())
        actors = self.actors
        for actor_id in actor_ids:
            actors = actors.set(actor_id, change(actors[actor_id], *values))
        new = _with_actors(self, actors)
        _FRESH[0] = new
        return new

    def update_actor(
        self, actor_id: str, change: Callable[[ActorState], ActorState]
    ) -> CrisisState:
        """Return the state with ``change`` applied to actor ``actor_id``."""
        actors = self.actors
        new = _with_actors(self, actors.set(actor_id, change(actors[actor_id])))
        _FRESH[0] = new
        return new

    def with_election(self, election_id: str, **changes: Any) -> CrisisState:
        """Return the state with election ``election_id`` changed by ``changes``."""
        elections = self.elections
        changed = replace(elections[election_id], **changes)
        new = _with_elections(self, elections.set(election_id, changed))
        _FRESH[0] = new
        return new

    def with_offer(self, offer_id: str, **changes: Any) -> CrisisState:
        """Return the state with offer ``offer_id`` changed by ``changes``."""
        offers = self.offers
        new = _with_offers(self, offers.set(offer_id, replace(offers[offer_id], **changes)))
        _FRESH[0] = new
        return new

    def with_ledger(self, group: str, change: Callable[[Ledger], Ledger]) -> CrisisState:
        """Return the state with ``change`` applied to ``group``'s ledger (created empty)."""
        ledgers = self.ledgers
        new = _with_ledgers(self, ledgers.set(group, change(ledgers.get(group) or Ledger())))
        _FRESH[0] = new
        return new

    def with_incidents(self, **changes: Any) -> CrisisState:
        """Return the state with the crisis-wide :class:`Incidents` counters changed."""
        new = _with_incidents(self, replace(self.incidents, **changes))
        _FRESH[0] = new
        return new

    def put_actor(self, actor: ActorState) -> CrisisState:
        """Return the state with ``actor`` stored under its id (added or replaced)."""
        new = _with_actors(self, self.actors.set(actor.id, actor))
        _FRESH[0] = new
        return new

    def put_election(self, election: ElectionState) -> CrisisState:
        """Return the state with ``election`` stored under its id (added or replaced)."""
        new = _with_elections(self, self.elections.set(election.id, election))
        _FRESH[0] = new
        return new

    def put_offer(self, offer: Offer) -> CrisisState:
        """Return the state with ``offer`` stored under its id (added or replaced)."""
        new = _with_offers(self, self.offers.set(offer.id, offer))
        _FRESH[0] = new
        return new

    def with_slice(self, name: str, value: Any) -> CrisisState:
        """Return the state with the user state slice ``name`` set to ``value``."""
        new = _with_slices(self, self.slices.set(name, value))
        _FRESH[0] = new
        return new

    # -- derived views -------------------------------------------------------------------

    def stance(self, actor_id: str, election_id: str) -> Stance | None:
        """``actor_id``'s stance on ``election_id``, or ``None`` if it has taken none."""
        actor = self.actors.get(actor_id)
        return None if actor is None else actor.stances.get(election_id)

    def recognitions(self, election_id: str) -> FrozenMap[str, Stance]:
        """Every actor's stance on ``election_id``, keyed by actor id."""
        return FrozenMap(
            (a.id, a.stances[election_id]) for a in self.actors.values() if election_id in a.stances
        )


_tally = compile_replace(Tally, ("known", "uncounted", "bounds"))
_TallyFill: Any = _twin(Tally)
_with_actors = compile_replace(CrisisState, ("actors",))
_actor_replacers: dict[tuple[str, ...], Callable[..., ActorState]] = {}


def _actor_replacer(names: tuple[str, ...]) -> Callable[..., ActorState]:
    """The replace function for ``ActorState`` fields ``names``, compiled once and kept."""
    change = _actor_replacers[names] = compile_replace(ActorState, names)
    return change
_with_elections = compile_replace(CrisisState, ("elections",))
_with_offers = compile_replace(CrisisState, ("offers",))
_with_ledgers = compile_replace(CrisisState, ("ledgers",))
_with_incidents = compile_replace(CrisisState, ("incidents",))
_with_slices = compile_replace(CrisisState, ("slices",))

#: The state the ``with_*`` helpers built last.  The reducer clears it before it
#: calls a handler; if the handler returns that very object, nothing but the
#: handler has seen it, so the reducer sets its ``version`` and ``as_of`` in
#: place rather than copying the whole state once more for them.  Threads
#: replaying at once can only make the identity check fail (then it copies).
_FRESH: list[CrisisState | None] = [None]


# -- writable twins: the records a handler changes in a draft ------------------------------
#
# A handler writing to a :class:`~crisis_model.Draft` gets, from ``draft.edit_actor(id)``
# and the like, a *writable twin* of the record: an instance of a subclass of the record's
# class that adds no slots and restores ``object.__setattr__`` (a store costs what a
# store on any plain object costs, a tenth of going through the frozen class's
# ``__setattr__``); it reads, compares and prints as the record does.  When the reducer
# freezes the draft, each twin becomes an instance of the frozen class in place, by
# ``__class__`` assignment (CPython allows it between identical layouts, and checks a
# subclass adding nothing in a few steps): no copy.  From then on a write to it raises
# ``attrs.exceptions.FrozenInstanceError``, like a write to any state record.

R = TypeVar("R")

#: frozen record class -> its writable twin class, and back.
_twin_of: dict[type, type] = {}
_frozen_of: dict[type, type] = {}
#: twin class -> ``thaw(frozen record) -> twin`` and ``settle(twin) -> None`` (runs the
#: converters of the record's fields, so a handler may assign a plain ``dict`` to a map
#: field, then turns the twin into the frozen class).
_thaw: dict[type, Callable[[Any], Any]] = {}
_settle: dict[type, Callable[[Any], None]] = {}


def draft_class(cls: type[R], name: str | None = None) -> type[R]:
    """The writable twin of the frozen, slotted attrs record class ``cls`` (made once).

    Handlers never need to call this: :class:`~crisis_model.Draft` hands out twins of
    the core records.  A user record kept in a slice is replaced whole
    (``draft.set_slice``), so it needs no twin either.
    """
    twin = _twin_of.get(cls)
    if twin is not None:
        return twin
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    # (see plain_subclass: plain stores, a bare instance by a call, and a __class__
    # assignment back to cls that CPython checks in a few steps)
    twin = None if hasattr(cls, "__attrs_post_init__") else plain_subclass(
        cls, name or f"{cls.__name__}Draft", cls.__module__,
        f"A writable {cls.__name__} inside a draft (see crisis_model.Draft).")
    if twin is None:
        raise TypeError(f"{cls.__qualname__} must be an attrs class slotted all the way down, "
                        "with no __new__ and no __attrs_post_init__, to have a draft twin")
    ns: dict[str, Any] = {"_twin": twin, "_cls": cls}
    copy = [f"    _n.{f.name} = _o.{f.name}" for f in fields]
    fix = []
    for i, f in enumerate(fields):
        if f.converter is not None:
            ns[f"_c{i}"] = f.converter
            fix.append(f"    _n.{f.name} = _c{i}(_n.{f.name})")
    src = ("def thaw(_o):\n    _n = _twin()\n" + "\n".join(copy) + "\n    return _n\n"
           "def settle(_n):\n" + "\n".join(fix) + ("\n" if fix else "")
           + "    _n.__class__ = _cls\n")  # a plain store (STORE_ATTR): no call
    exec(compile(src, f"<draft of {cls.__qualname__}>", "exec"), ns)
    _twin_of[cls], _frozen_of[twin] = twin, cls
    _thaw[twin], _settle[twin] = ns["thaw"], ns["settle"]
    return twin


if TYPE_CHECKING:
    # For the type checker, each twin is its record with writable fields.

    class ActorDraft(ActorState):
        """A writable :class:`ActorState` inside a draft."""

        name: str
        kind: ActorKind
        country: str | None
        affiliation: str | None
        offices: tuple[str, ...]
        whereabouts: Whereabouts
        location: str | None
        asylum: Asylum | None
        jeopardy: Jeopardy
        stances: FrozenMap[str, Stance]
        asylum_history: Sequence[Asylum]
        custody: Custody | None
        custody_history: Sequence[Custody]
        movements: Sequence[Movement]
        death: Death | None

    class ElectionDraft(ElectionState):
        """A writable :class:`ElectionState` inside a draft."""

        country: str | None
        office: str | None
        held_on: _dt.date | None
        held_precision: Precision
        candidates: tuple[str, ...]
        disqualified: tuple[str, ...]
        declarations: FrozenMap[str, Declaration]
        claims: FrozenMap[str, Claim]
        assessments: FrozenMap[str, Assessment]
        audits: FrozenMap[str, Audit]
        data: DataStatus
        transparency_demands: Sequence[tuple[str, str]]
        called_on: _dt.date | None
        called_precision: Precision
        scheduled_for: _dt.date | None
        runoff_of: str | None
        rerun_of: str | None
        declaration_history: Sequence[Declaration]
        claim_history: Sequence[Claim]
        assessment_history: Sequence[Assessment]
        counts: FrozenMap[str, CountReport]
        count_history: Sequence[CountReport]
        allegations: Sequence[Allegation]
        withdrawals: Sequence[Withdrawal]
        concessions: FrozenMap[str, Concession]
        concession_history: Sequence[Concession]
        annulments: Sequence[Annulment]
        reschedulings: Sequence[Rescheduling]

    class OfferDraft(Offer):
        """A writable :class:`Offer` inside a draft."""

        to: tuple[str, ...]
        beneficiaries: tuple[str, ...]
        conditions: tuple[str, ...]
        formal: bool
        status: OfferStatus
        resolved_on: _dt.date | None
        resolved_precision: Precision
        resolved_by: str | None

    class LedgerDraft(Ledger):
        """A writable :class:`Ledger` inside a draft."""

        detained: Tally
        released: Tally
        conditionally_released: Tally
        conditions: tuple[str, ...]

    class IncidentsDraft(Incidents):
        """A writable :class:`Incidents` inside a draft."""

        protests: int
        crackdowns: int
        deaths: Tally
        injuries: Tally
        arrests: Tally
        harassment_reports: int
else:
    ActorDraft = draft_class(ActorState, "ActorDraft")
    ElectionDraft = draft_class(ElectionState, "ElectionDraft")
    OfferDraft = draft_class(Offer, "OfferDraft")
    LedgerDraft = draft_class(Ledger, "LedgerDraft")
    IncidentsDraft = draft_class(Incidents, "IncidentsDraft")
