"""State-aware strategies for institutions (dissolved, suspended, restored; legislatures'
votes), public statements and symbolic oaths.

Registered with the public hook :func:`crisis_model.testing.register_event_strategy`
(through the same ``_strategy`` helper as ``_builtin``).  Each draws only events the rules
admit in the state it is given.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from .._count import Count
from ..events.institutions import (
    InstitutionDissolved,
    InstitutionRestored,
    InstitutionStatus,
    InstitutionSuspended,
    LegislatureVoted,
    MotionKind,
    SuspensionCause,
    institutions,
)
from ..events.office import OfficeSymbolicOath
from ..events.statements import StatementKind, StatementMade
from ..state import CrisisState
from ._builtin import _able, _living, _strategy, _text
from ._strategies import (
    _OFFICES,
    _booleans,
    _int,
    _texts,
    choice,
    maybe,
    members,
    per_state,
    subset,
)
from ._values import counts

__all__: list[str] = []


def _actors(state: CrisisState) -> list[str]:
    return list(state.actors)


def _status(state: CrisisState, body: str) -> InstitutionStatus:
    rec = institutions(state).get(body)
    return InstitutionStatus.SITTING if rec is None else rec.status


def _bodies(state: CrisisState, *statuses: InstitutionStatus) -> list[str]:
    return [b for b in _able(state, "be-dissolved") if _status(state, b) in statuses]


def _maybe_joint(draw: st.DrawFn, ids: list[str]) -> str | tuple[str, ...] | None:
    if not ids or _int(draw, 0, 2) == 0:
        return None
    chosen = subset(draw, ids, min_size=1, max_size=2)
    return chosen[0] if len(chosen) == 1 and draw(_booleans) else chosen


def _later(draw: st.DrawFn, state: CrisisState) -> _dt.date | None:
    """A date well after anything in the state (so it never precedes its event)."""
    start = state.as_of or _dt.date(2024, 1, 1)
    return maybe(draw, lambda: start + _dt.timedelta(days=_int(draw, 800, 1200)))


_SITTING, _SUSPENDED, _DISSOLVED = (InstitutionStatus.SITTING, InstitutionStatus.SUSPENDED,
                                    InstitutionStatus.DISSOLVED)


@_strategy(InstitutionDissolved, when=lambda s: bool(_bodies(s, _SITTING, _SUSPENDED)))
def _dissolved(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"body": choice(draw, _bodies(state, _SITTING, _SUSPENDED)),
            "by": _maybe_joint(draw, _actors(state)), "reason": _text(draw),
            "election_due": _later(draw, state)}


@_strategy(InstitutionSuspended, when=lambda s: bool(_bodies(s, _SITTING)))
def _suspended(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"body": choice(draw, _bodies(state, _SITTING)),
            "by": _maybe_joint(draw, _actors(state)),
            "cause": choice(draw, members(SuspensionCause)), "reason": _text(draw)}


@_strategy(InstitutionRestored, when=lambda s: bool(_bodies(s, _SUSPENDED, _DISSOLVED)))
def _restored(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"body": choice(draw, _bodies(state, _SUSPENDED, _DISSOLVED)),
            "by": _maybe_joint(draw, _actors(state)), "reason": _text(draw)}


@per_state
def _voters(state: CrisisState) -> list[str]:
    return [b for b in _able(state, "vote") if _status(state, b) is _SITTING]


def _count(draw: st.DrawFn) -> Count | None:
    count = maybe(draw, lambda: draw(counts(max_value=500)))
    return None if count is None or count.is_unknown else count


@_strategy(LegislatureVoted, when=lambda s: bool(_voters(s)))
def _voted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    body = choice(draw, _voters(state))
    motion = choice(draw, members(MotionKind))
    targets = {MotionKind.IMPEACHMENT: _able(state, "be-impeached"),
               MotionKind.NO_CONFIDENCE: _able(state, "lose-confidence")}.get(
                   motion, _actors(state))
    targets = [t for t in targets if t != body]
    if motion is MotionKind.IMPEACHMENT and not targets:
        motion = MotionKind.LAW
    target = (choice(draw, targets) if motion is MotionKind.IMPEACHMENT
              else maybe(draw, lambda: choice(draw, targets)) if targets else None)
    passed = draw(_booleans)
    yes, no = _count(draw), _count(draw)
    if (passed and yes is not None and no is not None and yes.high is not None
            and no.low is not None and yes.high < no.low):
        yes, no = no, yes  # a motion that passed had at least as many votes for
    return {"body": body, "motion": motion, "subject": _text(draw), "passed": passed,
            "votes_for": yes, "votes_against": no, "abstentions": _count(draw),
            "target": target}


@_strategy(StatementMade, when=lambda s: bool(_living(s)))
def _statement(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    says = draw(_texts).strip() or "a statement"
    kind = choice(draw, members(StatementKind))
    living = _living(state)
    return {"speaker": subset(draw, living, min_size=1, max_size=2)
            if draw(_booleans) else choice(draw, living),
            "kind": kind, "about": subset(draw, _actors(state), max_size=2), "says": says,
            "medium": choice(draw, ["", "televised address", "communiqué"]),
            "deadline": _later(draw, state) if kind is StatementKind.ULTIMATUM else None}


@per_state(reads="actors")
def _swearers(state: CrisisState) -> list[tuple[str, str]]:
    return [(p, o) for p in _able(state, "hold-office") if state.actors[p].death is None
            for o in _OFFICES if o not in state.actors[p].offices]


@_strategy(OfficeSymbolicOath, when=lambda s: bool(_swearers(s)))
def _oath(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person, office = choice(draw, _swearers(state))
    return {"person": person, "office": office, "by": _maybe_joint(draw, _actors(state))}
