"""The built-in event vocabulary, one module per theme.

Each theme registers its classes, handlers and rules through the same public
decorators users extend the library with.
"""

from .._event import Event, Precision, RefSpec, ref, strings, window
from .actors import ActorIntroduced
from .courts import (
    Acquitted,
    AmnestyEnacted,
    BanLifted,
    ChargesWithdrawn,
    Convicted,
    ImmunityLifted,
    OrganisationBanned,
    Pardoned,
    RulingIssued,
    Sentenced,
)
from .displacement import DisplacementReported
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
from .emergency import EmergencyDeclared, EmergencyExtended, EmergencyLifted
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
from .membership import MemberJoined, MemberReadmitted, MemberSuspended, MemberWithdrew
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
from .sanctions import SanctionsImposed, SanctionsLifted
from .security import (
    InterventionOrdered,
    InterventionThreatened,
    SecurityDefected,
    SecurityMutinied,
    SecurityRefusedOrders,
    TroopsDeployed,
    TroopsWithdrawn,
)
from .unrest import CrackdownReported, ProtestHeld, TollReported

__all__ = [
    "Acquitted",
    "ActorIntroduced",
    "AmnestyAccepted",
    "AmnestyEnacted",
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
    "BanLifted",
    "CandidateDisqualified",
    "ChargesFiled",
    "ChargesWithdrawn",
    "Convicted",
    "CrackdownReported",
    "DataDisclosed",
    "DataWithheld",
    "DisplacementReported",
    "ElectionCalled",
    "ElectionDeclared",
    "ElectionHeld",
    "EmergencyDeclared",
    "EmergencyExtended",
    "EmergencyLifted",
    "Event",
    "HarassmentReported",
    "ImmunityLifted",
    "InterventionOrdered",
    "InterventionThreatened",
    "LeftCountry",
    "MemberJoined",
    "MemberReadmitted",
    "MemberSuspended",
    "MemberWithdrew",
    "ObserverAssessed",
    "OfficeAssumed",
    "OfficeVacated",
    "OrganisationBanned",
    "Pardoned",
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
    "RulingIssued",
    "SanctionsImposed",
    "SanctionsLifted",
    "SecurityDefected",
    "SecurityMutinied",
    "SecurityRefusedOrders",
    "Sentenced",
    "TollReported",
    "TookEmbassyRefuge",
    "TransparencyDemanded",
    "TroopsDeployed",
    "TroopsWithdrawn",
    "WentIntoHiding",
    "WinnerRecognized",
    "ref",
    "strings",
    "window",
]
