"""Help for testing code built on crisis_model (needs the ``test`` extra).

Hypothesis strategies for events, admissible logs, actors and states; a
hypothesis state machine, :class:`CrisisMachine`, users subclass for their own
event types; and a given/when/then helper for pytest.
"""

try:
    import hypothesis as _hypothesis  # noqa: F401
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise ImportError(
        "crisis_model.testing needs hypothesis, which is not installed: install the 'test' "
        "extra, for example `pip install 'crisis-model[test]'`"
    ) from _exc

from . import (
    _builtin,  # noqa: F401  (registers the built-in types' strategies)
    _builtin_accords,  # noqa: F401  (mediation and agreements)
    _builtin_elections,  # noqa: F401  (the election lifecycle's strategies)
    _builtin_families,  # noqa: F401  (the families: sanctions, emergency, courts...)
    _builtin_institutions,  # noqa: F401  (institutions, votes, statements, symbolic oaths)
    _builtin_misc,  # noqa: F401  (diplomacy, economy, evacuations, travel bans, attacks)
    _builtin_people,  # noqa: F401  (people: custody, movement, asylum, death)
    _builtin_power,  # noqa: F401  (offices and recognition)
)
from ._checks import check_admissions, check_handlers
from ._given import Given, Outcome, given
from ._hypothesis_plugin import register_type_strategies
from ._known import event_ids_for, known_logs, recorded_logs, with_record_fields
from ._machine import CrisisMachine
from ._strategies import (
    EventStrategy,
    actors,
    crisis_states,
    event_logs,
    events,
    next_events,
    register_event_strategy,
    shares,
)
from ._values import counts

__all__ = [
    "CrisisMachine",
    "EventStrategy",
    "Given",
    "Outcome",
    "actors",
    "check_admissions",
    "check_handlers",
    "counts",
    "crisis_states",
    "event_ids_for",
    "event_logs",
    "events",
    "given",
    "known_logs",
    "next_events",
    "recorded_logs",
    "register_event_strategy",
    "register_type_strategies",
    "shares",
    "with_record_fields",
]

register_type_strategies()
