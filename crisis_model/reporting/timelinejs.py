"""The crisis as a TimelineJS3 document (Knight Lab's ``timeline.json`` format).

Each event becomes a slide: ``start_date`` at the event's precision (a
month-precision event gives only year and month), ``end_date`` the last day
of its window when the date is imprecise, ``text`` its plain-words summary and
sources, ``group`` the actor whose lane it is in.  Each state band (an actor
in exile, holding an office, recognising a winner...) becomes an era.
TimelineJS reads ``headline`` and ``text`` as HTML, so every data string in
them is HTML-escaped.

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, ProtestHeld
>>> log = [
...     ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="ortiz", name="Ortiz",
...                     kind=cm.ActorKind.PERSON),
...     ProtestHeld(occurred_on=dt.date(2024, 8, 1), precision=cm.Precision.MONTH,
...                 by="ortiz"),
... ]
>>> doc = timelinejs(log)
>>> doc["events"][1]["start_date"], doc["events"][1]["end_date"]
({'year': 2024, 'month': 8}, {'year': 2024, 'month': 8, 'day': 31})
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from .._event import Event, Precision
from ..scenario import Scenario
from ._html import esc
from ._model import Mark, ReportModel, build, precision_words

__all__ = ["timelinejs"]

_CRISIS_WIDE = "Crisis-wide"


def _date(day: _dt.date, precision: Precision = Precision.DAY) -> dict[str, int]:
    out = {"year": day.year}
    if precision is not Precision.YEAR:
        out["month"] = day.month
    if precision is Precision.DAY:
        out["day"] = day.day
    return out


def _slide(model: ReportModel, mk: Mark) -> dict[str, Any]:
    parts = [f"<p>{esc(precision_words(mk.event))}</p>"]
    if mk.sources:
        cites = []
        for sid in mk.sources:
            src = model.sources.get(sid)
            cites.append(f"{src.outlet}: {src.title}" if src is not None else sid)
        label = "Source" if len(cites) == 1 else "Sources"
        parts.append(f"<p>{label}: {esc('; '.join(cites))}</p>")
    else:
        parts.append("<p>No source cited.</p>")
    if mk.event.note:
        parts.append(f"<p>{esc(mk.event.note)}</p>")
    if mk.uncertain:
        parts.append("<p>Uncertain: it may not have happened yet by "
                     f"{model.as_of.isoformat() if model.as_of else ''}.</p>")
    slide: dict[str, Any] = {
        "unique_id": f"event-{mk.index}",
        "start_date": _date(mk.start, mk.event.precision),
        "text": {"headline": esc(mk.summary), "text": "".join(parts)},
        "group": esc(model.name(mk.lane)) if mk.lane is not None else _CRISIS_WIDE,
        "display_date": esc(mk.date_text),
    }
    if mk.event.precision is not Precision.DAY or mk.event.until is not None:
        slide["end_date"] = _date(mk.end)
    return slide


def timelinejs(
    scenario: Scenario | Iterable[Event],
    *,
    as_of: _dt.date | None = None,
    lenient: bool = False,
    title: str | None = None,
) -> dict[str, Any]:
    """The TimelineJS3 document for a scenario or log (a JSON-able dict)."""
    model = build(scenario, as_of=as_of, lenient=lenient, title=title)
    eras = []
    for row in model.bands:
        who = model.name(row.actor)
        for s in row.segments:
            last = s.end - _dt.timedelta(days=1)
            eras.append({
                "start_date": _date(s.start),
                "end_date": _date(max(last, s.start)),
                "text": {"headline": esc(f"{who}: {s.text}"), "text": esc(row.label)},
            })
    title_text = esc(model.description) if model.description else ""
    return {
        "title": {"text": {"headline": esc(model.title), "text": title_text}},
        "events": [_slide(model, mk) for mk in model.marks],
        "eras": eras,
        "scale": "human",
    }
