"""Security forces: mutiny, defection and refusal of orders.

Each act is kept in the slice ``"security"`` (:func:`security_record`): per
unit, the dated history of what it did.  A defection also changes the unit's
``affiliation`` (the side it is now aligned with) in the actor record.
"""

from __future__ import annotations

import datetime as _dt
import enum
import itertools
from collections.abc import Iterable, Iterator, Sequence
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
from ._plain import Name, day, day_json, names

__all__ = [
    "OPERATIONS",
    "SECURITY",
    "InterventionOrdered",
    "InterventionThreatened",
    "Operation",
    "OperationEntry",
    "OperationStage",
    "SecurityAct",
    "SecurityActKind",
    "SecurityDefected",
    "SecurityMutinied",
    "SecurityRefusedOrders",
    "TroopsDeployed",
    "TroopsWithdrawn",
    "operations",
    "security_record",
]

#: The name of the slice that holds security forces' acts.
SECURITY = "security"

#: What the slice holds before anything happened (states built without it read so).
_NONE: FrozenMap[Any, Any] = FrozenMap()

#: The actor kinds that can mutiny, defect or refuse orders.
UNIT_KINDS = frozenset({"security_forces", "armed_group", "person", "group"})


class SecurityActKind(enum.Enum):
    """What a unit did."""

    MUTINIED = "mutinied"
    DEFECTED = "defected"
    REFUSED_ORDERS = "refused_orders"


@attrs.frozen(weakref_slot=False)
class SecurityAct:
    """One dated act of a unit."""

    #: Mutiny, defection or refusal of orders.
    kind: SecurityActKind
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Mutiny: whom it turned against; defection: the side it joined; refusal: who gave the
    #: order (``None``: not reported).
    counterpart: str | None = None
    #: The units acting together in the same event (this unit included).
    together: tuple[str, ...] = ()
    #: What was demanded or refused, in plain words.
    detail: str = ""


def security_record(state: CrisisState | Draft) -> FrozenMap[str, tuple[SecurityAct, ...]]:
    """unit id -> its acts, in order."""
    value: FrozenMap[str, tuple[SecurityAct, ...]] = state.slices.get(SECURITY, _NONE)
    return value


_VERBS = {SecurityActKind.MUTINIED: "mutinied", SecurityActKind.DEFECTED: "defected",
          SecurityActKind.REFUSED_ORDERS: "refused orders"}
_LINKS = {SecurityActKind.MUTINIED: "against", SecurityActKind.DEFECTED: "to",
          SecurityActKind.REFUSED_ORDERS: "from"}


def _act(a: SecurityAct, name: Name) -> str:
    return (f"{_VERBS[a.kind]}"
            + (f" {_LINKS[a.kind]} {name(a.counterpart)}" if a.counterpart else "")
            + f" {day(a.on, a.precision)}" + (f" ({a.detail})" if a.detail else ""))


def _render(value: FrozenMap[str, tuple[SecurityAct, ...]], name: Name) -> list[str]:
    return [f"{name(unit)}: " + "; ".join(_act(a, name) for a in acts)
            for unit, acts in value.items()]


def _to_json(value: FrozenMap[str, tuple[SecurityAct, ...]]) -> dict[str, Any]:
    return {unit: [{"kind": a.kind.value, "on": day_json(a.on), "precision": a.precision.value,
                    "counterpart": a.counterpart, "together": list(a.together),
                    "detail": a.detail} for a in acts]
            for unit, acts in value.items()}


state_slice(SECURITY, FrozenMap(), title="Security forces", render=_render, to_json=_to_json)


@event_type("security.mutinied", version=1)
@attrs.frozen(kw_only=True)
class SecurityMutinied(Event):
    """A unit (or several together) mutinies, perhaps ``against`` a commander or
    government; ``demand`` says what it wants, in plain words."""

    unit: str | tuple[str, ...] = ref("actor", converter=joint)
    against: str | None = ref("actor", default=None)
    demand: str = ""


@event_type("security.defected", version=1)
@attrs.frozen(kw_only=True)
class SecurityDefected(Event):
    """A unit (or several, or an officer) changes sides: it now backs ``to`` (if reported)."""

    unit: str | tuple[str, ...] = ref("actor", converter=joint)
    to: str | None = ref("actor", default=None)
    detail: str = ""


@event_type("security.refused_orders", version=1)
@attrs.frozen(kw_only=True)
class SecurityRefusedOrders(Event):
    """A unit refuses an ``order`` (in plain words) given by ``given_by``."""

    unit: str | tuple[str, ...] = ref("actor", converter=joint)
    given_by: str | None = ref("actor", default=None)
    order: str = ""


_Acts = SecurityMutinied | SecurityDefected | SecurityRefusedOrders


def _counterpart(e: _Acts) -> str | None:
    if isinstance(e, SecurityMutinied):
        return e.against
    if isinstance(e, SecurityDefected):
        return e.to
    return e.given_by


@rule(SecurityMutinied, SecurityDefected, SecurityRefusedOrders)
def unit_kind(state: CrisisState, e: _Acts) -> list[str] | None:
    units = actors_of(e.unit)
    problems = [f"{u!r} is a {state.actors[u].kind.value.replace('_', ' ')}; only security "
                "forces, armed groups, groups and persons mutiny, defect or refuse orders"
                for u in units if state.actors[u].kind.value not in UNIT_KINDS]
    if not units:
        problems.append("name the unit that acted")
    if len(set(units)) != len(units):
        problems.append("a unit is listed twice")
    other = _counterpart(e)
    if other is not None and other in units:
        problems.append(f"{other!r} cannot act against or join itself")
    return problems or None


@rule(SecurityDefected)
def not_already_aligned(state: CrisisState, e: SecurityDefected) -> list[str] | None:
    if e.to is None:
        return None
    return [f"{u!r} is already aligned with {e.to!r}" for u in actors_of(e.unit)
            if state.actors[u].affiliation == e.to] or None


_KINDS: dict[type, SecurityActKind] = {
    SecurityMutinied: SecurityActKind.MUTINIED,
    SecurityDefected: SecurityActKind.DEFECTED,
    SecurityRefusedOrders: SecurityActKind.REFUSED_ORDERS,
}


def _record(draft: Draft, e: _Acts, detail: str) -> None:
    units = actors_of(e.unit)
    act = SecurityAct(_KINDS[type(e)], e.occurred_on, e.precision, _counterpart(e),
                      units if len(units) > 1 else (), detail)
    table = security_record(draft)
    for u in units:
        table = table.set(u, (*(table.get(u) or ()), act))
    draft.set_slice(SECURITY, table)


@handler(SecurityMutinied)
def _mutinied(draft: Draft, e: SecurityMutinied) -> None:
    _record(draft, e, e.demand)


@handler(SecurityDefected)
def _defected(draft: Draft, e: SecurityDefected) -> None:
    _record(draft, e, e.detail)
    if e.to is not None:
        for u in actors_of(e.unit):
            draft.edit_actor(u).affiliation = e.to


@handler(SecurityRefusedOrders)
def _refused(draft: Draft, e: SecurityRefusedOrders) -> None:
    _record(draft, e, e.order)


@summarizer(SecurityMutinied)
def _mutinied_summary(e: SecurityMutinied, name: Name) -> str:
    return (f"{names(e.unit, name)} mutinies"
            + (f" against {name(e.against)}" if e.against else "")
            + (f", demanding {e.demand}" if e.demand else ""))


@summarizer(SecurityDefected)
def _defected_summary(e: SecurityDefected, name: Name) -> str:
    return (f"{names(e.unit, name)} defects" + (f" to {name(e.to)}" if e.to else "")
            + (f": {e.detail}" if e.detail else ""))


@summarizer(SecurityRefusedOrders)
def _refused_summary(e: SecurityRefusedOrders, name: Name) -> str:
    return (f"{names(e.unit, name)} refuses orders" + (f" from {name(e.given_by)}"
                                                       if e.given_by else "")
            + (f" ({e.order})" if e.order else ""))


# -- interventions and foreign troops -------------------------------------------------------

#: The name of the slice that holds interventions and troop deployments.
OPERATIONS = "operations"


class OperationStage(enum.Enum):
    """How far an intervention (or a troop deployment) has gone; stages only move forward."""

    THREATENED = "threatened"
    ORDERED = "ordered"
    DEPLOYED = "deployed"
    WITHDRAWING = "withdrawing"
    WITHDRAWN = "withdrawn"


_ORDER = list(OperationStage)


@attrs.frozen(weakref_slot=False)
class OperationEntry:
    """One dated step of an operation."""

    #: The stage this step reached.
    stage: OperationStage
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who took the step.
    by: tuple[str, ...] = ()
    #: Demand, force or details, in plain words.
    detail: str = ""
    #: For a threat: the deadline given.
    deadline: _dt.date | None = None


@attrs.frozen(weakref_slot=False)
class Operation:
    """A military intervention threatened, ordered or carried out, or foreign troops stationed
    in a country: who, against whom, where, and how far it has gone."""

    #: The operation's id (from the first event that named it).
    id: str
    #: The actors behind it (a bloc, a state, several together).
    by: tuple[str, ...]
    #: The actors it is aimed at (empty: none, as for troops stationed with consent).
    against: tuple[str, ...] = ()
    #: Where (ISO 3166 alpha-3), if reported.
    country: str | None = None
    #: The latest stage (equal to the last history entry's).
    stage: OperationStage = OperationStage.THREATENED
    #: Every step, in order.
    history: Sequence[OperationEntry] = ()


def operations(state: CrisisState | Draft) -> FrozenMap[str, Operation]:
    """Every intervention or deployment in ``state``, by id."""
    value: FrozenMap[str, Operation] = state.slices.get(OPERATIONS, _NONE)
    return value


def _render_operations(value: FrozenMap[str, Operation], name: Name) -> list[str]:
    lines = []
    for op in value.values():
        steps = "; ".join(f"{h.stage.value} {day(h.on, h.precision)}"
                          + (f" (deadline {h.deadline.isoformat()})" if h.deadline else "")
                          for h in op.history)
        lines.append(f"{op.id}: {names(op.by, name)}"
                     + (f" against {names(op.against, name)}" if op.against else "")
                     + (f" in {op.country}" if op.country else "")
                     + f": {op.stage.value} ({steps})")
    return lines


def _operations_json(value: FrozenMap[str, Operation]) -> dict[str, Any]:
    return {k: {"by": list(op.by), "against": list(op.against), "country": op.country,
                "stage": op.stage.value,
                "history": [{"stage": h.stage.value, "on": day_json(h.on),
                             "precision": h.precision.value, "by": list(h.by),
                             "detail": h.detail, "deadline": day_json(h.deadline)}
                            for h in op.history]}
            for k, op in value.items()}


state_slice(OPERATIONS, FrozenMap(), title="Interventions and foreign troops",
            render=_render_operations, to_json=_operations_json)


def _operation_ids(state: CrisisState) -> Iterable[str]:
    return operations(state)


# Operation ids are plain strings (the first event naming one introduces it); the kind
# lets tools list them.
reference_kind("operation", lambda state, key: key in operations(state),
               ids=_operation_ids)


def _upper(value: str | None) -> str | None:
    return None if value is None else value.upper()


@event_type("security.intervention_threatened", version=1)
@attrs.frozen(kw_only=True)
class InterventionThreatened(Event):
    """``by`` threatens to use force against ``against`` unless ``demand`` is met by
    ``deadline`` (an ultimatum)."""

    operation: str
    by: str | tuple[str, ...] = ref("actor", converter=joint)
    against: tuple[str, ...] = ref("actor", default=(), converter=strings)
    country: str | None = attrs.field(default=None, converter=_upper)
    demand: str = ""
    deadline: _dt.date | None = None


@event_type("security.intervention_ordered", version=1)
@attrs.frozen(kw_only=True)
class InterventionOrdered(Event):
    """``by`` orders a force (``force``, in plain words) readied or sent."""

    operation: str
    by: str | tuple[str, ...] = ref("actor", converter=joint)
    against: tuple[str, ...] = ref("actor", default=(), converter=strings)
    country: str | None = attrs.field(default=None, converter=_upper)
    force: str = ""


@event_type("security.troops_deployed", version=1)
@attrs.frozen(kw_only=True)
class TroopsDeployed(Event):
    """``by``'s troops are deployed in ``country`` (against ``against``, if hostile)."""

    operation: str
    by: str | tuple[str, ...] = ref("actor", converter=joint)
    against: tuple[str, ...] = ref("actor", default=(), converter=strings)
    country: str | None = attrs.field(default=None, converter=_upper)
    force: str = ""


@event_type("security.troops_withdrawn", version=1)
@attrs.frozen(kw_only=True)
class TroopsWithdrawn(Event):
    """Deployed troops leave: ``complete=False`` when the withdrawal is announced or begun,
    ``True`` when it is over."""

    operation: str
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    complete: bool = True
    detail: str = ""


_Ops = InterventionThreatened | InterventionOrdered | TroopsDeployed | TroopsWithdrawn


def _stage_of(e: _Ops) -> OperationStage:
    if isinstance(e, InterventionThreatened):
        return OperationStage.THREATENED
    if isinstance(e, InterventionOrdered):
        return OperationStage.ORDERED
    if isinstance(e, TroopsDeployed):
        return OperationStage.DEPLOYED
    return OperationStage.WITHDRAWN if e.complete else OperationStage.WITHDRAWING


@rule(InterventionThreatened, InterventionOrdered, TroopsDeployed, TroopsWithdrawn)
def operation_stage(state: CrisisState, e: _Ops) -> str | None:
    op = operations(state).get(e.operation)
    stage = _stage_of(e)
    if op is None:
        if isinstance(e, TroopsWithdrawn):
            return f"no operation {e.operation!r} is recorded: troops must be deployed to leave"
        return None
    if op.stage is OperationStage.WITHDRAWN:
        return f"operation {e.operation!r} is over (its troops withdrew)"
    if isinstance(e, TroopsWithdrawn) and _ORDER.index(op.stage) < _ORDER.index(
            OperationStage.DEPLOYED):
        return f"operation {e.operation!r} is only {op.stage.value}: no troops to withdraw"
    if _ORDER.index(stage) < _ORDER.index(op.stage) or (
            stage is op.stage and stage is not OperationStage.THREATENED):
        return f"operation {e.operation!r} is already {op.stage.value}; it cannot be {stage.value}"
    return None


@rule(InterventionThreatened, InterventionOrdered, TroopsDeployed)
def operation_parties(state: CrisisState, e: InterventionThreatened | InterventionOrdered
                      | TroopsDeployed) -> str | None:
    both = [a for a in e.against if a in actors_of(e.by)]
    if both:
        return f"{', '.join(repr(a) for a in both)} cannot act against itself"
    if isinstance(e, InterventionThreatened) and e.deadline is not None and (
            e.deadline < e.occurred_on):
        return f"the deadline {e.deadline.isoformat()} is before the threat"
    if e.country is not None and not (len(e.country) == 3 and e.country.isalpha()):
        return f"country {e.country!r} is not an ISO 3166 alpha-3 code"
    return None


def _operation_step(draft: Draft, e: _Ops) -> None:
    table = operations(draft)
    stage = _stage_of(e)
    by = actors_of(e.by)
    detail = (e.demand if isinstance(e, InterventionThreatened) else
              e.detail if isinstance(e, TroopsWithdrawn) else e.force)
    entry = OperationEntry(stage, e.occurred_on, e.precision, by, detail,
                           e.deadline if isinstance(e, InterventionThreatened) else None)
    op = table.get(e.operation)
    if op is None:
        op = Operation(e.operation, by)
    changes: dict[str, Any] = {"stage": stage, "history": appended(op.history, entry)}
    if not isinstance(e, TroopsWithdrawn):
        if e.against:
            changes["against"] = tuple(dict.fromkeys((*op.against, *e.against)))
        if e.country:
            changes["country"] = e.country
    draft.set_slice(OPERATIONS, table.set(e.operation, attrs.evolve(op, **changes)))


for _cls in (InterventionThreatened, InterventionOrdered, TroopsDeployed, TroopsWithdrawn):
    handler(_cls)(_operation_step)


@summarizer(InterventionThreatened)
def _threatened_summary(e: InterventionThreatened, name: Name) -> str:
    return (f"{names(e.by, name)} threatens force"
            + (f" against {names(e.against, name)}" if e.against else "")
            + (f" unless {e.demand}" if e.demand else "")
            + (f" by {e.deadline.isoformat()}" if e.deadline else "") + f" ({e.operation})")


@summarizer(InterventionOrdered)
def _ordered_summary(e: InterventionOrdered, name: Name) -> str:
    return (f"{names(e.by, name)} orders {e.force or 'a force'} readied"
            + (f" against {names(e.against, name)}" if e.against else "") + f" ({e.operation})")


@summarizer(TroopsDeployed)
def _deployed_summary(e: TroopsDeployed, name: Name) -> str:
    return (f"{names(e.by, name)} deploys {e.force or 'troops'}"
            + (f" in {e.country}" if e.country else "")
            + (f" against {names(e.against, name)}" if e.against else "") + f" ({e.operation})")


@summarizer(TroopsWithdrawn)
def _withdrawn_summary(e: TroopsWithdrawn, name: Name) -> str:
    who = names(e.by, name) if e.by else "the troops"
    verb = "completes the withdrawal of" if e.complete else "announces the withdrawal of"
    if not e.by:
        return (f"{who} of {e.operation} " + ("withdraw" if e.complete else "begin to withdraw")
                + (f": {e.detail}" if e.detail else ""))
    return f"{who} {verb} its troops ({e.operation})" + (f": {e.detail}" if e.detail else "")


@invariant("operation-stages")
def _operation_stages(state: CrisisState) -> Iterator[InvariantViolation]:
    """An operation's stages never move backwards; its stage is its last step's."""
    for key, op in operations(state).items():
        stages = [_ORDER.index(h.stage) for h in op.history]
        if not stages or _ORDER[stages[-1]] is not op.stage or key != op.id:
            yield InvariantViolation("", "stage is not the last step's", key)
        if any(b < a for a, b in itertools.pairwise(stages)):
            yield InvariantViolation("", "a stage moved backwards", key)
