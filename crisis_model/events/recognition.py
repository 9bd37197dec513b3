"""Recognition: who recognises whom as an election's winner, and on what conditions."""

from __future__ import annotations

import attrs

from .._draft import Draft
from .._event import Event, ref
from ..reducer import event_type, handler, rule
from ..state import CrisisState, Stance, StanceKind
from .elections import vote_held

__all__ = ["RecognitionWithheld", "ResultRejected", "TransparencyDemanded", "WinnerRecognized"]


@event_type("recognition.granted", version=1)
@attrs.frozen(kw_only=True)
class WinnerRecognized(Event):
    """An actor (typically a foreign government) recognises a candidate as the winner."""

    by: str = ref("actor")
    election: str = ref("election")
    winner: str = ref("actor")


@event_type("recognition.withheld", version=1)
@attrs.frozen(kw_only=True)
class RecognitionWithheld(Event):
    """An actor declines to recognise any result until a condition is met."""

    by: str = ref("actor")
    election: str = ref("election")
    condition: str = ""


@event_type("recognition.rejected", version=1)
@attrs.frozen(kw_only=True)
class ResultRejected(Event):
    """An actor rejects the declared result outright."""

    by: str = ref("actor")
    election: str = ref("election")


@event_type("recognition.transparency_demanded", version=1)
@attrs.frozen(kw_only=True)
class TransparencyDemanded(Event):
    """An actor demands that another publish verifiable results of an election."""

    by: str = ref("actor")
    of: str = ref("actor")
    election: str = ref("election")


rule(WinnerRecognized, RecognitionWithheld, ResultRejected, name="vote-held")(vote_held)


@rule(WinnerRecognized)
def recognised_is_candidate(state: CrisisState, e: WinnerRecognized) -> str | None:
    if e.winner not in state.elections[e.election].candidates:
        return f"recognised winner {e.winner!r} is not a candidate in election {e.election!r}"
    return None


@rule(TransparencyDemanded)
def distinct_parties(state: CrisisState, e: TransparencyDemanded) -> str | None:
    if e.by == e.of:
        return f"{e.by!r} cannot demand transparency of itself"
    return None


def _stance(draft: Draft, by: str, election: str, stance: Stance) -> None:
    actor = draft.edit_actor(by)
    actor.stances = actor.stances.set(election, stance)


@handler(WinnerRecognized)
def _recognized(draft: Draft, e: WinnerRecognized) -> None:
    stance = Stance(StanceKind.RECOGNISES, e.winner, None, e.occurred_on, e.precision)
    _stance(draft, e.by, e.election, stance)


@handler(RecognitionWithheld)
def _withheld(draft: Draft, e: RecognitionWithheld) -> None:
    stance = Stance(StanceKind.WITHHOLDS, None, e.condition or None, e.occurred_on, e.precision)
    _stance(draft, e.by, e.election, stance)


@handler(ResultRejected)
def _rejected(draft: Draft, e: ResultRejected) -> None:
    stance = Stance(StanceKind.REJECTS, None, None, e.occurred_on, e.precision)
    _stance(draft, e.by, e.election, stance)


@handler(TransparencyDemanded)
def _demanded(draft: Draft, e: TransparencyDemanded) -> None:
    demand = (e.by, e.of)
    if demand not in draft.elections[e.election].transparency_demands:
        election = draft.edit_election(e.election)
        election.transparency_demands = (*election.transparency_demands, demand)
