"""Tests for crisis_model.events.justice."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

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
from .strategies import admissible_logs

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
        with pytest.raises(ValueError, match="never negative"):
            PeopleDetained(occurred_on=DAY, group="detainees", count=-1)
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


# -- custody ------------------------------------------------------------------------------------

from crisis_model.events import (  # noqa: E402
    CustodyExpelled,
    CustodyTransferred,
    LeftCountry,
    Returned,
)

from .builders import body, person  # noqa: E402

PRISON = cm.Place("El Helicoide, Caracas", country="VEN")
HAGUE = cm.Place("Scheveningen detention centre, The Hague", country="NLD")
CS = cm.CustodyStatus


def custody_state():
    """The base state plus police, an international court, and two people with a country."""
    day = D(2024, 8, 1)
    return cm.replay([body("police", cm.ActorKind.SECURITY_FORCES, day, country="VEN"),
                      body("icc", cm.ActorKind.COURT, day),
                      person("perez", day, country="VEN"), person("diaz", day, country="COL")],
                     initial=base_state())


def in_custody(*events):
    """The custody state with ``events`` applied strictly."""
    return cm.replay(list(events), initial=custody_state())


DETAIN = PeopleDetained(occurred_on=DAY, group="detainees", persons=("perez", "diaz"),
                        by="police", place=PRISON)


class TestCustody:
    def test_detention_records_custodian_place_and_group(self):
        """A detention of named persons records who holds them, where, and their group."""
        state = in_custody(DETAIN)
        entry = cm.Custody(CS.DETAINED, "police", PRISON, "detainees", DAY)
        assert (entry, (entry,), "El Helicoide, Caracas") == (
            state.actors["perez"].custody, state.actors["perez"].custody_history,
            state.actors["perez"].location)

    def test_custodian_other_than_detainer(self):
        """``custodian`` names who holds them when it is not who detained them."""
        state = in_custody(PeopleDetained(occurred_on=DAY, persons=("perez",), by="police",
                                          custodian="maduro"))
        assert "maduro" == state.actors["perez"].custody.custodian

    def test_transfer_to_international_court(self):
        """A transfer to a court abroad keeps the person in custody, in their group."""
        later = D(2024, 9, 1)
        state = in_custody(DETAIN, CustodyTransferred(occurred_on=later, persons=("perez",),
                                                      to="icc", place=HAGUE))
        perez = state.actors["perez"]
        assert (W.DETAINED, cm.Custody(CS.TRANSFERRED, "icc", HAGUE, "detainees", later), 2, 2) == (
            perez.whereabouts, perez.custody, len(perez.custody_history),
            state.ledgers["detainees"].held)

    def test_transfer_rules(self):
        """Only the detained are transferred, and a transfer must change something."""
        state = in_custody(DETAIN)
        free = CustodyTransferred(occurred_on=DAY, persons=("gonzalez",), to="icc")
        assert ["in-custody"] == rejected_rules(state, free)
        same = CustodyTransferred(occurred_on=DAY, persons=("perez",), to="police", place=PRISON)
        assert ["transfer-moves"] == rejected_rules(state, same)
        nothing = CustodyTransferred(occurred_on=DAY, persons=("perez",))
        assert ["transfer-moves"] == rejected_rules(state, nothing)

    def test_was_rejected_before(self):
        """The real sequence detention, transfer, transfer, release replays strictly."""
        state = in_custody(
            DETAIN,
            CustodyTransferred(occurred_on=DAY, persons=("perez",), place=cm.Place("Tocoron")),
            CustodyTransferred(occurred_on=DAY, persons=("perez",), to="icc", place=HAGUE),
            PrisonersReleased(occurred_on=DAY, persons=("perez",)),
        )
        statuses = [c.status for c in state.actors["perez"].custody_history]
        assert ([CS.DETAINED, CS.TRANSFERRED, CS.TRANSFERRED, CS.RELEASED], None, 1) == (
            statuses, state.actors["perez"].custody, state.ledgers["detainees"].held)

    def test_release_of_named_person_updates_group(self):
        """Releasing a named person without naming the group releases them from it."""
        state = in_custody(
            PeopleDetained(occurred_on=DAY, group="detainees", count=50, persons=("perez",)),
            PrisonersReleased(occurred_on=DAY, persons=("perez",)))
        assert (49, Tally(1)) == (state.ledgers["detainees"].held,
                                  state.ledgers["detainees"].released)

    def test_named_release_after_the_group_emptied(self):
        """Once unnamed releases account for everyone a group held, a named person
        released from it was one of them: the group's releases stay within its detentions."""
        state = in_custody(
            PeopleDetained(occurred_on=DAY, group="detainees", persons=("perez",)),
            PrisonersReleased(occurred_on=DAY, group="detainees", count=1, conditional=True),
            PrisonersReleased(occurred_on=DAY, persons=("perez",), conditional=True))
        ledger = state.ledgers["detainees"]
        assert (0, Tally(1), cm.Whereabouts.AT_LARGE) == (
            ledger.held, ledger.conditionally_released, state.actors["perez"].whereabouts)
        assert [] == list(cm.check_invariants(state))

    def test_release_from_the_wrong_group(self):
        """A named person is released from the group they were counted in, not another."""
        state = in_custody(DETAIN, PeopleDetained(occurred_on=DAY, group="maduro", count=3))
        e = PrisonersReleased(occurred_on=DAY, group="maduro", persons=("perez",))
        assert ["counted-in-group"] == rejected_rules(state, e)

    def test_expelled_from_custody(self):
        """An expulsion from custody frees the person into exile and out of their group."""
        later = D(2024, 9, 2)
        border = cm.Place("Simon Bolivar bridge", country="VEN")
        state = in_custody(DETAIN, CustodyExpelled(occurred_on=later, persons=("perez", "diaz"),
                                                   to="col", by="police", place=border))
        perez, diaz = state.actors["perez"], state.actors["diaz"]
        move = cm.Movement(cm.MovementKind.EXPELLED, "Simon Bolivar bridge (VEN)", "COL", border,
                           later)
        assert ((W.IN_EXILE, "COL", None, CS.EXPELLED, (move,)), W.AT_LARGE, 0) == (
            (perez.whereabouts, perez.location, perez.custody,
             perez.custody_history[-1].status, perez.movements),
            diaz.whereabouts,  # a Colombian sent home is not in exile
            state.ledgers["detainees"].held)

    def test_expelled_needs_custody_and_country(self):
        """Only the detained are expelled, into a country code."""
        state = in_custody(DETAIN)
        assert ["in-custody"] == rejected_rules(
            state, CustodyExpelled(occurred_on=DAY, persons=("gonzalez",), to="COL"))
        assert ["expelled-to-country"] == rejected_rules(
            state, CustodyExpelled(occurred_on=DAY, persons=("perez",), to="Colombia"))

    def test_exile_cannot_be_detained_at_home(self):
        """Someone in exile is not detained at home by home forces without a return."""
        state = in_custody(LeftCountry(occurred_on=DAY, person="perez", to="ESP"))
        at_home = PeopleDetained(occurred_on=DAY, persons=("perez",), by="police")
        assert ["exiles-detained-abroad"] == rejected_rules(state, at_home)
        placed = PeopleDetained(occurred_on=DAY, persons=("perez",), place=PRISON)
        assert ["exiles-detained-abroad"] == rejected_rules(state, placed)
        problem = cm.check(state, at_home)[0]
        assert "'perez' is in exile in ESP" in problem.message

    def test_exile_detained_after_return_abroad_or_seized(self):
        """A return, a detention abroad, or an abduction make the detention admissible."""
        state = in_custody(LeftCountry(occurred_on=DAY, person="perez", to="ESP"))
        madrid = cm.Place("Madrid", country="ESP")
        for log in (
            [Returned(occurred_on=DAY, person="perez"),
             PeopleDetained(occurred_on=DAY, persons=("perez",), by="police")],
            [PeopleDetained(occurred_on=DAY, persons=("perez",), place=madrid),
             CustodyTransferred(occurred_on=DAY, persons=("perez",), to="police",
                                place=PRISON)],
            [PeopleDetained(occurred_on=DAY, persons=("perez",), by="police", abduction=True)],
        ):
            assert W.DETAINED == cm.replay(log, initial=state).actors["perez"].whereabouts


class TestHonestCounts:
    def test_old_int_reads_as_exact(self):
        """An int count (old files) reads as an exact count."""
        from crisis_model.serialization import from_dict

        e = from_dict({"type": "justice.detained", "version": 1, "occurred_on": "2024-08-11",
                       "group": "detainees", "count": 400})
        assert cm.Count.exact(400) == e.count

    def test_ranges_in_the_ledger(self):
        """Detentions given as ranges; the ledger says what the record supports."""
        state = after(
            PeopleDetained(occurred_on=DAY, group="detainees", count="1000-2000"),
            PeopleDetained(occurred_on=DAY, group="detainees", count=">=300"),
            PrisonersReleased(occurred_on=DAY, group="detainees", count="~100"),
        )
        ledger = state.ledgers["detainees"]
        assert ("at least 1,300", cm.Count.unknown()) == (
            str(ledger.detained.count), ledger.held_range)

    def test_release_beyond_the_most_held(self):
        """A release whose least is above the most the record allows is refused."""
        state = after(PeopleDetained(occurred_on=DAY, group="detainees", count="<=50"))
        e = PrisonersReleased(occurred_on=DAY, group="detainees", count=">=60")
        assert ["release-at-most-held"] == rejected_rules(state, e)
        assert "holds at most 50" in cm.check(state, e)[0].message

    def test_joint_by(self):
        """Police and army detain jointly; the summary names both."""
        e = PeopleDetained(occurred_on=DAY, group="detainees", count=3, by=["usa", "spain"])
        state = after(e)
        assert (("usa", "spain"), "3 people (DETAINEES) detained by USA and SPAIN jointly") == (
            e.by, cm.describe(e, {a.id: a.name for a in state.actors.values()}))


class TestCustodyProperties:
    @settings(max_examples=60)
    @given(admissible_logs)
    def test_custody_consistent(self, log):
        """In every admitted history a person is in at most one custody (the latest entry),
        only while detained, and no group's count is ever negative."""
        for state in cm.snapshots(log):
            for a in state.actors.values():
                held = [c for c in a.custody_history[-1:] if c.status.held]
                assert (held[0] if held else None) == a.custody
                assert (a.custody is not None) <= (a.whereabouts is W.DETAINED)
            for ledger in state.ledgers.values():
                assert ledger.held is None or ledger.held >= 0


class TestShown:
    def test_json_and_diff(self):
        """--json shows custody and its history; diff names what changed."""
        before = in_custody(DETAIN)
        after_ = cm.replay([CustodyTransferred(occurred_on=DAY, persons=("perez",), to="icc",
                                               place=HAGUE)], initial=before)
        perez = cm.snapshot_dict(after_)["actors"]["perez"]
        assert ({"status": "transferred", "custodian": "icc", "group": "detainees",
                 "place": {"name": HAGUE.name, "country": "NLD"}, "on": "2024-08-11",
                 "precision": "day"}, 2) == (perez["custody"], len(perez["custody_history"]))
        changed = {c.field for c in cm.diff(before, after_) if c.subject == "perez"}
        assert {"custody.custodian", "custody.status", "custody.place.name"} <= changed

    def test_replay_text(self, tmp_path):
        """replay prints who holds a detained person, where, and the custody history."""
        import subprocess
        import sys

        out = subprocess.run([sys.executable, "-m", "crisis_model", "replay", "sri-lanka-2022"],
                             capture_output=True, text=True, check=True).stdout
        assert ("in custody of Sri Lanka Police at Old Prison, Tangalle (LKA), counted among "
                "Aragalaya protesters (since 2022-11)") in out
