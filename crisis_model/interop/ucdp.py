"""UCDP GED (Georeferenced Event Dataset) CSV: a streaming reader that keeps uncertainty.

Columns are found by their header names.  ``date_start``..``date_end`` is
the range the event happened in; ``date_prec`` says how precisely it is known
(1 the day; 2 a range of 2-6 days; 3 the week; 4 a range of 8-30 days or the
month; 5 more than a month, within the year).  ``best``, ``low`` and
``high`` are the death toll's best estimate and its bounds.  So:

- a range is held exactly (:func:`exact_range`): one day is the day, a whole
  calendar month the month, a whole year the year, any other range its first
  day with ``until`` its last (the range and ``date_prec`` are noted too);
- ``best`` is the count; ``low`` and ``high`` go into the note (and into the
  fields of ``record.reported`` for unmapped records).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Iterator

import attrs

from .._dates import exact_range
from .._event import Event, Precision
from ..state import ActorKind
from ._common import ImportSummary, Options, parse_int, paths_of
from ._countries import GW_TO_ISO3
from ._engine import Context, CsvTable
from ._mapping import ActorSpec, Counts, MapEntry, Record

__all__ = ["MAPPING", "REQUIRED", "exact_range", "read_ucdp", "widen"]

#: The columns the reader needs (GED has about fifty; the rest are ignored).
REQUIRED = (
    "id", "type_of_violence", "side_a", "side_b", "date_start", "date_end", "date_prec",
    "best", "low", "high", "country", "source_article",
)

#: ``type_of_violence`` (and whether side A is a government) -> our event type.
MAPPING: dict[str, MapEntry] = {e.code: e for e in (
    MapEntry("3:government", "unrest.crackdown",
             "by = side_a, deaths = best (low and high in the note)",
             "one-sided violence by a government"),
)}

_PRECISIONS = {"1", "2", "3", "4", "5"}


def widen(start: _dt.date, end: _dt.date) -> tuple[_dt.date, Precision, bool]:
    """The date and precision that hold the range ``start``..``end``, and whether it is exact.

    >>> import datetime as dt
    >>> widen(dt.date(2024, 7, 29), dt.date(2024, 7, 31))
    (datetime.date(2024, 7, 1), <Precision.MONTH: 'month'>, False)
    """
    if start == end:
        return start, Precision.DAY, True
    if (start.year, start.month) == (end.year, end.month):
        return start.replace(day=1), Precision.MONTH, False
    if start.year == end.year:
        return start.replace(month=1, day=1), Precision.YEAR, False
    return start, Precision.DAY, False


def read_ucdp(
    files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
    options: Options | None = None, summary: ImportSummary | None = None,
    source: str | None = "ucdp",
) -> Iterator[Event]:
    """Events from UCDP GED CSV files, streamed in file order (actors introduced on first use)."""
    ctx = Context("ucdp", options or Options(), summary, source)
    for path in paths_of(files):
        yield from _read(path, ctx)


def _read(path: str, ctx: Context) -> Iterator[Event]:
    opts, s = ctx.options, ctx.summary
    table = CsvTable(path, ctx, title="UCDP GED CSV", required=REQUIRED)
    col = table.col
    i_gw = col.get("country_id")
    tracking = ctx.seen is not None
    for _line, where, row in table:
        rid = row[col["id"]]
        if tracking:
            ctx.present(rid)
        try:
            start = _dt.date.fromisoformat(row[col["date_start"]].strip()[:10])
            end = _dt.date.fromisoformat(row[col["date_end"]].strip()[:10])
        except ValueError:
            s.reject("date_start or date_end is not a date", where)
            continue
        if end < start:
            s.reject("date_end is before date_start", where)
            continue
        prec = row[col["date_prec"]].strip()
        if prec not in _PRECISIONS:
            s.reject("date_prec is not 1-5", where)
            continue
        try:
            best = parse_int(row[col["best"]])
            low = parse_int(row[col["low"]])
            high = parse_int(row[col["high"]])
        except ValueError:
            s.reject("best, low or high is not a count", where)
            continue
        iso3 = GW_TO_ISO3.get(row[i_gw].strip()) if i_gw is not None else None
        if opts.country is not None and iso3 is None:
            s.notes["country_id not in the crosswalk (left out by --country)"] += 1
            s.filtered += 1
            continue
        if not opts.admits(start, iso3):
            s.filtered += 1
            continue
        day, precision, until = exact_range(start, end)
        extra = [f"deaths low/best/high {_n(low)}/{_n(best)}/{_n(high)}"]
        if start != end:
            extra.append(f"dates {start.isoformat()}..{end.isoformat()} (date_prec {prec})")
            s.notes["date ranges held exactly (until: the range's last day)" if until is not None
                    else "date ranges held as a calendar month or year"] += 1
        side_a, side_b = row[col["side_a"]], row[col["side_b"]]
        government = side_a.startswith("Government of")
        violence = row[col["type_of_violence"]].strip()
        code = f"{violence}:government" if violence == "3" and government else violence
        record = Record(
            dataset="ucdp", record_id=rid, code=code, day=day, precision=precision,
            actor_spec=ActorSpec(side_a, ActorKind.GOVERNMENT if government
                                 else ActorKind.GROUP, iso3) if side_a else None,
            target_spec=ActorSpec(side_b, ActorKind.GROUP, iso3) if side_b else None,
            counts=Counts(dead=best, dead_low=low, dead_high=high),
            text=row[col["source_article"]], ends_on=end,
            common=ctx.common(rid, None, "; ".join(extra)),
        )
        emitted = ctx.emit(record, MAPPING.get(code), where)
        if until is not None:  # the record's events (and new actors) share its range
            emitted = [attrs.evolve(e, until=until) for e in emitted]
        yield from emitted


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)
