"""crisis_model.interop.polecat: POLECAT tab-separated files into events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.interop import InteropError, read_polecat
from crisis_model.interop.polecat import COLUMNS

from .builders import imported

FIXTURE = Path(__file__).parent / "fixtures" / "interop" / "polecat_events.tsv"
D = dt.date


def test_columns():
    """POLECAT's 40 columns, Event ID first."""
    assert (40, "Event ID", "Version") == (len(COLUMNS), COLUMNS[0], COLUMNS[-1])


def test_fixture_maps_through_the_plover_table():
    """Categories and modes (any case) map as PLOVER's do; ACCUSE is unmapped."""
    events, summary = imported("polecat", FIXTURE)
    assert ["unrest.protest", "unrest.crackdown", "justice.detained",
            "justice.arrest_threatened"] == [e.event_tag for e in events]
    protest, crackdown, detained, threat = events
    assert ("polecat:SYN-P-0001", D(2024, 7, 30), "Caracas") == (
        protest.id, protest.recorded_on, protest.location)
    assert "venezuelan-national-guard" == crackdown.by
    assert "opposition-activists" == detained.group
    assert "maria-corina-machado" == threat.person
    assert {"ACCUSE:allege": 1} == dict(summary.unmapped)
    assert {"Event Date is not YYYY-MM-DD": ["polecat_events.tsv:7"]} == (
        summary.rejected_examples)


def test_actor_kinds_from_sectors():
    """Sectors give kinds: MIL and COP are security forces, GOV a government."""
    events = list(read_polecat(FIXTURE))
    kinds = {e.actor: e.kind for e in events if e.event_tag == "actor.introduced"}
    assert (cm.ActorKind.SECURITY_FORCES, cm.ActorKind.SECURITY_FORCES,
            cm.ActorKind.GOVERNMENT) == (kinds["venezuelan-national-guard"],
                                         kinds["venezuelan-police"],
                                         kinds["government-of-venezuela"])


def test_country_filter():
    """--country keeps the records placed in that country."""
    events, summary = imported("polecat", FIXTURE, country="BRA", keep_unmapped=True)
    assert (["ACCUSE:allege"], 4) == ([e.code for e in events], summary.filtered)


def test_wrong_format():
    """An ACLED file given as POLECAT names the missing columns."""
    with pytest.raises(InteropError, match=r"acled_venezuela_2024\.csv:1: not a POLECAT "
                       r"tab-separated file: missing column\(s\) Event ID"):
        list(read_polecat(FIXTURE.parent / "acled_venezuela_2024.csv"))
