"""Office: claims to offices, held by rival claimants at once, and how each claim began and ended.

The model records *claims*, not facts: a person sworn in by congress and the
president that congress removed may both claim the presidency, and each claim
keeps its basis (elected, appointed, succession, interim, acting, seized,
named by a parallel body), who swore the claimant in or appointed them, and
since when.  The claims live in the ``"offices"`` state slice as a dated
history (see :class:`OfficeRecord`); ``ActorState.offices`` is the current view
(the offices an actor claims now).

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, OfficeAssumed, OfficeVacated
>>> day = dt.date(2009, 6, 28)
>>> log = [
...     ActorIntroduced(occurred_on=day, actor="zelaya", name="Manuel Zelaya",
...                     kind=cm.ActorKind.PERSON, offices=("president",)),
...     ActorIntroduced(occurred_on=day, actor="micheletti", name="Roberto Micheletti",
...                     kind=cm.ActorKind.PERSON),
...     ActorIntroduced(occurred_on=day, actor="congress", name="National Congress",
...                     kind=cm.ActorKind.LEGISLATURE),
...     OfficeVacated(occurred_on=day, person="zelaya", office="president",
...                   reason=cm.VacatedReason.REMOVED, by="congress", contested=True),
...     OfficeAssumed(occurred_on=day, person="micheletti", office="president",
...                   basis=ClaimBasis.SUCCESSION, by="congress"),
... ]
>>> state = cm.replay(log)
>>> claimants(state, "president")
('zelaya', 'micheletti')
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from .._dates import Precision
from .._draft import Draft
from .._event import Event, actors_of, joint, ref, strings
from .._frozenmap import FrozenMap, MapDraft
from .._place import Place
from .._replace import compile_make, compile_replace
from .._summary import summarizer
from .._trail import appended, replaced  # public as crisis_model.appended/replaced
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState, VacatedReason, replace

# enum members bound once: reading one from its class costs a metaclass
# __getattr__ hook on Python 3.11 (about 20 times a global read)
_VACATEDREASON_OTHER = VacatedReason.OTHER
_VACATEDREASON_OUSTED = VacatedReason.OUSTED
_VACATEDREASON_TERM_ENDED = VacatedReason.TERM_ENDED

__all__ = [
    "ClaimBasis",
    "ClaimEnd",
    "OfficeAssumed",
    "OfficeClaim",
    "OfficeRecord",
    "OfficeSeized",
    "OfficeSymbolicOath",
    "OfficeVacated",
    "SymbolicOath",
    "claimants",
    "end_claims",
    "office_claims",
    "symbolic_oaths",
]

SLICE = "offices"


class ClaimBasis(enum.Enum):
    """On what ground a claimant holds (or claims) an office."""

    #: Won an election to it.
    ELECTED = "elected"
    #: Appointed by someone with the power to appoint (a president, a legislature).
    APPOINTED = "appointed"
    #: Succeeded to it under a rule of succession (a vice-president, a speaker).
    SUCCESSION = "succession"
    #: Holds it for a transition, until a successor is chosen.
    INTERIM = "interim"
    #: Stands in for an absent or incapacitated holder.
    ACTING = "acting"
    #: Took it by force (a coup, a seizure of power).
    SEIZED = "seized"
    #: Named by a parallel body (a rival legislature, council or government).
    PARALLEL = "parallel"


@attrs.frozen(weakref_slot=False)
class ClaimEnd:
    """How a claim to an office ended, or an attempt to end it that the claimant contests.

    ``on``/``precision``: the date of the event that ended it.  ``reason``: why
    (resigned, removed, ousted...).  ``by``: who removed the claimant, declared
    the office vacant or accepted the resignation (may be empty).
    ``pressured_by``: under whose pressure, where reported.  ``sources``: the
    source ids the event cites.
    """

    on: _dt.date
    precision: Precision = Precision.DAY
    reason: VacatedReason = VacatedReason.OTHER
    by: tuple[str, ...] = ()
    pressured_by: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)
class OfficeClaim:
    """One claimant's claim to one office, from when it began to when (if ever) it ended.

    ``holder``: the claimant (an actor id).  ``basis``: on what ground (``None``:
    not reported, or held before the record begins).  ``by``: who swore them in,
    appointed or named them.  ``since``/``precision``: when the claim began
    (``None``: before the record begins, such as an office given when the actor
    was introduced).  ``new_term``: the claim is a new term of an incumbent.
    ``sources``: the source ids of the event that began it.  ``end``: how it
    ended (``None`` while it stands).  ``contested``: removals the claimant
    rejected, keeping the claim (a president ousted by the army who still
    claims the presidency), in order.
    """

    holder: str
    basis: ClaimBasis | None = None
    by: tuple[str, ...] = ()
    since: _dt.date | None = None
    precision: Precision = Precision.DAY
    new_term: bool = False
    sources: tuple[str, ...] = ()
    end: ClaimEnd | None = None
    contested: tuple[ClaimEnd, ...] = ()

    @property
    def active(self) -> bool:
        """Whether the claim still stands."""
        return self.end is None


@attrs.frozen(weakref_slot=False)
class SymbolicOath:
    """An oath to an office taken as a gesture (before a rump parliament, a crowd): it is
    recorded, but makes no claim to the office.

    ``person``: who swore it.  ``on``/``precision``: when.  ``by``: who administered or
    witnessed it (may be empty).  ``place``: where, if reported.  ``sources``: the source ids
    the event cites.
    """

    person: str
    on: _dt.date
    precision: Precision = Precision.DAY
    by: tuple[str, ...] = ()
    place: Place | None = None
    sources: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)
class OfficeRecord:
    """Every claim ever made to one office, in the order the claims began.

    ``office``: the office id.  ``claims``: the history, old and current claims
    alike (:attr:`current` keeps the ones that stand).  ``oaths``: the symbolic oaths
    taken to it, which claim nothing.
    """

    office: str
    claims: Sequence[OfficeClaim] = ()
    oaths: Sequence[SymbolicOath] = ()

    @property
    def current(self) -> tuple[OfficeClaim, ...]:
        """The claims that stand now (several when claimants are rivals)."""
        return tuple(c for c in self.claims if c.end is None)


_EMPTY: FrozenMap[str, OfficeRecord] = FrozenMap()


def office_claims(state: CrisisState, office: str) -> Sequence[OfficeClaim]:
    """Every claim to ``office`` recorded so far, ended or standing, in order."""
    book = state.slices.get(SLICE) or _EMPTY
    record = book.get(office)
    return () if record is None else record.claims


def symbolic_oaths(
    state: CrisisState, *, office: str | None = None, person: str | None = None
) -> tuple[tuple[str, SymbolicOath], ...]:
    """``(office, oath)`` for every symbolic oath recorded (to ``office``, by ``person``)."""
    book = state.slices.get(SLICE) or _EMPTY
    return tuple((o, oath) for o, record in book.items() if office is None or o == office
                 for oath in record.oaths if person is None or oath.person == person)


def claimants(state: CrisisState, office: str) -> tuple[str, ...]:
    """Who claims ``office`` now, in the order the claims began.

    Holders given the office when they were introduced (whose claim began
    before the record) come first, unless the record has a claim of theirs.
    """
    claims = office_claims(state, office)
    recorded = {c.holder for c in claims}
    earlier = [a.id for a in state.actors.values() if office in a.offices and a.id not in recorded]
    return (*earlier, *(c.holder for c in claims if c.active))


# -- events -----------------------------------------------------------------------------------


@event_type("office.assumed", version=1)
@attrs.frozen(kw_only=True)
class OfficeAssumed(Event):
    """A person (or body) assumes, or claims to assume, an office.

    Another may claim the same office at once (rival claims).  ``basis`` says on
    what ground; ``by`` who swore them in, appointed or named them (a legislature,
    a court, a council; several actors may be named).  ``new_term``: an incumbent
    inaugurated for a new term (their earlier claim ends, with reason
    ``term_ended``, and the new one begins).
    """

    person: str = ref("actor")
    office: str
    basis: ClaimBasis | None = None
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    new_term: bool = False
    place: Place | None = None


@event_type("office.vacated", version=1)
@attrs.frozen(kw_only=True)
class OfficeVacated(Event):
    """A person leaves an office, or is removed from it.

    ``reason`` says why; ``by`` who removed them, declared the office vacant or
    accepted the resignation; ``pressured_by`` under whose pressure, where
    reported.  ``contested``: the holder rejects the removal and keeps claiming the
    office (their claim stands, with the removal recorded against it).
    """

    person: str = ref("actor")
    office: str
    reason: VacatedReason = VacatedReason.OTHER
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    pressured_by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    contested: bool = False


@event_type("office.seized", version=1)
@attrs.frozen(kw_only=True)
class OfficeSeized(Event):
    """An office is taken by force (a coup), without an election.

    ``by``: who seized it (armed forces, a junta; several may be named).
    ``holder``: who now claims the office (``None``: the one actor of ``by``).
    ``ousted``: the holders driven out; they keep their claims (recorded as
    contested removals) until a ``office.vacated`` ends them.
    """

    by: str | tuple[str, ...] = ref("actor", converter=joint)
    office: str
    holder: str | None = ref("actor", default=None)
    ousted: tuple[str, ...] = ref("actor", default=(), converter=strings)
    place: Place | None = None


@event_type("office.symbolic_oath", version=1)
@attrs.frozen(kw_only=True)
class OfficeSymbolicOath(Event):
    """A person swears the oath of an office as a gesture, without taking it up (an opposition
    candidate sworn in before a rump session of parliament).  It is kept in the office's
    history and the person's, but is no claim: :func:`claimants` leaves it out and a later
    ``office.assumed`` is not blocked.  ``by``: who administered or witnessed it."""

    person: str = ref("actor")
    office: str
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    place: Place | None = None


# -- rules ------------------------------------------------------------------------------------


@rule(OfficeAssumed)
def not_holding(state: CrisisState, e: OfficeAssumed) -> str | None:
    if e.office in state.actors[e.person].offices and not e.new_term:
        return (f"{e.person!r} already holds {e.office!r} (an incumbent's new term is "
                "new_term = true)")
    return None


@rule(OfficeAssumed)
def new_term_incumbent(state: CrisisState, e: OfficeAssumed) -> str | None:
    if e.new_term and e.office not in state.actors[e.person].offices:
        return f"{e.person!r} begins a new term in {e.office!r} without holding it"
    return None


@rule(OfficeAssumed)
def parallel_named_by(state: CrisisState, e: OfficeAssumed) -> str | None:
    if e.basis is ClaimBasis.PARALLEL and not actors_of(e.by):
        return f"{e.person!r} claims {e.office!r} as named by a parallel body, but by names none"
    return None


@rule(OfficeSymbolicOath)
def symbolic_oath_not_holding(state: CrisisState, e: OfficeSymbolicOath) -> str | None:
    person = state.actors[e.person]
    if person.death is not None:
        return f"{e.person!r} died on {person.death.on}: the dead swear no oath"
    if e.office in person.offices:
        return (f"{e.person!r} already holds {e.office!r}: a symbolic oath is taken by one who "
                "does not (an incumbent's new term is office.assumed with new_term = true)")
    return None


@rule(OfficeVacated)
def holding(state: CrisisState, e: OfficeVacated) -> str | None:
    if e.office not in state.actors[e.person].offices:
        return f"{e.person!r} does not hold {e.office!r}"
    return None


@rule(OfficeSeized)
def seizure_holder(state: CrisisState, e: OfficeSeized) -> str | None:
    if e.holder is None and len(actors_of(e.by)) != 1:
        return f"{e.office!r} is seized by several actors: name the holder"
    holder = _seizer(e)
    if e.office in state.actors[holder].offices:
        return f"{holder!r} already holds {e.office!r}"
    if holder in e.ousted:
        return f"{holder!r} cannot oust itself from {e.office!r}"
    return None


@rule(OfficeSeized)
def ousted_holding(state: CrisisState, e: OfficeSeized) -> list[str]:
    actors = state.actors
    return [f"ousted {p!r} does not hold {e.office!r}" for p in e.ousted
            if e.office not in actors[p].offices]


def _seizer(e: OfficeSeized) -> str:
    return e.holder if e.holder is not None else actors_of(e.by)[0]


# -- handlers ---------------------------------------------------------------------------------


#: OfficeClaim(...), ClaimEnd(...), OfficeRecord(...) without the frozen __init__'s cost,
#: and the copies the handlers make (a record with new claims, a claim ended or contested)
_claim, _claim_end = compile_make(OfficeClaim), compile_make(ClaimEnd)
_office_record = compile_make(OfficeRecord)
_with_claims = compile_replace(OfficeRecord, ("claims",))
_with_end = compile_replace(OfficeClaim, ("end",))
_with_contested = compile_replace(OfficeClaim, ("contested",))


def _book(draft: Draft) -> MapDraft[str, OfficeRecord]:
    """The office book, writable (stored as the slice)."""
    book: FrozenMap[str, OfficeRecord] | None = draft.slices.get(SLICE)
    writable = draft.edit_map(_EMPTY if book is None else book)
    if writable is not book:
        draft.set_slice(SLICE, writable)
    return writable


def _begin(draft: Draft, e: Event, office: str, claim: OfficeClaim) -> None:
    book = _book(draft)
    record = book.get(office) or _office_record(office)
    book[office] = _with_claims(record, appended(record.claims, claim))


def _close(draft: Draft, office: str, holder: str, end: ClaimEnd, *, contested: bool) -> None:
    """End ``holder``'s standing claim (or record a contested removal against it)."""
    book = _book(draft)
    record = book.get(office) or _office_record(office)
    claims = record.claims
    for back, old in enumerate(reversed(claims), 1):
        if old.end is None and old.holder == holder:
            i = len(claims) - back
            break
    else:  # held since before the record (given at introduction)
        old = _claim(holder)
        claims = appended(claims, old)
        i = len(claims) - 1
    new = _with_contested(old, (*old.contested, end)) if contested else _with_end(old, end)
    book[office] = _with_claims(record, replaced(claims, i, new))


def end_claims(draft: Draft, person: str, end: ClaimEnd) -> None:
    """End every claim ``person`` holds now, with ``end``, and empty their offices.

    For other vocabulary whose events end a person's offices (a death, say), so the
    claims in the ``"offices"`` slice and ``ActorState.offices`` stay one story.
    """
    for office in draft.actors[person].offices:
        _close(draft, office, person, end, contested=False)
    draft.edit_actor(person).offices = ()


@handler(OfficeAssumed)
def _assumed(draft: Draft, e: OfficeAssumed) -> None:
    if e.new_term:
        ended = _claim_end(e.occurred_on, e.precision, _VACATEDREASON_TERM_ENDED,
                         sources=e.sources)
        _close(draft, e.office, e.person, ended, contested=False)
    else:
        a = draft.edit_actor(e.person)
        a.offices = (*a.offices, e.office)
    _begin(draft, e, e.office, _claim(
        e.person, e.basis, actors_of(e.by), e.occurred_on, e.precision, e.new_term, e.sources))


@handler(OfficeVacated)
def _vacated(draft: Draft, e: OfficeVacated) -> None:
    end = _claim_end(e.occurred_on, e.precision, e.reason, actors_of(e.by),
                   actors_of(e.pressured_by), e.sources)
    _close(draft, e.office, e.person, end, contested=e.contested)
    if not e.contested:
        a = draft.edit_actor(e.person)
        offices, office = a.offices, e.office
        while office in offices:  # (held once; slices, not a generator: C all the way)
            i = offices.index(office)
            offices = offices[:i] + offices[i + 1:]
        a.offices = offices


@handler(OfficeSeized)
def _seized(draft: Draft, e: OfficeSeized) -> None:
    by = actors_of(e.by)
    for person in e.ousted:
        end = ClaimEnd(e.occurred_on, e.precision, _VACATEDREASON_OUSTED, by, (), e.sources)
        _close(draft, e.office, person, end, contested=True)
    holder = _seizer(e)
    a = draft.edit_actor(holder)
    a.offices = (*a.offices, e.office)
    _begin(draft, e, e.office, OfficeClaim(
        holder, ClaimBasis.SEIZED, by, e.occurred_on, e.precision, False, e.sources))


@handler(OfficeSymbolicOath)
def _symbolic_oath(draft: Draft, e: OfficeSymbolicOath) -> None:
    book = _book(draft)
    record = book.get(e.office) or OfficeRecord(e.office)
    oath = SymbolicOath(e.person, e.occurred_on, e.precision, actors_of(e.by), e.place,
                        e.sources)
    book[e.office] = replace(record, oaths=appended(record.oaths, oath))


# -- plain words ------------------------------------------------------------------------------

_BASIS_WORDS = {
    ClaimBasis.ELECTED: "as elected",
    ClaimBasis.APPOINTED: "by appointment",
    ClaimBasis.SUCCESSION: "by succession",
    ClaimBasis.INTERIM: "on an interim basis",
    ClaimBasis.ACTING: "in an acting capacity",
    ClaimBasis.SEIZED: "by force",
    ClaimBasis.PARALLEL: "as named by a parallel body",
}


def _names(ids: tuple[str, ...], name: Callable[[str | None], str]) -> str:
    shown = [name(i) for i in ids]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else "".join(shown)


def _reason(reason: VacatedReason) -> str:
    return "left" if reason is _VACATEDREASON_OTHER else reason.value.replace("_", " ")


@summarizer(OfficeAssumed)
def _summary_assumed(e: OfficeAssumed, n: Callable[[str | None], str]) -> str:
    by = actors_of(e.by)
    return (f"{n(e.person)} " + ("begins a new term in" if e.new_term else "assumes")
            + f" the office {e.office}"
            + (f" {_BASIS_WORDS[e.basis]}" if e.basis is not None else "")
            + (f", sworn in or named by {_names(by, n)}" if by else ""))


@summarizer(OfficeVacated)
def _summary_vacated(e: OfficeVacated, n: Callable[[str | None], str]) -> str:
    by, pressure = actors_of(e.by), actors_of(e.pressured_by)
    why = "" if e.reason is _VACATEDREASON_OTHER else f" ({_reason(e.reason)})"
    return (f"{n(e.person)} leaves the office {e.office}{why}"
            + (f", by decision of {_names(by, n)}" if by else "")
            + (f", under pressure from {_names(pressure, n)}" if pressure else "")
            + ("; they reject this and keep claiming it" if e.contested else ""))


@summarizer(OfficeSeized)
def _summary_seized(e: OfficeSeized, n: Callable[[str | None], str]) -> str:
    by = actors_of(e.by)
    holder = _seizer(e)
    return (f"{_names(by, n)} seize{'s' if len(by) == 1 else ''} the office {e.office}"
            + (f" for {n(holder)}" if e.holder is not None and by != (holder,) else "")
            + (f", ousting {_names(e.ousted, n)}" if e.ousted else ""))


@summarizer(OfficeSymbolicOath)
def _summary_symbolic_oath(e: OfficeSymbolicOath, n: Callable[[str | None], str]) -> str:
    by = actors_of(e.by)
    return (f"{n(e.person)} takes a symbolic oath of the office {e.office}"
            + (f" before {_names(by, n)}" if by else "") + " (no claim to it)")


def _when(day: _dt.date | None, precision: Precision) -> str:
    if day is None:
        return "before the record"
    if precision is Precision.YEAR:
        return f"{day.year:04d}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _end_words(end: ClaimEnd, name: Callable[[str | None], str]) -> str:
    return (f"{_reason(end.reason)} on {_when(end.on, end.precision)}"
            + (f" by {_names(end.by, name)}" if end.by else "")
            + (f" under pressure from {_names(end.pressured_by, name)}"
               if end.pressured_by else ""))


def claim_text(c: OfficeClaim, name: Callable[[str | None], str]) -> str:
    """One claim in plain words (as ``replay`` prints it)."""
    since = ("held when the record begins" if c.since is None
             else f"since {_when(c.since, c.precision)}")
    text = f"{name(c.holder)}: " + ("new term " if c.new_term else "") + since
    if c.basis is not None:
        text += f" ({c.basis.value})"
    if c.by:
        text += f", sworn in or named by {_names(c.by, name)}"
    for removal in c.contested:
        text += f"; {_end_words(removal, name)} (the holder contests it)"
    text += f"; ended: {_end_words(c.end, name)}" if c.end is not None else "; claim stands"
    return text


def _render(book: FrozenMap[str, OfficeRecord],
            name: Callable[[str | None], str]) -> Iterator[str]:
    # Lazily: the report reads only as many lines as its band shows.
    for office, record in book.items():
        standing = len(record.current)
        yield f"{office}: {standing} standing claim{'s' if standing != 1 else ''}"
        for c in record.claims:
            yield f"  {claim_text(c, name)}"
        for o in record.oaths:
            yield (f"  {name(o.person)}: symbolic oath {_when(o.on, o.precision)}"
                   + (f" before {_names(o.by, name)}" if o.by else "") + " (no claim)")


def _end_json(end: ClaimEnd) -> dict[str, Any]:
    return {"on": _when(end.on, end.precision), "reason": end.reason.value,
            "by": list(end.by), "pressured_by": list(end.pressured_by),
            "sources": list(end.sources)}


def _to_json(book: FrozenMap[str, OfficeRecord]) -> dict[str, Any]:
    """``{office: {"#1 holder": claim, ...}}``: claims keyed by their place in the history,
    so a diff shows the claims that began or ended, field by field."""
    return {office: {f"#{i} {c.holder}": {
        "holder": c.holder, "basis": None if c.basis is None else c.basis.value,
         "by": list(c.by), "since": None if c.since is None else _when(c.since, c.precision),
         "new_term": c.new_term, "sources": list(c.sources), "standing": c.active,
         "end": None if c.end is None else _end_json(c.end),
         "contested": [_end_json(x) for x in c.contested]}
        for i, c in enumerate(record.claims, 1)} | {f"oath #{i} {o.person}": {
            "symbolic_oath": True, "holder": o.person, "by": list(o.by),
            "on": _when(o.on, o.precision), "sources": list(o.sources)}
        for i, o in enumerate(record.oaths, 1)} for office, record in book.items()}


state_slice(SLICE, _EMPTY, title="OFFICES (claims, rival and past)", render=_render,
            to_json=_to_json)


# -- invariants -------------------------------------------------------------------------------


@invariant("offices-match-claims")
def _offices_match_claims(state: CrisisState) -> Iterator[InvariantViolation]:
    """An actor holds an office iff it has a standing claim to it (or held it before the record
    and no claim of its is recorded)."""
    book: FrozenMap[str, OfficeRecord] = state.slices.get(SLICE) or _EMPTY
    recorded: dict[tuple[str, str], bool] = {}
    for office, record in book.items():
        for c in record.claims:
            if c.holder not in state.actors:
                yield InvariantViolation("offices-match-claims",
                                         f"claim to {office!r} by unknown actor", c.holder)
            key = (c.holder, office)
            if c.active and recorded.get(key):
                yield InvariantViolation("offices-match-claims",
                                         f"two standing claims to {office!r}", c.holder)
            recorded[key] = recorded.get(key, False) or c.active
    for (holder, office), standing in recorded.items():
        actor = state.actors.get(holder)
        if actor is not None and standing != (office in actor.offices):
            yield InvariantViolation(
                "offices-match-claims",
                f"offices {list(actor.offices)} disagree with the claims to {office!r}", holder)
