"""Tests for crisis_model.events.office."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    ClaimBasis,
    HolderRecognized,
    OfficeAssumed,
    OfficeSeized,
    OfficeSymbolicOath,
    OfficeVacated,
    RecognitionRefused,
    RecognitionWithdrawn,
    RecognitionWithheld,
    RepresentativeRecognized,
)
from crisis_model.events.office import ClaimEnd, OfficeClaim, claimants, office_claims
from crisis_model.invariants import check_invariants
from crisis_model.serialization import from_dict
from crisis_model.testing import next_events

from .builders import D, base_state, rejected_rules

DAY = D(2025, 1, 10)
POWER = [ActorIntroduced, OfficeAssumed, OfficeVacated, OfficeSeized, OfficeSymbolicOath,
         HolderRecognized, RepresentativeRecognized, RecognitionWithheld, RecognitionRefused,
         RecognitionWithdrawn]


class TestOffice:
    def test_vacate_and_assume(self):
        """An office changes hands; two may hold one office if both claim it."""
        log = [
            OfficeVacated(occurred_on=DAY, person="maduro", office="president",
                          reason=cm.VacatedReason.RESIGNED),
            OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president"),
        ]
        state = cm.replay(log, initial=base_state())
        assert ((), ("president",)) == (
            state.actors["maduro"].offices, state.actors["gonzalez"].offices
        )
        both = cm.replay([OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president")],
                         initial=base_state())
        assert ("president",) == both.actors["maduro"].offices == both.actors["gonzalez"].offices

    def test_vacate_unheld(self):
        """Only a held office can be vacated."""
        e = OfficeVacated(occurred_on=DAY, person="gonzalez", office="president")
        assert ["holding"] == rejected_rules(base_state(), e)

    def test_assume_held(self):
        """One cannot assume an office one already holds."""
        e = OfficeAssumed(occurred_on=DAY, person="maduro", office="president")
        assert ["not-holding"] == rejected_rules(base_state(), e)


K = cm.VacatedReason


def claims(state: cm.CrisisState, office: str = "president") -> list[tuple[str, bool]]:
    """(holder, standing) of each recorded claim to ``office``."""
    return [(c.holder, c.active) for c in office_claims(state, office)]


class TestClaims:
    def test_rival_claims_with_basis(self):
        """A second claimant sworn in by another body stands beside the first, each with its
        basis, who swore them in, since when and on whose report."""
        e = OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president",
                          basis=ClaimBasis.PARALLEL, by="spain", sources=("wire",))
        state = cm.replay([e], initial=base_state())
        assert ("maduro", "gonzalez") == claimants(state, "president")
        assert (OfficeClaim("gonzalez", ClaimBasis.PARALLEL, ("spain",), DAY, sources=("wire",)),
                ) == office_claims(state, "president")
        assert [] == check_invariants(state)

    def test_parallel_council_names_holders(self):
        """A parallel council names its own head of government beside the incumbent's."""
        council = ActorIntroduced(occurred_on=DAY, actor="council", name="Transitional Council",
                                  kind=cm.ActorKind.COUNCIL)
        named = OfficeAssumed(occurred_on=DAY, person="gonzalez", office="prime-minister",
                              basis=ClaimBasis.PARALLEL, by="council")
        state = cm.replay([council, named], initial=base_state())
        (claim,) = office_claims(state, "prime-minister")
        assert (ClaimBasis.PARALLEL, ("council",)) == (claim.basis, claim.by)
        assert "Gonzalez assumes the office prime-minister as named by a parallel body, sworn " \
               "in or named by Transitional Council" == cm.describe(named, {
                   "gonzalez": "Gonzalez", "council": "Transitional Council"})

    def test_new_term(self):
        """An incumbent inaugurated for a new term: the old claim ends (term ended), the new one
        begins; the office is held once."""
        e = OfficeAssumed(occurred_on=DAY, person="maduro", office="president", new_term=True,
                          basis=ClaimBasis.ELECTED, by="cne")
        state = cm.replay([e], initial=base_state())
        assert ("president",) == state.actors["maduro"].offices
        old, new = office_claims(state, "president")
        assert (None, K.TERM_ENDED, True) == (old.since, old.end.reason, new.new_term)
        assert [("maduro", False), ("maduro", True)] == claims(state)
        assert [] == check_invariants(state)

    def test_new_term_needs_incumbent(self):
        """Only a holder begins a new term."""
        e = OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president", new_term=True)
        assert ["new-term-incumbent"] == rejected_rules(base_state(), e)

    def test_parallel_needs_body(self):
        """A claim named by a parallel body names the body."""
        e = OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president",
                          basis=ClaimBasis.PARALLEL)
        assert ["parallel-named-by"] == rejected_rules(base_state(), e)

    def test_vacated_reason_and_pressure(self):
        """Vacating records the reason, who removed them and under whose pressure."""
        e = OfficeVacated(occurred_on=DAY, person="maduro", office="president",
                          reason=K.IMPEACHED, by="cne", pressured_by=("usa", "spain"))
        state = cm.replay([e], initial=base_state())
        (claim,) = office_claims(state, "president")
        assert ClaimEnd(DAY, reason=K.IMPEACHED, by=("cne",), pressured_by=("usa", "spain")) == (
            claim.end)
        assert ((), ()) == (state.actors["maduro"].offices, claimants(state, "president"))

    def test_contested_removal(self):
        """A removal the holder rejects is recorded against the claim, which stands; a later
        vacating ends it."""
        removed = OfficeVacated(occurred_on=DAY, person="maduro", office="president",
                                reason=K.OUSTED, by="cne", contested=True)
        ended = OfficeVacated(occurred_on=D(2025, 2, 1), person="maduro", office="president",
                              reason=K.TERM_ENDED)
        state = cm.replay([removed], initial=base_state())
        assert (("maduro",), ("president",)) == (claimants(state, "president"),
                                                 state.actors["maduro"].offices)
        (claim,) = office_claims(state, "president")
        assert ((K.OUSTED,), None) == (tuple(x.reason for x in claim.contested), claim.end)
        later = cm.replay([ended], initial=state)
        assert [("maduro", False)] == claims(later)
        assert [] == check_invariants(later)

    def test_seized(self):
        """A seizure of power: the seizer claims the office by force, the ousted keep a
        contested claim."""
        e = OfficeSeized(occurred_on=DAY, by=("gonzalez", "usa"), holder="gonzalez",
                         office="president", ousted=("maduro",))
        state = cm.replay([e], initial=base_state())
        assert ("maduro", "gonzalez") == claimants(state, "president")
        ousted, seized = office_claims(state, "president")
        assert ((K.OUSTED,), ClaimBasis.SEIZED, ("gonzalez", "usa")) == (
            tuple(x.reason for x in ousted.contested), seized.basis, seized.by)
        assert [] == check_invariants(state)

    def test_seizure_rules(self):
        """Several seizers name the holder; the ousted hold the office; nobody ousts itself."""
        several = OfficeSeized(occurred_on=DAY, by=("gonzalez", "usa"), office="president")
        assert ["seizure-holder"] == rejected_rules(base_state(), several)
        unheld = OfficeSeized(occurred_on=DAY, by="usa", office="president", ousted=("spain",))
        assert ["ousted-holding"] == rejected_rules(base_state(), unheld)
        again = OfficeSeized(occurred_on=DAY, by="maduro", office="president")
        assert ["seizure-holder"] == rejected_rules(base_state(), again)

    def test_old_form_loads(self):
        """An old office.assumed / office.vacated (no basis, by, reason extras) loads unchanged,
        with the same id."""
        old = {"type": "office.assumed", "occurred_on": "2025-01-10", "person": "gonzalez",
               "office": "president"}
        plain = OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president")
        assert plain == from_dict(old)
        vacated = {"type": "office.vacated", "occurred_on": "2025-01-10", "person": "maduro",
                   "office": "president", "reason": "resigned"}
        assert OfficeVacated(occurred_on=DAY, person="maduro", office="president",
                             reason=K.RESIGNED) == from_dict(vacated)
        with_defaults = OfficeAssumed(occurred_on=DAY, person="gonzalez", office="president",
                                      basis=None, by=None, new_term=False)
        assert cm.event_ids([plain]) == cm.event_ids([with_defaults])

    def test_summaries(self):
        """Each type reads in plain words, by actors' names."""
        names = {"maduro": "Nicolás Maduro", "cne": "CNE", "usa": "US"}
        assert ("Nicolás Maduro begins a new term in the office president as elected, sworn in "
                "or named by CNE") == cm.describe(OfficeAssumed(
                    occurred_on=DAY, person="maduro", office="president", new_term=True,
                    basis=ClaimBasis.ELECTED, by="cne"), names)
        assert ("Nicolás Maduro leaves the office president (ousted), by decision of CNE, under "
                "pressure from US; they reject this and keep claiming it") == cm.describe(
                    OfficeVacated(occurred_on=DAY, person="maduro", office="president",
                                  reason=K.OUSTED, by="cne", pressured_by="usa",
                                  contested=True), names)
        assert "US seizes the office president, ousting Nicolás Maduro" == cm.describe(
            OfficeSeized(occurred_on=DAY, by="usa", office="president", ousted=("maduro",)),
            names)


@st.composite
def power_logs(draw: st.DrawFn) -> list[cm.Event]:
    """Logs of offices and recognitions (and new actors), admissible step by step."""
    state, log = cm.initial_state(), []
    for _ in range(draw(st.integers(3, 30))):
        e = draw(next_events(state, types=POWER))
        state = cm.evolve(state, e)
        log.append(e)
    return log


class TestProperties:
    @given(power_logs())
    def test_rival_claims_keep_invariants(self, log):
        """Every admitted sequence of claims, new terms, seizures, removals (contested or not)
        and recognitions keeps every invariant; standing claims are the holders' offices."""
        for state in cm.snapshots(log):
            assert [] == check_invariants(state)
        for aid, actor in state.actors.items():
            for office in actor.offices:
                assert aid in claimants(state, office)


class TestRendering:
    def test_json_and_diff(self):
        """--json keys claims by their place in the history; diff shows a claim ending."""
        before = base_state()
        e = OfficeVacated(occurred_on=DAY, person="maduro", office="president",
                          reason=K.RESIGNED)
        after = cm.replay([e], initial=before)
        claim = cm.snapshot_dict(after)["slices"]["offices"]["president"]["#1 maduro"]
        assert ("resigned", False, None) == (claim["end"]["reason"], claim["standing"],
                                             claim["since"])
        changes = [(c.section, c.subject, c.field) for c in cm.diff(before, after)]
        assert ("slice", "offices", "president") in changes

    def test_replay_text(self):
        """replay prints the claims in plain words under OFFICES."""
        e = OfficeSeized(occurred_on=DAY, by="usa", office="president", ousted=("maduro",))
        state = cm.replay([e], initial=base_state())
        lines = cm.registry.slice_views["offices"].lines(
            state.slices["offices"], lambda a: {"usa": "US"}.get(a or "", a or ""))
        assert ["president: 2 standing claims",
                "  maduro: held when the record begins; ousted on 2025-01-10 by US (the holder "
                "contests it); claim stands",
                "  US: since 2025-01-10 (seized), sworn in or named by US; claim stands"] == lines


class TestHooks:
    def test_end_claims(self):
        """end_claims (for other vocabularies, such as a death) ends every standing claim of a
        person and empties their offices, keeping the invariants."""
        from crisis_model.events.office import end_claims

        state = cm.replay([OfficeAssumed(occurred_on=DAY, person="maduro", office="party-leader")],
                          initial=base_state())
        draft = cm.Draft(state)
        end_claims(draft, "maduro", ClaimEnd(DAY, reason=K.DIED))
        after = draft.freeze()
        assert ((), ()) == (after.actors["maduro"].offices, claimants(after, "president"))
        assert [K.DIED, K.DIED] == [c.end.reason for o in ("president", "party-leader")
                                    for c in office_claims(after, o)]
        assert [] == check_invariants(after)


class TestSymbolicOath:
    """office.symbolic_oath: recorded, but no claim."""

    def _log(self) -> list[cm.Event]:
        return [ActorIntroduced(occurred_on=DAY, actor="rada", name="Rada",
                                kind=cm.ActorKind.LEGISLATURE),
                OfficeSymbolicOath(occurred_on=DAY, person="gonzalez", office="president",
                                   by="rada", place=cm.Place("Parliament, Caracas"))]

    def test_recorded_without_a_claim(self):
        """The oath is in the office's history and the person's, not among the claimants,
        and the person's offices are unchanged."""
        from crisis_model.events.office import symbolic_oaths

        state = cm.replay(self._log(), initial=base_state())
        ((office, oath),) = symbolic_oaths(state, person="gonzalez")
        assert (("maduro",), (), "president", ("rada",), DAY, 1) == (
            claimants(state, "president"), state.actors["gonzalez"].offices, office, oath.by,
            oath.on, len(symbolic_oaths(state, office="president")))
        assert [] == check_invariants(state)

    def test_does_not_block_a_later_assumption(self):
        """A real inauguration after the symbolic oath is admitted and makes the claim."""
        later = OfficeAssumed(occurred_on=D(2025, 2, 1), person="gonzalez", office="president",
                              basis=ClaimBasis.ELECTED)
        state = cm.replay([*self._log(), later], initial=base_state())
        assert (("maduro", "gonzalez"), ("president",)) == (
            claimants(state, "president"), state.actors["gonzalez"].offices)
        assert 1 == len(state.slices["offices"]["president"].oaths)  # kept after the claim

    def test_rules(self):
        """A holder takes no symbolic oath of their office; a body that holds no office, or a
        dead person, swears none."""
        from crisis_model.events import PersonDied

        state = base_state()
        assert ["symbolic-oath-not-holding"] == rejected_rules(state, OfficeSymbolicOath(
            occurred_on=DAY, person="maduro", office="president"))
        assert ["office-holder-kind"] == rejected_rules(state, OfficeSymbolicOath(
            occurred_on=DAY, person="usa", office="president"))
        dead = cm.replay([PersonDied(occurred_on=DAY, person="gonzalez")], initial=state)
        assert ["symbolic-oath-not-holding"] == rejected_rules(dead, OfficeSymbolicOath(
            occurred_on=DAY, person="gonzalez", office="president"))

    def test_summary_and_rendering(self):
        """Plain words in the timeline, the replay text and --json."""
        log = self._log()
        state = cm.replay(log, initial=base_state())
        assert ("gonzalez takes a symbolic oath of the office president before rada (no claim "
                "to it) (place: Parliament, Caracas)") == cm.describe(log[-1])
        lines = cm.registry.slice_views["offices"].lines(state.slices["offices"],
                                                          lambda a: a or "")
        assert "  gonzalez: symbolic oath 2025-01-10 before rada (no claim)" in lines
        oath = cm.snapshot_dict(state)["slices"]["offices"]["president"]["oath #1 gonzalez"]
        assert (True, ["rada"]) == (oath["symbolic_oath"], oath["by"])
