"""Tests for crisis_model._place (public as ``cm.Place``)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

import crisis_model as cm
from crisis_model.events import PeopleDetained, WentIntoHiding
from crisis_model.serialization import DecodeError, from_dict, to_dict

from .builders import D

DAY = D(2022, 7, 22)
CAMP = cm.Place("Galle Face, Colombo", country="LKA", lat=6.9271, lon=79.8449)


class TestPlace:
    def test_country_upper_cased(self):
        """A country code is stored upper-case."""
        assert "LKA" == cm.Place("Colombo", country="lka").country

    def test_str(self):
        """A place prints its name, country and coordinates."""
        assert "Galle Face, Colombo (LKA; 6.9271, 79.8449)" == str(CAMP)

    @pytest.mark.parametrize("kw", [
        {"name": " "},
        {"name": "x", "country": "XY"},
        {"name": "x", "country": "ÉÉÉ"},
        {"name": "x", "lat": 91.0, "lon": 0.0},
        {"name": "x", "lat": 0.0, "lon": -180.5},
        {"name": "x", "lat": math.nan, "lon": 0.0},
        {"name": "x", "lat": 1.0},
    ])
    def test_refuses_nonsense(self, kw):
        """Blank names, malformed countries, coordinates off the globe or half given are refused."""
        with pytest.raises(ValueError):
            cm.Place(**kw)

    def test_to_json_leaves_out_unset(self):
        """The JSON form has only the fields that are set."""
        assert {"name": "Colombo", "country": "LKA"} == cm.Place("Colombo", "LKA").to_json()


class TestSerialization:
    def test_round_trip(self):
        """An event's place survives to_dict/from_dict, unset fields left out."""
        e = PeopleDetained(occurred_on=DAY, group="protesters", count=9,
                           place=cm.Place("Galle Face, Colombo", country="LKA"))
        payload = to_dict(e)
        assert {"name": "Galle Face, Colombo", "country": "LKA"} == payload["place"]
        assert e == from_dict(payload)

    def test_old_payload_without_place(self):
        """A payload written before places existed still reads, with no place."""
        payload = {"type": "movement.went_into_hiding", "version": 1,
                   "occurred_on": "2024-08-01", "person": "machado", "sources": [], "note": "",
                   "location": None}
        assert WentIntoHiding(occurred_on=D(2024, 8, 1), person="machado") == from_dict(payload)

    def test_place_does_not_change_old_ids(self):
        """An event without a place keeps the id it had before the field existed."""
        e = WentIntoHiding(occurred_on=D(2024, 8, 1), person="machado")
        assert "h44d416c90ab0" == cm.derived_id(e)  # its id before places were added

    @pytest.mark.parametrize(("place", "path"), [
        ({"name": "x", "town": "y"}, "place"),
        ({"name": "x", "lat": "north", "lon": 1}, "place.lat"),
        ({"country": "LKA"}, "place.name"),
        ("Colombo", "place"),
    ])
    def test_malformed_place_named(self, place, path):
        """A malformed place table is refused with the field named."""
        payload = {"type": "justice.detained", "version": 1, "occurred_on": "2022-07-22",
                   "group": "protesters", "place": place}
        with pytest.raises(DecodeError) as caught:
            from_dict(payload)
        assert any(err.path.startswith(path) for err in caught.value.errors), caught.value


TOML = """\
[scenario]
id = "placed"
title = "A placed detention"

[sources.ap]
outlet = "AP"
title = "Camp cleared"
published = "2022-07-22"

[[events]]
type = "actor.introduced"
occurred_on = "2022-07-01"
actor = "protesters"
name = "Protesters"
kind = "group"

[[events]]
type = "justice.detained"
occurred_on = "2022-07-22"
group = "protesters"
count = 9
place = {name = "Galle Face, Colombo", country = "lka"}
sources = ["ap"]
"""


class TestFilesAndCli:
    def test_toml_table(self, tmp_path):
        """A scenario file gives a place as a table; it round-trips through TOML."""
        path = tmp_path / "placed.toml"
        path.write_text(TOML, encoding="utf-8")
        scenario = cm.load_scenario(str(path))
        assert cm.Place("Galle Face, Colombo", "LKA") == scenario.events[1].place
        again = tmp_path / "again.toml"
        scenario.dump(again)
        assert scenario.events == cm.load_scenario(str(again)).events

    def test_timeline_prints_place(self, tmp_path):
        """The timeline names where the event happened."""
        path = tmp_path / "placed.toml"
        path.write_text(TOML, encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "crisis_model", "timeline", str(path)],
                             capture_output=True, text=True, check=True).stdout
        assert "(place: Galle Face, Colombo (LKA))" in out.splitlines()[-1]

    def test_describe(self):
        """describe() ends with the place for any event that has one."""
        e = PeopleDetained(occurred_on=DAY, group="protesters", count=9, place=CAMP)
        assert cm.describe(e).endswith("(place: Galle Face, Colombo (LKA; 6.9271, 79.8449))")
