"""Tests for crisis_model._event: the Event base class, precision and references."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import crisis_model as cm
from crisis_model.events import ProtestHeld, RefSpec, window

from .builders import D

P = cm.Precision


class TestEvent:
    def test_frozen(self):
        """Events cannot be changed after construction."""
        e = ProtestHeld(occurred_on=D(2024, 7, 29))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            e.note = "x"  # type: ignore[misc]

    def test_slotted_and_keyword_only(self):
        """Events are slotted and take keyword arguments only."""
        assert "__dict__" not in dir(ProtestHeld(occurred_on=D(2024, 7, 29)))
        with pytest.raises(TypeError):
            ProtestHeld(D(2024, 7, 29))  # type: ignore[misc]

    def test_sources_are_a_tuple(self):
        """Sources given as a list, or a lone string, become a tuple."""
        assert ("a", "b") == ProtestHeld(occurred_on=D(2024, 1, 1), sources=["a", "b"]).sources
        assert ("a",) == ProtestHeld(occurred_on=D(2024, 1, 1), sources="a").sources

    def test_equal_and_hashable(self):
        """Equal events compare equal and hash alike."""
        a = ProtestHeld(occurred_on=D(2024, 1, 1), size=5)
        b = ProtestHeld(occurred_on=D(2024, 1, 1), size=5)
        assert (a, hash(a)) == (b, hash(b))

    def test_month_precision_needs_first_of_month(self):
        """A month-precision date must be the 1st, and the error says which day to use."""
        with pytest.raises(ValueError, match="use 2024-11-01"):
            ProtestHeld(occurred_on=D(2024, 11, 5), precision=P.MONTH)

    def test_year_precision_needs_january_first(self):
        """A year-precision date must be 1 January."""
        with pytest.raises(ValueError, match="2024-01-01"):
            ProtestHeld(occurred_on=D(2024, 3, 1), precision=P.YEAR)

    def test_datetime_is_not_a_date(self):
        """A datetime is refused: events are dated by day."""
        with pytest.raises(TypeError, match=r"datetime\.date"):
            ProtestHeld(occurred_on=dt.datetime(2024, 1, 1))

    def test_precision_must_be_enum(self):
        """A string precision is refused (scenario files convert it)."""
        with pytest.raises(TypeError, match="Precision"):
            ProtestHeld(occurred_on=D(2024, 1, 1), precision="day")  # type: ignore[arg-type]


class TestWindow:
    @pytest.mark.parametrize(
        ("day", "precision", "expected"),
        [
            (D(2024, 8, 11), P.DAY, (D(2024, 8, 11), D(2024, 8, 11))),
            (D(2024, 2, 1), P.MONTH, (D(2024, 2, 1), D(2024, 2, 29))),
            (D(2024, 11, 1), P.MONTH, (D(2024, 11, 1), D(2024, 11, 30))),
            (D(2024, 1, 1), P.YEAR, (D(2024, 1, 1), D(2024, 12, 31))),
        ],
    )
    def test_window(self, day, precision, expected):
        """The window spans the days the event may have happened on."""
        assert expected == window(day, precision)
        assert expected == ProtestHeld(occurred_on=day, precision=precision).window


class TestRef:
    def test_metadata(self):
        """ref() records its kind and whether it introduces the id."""

        @attrs.frozen(kw_only=True)
        class X:
            a: str = cm.ref("actor", new=True)
            b: str | None = cm.ref("election", default=None)

        fields = attrs.fields(X)
        assert RefSpec("actor", True) == fields.a.metadata["crisis_model.ref"]
        assert RefSpec("election", False) == fields.b.metadata["crisis_model.ref"]
        assert None is X(a="x").b


class TestRecordFields:
    def test_defaults(self):
        """Without them, an event has no id and no recorded date, at day precision."""
        e = ProtestHeld(occurred_on=D(2024, 7, 29))
        assert (None, None, P.DAY) == (e.id, e.recorded_on, e.recorded_precision)

    def test_kept(self):
        """An id and a recorded date, with its precision, are kept as given."""
        e = ProtestHeld(occurred_on=D(2024, 7, 29), id="acled:VEN123",
                        recorded_on=D(2024, 8, 1), recorded_precision=P.MONTH)
        assert ("acled:VEN123", D(2024, 8, 1), P.MONTH) == (
            e.id, e.recorded_on, e.recorded_precision)

    @pytest.mark.parametrize("bad", ["", " x", "a b", "é", "x" * 201, "-lead"])
    def test_bad_id(self, bad):
        """Ids are 1-200 letters, digits and _ - . : / #, not starting with punctuation."""
        with pytest.raises(ValueError, match="id"):
            ProtestHeld(occurred_on=D(2024, 7, 29), id=bad)

    def test_id_must_be_text(self):
        """A number is not an id."""
        with pytest.raises(TypeError, match="id must be a string"):
            ProtestHeld(occurred_on=D(2024, 7, 29), id=5)  # type: ignore[arg-type]

    def test_recorded_on_is_a_date(self):
        """recorded_on is a datetime.date, never a datetime."""
        with pytest.raises(TypeError, match="recorded_on"):
            ProtestHeld(occurred_on=D(2024, 7, 29), recorded_on=dt.datetime(2024, 8, 1))

    @pytest.mark.parametrize(("day", "precision", "hint"), [
        (D(2024, 8, 5), P.MONTH, "2024-08-01"), (D(2024, 8, 1), P.YEAR, "2024-01-01")])
    def test_recorded_precision_dates(self, day, precision, hint):
        """A record date known to the month (year) is the 1st (1 January)."""
        with pytest.raises(ValueError, match=hint):
            ProtestHeld(occurred_on=D(2024, 7, 29), recorded_on=day, recorded_precision=precision)

    def test_recorded_precision_needs_a_date(self):
        """A record precision without a record date is refused."""
        with pytest.raises(ValueError, match="without recorded_on"):
            ProtestHeld(occurred_on=D(2024, 7, 29), recorded_precision=P.MONTH)
