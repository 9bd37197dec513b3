"""``st.from_type(SomeEvent)`` for every registered event type.

Hypothesis calls :func:`_hypothesis_setup_hook` (the ``hypothesis`` entry
point) when it is imported; :mod:`crisis_model.testing` calls
:func:`register_type_strategies` when it is imported.  Either registers a
strategy for every event type registered so far and installs a registry hook
that registers each type registered later at once (``st.from_type`` resolves
eagerly, so it must be there before a test module calls it).
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .._event import Event
from ..reducer import registry

__all__ = ["register_type_strategies"]

_done: dict[str, int] = {"generation": -1}
_registered: set[type[Event]] = set()


def _strategy_for(cls: type[Event]) -> SearchStrategy[Event]:
    from ._strategies import events

    return events(types=[cls]) if registry.is_registered(cls) else NotImplemented


def register_type_strategies() -> int:
    """Make ``st.from_type(cls)`` draw :func:`events` of ``cls`` for every registered type.

    Cheap when nothing changed since the last call.  A strategy registered
    with ``st.register_type_strategy`` for an event type before this call is
    replaced; use :func:`register_event_strategy` to steer event generation.
    Returns how many types it registered this time.
    """
    hooks = getattr(registry, "on_register", None)
    if hooks is not None and _register_one not in hooks:
        hooks.append(_register_one)
    if _done["generation"] == registry.generation:
        return 0
    new = [cls for cls in registry.types.values() if cls not in _registered]
    for cls in new:
        _register_one(cls)
    _done["generation"] = registry.generation
    return len(new)


def _register_one(cls: type[Event]) -> None:
    if cls not in _registered:
        st.register_type_strategy(cls, _strategy_for)
        _registered.add(cls)


def _hypothesis_setup_hook() -> None:
    """Run by hypothesis on import, through the ``hypothesis`` entry point."""
    register_type_strategies()
