"""Unrest: protests, crackdowns, and tolls reported as running totals.

Counts are honest (:class:`~crisis_model.Count`): exact, "at least", "about", or a
range; ``None`` when the report gives no number (an old file's plain integer reads
as an exact count).  A protest or crackdown adds to the crisis-wide incident
counters (increments); a toll (``unrest.toll_reported``) is someone's running
total for a period, kept as reported in the slice ``"tolls"`` (:func:`tolls`) and
never added to the increments, so two reporters' tolls of the same deaths are
never summed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any

import attrs

from .._count import Count, count_or_none
from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref
from .._place import Place
from .._summary import summarizer
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState
from ._plain import Name, by_clause, day, day_json, names

__all__ = ["TOLLS", "CrackdownReported", "ProtestHeld", "Toll", "TollReported", "tolls"]

#: The name of the slice that holds reported tolls.
TOLLS = "tolls"


@event_type("unrest.protest", version=1)
@attrs.frozen(kw_only=True)
class ProtestHeld(Event):
    """A protest (or wave of protests) takes place, by one group or several together;
    ``size`` is the crowd, as reported."""

    location: str | None = None
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    size: Count | None = attrs.field(default=None, converter=count_or_none)
    demand: str = ""
    place: Place | None = None


@event_type("unrest.crackdown", version=1)
@attrs.frozen(kw_only=True)
class CrackdownReported(Event):
    """Security forces (one or several together: police and army) crack down; each count is
    ``None`` when the report gives no number.

    When ``group`` names a detainee group, the arrests enter that group's
    detention ledger too.
    """

    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    deaths: Count | None = attrs.field(default=None, converter=count_or_none)
    injuries: Count | None = attrs.field(default=None, converter=count_or_none)
    arrests: Count | None = attrs.field(default=None, converter=count_or_none)
    group: str | None = ref("actor", default=None)
    place: Place | None = None


@event_type("unrest.toll_reported", version=1)
@attrs.frozen(kw_only=True)
class TollReported(Event):
    """``by`` (a ministry, a UN office, the press...) reports a running total of the
    unrest's toll for the period ``since``-``through`` (``scope`` in plain words).

    Each figure is the total so far, not an increment: it does not add to the incident
    counters, and reporters who disagree are all kept.
    """

    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    deaths: Count | None = attrs.field(default=None, converter=count_or_none)
    injuries: Count | None = attrs.field(default=None, converter=count_or_none)
    arrests: Count | None = attrs.field(default=None, converter=count_or_none)
    since: _dt.date | None = None
    through: _dt.date | None = None
    scope: str = ""


@attrs.frozen(weakref_slot=False)
class Toll:
    """One reported toll: who reported it, when, for what period, and the figures."""

    #: The reporters (empty: not named).
    by: tuple[str, ...]
    #: The day of the report, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The running totals reported (``None``: that figure was not given).
    deaths: Count | None = None
    injuries: Count | None = None
    arrests: Count | None = None
    #: The period the figures cover, if stated: from ``since``...
    since: _dt.date | None = None
    #: ...through ``until``.
    until: _dt.date | None = None
    #: What the figures cover, in plain words.
    scope: str = ""


def tolls(state: CrisisState | Draft) -> tuple[Toll, ...]:
    """Every reported toll, in the order reported."""
    value: tuple[Toll, ...] = state.slices.get(TOLLS, ())
    return value


def _figures(t: Toll | TollReported) -> str:
    shown = [f"{c} {noun}" for c, noun in ((t.deaths, "killed"), (t.injuries, "injured"),
                                           (t.arrests, "arrested")) if c is not None]
    return ", ".join(shown) or "no figures"


def _period(since: _dt.date | None, until: _dt.date | None) -> str:
    if since is None and until is None:
        return ""
    return (f" ({since.isoformat() if since else '...'} to "
            f"{until.isoformat() if until else '...'})")


def _render(value: tuple[Toll, ...], name: Name) -> list[str]:
    return [f"{_figures(t)}{_period(t.since, t.until)}"
            + (f", {t.scope}" if t.scope else "")
            + f": reported{by_clause(t.by, name)} {day(t.on, t.precision)}" for t in value]


def _count_json(c: Count | None) -> Any:
    return None if c is None else c.to_json()


def _to_json(value: tuple[Toll, ...]) -> list[dict[str, Any]]:
    return [{"by": list(t.by), "on": day_json(t.on), "precision": t.precision.value,
             "deaths": _count_json(t.deaths), "injuries": _count_json(t.injuries),
             "arrests": _count_json(t.arrests), "since": day_json(t.since),
             "until": day_json(t.until), "scope": t.scope} for t in value]


state_slice(TOLLS, (), title="Reported tolls", render=_render, to_json=_to_json)


@rule(TollReported)
def toll_figures(state: CrisisState, e: TollReported) -> str | None:
    if e.deaths is None and e.injuries is None and e.arrests is None:
        return "a toll gives at least one figure (deaths, injuries or arrests)"
    return None


@rule(TollReported)
def toll_period(state: CrisisState, e: TollReported) -> str | None:
    if e.since is not None and e.through is not None and e.through < e.since:
        return f"the period ends ({e.through}) before it begins ({e.since})"
    last = e.window[1]
    for bound in (e.since, e.through):
        if bound is not None and bound > last:
            return f"a toll reported by {last} cannot cover days after it ({bound})"
    return None


@handler(ProtestHeld)
def _protest(draft: Draft, e: ProtestHeld) -> None:
    draft.edit_incidents().protests += 1


@handler(CrackdownReported)
def _crackdown(draft: Draft, e: CrackdownReported) -> None:
    i = draft.edit_incidents()
    i.crackdowns += 1
    i.deaths = i.deaths.add(e.deaths)
    i.injuries = i.injuries.add(e.injuries)
    i.arrests = i.arrests.add(e.arrests)
    if e.group is not None:
        ledger = draft.edit_ledger(e.group)
        ledger.detained = ledger.detained.add(e.arrests)


@handler(TollReported)
def _toll(draft: Draft, e: TollReported) -> None:
    toll = Toll(actors_of(e.by), e.occurred_on, e.precision, e.deaths, e.injuries, e.arrests,
                e.since, e.through, e.scope)
    draft.set_slice(TOLLS, (*tolls(draft), toll))


@invariant("tolls-ordered")
def _tolls_ordered(state: CrisisState) -> Iterator[InvariantViolation]:
    """Each toll's period ends after it begins and not after the report."""
    for i, t in enumerate(tolls(state)):
        if t.since is not None and t.until is not None and t.until < t.since:
            yield InvariantViolation("", "a toll's period ends before it begins", f"toll {i}")


@summarizer(ProtestHeld)
def _protest_summary(e: ProtestHeld, name: Name) -> str:
    return ("protest" + (f" by {names(e.by, name)}" if e.by else "")
            + (f" {e.location}" if e.location and e.location.startswith("across") else
               (f" in {e.location}" if e.location else ""))
            + (f", {_people(e.size)}" if e.size is not None else "")
            + (f", demanding {e.demand}" if e.demand else ""))


def _people(size: Count) -> str:
    # a crowd given as one number was always an estimate: it reads "about N people"
    return f"about {size} people" if size.is_exact else f"{size} people"


@summarizer(CrackdownReported)
def _crackdown_summary(e: CrackdownReported, name: Name) -> str:
    return (f"crackdown{by_clause(e.by, name)}: "
            + ", ".join(f"{'unreported' if v is None else v} {k}"
                        for k, v in (("deaths", e.deaths), ("injuries", e.injuries),
                                     ("arrests", e.arrests)))
            + (f" (arrests counted among {name(e.group)})" if e.group else ""))


@summarizer(TollReported)
def _toll_summary(e: TollReported, name: Name) -> str:
    return (f"{names(e.by, name) or 'a report'} puts the toll at {_figures(e)}"
            + _period(e.since, e.through) + (f", {e.scope}" if e.scope else ""))
