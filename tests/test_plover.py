"""crisis_model.interop.plover: reading PLOVER records, writing our scenarios as PLOVER."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.interop import (
    ImportSummary,
    InteropError,
    Options,
    import_scenario,
    read_plover,
    write_plover,
)
from crisis_model.interop.plover import EXPORT, EXTENSION, plover_records

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
SEEDS = Path(__file__).parent.parent / "seeds"
D = dt.date


def _export(scenario, tmp_path, *, strip=False, hypothetical_from=None):
    buf = io.StringIO()
    write_plover(buf, scenario.events, scenario_id=scenario.id, sources=scenario.sources,
                 hypothetical_from=hypothetical_from)
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    if strip:
        for r in records:
            del r[EXTENSION]
    out = tmp_path / "out.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return out, records


class TestRoundTrip:
    def test_seed_round_trips_exactly(self, tmp_path):
        """Export then import gives the seed's events, sources and state back."""
        seed = cm.load_scenario(SEEDS / "venezuela_2024.toml")
        out, _ = _export(seed, tmp_path)
        back, summary = import_scenario("plover", out)
        assert (seed.events, seed.sources) == (back.events, back.sources)
        assert seed.replay() == back.replay()
        assert (41, 41, 0) == (summary.records, summary.restored, summary.anomalies)

    def test_standard_fields_only(self, tmp_path):
        """Read by PLOVER's own fields alone, the seed keeps what PLOVER holds, loses the rest."""
        seed = cm.load_scenario(SEEDS / "venezuela_2024.toml")
        out, _ = _export(seed, tmp_path, strip=True)
        back, summary = import_scenario("plover", out)
        original, imported = seed.replay(), back.replay()
        # held: protests, crackdowns and their counts, arrest threats, detentions
        assert (original.incidents.protests, original.incidents.crackdowns) == (
            imported.incidents.protests, imported.incidents.crackdowns)
        assert original.actors["machado"].jeopardy.threatened
        assert imported.actors["machado"].jeopardy.threatened
        # not held: elections, offers, stances, whereabouts, release counts (docs/interop.md)
        assert ({}, {}) == (dict(imported.elections), dict(imported.offers))
        assert cm.Whereabouts.AT_LARGE == imported.actors["machado"].whereabouts
        assert 35 == sum(summary.unmapped.values())
        assert 0 == summary.anomalies

    def test_branch_events_are_hypothetical(self, tmp_path):
        """A what-if branch's own events are written with mode hypothetical; the seed's are not."""
        branch = cm.load_scenario(SEEDS / "venezuela_2024_amnesty_accepted.toml")
        seed = cm.load_scenario(SEEDS / "venezuela_2024.toml")
        _, records = _export(branch, tmp_path, hypothetical_from=len(seed.events))
        hypothetical = ["hypothetical" in r.get("mode", "") for r in records]
        assert [False] * len(seed.events) + [True] * (len(branch.events) - len(seed.events)) == (
            hypothetical)
        assert "hypothetical;resign" == records[-2]["mode"]

    def test_hypothetical_records_are_not_facts(self):
        """Imported without our extension, a hypothetical record is never mapped onto a fact."""
        summary = ImportSummary("plover")
        events = list(read_plover(FIXTURES / "plover_records.jsonl", summary=summary,
                                  options=Options(keep_unmapped=True)))
        reported = [e for e in events if e.event_tag == "record.reported"]
        assert ["SYN-0005", "SYN-0007"] == [e.record_id for e in reported]
        assert "PROTEST (hypothetical)" == reported[1].code


class TestWriter:
    def test_record_fields(self):
        """A protest becomes PROTEST/demo with its actor as an entity and our event kept whole."""
        seed = cm.load_scenario(SEEDS / "venezuela_2024.toml")
        records = list(plover_records(seed.events, scenario_id="x", sources=seed.sources))
        protest = next(r for r in records if r["event"] == ["PROTEST"])
        assert "demo" == protest["mode"]
        assert protest[EXTENSION]["type"] == "unrest.protest"
        assert all(set(r) >= {"id", "date", "actor", "event"} for r in records)

    def test_record_ids_are_event_ids(self):
        """Each record's id is its event's id: explicit, or derived as the log derives it."""
        seed = cm.load_scenario(SEEDS / "venezuela_2024.toml")
        same = cm.events.ProtestHeld(occurred_on=D(2024, 11, 1), id="acled:VEN1")
        events = [*seed.events, same, *seed.events[-1:]]
        records = list(plover_records(events, scenario_id="x"))
        assert list(cm.event_ids(events)) == [r["id"] for r in records]
        assert "acled:VEN1" == records[-2]["id"]
        assert records[-1]["id"].endswith("~2")

    def test_imprecise_dates_become_ranges(self):
        """An event known to the month is written as date and enddate spanning the month."""
        e = cm.events.ProtestHeld(occurred_on=D(2024, 11, 1), precision=cm.Precision.MONTH)
        (record,) = plover_records([e])
        assert ("2024-11-01", "2024-11-30") == (record["date"], record["enddate"])

    def test_every_builtin_type_has_an_export_entry(self):
        """Every built-in event type says how it is written."""
        built_in = {t for t, c in cm.registry.types.items()
                    if c.__module__.startswith("crisis_model.")}
        assert set() == built_in - set(EXPORT)


class TestReader:
    def test_fixture(self):
        """The synthetic records map by category and mode, with counts and recorded dates."""
        summary = ImportSummary("plover")
        events = [e for e in read_plover(FIXTURES / "plover_records.jsonl", summary=summary)
                  if e.event_tag != "actor.introduced"]
        assert ["unrest.protest", "unrest.crackdown", "justice.detained",
                "justice.arrest_threatened", "justice.released"] == [e.event_tag for e in events]
        protest, crackdown, detained, threat, release = events
        assert (5000, "venezuelan-protesters") == (protest.size.value, protest.by)
        assert (2, 15, 40) == (crackdown.deaths.value, crackdown.injuries.value,
                               crackdown.arrests.value)
        assert (cm.Count.exact(12), "opposition-activists") == (detained.count, detained.group)
        assert "maria-corina-machado" == threat.person
        assert ("plover:SYN-0001", D(2024, 7, 30)) == (protest.id, protest.recorded_on)
        assert "enddate 2024-11-18" in release.note
        assert (D(2024, 11, 16), D(2024, 11, 18)) == release.window  # the range, kept
        assert {"SUPPORT": 1, "PROTEST (hypothetical)": 1} == dict(summary.unmapped)

    def test_gold_standard_slice_whole(self):
        """The slice of PLOVER's gold standard (trailing commas and all) imports whole."""
        scenario, summary = import_scenario("plover", FIXTURES / "plover_gsr_slice.txt",
                                            keep_unmapped=True)
        assert (12, 8, 4, 0) == (summary.records, summary.mapped, summary.reported,
                                 summary.anomalies)
        assert {"AGREE": 3, "THREATEN": 1} == dict(summary.unmapped)
        state = scenario.replay()
        assert 8 == state.incidents.protests
        assert "Peru" == state.actors["peru"].name
        assert None is state.actors["peru"].country  # "---" is no country

    def test_json_array(self, tmp_path):
        """A JSON array of records reads like JSON Lines."""
        f = tmp_path / "a.json"
        f.write_text(json.dumps([{"id": "1", "date": "2024-07-29", "actor": ["crowd"],
                                  "event": ["PROTEST"]}] * 2), encoding="utf-8")
        assert 2 == len([e for e in read_plover(f) if e.event_tag == "unrest.protest"])

    def test_bad_json_names_the_line(self, tmp_path):
        """Broken JSON is an error naming the file and line."""
        f = tmp_path / "bad.jsonl"
        f.write_text('{"id": "1", "date": "2024-07-29", "event": "PROTEST"}\n{"id": 2,\n',
                     encoding="utf-8")
        with pytest.raises(InteropError, match=r"bad\.jsonl:2: the file ends inside an object"):
            list(read_plover(f))

    def test_not_plover(self):
        """A CSV file given as PLOVER is refused at line 1."""
        with pytest.raises(InteropError, match=r"acled_venezuela_2024\.csv:1: not PLOVER JSON"):
            list(read_plover(FIXTURES / "acled_venezuela_2024.csv"))

    def test_bad_record_rejected_with_line(self, tmp_path):
        """A record without a date is counted as rejected, with its line."""
        f = tmp_path / "r.jsonl"
        f.write_text('{"id": "1", "event": "PROTEST"}\n', encoding="utf-8")
        summary = ImportSummary("plover")
        assert [] == list(read_plover(f, summary=summary))
        assert {"date is missing or not YYYY-MM-DD": ["r.jsonl:1"]} == summary.rejected_examples


def test_overlong_line_refused(tmp_path, monkeypatch):
    """A line longer than the bound is refused with its line number, not read whole."""
    monkeypatch.setattr("crisis_model.interop.plover.MAX_RECORD_CHARS", 100)
    f = tmp_path / "long.jsonl"
    f.write_text('{"id": "1", "date": "2024-07-29", "event": "PROTEST"}\n'
                 + '{"text": "' + "x" * 200 + '"}\n', encoding="utf-8")
    with pytest.raises(InteropError, match=r"long\.jsonl:2: a line longer than 100"):
        list(read_plover(f))
