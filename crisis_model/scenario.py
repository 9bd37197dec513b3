"""Scenario files: a crisis as a titled, sourced list of events, in TOML or JSON Lines.

TOML is for people::

    [scenario]
    id = "venezuela-2024"
    title = "Venezuela's disputed 2024 presidential election"

    [sources.rio-times-2024-08-11]
    outlet = "The Rio Times"
    title = "..."
    published = 2024-08-11

    [[events]]
    type = "actor.introduced"
    occurred_on = 2024-01-01
    precision = "year"
    actor = "maduro"
    name = "Nicolás Maduro"
    kind = "person"
    sources = ["rio-times-2024-08-11"]

JSON Lines is for machines: an optional header line
``{"scenario": {...}, "sources": {...}}``, then one event a line as
:func:`crisis_model.serialization.to_dict` gives it.  A scenario may
``extends = "other.toml"`` (relative to its own file) and append events: that
is how what-if branches are written.

Every problem is a :class:`~crisis_model.errors.ScenarioError` naming the file,
the line, the event and the field; the loader collects them all (``errors``).
"""

from __future__ import annotations

import datetime as _dt
import enum
import errno
import json
import math
import os
import re
import tomllib
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, overload

import attrs

from . import _jsontext, _limits
from ._dates import Reading
from ._event import Event, Precision, window
from ._frozenmap import FrozenMap, frozen_map
from ._limits import Limits
from .errors import (
    DuplicateSourceError,
    ExtendsCycleError,
    LimitExceededError,
    RuleViolation,
    ScenarioError,
    ScenarioRuleViolation,
    ScenarioSchemaError,
    ScenarioSyntaxError,
    UnknownEventTypeError,
    UnknownSourceError,
    UnknownTypeTagError,
    nearest,
)
from .record import KnownLog, as_known, explicit_id_clashes
from .reducer import Anomaly, paused_gc, registry, replay, snapshots, state_at
from .serialization import DecodeError, from_dict, to_dict
from .state import CrisisState

__all__ = [
    "Format",
    "Location",
    "Scenario",
    "Source",
    "load_scenario",
]

#: A scenario file format: ``"toml"`` (for people) or ``"jsonl"`` (JSON Lines, for machines).
Format = Literal["toml", "jsonl"]

_SUFFIXES: dict[str, Format] = {
    ".toml": "toml",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
}
_SCENARIO_KEYS = ("id", "title", "description", "extends")
_SOURCE_KEYS = ("outlet", "title", "published", "precision", "url", "note")
_TOP_KEYS = ("scenario", "sources", "events")
_HEADER_KEYS = ("scenario", "sources")


@attrs.frozen
class Source:
    """A report that events cite by ``id``: its outlet, title, publication date and url.

    ``published`` is known to the day, month or year (``precision``, as for events).
    """

    id: str
    outlet: str
    title: str
    published: _dt.date | None = None
    precision: Precision = Precision.DAY
    url: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The source as a plain table (without its id; absent values left out)."""
        out: dict[str, Any] = {"outlet": self.outlet, "title": self.title}
        if self.published is not None:
            out["published"] = self.published.isoformat()
        if self.precision is not Precision.DAY:
            out["precision"] = self.precision.value
        if self.url is not None:
            out["url"] = self.url
        if self.note:
            out["note"] = self.note
        return out


@attrs.frozen
class Location:
    """Where an event was written: its file and the line of its ``[[events]]`` table."""

    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return "" if self.line is None else f"line {self.line}"
        return self.file if self.line is None else f"{self.file}:{self.line}"


def _events_tuple(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(events)


def _locations_tuple(locations: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(locations)


@attrs.frozen
class Scenario:
    """A crisis as told by its sources: an id, a title, the sources and the events in order.

    Two scenarios are equal when their id, title, description, sources and
    events are; where they were read from (``path``, ``extends``,
    ``locations``) does not count.
    """

    id: str
    title: str
    sources: FrozenMap[str, Source] = attrs.field(factory=FrozenMap, converter=frozen_map)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events_tuple)
    description: str = ""
    #: The ``extends`` value as written in the file, if any.
    extends: str | None = attrs.field(default=None, eq=False)
    #: The file the scenario was loaded from, if any.
    path: str | None = attrs.field(default=None, eq=False)
    #: Where each event was written (one per event; empty for a scenario built in code).
    locations: tuple[Location, ...] = attrs.field(
        default=(), converter=_locations_tuple, eq=False
    )

    # -- replay -----------------------------------------------------------------------------

    def location(self, index: int) -> Location:
        """Where event ``index`` was written (file and line), as far as is known."""
        if 0 <= index < len(self.locations):
            return self.locations[index]
        return Location(self.path, None)

    def _located(self, exc: RuleViolation) -> ScenarioRuleViolation:
        where = self.location(exc.index)
        return ScenarioRuleViolation(
            exc.index, exc.event, exc.problems, file=where.file, line=where.line
        )

    @overload
    def replay(
        self, *, strict: Literal[True] = True, known_on: _dt.date | None = None
    ) -> CrisisState: ...
    @overload
    def replay(
        self, *, strict: Literal[False], known_on: _dt.date | None = None
    ) -> tuple[CrisisState, list[Anomaly]]: ...
    def replay(
        self, *, strict: bool = True, known_on: _dt.date | None = None
    ) -> CrisisState | tuple[CrisisState, list[Anomaly]]:
        """Replay the events: strict raises :class:`~crisis_model.errors.ScenarioRuleViolation`
        (a :class:`~crisis_model.RuleViolation` with file and line); lenient returns
        ``(state, anomalies)``.  With ``known_on``, the record as it stood that day
        (see :meth:`as_known`)."""
        if not strict:
            return replay(self.events, strict=False, known_on=known_on, sources=self.sources)
        try:
            return replay(self.events, known_on=known_on, sources=self.sources)
        except ScenarioRuleViolation:
            raise
        except RuleViolation as exc:
            raise self._located(exc) from None

    def snapshots(self, *, strict: bool = True) -> Iterator[CrisisState]:
        """The state after each event, lazily (see :func:`crisis_model.snapshots`)."""
        try:
            yield from snapshots(self.events, strict=strict)
        except ScenarioRuleViolation:
            raise
        except RuleViolation as exc:
            raise self._located(exc) from None

    def as_known(self, known_on: _dt.date | None = None) -> KnownLog:
        """The record as it stood on ``known_on`` (see :func:`crisis_model.record.as_known`):
        each event's recorded date is its ``recorded_on`` or else the publication date of
        the earliest of its sources."""
        return as_known(self.events, known_on, sources=self.sources)

    def state_at(
        self, when: _dt.date, *, strict: bool = True, known_on: _dt.date | None = None,
        reading: Reading = "certain",
    ) -> CrisisState:
        """The state as of ``when``: the events certain by then (see
        :func:`crisis_model.state_at` for imprecise dates and ``reading``); with
        ``known_on``, as the record stood that day (the sources' publication dates
        give the events' recorded dates)."""
        try:
            return state_at(self.events, when, strict=strict, known_on=known_on,
                            sources=self.sources, reading=reading)
        except ScenarioRuleViolation:
            raise
        except RuleViolation as exc:
            raise self._located(exc) from None

    # -- writing ----------------------------------------------------------------------------

    def to_toml(self) -> str:
        """The scenario as a self-contained TOML document (inherited events written out)."""
        return _scenario_toml(self)

    def to_jsonl(self) -> str:
        """The scenario as JSON Lines: a header line, then one event a line."""
        header: dict[str, Any] = {"scenario": self._meta(), "sources": {
            sid: s.to_dict() for sid, s in self.sources.items()
        }}
        lines = [_jsontext.dumps(header)]
        lines += [_jsontext.dumps(to_dict(e)) for e in self.events]
        return "\n".join(lines) + "\n"

    def _meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.description:
            meta["description"] = self.description
        return meta

    def dump(self, path: str | os.PathLike[str], *, format: Format | None = None) -> None:
        """Write the scenario to ``path``, as TOML or JSON Lines (by suffix unless ``format``).

        The file is self-contained (no ``extends``) and loads back to an equal scenario.
        """
        fmt = format or _format_of(str(path))
        text = self.to_toml() if fmt == "toml" else self.to_jsonl()
        Path(path).write_text(text, encoding="utf-8")


# -- loading ------------------------------------------------------------------------------------


def _format_of(path: str) -> Format:
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise ScenarioError(
            "unknown scenario format: name the file *.toml (for people) or *.jsonl "
            "(JSON Lines, for machines)",
            file=path,
        )
    return fmt


#: Where the scenarios shipped with the package live (``<id>.toml`` each).
SHIPPED = Path(__file__).parent / "scenarios"
_SHIPPED_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def scenario_names() -> list[str]:
    """The ids of the real crises shipped with the package, sorted.

    Load one with :func:`load_scenario` by its id:

    >>> import crisis_model as cm
    >>> names = cm.scenario_names()
    >>> all(cm.load_scenario(n).id == n for n in names)
    True
    """
    if not SHIPPED.is_dir():
        return []
    return sorted(p.stem for p in SHIPPED.glob("*.toml") if _SHIPPED_ID.match(p.stem))


def shipped_scenario_path(name: str) -> Path:
    """The file of the shipped scenario ``name`` (``KeyError`` naming the ids if unknown)."""
    if _SHIPPED_ID.match(name):
        path = SHIPPED / f"{name}.toml"
        if path.is_file():
            return path
    raise KeyError(f"no scenario {name!r} ships with crisis_model; shipped: "
                   f"{', '.join(scenario_names()) or 'none'}")


def resolve_scenario(path: str | os.PathLike[str]) -> str:
    """``path`` itself, or the file of the shipped scenario it names when no such file exists."""
    file = os.fspath(path)
    if not os.path.exists(file) and _SHIPPED_ID.match(file):
        try:
            return str(shipped_scenario_path(file))
        except KeyError:
            shipped = ", ".join(scenario_names()) or "none"
            raise FileNotFoundError(
                errno.ENOENT, f"no such file, and no shipped scenario of that id (shipped: "
                f"{shipped}; see `crisis-model scenarios`)", file) from None
    return file


def load_scenario(
    path: str | os.PathLike[str], *, limits: Limits | None = None
) -> Scenario:
    """Read a scenario file (``.toml`` or ``.jsonl``), following ``extends``.

    ``path`` may also be the id of a scenario shipped with the package (see
    :func:`scenario_names`), when no file of that name exists.

    Raises :class:`OSError` when the file cannot be opened and a
    :class:`~crisis_model.errors.ScenarioError` subclass when it is malformed
    (the first problem, with every problem found in its ``errors``) or over one
    of the reading ``limits`` (:class:`~crisis_model.Limits`; by default those
    the environment variable ``CRISIS_MODEL_LIMITS`` sets, else the defaults):
    a :class:`~crisis_model.errors.LimitExceededError` then says how to raise
    it.  Rules are not checked here: call :meth:`Scenario.replay`.
    """
    with paused_gc():  # loading builds no reference cycles: collecting is wasted work
        return _load_chain(resolve_scenario(path), _limits.active(limits))


def _read_raw(file: str, limits: Limits) -> _Raw:
    """Read and parse one file, under ``limits``."""
    fmt = _format_of(file)
    raw_bytes = _limits.read_bounded(file, limits, what="scenario file (.toml or .jsonl)")
    if raw_bytes.startswith(b"\xef\xbb\xbf"):
        raise ScenarioSyntaxError(
            "the file starts with a UTF-8 byte-order mark (BOM, bytes EF BB BF): save it as "
            "UTF-8 without a BOM", file=file, line=1,
        )
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise ScenarioSyntaxError(
            "not UTF-8 text (save the file as UTF-8)", file=file, line=line
        ) from None
    del raw_bytes
    if fmt == "toml":
        return _parse_toml(text, file, limits)
    return _parse_jsonl(text, file, limits)


def _extended(exc: ScenarioError, child: str) -> ScenarioError:
    """``exc`` (and every error it lists) marked as found in the scenario ``child`` extends."""
    for err in exc.errors:
        if err.extended_by is None:
            err.extended_by = child
    return exc


def _parent_path(
    raw: _Raw, extends: str, seen: Mapping[str, str], length: int, limits: Limits
) -> str:
    """The path of the file ``raw`` extends, checked: a scenario file, no cycle, within limits."""
    line = raw.meta_key_lines.get("extends", raw.meta_line)
    where: dict[str, Any] = {"file": raw.file, "line": line, "field": "scenario.extends"}
    if "\0" in extends:
        raise ScenarioSchemaError("the extends path contains a NUL byte", **where)
    target = os.path.normpath(os.path.join(os.path.dirname(raw.file), extends))
    if Path(target).suffix.lower() not in _SUFFIXES:
        raise ScenarioSchemaError(
            f"extends {extends!r}, which is not a scenario file: a scenario extends a "
            "*.toml or *.jsonl scenario file", **where,
        )
    real = os.path.realpath(target)
    if real in seen:
        names = [*seen.values(), target]
        raise ExtendsCycleError(
            "extends cycle: " + " -> ".join(names) + " (a scenario cannot extend itself)",
            **where,
        )
    if not os.path.lexists(target):
        raise ScenarioError(
            f"extends {extends!r}, but there is no such file (looked for {target}; "
            "the path is relative to this file)", **where,
        )
    if length >= limits.extends:
        raise LimitExceededError(
            f"the extends chain is longer than {limits.extends} files (extends); "
            + limits.hint("extends"), limit="extends", **where,
        )
    return target


def _load_chain(path: str, limits: Limits) -> Scenario:
    """Load ``path`` and the scenarios it extends, without recursion (a chain of files is data)."""
    # Up the chain: read each file and its [scenario] table, until one extends nothing.
    chain: list[tuple[_Raw, _Loader, dict[str, str], str | None]] = []
    seen: dict[str, str] = {}
    file, child = path, None
    while True:
        try:
            raw = _read_raw(file, limits)
        except ScenarioError as exc:
            raise exc if child is None else _extended(exc, child) from None
        loader = _Loader()
        meta = loader.check_meta(raw)
        chain.append((raw, loader, meta, child))
        seen[os.path.realpath(file)] = file
        extends = meta.get("extends")
        if extends is None:
            break
        try:
            file = _parent_path(raw, extends, seen, len(chain), limits)
        except ScenarioError as exc:
            raise exc if child is None else _extended(exc, child) from None
        line = raw.meta_key_lines.get("extends", raw.meta_line)
        child = f"{raw.file}:{line}" if line is not None else raw.file
    # Down the chain: the root first, each scenario the parent of the next.
    parent: Scenario | None = None
    for raw, loader, meta, child in reversed(chain):
        sources = loader.decode_sources(raw, parent)
        events, locations = loader.decode_events(raw, parent, sources)
        loader.check_ids(events, locations)
        try:
            loader.raise_errors()
        except ScenarioError as exc:
            raise exc if child is None else _extended(exc, child) from None
        parent = Scenario(
            id=meta.get("id", ""),
            title=meta.get("title", ""),
            description=meta.get("description", ""),
            sources=sources,
            events=events,
            extends=meta.get("extends"),
            path=raw.file,
            locations=locations,
        )
    assert parent is not None
    return parent


@attrs.define
class _RawEvent:
    payload: Any
    line: int | None
    key_lines: dict[str, int]


@attrs.define
class _Raw:
    """A parsed file before its tables become sources and events."""

    file: str
    meta: Any = None
    meta_line: int | None = None
    meta_key_lines: dict[str, int] = attrs.Factory(dict)
    sources: list[tuple[str, Any, int | None]] = attrs.Factory(list)
    events: list[_RawEvent] = attrs.Factory(list)
    top_line: dict[str, int] = attrs.Factory(dict)


#: Distinct unknown source ids that get a "did you mean" hint (each costs a scan of the sources).
_HINTED_SOURCES = 20
#: Defined source ids listed in an unknown-source message.
_LISTED_SOURCES = 10


class _Loader:
    def __init__(self) -> None:
        self.errors: list[ScenarioError] = []
        self._cited: dict[str, str] = {}
        self._defined: str | None = None

    def fail(self, cls: type[ScenarioError], message: str, **where: Any) -> None:
        self.errors.append(cls(message, **where))

    def raise_errors(self) -> None:
        if self.errors:
            first = self.errors[0]
            first.errors = tuple(self.errors)
            raise first

    # -- the whole file --------------------------------------------------------------------

    def check_meta(self, raw: _Raw) -> dict[str, str]:
        file = raw.file
        meta = raw.meta
        if meta is None:
            self.fail(
                ScenarioSchemaError,
                'missing [scenario] table: start the file with [scenario], id = "..." and '
                'title = "..."',
                file=file, line=1,
            )
            return {}
        if not isinstance(meta, Mapping):
            self.fail(ScenarioSchemaError, "[scenario] must be a table of id, title...",
                      file=file, line=raw.meta_line, field="scenario")
            return {}
        out: dict[str, str] = {}
        for key, value in meta.items():
            line = raw.meta_key_lines.get(key, raw.meta_line)
            if key not in _SCENARIO_KEYS:
                self.fail(ScenarioSchemaError, _unknown_key(key, _SCENARIO_KEYS, "[scenario]"),
                          file=file, line=line, field=f"scenario.{key}")
            elif not isinstance(value, str):
                self.fail(ScenarioSchemaError, f"expected a string, got {_show(value)}",
                          file=file, line=line, field=f"scenario.{key}")
            else:
                out[key] = value
        for key in ("id", "title"):
            if key not in meta:
                self.fail(ScenarioSchemaError, f'required: [scenario] needs {key} = "..."',
                          file=file, line=raw.meta_line, field=f"scenario.{key}")
            elif key in out and not out[key].strip():
                self.fail(ScenarioSchemaError, "must not be blank",
                          file=file, line=raw.meta_key_lines.get(key, raw.meta_line),
                          field=f"scenario.{key}")
        return out

    # -- sources ---------------------------------------------------------------------------

    def decode_sources(self, raw: _Raw, parent: Scenario | None) -> FrozenMap[str, Source]:
        sources: dict[str, Source] = dict(parent.sources) if parent is not None else {}
        for sid, table, line in raw.sources:
            where = {"file": raw.file, "line": line}
            if not sid.strip():
                self.fail(ScenarioSchemaError,
                          "a source id must not be blank: write [sources.<id>] with a "
                          "non-blank id", field=f"sources.{sid}", **where)
                continue
            if sid in sources:
                origin = parent.path if parent is not None and sid in parent.sources else None
                also = f" (already defined in {origin})" if origin else ""
                self.fail(DuplicateSourceError, f"source {sid!r} is defined twice{also}",
                          field=f"sources.{sid}", **where)
                continue
            source = self.decode_source(sid, table, raw, line)
            if source is not None:
                sources[sid] = source
        return FrozenMap(sources)

    def decode_source(self, sid: str, table: Any, raw: _Raw, line: int | None) -> Source | None:
        where = {"file": raw.file, "line": line}
        if not isinstance(table, Mapping):
            self.fail(ScenarioSchemaError,
                      f"expected a table (outlet, title, published...), got {_show(table)}",
                      field=f"sources.{sid}", **where)
            return None
        ok = True
        for key in table:
            if key not in _SOURCE_KEYS:
                self.fail(ScenarioSchemaError, _unknown_key(key, _SOURCE_KEYS, "a source"),
                          field=f"sources.{sid}.{key}", **where)
                ok = False
        for key in ("outlet", "title"):
            if key not in table:
                self.fail(ScenarioSchemaError, f'required: {key} = "..."',
                          field=f"sources.{sid}.{key}", **where)
                ok = False
        for key in ("outlet", "title", "url", "note"):
            if key in table and not isinstance(table[key], str):
                self.fail(ScenarioSchemaError, f"expected a string, got {_show(table[key])}",
                          field=f"sources.{sid}.{key}", **where)
                ok = False
        precision = Precision.DAY
        if "precision" in table:
            try:
                precision = Precision(table["precision"])
            except (ValueError, TypeError):
                self.fail(ScenarioSchemaError,
                          f'expected "day", "month" or "year", got {_show(table["precision"])}',
                          field=f"sources.{sid}.precision", **where)
                ok = False
        published = None
        if "published" in table:
            published, problem = _date(table["published"], precision)
            if problem:
                self.fail(ScenarioSchemaError, problem, field=f"sources.{sid}.published", **where)
                ok = False
        if not ok:
            return None
        return Source(
            id=sid, outlet=table["outlet"], title=table["title"], published=published,
            precision=precision, url=table.get("url"), note=table.get("note", ""),
        )

    # -- events ----------------------------------------------------------------------------

    def decode_events(
        self, raw: _Raw, parent: Scenario | None, sources: Mapping[str, Source]
    ) -> tuple[tuple[Event, ...], tuple[Location, ...]]:
        events: list[Event] = list(parent.events) if parent is not None else []
        locations: list[Location] = list(parent.locations) if parent is not None else []
        offset = len(events)
        for i, item in enumerate(raw.events):
            index = offset + i
            event = self.decode_event(item, index, raw.file)
            if event is None:
                continue
            self.check_citations(event, item, index, raw.file, sources)
            events.append(event)
            locations.append(Location(raw.file, item.line))
        return tuple(events), tuple(locations)

    def decode_event(self, item: _RawEvent, index: int, file: str) -> Event | None:
        data = item.payload
        where: dict[str, Any] = {"file": file, "line": item.line, "index": index}
        if not isinstance(data, Mapping):
            self.fail(ScenarioSchemaError,
                      f'expected a table of fields (type = "...", occurred_on = ...), '
                      f"got {_show(data)}", **where)
            return None
        tag = data.get("type")
        if not isinstance(tag, str):
            what = "missing" if tag is None else f"expected a string, got {_show(tag)}"
            self.fail(ScenarioSchemaError,
                      f'{what}: every event needs type = "<tag>" naming a registered event '
                      'type, such as "election.declared"',
                      field="type", **where)
            return None
        try:
            return from_dict(data)
        except UnknownEventTypeError:
            self.errors.append(UnknownTypeTagError(tag, registry.types, **where))
            return None
        except DecodeError as exc:
            cls = registry.types[tag]
            for fe in exc.errors:
                field, message = _explain(cls, fe.path, fe.message)
                top = field.split(".", 1)[0] if field else ""
                line = item.key_lines.get(top, item.line)
                self.fail(ScenarioSchemaError, message, file=file, line=line, index=index,
                          tag=tag, field=field or None)
            return None

    def check_ids(self, events: Sequence[Event], locations: Sequence[Location]) -> None:
        for eid, first, second in explicit_id_clashes(events):
            where = locations[second]
            self.fail(
                ScenarioSchemaError,
                f"id {eid!r} is already the id of event #{first} ({events[first].event_tag}, "
                f"at {locations[first]}): ids must be unique within a scenario",
                file=where.file, line=where.line, index=second, tag=events[second].event_tag,
                field="id",
            )

    def check_citations(
        self, event: Event, item: _RawEvent, index: int, file: str,
        sources: Mapping[str, Source],
    ) -> None:
        for sid in event.sources:
            if sid in sources:
                continue
            message = self._cited.get(sid)
            if message is None:  # once per unknown id: the message costs a scan of the sources
                hint = ""
                if len(self._cited) < _HINTED_SOURCES:
                    near = nearest(sid, sources, n=1)
                    hint = f"; did you mean {near[0]!r}?" if near else ""
                if self._defined is None:
                    listed = sorted(sources)
                    self._defined = ", ".join(listed[:_LISTED_SOURCES]) or "none"
                    if len(listed) > _LISTED_SOURCES:
                        self._defined += f", ... ({len(listed):,} in all)"
                message = (f"cites source {sid!r}, which no [sources.{sid}] table defines "
                           f"(defined: {self._defined}){hint}")
                self._cited[sid] = message
            self.fail(
                UnknownSourceError, message,
                file=file, line=item.key_lines.get("sources", item.line), index=index,
                tag=event.event_tag, field="sources",
            )


# -- field-level explanations -------------------------------------------------------------------


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type[Event]) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # a user's class with unresolvable annotations
            hints = {}
        _HINTS[cls] = hints
    return hints


def _enum_of(tp: Any) -> type[enum.Enum] | None:
    for candidate in (tp, *typing.get_args(tp)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
    return None


def _explain(cls: type[Event], path: str, message: str) -> tuple[str, str]:
    """A field path and message a new user can act on."""
    names = [f.name for f in attrs.fields(cls)]
    if message.startswith("unknown field(s): "):
        extra = [n.strip() for n in message.removeprefix("unknown field(s): ").split(",")]
        hints = []
        for name in extra:
            near = nearest(name, names, n=1)
            if near and near[0] != name:
                hints.append(f"{near[0]!r} for {name!r}" if len(extra) > 1 else repr(near[0]))
        fields = ", ".join(n for n in names)
        text = f"{message} ({cls.event_tag} has fields: type, {fields})"
        if hints:
            text += "; did you mean " + ", ".join(hints) + "?"
        return (extra[0] if len(extra) == 1 else path), text
    if path == "" and message.startswith("until "):
        return "until", message
    if path == "" and "precision" in message:
        return "occurred_on", message
    top = path.split(".", 1)[0]
    choices = _enum_of(_hints(cls).get(top))
    if choices is not None and "is not a valid value" in message:
        values = ", ".join(str(m.value) for m in choices)
        return path, f"{message} (expected one of: {values})"
    if "expected a date" in message:
        return path, message + (
            '; a date known only to the month is written as its first day with '
            'precision = "month" (2024-11-01), one known only to the year as 1 January '
            'with precision = "year"'
        )
    if message == "required field missing":
        return path, "required field missing" + _field_type(cls, top)
    return path, message


def _field_type(cls: type[Event], name: str) -> str:
    tp = _hints(cls).get(name)
    if tp is None:
        return ""
    text = getattr(tp, "__name__", None) or str(tp)
    return f" ({name}: {text})"


def _unknown_key(key: str, allowed: Sequence[str], where: str) -> str:
    near = nearest(key, allowed, n=1)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    return f"unknown key {key!r} in {where} (allowed: {', '.join(allowed)}){hint}"


def _show(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date(value: Any, precision: Precision) -> tuple[_dt.date | None, str | None]:
    day: _dt.date | None = None
    if type(value) is _dt.date:
        day = value
    elif isinstance(value, str):
        try:
            if _DAY_RE.fullmatch(value) is None:
                raise ValueError(value)
            day = _dt.date.fromisoformat(value)
        except ValueError:
            return None, f"expected a date as YYYY-MM-DD, got {value!r}"
    else:
        return None, f"expected a date as YYYY-MM-DD, got {_show(value)}"
    start = window(day, precision)[0]
    if precision is Precision.MONTH and day != day.replace(day=1):
        return None, f"a date known only to the month is its 1st (use {start.replace(day=1)})"
    if precision is Precision.YEAR and (day.month, day.day) != (1, 1):
        return None, f"a date known only to the year is 1 January (use {day.year}-01-01)"
    return day, None


# -- TOML -------------------------------------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*\[\s*(?P<array>\[)?\s*(?P<name>[^\[\]]+?)\s*\]\s*(?(array)\])")
_KEY_RE = re.compile(r"""^\s*(?P<key>[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')\s*=""")
_TOML_POS_RE = re.compile(r"\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TWICE_RE = re.compile(r"^Cannot declare \((?P<key>.*)\) twice")


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
        return name[1:-1]
    return name


def _header_parts(name: str) -> list[str]:
    parts = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[^.]+', name)
    return [_unquote(p) for p in parts if p.strip()]


@attrs.define
class _Section:
    parts: list[str]
    array: bool
    line: int
    keys: dict[str, int]


#: On a line: a complete string (multi-line ones first), a comment, or an unclosed opener.
_TOML_STRING_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'|"""|\'\'\'|"(?:[^"\\]|\\.)*"|\'[^\']*\'|#.*'
)


def _opens_multiline(rest: str) -> str | None:
    """The delimiter of a multi-line string that ``rest`` (a line's end) opens and leaves open."""
    for m in _TOML_STRING_RE.finditer(rest):
        if m.group() in ('"""', "'''"):
            return m.group()
    return None


def _closes_multiline(line: str, quote: str) -> int | None:
    """Where, just after the delimiter, ``line`` closes the open multi-line string."""
    i = 0
    while True:
        i = line.find(quote, i)
        if i < 0:
            return None
        if quote == '"""':  # a basic string: a backslash escapes the next character
            backslashes = len(line[:i]) - len(line[:i].rstrip("\\"))
            if backslashes % 2:
                i += 1
                continue
        end = i + 3
        while end < len(line) and line[end] == quote[0]:  # up to two quotes may end it
            end += 1
        return end


def _sections(text: str) -> list[_Section]:
    """Table headers with their line and the lines of their top-level keys."""
    out = [_Section([], False, 1, {})]
    in_multiline: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if in_multiline is not None:
            end = _closes_multiline(line, in_multiline)
            if end is None:
                continue
            in_multiline = _opens_multiline(line[end:])
            continue
        header = _HEADER_RE.match(line)
        if header:
            out.append(_Section(_header_parts(header["name"]), bool(header["array"]), number, {}))
            continue
        key = _KEY_RE.match(line)
        if key:
            out[-1].keys.setdefault(_unquote(key["key"]), number)
            if '""' in line or "''" in line:  # only then can a multi-line string open here
                in_multiline = _opens_multiline(line[key.end():])
    return out


def _toml_syntax_error(exc: tomllib.TOMLDecodeError, text: str, file: str) -> ScenarioError:
    message = str(exc)
    pos = _TOML_POS_RE.search(message)
    line = int(pos["line"]) if pos else None
    reason = _TOML_POS_RE.sub("", message).strip()
    lines = text.split("\n")
    source = lines[line - 1].strip() if line is not None and 0 < line <= len(lines) else ""
    twice = _TWICE_RE.match(reason)
    if twice:
        parts = [_unquote(p) for p in re.findall(r"'(?:[^'\\]|\\.)*'", twice["key"])]
        if len(parts) == 2 and parts[0] == "sources":
            return DuplicateSourceError(
                f"source {parts[1]!r} is defined twice (each [sources.<id>] needs its own id)",
                file=file, line=line, field=f"sources.{parts[1]}",
            )
        table = ".".join(parts)
        return ScenarioSyntaxError(f"table [{table}] is declared twice", file=file, line=line)
    hint = ""
    if reason.startswith("Cannot overwrite a value"):
        hint = (" (a key is set twice in one table; if this starts a new event, put an "
                "[[events]] line before it)")
    elif re.search(r"=\s*\d{4}-\d{1,2}(-\d{1,2})?\b", source) and not re.search(
        r"=\s*\d{4}-\d{2}-\d{2}\s*(#.*)?$", source
    ):
        hint = (" (a date is written YYYY-MM-DD, such as 2024-07-28; a date known only to "
                'the month is its 1st with precision = "month")')
    elif reason.startswith("Invalid value") and re.search(r"=\s*[A-Za-z]", source):
        hint = ' (text values are quoted: key = "text"; true and false are lowercase)'
    shown = f": {source}" if source else ""
    return ScenarioSyntaxError(f"invalid TOML, {reason.lower()}{hint}{shown}",
                               file=file, line=line)


_TOML_DEPTH_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.DOTALL,
)


def _toml_depth(text: str, limits: Limits, file: str) -> None:
    """Refuse TOML whose arrays and inline tables nest deeper than the limit, before parsing."""
    depth = 0
    for m in _TOML_DEPTH_RE.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limits.depth:
                line = text.count("\n", 0, m.start()) + 1
                raise LimitExceededError(
                    f"data nested more than {limits.depth} levels deep (depth); "
                    + limits.hint("depth"), file=file, line=line, limit="depth",
                )
        elif c in "]}":
            depth = max(depth - 1, 0)


def _parse_toml(text: str, file: str, limits: Limits | None = None) -> _Raw:
    limits = _limits.active(limits)
    _toml_depth(text, limits, file)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_syntax_error(exc, text, file) from None
    except RecursionError:
        raise LimitExceededError(
            f"data nested too deeply for the TOML parser (depth); {limits.hint('depth')}",
            file=file, limit="depth",
        ) from None
    except ValueError:  # an integer literal of thousands of digits
        raise _limits.integer_error(file, None, limits) from None
    _limits.check_tree(doc, limits, file=file)
    sections = _sections(text)
    by_parts: dict[tuple[str, ...], _Section] = {}
    for sec in sections:
        by_parts.setdefault(tuple(sec.parts), sec)
    raw = _Raw(file=file)
    raw.top_line.update(sections[0].keys)
    scenario_sec = by_parts.get(("scenario",))
    errors: list[ScenarioError] = []
    for key in doc:
        if key not in _TOP_KEYS:
            near = nearest(key, _TOP_KEYS, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            at = raw.top_line.get(key) or next(
                (s.line for s in sections if s.parts[:1] == [key]), None
            )
            errors.append(ScenarioSchemaError(
                f"unknown table {key!r}: a scenario file has [scenario], [sources.<id>] "
                f"and [[events]] tables{hint}",
                file=file, line=at, field=key,
            ))
    if "scenario" in doc:
        raw.meta = doc["scenario"]
        raw.meta_line = scenario_sec.line if scenario_sec else raw.top_line.get("scenario")
        raw.meta_key_lines = scenario_sec.keys if scenario_sec else {}
    sources = doc.get("sources", {})
    if isinstance(sources, Mapping):
        for sid, table in sources.items():
            src = by_parts.get(("sources", sid))
            raw.sources.append((sid, table, src.line if src else raw.top_line.get("sources")))
    else:
        errors.append(ScenarioSchemaError(
            "sources are tables keyed by id: write [sources.<id>] (not [[sources]])",
            file=file, line=next((s.line for s in sections if s.parts == ["sources"]), None),
            field="sources",
        ))
    events = doc.get("events", [])
    headers = [s for s in sections if s.parts == ["events"] and s.array]
    if isinstance(events, list):
        same = len(headers) == len(events)
        for i, payload in enumerate(events):
            head = headers[i] if same else None
            raw.events.append(_RawEvent(
                payload, head.line if head else raw.top_line.get("events"),
                head.keys if head else {},
            ))
    else:
        at = next((s.line for s in sections if s.parts == ["events"]), None)
        errors.append(ScenarioSchemaError(
            "events are an array of tables: write [[events]] (two brackets) before each event",
            file=file, line=at, field="events",
        ))
    if errors:
        errors[0].errors = tuple(errors)
        raise errors[0]
    return raw


# -- JSON Lines -------------------------------------------------------------------------------


class _Object(dict[str, Any]):
    """A JSON object that held some keys twice (the parser's hook makes one only then)."""

    duplicates: list[str]


def _object_hook(found: list[str]) -> Any:
    """A parser hook that makes plain dicts, noting in ``found`` any key an object holds twice."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        dup = _Object(obj)
        dup.duplicates = []
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                dup.duplicates.append(key)
            seen.add(key)
        found.extend(dup.duplicates)
        return dup

    return hook


class _IntegerTooLong(Exception):
    pass


def _bounded_int(limits: Limits) -> Any:
    def parse_int(text: str) -> int:
        if len(text) - (text[0] == "-") > limits.integer_digits:
            raise _IntegerTooLong
        return int(text)

    return parse_int


def _parse_jsonl(text: str, file: str, limits: Limits | None = None) -> _Raw:
    limits = _limits.active(limits)
    raw = _Raw(file=file)
    first = True
    found: list[str] = []
    # Only when some run of digits is too long do integers go through a (slower) checking hook.
    parse_int = None if _limits.int_digits_ok(text, limits) else _bounded_int(limits)
    decode = json.JSONDecoder(object_pairs_hook=_object_hook(found), parse_int=parse_int).decode
    # Lines end at "\n" only: U+2028 and the like are characters of a JSON string.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        _limits.check_json_depth(line, limits, file=file, line=number)
        try:
            value = decode(line)
        except json.JSONDecodeError as exc:
            raise ScenarioSyntaxError(
                f"invalid JSON (column {exc.colno}): {exc.msg}; each line holds one JSON object",
                file=file, line=number,
            ) from None
        except (_IntegerTooLong, ValueError):
            raise _limits.integer_error(file, number, limits) from None
        except RecursionError:
            raise LimitExceededError(
                f"data nested too deeply for the JSON parser (depth); {limits.hint('depth')}",
                file=file, line=number, limit="depth",
            ) from None
        if len(line) > limits.string:
            _limits.check_tree(value, limits, file=file, line=number)
        is_header = first and isinstance(value, dict) and "type" not in value and (
            "scenario" in value or "sources" in value
        )
        first = False
        if is_header:
            _read_header(raw, value, file, number, found)
            continue
        if found:
            raise ScenarioSyntaxError(f"key {found[0]!r} appears twice in one object",
                                      file=file, line=number)
        raw.events.append(_RawEvent(value, number, {}))
    if raw.meta is None:
        stem = Path(file).stem
        raw.meta = {"id": stem, "title": stem}
    return raw


def _read_header(
    raw: _Raw, header: dict[str, Any], file: str, number: int, found: list[str]
) -> None:
    for key in header:
        if key not in _HEADER_KEYS:
            raise ScenarioSchemaError(_unknown_key(key, _HEADER_KEYS, "the header line"),
                                      file=file, line=number, field=key)
    sources = header.get("sources", {})
    if isinstance(sources, _Object):
        sid = sources.duplicates[0]
        raise DuplicateSourceError(f"source {sid!r} is defined twice", file=file, line=number,
                                   field=f"sources.{sid}")
    if found:
        raise ScenarioSyntaxError(f"key {found[0]!r} appears twice in one object",
                                  file=file, line=number)
    if "scenario" in header:
        meta = header["scenario"]
        if not isinstance(meta, dict):
            raise ScenarioSchemaError(
                f'expected an object {{"id": "...", "title": "..."}}, got {_show(meta)}',
                file=file, line=number, field="scenario",
            )
        raw.meta = meta
    raw.meta_line = number
    if not isinstance(sources, dict):
        raise ScenarioSchemaError(f"expected an object of sources keyed by id, got "
                                  f"{_show(sources)}", file=file, line=number, field="sources")
    for sid, table in sources.items():
        raw.sources.append((sid, table, number))


# -- writing TOML ---------------------------------------------------------------------------

_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def _toml_key(key: str) -> str:
    return key if _BARE_KEY_RE.fullmatch(key) else _toml_string(key)  # ($ matches before \n)


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04X}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise ScenarioError(
                f"TOML cannot hold the lone surrogate U+{ord(ch):04X} (in {text!r}); "
                "write the scenario as JSON Lines"
            )
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = repr(value)
    return text if any(c in text for c in ".eE") else text + ".0"


def _toml_value(value: Any) -> str:
    """``value`` as a TOML value: strings, ints, floats, bools, dates, lists, inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _toml_float(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _toml_value(value.value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if value is None:
        raise ScenarioError("TOML has no null: a value that is None cannot be written")
    raise ScenarioError(f"cannot write {type(value).__name__} {value!r} as TOML")


def _default_payload(field: attrs.Attribute[Any]) -> Any:
    default = field.default
    if default is attrs.NOTHING:
        return attrs.NOTHING
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()  # type: ignore[union-attr]
    return _jsonable(default)


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


_LAST = ("sources", "note")


def _event_table(event: Event) -> list[tuple[str, Any]]:
    """The event's TOML keys in reading order, fields at their default left out."""
    payload = to_dict(event)
    fields = {f.name: f for f in attrs.fields(type(event))}
    head = [("type", payload["type"]), ("version", payload["version"])]
    body: list[tuple[str, Any]] = []
    tail: list[tuple[str, Any]] = []
    for key, value in payload.items():
        if key in ("type", "version"):
            continue
        field = fields.get(key)
        if key != "occurred_on" and field is not None and value == _default_payload(field):
            continue
        if value is None:
            raise ScenarioError(
                f"{event.event_tag}: field {key!r} is None, which TOML cannot hold because "
                "the field's default is not None; write the scenario as JSON Lines"
            )
        native = getattr(event, key, None)
        if type(native) is _dt.date:
            value = native
        (tail if key in _LAST else body).append((key, value))
    order = {"occurred_on": 0, "precision": 1, "until": 2}
    body.sort(key=lambda kv: order.get(kv[0], 3))
    return head + body + sorted(tail, key=lambda kv: _LAST.index(kv[0]))


def _scenario_toml(scenario: Scenario) -> str:
    lines = ["[scenario]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in scenario._meta().items()]
    for sid, source in scenario.sources.items():
        lines += ["", f"[sources.{_toml_key(sid)}]"]
        table = source.to_dict()
        if source.published is not None:
            table["published"] = source.published
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    for event in scenario.events:
        lines += ["", "[[events]]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in _event_table(event)]
    return "\n".join(lines) + "\n"
