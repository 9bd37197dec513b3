"""given/when/then specifications for tests of event types.

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced, WentIntoHiding
>>> machado = ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="machado",
...                           name="María Corina Machado", kind=cm.ActorKind.PERSON)
>>> hides = WentIntoHiding(occurred_on=dt.date(2024, 8, 1), person="machado")
>>> spec = given([machado]).when(hides).then(
...     lambda s: s.actors["machado"].whereabouts is cm.Whereabouts.IN_HIDING)
>>> spec = given([machado]).when(hides).then_rejected(rule="not-already-hiding")
Traceback (most recent call last):
...
AssertionError: expected rule 'not-already-hiding' to reject the movement.went_into_hiding event...
"""

from __future__ import annotations

import datetime as _dt
import enum
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .._event import Event
from .._frozenmap import FrozenMap
from ..errors import RuleViolation, nearest
from ..invariants import check_invariants
from ..reducer import Problem, check, evolve, registry, replay
from ..state import CrisisState

__all__ = ["Given", "Outcome", "describe_changes", "given"]

Predicate = Callable[[CrisisState], Any]

_TABLES = {"actor": "actors", "election": "elections", "offer": "offers"}
_MAX_ITEMS = 6


# -- rendering only what matters -------------------------------------------------------------


def _show(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, FrozenMap):
        items = list(value.items())
        shown = ", ".join(f"{k!r}: {_show(v)}" for k, v in items[:_MAX_ITEMS])
        more = f", ... ({len(items) - _MAX_ITEMS} more)" if len(items) > _MAX_ITEMS else ""
        return "{" + shown + more + "}"
    if attrs.has(type(value)):
        return brief(value)
    return repr(value)


def brief(record: Any) -> str:
    """``record`` (an attrs instance) with only its fields that differ from their defaults."""
    parts = []
    for f in attrs.fields(type(record)):
        value = getattr(record, f.name)
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory() if not default.takes_self else attrs.NOTHING
        if default is attrs.NOTHING or value != default:
            parts.append(f"{f.name}={_show(value)}")
    return f"{type(record).__name__}({', '.join(parts)})"


def _record_changes(where: str, old: Any, new: Any) -> list[str]:
    if old == new:
        return []
    if old is None:
        return [f"{where} added: {_show(new)}"]
    if new is None:
        return [f"{where} removed (was {_show(old)})"]
    if attrs.has(type(old)) and type(old) is type(new):
        return [
            f"{where}.{f.name}: {_show(getattr(old, f.name))} -> {_show(getattr(new, f.name))}"
            for f in attrs.fields(type(old))
            if getattr(old, f.name) != getattr(new, f.name)
        ]
    return [f"{where}: {_show(old)} -> {_show(new)}"]


def describe_changes(before: CrisisState, after: CrisisState) -> list[str]:
    """One line per record field that differs between two states (not the clock)."""
    lines: list[str] = []
    for f in attrs.fields(CrisisState):
        if f.name in ("version", "as_of"):
            continue
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old == new:
            continue
        if isinstance(old, Mapping):
            for key in dict.fromkeys([*old, *new]):
                lines += _record_changes(f"{f.name}[{key!r}]", old.get(key), new.get(key))
        else:
            lines += _record_changes(f.name, old, new)
    return lines


def relevant_state(state: CrisisState, event: Event) -> list[str]:
    """The records of ``state`` that ``event`` refers to, briefly."""
    lines = []
    for name, spec in registry.ref_fields(type(event)):
        value = getattr(event, name)
        keys = (value,) if isinstance(value, str) else (value or ())
        table = getattr(state, _TABLES.get(spec.kind, ""), None)
        for key in keys:
            if not isinstance(table, Mapping):
                lines.append(f"{spec.kind} {key!r} (field {name})")
                continue
            record = table.get(key)
            shown = brief(record) if record is not None else "not in the state"
            lines.append(f"{_TABLES[spec.kind]}[{key!r}]: {shown}")
    return list(dict.fromkeys(lines))


def _describe_predicate(fn: Predicate) -> str:
    name = getattr(fn, "__qualname__", repr(fn))
    code = getattr(fn, "__code__", None)
    if code is not None:
        name = f"{name} ({code.co_filename}:{code.co_firstlineno})"
    try:
        source = inspect.getsource(fn).strip()
    except (OSError, TypeError):
        return name
    if source.startswith(".then(") or "lambda" in source:
        start = source.find("lambda")
        if start >= 0:
            source = source[start:].rstrip(",)").strip()
    return source if len(source) < 200 else name


def _block(title: str, lines: list[str]) -> str:
    return f"\n  {title}:\n    " + "\n    ".join(lines) if lines else f"\n  {title}: none"


# -- the specification ------------------------------------------------------------------------


class Given:
    """A history to start from; :meth:`when` names the event under test."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.events: tuple[Event, ...] = tuple(getattr(events, "events", events))
        for e in self.events:
            if not isinstance(e, Event):
                raise TypeError(f"given() takes events, got {e!r}")
        self._state: CrisisState | None = None

    @property
    def state(self) -> CrisisState:
        """The state the given events replay into (strictly)."""
        if self._state is None:
            try:
                self._state = replay(self.events)
            except RuleViolation as exc:
                raise AssertionError(f"the given history is itself inadmissible: {exc}") from None
        return self._state

    def when(self, event: Event) -> Outcome:
        """Check ``event`` against the given history's state and apply it if admitted."""
        if not isinstance(event, Event):
            raise TypeError(f"when() takes one event, got {event!r}")
        return Outcome(self.state, event)


class Outcome:
    """What happened to the event under test; assert on it with :meth:`then` and friends."""

    def __init__(self, before: CrisisState, event: Event) -> None:
        self.before = before
        self.event = event
        #: What the rules found wrong with the event (empty: admitted).
        self.problems: list[Problem] = check(before, event)
        #: The state after the event, or ``None`` if the rules rejected it.
        self.after: CrisisState | None = None if self.problems else evolve(before, event)

    def _what(self) -> str:
        e = self.event
        return f"the {type(e).event_tag} event of {e.occurred_on.isoformat()}"

    def _context(self) -> str:
        return (
            f"\n  event: {brief(self.event)}"
            + _block("state it refers to (before)", relevant_state(self.before, self.event))
        )

    def then(self, *predicates: Predicate, invariants: bool = True) -> Outcome:
        """Assert that the event was admitted and each predicate holds of the state after it.

        A predicate takes the state and returns a true value, or asserts
        itself and returns ``None``.  With ``invariants=True`` every
        invariant must hold after the event too.
        """
        if self.after is None:
            raise AssertionError(
                f"expected {self._what()} to be admitted, but the rules rejected it:\n    "
                + "\n    ".join(str(p) for p in self.problems) + self._context()
            )
        after = self.after
        for predicate in predicates:
            try:
                result = predicate(after)
            except AssertionError as exc:
                exc.add_note(self._failure_context(after))
                raise
            if result is None or result:
                continue
            raise AssertionError(
                f"then: {_describe_predicate(predicate)}\n"
                f"  returned {result!r} after {self._what()}" + self._failure_context(after)
            )
        if invariants:
            broken = check_invariants(after)
            if broken:
                raise AssertionError(
                    f"invariants broken after {self._what()}:\n    "
                    + "\n    ".join(str(v) for v in broken) + self._failure_context(after)
                )
        return self

    def _failure_context(self, after: CrisisState) -> str:
        return (
            self._context()
            + _block("state it refers to (after)", relevant_state(after, self.event))
            + _block("changed by the event", describe_changes(self.before, after))
        )

    def then_rejected(self, *, rule: str | None = None) -> Outcome:
        """Assert that the rules rejected the event (by ``rule``, if given)."""
        if rule is not None:
            known = registry.rule_names(type(self.event))
            if rule not in known:
                hint = nearest(rule, known)
                raise ValueError(
                    f"{type(self.event).event_tag!r} has no rule {rule!r}"
                    + (f"; did you mean {', '.join(map(repr, hint))}?" if hint else "")
                    + f" (its rules: {', '.join(known)})"
                )
        named = f"rule {rule!r}" if rule else "the rules"
        if self.after is not None:
            raise AssertionError(
                f"expected {named} to reject {self._what()}, but it was admitted"
                + self._failure_context(self.after)
            )
        if rule is not None and rule not in {p.rule for p in self.problems}:
            raise AssertionError(
                f"expected {named} to reject {self._what()}, but it was rejected by other "
                "rules:\n    " + "\n    ".join(str(p) for p in self.problems) + self._context()
            )
        return self


def given(events: Iterable[Event] = (), /) -> Given:
    """Start a specification from a history (a list of events, or a scenario with ``.events``).

    ``given(history).when(event).then(predicate)`` asserts that ``event`` is
    admitted and ``predicate(state)`` holds afterwards;
    ``.then_rejected(rule="...")`` asserts that that rule rejects it.
    Failures show the event, the records it refers to and what it changed,
    not the whole state.
    """
    return Given(events)
