"""Membership of organisations: a member joins (or founds), is suspended, is readmitted,
or withdraws.

The state keeps, per organisation and member, the current status and every
dated step in the slice ``"memberships"`` (:func:`memberships`).
"""

from __future__ import annotations

import datetime as _dt
import enum
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref
from .._frozenmap import FrozenMap
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import ActorKind, CrisisState
from ._plain import Name, by_clause, day, day_json, names

__all__ = [
    "MEMBERSHIPS",
    "MemberJoined",
    "MemberReadmitted",
    "MemberSuspended",
    "MemberWithdrew",
    "Membership",
    "MembershipEntry",
    "MembershipStatus",
    "memberships",
]

#: The name of the slice that holds memberships.
MEMBERSHIPS = "memberships"

#: What the slice holds before anything happened (states built without it read so).
_NONE: FrozenMap[Any, Any] = FrozenMap()


class MembershipStatus(enum.Enum):
    """Where a member stands in an organisation."""

    MEMBER = "member"
    SUSPENDED = "suspended"
    READMITTED = "readmitted"
    WITHDRAWN = "withdrawn"


@attrs.frozen(weakref_slot=False)
class MembershipEntry:
    """One dated step of a membership."""

    #: The status the step put the member in.
    status: MembershipStatus
    #: The day of the step, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who decided it (the organisation, one of its organs, or the member for a withdrawal).
    by: tuple[str, ...] = ()
    #: Grounds or conditions, in plain words.
    grounds: str = ""
    #: For a withdrawal: the day it takes effect, if stated.
    effective_on: _dt.date | None = None


@attrs.frozen(weakref_slot=False)
class Membership:
    """One member's standing in one organisation: the current status and its history."""

    #: The organisation's actor id.
    organisation: str
    #: The member's actor id.
    member: str
    #: The latest status (equal to the status of the last history entry).
    status: MembershipStatus
    #: Every step, in order.
    history: Sequence[MembershipEntry] = ()


def memberships(state: CrisisState | Draft) -> FrozenMap[str, FrozenMap[str, Membership]]:
    """organisation id -> member id -> :class:`Membership`."""
    value: FrozenMap[str, FrozenMap[str, Membership]] = state.slices.get(MEMBERSHIPS, _NONE)
    return value


_STEP_WORDS = {MembershipStatus.MEMBER: "joined", MembershipStatus.SUSPENDED: "suspended",
               MembershipStatus.READMITTED: "readmitted", MembershipStatus.WITHDRAWN: "withdrew"}


def _render(value: FrozenMap[str, FrozenMap[str, Membership]], name: Name) -> list[str]:
    lines = []
    for org, members in value.items():
        for m in members.values():
            steps = ", ".join(f"{_STEP_WORDS[h.status]} {day(h.on, h.precision)}"
                              for h in m.history)
            lines.append(f"{name(m.member)} in {name(org)}: {m.status.value} ({steps})")
    return lines


def _to_json(value: FrozenMap[str, FrozenMap[str, Membership]]) -> dict[str, Any]:
    return {org: {k: {"status": m.status.value,
                      "history": [{"status": h.status.value, "on": day_json(h.on),
                                   "precision": h.precision.value, "by": list(h.by),
                                   "grounds": h.grounds,
                                   "effective_on": day_json(h.effective_on)}
                                  for h in m.history]}
                  for k, m in members.items()}
            for org, members in value.items()}


state_slice(MEMBERSHIPS, FrozenMap(), title="Memberships", render=_render, to_json=_to_json)


@event_type("membership.joined", version=1)
@attrs.frozen(kw_only=True)
class MemberJoined(Event):
    """``member`` joins ``organisation`` (or founds it with others: one event per member)."""

    organisation: str = ref("actor")
    member: str = ref("actor")
    grounds: str = ""


@event_type("membership.suspended", version=1)
@attrs.frozen(kw_only=True)
class MemberSuspended(Event):
    """``organisation`` suspends ``member`` (``by``: the organ that decided, if named)."""

    organisation: str = ref("actor")
    member: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    grounds: str = ""


@event_type("membership.readmitted", version=1)
@attrs.frozen(kw_only=True)
class MemberReadmitted(Event):
    """``organisation`` lifts the suspension of ``member``."""

    organisation: str = ref("actor")
    member: str = ref("actor")
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    grounds: str = ""


@event_type("membership.withdrew", version=1)
@attrs.frozen(kw_only=True)
class MemberWithdrew(Event):
    """``member`` announces its withdrawal from ``organisation`` (``effective_on``: when
    the withdrawal takes effect, if stated).  Several members withdrawing together are
    separate events."""

    organisation: str = ref("actor")
    member: str = ref("actor")
    effective_on: _dt.date | None = None
    grounds: str = ""


_Any = MemberJoined | MemberSuspended | MemberReadmitted | MemberWithdrew


def _current(state: CrisisState, org: str, member: str) -> Membership | None:
    members = memberships(state).get(org)
    return None if members is None else members.get(member)


@rule(MemberJoined, MemberSuspended, MemberReadmitted, MemberWithdrew)
def organisation_is_body(state: CrisisState, e: _Any) -> str | None:
    if e.organisation == e.member:
        return f"{e.member!r} cannot be a member of itself"
    if state.actors[e.organisation].kind is ActorKind.PERSON:
        return f"{e.organisation!r} is a person, not an organisation"
    return None


@rule(MemberJoined)
def not_already_member(state: CrisisState, e: MemberJoined) -> str | None:
    m = _current(state, e.organisation, e.member)
    if m is not None and m.status is not MembershipStatus.WITHDRAWN:
        return f"{e.member!r} is already {m.status.value} in {e.organisation!r}"
    return None


@rule(MemberSuspended)
def not_already_suspended(state: CrisisState, e: MemberSuspended) -> str | None:
    m = _current(state, e.organisation, e.member)
    if m is not None and m.status not in (MembershipStatus.READMITTED, MembershipStatus.MEMBER):
        return f"{e.member!r} is already {m.status.value} in {e.organisation!r}"
    return None


@rule(MemberReadmitted)
def readmit_suspended(state: CrisisState, e: MemberReadmitted) -> str | None:
    m = _current(state, e.organisation, e.member)
    if m is None or m.status is not MembershipStatus.SUSPENDED:
        now = "in good standing" if m is None else m.status.value
        return f"{e.member!r} is not suspended from {e.organisation!r} ({now})"
    return None


@rule(MemberWithdrew)
def not_already_withdrawn(state: CrisisState, e: MemberWithdrew) -> str | None:
    m = _current(state, e.organisation, e.member)
    if m is not None and m.status is MembershipStatus.WITHDRAWN:
        return f"{e.member!r} has already withdrawn from {e.organisation!r}"
    if e.effective_on is not None and e.effective_on < e.occurred_on:
        return f"the withdrawal takes effect ({e.effective_on}) before it is announced"
    return None


def _step(draft: Draft, e: _Any, status: MembershipStatus, by: tuple[str, ...],
          effective_on: _dt.date | None = None) -> None:
    table = memberships(draft)
    members = table.get(e.organisation) or FrozenMap()
    old = members.get(e.member)
    entry = MembershipEntry(status, e.occurred_on, e.precision, by, e.grounds, effective_on)
    history = appended(() if old is None else old.history, entry)
    record = Membership(e.organisation, e.member, status, history)
    draft.set_slice(MEMBERSHIPS, table.set(e.organisation, members.set(e.member, record)))


@handler(MemberJoined)
def _joined(draft: Draft, e: MemberJoined) -> None:
    _step(draft, e, MembershipStatus.MEMBER, (e.member,))


@handler(MemberSuspended)
def _suspended(draft: Draft, e: MemberSuspended) -> None:
    _step(draft, e, MembershipStatus.SUSPENDED, actors_of(e.by) or (e.organisation,))


@handler(MemberReadmitted)
def _readmitted(draft: Draft, e: MemberReadmitted) -> None:
    _step(draft, e, MembershipStatus.READMITTED, actors_of(e.by) or (e.organisation,))


@handler(MemberWithdrew)
def _withdrew(draft: Draft, e: MemberWithdrew) -> None:
    _step(draft, e, MembershipStatus.WITHDRAWN, (e.member,), e.effective_on)


@summarizer(MemberJoined)
def _joined_summary(e: MemberJoined, name: Name) -> str:
    return (f"{name(e.member)} joins {name(e.organisation)}"
            + (f": {e.grounds}" if e.grounds else ""))


@summarizer(MemberSuspended)
def _suspended_summary(e: MemberSuspended, name: Name) -> str:
    return (f"{name(e.organisation)} suspends {name(e.member)}{by_clause(e.by, name)}"
            + (f": {e.grounds}" if e.grounds else ""))


@summarizer(MemberReadmitted)
def _readmitted_summary(e: MemberReadmitted, name: Name) -> str:
    return (f"{name(e.organisation)} readmits {name(e.member)}{by_clause(e.by, name)}"
            + (f": {e.grounds}" if e.grounds else ""))


@summarizer(MemberWithdrew)
def _withdrew_summary(e: MemberWithdrew, name: Name) -> str:
    return (f"{names(e.member, name)} announces its withdrawal from {name(e.organisation)}"
            + (f", effective {e.effective_on.isoformat()}" if e.effective_on else "")
            + (f": {e.grounds}" if e.grounds else ""))


@invariant("membership-history")
def _membership_history(state: CrisisState) -> Iterator[InvariantViolation]:
    """The current status is the latest step's; readmission only follows a suspension."""
    for org, members in memberships(state).items():
        for member, m in members.items():
            if not m.history or m.history[-1].status is not m.status:
                yield InvariantViolation("", "status is not the latest step's", f"{org}/{member}")
            for before, after in itertools.pairwise(m.history):
                if (after.status is MembershipStatus.READMITTED
                        and before.status is not MembershipStatus.SUSPENDED):
                    yield InvariantViolation("", "readmitted without a suspension",
                                             f"{org}/{member}")
