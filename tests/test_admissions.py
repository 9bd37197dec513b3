"""Tests for crisis_model.events.admissions and ``cm.admission``: fast checks that stand
in for rules in replay must never admit what their rules refuse."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    ArrestThreatened,
    ArrestWarrantIssued,
    LeftCountry,
    PeopleDetained,
    PrisonersReleased,
    WentIntoHiding,
)
from crisis_model.testing import check_admissions

from .builders import D, base_log, body, declared, person
from .strategies import admissible_logs, mixed_logs

DAY = D(2024, 8, 1)


def _base() -> list[cm.Event]:
    return [person("ana", country="VEN"), person("ben", country="VEN"),
            body("gov", cm.ActorKind.GOVERNMENT, country="VEN")]


class TestBuiltInChecks:
    @given(admissible_logs)
    def test_no_check_admits_what_its_rules_refuse(self, log: list[cm.Event]) -> None:
        """Every state of a generated log, against every event of the log."""
        check_admissions(log)

    @given(mixed_logs)
    def test_flawed_events_as_candidates(self, log: list[cm.Event]) -> None:
        """The admitted part of a mixed log, against its flawed events too."""
        _, anomalies = cm.replay(log, strict=False)
        rejected = {a.index for a in anomalies}
        kept = [e for i, e in enumerate(log) if i not in rejected]
        check_admissions(kept, candidates=[log[i] for i in sorted(rejected)])

    @given(mixed_logs)
    def test_replay_is_the_same_without_checks(self, log: list[cm.Event]) -> None:
        """The checks change the speed of lenient replay, not its states or anomalies."""
        expected = cm.replay(log, strict=False)
        with cm.registry.scoped() as reg:
            reg.admissions.clear()
            reg._changed()
            actual = cm.replay(log, strict=False)
        assert expected == actual

    @pytest.mark.parametrize("event, rule", [
        (PeopleDetained(occurred_on=DAY, persons=("ana",)), "not-already-detained"),
        (WentIntoHiding(occurred_on=DAY, person="ana"), "free-to-move"),
        (PrisonersReleased(occurred_on=DAY, persons=("ben",)), "release-at-most-held"),
        (LeftCountry(occurred_on=DAY, person="ben", to="VEN"), "exile-abroad"),
        (LeftCountry(occurred_on=DAY, person="ben", to="XYZ"), "destination-code"),
        (PeopleDetained(occurred_on=DAY, persons=("ben", "ben")), "someone"),
        (PeopleDetained(occurred_on=DAY, group="gov"), "detainable-kind"),
    ])
    def test_refused_with_the_rules_message(self, event: cm.Event, rule: str) -> None:
        """Where a check says no, the rule says why, as without the checks."""
        log = [*_base(), PeopleDetained(occurred_on=DAY, persons=("ana",)), event]
        with pytest.raises(cm.RuleViolation) as raised:
            cm.replay(log)
        expected = [rule]
        actual = [p.rule for p in raised.value.problems]
        assert expected == actual


    @pytest.mark.parametrize("event, rules", [
        (declared(shares={"maduro": 40.0, "gonzalez": 55.0}), ["winner-leads"]),
        (declared(shares={"maduro": 70.0, "gonzalez": 40.0}), ["valid-shares"]),
        (declared(shares={}, seats={"maduro": 9, "gonzalez": -1}), ["valid-seats"]),
        (declared(shares={}, seats={"maduro": 9, "gonzalez": 10}), ["winner-leads"]),
        (declared(winner="spain", shares={}), ["winner-is-candidate"]),
    ])
    def test_declarations_refused_as_the_rules_refuse(
            self, event: cm.Event, rules: list[str]) -> None:
        """The declaration check says no wherever a rule does, so replay names that rule."""
        with pytest.raises(cm.RuleViolation) as raised:
            cm.replay([*base_log(), event])
        expected = rules
        actual = [p.rule for p in raised.value.problems]
        assert expected == actual

    def test_a_tied_declaration_is_admitted(self) -> None:
        """A winner level with another leads no one but trails no one: admitted."""
        event = declared(shares={"maduro": 45.0, "gonzalez": 45.0})
        expected = len(base_log()) + 1
        actual = cm.replay([*base_log(), event]).version
        assert expected == actual


class TestAdmissionApi:
    def test_a_replaced_rule_retires_the_check(self) -> None:
        """Replacing a covered rule makes the class's rules run one by one again."""
        log = [*_base(), ArrestWarrantIssued(occurred_on=DAY, person="ana")]
        with cm.registry.scoped():
            @cm.rule(ArrestWarrantIssued, name="alive", replaces="alive")
            def _never(state: cm.CrisisState, e: ArrestWarrantIssued) -> str:
                return "no warrants here"

            with pytest.raises(cm.RuleViolation) as raised:
                cm.replay(log)
        expected = ["alive"]
        actual = [p.rule for p in raised.value.problems]
        assert expected == actual

    def test_covering_an_unknown_rule_is_refused(self) -> None:
        """A check must name rules the class has."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match="no-such-rule"):
            @cm.admission(ArrestThreatened, covers=("no-such-rule",))
            def _fast(state: cm.CrisisState, e: ArrestThreatened) -> bool:
                return True

    def test_check_admissions_catches_a_lax_check(self) -> None:
        """A user's check that admits too much fails the toolkit's comparison."""
        with cm.registry.scoped():
            @cm.event_type("example.counted")
            @attrs.frozen(kw_only=True)
            class Counted(cm.Event):
                n: int

            @cm.handler(Counted)
            def _counted(draft: cm.Draft, e: Counted) -> None:
                pass

            @cm.rule(Counted)
            def positive(state: cm.CrisisState, e: Counted) -> str | None:
                return None if e.n > 0 else "n must be positive"

            @cm.admission(Counted, covers=("positive",))
            def _lax(state: cm.CrisisState, e: Counted) -> bool:
                return True

            log = [Counted(occurred_on=DAY, n=1)]
            with pytest.raises(AssertionError, match="rule 'positive' refuses"):
                check_admissions(log, candidates=[Counted(occurred_on=DAY, n=0)])

    def test_a_check_that_answers_for_references_must_check_them(self) -> None:
        """With references=True a check is the whole admission: an unknown id must fail it."""
        with cm.registry.scoped():
            @cm.event_type("example.praised")
            @attrs.frozen(kw_only=True)
            class Praised(cm.Event):
                who: str = cm.ref("actor")

            @cm.handler(Praised)
            def _praised(draft: cm.Draft, e: Praised) -> None:
                pass

            @cm.rule(Praised)
            def anyone(state: cm.CrisisState, e: Praised) -> None:
                return None

            @cm.admission(Praised, covers=("anyone",), references=True)
            def _blind(state: cm.CrisisState, e: Praised) -> bool:
                return True

            log = [*_base(), Praised(occurred_on=DAY, who="ana")]
            with pytest.raises(AssertionError, match="although a reference does not resolve"):
                check_admissions(log, candidates=[Praised(occurred_on=DAY, who="nobody")])

    def test_the_whole_admission_still_refuses_unknown_ids(self) -> None:
        """A built-in check that is its type's whole admission says no to an unknown id."""
        log = [*_base(), WentIntoHiding(occurred_on=DAY, person="nobody")]
        with pytest.raises(cm.RuleViolation) as raised:
            cm.replay(log)
        expected = ["known-actor"]
        actual = [p.rule for p in raised.value.problems]
        assert expected == actual
