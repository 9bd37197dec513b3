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
import enum
import json
import re
import types
import typing
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.fns import identity
from cattrs.gen import make_dict_unstructure_fn, override

from ._count import Count, count_or_none, to_count
from ._event import (
    BASE_OPTIONAL,
    Event,
    _check_date,
    _check_id,
    _check_precision,
    _check_recorded,
    _check_recorded_precision,
    _check_until,
    joint,
    strings,
)
from ._frozenmap import FrozenMap, frozen_map
from ._place import Place
from ._registry import _TAG_RE, paused_gc, registry
from ._replace import _twin
from .errors import CrisisModelError, RegistrationError

__all__ = [
    "DecodeError",
    "FieldError",
    "Upcaster",
    "from_dict",
    "from_dicts",
    "make_converter",
    "to_dict",
    "to_dicts",
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


_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _structure_date(value: Any, _: type) -> _dt.date:
    if type(value) is _dt.date:
        return value
    if isinstance(value, str):
        try:
            if len(value) != 10 or _DAY_RE.fullmatch(value) is None:
                raise ValueError(value)  # fromisoformat also takes 20240101 and 2024-W01-1
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}") from None
    raise _expect("a date (YYYY-MM-DD)", value)


#: Strict hooks that return a value of exactly this class unchanged.
_IDENTITY_HOOKS: dict[Callable[..., Any], type] = {
    _structure_str: str,
    _structure_int: int,
    _structure_float: float,
    _structure_bool: bool,
}


#: Exact counts decoded from whole numbers, shared (a Count is immutable): decoding the same
#: number again costs a lookup instead of a new Count and its checks.
_EXACT_COUNTS: dict[int, Count] = {}


#: Tuple hooks made by :func:`make_converter` whose items of this class pass unchanged.
_TUPLE_ITEM: weakref.WeakKeyDictionary[Callable[..., Any], type] = weakref.WeakKeyDictionary()


def _structure_count(value: Any, _: type) -> Count:
    if value.__class__ is int:
        count = _EXACT_COUNTS.get(value)
        if count is None:
            count = to_count(value)  # refuses a negative number
            if len(_EXACT_COUNTS) < 4096:
                _EXACT_COUNTS[value] = count
        return count
    if value is None:
        raise _expect("a count (a whole number, a string like '>=800', or a table)", value)
    try:
        return to_count(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(str(exc)) from None


def _structure_joint(value: Any, _: Any) -> Any:
    """An actor id, or a list of ids acting together (a joint ``by``)."""
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, list | tuple) and value and all(v.__class__ is str for v in value):
        return tuple(value)
    raise _expect("an actor id or a non-empty list of actor ids", value)


def _unstructure_joint(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


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
    c.register_structure_hook(Count, _structure_count)
    c.register_unstructure_hook(Count, Count.to_json)
    for joint_type in (str | tuple[str, ...], str | tuple[str, ...] | None):
        c.register_structure_hook(joint_type, _structure_joint)
        c.register_unstructure_hook(joint_type, _unstructure_joint)

    def tuple_hook(tp: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item = typing.get_args(tp)[0]
        item_hook = c.get_structure_hook(item)
        # Items of this exact class come out of ``item_hook`` unchanged: a list of them
        # needs no per-item call (anything else takes the loop below, errors included).
        same = _IDENTITY_HOOKS.get(item_hook)

        def structure(value: Any, _: Any) -> tuple[Any, ...]:
            if same is not None and (value.__class__ is list or value.__class__ is tuple):
                items = tuple(value)
                for v in items:
                    if v.__class__ is not same:
                        break
                else:
                    return items
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

        if same is not None:
            _TUPLE_ITEM[structure] = same
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

    # A place is a table; its unset fields are left out (TOML has no null).
    c.register_unstructure_hook(Place, Place.to_json)

    # The base fields added after payloads were first written (``id``, ``recorded_on``,
    # ``recorded_precision``) are left out at their default: old and new payloads agree.
    omit: dict[str, Any] = {name: override(omit_if_default=True) for name in BASE_OPTIONAL}
    c.register_unstructure_hook_factory(
        _is_event_class, lambda cls: make_dict_unstructure_fn(cls, c, **omit)
    )
    return c


def _is_event_class(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Event) and attrs.has(tp)


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


# -- the default converter and the per-type fast paths, rebuilt when the registry changes ---

_cache: dict[str, Any] = {"generation": -1}


def _default() -> cattrs.Converter:
    if _cache["generation"] != registry.generation:
        _decoders.clear()
        _fasts.clear()
        _encoders.clear()
        _texts.clear()
        _cache.update(generation=registry.generation, converter=make_converter())
    return _cache["converter"]  # type: ignore[no-any-return]


# -- encoding ---------------------------------------------------------------------------------

#: Registered class -> (tag, version, unstructure hook) of the default converter.
_encoders: dict[type, tuple[str, int, Callable[[Any], dict[str, Any]]]] = {}


def to_dict(event: Event, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """The event as a JSON-able dict with ``type`` and ``version`` first."""
    if converter is None:
        encoder = _encoders.get(event.__class__)
        if encoder is not None and _cache["generation"] == registry.generation:
            tag, version, unstructure = encoder
            return {"type": tag, "version": version, **unstructure(event)}
    cls = type(event)
    if not registry.is_registered(cls):
        raise CrisisModelError(f"{cls.__qualname__} is not a registered event type")
    c = converter or _default()
    hook = c.get_unstructure_hook(cls)
    if converter is None:
        _encoders[cls] = (cls.event_tag, cls.event_version, hook)
    return {"type": cls.event_tag, "version": cls.event_version, **hook(event)}


def to_dicts(events: Iterable[Event], *, converter: cattrs.Converter | None = None,
             ) -> list[dict[str, Any]]:
    """:func:`to_dict` of every event, as a list, with the garbage collector paused meanwhile.

    >>> import datetime as dt
    >>> from crisis_model.events import ActorIntroduced
    >>> from crisis_model.state import ActorKind
    >>> log = [ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor=a, name=a.upper(),
    ...                        kind=ActorKind.PERSON) for a in ("maduro", "gonzalez")]
    >>> [(d["type"], d["actor"]) for d in to_dicts(log)]
    [('actor.introduced', 'maduro'), ('actor.introduced', 'gonzalez')]
    """
    with paused_gc():
        if converter is None:
            return [to_dict(e) for e in events]
        return [to_dict(e, converter=converter) for e in events]


#: JSON text as the stores write it: compact, UTF-8 (no ``\\u`` escapes), no NaN.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
#: A JSON string literal (quotes and escapes) of a str, as ``_dumps`` writes it.
_json_str: Callable[[str], str] = json.encoder.encode_basestring

#: Registered class -> generated JSON-text writer (``None``: use ``_dumps(to_dict(e))``).
_texts: dict[type, Callable[[Any], str] | None] = {}


def _payload_text(event: Event) -> str:
    """``_dumps(to_dict(event))``: the payload of ``event`` as the stores write it, faster.

    Each registered class gets a generated writer, checked against the slow
    way on the first event it writes; on anything unusual (a value of a
    class it does not expect, a NaN...) the slow way writes the text, or
    raises what it raises.
    """
    cls = event.__class__
    if cls in _texts and _cache["generation"] == registry.generation:
        write = _texts[cls]
        if write is not None:
            try:
                return write(event)
            except Exception:  # the slow way below says what is wrong
                pass
        return _dumps(to_dict(event))
    text = _dumps(to_dict(event))  # raises for an unregistered class or a NaN: nothing cached
    write = _compile_text(cls, _default())
    try:
        if write is not None and write(event) != text:
            write = None
    except Exception:
        write = None
    _texts[cls] = write
    return text


def _json_value(v: Any) -> str:
    """``_dumps(v)``, quicker for the common scalars."""
    cls = v.__class__
    if cls is str:
        return _json_str(v)
    if v is None:
        return "null"
    if cls is int:
        return int.__repr__(v)
    if cls is bool:
        return "true" if v else "false"
    return _dumps(v)


def _json_list(v: Any) -> str:
    """``_dumps(list(v))``, quicker for a list of strings."""
    items = list(v)
    for item in items:
        if item.__class__ is not str:
            return _dumps(items)
    return "[" + ",".join(map(_json_str, items)) + "]"


def _compile_text(cls: type[Event], c: cattrs.Converter) -> Callable[[Any], str] | None:
    """A function writing ``_dumps(to_dict(e))`` for events of ``cls`` without building
    the dict (or ``None`` for a class whose fields it does not cover).

    Each field's value goes through the converter's unstructure hook as in
    :func:`to_dict`, written straight as JSON: strings, whole numbers, dates
    and lists of strings by hand, enum members from a table made by the
    converter's hook, anything else by the JSON encoder.
    """
    try:
        attrs.resolve_types(cls)
        fields = attrs.fields(cls)
        head = '{"type":' + _dumps(cls.event_tag) + ',"version":' + _dumps(cls.event_version)
    except Exception:
        return None
    ns: dict[str, Any] = {
        "_s": _json_str, "_v": _json_value, "_l": _json_list, "_d": _dumps,
        "_iso": _dt.date.isoformat, "_int": int.__repr__, "_float": float.__repr__,
        "_null": "null", "_head": head,
    }

    def expr(t: Any, x: str, i: str) -> str:
        try:
            hook = c.get_unstructure_hook(t)
        except Exception:
            return ""
        if hook is identity:
            if t is str:
                return f"(_s({x}) if {x}.__class__ is str else _v({x}))"
            if t is int:
                return f"(_int({x}) if {x}.__class__ is int else _v({x}))"
            if t is float:
                return f"(_float({x}) if {x}.__class__ is float and {x} - {x} == 0.0 else _v({x}))"
            return f"_v({x})"
        if hook is _dt.date.isoformat:
            return f"_s(_iso({x}))"
        if hook is list:
            return f"_l({x})"
        ns[f"h{i}"] = hook
        generic = f"_d(h{i}({x}))"
        args = typing.get_args(t)
        if (getattr(hook, "__qualname__", "") ==
                "Converter.gen_unstructure_optional.<locals>.unstructure_optional"
                and len(args) == 2 and type(None) in args):
            other = args[0] if args[1] is type(None) else args[1]
            inner = "" if isinstance(other, typing.TypeVar) else expr(other, x, i + "o")
            return f"(_null if {x} is None else {inner or generic})"
        if type(t) is enum.EnumType:
            members: list[enum.Enum] = list(t)
            try:
                ns[f"m{i}"] = {m: _dumps(hook(m)) for m in members}
            except Exception:
                return generic
            ns[f"k{i}"] = t
            return f"(m{i}[{x}] if {x}.__class__ is k{i} else {generic})"
        return generic

    lines = ["def text(e):"]
    parts = ["{_head}"]
    last: list[str] = []
    for n, a in enumerate(fields):
        if not a.init:
            return None
        if a.name in RESERVED_KEYS or not a.name.isidentifier():
            return None
        value = expr(a.type, f"x{n}", str(n))
        if not value:
            return None
        lines.append(f"  x{n} = e.{a.name}")
        if a.name in BASE_OPTIONAL:  # left out at its default, last, as the converter does
            ns[f"d{n}"] = a.default
            lines.append(f"  p{n} = '' if x{n} == d{n} else ',\"{a.name}\":' + {value}")
            last.append(f"{{p{n}}}")
            continue
        parts.append(f',"{a.name}":{{{value}}}')
    parts += last
    lines.append(f"  return f'{''.join(parts)}}}}}'")
    try:
        exec(compile("\n".join(lines), f"<crisis_model JSON {cls.__qualname__}>", "exec"), ns)
    except SyntaxError:
        return None
    fn: Callable[[Any], str] = ns["text"]
    return fn


# -- decoding ---------------------------------------------------------------------------------

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


class _Decoder:
    """How the default converter decodes one registered type (at its current version)."""

    __slots__ = ("cls", "fast", "hook", "tag", "version")

    def __init__(self, cls: type[Event], c: cattrs.Converter) -> None:
        self.cls = cls
        self.tag = cls.event_tag
        self.version = cls.event_version
        self.hook = c.get_structure_hook(cls)
        self.fast = _compile_structure(cls, c)

    def __call__(self, data: Mapping[str, Any]) -> Event:
        """The event of ``data``, a payload at the current version (``type`` and
        ``version`` keys allowed)."""
        fast = self.fast
        if fast is not None:
            try:
                return fast(data)  # type: ignore[no-any-return]
            except Exception:  # the converter's own hook says what is wrong, below
                pass
        return _structure(self.hook, self.cls, self.tag, data)


#: Tag -> decoder, for the default converter (cleared with it).
_decoders: dict[str, _Decoder] = {}
#: Tag -> (version, generated function) of the decoders that have one (cleared with them).
_fasts: dict[str, tuple[int, Callable[[Mapping[str, Any]], Any]]] = {}


def _structure(
    hook: Callable[[Any, type], Any], cls: type[Event], tag: str, data: Mapping[str, Any]
) -> Event:
    """``hook`` (a converter's structure hook for ``cls``) on the fields of ``data``;
    its errors as a :class:`DecodeError`."""
    body = {k: v for k, v in data.items() if k not in RESERVED_KEYS}
    try:
        return hook(body, cls)  # type: ignore[no-any-return]
    except (ClassValidationError, IterableValidationError) as exc:
        raise DecodeError(tag, _field_errors(exc)) from None
    except (TypeError, ValueError) as exc:  # raised by the class's own validators
        raise DecodeError(tag, [FieldError("", str(exc))]) from None


def from_dict(data: Mapping[str, Any], *, converter: cattrs.Converter | None = None) -> Event:
    """The event a payload describes.

    A payload of an older ``version`` is first lifted by the registered
    :func:`upcaster` chain.  Raises :class:`~crisis_model.errors.UnknownEventTypeError`
    (naming the nearest known tags) for an unknown ``type`` and :class:`DecodeError`
    (naming each wrong field) for a malformed payload, a payload newer than the
    registered version, or an older one no upcaster chain lifts.
    """
    if converter is None:
        return _decode(data)
    return _from_dict(data, converter)


def _decode(data: Any) -> Event:
    """:func:`from_dict` with the default converter.

    A dict payload of a known tag at its current version goes straight to the
    type's generated function; anything else (or anything that function
    refuses) takes the full path, which says what is wrong.
    """
    if data.__class__ is dict:
        tag = data.get("type")
        if tag.__class__ is str:
            decoder = _decoders.get(tag)
            if decoder is not None and _cache["generation"] == registry.generation:
                version = data.get("version", decoder.version)
                if version.__class__ is int and version == decoder.version:
                    fast = decoder.fast
                    if fast is not None:
                        try:
                            return fast(data)  # type: ignore[no-any-return]
                        except Exception:  # the full path says what is wrong, below
                            pass
                    return _structure(decoder.hook, decoder.cls, tag, data)
    return _from_dict(data, None)


def _from_dict(data: Any, converter: cattrs.Converter | None) -> Event:
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
    if converter is not None:
        return _structure(converter.get_structure_hook(cls), cls, tag, data)
    c = _default()
    decoder = _decoders.get(tag)
    if decoder is None or decoder.cls is not cls:
        decoder = _decoders[tag] = _Decoder(cls, c)
        if decoder.fast is not None:
            _fasts[tag] = (decoder.version, decoder.fast)
        else:
            _fasts.pop(tag, None)
    return decoder(data)


def from_dicts(
    payloads: Iterable[Mapping[str, Any]], *, converter: cattrs.Converter | None = None
) -> list[Event]:
    """The events of many payloads, in order: :func:`from_dict` of each, faster.

    The garbage collector is paused while the events are built, and restored
    as it was even on error (:func:`crisis_model.paused_gc`): the events live
    on, and collecting while they are built is wasted work.  ``payloads`` may
    be a generator, for instance one that parses the lines of a file.  An
    error is the one :func:`from_dict` raises, with a note naming the
    payload's position.

    >>> import datetime as dt
    >>> from crisis_model.events import ActorIntroduced
    >>> from crisis_model.state import ActorKind
    >>> log = [ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor=a, name=a.upper(),
    ...                        kind=ActorKind.PERSON) for a in ("maduro", "gonzalez")]
    >>> from_dicts(to_dicts(log)) == log
    True
    """
    out: list[Event] = []
    append = out.append
    with paused_gc():
        if converter is not None:
            for i, data in enumerate(payloads):
                try:
                    append(_from_dict(data, converter))
                except Exception as exc:
                    exc.add_note(f"decoding payload #{i}")
                    raise
            return out
        # _decode inlined: a dict payload of a known tag at its current version goes
        # straight to the type's generated function; anything else takes _decode.
        fasts, cache = _fasts, _cache
        for i, data in enumerate(payloads):
            try:
                if data.__class__ is dict:
                    tag = data.get("type")
                    if tag.__class__ is str:
                        entry = fasts.get(tag)
                        if entry is not None and cache["generation"] == registry.generation:
                            version, fast = entry
                            got = data.get("version", version)
                            if got.__class__ is int and got == version:
                                try:
                                    append(fast(data))
                                    continue
                                except Exception:  # _decode says what is wrong, below
                                    pass
                append(_decode(data))
            except Exception as exc:
                exc.add_note(f"decoding payload #{i}")
                raise
    return out


# -- the generated fast path --------------------------------------------------------------------


def _compile_structure(cls: type, c: cattrs.Converter) -> Callable[[Mapping[str, Any]], Any] | None:
    """A function that builds ``cls`` from a valid payload as ``c``'s structure hook does
    (or ``None`` for a class whose fields it does not cover).

    It takes the whole payload (``type`` and ``version`` keys are allowed), calls
    the same per-field hooks as the converter (skipping the call only where the
    hook would return the value unchanged) and the class's own ``__init__``
    (so attrs converters and validators run).  Anything wrong raises some
    exception that says nothing useful: the caller then runs the converter's
    own hook, which names every wrong field.
    """
    try:
        attrs.resolve_types(cls)
        fields = attrs.fields(cls)
    except Exception:
        return None
    # Only cattrs' public API: each field's hook from get_structure_hook, called as the
    # converter calls it; ``X | None`` is unwrapped here (None passes, anything else goes
    # to X's hook: what cattrs does for optional types) so the inner hook can be inlined.
    ns: dict[str, Any] = {"__cl": cls, "_fromiso": _dt.date.fromisoformat}
    lines = ["def structure(o):"]
    call: list[str] = []
    fill: list[tuple[int, attrs.Attribute[Any], bool]] = []

    def emit(t: Any, var: str, ind: str, i: str) -> list[str] | None:
        if isinstance(t, str | typing.TypeVar) or typing.get_origin(t) in (
            typing.Final, typing.Annotated
        ) or t is typing.Final:
            return None
        args = typing.get_args(t)
        if len(args) == 2 and type(None) in args and _is_union(t):
            other = args[0] if args[1] is type(None) else args[1]
            inner = emit(other, var, ind + "  ", i + "o")
            return None if inner is None else [f"{ind}if {var} is not None:", *inner]
        try:
            hook = c.get_structure_hook(t)
        except Exception:
            return None
        if getattr(hook, "__name__", "") == "raise_error":
            return None
        h, tn = f"h{i}", f"t{i}"
        ns[h], ns[tn] = hook, t
        same = _IDENTITY_HOOKS.get(hook)
        if same is not None:
            ns[f"k{i}"] = same
            return [f"{ind}if {var}.__class__ is not k{i}: {var} = {h}({var}, {tn})"]
        item = _TUPLE_ITEM.get(hook)
        if item is not None:
            # A list of none or one item of the exact class the item hook returns unchanged
            # is what the tuple hook would return as a tuple (most lists are that short).
            ns[f"k{i}"] = item
            return [f"{ind}if {var}.__class__ is list and len({var}) < 2 and "
                    f"(not {var} or {var}[0].__class__ is k{i}): {var} = tuple({var})",
                    f"{ind}else: {var} = {h}({var}, {tn})"]
        if hook is _structure_joint:
            return [f"{ind}if {var}.__class__ is not str and {var} is not None: "
                    f"{var} = {h}({var}, {tn})"]
        if hook is _structure_count:
            ns["_counts"] = _EXACT_COUNTS
            return [f"{ind}w = _counts.get({var}) if {var}.__class__ is int else None",
                    f"{ind}{var} = {h}({var}, {tn}) if w is None else w"]
        if hook is _structure_date:
            # Only YYYY-MM-DD takes the fast path (its 5th and 8th characters are dashes, which
            # 20240101 and 2024-W01-1 lack); the hook refuses anything else with a message.
            return [f"{ind}{var} = _fromiso({var}) if {var}.__class__ is str and len({var}) == 10 "
                    f"and {var}[4] == '-' and {var}[7] == '-' else {h}({var}, {tn})"]
        if _plain_enum(t, hook):
            ns[f"k{i}"] = t
            ns[f"m{i}"] = {m.value: m for m in t if m.value.__class__ is str}
            return [f"{ind}if {var}.__class__ is str: {var} = m{i}.get({var}, {var})",
                    f"{ind}if {var}.__class__ is not k{i}: {var} = {h}({var}, {tn})"]
        return [f"{ind}{var} = {h}({var}, {tn})"]

    # Two ways through: a payload with every field (as to_dict writes them) and the
    # reserved keys needs no per-field presence test; any other counts the keys it knows.
    # (Unpacking ``o.values()`` after comparing ``tuple(o)`` with the expected keys costs
    # more instructions than the per-field lookups: measured, not kept.)
    full = ["  if len(o) == %d and 'type' in o and 'version' in o:"]
    general = ["  else:", "    n = %d"]
    required = 0
    optional_base = 0
    for n, a in enumerate(fields):
        if not a.init:
            continue  # the converter neither reads nor allows such a key
        if a.name in RESERVED_KEYS or not a.name.isidentifier() or not a.alias.isidentifier():
            return None
        default = a.default
        if isinstance(default, attrs.Factory) and default.takes_self:  # type: ignore[arg-type]
            return None
        var = f"v{n}"
        here, nested = emit(a.type, var, "    ", str(n)), emit(a.type, var, "      ", str(n))
        if here is None or nested is None:
            return None
        if a.name in BASE_OPTIONAL:  # payloads leave these out at their default
            ns[f"d{n}"] = default
            full += [f"    {var} = d{n}"]
            optional_base += 1
        else:
            full += [f"    {var} = o[{a.name!r}]", *here]
        if default is attrs.NOTHING:
            required += 1
            general += [f"    {var} = o[{a.name!r}]", *here]
        else:
            general += [f"    if {a.name!r} in o:", f"      {var} = o[{a.name!r}]", "      n += 1",
                        *nested, "    else:"]
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                ns[f"d{n}"] = default.factory
                general.append(f"      {var} = d{n}()")
            else:
                ns[f"d{n}"] = default
                general.append(f"      {var} = d{n}")
        call.append(f"{a.alias}={var}")
        fill.append((n, a, here is not None and _date_hook(a.type, c)))
    # The full way is for payloads without ids or record dates (the common case).
    full[0] %= len(call) - optional_base + len(RESERVED_KEYS)
    general[1] %= required
    # Every key is a field's or reserved, or the converter would refuse the payload.
    general.append("    if len(o) != n + ('type' in o) + ('version' in o): raise KeyError")
    lines += full + general
    twin = _filling_twin(cls)
    filled = None if twin is None else _fill_lines(cls, twin, fill, ns)
    if filled is None:
        lines.append(f"  return __cl({', '.join(call)})")
    else:
        lines += filled
    try:
        exec(compile("\n".join(lines), f"<crisis_model structure {cls.__qualname__}>", "exec"), ns)
    except SyntaxError:
        return None
    fn: Callable[[Mapping[str, Any]], Any] = ns["structure"]
    return fn


def _is_union(t: Any) -> bool:
    """Whether ``t`` is a union type (``X | None`` or ``typing.Optional[X]``)."""
    return typing.get_origin(t) in (typing.Union, types.UnionType)


def _plain_enum(t: Any, hook: Callable[[Any, Any], Any]) -> bool:
    """Whether ``t`` is a plain enum whose ``hook`` maps each string value to its member."""
    if type(t) is not enum.EnumType or getattr(t, "__new__", None) is not enum.Enum.__new__:
        return False
    members: list[enum.Enum] = list(t)
    try:
        return all(hook(m.value, t) is m for m in members if m.value.__class__ is str)
    except Exception:
        return False


# -- building the instance without its __init__ -----------------------------------------------

#: Event base validators that only check a value's class: a value the generated code made
#: with ``date.fromisoformat`` (or ``None`` where the field allows it) always passes them.
_DATE_CLASS_CHECKS: frozenset[Any] = frozenset({_check_date, _check_recorded})
#: Event base validators that accept their field's own default whatever the other fields
#: hold: the generated code skips them for a value that is the default (``None``, a day).
_DEFAULT_PASSES: frozenset[Any] = frozenset({_check_id, _check_recorded, _check_precision,
                                            _check_recorded_precision, _check_until})
#: Converters, and a condition on a value (``{v}``) under which each returns that very value.
_CONVERTER_KEEPS: dict[Any, str] = {
    strings: "{v}.__class__ is tuple",
    joint: "{v} is None or {v}.__class__ is str or {v}.__class__ is tuple",
    count_or_none: "{v} is None or {v}.__class__ is _Count and {v}.best is not None",
    frozen_map: "{v}.__class__ is _FrozenMap",
}

def _filling_twin(cls: type) -> type | None:
    """The twin of ``cls`` (see :func:`crisis_model._replace.plain_subclass`) whose
    instances can become ``cls`` instances by ``__class__`` assignment, or ``None``
    where ``cls`` is not a plain slotted attrs class.

    The generated decoder fills a fresh twin's slots with plain attribute stores,
    runs the field converters and validators ``__init__`` would run, then turns it
    into a ``cls``: the same instance ``__init__`` builds, without its per-field
    ``object.__setattr__`` calls and with the checks the decoder has already made
    left out.
    """
    special = ("__attrs_pre_init__", "__attrs_post_init__", "_attrs_cached_hash",
               "__attrs_init__")
    if (attrs.has(cls) and not any(hasattr(cls, m) for m in special)
            and all(a.init for a in attrs.fields(cls))):
        return _twin(cls)
    return None


def _date_hook(t: Any, c: cattrs.Converter) -> bool:
    """Whether a field of type ``t`` is decoded to an exact ``datetime.date`` (or ``None``)."""
    args = typing.get_args(t)
    if len(args) == 2 and type(None) in args and _is_union(t):
        t = args[0] if args[1] is type(None) else args[1]
    try:
        return t is _dt.date and c.get_structure_hook(t) is _structure_date
    except Exception:
        return False


def _fill_lines(cls: type, twin: type, fill: list[tuple[int, attrs.Attribute[Any], bool]],
                ns: dict[str, Any]) -> list[str] | None:
    """The end of a generated decoder: ``cls``'s instance from the decoded ``v<n>``, as
    ``__init__`` builds it: converters in field order, then validators in field order
    (those the decoder's own checks make redundant left out); ``None`` where a field's
    converter is an ``attrs.Converter`` (which may read the instance)."""
    ns["__twin"] = twin
    out = ["  i = __twin()"]  # (its __init__ is object's: a bare instance, C all the way)
    checks = []
    for n, a, exact_date in fill:
        var = f"v{n}"
        conv = a.converter
        if conv is not None:
            if isinstance(conv, attrs.Converter):  # may take the instance: leave it to __init__
                return None
            ns[f"c{n}"] = conv
            keeps = _CONVERTER_KEEPS.get(conv)
            if keeps is None:
                out.append(f"  {var} = c{n}({var})")
            else:
                ns["_Count"], ns["_FrozenMap"] = Count, FrozenMap
                out.append(f"  if not ({keeps.format(v=var)}): {var} = c{n}({var})")
        out.append(f"  i.{a.name} = {var}")
        check = a.validator
        if check is None or (exact_date and check in _DATE_CLASS_CHECKS):
            continue
        ns[f"a{n}"], ns[f"f{n}"] = check, a
        if check in _DEFAULT_PASSES and a.default is not attrs.NOTHING:
            ns[f"z{n}"] = a.default
            checks.append(f"  if {var} is not z{n}: a{n}(i, f{n}, {var})")
        else:
            checks.append(f"  a{n}(i, f{n}, {var})")
    out.append("  i.__class__ = __cl")  # a plain store on the twin: no call
    return [*out, *checks, "  return i"]
