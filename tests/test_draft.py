"""Tests for crisis_model._draft: the working state handlers write to, and its freezing."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given

import crisis_model as cm
from crisis_model.events import ActorIntroduced, WentIntoHiding
from crisis_model.testing import check_handlers

from .builders import base_log, person
from .strategies import admissible_logs, mixed_logs

K = cm.ActorKind
D = dt.date(2024, 7, 1)


def _thing_type(tag: str = "test.thing") -> type[cm.Event]:
    @cm.event_type(tag)
    @attrs.frozen(kw_only=True)
    class Thing(cm.Event):
        who: str = cm.ref("actor")
        where: str = ""

    return Thing


def _intro(actor: str = "a") -> ActorIntroduced:
    return ActorIntroduced(occurred_on=D, actor=actor, name=actor.upper(), kind=K.PERSON)


class TestDraft:
    def test_edit_then_freeze(self):
        """Fields written to an edited record are in the frozen state."""
        draft = cm.Draft(cm.replay([_intro()]))
        draft.edit_actor("a").location = "Caracas"
        assert "Caracas" == draft.freeze().actors["a"].location

    def test_frozen_state_never_changes(self):
        """A state frozen earlier is untouched by later edits of the same draft."""
        draft = cm.Draft(cm.replay([_intro()]))
        draft.edit_actor("a").location = "one"
        first = draft.freeze()
        draft.edit_actor("a").location = "two"
        second = draft.freeze()
        assert ("one", "two") == (first.actors["a"].location, second.actors["a"].location)

    def test_unedited_record_is_read_only(self):
        """A record read without edit_* is frozen: writing to it raises."""
        draft = cm.Draft(cm.replay([_intro()]))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            draft.actors["a"].location = "x"  # type: ignore[misc]

    def test_record_kept_past_freeze_is_frozen(self):
        """A record handed out before a freeze raises when written to after it."""
        draft = cm.Draft(cm.replay([_intro()]))
        kept = draft.edit_actor("a")
        draft.freeze()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            kept.location = "later"

    def test_freeze_shares_what_did_not_change(self):
        """Maps no handler touched are the very objects of the state before."""
        state = cm.replay([_intro()])
        draft = cm.Draft(state)
        draft.edit_incidents().protests += 1
        after = draft.freeze()
        assert (after.actors is state.actors, after.incidents.protests) == (True, 1)

    def test_new_keys_go_last(self):
        """Records put into a draft keep insertion order, as FrozenMap.set does."""
        state = cm.replay([_intro("b"), _intro("a")])
        draft = cm.Draft(state)
        draft.put_actor(cm.ActorState(id="c", name="C", kind=K.PERSON))
        assert ["b", "a", "c"] == list(draft.freeze().actors)

    def test_new_ledger_is_empty(self):
        """edit_ledger creates the group's ledger empty."""
        draft = cm.Draft(cm.initial_state())
        draft.edit_ledger("g").conditions = ("x",)
        assert cm.Ledger(conditions=("x",)) == draft.freeze().ledgers["g"]

    def test_plain_dict_is_converted(self):
        """A dict assigned to a map field becomes a FrozenMap when the draft freezes."""
        draft = cm.Draft(cm.replay([_intro()]))
        draft.edit_actor("a").stances = {}  # type: ignore[assignment]
        assert isinstance(draft.freeze().actors["a"].stances, cm.FrozenMap)

    def test_reads_see_writes(self):
        """Within a draft, a read after a write sees the write."""
        draft = cm.Draft(cm.replay([_intro()]))
        draft.edit_actor("a").location = "here"
        assert ("here", 1) == (draft.actors["a"].location, len(draft.actors))


class TestHandlerForms:
    def test_annotation_picks_the_form(self):
        """A first parameter annotated cm.Draft registers a draft handler."""
        with cm.registry.scoped():
            Thing = _thing_type()

            @cm.handler(Thing)
            def _(draft: cm.Draft, e: Thing) -> None:  # type: ignore[valid-type]
                draft.edit_actor(e.who).location = e.where

            assert "draft" == cm.registry.handler_forms[Thing]
            state = cm.replay([_intro(), Thing(occurred_on=D, who="a", where="x")])
            assert "x" == state.actors["a"].location

    def test_state_form_still_works(self):
        """A (state, event) -> state handler runs through the adapter, with equal results."""
        with cm.registry.scoped():
            Thing = _thing_type()

            @cm.handler(Thing)
            def _(state, e):  # unannotated: the older form
                return state.with_actor(e.who, location=e.where)

            log = [_intro(), WentIntoHiding(occurred_on=D, person="a"),
                   Thing(occurred_on=D, who="a", where="x")]
            assert "state" == cm.registry.handler_forms[Thing]
            assert ("x", cm.Whereabouts.IN_HIDING) == (
                cm.replay(log).actors["a"].location, cm.replay(log).actors["a"].whereabouts)
            check_handlers(log)

    def test_form_keyword(self):
        """form='draft' registers a draft handler whatever the annotations say."""
        with cm.registry.scoped():
            Thing = _thing_type()
            cm.handler(Thing, form="draft")(lambda d, e: d.edit_actor(e.who) and None)
            assert "draft" == cm.registry.handler_forms[Thing]

    def test_draft_handler_returning_a_value(self):
        """A draft handler that returns something is a HandlerError naming the type."""
        with cm.registry.scoped():
            Thing = _thing_type()
            cm.handler(Thing, form="draft")(lambda d, e: d)
            with pytest.raises(cm.HandlerError, match=r"test\.thing.*must return None"):
                cm.replay([_intro(), Thing(occurred_on=D, who="a")])

    def test_state_handler_returning_none(self):
        """A state handler returning None says how to declare a draft handler."""
        with cm.registry.scoped():
            Thing = _thing_type()
            cm.handler(Thing)(lambda s, e: None)
            with pytest.raises(cm.HandlerError, match=r"annotate its first parameter as cm\.Draft"):
                cm.replay([_intro(), Thing(occurred_on=D, who="a")])

    def test_bad_form(self):
        """form is 'draft' or 'state'."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match="form"):
            cm.handler(_thing_type(), form="other")  # type: ignore[call-overload]


class TestCheckHandlers:
    def test_catches_a_record_kept_past_its_call(self):
        """A handler writing to a record it kept from an earlier call fails the check."""
        with cm.registry.scoped():
            Thing = _thing_type()
            kept = []

            @cm.handler(Thing)
            def _(draft: cm.Draft, e: Thing) -> None:  # type: ignore[valid-type]
                if kept:
                    kept[0].location = e.where
                else:
                    kept.append(draft.edit_actor(e.who))

            log = [_intro(), Thing(occurred_on=D, who="a", where="1"),
                   Thing(occurred_on=D, who="a", where="2")]
            with pytest.raises((AssertionError, attrs.exceptions.FrozenInstanceError)):
                check_handlers(log)

    def test_catches_a_mutable_value(self):
        """A handler storing a list fails the check: state holds immutable values only."""
        with cm.registry.scoped():
            Thing = _thing_type()

            @cm.handler(Thing)
            def _(draft: cm.Draft, e: Thing) -> None:  # type: ignore[valid-type]
                draft.edit_actor(e.who).offices = [e.where]  # type: ignore[assignment]

            with pytest.raises(AssertionError, match="mutable value"):
                check_handlers([_intro(), Thing(occurred_on=D, who="a", where="x")])

    def test_map_draft_in_a_slice_passes(self):
        """A handler changing its slice's map in place through edit_map passes the check."""
        with cm.registry.scoped():
            Thing = _thing_type()
            cm.state_slice("test.places", cm.FrozenMap())

            @cm.handler(Thing)
            def _(draft: cm.Draft, e: Thing) -> None:  # type: ignore[valid-type]
                places = draft.edit_map(draft.slices["test.places"])
                places[e.who] = (*places.get(e.who, ()), e.where)
                draft.set_slice("test.places", places)

            log = [_intro(), _intro("b"), *(Thing(occurred_on=D, who=w, where=str(i))
                                            for i, w in enumerate("abab"))]
            check_handlers(log)
            assert {"a": ("0", "2"), "b": ("1", "3")} == cm.replay(log).slices["test.places"]

    def test_catches_a_map_kept_past_its_call(self):
        """A handler writing to a map draft it kept from an earlier call fails the check."""
        with cm.registry.scoped():
            Thing = _thing_type()
            kept: list[cm.MapDraft[str, str]] = []

            @cm.handler(Thing)
            def _(draft: cm.Draft, e: Thing) -> None:  # type: ignore[valid-type]
                if kept:
                    kept[0][e.who] = e.where
                else:
                    a = draft.edit_actor(e.who)
                    kept.append(draft.edit_map(a.stances))  # type: ignore[arg-type]
                    a.stances = kept[0]  # type: ignore[assignment]

            log = [_intro(), Thing(occurred_on=D, who="a", where="1"),
                   Thing(occurred_on=D, who="a", where="2")]
            with pytest.raises(TypeError, match="does not support item assignment"):
                check_handlers(log)

    def test_base_log_passes(self):
        """The built-in handlers pass on the shared base log."""
        check_handlers(base_log())

    @given(admissible_logs)
    def test_fast_path_equals_persistent_path(self, log):
        """replay (one draft), snapshots, History and evolve agree on generated logs."""
        check_handlers(log)
        history = cm.History(log, checkpoint_every=7)
        assert cm.replay(log) == history.final == history.snapshot(len(log) - 1)

    @given(mixed_logs)
    def test_lenient_paths_agree(self, log):
        """Lenient replay and lenient snapshots agree on logs with rejected events."""
        state, anomalies = cm.replay(log, strict=False)
        snaps = list(cm.snapshots(log, strict=False))
        assert (state, [a.index for a in anomalies]) == (
            snaps[-1], [a.index for a in cm.History(log, strict=False).anomalies])


class TestReferenceMapping:
    def test_mapping_gives_lookup_and_ids(self):
        """reference_kind(mapping=...) checks refs against that state mapping."""
        with cm.registry.scoped():
            cm.reference_kind("test_offer", mapping="offers")
            assert [] == list(cm.registry.ref_ids["test_offer"](cm.initial_state()))

    def test_bad_mapping(self):
        """mapping names a state mapping."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError, match="mapping"):
            cm.reference_kind("test_x", mapping="nothing")

    def test_person_ref_checked_inline(self):
        """A reference by mapping is still reported with its field and rule."""
        log = [_intro(), WentIntoHiding(occurred_on=dt.date(2024, 1, 2), person="zz")]
        with pytest.raises(cm.RuleViolation, match="known-actor"):
            cm.replay(log)
        assert person("a")  # the shared builder still works
