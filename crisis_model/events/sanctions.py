"""Sanctions: measures one or more actors impose on others, and their lifting.

Each sanctions regime has an id (``sanction``), introduced when it is imposed;
lifting names it and, optionally, which kinds of measure end (the others stay
in force).  The state keeps every regime, what is still in force and its whole
history, in the slice ``"sanctions"`` (:func:`sanctions`).
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref, strings
from .._frozenmap import FrozenMap
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, reference_kind, rule, state_slice
from ..state import CrisisState
from ._plain import Name, by_clause, day, day_json, names, words

__all__ = [
    "SANCTIONS",
    "Sanction",
    "SanctionEntry",
    "SanctionKind",
    "SanctionStep",
    "SanctionsImposed",
    "SanctionsLifted",
    "sanctions",
]

#: The name of the slice that holds every sanctions regime.
SANCTIONS = "sanctions"

#: What the slice holds before anything happened (states built without it read so).
_NONE: FrozenMap[Any, Any] = FrozenMap()


class SanctionKind(enum.Enum):
    """What a sanction measure restricts."""

    ECONOMIC = "economic"
    FINANCIAL = "financial"
    TRADE = "trade"
    ASSET_FREEZE = "asset_freeze"
    TRAVEL_BAN = "travel_ban"
    ARMS_EMBARGO = "arms_embargo"
    BORDER_CLOSURE = "border_closure"
    NO_FLY = "no_fly"
    ENERGY = "energy"
    AID_SUSPENSION = "aid_suspension"
    DIPLOMATIC = "diplomatic"
    MILITARY_COOPERATION = "military_cooperation"
    OTHER = "other"


class SanctionStep(enum.Enum):
    """A step in a sanctions regime's history."""

    IMPOSED = "imposed"
    LIFTED = "lifted"


def sanction_kinds(value: Any) -> tuple[SanctionKind, ...]:
    """Converter: one kind or several (enums or their string values) as a tuple of kinds."""
    if isinstance(value, str | SanctionKind):
        value = (value,)
    return tuple(SanctionKind(v) for v in value)


@attrs.frozen(weakref_slot=False)
class SanctionEntry:
    """One dated step of a sanctions regime: imposed or (partly) lifted."""

    #: Imposed or lifted.
    step: SanctionStep
    #: The kinds of measure this step imposed or lifted.
    kinds: tuple[SanctionKind, ...]
    #: The day of the step (the 1st for month precision, 1 January for year).
    on: _dt.date
    #: How precisely ``on`` is known.
    precision: Precision = Precision.DAY
    #: Who took the step (empty: not reported).
    by: tuple[str, ...] = ()
    #: Details in plain words (what exactly, on what grounds).
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class Sanction:
    """A sanctions regime: who imposed it on whom, what is still in force, and its history."""

    #: The regime's id (from the event that imposed it).
    id: str
    #: The actors that imposed it (several for a joint regime).
    by: tuple[str, ...]
    #: The actors it targets.
    targets: tuple[str, ...]
    #: Every kind of measure imposed under this regime.
    kinds: tuple[SanctionKind, ...]
    #: The kinds still in force (empty: the regime is wholly lifted).
    in_force: tuple[SanctionKind, ...]
    #: When it was imposed, and how precisely that is known.
    imposed_on: _dt.date
    imposed_precision: Precision = Precision.DAY
    #: Every step, in order (the first is the imposition).
    history: Sequence[SanctionEntry] = ()

    @property
    def lifted(self) -> bool:
        """Whether every measure of the regime has been lifted."""
        return not self.in_force


def sanctions(state: CrisisState | Draft) -> FrozenMap[str, Sanction]:
    """Every sanctions regime in ``state``, by id."""
    value: FrozenMap[str, Sanction] = state.slices.get(SANCTIONS, _NONE)
    return value


def _render(value: FrozenMap[str, Sanction], name: Name) -> list[str]:
    lines = []
    for s in value.values():
        head = f"{s.id}: {names(s.by, name)} on {names(s.targets, name)}"
        if s.in_force:
            head += f": {words(s.in_force)} in force since {day(s.imposed_on, s.imposed_precision)}"
        else:
            head += f": all lifted (imposed {day(s.imposed_on, s.imposed_precision)})"
        lifts = [f"{words(h.kinds)} lifted {day(h.on, h.precision)}"
                 for h in s.history if h.step is SanctionStep.LIFTED]
        if lifts and s.in_force:
            head += "; " + "; ".join(lifts)
        elif lifts:
            head += " (" + "; ".join(lifts) + ")"
        lines.append(head)
    return lines


def _entry_json(h: SanctionEntry) -> dict[str, Any]:
    return {"step": h.step.value, "kinds": [k.value for k in h.kinds], "on": day_json(h.on),
            "precision": h.precision.value, "by": list(h.by), "detail": h.detail}


def _to_json(value: FrozenMap[str, Sanction]) -> dict[str, Any]:
    return {k: {"by": list(s.by), "targets": list(s.targets),
                "kinds": [x.value for x in s.kinds],
                "in_force": [x.value for x in s.in_force],
                "imposed_on": day_json(s.imposed_on),
                "imposed_precision": s.imposed_precision.value,
                "history": [_entry_json(h) for h in s.history]}
            for k, s in value.items()}


state_slice(SANCTIONS, FrozenMap(), title="Sanctions", render=_render, to_json=_to_json)


def _sanction_ids(state: CrisisState) -> Iterable[str]:
    return sanctions(state)


reference_kind("sanction", lambda state, key: key in sanctions(state),
               ids=_sanction_ids)


@event_type("sanctions.imposed", version=1)
@attrs.frozen(kw_only=True)
class SanctionsImposed(Event):
    """``by`` (one actor or several, jointly) imposes a sanctions regime on ``targets``.

    ``kinds`` says what the measures restrict (border closure, financial, no-fly...);
    ``detail`` adds what the report says in plain words.
    """

    sanction: str = ref("sanction", new=True)
    by: str | tuple[str, ...] = ref("actor", converter=joint)
    targets: tuple[str, ...] = ref("actor", converter=strings)
    kinds: tuple[SanctionKind, ...] = attrs.field(converter=sanction_kinds)
    detail: str = ""


@event_type("sanctions.lifted", version=1)
@attrs.frozen(kw_only=True)
class SanctionsLifted(Event):
    """Measures of a sanctions regime are lifted: the ``kinds`` named, or (none named) all
    still in force.  ``by`` is whoever lifts them (often the imposer; it may be a court).
    """

    sanction: str = ref("sanction")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    kinds: tuple[SanctionKind, ...] = attrs.field(default=(), converter=sanction_kinds)
    detail: str = ""


@rule(SanctionsImposed)
def sanction_targets(state: CrisisState, e: SanctionsImposed) -> str | None:
    if not e.targets:
        return "a sanction names at least one target"
    both = [a for a in e.targets if a in actors_of(e.by)]
    if both:
        return f"{', '.join(repr(a) for a in both)} cannot sanction itself"
    return None


@rule(SanctionsImposed, SanctionsLifted)
def sanction_kinds_listed(state: CrisisState, e: SanctionsImposed | SanctionsLifted) -> str | None:
    if isinstance(e, SanctionsImposed) and not e.kinds:
        return "a sanction names at least one kind of measure"
    if len(set(e.kinds)) != len(e.kinds):
        return "a kind of measure is listed twice"
    return None


@rule(SanctionsLifted)
def lift_in_force(state: CrisisState, e: SanctionsLifted) -> str | None:
    regime = sanctions(state)[e.sanction]
    if not regime.in_force:
        return f"sanction {e.sanction!r} is no longer in force: nothing left to lift"
    idle = [k.value for k in e.kinds if k not in regime.in_force]
    if idle:
        return (f"sanction {e.sanction!r} has no {', '.join(idle)} measure in force "
                f"(in force: {', '.join(k.value for k in regime.in_force)})")
    return None


@handler(SanctionsImposed)
def _imposed(draft: Draft, e: SanctionsImposed) -> None:
    by = actors_of(e.by)
    entry = SanctionEntry(SanctionStep.IMPOSED, e.kinds, e.occurred_on, e.precision, by, e.detail)
    regime = Sanction(e.sanction, by, e.targets, e.kinds, e.kinds, e.occurred_on, e.precision,
                      (entry,))
    draft.set_slice(SANCTIONS, sanctions(draft).set(e.sanction, regime))


@handler(SanctionsLifted)
def _lifted(draft: Draft, e: SanctionsLifted) -> None:
    table = sanctions(draft)
    regime = table[e.sanction]
    kinds = e.kinds or regime.in_force
    entry = SanctionEntry(SanctionStep.LIFTED, kinds, e.occurred_on, e.precision,
                          actors_of(e.by), e.detail)
    regime = attrs.evolve(regime, in_force=tuple(k for k in regime.in_force if k not in kinds),
                          history=appended(regime.history, entry))
    draft.set_slice(SANCTIONS, table.set(e.sanction, regime))


@summarizer(SanctionsImposed)
def _imposed_summary(e: SanctionsImposed, name: Name) -> str:
    return (f"{names(e.by, name)} imposes sanctions ({e.sanction}: {words(e.kinds)}) on "
            f"{names(e.targets, name)}" + (f": {e.detail}" if e.detail else ""))


@summarizer(SanctionsLifted)
def _lifted_summary(e: SanctionsLifted, name: Name) -> str:
    what = f"the {words(e.kinds)} measures of" if e.kinds else "every remaining measure of"
    return (f"{what} sanction {e.sanction} lifted{by_clause(e.by, name)}"
            + (f": {e.detail}" if e.detail else ""))


@invariant("sanctions-consistent")
def _sanctions_consistent(state: CrisisState) -> Iterable[InvariantViolation]:
    """What is in force was imposed and not lifted since; the history says so step by step."""
    for key, s in sanctions(state).items():
        in_force: list[SanctionKind] = []
        for h in s.history:
            if h.step is SanctionStep.IMPOSED:
                in_force += [k for k in h.kinds if k not in in_force]
            else:
                idle = [k for k in h.kinds if k not in in_force]
                if idle:
                    yield InvariantViolation("", f"lifted {words(tuple(idle))}, not in force",
                                             key)
                in_force = [k for k in in_force if k not in h.kinds]
        if tuple(in_force) != s.in_force or key != s.id:
            yield InvariantViolation("", "in_force does not match the history", key)
