"""See the crisis: a self-contained HTML report, and a TimelineJS3 export.

:func:`report` draws a scenario (or any event log) as one HTML page that works
offline: actor swimlanes with every event, state bands per actor, each
election's declarations, claims, observer verdicts and recognition matrix,
detention and incident counts over time, the sources with the events citing
them, optionally "as of" a date and against a base scenario.  Everything on
it is derived from the replayed history through the library's public API.

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, WentIntoHiding
>>> log = [
...     ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="machado",
...                     name="María Corina Machado", kind=cm.ActorKind.PERSON),
...     WentIntoHiding(occurred_on=dt.date(2024, 8, 1), precision=cm.Precision.MONTH,
...                    person="machado", location="Caracas"),
... ]
>>> page = cm.report(log, title="Machado")
>>> page.startswith("<!DOCTYPE html>"), page.count('class="ev '), "in hiding: Caracas" in page
(True, 2, True)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

from .._event import Event
from ..scenario import Scenario, Source
from ._html import esc, render
from ._model import BAND_KINDS, BandKind, build, plain
from .timelinejs import timelinejs

__all__ = ["BAND_KINDS", "BandKind", "esc", "plain", "report", "timelinejs"]


def report(
    scenario: Scenario | Iterable[Event],
    *,
    base: Scenario | Iterable[Event] | None = None,
    as_of: _dt.date | None = None,
    known_on: _dt.date | None = None,
    lenient: bool = False,
    title: str | None = None,
    sources: Mapping[str, Source] | None = None,
) -> str:
    """The crisis as one self-contained HTML page (a string; write it with UTF-8).

    ``scenario`` is a :class:`~crisis_model.Scenario` or an event log.  With
    ``base``, the page also shows where ``scenario`` (a what-if branch)
    departs from ``base`` and how their states differ at the end (or as of
    ``as_of``).  With ``as_of``, it shows the record as of that day: the
    events :func:`~crisis_model.state_at` counts (those certain by then), and
    those that may have happened by then marked uncertain.  With ``known_on``,
    it draws the record as it stood on that day (:func:`~crisis_model.as_known`: only what had been
    reported by then, with the corrections and retractions recorded by then
    applied).  Strict by default (a
    :class:`~crisis_model.RuleViolation` for an event the rules reject);
    ``lenient=True`` draws rejected events flagged with their problems.
    ``title`` and ``sources`` replace the scenario's own (for a bare log).
    """
    return render(build(scenario, base=base, as_of=as_of, known_on=known_on,
                        lenient=lenient, title=title, sources=sources))
