"""The registry: what the library knows (event types, handlers, rules, reference kinds,
state slices, invariants, upcasters) and the decorators that write to it.

Built-in event types register themselves with exactly the decorators users use:
:func:`event_type`, :func:`handler`, :func:`rule`, :func:`reference_kind` and
:func:`state_slice`.  This module imports neither the reducer nor anything that
registers types, so that every module that registers types (the record's
corrections, the vocabulary, users' extensions) and the serialiser depend on it
alone; :mod:`crisis_model.reducer` re-exports every public name.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import enum
import gc
import inspect
import re
import sysconfig
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, TypeAlias, TypeVar, overload

import attrs

from ._draft import Draft
from ._event import REF_METADATA_KEY, Event, RefSpec
from ._frozenmap import FrozenMap
from ._trail import Trail
from .errors import Problem, RegistrationError, UnknownEventTypeError
from .state import CrisisState

__all__ = [
    "Admission",
    "DraftHandler",
    "Handler",
    "Invariant",
    "RefLookup",
    "Registry",
    "Rule",
    "RuleResult",
    "SliceRender",
    "SliceView",
    "admission",
    "event_type",
    "handler",
    "initial_state",
    "paused_gc",
    "plain",
    "reference_kind",
    "registry",
    "rule",
    "shown_slices",
    "state_slice",
]

E = TypeVar("E", bound=Event)
T = TypeVar("T")
RuleT = TypeVar("RuleT", bound=Callable[..., Any])


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
#: ``check(state, event) -> bool``: ``True`` only where every rule it covers admits the
#: event (see :func:`admission`).
Admission: TypeAlias = Callable[[CrisisState, Any], bool]
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
        #: rule name -> the functions registered under it (one, unless replaced for some types).
        self.rule_functions: dict[str, list[Rule]] = {}
        #: class -> the fast checks registered with :func:`admission`: each with the
        #: ``(name, rule)`` pairs it stands in for, and whether it answers for references.
        self.admissions: dict[
            type[Event], list[tuple[tuple[tuple[str, Rule], ...], Admission, bool]]] = {}
        self.refs: dict[type[Event], tuple[tuple[str, RefSpec], ...]] = {}
        self.ref_kinds: dict[str, RefLookup] = {}
        self.ref_ids: dict[str, Callable[[CrisisState], Iterable[str]]] = {}
        #: kind -> the state mapping whose keys are its ids (``reference_kind(mapping=)``).
        self.ref_mappings: dict[str, str] = {}
        self.slices: dict[str, Any] = {}
        #: Registered types replay never applies, so that need no handler (the record's
        #: corrections and retractions register themselves here).
        self.handlerless: set[type[Event]] = set()
        #: slice name -> the module that registered it (the API reference documents
        #: the records that module exports).
        self.slice_modules: dict[str, str] = {}
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
        names = ["chronology", "source-chronology"]
        names += [f"{'new' if s.new else 'known'}-{s.kind}" for _, s in self.refs.get(cls, ())]
        names += [n for n, _ in self.rules.get(cls, [])]
        return list(dict.fromkeys(names))

    def all_rule_names(self) -> set[str]:
        """Every rule name a waiver may name: ``chronology``, ``source-chronology`` (checked
        when sources are known) and each :func:`rule`'s."""
        names = {"chronology", "source-chronology"}
        for rules in self.rules.values():
            names.update(n for n, _ in rules)
        return names

    def ref_fields(self, cls: type[Event]) -> tuple[tuple[str, RefSpec], ...]:
        """``(field name, RefSpec)`` for every reference field of ``cls``."""
        return self.refs.get(cls, ())

    def missing_handlers(self) -> list[str]:
        """Tags of registered types that have no handler yet (those in :attr:`handlerless`,
        such as corrections and retractions, need none: they are applied to the log before
        replay)."""
        return sorted(t for t, c in self.types.items()
                      if c not in self.handlers and c not in self.handlerless)

    # -- isolation for tests ---------------------------------------------------------------

    @contextlib.contextmanager
    def scoped(self) -> Iterator[Registry]:
        """Within the block, registrations are undone on exit.

        >>> with registry.scoped():
        ...     pass  # register throwaway event types here
        """
        saved = {k: copy.copy(v) for k, v in vars(self).items()}
        saved["rules"] = {k: list(v) for k, v in self.rules.items()}
        saved["rule_functions"] = {k: list(v) for k, v in self.rule_functions.items()}
        saved["admissions"] = {k: list(v) for k, v in self.admissions.items()}
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


def rule(
    *classes: type[Event], name: str | None = None, replaces: str | None = None,
) -> Callable[[RuleT], RuleT]:
    """Register a rule checked before events of each of ``classes`` are applied.

    The rule returns ``None`` when the event is admissible, otherwise a
    message (or a :class:`Problem`, or several).  Rules run only once every
    reference field resolves, so a rule may look referenced ids up directly.
    ``name`` defaults to the function's name (as kebab-case: ``not_holding`` is
    ``"not-holding"``); names are stable, so waivers and messages can rely on them.

    A name already taken by another module's rule is an error (one module may give
    one name to several functions, say one per class), unless ``replaces`` names it: the new rule
    then takes the place of the rule of that name for each of ``classes`` (only
    those; every class must check it).  Replacing a built-in rule is how an
    extension relaxes or tightens it without forking it.
    """
    if not classes:
        raise RegistrationError("cm.rule() needs at least one event class")
    for cls in classes:
        _require_registered(cls, "rule")
    if replaces is not None:
        for cls in classes:
            if replaces not in (n for n, _ in registry.rules.get(cls, ())):
                checked = ", ".join(n for n, _ in registry.rules.get(cls, ())) or "none"
                raise RegistrationError(
                    f"cannot replace rule {replaces!r} for {cls.event_tag!r}: no such rule is "
                    f"checked for it (its rules: {checked})")

    def decorate(fn: RuleT) -> RuleT:
        rule_name = name or fn.__name__
        if rule_name in ("_", "<lambda>"):
            rule_name = f"{classes[0].event_tag}#{len(registry.rules.get(classes[0], [])) + 1}"
        rule_name = rule_name.strip("_").replace("_", "-")
        owners = registry.rule_functions.get(rule_name, [])
        module = getattr(fn, "__module__", None)
        others = [f for f in owners if getattr(f, "__module__", None) != module]
        if others and rule_name != replaces:  # one module may give a name to several checks
            first = others[0]
            raise RegistrationError(
                f"a rule named {rule_name!r} is already registered "
                f"({getattr(first, '__module__', '?')}.{getattr(first, '__qualname__', '?')}): "
                f"give yours another name (name=...), or pass replaces={rule_name!r} to "
                "replace it on purpose")
        for cls in classes:
            rules = registry.rules.setdefault(cls, [])
            if replaces is not None:
                at = next(i for i, (n, _) in enumerate(rules) if n == replaces)
                rules[at] = (rule_name, fn)
            else:
                rules.append((rule_name, fn))
        registry.rule_functions.setdefault(rule_name, [])
        if fn not in registry.rule_functions[rule_name]:
            registry.rule_functions[rule_name].append(fn)
        if replaces is not None and replaces != rule_name:
            still = any(n == replaces for rs in registry.rules.values() for n, _ in rs)
            if not still:
                registry.rule_functions.pop(replaces, None)
        registry._changed()
        return fn

    return decorate


def admission(
    *classes: type[Event], covers: tuple[str, ...], references: bool = False,
) -> Callable[[Callable[[CrisisState, Any], bool]], Callable[[CrisisState, Any], bool]]:
    """Register a fast check that stands in for the rules ``covers`` of each of ``classes``
    while a log is replayed.

    Replay asks each event one question, whether it is admissible, and only when
    the answer is no does it run the rules one by one to say what is wrong.  A
    class with several rules that look at the same actors pays for each rule's
    call and lookups on every event; ``check(state, event) -> bool`` answers for
    all of ``covers`` at once.  It must return ``True`` only where every covered
    rule returns ``None`` (it may return ``False`` when unsure: the rules then
    decide), and may assume every reference of the event resolves.  Messages,
    waivers and :func:`crisis_model.check` always come from the rules themselves.

    With ``references=True`` the check answers for the event's references too: it
    never returns ``True`` where one does not resolve (raising ``KeyError`` on a
    missing id counts as no).  A check that covers every rule of a class and its
    references *is* the class's admission: replay calls nothing else before the
    handler.

    The check stands in only while it is current: if one of the covered rules is
    replaced (``rule(..., replaces=...)``) for a class, that class's rules run
    one by one again.  :func:`crisis_model.testing.check_admissions` compares a
    check with its rules on a log.

    >>> import datetime as dt
    >>> import attrs
    >>> import crisis_model as cm
    >>> with cm.registry.scoped():
    ...     @cm.event_type("example.vote_counted")
    ...     @attrs.frozen(kw_only=True)
    ...     class VoteCounted(cm.Event):
    ...         yes: int
    ...         no: int
    ...     @cm.handler(VoteCounted)
    ...     def _counted(draft: cm.Draft, e: VoteCounted) -> None:
    ...         pass
    ...     @cm.rule(VoteCounted)
    ...     def yes_not_negative(state: cm.CrisisState, e: VoteCounted) -> str | None:
    ...         return "yes < 0" if e.yes < 0 else None
    ...     @cm.rule(VoteCounted)
    ...     def no_not_negative(state: cm.CrisisState, e: VoteCounted) -> str | None:
    ...         return "no < 0" if e.no < 0 else None
    ...     @cm.admission(VoteCounted, covers=("yes-not-negative", "no-not-negative"))
    ...     def _counts(state: cm.CrisisState, e: VoteCounted) -> bool:
    ...         return e.yes >= 0 and e.no >= 0
    ...     day = dt.date(2024, 7, 29)
    ...     good = cm.replay([VoteCounted(occurred_on=day, yes=3, no=1)]).version
    ...     bad = cm.replay([VoteCounted(occurred_on=day, yes=3, no=-1)], strict=False)[1]
    >>> good, [p.rule for p in bad[0].problems]
    (1, ['no-not-negative'])
    """
    if not classes:
        raise RegistrationError("cm.admission() needs at least one event class")
    if not covers:
        raise RegistrationError("cm.admission() needs the names of the rules it covers")
    pairs: dict[type[Event], tuple[tuple[str, Rule], ...]] = {}
    for cls in classes:
        _require_registered(cls, "admission check")
        rules = dict(registry.rules.get(cls, ()))
        missing = [name for name in covers if name not in rules]
        if missing:
            checked = ", ".join(rules) or "none"
            raise RegistrationError(
                f"an admission check for {cls.event_tag!r} covers {missing[0]!r}, which is "
                f"not one of its rules (its rules: {checked}); register the rules first")
        pairs[cls] = tuple((name, rules[name]) for name in dict.fromkeys(covers))

    def decorate(fn: Callable[[CrisisState, Any], bool]) -> Callable[[CrisisState, Any], bool]:
        for cls in classes:
            registry.admissions.setdefault(cls, []).append((pairs[cls], fn, references))
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
#: actor's display name), as a list or any iterable of lines (a generator lets a reader
#: that wants only the first lines, such as the HTML report's bands, stop early).
SliceRender: TypeAlias = Callable[[Any, Callable[[str | None], str]], "Iterable[str]"]


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
    if isinstance(value, tuple | list | frozenset | set | Trail):
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
    caller = inspect.currentframe()
    module = caller.f_back.f_globals.get("__name__") if caller and caller.f_back else None
    if isinstance(module, str):
        registry.slice_modules[name] = module
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


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector within the block (restored as it was, even on error).

    States and events cannot form reference cycles, so collecting while a replay
    builds them is wasted work: it cost 10% of a replay keeping nothing, and
    several times the replay itself when every snapshot is kept.  Memory is
    still freed at once by reference counting.  On leaving, what the block made
    joins the oldest generation directly, so the collector does not walk it
    again as it ages (see :func:`resume_gc`).

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
            resume_gc()


#: Whether ``gc.freeze()`` is O(1) here (it walks the whole heap where the GIL is disabled).
_FREEZE_IS_CHEAP = not sysconfig.get_config_var("Py_GIL_DISABLED")


def resume_gc() -> None:
    """Turn the collector back on after a pause, without a pass over what the pause made.

    Everything allocated while the collector was paused is still young, so the
    next allocation would start a young collection that walks all of it (at 10^6
    events, 387 ns per event of a replay), then a middle and a full one as it ages:
    three passes over objects that cannot form cycles and will live long.  Instead
    the young objects join the oldest generation directly (``gc.freeze()`` then
    ``gc.unfreeze()``: two O(1) list moves), to be walked only by the next full
    collection.  Cycles of the caller's still young objects wait for that full
    collection too.  Skipped where the caller froze objects itself (unfreezing
    would undo that) and where freezing is not O(1).
    """
    if _FREEZE_IS_CHEAP and gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
    gc.enable()
