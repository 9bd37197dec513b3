"""The economy in a crisis: a sovereign default, aid or a loan agreed (through its stages),
and shortages of essential goods.

Amounts are kept as the report words them (``"USD 2.9 billion"``, ``"about USD 51
billion"``): currencies and the kind of sum differ too much between reports to be added
up.  The state keeps defaults, aid deals (each with its dated stages) and shortages in
the slice ``"economy"`` (:func:`economy`).
"""

from __future__ import annotations

import datetime as _dt
import enum
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .._draft import Draft
from .._event import Event, Precision, actors_of, joint, ref, strings
from .._frozenmap import FrozenMap
from .._summary import summarizer
from .._trail import appended  # public as crisis_model.appended
from ..countries import country_problem
from ..invariants import InvariantViolation, invariant
from ..reducer import event_type, handler, rule, state_slice
from ..state import CrisisState
from ._plain import Name, by_clause, day, day_json, names, words

__all__ = [
    "ECONOMY",
    "AidAgreed",
    "AidDeal",
    "AidEntry",
    "AidStage",
    "DefaultDeclared",
    "Economy",
    "Shortage",
    "ShortageReported",
    "SovereignDefault",
    "economy",
]

#: The name of the slice that holds the economy's record.
ECONOMY = "economy"


class AidStage(enum.Enum):
    """How far an aid or loan deal has gone, in order."""

    #: Agreed by negotiators (an IMF staff-level agreement), pending approval.
    STAFF_LEVEL = "staff_level"
    #: Approved by the lender's board or government.
    APPROVED = "approved"
    #: Money paid out (a tranche; it may happen more than once).
    DISBURSED = "disbursed"


_ORDER = {s: i for i, s in enumerate(AidStage)}


def _upper(value: str) -> str:
    return value.upper()


@event_type("economy.default", version=1)
@attrs.frozen(kw_only=True)
class DefaultDeclared(Event):
    """``debtor`` (a state's government) stops paying ``debt`` ("external debt", "Eurobond
    coupons"): a sovereign default, announced or reported; ``amount`` in the report's words."""

    debtor: str = ref("actor")
    debt: str = ""
    amount: str = ""
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    detail: str = ""


@event_type("economy.aid_agreed", version=1)
@attrs.frozen(kw_only=True)
class AidAgreed(Event):
    """``lender`` and ``borrower`` reach a ``stage`` of an aid or loan deal (``deal``, an id
    shared by its stages): a staff-level agreement, its approval, a disbursement.

    The first event of a deal introduces it; later ones advance it, never back
    (a disbursement may repeat).
    """

    deal: str
    lender: str | tuple[str, ...] = ref("actor", converter=joint)
    borrower: str = ref("actor")
    stage: AidStage = attrs.field(converter=AidStage)
    amount: str = ""
    detail: str = ""


@event_type("economy.shortage", version=1)
@attrs.frozen(kw_only=True)
class ShortageReported(Event):
    """Shortages of ``goods`` (fuel, food, medicine...) are reported in ``country`` (ISO
    alpha-3), by ``by`` if named; ``detail`` in plain words (queues, rationing)."""

    country: str = attrs.field(converter=_upper)
    goods: tuple[str, ...] = attrs.field(converter=strings)
    by: str | tuple[str, ...] | None = ref("actor", default=None, converter=joint)
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class SovereignDefault:
    """A default: who stopped paying what, when."""

    #: The debtor.
    debtor: str
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The debt not paid, in plain words.
    debt: str = ""
    #: The sum, as reported.
    amount: str = ""
    #: Who announced or reported it.
    by: tuple[str, ...] = ()
    #: Details in plain words.
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class AidEntry:
    """One dated stage of an aid deal."""

    #: The stage reached.
    stage: AidStage
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: The sum, as reported.
    amount: str = ""
    #: Details in plain words.
    detail: str = ""


@attrs.frozen(weakref_slot=False)
class AidDeal:
    """An aid or loan deal and the stages it went through."""

    #: The deal's id.
    id: str
    #: The lenders.
    lender: tuple[str, ...]
    #: The borrower.
    borrower: str
    #: The furthest stage reached.
    stage: AidStage
    #: Every stage, in order.
    history: Sequence[AidEntry] = ()


@attrs.frozen(weakref_slot=False)
class Shortage:
    """A reported shortage."""

    #: Where (ISO alpha-3).
    country: str
    #: What ran short.
    goods: tuple[str, ...]
    #: The day, and how precisely it is known.
    on: _dt.date
    precision: Precision = Precision.DAY
    #: Who reported it.
    by: tuple[str, ...] = ()
    #: Details in plain words.
    detail: str = ""


_NO_DEALS: FrozenMap[str, AidDeal] = FrozenMap()


@attrs.frozen(weakref_slot=False)
class Economy:
    """Defaults, aid deals and shortages, as the record goes."""

    #: Defaults, in order.
    defaults: Sequence[SovereignDefault] = ()
    #: deal id -> the deal.
    aid: FrozenMap[str, AidDeal] = _NO_DEALS
    #: Shortages, in the order reported.
    shortages: Sequence[Shortage] = ()

    def in_default(self, debtor: str) -> bool:
        """Whether a default by ``debtor`` is on record."""
        return any(d.debtor == debtor for d in self.defaults)


_EMPTY = Economy()


def economy(state: CrisisState | Draft) -> Economy:
    """The economy's record in ``state``."""
    value: Economy = state.slices.get(ECONOMY, _EMPTY)
    return value


def _render(value: Economy, name: Name) -> list[str]:
    lines = [f"{name(d.debtor)} in default" + (f" on {d.debt}" if d.debt else "")
             + (f" ({d.amount})" if d.amount else "") + f" since {day(d.on, d.precision)}"
             for d in value.defaults]
    lines += [f"{k}: {names(a.lender, name)} to {name(a.borrower)}: "
              + "; ".join(f"{words(h.stage)} {day(h.on, h.precision)}"
                          + (f" ({h.amount})" if h.amount else "") for h in a.history)
              for k, a in value.aid.items()]
    lines += [f"shortage of {', '.join(s.goods)} in {s.country}{by_clause(s.by, name)} "
              f"{day(s.on, s.precision)}" for s in value.shortages]
    return lines


def _to_json(value: Economy) -> dict[str, Any]:
    return {
        "defaults": [{"debtor": d.debtor, "on": day_json(d.on), "precision": d.precision.value,
                      "debt": d.debt, "amount": d.amount, "by": list(d.by), "detail": d.detail}
                     for d in value.defaults],
        "aid": {k: {"lender": list(a.lender), "borrower": a.borrower, "stage": a.stage.value,
                    "history": [{"stage": h.stage.value, "on": day_json(h.on),
                                 "precision": h.precision.value, "amount": h.amount,
                                 "detail": h.detail} for h in a.history]}
                for k, a in value.aid.items()},
        "shortages": [{"country": s.country, "goods": list(s.goods), "on": day_json(s.on),
                       "precision": s.precision.value, "by": list(s.by), "detail": s.detail}
                      for s in value.shortages],
    }


state_slice(ECONOMY, _EMPTY, title="Economy", render=_render, to_json=_to_json)


# -- rules ----------------------------------------------------------------------------------


@rule(DefaultDeclared)
def not_already_in_default(state: CrisisState, e: DefaultDeclared) -> str | None:
    for d in economy(state).defaults:
        if d.debtor == e.debtor and d.debt == e.debt:
            return (f"{e.debtor!r} is already in default on {d.debt or 'its debt'} "
                    f"(since {day(d.on, d.precision)})")
    return None


@rule(AidAgreed)
def aid_stage_forward(state: CrisisState, e: AidAgreed) -> str | None:
    deal = economy(state).aid.get(e.deal)
    if e.borrower in actors_of(e.lender):
        return f"{e.borrower!r} cannot lend to itself"
    if deal is None:
        return None
    if (deal.borrower, deal.lender) != (e.borrower, actors_of(e.lender)):
        return (f"deal {e.deal!r} is between {', '.join(deal.lender)} and {deal.borrower}; "
                "a later stage names the same lender and borrower")
    if _ORDER[e.stage] < _ORDER[deal.stage] or (
            e.stage is deal.stage and e.stage is not AidStage.DISBURSED):
        return (f"deal {e.deal!r} already reached {words(deal.stage)}; stages go forward "
                f"(staff level, approved, disbursed), not to {words(e.stage)}")
    return None


@rule(ShortageReported)
def shortage_named(state: CrisisState, e: ShortageReported) -> str | None:
    problem = country_problem(e.country, "country")
    if problem:
        return problem
    if not e.goods or not all(g.strip() for g in e.goods):
        return "name the goods that ran short (goods)"
    return None


# -- handlers -------------------------------------------------------------------------------


@handler(DefaultDeclared)
def _default(draft: Draft, e: DefaultDeclared) -> None:
    record = economy(draft)
    d = SovereignDefault(e.debtor, e.occurred_on, e.precision, e.debt, e.amount,
                         actors_of(e.by), e.detail)
    draft.set_slice(ECONOMY, attrs.evolve(record, defaults=appended(record.defaults, d)))


@handler(AidAgreed)
def _aid(draft: Draft, e: AidAgreed) -> None:
    record = economy(draft)
    entry = AidEntry(e.stage, e.occurred_on, e.precision, e.amount, e.detail)
    old = record.aid.get(e.deal)
    history = appended(() if old is None else old.history, entry)
    deal = AidDeal(e.deal, actors_of(e.lender), e.borrower, e.stage, history)
    draft.set_slice(ECONOMY, attrs.evolve(record, aid=record.aid.set(e.deal, deal)))


@handler(ShortageReported)
def _shortage(draft: Draft, e: ShortageReported) -> None:
    record = economy(draft)
    s = Shortage(e.country, e.goods, e.occurred_on, e.precision, actors_of(e.by), e.detail)
    draft.set_slice(ECONOMY, attrs.evolve(record, shortages=appended(record.shortages, s)))


# -- summaries ------------------------------------------------------------------------------


@summarizer(DefaultDeclared)
def _default_summary(e: DefaultDeclared, name: Name) -> str:
    return (f"{name(e.debtor)} defaults" + (f" on {e.debt}" if e.debt else "")
            + (f" ({e.amount})" if e.amount else "")
            + (f", announced by {names(e.by, name)}" if e.by else "")
            + (f": {e.detail}" if e.detail else ""))


@summarizer(AidAgreed)
def _aid_summary(e: AidAgreed, name: Name) -> str:
    return (f"{names(e.lender, name)} and {name(e.borrower)}: {words(e.stage)} "
            f"({e.deal})" + (f", {e.amount}" if e.amount else "")
            + (f": {e.detail}" if e.detail else ""))


@summarizer(ShortageReported)
def _shortage_summary(e: ShortageReported, name: Name) -> str:
    return (f"shortages of {', '.join(e.goods)} in {e.country}"
            + (f", reported by {names(e.by, name)}" if e.by else "")
            + (f": {e.detail}" if e.detail else ""))


@invariant("aid-stages")
def _aid_stages(state: CrisisState) -> Iterator[InvariantViolation]:
    """Each deal's stages go forward (only disbursements repeat) and its stage is the last."""
    for key, deal in economy(state).aid.items():
        order = [_ORDER[h.stage] for h in deal.history]
        repeats = any(b == a and deal.history[i + 1].stage is not AidStage.DISBURSED
                      for i, (a, b) in enumerate(itertools.pairwise(order)))
        if (not order or key != deal.id or order != sorted(order) or repeats
                or deal.stage is not deal.history[-1].stage):
            yield InvariantViolation("", "aid stages go backwards or do not match", key)
