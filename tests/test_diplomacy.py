"""Tests for crisis_model.events.diplomacy."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    EnvoyDeparted,
    EnvoyExpelled,
    EnvoyRecalled,
    RelationsRestored,
    RelationsSevered,
)
from crisis_model.events.diplomacy import MissionStatus, _render, _to_json, diplomacy

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

START = D(2023, 1, 1)


def _log() -> list[cm.Event]:
    return [body("cnsp", cm.ActorKind.COUNCIL, START, country="NER"),
            body("france", cm.ActorKind.FOREIGN_GOVERNMENT, START, country="FRA"),
            body("party", cm.ActorKind.PARTY, START, country="NER"),
            person("itte", START, country="FRA"),
            EnvoyExpelled(occurred_on=D(2023, 8, 25), by="cnsp", of_country="fra",
                          envoy="itte", post="ambassador", deadline=D(2023, 8, 27),
                          reason="refused to meet the new foreign minister")]


class TestEnvoys:
    def test_ordered_out_then_left(self):
        """An expulsion orders the envoy out (host: the expelling actor's country); the
        departure is its own step and leaves the person's whereabouts alone."""
        log = [*_log(), EnvoyDeparted(occurred_on=D(2023, 9, 27), of_country="FRA",
                                      from_country="NER", envoy="itte")]
        state = cm.replay(log)
        m = diplomacy(state).missions["FRA>NER"]
        assert (MissionStatus.DEPARTED, "itte", "ambassador",
                [MissionStatus.ORDERED_OUT, MissionStatus.DEPARTED], D(2023, 8, 27)) == (
            m.status, m.envoy, m.post, [h.status for h in m.history], m.history[0].deadline)
        assert (cm.Whereabouts.AT_LARGE, ()) == (state.actors["itte"].whereabouts,
                                                 state.actors["itte"].movements)

    def test_a_repeated_order_is_kept(self):
        """A second order to leave (a new ultimatum) is another step, not an error."""
        log = [*_log(), EnvoyExpelled(occurred_on=D(2023, 8, 31), by="cnsp", of_country="FRA",
                                      envoy="itte")]
        assert 2 == len(diplomacy(cm.replay(log)).missions["FRA>NER"].history)

    def test_gone_is_gone(self):
        """An envoy who left cannot be expelled, recalled or leave again; a new one can."""
        state = cm.replay([*_log(), EnvoyDeparted(occurred_on=D(2023, 9, 27),
                                                  of_country="FRA", from_country="NER",
                                                  envoy="itte")])
        again = EnvoyExpelled(occurred_on=D(2023, 10, 1), by="cnsp", of_country="FRA",
                              envoy="itte")
        assert ["envoy-still-there"] == rejected_rules(state, again)
        assert ["envoy-still-there"] == rejected_rules(state, EnvoyRecalled(
            occurred_on=D(2023, 10, 1), by="france", from_country="NER"))
        state = cm.replay([*_log()[:4], person("new", START), _log()[4], EnvoyDeparted(
                               occurred_on=D(2023, 9, 27), of_country="FRA",
                               from_country="NER", envoy="itte")])
        assert [] == rejected_rules(state, EnvoyExpelled(
            occurred_on=D(2023, 10, 1), by="cnsp", of_country="FRA", envoy="new"))

    def test_recall(self):
        """The sending country recalls its envoy (its country from the recalling actor)."""
        log = [*_log()[:4], EnvoyRecalled(occurred_on=D(2023, 8, 1), by="france",
                                          from_country="NER", envoy="itte")]
        m = diplomacy(cm.replay(log)).missions["FRA>NER"]
        assert (MissionStatus.RECALLED, ("france",)) == (m.status, m.history[-1].by)

    def test_countries_and_kinds(self):
        """Codes are ISO alpha-3, the two countries differ, the envoy is a living person,
        the deadline follows the order, and only states expel envoys."""
        state = cm.replay(_log()[:4])
        day = D(2023, 8, 25)
        assert ["diplomacy-countries"] == rejected_rules(state, EnvoyExpelled(
            occurred_on=day, by="cnsp", of_country="XYZ"))
        assert ["diplomacy-countries"] == rejected_rules(state, EnvoyExpelled(
            occurred_on=day, by="cnsp", of_country="NER"))
        assert ["envoy-is-person"] == rejected_rules(state, EnvoyExpelled(
            occurred_on=day, by="cnsp", of_country="FRA", envoy="party"))
        assert ["deadline-after-order"] == rejected_rules(state, EnvoyExpelled(
            occurred_on=day, by="cnsp", of_country="FRA", deadline=D(2023, 8, 1)))
        problems = cm.check(state, EnvoyExpelled(occurred_on=day, by="party",
                                                 of_country="FRA"))
        assert ["diplomat-kind"] == [p.rule for p in problems]
        assert "'party' (PARTY) is a party" in problems[0].message

    def test_actor_without_country_must_say(self):
        """When ``by`` has no country, the event names the country it acts for."""
        state = cm.replay([*_log()[:4], body("junta", cm.ActorKind.COUNCIL, START)])
        [problem] = cm.check(state, EnvoyExpelled(occurred_on=D(2023, 8, 25), by="junta",
                                                  of_country="FRA"))
        assert ("diplomacy-countries", "give from_country: none of 'junta' has a country "
                "to act for") == (problem.rule, problem.message)


class TestRelations:
    def test_severed_then_restored(self):
        """Relations are kept per pair of countries, whoever acts for them."""
        log = [*_log()[:4],
               RelationsSevered(occurred_on=D(2023, 9, 1), by="cnsp", with_country="FRA"),
               RelationsRestored(occurred_on=D(2024, 9, 1), by="france", with_country="NER")]
        r = diplomacy(cm.replay(log)).relations["FRA|NER"]
        assert (False, [True, False], ["NER", "FRA"]) == (
            r.severed, [h.severed for h in r.history], [h.country for h in r.history])

    def test_sever_once_restore_severed(self):
        """Relations are severed once until restored, and only severed ones are restored."""
        state = cm.replay([*_log()[:4], RelationsSevered(occurred_on=D(2023, 9, 1), by="cnsp",
                                                          with_country="FRA")])
        assert ["not-already-severed"] == rejected_rules(state, RelationsSevered(
            occurred_on=D(2023, 9, 2), by="france", with_country="NER"))
        assert ["restore-severed"] == rejected_rules(cm.replay(_log()), RelationsRestored(
            occurred_on=D(2023, 9, 2), by="france", with_country="NER"))


class TestWords:
    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = _log()
        record = diplomacy(cm.replay(log))
        assert ("FRA's ambassador Itte ordered out by cnsp, to leave by 2023-08-27: refused "
                "to meet the new foreign minister") == cm.describe(log[-1], {"itte": "Itte"})
        assert ["FRA mission in NER: Itte: ordered out by cnsp 2023-08-25 (deadline "
                "2023-08-27)"] == _render(record, lambda i: {"itte": "Itte"}.get(i or "",
                                                                               i or ""))
        assert ("ordered_out", "2023-08-27") == (
            _to_json(record)["missions"]["FRA>NER"]["status"],
            _to_json(record)["missions"]["FRA>NER"]["history"][0]["deadline"])
        assert "the envoy recalled from NER by FRANCE" == cm.describe(EnvoyRecalled(
            occurred_on=START, by="france", from_country="NER"), {"france": "FRANCE"})

    @given(family_logs((EnvoyExpelled, EnvoyRecalled, EnvoyDeparted, RelationsSevered,
                        RelationsRestored)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of diplomatic steps leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
