"""The registry (type tag -> class -> handler and rules) and the pure reducer.

Built-in event types register themselves with exactly the decorators users
use: :func:`event_type`, :func:`handler` and :func:`rule`.  Replay is a plain
loop: a dict lookup by the event's class, the rules, then the handler.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import enum
import gc
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypeVar, overload

import attrs

from ._dates import Reading, certain_count, possible_count
from ._draft import Draft
from ._event import REF_METADATA_KEY, Event, RefSpec
from ._frozenmap import FrozenMap
from ._replace import compile_replace
from .errors import (
    CrisisModelError,
    HandlerError,
    RegistrationError,
    RuleViolation,
    UnhandledEventError,
    UnknownEventTypeError,
)
from .state import _FRESH, CrisisState

__all__ = [
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
]

E = TypeVar("E", bound=Event)
T = TypeVar("T")
RuleT = TypeVar("RuleT", bound=Callable[..., Any])


@attrs.frozen
class Problem:
    """One thing wrong with an event, as a rule reports it.

    A rule may return plain strings; the reducer turns each into a
    ``Problem`` and fills in ``rule`` with the rule's name.
    """

    message: str
    rule: str = ""
    field: str | None = None
    subject: str | None = None

    def __str__(self) -> str:
        where = []
        if self.field:
            where.append(f"field {self.field!r}")
        if self.subject:
            where.append(f"concerning {self.subject!r}")
        suffix = f" [{', '.join(where)}]" if where else ""
        return f"rule {self.rule!r}: {self.message}{suffix}"


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


#: What a rule returns: nothing when the event is admissible, otherwise a
#: message, a :class:`Problem`, or an iterable of them.
RuleResult: TypeAlias = "str | Problem | Iterable[str | Problem] | None"
#: ``handler(draft, event) -> None``: writes what the event changes to the reducer's
#: :class:`~crisis_model.Draft`; never fails for an admitted event.
DraftHandler: TypeAlias = Callable[[Draft, Any], None]
#: ``handler(state, event) -> state``: the older form, still accepted (see :func:`handler`).
Handler: TypeAlias = Callable[[CrisisState, Any], CrisisState]
#: ``rule(state, event) -> problems``: checks an event against the state before it.
Rule: TypeAlias = Callable[[CrisisState, Any], RuleResult]
#: ``lookup(state, key) -> bool``: whether a reference of some kind resolves.
RefLookup: TypeAlias = Callable[[CrisisState, str], bool]
#: ``invariant(state) -> problems``: checks one state on its own.
Invariant: TypeAlias = Callable[[CrisisState], Any]

_TAG_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class Registry:
    """What the library knows: event types, handlers, rules, reference kinds,
    state slices, invariants and upcasters.

    There is one, :data:`registry`; the decorators write to it.  Tests that
    register throwaway types wrap themselves in :meth:`scoped`.
    """

    def __init__(self) -> None:
        self.types: dict[str, type[Event]] = {}
        #: The functions registered with :func:`handler`, as registered (either form).
        self.handlers: dict[type[Event], Callable[..., Any]] = {}
        #: ``"draft"`` or ``"state"``: the form of each handler.
        self.handler_forms: dict[type[Event], str] = {}
        self.rules: dict[type[Event], list[tuple[str, Rule]]] = {}
        self.refs: dict[type[Event], tuple[tuple[str, RefSpec], ...]] = {}
        self.ref_kinds: dict[str, RefLookup] = {}
        self.ref_ids: dict[str, Callable[[CrisisState], Iterable[str]]] = {}
        #: kind -> the state mapping whose keys are its ids (``reference_kind(mapping=)``).
        self.ref_mappings: dict[str, str] = {}
        self.slices: dict[str, Any] = {}
        #: name -> how the slice shows in ``replay`` text, ``--json`` and ``diff``.
        self.slice_views: dict[str, SliceView] = {}
        self.invariants: dict[str, Invariant] = {}
        self.upcasters: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}
        #: Bumped on every change, so caches (the converter) know to rebuild.
        self.generation = 0
        #: Called with each event type as it is registered (the hypothesis strategies use it).
        self.on_register: list[Callable[[type[Event]], None]] = []

    # -- queries ---------------------------------------------------------------------------

    def tags(self) -> list[str]:
        """Every registered tag, sorted."""
        return sorted(self.types)

    def type_for(self, tag: str) -> type[Event]:
        """The class registered under ``tag``; :class:`UnknownEventTypeError` names near tags."""
        try:
            return self.types[tag]
        except KeyError:
            raise UnknownEventTypeError(tag, self.types) from None

    def is_registered(self, cls: type) -> bool:
        """Whether ``cls`` is a registered event type."""
        return self.types.get(getattr(cls, "event_tag", "")) is cls

    def rule_names(self, cls: type[Event]) -> list[str]:
        """The names of every rule checked for ``cls`` (reference rules first)."""
        names = ["chronology"]
        names += [f"{'new' if s.new else 'known'}-{s.kind}" for _, s in self.refs.get(cls, ())]
        names += [n for n, _ in self.rules.get(cls, [])]
        return list(dict.fromkeys(names))

    def ref_fields(self, cls: type[Event]) -> tuple[tuple[str, RefSpec], ...]:
        """``(field name, RefSpec)`` for every reference field of ``cls``."""
        return self.refs.get(cls, ())

    def missing_handlers(self) -> list[str]:
        """Tags of registered types that have no handler yet (corrections and retractions
        need none: they are applied to the log before replay)."""
        from .record import RECORD_TYPES

        return sorted(t for t, c in self.types.items()
                      if c not in self.handlers and c not in RECORD_TYPES)

    # -- isolation for tests ---------------------------------------------------------------

    @contextlib.contextmanager
    def scoped(self) -> Iterator[Registry]:
        """Within the block, registrations are undone on exit.

        >>> with registry.scoped():
        ...     pass  # register throwaway event types here
        """
        saved = {k: copy.copy(v) for k, v in vars(self).items()}
        saved["rules"] = {k: list(v) for k, v in self.rules.items()}
        try:
            yield self
        finally:
            generation = self.generation
            vars(self).update(saved)
            self.generation = generation + 1

    def _changed(self) -> None:
        self.generation += 1


#: The registry every decorator writes to.
registry = Registry()


def _describe(cls: type) -> str:
    return getattr(cls, "__qualname__", repr(cls))


def event_type(tag: str, *, version: int = 1) -> Callable[[type[E]], type[E]]:
    """Register an event class under a stable ``tag`` (``"domain.name"``) and payload ``version``.

    Put it above ``@attrs.frozen(kw_only=True)``::

        @cm.event_type("military.defected", version=1)
        @attrs.frozen(kw_only=True)
        class MilitaryDefected(cm.Event):
            unit: str = cm.ref("actor")
    """
    if not isinstance(tag, str) or not _TAG_RE.match(tag):
        raise RegistrationError(
            f"event type tag {tag!r} must be lowercase dotted words such as 'election.declared'"
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RegistrationError(f"event type {tag!r}: version must be an int >= 1, got {version!r}")

    def decorate(cls: type[E]) -> type[E]:
        if not (isinstance(cls, type) and issubclass(cls, Event)):
            raise RegistrationError(f"{tag!r}: {cls!r} is not a subclass of crisis_model.Event")
        if "__attrs_attrs__" not in cls.__dict__:
            raise RegistrationError(
                f"{_describe(cls)} is not an attrs class of its own: put @cm.event_type({tag!r}) "
                "above @attrs.frozen(kw_only=True)"
            )
        if cls.__setattr__ is object.__setattr__:
            raise RegistrationError(f"{_describe(cls)} must be frozen: use @attrs.frozen")
        existing = registry.types.get(tag)
        if existing is not None:
            raise RegistrationError(
                f"event type tag {tag!r} is already registered to {_describe(existing)}"
            )
        if registry.is_registered(cls):
            raise RegistrationError(
                f"{_describe(cls)} is already registered as {cls.event_tag!r}"
            )
        refs = []
        for f in attrs.fields(cls):
            spec = f.metadata.get(REF_METADATA_KEY)
            if spec is not None:
                refs.append((f.name, spec))
        type.__setattr__(cls, "event_tag", tag)
        type.__setattr__(cls, "event_version", version)
        registry.types[tag] = cls
        registry.refs[cls] = tuple(refs)
        registry._changed()
        for hook in list(registry.on_register):
            hook(cls)
        return cls

    return decorate


def _require_registered(cls: type, what: str) -> None:
    if not registry.is_registered(cls):
        raise RegistrationError(
            f"cannot register a {what} for {_describe(cls)}: it is not a registered event type "
            "(decorate it with @cm.event_type first)"
        )


HandlerForm: TypeAlias = Literal["draft", "state"]
_DRAFT_NAME = re.compile(r"\bDraft\b")


def _form_of(fn: Callable[..., Any]) -> HandlerForm:
    """``"draft"`` when ``fn``'s first parameter is annotated ``Draft``, else ``"state"``."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return "state"
    if not params:
        return "state"
    ann = params[0].annotation
    if isinstance(ann, str):
        return "draft" if _DRAFT_NAME.search(ann) else "state"
    return "draft" if isinstance(ann, type) and issubclass(ann, Draft) else "state"


@overload
def handler(cls: type[E], *, form: Literal["draft"]) -> Callable[[Callable[[Draft, E], None]], Callable[[Draft, E], None]]: ...  # noqa: E501
@overload
def handler(cls: type[E], *, form: Literal["state"]) -> Callable[[Callable[[CrisisState, E], CrisisState]], Callable[[CrisisState, E], CrisisState]]: ...  # noqa: E501
@overload
def handler(cls: type[E]) -> Callable[[T], T]: ...
def handler(cls: type[E], *, form: HandlerForm | None = None) -> Callable[[Any], Any]:
    """Register the function that applies events of ``cls`` (only events its rules admitted).

    The documented form writes to the reducer's draft and returns ``None``::

        @cm.handler(MilitaryDefected)
        def _defected(draft: cm.Draft, e: MilitaryDefected) -> None:
            draft.edit_actor(e.unit).affiliation = e.to

    The older form, ``(state: CrisisState, event) -> CrisisState``, which returns a
    new state built with the ``with_*`` helpers, keeps working through an adapter
    (each such event costs a freeze of the draft: rewrite hot handlers as drafts).
    The form is read from the first parameter's annotation (``Draft``: the draft
    form; anything else, or none: the state form), or given as ``form=``.
    """
    _require_registered(cls, "handler")
    if form not in (None, "draft", "state"):
        raise RegistrationError(f"handler form must be 'draft' or 'state', got {form!r}")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        if cls in registry.handlers:
            raise RegistrationError(f"{cls.event_tag!r} already has a handler")
        registry.handlers[cls] = fn
        registry.handler_forms[cls] = form or _form_of(fn)
        registry._changed()
        return fn

    return decorate


def rule(*classes: type[Event], name: str | None = None) -> Callable[[RuleT], RuleT]:
    """Register a rule checked before events of each of ``classes`` are applied.

    The rule returns ``None`` when the event is admissible, otherwise a
    message (or a :class:`Problem`, or several).  Rules run only once every
    reference field resolves, so a rule may look referenced ids up directly.
    ``name`` defaults to the function's name.
    """
    if not classes:
        raise RegistrationError("cm.rule() needs at least one event class")
    for cls in classes:
        _require_registered(cls, "rule")

    def decorate(fn: RuleT) -> RuleT:
        rule_name = name or fn.__name__
        if rule_name in ("_", "<lambda>"):
            rule_name = f"{classes[0].event_tag}#{len(registry.rules.get(classes[0], [])) + 1}"
        rule_name = rule_name.strip("_").replace("_", "-")
        for cls in classes:
            registry.rules.setdefault(cls, []).append((rule_name, fn))
        registry._changed()
        return fn

    return decorate


_MAPPINGS = ("actors", "elections", "offers", "ledgers")


def reference_kind(
    kind: str, lookup: RefLookup | None = None, *,
    ids: Callable[[CrisisState], Iterable[str]] | None = None, mapping: str | None = None,
) -> None:
    """Register a kind of id that :func:`crisis_model.ref` fields may point at.

    ``lookup(state, key)`` says whether ``key`` has been introduced;
    ``ids(state)``, if given, lists every id of this kind (the hypothesis
    strategies in :mod:`crisis_model.testing` draw references from it).
    ``mapping`` instead names the state mapping whose keys are the ids
    (``"actors"``, ``"elections"``, ``"offers"`` or ``"ledgers"``): it gives both,
    and the reducer checks such references inline, without calling a function.
    """
    if kind in registry.ref_kinds:
        raise RegistrationError(f"reference kind {kind!r} is already registered")
    if mapping is not None:
        if mapping not in _MAPPINGS:
            raise RegistrationError(
                f"reference kind {kind!r}: mapping must be one of {', '.join(_MAPPINGS)}, "
                f"got {mapping!r}")
        name = mapping
        if lookup is None:
            lookup = lambda state, key: key in getattr(state, name)  # noqa: E731
            registry.ref_mappings[kind] = mapping  # checked inline by the reducer
        ids = ids or (lambda state: getattr(state, name))
    if lookup is None:
        raise RegistrationError(f"reference kind {kind!r} needs a lookup or a mapping")
    registry.ref_kinds[kind] = lookup
    if ids is not None:
        registry.ref_ids[kind] = ids
    registry._changed()


#: ``render(value, name) -> lines``: a slice in plain words (``name(actor_id)`` gives an
#: actor's display name).
SliceRender: TypeAlias = Callable[[Any, Callable[[str | None], str]], "list[str]"]


@attrs.frozen
class SliceView:
    """How a registered state slice shows to people and programs.

    ``title`` heads its section in ``replay`` text; ``render(value, name)`` gives the
    section's lines; ``to_json(value)`` its plain, JSON-able form (in ``replay --json``
    under ``"slices"``, and what :func:`crisis_model.diff` compares).
    """

    name: str
    title: str
    render: SliceRender | None = None
    to_json: Callable[[Any], Any] | None = None

    def json(self, value: Any) -> Any:
        """``value`` as plain data: ``to_json(value)``, or its generic unstructured form."""
        if self.to_json is not None:
            return self.to_json(value)
        return plain(value)

    def lines(self, value: Any, name: Callable[[str | None], str]) -> list[str]:
        """``value`` in plain words: ``render(value, name)``, or one line per entry."""
        if self.render is not None:
            return list(self.render(value, name))
        data = self.json(value)
        if isinstance(data, dict):
            return [f"{k}: {_plain_text(v)}" for k, v in data.items()]
        if isinstance(data, list):
            return [_plain_text(v) for v in data]
        return [_plain_text(data)]


def plain(value: Any) -> Any:
    """``value`` as plain, JSON-able data: attrs records as dicts (fields in order), maps
    as dicts, tuples as lists, dates as ISO strings, enums as their values."""
    if attrs.has(value.__class__):
        return {f.name: plain(getattr(value, f.name)) for f in attrs.fields(value.__class__)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        return [plain(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(value.value)
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return to_json()
    return value


def _plain_text(data: Any) -> str:
    if isinstance(data, dict):
        shown = ((k, v) for k, v in data.items() if v not in (None, [], {}))
        return ", ".join(f"{k} {_plain_text(v)}" for k, v in shown)
    if isinstance(data, list):
        return "; ".join(_plain_text(v) for v in data)
    return "unknown" if data is None else str(data)


def state_slice(
    name: str, initial: T, *, title: str | None = None, render: SliceRender | None = None,
    to_json: Callable[[Any], Any] | None = None,
) -> T:
    """Register a slice of state a user's event types keep beside the built-in state.

    The slice starts as ``initial`` (an immutable value) and is read back as
    ``state.slices[name]``; handlers change it with ``draft.set_slice(name, value)``.

    It shows wherever the built-in state shows, once it differs from ``initial``:
    ``replay`` text prints a section headed ``title`` (default: the name) with the
    lines ``render(value, name)`` gives (``name(actor_id)`` is an actor's display
    name; default: one line per entry); ``replay --json`` holds ``to_json(value)``
    under ``"slices"`` (default: the value as plain data), and :func:`~crisis_model.diff`
    compares those forms.
    """
    if not isinstance(name, str) or not name:
        raise RegistrationError("a state slice needs a non-empty name")
    if name in registry.slices:
        raise RegistrationError(f"state slice {name!r} is already registered")
    registry.slices[name] = initial
    registry.slice_views[name] = SliceView(name, title or name, render, to_json)
    registry._changed()
    return initial


def shown_slices(state: CrisisState) -> list[tuple[SliceView, Any]]:
    """The registered slices of ``state`` that differ from their initial value, in
    registration order, each with its view (slices no longer registered are left out)."""
    out = []
    slices = state.slices
    for name, view in registry.slice_views.items():
        value = slices.get(name, registry.slices[name])
        if value != registry.slices[name]:
            out.append((view, value))
    return out


def initial_state() -> CrisisState:
    """The empty state every replay starts from (each registered slice at its initial value)."""
    return CrisisState(slices=FrozenMap(registry.slices))


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
    ``None`` (the common case, answered without building any problem list)."""
    ns: dict[str, Any] = {"_refs": refs}
    lines = ["def admit(state, e):"]
    if refs is not None:
        lines += ["    if not _refs(state, e):", "        return False"]
    for i, (_, check_rule) in enumerate(rules):
        ns[f"_r{i}"] = check_rule
        lines += [f"    if _r{i}(state, e) is not None:", "        return False"]
    lines.append("    return True")
    exec(compile("\n".join(lines), f"<admission of {cls.__qualname__}>", "exec"), ns)
    admit: Callable[[Any, Any], bool] = ns["admit"]
    return admit


def _compile_refs(cls: type[Event]) -> Callable[[CrisisState, Any], bool] | None:
    refs = registry.refs.get(cls, ())
    if not refs:
        return None
    ns: dict[str, Any] = {"_str": str, "_many": _refs_resolve}
    lines = ["def refs_resolve(state, e):"]
    for i, (field_name, spec) in enumerate(refs):
        lookup = registry.ref_kinds.get(spec.kind)
        if lookup is None:  # the generic check raises the error that says so
            return lambda state, e: False
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
    lines.append("    return True")
    exec(compile("\n".join(lines), f"<references of {cls.__qualname__}>", "exec"), ns)
    fn: Callable[[CrisisState, Any], bool] = ns["refs_resolve"]
    return fn


def _plan(cls: type[Event]) -> _Plan:
    if _plans_generation[0] != registry.generation:
        _plans.clear()
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


def check(state: CrisisState, event: Event) -> list[Problem]:
    """Every problem the rules find with applying ``event`` to ``state`` (empty: admissible)."""
    return _problems(state, event, _plan(type(event))) or []


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


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector within the block (restored as it was, even on error).

    States and events cannot form reference cycles, so collecting while a replay
    builds them is wasted work: it cost 10% of a replay keeping nothing, and
    several times the replay itself when every snapshot is kept.  Memory is
    still freed at once by reference counting.

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(
    events: Iterable[Event], strict: bool, draft: Draft, anomalies: list[Anomaly],
    every: int = 0, checkpoints: list[CrisisState] | None = None, start: int = 0,
) -> None:
    """Replay ``events`` into ``draft`` (the one replay loop).

    Rejected events are raised (``strict``) or listed in ``anomalies``.  With
    ``every``, the draft is frozen into ``checkpoints`` after each ``every``-th event.
    ``start`` is the index of the first event (for messages).
    """
    if _plans_generation[0] != registry.generation:
        _plans.clear()
        _plans_generation[0] = registry.generation
    plans = _plans  # registering during a replay is not supported: plans hold for the loop
    view: Any = draft  # what rules read (they are typed for a CrisisState; a draft reads alike)
    index = start - 1
    for event in events:
        index += 1
        cls = type(event)
        plan = plans.get(cls)
        if plan is None:
            plan = _plan(cls)
        # The admissible case inline: no problem list is built unless a check fails.
        day = event.occurred_on
        as_of = draft.as_of
        admitted = as_of is None or day >= as_of
        if admitted:
            try:  # the class's generated check: references, then each rule
                admitted = plan[5](view, event)
            except Exception:  # run again below, to say which rule raised
                admitted = False
        if not admitted:
            problems = _problems(view, event, plan)  # says what is wrong, if anything
            if problems:
                if strict:
                    raise RuleViolation(index, event, problems)
                anomalies.append(Anomaly(index, event, tuple(problems)))
                if every and (index + 1) % every == 0 and checkpoints is not None:
                    checkpoints.append(draft.freeze())
                continue
        handle = plan[0]
        if handle is None:
            raise _unhandled(cls)
        result = handle(draft, event)
        if result is not None:
            raise _returned(cls, result, "draft")
        draft.version += 1
        if as_of is None or day > as_of:
            draft.as_of = day
        if every and (index + 1) % every == 0 and checkpoints is not None:
            checkpoints.append(draft.freeze())


def _steps(
    events: Iterable[Event], strict: bool, initial: CrisisState | None
) -> Iterator[tuple[CrisisState, Anomaly | None]]:
    """The state after each event, frozen from one draft, with the event's anomaly if any."""
    draft = Draft(initial_state() if initial is None else initial)
    anomalies: list[Anomaly] = []
    for index, event in enumerate(events):
        _run((event,), strict, draft, anomalies, start=index)
        yield draft.freeze(), (anomalies.pop() if anomalies else None)


@overload
def replay(
    events: Iterable[Event], *, strict: Literal[True] = True, initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
) -> CrisisState: ...
@overload
def replay(
    events: Iterable[Event], *, strict: Literal[False], initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
) -> tuple[CrisisState, list[Anomaly]]: ...
@overload
def replay(
    events: Iterable[Event], *, strict: bool, initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
) -> CrisisState | tuple[CrisisState, list[Anomaly]]: ...
def replay(
    events: Iterable[Event], *, strict: bool = True, initial: CrisisState | None = None,
    known_on: _dt.date | None = None, sources: Mapping[str, Any] | None = None,
) -> CrisisState | tuple[CrisisState, list[Anomaly]]:
    """Replay ``events`` from ``initial`` (the empty state by default).

    Strict replay returns the final state and raises :class:`RuleViolation` at
    the first inadmissible event.  Lenient replay (``strict=False``) skips each
    inadmissible event and returns ``(state, anomalies)``.

    Corrections and retractions in the log are applied first (see
    :func:`crisis_model.record.as_known`); with ``known_on``, only what was
    recorded by that day counts (``sources``: the publication dates of the
    sources events cite), as :class:`crisis_model.History` explains.
    Positions in errors and anomalies are the log's.
    """
    if known_on is not None:  # the record as known that day: History knows how
        from .history import History  # imports this module

        whole = list(events)
        history = History(whole, strict=strict, initial=initial, known_on=known_on,
                          sources=sources, checkpoint_every=len(whole) + 1)
        return history.final if strict else (history.final, list(history.anomalies))
    log, known = _effective(events)
    draft = Draft(initial_state() if initial is None else initial)
    anomalies: list[Anomaly] = []
    with paused_gc():
        try:
            _run(log, strict, draft, anomalies)
        except RuleViolation as exc:
            if known is None:
                raise
            raise _in_record(exc, known) from None
    state = draft.freeze()
    if strict:
        return state
    if known is not None:
        anomalies = [_anomaly_in_record(a, known) for a in anomalies]
    return state, anomalies


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
                gc.enable()
        end = draft.freeze()
        yield end if strict else (end, anomalies)


def snapshots(
    events: Iterable[Event], *, strict: bool = True, initial: CrisisState | None = None
) -> Iterator[CrisisState]:
    """Lazily yield the state after each event (one state per event).

    With ``strict=False`` a rejected event yields the state unchanged.  A log
    holding corrections or retractions yields one state per event of the
    corrected record (see :func:`crisis_model.record.as_known`).
    """
    if isinstance(events, list | tuple):
        log, known = _effective(events)
    else:  # read lazily: a correction needs the whole log, so it must come as a list
        log, known = _no_record_events(events), None
    try:
        for state, _ in _steps(log, strict, initial):
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


def state_at(
    events: Iterable[Event], when: _dt.date, *, strict: bool = True,
    initial: CrisisState | None = None, known_on: _dt.date | None = None,
    sources: Mapping[str, Any] | None = None, reading: Reading = "certain",
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
    record counts, corrections included.
    """
    from .record import as_known, has_record_events

    log = events if isinstance(events, list | tuple) else list(events)
    if known_on is not None:  # the record as known that day: History knows how
        from .history import History  # the record's as-of (imports this module)

        history = History(log, strict=strict, initial=initial, known_on=known_on,
                          sources=sources, checkpoint_every=len(log) + 1)
        return history.state_at(when, reading=reading)
    known = None
    if has_record_events(log):
        known = as_known(log)
        log = known.events
    prefix = log[: as_of_count(log, when, reading)]  # one replay of what counts
    draft = Draft(initial_state() if initial is None else initial)
    with paused_gc():
        try:
            _run(prefix, strict, draft, [])
        except RuleViolation as exc:
            if known is None:
                raise
            raise _in_record(exc, known) from None
    return draft.freeze()
