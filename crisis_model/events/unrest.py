"""Unrest: protests and crackdowns, counted (numbers unknown stay unknown)."""

from __future__ import annotations

import attrs

from .._draft import Draft
from .._event import Event, ref
from ..reducer import event_type, handler, rule
from ..state import CrisisState

__all__ = ["CrackdownReported", "ProtestHeld"]


@event_type("unrest.protest", version=1)
@attrs.frozen(kw_only=True)
class ProtestHeld(Event):
    """A protest (or wave of protests) takes place."""

    location: str | None = None
    by: str | None = ref("actor", default=None)
    size: int | None = None
    demand: str = ""


@event_type("unrest.crackdown", version=1)
@attrs.frozen(kw_only=True)
class CrackdownReported(Event):
    """Security forces crack down; each count is ``None`` when the report gives no number.

    When ``group`` names a detainee group, the arrests enter that group's
    detention ledger too.
    """

    by: str | None = ref("actor", default=None)
    deaths: int | None = None
    injuries: int | None = None
    arrests: int | None = None
    group: str | None = ref("actor", default=None)


@rule(ProtestHeld)
def non_negative_size(state: CrisisState, e: ProtestHeld) -> str | None:
    if e.size is not None and e.size < 0:
        return f"size is {e.size}; a count is never negative"
    return None


@rule(CrackdownReported)
def non_negative_counts(state: CrisisState, e: CrackdownReported) -> list[str] | None:
    counts = (("deaths", e.deaths), ("injuries", e.injuries), ("arrests", e.arrests))
    return [f"{name} is {value}; a count is never negative"
            for name, value in counts if value is not None and value < 0] or None


@handler(ProtestHeld)
def _protest(draft: Draft, e: ProtestHeld) -> None:
    draft.edit_incidents().protests += 1


@handler(CrackdownReported)
def _crackdown(draft: Draft, e: CrackdownReported) -> None:
    i = draft.edit_incidents()
    i.crackdowns += 1
    i.deaths = i.deaths.add(e.deaths)
    i.injuries = i.injuries.add(e.injuries)
    i.arrests = i.arrests.add(e.arrests)
    if e.group is not None:
        ledger = draft.edit_ledger(e.group)
        ledger.detained = ledger.detained.add(e.arrests)
