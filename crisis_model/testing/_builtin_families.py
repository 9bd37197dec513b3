"""State-aware strategies for the event families: sanctions, membership, emergency powers,
security forces, displacement, justice outcomes (courts) and unrest.

Registered with the public hook :func:`crisis_model.testing.register_event_strategy`
(through the same ``_strategy`` helper as ``_builtin``).  Each draws only events the
rules admit in the state it is given.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from .._count import Count
from ..events.courts import (
    Acquitted,
    AmnestyEnacted,
    BanLifted,
    ChargesWithdrawn,
    Convicted,
    ImmunityLifted,
    OrganisationBanned,
    Pardoned,
    RulingIssued,
    Sentenced,
    court_record,
)
from ..events.displacement import DisplacementKind, DisplacementReported
from ..events.emergency import (
    EmergencyDeclared,
    EmergencyExtended,
    EmergencyKind,
    EmergencyLifted,
    emergencies,
)
from ..events.membership import (
    MemberJoined,
    MemberReadmitted,
    MembershipStatus,
    MemberSuspended,
    MemberWithdrew,
    memberships,
)
from ..events.sanctions import SanctionKind, SanctionsImposed, SanctionsLifted, sanctions
from ..events.security import (
    UNIT_KINDS,
    InterventionOrdered,
    InterventionThreatened,
    OperationStage,
    SecurityDefected,
    SecurityMutinied,
    SecurityRefusedOrders,
    TroopsDeployed,
    TroopsWithdrawn,
    operations,
)
from ..events.unrest import CrackdownReported, ProtestHeld, TollReported
from ..state import ActorKind, CrisisState
from ._builtin import _strategy, _text
from ._strategies import _COUNTRIES as _COUNTRY_CODES
from ._strategies import (
    _booleans,
    _countries,
    _int,
    _places,
    _texts,
    choice,
    fresh_id,
    items_of,
    kinds_in,
    maybe,
    members,
    per_state,
    subset,
    values_of,
)
from ._values import counts

__all__: list[str] = []


def _actors(state: CrisisState) -> list[str]:
    return list(state.actors)


def _joint(draw: st.DrawFn, ids: list[str]) -> str | tuple[str, ...]:
    """One actor (as a string) or several (as a tuple)."""
    chosen = subset(draw, ids, min_size=1, max_size=3)
    return chosen[0] if len(chosen) == 1 and draw(_booleans) else tuple(chosen)


def _maybe_joint(draw: st.DrawFn, ids: list[str]) -> str | tuple[str, ...] | None:
    return maybe(draw, lambda: _joint(draw, ids)) if ids else None


def _later(draw: st.DrawFn, state: CrisisState) -> _dt.date | None:
    """An end date well after anything in the state (so it never precedes its event)."""
    start = state.as_of or _dt.date(2024, 1, 1)
    return maybe(draw, lambda: start + _dt.timedelta(days=_int(draw, 800, 1200)))


# -- sanctions --------------------------------------------------------------------------------


@_strategy(SanctionsImposed, when=lambda s: len(s.actors) >= 2)
def _imposed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    people = _actors(state)
    by = _joint(draw, people[:-1] if len(people) > 1 else people)
    others = [a for a in people if a not in ((by,) if isinstance(by, str) else by)]
    return {"sanction": fresh_id(draw, state, "sanction"), "by": by,
            "targets": subset(draw, others, min_size=1, max_size=2),
            "kinds": subset(draw, members(SanctionKind), min_size=1, max_size=3),
            "detail": _text(draw)}


@per_state
def _in_force(state: CrisisState) -> list[str]:
    return [k for k, s in sanctions(state).items() if s.in_force]


@_strategy(SanctionsLifted, when=lambda s: bool(_in_force(s)))
def _lifted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    sanction = choice(draw, _in_force(state))
    return {"sanction": sanction, "by": _maybe_joint(draw, _actors(state)),
            "kinds": subset(draw, list(sanctions(state)[sanction].in_force)),
            "detail": _text(draw)}


# -- membership -------------------------------------------------------------------------------


@per_state(reads="actors")
def _bodies(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.kind is not ActorKind.PERSON]


def _status(state: CrisisState, org: str, member: str) -> MembershipStatus | None:
    members = memberships(state).get(org)
    m = None if members is None else members.get(member)
    return None if m is None else m.status


def _pairs(state: CrisisState, ok: Callable[[MembershipStatus | None], bool]
           ) -> list[tuple[str, str]]:
    return [(o, m) for o in _bodies(state) for m in state.actors
            if m != o and ok(_status(state, o, m))]


def _suspendable(state: CrisisState) -> list[tuple[str, str]]:
    return _pairs(state, lambda s: s not in (MembershipStatus.SUSPENDED,
                                             MembershipStatus.WITHDRAWN))


@per_state(reads="actors")
def _pair_count(state: CrisisState) -> int:
    """How many (organisation, member) pairs the actors make (the generator's cheap guard)."""
    bodies = sum(1 for a in values_of(state.actors) if a.kind is not ActorKind.PERSON)
    return bodies * (len(state.actors) - 1)


def _with_status(state: CrisisState, *statuses: MembershipStatus) -> int:
    return sum(1 for members in memberships(state).values() for m in members.values()
               if m.status in statuses)


@_strategy(MemberSuspended, when=lambda s: _pair_count(s) > _with_status(
    s, MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN))
def _suspended(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    org, member = choice(draw, _suspendable(state))
    return {"organisation": org, "member": member, "by": _maybe_joint(draw, _actors(state)),
            "grounds": _text(draw)}


def _suspended_pairs(state: CrisisState) -> list[tuple[str, str]]:
    return [(o, m) for o, members in memberships(state).items() for m, rec in members.items()
            if rec.status is MembershipStatus.SUSPENDED]


@_strategy(MemberReadmitted, when=lambda s: _with_status(s, MembershipStatus.SUSPENDED) > 0)
def _readmitted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    org, member = choice(draw, _suspended_pairs(state))
    return {"organisation": org, "member": member, "by": _maybe_joint(draw, _actors(state))}


def _members(state: CrisisState) -> list[tuple[str, str]]:
    return _pairs(state, lambda s: s is not MembershipStatus.WITHDRAWN)


@_strategy(MemberWithdrew, when=lambda s: _pair_count(s) > _with_status(
    s, MembershipStatus.WITHDRAWN))
def _withdrew(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    org, member = choice(draw, _members(state))
    return {"organisation": org, "member": member, "effective_on": _later(draw, state)}


# -- emergency powers -------------------------------------------------------------------------


@_strategy(EmergencyDeclared)
def _declared(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"emergency": fresh_id(draw, state, "emergency"),
            "kind": choice(draw, members(EmergencyKind)),
            "by": _maybe_joint(draw, _actors(state)),
            "scope": maybe(draw, lambda: draw(_places)) or "",
            "ends_on": _later(draw, state),
            "measures": subset(draw, ["shoot on sight", "no gatherings", "army deployed"])}


@per_state
def _active(state: CrisisState) -> list[str]:
    return [k for k, m in emergencies(state).items() if m.in_force]


@_strategy(EmergencyExtended, when=lambda s: bool(_active(s)))
def _extended(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    key = choice(draw, _active(state))
    m = emergencies(state)[key]
    floor = max(filter(None, (m.until, state.as_of, m.declared_on)))
    until = floor + _dt.timedelta(days=_int(draw, 800, 1200))
    scope = draw(_places) if draw(_booleans) else ""
    return {"emergency": key, "by": _maybe_joint(draw, _actors(state)),
            "ends_on": until if not scope or draw(_booleans) else None, "scope": scope}


@_strategy(EmergencyLifted, when=lambda s: bool(_active(s)))
def _emergency_lifted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"emergency": choice(draw, _active(state)), "by": _maybe_joint(draw, _actors(state))}


# -- security forces --------------------------------------------------------------------------


@per_state(reads="actors")
def _units(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.kind in kinds_in(UNIT_KINDS)]


def _unit_and_other(draw: st.DrawFn, state: CrisisState) -> tuple[str | tuple[str, ...],
                                                                   str | None]:
    unit = _joint(draw, _units(state))
    acting = (unit,) if isinstance(unit, str) else unit
    others = [a for a in state.actors if a not in acting]
    return unit, maybe(draw, lambda: choice(draw, others)) if others else None


@_strategy(SecurityMutinied, when=lambda s: bool(_units(s)))
def _mutinied(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    unit, other = _unit_and_other(draw, state)
    return {"unit": unit, "against": other, "demand": _text(draw)}


@_strategy(SecurityDefected, when=lambda s: bool(_units(s)))
def _defected(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    unit, other = _unit_and_other(draw, state)
    acting = (unit,) if isinstance(unit, str) else unit
    if other is not None and any(state.actors[u].affiliation == other for u in acting):
        other = None
    return {"unit": unit, "to": other, "detail": _text(draw)}


@_strategy(SecurityRefusedOrders, when=lambda s: bool(_units(s)))
def _refused(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    unit, other = _unit_and_other(draw, state)
    return {"unit": unit, "given_by": other, "order": _text(draw)}


# -- justice outcomes -------------------------------------------------------------------------

_CHARGES = ("treason", "terrorism", "incitement", "murder", "corruption")


@_strategy(Convicted, when=lambda s: bool(s.actors))
def _convicted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _actors(state)),
            "by": maybe(draw, lambda: choice(draw, _actors(state))),
            "charges": subset(draw, _CHARGES, max_size=2),
            "in_absentia": draw(_booleans)}


@per_state
def _convicts(state: CrisisState) -> list[str]:
    record = court_record(state)
    return [p for p in record.outcomes if record.convicted(p)]


@_strategy(Sentenced, when=lambda s: bool(_convicts(s)))
def _sentenced(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _convicts(state)),
            "sentence": choice(draw, ["", "death", "life imprisonment", "ten years in prison"]),
            "years": maybe(draw, lambda: float(_int(draw, 0, 40)))}


@_strategy(Acquitted, when=lambda s: bool(s.actors))
def _acquitted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _actors(state)),
            "charges": subset(draw, _CHARGES, max_size=2)}


@per_state
def _pardonable(state: CrisisState) -> list[str]:
    record = court_record(state)
    return [k for k, a in items_of(state.actors)
            if record.convicted(k) or a.jeopardy.charged or a.jeopardy.wanted]


@_strategy(Pardoned, when=lambda s: bool(_pardonable(s)))
def _pardoned(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"persons": subset(draw, _pardonable(state), min_size=1, max_size=3),
            "by": _maybe_joint(draw, _actors(state))}


@_strategy(AmnestyEnacted, when=lambda s: bool(s.actors))
def _amnesty(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"law": f"law {_int(draw, 1, 99)}", "by": _joint(draw, _actors(state)),
            "beneficiaries": subset(draw, _actors(state), max_size=3), "covers": _text(draw)}


@per_state(reads="actors")
def _exposed(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.jeopardy.charged or a.jeopardy.wanted]


@_strategy(ChargesWithdrawn, when=lambda s: bool(_exposed(s)))
def _charges_withdrawn(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person = choice(draw, _exposed(state))
    j = state.actors[person].jeopardy
    all_charges = bool(j.charged) and draw(_booleans)
    charges = () if all_charges else subset(draw, list(j.charged))
    warrant = j.wanted and (draw(_booleans) or not (all_charges or charges))
    return {"person": person, "charges": charges, "all_charges": all_charges,
            "warrant": warrant}


@_strategy(ImmunityLifted, when=lambda s: bool(s.actors))
def _immunity(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _actors(state)), "by": _maybe_joint(draw, _actors(state))}


@_strategy(RulingIssued, when=lambda s: bool(s.actors))
def _ruling(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"by": choice(draw, _actors(state)), "decision": draw(_texts),
            "concerning": subset(draw, _actors(state), max_size=2)}


@per_state
def _bannable(state: CrisisState) -> list[str]:
    bans = court_record(state).bans
    return [k for k in _bodies(state) if k not in bans or not bans[k].in_force]


@_strategy(OrganisationBanned, when=lambda s: bool(_bannable(s)))
def _banned(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"organisation": choice(draw, _bannable(state)),
            "by": _maybe_joint(draw, _actors(state)), "grounds": _text(draw)}


@per_state
def _banned_now(state: CrisisState) -> list[str]:
    return [k for k, b in court_record(state).bans.items() if b.in_force]


@_strategy(BanLifted, when=lambda s: bool(_banned_now(s)))
def _ban_lifted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"organisation": choice(draw, _banned_now(state)),
            "by": _maybe_joint(draw, _actors(state))}


# -- joining, interventions -------------------------------------------------------------------


def _joinable(state: CrisisState) -> list[tuple[str, str]]:
    return _pairs(state, lambda s: s in (None, MembershipStatus.WITHDRAWN))


@_strategy(MemberJoined, when=lambda s: _pair_count(s) > _with_status(
    s, MembershipStatus.MEMBER, MembershipStatus.SUSPENDED, MembershipStatus.READMITTED))
def _joined(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    org, member = choice(draw, _joinable(state))
    return {"organisation": org, "member": member, "grounds": _text(draw)}


_STAGES = list(OperationStage)


def _open_ops(state: CrisisState, below: OperationStage) -> list[str]:
    """Operations not withdrawn whose stage is before ``below`` (or equal, for threats)."""
    limit = _STAGES.index(below)
    return [k for k, op in operations(state).items()
            if _STAGES.index(op.stage) < limit
            or (op.stage is below is OperationStage.THREATENED)]


def _operation_fields(draw: st.DrawFn, state: CrisisState, stage: OperationStage
                      ) -> dict[str, Any]:
    existing = _open_ops(state, stage)
    fresh = not existing or draw(_booleans)
    operation = fresh_id(draw, state, "operation") if fresh else choice(draw, existing)
    by = _joint(draw, _actors(state))
    acting = (by,) if isinstance(by, str) else by
    others = [a for a in state.actors if a not in acting]
    return {"operation": operation, "by": by,
            "against": subset(draw, others, max_size=2) if others else (),
            "country": maybe(draw, lambda: draw(_countries))}


@_strategy(InterventionThreatened, when=lambda s: bool(s.actors))
def _op_threatened(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {**_operation_fields(draw, state, OperationStage.THREATENED),
            "demand": _text(draw), "deadline": _later(draw, state)}


@_strategy(InterventionOrdered, when=lambda s: bool(s.actors))
def _op_ordered(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {**_operation_fields(draw, state, OperationStage.ORDERED), "force": _text(draw)}


@_strategy(TroopsDeployed, when=lambda s: bool(s.actors))
def _op_deployed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {**_operation_fields(draw, state, OperationStage.DEPLOYED), "force": _text(draw)}


@per_state
def _deployed(state: CrisisState) -> list[str]:
    return [k for k, op in operations(state).items()
            if op.stage in (OperationStage.DEPLOYED, OperationStage.WITHDRAWING)]


@_strategy(TroopsWithdrawn, when=lambda s: bool(_deployed(s)))
def _op_withdrawn(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    key = choice(draw, _deployed(state))
    complete = operations(state)[key].stage is OperationStage.WITHDRAWING or draw(_booleans)
    return {"operation": key, "by": _maybe_joint(draw, _actors(state)), "complete": complete,
            "detail": _text(draw)}


# -- unrest -----------------------------------------------------------------------------------


def _count(draw: st.DrawFn) -> Count | None:
    """A count or ``None`` (an unknown count reads as ``None`` on the event anyway)."""
    count = maybe(draw, lambda: draw(counts(max_value=100_000)))
    return None if count is None or count.is_unknown else count


@_strategy(CrackdownReported)
def _crackdown(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"by": _maybe_joint(draw, _actors(state)), "deaths": _count(draw),
            "injuries": _count(draw), "arrests": _count(draw),
            "group": maybe(draw, lambda: choice(draw, _actors(state))) if state.actors else None}


@_strategy(ProtestHeld)
def _protest(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"by": _maybe_joint(draw, _actors(state)), "size": _count(draw),
            "location": maybe(draw, lambda: draw(_places)), "demand": _text(draw)}


@_strategy(TollReported)
def _toll(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    figures = {k: _count(draw) for k in ("deaths", "injuries", "arrests")}
    if all(v is None for v in figures.values()):
        figures["deaths"] = Count.at_least(_int(draw, 0, 1000))
    start = state.as_of or _dt.date(2024, 1, 1)  # the report is dated on or after it
    since = maybe(draw, lambda: start - _dt.timedelta(days=_int(draw, 0, 90)))
    until = None
    if draw(_booleans):
        first = since or start - _dt.timedelta(days=90)
        until = first + _dt.timedelta(days=_int(draw, 0, (start - first).days))
    return {"by": _maybe_joint(draw, _actors(state)), **figures, "since": since,
            "through": until, "scope": _text(draw)}


# -- displacement -----------------------------------------------------------------------------


@_strategy(DisplacementReported)
def _displaced(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    kind = choice(draw, members(DisplacementKind))
    country = draw(_countries)
    to = None
    if kind is DisplacementKind.CROSS_BORDER:
        to = choice(draw, [c for c in _COUNTRY_CODES if c != country])
    newly, total = _count(draw), _count(draw)
    if newly is None and total is None:
        newly = Count.at_least(_int(draw, 0, 10_000))
    return {"kind": kind, "country": country, "to": to,
            "by": _maybe_joint(draw, _actors(state)), "newly": newly, "total": total,
            "scope": _text(draw)}
