"""The registry of plain-words summaries: ``summarizer(cls)`` and what it registered.

Core (it imports no vocabulary), so each vocabulary module can register its
types' summaries next to their classes; :mod:`crisis_model.query` reads them
(and re-exports :func:`summarizer` as ``crisis_model.summarizer``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ._event import Event

__all__ = ["Summary", "summarizer"]

E = TypeVar("E", bound=Event)

#: ``summary(event, name) -> str``: one event in plain words; ``name(id)`` gives an actor's name.
Summary = Callable[[Any, Callable[[str | None], str]], str]

_SUMMARIES: dict[type[Event], Summary] = {}


def summarizer(cls: type[E]) -> Callable[[Callable[[E, Callable[[str | None], str]], str]],
                                          Callable[[E, Callable[[str | None], str]], str]]:
    """Register how events of ``cls`` read in a timeline (types without one get a generic line).

    The function receives the event and ``name(id)``, which gives an actor's
    display name.
    """

    def decorate(
        fn: Callable[[E, Callable[[str | None], str]], str],
    ) -> Callable[[E, Callable[[str | None], str]], str]:
        _SUMMARIES[cls] = fn
        return fn

    return decorate
