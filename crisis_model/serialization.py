"""Events to and from plain, JSON-able dicts, losslessly.

A payload is a dict carrying ``type`` (the registered tag), ``version`` and
the event's fields: dates as ISO strings, enums as their values, tuples as
lists, mappings as dicts.  Tags resolve only through the registry: data never
names code.

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
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from ._frozenmap import FrozenMap
from .errors import CrisisModelError
from .events._base import Event
from .reducer import registry

__all__ = [
    "DecodeError",
    "FieldError",
    "from_dict",
    "make_converter",
    "to_dict",
]

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

    Raises :class:`~crisis_model.errors.UnknownEventTypeError` (naming the
    nearest known tags) for an unknown ``type`` and :class:`DecodeError`
    (naming each wrong field) for a malformed payload.
    """
    if not isinstance(data, Mapping):
        raise DecodeError(None, [FieldError("", f"expected a table of fields, got {data!r}")])
    tag = data.get("type")
    if not isinstance(tag, str):
        raise DecodeError(None, [FieldError("type", "missing: every event needs a type tag")])
    cls = registry.type_for(tag)
    version = data.get("version", cls.event_version)
    if version != cls.event_version:
        raise DecodeError(tag, [FieldError(
            "version",
            f"payload version {version!r}, but {tag!r} is at version {cls.event_version}"
            " and no upcaster lifts it",
        )])
    body = {k: v for k, v in data.items() if k not in RESERVED_KEYS}
    c = converter or _default()
    try:
        return c.get_structure_hook(cls)(body, cls)  # type: ignore[no-any-return]
    except (ClassValidationError, IterableValidationError) as exc:
        raise DecodeError(tag, _field_errors(exc)) from None
    except (TypeError, ValueError) as exc:  # raised by the class's own validators
        raise DecodeError(tag, [FieldError("", str(exc))]) from None
