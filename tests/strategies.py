"""Hypothesis strategies shared by the test suite.

The library ships its strategies in :mod:`crisis_model.testing`; the suite
uses exactly those (as a user would) plus the few compositions below.
"""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import ActorIntroduced
from crisis_model.testing import counts, event_logs, events, next_events
from crisis_model.testing import known_logs as _known_logs
from crisis_model.testing import recorded_logs as _recorded_logs

__all__ = [
    "admissible_logs",
    "any_text",
    "corrected_logs",
    "counts",
    "event_logs",
    "events",
    "family_logs",
    "known_logs",
    "mixed_logs",
    "recorded_logs",
    "split_logs",
    "trail_steps",
]

#: Long admissible logs: every event passes the rules of the state before it.
admissible_logs = event_logs(admissible=True, min_size=1, max_size=80)

#: Logs mixing admissible and inadmissible events (about a quarter flawed).
mixed_logs = event_logs(admissible=False, min_size=1, max_size=80)


@st.composite
def split_logs(draw: st.DrawFn) -> tuple[list, list]:
    """An admissible log cut in two at a drawn point."""
    log = draw(admissible_logs)
    cut = draw(st.integers(0, len(log)))
    return log[:cut], log[cut:]


def _no_surrogate_pair(text: str) -> bool:
    """Whether no high surrogate is followed by a low one (JSON reads such a pair of
    escapes as the one character they encode)."""
    return not any(
        "\ud800" <= a <= "\udbff" and "\udc00" <= b <= "\udfff"
        for a, b in itertools.pairwise(text)
    )


#: Any text a Python string holds: line and paragraph separators, C1 controls, NUL, lone
#: surrogates (never a high one right before a low one), astral characters.
any_text = st.text(
    st.characters(exclude_categories=())
    | st.sampled_from("\u2028\u2029\u0085\ud800\udfff\x00\r\n\x1c\x7f\"\\🗳"),
    max_size=16,
).filter(_no_surrogate_pair)


#: Admissible logs whose events carry explicit ids and recorded dates for some of them.
recorded_logs = _recorded_logs

#: Those logs followed by corrections and retractions (replay them leniently).
known_logs = _known_logs(max_size=30)

#: Those logs followed by corrections only (the corrected record stays admissible).
corrected_logs = _known_logs(max_size=30, retractions=False)


@st.composite
def family_logs(draw: st.DrawFn, types: tuple, max_size: int = 16) -> list:
    """An admissible log of events of ``types`` (and new actors), each drawn from the
    state the events before it reach (what the families' property tests replay)."""
    pool = (*types, ActorIntroduced)
    state = cm.initial_state()
    log: list = []
    for _ in range(draw(st.integers(1, max_size))):
        event = draw(next_events(state, types=pool))
        log.append(event)
        state = cm.evolve(state, event)
    return log


#: Steps on a family of trails (``crisis_model.Trail``): ``("append", k, item)`` appends
#: ``item`` to the k-th trail made so far (modulo), ``("replace", k, i, item)`` replaces
#: its i-th item (modulo its length); either adds the result to the family.
trail_steps = st.lists(st.one_of(
    st.tuples(st.just("append"), st.integers(0, 50), st.integers(0, 9)),
    st.tuples(st.just("replace"), st.integers(0, 50), st.integers(0, 50), st.integers(0, 9)),
), max_size=60)
