"""Re-importing a newer export of a dataset: corrections and retractions, idempotently.

Datasets edit and delete past records (ACLED does, between exports).  An
imported event's id is its record's (``"acled:VEN9003"``, see
:func:`~crisis_model.interop.record_event_id`), so a later export's records
find the events an earlier import made of them.  :func:`revise` compares a
log (a store's stream, a scenario's events) with a new import, record by
record, and says what to append:

- same record, same content: nothing (a record re-stamped without an edit,
  a new ``timestamp`` alone, is no change);
- same record, other content: a ``record.corrected`` event naming the event
  by its id and giving the fields that changed (``deaths = 3``); when the
  record now maps onto another event type, a ``record.retracted`` event for
  the old one and the new event (its id gains ``#r2``: ids are never reused);
- a record the log lacks: its event;
- a record the new export no longer has: with ``retract_missing``, a
  ``record.retracted`` event; without, it is counted (``missing``) and left;
  a record still there but now coded with no mapping is retracted too
  (unless it was kept as ``record.reported`` and the import keeps none).

Records the import filtered out (``--country``, ``--from``/``--to``) or could
not read are never retracted: only what the export no longer holds is.
Running the same import again appends nothing.  Corrections and retractions
are dated (and recorded) on the new record's recorded date, else ``on``.

:func:`compare_imports` is the older, read-only comparison of two imports.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .._event import Event
from ..events import ActorIntroduced
from ..record import UNCORRECTABLE, RecordCorrected, RecordRetracted, as_known
from ..serialization import to_dict
from ._common import record_event_id

__all__ = ["Revisions", "Update", "compare_imports", "record_key", "record_of", "revise"]

#: The note imported events carried before events had ids (still read).
_PROVENANCE = re.compile(r"^(?P<dataset>[a-z0-9_]+) (?P<id>[^;]+?)(?:; recorded [^;]+)?(?:; |$)")
#: An imported event's id: ``dataset:record`` (``#r2``... for a record's later events).
_RECORD_ID = re.compile(r"^(?P<dataset>[a-z0-9_]+):(?P<id>.+?)(?:#r\d+)?$")
_REPLACED = re.compile(r"#r\d+$")


def record_key(event: Event) -> str | None:
    """The id of the record an imported event was made from (``"acled:VEN9003"``), or
    ``None`` for any other event (actor introductions included).

    Read from the event's id, or, for events imported before events had ids,
    from the provenance its note carried (``"acled VEN9003; recorded ..."``).
    """
    if isinstance(event, ActorIntroduced) or type(event) in (RecordCorrected, RecordRetracted):
        return None
    eid = event.id
    if eid is not None:
        if _RECORD_ID.match(eid) is None:
            return None
        return _REPLACED.sub("", eid)
    match = _PROVENANCE.match(event.note)
    if match is None:
        return None
    return record_event_id(match.group("dataset"), match.group("id"))


def record_of(event: Event) -> tuple[str, str] | None:
    """``(dataset, record id)`` of an imported event, or ``None`` for any other event."""
    key = record_key(event)
    if key is None:
        return None
    dataset, _, rid = key.partition(":")
    return dataset, rid


_NOT_CONTENT = frozenset({"id", "recorded_on", "recorded_precision", "version"})


def _payload(event: Event) -> dict[str, Any]:
    data = to_dict(event)
    for name in _NOT_CONTENT:
        data.pop(name, None)
    if event.id is None:  # an event imported before ids: its provenance is not content
        data["note"] = _PROVENANCE.sub("", event.note, count=1)
    return data


def _changes(old: Event, new: Event) -> dict[str, Any]:
    """The fields of ``new`` (same type as ``old``) whose payload values differ."""
    before, after = _payload(old), _payload(new)
    return {name: value for name, value in after.items()
            if name not in UNCORRECTABLE and before.get(name) != value}


@attrs.frozen
class Update:
    """What a re-import appends to a log, and why.

    ``events`` are to be appended in order (new actors' introductions, new
    records' events, corrections, retractions); the other fields name the
    records (by id) each way.
    """

    events: tuple[Event, ...] = ()
    unchanged: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    retracted: tuple[str, ...] = ()
    #: Records gone from the export but left in the log (retract_missing was not asked).
    missing: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line of counts."""
        text = (f"{len(self.unchanged)} unchanged, {len(self.added)} added, "
                f"{len(self.corrected)} corrected, {len(self.retracted)} retracted")
        if self.missing:
            text += (f", {len(self.missing)} gone from the export but kept "
                     "(--retract-missing retracts them)")
        return text


def _fresh(base: str, marker: str, used: set[str]) -> str:
    n = 2
    while f"{base}#{marker}{n}" in used:
        n += 1
    eid = f"{base}#{marker}{n}"
    used.add(eid)
    return eid


def revise(
    existing: Sequence[Event], imported: Iterable[Event], *, dataset: str,
    seen: Mapping[str, str] | None = None, retract_missing: bool = False,
    keep_unmapped: bool = False, on: _dt.date | None = None,
) -> Update:
    """What appending a new import of ``dataset`` to ``existing`` takes (see the module's doc).

    ``imported`` are the reader's events (for the records of one export);
    ``seen`` maps the record id (as :func:`record_key` gives it) of every
    record the export holds to ``""``, or to its code when it has no mapping
    (readers fill it through ``Options.seen``): without it, no record counts
    as gone.  ``on`` dates retractions of records gone from the export (and
    corrections of records without a recorded date); the default is today.
    Nothing in ``existing`` changes: corrections and retractions are events.
    """
    day = on if on is not None else _dt.date.today()
    log = tuple(existing)
    known = as_known(log)
    used = set(known.ids)
    current: dict[str, tuple[str, Event]] = {}
    for event, origin in zip(known.events, known.origins, strict=True):
        key = record_key(event)
        if key is not None:
            current[key] = (known.ids[origin], event)
    out: list[Event] = []
    unchanged: list[str] = []
    added: list[str] = []
    corrected: list[str] = []
    retracted: list[str] = []
    met: set[str] = set()
    pending: list[Event] = []  # introductions waiting for the event that needs them
    for event in imported:
        key = record_key(event)
        if key is None:
            pending.append(event)
            continue
        if key in met:  # the export holds the record twice: the first counts
            continue
        met.add(key)
        found = current.get(key)
        if found is None:
            eid = event.id
            if eid is None or eid in used:  # the record was retracted: a new id
                event = attrs.evolve(event, id=_fresh(key, "r", used))
            else:
                used.add(eid)
            out += pending
            out.append(event)
            added.append(key)
        else:
            old_id, old = found
            if type(old) is type(event) and _payload(old) == _payload(event):
                unchanged.append(key)
                pending.clear()
                continue
            when = event.recorded_on or day
            out += pending
            if type(old) is type(event):
                out.append(RecordCorrected(
                    occurred_on=when, recorded_on=when, sources=event.sources,
                    corrects=old_id, changes=_changes(old, event),
                    id=_fresh(old_id, "c", used),
                ))
                corrected.append(key)
            else:
                out.append(RecordRetracted(
                    occurred_on=when, recorded_on=when, sources=event.sources, retracts=old_id,
                    reason=f"the {dataset} record is now coded as {event.event_tag}",
                    id=_fresh(old_id, "x", used),
                ))
                out.append(attrs.evolve(event, id=_fresh(key, "r", used)))
                retracted.append(key)
                added.append(key)
        pending.clear()
    missing: list[str] = []
    if seen is not None:
        prefix = f"{dataset}:"
        for key, (old_id, old) in current.items():
            if key in met or not key.startswith(prefix):
                continue
            code = seen.get(key)
            if code is None:
                if not retract_missing:
                    missing.append(key)
                    continue
                reason = f"no longer in the {dataset} export"
            elif code and not (old.event_tag == "record.reported" and not keep_unmapped):
                reason = f"the {dataset} record is now coded {code}, which has no mapping"
            else:
                continue  # still there (filtered out, unreadable, or unmapped as before)
            out.append(RecordRetracted(occurred_on=day, recorded_on=day, sources=old.sources,
                                       retracts=old_id, reason=reason,
                                       id=_fresh(old_id, "x", used)))
            retracted.append(key)
    return Update(tuple(out), tuple(unchanged), tuple(added), tuple(corrected),
                  tuple(retracted), tuple(missing))


# -- the read-only comparison --------------------------------------------------------------


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
    """Match two imports' events by record and say what changed (nothing is written).

    The date a record was last entered (ACLED's ``timestamp``) is not content.
    """
    old: dict[str, Event] = {}
    for e in earlier:
        key = record_key(e)
        if key is not None:
            old[key] = e
    unchanged: list[tuple[str, str]] = []
    changed: list[tuple[Event, Event]] = []
    added: list[Event] = []
    seen: set[str] = set()
    for e in later:
        key = record_key(e)
        if key is None:
            continue
        seen.add(key)
        before = old.get(key)
        if before is None:
            added.append(e)
        elif type(before) is type(e) and _payload(before) == _payload(e):
            dataset, _, rid = key.partition(":")
            unchanged.append((dataset, rid))
        else:
            changed.append((before, e))
    gone = [e for key, e in old.items() if key not in seen]
    return Revisions(tuple(unchanged), tuple(changed), tuple(added), tuple(gone))

