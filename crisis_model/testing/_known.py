"""Strategies for the record: logs whose events carry ids, recorded dates and corrections."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .._event import Event, Precision
from ..record import RecordCorrected, RecordRetracted, event_ids
from ..state import CrisisState
from ._strategies import _texts, event_logs, register_event_strategy

__all__ = ["event_ids_for", "known_logs", "recorded_logs", "with_record_fields"]

#: The latest a generated event is recorded after its window begins (days).
MAX_LAG = 500


def _start_of(day: _dt.date, precision: Precision) -> _dt.date:
    if precision is Precision.MONTH:
        return day.replace(day=1)
    if precision is Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


@st.composite
def recorded_on_after(
    draw: st.DrawFn, day: _dt.date
) -> tuple[_dt.date, Precision]:
    """A record date (and precision) whose window begins on or after ``day`` (within a
    generous lag), for an event that happened on ``day``."""
    lag = draw(st.integers(0, MAX_LAG), label="lag")
    precision = draw(st.sampled_from((Precision.DAY, Precision.DAY, Precision.MONTH,
                                      Precision.YEAR)), label="recorded precision")
    at = _start_of(day + _dt.timedelta(days=lag), precision)
    if at < day:  # a month or year start before the event: the next one
        at = _start_of(at + _dt.timedelta(days=366 if precision is Precision.YEAR else 31),
                       precision)
    return at, precision


@st.composite
def _with_record_fields(draw: st.DrawFn, log: Sequence[Event]) -> list[Event]:
    out: list[Event] = []
    for index, event in enumerate(log):
        changes: dict[str, Any] = {}
        if draw(st.booleans(), label="has id"):
            # Unique by construction: the index is part of the id.
            changes["id"] = draw(st.sampled_from(("ev", "acled", "src:x", "n#")),
                                 label="id prefix") + f"-{index}"
        if draw(st.booleans(), label="has recorded_on"):
            changes["recorded_on"], changes["recorded_precision"] = draw(
                recorded_on_after(event.occurred_on))
        out.append(attrs.evolve(event, **changes) if changes else event)
    return out


def with_record_fields(log: Sequence[Event]) -> SearchStrategy[list[Event]]:
    """``log`` with explicit ids (unique) and ``recorded_on`` dates (on or after each
    event's date) drawn for some of its events; the rest keep derived ids and dates."""
    return _with_record_fields(list(log))


def recorded_logs(*, min_size: int = 0, max_size: int = 40) -> SearchStrategy[list[Event]]:
    """Admissible logs (see :func:`crisis_model.testing.event_logs`) whose events carry
    explicit ids and recorded dates for some of them."""
    if max_size < min_size:
        raise InvalidArgument(f"max_size={max_size} is less than min_size={min_size}")
    return event_logs(min_size=min_size, max_size=max_size).flatmap(with_record_fields)


def event_ids_for(n: int) -> SearchStrategy[list[str]]:
    """``n`` distinct explicit ids."""
    ident = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.:/#-]{0,20}", fullmatch=True)
    return st.lists(ident, min_size=n, max_size=n, unique=True)


_SOME_IDS = st.sampled_from(("ev-0", "ev-1", "acled:1", "h0123456789ab"))


def _correction(state: CrisisState) -> SearchStrategy[dict[str, object]]:
    # Well-formed on its own; known_logs aims corrections at events of its log.
    return st.fixed_dictionaries({
        "corrects": _SOME_IDS,
        "changes": st.dictionaries(st.just("note"), _texts, max_size=1),
    })


def _retraction(state: CrisisState) -> SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({"retracts": _SOME_IDS, "reason": _texts})


register_event_strategy(RecordCorrected, _correction)
register_event_strategy(RecordRetracted, _retraction)


@st.composite
def _known_logs(
    draw: st.DrawFn, min_size: int, max_size: int, retractions: bool
) -> list[Event]:
    log = draw(recorded_logs(min_size=min_size, max_size=max_size))
    if not log:
        return log
    ids = list(event_ids(log))
    latest = max(e.occurred_on for e in log)
    n = draw(st.integers(0, min(6, len(log))), label="record events")
    for k in range(n):
        # About events: the ordinary ones, and (for retractions) earlier record events.
        target = draw(st.integers(0, len(log) - 1), label="target")
        is_record = isinstance(log[target], RecordCorrected | RecordRetracted)
        day = latest + _dt.timedelta(days=draw(st.integers(0, 60), label="made after"))
        common: dict[str, Any] = {"occurred_on": day, "id": f"rec-{k}"}
        if draw(st.booleans(), label="recorded later"):
            common["recorded_on"] = day + _dt.timedelta(days=draw(st.integers(0, 90)))
        if retractions and (is_record or draw(st.booleans(), label="retract")):
            event: Event = RecordRetracted(retracts=ids[target], reason="drawn", **common)
        elif is_record:
            continue
        else:
            # A new note: the corrected record stays admissible.
            event = RecordCorrected(corrects=ids[target],
                                    changes={"note": draw(_texts, label="corrected note")},
                                    **common)
        log.append(event)
        ids.append(f"rec-{k}")
    return log


def known_logs(
    *, min_size: int = 1, max_size: int = 30, retractions: bool = True
) -> SearchStrategy[list[Event]]:
    """Admissible logs with ids and recorded dates (see :func:`recorded_logs`), followed
    by corrections (of notes, so the corrected record stays admissible) and, with
    ``retractions=True``, retractions of events or of earlier corrections and
    retractions, each made after the log's last event and recorded then or later.

    With retractions, strict replay may refuse the record as known (a retracted
    event may be one a later event needs): replay such logs leniently.
    """
    if max_size < min_size:
        raise InvalidArgument(f"max_size={max_size} is less than min_size={min_size}")
    return _known_logs(min_size, max_size, retractions)
