"""The exceptions crisis_model raises.  All derive from :class:`CrisisModelError`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ._event import Event

__all__ = [
    "CrisisModelError",
    "DuplicateEventIdError",
    "DuplicateSourceError",
    "ExtendsCycleError",
    "HandlerError",
    "LimitExceededError",
    "Problem",
    "RegistrationError",
    "RuleViolation",
    "ScenarioError",
    "ScenarioRuleViolation",
    "ScenarioSchemaError",
    "ScenarioSyntaxError",
    "UnhandledEventError",
    "UnknownEventTypeError",
    "UnknownSourceError",
    "UnknownTypeTagError",
    "WaiverError",
    "nearest",
    "unknown_tag_message",
]


class CrisisModelError(Exception):
    """Base class of every error crisis_model raises on purpose."""


class RegistrationError(CrisisModelError):
    """An event type, handler, rule, slice or invariant could not be registered."""


class HandlerError(CrisisModelError):
    """A handler broke a rule every handler must follow (see ``docs/extending.md``)."""


class WaiverError(CrisisModelError, ValueError):
    """A waiver that cannot be honoured: no reason given, an unknown rule, a rule that
    cannot be waived, or a rule waived twice for the same events."""


class UnhandledEventError(CrisisModelError):
    """An event of a registered type reached the reducer but no handler was registered for it."""


def nearest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The ``n`` choices closest to ``word`` (for "did you mean" messages)."""
    pool = sorted(set(choices))
    close = difflib.get_close_matches(word, pool, n=n, cutoff=0.4)
    if close:
        return close
    # Fall back on a shared prefix (same theme: "election.x" suggests election tags).
    head = word.split(".", 1)[0]
    return [c for c in pool if c.split(".", 1)[0] == head][:n]


#: How to make an extension's event types known (the unknown-tag messages end with it).
LOADING_EXTENSIONS = (
    "load the extension that defines it: `crisis-model --import MODULE ...` (a dotted "
    "name or a .py file), an installed package's entry point in the group "
    "'crisis_model.events', or `import MODULE` in Python before reading the file"
)


def unknown_tag_message(tag: str, known: Iterable[str]) -> tuple[str, list[str]]:
    """The message for an unknown ``tag``, and the known tags it suggests.

    A tag whose prefix (``"ceasefire."`` of ``"ceasefire.agreed"``) no registered
    type uses looks like an extension's that is not loaded: the message says so and
    how to load one, and suggests no unrelated tag.  Otherwise it names the nearest
    tags of the same prefix (a typo), and still says how to load an extension.

    >>> message, near = unknown_tag_message("ceasefire.agreed", ["election.declared"])
    >>> near, message.split(":")[0]
    ([], "unknown event type 'ceasefire.agreed'")
    """
    pool = sorted(set(known))
    head = tag.split(".", 1)[0]
    prefixes = {t.split(".", 1)[0] for t in pool}
    if "." in tag and head not in prefixes:
        close = difflib.get_close_matches(head, sorted(prefixes), n=1, cutoff=0.75)
        if close:  # "elections.declared": a typo of a built-in prefix, more likely
            rest = tag.split(".", 1)[1]
            near = nearest(f"{close[0]}.{rest}", [t for t in pool if t.startswith(close[0] + ".")])
            return (f"unknown event type {tag!r}: no loaded module registers types under "
                    f"{head + '.'!r}; did you mean {close[0] + '.'!r} (nearest known tags: "
                    f"{', '.join(near)})? If it is an extension's type, "
                    f"{LOADING_EXTENSIONS}"), near
        return (f"unknown event type {tag!r}: no loaded module registers types under "
                f"{head + '.'!r}, so it looks like an extension's type; "
                f"{LOADING_EXTENSIONS}"), []
    near = nearest(tag, [t for t in pool if t.split(".", 1)[0] == head] or pool)
    hint = f"; nearest known tags: {', '.join(near)}" if near else ""
    return (f"unknown event type {tag!r}{hint} (if it is an extension's type, "
            f"{LOADING_EXTENSIONS})"), near


class UnknownEventTypeError(CrisisModelError, KeyError):
    """A type tag that no registered event type has (the message says whether it looks
    like an unloaded extension's, and how to load one)."""

    def __init__(self, tag: str, known: Iterable[str]) -> None:
        self.tag = tag
        self.message, self.suggestions = unknown_tag_message(tag, known)
        super().__init__(tag)

    def __str__(self) -> str:
        return self.message


class DuplicateEventIdError(CrisisModelError, ValueError):
    """Two events of one log carry the same id.

    ``first`` and ``second`` are the positions of the two events in the log,
    ``id`` the id they share.
    """

    def __init__(self, event_id: str, first: int, first_event: Event, second: int,
                 second_event: Event) -> None:
        self.id = event_id
        self.first = first
        self.second = second
        self.first_event = first_event
        self.second_event = second_event
        super().__init__(
            f"duplicate event id {event_id!r}: event #{first} ({first_event.event_tag}, "
            f"{first_event.occurred_on.isoformat()}) and event #{second} "
            f"({second_event.event_tag}, {second_event.occurred_on.isoformat()}) both carry it "
            "(ids must be unique within a log)"
        )


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


class RuleViolation(CrisisModelError):
    """An event contradicts the state it would be applied to.

    ``index`` is the event's position in the log, ``tag`` its type tag and
    ``problems`` what every violated rule said (each names its rule, and
    where it can, the field and the actor or election at fault).
    """

    def __init__(self, index: int, event: Event, problems: Sequence[Problem]) -> None:
        self.index = index
        self.event = event
        self.tag = type(event).event_tag
        self.problems = tuple(problems)
        super().__init__(self.describe())

    @property
    def rule(self) -> str:
        """The first violated rule's name."""
        return self.problems[0].rule

    def describe(self) -> str:
        """A plain-words account of the violation, one line a problem."""
        head = f"event #{self.index} ({self.tag}, {self.event.occurred_on.isoformat()}) rejected"
        lines = [f"{head}: {self.problems[0]}"] + [f"  also: {p}" for p in self.problems[1:]]
        return "\n".join(lines)


# -- scenario files ---------------------------------------------------------------------------


class ScenarioError(CrisisModelError):
    """A scenario file that cannot become a scenario: where, and what is wrong.

    ``file`` and ``line`` locate the problem (``line`` is ``None`` when it
    cannot be told), ``index`` is the event's position in the scenario and
    ``tag`` its type tag (both ``None`` when the problem is not in an event),
    ``field`` the dotted path of the offending field (``"shares.maduro"``).
    A loader that finds several problems raises the first and lists them all
    in ``errors`` (the first included).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        index: int | None = None,
        tag: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.index = index
        self.tag = tag
        self.field = field
        self.errors: tuple[ScenarioError, ...] = (self,)
        #: ``file:line`` of the scenario that extends the file at fault, when it is a parent.
        self.extended_by: str | None = None
        # Not super(): a subclass may also derive from an error with another signature.
        Exception.__init__(self, self.describe())

    def location(self) -> str:
        """``file:line`` (or what of it is known), empty when nothing is."""
        if self.file is None:
            return f"line {self.line}" if self.line is not None else ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def describe(self) -> str:
        """The problem in one line: location, event, field, message."""
        parts = []
        where = self.location()
        if where:
            parts.append(where)
        if self.index is not None:
            parts.append(f"event #{self.index}" + (f" ({self.tag})" if self.tag else ""))
        if self.field:
            parts.append(f"field {self.field!r}")
        text = ": ".join([*parts, self.message])
        if self.extended_by:
            text += f" (in the scenario that {self.extended_by} extends)"
        return text

    def __str__(self) -> str:
        return self.describe()


class ScenarioSyntaxError(ScenarioError):
    """The file is not valid TOML or JSON Lines (``line`` is the parser's)."""


class ScenarioSchemaError(ScenarioError):
    """A table or event has a wrong, missing or unknown field, or a bad date."""


class UnknownTypeTagError(ScenarioError, UnknownEventTypeError):  # type: ignore[misc]
    """An event's ``type`` names no registered event type; ``suggestions`` the nearest."""

    def __init__(
        self,
        tag: str,
        known: Iterable[str],
        *,
        file: str | None = None,
        line: int | None = None,
        index: int | None = None,
    ) -> None:
        message, self.suggestions = unknown_tag_message(tag, known)
        ScenarioError.__init__(
            self, message, file=file, line=line, index=index, tag=tag, field="type",
        )

    def __str__(self) -> str:
        return self.describe()


class UnknownSourceError(ScenarioError):
    """An event cites a source id that no ``[sources.<id>]`` table defines."""


class DuplicateSourceError(ScenarioError):
    """Two ``[sources.<id>]`` tables (in a file or along its ``extends`` chain) share an id."""


class LimitExceededError(ScenarioError):
    """A file is over one of the reading limits (``limit`` names which; see
    :class:`crisis_model.Limits`); the message says how to raise it."""

    def __init__(
        self,
        message: str,
        *,
        limit: str,
        file: str | None = None,
        line: int | None = None,
        index: int | None = None,
        field: str | None = None,
    ) -> None:
        self.limit = limit
        super().__init__(message, file=file, line=line, index=index, field=field)


class ExtendsCycleError(ScenarioError):
    """A scenario extends itself, directly or through other files."""


class ScenarioRuleViolation(RuleViolation):
    """A :class:`RuleViolation` in a loaded scenario, located by ``file`` and ``line``."""

    def __init__(
        self,
        index: int,
        event: Event,
        problems: Sequence[Problem],
        *,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.line = line
        super().__init__(index, event, problems)

    def describe(self) -> str:
        """The violation prefixed with ``file:line``."""
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        text = super().describe()
        return f"{where}: {text}" if where else text
