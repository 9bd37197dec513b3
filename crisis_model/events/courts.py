"""Justice outcomes: convictions, sentences, acquittals, pardons, amnesty laws, withdrawn
charges and warrants, lifted immunity, court rulings, bans of organisations, and travel
bans (people barred from leaving the country).

Threats, warrants, charges and detentions are in :mod:`crisis_model.events.justice`;
this module records what the courts and the law then did.  Everything is kept in the
slice ``"courts"`` (:func:`court_record`): per person the dated outcomes, the amnesty
laws enacted, the rulings, the bans in force, and the travel bans.  Withdrawing charges or a warrant
also clears them from the person's ``jeopardy``.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref, strings, window
from .._frozenmap import FrozenMap
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import ActorKind, CrisisState
from ._plain import Name, by_clause, day, day_json, names, words

__all__ = [
    "COURTS",
    "Acquitted",
    "AmnestyEnacted",
    "AmnestyLaw",
    "Ban",
    "BanLifted",
    "ChargesWithdrawn",
    "Convicted",
    "CourtRecord",
    "ImmunityLifted",
    "OrganisationBanned",
    "Outcome",
    "OutcomeKind",
    "Pardoned",
    "Ruling",
    "RulingIssued",
    "Sentenced",
    "TravelBan",
    "TravelBanLifted",
    "TravelBanned",
    "court_record",
]

#: The name of the slice that holds justice outcomes.
COURTS = "courts"

_NO_MAP: FrozenMap[Any, Any] = FrozenMap()


class OutcomeKind(enum.Enum):
    """What a court or the law decided about a person."""

    CONVICTED = "convicted"
    SENTENCED = "sentenced"
    ACQUITTED = "acquitted"
    PARDONED = "pardoned"
    AMNESTIED = "amnestied"
    CHARGES_WITHDRAWN = "charges_withdrawn"
    WARRANT_WITHDRAWN = "warrant_withdrawn"
    IMMUNITY_LIFTED = "immunity_lifted"


#: The outcomes that settle whether a conviction stands (the latest one decides).
VERDICTS = frozenset({OutcomeKind.CONVICTED, OutcomeKind.ACQUITTED, OutcomeKind.PARDONED,
                      OutcomeKind.AMNESTIED})


@attrs.frozen(weakref_slot=False)
class Outcome:
    """One dated outcome for one person."""

    #: What was decided.
    kind: OutcomeKind
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who decided (a court, a head of state, a legislature...; empty: not reported).
    by: tuple[str, ...] = ()
    #: The charges concerned, in plain words (empty: not specified, or all of them).
    charges: tuple[str, ...] = ()
    #: A sentence, in plain words ("ten years in prison", "death").
    sentence: str = ""
    #: A prison term in years, when the sentence has one (``None``: none or not reported).
    years: float | None = None
    #: Whether it was decided in the person's absence.
    in_absentia: bool = False
    #: For an amnesty: the law that granted it.
    law: str = ""


@attrs.frozen(weakref_slot=False)
class AmnestyLaw:
    """An amnesty enacted by law (not an offer waiting to be accepted)."""

    #: The law's name or number, in plain words.
    law: str
    #: Who enacted it (a legislature, a head of state, a council...).
    by: tuple[str, ...]
    #: The day it was enacted, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The persons named as covered (empty: none named).
    beneficiaries: tuple[str, ...] = ()
    #: Which acts or people it covers, in plain words.
    covers: str = ""


@attrs.frozen(weakref_slot=False)
class Ruling:
    """A court's ruling or order, in plain words."""

    #: The court.
    by: str
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: What it decided or ordered.
    decision: str = ""
    #: The actors it concerns.
    concerning: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)
class Ban:
    """An organisation banned, and (once lifted) when the ban ended."""

    #: Who banned it.
    by: tuple[str, ...]
    #: The day of the ban, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The law or grounds, in plain words.
    grounds: str = ""
    #: When the ban was lifted (``None``: in force).
    lifted_on: _dt.date | None = None
    lifted_precision: Precision = Precision.DAY
    #: Who lifted it (empty: in force, or not named).
    lifted_by: tuple[str, ...] = ()

    @property
    def in_force(self) -> bool:
        """Whether the ban has not been lifted."""
        return self.lifted_on is None


@attrs.frozen(weakref_slot=False)
class TravelBan:
    """One order barring a person from leaving the country."""

    #: Who ordered it (a court, usually).
    by: tuple[str, ...]
    #: The day of the order, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The last day it runs, if the order gives one (``None``: until lifted).
    until: _dt.date | None = None
    #: On what grounds, in plain words.
    grounds: str = ""
    #: When it was lifted (``None``: not lifted).
    lifted_on: _dt.date | None = None
    lifted_precision: Precision = Precision.DAY
    #: Who lifted it (empty: not lifted, or not named).
    lifted_by: tuple[str, ...] = ()

    def in_force_on(self, on: _dt.date) -> bool:
        """Whether the ban is in force on day ``on`` (ordered, not lifted, not run out)."""
        return (self.on <= on and (self.until is None or on <= self.until)
                and (self.lifted_on is None or on < self.lifted_on))


@attrs.frozen(weakref_slot=False)
class CourtRecord:
    """Everything the courts and the law decided, as the record goes."""

    #: person id -> their outcomes, in order.
    outcomes: FrozenMap[str, tuple[Outcome, ...]] = _NO_MAP
    #: Amnesty laws, in the order enacted.
    amnesty_laws: Sequence[AmnestyLaw] = ()
    #: Court rulings, in order.
    rulings: Sequence[Ruling] = ()
    #: organisation id -> its latest ban (and the bans before it are in ``past_bans``).
    bans: FrozenMap[str, Ban] = _NO_MAP
    #: Bans lifted and later replaced by a new ban of the same organisation.
    past_bans: tuple[tuple[str, Ban], ...] = ()
    #: person id -> every travel ban ordered on them, in order (an extension is a new order).
    travel_bans: FrozenMap[str, tuple[TravelBan, ...]] = _NO_MAP

    def travel_banned(self, person: str, on: _dt.date) -> bool:
        """Whether ``person`` is barred from leaving the country on day ``on``."""
        return any(b.in_force_on(on) for b in self.travel_bans.get(person) or ())

    def convicted(self, person: str) -> bool:
        """Whether a conviction of ``person`` stands (no later acquittal, pardon or amnesty)."""
        for o in reversed(self.outcomes.get(person) or ()):
            if o.kind in VERDICTS:
                return o.kind is OutcomeKind.CONVICTED
        return False


def court_record(state: CrisisState | Draft) -> CourtRecord:
    """The justice outcomes in ``state``."""
    value: CourtRecord = state.slices.get(COURTS, _EMPTY_RECORD)
    return value


def _outcome_text(o: Outcome, name: Name) -> str:
    text = words(o.kind)
    if o.charges:
        text += f" ({', '.join(o.charges)})"
    if o.sentence:
        text += f": {o.sentence}"
    if o.in_absentia:
        text += ", in absentia"
    if o.law:
        text += f" under {o.law}"
    return f"{text}{by_clause(o.by, name)} {day(o.on, o.precision)}"


def _render(value: CourtRecord, name: Name) -> list[str]:
    lines = [f"{name(p)}: " + "; ".join(_outcome_text(o, name) for o in outs)
             for p, outs in value.outcomes.items()]
    lines += [f"amnesty law {a.law} enacted by {names(a.by, name)} {day(a.on, a.precision)}"
              + (f", covering {a.covers}" if a.covers else "")
              + (f" (named: {names(a.beneficiaries, name)})" if a.beneficiaries else "")
              for a in value.amnesty_laws]
    lines += [f"ruling of {name(r.by)} {day(r.on, r.precision)}: {r.decision}"
              for r in value.rulings]
    lines += [f"{name(org)} banned by {names(b.by, name)} {day(b.on, b.precision)}"
              + (", in force" if b.in_force else f", lifted {day(b.lifted_on, b.lifted_precision)}")
              for org, b in value.bans.items()]
    lines += [f"{name(p)} barred from leaving the country by {names(b.by, name)} "
              f"{day(b.on, b.precision)}" + (f" until {b.until.isoformat()}" if b.until else "")
              + (f", lifted {day(b.lifted_on, b.lifted_precision)}" if b.lifted_on else "")
              for p, bans in value.travel_bans.items() for b in bans]
    return lines


def _ban_json(b: Ban) -> dict[str, Any]:
    return {"by": list(b.by), "on": day_json(b.on), "precision": b.precision.value,
            "grounds": b.grounds, "in_force": b.in_force, "lifted_on": day_json(b.lifted_on),
            "lifted_by": list(b.lifted_by)}


def _to_json(value: CourtRecord) -> dict[str, Any]:
    return {
        "outcomes": {p: [{"kind": o.kind.value, "on": day_json(o.on),
                          "precision": o.precision.value, "by": list(o.by),
                          "charges": list(o.charges), "sentence": o.sentence, "years": o.years,
                          "in_absentia": o.in_absentia, "law": o.law} for o in outs]
                     for p, outs in value.outcomes.items()},
        "amnesty_laws": [{"law": a.law, "by": list(a.by), "on": day_json(a.on),
                          "precision": a.precision.value, "beneficiaries": list(a.beneficiaries),
                          "covers": a.covers} for a in value.amnesty_laws],
        "rulings": [{"by": r.by, "on": day_json(r.on), "precision": r.precision.value,
                     "decision": r.decision, "concerning": list(r.concerning)}
                    for r in value.rulings],
        "bans": {org: _ban_json(b) for org, b in value.bans.items()},
        "travel_bans": {p: [{"by": list(b.by), "on": day_json(b.on),
                             "precision": b.precision.value, "until": day_json(b.until),
                             "grounds": b.grounds, "lifted_on": day_json(b.lifted_on),
                             "lifted_by": list(b.lifted_by)} for b in bans]
                        for p, bans in value.travel_bans.items()},
    }


_EMPTY_RECORD = CourtRecord()
state_slice(COURTS, _EMPTY_RECORD, title="Courts and the law", render=_render, to_json=_to_json)


# -- the event types ------------------------------------------------------------------------


@event_type("justice.convicted", version=1)
@attrs.frozen(kw_only=True)
class Convicted(Event):
    """A court convicts ``person`` (of ``charges``, in plain words; ``in_absentia``)."""

    person: str = ref("actor")
    by: str | None = ref("actor", default=None)
    charges: tuple[str, ...] = attrs.field(default=(), converter=strings)
    in_absentia: bool = False


@event_type("justice.sentenced", version=1)
@attrs.frozen(kw_only=True)
class Sentenced(Event):
    """A convicted ``person`` is sentenced (``sentence`` in plain words; ``years`` of prison)."""

    person: str = ref("actor")
    by: str | None = ref("actor", default=None)
    sentence: str = ""
    years: float | None = None
    in_absentia: bool = False


@event_type("justice.acquitted", version=1)
@attrs.frozen(kw_only=True)
class Acquitted(Event):
    """A court acquits ``person`` (of ``charges``; none named: of everything tried), at trial
    or on appeal (a conviction then no longer stands)."""

    person: str = ref("actor")
    by: str | None = ref("actor", default=None)
    charges: tuple[str, ...] = attrs.field(default=(), converter=strings)


@event_type("justice.pardoned", version=1)
@attrs.frozen(kw_only=True)
class Pardoned(Event):
    """``by`` pardons ``persons`` (or remits their sentences)."""

    persons: tuple[str, ...] = ref("actor", converter=strings)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


@event_type("justice.amnesty_enacted", version=1)
@attrs.frozen(kw_only=True)
class AmnestyEnacted(Event):
    """An amnesty is enacted by law (``law``: its name or number) by ``by``; ``covers`` says
    for what, ``beneficiaries`` names the persons it covers, if the report names them.

    Unlike an amnesty offer (``justice.amnesty_proposed``), nobody has to accept it.
    """

    law: str
    by: str | tuple[str, ...] = ref("actor", converter=joint)
    beneficiaries: tuple[str, ...] = ref("actor", default=(), converter=strings)
    covers: str = ""


@event_type("justice.charges_withdrawn", version=1)
@attrs.frozen(kw_only=True)
class ChargesWithdrawn(Event):
    """Charges against ``person`` (those named in ``charges``, or with ``all_charges``
    every one) and/or the warrant for their arrest (``warrant``) are withdrawn."""

    person: str = ref("actor")
    by: str | None = ref("actor", default=None)
    charges: tuple[str, ...] = attrs.field(default=(), converter=strings)
    all_charges: bool = False
    warrant: bool = False


@event_type("justice.immunity_lifted", version=1)
@attrs.frozen(kw_only=True)
class ImmunityLifted(Event):
    """A court or legislature lifts ``person``'s immunity from prosecution."""

    person: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


@event_type("justice.ruling", version=1)
@attrs.frozen(kw_only=True)
class RulingIssued(Event):
    """A court rules or orders (``decision``, in plain words), perhaps ``concerning`` actors."""

    by: str = ref("actor")
    decision: str
    concerning: tuple[str, ...] = ref("actor", default=(), converter=strings)


@event_type("justice.banned", version=1)
@attrs.frozen(kw_only=True)
class OrganisationBanned(Event):
    """``by`` bans ``organisation`` (a party, a movement...) under ``grounds`` (a law...)."""

    organisation: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    grounds: str = ""


@event_type("justice.ban_lifted", version=1)
@attrs.frozen(kw_only=True)
class BanLifted(Event):
    """The ban on ``organisation`` is lifted."""

    organisation: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


@event_type("justice.travel_banned", version=1)
@attrs.frozen(kw_only=True)
class TravelBanned(Event):
    """``by`` (a court, usually) bars ``persons`` from leaving the country, ``until`` a day
    if the order says so; ``grounds`` in plain words.

    Ordering it again for someone already barred extends (or renews) the ban: each order
    is kept.  The ban does not move anyone; a person who leaves regardless is recorded by
    ``movement.left_country`` as usual.
    """

    persons: tuple[str, ...] = ref("actor", converter=strings)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    until: _dt.date | None = None
    grounds: str = ""


@event_type("justice.travel_ban_lifted", version=1)
@attrs.frozen(kw_only=True)
class TravelBanLifted(Event):
    """The travel bans in force on ``persons`` are lifted (by ``by``, usually the court)."""

    persons: tuple[str, ...] = ref("actor", converter=strings)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


# -- rules ----------------------------------------------------------------------------------


def _record(state: CrisisState | Draft) -> CourtRecord:
    return court_record(state)


@rule(Sentenced)
def sentence_after_conviction(state: CrisisState, e: Sentenced) -> str | None:
    if not _record(state).convicted(e.person):
        return f"{e.person!r} has no conviction that stands; a sentence follows a conviction"
    if e.years is not None and e.years < 0:
        return f"years is {e.years}; a prison term is never negative"
    return None


@rule(Pardoned)
def pardon_needs_jeopardy(state: CrisisState, e: Pardoned) -> list[str] | None:
    if not e.persons:
        return ["name at least one person pardoned"]
    record = _record(state)
    problems = []
    for p in e.persons:
        j = state.actors[p].jeopardy
        if not (record.convicted(p) or j.charged or j.wanted):
            problems.append(f"{p!r} has no conviction, charge or warrant to pardon")
    return problems or None


@rule(ChargesWithdrawn)
def withdraw_what_stands(state: CrisisState, e: ChargesWithdrawn) -> list[str] | None:
    j = state.actors[e.person].jeopardy
    problems = []
    if not (e.charges or e.all_charges or e.warrant):
        problems.append("name the charges withdrawn, set all_charges, or set warrant")
    if e.all_charges and not j.charged:
        problems.append(f"{e.person!r} faces no charges to withdraw")
    problems += [f"{e.person!r} is not charged with {c!r} (charged with: "
                 f"{', '.join(j.charged) or 'nothing'})" for c in e.charges if c not in j.charged]
    if e.warrant and not j.wanted:
        problems.append(f"no warrant for the arrest of {e.person!r} is in force")
    return problems or None


@rule(OrganisationBanned, BanLifted)
def banned_is_organisation(state: CrisisState, e: OrganisationBanned | BanLifted) -> str | None:
    if state.actors[e.organisation].kind is ActorKind.PERSON:
        return f"{e.organisation!r} is a person; only organisations are banned"
    return None


@rule(OrganisationBanned)
def not_already_banned(state: CrisisState, e: OrganisationBanned) -> str | None:
    ban = _record(state).bans.get(e.organisation)
    if ban is not None and ban.in_force:
        return f"{e.organisation!r} is already banned (since {ban.on})"
    return None


@rule(BanLifted)
def lift_ban_in_force(state: CrisisState, e: BanLifted) -> str | None:
    ban = _record(state).bans.get(e.organisation)
    if ban is None or not ban.in_force:
        return f"no ban on {e.organisation!r} is in force"
    return None


@rule(TravelBanned, TravelBanLifted)
def travel_ban_persons(state: CrisisState, e: TravelBanned | TravelBanLifted
                       ) -> list[str] | None:
    if not e.persons:
        return ["name at least one person (persons)"]
    problems = []
    for p in e.persons:
        a = state.actors[p]
        if a.kind not in (ActorKind.PERSON, ActorKind.GROUP):
            problems.append(f"{p!r} ({a.name}) is a {a.kind.value}; only people (persons "
                            "or groups) are barred from travel")
    if len(set(e.persons)) != len(e.persons):
        problems.append("a person is named twice")
    return problems or None


@rule(TravelBanned)
def travel_ban_until(state: CrisisState, e: TravelBanned) -> str | None:
    if e.until is not None and e.until < e.occurred_on:
        return f"until {e.until.isoformat()} is before the order itself ({e.occurred_on})"
    return None


@rule(TravelBanLifted)
def travel_ban_in_force(state: CrisisState, e: TravelBanLifted) -> list[str] | None:
    record = _record(state)
    return [f"no travel ban on {p!r} is in force on {e.occurred_on}" for p in e.persons
            if not record.travel_banned(p, e.occurred_on)] or None


# -- handlers -------------------------------------------------------------------------------


def _add(draft: Draft, persons: tuple[str, ...], outcome: Outcome) -> None:
    record = court_record(draft)
    table = record.outcomes
    for p in persons:
        table = table.set(p, (*(table.get(p) or ()), outcome))
    draft.set_slice(COURTS, attrs.evolve(record, outcomes=table))


def _by(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return actors_of(value)


@handler(Convicted)
def _convicted(draft: Draft, e: Convicted) -> None:
    _add(draft, (e.person,), Outcome(OutcomeKind.CONVICTED, e.occurred_on, e.precision,
                                     _by(e.by), e.charges, in_absentia=e.in_absentia))


@handler(Sentenced)
def _sentenced(draft: Draft, e: Sentenced) -> None:
    _add(draft, (e.person,), Outcome(OutcomeKind.SENTENCED, e.occurred_on, e.precision,
                                     _by(e.by), sentence=e.sentence, years=e.years,
                                     in_absentia=e.in_absentia))


@handler(Acquitted)
def _acquitted(draft: Draft, e: Acquitted) -> None:
    _add(draft, (e.person,), Outcome(OutcomeKind.ACQUITTED, e.occurred_on, e.precision,
                                     _by(e.by), e.charges))


@handler(Pardoned)
def _pardoned(draft: Draft, e: Pardoned) -> None:
    _add(draft, e.persons, Outcome(OutcomeKind.PARDONED, e.occurred_on, e.precision, _by(e.by)))


@handler(AmnestyEnacted)
def _amnesty(draft: Draft, e: AmnestyEnacted) -> None:
    law = AmnestyLaw(e.law, _by(e.by), e.occurred_on, e.precision, e.beneficiaries, e.covers)
    record = court_record(draft)
    draft.set_slice(COURTS, attrs.evolve(record, amnesty_laws=appended(record.amnesty_laws, law)))
    if e.beneficiaries:
        _add(draft, e.beneficiaries, Outcome(OutcomeKind.AMNESTIED, e.occurred_on, e.precision,
                                             _by(e.by), law=e.law))


@handler(ChargesWithdrawn)
def _withdrawn(draft: Draft, e: ChargesWithdrawn) -> None:
    actor = draft.edit_actor(e.person)
    j = actor.jeopardy
    dropped = j.charged if e.all_charges else e.charges
    kept = tuple(c for c in j.charged if c not in dropped)
    actor.jeopardy = attrs.evolve(j, charged=kept, wanted=j.wanted and not e.warrant)
    if dropped:
        _add(draft, (e.person,), Outcome(OutcomeKind.CHARGES_WITHDRAWN, e.occurred_on,
                                         e.precision, _by(e.by), dropped))
    if e.warrant:
        _add(draft, (e.person,), Outcome(OutcomeKind.WARRANT_WITHDRAWN, e.occurred_on,
                                         e.precision, _by(e.by)))


@handler(ImmunityLifted)
def _immunity(draft: Draft, e: ImmunityLifted) -> None:
    _add(draft, (e.person,), Outcome(OutcomeKind.IMMUNITY_LIFTED, e.occurred_on, e.precision,
                                     _by(e.by)))


@handler(RulingIssued)
def _ruling(draft: Draft, e: RulingIssued) -> None:
    record = court_record(draft)
    ruling = Ruling(e.by, e.occurred_on, e.precision, e.decision, e.concerning)
    draft.set_slice(COURTS, attrs.evolve(record, rulings=appended(record.rulings, ruling)))


@handler(OrganisationBanned)
def _banned(draft: Draft, e: OrganisationBanned) -> None:
    record = court_record(draft)
    old = record.bans.get(e.organisation)
    past = record.past_bans if old is None else (*record.past_bans, (e.organisation, old))
    ban = Ban(_by(e.by), e.occurred_on, e.precision, e.grounds)
    draft.set_slice(COURTS, attrs.evolve(record, bans=record.bans.set(e.organisation, ban),
                                         past_bans=past))


@handler(BanLifted)
def _ban_lifted(draft: Draft, e: BanLifted) -> None:
    record = court_record(draft)
    ban = attrs.evolve(record.bans[e.organisation], lifted_on=e.occurred_on,
                       lifted_precision=e.precision, lifted_by=_by(e.by))
    draft.set_slice(COURTS, attrs.evolve(record, bans=record.bans.set(e.organisation, ban)))


@handler(TravelBanned)
def _travel_banned(draft: Draft, e: TravelBanned) -> None:
    record = court_record(draft)
    table = record.travel_bans
    ban = TravelBan(_by(e.by), e.occurred_on, e.precision, e.until, e.grounds)
    for p in e.persons:
        table = table.set(p, (*(table.get(p) or ()), ban))
    draft.set_slice(COURTS, attrs.evolve(record, travel_bans=table))


@handler(TravelBanLifted)
def _travel_ban_lifted(draft: Draft, e: TravelBanLifted) -> None:
    record = court_record(draft)
    table = record.travel_bans
    for p in e.persons:
        table = table.set(p, tuple(
            attrs.evolve(b, lifted_on=e.occurred_on, lifted_precision=e.precision,
                         lifted_by=_by(e.by)) if b.in_force_on(e.occurred_on) else b
            for b in table[p]))
    draft.set_slice(COURTS, attrs.evolve(record, travel_bans=table))


# -- summaries ------------------------------------------------------------------------------


def _charges(charges: tuple[str, ...]) -> str:
    return f" of {', '.join(charges)}" if charges else ""


@summarizer(Convicted)
def _convicted_summary(e: Convicted, name: Name) -> str:
    return (f"{name(e.person)} is convicted{_charges(e.charges)}{by_clause(e.by, name)}"
            + (" in absentia" if e.in_absentia else ""))


@summarizer(Sentenced)
def _sentenced_summary(e: Sentenced, name: Name) -> str:
    term = e.sentence or (f"{e.years:g} years" if e.years is not None else "an unreported term")
    return (f"{name(e.person)} is sentenced to {term}{by_clause(e.by, name)}"
            + (" in absentia" if e.in_absentia else ""))


@summarizer(Acquitted)
def _acquitted_summary(e: Acquitted, name: Name) -> str:
    return f"{name(e.person)} is acquitted{_charges(e.charges)}{by_clause(e.by, name)}"


@summarizer(Pardoned)
def _pardoned_summary(e: Pardoned, name: Name) -> str:
    return f"{names(e.persons, name)} pardoned{by_clause(e.by, name)}"


@summarizer(AmnestyEnacted)
def _amnesty_summary(e: AmnestyEnacted, name: Name) -> str:
    return (f"{names(e.by, name)} enacts an amnesty ({e.law})"
            + (f" covering {e.covers}" if e.covers else "")
            + (f"; named: {names(e.beneficiaries, name)}" if e.beneficiaries else ""))


@summarizer(ChargesWithdrawn)
def _withdrawn_summary(e: ChargesWithdrawn, name: Name) -> str:
    what = []
    if e.all_charges:
        what.append("all charges")
    elif e.charges:
        what.append(f"the charges of {', '.join(e.charges)}")
    if e.warrant:
        what.append("the arrest warrant")
    return f"{' and '.join(what)} against {name(e.person)} withdrawn{by_clause(e.by, name)}"


@summarizer(ImmunityLifted)
def _immunity_summary(e: ImmunityLifted, name: Name) -> str:
    return f"{name(e.person)}'s immunity is lifted{by_clause(e.by, name)}"


@summarizer(RulingIssued)
def _ruling_summary(e: RulingIssued, name: Name) -> str:
    return f"{name(e.by)} rules: {e.decision}"


@summarizer(OrganisationBanned)
def _banned_summary(e: OrganisationBanned, name: Name) -> str:
    return (f"{name(e.organisation)} is banned{by_clause(e.by, name)}"
            + (f" ({e.grounds})" if e.grounds else ""))


@summarizer(BanLifted)
def _ban_lifted_summary(e: BanLifted, name: Name) -> str:
    return f"the ban on {name(e.organisation)} is lifted{by_clause(e.by, name)}"


@summarizer(TravelBanned)
def _travel_banned_summary(e: TravelBanned, name: Name) -> str:
    return (f"{names(e.persons, name)} barred from leaving the country{by_clause(e.by, name)}"
            + (f" until {e.until.isoformat()}" if e.until else "")
            + (f" ({e.grounds})" if e.grounds else ""))


@summarizer(TravelBanLifted)
def _travel_ban_lifted_summary(e: TravelBanLifted, name: Name) -> str:
    return f"the travel ban on {names(e.persons, name)} is lifted{by_clause(e.by, name)}"


@invariant("courts-record")
def _courts_record(state: CrisisState) -> Iterator[InvariantViolation]:
    """Sentences follow convictions; prison terms are not negative; lifted bans were imposed."""
    record = court_record(state)
    for person, outcomes in record.outcomes.items():
        convicted = False
        for o in outcomes:
            if o.kind in VERDICTS:
                convicted = o.kind is OutcomeKind.CONVICTED
            elif o.kind is OutcomeKind.SENTENCED and not convicted:
                yield InvariantViolation("", "sentenced with no conviction standing", person)
            if o.years is not None and o.years < 0:
                yield InvariantViolation("", f"a prison term of {o.years} years", person)
    for org, ban in record.bans.items():
        if ban.lifted_on is not None and window(ban.lifted_on, ban.lifted_precision)[1] < ban.on:
            yield InvariantViolation("", "the ban was lifted before it was imposed", org)
    for person, bans in record.travel_bans.items():
        for b in bans:
            if (b.until is not None and b.until < b.on) or (
                    b.lifted_on is not None and b.lifted_on < b.on):
                yield InvariantViolation("", "a travel ban ends before it was ordered", person)
