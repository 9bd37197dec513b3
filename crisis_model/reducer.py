"""The pure reducer: replay, checks, waivers; and (re-exported from
:mod:`crisis_model._registry`) the registry and its decorators.

Built-in event types register themselves with exactly the decorators users
use: :func:`event_type`, :func:`handler` and :func:`rule`.  Replay is a plain
loop: a dict lookup by the event's class, the rules, then the handler.
"""

from __future__ import annotations

import datetime as _dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, overload

import attrs

from ._dates import Reading, certain_count, possible_count
from ._draft import Draft
from ._event import Event, RefSpec
from ._registry import (
    Admission,
    DraftHandler,
    Handler,
    Invariant,
    RefLookup,
    Registry,
    Rule,
    RuleResult,
    SliceView,
    _describe,
    admission,
    event_type,
    handler,
    initial_state,
    paused_gc,
    plain,
    reference_kind,
    registry,
    resume_gc,
    rule,
    shown_slices,
    state_slice,
)
from ._replace import compile_replace
from .errors import (
    CrisisModelError,
    HandlerError,
    Problem,
    RegistrationError,
    RuleViolation,
    UnhandledEventError,
    UnknownEventTypeError,
    WaiverError,
    nearest,
)
from .state import _FRESH, CrisisState

if TYPE_CHECKING:
    from .history import History

__all__ = [
    "Admission",
    "Anomaly",
    "DraftHandler",
    "Handler",
    "Invariant",
    "Problem",
    "RefLookup",
    "Registry",
    "Rule",
    "RuleResult",
    "SliceView",
    "Waived",
    "Waiver",
    "admission",
    "check",
    "event_type",
    "evolve",
    "handler",
    "initial_state",
    "paused_gc",
    "plain",
    "reference_kind",
    "registry",
    "replay",
    "rule",
    "shown_slices",
    "snapshots",
    "state_at",
    "state_slice",
    "sweep",
    "waived",
]

E = TypeVar("E", bound=Event)
T = TypeVar("T")
RuleT = TypeVar("RuleT", bound=Callable[..., Any])


@attrs.frozen
class Anomaly:
    """An event that lenient replay rejected and skipped."""

    index: int
    event: Event
    problems: tuple[Problem, ...]

    @property
    def tag(self) -> str:
        """The rejected event's type tag."""
        return type(self.event).event_tag

    def __str__(self) -> str:
        return str(RuleViolation(self.index, self.event, self.problems))


def _reason(inst: Waiver, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise WaiverError(
            f"waiver of rule {inst.rule!r}: a waiver needs a reason in words (why the rule "
            f"does not apply here), got {value!r}")


def _rule_name(inst: Waiver, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise WaiverError(f"a waiver names the rule it waives (such as 'not-holding'), "
                          f"got {value!r}")


def _position(inst: Waiver, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (value.__class__ is not int or value < 0):
        raise WaiverError(f"waiver of rule {inst.rule!r}: event is the position of one event "
                          f"in the log (an int >= 0) or None for every event, got {value!r}")


@attrs.frozen
class Waiver:
    """A named rule set aside, with the reason why (see ``docs/extending.md``).

    ``rule`` is the rule's stable name (``"not-holding"``); ``reason`` says in words
    why the rule does not apply (required); ``event`` is the position in the log of
    the one event the waiver is for, or ``None`` for every event of the log.

    >>> Waiver("not-holding", "two claimants were sworn in on the same day", event=4)
    Waiver(rule='not-holding', reason='two claimants were sworn in on the same day', event=4)
    """

    rule: str = attrs.field(validator=_rule_name)
    reason: str = attrs.field(validator=_reason)
    event: int | None = attrs.field(default=None, validator=_position)

    def __str__(self) -> str:
        scope = "every event" if self.event is None else f"event #{self.event}"
        return f"rule {self.rule!r} waived for {scope}: {self.reason}"


@attrs.frozen
class Waived:
    """A problem a :class:`Waiver` set aside: which waiver, at which event, what it said."""

    waiver: Waiver
    index: int
    event: Event
    problem: Problem


#: What ``waive=`` accepts: waivers, or a mapping of rule names to reasons (every event).
Waivers: TypeAlias = "Iterable[Waiver] | Mapping[str, str] | None"


# -- checking and applying ------------------------------------------------------------------


def _normalise(result: RuleResult, rule_name: str) -> list[Problem]:
    if result is None:
        return []
    if isinstance(result, str | Problem):
        items: Iterable[str | Problem] = (result,)
    else:
        items = result
    out = []
    for item in items:
        if isinstance(item, Problem):
            out.append(item if item.rule else attrs.evolve(item, rule=rule_name))
        else:
            out.append(Problem(str(item), rule=rule_name))
    return out


def _check_refs(
    state: Any, e: Event, refs: Sequence[tuple[str, RefSpec]]
) -> list[Problem]:
    problems = []
    kinds = registry.ref_kinds
    for field_name, spec in refs:
        value = getattr(e, field_name)
        if value is None:
            continue
        keys = (value,) if isinstance(value, str) else value
        lookup = kinds.get(spec.kind)
        if lookup is None:
            raise RegistrationError(
                f"{type(e).event_tag!r} field {field_name!r} refers to kind {spec.kind!r}, "
                "which no cm.reference_kind() registered"
            )
        seen: set[str] = set()
        for key in keys:
            exists = lookup(state, key)
            if spec.new and (exists or key in seen):
                problems.append(Problem(
                    f"{spec.kind} {key!r} was already introduced",
                    rule=f"new-{spec.kind}", field=field_name, subject=key,
                ))
            elif not spec.new and not exists:
                problems.append(Problem(
                    f"unknown {spec.kind} {key!r}: no earlier event introduced it",
                    rule=f"known-{spec.kind}", field=field_name, subject=key,
                ))
            seen.add(key)
    return problems


# -- waivers: rules set aside by name, with a reason ------------------------------------------


class _Waivers:
    """The waivers of one replay, and the problems they set aside (in ``used``).

    Consulted only when an event fails its checks, so a replay without waivers, or
    whose events all pass, pays nothing for them.
    """

    __slots__ = ("at", "everywhere", "origins", "used")

    def __init__(self, waivers: Sequence[Waiver], origins: Sequence[int] | None = None) -> None:
        self.everywhere: dict[str, Waiver] = {}
        self.at: dict[int, dict[str, Waiver]] = {}
        #: Position in the log given for each position replayed (corrections applied).
        self.origins = origins
        where = {o: k for k, o in enumerate(origins)} if origins is not None else None
        for w in waivers:
            if w.event is None:
                self.everywhere[w.rule] = w
            else:
                k = w.event if where is None else where.get(w.event)
                if k is not None:
                    self.at.setdefault(k, {})[w.rule] = w
        self.used: list[Waived] = []

    def rebased(self, origins: Sequence[int]) -> _Waivers:
        """The same waivers for the log as corrected (``origins`` maps positions back)."""
        waivers = [*self.everywhere.values(), *(w for d in self.at.values() for w in d.values())]
        return _Waivers(waivers, origins)

    def keep(self, index: int, event: Event, problems: list[Problem]) -> list[Problem]:
        """``problems`` without those a waiver sets aside (recorded in :attr:`used`)."""
        at = self.at.get(index)
        kept = []
        origin = index if self.origins is None else self.origins[index]
        for p in problems:
            w = at.get(p.rule) if at is not None else None
            if w is None:
                w = self.everywhere.get(p.rule)
            if w is None:
                kept.append(p)
            else:
                self.used.append(Waived(w, origin, event, p))
        return kept


def _waivers(waive: Waivers, events: Sequence[Event] | None = None) -> _Waivers | None:
    """Check ``waive`` and gather it for a replay (``None`` when there is nothing to waive).

    Each named rule must exist and be waivable; a waiver for one event must name a
    rule checked for that event's type.
    """
    if waive is None:
        return None
    if isinstance(waive, Mapping):
        items = [Waiver(rule, reason) for rule, reason in waive.items()]
    else:
        items = list(waive)
    if not items:
        return None
    known = registry.all_rule_names()
    seen: set[tuple[str, int | None]] = set()
    for w in items:
        if not isinstance(w, Waiver):
            raise WaiverError(f"waive= takes cm.Waiver records or a mapping of rule names to "
                              f"reasons, got {w!r}")
        if w.rule.startswith(("known-", "new-")) and w.rule not in known:
            raise WaiverError(
                f"rule {w.rule!r} cannot be waived: it checks that a referenced id exists "
                "(or is new), which the event's handler relies on")
        if w.rule not in known:
            near = nearest(w.rule, known)
            hint = f"; nearest rule names: {', '.join(near)}" if near else ""
            raise WaiverError(f"cannot waive rule {w.rule!r}: no rule of that name is "
                              f"registered{hint}")
        if (w.rule, w.event) in seen:
            scope = "every event" if w.event is None else f"event #{w.event}"
            raise WaiverError(f"rule {w.rule!r} is waived twice for {scope}")
        seen.add((w.rule, w.event))
        if w.event is not None and events is not None:
            if w.event >= len(events):
                raise WaiverError(f"waiver of rule {w.rule!r} is for event #{w.event}, but the "
                                  f"log has {len(events)} events")
            cls = type(events[w.event])
            if w.rule not in registry.rule_names(cls):
                raise WaiverError(
                    f"waiver of rule {w.rule!r} for event #{w.event}: that rule is not checked "
                    f"for {cls.event_tag!r} events (its rules: "
                    f"{', '.join(registry.rule_names(cls))})")
    return _Waivers(items)


# -- the per-class plan: what replaying one event of a class takes -------------------------
#
# Looking up the handler, the reference fields and the rules of a class, and
# walking the reference fields generically, cost more than the work itself.  A
# plan gathers them once per class (rebuilt whenever the registry changes) with a
# reference check generated for the class: a few attribute reads and lookups that
# answer "do all references resolve?".  Only when one does not is the generic
# `_check_refs` run, to say which and why.  A plan holds the handler twice: as a
# draft handler (a state-form handler behind an adapter) and as registered.

_Plan: TypeAlias = "tuple[DraftHandler | None, Callable[[CrisisState, Any], bool] | None, tuple[tuple[str, Rule], ...], Callable[..., Any] | None, bool, Callable[[Any, Any], bool]]"  # noqa: E501
_plans: dict[type, _Plan] = {}
_plans_generation = [-1]


def _adapt(fn: Handler, cls: type[Event]) -> DraftHandler:
    """A draft handler running the state-form handler ``fn``: freeze, call, start afresh."""

    def adapted(draft: Draft, event: Any) -> None:
        before = draft.freeze()
        _FRESH[0] = None
        after = fn(before, event)
        if not isinstance(after, CrisisState):
            raise _returned(cls, after, "state")
        version, as_of = draft.version, draft.as_of
        draft._reset(after)
        draft.version, draft.as_of = version, as_of

    return adapted


def _returned(cls: type[Event], value: Any, form: str) -> HandlerError:
    tag = cls.event_tag or _describe(cls)
    if form == "state":
        return HandlerError(
            f"the handler of {tag!r} returned {type(value).__name__}, not a CrisisState: a "
            "handler that writes to a draft must annotate its first parameter as cm.Draft "
            "(or be registered with form='draft')")
    return HandlerError(
        f"the handler of {tag!r} writes to a draft and must return None, but returned "
        f"{type(value).__name__}: register a handler returning a new state with form='state'")


def _refs_resolve(
    state: Any, keys: Iterable[str], lookup: RefLookup, new: bool
) -> bool:
    """Whether every id of a tuple reference field resolves (``new``: none exists, none twice)."""
    if new:
        seen: set[str] = set()
        for key in keys:
            if key in seen or lookup(state, key):
                return False
            seen.add(key)
        return True
    return all(lookup(state, key) for key in keys)


def _compile_admit(
    refs: Callable[[CrisisState, Any], bool] | None, rules: tuple[tuple[str, Rule], ...],
    cls: type[Event],
) -> Callable[[Any, Any], bool]:
    """``admit(state, event)``: whether every reference resolves and every rule returns
    ``None`` (the common case, answered without building any problem list).  The
    reference checks are inlined (one call fewer per event); the current
    :func:`admission` checks stand in for the rules they cover."""
    current = _current_admissions(cls, rules)
    if (len(current) == 1 and current[0][2]
            and {name for name, _ in current[0][0]} == {name for name, _ in rules}):
        return current[0][1]  # it answers for every rule and reference: it is the admission
    ns: dict[str, Any] = {"_refs": refs}
    lines = ["def admit(state, e):"]
    inline = _refs_lines(cls, ns) if refs is not None else []
    if inline is None:
        lines += ["    if not _refs(state, e):", "        return False"]
    else:
        lines += inline
    covered: set[str] = set()
    for i, (pairs, fast, _) in enumerate(current):
        covered.update(name for name, _ in pairs)
        ns[f"_a{i}"] = fast
        lines += [f"    if not _a{i}(state, e):", "        return False"]
    for i, (name, check_rule) in enumerate(rules):
        if name in covered:
            continue
        ns[f"_r{i}"] = check_rule
        lines += [f"    if _r{i}(state, e) is not None:", "        return False"]
    lines.append("    return True")
    exec(compile("\n".join(lines), f"<admission of {cls.__qualname__}>", "exec"), ns)
    admit: Callable[[Any, Any], bool] = ns["admit"]
    return admit


def _current_admissions(
    cls: type[Event], rules: Sequence[tuple[str, Rule]],
) -> list[tuple[tuple[tuple[str, Rule], ...], Admission, bool]]:
    """The :func:`admission` checks of ``cls`` that stand in for some of ``rules``: those
    whose covered rules are all still the class's (none replaced), none covered twice."""
    out: list[tuple[tuple[tuple[str, Rule], ...], Admission, bool]] = []
    covered: set[str] = set()
    for pairs, fast, references in registry.admissions.get(cls, ()):
        names = {name for name, _ in pairs}
        if all(pair in rules for pair in pairs) and not names & covered:
            covered |= names
            out.append((pairs, fast, references))
    return out


def _refs_lines(cls: type[Event], ns: dict[str, Any]) -> list[str] | None:
    """The body of a generated check that returns ``False`` where a reference of ``cls``
    does not resolve (and falls through where all do); ``None`` when a kind is unknown."""
    refs = registry.refs.get(cls, ())
    ns.update({"_str": str, "_many": _refs_resolve})
    lines: list[str] = []
    for i, (field_name, spec) in enumerate(refs):
        lookup = registry.ref_kinds.get(spec.kind)
        if lookup is None:  # the generic check raises the error that says so
            return None
        ns[f"_l{i}"] = lookup
        mapping = registry.ref_mappings.get(spec.kind)
        if mapping is not None:
            missing = f"v {'in' if spec.new else 'not in'} state.{mapping}"
            # a tuple of ids: each looked up inline (and, for new ids, none twice)
            many = [
                "        else:",
                f"            m = state.{mapping}",
                "            for k in v:",
                f"                if k {'in' if spec.new else 'not in'} m:",
                "                    return False",
            ]
            if spec.new:
                many += ["            if len(set(v)) != len(v):", "                return False"]
        else:
            missing = f"_l{i}(state, v)" if spec.new else f"not _l{i}(state, v)"
            many = [f"        elif not _many(state, v, _l{i}, {spec.new}):",
                    "            return False"]
        lines += [
            f"    v = e.{field_name}",
            "    if v is not None:",
            "        if v.__class__ is _str:",
            f"            if {missing}:",
            "                return False",
            *many,
        ]
    return lines


def _compile_refs(cls: type[Event]) -> Callable[[CrisisState, Any], bool] | None:
    if not registry.refs.get(cls, ()):
        return None
    ns: dict[str, Any] = {}
    body = _refs_lines(cls, ns)
    if body is None:
        return lambda state, e: False
    lines = ["def refs_resolve(state, e):", *body, "    return True"]
    exec(compile("\n".join(lines), f"<references of {cls.__qualname__}>", "exec"), ns)
    fn: Callable[[CrisisState, Any], bool] = ns["refs_resolve"]
    return fn


def _plan(cls: type[Event]) -> _Plan:
    if _plans_generation[0] != registry.generation:
        _plans.clear()
        _steps_of.clear()
        _plans_generation[0] = registry.generation
    plan = _plans.get(cls)
    if plan is None:
        if registry.types.get(cls.event_tag) is not cls:
            raise UnknownEventTypeError(cls.event_tag or _describe(cls), registry.types)
        fn = registry.handlers.get(cls)
        is_draft = registry.handler_forms.get(cls) == "draft"
        draft_fn = None if fn is None else fn if is_draft else _adapt(fn, cls)
        rules = tuple(registry.rules.get(cls, ()))
        refs = _compile_refs(cls)
        plan = (draft_fn, refs, rules, fn, is_draft, _compile_admit(refs, rules, cls))
        _plans[cls] = plan
    return plan


def _problems(state: Any, event: Event, plan: _Plan) -> list[Problem] | None:
    """What :func:`check` finds, or ``None`` (not an empty list) when the event is admissible."""
    problems: list[Problem] | None = None
    as_of = state.as_of
    # An event starting on or after the date reached cannot end before it.
    if (as_of is not None and event.occurred_on < as_of
            and event.window[1] < as_of):
        span = (event.precision.value if event.until is None
                else f"{event.precision.value}, until {event.until.isoformat()}")
        problems = [Problem(
            f"dated {event.occurred_on.isoformat()} ({span}), before "
            f"{as_of.isoformat()}, which the history has already reached",
            rule="chronology", field="occurred_on",
        )]
    refs_resolve = plan[1]
    if refs_resolve is not None and not refs_resolve(state, event):
        found = _check_refs(state, event, registry.refs.get(type(event), ()))
        if found:  # rules may assume references resolve: do not run them
            return found if problems is None else problems + found
    for rule_name, fn in plan[2]:
        try:
            result = fn(state, event)
        except Exception as exc:  # a bug in a rule: say which rule and event
            exc.add_note(f"raised by rule {rule_name!r} checking a {event.event_tag!r} event")
            raise
        if result is not None:
            found = _normalise(result, rule_name)
            if found:
                problems = found if problems is None else problems + found
    return problems


def check(state: CrisisState, event: Event, *, waive: Waivers = None) -> list[Problem]:
    """Every problem the rules find with applying ``event`` to ``state`` (empty: admissible).

    ``waive`` sets rules aside by name (see :class:`Waiver`; waivers for one event of
    a log do not apply here, only those for every event).
    """
    problems = _problems(state, event, _plan(type(event))) or []
    waivers = _waivers(waive)
    if waivers is not None and problems:
        waivers.at.clear()
        problems = waivers.keep(0, event, problems)
    return problems


def admits(state: CrisisState, event: Event) -> bool:
    """Whether ``check(state, event)`` finds nothing, answered as replay answers it: by
    the class's admission check first, the rules one by one only when it says no (for
    generators that ask of every event they make; not exported)."""
    plan = _plan(type(event))
    as_of = state.as_of
    if as_of is None or event.occurred_on >= as_of:
        try:
            if plan[5](state, event):
                return True
        except Exception:  # the rules below say what is wrong (or raise, naming the rule)
            pass
    return not _problems(state, event, plan)


def _unhandled(cls: type[Event]) -> UnhandledEventError:
    return UnhandledEventError(
        f"no handler is registered for {cls.event_tag or _describe(cls)!r}: "
        "register one with @cm.handler"
    )


_stamp = compile_replace(CrisisState, ("version", "as_of"))
_set_version = vars(CrisisState)["version"].__set__  # the slots' descriptors
_set_as_of = vars(CrisisState)["as_of"].__set__


def _apply(state: CrisisState, event: Event, plan: _Plan) -> CrisisState:
    """The state after ``event`` (admitted) is applied to ``state``, which stays as it was."""
    start = event.occurred_on
    as_of = state.as_of
    if as_of is None or start > as_of:
        as_of = start
    if plan[4]:  # a draft handler: a one-event draft
        draft = Draft(state)
        fn = plan[0]
        assert fn is not None
        result = fn(draft, event)
        if result is not None:
            raise _returned(type(event), result, "draft")
        draft.version = state.version + 1
        draft.as_of = as_of
        return draft.freeze()
    fn = plan[3]
    assert fn is not None
    _FRESH[0] = None
    new = fn(state, event)
    if not isinstance(new, CrisisState):
        raise _returned(type(event), new, "state")
    if new is _FRESH[0] and new is not state:
        # Built by a `with_*` helper during this call: only the handler has seen it.
        _set_version(new, state.version + 1)
        _set_as_of(new, as_of)
        _FRESH[0] = None
        return new
    return _stamp(new, state.version + 1, as_of)


def evolve(state: CrisisState, event: Event) -> CrisisState:
    """Apply ``event`` to ``state`` without checking rules (use only on admitted events)."""
    plan = _plan(type(event))
    if plan[3] is None:
        raise _unhandled(type(event))
    return _apply(state, event, plan)


def _run(
    events: Iterable[Event], strict: bool, draft: Draft, anomalies: list[Anomaly],
    every: int = 0, checkpoints: list[CrisisState] | None = None, start: int = 0,
    waived: _Waivers | None = None, extra: Mapping[int, list[Problem]] | None = None,
) -> None:
    """Replay ``events`` into ``draft`` (the one replay loop).

    Rejected events are raised (``strict``) or listed in ``anomalies``.  With
    ``every``, the draft is frozen into ``checkpoints`` after each ``every``-th event.
    ``start`` is the index of the first event (for messages).  ``waived`` sets
    problems aside (consulted only for an event that fails a check); ``extra`` holds
    problems found before replay, by position (``source-chronology``).
    """
    if _plans_generation[0] != registry.generation:
        _plans.clear()
        _steps_of.clear()
        _plans_generation[0] = registry.generation
    steps = _steps_of  # registering during a replay is not supported: plans hold for the loop
    view: Any = draft  # what rules read (they are typed for a CrisisState; a draft reads alike)
    index = start - 1
    for event in events:
        index += 1
        cls = type(event)  # (3.11 specialises this call; event.__class__ is a generic lookup)
        try:
            admit, handle = steps[cls]
        except KeyError:
            admit, handle = _step(cls)
        # The admissible case inline: no problem list is built unless a check fails.
        day = event.occurred_on
        as_of = draft.as_of
        if as_of is None or day >= as_of:
            try:  # the class's generated check: references, then each rule
                admitted = admit(view, event)
            except Exception:  # run again below, to say which rule raised
                admitted = False
        else:
            admitted = False
        if not admitted or (extra is not None and index in extra):
            problems = _problems(view, event, _plan(cls))  # says what is wrong, if anything
            if extra is not None and index in extra:
                problems = [*(problems or ()), *extra[index]]
            if problems and waived is not None:
                problems = waived.keep(index, event, problems)
            if problems:
                if strict:
                    raise RuleViolation(index, event, problems)
                anomalies.append(Anomaly(index, event, tuple(problems)))
                if every and (index + 1) % every == 0 and checkpoints is not None:
                    checkpoints.append(draft.freeze())
                continue
            if as_of is not None and day < as_of:  # admissible, though dated before as_of
                day = as_of  # (its window reaches the date reached, which stays)
        result = handle(draft, event)
        if result is not None:
            raise _returned(cls, result, "draft")
        draft.version += 1
        draft.as_of = day  # on or after the date reached: no second comparison
        if every and (index + 1) % every == 0 and checkpoints is not None:
            checkpoints.append(draft.freeze())


#: class -> (admission check, draft handler): what the loop needs of a plan, unpacked once.
_steps_of: dict[type, tuple[Callable[[Any, Any], bool], DraftHandler]] = {}


class _HandlerlessMet(UnhandledEventError):
    """A type registered as handled before replay (a correction, a retraction) reached
    the loop: :func:`_replay` then applies the record first and replays again."""


def _step(cls: type[Event]) -> tuple[Callable[[Any, Any], bool], DraftHandler]:
    plan = _plan(cls)
    handle = plan[0]
    if handle is None and cls in registry.handlerless:  # never a step: met, it is raised
        raise _HandlerlessMet(str(_unhandled(cls)))
    if handle is None:
        def handle(draft: Draft, event: Any) -> None:
            raise _unhandled(cls)
    step = _steps_of[cls] = (plan[5], handle)
    return step


def _steps(
    events: Iterable[Event], strict: bool, initial: CrisisState | None,
    waived: _Waivers | None = None, extra: Mapping[int, list[Problem]] | None = None,
) -> Iterator[tuple[CrisisState, Anomaly | None]]:
    """The state after each event, frozen from one draft, with the event's anomaly if any."""
    draft = Draft(initial_state() if initial is None else initial)
    anomalies: list[Anomaly] = []
    for index, event in enumerate(events):
        _run((event,), strict, draft, anomalies, start=index, waived=waived, extra=extra)
        yield draft.freeze(), (anomalies.pop() if anomalies else None)


@overload
def replay(
    events: Iterable[Event], *, strict: Literal[True] = True, initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
    waive: Waivers = None,
) -> CrisisState: ...
@overload
def replay(
    events: Iterable[Event], *, strict: Literal[False], initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
    waive: Waivers = None,
) -> tuple[CrisisState, list[Anomaly]]: ...
@overload
def replay(
    events: Iterable[Event], *, strict: bool, initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
    waive: Waivers = None,
) -> CrisisState | tuple[CrisisState, list[Anomaly]]: ...
def replay(
    events: Iterable[Event], *, strict: bool = True, initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
    waive: Waivers = None,
) -> CrisisState | tuple[CrisisState, list[Anomaly]]:
    """Replay ``events`` from ``initial`` (the empty state by default).

    Strict replay returns the final state and raises :class:`RuleViolation` at
    the first inadmissible event.  Lenient replay (``strict=False``) skips each
    inadmissible event and returns ``(state, anomalies)``.

    Corrections and retractions in the log are applied first (see
    :func:`crisis_model.record.as_known`); with ``known_on``, only what was
    recorded by that day counts (``sources``: the publication dates of the
    sources events cite), as :class:`crisis_model.History` explains.
    Positions in errors and anomalies are the log's.  With ``sources``, an event
    citing a source published before the event's window begins is rejected too
    (rule ``source-chronology``, see :func:`crisis_model.record.source_problems`).

    ``waive`` sets named rules aside, each with a reason: :class:`Waiver` records
    (for every event, or for the event at one position of the log) or a mapping
    of rule names to reasons (for every event).  :func:`waived` says what they
    set aside.

    >>> import datetime as dt
    >>> import crisis_model as cm
    >>> from crisis_model.events import ActorIntroduced, WentIntoHiding
    >>> day = dt.date(2024, 8, 1)
    >>> log = [ActorIntroduced(occurred_on=day, actor="m", name="M", kind=cm.ActorKind.PERSON),
    ...        WentIntoHiding(occurred_on=day, person="m"),
    ...        WentIntoHiding(occurred_on=day, person="m")]
    >>> cm.replay(log, waive={"not-already-hiding": "two reports of one move"}).version
    3
    """
    state, anomalies, _ = _replay(events, strict, initial, known_on, sources, waive)
    return state if strict else (state, anomalies)


def waived(
    events: Iterable[Event], waive: Waivers, *, initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
) -> list[Waived]:
    """What ``waive`` sets aside in a lenient replay of ``events``: each problem a
    waiver suppressed, with the waiver, in log order.  A waiver that appears in none
    suppresses nothing (``crisis-model validate`` reports it).

    >>> import datetime as dt
    >>> import crisis_model as cm
    >>> from crisis_model.events import ActorIntroduced, WentIntoHiding
    >>> day = dt.date(2024, 8, 1)
    >>> log = [ActorIntroduced(occurred_on=day, actor="m", name="M", kind=cm.ActorKind.PERSON),
    ...        WentIntoHiding(occurred_on=day, person="m"),
    ...        WentIntoHiding(occurred_on=day, person="m")]
    >>> [(w.index, w.problem.rule) for w in cm.waived(log, {"not-already-hiding": "twice"})]
    [(2, 'not-already-hiding')]
    """
    return _replay(events, False, initial, known_on, sources, waive)[2]


#: :class:`crisis_model.History`, which reads the record as known on a date; it is built
#: on this module, so it registers itself here when imported (``import crisis_model``
#: imports it) rather than this module importing it back.
_HISTORY: list[type[History]] = []


def _history_class() -> type[History]:
    if not _HISTORY:  # pragma: no cover - crisis_model/__init__ imports history
        raise RuntimeError("crisis_model.history is not imported: import crisis_model first")
    return _HISTORY[0]


def _replay(
    events: Iterable[Event], strict: bool, initial: CrisisState | None,
    known_on: _dt.date | None, sources: Mapping[str, Any] | None, waive: Waivers,
) -> tuple[CrisisState, list[Anomaly], list[Waived]]:
    log = events if isinstance(events, list | tuple) else tuple(events)
    waivers = _waivers(waive, log) if waive is not None else None
    if known_on is not None:  # the record as known that day: History knows how
        history = _history_class()(log, strict=strict, initial=initial, known_on=known_on,
                          sources=sources, checkpoint_every=len(log) + 1, waive=waive)
        return history.final, list(history.anomalies), history.waived
    if waivers is None and not sources:
        # Most logs hold no correction or retraction: replay at once, and look for them
        # only if one is met, or the replay fails (a later correction may fix the cause).
        try:
            return (*_replay_fresh(log, strict, initial), [])
        except _HandlerlessMet:
            pass
        except Exception:
            from .record import has_record_events

            if not has_record_events(log):
                raise
    effective, known = _effective(log)
    if waivers is not None and known is not None:
        waivers = waivers.rebased(known.origins)
    extra = _source_problems(effective, sources)
    state, anomalies = _replay_fresh(effective, strict, initial, waivers, extra, known)
    if known is not None:
        anomalies = [_anomaly_in_record(a, known) for a in anomalies]
    return state, anomalies, [] if waivers is None else waivers.used


def _replay_fresh(
    events: Iterable[Event], strict: bool, initial: CrisisState | None,
    waived: _Waivers | None = None, extra: Mapping[int, list[Problem]] | None = None,
    known: Any = None,
) -> tuple[CrisisState, list[Anomaly]]:
    """``events`` replayed into a new draft of ``initial`` (the empty state by default),
    the collector paused: the state reached and the anomalies (see :func:`_run`).  With
    ``known`` (the log as known, of which ``events`` are the effective ones), a rule
    violation names the event by its place in the record."""
    draft = Draft(initial_state() if initial is None else initial)
    anomalies: list[Anomaly] = []
    with paused_gc():
        try:
            _run(events, strict, draft, anomalies, waived=waived, extra=extra)
        except RuleViolation as exc:
            if known is None:
                raise
            raise _in_record(exc, known) from None
        return draft.freeze(), anomalies  # (still paused: freezing allocates as much as it keeps)


def _source_problems(
    events: Iterable[Event], sources: Mapping[str, Any] | None
) -> dict[int, list[Problem]] | None:
    """:func:`crisis_model.record.source_problems`, or ``None`` when there are none."""
    if not sources:
        return None
    from .record import source_problems

    return source_problems(events, sources) or None


# -- the record: corrections and retractions are applied before replay ---------------------


def _effective(events: Iterable[Event]) -> tuple[Iterable[Event], Any]:
    """``events`` as replay applies them: with corrections applied and retractions
    removed (see :func:`crisis_model.record.as_known`), and the ``KnownLog`` that maps
    positions back (``None`` when the log holds no correction or retraction)."""
    from .record import as_known, has_record_events

    log = events if isinstance(events, list | tuple) else tuple(events)
    if not has_record_events(log):
        return log, None
    known = as_known(log)
    return known.events, known


def _no_record_events(events: Iterable[Event]) -> Iterator[Event]:
    """``events``, lazily; a correction or retraction among them is an error that says
    to pass the log as a list (it changes events already yielded)."""
    from .record import RECORD_TYPES

    for event in events:
        if event.__class__ in RECORD_TYPES:
            raise CrisisModelError(
                f"a {event.event_tag} event in a log read lazily: corrections and retractions "
                "change earlier events, so pass the whole log as a list"
            )
        yield event


def _in_record(exc: RuleViolation, known: Any) -> RuleViolation:
    """``exc`` (about the effective log) as a violation of the full log: a corrected
    event's violation is its correction's."""
    k = exc.index
    by = known.corrected_by.get(k)
    if by is None:
        return RuleViolation(known.origins[k], exc.event, exc.problems)
    what = (f"as corrected by this correction, event {known.ids[known.origins[k]]!r} "
            f"(#{known.origins[k]}) breaks the rules; the correction is rejected")
    problems = [attrs.evolve(p, message=f"{p.message} ({what})") for p in exc.problems]
    return RuleViolation(by, known.source_event(by), problems)


def _anomaly_in_record(anomaly: Anomaly, known: Any) -> Anomaly:
    exc = _in_record(RuleViolation(anomaly.index, anomaly.event, anomaly.problems), known)
    return Anomaly(exc.index, exc.event, exc.problems)


@overload
def sweep(
    start: CrisisState, branches: Iterable[Iterable[Event]], *, strict: Literal[True] = True
) -> Iterator[CrisisState]: ...
@overload
def sweep(
    start: CrisisState, branches: Iterable[Iterable[Event]], *, strict: Literal[False]
) -> Iterator[tuple[CrisisState, list[Anomaly]]]: ...
@overload
def sweep(
    start: CrisisState, branches: Iterable[Iterable[Event]], *, strict: bool
) -> Iterator[CrisisState] | Iterator[tuple[CrisisState, list[Anomaly]]]: ...
def sweep(
    start: CrisisState, branches: Iterable[Iterable[Event]], *, strict: bool = True
) -> Iterator[CrisisState] | Iterator[tuple[CrisisState, list[Anomaly]]]:
    """What-if sweeps: replay each branch from the shared state ``start``, lazily.

    Yields, for each branch, the state it ends in (``strict=False``: the state and
    the branch's anomalies, indexed within the branch), as ``replay(branch,
    initial=start)`` would, but a branch costs only its own events: each starts a
    fresh draft of ``start`` (O(1): the state's maps are persistent) and freezes it
    once.  ``start`` is any state: ``cm.replay(prefix)``, a checkpoint of a
    :class:`~crisis_model.History` (``history.snapshot(i)``, or
    :meth:`History.sweep <crisis_model.History.sweep>`), or another branch's end.

    >>> import datetime as dt
    >>> import crisis_model as cm
    >>> from crisis_model.events import ActorIntroduced, LeftCountry, WentIntoHiding
    >>> fork = cm.replay([ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="m",
    ...                                   name="M", kind=cm.ActorKind.PERSON)])
    >>> later = dt.date(2024, 9, 1)
    >>> ends = cm.sweep(fork, [[WentIntoHiding(occurred_on=later, person="m")],
    ...                        [LeftCountry(occurred_on=later, person="m", to="ESP")]])
    >>> [state.actors["m"].whereabouts.value for state in ends]
    ['in_hiding', 'in_exile']
    """
    return _sweep(start, branches, strict)


def _sweep(
    start: CrisisState, branches: Iterable[Iterable[Event]], strict: bool
) -> Iterator[Any]:
    for branch in branches:
        draft = Draft(start)
        anomalies: list[Anomaly] = []
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            _run(branch, strict, draft, anomalies)
        finally:
            if was_enabled:
                resume_gc()
        end = draft.freeze()
        yield end if strict else (end, anomalies)


def snapshots(
    events: Iterable[Event], *, strict: bool = True, initial: CrisisState | None = None,
    waive: Waivers = None, sources: Mapping[str, Any] | None = None,
) -> Iterator[CrisisState]:
    """Lazily yield the state after each event (one state per event).

    With ``strict=False`` a rejected event yields the state unchanged.  A log
    holding corrections or retractions yields one state per event of the
    corrected record (see :func:`crisis_model.record.as_known`).  ``waive`` and
    ``sources``: as for :func:`replay`.
    """
    waivers = None
    extra = None
    if isinstance(events, list | tuple):
        waivers = _waivers(waive, events)
        log, known = _effective(events)
        if waivers is not None and known is not None:
            waivers = waivers.rebased(known.origins)
        extra = _source_problems(log, sources)
    else:  # read lazily: a correction needs the whole log, so it must come as a list
        waivers = _waivers(waive)
        log, known = _no_record_events(events), None
    try:
        for state, _ in _steps(log, strict, initial, waivers, extra):
            yield state
    except RuleViolation as exc:
        if known is None:
            raise
        raise _in_record(exc, known) from None


def as_of_count(events: Sequence[Event], when: _dt.date, reading: Reading = "certain") -> int:
    """How many leading events of ``events`` count as of ``when`` under ``reading``:
    ``"certain"`` (each has happened by then: its window, or a later event's, is
    over) or ``"possible"`` (each may have: its window, and every earlier one's,
    has begun).  See ``docs/concepts.md``, "Dates and the as-of reading"."""
    if reading == "certain":
        return certain_count(events, when)
    if reading == "possible":
        return possible_count(events, when)
    raise CrisisModelError(f'reading must be "certain" or "possible", got {reading!r}')


def _as_of_prefix(log: Sequence[Event], when: _dt.date, reading: Reading) -> Sequence[Event]:
    """The leading events of ``log`` that count as of ``when`` (:func:`as_of_count`):
    ``log`` itself, not a copy, when all of them do (a copy of 10^6 events touches each
    twice more, on lines no cache holds)."""
    count = as_of_count(log, when, reading)
    return log if count == len(log) else log[:count]


def state_at(
    events: Iterable[Event], when: _dt.date, *, strict: bool = True,
    initial: CrisisState | None = None, known_on: _dt.date | None = None,
    sources: Mapping[str, Any] | None = None, reading: Reading = "certain",
    waive: Waivers = None,
) -> CrisisState:
    """The state as of ``when``: every event *certain* to have happened by then.

    The log's order asserts chronology (the ``chronology`` rule keeps it
    possible), so an event has certainly happened by ``when`` once its window,
    or the window of any event after it, is over by then: a fact known only to
    the month counts once its month is over, or once a later event is.  The
    certain events are a prefix of the log, replayed in order, so the rules hold
    for them as for any log.  :func:`crisis_model.uncertain_events` lists the
    events that *may* have happened by ``when`` but are not certain;
    ``reading="possible"`` counts them too (each event whose window, and every
    earlier event's, has begun by ``when``: also a prefix).  Strict mode raises
    :class:`RuleViolation` for a contradiction in the events counted;
    ``strict=False`` skips it.

    ``known_on`` asks what the record said on that day: only the events
    recorded by then count, with the corrections and retractions recorded by
    then applied (see :func:`crisis_model.record.as_known`; ``sources`` gives
    the publication dates of the sources events cite).  Without it, the whole
    record counts, corrections included.  ``waive``: as for :func:`replay`.
    """
    from .record import as_known, has_record_events

    log = events if isinstance(events, list | tuple) else list(events)
    if known_on is not None:  # the record as known that day: History knows how
        history = _history_class()(log, strict=strict, initial=initial, known_on=known_on,
                          sources=sources, checkpoint_every=len(log) + 1, waive=waive)
        return history.state_at(when, reading=reading)
    known = None
    _waivers(waive, log)  # checked against the whole log
    if has_record_events(log):
        known = as_known(log)
        log = known.events
        waive = _rebase(waive, known.origins)
    prefix = _as_of_prefix(log, when, reading)  # one replay of what counts
    waivers = _waivers(_within(waive, len(prefix)), prefix)
    state, _ = _replay_fresh(prefix, strict, initial, waivers,
                             _source_problems(prefix, sources), known)
    return state


def _rebase(waive: Waivers, origins: Sequence[int]) -> Waivers:
    """``waive`` for the log as corrected: each one-event waiver moved to where its event is
    (dropped when its event was retracted)."""
    if waive is None or isinstance(waive, Mapping):
        return waive
    where = {o: k for k, o in enumerate(origins)}
    return [w if w.event is None else attrs.evolve(w, event=where[w.event])
            for w in waive if w.event is None or w.event in where]


def _within(waive: Waivers, n: int) -> Waivers:
    """``waive`` for the first ``n`` events of a log."""
    if waive is None or isinstance(waive, Mapping):
        return waive
    return [w for w in waive if w.event is None or w.event < n]
