"""Emergency powers: a state of emergency, curfew, martial law and other exceptional
measures (a suspended constitution, closed borders, an internet shutdown), declared,
extended and lifted.

Each measure has an id (``emergency``), introduced when it is declared.  The state
keeps every measure, whether it is in force, until when, and its whole history in
the slice ``"emergencies"`` (:func:`emergencies`).
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
    "EMERGENCIES",
    "Emergency",
    "EmergencyDeclared",
    "EmergencyEntry",
    "EmergencyExtended",
    "EmergencyKind",
    "EmergencyLifted",
    "EmergencyStep",
    "emergencies",
]

#: The name of the slice that holds emergency measures.
EMERGENCIES = "emergencies"

#: What the slice holds before anything happened (states built without it read so).
_NONE: FrozenMap[Any, Any] = FrozenMap()


class EmergencyKind(enum.Enum):
    """What kind of exceptional measure is declared."""

    STATE_OF_EMERGENCY = "state_of_emergency"
    CURFEW = "curfew"
    MARTIAL_LAW = "martial_law"
    CONSTITUTION_SUSPENDED = "constitution_suspended"
    BORDER_CLOSURE = "border_closure"
    INTERNET_SHUTDOWN = "internet_shutdown"
    OTHER = "other"


class EmergencyStep(enum.Enum):
    """A step in an emergency measure's history."""

    DECLARED = "declared"
    EXTENDED = "extended"
    LIFTED = "lifted"


@attrs.frozen(weakref_slot=False)
class EmergencyEntry:
    """One dated step of an emergency measure."""

    #: Declared, extended or lifted.
    step: EmergencyStep
    #: The day of the step, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who took the step (empty: not reported).
    by: tuple[str, ...] = ()
    #: Where it applies after this step, in plain words ("" : unchanged or not reported).
    scope: str = ""
    #: The end date it set, if any.
    until: _dt.date | None = None
    #: The powers or rules it added, in plain words.
    measures: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)
class Emergency:
    """An emergency measure: what, by whom, where, until when, and whether still in force."""

    #: The measure's id (from the event that declared it).
    id: str
    #: What kind of measure.
    kind: EmergencyKind = attrs.field(converter=EmergencyKind)
    #: Who declared it.
    by: tuple[str, ...]
    #: Where it applies, in plain words ("nationwide", "Dhaka"); "" when not reported.
    scope: str
    #: The powers or rules it brings, in plain words ("shoot-on-sight order"...).
    measures: tuple[str, ...]
    #: When it was declared, and how precisely that is known.
    declared_on: _dt.date
    declared_precision: Precision = Precision.DAY
    #: The announced end date (``None``: open-ended or not reported).
    until: _dt.date | None = None
    #: When it was lifted (``None``: still in force as far as the record goes).
    lifted_on: _dt.date | None = None
    lifted_precision: Precision = Precision.DAY
    #: Every step, in order (the first is the declaration).
    history: Sequence[EmergencyEntry] = ()

    @property
    def in_force(self) -> bool:
        """Whether the measure has not been lifted (an announced end date alone does not
        lift it: the record says so only when a lifting or an extension is reported)."""
        return self.lifted_on is None


def emergencies(state: CrisisState | Draft) -> FrozenMap[str, Emergency]:
    """Every emergency measure in ``state``, by id."""
    value: FrozenMap[str, Emergency] = state.slices.get(EMERGENCIES, _NONE)
    return value


def _render(value: FrozenMap[str, Emergency], name: Name) -> list[str]:
    lines = []
    for m in value.values():
        line = (f"{m.id}: {words(m.kind)}" + (f" ({m.scope})" if m.scope else "")
                + f" declared by {names(m.by, name) or 'an unreported authority'} "
                + day(m.declared_on, m.declared_precision))
        if m.measures:
            line += f", with {'; '.join(m.measures)}"
        if m.in_force:
            line += ", in force" + (f" until {m.until.isoformat()}" if m.until else "")
        else:
            line += f", lifted {day(m.lifted_on, m.lifted_precision)}"
        extended = sum(1 for h in m.history if h.step is EmergencyStep.EXTENDED)
        if extended:
            line += f" (extended {extended} time{'s' if extended > 1 else ''})"
        lines.append(line)
    return lines


def _to_json(value: FrozenMap[str, Emergency]) -> dict[str, Any]:
    return {k: {"kind": m.kind.value, "by": list(m.by), "scope": m.scope,
                "measures": list(m.measures), "declared_on": day_json(m.declared_on),
                "declared_precision": m.declared_precision.value, "until": day_json(m.until),
                "in_force": m.in_force, "lifted_on": day_json(m.lifted_on),
                "history": [{"step": h.step.value, "on": day_json(h.on),
                             "precision": h.precision.value, "by": list(h.by),
                             "scope": h.scope, "until": day_json(h.until),
                             "measures": list(h.measures)}
                            for h in m.history]}
            for k, m in value.items()}


state_slice(EMERGENCIES, FrozenMap(), title="Emergency powers", render=_render,
            to_json=_to_json)


def _emergency_ids(state: CrisisState) -> Iterable[str]:
    return emergencies(state)


reference_kind("emergency", lambda state, key: key in emergencies(state),
               ids=_emergency_ids)


@event_type("emergency.declared", version=1)
@attrs.frozen(kw_only=True)
class EmergencyDeclared(Event):
    """``by`` declares an exceptional measure (``kind``) over ``scope``, perhaps until a date
    (``ends_on``); ``measures`` lists the powers or rules it brings, in plain words."""

    emergency: str = ref("emergency", new=True)
    kind: EmergencyKind = attrs.field(converter=EmergencyKind)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    scope: str = ""
    ends_on: _dt.date | None = None
    measures: tuple[str, ...] = attrs.field(default=(), converter=strings)
    place: Place | None = None


@event_type("emergency.extended", version=1)
@attrs.frozen(kw_only=True)
class EmergencyExtended(Event):
    """A measure in force is extended (``ends_on``: its new end date), widened (``scope``), or
    given more powers (``measures``, in plain words)."""

    emergency: str = ref("emergency")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    ends_on: _dt.date | None = None
    scope: str = ""
    measures: tuple[str, ...] = attrs.field(default=(), converter=strings)


@event_type("emergency.lifted", version=1)
@attrs.frozen(kw_only=True)
class EmergencyLifted(Event):
    """A measure in force is lifted."""

    emergency: str = ref("emergency")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)


@rule(EmergencyDeclared, EmergencyExtended)
def ends_after_start(state: CrisisState, e: EmergencyDeclared | EmergencyExtended) -> str | None:
    if e.ends_on is not None and e.ends_on < e.occurred_on:
        return f"until {e.ends_on.isoformat()} is before the event itself ({e.occurred_on})"
    return None


@rule(EmergencyExtended, EmergencyLifted)
def emergency_in_force(state: CrisisState, e: EmergencyExtended | EmergencyLifted) -> str | None:
    m = emergencies(state)[e.emergency]
    if not m.in_force:
        return f"emergency {e.emergency!r} was already lifted on {m.lifted_on}"
    return None


@rule(EmergencyExtended)
def extension_extends(state: CrisisState, e: EmergencyExtended) -> str | None:
    m = emergencies(state)[e.emergency]
    if e.ends_on is None and not e.scope and not e.measures:
        return "an extension gives a new end date (ends_on), a new scope or new measures"
    if e.ends_on is not None and m.until is not None and e.ends_on <= m.until:
        return (f"emergency {e.emergency!r} already runs until {m.until.isoformat()}; "
                f"{e.ends_on.isoformat()} does not extend it")
    return None


@handler(EmergencyDeclared)
def _declared(draft: Draft, e: EmergencyDeclared) -> None:
    by = actors_of(e.by)
    entry = EmergencyEntry(EmergencyStep.DECLARED, e.occurred_on, e.precision, by, e.scope,
                           e.ends_on)
    m = Emergency(e.emergency, e.kind, by, e.scope, e.measures, e.occurred_on, e.precision,
                  e.ends_on, history=(entry,))
    draft.set_slice(EMERGENCIES, emergencies(draft).set(e.emergency, m))


@handler(EmergencyExtended)
def _extended(draft: Draft, e: EmergencyExtended) -> None:
    table = emergencies(draft)
    m = table[e.emergency]
    entry = EmergencyEntry(EmergencyStep.EXTENDED, e.occurred_on, e.precision, actors_of(e.by),
                           e.scope, e.ends_on, e.measures)
    m = attrs.evolve(m, until=e.ends_on if e.ends_on is not None else m.until,
                     scope=e.scope or m.scope,
                     measures=tuple(dict.fromkeys((*m.measures, *e.measures))),
                     history=appended(m.history, entry))
    draft.set_slice(EMERGENCIES, table.set(e.emergency, m))


@handler(EmergencyLifted)
def _lifted(draft: Draft, e: EmergencyLifted) -> None:
    table = emergencies(draft)
    m = table[e.emergency]
    entry = EmergencyEntry(EmergencyStep.LIFTED, e.occurred_on, e.precision, actors_of(e.by))
    m = attrs.evolve(m, lifted_on=e.occurred_on, lifted_precision=e.precision,
                     history=appended(m.history, entry))
    draft.set_slice(EMERGENCIES, table.set(e.emergency, m))


@summarizer(EmergencyDeclared)
def _declared_summary(e: EmergencyDeclared, name: Name) -> str:
    return (f"{words(e.kind)} ({e.emergency}) declared{by_clause(e.by, name)}"
            + (f", {e.scope}" if e.scope else "")
            + (f", until {e.ends_on.isoformat()}" if e.ends_on else "")
            + (f", with {'; '.join(e.measures)}" if e.measures else ""))


@summarizer(EmergencyExtended)
def _extended_summary(e: EmergencyExtended, name: Name) -> str:
    return (f"emergency {e.emergency} extended{by_clause(e.by, name)}"
            + (f" until {e.ends_on.isoformat()}" if e.ends_on else "")
            + (f", now {e.scope}" if e.scope else "")
            + (f", adding {'; '.join(e.measures)}" if e.measures else ""))


@summarizer(EmergencyLifted)
def _lifted_summary(e: EmergencyLifted, name: Name) -> str:
    return f"emergency {e.emergency} lifted{by_clause(e.by, name)}"


@invariant("emergency-history")
def _emergency_history(state: CrisisState) -> Iterator[InvariantViolation]:
    """A measure is lifted at most once, as its last step, and in force otherwise."""
    for key, m in emergencies(state).items():
        steps = [h.step for h in m.history]
        lifted = steps.count(EmergencyStep.LIFTED)
        if not steps or steps[0] is not EmergencyStep.DECLARED or key != m.id:
            yield InvariantViolation("", "the history does not start with its declaration", key)
        if lifted > 1 or (lifted and steps[-1] is not EmergencyStep.LIFTED):
            yield InvariantViolation("", "something happened after it was lifted", key)
        if bool(lifted) == m.in_force:
            yield InvariantViolation("", "in force does not match its history", key)
