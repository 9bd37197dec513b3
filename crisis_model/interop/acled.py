"""ACLED (Armed Conflict Location & Event Data) CSV exports: a streaming reader.

Columns are found by their header names (ACLED's 31, in any order; the
reader needs :data:`REQUIRED`).  ``event_date`` is ``YYYY-MM-DD`` (the API)
or ``29 July 2024`` (the export tool); ``time_precision`` 1 is the day, 2
"within about a week" (kept as the day given, noted), 3 the month (dated on
the 1st, precision month).  ``timestamp`` (Unix seconds) is when the record
was last entered: the recorded date.  ``iso`` is the ISO 3166 numeric code.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from collections.abc import Iterable, Iterator

from .._event import Event, Precision
from ..state import ActorKind
from ._common import ImportSummary, Options, parse_int, paths_of
from ._countries import NUMERIC_TO_ISO3
from ._engine import Context, CsvTable
from ._mapping import ActorSpec, Counts, MapEntry, Record

__all__ = ["COLUMNS", "MAPPING", "REQUIRED", "read_acled"]

#: ACLED's columns, in the order its API returns them.
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
#: The columns the reader needs.
REQUIRED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "actor2", "iso", "admin1", "location", "latitude", "longitude", "source",
    "notes", "fatalities", "timestamp",
)

#: ``event_type/sub_event_type`` -> our event type.  Every other pair is unmapped.
MAPPING: dict[str, MapEntry] = {e.code: e for e in (
    MapEntry("Protests/Peaceful protest", "unrest.protest",
             "by = actor1, location = location, admin1"),
    MapEntry("Protests/Protest with intervention", "unrest.protest",
             "by = actor1, location = location, admin1",
             "the intervention itself is not held"),
    MapEntry("Riots/Violent demonstration", "unrest.protest",
             "by = actor1, location = location, admin1"),
    MapEntry("Protests/Excessive force against protesters", "unrest.crackdown",
             "by = actor1, deaths = fatalities"),
    MapEntry("Strategic developments/Arrests", "justice.detained",
             "by = actor1, group = actor2 (else `detainees`), count unknown"),
)}

#: ``inter1``/``inter2`` codes (numbers or words) whose actors are state forces.
_STATE = {"1", "State forces"}


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> _dt.date:
    text = text.strip()
    if len(text) == 10 and text[4] == "-":
        return _dt.date.fromisoformat(text)
    return _dt.datetime.strptime(text, "%d %B %Y").date()


@functools.lru_cache(maxsize=4096)
def _recorded(ts: str) -> _dt.datetime | None:
    """``timestamp`` (Unix seconds) as a UTC datetime (ACLED's timestamps come in batches)."""
    ts = ts.strip()
    return _dt.datetime.fromtimestamp(int(ts), _dt.UTC) if ts.isdigit() else None


def read_acled(
    files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
    options: Options | None = None, summary: ImportSummary | None = None,
    source: str | None = "acled",
) -> Iterator[Event]:
    """Events from ACLED CSV files, streamed in file order (actors introduced on first use).

    ``summary`` is filled in as the records go by.  A file whose header lacks a
    needed column raises :class:`InteropError` naming them; a record that
    cannot be read is counted in ``summary.rejected`` with its line.
    """
    ctx = Context("acled", options or Options(), summary, source)
    for path in paths_of(files):
        yield from _read(path, ctx)


def _read(path: str, ctx: Context) -> Iterator[Event]:
    opts, s = ctx.options, ctx.summary
    table = CsvTable(path, ctx, title="ACLED CSV", required=REQUIRED)
    col = table.col
    i_id, i_date, i_prec = col["event_id_cnty"], col["event_date"], col["time_precision"]
    i_type, i_sub = col["event_type"], col["sub_event_type"]
    i_a1, i_a2 = col["actor1"], col["actor2"]
    i_inter1, i_inter2 = col.get("inter1"), col.get("inter2")
    i_iso, i_adm1, i_loc = col["iso"], col["admin1"], col["location"]
    i_notes, i_fat, i_ts = col["notes"], col["fatalities"], col["timestamp"]
    mapping = MAPPING
    tracking = ctx.seen is not None
    for _line, where, row in table:
        if tracking:
            ctx.present(row[i_id])
        try:
            day = _date(row[i_date])
        except ValueError:
            s.reject("event_date is not a date", where)
            continue
        iso3 = NUMERIC_TO_ISO3.get(row[i_iso].strip())
        if opts.country is not None and iso3 is None:
            s.notes["iso code not in the crosswalk (left out by --country)"] += 1
            s.filtered += 1
            continue
        if not opts.admits(day, iso3):
            s.filtered += 1
            continue
        precision = Precision.DAY
        prec = row[i_prec].strip()
        extra = ""
        if prec == "3":
            extra = f"event_date {day.isoformat()}, time_precision 3 (month)"
            day = day.replace(day=1)
            precision = Precision.MONTH
        elif prec == "2":
            extra = "time_precision 2: within about a week of the date"
            s.notes["time_precision 2 held as the day given"] += 1
        elif prec != "1":
            s.reject("time_precision is not 1, 2 or 3", where)
            continue
        try:
            dead = parse_int(row[i_fat])
        except ValueError:
            s.reject("fatalities is not a count", where)
            continue
        recorded = _recorded(row[i_ts])
        code = f"{row[i_type]}/{row[i_sub]}"
        a1, a2 = row[i_a1], row[i_a2]
        k1 = (ActorKind.SECURITY_FORCES
              if i_inter1 is not None and row[i_inter1] in _STATE else ActorKind.GROUP)
        k2 = (ActorKind.SECURITY_FORCES
              if i_inter2 is not None and row[i_inter2] in _STATE else ActorKind.GROUP)
        place = ", ".join(p for p in (row[i_loc], row[i_adm1]) if p) or None
        notes = row[i_notes]
        record = Record(
            dataset="acled", record_id=row[i_id], code=code, day=day,
            precision=precision,
            actor_spec=ActorSpec(a1, k1, iso3) if a1 else None,
            target_spec=ActorSpec(a2, k2, iso3) if a2 else None,
            counts=Counts(dead=dead), location=place, text=notes,
            common=ctx.common(row[i_id], recorded,
                              f"{extra}; {notes}" if extra and notes else extra or notes),
        )
        entry = mapping.get(code)
        if entry is not None and entry.tag == "unrest.protest" and dead:
            s.notes["fatalities on a protest record (not held by unrest.protest)"] += 1
        yield from ctx.emit(record, entry, where)
