"""The part of every reader that is not about its format: rows, actors, mapping, counting.

:class:`CsvTable` streams a CSV file with a header row (ACLED, UCDP GED,
POLECAT's tab-separated files):
bounded lines, the header checked for the columns a format needs, each row
counted and checked for width, CSV errors named with their line.
:class:`Context` is one import run: it introduces actors as records name
them and turns each mapped record into its event.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
from collections.abc import Iterator, Mapping
from typing import Any

from .._event import Event, Precision
from ..state import ActorKind
from ._common import (
    MAX_FIELD,
    Actors,
    ImportSummary,
    InteropError,
    Options,
    bounded_lines,
    header_problem,
    open_text,
    provenance,
    record_event_id,
    safe_text,
)
from ._mapping import ACTOR_ONLY, DETAINEES, ActorSpec, MapEntry, Record, build, needs

__all__ = ["Context", "CsvTable", "first"]


class Context:
    """One import run: its options, actors, summary, and the source its events cite."""

    def __init__(self, dataset: str, options: Options, summary: ImportSummary | None,
                 source: str | None) -> None:
        self.dataset = dataset
        self.options = options
        self.summary = summary if summary is not None else ImportSummary(dataset)
        self.actors = Actors(options.aliases, options.known)
        self.source = source
        self.sources = (source,) if source else ()
        #: Ids of the actors this run introduced itself (their introductions may move).
        self.generated: set[str] = set()
        self._pending: list[Event] = []
        #: The records met (record event id -> "" or the code of an unmapped one), if asked.
        self.seen = options.seen

    def present(self, record_id: str) -> None:
        """Note that the files hold the record ``record_id`` (when ``Options.seen`` asks)."""
        seen = self.seen
        if seen is not None:
            key = record_event_id(self.dataset, record_id)
            if key is not None:
                seen.setdefault(key, "")

    def actor(self, name: str | None, day: _dt.date, precision: Precision, *,
              kind: ActorKind = ActorKind.GROUP, country: str | None = None) -> str | None:
        """The id of a dataset actor; its introduction is queued the first time it is met."""
        if not name:
            return None
        aid, intro = self.actors.resolve(name, day, precision, kind=kind, country=country,
                                         source=self.source)
        if intro is not None:
            self._pending.append(intro)
            self.generated.add(intro.actor)
            self.summary.actors += 1
        return aid

    def common(self, record_id: str, recorded: _dt.date | _dt.datetime | None,
               extra: str = "") -> dict[str, Any]:
        """What every event of a record gets: its id, recorded date, sources and note."""
        out = provenance(self.dataset, record_id, recorded)
        if extra:
            out["note"] = extra[:MAX_FIELD]
        out["sources"] = self.sources
        return out

    def emit(self, record: Record, entry: MapEntry | None, where: str) -> list[Event]:
        """The events for one record: introductions first, then its event (if any)."""
        s = self.summary
        tag = entry.tag if entry is not None else None
        code = record.code
        if tag is not None and needs(tag) == "target" and record.target_spec is None:
            tag, code = None, f"{code} (no target)"
        if tag is None:
            s.unmapped_record(code, where)
            if self.seen is not None:
                key = record_event_id(self.dataset, record.record_id)
                if key is not None:
                    self.seen[key] = code
            if not self.options.keep_unmapped:
                return []
            tag = "record.reported"
            s.reported += 1
        else:
            s.mapped += 1
        day, precision = record.day, record.precision
        a, t = record.actor_spec, record.target_spec
        if tag == "justice.detained" and t is None:
            t = ActorSpec(DETAINEES)
        elif tag in ACTOR_ONLY:
            t = None
        actor = None if a is None else self.actor(a.name, day, precision, kind=a.kind,
                                                   country=a.country)
        target = None if t is None else self.actor(t.name, day, precision, kind=t.kind,
                                                    country=t.country)
        try:
            event = build(tag, record, actor, target, entry)
        except (ValueError, TypeError) as exc:
            s.reject(f"cannot build {tag}: {exc}", where)
            if tag == "record.reported":
                s.reported -= 1
            else:
                s.mapped -= 1
            # The actors stay introduced: another record may name them.
            out, self._pending = self._pending, []
            return out
        out = self._pending
        self._pending = []
        out.append(event)
        return out


class CsvTable:
    """A CSV file with a header row, streamed: ``for line, where, row in table``.

    Opening checks the file (:func:`~crisis_model.interop._common.open_text`)
    and its header: a header lacking one of ``required`` is an
    :class:`InteropError` naming the columns expected and missing.  ``col``
    maps each column's name to its position.  Iterating yields each
    non-empty row of the header's width (counted in ``summary.records``);
    a row of another width is rejected (counted, with its line); a line
    longer than the line limit or malformed CSV is an :class:`InteropError`
    naming its line.
    """

    def __init__(self, path: str, ctx: Context, *, title: str, required: tuple[str, ...],
                 delimiter: str = ",") -> None:
        self.path = path
        self.ctx = ctx
        self.name = os.path.basename(path)
        self._file = open_text(path, ctx.options.max_bytes)
        self._rows = csv.reader(bounded_lines(self._file, path), delimiter=delimiter)
        try:
            header = next(self._rows)
        except StopIteration:
            self.close()
            raise InteropError(f"empty file: expected a {title} header row", file=path,
                               line=1) from None
        except csv.Error as exc:
            self.close()
            raise InteropError(f"not a CSV file: {safe_text(exc)}", file=path,
                               line=1) from None
        except BaseException:
            self.close()
            raise
        problem = header_problem(required, header, title)
        if problem:
            self.close()
            raise InteropError(problem, file=path, line=1)
        self.col: Mapping[str, int] = {name: i for i, name in enumerate(header)}
        self.width = len(header)

    def close(self) -> None:
        """Close the file (iterating to the end closes it too)."""
        self._file.close()

    def __iter__(self) -> Iterator[tuple[int, str, list[str]]]:
        rows, s, width, name = self._rows, self.ctx.summary, self.width, self.name
        line = 1
        try:
            for row in rows:
                line = rows.line_num
                if not row:
                    continue
                s.records += 1
                where = f"{name}:{line}"
                if len(row) != width:
                    s.reject(f"{len(row)} columns where the header has {width}", where)
                    continue
                yield line, where, row
        except csv.Error as exc:
            raise InteropError(f"malformed CSV: {safe_text(exc)}", file=self.path,
                               line=line + 1) from None
        finally:
            self.close()


def first(mapping: Mapping[str, MapEntry], *codes: str) -> MapEntry | None:
    """The entry of the first of ``codes`` the table has."""
    for c in codes:
        entry = mapping.get(c)
        if entry is not None:
            return entry
    return None
