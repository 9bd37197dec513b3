"""Tests for crisis_model.record: stable ids and recorded dates."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import ProtestHeld, WinnerRecognized

from .builders import JULY_1, D, base_log, person
from .strategies import admissible_logs, corrected_logs, known_logs, recorded_logs

P = cm.Precision
SEED = "seeds/venezuela_2024.toml"


class TestIds:
    def test_explicit_ids_kept(self):
        """An event's own id is its effective id."""
        assert ("a", "b") == cm.event_ids([person("x", id="a"), person("y", id="b")])

    def test_derived_ids_follow_the_recipe(self):
        """Without an id: "h" and 12 hex digits of the SHA-256 of the sorted, default-free
        payload without its version."""
        import hashlib

        e = person("maduro")
        text = ('{"actor":"maduro","kind":"person","name":"Maduro",'
                '"occurred_on":"2024-07-01","type":"actor.introduced"}')
        expected = "h" + hashlib.sha256(text.encode()).hexdigest()[:12]
        assert (expected,) == cm.event_ids([e])

    def test_two_loads_give_the_same_ids(self):
        """Loading one file twice gives the same derived ids."""
        first = cm.event_ids(cm.load_scenario(SEED).events)
        assert first == cm.event_ids(cm.load_scenario(SEED).events)

    def test_ids_ignore_record_fields(self):
        """An explicit id, recorded_on or recorded_precision does not change the derived id."""
        e = person("x")
        later = attrs.evolve(e, id="given", recorded_on=D(2024, 8, 1), recorded_precision=P.MONTH)
        assert cm.derived_id(e) == cm.derived_id(later)

    def test_repeated_content_numbered(self):
        """The n-th event with the same content gets ~n after the derived id."""
        e = ProtestHeld(occurred_on=JULY_1)
        base = cm.derived_id(e)
        assert (base, f"{base}~2", f"{base}~3") == cm.event_ids([e, e, e])

    def test_different_content_different_ids(self):
        """Events differing in any field get different derived ids."""
        a, b = ProtestHeld(occurred_on=JULY_1), ProtestHeld(occurred_on=JULY_1, size=3)
        assert cm.derived_id(a) != cm.derived_id(b)

    def test_duplicate_explicit_id_names_both(self):
        """Two events carrying one id: the error names both positions and types."""
        log = [person("x", id="dup"), person("y"), ProtestHeld(occurred_on=JULY_1, id="dup")]
        with pytest.raises(cm.DuplicateEventIdError) as info:
            cm.event_ids(log)
        assert ("dup", 0, 2) == (info.value.id, info.value.first, info.value.second)
        assert "event #0 (actor.introduced" in str(info.value)
        assert "event #2 (unrest.protest" in str(info.value)

    def test_explicit_id_clashing_with_derived(self):
        """An explicit id equal to another event's derived id is a duplicate too."""
        e = person("x")
        with pytest.raises(cm.DuplicateEventIdError):
            cm.event_ids([e, person("y", id=cm.derived_id(e))])

    @given(recorded_logs(max_size=25))
    def test_ids_unique_and_stable(self, log):
        """Every generated log has unique ids, the same on every call, explicit ones kept."""
        ids = cm.event_ids(log)
        assert (len(log), ids) == (len(set(ids)), cm.event_ids(list(log)))
        assert [e.id for e in log if e.id] == [i for i, e in zip(ids, log, strict=True) if e.id]


class TestRecordedDates:
    def test_explicit(self):
        """recorded_on, with its precision, wins over the sources."""
        e = person("x", sources=("s",), recorded_on=D(2024, 9, 1), recorded_precision=P.MONTH)
        assert (D(2024, 9, 1), P.MONTH) == cm.recorded_date(e, {"s": (D(2024, 8, 2), P.DAY)})

    def test_earliest_source(self):
        """Else the earliest publication date among the cited sources, at its precision."""
        e = person("x", sources=("late", "early", "undated"))
        dates = cm.source_dates({"late": D(2024, 11, 1), "early": (D(2024, 8, 1), P.MONTH),
                                 "other": D(2024, 7, 2)})
        assert (D(2024, 8, 1), P.MONTH) == cm.recorded_date(e, dates)

    def test_tie_prefers_the_precise(self):
        """Two sources starting the same day: the one known to the day."""
        e = person("x", sources=("m", "d"))
        dates = cm.source_dates({"m": (D(2024, 8, 1), "month"), "d": D(2024, 8, 1)})
        assert (D(2024, 8, 1), P.DAY) == cm.recorded_date(e, dates)

    def test_no_dated_source(self):
        """Else the event's own date, at its precision: recorded as it happened."""
        e = ProtestHeld(occurred_on=D(2024, 8, 1), precision=P.MONTH, sources=("s",))
        assert (D(2024, 8, 1), P.MONTH) == cm.recorded_date(e)

    def test_source_forms(self):
        """Sources as scenario Sources, store tables, pairs or plain dates; undated left out."""
        scenario_source = cm.Source(id="a", outlet="o", title="t", published=D(2024, 11, 1),
                                    precision=P.MONTH)
        found = cm.source_dates({
            "a": scenario_source, "b": {"published": "2024-08-11"},
            "c": {"published": "2024-08-01", "precision": "month"}, "d": (D(2024, 1, 1), P.YEAR),
            "e": D(2024, 8, 2), "f": {"outlet": "undated"}, "g": cm.Source(id="g", outlet="o",
                                                                           title="t"),
        })
        assert {
            "a": (D(2024, 11, 1), P.MONTH), "b": (D(2024, 8, 11), P.DAY),
            "c": (D(2024, 8, 1), P.MONTH), "d": (D(2024, 1, 1), P.YEAR),
            "e": (D(2024, 8, 2), P.DAY),
        } == found

    def test_seed_dates_from_the_two_reports(self):
        """Every seed event is recorded on 11 August 2024 or in November 2024."""
        seed = cm.load_scenario(SEED)
        dates = set(cm.recorded_dates(seed.events, seed.sources))
        assert {(D(2024, 8, 11), P.DAY), (D(2024, 11, 1), P.MONTH)} == dates

    @given(admissible_logs)
    def test_recorded_dates_one_per_event(self, log):
        """With no recorded_on and no dated source, each event is recorded as it happened."""
        dates = cm.recorded_dates(log)
        assert [(e.occurred_on, e.precision) for e in log] == list(dates)


# -- corrections and retractions ----------------------------------------------------------------


def recognition(**kw):
    """The United States recognises González, reported on 2 August."""
    return WinnerRecognized(occurred_on=D(2024, 8, 1), by="usa", election="ve",
                            winner="gonzalez", id="usa-rec", recorded_on=D(2024, 8, 2), **kw)


def correction(day, changes, target="usa-rec", **kw):
    """A correction of ``target`` made (and recorded) on ``day``."""
    return cm.RecordCorrected(occurred_on=day, corrects=target, changes=changes,
                              sources=("wire",), **kw)


def retraction(day, target, **kw):
    """A retraction of ``target`` made (and recorded) on ``day``."""
    return cm.RecordRetracted(occurred_on=day, retracts=target, reason="denied", **kw)


def stance_of(state, actor="usa"):
    """What ``actor`` holds about election ve ("-" if nothing)."""
    stance = state.actors[actor].stances.get("ve")
    return "-" if stance is None else f"{stance.kind.value}:{stance.winner}"


class TestCorrections:
    def test_replay_applies_the_correction(self):
        """Replay applies the record as corrected: the winner recognised is the corrected one."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "maduro"})]
        assert "recognises:maduro" == stance_of(cm.replay(log))

    def test_counts_only_from_its_recorded_date(self):
        """Known on a day before the correction was recorded, the record says what it said."""
        log = [*base_log(), recognition(),
               correction(D(2024, 8, 20), {"winner": "maduro"}, recorded_on=D(2024, 9, 1))]
        before = cm.state_at(log, D(2024, 12, 31), known_on=D(2024, 8, 31))
        after = cm.state_at(log, D(2024, 12, 31), known_on=D(2024, 9, 1))
        assert ("recognises:gonzalez", "recognises:maduro") == (stance_of(before),
                                                               stance_of(after))

    def test_unknown_before_recorded(self):
        """Known on a day before the event was recorded, it is not in the record at all."""
        log = [*base_log(), recognition()]
        assert "-" == stance_of(cm.state_at(log, D(2024, 12, 31), known_on=D(2024, 8, 1)))

    def test_nothing_deleted(self):
        """The log keeps the original and the correction; as_known says what was applied."""
        log = (*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "maduro"}))
        copy = tuple(log)
        known = cm.as_known(log)
        assert copy == log
        assert (len(base_log()) + 1, {len(base_log()): len(log) - 1}) == (
            len(known.events), dict(known.corrected_by))
        assert "usa-rec" == known.events[-1].id

    def test_revisions(self):
        """Each corrected event's history: what it said, when, on whose word."""
        log = [*base_log(), recognition(sources=("ap",)),
               correction(D(2024, 8, 20), {"winner": "maduro"}, id="fix-1"),
               retraction(D(2024, 9, 5), "fix-1", id="unfix", sources=("reuters",))]
        history = cm.revisions(log, "usa-rec")
        assert [(D(2024, 8, 2), None, "gonzalez", ("ap",)),
                (D(2024, 8, 20), "fix-1", "maduro", ("wire",)),
                (D(2024, 9, 5), "unfix", "gonzalez", ("reuters",))] == [
            (r.recorded_on, r.by, r.said.winner, r.sources) for r in history]

    def test_rules_apply_to_the_corrected_record(self):
        """A correction that makes the record inadmissible is rejected, naming the
        correction, the corrected event and the rule."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "nobody"})]
        with pytest.raises(cm.RuleViolation) as info:
            cm.replay(log)
        assert (len(log) - 1, "record.corrected", "known-actor") == (
            info.value.index, info.value.tag, info.value.rule)
        assert "as corrected by this correction, event 'usa-rec'" in str(info.value)
        assert "the correction is rejected" in str(info.value)

    def test_lenient_anomaly_is_the_correction(self):
        """Lenient replay reports the rejected correction at its own position."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "nobody"})]
        _, anomalies = cm.replay(log, strict=False)
        assert [(len(log) - 1, "record.corrected")] == [(a.index, a.tag) for a in anomalies]

    @pytest.mark.parametrize(("changes", "message"), [
        ({"id": "x"}, "cannot change id"),
        ({"winnner": "maduro"}, "has no field 'winnner'"),
        ({"winner": 5}, "winner"),
    ])
    def test_bad_changes(self, changes, message):
        """Changes of the id, of unknown fields or of the wrong kind are refused."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), changes)]
        with pytest.raises(cm.RecordError, match=message):
            cm.as_known(log)

    def test_unknown_target(self):
        """A correction of an id no event carries is refused, naming the id."""
        log = [*base_log(), correction(D(2024, 8, 20), {"note": "x"}, target="ghost")]
        with pytest.raises(cm.RecordError, match="'ghost', which no event of the log carries"):
            cm.replay(log)

    def test_target_must_come_first(self):
        """A correction comes after the event it corrects."""
        log = [*base_log(), correction(D(2024, 8, 20), {"note": "x"}), recognition()]
        with pytest.raises(cm.RecordError, match="comes after it"):
            cm.as_known(log)

    def test_corrections_are_not_corrected(self):
        """A correction of a correction is refused (retract it and record a new one)."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"note": "x"}, id="c1"),
               correction(D(2024, 8, 21), {"note": "y"}, target="c1")]
        with pytest.raises(cm.RecordError, match="retracted"):
            cm.as_known(log)


class TestRetractions:
    def test_retracted_event_withdrawn(self):
        """A retraction withdraws the event from the record from its recorded date on."""
        log = [*base_log(), recognition(), retraction(D(2024, 9, 1), "usa-rec")]
        assert ("recognises:gonzalez", "-") == (
            stance_of(cm.state_at(log, D(2024, 12, 31), known_on=D(2024, 8, 31))),
            stance_of(cm.replay(log)))

    def test_correction_then_its_retraction(self):
        """Retracting a correction restores what the event said before it."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "maduro"},
                                                      id="c1"),
               retraction(D(2024, 9, 1), "c1")]
        assert "recognises:gonzalez" == stance_of(cm.replay(log))

    def test_correction_then_retraction_of_the_event(self):
        """Retracting a corrected event withdraws it, corrections and all."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "maduro"}),
               retraction(D(2024, 9, 1), "usa-rec")]
        assert ("recognises:maduro", "-") == (
            stance_of(cm.state_at(log, D(2024, 12, 31), known_on=D(2024, 8, 31))),
            stance_of(cm.replay(log)))

    def test_retracting_a_retraction(self):
        """Retracting a retraction restores what it withdrew."""
        log = [*base_log(), recognition(), retraction(D(2024, 9, 1), "usa-rec", id="r1"),
               retraction(D(2024, 9, 2), "r1")]
        assert "recognises:gonzalez" == stance_of(cm.replay(log))

    def test_history_agrees(self):
        """History with known_on answers as state_at with known_on does."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "maduro"},
                                                      recorded_on=D(2024, 9, 1))]
        for k in (D(2024, 8, 1), D(2024, 8, 31), D(2024, 9, 1)):
            history = cm.History(log, known_on=k, checkpoint_every=3)
            assert cm.state_at(log, D(2024, 12, 31), known_on=k) == history.state_at(
                D(2024, 12, 31))


class TestKnownOnProperties:
    @given(known_logs, st.data())
    def test_known_grows_with_knowledge(self, log, data):
        """For K1 <= K2, every event in the record on K1 is in it on K2, unless a
        retraction recorded by K2 withdrew it."""
        days = sorted(day for day, _ in cm.recorded_dates(log))
        k1 = data.draw(st.sampled_from(days))
        k2 = data.draw(st.sampled_from([d for d in days if d >= k1]))
        first, second = cm.as_known(log, k1), cm.as_known(log, k2)
        withdrawn = {e.retracts for e, (day, _) in zip(log, cm.recorded_dates(log), strict=True)
                     if isinstance(e, cm.RecordRetracted) and day <= k2}
        ids = cm.event_ids(log)
        later = set(second.origins)
        assert set() == {o for o in first.origins if o not in later and ids[o] not in withdrawn}
        reported_1 = {i for i, (d, _) in enumerate(cm.recorded_dates(log)) if d <= k1}
        reported_2 = {i for i, (d, _) in enumerate(cm.recorded_dates(log)) if d <= k2}
        assert reported_1 <= reported_2

    @given(admissible_logs, st.data())
    def test_recorded_at_occurrence_changes_nothing(self, log, data):
        """With no corrections and every event recorded as it happened, the state as known
        on any day from `when` on is the state as of `when`."""
        when = data.draw(st.sampled_from([e.occurred_on for e in log]))
        later = max(when, data.draw(st.sampled_from([e.occurred_on for e in log])))
        assert cm.state_at(log, when) == cm.state_at(log, when, known_on=later)
        assert cm.replay(log) == cm.replay(log, known_on=max(e.occurred_on for e in log))

    @given(corrected_logs)
    def test_correction_then_retraction(self, log):
        """Retracting every correction gives back the state of the uncorrected log."""
        plain = [e for e in log if not isinstance(e, cm.RecordCorrected)]
        undo = [cm.RecordRetracted(occurred_on=e.occurred_on, retracts=e.id, id=f"undo-{e.id}")
                for e in log if isinstance(e, cm.RecordCorrected)]
        assert cm.replay(plain) == cm.replay([*log, *undo])

    @given(known_logs)
    def test_corrections_keep_ids_and_places(self, log):
        """The record as known keeps each event's id and its order in the log."""
        known = cm.as_known(log)
        assert list(known.origins) == sorted(known.origins)
        assert [known.ids[o] for o in known.origins] == list(cm.event_ids(known.events))


class TestLazyLogs:
    def test_snapshots_of_a_generator_stay_lazy(self):
        """snapshots() of a generator reads it as it goes; a correction in it is refused
        with a message saying to pass a list."""
        log = [*base_log(), recognition(), correction(D(2024, 8, 20), {"winner": "maduro"})]
        plain = (e for e in log[:-1])
        assert len(log) - 1 == len(list(cm.snapshots(plain)))
        with pytest.raises(cm.CrisisModelError, match="pass the whole log as a list"):
            list(cm.snapshots(e for e in log))
        assert "recognises:maduro" == stance_of(list(cm.snapshots(log))[-1])
