"""The built-in event vocabulary, one module per theme.

Each theme registers its classes, handlers and rules through the same public
decorators users extend the library with.
"""

from .._event import Event, Precision, RefSpec, ref, strings, window
from .actors import ActorIntroduced
from .elections import (
    AuditConcluded,
    AuditOpened,
    CandidateConceded,
    CandidateDisqualified,
    CandidateWithdrew,
    ConcessionRetracted,
    CountReported,
    DataDisclosed,
    DataWithheld,
    ElectionAnnulled,
    ElectionCalled,
    ElectionDeclared,
    ElectionHeld,
    ElectionRescheduled,
    FraudAlleged,
    ObserverAssessed,
    ResultDisputed,
)
from .justice import (
    AmnestyAccepted,
    AmnestyProposed,
    AmnestyRejected,
    AmnestyWithdrawn,
    ArrestThreatened,
    ArrestWarrantIssued,
    ChargesFiled,
    PeopleDetained,
    PrisonersReleased,
)
from .movement import (
    AsylumDenied,
    AsylumGranted,
    AsylumSought,
    HarassmentReported,
    LeftCountry,
    Reappeared,
    TookEmbassyRefuge,
    WentIntoHiding,
)
from .office import OfficeAssumed, OfficeVacated
from .recognition import (
    RecognitionWithheld,
    ResultRejected,
    TransparencyDemanded,
    WinnerRecognized,
)
from .reported import RecordReported
from .unrest import CrackdownReported, ProtestHeld

__all__ = [
    "ActorIntroduced",
    "AmnestyAccepted",
    "AmnestyProposed",
    "AmnestyRejected",
    "AmnestyWithdrawn",
    "ArrestThreatened",
    "ArrestWarrantIssued",
    "AsylumDenied",
    "AsylumGranted",
    "AsylumSought",
    "AuditConcluded",
    "AuditOpened",
    "CandidateConceded",
    "CandidateDisqualified",
    "CandidateWithdrew",
    "ChargesFiled",
    "ConcessionRetracted",
    "CountReported",
    "CrackdownReported",
    "DataDisclosed",
    "DataWithheld",
    "ElectionAnnulled",
    "ElectionCalled",
    "ElectionDeclared",
    "ElectionHeld",
    "ElectionRescheduled",
    "Event",
    "FraudAlleged",
    "HarassmentReported",
    "LeftCountry",
    "ObserverAssessed",
    "OfficeAssumed",
    "OfficeVacated",
    "PeopleDetained",
    "Precision",
    "PrisonersReleased",
    "ProtestHeld",
    "Reappeared",
    "RecognitionWithheld",
    "RecordReported",
    "RefSpec",
    "ResultDisputed",
    "ResultRejected",
    "TookEmbassyRefuge",
    "TransparencyDemanded",
    "WentIntoHiding",
    "WinnerRecognized",
    "ref",
    "strings",
    "window",
]
