"""State-aware strategies for the built-in event types whose rules are tight.

Registered with the same public hook users have,
:func:`crisis_model.testing.register_event_strategy`.  Each returns ``None``
when no event of its type makes sense in the state, and otherwise draws only
the fields its rules constrain; the rest are filled in generically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from ..events import (
    ActorIntroduced,
    AmnestyAccepted,
    AmnestyProposed,
    AmnestyRejected,
    AmnestyWithdrawn,
    AuditConcluded,
    AuditOpened,
    CandidateDisqualified,
    DataWithheld,
    Event,
    ObserverAssessed,
    RecordReported,
)
from ..events.kinds import CAN
from ..state import ActorKind, AuditStatus, CrisisState, DataStatus
from ._strategies import (
    _OFFICES,
    _booleans,
    _Builder,
    _countries,
    _int,
    _names,
    _places,
    _texts,
    choice,
    fresh_id,
    items_of,
    kinds_in,
    maybe,
    members,
    per_state,
    register_event_strategy,
    subset,
)

__all__: list[str] = []

Build = Callable[[st.DrawFn, CrisisState], Mapping[str, Any]]


def _strategy(
    cls: type[Event], when: Callable[[CrisisState], bool] = lambda state: True
) -> Callable[[Build], Build]:
    """Register ``build(draw, state) -> fields`` for ``cls``, used when ``when(state)`` holds."""

    def decorate(build: Build) -> Build:
        register_event_strategy(cls, _Builder(build, when))
        return build

    return decorate


def _actors(state: CrisisState) -> list[str]:
    return list(state.actors)


@per_state(reads="actors")
def _able(state: CrisisState, can: str) -> list[str]:
    """The actors whose kind has capability ``can`` (see :mod:`crisis_model.events.kinds`)."""
    kinds = kinds_in(CAN[can])
    return [k for k, a in items_of(state.actors) if a.kind in kinds]


@per_state(reads="actors")
def _living(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.death is None]


@per_state(reads="elections")
def _held(state: CrisisState) -> list[str]:
    return [k for k, e in items_of(state.elections) if e.held and e.candidates]


def _text(draw: st.DrawFn) -> str:
    return "" if draw(_booleans) else draw(_texts)


# -- actors and elections ---------------------------------------------------------------------


@_strategy(ActorIntroduced)
def _introduced(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {
        "actor": fresh_id(draw, state, "actor"),
        "name": draw(_names),
        "kind": (kind := choice(draw, members(ActorKind))),
        "country": maybe(draw, lambda: draw(_countries)),
        "affiliation": maybe(draw, lambda: choice(draw, _actors(state))) if state.actors else None,
        "offices": (subset(draw, _OFFICES, max_size=2) if kind in kinds_in(CAN["hold-office"])
                    else ()),
        "location": maybe(draw, lambda: draw(_places)),
    }


@per_state
def _disqualifiable(state: CrisisState) -> list[tuple[str, str]]:
    return [(k, a) for k, e in items_of(state.elections) for a in state.actors
            if a not in e.disqualified]


@_strategy(CandidateDisqualified, when=lambda s: bool(_disqualifiable(s)))
def _disqualified(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election, candidate = choice(draw, _disqualifiable(state))
    return {"election": election, "candidate": candidate, "grounds": _text(draw)}


def _result(draw: st.DrawFn, state: CrisisState, elections: list[str]) -> tuple[str, list[str]]:
    election = choice(draw, elections)
    return election, list(state.elections[election].candidates)


@_strategy(ObserverAssessed, when=lambda s: bool(_held(s)))
def _assessed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election, candidates = _result(draw, state, _held(state))
    return {"election": election, "favours": maybe(draw, lambda: choice(draw, candidates))}


@_strategy(AuditOpened, when=lambda s: bool(s.elections and s.actors))
def _audit_opened(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election = choice(draw, list(state.elections))
    audits = state.elections[election].audits
    n = len(audits) + _int(draw, 0, 2)
    while f"audit{n}" in audits:
        n += 1
    return {"election": election, "audit": f"audit{n}"}


@per_state(reads="elections")
def _open_audits(state: CrisisState) -> list[tuple[str, str]]:
    return [(k, a) for k, e in items_of(state.elections) for a, audit in e.audits.items()
            if audit.status is AuditStatus.OPEN]


@_strategy(AuditConcluded, when=lambda s: bool(_open_audits(s)))
def _audit_concluded(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election, audit = choice(draw, _open_audits(state))
    candidates = list(state.elections[election].candidates)
    upholds = maybe(draw, lambda: choice(draw, candidates)) if candidates else None
    return {"election": election, "audit": audit, "upholds": upholds, "finding": _text(draw)}


@per_state(reads="elections")
def _undisclosed(state: CrisisState) -> list[str]:
    return [k for k, e in items_of(state.elections) if e.data is not DataStatus.DISCLOSED]


@_strategy(DataWithheld, when=lambda s: bool(_undisclosed(s) and s.actors))
def _data_withheld(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"election": choice(draw, _undisclosed(state))}


# -- justice (detention, release and movement: see _builtin_people.py; office and recognition:
# _builtin_power.py) ----------------------------------------------------------------------------


@_strategy(AmnestyProposed, when=lambda s: bool(s.actors))
def _amnesty_proposed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    informal = [k for k, o in items_of(state.offers) if o.pending and not o.formal]
    formalise = bool(informal) and draw(_booleans)
    offer = choice(draw, informal) if formalise else fresh_id(draw, state, "offer")
    old = state.offers.get(offer)
    people = _actors(state)
    return {
        "offer": offer,
        "by": old.by if old is not None else choice(draw, people),
        "to": subset(draw, people, min_size=1),
        "beneficiaries": subset(draw, people),
        "conditions": _conditions(draw),
        "formal": True if old is not None else draw(_booleans),
    }


def _conditions(draw: st.DrawFn) -> tuple[str, ...]:
    return tuple(draw(_texts) for _ in range(_int(draw, 0, 2)))


@per_state(reads="offers")
def _pending(state: CrisisState) -> list[str]:
    return [k for k, o in items_of(state.offers) if o.pending]


@_strategy(AmnestyAccepted, when=lambda s: bool(_pending(s)))
def _amnesty_accepted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    offer = choice(draw, _pending(state))
    return {"offer": offer, "by": choice(draw, state.offers[offer].to)}


@_strategy(AmnestyRejected, when=lambda s: bool(_pending(s)))
def _amnesty_rejected(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    offer = choice(draw, _pending(state))
    return {"offer": offer, "by": choice(draw, state.offers[offer].to)}


@_strategy(AmnestyWithdrawn, when=lambda s: bool(_pending(s)))
def _amnesty_withdrawn(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    offer = choice(draw, _pending(state))
    return {"offer": offer, "by": state.offers[offer].by}




# -- reported records -------------------------------------------------------------------------


@_strategy(RecordReported)
def _reported(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    counts = sorted(_int(draw, 0, 500) for _ in range(3))
    shown = [None if _int(draw, 0, 3) == 3 else c for c in counts]
    actors = _actors(state)
    return {
        "dataset": choice(draw, ["acled", "gdelt", "plover", "ucdp"]),
        "code": choice(draw, ["Battles/Armed clash", "051", "AGREE", "2"]),
        "record_id": _text(draw),
        "text": _text(draw),
        "actors": subset(draw, actors, max_size=2) if actors else (),
        "targets": subset(draw, actors, max_size=2) if actors else (),
        "ends_on": None,
        "deaths_low": shown[0], "deaths_best": shown[1], "deaths_high": shown[2],
    }
