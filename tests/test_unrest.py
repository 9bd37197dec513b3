"""Tests for crisis_model.events.unrest."""

from __future__ import annotations

import pytest
from hypothesis import given

import crisis_model as cm
from crisis_model.events import CrackdownReported, ProtestHeld, TollReported
from crisis_model.events.unrest import _render, _to_json, tolls
from crisis_model.serialization import from_dict, to_dict

from .builders import D, base_state, body, rejected_rules
from .strategies import family_logs

DAY = D(2024, 7, 29)


class TestUnrest:
    def test_counts_unknown_stay_unknown(self):
        """Crackdowns without numbers leave totals unknown, never 0."""
        log = [ProtestHeld(occurred_on=DAY, location="Caracas"),
               CrackdownReported(occurred_on=DAY, deaths=2),
               CrackdownReported(occurred_on=DAY, group="detainees")]
        state = cm.replay(log, initial=base_state())
        i = state.incidents
        assert (1, 2, None, "at least 2") == (i.protests, i.crackdowns, i.deaths.total,
                                             str(i.deaths.count))

    def test_arrests_feed_group_ledger(self):
        """A crackdown's arrests enter the named group's detention ledger."""
        e = CrackdownReported(occurred_on=DAY, arrests=40, group="detainees")
        assert 40 == cm.replay([e], initial=base_state()).ledgers["detainees"].held

    def test_honest_counts(self):
        """Counts read from ints (exact), strings and tables; ranges add up as ranges."""
        log = [CrackdownReported(occurred_on=DAY, deaths="300-650~400"),
               CrackdownReported(occurred_on=DAY, deaths=">=10", injuries={"low": 5, "high": 9})]
        i = cm.replay(log, initial=base_state()).incidents
        assert ("at least 310", cm.Count.exact(40)) == (
            str(i.deaths.count), CrackdownReported(occurred_on=DAY, arrests=40).arrests)
        assert cm.Count.between(300, 650, best=400) == log[0].deaths

    def test_old_ints_read_as_exact(self):
        """A payload written when counts were plain ints loads as exact counts, same id."""
        old = {"type": "unrest.crackdown", "version": 1, "occurred_on": "2024-07-29",
               "deaths": 2, "arrests": 40, "by": "police"}
        e = from_dict(old)
        assert (cm.Count.exact(2), "police", 2) == (e.deaths, e.by, to_dict(e)["deaths"])
        assert cm.event_ids([e]) == cm.event_ids([CrackdownReported(
            occurred_on=DAY, deaths=2, arrests=40, by="police")])

    def test_negative_counts_are_refused(self):
        """A negative count is refused where it is written, naming the count."""
        with pytest.raises(ValueError, match="never negative"):
            CrackdownReported(occurred_on=DAY, injuries=-1)
        with pytest.raises(ValueError, match="never negative"):
            ProtestHeld(occurred_on=DAY, size=-5)

    def test_joint_crackdown(self):
        """Police and army together: both named, the summary says so."""
        e = CrackdownReported(occurred_on=DAY, by=["usa", "spain"], deaths=">=6")
        assert (("usa", "spain"), "crackdown by USA and SPAIN: at least 6 deaths, unreported "
                "injuries, unreported arrests") == (e.by, cm.describe(e, {"usa": "USA",
                                                                          "spain": "SPAIN"}))
        assert [] == rejected_rules(base_state(), e)


class TestTolls:
    def _log(self):
        return [body("press", cm.ActorKind.NGO, D(2024, 1, 1)),
                body("ohchr", cm.ActorKind.INTERNATIONAL_ORG, D(2024, 1, 1)),
                TollReported(occurred_on=D(2024, 8, 5), by="press", deaths=">=300"),
                TollReported(occurred_on=D(2025, 2, 12), by="ohchr", deaths="<=1400",
                             since=D(2024, 7, 1), through=D(2024, 8, 15))]

    def test_tolls_are_kept_not_summed(self):
        """Two reporters' totals are both kept; the incident counters stay untouched."""
        state = cm.replay(self._log())
        assert (["at least 300", "at most 1,400"], 0) == (
            [str(t.deaths) for t in tolls(state)], state.incidents.deaths.known)

    def test_rendering(self):
        """Replay text and JSON give each toll with its reporter and period."""
        value = tolls(cm.replay(self._log()))
        assert ["at least 300 killed: reported by press 2024-08-05",
                "at most 1,400 killed (2024-07-01 to 2024-08-15): reported by ohchr "
                "2025-02-12"] == _render(value, lambda i: i or "")
        assert [{"low": 300}, {"high": 1400}] == [t["deaths"] for t in _to_json(value)]
        assert "ohchr puts the toll at at most 1,400 killed (2024-07-01 to 2024-08-15)" == (
            cm.describe(self._log()[-1]))

    def test_rules(self):
        """A toll gives a figure and covers no day after its report."""
        state = cm.replay(self._log()[:2])
        assert ["toll-figures"] == rejected_rules(state, TollReported(occurred_on=DAY))
        assert ["toll-period"] == rejected_rules(state, TollReported(
            occurred_on=DAY, deaths=3, through=D(2024, 8, 1)))
        assert ["toll-period"] == rejected_rules(state, TollReported(
            occurred_on=DAY, deaths=3, since=D(2024, 7, 20), through=D(2024, 7, 1)))

    @given(family_logs((ProtestHeld, CrackdownReported, TollReported)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of unrest events leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
