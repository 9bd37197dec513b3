"""Small builders for hand-written logs in tests (public API only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import crisis_model as cm
from crisis_model.events import ActorIntroduced, ElectionDeclared, ElectionHeld

D = dt.date
JULY_1 = D(2024, 7, 1)
JULY_29 = D(2024, 7, 29)


def person(actor: str, day: dt.date = JULY_1, **kw: Any) -> ActorIntroduced:
    """Introduce a person named after its id."""
    return ActorIntroduced(
        occurred_on=day, actor=actor, name=actor.title(), kind=cm.ActorKind.PERSON, **kw
    )


def body(
    actor: str, kind: cm.ActorKind, day: dt.date = JULY_1, **kw: Any
) -> ActorIntroduced:
    """Introduce a non-person actor of ``kind``."""
    return ActorIntroduced(occurred_on=day, actor=actor, name=actor.upper(), kind=kind, **kw)


def base_log() -> list[cm.Event]:
    """Two candidates, an electoral authority, a foreign government, a group, a held election."""
    return [
        person("maduro", offices=("president",)),
        person("gonzalez"),
        body("cne", cm.ActorKind.ELECTORAL_AUTHORITY),
        body("usa", cm.ActorKind.FOREIGN_GOVERNMENT, country="USA"),
        body("spain", cm.ActorKind.FOREIGN_GOVERNMENT, country="ESP"),
        body("detainees", cm.ActorKind.GROUP),
        ElectionHeld(occurred_on=D(2024, 7, 28), election="ve", candidates=("maduro", "gonzalez")),
    ]


def declared(day: dt.date = JULY_29, **kw: Any) -> ElectionDeclared:
    """The authority declares Maduro the winner with 52%."""
    fields: dict[str, Any] = {
        "election": "ve", "authority": "cne", "winner": "maduro", "shares": {"maduro": 52.0}
    }
    fields.update(kw)
    return ElectionDeclared(occurred_on=day, **fields)


def base_state() -> cm.CrisisState:
    """The state after :func:`base_log`."""
    return cm.replay(base_log())


def rejected_rules(state: cm.CrisisState, event: cm.Event) -> list[str]:
    """The names of the rules ``event`` breaks in ``state``."""
    return [p.rule for p in cm.check(state, event)]


def imported(fmt: str, path: Any, **options: Any) -> tuple[list[cm.Event], Any]:
    """The events (actor introductions left out) a reader makes of a dataset file, with
    its import summary; ``options`` are :class:`crisis_model.interop.Options` fields."""
    from crisis_model.interop import ImportSummary, Options, read

    summary = ImportSummary(fmt)
    events = [e for e in read(fmt, path, options=Options(**options), summary=summary)
              if e.event_tag != "actor.introduced"]
    return events, summary
