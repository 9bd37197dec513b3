"""A fast ``attrs.evolve`` for the library's own slotted, frozen state records.

``attrs.evolve`` re-runs the whole ``__init__``; copying the slots directly
and converting only the changed fields costs about half as much.  Validators
do not run (the state records have none); converters of changed fields do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["replace"]

T = TypeVar("T")

_Setter = Callable[[Any, Any], None]
_Spec = tuple[tuple[tuple[_Setter, Callable[[Any], Any]], ...], dict[str, tuple[_Setter, Any]]]
_specs: dict[type, _Spec] = {}
_new = object.__new__


def _build(cls: type) -> _Spec:
    pairs = []
    by_name = {}
    for f in attrs.fields(cls):
        descriptor = getattr(cls, f.name)  # the slot's member descriptor
        pairs.append((descriptor.__set__, descriptor.__get__))
        by_name[f.name] = (descriptor.__set__, f.converter)
    spec = (tuple(pairs), by_name)
    _specs[cls] = spec
    return spec


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the slotted attrs instance ``obj`` with ``changes`` applied."""
    cls = type(obj)
    spec = _specs.get(cls)
    if spec is None:
        spec = _build(cls)
    pairs, by_name = spec
    new = _new(cls)
    for set_, get in pairs:
        set_(new, get(obj))
    for name, value in changes.items():
        try:
            set_, converter = by_name[name]
        except KeyError:
            raise TypeError(f"{cls.__name__} has no field {name!r}") from None
        set_(new, value if converter is None else converter(value))
    return new
