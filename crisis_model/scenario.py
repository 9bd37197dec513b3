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

from . import _jsontext
from ._event import Event, Precision, window
from ._frozenmap import FrozenMap, frozen_map
from .errors import (
    DuplicateSourceError,
    ExtendsCycleError,
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
from .reducer import Anomaly, registry, replay, snapshots, state_at
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
    def replay(self, *, strict: Literal[True] = True) -> CrisisState: ...
    @overload
    def replay(self, *, strict: Literal[False]) -> tuple[CrisisState, list[Anomaly]]: ...
    def replay(self, *, strict: bool = True) -> CrisisState | tuple[CrisisState, list[Anomaly]]:
        """Replay the events: strict raises :class:`~crisis_model.errors.ScenarioRuleViolation`
        (a :class:`~crisis_model.RuleViolation` with file and line); lenient returns
        ``(state, anomalies)``."""
        if not strict:
            return replay(self.events, strict=False)
        try:
            return replay(self.events)
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

    def state_at(self, when: _dt.date, *, strict: bool = True) -> CrisisState:
        """The state as of ``when`` (see :func:`crisis_model.state_at` for imprecise dates)."""
        try:
            return state_at(self.events, when, strict=strict)
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


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario file (``.toml`` or ``.jsonl``), following ``extends``.

    Raises :class:`OSError` when the file cannot be read and a
    :class:`~crisis_model.errors.ScenarioError` subclass when it is malformed
    (the first problem, with every problem found in its ``errors``).  Rules are
    not checked here: call :meth:`Scenario.replay`.
    """
    return _Loader().load(os.fspath(path), chain=())


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


class _Loader:
    def __init__(self) -> None:
        self.errors: list[ScenarioError] = []

    def fail(self, cls: type[ScenarioError], message: str, **where: Any) -> None:
        self.errors.append(cls(message, **where))

    def raise_errors(self) -> None:
        if self.errors:
            first = self.errors[0]
            first.errors = tuple(self.errors)
            raise first

    # -- the whole file --------------------------------------------------------------------

    def load(self, file: str, chain: tuple[tuple[str, str], ...]) -> Scenario:
        fmt = _format_of(file)
        raw_bytes = Path(file).read_bytes()
        try:
            text = raw_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw_bytes[: exc.start].count(b"\n") + 1
            raise ScenarioSyntaxError(
                "not UTF-8 text (save the file as UTF-8)", file=file, line=line
            ) from None
        raw = _parse_toml(text, file) if fmt == "toml" else _parse_jsonl(text, file)
        meta = self.check_meta(raw)
        parent = self.load_parent(raw, meta, chain)
        sources = self.decode_sources(raw, parent)
        events, locations = self.decode_events(raw, parent, sources)
        self.raise_errors()
        return Scenario(
            id=meta.get("id", ""),
            title=meta.get("title", ""),
            description=meta.get("description", ""),
            sources=sources,
            events=events,
            extends=meta.get("extends"),
            path=file,
            locations=locations,
        )

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

    def load_parent(
        self, raw: _Raw, meta: Mapping[str, str], chain: tuple[tuple[str, str], ...]
    ) -> Scenario | None:
        here = os.path.realpath(raw.file)
        chain = (*chain, (here, raw.file))
        extends = meta.get("extends")
        if extends is None:
            return None
        line = raw.meta_key_lines.get("extends", raw.meta_line)
        target = os.path.normpath(os.path.join(os.path.dirname(raw.file), extends))
        real = os.path.realpath(target)
        if real in {r for r, _ in chain}:
            names = [shown for _, shown in chain] + [target]
            raise ExtendsCycleError(
                "extends cycle: " + " -> ".join(names) + " (a scenario cannot extend itself)",
                file=raw.file, line=line, field="scenario.extends",
            )
        if not os.path.isfile(target):
            raise ScenarioError(
                f"extends {extends!r}, but there is no such file (looked for {target}; "
                "the path is relative to this file)",
                file=raw.file, line=line, field="scenario.extends",
            )
        return _Loader().load(target, chain)

    # -- sources ---------------------------------------------------------------------------

    def decode_sources(self, raw: _Raw, parent: Scenario | None) -> FrozenMap[str, Source]:
        sources: dict[str, Source] = dict(parent.sources) if parent is not None else {}
        for sid, table, line in raw.sources:
            where = {"file": raw.file, "line": line}
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

    def check_citations(
        self, event: Event, item: _RawEvent, index: int, file: str,
        sources: Mapping[str, Source],
    ) -> None:
        for sid in event.sources:
            if sid in sources:
                continue
            near = nearest(sid, sources, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            defined = ", ".join(sorted(sources)) or "none"
            self.fail(
                UnknownSourceError,
                f"cites source {sid!r}, which no [sources.{sid}] table defines "
                f"(defined: {defined}){hint}",
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


def _date(value: Any, precision: Precision) -> tuple[_dt.date | None, str | None]:
    day: _dt.date | None = None
    if type(value) is _dt.date:
        day = value
    elif isinstance(value, str):
        try:
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


def _sections(text: str) -> list[_Section]:
    """Table headers with their line and the lines of their top-level keys."""
    out = [_Section([], False, 1, {})]
    in_multiline: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER_RE.match(line)
        if header:
            out.append(_Section(_header_parts(header["name"]), bool(header["array"]), number, {}))
            continue
        key = _KEY_RE.match(line)
        if key:
            out[-1].keys.setdefault(_unquote(key["key"]), number)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
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


def _parse_toml(text: str, file: str) -> _Raw:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_syntax_error(exc, text, file) from None
    sections = _sections(text)
    raw = _Raw(file=file)
    raw.top_line.update(sections[0].keys)
    scenario_sec = next((s for s in sections if s.parts == ["scenario"]), None)
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
            sec = next((s for s in sections if s.parts == ["sources", sid]), None)
            raw.sources.append((sid, table, sec.line if sec else raw.top_line.get("sources")))
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
            sec = headers[i] if same else None
            raw.events.append(_RawEvent(
                payload, sec.line if sec else raw.top_line.get("events"),
                sec.keys if sec else {},
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
    """A JSON object that remembers keys it saw twice."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _duplicates(value: Any) -> Iterator[str]:
    if isinstance(value, _Object):
        yield from value.duplicates
        for v in value.values():
            yield from _duplicates(v)
    elif isinstance(value, list):
        for v in value:
            yield from _duplicates(v)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _parse_jsonl(text: str, file: str) -> _Raw:
    raw = _Raw(file=file)
    first = True
    # Lines end at "\n" only: U+2028 and the like are characters of a JSON string.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, object_pairs_hook=_object)
        except json.JSONDecodeError as exc:
            raise ScenarioSyntaxError(
                f"invalid JSON (column {exc.colno}): {exc.msg}; each line holds one JSON object",
                file=file, line=number,
            ) from None
        is_header = first and isinstance(value, dict) and "type" not in value and (
            "scenario" in value or "sources" in value
        )
        first = False
        if is_header:
            _read_header(raw, value, file, number)
            continue
        dup = next(_duplicates(value), None)
        if dup is not None:
            raise ScenarioSyntaxError(f"key {dup!r} appears twice in one object",
                                      file=file, line=number)
        raw.events.append(_RawEvent(_plain(value), number, {}))
    if raw.meta is None:
        stem = Path(file).stem
        raw.meta = {"id": stem, "title": stem}
    return raw


def _read_header(raw: _Raw, header: _Object, file: str, number: int) -> None:
    for key in header:
        if key not in _HEADER_KEYS:
            raise ScenarioSchemaError(_unknown_key(key, _HEADER_KEYS, "the header line"),
                                      file=file, line=number, field=key)
    sources = header.get("sources", {})
    if isinstance(sources, _Object) and sources.duplicates:
        sid = sources.duplicates[0]
        raise DuplicateSourceError(f"source {sid!r} is defined twice", file=file, line=number,
                                   field=f"sources.{sid}")
    dup = next(_duplicates(header), None)
    if dup is not None:
        raise ScenarioSyntaxError(f"key {dup!r} appears twice in one object",
                                  file=file, line=number)
    if "scenario" in header:
        raw.meta = _plain(header["scenario"])
    raw.meta_line = number
    if not isinstance(sources, dict):
        raise ScenarioSchemaError("expected an object of sources keyed by id",
                                  file=file, line=number, field="sources")
    for sid, table in sources.items():
        raw.sources.append((sid, _plain(table), number))


# -- writing TOML ---------------------------------------------------------------------------

_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def _toml_key(key: str) -> str:
    return key if _BARE_KEY_RE.match(key) else _toml_string(key)


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
    order = {"occurred_on": 0, "precision": 1}
    body.sort(key=lambda kv: order.get(kv[0], 2))
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
