"""Violence that is not a crackdown: attacks by civilians, armed youths, militias or
unknown attackers on a place or a group (``violence.attack``), and attacks on a named
person (``person.attacked``: poisoned, shot, beaten...).

An attack's ``deaths`` and ``injuries`` are honest counts (:class:`~crisis_model.Count`)
and add to the crisis-wide incident counters, as a crackdown's do.  Who the attackers
were is often reported only in words ("armed youths"): ``attackers`` says so, and
``by`` names actors only when the record does.

**An attack that kills a named person records the death.**  ``person.attacked`` with
``outcome = "killed"`` is that person's death, exactly as ``person.died`` with cause
``killed`` would record it (their custody and offices end; the rule ``alive`` then
refuses them as actors, and ``victim-alive`` a later attack on them); do not add a
``person.died`` for the same death (it is refused: the dead do not die twice).  A
victim who survives the attack and dies of it later gets ``outcome = "survived"`` and,
on the day of death, a ``person.died``.

Everything is kept in the slice ``"violence"`` (:func:`violence`).
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
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import ActorKind, CrisisState, DeathCause
from ._plain import Name, by_clause, day, day_json, words
from .actors import PersonDied
from .actors import _died as record_death
from .movement import dead_among

__all__ = [
    "VIOLENCE",
    "Attack",
    "AttackMeans",
    "AttackOutcome",
    "AttackReported",
    "PersonAttack",
    "PersonAttacked",
    "Violence",
    "violence",
]

#: The name of the slice that holds attacks.
VIOLENCE = "violence"


class AttackMeans(enum.Enum):
    """How an attack was carried out, as reported."""

    POISONED = "poisoned"
    SHOT = "shot"
    BEATEN = "beaten"
    STABBED = "stabbed"
    BOMBED = "bombed"
    BURNED = "burned"
    OTHER = "other"


class AttackOutcome(enum.Enum):
    """What became of a person attacked."""

    #: They survived the attack (injured or not).
    SURVIVED = "survived"
    #: They were killed: the attack records their death.
    KILLED = "killed"


def _means(value: Any) -> AttackMeans | None:
    return None if value is None else AttackMeans(value)


@event_type("violence.attack", version=1)
@attrs.frozen(kw_only=True)
class AttackReported(Event):
    """An attack on a place or a group (``target``, in words) by ``attackers`` (in words:
    "armed youths", "unknown gunmen"), and by ``by`` when the record names actors.

    ``deaths`` and ``injuries`` are counts as reported (``None``: no number given);
    they add to the crisis-wide incident counters.
    """

    target: str
    attackers: str = ""
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    means: AttackMeans | None = attrs.field(default=None, converter=_means)
    deaths: Count | None = attrs.field(default=None, converter=count_or_none)
    injuries: Count | None = attrs.field(default=None, converter=count_or_none)
    place: Place | None = None
    detail: str = ""


@event_type("person.attacked", version=1)
@attrs.frozen(kw_only=True)
class PersonAttacked(Event):
    """``victim`` (a person) is attacked (``means``: poisoned, shot, beaten...) by ``by``
    if the record names them (``attackers`` in words otherwise).

    ``outcome = "killed"`` records the victim's death (as ``person.died`` with cause
    ``killed``); ``"survived"`` records the attack alone.
    """

    victim: str = ref("actor")
    means: AttackMeans = attrs.field(converter=AttackMeans)
    outcome: AttackOutcome = attrs.field(default=AttackOutcome.SURVIVED,
                                         converter=AttackOutcome)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    attackers: str = ""
    place: Place | None = None
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class Attack:
    """An attack on a place or group, as reported."""

    #: What was attacked, in words.
    target: str
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The attackers, in words.
    attackers: str = ""
    #: The actors named as attackers.
    by: tuple[str, ...] = ()
    #: How, if reported.
    means: AttackMeans | None = None
    #: Killed and injured, as reported (``None``: no number).
    deaths: Count | None = None
    injuries: Count | None = None
    #: Where.
    place: Place | None = None
    #: Details in plain words.
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class PersonAttack:
    """An attack on a named person."""

    #: How.
    means: AttackMeans
    #: Survived or killed.
    outcome: AttackOutcome
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The actors named as attackers.
    by: tuple[str, ...] = ()
    #: The attackers, in words.
    attackers: str = ""
    #: Where.
    place: Place | None = None
    #: Details in plain words.
    detail: str = ""


_NO_VICTIMS: FrozenMap[str, tuple[PersonAttack, ...]] = FrozenMap()


@attrs.frozen(weakref_slot=False)
class Violence:
    """Attacks on places and groups, and on named persons."""

    #: Attacks on places or groups, in order.
    attacks: Sequence[Attack] = ()
    #: person id -> the attacks on them, in order.
    on_persons: FrozenMap[str, tuple[PersonAttack, ...]] = _NO_VICTIMS


_EMPTY = Violence()


def violence(state: CrisisState | Draft) -> Violence:
    """The attacks in ``state``."""
    value: Violence = state.slices.get(VIOLENCE, _EMPTY)
    return value


def _toll(deaths: Count | None, injuries: Count | None) -> str:
    shown = [f"{c} {noun}" for c, noun in ((deaths, "killed"), (injuries, "injured"))
             if c is not None]
    return ", ".join(shown)


def _attackers(attackers: str, by: tuple[str, ...] | str | None, name: Name) -> str:
    text = by_clause(by, name)
    if attackers:
        text = f" by {attackers}" + (f" ({text.removeprefix(' by ')})" if text else "")
    return text


def _render(value: Violence, name: Name) -> list[str]:
    lines = []
    for a in value.attacks:
        toll = _toll(a.deaths, a.injuries)
        lines.append(f"attack on {a.target}{_attackers(a.attackers, a.by, name)} "
                     f"{day(a.on, a.precision)}" + (f" ({words(a.means)})" if a.means else "")
                     + (f": {toll}" if toll else ""))
    for person, attacks in value.on_persons.items():
        lines += [f"{name(person)} {words(p.means)}{_attackers(p.attackers, p.by, name)} "
                  f"{day(p.on, p.precision)}: {words(p.outcome)}" for p in attacks]
    return lines


def _cj(c: Count | None) -> Any:
    return None if c is None else c.to_json()


def _place_json(p: Place | None) -> Any:
    return None if p is None else str(p)


def _to_json(value: Violence) -> dict[str, Any]:
    return {
        "attacks": [{"target": a.target, "on": day_json(a.on), "precision": a.precision.value,
                     "attackers": a.attackers, "by": list(a.by),
                     "means": a.means.value if a.means else None, "deaths": _cj(a.deaths),
                     "injuries": _cj(a.injuries), "place": _place_json(a.place),
                     "detail": a.detail} for a in value.attacks],
        "on_persons": {person: [{"means": p.means.value, "outcome": p.outcome.value,
                                 "on": day_json(p.on), "precision": p.precision.value,
                                 "by": list(p.by), "attackers": p.attackers,
                                 "place": _place_json(p.place), "detail": p.detail}
                                for p in attacks]
                       for person, attacks in value.on_persons.items()},
    }


state_slice(VIOLENCE, _EMPTY, title="Attacks", render=_render, to_json=_to_json)


# -- rules ----------------------------------------------------------------------------------


@rule(AttackReported)
def attack_target(state: CrisisState, e: AttackReported) -> str | None:
    if not e.target.strip():
        return "say what was attacked (target), in words"
    return None


@rule(PersonAttacked)
def victim_is_person(state: CrisisState, e: PersonAttacked) -> str | None:
    a = state.actors[e.victim]
    if a.kind is not ActorKind.PERSON:
        return (f"victim {e.victim!r} ({a.name}) is a {a.kind.value}, not a person; an attack "
                "on a group or place is violence.attack")
    if e.victim in actors_of(e.by):
        return f"{e.victim!r} is named as both victim and attacker"
    return None


@rule(PersonAttacked)
def victim_alive(state: CrisisState, e: PersonAttacked) -> list[str] | None:
    dead = dead_among(state, [e.victim])
    return [f"{a.id!r} died on {a.death.on.isoformat()}; a person.attacked event cannot "
            "name them as if alive" for a in dead if a.death] or None


# -- handlers -------------------------------------------------------------------------------


@handler(AttackReported)
def _attack(draft: Draft, e: AttackReported) -> None:
    record = violence(draft)
    a = Attack(e.target, e.occurred_on, e.precision, e.attackers, actors_of(e.by), e.means,
               e.deaths, e.injuries, e.place, e.detail)
    draft.set_slice(VIOLENCE, attrs.evolve(record, attacks=appended(record.attacks, a)))
    if e.deaths is not None or e.injuries is not None:
        i = draft.edit_incidents()
        i.deaths = i.deaths.add(e.deaths)
        i.injuries = i.injuries.add(e.injuries)


@handler(PersonAttacked)
def _person_attacked(draft: Draft, e: PersonAttacked) -> None:
    record = violence(draft)
    p = PersonAttack(e.means, e.outcome, e.occurred_on, e.precision, actors_of(e.by),
                     e.attackers, e.place, e.detail)
    table = record.on_persons
    draft.set_slice(VIOLENCE, attrs.evolve(record, on_persons=table.set(
        e.victim, (*(table.get(e.victim) or ()), p))))
    if e.outcome is AttackOutcome.KILLED:  # the attack is the death: recorded as person.died
        record_death(draft, PersonDied(occurred_on=e.occurred_on, precision=e.precision,
                                       person=e.victim, cause=DeathCause.KILLED, by=e.by,
                                       place=e.place, sources=e.sources))


# -- summaries ------------------------------------------------------------------------------


@summarizer(AttackReported)
def _attack_summary(e: AttackReported, name: Name) -> str:
    toll = _toll(e.deaths, e.injuries)
    return (f"attack on {e.target}{_attackers(e.attackers, e.by, name)}"
            + (f" ({words(e.means)})" if e.means else "") + (f": {toll}" if toll else "")
            + (f"; {e.detail}" if e.detail else ""))


_PASSIVE = {AttackMeans.POISONED: "is poisoned", AttackMeans.SHOT: "is shot",
            AttackMeans.BEATEN: "is beaten", AttackMeans.STABBED: "is stabbed",
            AttackMeans.BOMBED: "is bombed", AttackMeans.BURNED: "is burned",
            AttackMeans.OTHER: "is attacked"}


@summarizer(PersonAttacked)
def _person_summary(e: PersonAttacked, name: Name) -> str:
    return (f"{name(e.victim)} {_PASSIVE[e.means]}{_attackers(e.attackers, e.by, name)}"
            + (" and killed" if e.outcome is AttackOutcome.KILLED else " and survives")
            + (f"; {e.detail}" if e.detail else ""))


@invariant("killed-in-attack-dead")
def _killed_dead(state: CrisisState) -> Iterator[InvariantViolation]:
    """A person killed in an attack is dead, and was attacked at most once after surviving."""
    for person, attacks in violence(state).on_persons.items():
        killed = [p for p in attacks if p.outcome is AttackOutcome.KILLED]
        actor = state.actors.get(person)
        if killed and (actor is None or actor.death is None):
            yield InvariantViolation("", "killed in an attack, yet not dead", person)
        if len(killed) > 1 or (killed and attacks[-1] is not killed[0]):
            yield InvariantViolation("", "attacked again after being killed", person)
