"""The built-in event vocabulary, one module per theme.

Each theme registers its classes, handlers and rules through the same public
decorators users extend the library with.
"""

from .._event import Event, Precision, RefSpec, ref, strings, window
from .actors import ActorIntroduced, PersonDied
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
    CustodyExpelled,
    CustodyTransferred,
    PeopleDetained,
    PrisonersReleased,
)
from .movement import (
    AsylumDenied,
    AsylumEnded,
    AsylumGranted,
    AsylumSought,
    HarassmentReported,
    LeftCountry,
    Reappeared,
    Returned,
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
    "AsylumEnded",
    "AsylumGranted",
    "AsylumSought",
    "AuditConcluded",
    "AuditOpened",
    "CandidateDisqualified",
    "ChargesFiled",
    "CrackdownReported",
    "CustodyExpelled",
    "CustodyTransferred",
    "DataDisclosed",
    "DataWithheld",
    "ElectionCalled",
    "ElectionDeclared",
    "ElectionHeld",
    "Event",
    "HarassmentReported",
    "LeftCountry",
    "ObserverAssessed",
    "OfficeAssumed",
    "OfficeVacated",
    "PeopleDetained",
    "PersonDied",
    "Precision",
    "PrisonersReleased",
    "ProtestHeld",
    "Reappeared",
    "RecognitionWithheld",
    "RecordReported",
    "RefSpec",
    "ResultDisputed",
    "ResultRejected",
    "Returned",
    "TookEmbassyRefuge",
    "TransparencyDemanded",
    "WentIntoHiding",
    "WinnerRecognized",
    "ref",
    "strings",
    "window",
]
