"""What changed between two imports of one dataset (ACLED edits and deletes past records).

:func:`compare_imports` matches the events of an earlier import and a later
one by their record (dataset and record id) and sorts each record into
unchanged, changed (same id, other content), added and gone.  The date a
record was last entered (ACLED's ``timestamp``) is not content: a record
re-stamped without an edit is unchanged.

Turning the changes into ``record.corrected`` and ``record.retracted``
events waits for those event types (they come with stable event ids); until
then the comparison says what a re-import would correct or retract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

from .._event import Event
from ..events import ActorIntroduced
from ..serialization import to_dict

__all__ = ["Revisions", "compare_imports", "record_of"]

_PROVENANCE = re.compile(r"^(?P<dataset>[a-z0-9_]+) (?P<id>[^;]+?)(?:; recorded [^;]+)?(?:; |$)")


def record_of(event: Event) -> tuple[str, str] | None:
    """``(dataset, record id)`` of an imported event, or ``None`` for any other event."""
    match = _PROVENANCE.match(event.note)
    if match is None or isinstance(event, ActorIntroduced):
        return None
    return match.group("dataset"), match.group("id")


def _content(event: Event) -> dict[str, Any]:
    data = to_dict(event)
    data["note"] = _PROVENANCE.sub(lambda m: f"{m.group('dataset')} {m.group('id')}; ",
                                   event.note, count=1)
    return data


@attrs.frozen
class Revisions:
    """How a later import differs from an earlier one, record by record."""

    unchanged: tuple[tuple[str, str], ...] = ()
    changed: tuple[tuple[Event, Event], ...] = ()
    added: tuple[Event, ...] = ()
    gone: tuple[Event, ...] = ()

    def summary(self) -> str:
        """One line of counts."""
        return (f"{len(self.unchanged)} unchanged, {len(self.changed)} changed, "
                f"{len(self.added)} added, {len(self.gone)} gone")


def compare_imports(earlier: Iterable[Event], later: Iterable[Event]) -> Revisions:
    """Match two imports' events by record and say what changed (see the module's doc)."""
    old: dict[tuple[str, str], Event] = {}
    for e in earlier:
        key = record_of(e)
        if key is not None:
            old[key] = e
    unchanged: list[tuple[str, str]] = []
    changed: list[tuple[Event, Event]] = []
    added: list[Event] = []
    seen: set[tuple[str, str]] = set()
    for e in later:
        key = record_of(e)
        if key is None:
            continue
        seen.add(key)
        before = old.get(key)
        if before is None:
            added.append(e)
        elif _content(before) == _content(e):
            unchanged.append(key)
        else:
            changed.append((before, e))
    gone = [e for key, e in old.items() if key not in seen]
    return Revisions(tuple(unchanged), tuple(changed), tuple(added), tuple(gone))
