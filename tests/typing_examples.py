"""Code written as a user would, checked by ``mypy --strict`` in CI (typing is tested).

Not a test module: ``.ci/run`` type-checks it, and ``tests/test_reducer.py`` runs it.
"""

from __future__ import annotations

import datetime as dt

import attrs

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    AmnestyProposed,
    ChargesFiled,
    ElectionDeclared,
    ElectionHeld,
    PeopleDetained,
    PrisonersReleased,
)

DAY = dt.date(2024, 7, 28)

log: list[cm.Event] = [
    ActorIntroduced(occurred_on=DAY, actor="m", name="M", kind=cm.ActorKind.PERSON,
                    offices=("president",), sources=("report-a",)),
    ActorIntroduced(occurred_on=DAY, actor="g", name="G", kind=cm.ActorKind.PERSON,
                    offices=["deputy"]),
    ElectionHeld(occurred_on=DAY, election="e", candidates=("m", "g")),
    ElectionDeclared(occurred_on=DAY, election="e", authority="m", winner="m",
                     shares={"m": 52.0}),
    ChargesFiled(occurred_on=DAY, person="g", charges=("conspiracy",)),
    PeopleDetained(occurred_on=DAY, persons=("g",)),
    PrisonersReleased(occurred_on=DAY, persons=("g",), conditional=True,
                      conditions=["monthly hearing"]),
    AmnestyProposed(occurred_on=DAY, offer="o", by="g", to=("m",), conditions=("resign",)),
]

state: cm.CrisisState = cm.replay(log, strict=True)
lenient: tuple[cm.CrisisState, list[cm.Anomaly]] = cm.replay(log, strict=False)
shares: float = state.elections["e"].declarations["m"].shares["m"]
history = cm.History(log)
as_of: cm.CrisisState = history.state_at(DAY)
problems: list[cm.Problem] = cm.check(state, log[0])


@cm.event_type("typing.example")
@attrs.frozen(kw_only=True)
class Example(cm.Event):
    """A user's event type."""

    who: str = cm.ref("actor")
    tags: tuple[str, ...] = attrs.field(default=(), converter=cm.events.strings)


@cm.handler(Example)
def _apply(state: cm.CrisisState, e: Example) -> cm.CrisisState:
    return state.with_actor(e.who, location="here")


@cm.rule(Example)
def no_empty_tags(state: cm.CrisisState, e: Example) -> str | None:
    return None if all(e.tags) else "tags are not blank"


example = Example(occurred_on=DAY, who="m", tags=["a"])
