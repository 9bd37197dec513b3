"""Recognition: who recognises whom as what (an election's winner, the holder of an office,
a country's representative), withheld on conditions, refused or withdrawn, and since when.

Every recognition, withholding, refusal and withdrawal is an entry of the
``"recognitions"`` state slice (a :class:`Recognitions` record), kept in order
with its date and the sources of the event that reported it.  For elections,
``ActorState.stances`` stays the current view (the latest entry per actor).

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced
>>> day = dt.date(2009, 6, 28)
>>> log = [
...     ActorIntroduced(occurred_on=day, actor="zelaya", name="Manuel Zelaya",
...                     kind=cm.ActorKind.PERSON, offices=("president",)),
...     ActorIntroduced(occurred_on=day, actor="oas", name="OAS",
...                     kind=cm.ActorKind.INTERNATIONAL_ORG),
...     HolderRecognized(occurred_on=day, by="oas", actor="zelaya", office="president",
...                      sources=("oas-res",)),
... ]
>>> [(r.by, r.status.value, r.actor) for r in current_recognitions(cm.replay(log),
...                                                                  office="president")]
[('oas', 'recognises', 'zelaya')]
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from .._dates import Precision
from .._draft import Draft
from .._event import Event, ref
from .._frozenmap import FrozenMap
from .._replace import compile_make
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState, Stance, StanceKind
from .elections import vote_held

# enum members bound once: reading one from its class costs a metaclass
# __getattr__ hook on Python 3.11 (about 20 times a global read)
_STANCEKIND_RECOGNISES = StanceKind.RECOGNISES

__all__ = [
    "HolderRecognized",
    "RecognitionEntry",
    "RecognitionOf",
    "RecognitionRefused",
    "RecognitionStatus",
    "RecognitionWithdrawn",
    "RecognitionWithheld",
    "Recognitions",
    "RepresentativeRecognized",
    "ResultRejected",
    "TransparencyDemanded",
    "WinnerRecognized",
    "current_recognitions",
    "recognition_history",
]

SLICE = "recognitions"


class RecognitionOf(enum.Enum):
    """What a recognition is about."""

    # Members are keys of every recognition lookup: hashed in C, by identity (as they
    # compare), not by ``Enum.__hash__``, which runs Python code on each lookup.
    __hash__ = object.__hash__

    #: An election's winner (the subject is the election id).
    WINNER = "winner"
    #: The holder of an office (the subject is the office id).
    HOLDER = "holder"
    #: The legitimate representative of a country (the subject is its country code).
    REPRESENTATIVE = "representative"


class RecognitionStatus(enum.Enum):
    """The position one entry records."""

    RECOGNISES = "recognises"
    #: Withholds recognition, often until a condition is met.
    WITHHOLDS = "withholds"
    #: Refuses to recognise (a claimant, or any result).
    REFUSES = "refuses"
    #: Withdraws a recognition it gave earlier.
    WITHDRAWS = "withdraws"


@attrs.frozen(weakref_slot=False)
class RecognitionEntry:
    """One actor's position, on one date, on who is what.

    ``by``: the actor taking the position.  ``status``: recognises, withholds,
    refuses or withdraws.  ``of``/``subject``: what it is about (the winner of
    election ``subject``, the holder of office ``subject``, the representative of
    country ``subject``).  ``actor``: whom it recognises, refuses or stops
    recognising (``None``: anyone; a withholding or rejection of the whole result).
    ``condition``: what recognition waits for, or the grounds given.
    ``on``/``precision``: the event's date.  ``sources``: the source ids it cites
    (on whose report the position is known).
    """

    by: str
    status: RecognitionStatus
    of: RecognitionOf
    subject: str
    actor: str | None = None
    condition: str | None = None
    on: _dt.date | None = None
    precision: Precision = Precision.DAY
    sources: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)
class Recognitions:
    """Every recognition entry, grouped by what it is about, in the order they were made.

    ``entries``: ``(of, subject) -> entries`` (the history; nothing is ever
    overwritten).
    """

    entries: FrozenMap[tuple[RecognitionOf, str], Sequence[RecognitionEntry]] = attrs.field(
        factory=FrozenMap)

    def history(self, of: RecognitionOf, subject: str) -> Sequence[RecognitionEntry]:
        """Every entry about ``subject``, oldest first."""
        return self.entries.get((of, subject)) or ()

    def current(self, of: RecognitionOf, subject: str) -> tuple[RecognitionEntry, ...]:
        """The positions about ``subject`` that stand now, in the order they were taken.

        A later position of an actor supersedes its earlier ones about the same claimant;
        recognising a claimant supersedes its recognition of any other (one recognises one
        holder or winner at a time); a position about anyone (``actor`` ``None``)
        supersedes all its earlier ones.
        """
        return tuple(entry for _, entry in sorted(
            (pair for by in _standing(self.history(of, subject)).values()
             for pair in by.values()), key=lambda pair: pair[0]))


#: by -> claimant -> (index, entry): the positions that stand (see ``Recognitions.current``)
_Standing = dict[str, dict[str | None, tuple[int, RecognitionEntry]]]


def _standing(history: Sequence[RecognitionEntry]) -> _Standing:
    """by -> claimant -> (index, entry) of each standing position (see ``current``)."""
    out: _Standing = {}
    for i, entry in enumerate(history):
        _stand(out, i, entry)
    return out


def _stand(out: _Standing, i: int, entry: RecognitionEntry) -> None:
    """Update ``out`` (see ``_standing``) with ``entry``, the ``i``-th of its history."""
    mine = out.setdefault(entry.by, {})
    if entry.actor is None:
        mine.clear()
    elif entry.status is RecognitionStatus.RECOGNISES:
        for k in [k for k, (_, e) in mine.items()
                  if e.status is RecognitionStatus.RECOGNISES]:
            del mine[k]
    mine[entry.actor] = (i, entry)


_EMPTY = Recognitions()


def _subject(election: str | None, office: str | None,
             country: str | None) -> tuple[RecognitionOf, str]:
    if election is not None:
        return RecognitionOf.WINNER, election
    if office is not None:
        return RecognitionOf.HOLDER, office
    if country is not None:
        return RecognitionOf.REPRESENTATIVE, country
    raise ValueError("a recognition needs an election, an office or a country")


def recognition_history(state: CrisisState, *, election: str | None = None,
                        office: str | None = None,
                        country: str | None = None) -> Sequence[RecognitionEntry]:
    """Every position taken on the winner of ``election``, the holder of ``office`` or the
    representative of ``country`` (give one), oldest first."""
    book: Recognitions = state.slices.get(SLICE) or _EMPTY
    return book.history(*_subject(election, office, country))


def current_recognitions(state: CrisisState, *, election: str | None = None,
                         office: str | None = None,
                         country: str | None = None) -> tuple[RecognitionEntry, ...]:
    """Each actor's latest position on the winner of ``election``, the holder of ``office`` or
    the representative of ``country`` (give one): who recognises whom, since when, on whose
    report."""
    book: Recognitions = state.slices.get(SLICE) or _EMPTY
    return book.current(*_subject(election, office, country))


# -- events -----------------------------------------------------------------------------------


@event_type("recognition.granted", version=1)
@attrs.frozen(kw_only=True)
class WinnerRecognized(Event):
    """An actor (typically a foreign government) recognises a candidate as the winner."""

    by: str = ref("actor")
    election: str = ref("election")
    winner: str = ref("actor")


@event_type("recognition.holder", version=1)
@attrs.frozen(kw_only=True)
class HolderRecognized(Event):
    """An actor recognises another as the holder of an office (an interim or parallel
    claimant included; rival claimants may each be recognised by someone)."""

    by: str = ref("actor")
    actor: str = ref("actor")
    office: str


@event_type("recognition.representative", version=1)
@attrs.frozen(kw_only=True)
class RepresentativeRecognized(Event):
    """An actor recognises another (a government, council, person) as the legitimate
    representative of a country (``country``: its code, such as ``HND``)."""

    by: str = ref("actor")
    actor: str = ref("actor")
    country: str


@event_type("recognition.withheld", version=1)
@attrs.frozen(kw_only=True)
class RecognitionWithheld(Event):
    """An actor declines to recognise anyone (or ``actor``) until a condition is met.

    About an election's winner (``election``), an office's holder (``office``) or a
    country's representative (``country``): give exactly one.
    """

    by: str = ref("actor")
    election: str | None = ref("election", default=None)
    condition: str = ""
    office: str | None = None
    country: str | None = None
    actor: str | None = ref("actor", default=None)


@event_type("recognition.rejected", version=1)
@attrs.frozen(kw_only=True)
class ResultRejected(Event):
    """An actor rejects the declared result outright."""

    by: str = ref("actor")
    election: str = ref("election")


@event_type("recognition.refused", version=1)
@attrs.frozen(kw_only=True)
class RecognitionRefused(Event):
    """An actor refuses to recognise ``actor`` (or anyone, when ``None``) as the winner of
    ``election``, the holder of ``office`` or the representative of ``country`` (give one)."""

    by: str = ref("actor")
    actor: str | None = ref("actor", default=None)
    election: str | None = ref("election", default=None)
    office: str | None = None
    country: str | None = None
    grounds: str = ""


@event_type("recognition.withdrawn", version=1)
@attrs.frozen(kw_only=True)
class RecognitionWithdrawn(Event):
    """An actor withdraws the recognition it gave ``actor`` (or whomever it recognised, when
    ``None``) as the winner of ``election``, holder of ``office`` or representative of
    ``country`` (give one)."""

    by: str = ref("actor")
    actor: str | None = ref("actor", default=None)
    election: str | None = ref("election", default=None)
    office: str | None = None
    country: str | None = None
    grounds: str = ""


@event_type("recognition.transparency_demanded", version=1)
@attrs.frozen(kw_only=True)
class TransparencyDemanded(Event):
    """An actor demands that another publish verifiable results of an election."""

    by: str = ref("actor")
    of: str = ref("actor")
    election: str = ref("election")


# -- rules ------------------------------------------------------------------------------------

_Subjected = RecognitionWithheld | RecognitionRefused | RecognitionWithdrawn


# One rule, one name: elections' vote-held (which passes an event naming no election).
rule(WinnerRecognized, ResultRejected, RecognitionWithheld, RecognitionRefused,
     RecognitionWithdrawn, name="vote-held")(vote_held)


@rule(RecognitionWithheld, RecognitionRefused, RecognitionWithdrawn)
def one_subject(state: CrisisState, e: _Subjected) -> str | None:
    given = [f for f in ("election", "office", "country") if getattr(e, f) is not None]
    if len(given) != 1:
        return (f"{e.by!r}: a recognition is about exactly one of election, office or country, "
                f"got {', '.join(given) or 'none'}")
    return None


@rule(WinnerRecognized)
def recognised_is_candidate(state: CrisisState, e: WinnerRecognized) -> str | None:
    if e.winner not in state.elections[e.election].candidates:
        return f"recognised winner {e.winner!r} is not a candidate in election {e.election!r}"
    return None


@rule(HolderRecognized)
def recognised_claims_office(state: CrisisState, e: HolderRecognized) -> str | None:
    if e.office not in state.actors[e.actor].offices:
        return f"{e.by!r} recognises {e.actor!r} as holder of {e.office!r}, which it does not claim"
    return None


@rule(HolderRecognized, RepresentativeRecognized)
def recognises_another(state: CrisisState,
                       e: HolderRecognized | RepresentativeRecognized) -> str | None:
    if e.by == e.actor:
        return f"{e.by!r} cannot recognise itself"
    return None


@rule(RecognitionWithheld, RecognitionRefused)
def named_claimant(state: CrisisState, e: RecognitionWithheld | RecognitionRefused) -> str | None:
    """A named actor is a candidate of the election, or claims the office."""
    if e.actor is None:
        return None
    if e.election is not None and e.actor not in state.elections[e.election].candidates:
        return f"{e.actor!r} is not a candidate in election {e.election!r}"
    if e.office is not None and e.office not in state.actors[e.actor].offices:
        return f"{e.actor!r} does not claim {e.office!r}"
    return None


@rule(RecognitionWithdrawn)
def recognition_in_force(state: CrisisState, e: RecognitionWithdrawn) -> str | None:
    """Only a recognition in force can be withdrawn."""
    try:
        of, subject = _subject(e.election, e.office, e.country)
    except ValueError:
        return None  # one-subject reports it
    given = _given(state, e.by, of, subject)
    if given is None or (e.actor is not None and given != e.actor):
        whom = f" {e.actor!r}" if e.actor is not None else ""
        return f"{e.by!r} does not recognise{whom} as the {of.value} of {subject!r}"
    return None


def _given(state: CrisisState | Draft, by: str, of: RecognitionOf, subject: str) -> str | None:
    """Whom ``by`` recognises now about ``subject`` (``None``: no recognition in force)."""
    book: Recognitions = state.slices.get(SLICE) or _EMPTY
    history = book.history(of, subject)
    if any(entry.by == by for entry in history):
        for _, entry in _standing(history).get(by, {}).values():
            if entry.status is RecognitionStatus.RECOGNISES:
                return entry.actor
        return None
    if of is RecognitionOf.WINNER:  # a stance from before the history was kept
        stance = state.actors[by].stances.get(subject)
        if stance is not None and stance.kind is _STANCEKIND_RECOGNISES:
            return stance.winner
    return None


@rule(TransparencyDemanded)
def distinct_parties(state: CrisisState, e: TransparencyDemanded) -> str | None:
    if e.by == e.of:
        return f"{e.by!r} cannot demand transparency of itself"
    return None


# -- handlers ---------------------------------------------------------------------------------

# enum members bound once (reading one from its class runs EnumType.__getattr__'s hook)
_HOLDER = RecognitionOf.HOLDER
_RECOGNISES = RecognitionStatus.RECOGNISES
_REFUSES = RecognitionStatus.REFUSES
_REPRESENTATIVE = RecognitionOf.REPRESENTATIVE
_WINNER = RecognitionOf.WINNER
_WITHDRAWS = RecognitionStatus.WITHDRAWS
_WITHHOLDS = RecognitionStatus.WITHHOLDS

_STANCES = {
    _RECOGNISES: StanceKind.RECOGNISES,
    _WITHHOLDS: StanceKind.WITHHOLDS,
    _REFUSES: StanceKind.REJECTS,
    _WITHDRAWS: StanceKind.WITHDRAWN,
}


#: RecognitionEntry(...) and Stance(...), without the frozen __init__'s cost
_entry, _stance = compile_make(RecognitionEntry), compile_make(Stance)
_recognitions = compile_make(Recognitions)


def _record(draft: Draft, e: Event, by: str, status: RecognitionStatus, of: RecognitionOf,
            subject: str, actor: str | None, condition: str | None) -> None:
    book: Recognitions = draft.slices.get(SLICE) or _EMPTY
    entry = _entry(by, status, of, subject, actor, condition or None,
                             e.occurred_on, e.precision, e.sources)
    key = (of, subject)
    entries = draft.edit_map(book.entries)
    entries[key] = appended(entries.get(key) or (), entry)
    if entries is not book.entries:
        draft.set_slice(SLICE, _recognitions(entries))
    if of is _WINNER:
        stance = _stance(_STANCES[status], actor, condition or None, e.occurred_on, e.precision)
        a = draft.edit_actor(by)
        stances = a.stances = draft.edit_map(a.stances)
        stances[subject] = stance


@handler(WinnerRecognized)
def _recognized(draft: Draft, e: WinnerRecognized) -> None:
    _record(draft, e, e.by, _RECOGNISES, _WINNER, e.election,
            e.winner, None)


@handler(HolderRecognized)
def _holder(draft: Draft, e: HolderRecognized) -> None:
    _record(draft, e, e.by, _RECOGNISES, _HOLDER, e.office,
            e.actor, None)


@handler(RepresentativeRecognized)
def _representative(draft: Draft, e: RepresentativeRecognized) -> None:
    _record(draft, e, e.by, _RECOGNISES, _REPRESENTATIVE,
            e.country, e.actor, None)


@handler(RecognitionWithheld)
def _withheld(draft: Draft, e: RecognitionWithheld) -> None:
    _record(draft, e, e.by, _WITHHOLDS,
            *_subject(e.election, e.office, e.country), e.actor, e.condition)


@handler(ResultRejected)
def _rejected(draft: Draft, e: ResultRejected) -> None:
    _record(draft, e, e.by, _REFUSES, _WINNER, e.election,
            None, None)


@handler(RecognitionRefused)
def _refused(draft: Draft, e: RecognitionRefused) -> None:
    _record(draft, e, e.by, _REFUSES,
            *_subject(e.election, e.office, e.country), e.actor, e.grounds)


@handler(RecognitionWithdrawn)
def _withdrawn(draft: Draft, e: RecognitionWithdrawn) -> None:
    of, subject = _subject(e.election, e.office, e.country)
    actor = e.actor if e.actor is not None else _given(draft, e.by, of, subject)
    _record(draft, e, e.by, _WITHDRAWS, of, subject, actor, e.grounds)


@handler(TransparencyDemanded)
def _demanded(draft: Draft, e: TransparencyDemanded) -> None:
    demand = (e.by, e.of)
    if demand not in draft.elections[e.election].transparency_demands:
        election = draft.edit_election(e.election)
        election.transparency_demands = appended(election.transparency_demands, demand)


# -- plain words ------------------------------------------------------------------------------


def _what(of: RecognitionOf, subject: str) -> str:
    if of is RecognitionOf.WINNER:
        return f"the winner of {subject}"
    if of is RecognitionOf.HOLDER:
        return f"the holder of {subject}"
    return f"the representative of {subject}"


def _about(e: _Subjected) -> str:
    return _what(*_subject(e.election, e.office, e.country)) if (
        e.election or e.office or e.country) else "nothing"


summarizer(WinnerRecognized)(lambda e, n: (
    f"{n(e.by)} recognises {n(e.winner)} as the winner of {e.election}"))
summarizer(HolderRecognized)(lambda e, n: (
    f"{n(e.by)} recognises {n(e.actor)} as the holder of {e.office}"))
summarizer(RepresentativeRecognized)(lambda e, n: (
    f"{n(e.by)} recognises {n(e.actor)} as the legitimate representative of {e.country}"))
summarizer(RecognitionWithheld)(lambda e, n: (
    f"{n(e.by)} withholds recognition of "
    + (f"{n(e.actor)} as " if e.actor else "")
    + (e.election if e.election and not e.actor else _about(e))
    + (f" until {e.condition}" if e.condition else "")))
summarizer(ResultRejected)(lambda e, n: (
    f"{n(e.by)} rejects the declared result of {e.election}"))
summarizer(RecognitionRefused)(lambda e, n: (
    f"{n(e.by)} refuses to recognise " + (n(e.actor) if e.actor else "anyone")
    + f" as {_about(e)}" + (f" ({e.grounds})" if e.grounds else "")))
summarizer(RecognitionWithdrawn)(lambda e, n: (
    f"{n(e.by)} withdraws recognition of " + (f"{n(e.actor)} as " if e.actor else "")
    + _about(e) + (f" ({e.grounds})" if e.grounds else "")))
summarizer(TransparencyDemanded)(lambda e, n: (
    f"{n(e.by)} demands that {n(e.of)} publish verifiable results of {e.election}"))


def _when(day: _dt.date | None, precision: Precision) -> str:
    if day is None:
        return "an unknown date"
    if precision is Precision.YEAR:
        return f"{day.year:04d}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


_VERBS = {
    RecognitionStatus.RECOGNISES: "recognises",
    RecognitionStatus.WITHHOLDS: "withholds recognition of",
    RecognitionStatus.REFUSES: "refuses to recognise",
    RecognitionStatus.WITHDRAWS: "withdraws recognition of",
}


def entry_text(r: RecognitionEntry, name: Callable[[str | None], str]) -> str:
    """One entry in plain words, with its date and sources (as ``replay`` prints it)."""
    if r.actor is None:
        verb = {RecognitionStatus.RECOGNISES: "recognises someone",
                RecognitionStatus.WITHHOLDS: "withholds recognition",
                RecognitionStatus.REFUSES: "refuses recognition",
                RecognitionStatus.WITHDRAWS: "withdraws its recognition"}[r.status]
    else:
        verb = f"{_VERBS[r.status]} {name(r.actor)}"
    cond = ""
    if r.condition:
        cond = f" until {r.condition}" if r.status is RecognitionStatus.WITHHOLDS else (
            f" ({r.condition})")
    cites = f" [{', '.join(r.sources)}]" if r.sources else ""
    return f"{_when(r.on, r.precision)}: {name(r.by)} {verb}{cond}{cites}"


def _render(book: Recognitions, name: Callable[[str | None], str]) -> Iterator[str]:
    # Lazily: the report reads only as many lines as its band shows.
    for (of, subject), entries in book.entries.items():
        yield f"{_what(of, subject)}:"
        for r in entries:
            yield f"  {entry_text(r, name)}"


def _entry_json(r: RecognitionEntry) -> dict[str, Any]:
    return {"by": r.by, "status": r.status.value, "actor": r.actor, "condition": r.condition,
            "on": _when(r.on, r.precision), "sources": list(r.sources)}


def _to_json(book: Recognitions) -> dict[str, Any]:
    """``{"holder": {office: {"#1 by": entry, ...}}, "winner": ..., "representative": ...}``:
    entries keyed by their place in the history, so a diff shows the new ones."""
    out: dict[str, Any] = {}
    for (of, subject), entries in book.entries.items():
        out.setdefault(of.value, {})[subject] = {
            f"#{i} {r.by}": _entry_json(r) for i, r in enumerate(entries, 1)}
    return out


state_slice(SLICE, _EMPTY, title="RECOGNITIONS (who recognises whom as what, in order)",
            render=_render, to_json=_to_json)


# -- invariants -------------------------------------------------------------------------------


@invariant("stances-match-recognitions")
def _stances_match(state: CrisisState) -> Iterator[InvariantViolation]:
    """Each actor's stance on an election is its latest recorded entry on that election."""
    book: Recognitions = state.slices.get(SLICE) or _EMPTY
    for (of, subject), entries in book.entries.items():
        if of is not RecognitionOf.WINNER:
            continue
        latest: dict[str, RecognitionEntry] = {}
        for entry in entries:
            latest[entry.by] = entry
        for by, entry in latest.items():
            actor = state.actors.get(by)
            stance = None if actor is None else actor.stances.get(subject)
            want = (_STANCES[entry.status], entry.actor, entry.on)
            if stance is None or (stance.kind, stance.winner, stance.since) != want:
                yield InvariantViolation("stances-match-recognitions",
                                         f"stance on {subject!r} is not its latest entry", by)


@invariant("withdrawals-follow-recognitions")
def _withdrawals(state: CrisisState) -> Iterator[InvariantViolation]:
    """A withdrawal follows a recognition in force by the same actor on the same subject."""
    book: Recognitions = state.slices.get(SLICE) or _EMPTY
    for (of, subject), entries in book.entries.items():
        earlier: _Standing = {}  # the standing of the entries before this one (one pass)
        for i, entry in enumerate(entries):
            if entry.status is RecognitionStatus.WITHDRAWS and (
                    of is not RecognitionOf.WINNER or entry.by in earlier):
                # (about a winner, the recognition may predate the kept history)
                standing = earlier.get(entry.by, {}).get(entry.actor)
                if standing is None or standing[1].status is not RecognitionStatus.RECOGNISES:
                    yield InvariantViolation(
                        "withdrawals-follow-recognitions",
                        f"withdraws a recognition about {subject!r} it had not given",
                        entry.by)
            _stand(earlier, i, entry)
