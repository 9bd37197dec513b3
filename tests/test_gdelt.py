"""crisis_model.interop.gdelt: GDELT 2.0 event tables into events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crisis_model.interop import ImportSummary, InteropError, read_gdelt
from crisis_model.interop.gdelt import COLUMNS

from .builders import imported

FIXTURE = Path(__file__).parent / "fixtures" / "interop" / "gdelt_events.export.CSV"
D = dt.date


def _events(**options):
    return imported("gdelt", FIXTURE, **options)


def test_columns():
    """The table has GDELT 2.0's 61 columns, DATEADDED and SOURCEURL last."""
    assert (61, ("DATEADDED", "SOURCEURL")) == (len(COLUMNS), COLUMNS[-2:])


def test_codes_map_as_strings():
    """CAMEO codes stay strings: 0841 (release) keeps its zero; 14x are protests."""
    events, summary = _events()
    assert [("unrest.protest", "141"), ("justice.detained", "173"),
            ("unrest.crackdown", "175"), ("justice.released", "0841"),
            ("unrest.protest", "145")] == [
                (e.event_tag, _code(e)) for e in events]
    assert {"051": 1, "1041": 1} == dict(summary.unmapped)


def _code(e):
    return {"1190000001": "141", "1190000002": "173", "1190000003": "175",
            "1190000007": "145", "1190000005": "0841"}[e.id.removeprefix("gdelt:")]


def test_recorded_date_and_url():
    """GLOBALEVENTID is the event id, DATEADDED the recorded date; SOURCEURL is kept."""
    events, _ = _events()
    assert ("gdelt:1190000001", D(2024, 7, 30), "https://example.org/synthetic/protest-1") == (
        events[0].id, events[0].recorded_on, events[0].note)


def test_fips_country_filter():
    """Places are FIPS-coded (US, BR): --country USA keeps only the record in the US."""
    events, summary = _events(country="USA", keep_unmapped=True)
    assert ["051"] == [e.code for e in events]
    assert 6 == summary.filtered


def test_wrong_format():
    """A CSV with a header is not a GDELT table: the expected columns are named, line 1."""
    with pytest.raises(InteropError, match=r"acled_venezuela_2024\.csv:1: not a GDELT 2\.0 "
                       r"event file: expected 61 tab-separated columns"):
        list(read_gdelt(FIXTURE.parent / "acled_venezuela_2024.csv"))


def test_bad_date_on_a_later_line(tmp_path):
    """A later line with a bad SQLDATE is rejected with its line."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[1] = "2024-07-30"
    f = tmp_path / "g.CSV"
    f.write_text("\n".join([lines[0], "\t".join(cells)]) + "\n", encoding="utf-8")
    summary = ImportSummary("gdelt")
    list(read_gdelt(f, summary=summary))
    assert {"SQLDATE is not YYYYMMDD": ["g.CSV:2"]} == summary.rejected_examples


def test_fips_crosswalk():
    """Every FIPS code GDELT uses is either translated to an ISO alpha-3 code or listed as
    having none; the Palestinian territories share PSE."""
    from crisis_model.interop._countries import FIPS_NO_ISO3, FIPS_TO_ISO3

    assert (247, 30, set()) == (len(FIPS_TO_ISO3), len(FIPS_NO_ISO3),
                                FIPS_NO_ISO3 & set(FIPS_TO_ISO3))
    assert all(len(k) == 2 and k.isupper() and len(v) == 3 and v.isupper()
               for k, v in FIPS_TO_ISO3.items())
    assert ("VEN", "ESP", "CHE", "PSE", "PSE") == tuple(
        FIPS_TO_ISO3[c] for c in ("VE", "SP", "SZ", "GZ", "WE"))


@pytest.mark.parametrize(("code", "tag", "field", "value"), [
    ("1723", "emergency.declared", "kind", "curfew"),
    ("163", "sanctions.imposed", None, None),
    ("116", "justice.convicted", None, None),
])
def test_codes_for_the_families(tmp_path, code, tag, field, value):
    """CAMEO curfews, sanctions and convictions map onto the built-in families' types."""
    line = FIXTURE.read_text(encoding="utf-8").splitlines()[1].split("\t")
    for column in ("EventCode", "EventBaseCode", "EventRootCode"):
        cut = {"EventCode": None, "EventBaseCode": 3, "EventRootCode": 2}[column]
        line[COLUMNS.index(column)] = code[:cut]
    path = tmp_path / "one.export.CSV"
    path.write_text("\t".join(line) + "\n", encoding="utf-8")
    events, _ = imported("gdelt", path)
    assert [tag] == [e.event_tag for e in events]
    if field is not None:
        assert value == getattr(events[0], field).value
