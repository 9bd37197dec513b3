"""The part of every reader that is not about its format: actors, mapping, counting."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from .._event import Event, Precision
from ..state import ActorKind
from ._common import MAX_FIELD, Actors, ImportSummary, Options, provenance
from ._mapping import ACTOR_ONLY, DETAINEES, ActorSpec, MapEntry, Record, build, needs

__all__ = ["Context", "first"]


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
        """Sources and provenance every event of a record gets."""
        out = provenance(self.dataset, record_id, recorded)
        if extra:
            out["note"] = f"{out['note']}; {extra[:MAX_FIELD]}"
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
            event = build(tag, record, actor, target)
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



def first(mapping: Mapping[str, MapEntry], *codes: str) -> MapEntry | None:
    """The entry of the first of ``codes`` the table has."""
    for c in codes:
        entry = mapping.get(c)
        if entry is not None:
            return entry
    return None
