"""The summaries registry: how each event type reads in plain words.

Core (imports nothing from the vocabulary), so that a vocabulary module can
register its summaries next to its classes with :func:`summarizer` without an
import cycle through :mod:`crisis_model.query`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ._event import Event

__all__ = ["SUMMARIES", "Summary", "summarizer"]

E = TypeVar("E", bound=Event)

#: ``summary(event, name) -> str``: one event in plain words; ``name(id)`` gives an actor's name.
Summary = Callable[[Any, Callable[[str | None], str]], str]

#: Event class -> its registered summary.
SUMMARIES: dict[type[Event], Summary] = {}


def summarizer(cls: type[E]) -> Callable[[Callable[[E, Callable[[str | None], str]], str]],
                                          Callable[[E, Callable[[str | None], str]], str]]:
    """Register how events of ``cls`` read in a timeline (types without one get a generic line).

    The function receives the event and ``name(id)``, which gives an actor's
    display name.
    """

    def decorate(
        fn: Callable[[E, Callable[[str | None], str]], str],
    ) -> Callable[[E, Callable[[str | None], str]], str]:
        SUMMARIES[cls] = fn
        return fn

    return decorate
