"""The exceptions crisis_model raises.  All derive from :class:`CrisisModelError`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events._base import Event
    from .reducer import Problem

__all__ = [
    "CrisisModelError",
    "RegistrationError",
    "RuleViolation",
    "UnhandledEventError",
    "UnknownEventTypeError",
    "nearest",
]


class CrisisModelError(Exception):
    """Base class of every error crisis_model raises on purpose."""


class RegistrationError(CrisisModelError):
    """An event type, handler, rule, slice or invariant could not be registered."""


class UnhandledEventError(CrisisModelError):
    """An event of a registered type reached the reducer but no handler was registered for it."""


def nearest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The ``n`` choices closest to ``word`` (for "did you mean" messages)."""
    pool = sorted(set(choices))
    close = difflib.get_close_matches(word, pool, n=n, cutoff=0.4)
    if close:
        return close
    # Fall back on a shared prefix (same theme: "election.x" suggests election tags).
    head = word.split(".", 1)[0]
    return [c for c in pool if c.split(".", 1)[0] == head][:n]


class UnknownEventTypeError(CrisisModelError, KeyError):
    """A type tag that no registered event type has."""

    def __init__(self, tag: str, known: Iterable[str]) -> None:
        self.tag = tag
        self.suggestions = nearest(tag, known)
        super().__init__(tag)

    def __str__(self) -> str:
        hint = (
            f"; nearest known tags: {', '.join(self.suggestions)}"
            if self.suggestions
            else ""
        )
        return f"unknown event type {self.tag!r}{hint}"


class RuleViolation(CrisisModelError):
    """An event contradicts the state it would be applied to.

    ``index`` is the event's position in the log, ``tag`` its type tag and
    ``problems`` what every violated rule said (each names its rule, and
    where it can, the field and the actor or election at fault).
    """

    def __init__(self, index: int, event: Event, problems: Sequence[Problem]) -> None:
        self.index = index
        self.event = event
        self.tag = type(event).event_tag
        self.problems = tuple(problems)
        super().__init__(self.describe())

    @property
    def rule(self) -> str:
        """The first violated rule's name."""
        return self.problems[0].rule

    def describe(self) -> str:
        """A plain-words account of the violation, one line a problem."""
        head = f"event #{self.index} ({self.tag}, {self.event.occurred_on.isoformat()}) rejected"
        lines = [f"{head}: {self.problems[0]}"] + [f"  also: {p}" for p in self.problems[1:]]
        return "\n".join(lines)
