"""Mapping tables as data, and the one function that builds an event from a mapped record.

Each format module holds a table: its code -> :class:`MapEntry` (our tag and
which of its fields fill ours).  ``docs/interop.md`` shows the same tables,
rendered by :func:`render_table` and checked fresh by the test suite.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .._count import Count, count_or_none
from .._event import Event, Precision
from ..events import (
    ArrestThreatened,
    CrackdownReported,
    PeopleDetained,
    PrisonersReleased,
    ProtestHeld,
    RecordReported,
)
from ..reducer import registry
from ..state import ActorKind
from ._common import actor_id

__all__ = ["ActorSpec", "Counts", "MapEntry", "Record", "build", "render_table"]


@attrs.frozen
class MapEntry:
    """One row of a mapping table: their ``code`` becomes our ``tag``, filled as ``fields`` says."""

    code: str
    tag: str
    fields: str
    note: str = ""
    #: A value the mapping fixes (an emergency's ``kind``), when the code says it.
    value: str = ""


@attrs.define
class Counts:
    """The numbers a record gives (``None``: not given)."""

    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None
    size: int | None = None
    dead_low: int | None = None
    dead_high: int | None = None

    def deaths(self) -> Count | int | None:
        """The death toll: a range with its best estimate when the record gives bounds
        (UCDP's low, best, high), else the number given (``None``: none given)."""
        if self.dead_low is None and self.dead_high is None:
            return self.dead
        low = self.dead_low if self.dead_low is not None else 0
        return Count(low, self.dead, self.dead_high)


@attrs.define
class ActorSpec:
    """A dataset's actor as a record names it: name (or code), kind and country, if known."""

    name: str
    kind: ActorKind = ActorKind.GROUP
    country: str | None = None


@attrs.define
class Record:
    """A dataset record reduced to what the mapping uses (one per format reader)."""

    dataset: str
    record_id: str
    code: str
    day: _dt.date
    precision: Precision
    actor_spec: ActorSpec | None = None
    target_spec: ActorSpec | None = None
    counts: Counts = attrs.Factory(Counts)
    location: str | None = None
    text: str = ""
    ends_on: _dt.date | None = None
    common: Mapping[str, Any] = attrs.field(factory=dict)


#: Actor id used for the detainees of a record that names no detained group.
DETAINEES = "detainees"

_NEEDS_TARGET = {"justice.arrest_threatened", "justice.released", "sanctions.imposed",
                 "justice.convicted"}
#: Tags whose events name only the record's actor (its target is not introduced for them).
ACTOR_ONLY = {"unrest.protest", "unrest.crackdown", "emergency.declared"}


def needs(tag: str) -> str | None:
    """The role a tag cannot do without (``"target"``), or ``None``."""
    return "target" if tag in _NEEDS_TARGET else None


def _takes_count(cls: type[Event], name: str) -> bool:
    """Whether ``cls``'s field ``name`` holds a :class:`~crisis_model.Count`."""
    field = attrs.fields_dict(cls).get(name)
    converter: object = field.converter if field is not None else None
    return converter is count_or_none


def ref_id(r: Record) -> str:
    """An id for a record of the thing an event introduces (an emergency, a sanctions
    regime): the dataset and the record's id, as :func:`actor_id` writes names."""
    return actor_id(f"{r.dataset}-{r.record_id}") or actor_id(f"{r.dataset}-{r.day}")


def build(tag: str, r: Record, actor: str | None, target: str | None,
          entry: MapEntry | None = None) -> Event:
    """The event of type ``tag`` for record ``r`` whose actor and target have these ids
    (``r.common`` gives sources and note; ``entry`` the value a mapping fixes)."""
    base = r.common
    c = r.counts
    builder = _BUILDERS.get(tag)
    if builder is not None:
        return builder(r, actor, target, entry)
    if tag == "unrest.protest":
        return ProtestHeld(occurred_on=r.day, precision=r.precision, by=actor, size=c.size,
                           location=r.location, **base)
    if tag == "unrest.crackdown":
        deaths: Any = c.deaths() if _takes_count(CrackdownReported, "deaths") else c.dead
        return CrackdownReported(occurred_on=r.day, precision=r.precision, by=actor,
                                 deaths=deaths, injuries=c.injured, arrests=c.arrested, **base)
    if tag == "justice.detained":
        return PeopleDetained(occurred_on=r.day, precision=r.precision,
                              group=target or DETAINEES, count=c.arrested, by=actor, **base)
    if tag == "justice.arrest_threatened":
        assert target is not None
        return ArrestThreatened(occurred_on=r.day, precision=r.precision, person=target,
                                by=actor, **base)
    if tag == "justice.released":
        return PrisonersReleased(occurred_on=r.day, precision=r.precision, group=target,
                                 by=actor, **base)
    if tag == "record.reported":
        return RecordReported(
            occurred_on=r.day, precision=r.precision,
            dataset=r.dataset, code=r.code, record_id=r.record_id, text=r.text,
            actors=(actor,) if actor else (), targets=(target,) if target else (),
            ends_on=r.ends_on if r.ends_on != r.day else None,
            deaths_low=c.dead_low, deaths_best=c.dead, deaths_high=c.dead_high, **base,
        )
    raise ValueError(f"no builder for tag {tag!r}")  # pragma: no cover - tables are checked


def _registered(tag: str) -> Any:
    """The class registered for ``tag`` (built with keywords its own module defines)."""
    return registry.types[tag]


def _emergency(r: Record, actor: str | None, target: str | None,
               entry: MapEntry | None) -> Event:
    kind = entry.value if entry is not None and entry.value else "other"
    event: Event = _registered("emergency.declared")(
        occurred_on=r.day, precision=r.precision, emergency=ref_id(r), kind=kind, by=actor,
        scope=r.location or "", **r.common)
    return event


def _sanctions(r: Record, actor: str | None, target: str | None,
               entry: MapEntry | None) -> Event:
    if actor is None or target is None:
        raise ValueError("a sanction names who imposes it and on whom")
    kind = entry.value if entry is not None and entry.value else "other"
    event: Event = _registered("sanctions.imposed")(
        occurred_on=r.day, precision=r.precision, sanction=ref_id(r), by=actor,
        targets=(target,), kinds=(kind,), **r.common)
    return event


def _convicted(r: Record, actor: str | None, target: str | None,
               entry: MapEntry | None) -> Event:
    if target is None:
        raise ValueError("a conviction names who is convicted")
    event: Event = _registered("justice.convicted")(
        occurred_on=r.day, precision=r.precision, person=target, by=actor, **r.common)
    return event


Builder = Callable[[Record, "str | None", "str | None", "MapEntry | None"], Event]

#: Builders of the event types the "any crisis" families added (looked up in the
#: registry by tag, like any user's type).
_BUILDERS: dict[str, Builder] = {
    "emergency.declared": _emergency,
    "sanctions.imposed": _sanctions,
    "justice.convicted": _convicted,
}

#: Tags the builder knows (every table entry must use one).
TAGS = ("unrest.protest", "unrest.crackdown", "justice.detained", "justice.arrest_threatened",
        "justice.released", "record.reported", *_BUILDERS)


def render_table(entries: Iterable[MapEntry], their: str) -> str:
    """A mapping table as Markdown."""
    lines = [f"| {their} | crisis_model type | fields |", "|---|---|---|"]
    for e in entries:
        note = f" ({e.note})" if e.note else ""
        lines.append(f"| `{e.code}` | `{e.tag}` | {e.fields}{note} |")
    return "\n".join(lines) + "\n"
