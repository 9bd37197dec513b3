"""State-aware strategies for diplomacy, the economy, evacuations, travel bans and attacks.

Registered with the public hook :func:`crisis_model.testing.register_event_strategy`
(through the same ``_strategy`` helper as ``_builtin``).  Each draws only events the
rules admit in the state it is given.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from .._count import Count
from .._event import Precision
from ..events.courts import TravelBanLifted, TravelBanned, court_record
from ..events.diplomacy import (
    EnvoyDeparted,
    EnvoyExpelled,
    EnvoyRecalled,
    MissionStatus,
    Relations,
    RelationsRestored,
    RelationsSevered,
    diplomacy,
    mission_key,
    relations_key,
)
from ..events.displacement import Evacuated
from ..events.economy import AidAgreed, AidStage, DefaultDeclared, ShortageReported, economy
from ..events.violence import AttackMeans, AttackOutcome, AttackReported, PersonAttacked
from ..state import ActorKind, CrisisState
from ._builtin import _able, _strategy, _text
from ._strategies import (
    _COUNTRIES,
    _booleans,
    _int,
    _places,
    choice,
    items_of,
    maybe,
    per_state,
    subset,
)
from ._values import counts

__all__: list[str] = []


def _joint(draw: st.DrawFn, ids: list[str]) -> str | tuple[str, ...]:
    chosen = subset(draw, ids, min_size=1, max_size=2)
    return chosen[0] if len(chosen) == 1 and draw(_booleans) else tuple(chosen)


@per_state(reads="actors")
def _living(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors)
            if a.kind is ActorKind.PERSON and a.death is None]


def _count(draw: st.DrawFn) -> Count | None:
    count = maybe(draw, lambda: draw(counts(max_value=10_000)))
    return None if count is None or count.is_unknown else count


def _day(state: CrisisState) -> _dt.date:
    return state.as_of or _dt.date(2024, 1, 1)


# -- diplomacy --------------------------------------------------------------------------------


def _envoy(draw: st.DrawFn, state: CrisisState, sender: str, host: str
           ) -> tuple[bool, str | None]:
    """Whether an envoy of ``sender`` in ``host`` can be acted on, and which (``None``:
    unnamed): after a departure, only a new named envoy."""
    m = diplomacy(state).missions.get(mission_key(sender, host))
    people = _living(state)
    if m is not None and m.status is MissionStatus.DEPARTED:
        fresh = [p for p in people if p != m.envoy]
        return (True, choice(draw, fresh)) if fresh else (False, None)
    return True, maybe(draw, lambda: choice(draw, people)) if people else None


def _pairs(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Every ordered pair of distinct country codes, starting from a drawn one."""
    pairs = [(a, b) for a in _COUNTRIES for b in _COUNTRIES if a != b]
    start = choice(draw, range(len(pairs)))
    return pairs[start:] + pairs[:start]


def _mission(draw: st.DrawFn, state: CrisisState) -> tuple[str, str, str | None]:
    for sender, host in _pairs(draw):
        ok, envoy = _envoy(draw, state, sender, host)
        if ok:
            return sender, host, envoy
    return _COUNTRIES[0], _COUNTRIES[1], None  # never reached while a mission is left


@per_state(reads="actors")
def _diplomats(state: CrisisState) -> list[str]:
    return _able(state, "conduct-diplomacy")


@_strategy(EnvoyExpelled, when=lambda s: bool(_diplomats(s)))
def _expelled(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    sender, host, envoy = _mission(draw, state)
    deadline = maybe(draw, lambda: _day(state) + _dt.timedelta(days=_int(draw, 30, 60)))
    return {"by": _joint(draw, _diplomats(state)), "of_country": sender, "from_country": host,
            "envoy": envoy, "post": choice(draw, ["", "ambassador", "chargé d'affaires"]),
            "deadline": deadline, "reason": _text(draw)}


@_strategy(EnvoyRecalled, when=lambda s: bool(_diplomats(s)))
def _recalled(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    sender, host, envoy = _mission(draw, state)
    return {"by": _joint(draw, _diplomats(state)), "of_country": sender, "from_country": host,
            "envoy": envoy, "reason": _text(draw)}


@_strategy(EnvoyDeparted)
def _departed(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    sender, host, envoy = _mission(draw, state)
    return {"of_country": sender, "from_country": host, "envoy": envoy}


_NONE = Relations(("", ""), False)


@per_state
def _severed(state: CrisisState) -> list[tuple[str, ...]]:
    return [r.countries for r in diplomacy(state).relations.values() if r.severed]


@_strategy(RelationsSevered, when=lambda s: bool(_diplomats(s)))
def _sever(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    relations = diplomacy(state).relations
    country, other = next(
        (p for p in _pairs(draw) if not (relations.get(relations_key(*p)) or _NONE).severed),
        (_COUNTRIES[0], _COUNTRIES[1]))
    return {"by": _joint(draw, _diplomats(state)), "country": country, "with_country": other,
            "reason": _text(draw)}


@_strategy(RelationsRestored, when=lambda s: bool(_diplomats(s)) and bool(_severed(s)))
def _restore(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    a, b = choice(draw, _severed(state))
    country, other = (a, b) if draw(_booleans) else (b, a)
    return {"by": _joint(draw, _diplomats(state)), "country": country, "with_country": other}


# -- the economy ------------------------------------------------------------------------------

_DEBTS = ("external debt", "Eurobonds", "bilateral loans", "")


@_strategy(DefaultDeclared, when=lambda s: bool(_able(s, "borrow")))
def _default(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    debtor = choice(draw, _able(state, "borrow"))
    taken = {d.debt for d in economy(state).defaults if d.debtor == debtor}
    debt = choice(draw, _DEBTS)
    n = 0
    while debt in taken:
        debt, n = f"loan {n}", n + 1
    return {"debtor": debtor, "debt": debt, "amount": choice(draw, ["", "USD 51 billion"]),
            "by": maybe(draw, lambda: choice(draw, list(state.actors))), "detail": _text(draw)}


@per_state(reads="actors")
def _borrowers(state: CrisisState) -> list[str]:
    """Those who can borrow from someone other than themselves."""
    lenders = _able(state, "lend")
    return [b for b in _able(state, "borrow") if any(x != b for x in lenders)]


@_strategy(AidAgreed, when=lambda s: bool(_borrowers(s)))
def _aid(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    deals = economy(state).aid
    if len(deals) > 0 and draw(_booleans):
        key = choice(draw, list(deals))
        deal = deals[key]
        stages = list(AidStage)[list(AidStage).index(deal.stage):]
        if deal.stage is not AidStage.DISBURSED:
            stages = stages[1:]
        lender: str | tuple[str, ...] = deal.lender if len(deal.lender) > 1 else deal.lender[0]
        return {"deal": key, "lender": lender, "borrower": deal.borrower,
                "stage": choice(draw, stages), "amount": _text(draw)}
    borrower = choice(draw, _borrowers(state))
    lenders = [a for a in _able(state, "lend") if a != borrower]
    n = len(deals)
    while f"deal{n}" in deals:
        n += 1
    return {"deal": f"deal{n}", "lender": _joint(draw, lenders), "borrower": borrower,
            "stage": choice(draw, list(AidStage)), "amount": _text(draw),
            "detail": _text(draw)}


@_strategy(ShortageReported)
def _shortage(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"country": choice(draw, _COUNTRIES),
            "goods": subset(draw, ["fuel", "food", "medicine", "cooking gas"], min_size=1),
            "detail": _text(draw)}


# -- evacuations ------------------------------------------------------------------------------


@_strategy(Evacuated, when=lambda s: bool(_able(s, "evacuate")))
def _evacuated(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    origin = choice(draw, _COUNTRIES)
    others = [c for c in _COUNTRIES if c != origin]
    nationals = subset(draw, others, min_size=1, max_size=3)
    return {"by": _joint(draw, _able(state, "evacuate")), "nationals_of": nationals,
            "from_country": origin, "count": _count(draw),
            "detail": _text(draw)}


# -- travel bans ------------------------------------------------------------------------------


@per_state(reads="actors")
def _people(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.kind in (ActorKind.PERSON, ActorKind.GROUP)]


@_strategy(TravelBanned, when=lambda s: bool(_people(s)))
def _travel_banned(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    until = maybe(draw, lambda: _day(state) + _dt.timedelta(days=_int(draw, 800, 1200)))
    return {"persons": subset(draw, _people(state), min_size=1, max_size=2),
            "by": maybe(draw, lambda: choice(draw, list(state.actors))), "until": until,
            "grounds": _text(draw)}


@per_state
def _banned(state: CrisisState) -> list[str]:
    record = court_record(state)
    on = _day(state)
    return [p for p in record.travel_bans if record.travel_banned(p, on)]


@_strategy(TravelBanLifted, when=lambda s: bool(_banned(s)))
def _travel_ban_lifted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    # dated the state's own day (a drawn month-precision date could fall before the ban)
    return {"occurred_on": _day(state), "precision": Precision.DAY,
            "persons": subset(draw, _banned(state), min_size=1, max_size=2),
            "by": maybe(draw, lambda: choice(draw, list(state.actors)))}


# -- attacks ----------------------------------------------------------------------------------


@_strategy(AttackReported)
def _attack(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"target": choice(draw, ["a church", "a market", "a camp for the displaced"]),
            "attackers": choice(draw, ["", "armed youths", "unknown gunmen"]),
            "by": maybe(draw, lambda: _joint(draw, list(state.actors))) if state.actors
            else None,
            "means": maybe(draw, lambda: choice(draw, list(AttackMeans))),
            "deaths": _count(draw), "injuries": _count(draw),
            "detail": maybe(draw, lambda: draw(_places)) or ""}


_OUTCOMES = (AttackOutcome.SURVIVED,) * 3 + (AttackOutcome.KILLED,)


@_strategy(PersonAttacked, when=lambda s: bool(_living(s)))
def _person_attacked(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    victim = choice(draw, _living(state))
    others = [a for a in state.actors if a != victim]
    return {"victim": victim, "means": choice(draw, list(AttackMeans)),
            # mostly survived: a killing ends the victim's part in the rest of the log
            "outcome": choice(draw, _OUTCOMES),
            "by": maybe(draw, lambda: _joint(draw, others)) if others else None,
            "attackers": _text(draw)}
