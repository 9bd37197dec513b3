"""crisis_model.interop.ucdp: UCDP GED CSV into events, keeping ranges and uncertainty."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.interop import InteropError, read_ucdp
from crisis_model.interop.ucdp import exact_range, widen

from .builders import imported

FIXTURE = Path(__file__).parent / "fixtures" / "interop" / "ucdp_ged.csv"
D = dt.date


def _events(**options):
    return imported("ucdp", FIXTURE, **options)


def test_one_sided_government_violence_is_a_crackdown():
    """Type 3 violence by a government maps onto unrest.crackdown with the best estimate."""
    events, summary = _events()
    assert [("unrest.crackdown", 3), ("unrest.crackdown", 4), ("unrest.crackdown", 6)] == [
        (e.event_tag, e.deaths.best) for e in events]
    assert "government-of-venezuela" == events[0].by
    assert {"1": 1, "2": 1} == dict(summary.unmapped)


def test_low_and_high_are_kept():
    """low and high, and the date range, stay in the note of a mapped event."""
    events, _ = _events()
    assert "deaths low/best/high 2/3/5" in events[0].note
    assert "deaths low/best/high 4/4/9; dates 2024-08-01..2024-08-20 (date_prec 4)" in (
        events[1].note)


def test_ranges_are_kept():
    """A range is held exactly: its first day and, as until, its last."""
    events, _ = _events()
    assert [(D(2024, 7, 30), None), (D(2024, 8, 1), D(2024, 8, 20)),
            (D(2024, 7, 30), D(2024, 9, 15))] == [(e.occurred_on, e.until) for e in events]


def test_exact_range():
    """A whole calendar month or year is held at that precision; other ranges with until."""
    assert [(D(2024, 7, 1), cm.Precision.MONTH, None), (D(2024, 1, 1), cm.Precision.YEAR, None),
            (D(2023, 12, 30), cm.Precision.DAY, D(2024, 1, 2))] == [
        exact_range(D(2024, 7, 1), D(2024, 7, 31)), exact_range(D(2024, 1, 1), D(2024, 12, 31)),
        exact_range(D(2023, 12, 30), D(2024, 1, 2))]


def test_widen_across_years():
    """A range across years is held as its first day (the range is noted)."""
    assert (D(2023, 12, 30), cm.Precision.DAY, False) == widen(D(2023, 12, 30), D(2024, 1, 2))


def test_reported_records_keep_every_estimate():
    """Unmapped records become record.reported with low, best, high and the range's end."""
    events, _ = _events(keep_unmapped=True)
    reported = [e for e in events if e.event_tag == "record.reported"]
    clash = reported[0]
    assert ("2", "900004", 2, 2, 3, D(2024, 8, 6)) == (
        clash.code, clash.record_id, clash.deaths_low, clash.deaths_best, clash.deaths_high,
        clash.ends_on)


def test_country_filter_uses_gleditsch_ward():
    """--country VEN keeps the records whose country_id is Venezuela's (101)."""
    events, summary = _events(country="VEN", keep_unmapped=True)
    assert 1 == summary.filtered
    assert 4 == len(events)


def test_wrong_format():
    """An ACLED file given as UCDP names the missing columns."""
    with pytest.raises(InteropError, match=r"acled_venezuela_2024\.csv:1: not a UCDP GED CSV "
                       r"file: missing column\(s\) id, type_of_violence"):
        list(read_ucdp(FIXTURE.parent / "acled_venezuela_2024.csv"))
