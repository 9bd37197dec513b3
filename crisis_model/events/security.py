"""Security forces: mutiny, defection and refusal of orders.

Each act is kept in the slice ``"security"`` (:func:`security_record`): per
unit, the dated history of what it did.  A defection also changes the unit's
``affiliation`` (the side it is now aligned with) in the actor record.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref
from .._frozenmap import FrozenMap
from .._summary import summarizer
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState
from ._plain import Name, day, day_json, names

__all__ = [
    "SECURITY",
    "SecurityAct",
    "SecurityActKind",
    "SecurityDefected",
    "SecurityMutinied",
    "SecurityRefusedOrders",
    "security_record",
]

#: The name of the slice that holds security forces' acts.
SECURITY = "security"

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
    value: FrozenMap[str, tuple[SecurityAct, ...]] = state.slices[SECURITY]
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
