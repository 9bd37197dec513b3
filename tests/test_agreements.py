"""Tests for crisis_model.events.agreements."""

from __future__ import annotations

import json

from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    AgreementBreached,
    AgreementCollapsed,
    AgreementImplemented,
    AgreementRatified,
    AgreementSigned,
    MediationEnded,
    MediationRound,
    MediationStarted,
)
from crisis_model.events.agreements import (
    AgreementStatus,
    MediationOutcome,
    _render,
    _to_json,
    agreements,
)
from crisis_model.testing import event_logs

from .builders import D, body, person, rejected_rules
from .strategies import family_logs

START = D(2008, 1, 1)
TYPES = (MediationStarted, MediationRound, MediationEnded, AgreementSigned, AgreementRatified,
         AgreementImplemented, AgreementBreached, AgreementCollapsed)


def _log() -> list[cm.Event]:
    return [person("kibaki", START), person("odinga", START), person("annan", START),
            person("machel", START),
            body("pnu", cm.ActorKind.PARTY, START), body("odm", cm.ActorKind.PARTY, START),
            body("parliament", cm.ActorKind.LEGISLATURE, START),
            body("police", cm.ActorKind.SECURITY_FORCES, START),
            MediationStarted(occurred_on=D(2008, 1, 22), mediation="talks",
                             mediators=["annan", "machel"], parties=["pnu", "odm"],
                             subject="the disputed election",
                             place=cm.Place("Nairobi", country="KEN"))]


def _signed(**kw: object) -> AgreementSigned:
    fields: dict[str, object] = {"agreement": "accord", "title": "National Accord",
                                 "parties": ["kibaki", "odinga"], "mediation": "talks",
                                 "witnesses": ["annan"],
                                 "provisions": ["a prime minister", "a coalition cabinet"]}
    fields.update(kw)
    return AgreementSigned(occurred_on=D(2008, 2, 28), **fields)  # type: ignore[arg-type]


def _table(log: list[cm.Event]):
    return agreements(cm.replay(log))


class TestMediation:
    def test_started_and_ended(self):
        """A mediation keeps its mediators, parties and place, then its outcome and the
        agreement signed under it."""
        log = [*_log(), _signed(),
               MediationEnded(occurred_on=D(2008, 3, 1), mediation="talks",
                              outcome="agreement", agreement="accord")]
        m = _table(log).mediations["talks"]
        assert (("annan", "machel"), ("pnu", "odm"), "Nairobi", False,
                MediationOutcome.AGREEMENT, ("accord",),
                ["started", "agreement_signed", "ended"]) == (
            m.mediators, m.parties, m.place.name if m.place else None, m.ongoing, m.outcome,
            m.agreements, [h.step.value for h in m.history])

    def test_sides_refused(self):
        """Two or more parties, at least one mediator, none both, none twice."""
        state = cm.replay(_log()[:-1])
        assert ["mediation-sides"] == rejected_rules(state, MediationStarted(
            occurred_on=D(2008, 1, 22), mediation="m", mediators="annan", parties=["pnu"]))
        assert ["mediation-sides"] == rejected_rules(state, MediationStarted(
            occurred_on=D(2008, 1, 22), mediation="m", mediators="annan",
            parties=["pnu", "annan"]))
        assert ["mediation-sides"] == rejected_rules(state, MediationStarted(
            occurred_on=D(2008, 1, 22), mediation="m", mediators=["annan", "annan"],
            parties=["pnu", "odm"]))

    def test_message_names_the_field(self):
        """The refusal says what is wrong in plain words."""
        state = cm.replay(_log()[:-1])
        [problem] = cm.check(state, MediationStarted(
            occurred_on=D(2008, 1, 22), mediation="m", mediators="annan", parties=["pnu"]))
        assert "a mediation goes between two or more parties (parties)" == problem.message

    def test_mediator_kind(self):
        """A party or the police cannot mediate; a person can."""
        state = cm.replay(_log()[:-1])
        problems = cm.check(state, MediationStarted(
            occurred_on=D(2008, 1, 22), mediation="m", mediators=["police", "annan"],
            parties=["pnu", "odm"]))
        assert [("mediator-kind", "police", "mediators")] == [
            (p.rule, p.subject, p.field) for p in problems]
        assert "cannot mediate" in problems[0].message

    def test_rounds(self):
        """Rounds of talks and visits are kept in order, with whom the mediators met; none
        named, the mediators came; nobody meets itself."""
        log = [*_log(),
               MediationRound(occurred_on=D(2008, 1, 29), mediation="talks",
                              met=["pnu", "odm"], place=cm.Place("Serena Hotel, Nairobi")),
               MediationRound(occurred_on=D(2008, 2, 10), mediation="talks", by="annan",
                              met=["kibaki"], outcome="no breakthrough")]
        m = _table(log).mediations["talks"]
        assert ([(("annan", "machel"), ("pnu", "odm"), "Serena Hotel, Nairobi"),
                 (("annan",), ("kibaki",), None)]) == [
            (h.by, h.met, h.place.name if h.place else None) for h in m.rounds]
        state = cm.replay(log)
        assert ["round-sides"] == rejected_rules(state, MediationRound(
            occurred_on=D(2008, 2, 11), mediation="talks", by="annan", met=["annan"]))
        assert ["mediator-kind"] == rejected_rules(state, MediationRound(
            occurred_on=D(2008, 2, 11), mediation="talks", by="police"))
        assert ("annan holds talks in mediation talks with kibaki: no breakthrough"
                == cm.describe(log[-1]))
        assert "rounds: 2008-01-29 in Serena Hotel, Nairobi; 2008-02-10" in _render(
            _table(log), lambda i: i or "")[0]

    def test_ended_once(self):
        """A mediation ends once; an agreement under it is signed before it ends."""
        state = cm.replay([*_log(), MediationEnded(occurred_on=D(2008, 2, 1), mediation="talks",
                                                    outcome="suspended")])
        assert ["mediation-ongoing"] == rejected_rules(state, MediationEnded(
            occurred_on=D(2008, 2, 2), mediation="talks", outcome="collapsed"))
        assert ["mediation-ongoing"] == rejected_rules(state, MediationRound(
            occurred_on=D(2008, 2, 2), mediation="talks"))
        assert ["agreement-mediation"] == rejected_rules(state, _signed())

    def test_outcome_and_agreement_agree(self):
        """An agreement is named only with the outcome 'agreement', and only its own."""
        state = cm.replay([*_log(), _signed(),
                           MediationStarted(occurred_on=D(2008, 2, 28), mediation="other",
                                            mediators="machel", parties=["pnu", "odm"])])
        assert ["mediation-outcome"] == rejected_rules(state, MediationEnded(
            occurred_on=D(2008, 3, 1), mediation="talks", outcome="collapsed",
            agreement="accord"))
        assert ["mediation-outcome"] == rejected_rules(state, MediationEnded(
            occurred_on=D(2008, 3, 1), mediation="other", outcome="agreement",
            agreement="accord"))


class TestAgreement:
    def test_lifecycle(self):
        """Signed, ratified, implemented, breached, then collapsed: every step kept, the
        status the furthest reached."""
        log = [*_log(), _signed(),
               AgreementRatified(occurred_on=D(2008, 3, 18), agreement="accord",
                                 by="parliament", detail="the National Accord Act"),
               AgreementImplemented(occurred_on=D(2008, 4, 17), agreement="accord",
                                    what="coalition cabinet sworn in", by="kibaki"),
               AgreementBreached(occurred_on=D(2008, 5, 1), agreement="accord", by="kibaki",
                                 alleged_by="odinga", what="cabinet posts withheld")]
        a = _table(log).agreements["accord"]
        assert (AgreementStatus.IMPLEMENTED, ("annan", "machel"), ("parliament",),
                ["signed", "ratified", "implemented", "breached"]) == (
            a.status, a.mediated_by, a.ratified_by, [h.step.value for h in a.history])
        gone = _table([*log, AgreementCollapsed(occurred_on=D(2009, 1, 1), agreement="accord",
                                                declared_by="odinga", reason="ignored")])
        assert (True, AgreementStatus.COLLAPSED) == (gone.agreements["accord"].collapsed,
                                                     gone.agreements["accord"].status)

    def test_ratification_after_implementation_keeps_status(self):
        """A late ratification is recorded but does not set the status back."""
        log = [*_log(), _signed(),
               AgreementImplemented(occurred_on=D(2008, 3, 1), agreement="accord", what="x"),
               AgreementRatified(occurred_on=D(2008, 3, 18), agreement="accord",
                                 by="parliament")]
        assert AgreementStatus.IMPLEMENTED == _table(log).agreements["accord"].status

    def test_parties_refused(self):
        """Two or more distinct parties; a party neither mediates nor witnesses."""
        state = cm.replay(_log())
        assert ["agreement-parties"] == rejected_rules(state, _signed(parties=["kibaki"]))
        assert ["agreement-parties"] == rejected_rules(state, _signed(witnesses=["kibaki"]))
        assert ["agreement-parties"] == rejected_rules(
            state, _signed(mediation=None, mediated_by="kibaki"))

    def test_mediated_by_kind(self):
        """A party (the organisation) cannot be named as mediator of an agreement."""
        state = cm.replay(_log())
        assert ["mediator-kind"] == rejected_rules(state, _signed(mediated_by="pnu"))

    def test_collapse_is_final(self):
        """Nothing happens to a collapsed agreement."""
        state = cm.replay([*_log(), _signed(),
                           AgreementCollapsed(occurred_on=D(2008, 5, 1), agreement="accord")])
        for e in (AgreementRatified(occurred_on=D(2008, 6, 1), agreement="accord",
                                    by="parliament"),
                  AgreementImplemented(occurred_on=D(2008, 6, 1), agreement="accord", what="x"),
                  AgreementBreached(occurred_on=D(2008, 6, 1), agreement="accord"),
                  AgreementCollapsed(occurred_on=D(2008, 6, 1), agreement="accord")):
            assert ["agreement-alive"] == rejected_rules(state, e)

    def test_ratifier(self):
        """Only a legislature, government, council or international body ratifies, once each."""
        state = cm.replay([*_log(), _signed(),
                           AgreementRatified(occurred_on=D(2008, 3, 18), agreement="accord",
                                             by="parliament")])
        assert ["ratified-once"] == rejected_rules(state, AgreementRatified(
            occurred_on=D(2008, 3, 19), agreement="accord", by="parliament"))
        assert ["ratifier-kind"] == rejected_rules(state, AgreementRatified(
            occurred_on=D(2008, 3, 19), agreement="accord", by="odm"))

    def test_implementation_and_breach(self):
        """An implementation says what was done; nobody alleges its own breach."""
        state = cm.replay([*_log(), _signed()])
        assert ["implemented-what"] == rejected_rules(state, AgreementImplemented(
            occurred_on=D(2008, 4, 1), agreement="accord", what=" "))
        assert ["breach-parties"] == rejected_rules(state, AgreementBreached(
            occurred_on=D(2008, 4, 1), agreement="accord", by="odinga", alleged_by="odinga"))

    def test_unknown_agreement(self):
        """A step names an agreement signed before it."""
        state = cm.replay(_log())
        [problem] = cm.check(state, AgreementRatified(occurred_on=D(2008, 3, 18),
                                                      agreement="nope", by="parliament"))
        assert ("agreement", "nope") == (problem.field, problem.subject)


class TestWords:
    def test_summaries(self):
        """Plain words in the timeline."""
        log = [*_log(), _signed()]
        assert ("annan and machel start mediating (talks) between pnu and odm on the disputed "
                "election (place: Nairobi (KEN))") == cm.describe(log[-2])
        assert ("kibaki and odinga sign National Accord (accord), in mediation talks, witnessed "
                "by annan: a prime minister; a coalition cabinet") == cm.describe(log[-1])
        gone = [*log, AgreementCollapsed(occurred_on=D(2009, 1, 1), agreement="accord",
                                         declared_by="odinga", reason="ignored")]
        assert ("accord: National Accord signed by kibaki and odinga 2008-02-28, mediated by "
                "annan and machel; collapsed (collapsed, declared dead by odinga 2009-01-01: "
                "ignored)") == _render(_table(gone), lambda i: i or "")[-1]
        assert "agreement accord ratified by parliament: the Act" == cm.describe(
            AgreementRatified(occurred_on=D(2008, 3, 18), agreement="accord", by="parliament",
                              detail="the Act"))
        assert "agreement accord collapses, declared dead by odinga: ignored" == cm.describe(
            AgreementCollapsed(occurred_on=D(2009, 1, 1), agreement="accord",
                               declared_by="odinga", reason="ignored"))
        assert "mediation talks ends: mediator withdrew" == cm.describe(MediationEnded(
            occurred_on=D(2009, 1, 1), mediation="talks", outcome="mediator_withdrew"))
        assert ("agreement accord breached by kibaki, as odinga allege: posts withheld"
                == cm.describe(AgreementBreached(occurred_on=D(2009, 1, 1), agreement="accord",
                                                 by="kibaki", alleged_by="odinga",
                                                 what="posts withheld")))

    def test_render_and_json(self):
        """The replay text and JSON show both the mediation and the agreement."""
        log = [*_log(), _signed(),
               AgreementRatified(occurred_on=D(2008, 3, 1), precision=cm.Precision.MONTH,
                                 agreement="accord", by="parliament")]
        table = _table(log)
        assert ["talks: mediation by annan and machel between pnu and odm on the disputed "
                "election in Nairobi, since 2008-01-22; agreements: accord; ongoing",
                "accord: National Accord signed by kibaki and odinga 2008-02-28, mediated by "
                "annan and machel; ratified (ratified by parliament 2008-03)"] == _render(
                    table, lambda i: i or "")
        data = json.loads(json.dumps(_to_json(table)))
        assert (["pnu", "odm"], {"name": "Nairobi", "country": "KEN"}, "ratified",
                "month") == (data["mediations"]["talks"]["parties"],
                             data["mediations"]["talks"]["place"],
                             data["agreements"]["accord"]["status"],
                             data["agreements"]["accord"]["history"][1]["precision"])

    def test_scenario_file_round_trip(self, tmp_path):
        """The types load from a scenario file, places and lists included."""
        text = """
[scenario]
id = "t"
title = "t"
[[events]]
type = "actor.introduced"
occurred_on = 2008-01-01
actor = "a"
name = "A"
kind = "person"
[[events]]
type = "actor.introduced"
occurred_on = 2008-01-01
actor = "b"
name = "B"
kind = "person"
[[events]]
type = "actor.introduced"
occurred_on = 2008-01-01
actor = "m"
name = "M"
kind = "international_org"
[[events]]
type = "mediation.started"
occurred_on = 2008-01-22
mediation = "talks"
mediators = ["m"]
parties = ["a", "b"]
place = {name = "San José", country = "CRI"}
[[events]]
type = "agreement.signed"
occurred_on = 2008-02-28
agreement = "deal"
parties = ["a", "b"]
mediation = "talks"
provisions = ["new elections"]
"""
        path = tmp_path / "t.toml"
        path.write_text(text, encoding="utf-8")
        state = cm.load_scenario(path).replay()
        table = agreements(state)
        assert (("m",), "CRI") == (table.agreements["deal"].mediated_by,
                                   table.mediations["talks"].place.country)


class TestProperties:
    @given(family_logs(TYPES))
    def test_admitted_logs_keep_invariants(self, log):
        """Every admissible sequence of mediation and agreement steps keeps the invariants."""
        for state in cm.snapshots(log):
            assert [] == cm.check_invariants(state)

    @given(event_logs(admissible=True, min_size=1, max_size=30))
    def test_mixed_logs_keep_invariants(self, log):
        """Mixed with every other built-in type, the invariants still hold."""
        assert [] == cm.check_invariants(cm.replay(log))
