"""Statements: what an actor says in public (an announcement, an ultimatum, an appeal, a
threat, a denial), about whom, in our own words.

A statement changes nothing else in the state: it records who said what, when, about whom.
The state keeps every statement, per speaker and in order, in the slice ``"statements"``
(:func:`statements`; :func:`statements_about` finds those about an actor).

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, StatementMade
>>> day = dt.date(2024, 8, 5)
>>> log = [ActorIntroduced(occurred_on=day, actor="army-chief", name="Army chief",
...                        kind=cm.ActorKind.PERSON),
...        ActorIntroduced(occurred_on=day, actor="pm", name="Prime minister",
...                        kind=cm.ActorKind.PERSON),
...        StatementMade(occurred_on=day, speaker="army-chief", kind="announcement",
...                      about=["pm"], says="the prime minister has resigned")]
>>> [s.says for s in statements_about(cm.replay(log), "pm")]
['the prime minister has resigned']
>>> cm.describe(log[-1])
'army-chief announces, about pm: the prime minister has resigned'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref, strings
from .._frozenmap import FrozenMap
from .._place import Place
from .._summary import summarizer
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState
from ._plain import Name, day, day_json, names

__all__ = [
    "STATEMENTS",
    "Statement",
    "StatementKind",
    "StatementMade",
    "statements",
    "statements_about",
]

#: The name of the slice that holds every statement, by speaker.
STATEMENTS = "statements"

_NONE: FrozenMap[Any, Any] = FrozenMap()


class StatementKind(enum.Enum):
    """What kind of public statement."""

    #: Makes something known (a resignation, a decision, a new government).
    ANNOUNCEMENT = "announcement"
    #: A demand with a deadline or a consequence.
    ULTIMATUM = "ultimatum"
    #: A call on others to act (calm, restraint, a handover).
    APPEAL = "appeal"
    THREAT = "threat"
    #: Says a report or an accusation is false.
    DENIAL = "denial"
    OTHER = "other"


_VERBS = {StatementKind.ANNOUNCEMENT: "announces", StatementKind.ULTIMATUM: "issues an ultimatum",
          StatementKind.APPEAL: "appeals", StatementKind.THREAT: "threatens",
          StatementKind.DENIAL: "denies", StatementKind.OTHER: "says"}


@attrs.frozen(weakref_slot=False)
class Statement:
    """One public statement, as the state keeps it."""

    #: Who made it (several for a joint statement).
    speakers: tuple[str, ...]
    #: What kind of statement.
    kind: StatementKind
    #: What it says, in our own words.
    says: str
    #: The actors it is about.
    about: tuple[str, ...] = ()
    #: How it was made ("televised address", "communiqué"), if reported.
    medium: str = ""
    #: The deadline it sets (an ultimatum), if any.
    deadline: _dt.date | None = None
    #: When it was made, and how precisely that is known.
    on: _dt.date | None = None
    precision: Precision = Precision.DAY
    #: Where it was made, if reported.
    place: Place | None = None
    #: The source ids the event cites.
    sources: tuple[str, ...] = ()


def statements(state: CrisisState | Draft) -> FrozenMap[str, tuple[Statement, ...]]:
    """Every statement in ``state``, by speaker (a joint statement is filed under each
    speaker), in the order they were made."""
    value: FrozenMap[str, tuple[Statement, ...]] = state.slices.get(STATEMENTS, _NONE)
    return value


def statements_about(state: CrisisState, actor: str) -> tuple[Statement, ...]:
    """The statements about ``actor`` (each once, a joint one included), speaker by speaker."""
    seen: dict[int, Statement] = {}
    for made in statements(state).values():
        for s in made:
            if actor in s.about:
                seen.setdefault(id(s), s)
    return tuple(seen.values())


@event_type("statement.made", version=1)
@attrs.frozen(kw_only=True)
class StatementMade(Event):
    """``speaker`` (one actor or several, jointly) makes a public statement of ``kind``
    about ``about``; ``says`` is its gist in our own words.  ``medium``: how it was made
    ("televised address"); ``deadline``: the deadline an ultimatum sets."""

    speaker: str | tuple[str, ...] = ref("actor", converter=joint)
    kind: StatementKind = attrs.field(default=StatementKind.OTHER, converter=StatementKind)
    about: tuple[str, ...] = ref("actor", default=(), converter=strings)
    says: str = ""
    medium: str = ""
    deadline: _dt.date | None = None
    place: Place | None = None


@rule(StatementMade)
def statement_says(state: CrisisState, e: StatementMade) -> str | None:
    if not e.says.strip():
        return "a statement says something: give its gist in says"
    return None


@rule(StatementMade)
def speaker_alive(state: CrisisState, e: StatementMade) -> list[str] | None:
    actors = state.actors
    deaths = [(a, actors[a].death) for a in dict.fromkeys(actors_of(e.speaker))]
    return [f"{a!r} died on {d.on}: the dead make no statement"
            for a, d in deaths if d is not None] or None


@rule(StatementMade)
def statement_about_once(state: CrisisState, e: StatementMade) -> str | None:
    twice = sorted({a for a in e.about if e.about.count(a) > 1})
    if twice:
        return f"about names {', '.join(repr(a) for a in twice)} more than once"
    return None


@rule(StatementMade)
def deadline_after_statement(state: CrisisState, e: StatementMade) -> str | None:
    if e.deadline is not None and e.deadline < e.occurred_on:
        return (f"the deadline {e.deadline.isoformat()} is before the statement itself "
                f"({e.occurred_on})")
    return None


@handler(StatementMade)
def _made(draft: Draft, e: StatementMade) -> None:
    speakers = actors_of(e.speaker)
    s = Statement(speakers, e.kind, e.says, e.about, e.medium, e.deadline, e.occurred_on,
                  e.precision, e.place, e.sources)
    table = statements(draft)
    for speaker in dict.fromkeys(speakers):
        table = table.set(speaker, (*table.get(speaker, ()), s))
    draft.set_slice(STATEMENTS, table)


def _words(s: Statement | StatementMade, speakers: tuple[str, ...], name: Name) -> str:
    text = f"{names(speakers, name)} {_VERBS[s.kind]}"
    if s.about:
        text += f", about {names(s.about, name)}"
    if s.medium:
        text += f" ({s.medium})"
    text += f": {s.says}"
    if s.deadline is not None:
        text += f" (deadline {s.deadline.isoformat()})"
    return text


@summarizer(StatementMade)
def _made_summary(e: StatementMade, name: Name) -> str:
    return _words(e, actors_of(e.speaker), name)


def _render(value: FrozenMap[str, tuple[Statement, ...]], name: Name) -> list[str]:
    lines = []
    for speaker, made in value.items():
        for s in made:
            if s.speakers[0] != speaker:  # a joint statement shows once, under its first
                continue
            lines.append(f"{day(s.on, s.precision)}: {_words(s, s.speakers, name)}")
    return lines


def _to_json(value: FrozenMap[str, tuple[Statement, ...]]) -> dict[str, Any]:
    return {k: [{"speakers": list(s.speakers), "kind": s.kind.value, "says": s.says,
                 "about": list(s.about), "medium": s.medium, "deadline": day_json(s.deadline),
                 "on": day_json(s.on), "precision": s.precision.value,
                 "place": None if s.place is None else s.place.to_json(),
                 "sources": list(s.sources)} for s in made]
            for k, made in value.items()}


state_slice(STATEMENTS, FrozenMap(), title="Statements", render=_render, to_json=_to_json)


@invariant("statements-filed")
def _statements_filed(state: CrisisState) -> Iterator[InvariantViolation]:
    """Every statement is filed under each of its speakers, and only under them."""
    for speaker, made in statements(state).items():
        for s in made:
            if speaker not in s.speakers or not s.says:
                yield InvariantViolation("", "a statement filed under another speaker", speaker)
