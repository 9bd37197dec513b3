"""crisis_model: political crises as event-sourced histories.

Immutable, dated, sourced events replay through a pure reducer into
snapshots of every actor's state, with rules that reject events the state
contradicts.

>>> import datetime as dt
>>> import crisis_model as cm
>>> from crisis_model.events import ActorIntroduced
>>> log = [ActorIntroduced(occurred_on=dt.date(2024, 7, 1), actor="cne",
...                        name="National Electoral Council",
...                        kind=cm.ActorKind.ELECTORAL_AUTHORITY, country="VEN")]
>>> cm.replay(log).actors["cne"].name
'National Electoral Council'
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING
from typing import Any as _Any

from . import events as events  # the built-in vocabulary registers itself
from ._count import Count, count_or_none
from ._dates import Reading
from ._draft import Draft, Lookup
from ._event import Event, Precision, actors_of, joint, ref
from ._frozenmap import FrozenMap, MapDraft
from ._place import Place
from ._replace import compile_make, compile_replace
from ._trail import Trail, appended, replaced
from .errors import (
    CrisisModelError,
    DuplicateEventIdError,
    DuplicateSourceError,
    ExtendsCycleError,
    HandlerError,
    LimitExceededError,
    RegistrationError,
    RuleViolation,
    ScenarioError,
    ScenarioRuleViolation,
    ScenarioSchemaError,
    ScenarioSyntaxError,
    UnhandledEventError,
    UnknownEventTypeError,
    UnknownSourceError,
    UnknownTypeTagError,
    WaiverError,
)
from .history import History
from .invariants import InvariantViolation, check_invariants, invariant
from .query import (
    Change,
    TimelineEntry,
    describe,
    diff,
    format_date,
    included_events,
    snapshot_dict,
    summarizer,
    timeline,
    uncertain_events,
)
from .record import (
    KnownLog,
    RecordCorrected,
    RecordError,
    RecordRetracted,
    Revision,
    as_known,
    derived_id,
    event_ids,
    recorded_date,
    recorded_dates,
    revisions,
    source_dates,
)
from .reducer import (
    Admission,
    Anomaly,
    DraftHandler,
    Handler,
    Problem,
    Registry,
    Rule,
    Waived,
    Waiver,
    admission,
    check,
    event_type,
    evolve,
    handler,
    initial_state,
    paused_gc,
    reference_kind,
    registry,
    replay,
    rule,
    snapshots,
    state_at,
    state_slice,
    sweep,
    waived,
)
from .state import (
    ActorDraft,
    ActorKind,
    ActorState,
    Asylum,
    AsylumStatus,
    CrisisState,
    Custody,
    CustodyStatus,
    DataStatus,
    Death,
    DeathCause,
    ElectionDraft,
    ElectionState,
    IncidentsDraft,
    Jeopardy,
    Ledger,
    LedgerDraft,
    Movement,
    MovementKind,
    Offer,
    OfferDraft,
    OfferStatus,
    Stance,
    StanceKind,
    Tally,
    VacatedReason,
    Verdict,
    Whereabouts,
    replace,
)

if TYPE_CHECKING:
    from ._limits import Limits
    from .reporting import report
    from .scenario import Location, Scenario, Source, load_scenario, scenario_names
    from .serialization import Upcaster, upcaster
    from .store import (
        ConcurrencyError,
        EventStore,
        JsonlStore,
        MemoryStore,
        PostgresStore,
        SqliteStore,
        StoreError,
        open_store,
    )

# Scenario files, serialisation (cattrs), the stores and the HTML report are
# imported on first use: together they were a third of `import crisis_model`.
_LAZY = {
    "Limits": "_limits",
    **dict.fromkeys(("Location", "Scenario", "Source", "load_scenario", "scenario_names"),
                    "scenario"),
    **dict.fromkeys(("Upcaster", "upcaster"), "serialization"),
    "report": "reporting",
    **dict.fromkeys(("ConcurrencyError", "EventStore", "JsonlStore", "MemoryStore",
                     "PostgresStore", "SqliteStore", "StoreError", "open_store"), "store"),
}

__version__: str


def __getattr__(name: str) -> _Any:
    # The version is read from the installed metadata on first use:
    # importlib.metadata costs about 18 ms, an eighth of the import.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("crisis-model")
        except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
            found = "0+unknown"
        globals()["__version__"] = found
        return found
    if name in _LAZY:
        value = getattr(_import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'crisis_model' has no attribute {name!r}")

__all__ = [
    "ActorDraft",
    "ActorKind",
    "ActorState",
    "Admission",
    "Anomaly",
    "Asylum",
    "AsylumStatus",
    "Change",
    "ConcurrencyError",
    "Count",
    "CrisisModelError",
    "CrisisState",
    "Custody",
    "CustodyStatus",
    "DataStatus",
    "Death",
    "DeathCause",
    "Draft",
    "DraftHandler",
    "DuplicateEventIdError",
    "DuplicateSourceError",
    "ElectionDraft",
    "ElectionState",
    "Event",
    "EventStore",
    "ExtendsCycleError",
    "FrozenMap",
    "Handler",
    "HandlerError",
    "History",
    "IncidentsDraft",
    "InvariantViolation",
    "Jeopardy",
    "JsonlStore",
    "KnownLog",
    "Ledger",
    "LedgerDraft",
    "LimitExceededError",
    "Limits",
    "Location",
    "Lookup",
    "MapDraft",
    "MemoryStore",
    "Movement",
    "MovementKind",
    "Offer",
    "OfferDraft",
    "OfferStatus",
    "Place",
    "PostgresStore",
    "Precision",
    "Problem",
    "Reading",
    "RecordCorrected",
    "RecordError",
    "RecordRetracted",
    "RegistrationError",
    "Registry",
    "Revision",
    "Rule",
    "RuleViolation",
    "Scenario",
    "ScenarioError",
    "ScenarioRuleViolation",
    "ScenarioSchemaError",
    "ScenarioSyntaxError",
    "Source",
    "SqliteStore",
    "Stance",
    "StanceKind",
    "StoreError",
    "Tally",
    "TimelineEntry",
    "Trail",
    "UnhandledEventError",
    "UnknownEventTypeError",
    "UnknownSourceError",
    "UnknownTypeTagError",
    "Upcaster",
    "VacatedReason",
    "Verdict",
    "Waived",
    "Waiver",
    "WaiverError",
    "Whereabouts",
    "__version__",
    "actors_of",
    "admission",
    "appended",
    "as_known",
    "check",
    "check_invariants",
    "compile_make",
    "compile_replace",
    "count_or_none",
    "derived_id",
    "describe",
    "diff",
    "event_ids",
    "event_type",
    "evolve",
    "format_date",
    "handler",
    "included_events",
    "initial_state",
    "invariant",
    "joint",
    "load_scenario",
    "open_store",
    "paused_gc",
    "recorded_date",
    "recorded_dates",
    "ref",
    "reference_kind",
    "registry",
    "replace",
    "replaced",
    "replay",
    "report",
    "revisions",
    "rule",
    "scenario_names",
    "snapshot_dict",
    "snapshots",
    "source_dates",
    "state_at",
    "state_slice",
    "summarizer",
    "sweep",
    "timeline",
    "uncertain_events",
    "upcaster",
    "waived",
]
