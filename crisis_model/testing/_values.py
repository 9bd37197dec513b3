"""Strategies for the core's value types: honest counts."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .._count import Count

__all__ = ["counts"]

_SHAPES = ("exact", "at_least", "at_most", "about", "range", "unknown")
_MADE: dict[int, SearchStrategy[Count]] = {}

#: Set by the generator (:mod:`crisis_model.testing._strategies`) when it loads: marks a
#: counts strategy as one it draws from its own bits (a hook rather than an import, so the
#: two modules do not import each other).
_known_to_generator: Callable[[SearchStrategy[Count], int], SearchStrategy[Count]] | None = None


@st.composite
def _counts(draw: st.DrawFn, max_value: int) -> Count:
    n = st.integers(0, max_value)
    shape = draw(st.sampled_from(_SHAPES))
    if shape == "exact":
        return Count.exact(draw(n))
    if shape == "at_least":
        return Count.at_least(draw(n))
    if shape == "at_most":
        return Count.at_most(draw(n))
    if shape == "about":
        return Count.about(draw(n))
    if shape == "unknown":
        return Count.unknown()
    low, high = sorted((draw(n), draw(n)))
    best = draw(st.none() | st.integers(low, high))
    return Count.between(low, high, best)


def counts(max_value: int = 10**6) -> SearchStrategy[Count]:
    """Any :class:`~crisis_model.Count`: exact, at least, at most, about, a range with or
    without a best estimate, or unknown (bounds up to ``max_value``)."""
    found = _MADE.get(max_value)
    if found is None:
        found = _counts(max_value)
        if _known_to_generator is not None and isinstance(max_value, int) and len(_MADE) < 64:
            found = _MADE[max_value] = _known_to_generator(found, max_value)
    return found
