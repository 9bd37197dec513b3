"""GDELT 2.0 event table (tab-separated, no header, 61 columns): a streaming reader.

CAMEO codes are kept as strings (``"0841"`` keeps its leading zero).
``SQLDATE`` (``YYYYMMDD``) is the event's day; ``DATEADDED``
(``YYYYMMDDHHMMSS``, UTC) is when GDELT recorded it; ``SOURCEURL`` the
article.  Actor country codes are CAMEO codes (ISO alpha-3 for states); place
country codes (``ActionGeo_CountryCode``) are FIPS 10-4 and are translated to
ISO alpha-3 for ``--country``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import os
from collections.abc import Iterable, Iterator

from .._event import Event, Precision
from ..state import ActorKind
from ._common import (
    ImportSummary,
    InteropError,
    Options,
    bounded_lines,
    open_text,
    paths_of,
    safe_text,
)
from ._countries import FIPS_NO_ISO3, FIPS_TO_ISO3
from ._engine import Context
from ._mapping import ActorSpec, MapEntry, Record

__all__ = ["COLUMNS", "MAPPING", "read_gdelt"]

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The 61 columns, in order.
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO),
    "DATEADDED", "SOURCEURL",
)
_I = {name: i for i, name in enumerate(COLUMNS)}

#: CAMEO code -> our event type (the most specific of EventCode, EventBaseCode and
#: EventRootCode found here wins).  Every other code is unmapped.
MAPPING: dict[str, MapEntry] = {e.code: e for e in (
    MapEntry("14", "unrest.protest", "by = Actor1, location = ActionGeo_FullName",
             "any PROTEST code, 140-145"),
    MapEntry("173", "justice.detained", "by = Actor1, group = Actor2 (else `detainees`)",
             "Arrest, detain"),
    MapEntry("175", "unrest.crackdown", "by = Actor1", "Use tactics of violent repression"),
    MapEntry("0841", "justice.released", "by = Actor1, group = Actor2",
             "Return, release person(s)"),
    MapEntry("116", "justice.convicted", "person = Actor2, by = Actor1",
             "Find guilty or liable (legally)"),
    MapEntry("163", "sanctions.imposed",
             "by = Actor1, targets = Actor2, kinds = other (CAMEO does not say which)",
             "Impose embargo, boycott, or sanctions"),
    MapEntry("1723", "emergency.declared", "by = Actor1, kind = curfew, scope = ActionGeo_FullName",
             "Impose curfew", "curfew"),
    MapEntry("1724", "emergency.declared", "by = Actor1, kind = other, scope = ActionGeo_FullName",
             "Impose state of emergency or martial law: CAMEO does not tell them apart",
             "other"),
)}

_KINDS = {"GOV": ActorKind.GOVERNMENT, "MIL": ActorKind.SECURITY_FORCES,
          "COP": ActorKind.SECURITY_FORCES, "JUD": ActorKind.COURT, "OPP": ActorKind.GROUP,
          "IGO": ActorKind.INTERNATIONAL_ORG, "NGO": ActorKind.NGO}


def _kind(code: str, type1: str) -> ActorKind:
    return _KINDS.get(type1) or _KINDS.get(code[:3]) or ActorKind.GROUP


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> _dt.date:
    """``SQLDATE`` (``YYYYMMDD``) as a date; ValueError otherwise."""
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


@functools.lru_cache(maxsize=256)
def _added(text: str) -> _dt.datetime | None:
    """``DATEADDED`` (``YYYYMMDDHHMMSS``, UTC; one value per 15-minute file) as a datetime."""
    if len(text) != 14 or not text.isdigit():
        return None
    try:
        return _dt.datetime(int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]),
                            int(text[10:12]), int(text[12:14]), tzinfo=_dt.UTC)
    except ValueError:
        return None


def read_gdelt(
    files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
    options: Options | None = None, summary: ImportSummary | None = None,
    source: str | None = "gdelt",
) -> Iterator[Event]:
    """Events from GDELT 2.0 event files, streamed in file order (actors introduced on first use).

    Actors are named by ``Actor1Name`` (else ``Actor1Code``).
    """
    ctx = Context("gdelt", options or Options(), summary, source)
    for path in paths_of(files):
        yield from _read(path, ctx)


def _read(path: str, ctx: Context) -> Iterator[Event]:
    opts, s = ctx.options, ctx.summary
    width = len(COLUMNS)
    i_id, i_date, i_added, i_url = (_I["GLOBALEVENTID"], _I["SQLDATE"], _I["DATEADDED"],
                                    _I["SOURCEURL"])
    i_code, i_base, i_root = _I["EventCode"], _I["EventBaseCode"], _I["EventRootCode"]
    i_a1c, i_a1n, i_a1cc, i_a1t = (_I["Actor1Code"], _I["Actor1Name"], _I["Actor1CountryCode"],
                                   _I["Actor1Type1Code"])
    i_a2c, i_a2n, i_a2cc, i_a2t = (_I["Actor2Code"], _I["Actor2Name"], _I["Actor2CountryCode"],
                                   _I["Actor2Type1Code"])
    i_geo, i_place = _I["ActionGeo_CountryCode"], _I["ActionGeo_FullName"]
    name = os.path.basename(path)
    mapping = MAPPING
    fips = FIPS_TO_ISO3
    with open_text(path, opts.max_bytes) as f:
        rows = csv.reader(bounded_lines(f, path), delimiter="\t", quoting=csv.QUOTE_NONE)
        tracking = ctx.seen is not None
        line = 0
        try:
            for row in rows:
                line = rows.line_num
                if not row:
                    continue
                if len(row) != width:
                    if line == 1:
                        raise InteropError(
                            f"not a GDELT 2.0 event file: expected {width} tab-separated "
                            f"columns ({', '.join(COLUMNS[:3])}, ... {COLUMNS[-1]}), found "
                            f"{len(row)}", file=path, line=1)
                    s.records += 1
                    s.reject(f"{len(row)} columns, not {width}", f"{name}:{line}")
                    continue
                s.records += 1
                where = f"{name}:{line}"
                if tracking:
                    ctx.present(row[i_id])
                sqldate = row[i_date]
                try:
                    day = _day(sqldate)
                except ValueError:
                    if line == 1:
                        raise InteropError(
                            f"not a GDELT 2.0 event file: SQLDATE (column 2) is "
                            f"{safe_text(sqldate)}, not YYYYMMDD", file=path, line=1) from None
                    s.reject("SQLDATE is not YYYYMMDD", where)
                    continue
                geo = row[i_geo]
                iso3 = fips.get(geo) if geo else None
                if geo and iso3 is None:
                    s.notes["FIPS place code with no ISO 3166-1 country (ocean, disputed "
                            "island...)" if geo in FIPS_NO_ISO3
                            else "FIPS place code not in the crosswalk"] += 1
                country = iso3 or (row[i_a1cc] or None)
                if not opts.admits(day, country):
                    s.filtered += 1
                    continue
                recorded = _added(row[i_added])
                code = row[i_code]
                a1 = row[i_a1n] or row[i_a1c]
                a2 = row[i_a2n] or row[i_a2c]
                record = Record(
                    dataset="gdelt", record_id=row[i_id], code=code, day=day,
                    precision=Precision.DAY,
                    actor_spec=ActorSpec(a1, _kind(row[i_a1c], row[i_a1t]),
                                         row[i_a1cc] or None) if a1 else None,
                    target_spec=ActorSpec(a2, _kind(row[i_a2c], row[i_a2t]),
                                          row[i_a2cc] or None) if a2 else None,
                    location=row[i_place] or None, text=row[i_url],
                    common=ctx.common(row[i_id], recorded, row[i_url]),
                )
                entry = (mapping.get(code) or mapping.get(row[i_base])
                         or mapping.get(row[i_root]))
                yield from ctx.emit(record, entry, where)
        except csv.Error as exc:
            raise InteropError(f"malformed line: {safe_text(exc)}", file=path,
                               line=line + 1) from None

