"""Rules by actor kind: who can hold an office, be detained, go into exile or hiding,
seek and grant asylum.  (Country codes are checked against the ISO 3166-1 table of
:mod:`crisis_model.countries`: by the rules ``country-code`` and ``destination-code``
of the actors' and movement modules, and here by ``election-country-code``.)

These rules are registered with the public :func:`crisis_model.rule` on the classes
of the other vocabulary modules, as a user's extension would (this module edits none
of them).  Each rule has a stable name, so a scenario that meets a real case the table
did not foresee can waive it, with a reason (see ``docs/extending.md``).

What each kind of actor can do (:data:`CAN`):

- **hold an office** (``hold-office``): persons, and bodies where the office is
  collective: a government, a council (junta, transitional or parallel council) or
  a legislature.  A foreign government, an international organisation, a party, a
  court or an electoral authority holds no office of a state.
- **be detained** (``be-detained``) and **go into exile or hiding**
  (``move``): people, as persons or as groups (including a party's, an NGO's, an
  armed group's or the security forces' members).  Institutions (courts, electoral
  authorities, legislatures, governments foreign or not, international organisations)
  are not detained; of them only a government or a council can go into exile (a
  government in exile).
- **seek asylum** (``seek-asylum``): persons and groups of people.
- **grant asylum** (``grant-asylum``): states (a government, foreign or not) and
  international bodies; never a party, a group or a person.  A state does not give
  asylum to its own nationals (``asylum-abroad``).
- **conduct diplomacy** (``conduct-diplomacy``: expel or recall envoys, sever or restore
  relations): a government, a foreign government or a council (a junta).
- **borrow** (``borrow``: default on a debt, borrow under an aid deal): a government,
  foreign or not, or a council.  **Lend** (``lend``): a government, foreign or not, or an
  international body (the IMF, a development bank).
- **evacuate** foreign nationals (``evacuate``): a government, foreign or not, a council,
  an international body, or security forces.
- **mediate** (``mediator-kind``, on ``mediation.started``, who comes to a
  ``mediation.round`` and an agreement's ``mediated_by``): persons (an envoy, an elder
  statesman, a panel's members), groups (church leaders), NGOs, observers, governments
  (foreign or not) and international bodies; never a party, coalition, court, electoral
  authority, legislature, council, security force or armed group, which are sides, not
  go-betweens.
- **ratify** (``ratifier-kind``, on ``agreement.ratified``): legislatures, governments
  (foreign or not), councils and international bodies.

>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, OfficeAssumed
>>> import datetime as dt
>>> day = dt.date(2024, 7, 1)
>>> state = cm.replay([ActorIntroduced(occurred_on=day, actor="usa", name="United States",
...                                    kind=cm.ActorKind.FOREIGN_GOVERNMENT, country="USA")])
>>> [problem] = cm.check(state, OfficeAssumed(occurred_on=day, person="usa", office="president"))
>>> problem.rule, problem.subject
('office-holder-kind', 'usa')
>>> print(problem.message)  # doctest: +NORMALIZE_WHITESPACE
'usa' (United States) is a foreign_government, which holds no office: offices are held by
persons, or by a government, council or legislature where the office is collective;
cannot hold 'president'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from .._event import actors_of
from ..countries import country_problem, is_country
from ..reducer import Problem, rule
from ..state import ActorKind, CrisisState
from .actors import ActorIntroduced
from .agreements import AgreementRatified, AgreementSigned, MediationRound, MediationStarted
from .diplomacy import EnvoyExpelled, EnvoyRecalled, RelationsRestored, RelationsSevered
from .displacement import Evacuated
from .economy import AidAgreed, DefaultDeclared
from .elections import ElectionCalled, ElectionHeld
from .justice import PeopleDetained
from .movement import (
    AsylumDenied,
    AsylumGranted,
    AsylumSought,
    LeftCountry,
    TookEmbassyRefuge,
    WentIntoHiding,
)
from .office import OfficeAssumed, OfficeSeized

__all__ = ["CAN", "kind_problem"]

_PEOPLE = frozenset({"person", "group", "party", "coalition", "ngo", "observer",
                     "security_forces", "armed_group"})

#: capability -> the actor kinds (values of :class:`~crisis_model.ActorKind`) that have it.
CAN: Mapping[str, frozenset[str]] = MappingProxyType({
    "hold-office": frozenset({"person", "government", "council", "legislature"}),
    "be-detained": _PEOPLE,
    "move": _PEOPLE | {"government", "council"},
    "seek-asylum": frozenset({"person", "group"}),
    "grant-asylum": frozenset({"government", "foreign_government", "international_org"}),
    "conduct-diplomacy": frozenset({"government", "foreign_government", "council"}),
    "borrow": frozenset({"government", "foreign_government", "council"}),
    "lend": frozenset({"government", "foreign_government", "international_org"}),
    "evacuate": frozenset({"government", "foreign_government", "council", "international_org",
                           "security_forces"}),
    "mediate": frozenset({"person", "group", "ngo", "observer", "government",
                          "foreign_government", "international_org"}),
    "ratify": frozenset({"legislature", "government", "foreign_government", "council",
                         "international_org"}),
})

_WHAT = {
    "hold-office": ("holds no office: offices are held by persons, or by a government, "
                    "council or legislature where the office is collective"),
    "be-detained": "cannot be detained: only people (persons or groups of them) are",
    "move": ("cannot go into exile, hiding or refuge: only people (persons or groups of "
             "them), or a government or council in exile, can"),
    "seek-asylum": "cannot seek asylum: only persons or groups of people can",
    "grant-asylum": ("cannot grant asylum: only a state (a government) or an international "
                     "body can, not a party, group or person"),
    "conduct-diplomacy": ("cannot expel or recall envoys or sever relations: only a "
                          "government, foreign or not, or a council can"),
    "borrow": ("cannot default or borrow as a state: only a government, foreign or not, or "
               "a council can"),
    "lend": ("cannot lend as a state: only a government, foreign or not, or an "
             "international body can"),
    "evacuate": ("cannot evacuate nationals: only a government, foreign or not, a council, "
                 "an international body or security forces can"),
    "mediate": ("cannot mediate: mediators are persons, groups, NGOs, observers, governments "
                "or international bodies, not one of the sides or an institution of the state"),
    "ratify": ("cannot ratify an agreement: only a legislature, a government, a council or an "
               "international body can"),
}


def _kind(kind: ActorKind | str) -> str:
    return kind.value if isinstance(kind, ActorKind) else kind


def _members(can: str) -> tuple[ActorKind, ...]:
    """The :class:`~crisis_model.ActorKind` members with capability ``can``, persons first.

    The rules test membership in these first, the admissible case: a tuple, because
    ``in`` on a tuple compares by identity in C, where hashing an enum member runs
    Python code (a frozenset of members cost a sixth of a replay's time in these rules).
    """
    kinds = sorted((k for k in ActorKind if k.value in CAN[can]),
                   key=lambda k: (k is not ActorKind.PERSON, k.value))
    return tuple(kinds)


_HOLD, _DETAIN, _MOVE = _members("hold-office"), _members("be-detained"), _members("move")
_SEEK, _GRANT = _members("seek-asylum"), _members("grant-asylum")
_MEDIATE, _RATIFY = _members("mediate"), _members("ratify")


def _article(word: str) -> str:
    """The article a kind's name reads with: "an electoral_authority", "an NGO", "a party"."""
    return "an" if word[:1] in "aeiou" or word == "ngo" else "a"


def kind_problem(
    state: CrisisState, actor: str, can: str, field: str, detail: str = ""
) -> Problem | None:
    """``None`` when ``actor``'s kind has capability ``can`` (a key of :data:`CAN`), else
    the problem, naming the actor, its kind and (``detail``) what it was to do."""
    a = state.actors[actor]
    kind = _kind(a.kind)
    if kind in CAN[can]:
        return None
    tail = f"; {detail}" if detail else ""
    return Problem(f"{actor!r} ({a.name}) is {_article(kind)} {kind}, which {_WHAT[can]}{tail}",
                   field=field, subject=actor)


def _each(problems: Iterable[Problem | None]) -> list[Problem] | None:
    found = [p for p in problems if p is not None]
    return found or None


@rule(OfficeAssumed)
def office_holder_kind(state: CrisisState, e: OfficeAssumed) -> Problem | None:
    if state.actors[e.person].kind in _HOLD:
        return None
    return kind_problem(state, e.person, "hold-office", "person", f"cannot hold {e.office!r}")


@rule(OfficeSeized, name="office-holder-kind")
def _seized_holder_kind(state: CrisisState, e: OfficeSeized) -> Problem | None:
    # only a holder named as such: the seizers themselves (holder None) are whoever they are
    if e.holder is None or state.actors[e.holder].kind in _HOLD:
        return None
    return kind_problem(state, e.holder, "hold-office", "holder", f"cannot hold {e.office!r}")


@rule(ActorIntroduced, name="office-holder-kind")
def _introduced_holder_kind(state: CrisisState, e: ActorIntroduced) -> str | None:
    if e.offices and _kind(e.kind) not in CAN["hold-office"]:
        kind = _kind(e.kind)
        return (f"{e.actor!r} ({e.name}) is {_article(kind)} {kind}, which {_WHAT['hold-office']}; "
                f"cannot hold {', '.join(repr(o) for o in e.offices)}")
    return None


@rule(PeopleDetained)
def detainable_kind(state: CrisisState, e: PeopleDetained) -> list[Problem] | None:
    actors = state.actors
    if e.group is None or actors[e.group].kind in _DETAIN:
        for p in e.persons:
            if actors[p].kind not in _DETAIN:
                break
        else:
            return None
    problems = [kind_problem(state, p, "be-detained", "persons") for p in e.persons]
    if e.group is not None:
        problems.append(kind_problem(state, e.group, "be-detained", "group"))
    return _each(problems)


@rule(WentIntoHiding, TookEmbassyRefuge, LeftCountry)
def movable_kind(
    state: CrisisState, e: WentIntoHiding | TookEmbassyRefuge | LeftCountry
) -> Problem | None:
    if state.actors[e.person].kind in _MOVE:
        return None
    return kind_problem(state, e.person, "move", "person")


@rule(AsylumSought, AsylumGranted, AsylumDenied)
def asylum_seeker_kind(
    state: CrisisState, e: AsylumSought | AsylumGranted | AsylumDenied
) -> Problem | None:
    if state.actors[e.person].kind in _SEEK:
        return None
    return kind_problem(state, e.person, "seek-asylum", "person")


@rule(AsylumSought, AsylumGranted, AsylumDenied)
def asylum_host_kind(
    state: CrisisState, e: AsylumSought | AsylumGranted | AsylumDenied
) -> Problem | None:
    if state.actors[e.host].kind in _GRANT:
        return None
    return kind_problem(state, e.host, "grant-asylum", "host",
                        f"{e.person!r} cannot have asylum from it")


@rule(ElectionCalled, ElectionHeld)
def election_country_code(state: CrisisState, e: ElectionCalled | ElectionHeld) -> Problem | None:
    if e.country is None or is_country(e.country):
        return None
    message = country_problem(e.country, f"election {e.election!r}: country")
    return Problem(message or "", field="country", subject=e.election)


@rule(EnvoyExpelled, EnvoyRecalled, RelationsSevered, RelationsRestored)
def diplomat_kind(
    state: CrisisState, e: EnvoyExpelled | EnvoyRecalled | RelationsSevered | RelationsRestored
) -> list[Problem] | None:
    return _each(kind_problem(state, a, "conduct-diplomacy", "by") for a in actors_of(e.by))


@rule(DefaultDeclared, AidAgreed)
def borrower_kind(state: CrisisState, e: DefaultDeclared | AidAgreed) -> Problem | None:
    if isinstance(e, DefaultDeclared):
        return kind_problem(state, e.debtor, "borrow", "debtor")
    return kind_problem(state, e.borrower, "borrow", "borrower")


@rule(AidAgreed)
def lender_kind(state: CrisisState, e: AidAgreed) -> list[Problem] | None:
    return _each(kind_problem(state, a, "lend", "lender") for a in actors_of(e.lender))


@rule(Evacuated)
def evacuator_kind(state: CrisisState, e: Evacuated) -> list[Problem] | None:
    return _each(kind_problem(state, a, "evacuate", "by") for a in actors_of(e.by))


@rule(MediationStarted, MediationRound, AgreementSigned)
def mediator_kind(
    state: CrisisState, e: MediationStarted | MediationRound | AgreementSigned
) -> list[Problem] | None:
    if isinstance(e, MediationStarted):
        field, ids = "mediators", actors_of(e.mediators)
    elif isinstance(e, MediationRound):
        field, ids = "by", actors_of(e.by)
    else:
        field, ids = "mediated_by", actors_of(e.mediated_by)
    if all(state.actors[a].kind in _MEDIATE for a in ids):
        return None
    return _each(kind_problem(state, a, "mediate", field) for a in ids)


@rule(AgreementRatified)
def ratifier_kind(state: CrisisState, e: AgreementRatified) -> list[Problem] | None:
    ids = actors_of(e.by)
    if all(state.actors[a].kind in _RATIFY for a in ids):
        return None
    return _each(kind_problem(state, a, "ratify", "by", f"agreement {e.agreement!r}")
                 for a in ids)
