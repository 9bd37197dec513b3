"""Tests for crisis_model.record: stable ids and recorded dates."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

import crisis_model as cm
from crisis_model.events import ProtestHeld

from .builders import JULY_1, D, person
from .strategies import admissible_logs, recorded_logs

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
