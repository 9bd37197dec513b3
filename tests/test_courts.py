"""Tests for crisis_model.events.courts (justice outcomes)."""

from __future__ import annotations

from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    Acquitted,
    AmnestyEnacted,
    ArrestWarrantIssued,
    BanLifted,
    ChargesFiled,
    ChargesWithdrawn,
    Convicted,
    ImmunityLifted,
    OrganisationBanned,
    Pardoned,
    RulingIssued,
    Sentenced,
    TravelBanLifted,
    TravelBanned,
)
from crisis_model.events.courts import OutcomeKind, _render, _to_json, court_record

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

START = D(2018, 1, 1)


def _log() -> list[cm.Event]:
    return [person("zia", START), person("hasina", START),
            body("court", cm.ActorKind.COURT, START), body("president", cm.ActorKind.PERSON, START),
            body("jamaat", cm.ActorKind.PARTY, START), body("gov", cm.ActorKind.GOVERNMENT, START),
            body("parliament", cm.ActorKind.GOVERNMENT, START)]


class TestOutcomes:
    def test_conviction_sentence_pardon(self):
        """A conviction, its sentence and a pardon are kept in order; the pardon ends it."""
        log = [*_log(),
               Convicted(occurred_on=D(2018, 2, 8), person="zia", by="court",
                         charges="corruption"),
               Sentenced(occurred_on=D(2018, 2, 8), person="zia", by="court",
                         sentence="five years in prison", years=5),
               Pardoned(occurred_on=D(2024, 8, 6), persons="zia", by="president")]
        record = court_record(cm.replay(log))
        assert ([OutcomeKind.CONVICTED, OutcomeKind.SENTENCED, OutcomeKind.PARDONED], 5.0,
                False) == ([o.kind for o in record.outcomes["zia"]],
                           record.outcomes["zia"][1].years, record.convicted("zia"))

    def test_sentence_needs_a_conviction(self):
        """No sentence without a conviction that stands (an acquittal on appeal ends it)."""
        state = cm.replay(_log())
        sentence = Sentenced(occurred_on=D(2019, 1, 1), person="zia", sentence="death")
        assert ["sentence-after-conviction"] == rejected_rules(state, sentence)
        overturned = cm.replay([*_log(), Convicted(occurred_on=D(2018, 2, 8), person="zia"),
                                Acquitted(occurred_on=D(2018, 9, 1), person="zia")])
        assert ["sentence-after-conviction"] == rejected_rules(overturned, sentence)

    def test_pardon_needs_something_to_pardon(self):
        """A pardon covers a conviction, a charge or a warrant."""
        assert ["pardon-needs-jeopardy"] == rejected_rules(
            cm.replay(_log()), Pardoned(occurred_on=D(2019, 1, 1), persons="hasina"))
        charged = cm.replay([*_log(), ChargesFiled(occurred_on=D(2018, 3, 1), person="hasina")])
        assert [] == rejected_rules(charged, Pardoned(occurred_on=D(2019, 1, 1),
                                                      persons="hasina"))

    def test_withdrawal_clears_jeopardy(self):
        """Withdrawn charges and warrants leave the person's jeopardy."""
        log = [*_log(), ChargesFiled(occurred_on=D(2024, 8, 13), person="hasina",
                                     charges=["murder", "genocide"]),
               ArrestWarrantIssued(occurred_on=D(2024, 10, 17), person="hasina"),
               ChargesWithdrawn(occurred_on=D(2024, 11, 1), person="hasina", charges="murder",
                                warrant=True)]
        state = cm.replay(log)
        j = state.actors["hasina"].jeopardy
        kinds = [o.kind for o in court_record(state).outcomes["hasina"]]
        assert (("genocide",), False, [OutcomeKind.CHARGES_WITHDRAWN,
                                       OutcomeKind.WARRANT_WITHDRAWN]) == (j.charged, j.wanted,
                                                                           kinds)

    def test_withdraw_only_what_stands(self):
        """Charges never filed, a warrant never issued, or nothing named: rejected."""
        state = cm.replay([*_log(), ChargesFiled(occurred_on=D(2024, 8, 13), person="hasina",
                                                 charges="murder")])
        day = D(2024, 9, 1)
        assert ["withdraw-what-stands"] * 3 == [
            *rejected_rules(state, ChargesWithdrawn(occurred_on=day, person="hasina",
                                                    charges="arson")),
            *rejected_rules(state, ChargesWithdrawn(occurred_on=day, person="hasina",
                                                    warrant=True)),
            *rejected_rules(state, ChargesWithdrawn(occurred_on=day, person="hasina"))]
        cleared = cm.replay([ChargesWithdrawn(occurred_on=day, person="hasina",
                                              all_charges=True)], initial=state)
        assert () == cleared.actors["hasina"].jeopardy.charged

    def test_amnesty_law_needs_no_acceptance(self):
        """An amnesty law is in force once enacted; named beneficiaries are amnestied."""
        log = [*_log(), Convicted(occurred_on=D(2019, 1, 1), person="zia"),
               AmnestyEnacted(occurred_on=D(2020, 1, 1), law="Act 3 of 2020",
                              by=["parliament", "president"], beneficiaries="zia",
                              covers="political offences")]
        record = court_record(cm.replay(log))
        assert (("parliament", "president"), False) == (record.amnesty_laws[0].by,
                                                        record.convicted("zia"))

    def test_bans(self):
        """A ban is lifted only while in force; only organisations are banned."""
        log = [*_log(), OrganisationBanned(occurred_on=D(2024, 8, 1), organisation="jamaat",
                                           by="gov", grounds="anti-terrorism law")]
        state = cm.replay(log)
        assert ["not-already-banned"] == rejected_rules(state, OrganisationBanned(
            occurred_on=D(2024, 8, 2), organisation="jamaat"))
        assert ["banned-is-organisation"] == rejected_rules(state, OrganisationBanned(
            occurred_on=D(2024, 8, 2), organisation="zia"))
        lifted = cm.replay([BanLifted(occurred_on=D(2024, 8, 28), organisation="jamaat")],
                           initial=state)
        assert ["lift-ban-in-force"] == rejected_rules(lifted, BanLifted(
            occurred_on=D(2024, 8, 29), organisation="jamaat"))
        assert not court_record(lifted).bans["jamaat"].in_force

    def test_summaries_and_rendering(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = [*_log(), ImmunityLifted(occurred_on=D(2024, 6, 14), person="hasina", by="court"),
               RulingIssued(occurred_on=D(2024, 7, 21), by="court",
                            decision="quota cut to 5%")]
        record = court_record(cm.replay(log))
        assert ["hasina's immunity is lifted by court", "court rules: quota cut to 5%"] == [
            cm.describe(e) for e in log[-2:]]
        assert ["hasina: immunity lifted by court 2024-06-14",
                "ruling of court 2024-07-21: quota cut to 5%"] == _render(record,
                                                                           lambda i: i or "")
        assert "immunity_lifted" == _to_json(record)["outcomes"]["hasina"][0]["kind"]

    @given(family_logs((Convicted, Sentenced, Acquitted, Pardoned, AmnestyEnacted,
                        ChargesFiled, ArrestWarrantIssued, ChargesWithdrawn, ImmunityLifted,
                        RulingIssued, OrganisationBanned, BanLifted)))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of justice outcomes leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)


class TestTravelBans:
    def test_banned_extended_lifted(self):
        """A court bars people from leaving; a new order extends it; lifting ends it; each
        order is kept, and whether a ban is in force depends on the day."""
        log = [*_log(),
               TravelBanned(occurred_on=D(2022, 7, 15), persons=["zia", "hasina"], by="court",
                            until=D(2022, 7, 28), grounds="a petition over the crisis"),
               TravelBanned(occurred_on=D(2022, 7, 28), persons="zia", by="court",
                            until=D(2022, 8, 2)),
               TravelBanLifted(occurred_on=D(2022, 8, 1), persons="zia", by="court")]
        record = court_record(cm.replay(log))
        assert (True, True, False, False, 2) == (
            record.travel_banned("zia", D(2022, 7, 30)),
            record.travel_banned("hasina", D(2022, 7, 28)),
            record.travel_banned("hasina", D(2022, 7, 29)),
            record.travel_banned("zia", D(2022, 8, 1)), len(record.travel_bans["zia"]))
        assert D(2022, 8, 1) == record.travel_bans["zia"][-1].lifted_on

    def test_travel_ban_rules(self):
        """Only people are barred; the end follows the order; only a ban in force is lifted."""
        state = cm.replay([*_log(), TravelBanned(occurred_on=D(2022, 7, 15), persons="zia",
                                                 until=D(2022, 7, 28))])
        assert ["travel-ban-persons"] == rejected_rules(state, TravelBanned(
            occurred_on=D(2022, 7, 16), persons="jamaat"))
        assert ["travel-ban-until"] == rejected_rules(state, TravelBanned(
            occurred_on=D(2022, 7, 16), persons="zia", until=D(2022, 7, 1)))
        assert ["travel-ban-in-force"] == rejected_rules(state, TravelBanLifted(
            occurred_on=D(2022, 7, 29), persons="zia"))
        assert ["travel-ban-in-force"] == rejected_rules(state, TravelBanLifted(
            occurred_on=D(2022, 7, 16), persons="hasina"))

    def test_travel_ban_words(self):
        """Plain words in the timeline, the replay text and JSON."""
        log = [*_log(), TravelBanned(occurred_on=D(2022, 7, 15), persons=["zia", "hasina"],
                                     by="court", until=D(2022, 7, 28))]
        record = court_record(cm.replay(log))
        assert ("zia and hasina barred from leaving the country by court until 2022-07-28"
                == cm.describe(log[-1]))
        assert ("zia barred from leaving the country by court 2022-07-15 until 2022-07-28"
                in _render(record, lambda i: i or ""))
        assert "2022-07-28" == _to_json(record)["travel_bans"]["zia"][0]["until"]

    @given(family_logs((TravelBanned, TravelBanLifted)))
    def test_admitted_travel_bans_keep_invariants(self, log):
        """Every admissible sequence of travel bans leaves the invariants true."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)
