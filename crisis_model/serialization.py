"""Events to and from plain, JSON-able dicts, losslessly.

A payload is a dict carrying ``type`` (the registered tag), ``version`` and
the event's fields: dates as ISO strings, enums as their values, tuples as
lists, mappings as dicts.  Tags resolve only through the registry: data never
names code.

Payloads written by older code carry an older ``version``; :func:`upcaster`
registers the function that lifts version *n* of a tag to *n + 1*, and
:func:`from_dict` runs the chain up to the registered version.  Stored payloads
are never rewritten: upcasting happens on every read.

>>> import datetime as dt
>>> from crisis_model.events import ActorIntroduced
>>> from crisis_model.state import ActorKind
>>> e = ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="cne",
...                     name="National Electoral Council", kind=ActorKind.ELECTORAL_AUTHORITY)
>>> d = to_dict(e)
>>> (d["type"], d["version"], d["occurred_on"])
('actor.introduced', 1, '2024-07-01')
>>> from_dict(d) == e
True
"""

from __future__ import annotations

import datetime as _dt
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from ._frozenmap import FrozenMap
from .errors import CrisisModelError, RegistrationError
from .events._base import Event
from .reducer import _TAG_RE, registry

__all__ = [
    "DecodeError",
    "FieldError",
    "Upcaster",
    "from_dict",
    "make_converter",
    "to_dict",
    "upcaster",
]

#: ``upcaster(payload) -> payload``: lifts a payload one version up.  It gets a
#: copy of the whole payload (``type`` and ``version`` included) and returns the
#: payload of the next version; the caller sets ``version`` on the result.
Upcaster: TypeAlias = Callable[[dict[str, Any]], dict[str, Any]]

#: Keys a payload carries besides the event's fields.
RESERVED_KEYS = ("type", "version")


@attrs.frozen
class FieldError:
    """One thing wrong with a payload: where (``path``, such as ``"shares.maduro"``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DecodeError(CrisisModelError, ValueError):
    """A payload could not become an event; ``errors`` says which fields were wrong and how."""

    def __init__(self, tag: str | None, errors: list[FieldError]) -> None:
        self.tag = tag
        self.errors = errors
        super().__init__(self.describe())

    def describe(self) -> str:
        """All the problems in plain words."""
        what = f"event {self.tag!r}" if self.tag else "event"
        return f"invalid {what}: " + "; ".join(str(e) for e in self.errors)


# -- strict primitive hooks: no silent coercion ---------------------------------------------------


def _expect(kind: str, value: Any) -> TypeError:
    return TypeError(f"expected {kind}, got {type(value).__name__} {value!r}")


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise _expect("a string", value)
    return value


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect("a whole number", value)
    return value


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _expect("a number", value)
    return float(value)


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise _expect("true or false", value)
    return value


def _structure_date(value: Any, _: type) -> _dt.date:
    if type(value) is _dt.date:
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}") from None
    raise _expect("a date (YYYY-MM-DD)", value)


def _is_frozen_map(tp: Any) -> bool:
    return typing.get_origin(tp) is FrozenMap or tp is FrozenMap


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def make_converter() -> cattrs.Converter:
    """A new converter that knows every registered event type (build it after registering).

    Strict: a string is never split into a tuple, a float never truncated to an
    int, unknown keys are errors.
    """
    c = cattrs.Converter(forbid_extra_keys=True)
    c.register_structure_hook(str, _structure_str)
    c.register_structure_hook(int, _structure_int)
    c.register_structure_hook(float, _structure_float)
    c.register_structure_hook(bool, _structure_bool)
    c.register_structure_hook(_dt.date, _structure_date)
    c.register_unstructure_hook(_dt.date, _dt.date.isoformat)

    def tuple_hook(tp: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item = typing.get_args(tp)[0]
        item_hook = c.get_structure_hook(item)

        def structure(value: Any, _: Any) -> tuple[Any, ...]:
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, list | tuple):
                raise _expect("a list", value)
            errors: list[Exception] = []
            out = []
            for i, v in enumerate(value):
                try:
                    out.append(item_hook(v, item))
                except Exception as exc:
                    exc.__notes__ = [f"Structuring {tp} @ index {i}"]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp}", errors, tp)
            return tuple(out)

        return structure

    c.register_structure_hook_factory(_is_homogeneous_tuple, tuple_hook)

    def map_structure(tp: Any) -> Callable[[Any, Any], FrozenMap[Any, Any]]:
        args = typing.get_args(tp) or (Any, Any)
        inner = c.get_structure_hook(dict[args[0], args[1]])  # type: ignore[valid-type]

        def structure(value: Any, _: Any) -> FrozenMap[Any, Any]:
            if not isinstance(value, Mapping):
                raise _expect("a table of key = value", value)
            return FrozenMap(inner(value, dict))

        return structure

    def map_unstructure(tp: Any) -> Callable[[FrozenMap[Any, Any]], dict[Any, Any]]:
        args = typing.get_args(tp) or (Any, Any)
        inner = c.get_unstructure_hook(dict[args[0], args[1]])  # type: ignore[valid-type]
        return lambda m: inner(m.to_dict())

    c.register_structure_hook_factory(_is_frozen_map, map_structure)
    c.register_unstructure_hook_factory(_is_frozen_map, map_unstructure)
    return c


# -- upcasters: old payload versions lifted on read -----------------------------------------


def upcaster(tag: str, *, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register the function that lifts payload version ``from_version`` of ``tag`` by one.

    The function receives a copy of the old payload and returns the new one
    (it need not set ``version``)::

        @cm.upcaster("election.declared", from_version=1)
        def _(payload):
            payload["shares"] = payload.pop("percentages", {})
            return payload

    A tag's upcasters form one chain without holes: each new one must lift the
    version just below or just above the ones already registered, and none may
    lift a payload beyond the version the event type is registered at.
    """
    if not isinstance(tag, str) or not _TAG_RE.match(tag):
        raise RegistrationError(
            f"upcaster tag {tag!r} must be lowercase dotted words such as 'election.declared'"
        )
    if not isinstance(from_version, int) or isinstance(from_version, bool) or from_version < 1:
        raise RegistrationError(
            f"upcaster for {tag!r}: from_version must be an int >= 1, got {from_version!r}"
        )

    def decorate(fn: Upcaster) -> Upcaster:
        if not callable(fn):
            raise RegistrationError(f"upcaster for {tag!r} must be a function, got {fn!r}")
        if (tag, from_version) in registry.upcasters:
            raise RegistrationError(
                f"{tag!r} already has an upcaster from version {from_version}"
            )
        cls = registry.types.get(tag)
        if cls is not None and from_version >= cls.event_version:
            raise RegistrationError(
                f"{tag!r} is at version {cls.event_version}: an upcaster from version "
                f"{from_version} would lift payloads beyond it"
            )
        chain = sorted(v for t, v in registry.upcasters if t == tag)
        if chain and from_version not in (chain[0] - 1, chain[-1] + 1):
            hole = chain[-1] + 1 if from_version > chain[-1] else from_version + 1
            raise RegistrationError(
                f"upcaster for {tag!r} from version {from_version} leaves a gap in the chain "
                f"(registered: from {', '.join(map(str, chain))}): register the one from "
                f"version {hole} first"
            )
        registry.upcasters[(tag, from_version)] = fn
        registry._changed()
        return fn

    return decorate


def _upcast(data: Mapping[str, Any], tag: str, version: int, current: int) -> dict[str, Any]:
    """``data`` (a payload at ``version``) lifted to ``current`` by the registered chain."""
    payload = dict(data)
    for step in range(version, current):
        fn = registry.upcasters.get((tag, step))
        if fn is None:
            raise DecodeError(tag, [FieldError(
                "version",
                f"payload version {version}, but {tag!r} is at version {current} and no "
                f"upcaster lifts version {step} to {step + 1} "
                f"(register one with @cm.upcaster({tag!r}, from_version={step}))",
            )])
        try:
            lifted = fn(dict(payload))
        except Exception as exc:  # a bug in an upcaster, or a payload it cannot handle
            exc.add_note(f"raised by the upcaster of {tag!r} from version {step}")
            raise
        if not isinstance(lifted, Mapping):
            raise DecodeError(tag, [FieldError(
                "", f"the upcaster from version {step} returned {lifted!r}, not a payload",
            )])
        if lifted.get("type", tag) != tag:
            raise DecodeError(tag, [FieldError(
                "type", f"the upcaster from version {step} changed the type to "
                f"{lifted.get('type')!r}; an upcaster cannot rename a tag",
            )])
        payload = {"type": tag, "version": step + 1}
        payload.update((k, v) for k, v in lifted.items() if k not in RESERVED_KEYS)
    return payload


# -- the default converter, rebuilt whenever the registry changes ---------------------------

_cache: dict[str, Any] = {"generation": -1}


def _default() -> cattrs.Converter:
    if _cache["generation"] != registry.generation:
        _cache.update(generation=registry.generation, converter=make_converter())
    return _cache["converter"]  # type: ignore[no-any-return]


def to_dict(event: Event, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """The event as a JSON-able dict with ``type`` and ``version`` first."""
    cls = type(event)
    if not registry.is_registered(cls):
        raise CrisisModelError(f"{cls.__qualname__} is not a registered event type")
    c = converter or _default()
    body = c.get_unstructure_hook(cls)(event)
    return {"type": cls.event_tag, "version": cls.event_version, **body}


def _path(parts: list[str]) -> str:
    return ".".join(p for p in parts if p)


def _field_errors(exc: BaseException) -> list[FieldError]:
    out: list[FieldError] = []

    def walk(e: BaseException, parts: list[str]) -> None:
        if isinstance(e, ClassValidationError | IterableValidationError):
            with_notes = e.group_exceptions()
            for sub, note in with_notes[0]:
                walk(sub, [*parts, str(note.name) if hasattr(note, "name") else str(note.index)])
            for sub in with_notes[1]:
                walk(sub, parts)
            return
        if isinstance(e, ExceptionGroup):
            for sub in e.exceptions:
                walk(sub, parts)
            return
        if isinstance(e, ForbiddenExtraKeysError):
            names = ", ".join(sorted(e.extra_fields))
            out.append(FieldError(_path(parts), f"unknown field(s): {names}"))
            return
        if isinstance(e, KeyError):
            out.append(FieldError(_path(parts), "required field missing"))
            return
        message = str(e) or type(e).__name__
        if isinstance(e, ValueError) and "is not a valid" in message:
            message = message.replace("is not a valid", "is not a valid value of")
        out.append(FieldError(_path(parts), message))

    walk(exc, [])
    return out


def from_dict(data: Mapping[str, Any], *, converter: cattrs.Converter | None = None) -> Event:
    """The event a payload describes.

    A payload of an older ``version`` is first lifted by the registered
    :func:`upcaster` chain.  Raises :class:`~crisis_model.errors.UnknownEventTypeError`
    (naming the nearest known tags) for an unknown ``type`` and :class:`DecodeError`
    (naming each wrong field) for a malformed payload, a payload newer than the
    registered version, or an older one no upcaster chain lifts.
    """
    if not isinstance(data, Mapping):
        raise DecodeError(None, [FieldError("", f"expected a table of fields, got {data!r}")])
    tag = data.get("type")
    if not isinstance(tag, str):
        raise DecodeError(None, [FieldError("type", "missing: every event needs a type tag")])
    cls = registry.type_for(tag)
    version = data.get("version", cls.event_version)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DecodeError(tag, [FieldError(
            "version", f"expected a whole number >= 1, got {version!r}",
        )])
    if version > cls.event_version:
        raise DecodeError(tag, [FieldError(
            "version",
            f"payload version {version} is newer than this code knows: {tag!r} is at version "
            f"{cls.event_version} here (upgrade the code that defines it to read this payload)",
        )])
    if version < cls.event_version:
        data = _upcast(data, tag, version, cls.event_version)
    body = {k: v for k, v in data.items() if k not in RESERVED_KEYS}
    c = converter or _default()
    try:
        return c.get_structure_hook(cls)(body, cls)  # type: ignore[no-any-return]
    except (ClassValidationError, IterableValidationError) as exc:
        raise DecodeError(tag, _field_errors(exc)) from None
    except (TypeError, ValueError) as exc:  # raised by the class's own validators
        raise DecodeError(tag, [FieldError("", str(exc))]) from None
