"""The built-in event vocabulary, one module per theme.

Each theme registers its classes, handlers and rules through the same public
decorators users extend the library with.
"""

from .._event import Event, Precision, RefSpec, ref, strings, window
from .actors import ActorIntroduced
from .elections import (
    AuditConcluded,
    AuditOpened,
    CandidateDisqualified,
    DataDisclosed,
    DataWithheld,
    ElectionCalled,
    ElectionDeclared,
    ElectionHeld,
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
from .office import ClaimBasis, OfficeAssumed, OfficeSeized, OfficeVacated
from .recognition import (
    HolderRecognized,
    RecognitionRefused,
    RecognitionWithdrawn,
    RecognitionWithheld,
    RepresentativeRecognized,
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
    "CandidateDisqualified",
    "ChargesFiled",
    "ClaimBasis",
    "CrackdownReported",
    "DataDisclosed",
    "DataWithheld",
    "ElectionCalled",
    "ElectionDeclared",
    "ElectionHeld",
    "Event",
    "HarassmentReported",
    "HolderRecognized",
    "LeftCountry",
    "ObserverAssessed",
    "OfficeAssumed",
    "OfficeSeized",
    "OfficeVacated",
    "PeopleDetained",
    "Precision",
    "PrisonersReleased",
    "ProtestHeld",
    "Reappeared",
    "RecognitionRefused",
    "RecognitionWithdrawn",
    "RecognitionWithheld",
    "RecordReported",
    "RefSpec",
    "RepresentativeRecognized",
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
