"""``check_handlers``: the rules every handler must follow, checked on a log."""

from __future__ import annotations

from collections.abc import Iterable

from .._event import Event
from ..reducer import evolve, initial_state, replay, snapshots
from ..state import CrisisState

__all__ = ["check_handlers"]


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
                f"value ({exc}); store tuples, FrozenMaps and frozen records only") from None
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
