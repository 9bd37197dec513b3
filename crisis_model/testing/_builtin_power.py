"""State-aware strategies for the power vocabulary: offices (claims, new terms, seizures)
and recognition (of winners, holders, representatives; withheld, refused, withdrawn).

Each returns ``None`` when no event of its type makes sense in the state, and
otherwise draws every field the rules constrain, so generated logs stay
admissible.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from ..events import (
    ClaimBasis,
    Event,
    HolderRecognized,
    OfficeAssumed,
    OfficeSeized,
    OfficeVacated,
    RecognitionRefused,
    RecognitionWithdrawn,
    RecognitionWithheld,
    RepresentativeRecognized,
    ResultRejected,
    TransparencyDemanded,
    WinnerRecognized,
)
from ..events.recognition import SLICE as RECOGNITIONS
from ..events.recognition import Recognitions, RecognitionStatus, _standing
from ..state import ActorKind, CrisisState, StanceKind, VacatedReason
from ._builtin import _text
from ._strategies import (
    _OFFICES,
    _booleans,
    _Builder,
    _countries,
    _int,
    choice,
    items_of,
    maybe,
    members,
    per_state,
    register_event_strategy,
    subset,
)

__all__: list[str] = []

Build = Callable[[st.DrawFn, CrisisState], Mapping[str, Any]]
_ALL_OFFICES = (*_OFFICES, "interim_president", "head_of_state")


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


#: Kinds of actor that hold offices (persons; bodies where the office is collective).
_HOLDER_KINDS = frozenset({ActorKind.PERSON, ActorKind.GOVERNMENT, ActorKind.COUNCIL,
                           ActorKind.LEGISLATURE})


@per_state(reads="actors")
def _eligible(state: CrisisState) -> list[str]:
    """Actors that may hold an office."""
    return [k for k, a in items_of(state.actors) if a.kind in _HOLDER_KINDS]


def _joint(draw: st.DrawFn, actors: list[str]) -> str | tuple[str, ...] | None:
    """``None``, one actor, or several acting together."""
    if not actors or _int(draw, 0, 2) == 0:
        return None
    if draw(_booleans):
        return choice(draw, actors)
    return subset(draw, actors, min_size=1, max_size=3)


@per_state(reads="elections")
def _held(state: CrisisState) -> list[str]:
    return [k for k, e in items_of(state.elections) if e.held and e.candidates]


@per_state(reads="actors")
def _holdings(state: CrisisState) -> list[tuple[str, str]]:
    """``(actor, office)`` for every office an actor claims now."""
    return [(k, o) for k, a in items_of(state.actors) for o in a.offices]


# -- offices ----------------------------------------------------------------------------------


@_strategy(OfficeAssumed, when=lambda s: bool(_eligible(s)))
def _assumed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person = choice(draw, _eligible(state))
    held = state.actors[person].offices
    free = [o for o in _ALL_OFFICES if o not in held]
    new_term = bool(held) and (not free or _int(draw, 0, 3) == 0)
    basis = maybe(draw, lambda: choice(draw, members(ClaimBasis)))
    by = _joint(draw, _actors(state))
    if basis is ClaimBasis.PARALLEL and by is None:
        by = choice(draw, _actors(state))
    return {"person": person, "office": choice(draw, held if new_term else free),
            "basis": basis, "by": by, "new_term": new_term}


@_strategy(OfficeVacated, when=lambda s: bool(_holdings(s)))
def _vacated(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person, office = choice(draw, _holdings(state))
    return {"person": person, "office": office, "reason": choice(draw, members(VacatedReason)),
            "by": _joint(draw, _actors(state)), "pressured_by": _joint(draw, _actors(state)),
            "contested": _int(draw, 0, 3) == 0}


@per_state(reads="actors")
def _seizable(state: CrisisState) -> list[tuple[str, str]]:
    """``(actor, office)`` for every office an actor could seize (one it does not hold)."""
    return [(k, o) for k, a in items_of(state.actors) if a.kind in _HOLDER_KINDS
            for o in _ALL_OFFICES if o not in a.offices]


@_strategy(OfficeSeized, when=lambda s: bool(_seizable(s)))
def _seized(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    actors = _actors(state)
    holder, office = choice(draw, _seizable(state))
    by: str | tuple[str, ...]
    if draw(_booleans):
        by, named = holder, maybe(draw, lambda: holder)
    else:
        by, named = subset(draw, actors, min_size=1, max_size=3), holder
    ousted = subset(draw, [a for a in actors
                           if a != holder and office in state.actors[a].offices])
    return {"by": by, "office": office, "holder": named, "ousted": ousted}


# -- recognition ------------------------------------------------------------------------------


def _subject(draw: st.DrawFn, state: CrisisState) -> dict[str, Any]:
    """One subject (an election held, an office, a country) and maybe a claimant of it."""
    kinds = ["office", "country"] + (["election"] if _held(state) else [])
    kind = choice(draw, kinds)
    if kind == "election":
        election = choice(draw, _held(state))
        actor = maybe(draw, lambda: choice(draw, list(state.elections[election].candidates)))
        return {"election": election, "office": None, "country": None, "actor": actor}
    if kind == "office":
        holdings = _holdings(state)
        if draw(_booleans) and holdings:
            actor, office = choice(draw, holdings)
            return {"election": None, "office": office, "country": None, "actor": actor}
        return {"election": None, "office": choice(draw, _ALL_OFFICES), "country": None,
                "actor": None}
    return {"election": None, "office": None, "country": draw(_countries),
            "actor": maybe(draw, lambda: choice(draw, _actors(state)))}


@_strategy(WinnerRecognized, when=lambda s: bool(_held(s)))
def _recognized(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    election = choice(draw, _held(state))
    return {"election": election,
            "winner": choice(draw, list(state.elections[election].candidates))}


@_strategy(HolderRecognized, when=lambda s: len(s.actors) >= 2 and bool(_holdings(s)))
def _holder(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    actor, office = choice(draw, _holdings(state))
    others = [a for a in state.actors if a != actor]
    return {"by": choice(draw, others), "actor": actor, "office": office}


@_strategy(RepresentativeRecognized, when=lambda s: len(s.actors) >= 2)
def _representative(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    by, actor = subset(draw, _actors(state), min_size=2, max_size=2)
    return {"by": by, "actor": actor, "country": draw(_countries)}


@_strategy(RecognitionWithheld, when=lambda s: bool(s.actors))
def _recognition_withheld(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"by": choice(draw, _actors(state)), **_subject(draw, state),
            "condition": _text(draw)}


@_strategy(RecognitionRefused, when=lambda s: bool(s.actors))
def _recognition_refused(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"by": choice(draw, _actors(state)), **_subject(draw, state),
            "grounds": _text(draw)}


@_strategy(ResultRejected, when=lambda s: bool(_held(s)))
def _result_rejected(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"election": choice(draw, _held(state))}


@per_state
def _in_force(state: CrisisState) -> list[dict[str, Any]]:
    """Every recognition in force: whom to withdraw it from, and about what."""
    book: Recognitions | None = state.slices.get(RECOGNITIONS)
    fields = {"winner": "election", "holder": "office", "representative": "country"}
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for (of, subject), entries in (book.entries.items() if book is not None else ()):
        for by, standing in _standing(entries).items():
            found[(by, of.value, subject)] = {}  # a position is known: no stance fallback
            for _, entry in standing.values():
                if entry.status is RecognitionStatus.RECOGNISES:
                    found[(by, of.value, subject)] = {
                        "by": by, "actor": entry.actor, "election": None, "office": None,
                        "country": None, fields[of.value]: subject}
    for k, a in items_of(state.actors):  # stances from before the history was kept
        for election, stance in a.stances.items():
            key = (k, "winner", election)
            if stance.kind is StanceKind.RECOGNISES and key not in found:
                found[key] = {"by": k, "actor": stance.winner, "election": election,
                              "office": None, "country": None}
    return [f for f in found.values() if f]


@_strategy(RecognitionWithdrawn, when=lambda s: bool(_in_force(s)))
def _withdrawn(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    fields = dict(choice(draw, _in_force(state)))
    if draw(_booleans):
        fields["actor"] = None
    return {**fields, "grounds": _text(draw)}


@_strategy(TransparencyDemanded, when=lambda s: len(s.actors) >= 2 and bool(s.elections))
def _transparency(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    by, of = subset(draw, _actors(state), min_size=2, max_size=2)
    return {"by": by, "of": of}
