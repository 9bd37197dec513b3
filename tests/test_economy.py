"""Tests for crisis_model.events.economy."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import AidAgreed, DefaultDeclared, ShortageReported
from crisis_model.events.economy import AidStage, _render, _to_json, economy

from .builders import D, body, rejected_rules
from .strategies import family_logs

START = D(2022, 1, 1)


def _log() -> list[cm.Event]:
    return [body("gov", cm.ActorKind.GOVERNMENT, START, country="LKA"),
            body("imf", cm.ActorKind.INTERNATIONAL_ORG, START),
            body("slpp", cm.ActorKind.PARTY, START),
            DefaultDeclared(occurred_on=D(2022, 4, 12), debtor="gov", debt="external debt",
                            amount="about USD 51 billion"),
            AidAgreed(occurred_on=D(2022, 9, 1), deal="eff", lender="imf", borrower="gov",
                      stage="staff_level", amount="USD 2.9 billion")]


class TestEconomy:
    def test_default_and_deal(self):
        """A default is on record; a deal moves from staff level to approval and tranches."""
        log = [*_log(),
               AidAgreed(occurred_on=D(2023, 3, 20), deal="eff", lender="imf", borrower="gov",
                         stage="approved"),
               AidAgreed(occurred_on=D(2023, 3, 21), deal="eff", lender="imf", borrower="gov",
                         stage="disbursed", amount="USD 333 million"),
               AidAgreed(occurred_on=D(2023, 12, 12), deal="eff", lender="imf", borrower="gov",
                         stage="disbursed")]
        record = economy(cm.replay(log))
        assert (True, False, AidStage.DISBURSED, 4) == (
            record.in_default("gov"), record.in_default("imf"), record.aid["eff"].stage,
            len(record.aid["eff"].history))

    def test_stages_go_forward(self):
        """A deal does not go back a stage, repeat one (but a disbursement), or change sides."""
        state = cm.replay(_log())
        back = AidAgreed(occurred_on=D(2022, 9, 2), deal="eff", lender="imf", borrower="gov",
                         stage="staff_level")
        assert ["aid-stage-forward"] == rejected_rules(state, back)
        other = AidAgreed(occurred_on=D(2022, 9, 2), deal="eff", lender="slpp", borrower="gov",
                          stage="approved")
        assert ["aid-stage-forward", "lender-kind"] == rejected_rules(state, other)

    def test_defaults_and_kinds(self):
        """One default per debt; only states borrow, and a party is not one."""
        state = cm.replay(_log())
        assert ["not-already-in-default"] == rejected_rules(state, DefaultDeclared(
            occurred_on=D(2022, 10, 1), debtor="gov", debt="external debt"))
        assert [] == rejected_rules(state, DefaultDeclared(
            occurred_on=D(2022, 10, 1), debtor="gov", debt="domestic bonds"))
        assert ["borrower-kind"] == rejected_rules(state, DefaultDeclared(
            occurred_on=D(2022, 10, 1), debtor="slpp"))

    def test_shortages(self):
        """Shortages name goods and an ISO country."""
        state = cm.replay(_log())
        assert ["shortage-named"] == rejected_rules(state, ShortageReported(
            occurred_on=D(2022, 10, 1), country="LKA", goods=()))
        assert ["shortage-named"] == rejected_rules(state, ShortageReported(
            occurred_on=D(2022, 10, 1), country="XXX", goods="fuel"))
        log = [*_log(), ShortageReported(occurred_on=D(2022, 10, 1), country="lka",
                                         goods=["fuel", "cooking gas"], by="gov")]
        [shortage] = economy(cm.replay(log)).shortages
        assert (("fuel", "cooking gas"), "LKA") == (shortage.goods, shortage.country)

    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = _log()
        record = economy(cm.replay(log))
        assert "GOV defaults on external debt (about USD 51 billion)" == cm.describe(
            log[3], {"gov": "GOV"})
        assert "imf and gov: staff level (eff), USD 2.9 billion" == cm.describe(log[4])
        assert ["gov in default on external debt (about USD 51 billion) since 2022-04-12",
                "eff: imf to gov: staff level 2022-09-01 (USD 2.9 billion)"] == _render(
                    record, lambda i: i or "")
        assert "staff_level" == _to_json(record)["aid"]["eff"]["stage"]

    @given(family_logs((DefaultDeclared, AidAgreed, ShortageReported)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of economic events leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
