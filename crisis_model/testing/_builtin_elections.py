"""State-aware strategies for the election lifecycle: rounds, counts, declarations that their
winners lead, disputes, fraud allegations, withdrawals, concessions and their retraction,
annulments and rescheduling.

Registered with the public hook :func:`crisis_model.testing.register_event_strategy`, like
every other built-in type's strategy; each draws only the fields its rules constrain.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from ..events import Event
from ..events.elections import (
    CandidateConceded,
    CandidateWithdrew,
    ConcessionRetracted,
    CountReported,
    ElectionAnnulled,
    ElectionCalled,
    ElectionDeclared,
    ElectionHeld,
    ElectionRescheduled,
    FraudAlleged,
    ResultDisputed,
)
from ..state import CountKind, CrisisState
from ._builtin import _text
from ._strategies import (
    _booleans,
    _Builder,
    _countries,
    _int,
    _offices,
    choice,
    draw_date,
    draw_shares,
    fresh_id,
    items_of,
    maybe,
    members,
    per_state,
    register_event_strategy,
    subset,
    values_of,
)

__all__: list[str] = []

Build = Callable[[st.DrawFn, CrisisState], Mapping[str, Any]]

_DISTRICTS = ("north", "south", "east", "west", "capital", "coast")


def _strategy(
    cls: type[Event], when: Callable[[CrisisState], bool] = lambda state: True
) -> Callable[[Build], Build]:
    def decorate(build: Build) -> Build:
        register_event_strategy(cls, _Builder(build, when))
        return build

    return decorate


@per_state(reads="elections")
def _held(state: CrisisState) -> list[str]:
    return [k for k, e in items_of(state.elections) if e.held and e.candidates]


@per_state(reads="elections")
def _any_held(state: CrisisState) -> bool:
    return any(e.held and e.candidates for e in values_of(state.elections))


def _later(draw: st.DrawFn, day: _dt.date) -> _dt.date:
    return day + _dt.timedelta(days=_int(draw, 0, 120))


def _leading(draw: st.DrawFn, winner: str, candidates: Sequence[str]) -> dict[str, float]:
    """Shares for some candidates in which ``winner`` has the largest (or no shares)."""
    shares = draw_shares(draw, candidates)
    if not shares:
        return {}
    values = sorted(shares.values(), reverse=True)
    others = [c for c in shares if c != winner][: len(values) - 1]
    return dict(zip([winner, *others], values, strict=True))


def _seats(draw: st.DrawFn, winner: str | None, candidates: Sequence[str]) -> dict[str, int]:
    if _int(draw, 0, 2):
        return {}
    who = subset(draw, candidates, max_size=len(candidates))
    values = sorted((_int(draw, 0, 200) for _ in who), reverse=True)
    if winner is None:
        return dict(zip(who, values, strict=True))
    if not who:
        return {}
    others = [c for c in who if c != winner][: len(values) - 1]
    return dict(zip([winner, *others], values, strict=True))


# -- calling and holding ------------------------------------------------------------------------


def _annulled(state: CrisisState) -> list[str]:
    return [k for k, e in items_of(state.elections) if e.annulled and e.candidates]


@_strategy(ElectionCalled)
def _called(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    day, precision = draw_date(draw, state.as_of)
    held, annulled = _held(state), _annulled(state)
    return {
        "occurred_on": day, "precision": precision,
        "election": fresh_id(draw, state, "election"),
        "country": maybe(draw, lambda: draw(_countries)),
        "office": maybe(draw, lambda: draw(_offices)),
        "scheduled_for": maybe(draw, lambda: _later(draw, day)),
        "runoff_of": choice(draw, held) if len(held) > 0 and draw(_booleans) else None,
        "rerun_of": choice(draw, annulled) if len(annulled) > 0 and draw(_booleans) else None,
    }


def _pool(state: CrisisState, links: Sequence[str | None], barred: Sequence[str]) -> list[str]:
    pool = [a for a in state.actors if a not in barred]
    for linked in links:
        if linked is not None:
            earlier = state.elections[linked].candidates
            pool = [a for a in pool if a in earlier]
    return pool


@_strategy(ElectionHeld, when=lambda s: bool(s.actors))
def _election_held(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    called = [k for k, e in items_of(state.elections) if not e.held
              and _pool(state, (e.runoff_of, e.rerun_of), e.disqualified)]
    fields: dict[str, Any] = {"country": maybe(draw, lambda: draw(_countries)),
                              "office": maybe(draw, lambda: draw(_offices))}
    if len(called) > 0 and draw(_booleans):
        election = state.elections[choice(draw, called)]
        pool = _pool(state, (election.runoff_of, election.rerun_of), election.disqualified)
        fields["election"] = election.id
    else:
        held, annulled = _held(state), _annulled(state)
        runoff = choice(draw, held) if len(held) > 0 and draw(_booleans) else None
        rerun = choice(draw, annulled) if len(annulled) > 0 and draw(_booleans) else None
        pool = _pool(state, (runoff, rerun), ())
        if not pool:
            runoff = rerun = None
            pool = list(state.actors)
        fields.update(election=fresh_id(draw, state, "election"), runoff_of=runoff,
                      rerun_of=rerun)
    fields["candidates"] = subset(draw, pool, min_size=1, max_size=4)
    return fields


def _not_held(state: CrisisState) -> list[str]:
    return [k for k, e in items_of(state.elections) if not e.held]


@_strategy(ElectionRescheduled,
           when=lambda s: any(not e.held for e in values_of(s.elections)))
def _rescheduled(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    day, precision = draw_date(draw, state.as_of)
    return {"occurred_on": day, "precision": precision,
            "election": choice(draw, _not_held(state)),
            "by": maybe(draw, lambda: choice(draw, list(state.actors))) if state.actors else None,
            "to": maybe(draw, lambda: _later(draw, day)), "reason": _text(draw)}


# -- counting, declaring, disputing -------------------------------------------------------------


@_strategy(CountReported, when=lambda s: bool(s.actors) and _any_held(s))
def _count(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election = choice(draw, _held(state))
    candidates = state.elections[election].candidates
    return {"election": election, "by": choice(draw, list(state.actors)),
            "kind": choice(draw, members(CountKind)),
            "shares": draw_shares(draw, candidates), "seats": _seats(draw, None, candidates),
            "counted": maybe(draw, lambda: _int(draw, 0, 1000) / 10)}


@_strategy(ElectionDeclared, when=_any_held)
def _declared(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election = choice(draw, _held(state))
    candidates = state.elections[election].candidates
    winner = choice(draw, candidates)
    return {"election": election, "winner": winner,
            "shares": _leading(draw, winner, candidates),
            "seats": _seats(draw, winner, candidates)}


@_strategy(ResultDisputed, when=_any_held)
def _disputed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election = choice(draw, _held(state))
    candidates = state.elections[election].candidates
    return {"election": election,
            "claimed_winner": maybe(draw, lambda: choice(draw, candidates)),
            "shares": draw_shares(draw, candidates), "grounds": _text(draw)}


@_strategy(FraudAlleged, when=lambda s: bool(s.elections and s.actors))
def _fraud(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    actors = list(state.actors)
    return {"election": choice(draw, list(state.elections)), "by": choice(draw, actors),
            "against": maybe(draw, lambda: choice(draw, actors)), "grounds": _text(draw)}


# -- withdrawing, conceding, annulling ----------------------------------------------------------


def _may_withdraw(state: CrisisState) -> list[tuple[str, str]]:
    out = []
    for k, e in items_of(state.elections):
        pool = e.candidates if e.held else tuple(state.actors)
        out += [(k, c) for c in pool if c not in e.withdrawn and c not in e.disqualified]
    return out


@per_state
def _can_withdraw(state: CrisisState) -> bool:
    for e in values_of(state.elections):
        if not e.withdrawals and not e.disqualified and (e.candidates or not e.held):
            return bool(state.actors) or e.held
    return bool(_may_withdraw(state))


@_strategy(CandidateWithdrew, when=_can_withdraw)
def _withdrew(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election, candidate = choice(draw, _may_withdraw(state))
    e = state.elections[election]
    others = [c for c in (e.candidates if e.held else state.actors) if c != candidate]
    endorses = maybe(draw, lambda: choice(draw, others)) if others else None
    return {"election": election, "candidate": candidate, "endorses": endorses,
            "reason": _text(draw)}


def _may_concede(state: CrisisState) -> list[tuple[str, str]]:
    return [(k, c) for k in _held(state) for c in state.elections[k].candidates
            if c not in state.elections[k].conceded]


@per_state(reads="elections")
def _can_concede(state: CrisisState) -> bool:
    if any(e.held and len(e.concessions) < len(e.candidates) for e in values_of(state.elections)):
        return True
    return bool(_may_concede(state))


@_strategy(CandidateConceded, when=_can_concede)
def _conceded(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election, candidate = choice(draw, _may_concede(state))
    others = [c for c in state.elections[election].candidates if c != candidate]
    return {"election": election, "candidate": candidate,
            "to": maybe(draw, lambda: choice(draw, others)) if others else None}


def _conceded_now(state: CrisisState) -> list[tuple[str, str]]:
    return [(k, c) for k, e in items_of(state.elections) for c in e.conceded]


@per_state(reads="elections")
def _can_retract(state: CrisisState) -> bool:
    return any(not c.retracted for e in values_of(state.elections) for c in e.concessions.values())


@_strategy(ConcessionRetracted, when=_can_retract)
def _retracted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election, candidate = choice(draw, _conceded_now(state))
    return {"election": election, "candidate": candidate, "reason": _text(draw)}


def _annullable(state: CrisisState) -> list[str]:
    return [k for k in _held(state) if not state.elections[k].annulled]


@per_state
def _can_annul(state: CrisisState) -> bool:
    return bool(state.actors) and any(e.held and e.candidates and not e.annulled
                                      for e in values_of(state.elections))


@_strategy(ElectionAnnulled, when=_can_annul)
def _annul(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"election": choice(draw, _annullable(state)),
            "by": choice(draw, list(state.actors)), "grounds": _text(draw),
            "districts": () if draw(_booleans) else subset(draw, _DISTRICTS, min_size=1)}
