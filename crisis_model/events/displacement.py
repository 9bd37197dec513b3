"""Displacement: people displaced inside their country or across a border, counted honestly;
and foreign nationals evacuated from a country in crisis (``displacement.evacuated``, kept
in the slice ``"evacuations"``).

A report gives new displacement (``newly``: an increment), a running total
(``total``: displaced so far), or both, as :class:`~crisis_model.Count` values.
Each flow (internal displacement in a country, or refugees from one country to
another) keeps its current total and every report in the slice
``"displacement"`` (:func:`displacement`): a total replaces the flow's figure; an
increment adds to it (with no earlier figure, the flow is then "at least" that many).
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .._count import Count, count_or_none
from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref
from .._frozenmap import FrozenMap
from .._place import Place
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..countries import country_problem
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState
from ._plain import Name, by_clause, day, day_json, names

__all__ = [
    "DISPLACEMENT",
    "EVACUATIONS",
    "DisplacementKind",
    "DisplacementReport",
    "DisplacementReported",
    "Evacuated",
    "Evacuation",
    "Flow",
    "displacement",
    "evacuated_from",
    "evacuations",
    "flow_key",
]

#: The name of the slice that holds displacement flows.
DISPLACEMENT = "displacement"

#: What the slice holds before anything happened (states built without it read so).
_NONE: FrozenMap[Any, Any] = FrozenMap()


class DisplacementKind(enum.Enum):
    """Where displaced people went."""

    INTERNAL = "internal"
    CROSS_BORDER = "cross_border"


def _code(value: str | None) -> str | None:
    return None if value is None else value.upper()


@event_type("displacement.reported", version=1)
@attrs.frozen(kw_only=True)
class DisplacementReported(Event):
    """``by`` reports people displaced from ``country`` (ISO 3166 alpha-3): inside it
    (``kind = "internal"``) or across the border into ``to`` (``"cross_border"``).

    ``newly`` is the number newly displaced (an increment), ``total`` the running total
    so far; give either or both.
    """

    kind: DisplacementKind = attrs.field(converter=DisplacementKind)
    country: str = attrs.field(converter=_code)
    to: str | None = attrs.field(default=None, converter=_code)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    newly: Count | None = attrs.field(default=None, converter=count_or_none)
    total: Count | None = attrs.field(default=None, converter=count_or_none)
    scope: str = ""


@attrs.frozen(weakref_slot=False)
class DisplacementReport:
    """One report about a flow, as given."""

    #: The reporters (empty: not named).
    by: tuple[str, ...]
    #: The day of the report, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Newly displaced (increment), if given.
    newly: Count | None = None
    #: Running total, if given.
    total: Count | None = None
    #: What the figures cover, in plain words.
    scope: str = ""


@attrs.frozen(weakref_slot=False)
class Flow:
    """People displaced along one route: internally in ``country``, or from ``country``
    into ``to``."""

    #: Internal or cross-border.
    kind: DisplacementKind
    #: The country people fled (ISO 3166 alpha-3).
    country: str
    #: The country they reached (cross-border flows only).
    to: str | None
    #: The displaced so far, as the record supports it.
    total: Count
    #: Every report, in order.
    reports: Sequence[DisplacementReport] = ()


def flow_key(kind: DisplacementKind, country: str, to: str | None) -> str:
    """The slice key of a flow: ``"internal:KEN"`` or ``"cross_border:KEN>UGA"``."""
    return f"{kind.value}:{country}" + (f">{to}" if to else "")


def displacement(state: CrisisState | Draft) -> FrozenMap[str, Flow]:
    """Every displacement flow, by :func:`flow_key`."""
    value: FrozenMap[str, Flow] = state.slices.get(DISPLACEMENT, _NONE)
    return value


def _route(f: Flow | DisplacementReported) -> str:
    if f.kind is DisplacementKind.INTERNAL:
        return f"displaced within {f.country}"
    return f"fled {f.country} for {f.to}"


def _render(value: FrozenMap[str, Flow], name: Name) -> list[str]:
    lines = []
    for f in value.values():
        last = f.reports[-1]
        lines.append(f"{f.total} {_route(f)} (latest report{by_clause(last.by, name)} "
                     f"{day(last.on, last.precision)}; {len(f.reports)} report"
                     f"{'s' if len(f.reports) > 1 else ''})")
    return lines


def _cj(c: Count | None) -> Any:
    return None if c is None else c.to_json()


def _to_json(value: FrozenMap[str, Flow]) -> dict[str, Any]:
    return {k: {"kind": f.kind.value, "country": f.country, "to": f.to,
                "total": _cj(f.total),
                "reports": [{"by": list(r.by), "on": day_json(r.on),
                             "precision": r.precision.value, "newly": _cj(r.newly),
                             "total": _cj(r.total), "scope": r.scope} for r in f.reports]}
            for k, f in value.items()}


state_slice(DISPLACEMENT, FrozenMap(), title="Displacement", render=_render, to_json=_to_json)


@rule(DisplacementReported)
def displacement_route(state: CrisisState, e: DisplacementReported) -> str | None:
    for field, code in (("country", e.country), ("to", e.to)):
        if code is not None and not (len(code) == 3 and code.isalpha() and code.isascii()):
            return f"{field} {code!r} is not an ISO 3166 alpha-3 code (such as 'KEN')"
    if e.kind is DisplacementKind.INTERNAL and e.to is not None:
        return "internal displacement stays inside the country: leave 'to' out"
    if e.kind is DisplacementKind.CROSS_BORDER and (e.to is None or e.to == e.country):
        return "cross-border displacement names the other country reached ('to')"
    return None


@rule(DisplacementReported)
def displacement_figures(state: CrisisState, e: DisplacementReported) -> str | None:
    if e.newly is None and e.total is None:
        return "a displacement report gives new displacement (newly), a total, or both"
    return None


@handler(DisplacementReported)
def _reported(draft: Draft, e: DisplacementReported) -> None:
    table = displacement(draft)
    key = flow_key(e.kind, e.country, e.to)
    old = table.get(key)
    report = DisplacementReport(actors_of(e.by), e.occurred_on, e.precision, e.newly, e.total,
                                e.scope)
    if e.total is not None:
        total = e.total
    else:
        assert e.newly is not None  # the rule displacement-figures
        total = (old.total if old is not None else Count.unknown()) + e.newly
    reports = appended(() if old is None else old.reports, report)
    draft.set_slice(DISPLACEMENT, table.set(key, Flow(e.kind, e.country, e.to, total,
                                                      reports)))


@invariant("displacement-flows")
def _flows(state: CrisisState) -> Iterator[InvariantViolation]:
    """Each flow sits under its own key and has a report behind it."""
    for key, f in displacement(state).items():
        if key != flow_key(f.kind, f.country, f.to) or not f.reports:
            yield InvariantViolation("", "flow does not match its key or has no report", key)


@summarizer(DisplacementReported)
def _summary(e: DisplacementReported, name: Name) -> str:
    parts = []
    if e.newly is not None:
        parts.append(f"{e.newly} newly")
    if e.total is not None:
        parts.append(f"{e.total} in all")
    return (f"{' and '.join(parts)} {_route(e)}" + (f" ({e.scope})" if e.scope else "")
            + (f", reports {_by_names(e, name)}" if e.by else ""))


def _by_names(e: DisplacementReported, name: Name) -> str:
    return by_clause(e.by, name).removeprefix(" by ")


# -- evacuations ------------------------------------------------------------------------------

#: The name of the slice that holds evacuations of foreign nationals.
EVACUATIONS = "evacuations"


def _upper(value: str) -> str:
    return value.upper()


def _codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    return tuple(v.upper() for v in value)


@event_type("displacement.evacuated", version=1)
@attrs.frozen(kw_only=True)
class Evacuated(Event):
    """``by`` (a government, its armed forces...) evacuates nationals of ``nationals_of``
    (ISO alpha-3 codes; its own and others') from ``from_country``: ``count`` people as
    reported, from ``place``; ``detail`` in plain words ("and other Europeans").

    Each event is one evacuation (a flight, a convoy, or an operation as reported): the
    slice ``"evacuations"`` (:func:`evacuations`) keeps them all, and
    :func:`evacuated_from` adds up the counts from one country.
    """

    by: str | tuple[str, ...] = ref("actor", converter=joint)
    nationals_of: tuple[str, ...] = attrs.field(converter=_codes)
    from_country: str = attrs.field(converter=_upper)
    count: Count | None = attrs.field(default=None, converter=count_or_none)
    place: Place | None = None
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class Evacuation:
    """One evacuation, as reported."""

    #: Who evacuated.
    by: tuple[str, ...]
    #: Whose nationals (ISO alpha-3).
    nationals_of: tuple[str, ...]
    #: From which country (ISO alpha-3).
    from_country: str
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: How many people (``None``: no number given).
    count: Count | None = None
    #: Where from.
    place: Place | None = None
    #: Details in plain words.
    detail: str = ""


def evacuations(state: CrisisState | Draft) -> tuple[Evacuation, ...]:
    """Every evacuation, in the order reported."""
    value: tuple[Evacuation, ...] = state.slices.get(EVACUATIONS, ())
    return value


def evacuated_from(state: CrisisState | Draft, country: str) -> Count:
    """How many people were evacuated from ``country`` in all, as the record supports it
    (an evacuation with no number makes the total "at least" the others)."""
    code = country.upper()
    figures = [ev.count if ev.count is not None else Count.unknown()
               for ev in evacuations(state) if ev.from_country == code]
    if not figures:
        return Count.exact(0)
    total = figures[0]
    for figure in figures[1:]:
        total = total + figure
    return total


def _evac_render(value: tuple[Evacuation, ...], name: Name) -> list[str]:
    return [f"{ev.count if ev.count is not None else 'an unreported number of'} people "
            f"({', '.join(ev.nationals_of)} nationals) evacuated from {ev.from_country}"
            f"{by_clause(ev.by, name)} {day(ev.on, ev.precision)}"
            + (f" ({ev.detail})" if ev.detail else "") for ev in value]


def _evac_json(value: tuple[Evacuation, ...]) -> list[dict[str, Any]]:
    return [{"by": list(ev.by), "nationals_of": list(ev.nationals_of),
             "from_country": ev.from_country, "on": day_json(ev.on),
             "precision": ev.precision.value, "count": _cj(ev.count),
             "place": None if ev.place is None else str(ev.place), "detail": ev.detail}
            for ev in value]


state_slice(EVACUATIONS, (), title="Evacuations", render=_evac_render, to_json=_evac_json)


@rule(Evacuated)
def evacuation_countries(state: CrisisState, e: Evacuated) -> list[str] | None:
    if not e.nationals_of:
        return ["name whose nationals were evacuated (nationals_of, ISO alpha-3 codes)"]
    problems = [p for p in (country_problem(c, "nationals_of") for c in e.nationals_of) if p]
    problem = country_problem(e.from_country, "from_country")
    if problem:
        problems.append(problem)
    if not problems and e.nationals_of == (e.from_country,):
        problems.append(f"only nationals of {e.from_country} itself: people moved out of "
                        "their own country are displaced (displacement.reported)")
    return problems or None


@handler(Evacuated)
def _evacuated(draft: Draft, e: Evacuated) -> None:
    ev = Evacuation(actors_of(e.by), e.nationals_of, e.from_country, e.occurred_on,
                    e.precision, e.count, e.place, e.detail)
    draft.set_slice(EVACUATIONS, (*evacuations(draft), ev))


@summarizer(Evacuated)
def _evacuated_summary(e: Evacuated, name: Name) -> str:
    return (f"{names(e.by, name)} evacuates "
            + (f"{e.count} people" if e.count is not None else "people")
            + f" ({', '.join(e.nationals_of)} nationals) from {e.from_country}"
            + (f", {e.detail}" if e.detail else ""))
