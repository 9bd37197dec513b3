"""Mapping tables as data, and the one function that builds an event from a mapped record.

Each format module holds a table: its code -> :class:`MapEntry` (our tag and
which of its fields fill ours).  ``docs/interop.md`` shows the same tables,
rendered by :func:`render_table` and checked fresh by the test suite.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._event import Event, Precision
from ..events import (
    ArrestThreatened,
    CrackdownReported,
    PeopleDetained,
    PrisonersReleased,
    ProtestHeld,
    RecordReported,
)
from ..state import ActorKind

__all__ = ["ActorSpec", "Counts", "MapEntry", "Record", "build", "render_table"]


@attrs.frozen
class MapEntry:
    """One row of a mapping table: their ``code`` becomes our ``tag``, filled as ``fields`` says."""

    code: str
    tag: str
    fields: str
    note: str = ""


@attrs.define
class Counts:
    """The numbers a record gives (``None``: not given)."""

    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None
    size: int | None = None
    dead_low: int | None = None
    dead_high: int | None = None


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

_NEEDS_TARGET = {"justice.arrest_threatened", "justice.released"}
#: Tags whose events name only the record's actor (its target is not introduced for them).
ACTOR_ONLY = {"unrest.protest", "unrest.crackdown"}


def needs(tag: str) -> str | None:
    """The role a tag cannot do without (``"target"``), or ``None``."""
    return "target" if tag in _NEEDS_TARGET else None


def build(tag: str, r: Record, actor: str | None, target: str | None) -> Event:
    """The event of type ``tag`` for record ``r`` whose actor and target have these ids
    (``r.common`` gives sources and note)."""
    base = r.common
    c = r.counts
    if tag == "unrest.protest":
        return ProtestHeld(occurred_on=r.day, precision=r.precision, by=actor, size=c.size,
                           location=r.location, **base)
    if tag == "unrest.crackdown":
        return CrackdownReported(occurred_on=r.day, precision=r.precision, by=actor,
                                 deaths=c.dead, injuries=c.injured, arrests=c.arrested, **base)
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


#: Tags the builder knows (every table entry must use one).
TAGS = ("unrest.protest", "unrest.crackdown", "justice.detained", "justice.arrest_threatened",
        "justice.released", "record.reported")


def render_table(entries: Iterable[MapEntry], their: str) -> str:
    """A mapping table as Markdown."""
    lines = [f"| {their} | crisis_model type | fields |", "|---|---|---|"]
    for e in entries:
        note = f" ({e.note})" if e.note else ""
        lines.append(f"| `{e.code}` | `{e.tag}` | {e.fields}{note} |")
    return "\n".join(lines) + "\n"
