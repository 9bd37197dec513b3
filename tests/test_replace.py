"""Tests for crisis_model._replace: the generated replace for slotted frozen records."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisis_model._replace import compile_make, compile_replace, replace
from crisis_model.state import ActorKind, ActorState, CrisisState, Whereabouts


@attrs.frozen
class Point:
    x: int
    y: int = attrs.field(default=0, converter=int)


def test_replace_equals_attrs_evolve():
    """replace gives what attrs.evolve gives."""
    actor = ActorState(id="a", name="A", kind=ActorKind.PERSON)
    expected = attrs.evolve(actor, whereabouts=Whereabouts.IN_HIDING, location="x")
    assert expected == replace(actor, whereabouts=Whereabouts.IN_HIDING, location="x")


def test_converters_of_changed_fields_run():
    """A changed field goes through its converter (here: a mapping becomes a FrozenMap)."""
    state = replace(CrisisState(), actors={})
    assert "FrozenMap" == type(state.actors).__name__
    assert Point(1, 5) == compile_replace(Point, ("y",))(Point(1, 2), "5")


def test_original_untouched():
    """The original record keeps its values."""
    p = Point(1, 2)
    replace(p, x=9)
    assert Point(1, 2) == p


def test_unknown_field():
    """An unknown field name is a TypeError naming it."""
    with pytest.raises(TypeError, match="no field 'z'"):
        replace(Point(1), z=3)


def test_field_named_twice():
    """A field named twice is refused when compiling."""
    with pytest.raises(TypeError, match="named twice"):
        compile_replace(Point, ("x", "x"))


@given(st.integers(), st.integers(), st.sampled_from([(), ("x",), ("y",), ("y", "x")]))
def test_any_subset_of_fields(x, y, names):
    """Changing any subset of fields, in any order, matches attrs.evolve."""
    values = {"x": y, "y": x}
    changes = {n: values[n] for n in names}
    assert attrs.evolve(Point(x, y), **changes) == replace(Point(x, y), **changes)


def test_validators_of_changed_fields_run():
    """A changed field is validated as attrs.evolve would validate it."""

    @attrs.frozen
    class Count:
        n: int = attrs.field(validator=attrs.validators.ge(0))

    with pytest.raises(ValueError, match="must be >= 0"):
        replace(Count(1), n=-1)


def test_post_init_and_dict_classes_go_through_evolve():
    """Classes with __attrs_post_init__ or without slots get attrs.evolve's result."""

    @attrs.frozen
    class Doubled:
        n: int
        twice: int = 0

        def __attrs_post_init__(self) -> None:
            object.__setattr__(self, "twice", 2 * self.n)

    @attrs.frozen(slots=False)
    class Plain:
        n: int

    assert (Doubled(3, 6), Plain(4)) == (replace(Doubled(1), n=3), replace(Plain(1), n=4))


def test_public_name():
    """The same function is public as cm.replace."""
    import crisis_model as cm

    assert replace is cm.replace


def test_state_records_copy_through_a_twin():
    """Slotted records are filled as a twin (a subclass adding no slots, with plain stores)
    and come out as themselves; a record with a ``__dict__`` has no twin."""
    from crisis_model._replace import _twin

    actor = ActorState(id="a", name="A", kind=ActorKind.PERSON)
    moved = replace(actor, location="Madrid")
    assert (ActorState, "Madrid", None) == (type(moved), moved.location, actor.location)
    twin = _twin(ActorState)
    assert twin is not None
    assert ((ActorState,), (), object.__setattr__) == (
        twin.__bases__, twin.__dict__["__slots__"], twin.__dict__["__setattr__"])
    assert _twin(Point) is not None  # attrs' default __weakref__ slot: the same layout
    assert (Point, Point(1, 5)) == (type(replace(Point(1, 2), y=5)), replace(Point(1, 2), y=5))

    @attrs.frozen(slots=False)
    class Plain:
        n: int

    @attrs.frozen
    class Made:
        n: int

        def __new__(cls, *args: object, **kwargs: object) -> Made:
            return super().__new__(cls)

    assert (None, None) == (_twin(Plain), _twin(Made))
    assert (Made, 2) == (type(replace(Made(1), n=2)), replace(Made(1), n=2).n)


def test_copied_record_stays_frozen():
    """A copy made through the twin is as frozen as any other."""
    moved = replace(ActorState(id="a", name="A", kind=ActorKind.PERSON), location="x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        moved.location = "y"  # type: ignore[misc]


def _positive(inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be positive")


@attrs.frozen(weakref_slot=False)
class Entry:
    n: int = attrs.field(validator=_positive)
    label: str = attrs.field(default="x", converter=str)
    tags: tuple[str, ...] = attrs.field(factory=tuple)


@given(st.integers(1, 10**6), st.integers(), st.lists(st.text(max_size=3), max_size=3))
def test_make_equals_the_class(n: int, label: int, tags: list[str]) -> None:
    """compile_make builds what the class builds, by position or keyword, defaults filled."""
    make = compile_make(Entry)
    assert Entry(n, label, tuple(tags)) == make(n, label, tuple(tags))
    assert Entry(n) == make(n)
    assert Entry(n, tags=tuple(tags)) == make(n, tags=tuple(tags))
    assert Entry is type(make(n))


def test_make_runs_validators_and_stays_frozen():
    """A made record is validated and as frozen as one built by its class."""
    make = compile_make(Entry)
    with pytest.raises(ValueError, match="n must be positive"):
        make(0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        make(1).n = 2  # type: ignore[misc]


def test_make_falls_back_to_the_class():
    """A class with __attrs_post_init__ or without slots is its own constructor; a
    weakref slot is no obstacle."""

    @attrs.frozen
    class Later:
        n: int

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.frozen(slots=False)
    class Loose:
        n: int

    assert (Later, Loose) == (compile_make(Later), compile_make(Loose))
    made = compile_make(Point)(1, 2)
    assert (Point, Point(1, 2)) == (type(made), made)
