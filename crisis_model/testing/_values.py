"""Strategies for the core's value types: honest counts."""

from __future__ import annotations

from hypothesis import strategies as st

from .._count import Count

__all__ = ["counts"]


@st.composite
def counts(draw: st.DrawFn, max_value: int = 10**6) -> Count:
    """Any :class:`~crisis_model.Count`: exact, at least, at most, about, a range with or
    without a best estimate, or unknown (bounds up to ``max_value``)."""
    n = st.integers(0, max_value)
    shape = draw(st.sampled_from(("exact", "at_least", "at_most", "about", "range", "unknown")))
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
