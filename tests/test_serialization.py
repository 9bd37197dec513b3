"""Tests for crisis_model.serialization: lossless, strict payloads."""

from __future__ import annotations

import gc
import json
from types import MappingProxyType

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    ElectionDeclared,
    OfficeVacated,
    PrisonersReleased,
)
from crisis_model.serialization import (
    DecodeError,
    FieldError,
    from_dict,
    from_dicts,
    make_converter,
    to_dict,
    to_dicts,
)

from .builders import D
from .strategies import events, mixed_logs, recorded_logs

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
            "shares": {"maduro": 52.0, "gonzalez": 44.2}, "seats": {},
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
        with pytest.raises(DecodeError, match=r"count: cannot read 3\.7 as a count"):
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

    @settings(max_examples=40)
    @given(log=recorded_logs(max_size=15))
    def test_ids_and_recorded_dates_lossless(self, log):
        """Ids, recorded dates and their precision survive to_dict, JSON, the stores' text
        writer and from_dict; absent ones stay absent."""
        from crisis_model.serialization import _payload_text

        texts = [_payload_text(e) for e in log]
        assert texts == [json.dumps(to_dict(e), ensure_ascii=False, separators=(",", ":"))
                         for e in log]
        assert log == [from_dict(json.loads(t)) for t in texts]
        assert [e.id is None for e in log] == ['"id":' not in t for t in texts]
        assert [e.recorded_on is None for e in log] == ['"recorded_on":' not in t for t in texts]


# -- bulk decoding and the fast path ---------------------------------------------------------

#: JSON-able values a wrong payload may hold in place of a field's.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False)
    | st.text(max_size=5) | st.sampled_from(["2024-07-01", "day", "month", "person"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                  max_size=2),
    max_leaves=4,
)


def outcome(data, **kw):
    """``("ok", event)`` or ``("error", exception class, DecodeError errors or message)``."""
    try:
        return ("ok", from_dict(data, **kw))
    except DecodeError as exc:
        return ("error", DecodeError, exc.errors)
    except cm.CrisisModelError as exc:
        return ("error", type(exc), str(exc))


class TestFromDicts:
    def test_many(self):
        """from_dicts decodes a list of payloads in order."""
        events = [DECLARED, PrisonersReleased(occurred_on=D(2024, 11, 1), group="g", count=3)]
        assert events == from_dicts([to_dict(e) for e in events])

    def test_generator(self):
        """Payloads may come from a generator (parsed lines, say)."""
        lines = [json.dumps(to_dict(DECLARED))] * 3
        assert [DECLARED] * 3 == from_dicts(json.loads(line) for line in lines)

    def test_to_dicts(self):
        """to_dicts is to_dict of each event."""
        assert [to_dict(DECLARED)] * 2 == to_dicts([DECLARED, DECLARED])

    def test_empty(self):
        """No payloads, no events."""
        assert [] == from_dicts([])

    def test_error_names_position(self):
        """A bad payload raises from_dict's error, with a note naming its position."""
        with pytest.raises(DecodeError) as info:
            from_dicts([to_dict(DECLARED), payload(election=5)])
        assert [FieldError("election", "expected a string, got int 5")] == info.value.errors
        assert ["decoding payload #1"] == info.value.__notes__

    def test_odd_tags_and_versions_take_the_full_path(self):
        """A non-string tag, or a version given as a bool, gets from_dict's own error."""
        good = to_dict(DECLARED)
        with pytest.raises(DecodeError, match="type"):
            from_dicts([good, {**good, "type": ["election.declared"]}])
        with pytest.raises(DecodeError, match="version"):
            from_dicts([{**good, "version": True}])

    def test_gc_restored_after_error(self):
        """The garbage collector is enabled again after a failed decode."""
        assert gc.isenabled()
        with pytest.raises(cm.UnknownEventTypeError):
            from_dicts([to_dict(DECLARED), payload(type="nope.nope")])
        assert gc.isenabled()

    def test_gc_paused_while_decoding(self):
        """The collector is paused while the payloads are read, then enabled again."""
        seen = []

        def payloads():
            seen.append(gc.isenabled())
            yield to_dict(DECLARED)

        from_dicts(payloads())
        assert ([False], True) == (seen, gc.isenabled())

    def test_gc_left_disabled(self):
        """A collector the caller had disabled stays disabled."""
        gc.disable()
        try:
            from_dicts([to_dict(DECLARED)])
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_converter(self):
        """A given converter is used for every payload."""
        assert [DECLARED] == from_dicts([to_dict(DECLARED)], converter=make_converter())

    @given(log=mixed_logs)
    def test_round_trip_property(self, log):
        """from_dicts(to_dicts(log)) == log, also through JSON."""
        assert log == from_dicts(to_dicts(log))
        assert log == from_dicts(json.loads(json.dumps(to_dicts(log))))


class TestFastPath:
    """from_dict takes a generated per-type path; it must agree with the converter's own hook."""

    def test_boolean_version_refused(self):
        """version: true is not version 1."""
        with pytest.raises(DecodeError, match="whole number"):
            from_dict(payload(version=True))

    def test_missing_version_is_current(self):
        """A payload without a version is read at the registered version."""
        d = payload()
        del d["version"]
        assert DECLARED == from_dict(d)

    def test_other_mappings(self):
        """A read-only mapping decodes like a dict."""
        assert DECLARED == from_dict(MappingProxyType(payload()))

    def test_registry_change_seen(self):
        """A type registered in a scope decodes there and is unknown once the scope ends."""
        with cm.registry.scoped():

            @cm.event_type("test.noted")
            @attrs.frozen(kw_only=True)
            class Noted(cm.Event):
                what: str

            d = {"type": "test.noted", "version": 1, "occurred_on": "2024-07-01", "what": "x"}
            assert Noted(occurred_on=D(2024, 7, 1), what="x") == from_dict(d)
        with pytest.raises(cm.UnknownEventTypeError):
            from_dict(d)

    def test_default_taking_self(self):
        """A type with a default computed from the instance decodes (by the converter's hook)."""
        with cm.registry.scoped():

            @cm.event_type("test.labelled")
            @attrs.frozen(kw_only=True)
            class Labelled(cm.Event):
                what: str
                label: str = attrs.field(
                    default=attrs.Factory(lambda self: self.what.upper(), takes_self=True))

            d = {"type": "test.labelled", "version": 1, "occurred_on": "2024-07-01", "what": "x"}
            assert "X" == from_dict(d).label

    def test_attrs_converters_run(self):
        """Field converters run on the fast path (country codes are upper-cased)."""
        d = to_dict(ActorIntroduced(occurred_on=D(2024, 1, 1), actor="m", name="M",
                                    kind=cm.ActorKind.PERSON, country="VEN"))
        d["country"] = "ven"
        assert "VEN" == from_dict(d).country

    def test_str_subclass(self):
        """A str subclass where a string is expected is accepted, as the converter does."""

        class Tag(str):
            pass

        assert "ve" == from_dict(payload(election=Tag("ve"))).election

    @pytest.mark.parametrize("tag", cm.registry.tags())
    @given(data=st.data())
    def test_agrees_with_converter(self, tag, data):
        """For payloads with a key dropped, added or changed, the result (event or errors)
        equals the one the converter's own hook gives."""
        event = data.draw(events(types=[cm.registry.type_for(tag)]))
        d = json.loads(json.dumps(to_dict(event)))
        keys = [k for k in d if k not in ("type", "version")]
        how = data.draw(st.sampled_from(["keep", "drop", "add", "change"]))
        if how == "drop":
            del d[data.draw(st.sampled_from(keys))]
        elif how == "add":
            d[data.draw(st.sampled_from(["extra", "Note", "winer"]))] = data.draw(json_values)
        elif how == "change":
            d[data.draw(st.sampled_from(keys))] = data.draw(json_values)
        assert outcome(d, converter=make_converter()) == outcome(d)


class TestBuiltWithoutInit:
    """The generated decoders fill an instance's slots instead of calling ``__init__``."""

    @pytest.mark.parametrize("tag", cm.registry.tags())
    @settings(max_examples=10)
    @given(data=st.data())
    def test_same_instance_as_init(self, tag, data):
        """A decoded event is of the registered class itself, frozen, and equal (hash too)
        to the one ``__init__`` builds from the same fields."""
        event = data.draw(events(types=[cm.registry.type_for(tag)]))
        decoded = from_dicts([json.loads(json.dumps(to_dict(event)))])[0]
        rebuilt = type(event)(**{f.alias: getattr(event, f.name)
                                 for f in attrs.fields(type(event)) if f.init})
        assert (type(event), rebuilt, hash(rebuilt)) == (type(decoded), decoded, hash(decoded))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            decoded.note = "changed"  # type: ignore[misc]

    def test_user_validators_and_post_init_run(self):
        """A user type's validators and ``__attrs_post_init__`` run on decoding; a refused
        value is a DecodeError naming what is wrong."""
        with cm.registry.scoped():

            def _positive(inst, attribute, value):
                if value <= 0:
                    raise ValueError(f"{attribute.name} must be positive, got {value}")

            @cm.event_type("test.counted")
            @attrs.frozen(kw_only=True)
            class Counted(cm.Event):
                n: int = attrs.field(validator=_positive)

            @cm.event_type("test.posted")
            @attrs.frozen(kw_only=True)
            class Posted(cm.Event):
                what: str
                seen: list[str] = attrs.field(factory=list, init=False)

                def __attrs_post_init__(self):
                    self.seen.append(self.what)

            base = {"version": 1, "occurred_on": "2024-07-01"}
            good = {"type": "test.counted", **base, "n": 2}
            bad = {"type": "test.counted", **base, "n": 0}
            assert [Counted(occurred_on=D(2024, 7, 1), n=2)] == from_dicts([good])
            with pytest.raises(DecodeError, match="n must be positive, got 0"):
                from_dicts([good, bad])
            posted = from_dicts([{"type": "test.posted", **base, "what": "x"}])[0]
            assert ["x"] == posted.seen

    def test_base_validators_still_run(self):
        """Checks that tie fields together still run: a month-precision date off the 1st,
        an id of forbidden characters, a ``until`` before the date."""
        d = to_dict(ActorIntroduced(occurred_on=D(2024, 1, 1), actor="m", name="M",
                                    kind=cm.ActorKind.PERSON))
        for change, words in (({"occurred_on": "2024-01-05", "precision": "month"}, "1st"),
                              ({"id": "no spaces"}, "must be 1-200"),
                              ({"until": "2023-12-01"}, "until")):
            with pytest.raises(DecodeError, match=words):
                from_dicts([{**d, **change}])

    def test_counts_shared_but_checked(self):
        """Equal exact counts decode to equal values; a negative or boolean count is refused."""
        from crisis_model.events import ProtestHeld

        e = ProtestHeld(occurred_on=D(2024, 7, 1), size=cm.Count.exact(800))
        a, b = from_dicts([to_dict(e), to_dict(e)])
        assert (e, e) == (a, b)
        for wrong in (-1, True):
            with pytest.raises(DecodeError, match="size"):
                from_dicts([{**to_dict(e), "size": wrong}])
