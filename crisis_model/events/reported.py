"""Reported records: a coded dataset's record kept whole when no built-in type fits it.

Importers (:mod:`crisis_model.interop`) map what they can onto the built-in
vocabulary; with ``keep_unmapped=True`` every other record becomes a
:class:`RecordReported`, so nothing a dataset says is lost: its dataset, code,
record id, text, actors, the end of its date range and its low/best/high
death counts stay in the log.  The model has no place in the state for an
arbitrary dataset code, so replaying one leaves the state unchanged: the
record lives in the log, in timelines and in exports.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Callable

import attrs

from .._draft import Draft
from .._event import Event, ref, strings
from .._summary import summarizer
from ..reducer import event_type, handler, rule
from ..state import CrisisState

__all__ = ["RecordReported", "describe_reported"]


@event_type("record.reported", version=1)
@attrs.frozen(kw_only=True)
class RecordReported(Event):
    """A coded dataset's record that no built-in event type holds, kept as it was coded.

    ``dataset`` names the dataset (``"acled"``, ``"gdelt"``...), ``code`` its
    event code (``"PROTEST:demo"``, ``"173"``, ``"Battles/Armed clash"``...),
    ``record_id`` its own id; ``ends_on`` is the last day of a date range;
    ``deaths_low``/``deaths_best``/``deaths_high`` keep a death toll with its
    uncertainty (UCDP's low, best and high estimates).
    """

    dataset: str
    code: str
    record_id: str = ""
    text: str = ""
    actors: tuple[str, ...] = ref("actor", default=(), converter=strings)
    targets: tuple[str, ...] = ref("actor", default=(), converter=strings)
    ends_on: _dt.date | None = None
    deaths_low: int | None = None
    deaths_best: int | None = None
    deaths_high: int | None = None


@rule(RecordReported)
def named_dataset(state: CrisisState, e: RecordReported) -> str | None:
    if not e.dataset.strip():
        return "a reported record names its dataset"
    return None


@rule(RecordReported)
def range_ordered(state: CrisisState, e: RecordReported) -> str | None:
    if e.ends_on is not None and e.ends_on < e.occurred_on:
        return f"the date range ends ({e.ends_on}) before it starts ({e.occurred_on})"
    return None


@rule(RecordReported)
def counts_ordered(state: CrisisState, e: RecordReported) -> list[str] | None:
    counts = (("deaths_low", e.deaths_low), ("deaths_best", e.deaths_best),
              ("deaths_high", e.deaths_high))
    problems = [f"{name} is {value}; a count is never negative"
                for name, value in counts if value is not None and value < 0]
    given = [(name, value) for name, value in counts if value is not None]
    for (n1, v1), (n2, v2) in itertools.pairwise(given):
        if v1 > v2:
            problems.append(f"{n1} ({v1}) is more than {n2} ({v2})")
    return problems or None


@handler(RecordReported)
def _reported(draft: Draft, e: RecordReported) -> None:
    # The model has no place for an arbitrary dataset code: the record stays in
    # the log (timelines and exports show it) and the state is unchanged.
    return None


def describe_reported(e: RecordReported, name: Callable[[str | None], str]) -> str:
    """One reported record in plain words (the timeline's summary of ``record.reported``)."""
    who = ", ".join(name(a) for a in e.actors)
    whom = ", ".join(name(a) for a in e.targets)
    parts = [f"{e.dataset} record {e.record_id or '(no id)'} coded {e.code}"]
    if who:
        parts.append(f"by {who}")
    if whom:
        parts.append(f"towards {whom}")
    if e.ends_on is not None:
        parts.append(f"until {e.ends_on.isoformat()}")
    if (e.deaths_low, e.deaths_best, e.deaths_high) != (None, None, None):
        shown = "/".join("?" if v is None else str(v)
                         for v in (e.deaths_low, e.deaths_best, e.deaths_high))
        parts.append(f"deaths low/best/high {shown}")
    text = " ".join(parts)
    return f"{text}: {e.text}" if e.text else text


summarizer(RecordReported)(describe_reported)  # how it reads in a timeline
