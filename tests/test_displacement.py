"""Tests for crisis_model.events.displacement."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import DisplacementReported, Evacuated
from crisis_model.events.displacement import (
    DisplacementKind,
    _evac_json,
    _evac_render,
    _render,
    _to_json,
    displacement,
    evacuated_from,
    evacuations,
)

from .builders import D, body, rejected_rules
from .strategies import family_logs

START = D(2008, 1, 1)


def _log() -> list[cm.Event]:
    return [body("unhcr", cm.ActorKind.INTERNATIONAL_ORG, START),
            body("ocha", cm.ActorKind.INTERNATIONAL_ORG, START),
            DisplacementReported(occurred_on=D(2008, 1, 10), kind="internal", country="ken",
                                 by="ocha", total="~250000"),
            DisplacementReported(occurred_on=D(2008, 1, 20), kind="internal", country="KEN",
                                 by="ocha", newly="50000-70000")]


class TestDisplacement:
    def test_totals_and_increments(self):
        """A total sets the flow's figure; an increment adds to it (an estimate plus a range
        without one keeps only the bound both support)."""
        flow = displacement(cm.replay(_log()))["internal:KEN"]
        assert (DisplacementKind.INTERNAL, "at least 50,000", 2) == (
            flow.kind, str(flow.total), len(flow.reports))

    def test_new_total_replaces(self):
        """A later running total replaces the figure (people return: it may fall)."""
        log = [*_log(), DisplacementReported(occurred_on=D(2008, 3, 1), kind="internal",
                                             country="KEN", by="ocha", total=">=300000")]
        assert cm.Count.at_least(300_000) == displacement(cm.replay(log))["internal:KEN"].total

    def test_first_increment_is_a_lower_bound(self):
        """With no earlier figure, an increment says only 'at least' that many so far."""
        log = [*_log()[:2], DisplacementReported(occurred_on=D(2008, 1, 5), kind="cross_border",
                                                 country="KEN", to="UGA", newly=12_000)]
        flow = displacement(cm.replay(log))["cross_border:KEN>UGA"]
        assert ("at least 12,000", "UGA") == (str(flow.total), flow.to)

    def test_route_and_figures(self):
        """Routes are coherent and a report gives a figure."""
        state = cm.replay(_log()[:2])
        day = D(2008, 2, 1)
        assert ["displacement-route"] * 3 + ["displacement-figures"] == [
            *rejected_rules(state, DisplacementReported(occurred_on=day, kind="internal",
                                                        country="KEN", to="UGA", newly=1)),
            *rejected_rules(state, DisplacementReported(occurred_on=day, kind="cross_border",
                                                        country="KEN", newly=1)),
            *rejected_rules(state, DisplacementReported(occurred_on=day, kind="internal",
                                                        country="KENYA", newly=1)),
            *rejected_rules(state, DisplacementReported(occurred_on=day, kind="internal",
                                                        country="KEN"))]

    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = _log()
        table = displacement(cm.replay(log))
        assert "50,000-70,000 newly displaced within KEN, reports OCHA" == cm.describe(
            log[-1], {"ocha": "OCHA"})
        assert ["at least 50,000 displaced within KEN (latest report by ocha "
                "2008-01-20; 2 reports)"] == _render(table, lambda i: i or "")
        assert {"low": 50000} == _to_json(table)["internal:KEN"]["total"]

    @given(family_logs((DisplacementReported,)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of displacement reports leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)


class TestEvacuations:
    def _log(self) -> list[cm.Event]:
        return [body("france", cm.ActorKind.FOREIGN_GOVERNMENT, START, country="FRA"),
                body("party", cm.ActorKind.PARTY, START),
                Evacuated(occurred_on=D(2008, 8, 2), by="france", nationals_of=["fra", "deu"],
                          from_country="ner", count=262,
                          place=cm.Place("Niamey airport", "NER")),
                Evacuated(occurred_on=D(2008, 8, 3), by="france", nationals_of="FRA",
                          from_country="NER", count="~300")]

    def test_evacuations_add_up(self):
        """Each evacuation is kept; the total from a country adds the counts honestly."""
        state = cm.replay(self._log())
        assert (2, ("FRA", "DEU"), "at least 262, about 562", "0") == (
            len(evacuations(state)), evacuations(state)[0].nationals_of,
            str(evacuated_from(state, "ner")), str(evacuated_from(state, "KEN")))
        unknown = Evacuated(occurred_on=D(2008, 8, 4), by="france", nationals_of="FRA",
                            from_country="NER")
        assert "at least 262" == str(evacuated_from(cm.replay([*self._log(), unknown]), "NER"))

    def test_evacuation_rules(self):
        """Codes are ISO alpha-3; foreigners are evacuated, by a state or its forces."""
        state = cm.replay(self._log()[:2])
        day = D(2008, 8, 2)
        assert ["evacuation-countries"] == rejected_rules(state, Evacuated(
            occurred_on=day, by="france", nationals_of=(), from_country="NER"))
        assert ["evacuation-countries"] == rejected_rules(state, Evacuated(
            occurred_on=day, by="france", nationals_of="FRX", from_country="NER"))
        assert ["evacuation-countries"] == rejected_rules(state, Evacuated(
            occurred_on=day, by="france", nationals_of="NER", from_country="NER"))
        assert ["evacuator-kind"] == rejected_rules(state, Evacuated(
            occurred_on=day, by="party", nationals_of="FRA", from_country="NER"))

    def test_evacuation_words(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = self._log()
        assert ("France evacuates 262 people (FRA, DEU nationals) from NER "
                "(place: Niamey airport (NER))") == cm.describe(log[2], {"france": "France"})
        value = evacuations(cm.replay(log))
        assert ["about 300 people (FRA nationals) evacuated from NER by france 2008-08-03"] == (
            _evac_render(value, lambda i: i or "")[1:])
        assert {"best": 300} == _evac_json(value)[1]["count"]

    @given(family_logs((Evacuated,)))
    def test_admitted_evacuations_keep_invariants(self, log):
        """Every admissible sequence of evacuations leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
