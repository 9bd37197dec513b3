"""Tests for crisis_model.events.justice."""

from __future__ import annotations

import crisis_model as cm
from crisis_model.events import (
    AmnestyAccepted,
    AmnestyProposed,
    AmnestyRejected,
    AmnestyWithdrawn,
    ArrestThreatened,
    ArrestWarrantIssued,
    ChargesFiled,
    PeopleDetained,
    PrisonersReleased,
)
from crisis_model.state import Tally

from .builders import D, base_state, rejected_rules

DAY = D(2024, 8, 11)
W = cm.Whereabouts


def after(*events, state=None):
    """``state`` (the base state by default) with ``events`` applied strictly."""
    return cm.replay(list(events), initial=state or base_state())


def proposed(**kw):
    """The US reports an amnesty for Maduro."""
    fields = {"offer": "amnesty", "by": "usa", "to": ("maduro",), "beneficiaries": ("maduro",),
              "conditions": ("steps down",)}
    fields.update(kw)
    return AmnestyProposed(occurred_on=DAY, **fields)


class TestJeopardy:
    def test_threat_warrant_charges(self):
        """Threats, warrants and charges accumulate in the person's jeopardy."""
        state = after(ArrestThreatened(occurred_on=DAY, person="gonzalez"),
                      ArrestWarrantIssued(occurred_on=DAY, person="gonzalez", by="cne"),
                      ChargesFiled(occurred_on=DAY, person="gonzalez", charges=("conspiracy",)),
                      ChargesFiled(occurred_on=DAY, person="gonzalez"))
        assert cm.Jeopardy(threatened=True, wanted=True, charged=("conspiracy", "unspecified")) == (
            state.actors["gonzalez"].jeopardy
        )


class TestDetentions:
    def test_partial_and_conditional_releases(self):
        """A counted detention followed by partial and conditional releases keeps a ledger."""
        state = after(
            PeopleDetained(occurred_on=DAY, group="detainees", count=400),
            PrisonersReleased(occurred_on=DAY, group="detainees", count=103),
            PrisonersReleased(occurred_on=DAY, group="detainees", count=225, conditional=True,
                              conditions=("monthly court appearance",)),
        )
        ledger = state.ledgers["detainees"]
        assert (72, Tally(103), Tally(225), ("monthly court appearance",)) == (
            ledger.held, ledger.released, ledger.conditionally_released, ledger.conditions
        )

    def test_release_more_than_held(self):
        """Releasing more than are known to be held is rejected."""
        state = after(PeopleDetained(occurred_on=DAY, group="detainees", count=10))
        e = PrisonersReleased(occurred_on=DAY, group="detainees", count=11)
        assert ["release-at-most-held"] == rejected_rules(state, e)

    def test_release_with_no_detentions(self):
        """Releasing from a group nobody detained is rejected."""
        e = PrisonersReleased(occurred_on=DAY, group="detainees", count=1)
        assert ["release-at-most-held"] == rejected_rules(base_state(), e)

    def test_release_when_held_unknown(self):
        """When detentions were not counted, any release is admitted."""
        state = after(PeopleDetained(occurred_on=DAY, group="detainees"),
                      PrisonersReleased(occurred_on=DAY, group="detainees", count=103))
        ledger = state.ledgers["detainees"]
        assert (None, Tally(0, 1), Tally(103)) == (ledger.held, ledger.detained, ledger.released)

    def test_named_persons(self):
        """Named persons move to detention and back to liberty."""
        state = after(PeopleDetained(occurred_on=DAY, persons=("gonzalez",)))
        assert W.DETAINED == state.actors["gonzalez"].whereabouts
        assert ["not-already-detained"] == rejected_rules(
            state, PeopleDetained(occurred_on=DAY, persons=("gonzalez",))
        )
        freed = after(PrisonersReleased(occurred_on=DAY, persons=("gonzalez",)), state=state)
        assert W.AT_LARGE == freed.actors["gonzalez"].whereabouts
        assert ["release-at-most-held"] == rejected_rules(
            freed, PrisonersReleased(occurred_on=DAY, persons=("gonzalez",))
        )

    def test_counts_and_subjects(self):
        """Counts are never negative; someone must be named; conditions need a conditional."""
        assert ["non-negative-count"] == rejected_rules(
            base_state(), PeopleDetained(occurred_on=DAY, group="detainees", count=-1)
        )
        assert ["someone"] == rejected_rules(base_state(), PeopleDetained(occurred_on=DAY))
        e = PrisonersReleased(occurred_on=DAY, group="detainees", conditions=("x",))
        state = after(PeopleDetained(occurred_on=DAY, group="detainees"))
        assert ["conditions-need-conditional"] == rejected_rules(state, e)


class TestAmnesty:
    def test_reported_then_formalised_then_accepted(self):
        """A reported offer can be formalised, then accepted once by a recipient."""
        state = after(proposed(), proposed(formal=True),
                      AmnestyAccepted(occurred_on=DAY, offer="amnesty", by="maduro"))
        offer = state.offers["amnesty"]
        assert (True, cm.OfferStatus.ACCEPTED, "maduro", DAY) == (
            offer.formal, offer.status, offer.resolved_by, offer.resolved_on
        )
        again = AmnestyRejected(occurred_on=DAY, offer="amnesty", by="maduro")
        assert ["offer-pending"] == rejected_rules(state, again)

    def test_accept_never_proposed(self):
        """An amnesty is accepted only after it was proposed."""
        e = AmnestyAccepted(occurred_on=DAY, offer="amnesty", by="maduro")
        assert ["known-offer"] == rejected_rules(base_state(), e)

    def test_only_recipients_answer(self):
        """Only an actor the offer was made to accepts or rejects it."""
        state = after(proposed())
        e = AmnestyAccepted(occurred_on=DAY, offer="amnesty", by="gonzalez")
        assert ["offer-recipient"] == rejected_rules(state, e)

    def test_only_proposer_withdraws(self):
        """Only the proposer withdraws an offer."""
        state = after(proposed())
        assert ["offer-proposer"] == rejected_rules(
            state, AmnestyWithdrawn(occurred_on=DAY, offer="amnesty", by="maduro")
        )
        done = after(AmnestyWithdrawn(occurred_on=DAY, offer="amnesty", by="usa"), state=state)
        assert cm.OfferStatus.WITHDRAWN == done.offers["amnesty"].status

    def test_reproposal_rules(self):
        """Re-proposing is allowed only to formalise a pending reported offer, by its proposer."""
        state = after(proposed())
        assert ["offer-unique"] == rejected_rules(state, proposed())
        assert ["offer-unique"] == rejected_rules(state, proposed(by="spain", formal=True))
        assert ["offer-addressed"] == rejected_rules(base_state(), proposed(to=()))
        formal = after(proposed(formal=True))
        assert ["offer-unique"] == rejected_rules(formal, proposed(formal=True))

    def test_proposed_on_kept_when_formalised(self):
        """Formalising keeps the date the offer was first reported."""
        first = proposed()
        later = AmnestyProposed(occurred_on=D(2024, 9, 1), offer="amnesty", by="usa",
                                to=("maduro",), formal=True)
        assert DAY == after(first, later).offers["amnesty"].proposed_on
