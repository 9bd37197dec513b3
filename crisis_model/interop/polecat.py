"""POLECAT (PLOVER-coded) tab-separated files: a streaming reader.

POLECAT, the PLOVER-coded global dataset, is distributed as tab-separated
text with a header row (40 columns: ``Event ID``, ``Event Date``, ``Event
Type``, ``Event Mode``, ``Contexts``, ``Actor Name``, ``Actor Country``,
``Primary Actor Sector``, ``Recipient Name``..., ``Placename``...,
``Publication Date``...).  The PLOVER manual documents only the JSON record;
this layout is the dataset's own, as its published files and the tools that
load them give it.  Columns are found by their header names; the reader
needs :data:`REQUIRED`.  Categories and modes map through the PLOVER table
(:data:`crisis_model.interop.plover.MAPPING`), case aside; multi-valued
cells are separated by ``"; "`` (the first value counts).  ``Publication
Date`` (the story's) is the recorded date; countries are ISO alpha-3.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from collections.abc import Iterable, Iterator

from .._event import Event, Precision
from ._common import ImportSummary, Options, paths_of
from ._engine import Context, CsvTable
from ._mapping import ActorSpec, Record
from .plover import MAPPING, sector_kind

__all__ = ["COLUMNS", "REQUIRED", "read_polecat"]

#: POLECAT's columns, in the order its files give them.
COLUMNS = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors",
    "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename",
    "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
)
#: The columns the reader needs.
REQUIRED = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Actor Name", "Actor Country",
    "Primary Actor Sector", "Recipient Name", "Recipient Country", "Primary Recipient Sector",
    "Placename", "Country", "Publication Date",
)


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> _dt.date:
    return _dt.date.fromisoformat(text.strip()[:10])


def _first(cell: str) -> str:
    value = cell.split(";", 1)[0].strip()
    return "" if value in ("None", "nan") else value


def read_polecat(
    files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
    options: Options | None = None, summary: ImportSummary | None = None,
    source: str | None = "polecat",
) -> Iterator[Event]:
    """Events from POLECAT tab-separated files, streamed in file order (actors introduced on
    first use)."""
    ctx = Context("polecat", options or Options(), summary, source)
    for path in paths_of(files):
        yield from _read(path, ctx)


def _read(path: str, ctx: Context) -> Iterator[Event]:
    opts, s = ctx.options, ctx.summary
    table = CsvTable(path, ctx, title="POLECAT tab-separated", required=REQUIRED,
                     delimiter="\t")
    col = table.col
    i_id, i_date, i_type, i_mode = (col["Event ID"], col["Event Date"], col["Event Type"],
                                    col["Event Mode"])
    i_a, i_ac, i_as = col["Actor Name"], col["Actor Country"], col["Primary Actor Sector"]
    i_r, i_rc, i_rs = (col["Recipient Name"], col["Recipient Country"],
                       col["Primary Recipient Sector"])
    i_place, i_country, i_pub = col["Placename"], col["Country"], col["Publication Date"]
    tracking = ctx.seen is not None
    for _line, where, row in table:
        rid = row[i_id]
        if tracking:
            ctx.present(rid)
        try:
            day = _date(row[i_date])
        except ValueError:
            s.reject("Event Date is not YYYY-MM-DD", where)
            continue
        country = _first(row[i_country]).upper() or None
        if not opts.admits(day, country):
            s.filtered += 1
            continue
        try:
            recorded: _dt.date | None = _date(row[i_pub]) if row[i_pub].strip() else None
        except ValueError:
            recorded = None
        category = _first(row[i_type]).upper()
        mode = _first(row[i_mode]).lower()
        code = f"{category}:{mode}" if mode else category or "(no event)"
        actor, target = _first(row[i_a]), _first(row[i_r])
        a_country, r_country = _first(row[i_ac]).upper() or None, _first(row[i_rc]).upper() or None
        record = Record(
            dataset="polecat", record_id=rid, code=code, day=day, precision=Precision.DAY,
            actor_spec=ActorSpec(actor, sector_kind(_first(row[i_as])), a_country)
            if actor else None,
            target_spec=ActorSpec(target, sector_kind(_first(row[i_rs])), r_country)
            if target else None,
            location=_first(row[i_place]) or None,
            common=ctx.common(rid, recorded),
        )
        entry = MAPPING.get(code) if code in MAPPING else MAPPING.get(category)
        yield from ctx.emit(record, entry, where)
