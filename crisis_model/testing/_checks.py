"""``check_handlers`` and ``check_admissions``: what handlers and admission checks
must honour, checked on a log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._event import Event
from .._registry import registry
from ..reducer import (
    _check_refs,
    _current_admissions,
    _normalise,
    evolve,
    initial_state,
    replay,
    snapshots,
)
from ..state import CrisisState

__all__ = ["check_admissions", "check_handlers"]


def check_handlers(events: Iterable[Event], *, initial: CrisisState | None = None) -> None:
    """Check the handlers of ``events`` (an admissible log) against the rules for handlers.

    Replays ``events`` three ways and requires the same states from each: one
    draft frozen once at the end (``replay``), one draft frozen after every
    event (``snapshots``), and a fresh one-event draft per event (``evolve``, the
    persistent path).  So a handler that keeps a record or the draft past its call
    and writes to it later fails here (the write raises ``FrozenInstanceError``
    once that record is frozen, or the three disagree); so does one that depends on
    anything but the state and the event.  Every state taken along the way must
    be unchanged when the replay ends (states users hold never change) and
    hashable (state holds only immutable values).  Raises ``AssertionError``
    naming the first event where they part.

    >>> import datetime as dt
    >>> from crisis_model.events import ActorIntroduced, WentIntoHiding
    >>> import crisis_model as cm
    >>> check_handlers([
    ...     ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="m", name="M",
    ...                     kind=cm.ActorKind.PERSON),
    ...     WentIntoHiding(occurred_on=dt.date(2024, 8, 1), person="m"),
    ... ])
    """
    log = list(events)
    start = initial_state() if initial is None else initial
    kept = list(snapshots(log, initial=start))
    final = replay(log, initial=start)
    state = start
    for index, (event, snapshot) in enumerate(zip(log, kept, strict=True)):
        state = evolve(state, event)
        if state != snapshot:
            raise AssertionError(
                f"event #{index} ({type(event).event_tag}): the state after it differs when "
                "each event is applied to its own draft and when one draft is kept: a handler "
                "depends on something besides the state and the event, or keeps a record "
                "past its call")
        try:
            hash(snapshot)
        except TypeError as exc:
            raise AssertionError(
                f"event #{index} ({type(event).event_tag}): the state after it holds a mutable "
                f"value ({exc}); store tuples, Trails, FrozenMaps and frozen records only"
            ) from None
    if log and final != kept[-1]:
        raise AssertionError(
            "replaying the whole log into one draft gives another final state than freezing "
            "it after every event: a handler keeps a record past its call and writes to it")
    again = list(snapshots(log, initial=start))
    for index, (before, after) in enumerate(zip(kept, again, strict=True)):
        if before != after:
            raise AssertionError(
                f"event #{index} ({type(log[index]).event_tag}): a state taken earlier "
                "changed afterwards; handlers must never write to a state users hold")


def check_admissions(
    events: Iterable[Event], *, initial: CrisisState | None = None,
    candidates: Iterable[Event] | None = None,
) -> int:
    """Check every :func:`crisis_model.admission` check against the rules it covers.

    ``events`` is an admissible log.  At each state it passes through (the
    initial state, then the state after each event), each candidate event (by
    default, every event of the log; ``candidates`` adds others) whose references
    resolve there is put to the current admission check of its class: where the
    check admits it, every rule the check covers must return ``None``.  Pairing
    states with events from elsewhere in the log yields inadmissible pairs, which
    is what a check must not let through.  A check registered with
    ``references=True`` is also put to the candidates whose references do not
    resolve, and must not admit them.  Raises ``AssertionError`` naming the
    class, the rule, the state and the event; returns how many pairs a check admitted.

    >>> import datetime as dt
    >>> from crisis_model.events import ActorIntroduced, WentIntoHiding, Reappeared
    >>> import crisis_model as cm
    >>> day = dt.date(2024, 8, 1)
    >>> check_admissions([
    ...     ActorIntroduced(occurred_on=day, actor="m", name="M", kind=cm.ActorKind.PERSON),
    ...     WentIntoHiding(occurred_on=day, person="m"),
    ...     Reappeared(occurred_on=day, person="m"),
    ... ]) > 0
    True
    """
    log = list(events)
    start = initial_state() if initial is None else initial
    pool = [*log, *(candidates or ())]
    checks = {}
    for cls in dict.fromkeys(type(e) for e in pool):
        current = _current_admissions(cls, registry.rules.get(cls, ()))
        if current:
            checks[cls] = current
    pool = [e for e in pool if type(e) in checks]
    admitted = 0
    for index, state in enumerate([start, *snapshots(log, initial=start)]):
        where = "the initial state" if index == 0 else f"the state after event #{index - 1}"
        for event in pool:
            unresolved = _check_refs(state, event, registry.refs.get(type(event), ()))
            for pairs, fast, references in checks[type(event)]:
                if unresolved:  # only a check that answers for references is asked
                    if references and _says_yes(fast, state, event):
                        raise AssertionError(
                            f"the admission check {getattr(fast, '__qualname__', fast)!r} "
                            f"admits a {event.event_tag!r} event at {where} although a "
                            f"reference does not resolve ({unresolved[0].message}): {event!r}")
                    continue
                if not fast(state, event):
                    continue
                admitted += 1
                for name, rule in pairs:
                    result = rule(state, event)
                    if result is not None and _normalise(result, name):
                        raise AssertionError(
                            f"the admission check {getattr(fast, '__qualname__', fast)!r} admits a "
                            f"{event.event_tag!r} event at {where}, but rule {name!r} refuses it "
                            f"({result!r}): {event!r}")
    return admitted


def _says_yes(fast: Any, state: CrisisState, event: Event) -> bool:
    """Whether ``fast`` admits ``event`` (a ``KeyError`` on a missing id counts as no)."""
    try:
        return bool(fast(state, event))
    except KeyError:
        return False
