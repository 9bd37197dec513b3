"""crisis_model.interop.acled: ACLED CSV exports into events."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.interop import ImportSummary, InteropError, Options, read_acled
from crisis_model.interop.acled import COLUMNS

FIXTURE = Path(__file__).parent / "fixtures" / "interop" / "acled_venezuela_2024.csv"
D = dt.date


def _events(**options):
    summary = ImportSummary("acled")
    events = list(read_acled(FIXTURE, options=Options(**options), summary=summary))
    return [e for e in events if e.event_tag != "actor.introduced"], events, summary


class TestReader:
    def test_fixture(self):
        """Protests, the crackdown and arrests map; battles and mob violence are counted."""
        mapped, _, summary = _events()
        assert [("justice.detained", D(2024, 8, 4)), ("unrest.protest", D(2024, 8, 2)),
                ("unrest.protest", D(2024, 8, 1)), ("justice.detained", D(2024, 7, 31)),
                ("unrest.crackdown", D(2024, 7, 30)), ("unrest.protest", D(2024, 7, 29)),
                ("unrest.protest", D(2024, 7, 29))] == [
                    (e.event_tag, e.occurred_on) for e in mapped]
        assert {"Battles/Armed clash": 1, "Riots/Mob violence": 1} == dict(summary.unmapped)
        assert (10, 7, 1) == (summary.records, summary.mapped, sum(summary.rejected.values()))
        assert ["acled_venezuela_2024.csv:3"] == summary.rejected_examples[
            "event_date is not a date"]

    def test_fields(self):
        """Actors, counts, places, record ids and recorded dates are carried."""
        mapped, events, _ = _events()
        crackdown = next(e for e in mapped if e.event_tag == "unrest.crackdown")
        assert ("military-forces-of-venezuela-2013", 2) == (crackdown.by,
                                                       crackdown.deaths.value)
        assert ("acled:VEN9003", D(2024, 8, 3)) == (crackdown.id, crackdown.recorded_on)
        assert "Synthetic: troops fire on demonstrators; two killed." == crackdown.note
        intro = next(e for e in events if e.event_tag == "actor.introduced"
                     and e.actor == crackdown.by)
        assert (cm.ActorKind.SECURITY_FORCES, "VEN") == (intro.kind, intro.country)
        arrests = [e for e in mapped if e.event_tag == "justice.detained"]
        assert ["detainees", "protesters-venezuela"] == [e.group for e in arrests]
        protest = next(e for e in mapped if e.id == "acled:VEN9002")
        assert "Maracaibo, Zulia" == protest.location

    def test_month_precision(self):
        """time_precision 3 dates the record on the 1st, known to the month."""
        mapped, _, _ = _events()
        vigil = next(e for e in mapped if e.id == "acled:VEN9006")
        assert (D(2024, 8, 1), cm.Precision.MONTH) == (vigil.occurred_on, vigil.precision)
        assert "event_date 2024-08-15, time_precision 3 (month)" in vigil.note

    def test_filters(self):
        """--country keeps Venezuela's records; --from/--to keep the dates asked for."""
        _, _, summary = _events(country="VEN")
        assert 1 == summary.filtered
        mapped, _, summary = _events(since=D(2024, 7, 30), until=D(2024, 7, 31))
        assert [D(2024, 7, 31), D(2024, 7, 30)] == [e.occurred_on for e in mapped]

    def test_keep_unmapped(self):
        """With keep_unmapped, battles become record.reported with their code and text."""
        mapped, _, summary = _events(keep_unmapped=True)
        reported = [e for e in mapped if e.event_tag == "record.reported"]
        assert [("Battles/Armed clash", "VEN9007"), ("Riots/Mob violence", "VEN9005")] == [
            (e.code, e.record_id) for e in reported]
        assert "Synthetic: a firefight near the border." == reported[0].text
        assert 1 == reported[0].deaths_best
        assert 2 == summary.reported


class TestWrongFormat:
    def test_missing_columns_named(self, tmp_path):
        """A file lacking ACLED's columns names what is missing and what was expected."""
        with pytest.raises(InteropError) as info:
            list(read_acled(FIXTURE.parent / "ucdp_ged.csv"))
        message = str(info.value)
        assert "ucdp_ged.csv:1: not a ACLED CSV file: missing column(s) event_id_cnty" in message
        assert "expected at least event_id_cnty, event_date" in message

    def test_short_row_rejected_with_line(self, tmp_path):
        """A row with too few cells is rejected, naming its line."""
        f = tmp_path / "a.csv"
        with f.open("w", newline="", encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow(COLUMNS)
            w.writerow(["VEN1", "2024-07-29"])
        summary = ImportSummary("acled")
        assert [] == list(read_acled(f, summary=summary))
        assert {"2 columns where the header has 31": ["a.csv:2"]} == summary.rejected_examples

    def test_empty_file(self, tmp_path):
        """An empty file is an error at line 1."""
        f = tmp_path / "e.csv"
        f.write_text("", encoding="utf-8")
        with pytest.raises(InteropError, match=r"e\.csv:1: empty file"):
            list(read_acled(f))

    def test_export_tool_dates(self, tmp_path):
        """Dates written as '29 July 2024' (ACLED's export tool) are read too."""
        rows = list(csv.reader(FIXTURE.open(encoding="utf-8")))
        rows[-1][1] = "29 July 2024"
        f = tmp_path / "a.csv"
        with f.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
        dates = [e.occurred_on for e in read_acled(f) if e.event_tag == "unrest.protest"]
        assert D(2024, 7, 29) in dates
