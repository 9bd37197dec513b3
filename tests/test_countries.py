"""Tests for crisis_model.countries: the ISO 3166-1 alpha-3 table."""

from __future__ import annotations

import pytest

from crisis_model import countries


def test_every_assigned_code():
    """The table holds the 249 officially assigned alpha-3 codes, each with a name."""
    assert 249 == len(countries.COUNTRIES)
    assert all(len(c) == 3 and c.isascii() and c.isupper() for c in countries.COUNTRIES)
    assert all(name.strip() for name in countries.COUNTRIES.values())


@pytest.mark.parametrize("code, name", [
    ("VEN", "Venezuela"), ("GMB", "Gambia"), ("LKA", "Sri Lanka"), ("NER", "Niger"),
    ("SSD", "South Sudan"), ("ZWE", "Zimbabwe"), ("ALA", "Åland Islands"), ("XKX", "Kosovo"),
])
def test_names(code, name):
    """Codes give their English short names (exceptions too)."""
    assert name == countries.name(code)


def test_numeric_codes():
    """Numeric codes map to alpha-3 ones, one for one."""
    assert ("VEN", "GMB", "AFG") == (countries.NUMERIC["862"], countries.NUMERIC["270"],
                                     countries.NUMERIC["004"])
    assert set(countries.NUMERIC.values()) == set(countries.COUNTRIES)


@pytest.mark.parametrize("code", ["XYZ", "ÉÉÉ", "VE", "VENE", "ven", "", "AAA", "XKK", "UK"])
def test_refused(code):
    """Codes not in the table (and not a documented exception) are refused, named."""
    assert not countries.is_country(code)
    assert f"country {code!r} is not an ISO 3166-1 alpha-3" in countries.country_problem(code)


def test_exceptions_are_documented():
    """Every exception is accepted and says why it is one."""
    assert {"XKX"} == set(countries.EXCEPTIONS)
    assert all(countries.is_country(c) and "not assigned" in why
               for c, why in countries.EXCEPTIONS.items())


def test_normalise():
    """Blanks and case are normalised before a lookup."""
    assert "VEN" == countries.normalise(" ven ")


def test_importers_crosswalk_agrees():
    """The importers' crosswalk names only codes this table knows, and its ISO numeric
    codes are the ones ISO assigned."""
    from crisis_model.interop._countries import FIPS_TO_ISO3, GW_TO_ISO3, NUMERIC_TO_ISO3

    known = set(countries.COUNTRIES) | set(countries.EXCEPTIONS)
    named = set(FIPS_TO_ISO3.values()) | set(GW_TO_ISO3.values()) | set(NUMERIC_TO_ISO3.values())
    assert set() == named - known
    disagree = {n: c for n, c in NUMERIC_TO_ISO3.items()
                if countries.NUMERIC.get(str(n).zfill(3)) != c}
    assert {} == disagree
