"""State-aware strategies for mediation and agreements (:mod:`crisis_model.events.agreements`).

Registered with the public hook :func:`crisis_model.testing.register_event_strategy`
(through the same ``_strategy`` helper as ``_builtin``).  Each draws only events the
rules admit in the state it is given: mediators and ratifiers of the kinds
:data:`crisis_model.events.kinds.CAN` allows, two or more distinct parties, and later
steps only on mediations still going and agreements not collapsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from .._place import Place
from ..events.agreements import (
    AgreementBreached,
    AgreementCollapsed,
    AgreementImplemented,
    AgreementRatified,
    AgreementSigned,
    MediationEnded,
    MediationOutcome,
    MediationRound,
    MediationStarted,
    agreements,
)
from ..state import CrisisState
from ._builtin import _able, _strategy, _text
from ._strategies import (
    _booleans,
    _places,
    choice,
    fresh_id,
    maybe,
    members,
    per_state,
    subset,
)

__all__: list[str] = []

_PROVISIONS = ("power sharing", "a coalition government", "a truth commission",
               "a ceasefire", "new elections", "an amnesty", "constitutional reform")


def _place(draw: st.DrawFn) -> Place | None:
    return maybe(draw, lambda: Place(draw(_places)))


def _one_or_more(draw: st.DrawFn, ids: list[str]) -> str | tuple[str, ...]:
    chosen = subset(draw, ids, min_size=1, max_size=3)
    return chosen[0] if len(chosen) == 1 and draw(_booleans) else chosen


@per_state
def _can_mediate(state: CrisisState) -> bool:
    return len(state.actors) >= 3 and bool(_able(state, "mediate"))


@_strategy(MediationStarted, when=_can_mediate)
def _started(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    go_betweens = _able(state, "mediate")
    # keep two actors free to be the parties
    mediators = _one_or_more(draw, go_betweens[:max(1, len(state.actors) - 2)])
    acting = (mediators,) if isinstance(mediators, str) else mediators
    others = [a for a in state.actors if a not in acting]
    return {"mediation": fresh_id(draw, state, "mediation"), "mediators": mediators,
            "parties": subset(draw, others, min_size=2, max_size=3), "subject": _text(draw),
            "place": _place(draw)}


@per_state
def _ongoing(state: CrisisState) -> list[str]:
    return [k for k, m in agreements(state).mediations.items() if m.ongoing]


@_strategy(MediationRound, when=lambda s: bool(_ongoing(s)))
def _round(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    key = choice(draw, _ongoing(state))
    go_betweens = _able(state, "mediate")
    by = maybe(draw, lambda: _one_or_more(draw, go_betweens)) if go_betweens else None
    acting = () if by is None else (by,) if isinstance(by, str) else by
    parties = [a for a in agreements(state).mediations[key].parties if a not in acting]
    return {"mediation": key, "by": by, "met": subset(draw, parties, max_size=3),
            "place": _place(draw), "outcome": _text(draw)}


@_strategy(MediationEnded, when=lambda s: bool(_ongoing(s)))
def _ended(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    key = choice(draw, _ongoing(state))
    outcome = choice(draw, members(MediationOutcome))
    signed = [a for a in agreements(state).mediations[key].agreements]
    agreement = None
    if outcome is MediationOutcome.AGREEMENT and signed:
        agreement = maybe(draw, lambda: choice(draw, signed))
    return {"mediation": key, "outcome": outcome, "agreement": agreement,
            "detail": _text(draw)}


@_strategy(AgreementSigned, when=lambda s: len(s.actors) >= 2)
def _signed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    ongoing = _ongoing(state)
    mediation = maybe(draw, lambda: choice(draw, ongoing)) if ongoing else None
    if mediation is not None:
        m = agreements(state).mediations[mediation]
        pool = list(m.parties)
    else:
        pool = list(state.actors)
    parties = subset(draw, pool, min_size=2, max_size=3)
    rest = [a for a in state.actors if a not in parties]
    go_betweens = [a for a in _able(state, "mediate") if a not in parties]
    mediated_by = (maybe(draw, lambda: _one_or_more(draw, go_betweens))
                   if go_betweens else None)
    return {"agreement": fresh_id(draw, state, "agreement"), "title": _text(draw),
            "parties": parties, "mediated_by": mediated_by,
            "witnesses": subset(draw, rest, max_size=2),
            "provisions": subset(draw, list(_PROVISIONS), max_size=3), "place": _place(draw),
            "mediation": mediation}


@per_state
def _alive(state: CrisisState) -> list[str]:
    return [k for k, a in agreements(state).agreements.items() if not a.collapsed]


@per_state
def _ratifiable(state: CrisisState) -> list[tuple[str, list[str]]]:
    bodies = _able(state, "ratify")
    table = agreements(state).agreements
    pairs = [(k, [b for b in bodies if b not in table[k].ratified_by]) for k in _alive(state)]
    return [(k, free) for k, free in pairs if free]


@_strategy(AgreementRatified, when=lambda s: bool(_alive(s)) and bool(_ratifiable(s)))
def _ratified(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    key, free = choice(draw, _ratifiable(state))
    return {"agreement": key, "by": _one_or_more(draw, free), "detail": _text(draw)}


def _maybe_actors(draw: st.DrawFn, state: CrisisState) -> str | tuple[str, ...] | None:
    ids = list(state.actors)
    return maybe(draw, lambda: _one_or_more(draw, ids)) if ids else None


@_strategy(AgreementImplemented, when=lambda s: bool(_alive(s)))
def _implemented(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"agreement": choice(draw, _alive(state)),
            "what": choice(draw, ["coalition cabinet sworn in", "commission set up",
                                  "prisoners freed", "troops withdrawn"]),
            "by": _maybe_actors(draw, state)}


@_strategy(AgreementBreached, when=lambda s: bool(_alive(s)))
def _breached(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    by = _maybe_actors(draw, state)
    acting = () if by is None else (by,) if isinstance(by, str) else by
    others = [a for a in state.actors if a not in acting]
    alleged_by = maybe(draw, lambda: _one_or_more(draw, others)) if others else None
    return {"agreement": choice(draw, _alive(state)), "what": _text(draw), "by": by,
            "alleged_by": alleged_by}


@_strategy(AgreementCollapsed, when=lambda s: bool(_alive(s)))
def _collapsed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"agreement": choice(draw, _alive(state)), "declared_by": _maybe_actors(draw, state),
            "reason": _text(draw)}
