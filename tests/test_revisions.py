"""crisis_model.interop.revisions: re-importing a newer export as corrections and retractions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import attrs

import crisis_model as cm
from crisis_model.events import ProtestHeld
from crisis_model.interop import Options, import_scenario, import_to_store, read_acled, revise
from crisis_model.interop.revisions import compare_imports, record_key, record_of
from crisis_model.record import RecordCorrected, RecordRetracted

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "interop"
OLD = FIXTURES / "acled_venezuela_2024.csv"
NEW = FIXTURES / "acled_venezuela_2024_edited.csv"
D = dt.date
ON = D(2024, 8, 10)


def _about(events):
    """The corrections and retractions among ``events``, in plain tuples."""
    out = []
    for e in events:
        if isinstance(e, RecordCorrected):
            out.append(("corrected", e.corrects, dict(e.changes), e.occurred_on))
        elif isinstance(e, RecordRetracted):
            out.append(("retracted", e.retracts, e.reason, e.occurred_on))
    return out


#: What the edited export must yield, exactly (see tests/fixtures/interop/README.md).
EXPECTED = [
    ("corrected", "acled:VEN9003",
     {"deaths": 3, "note": "Synthetic: troops fire on demonstrators; three killed (revised toll)."},
     D(2024, 8, 9)),
    ("retracted", "acled:VEN9009",
     "the acled record is now coded as unrest.protest", D(2024, 8, 9)),
    ("retracted", "acled:VEN9006", "no longer in the acled export", ON),
]


class TestStore:
    def test_reimport_yields_exactly_the_corrections_and_retractions(self):
        """The edited export corrects VEN9003, recodes VEN9009, retracts the deleted VEN9006."""
        with cm.MemoryStore() as store:
            v1, _, first = import_to_store(store, "ve", "acled", OLD, country="VEN")
            assert (6, ()) == (len(first.added), first.corrected)
            v2, summary, update = import_to_store(store, "ve", "acled", NEW, country="VEN",
                                                  retract_missing=True, on=ON)
            assert EXPECTED == _about(store.read("ve", start=v1))
            assert ("acled:VEN9003",) == update.corrected
            assert ("acled:VEN9009", "acled:VEN9006") == update.retracted
            assert ("acled:VEN9009", "acled:VEN9010") == update.added
            assert ("acled:VEN9002", "acled:VEN9001", "acled:VEN9004") == update.unchanged
            new = [e for e in store.read("ve", start=v1) if e.event_tag == "unrest.protest"]
            assert ["acled:VEN9009#r2", "acled:VEN9010"] == [e.id for e in new]
            assert 0 == summary.anomalies
            state = store.replay("ve")
            assert (4, 1, 3) == (state.incidents.protests, state.incidents.crackdowns,
                                 state.incidents.deaths.total)
            # What was known before the edits: the old toll, the deleted vigil.
            before = store.replay("ve", known_on=D(2024, 8, 5))
            assert (3, 1, 2) == (before.incidents.protests, before.incidents.crackdowns,
                                 before.incidents.deaths.total)
            # Running it again changes nothing.
            v3, _, again = import_to_store(store, "ve", "acled", NEW, country="VEN",
                                           retract_missing=True, on=D(2024, 9, 1))
            assert (v2, (), 6) == (v3, again.events, len(again.unchanged))

    def test_gone_records_kept_unless_asked(self):
        """Without retract_missing a deleted record is counted as missing, not retracted."""
        with cm.MemoryStore() as store:
            import_to_store(store, "ve", "acled", OLD, country="VEN")
            _, _, update = import_to_store(store, "ve", "acled", NEW, country="VEN", on=ON)
            assert ["acled:VEN9003", "acled:VEN9009"] == [
                t for kind, t, *_ in _about(update.events)]
            assert ("acled:VEN9006",) == update.missing
            assert "1 gone from the export but kept" in update.summary()

    def test_filtered_records_are_not_gone(self):
        """A record left out by a filter is still in the export: never retracted."""
        with cm.MemoryStore() as store:
            import_to_store(store, "ve", "acled", OLD)
            _, _, update = import_to_store(store, "ve", "acled", OLD, country="VEN",
                                           retract_missing=True, on=ON)
            assert ((), ()) == (update.events, update.retracted)


    def test_late_records_are_refused_by_chronology(self, tmp_path):
        """A new record dated before the stream's history has reached is not appended
        (replay is in date order): it is counted as an anomaly, naming the rule."""
        with cm.MemoryStore() as store:
            import_to_store(store, "ve", "acled", OLD, country="VEN")
            late = tmp_path / "late.csv"
            lines = OLD.read_text(encoding="utf-8").splitlines()
            late.write_text("\n".join([lines[0], lines[-1].replace("VEN9001", "VEN9011")])
                            + "\n", encoding="utf-8")
            version = store.version("ve")
            _, summary, update = import_to_store(store, "ve", "acled", late, on=ON)
            assert (("acled:VEN9011",), 1, version) == (update.added, summary.anomalies,
                                                        store.version("ve"))
            assert "chronology" in summary.anomaly_examples[0] or "history has already" in (
                summary.anomaly_examples[0])


class TestScenario:
    def test_reimport_into_a_scenario(self):
        """import_scenario(base=an earlier import): the same corrections and retractions,
        new records placed by date; again with the result as base: nothing new."""
        first, _ = import_scenario("acled", OLD, country="VEN")
        updated, summary = import_scenario("acled", NEW, country="VEN", base=first,
                                           retract_missing=True, on=ON)
        assert EXPECTED == _about(updated.events)
        assert 0 == summary.anomalies
        added = [e.id for e in updated.events if e not in set(first.events)
                 and not isinstance(e, (RecordCorrected, RecordRetracted))]
        assert ["acled:VEN9009#r2", "acled:VEN9010"] == added
        state = updated.replay()
        assert (4, 1, 3) == (state.incidents.protests, state.incidents.crackdowns,
                             state.incidents.deaths.total)
        again, _ = import_scenario("acled", NEW, country="VEN", base=updated,
                                   retract_missing=True, on=D(2024, 9, 1))
        assert updated.events == again.events


class TestRevise:
    def test_recoded_as_unmapped_is_retracted(self, tmp_path):
        """A record now coded with no mapping is retracted, naming its new code."""
        rows = OLD.read_text(encoding="utf-8").replace(
            "Strategic developments,Arrests", "Battles,Armed clash")
        f = tmp_path / "later.csv"
        f.write_text(rows, encoding="utf-8")
        earlier = list(read_acled(OLD))
        seen: dict[str, str] = {}
        later = list(read_acled(f, options=Options(seen=seen)))
        update = revise(earlier, later, dataset="acled", seen=seen, on=ON)
        assert [("retracted", "acled:VEN9009",
                 "the acled record is now coded Battles/Armed clash, which has no mapping", ON),
                ("retracted", "acled:VEN9004",
                 "the acled record is now coded Battles/Armed clash, which has no mapping", ON),
                ] == _about(update.events)

    def test_reappearing_record_gets_a_new_id(self):
        """A retracted record back in a later export is added again under a new id."""
        old = list(read_acled(OLD))
        gone = next(e for e in old if e.id == "acled:VEN9006")
        log = [*old, RecordRetracted(occurred_on=ON, retracts="acled:VEN9006")]
        update = revise(log, [gone], dataset="acled")
        assert ["acled:VEN9006#r2"] == [e.id for e in update.events]

    def test_notes_of_older_imports_are_read(self):
        """Events imported before ids carried their record in the note: still matched."""
        old = ProtestHeld(occurred_on=D(2024, 7, 29), note="acled VEN1; recorded 2024-08-02")
        new = attrs.evolve(old, id="acled:VEN1", note="", recorded_on=D(2024, 8, 2))
        assert ("acled", "VEN1") == record_of(old) == record_of(new)
        assert ((), ("acled:VEN1",)) == (revise([old], [new], dataset="acled").events,
                                         revise([old], [new], dataset="acled").unchanged)
        corrected = revise([old], [attrs.evolve(new, size=10)], dataset="acled", on=ON)
        (correction,) = corrected.events
        assert (cm.event_ids([old])[0], {"size": 10}) == (correction.corrects,
                                                           dict(correction.changes))

    def test_introductions_are_not_records(self):
        """Introductions carry no record id."""
        events = list(read_acled(OLD))
        assert all(record_key(e) is None for e in events if e.event_tag == "actor.introduced")


class TestCompare:
    def test_edited_acled_export(self):
        """compare_imports: two changes (an edit, a recoding), one addition, one deletion."""
        revisions = compare_imports(read_acled(OLD), read_acled(NEW))
        assert [("acled", "VEN9009"), ("acled", "VEN9003")] == [
            record_of(new) for _, new in revisions.changed]
        assert [("acled", "VEN9010")] == [record_of(e) for e in revisions.added]
        assert [("acled", "VEN9006")] == [record_of(e) for e in revisions.gone]
        assert ("acled", "VEN9001") in revisions.unchanged  # re-stamped only: not a change
        assert "4 unchanged, 2 changed, 1 added, 1 gone" == revisions.summary()

    def test_same_export_changes_nothing(self):
        """Importing the same export twice: every record unchanged."""
        events = list(read_acled(OLD))
        revisions = compare_imports(events, events)
        assert ((), (), ()) == (revisions.changed, revisions.added, revisions.gone)
        assert 7 == len(revisions.unchanged)


def run(*args):
    result = subprocess.run([sys.executable, "-m", "crisis_model", *map(str, args)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    return result.returncode, result.stdout, result.stderr


def test_cli_reimport_into_a_store(tmp_path):
    """crisis-model import --store twice with a newer export, then once more: idempotent."""
    db = tmp_path / "c.db"
    common = ("--country", "VEN", "--store", db, "--stream", "ve")
    code, _, stderr = run("import", "acled", OLD, *common)
    assert 0 == code, stderr
    assert "0 unchanged, 6 added, 0 corrected, 0 retracted" in stderr
    code, _, stderr = run("import", "acled", NEW, *common, "--retract-missing",
                          "--on", ON.isoformat())
    assert 0 == code, stderr
    assert "3 unchanged, 2 added, 1 corrected, 2 retracted" in stderr
    assert "lenient replay: 0 event(s) rejected by the rules" in stderr
    with cm.open_store(db) as store:
        version = store.version("ve")
        assert EXPECTED == _about(store.read("ve"))
    code, _, stderr = run("import", "acled", NEW, *common, "--retract-missing")
    assert 0 == code, stderr
    assert f"at version {version}: records 6 unchanged, 0 added, 0 corrected" in stderr
    with cm.open_store(db) as store:
        assert version == store.version("ve")


def test_cli_reimport_into_a_scenario_file(tmp_path):
    """--merge an earlier import's file: corrections and retractions follow its events."""
    first, updated = tmp_path / "first.jsonl", tmp_path / "updated.jsonl"
    assert 0 == run("import", "acled", OLD, "--country", "VEN", "-o", first)[0]
    code, _, stderr = run("import", "acled", NEW, "--country", "VEN", "--merge", first,
                          "--retract-missing", "--on", ON.isoformat(), "-o", updated)
    assert 0 == code, stderr
    assert EXPECTED == _about(cm.load_scenario(updated).events)


def test_cli_retract_needs_a_store(tmp_path):
    """--retract-missing without --store or --merge is a usage error."""
    code, _, stderr = run("import", "acled", OLD, "--retract-missing", "-o", tmp_path / "x")
    assert 2 == code and "--retract-missing and --on go with --store" in stderr
