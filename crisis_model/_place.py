"""``Place``: where an event happened (a name, optionally a country and coordinates).

Events that happen somewhere carry an optional ``place: Place | None = None``
field.  In a scenario file it is a table::

    place = {name = "Galle Face, Colombo", country = "LKA"}

>>> import crisis_model as cm
>>> str(cm.Place("Galle Face, Colombo", country="lka"))
'Galle Face, Colombo (LKA)'
>>> str(cm.Place("Colombo", lat=6.93, lon=79.85))
'Colombo (6.93, 79.85)'
"""

from __future__ import annotations

import math
import re
from typing import Any

import attrs

__all__ = ["Place"]

_ALPHA3 = re.compile(r"[A-Z]{3}", re.ASCII)


def _country(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


def _check_name(inst: Place, attribute: attrs.Attribute[str], value: str) -> None:
    if value.__class__ is not str:
        raise TypeError(f"a place's name must be a string, got {value!r}")
    if not value.strip():
        raise ValueError("a place needs a non-blank name")


def _check_country(inst: Place, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if value.__class__ is not str or not _ALPHA3.fullmatch(value):
        raise ValueError(
            f"a place's country {value!r} is not an ISO 3166 alpha-3 code (such as 'LKA')")


def _checker(what: str, limit: float) -> Any:
    def check(inst: Place, attribute: attrs.Attribute[float | None], value: float | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"a place's {what} must be a number, got {value!r}")
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise ValueError(
                f"a place's {what} must lie between -{limit:g} and {limit:g}, got {value!r}")
    return check


def _both_or_neither(inst: Place) -> None:
    if (inst.lat is None) != (inst.lon is None):
        raise ValueError("a place gives both lat and lon, or neither")


@attrs.frozen(weakref_slot=False)
class Place:
    """Where something happened.

    ``name``: the place in words (a square, a town, a prison, an airport);
    ``country``: its ISO 3166 alpha-3 code, if given (stored upper-case);
    ``lat``/``lon``: its coordinates in decimal degrees (WGS 84), both or neither.
    """

    name: str = attrs.field(validator=_check_name)
    country: str | None = attrs.field(default=None, converter=_country,
                                      validator=_check_country)
    lat: float | None = attrs.field(default=None, validator=_checker("latitude", 90))
    lon: float | None = attrs.field(default=None, validator=_checker("longitude", 180))

    def __attrs_post_init__(self) -> None:
        _both_or_neither(self)

    def __str__(self) -> str:
        extra = []
        if self.country is not None:
            extra.append(self.country)
        if self.lat is not None and self.lon is not None:
            extra.append(f"{self.lat:g}, {self.lon:g}")
        return self.name + (f" ({'; '.join(extra)})" if extra else "")

    def to_json(self) -> dict[str, Any]:
        """The place as a JSON-able table, fields that are ``None`` left out."""
        out: dict[str, Any] = {"name": self.name}
        if self.country is not None:
            out["country"] = self.country
        if self.lat is not None:
            out["lat"] = self.lat
        if self.lon is not None:
            out["lon"] = self.lon
        return out
