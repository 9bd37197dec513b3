"""Mediation and agreements: talks between the sides of a crisis under one or more
mediators, and the accords they sign, ratify, carry out, breach or abandon.

A mediation has an id (``mediation``), introduced when it starts; it may hold rounds
of talks or mediators' visits (``mediation.round``), and it ends once, with an outcome.
An agreement has an id (``agreement``), introduced when it is signed, perhaps under a
mediation; then it may be ratified (by a legislature, a government...), implemented step
by step, breached, and declared collapsed, after which nothing more happens to it.  The
state keeps every mediation and agreement, where each stands now and its whole dated
history, in the slice ``"agreements"`` (:func:`agreements`).

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, AgreementSigned, AgreementRatified
>>> day = dt.date(2008, 2, 28)
>>> log = [ActorIntroduced(occurred_on=day, actor=a, name=a.title(), kind="person")
...        for a in ("kibaki", "odinga")]
>>> log.append(ActorIntroduced(occurred_on=day, actor="parliament", name="Parliament",
...                            kind="legislature"))
>>> log.append(AgreementSigned(occurred_on=day, agreement="accord", title="National Accord",
...                            parties=["kibaki", "odinga"]))
>>> log.append(AgreementRatified(occurred_on=dt.date(2008, 3, 18), agreement="accord",
...                              by="parliament"))
>>> agreements(cm.replay(log)).agreements["accord"].status.value
'ratified'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref, strings
from .._frozenmap import FrozenMap
from .._place import Place
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, reference_kind, rule, state_slice
from ..state import CrisisState
from ._plain import Name, by_clause, day, day_json, names, words

__all__ = [
    "AGREEMENTS",
    "Accords",
    "Agreement",
    "AgreementBreached",
    "AgreementCollapsed",
    "AgreementEntry",
    "AgreementImplemented",
    "AgreementRatified",
    "AgreementSigned",
    "AgreementStatus",
    "AgreementStep",
    "Mediation",
    "MediationEnded",
    "MediationEntry",
    "MediationOutcome",
    "MediationRound",
    "MediationStarted",
    "MediationStep",
    "agreements",
]

#: The name of the slice that holds mediations and agreements.
AGREEMENTS = "agreements"

_NO_MAP: FrozenMap[Any, Any] = FrozenMap()


class MediationOutcome(enum.Enum):
    """How a mediation ended."""

    #: The sides signed an agreement.
    AGREEMENT = "agreement"
    #: The talks broke down.
    COLLAPSED = "collapsed"
    #: The talks were suspended or stalled with no agreement.
    SUSPENDED = "suspended"
    #: The mediator gave up or stepped aside.
    MEDIATOR_WITHDREW = "mediator_withdrew"
    #: Another process (other mediators, other talks) took over.
    SUPERSEDED = "superseded"
    OTHER = "other"


class MediationStep(enum.Enum):
    """A step in a mediation's history."""

    STARTED = "started"
    #: A round of talks, or a mediators' visit to the parties.
    ROUND = "round"
    AGREEMENT_SIGNED = "agreement_signed"
    ENDED = "ended"


class AgreementStep(enum.Enum):
    """A step in an agreement's history."""

    SIGNED = "signed"
    RATIFIED = "ratified"
    IMPLEMENTED = "implemented"
    BREACHED = "breached"
    COLLAPSED = "collapsed"


class AgreementStatus(enum.Enum):
    """Where an agreement stands: the furthest it has gone (a breach alone changes nothing)."""

    SIGNED = "signed"
    RATIFIED = "ratified"
    #: At least one of its provisions has been carried out.
    IMPLEMENTED = "implemented"
    #: Declared dead, abandoned or superseded: final.
    COLLAPSED = "collapsed"


@attrs.frozen(weakref_slot=False)
class MediationEntry:
    """One dated step of a mediation."""

    #: Started, a round of talks, an agreement signed under it, or ended.
    step: MediationStep
    #: The day of the step, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who took the step (the mediators when it started, those who came to a round; empty:
    #: not reported).
    by: tuple[str, ...] = ()
    #: The agreement signed under it, or the one it ended with ("" : none).
    agreement: str = ""
    #: Details in plain words.
    detail: str = ""
    #: For a round: whom the mediators met, and where (``None``: not reported).
    met: tuple[str, ...] = ()
    place: Place | None = None


@attrs.frozen(weakref_slot=False)
class Mediation:
    """A mediation: who mediates between whom, about what, and how it ended."""

    #: The mediation's id (from the event that started it).
    id: str
    #: The mediators (one, or several acting together).
    mediators: tuple[str, ...]
    #: The sides the mediators go between.
    parties: tuple[str, ...]
    #: What the talks are about, in plain words ("" : not reported).
    subject: str
    #: Where the talks are held (``None``: not reported).
    place: Place | None
    #: When it started, and how precisely that is known.
    started_on: _dt.date
    started_precision: Precision = Precision.DAY
    #: How it ended (``None``: still going as far as the record goes).
    outcome: MediationOutcome | None = None
    #: When it ended (``None``: still going), and how precisely that is known.
    ended_on: _dt.date | None = None
    ended_precision: Precision = Precision.DAY
    #: The agreements signed under it, in order.
    agreements: Sequence[str] = ()
    #: Every step, in order (the first is its start).
    history: Sequence[MediationEntry] = ()

    @property
    def ongoing(self) -> bool:
        """Whether the mediation has not ended."""
        return self.ended_on is None

    @property
    def rounds(self) -> tuple[MediationEntry, ...]:
        """Its rounds of talks and mediators' visits, in order."""
        return tuple(h for h in self.history if h.step is MediationStep.ROUND)


@attrs.frozen(weakref_slot=False)
class AgreementEntry:
    """One dated step of an agreement."""

    #: Signed, ratified, implemented, breached or collapsed.
    step: AgreementStep
    #: The day of the step, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who took the step: the signatories, the ratifying body, who carried it out, who
    #: breached it, who declared it dead (empty: not reported).
    by: tuple[str, ...] = ()
    #: For a breach: who alleged it (empty: not reported).
    alleged_by: tuple[str, ...] = ()
    #: What was ratified, done or breached, or why it collapsed, in plain words.
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class Agreement:
    """An agreement: who signed what, under whose mediation, and how far it has gone."""

    #: The agreement's id (from the event that signed it).
    id: str
    #: Its title ("" : not reported).
    title: str
    #: The signatories (two or more).
    parties: tuple[str, ...]
    #: Who mediated it (the signing event's ``mediated_by``, else its mediation's mediators).
    mediated_by: tuple[str, ...]
    #: Who witnessed or guaranteed the signing.
    witnesses: tuple[str, ...]
    #: What it provides, in short plain words.
    provisions: tuple[str, ...]
    #: Where it was signed (``None``: not reported).
    place: Place | None
    #: The mediation it came out of ("" : none named).
    mediation: str
    #: When it was signed, and how precisely that is known.
    signed_on: _dt.date
    signed_precision: Precision = Precision.DAY
    #: Where it stands now.
    status: AgreementStatus = AgreementStatus.SIGNED
    #: Every step, in order (the first is the signing).
    history: Sequence[AgreementEntry] = ()

    @property
    def collapsed(self) -> bool:
        """Whether the agreement has been declared dead."""
        return self.status is AgreementStatus.COLLAPSED

    @property
    def ratified_by(self) -> tuple[str, ...]:
        """Every body that ratified it, in order."""
        return tuple(a for h in self.history if h.step is AgreementStep.RATIFIED for a in h.by)


@attrs.frozen(weakref_slot=False)
class Accords:
    """Every mediation and agreement, by id."""

    #: mediation id -> the mediation.
    mediations: FrozenMap[str, Mediation] = _NO_MAP
    #: agreement id -> the agreement.
    agreements: FrozenMap[str, Agreement] = _NO_MAP


_EMPTY = Accords()


def agreements(state: CrisisState | Draft) -> Accords:
    """The mediations and agreements in ``state``."""
    value: Accords = state.slices.get(AGREEMENTS, _EMPTY)
    return value


def _mediation_line(m: Mediation, name: Name) -> str:
    line = (f"{m.id}: mediation by {names(m.mediators, name)} between "
            f"{names(m.parties, name)}" + (f" on {m.subject}" if m.subject else "")
            + (f" in {m.place.name}" if m.place else "")
            + f", since {day(m.started_on, m.started_precision)}")
    if m.rounds:
        line += "; rounds: " + "; ".join(
            day(h.on, h.precision) + (f" in {h.place.name}" if h.place else "")
            for h in m.rounds)
    if m.agreements:
        line += f"; agreements: {', '.join(m.agreements)}"
    if m.ended_on is not None and m.outcome is not None:
        line += f"; ended {day(m.ended_on, m.ended_precision)} ({words(m.outcome)})"
    else:
        line += "; ongoing"
    return line


def _step_text(h: AgreementEntry, name: Name) -> str:
    if h.step is AgreementStep.COLLAPSED:
        text = ("collapsed" + (f", declared dead by {names(h.by, name)}" if h.by else "")
                + f" {day(h.on, h.precision)}")
    else:
        text = f"{words(h.step)}{by_clause(h.by, name)} {day(h.on, h.precision)}"
    if h.alleged_by:
        text += f" (alleged by {names(h.alleged_by, name)})"
    return text + (f": {h.detail}" if h.detail else "")


def _agreement_line(a: Agreement, name: Name) -> str:
    line = (f"{a.id}: {a.title or 'agreement'} signed by {names(a.parties, name)} "
            f"{day(a.signed_on, a.signed_precision)}"
            + (f" in {a.place.name}" if a.place else "")
            + (f", mediated by {names(a.mediated_by, name)}" if a.mediated_by else "")
            + f"; {words(a.status)}")
    later = [_step_text(h, name) for h in a.history[1:]]
    return line + (" (" + "; ".join(later) + ")" if later else "")


def _render(value: Accords, name: Name) -> list[str]:
    return ([_mediation_line(m, name) for m in value.mediations.values()]
            + [_agreement_line(a, name) for a in value.agreements.values()])


def _place_json(place: Place | None) -> dict[str, Any] | None:
    return None if place is None else place.to_json()


def _to_json(value: Accords) -> dict[str, Any]:
    return {
        "mediations": {k: {
            "mediators": list(m.mediators), "parties": list(m.parties), "subject": m.subject,
            "place": _place_json(m.place), "started_on": day_json(m.started_on),
            "started_precision": m.started_precision.value, "ongoing": m.ongoing,
            "outcome": None if m.outcome is None else m.outcome.value,
            "ended_on": day_json(m.ended_on), "ended_precision": m.ended_precision.value,
            "agreements": list(m.agreements),
            "history": [{"step": h.step.value, "on": day_json(h.on),
                         "precision": h.precision.value, "by": list(h.by),
                         "agreement": h.agreement, "detail": h.detail, "met": list(h.met),
                         "place": _place_json(h.place)} for h in m.history]}
            for k, m in value.mediations.items()},
        "agreements": {k: {
            "title": a.title, "parties": list(a.parties), "mediated_by": list(a.mediated_by),
            "witnesses": list(a.witnesses), "provisions": list(a.provisions),
            "place": _place_json(a.place), "mediation": a.mediation,
            "signed_on": day_json(a.signed_on), "signed_precision": a.signed_precision.value,
            "status": a.status.value,
            "history": [{"step": h.step.value, "on": day_json(h.on),
                         "precision": h.precision.value, "by": list(h.by),
                         "alleged_by": list(h.alleged_by), "detail": h.detail}
                        for h in a.history]}
            for k, a in value.agreements.items()},
    }


state_slice(AGREEMENTS, _EMPTY, title="Mediation and agreements", render=_render,
            to_json=_to_json)


def _mediation_ids(state: CrisisState) -> Iterable[str]:
    return agreements(state).mediations


def _agreement_ids(state: CrisisState) -> Iterable[str]:
    return agreements(state).agreements


reference_kind("mediation", lambda state, key: key in agreements(state).mediations,
               ids=_mediation_ids)
reference_kind("agreement", lambda state, key: key in agreements(state).agreements,
               ids=_agreement_ids)


# -- the event types ------------------------------------------------------------------------


@event_type("mediation.started", version=1)
@attrs.frozen(kw_only=True)
class MediationStarted(Event):
    """``mediators`` (one actor or several together: a panel, a regional bloc's envoys)
    start to mediate between ``parties`` (two or more sides) on ``subject``, at ``place``."""

    mediation: str = ref("mediation", new=True)
    mediators: str | tuple[str, ...] = ref("actor", converter=joint)
    parties: tuple[str, ...] = ref("actor", converter=strings)
    subject: str = ""
    place: Place | None = None


@event_type("mediation.round", version=1)
@attrs.frozen(kw_only=True)
class MediationRound(Event):
    """A round of talks under a mediation, or a mediators' visit: ``by`` (those who came;
    none named: the mediators) met ``met`` at ``place``; ``outcome`` says what came of it,
    in plain words."""

    mediation: str = ref("mediation")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    met: tuple[str, ...] = ref("actor", default=(), converter=strings)
    place: Place | None = None
    outcome: str = ""


@event_type("mediation.ended", version=1)
@attrs.frozen(kw_only=True)
class MediationEnded(Event):
    """A mediation ends, with an ``outcome`` (an agreement, a breakdown, a suspension, the
    mediator withdrawing, another process taking over); ``agreement`` names the agreement
    it ended with, if any; ``detail`` says more in plain words."""

    mediation: str = ref("mediation")
    outcome: MediationOutcome = attrs.field(converter=MediationOutcome)
    agreement: str | None = ref("agreement", default=None)
    detail: str = ""


@event_type("agreement.signed", version=1)
@attrs.frozen(kw_only=True)
class AgreementSigned(Event):
    """``parties`` (two or more) sign an agreement titled ``title``, perhaps under a
    ``mediation`` (an ongoing one) and ``mediated_by`` someone, before ``witnesses``;
    ``provisions`` lists what it provides, in short plain words."""

    agreement: str = ref("agreement", new=True)
    title: str = ""
    parties: tuple[str, ...] = ref("actor", converter=strings)
    mediated_by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    witnesses: tuple[str, ...] = ref("actor", default=(), converter=strings)
    provisions: tuple[str, ...] = attrs.field(default=(), converter=strings)
    place: Place | None = None
    mediation: str | None = ref("mediation", default=None)


@event_type("agreement.ratified", version=1)
@attrs.frozen(kw_only=True)
class AgreementRatified(Event):
    """``by`` (a legislature, a government, a council, a state or an international body)
    ratifies or enacts an agreement; ``detail`` names the act or vote, in plain words."""

    agreement: str = ref("agreement")
    by: str | tuple[str, ...] = ref("actor", converter=joint)
    detail: str = ""


@event_type("agreement.implemented", version=1)
@attrs.frozen(kw_only=True)
class AgreementImplemented(Event):
    """A step of an agreement is carried out (``what``, in plain words), by ``by`` if
    reported.  An agreement can be implemented step by step: each is kept."""

    agreement: str = ref("agreement")
    what: str
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


@event_type("agreement.breached", version=1)
@attrs.frozen(kw_only=True)
class AgreementBreached(Event):
    """An agreement is breached (``what``, in plain words) by ``by`` (if reported), as
    ``alleged_by`` says.  A breach does not end the agreement; a collapse does."""

    agreement: str = ref("agreement")
    what: str = ""
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    alleged_by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


@event_type("agreement.collapsed", version=1)
@attrs.frozen(kw_only=True)
class AgreementCollapsed(Event):
    """An agreement is declared dead or abandoned (by ``declared_by``, if reported),
    for ``reason``: nothing more happens to it afterwards."""

    agreement: str = ref("agreement")
    declared_by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    reason: str = ""


# -- rules ----------------------------------------------------------------------------------


def _twice(ids: tuple[str, ...], what: str) -> list[str]:
    doubled = [i for n, i in enumerate(ids) if i in ids[:n]]
    return [f"{i!r} is listed twice among the {what}" for i in dict.fromkeys(doubled)]


@rule(MediationStarted)
def mediation_sides(state: CrisisState, e: MediationStarted) -> list[str] | None:
    mediators = actors_of(e.mediators)
    problems = _twice(mediators, "mediators") + _twice(e.parties, "parties")
    if not mediators:
        problems.append("name at least one mediator (mediators)")
    if len(set(e.parties)) < 2:
        problems.append("a mediation goes between two or more parties (parties)")
    problems += [f"{a!r} cannot mediate between itself and others: it is a mediator and a "
                 "party" for a in mediators if a in e.parties]
    return problems or None


@rule(MediationRound, MediationEnded)
def mediation_ongoing(state: CrisisState, e: MediationRound | MediationEnded) -> str | None:
    m = agreements(state).mediations[e.mediation]
    if m.ended_on is not None and m.outcome is not None:
        return (f"mediation {e.mediation!r} already ended "
                f"{day(m.ended_on, m.ended_precision)} ({words(m.outcome)})")
    return None


@rule(MediationRound)
def round_sides(state: CrisisState, e: MediationRound) -> list[str] | None:
    problems = _twice(actors_of(e.by), "mediators (by)") + _twice(e.met, "actors met (met)")
    problems += [f"{a!r} cannot meet itself: it is among those who came (by) and those met "
                 "(met)" for a in e.met if a in actors_of(e.by)]
    return problems or None


@rule(MediationEnded)
def mediation_outcome(state: CrisisState, e: MediationEnded) -> str | None:
    if e.agreement is None:
        return None
    if e.outcome is not MediationOutcome.AGREEMENT:
        return (f"agreement {e.agreement!r} is named but the outcome is "
                f"{words(e.outcome)}: name an agreement only when the outcome is agreement")
    a = agreements(state).agreements[e.agreement]
    if a.mediation and a.mediation != e.mediation:
        return (f"agreement {e.agreement!r} came out of mediation {a.mediation!r}, "
                f"not {e.mediation!r}")
    return None


@rule(AgreementSigned)
def agreement_parties(state: CrisisState, e: AgreementSigned) -> list[str] | None:
    problems = _twice(e.parties, "parties")
    if len(set(e.parties)) < 2:
        problems.append("an agreement is signed by two or more parties (parties)")
    problems += [f"{a!r} is a party to the agreement and cannot also be its mediator "
                 "(mediated_by)" for a in actors_of(e.mediated_by) if a in e.parties]
    problems += [f"{a!r} is a party to the agreement and cannot also witness it (witnesses)"
                 for a in e.witnesses if a in e.parties]
    return problems or None


@rule(AgreementSigned)
def agreement_mediation(state: CrisisState, e: AgreementSigned) -> str | None:
    if e.mediation is None:
        return None
    m = agreements(state).mediations[e.mediation]
    if m.ended_on is not None:
        return (f"mediation {e.mediation!r} ended {day(m.ended_on, m.ended_precision)}: an "
                "agreement signed under it is signed before it ends")
    return None


_Later = AgreementRatified | AgreementImplemented | AgreementBreached | AgreementCollapsed


@rule(AgreementRatified, AgreementImplemented, AgreementBreached, AgreementCollapsed)
def agreement_alive(state: CrisisState, e: _Later) -> str | None:
    a = agreements(state).agreements[e.agreement]
    if a.collapsed:
        last = a.history[-1]
        return (f"agreement {e.agreement!r} collapsed {day(last.on, last.precision)}: nothing "
                "more happens to it (sign a new agreement instead)")
    return None


@rule(AgreementRatified)
def ratified_once(state: CrisisState, e: AgreementRatified) -> list[str] | None:
    done = agreements(state).agreements[e.agreement].ratified_by
    return [f"{b!r} already ratified agreement {e.agreement!r}"
            for b in actors_of(e.by) if b in done] or None


@rule(AgreementImplemented)
def implemented_what(state: CrisisState, e: AgreementImplemented) -> str | None:
    if not e.what.strip():
        return "say what was carried out (what)"
    return None


@rule(AgreementBreached)
def breach_parties(state: CrisisState, e: AgreementBreached) -> list[str] | None:
    return [f"{a!r} cannot allege its own breach (by and alleged_by)"
            for a in actors_of(e.alleged_by) if a in actors_of(e.by)] or None


# -- handlers -------------------------------------------------------------------------------


def _set_mediation(record: Accords, m: Mediation) -> Accords:
    return attrs.evolve(record, mediations=record.mediations.set(m.id, m))


@handler(MediationStarted)
def _started(draft: Draft, e: MediationStarted) -> None:
    mediators = actors_of(e.mediators)
    entry = MediationEntry(MediationStep.STARTED, e.occurred_on, e.precision, mediators,
                           detail=e.subject)
    m = Mediation(e.mediation, mediators, e.parties, e.subject, e.place, e.occurred_on,
                  e.precision, history=(entry,))
    draft.set_slice(AGREEMENTS, _set_mediation(agreements(draft), m))


@handler(MediationRound)
def _round(draft: Draft, e: MediationRound) -> None:
    record = agreements(draft)
    m = record.mediations[e.mediation]
    entry = MediationEntry(MediationStep.ROUND, e.occurred_on, e.precision,
                           actors_of(e.by) or m.mediators, detail=e.outcome, met=e.met,
                           place=e.place)
    draft.set_slice(AGREEMENTS, _set_mediation(record, attrs.evolve(
        m, history=appended(m.history, entry))))


@handler(MediationEnded)
def _ended(draft: Draft, e: MediationEnded) -> None:
    record = agreements(draft)
    m = record.mediations[e.mediation]
    entry = MediationEntry(MediationStep.ENDED, e.occurred_on, e.precision,
                           agreement=e.agreement or "", detail=e.detail)
    agreed = m.agreements
    if e.agreement is not None and e.agreement not in agreed:
        agreed = (*agreed, e.agreement)
    m = attrs.evolve(m, outcome=e.outcome, ended_on=e.occurred_on, ended_precision=e.precision,
                     agreements=agreed, history=appended(m.history, entry))
    draft.set_slice(AGREEMENTS, _set_mediation(record, m))


@handler(AgreementSigned)
def _signed(draft: Draft, e: AgreementSigned) -> None:
    record = agreements(draft)
    mediated_by = actors_of(e.mediated_by)
    if e.mediation is not None:
        m = record.mediations[e.mediation]
        mediated_by = mediated_by or m.mediators
        step = MediationEntry(MediationStep.AGREEMENT_SIGNED, e.occurred_on, e.precision,
                              e.parties, e.agreement, e.title)
        record = _set_mediation(record, attrs.evolve(
            m, agreements=appended(m.agreements, e.agreement), history=appended(m.history, step)))
    entry = AgreementEntry(AgreementStep.SIGNED, e.occurred_on, e.precision, e.parties,
                           detail=e.title)
    a = Agreement(e.agreement, e.title, e.parties, mediated_by, e.witnesses, e.provisions,
                  e.place, e.mediation or "", e.occurred_on, e.precision,
                  AgreementStatus.SIGNED, (entry,))
    draft.set_slice(AGREEMENTS, attrs.evolve(record, agreements=record.agreements.set(
        e.agreement, a)))


_STATUS = {AgreementStep.RATIFIED: AgreementStatus.RATIFIED,
           AgreementStep.IMPLEMENTED: AgreementStatus.IMPLEMENTED,
           AgreementStep.COLLAPSED: AgreementStatus.COLLAPSED}
_ORDER = list(AgreementStatus)


def _advance(status: AgreementStatus, step: AgreementStep) -> AgreementStatus:
    """The status after ``step``: the furthest reached (a breach changes nothing)."""
    new = _STATUS.get(step)
    if new is None:
        return status
    return new if _ORDER.index(new) > _ORDER.index(status) else status


def _step(draft: Draft, agreement: str, entry: AgreementEntry) -> None:
    record = agreements(draft)
    a = record.agreements[agreement]
    a = attrs.evolve(a, status=_advance(a.status, entry.step), history=appended(a.history, entry))
    draft.set_slice(AGREEMENTS, attrs.evolve(record, agreements=record.agreements.set(
        agreement, a)))


@handler(AgreementRatified)
def _ratified(draft: Draft, e: AgreementRatified) -> None:
    _step(draft, e.agreement, AgreementEntry(AgreementStep.RATIFIED, e.occurred_on,
                                             e.precision, actors_of(e.by), detail=e.detail))


@handler(AgreementImplemented)
def _implemented(draft: Draft, e: AgreementImplemented) -> None:
    _step(draft, e.agreement, AgreementEntry(AgreementStep.IMPLEMENTED, e.occurred_on,
                                             e.precision, actors_of(e.by), detail=e.what))


@handler(AgreementBreached)
def _breached(draft: Draft, e: AgreementBreached) -> None:
    _step(draft, e.agreement, AgreementEntry(AgreementStep.BREACHED, e.occurred_on,
                                             e.precision, actors_of(e.by),
                                             actors_of(e.alleged_by), e.what))


@handler(AgreementCollapsed)
def _collapsed(draft: Draft, e: AgreementCollapsed) -> None:
    _step(draft, e.agreement, AgreementEntry(AgreementStep.COLLAPSED, e.occurred_on,
                                             e.precision, actors_of(e.declared_by),
                                             detail=e.reason))


# -- summaries ------------------------------------------------------------------------------


def _verb(ids: str | tuple[str, ...] | None, verb: str) -> str:
    """``verb`` agreeing with one actor (``holds``) or several (``hold``)."""
    return verb + "s" if len(actors_of(ids)) == 1 else verb


@summarizer(MediationStarted)
def _started_summary(e: MediationStarted, name: Name) -> str:
    return (f"{names(e.mediators, name)} {_verb(e.mediators, 'start')} mediating "
            f"({e.mediation}) between "
            f"{names(e.parties, name)}" + (f" on {e.subject}" if e.subject else ""))


@summarizer(MediationRound)
def _round_summary(e: MediationRound, name: Name) -> str:
    return ((f"{names(e.by, name)} {_verb(e.by, 'hold')}" if e.by else "a round of")
            + f" talks in mediation {e.mediation}"
            + (f" with {names(e.met, name)}" if e.met else "")
            + (f": {e.outcome}" if e.outcome else ""))


@summarizer(MediationEnded)
def _ended_summary(e: MediationEnded, name: Name) -> str:
    return (f"mediation {e.mediation} ends: {words(e.outcome)}"
            + (f" ({e.agreement})" if e.agreement else "")
            + (f": {e.detail}" if e.detail else ""))


@summarizer(AgreementSigned)
def _signed_summary(e: AgreementSigned, name: Name) -> str:
    return (f"{names(e.parties, name)} sign {e.title or 'an agreement'} ({e.agreement})"
            + (f", mediated by {names(e.mediated_by, name)}" if e.mediated_by else "")
            + (f", in mediation {e.mediation}" if e.mediation else "")
            + (f", witnessed by {names(e.witnesses, name)}" if e.witnesses else "")
            + (f": {'; '.join(e.provisions)}" if e.provisions else ""))


@summarizer(AgreementRatified)
def _ratified_summary(e: AgreementRatified, name: Name) -> str:
    return (f"agreement {e.agreement} ratified{by_clause(e.by, name)}"
            + (f": {e.detail}" if e.detail else ""))


@summarizer(AgreementImplemented)
def _implemented_summary(e: AgreementImplemented, name: Name) -> str:
    return f"agreement {e.agreement} implemented{by_clause(e.by, name)}: {e.what}"


@summarizer(AgreementBreached)
def _breached_summary(e: AgreementBreached, name: Name) -> str:
    return (f"agreement {e.agreement} breached{by_clause(e.by, name)}"
            + (f", as {names(e.alleged_by, name)} allege" if e.alleged_by else "")
            + (f": {e.what}" if e.what else ""))


@summarizer(AgreementCollapsed)
def _collapsed_summary(e: AgreementCollapsed, name: Name) -> str:
    return (f"agreement {e.agreement} collapses"
            + (f", declared dead by {names(e.declared_by, name)}" if e.declared_by else "")
            + (f": {e.reason}" if e.reason else ""))


# -- invariants -----------------------------------------------------------------------------


@invariant("agreements-history")
def _agreements_history(state: CrisisState) -> Iterator[InvariantViolation]:
    """Mediations start first and end at most once, last; agreements are signed first, nothing
    follows a collapse, and the status is the furthest step the history reached."""
    record = agreements(state)
    for key, m in record.mediations.items():
        steps = [h.step for h in m.history]
        ended = steps.count(MediationStep.ENDED)
        if key != m.id or not steps or steps[0] is not MediationStep.STARTED:
            yield InvariantViolation("", "the mediation's history does not start with its "
                                     "start", key)
        if ended > 1 or (ended and steps[-1] is not MediationStep.ENDED):
            yield InvariantViolation("", "something happened after the mediation ended", key)
        if bool(ended) == m.ongoing:
            yield InvariantViolation("", "ongoing does not match the mediation's history", key)
        missing = [a for a in m.agreements if a not in record.agreements]
        if missing:
            yield InvariantViolation("", f"unknown agreements {missing}", key)
    for key, a in record.agreements.items():
        done = [h.step for h in a.history]
        if key != a.id or not done or done[0] is not AgreementStep.SIGNED \
                or done.count(AgreementStep.SIGNED) != 1:
            yield InvariantViolation("", "the agreement's history does not start with its "
                                     "one signing", key)
        if AgreementStep.COLLAPSED in done and done[-1] is not AgreementStep.COLLAPSED:
            yield InvariantViolation("", "something happened after the agreement collapsed",
                                     key)
        status = AgreementStatus.SIGNED
        for s in done:
            status = _advance(status, s)
        if status is not a.status:
            yield InvariantViolation("", "the status does not match the agreement's history",
                                     key)
        if a.mediation and a.mediation not in record.mediations:
            yield InvariantViolation("", f"unknown mediation {a.mediation!r}", key)
