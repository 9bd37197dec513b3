"""Tests for crisis_model.serialization: lossless, strict payloads."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    ElectionDeclared,
    OfficeVacated,
    PrisonersReleased,
)
from crisis_model.serialization import DecodeError, FieldError, from_dict, make_converter, to_dict

from .builders import D
from .strategies import events

DECLARED = ElectionDeclared(
    occurred_on=D(2024, 7, 29), election="ve", authority="cne", winner="maduro",
    shares={"maduro": 52.0, "gonzalez": 44.2}, sources=("a", "b"), note="n",
)


def payload(**changes):
    """A valid election.declared payload with ``changes`` applied."""
    d = to_dict(DECLARED)
    d.update(changes)
    return d


class TestToDict:
    def test_shape(self):
        """Payloads carry type and version first, then JSON-able fields."""
        expected = {
            "type": "election.declared", "version": 1, "occurred_on": "2024-07-29",
            "precision": "day", "sources": ["a", "b"], "note": "n", "election": "ve",
            "authority": "cne", "winner": "maduro",
            "shares": {"maduro": 52.0, "gonzalez": 44.2},
        }
        actual = to_dict(DECLARED)
        assert expected == actual
        assert ["type", "version"] == list(actual)[:2]

    def test_json_able(self):
        """A payload survives a JSON round trip and still decodes to the same event."""
        assert DECLARED == from_dict(json.loads(json.dumps(to_dict(DECLARED))))

    @pytest.mark.parametrize("event", [
        DECLARED,
        ActorIntroduced(occurred_on=D(2024, 1, 1), precision=cm.Precision.YEAR, actor="m",
                        name="M", kind=cm.ActorKind.PERSON, country="VEN", offices=("p",)),
        PrisonersReleased(occurred_on=D(2024, 11, 1), precision=cm.Precision.MONTH, group="g",
                          count=225, conditional=True, conditions=("monthly hearing",)),
        OfficeVacated(occurred_on=D(2025, 1, 1), person="m", office="p",
                      reason=cm.VacatedReason.RESIGNED),
    ])
    def test_round_trip(self, event):
        """from_dict(to_dict(e)) == e, with tuples, dates, enums and mappings intact."""
        back = from_dict(to_dict(event))
        assert event == back
        assert type(event.sources) is type(back.sources)

    def test_unregistered_class(self):
        """Only registered event types serialise."""
        with pytest.raises(cm.CrisisModelError, match="not a registered"):
            to_dict(cm.Event(occurred_on=D(2024, 1, 1)))


class TestFromDict:
    def test_unknown_tag_names_nearest(self):
        """An unknown tag is an error listing the nearest known tags."""
        with pytest.raises(cm.UnknownEventTypeError) as info:
            from_dict(payload(type="election.declard"))
        assert "election.declared" == info.value.suggestions[0]
        assert "nearest known tags: election.declared" in str(info.value)

    def test_missing_type(self):
        """A payload without a type tag is refused."""
        with pytest.raises(DecodeError, match="type tag"):
            from_dict({"occurred_on": "2024-01-01"})

    @pytest.mark.parametrize(("changes", "expected"), [
        ({"occurred_on": "2024-13-01"},
         [FieldError("occurred_on", "expected a date as YYYY-MM-DD, got '2024-13-01'")]),
        ({"election": 5}, [FieldError("election", "expected a string, got int 5")]),
        ({"shares": {"maduro": "52%"}},
         [FieldError("shares.maduro", "expected a number, got str '52%'")]),
        ({"sources": "a"}, [FieldError("sources", "expected a list, got str 'a'")]),
        ({"winer": "x"}, [FieldError("", "unknown field(s): winer")]),
        ({"precision": "week"},
         [FieldError("precision", "'week' is not a valid value of Precision")]),
    ])
    def test_field_errors(self, changes, expected):
        """Each wrong field is named with what was expected; nothing is coerced."""
        with pytest.raises(DecodeError) as info:
            from_dict(payload(**changes))
        assert expected == info.value.errors

    def test_missing_field(self):
        """A missing required field is named."""
        d = payload()
        del d["winner"]
        with pytest.raises(DecodeError) as info:
            from_dict(d)
        assert [FieldError("winner", "required field missing")] == info.value.errors

    def test_int_is_not_truncated(self):
        """A fractional count is an error, not silently truncated."""
        d = to_dict(PrisonersReleased(occurred_on=D(2024, 1, 1), group="g", count=3))
        d["count"] = 3.7
        with pytest.raises(DecodeError, match="whole number"):
            from_dict(d)

    def test_validator_errors_are_decode_errors(self):
        """A class validator's complaint (month precision on the 5th) is a DecodeError."""
        with pytest.raises(DecodeError, match="dated on the 1st"):
            from_dict(payload(precision="month"))

    def test_newer_version(self):
        """A payload version other than the registered one is a clear error."""
        with pytest.raises(DecodeError, match="version"):
            from_dict(payload(version=99))

    def test_toml_dates(self):
        """Native date objects (as TOML gives them) are accepted."""
        assert DECLARED == from_dict(payload(occurred_on=D(2024, 7, 29)))


class TestConverter:
    def test_fresh_converter(self):
        """make_converter() builds an independent converter usable with to/from_dict."""
        c = make_converter()
        assert DECLARED == from_dict(to_dict(DECLARED, converter=c), converter=c)


class TestRoundTripProperty:
    @pytest.mark.parametrize("tag", cm.registry.tags())
    @given(data=st.data())
    def test_every_registered_type(self, tag, data):
        """from_dict(to_dict(e)) == e for generated events of every registered type, via JSON."""
        event = data.draw(events(types=[cm.registry.type_for(tag)]))
        payload = to_dict(event)
        assert event == from_dict(payload)
        assert event == from_dict(json.loads(json.dumps(payload)))
