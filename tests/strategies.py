"""Hypothesis strategies shared by the test suite.

The library ships its strategies in :mod:`crisis_model.testing`; the suite
uses exactly those (as a user would) plus the few compositions below.
"""

from __future__ import annotations

from hypothesis import strategies as st

from crisis_model.testing import event_logs, events
from crisis_model.testing import known_logs as _known_logs
from crisis_model.testing import recorded_logs as _recorded_logs

__all__ = [
    "admissible_logs",
    "corrected_logs",
    "event_logs",
    "events",
    "known_logs",
    "mixed_logs",
    "recorded_logs",
    "split_logs",
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


#: Admissible logs whose events carry explicit ids and recorded dates for some of them.
recorded_logs = _recorded_logs

#: Those logs followed by corrections and retractions (replay them leniently).
known_logs = _known_logs(max_size=30)

#: Those logs followed by corrections only (the corrected record stays admissible).
corrected_logs = _known_logs(max_size=30, retractions=False)
