"""A panel of the history: one row per actor per event date, for statistics tools.

Each row is an actor's state after a run of consecutive events that share
a date (an event known only to the month is dated on the 1st, as in the
log): whereabouts, offices, stances, legal jeopardy.  A log in date order
gives exactly one row per actor per event date.  :func:`write_panel` writes
CSV with the standard library; :func:`to_dataframe` gives a pandas ``DataFrame`` (``pip install
crisis-model[pandas]``; the library itself does not need pandas).
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .._event import Event
from ..reducer import check, evolve, initial_state, paused_gc
from ..state import ActorState, CrisisState

__all__ = ["PANEL_COLUMNS", "panel_rows", "to_dataframe", "write_panel"]

#: The panel's columns, in order.
PANEL_COLUMNS = (
    "date", "version", "actor", "name", "kind", "country", "whereabouts", "location",
    "offices", "asylum", "stances", "threatened", "wanted", "charged", "disqualified_from",
)


def _row(day: _dt.date, version: int, a: ActorState) -> dict[str, Any]:
    j = a.jeopardy
    stances = "; ".join(
        f"{election}: {s.kind.value}" + (f" {s.winner}" if s.winner else "")
        + (f" (until {s.condition})" if s.condition else "")
        for election, s in sorted(a.stances.items())
    )
    asylum = "" if a.asylum is None else f"{a.asylum.status.value} {a.asylum.host}"
    return {
        "date": day.isoformat(), "version": version, "actor": a.id, "name": a.name,
        "kind": a.kind.value, "country": a.country or "", "whereabouts": a.whereabouts.value,
        "location": a.location or "", "offices": "; ".join(a.offices), "asylum": asylum,
        "stances": stances, "threatened": j.threatened, "wanted": j.wanted,
        "charged": "; ".join(j.charged), "disqualified_from": "; ".join(j.disqualified_from),
    }


def panel_rows(events: Iterable[Event]) -> Iterator[dict[str, Any]]:
    """The panel's rows, in date then actor order (replayed leniently: events the rules
    reject are left out, as ``crisis-model replay --lenient`` does)."""
    state: CrisisState = initial_state()
    day: _dt.date | None = None
    with paused_gc():
        for event in events:
            if day is not None and event.occurred_on != day:
                yield from _rows(day, state)
            if check(state, event):
                continue
            state = evolve(state, event)
            day = event.occurred_on
        if day is not None:
            yield from _rows(day, state)


def _rows(day: _dt.date, state: CrisisState) -> Iterator[dict[str, Any]]:
    for actor_id in sorted(state.actors):
        yield _row(day, state.version, state.actors[actor_id])


def write_panel(out: IO[str], events: Iterable[Event]) -> int:
    """Write the panel as CSV (header row first) to ``out``; return how many rows."""
    writer = csv.DictWriter(out, fieldnames=PANEL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in panel_rows(events):
        writer.writerow(row)
        n += 1
    return n


def to_dataframe(events: Iterable[Event]) -> Any:
    """The panel as a pandas ``DataFrame`` (``date`` as datetimes).

    Raises :class:`ImportError` naming the extra to install when pandas is absent.
    """
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError(
            "to_dataframe needs pandas: pip install 'crisis-model[pandas]'"
        ) from None
    frame = pd.DataFrame(list(panel_rows(events)), columns=list(PANEL_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame
