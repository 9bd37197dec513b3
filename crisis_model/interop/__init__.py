"""The field's data in and out: PLOVER, POLECAT, ACLED, UCDP GED and GDELT importers; exports.

Readers stream a dataset's records into events (introducing actors as they
are met) and fill an :class:`ImportSummary`; :func:`import_scenario` puts the
events in date order, replays them leniently and returns a
:class:`~crisis_model.Scenario` with the summary.  Writers give our
scenarios to others: :func:`write_plover` (PLOVER JSON Lines) and
:func:`write_panel` / :func:`to_dataframe` (one row per actor per event date).

>>> from crisis_model.interop import actor_id
>>> actor_id("Military Forces of Venezuela (2013-)")
'military-forces-of-venezuela-2013'
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .._event import Event, Precision
from .._frozenmap import FrozenMap
from ..reducer import replay
from ..scenario import Scenario, Source
from ._common import (
    Aliases,
    ImportSummary,
    InteropError,
    Options,
    actor_id,
    drop_repeated,
    in_date_order,
    load_aliases,
    provenance,
    record_event_id,
    safe_text,
)
from ._mapping import MapEntry, render_table
from .acled import read_acled
from .gdelt import read_gdelt
from .panel import PANEL_COLUMNS, panel_rows, to_dataframe, write_panel
from .plover import plover_records, read_plover, write_plover
from .polecat import read_polecat
from .revisions import Update, compare_imports, record_key, revise
from .ucdp import read_ucdp

__all__ = [
    "FORMATS",
    "PANEL_COLUMNS",
    "Aliases",
    "ImportSummary",
    "InteropError",
    "MapEntry",
    "Options",
    "Update",
    "actor_id",
    "compare_imports",
    "import_scenario",
    "import_to_store",
    "in_date_order",
    "load_aliases",
    "mapping_docs",
    "mapping_tables",
    "merge_by_date",
    "panel_rows",
    "plover_records",
    "provenance",
    "read",
    "read_acled",
    "read_gdelt",
    "read_plover",
    "read_polecat",
    "read_ucdp",
    "record_event_id",
    "record_key",
    "render_table",
    "revise",
    "safe_text",
    "to_dataframe",
    "write_panel",
    "write_plover",
]

Reader = Callable[..., Iterator[Event]]

#: Format name -> its reader.
FORMATS: dict[str, Reader] = {
    "plover": read_plover,
    "polecat": read_polecat,
    "acled": read_acled,
    "ucdp": read_ucdp,
    "gdelt": read_gdelt,
}

#: How each dataset is named as a scenario source.
_OUTLETS = {"plover": "PLOVER event records", "polecat": "POLECAT", "acled": "ACLED",
            "ucdp": "UCDP GED", "gdelt": "GDELT 2.0 events"}


def mapping_tables() -> dict[str, dict[str, MapEntry]]:
    """Every format's mapping table (their code -> our event type), by format name."""
    from . import acled, gdelt, plover, ucdp

    return {"plover": plover.MAPPING, "polecat": plover.MAPPING, "acled": acled.MAPPING,
            "ucdp": ucdp.MAPPING, "gdelt": gdelt.MAPPING}


_TITLES = {"plover": ("PLOVER", "`EVENT:mode` (or `EVENT`)"),
           "acled": ("ACLED", "`event_type/sub_event_type`"),
           "ucdp": ("UCDP GED", "`type_of_violence` (`:government` when side A is one)"),
           "gdelt": ("GDELT 2.0", "CAMEO `EventCode` (else its base or root code)")}


def mapping_docs() -> str:
    """The mapping tables as the Markdown ``docs/interop.md`` shows (checked by the tests)."""
    parts = []
    for fmt, table in mapping_tables().items():
        if fmt == "polecat":
            parts.append("### POLECAT\n\nThe PLOVER table: `Event Type:Event Mode` (or `Event "
                         "Type`), case aside.\n")
            continue
        title, their = _TITLES[fmt]
        parts.append(f"### {title}\n\n" + render_table(table.values(), their))
    return "\n".join(parts)


def read(fmt: str, files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
         options: Options | None = None, summary: ImportSummary | None = None) -> Iterator[Event]:
    """Stream the events of ``files`` in format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        reader = FORMATS[fmt]
    except KeyError:
        raise InteropError(f"unknown format {safe_text(fmt)}; choose one of "
                           f"{', '.join(FORMATS)}") from None
    return reader(files, options=options, summary=summary)


def _source(sid: str, table: Mapping[str, Any]) -> Source | None:
    published = table.get("published")
    try:
        day = _dt.date.fromisoformat(published) if isinstance(published, str) else None
        precision = Precision(table.get("precision", "day"))
    except ValueError:
        return None
    outlet, title = table.get("outlet"), table.get("title")
    if not isinstance(outlet, str) or not isinstance(title, str):
        return None
    url = table.get("url")
    note = table.get("note", "")
    return Source(id=sid, outlet=outlet, title=title, published=day, precision=precision,
                  url=url if isinstance(url, str) else None,
                  note=note if isinstance(note, str) else "")


def merge_by_date(base: Iterable[Event], imported: Iterable[Event]) -> tuple[Event, ...]:
    """``base``'s events in their own order, with the (date-ordered) ``imported`` events
    placed before the first base event dated after them."""
    incoming = list(imported)
    out: list[Event] = []
    i = 0
    for event in base:
        while i < len(incoming) and incoming[i].occurred_on < event.occurred_on:
            out.append(incoming[i])
            i += 1
        out.append(event)
    out.extend(incoming[i:])
    return tuple(out)


def import_scenario(
    fmt: str, files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
    aliases: Aliases | None = None, base: Scenario | None = None, country: str | None = None,
    since: _dt.date | None = None, until: _dt.date | None = None, keep_unmapped: bool = False,
    scenario_id: str | None = None, title: str | None = None,
    summary: ImportSummary | None = None,
    progress: Callable[[Iterator[Event], ImportSummary], Iterator[Event]] | None = None,
    retract_missing: bool = False, on: _dt.date | None = None,
) -> tuple[Scenario, ImportSummary]:
    """Import ``files`` as a scenario (merged by date with ``base``'s events, if given) and
    replay it leniently.

    ``aliases`` maps dataset names onto ids (``base``'s actors are referred to,
    not introduced again); ``country`` (ISO alpha-3), ``since`` and ``until``
    filter the records; ``keep_unmapped`` keeps records with no mapping as
    ``record.reported``.  The summary counts what was read and mapped and
    lists the events lenient replay rejected.  ``progress(events, summary)``, if
    given, wraps the stream of events (the command line shows a progress line).

    A ``base`` that already holds records of this dataset (an earlier import
    of it) is updated as a store stream is (see :func:`import_to_store`):
    unchanged records are left, edited ones get a ``record.corrected`` event,
    new ones are placed by date, and, with ``retract_missing``, records gone
    from the export get a ``record.retracted`` event (dated ``on``).
    Corrections and retractions follow the base's events.
    """
    summary = summary if summary is not None else ImportSummary(fmt)
    known: tuple[str, ...] = ()
    if base is not None:
        known = tuple(replay(base.events, strict=False)[0].actors)
    seen: dict[str, str] | None = {} if base is not None else None
    options = Options(aliases=aliases, known=known, country=country, since=since, until=until,
                      keep_unmapped=keep_unmapped, seen=seen)
    stream = read(fmt, files, options=options, summary=summary)
    events = list(progress(stream, summary) if progress is not None else stream)
    if summary.restored != summary.records:
        events = in_date_order(events)
    events = drop_repeated(events, summary)
    names = [os.path.basename(os.fspath(f)) for f in
             ([files] if isinstance(files, (str, os.PathLike)) else files)]
    sources: dict[str, Source] = dict(base.sources) if base is not None else {}
    if summary.records != summary.restored:
        sources.setdefault(fmt, Source(id=fmt, outlet=_OUTLETS[fmt],
                                       title=f"{_OUTLETS[fmt]}: {', '.join(names)}"))
    for sid, table in summary.sources.items():
        found = _source(sid, table)
        if found is not None:
            sources.setdefault(sid, found)
    if base is not None:
        from ..record import RECORD_TYPES

        update = revise(base.events, events, dataset=fmt, seen=seen,
                        retract_missing=retract_missing, keep_unmapped=keep_unmapped, on=on)
        about = [e for e in update.events if type(e) in RECORD_TYPES]
        plain = [e for e in update.events if type(e) not in RECORD_TYPES]
        all_events = (*merge_by_date(base.events, plain), *about)
    else:
        all_events = tuple(events)
    anomalies = replay(all_events, strict=False)[1]
    summary.anomalies = len(anomalies)
    for a in anomalies[:10]:
        problems = "; ".join(str(p) for p in a.problems)
        summary.anomaly_examples.append(f"event {a.index} ({a.tag}): {problems}")
    scenario = Scenario(
        id=scenario_id or (base.id if base is not None else f"{fmt}-import"),
        title=title or (base.title if base is not None else f"Imported from {_OUTLETS[fmt]}"),
        sources=FrozenMap(sources), events=all_events,
    )
    return scenario, summary


def import_to_store(
    store: Any, stream: str, fmt: str,
    files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
    aliases: Aliases | None = None, country: str | None = None, since: _dt.date | None = None,
    until: _dt.date | None = None, keep_unmapped: bool = False, retract_missing: bool = False,
    on: _dt.date | None = None, summary: ImportSummary | None = None,
    progress: Callable[[Iterator[Event], ImportSummary], Iterator[Event]] | None = None,
) -> tuple[int, ImportSummary, Update]:
    """Import ``files`` into ``stream`` of ``store`` (an open event store); again and again.

    A first import appends the records' events.  A later one (a newer export
    of the same dataset) appends only what changed (see
    :func:`~crisis_model.interop.revisions.revise`): nothing for a record
    unchanged, a ``record.corrected`` event for an edited one, the event of a
    new one, and, with ``retract_missing``, a ``record.retracted`` event for
    each record the export no longer holds (dated ``on``, default today).
    Events the rules reject are left out and counted in the summary's
    anomalies; actors the stream already has are referred to, never
    introduced again.  Returns the stream's new version, the summary and the
    :class:`~crisis_model.interop.revisions.Update`.
    """
    from ..record import RECORD_TYPES
    from ..reducer import check, evolve, initial_state
    from ..store import BatchRejected

    summary = summary if summary is not None else ImportSummary(fmt)
    version = store.version(stream)
    existing = store.read(stream) if version else []
    state = store.replay(stream) if version else initial_state()
    seen: dict[str, str] = {}
    options = Options(aliases=aliases, known=tuple(state.actors), country=country,
                      since=since, until=until, keep_unmapped=keep_unmapped, seen=seen)
    stream_events = read(fmt, files, options=options, summary=summary)
    events = list(progress(stream_events, summary) if progress is not None else stream_events)
    if summary.restored != summary.records:
        events = in_date_order(events)
    events = drop_repeated(events, summary)
    update = revise(existing, events, dataset=fmt, seen=seen, retract_missing=retract_missing,
                    keep_unmapped=keep_unmapped, on=on)

    def anomaly(event: Event, problems: Iterable[object]) -> None:
        summary.anomalies += 1
        if len(summary.anomaly_examples) < 10:
            summary.anomaly_examples.append(
                f"{event.event_tag} {event.id or ''}".rstrip() + ": "
                + "; ".join(str(p) for p in problems))

    plain: list[Event] = []
    about: list[Event] = []
    for e in update.events:
        if type(e) in RECORD_TYPES:
            about.append(e)
            continue
        problems = check(state, e)
        if problems:
            anomaly(e, problems)
            continue
        state = evolve(state, e)
        plain.append(e)
    tables: dict[str, dict[str, Any]] = dict(summary.sources)
    if summary.records != summary.restored:
        tables.setdefault(fmt, {"outlet": _OUTLETS[fmt], "title": f"{_OUTLETS[fmt]} import"})
    while True:
        batch = plain + about
        cited = {sid for e in batch for sid in e.sources}
        try:
            new_version: int = store.append(
                stream, batch, expected_version=version,
                sources={sid: t for sid, t in tables.items()
                         if sid in cited and _source(sid, t) is not None})
        except BatchRejected as exc:  # a correction the rules refuse: leave it out
            if exc.index < len(plain):
                raise
            anomaly(about.pop(exc.index - len(plain)), exc.problems)
            continue
        return new_version, summary, update
