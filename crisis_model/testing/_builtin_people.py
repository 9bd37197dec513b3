"""State-aware strategies for people: detention and custody, movement, asylum, death.

Registered with the public :func:`crisis_model.testing.register_event_strategy`;
every builder draws only events its type's rules admit in the state it gets
(the dead are never moved or detained; exiles are detained at home only when
seized abroad; named persons are released from the group they were counted in).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from .._count import Count
from .._place import Place
from ..events import (
    AsylumDenied,
    AsylumEnded,
    AsylumGranted,
    AsylumSought,
    CustodyExpelled,
    CustodyTransferred,
    Event,
    LeftCountry,
    PeopleDetained,
    PersonDied,
    PrisonersReleased,
    Reappeared,
    Returned,
    TookEmbassyRefuge,
    WentIntoHiding,
)
from ..state import ActorKind, AsylumStatus, CrisisState, DeathCause, Whereabouts
from ._builtin import _living
from ._strategies import (
    _COUNTRIES,
    _PLACES,
    _booleans,
    _Builder,
    _countries,
    _int,
    _known,
    _places,
    _texts,
    choice,
    items_of,
    kinds_in,
    maybe,
    members,
    per_state,
    register_event_strategy,
    subset,
)
from ._values import counts

__all__ = ["places"]

Build = Callable[[st.DrawFn, CrisisState], Mapping[str, Any]]

#: Places as events carry them: a name, sometimes a country, sometimes coordinates.
places = st.builds(
    Place,
    name=_places,
    country=st.one_of(st.none(), _countries),
    lat=st.just(None),
    lon=st.just(None),
) | st.builds(
    Place,
    name=_places,
    country=st.one_of(st.none(), _countries),
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
)
places = _known(places, lambda d: _place_form(d))


def _place_form(d: Any) -> Place:
    """The bits form of :data:`places`: zero bits give the first place, no country, no
    coordinates."""
    bits = d.bits
    name = _PLACES[bits.below(len(_PLACES))]
    country = None if bits.take(1) == 0 else _COUNTRIES[bits.below(len(_COUNTRIES))]
    if bits.take(1) == 0:
        return Place(name=name, country=country)
    return Place(name=name, country=country, lat=(bits.below(1801) - 900) / 10,
                 lon=(bits.below(3601) - 1800) / 10)


st.register_type_strategy(Place, places)
# Generic fields typed ``Count`` (detention and release counts) draw honest counts, never
# the negative bounds ``st.builds(Count)`` would try.
st.register_type_strategy(Count, counts())


def _strategy(
    cls: type[Event], when: Callable[[CrisisState], bool] = lambda state: True
) -> Callable[[Build], Build]:
    def decorate(build: Build) -> Build:
        register_event_strategy(cls, _Builder(build, when))
        return build

    return decorate


from ..events.kinds import CAN  # noqa: E402  (what each actor kind can do, by rule)


def _by(draw: st.DrawFn, actors: list[str]) -> str | tuple[str, ...] | None:
    """Nobody, one actor, or several acting jointly."""
    if not actors or _int(draw, 0, 3) == 0:
        return None
    if len(actors) > 1 and draw(_booleans):
        return subset(draw, actors, min_size=2, max_size=3)
    return choice(draw, actors)


def _place(draw: st.DrawFn) -> Place | None:
    return maybe(draw, lambda: draw(places))


@per_state(reads="actors")
def _held(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.whereabouts is Whereabouts.DETAINED]


# -- detention and custody ---------------------------------------------------------------------


def _detainable(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors)
            if a.whereabouts is not Whereabouts.DETAINED and a.death is None]


@_strategy(PeopleDetained, when=lambda s: bool(s.actors))
def _detained(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    actors = list(state.actors)
    living = _living(state)
    persons = subset(draw, _detainable(state))
    group = maybe(draw, lambda: choice(draw, actors))
    if group is None and not persons:
        group = choice(draw, actors)
    count: Count | None = maybe(draw, lambda: draw(counts(500)))
    if count is not None and count.is_unknown:
        count = None
    if group is not None and persons and count is not None and count.floor < len(persons):
        count = Count.at_least(len(persons))
    by = _by(draw, living)
    custodian = maybe(draw, lambda: choice(draw, actors))
    # An exile detained at home must have been seized abroad (the rule asks for it).
    exiles = any(state.actors[p].whereabouts is Whereabouts.IN_EXILE for p in persons)
    return {"group": group, "persons": persons, "count": count, "by": by,
            "custodian": custodian, "abduction": exiles or draw(_booleans),
            "place": _place(draw)}


@per_state
def _releasable(state: CrisisState) -> tuple[list[str], list[str]]:
    groups = [g for g, ledger in items_of(state.ledgers) if ledger.held != 0]
    return _held(state), groups


@_strategy(PrisonersReleased, when=lambda s: any(_releasable(s)))
def _released(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    detained, groups = _releasable(state)
    group = maybe(draw, lambda: choice(draw, groups)) if groups else None
    if group is not None:  # named persons must be counted in that group, or in none
        detained = [p for p in detained
                    if (c := state.actors[p].custody) is None or c.group in (None, group)]
    persons = subset(draw, detained, min_size=0 if groups else 1)
    if group is None and not persons:
        group = choice(draw, groups)
    count: Count | None = None
    if group is not None:
        most = state.ledgers[group].held_range.high
        if most is None:
            count = maybe(draw, lambda: draw(counts(500)))
        else:
            persons = persons[:most]
            count = maybe(draw, lambda: Count.between(
                *sorted((_int(draw, len(persons), most),
                         _int(draw, len(persons), most)))))
        if count is not None and (count.is_unknown or count.floor < len(persons)):
            count = None
    conditional = draw(_booleans)
    conditions = (tuple(draw(_texts) for _ in range(_int(draw, 0, 2)))
                  if conditional else ())
    return {"group": group, "persons": persons, "count": count, "conditional": conditional,
            "conditions": conditions, "place": _place(draw), "by": _by(draw, _living(state))}


@_strategy(CustodyTransferred, when=lambda s: bool(_held(s)))
def _transferred(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    persons = subset(draw, _held(state), min_size=1)
    to = choice(draw, list(state.actors))
    place = draw(places)  # a fresh place: nobody is held there yet
    if draw(_booleans):
        return {"persons": persons, "to": to, "place": None if draw(_booleans) else place,
                "by": _by(draw, _living(state))}
    return {"persons": persons, "to": None, "place": place, "by": _by(draw, _living(state))}


@_strategy(CustodyExpelled, when=lambda s: bool(_held(s)))
def _expelled(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"persons": subset(draw, _held(state), min_size=1), "to": draw(_countries),
            "place": _place(draw), "by": _by(draw, _living(state))}


# -- movement ----------------------------------------------------------------------------------


@per_state(reads="actors")
def _movers(state: CrisisState, *, away: bool = False, hiding_ok: bool = True) -> list[str]:
    out = []
    for k, a in items_of(state.actors):
        if a.whereabouts in (Whereabouts.DETAINED, Whereabouts.DECEASED):
            continue
        if away and a.whereabouts is Whereabouts.AT_LARGE:
            continue
        if not hiding_ok and a.whereabouts is Whereabouts.IN_HIDING:
            continue
        out.append(k)
    return out


@_strategy(WentIntoHiding, when=lambda s: bool(_movers(s, hiding_ok=False)))
def _hiding(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _movers(state, hiding_ok=False)),
            "location": maybe(draw, lambda: draw(_places)), "place": _place(draw)}


@_strategy(TookEmbassyRefuge, when=lambda s: bool(_movers(s)))
def _embassy(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _movers(state)), "place": _place(draw)}


@per_state(reads="actors")
def _leavers(state: CrisisState) -> list[str]:
    return _movers(state)


@_strategy(LeftCountry, when=lambda s: bool(_leavers(s)))
def _left(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person = choice(draw, _leavers(state))
    a = state.actors[person]
    options = [c for c in ("ESP", "COL", "PAN", "USA", "BRA", "MDV", "SGP")
               if c != a.country and not (a.whereabouts is Whereabouts.IN_EXILE
                                          and a.location == c)]
    return {"person": person, "to": choice(draw, options), "place": _place(draw)}


@_strategy(Reappeared, when=lambda s: bool(_movers(s, away=True)))
def _reappeared(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _movers(state, away=True)),
            "location": maybe(draw, lambda: draw(_places)), "place": _place(draw)}


@per_state(reads="actors")
def _exiles(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.whereabouts is Whereabouts.IN_EXILE]


@_strategy(Returned, when=lambda s: bool(_exiles(s)))
def _returned(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    return {"person": choice(draw, _exiles(state)), "place": _place(draw)}


# -- asylum ------------------------------------------------------------------------------------


@per_state(reads="actors")
def _asylum_pairs(state: CrisisState) -> list[tuple[str, str]]:
    # the kind rules' lists
    seekers, granters = kinds_in(CAN["seek-asylum"]), kinds_in(CAN["grant-asylum"])
    living = [p for p in _living(state) if state.actors[p].kind in seekers]
    hosts = [h for h, a in items_of(state.actors) if a.kind in granters]
    out = []
    for p in living:
        home = state.actors[p].country
        current = state.actors[p].asylum
        for h in hosts:
            if h == p or (home is not None and state.actors[h].country == home):
                continue
            if current is not None and current.host == h and current.status is AsylumStatus.SOUGHT:
                continue
            out.append((p, h))
            if len(out) > 40:
                return out
    return out


@_strategy(AsylumSought, when=lambda s: bool(_asylum_pairs(s)))
def _asylum_sought(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person, host = choice(draw, _asylum_pairs(state))
    return {"person": person, "host": host}


def _asylum_with(state: CrisisState, *statuses: AsylumStatus) -> list[tuple[str, str]]:
    return [(k, a.asylum.host) for k, a in items_of(state.actors)
            if a.asylum is not None and a.asylum.status in statuses and a.death is None]


@_strategy(AsylumGranted, when=lambda s: bool(_asylum_with(s, AsylumStatus.SOUGHT)))
def _asylum_granted(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person, host = choice(draw, _asylum_with(state, AsylumStatus.SOUGHT))
    return {"person": person, "host": host}


@_strategy(AsylumDenied, when=lambda s: bool(_asylum_with(s, AsylumStatus.SOUGHT)))
def _asylum_denied(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person, host = choice(draw, _asylum_with(state, AsylumStatus.SOUGHT))
    return {"person": person, "host": host}


@_strategy(AsylumEnded, when=lambda s: bool(_asylum_with(s, AsylumStatus.SOUGHT,
                                                         AsylumStatus.GRANTED)))
def _asylum_ended(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person, host = choice(draw, _asylum_with(state, AsylumStatus.SOUGHT, AsylumStatus.GRANTED))
    return {"person": person, "host": host, "reason": maybe(draw, lambda: draw(_texts))}


# -- death -------------------------------------------------------------------------------------


@per_state(reads="actors")
def _mortals(state: CrisisState) -> list[str]:
    return [k for k, a in items_of(state.actors) if a.kind is ActorKind.PERSON and a.death is None]


@_strategy(PersonDied, when=lambda s: bool(_mortals(s)))
def _died(draw: st.DrawFn, state: CrisisState) -> Mapping[str, Any]:
    person = choice(draw, _mortals(state))
    causes = list(members(DeathCause))
    if state.actors[person].whereabouts is not Whereabouts.DETAINED:
        causes.remove(DeathCause.DIED_IN_CUSTODY)
    living = [a for a in _living(state) if a != person]
    return {"person": person, "cause": choice(draw, causes),
            "by": _by(draw, living), "place": _place(draw)}
