"""Tests for crisis_model._count: honest numbers of people."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model._count import count_or_none, to_count

from .strategies import counts


class TestConstructors:
    """Each way a report states a number keeps exactly what it said."""

    @pytest.mark.parametrize(("count", "text"), [
        (cm.Count.exact(6700), "6,700"),
        (cm.Count.at_least(800), "at least 800"),
        (cm.Count.at_most(4700), "at most 4,700"),
        (cm.Count.about(100_000), "about 100,000"),
        (cm.Count.between(300, 650), "300-650"),
        (cm.Count.between(300, 650, best=400), "300-650 (best 400)"),
        (cm.Count.unknown(), "unknown"),
    ])
    def test_str(self, count, text):
        """Printed in plain words."""
        assert text == str(count)

    @pytest.mark.parametrize(("text", "count"), [
        ("800", cm.Count.exact(800)),
        (">=800", cm.Count.at_least(800)),
        ("<=4,700", cm.Count.at_most(4700)),
        ("~100_000", cm.Count.about(100_000)),
        ("300-650", cm.Count.between(300, 650)),
        ("300 - 650 ~ 400", cm.Count.between(300, 650, best=400)),
    ])
    def test_parse(self, text, count):
        """The short written forms read back."""
        assert count == cm.Count.parse(text)

    @pytest.mark.parametrize("text", ["lots", "-5", "5-", ">=", "1e3", ""])
    def test_parse_refuses(self, text):
        """Anything else is refused with the forms it accepts."""
        with pytest.raises(ValueError, match="300-650~400"):
            cm.Count.parse(text)

    def test_never_negative(self):
        """A bound below zero is refused."""
        with pytest.raises(ValueError, match="never negative"):
            cm.Count(-1)

    def test_ordered(self):
        """low <= best <= high."""
        with pytest.raises(ValueError, match="below its low"):
            cm.Count(10, 5, 20)
        with pytest.raises(ValueError, match="below its low"):
            cm.Count(10, None, 5)

    def test_not_bool(self):
        """True is not a number of people."""
        with pytest.raises(TypeError):
            cm.Count(True)


class TestSums:
    """Sums of counts say what the reports together support."""

    def test_exact_and_range(self):
        """Exact plus a range is a range."""
        assert cm.Count(1100, 1200, 1450) == cm.Count.exact(800) + cm.Count.between(
            300, 650, best=400)

    def test_open_high(self):
        """'At least' anywhere leaves the sum open-ended."""
        assert cm.Count.at_least(1100) == cm.Count.at_least(800) + cm.Count.exact(300)

    def test_unknown(self):
        """A report with no number keeps the others' lower bound, and no upper bound."""
        assert cm.Count.at_least(5) == cm.Count.exact(5) + cm.Count.unknown()
        assert cm.Count.unknown() == cm.Count.unknown() + cm.Count.unknown()

    def test_int(self):
        """A plain int adds as an exact count."""
        assert cm.Count.exact(7) == 2 + cm.Count.exact(5)

    @given(counts(), counts())
    def test_bounds_add(self, a, b):
        """The sum's floor is the floors' sum; its high is the highs' sum when both are known."""
        total = a + b
        assert a.floor + b.floor == total.floor
        expected = None if a.high is None or b.high is None else a.high + b.high
        assert expected == total.high

    @given(counts())
    def test_json_round_trip(self, c):
        """The JSON form reads back as the same count (unknown reads as None)."""
        assert (None if c.is_unknown else c) == count_or_none(c.to_json())


class TestReading:
    """Files give counts as ints, strings or tables."""

    def test_int_is_exact(self):
        """Old files' plain integers read as exact counts."""
        assert cm.Count.exact(3) == to_count(3)

    def test_table(self):
        """A table names its bounds."""
        assert cm.Count.between(300, 650) == to_count({"low": 300, "high": 650})

    def test_table_extra_key(self):
        """A table with another key is refused, naming it."""
        with pytest.raises(ValueError, match="'most'"):
            to_count({"most": 3})

    def test_none(self):
        """No number given stays None."""
        assert None is count_or_none(None)

    def test_value(self):
        """``value`` is the exact number or None."""
        assert (5, None) == (cm.Count.exact(5).value, cm.Count.at_least(5).value)

    @given(st.integers(0, 10**9))
    def test_parse_int_text(self, n):
        """Any whole number written out reads as itself."""
        assert cm.Count.exact(n) == cm.Count.parse(f"{n:,}")
