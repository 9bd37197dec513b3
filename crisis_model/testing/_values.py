"""Strategies for the core's value types: honest counts."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .._count import Count

__all__ = ["counts"]

_SHAPES = ("exact", "at_least", "at_most", "about", "range", "unknown")
_MADE: dict[int, SearchStrategy[Count]] = {}


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
        from ._strategies import _count_form, _known  # the generator draws it from its bits

        found = _counts(max_value)
        if isinstance(max_value, int) and len(_MADE) < 64:
            found = _MADE[max_value] = _known(found, _count_form(max_value))
    return found
