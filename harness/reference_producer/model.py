"""The journal's records as frozen values: what the store reads and the renderers write out.

A record carries what every contract needs for PDL and access control (care giver, care unit, the
author's time, approvedForPatient: TKB clinicalprocess:healthcond:description §4 "Patientens
direktåtkomst", §7 "Regel 1") and the details of its kind. Timestamps are ``YYYYMMDDhhmmss`` in
Swedish local time (TKB §4 "Tidszon för tidpunkter").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from harness.reference_producer.contracts import RecordKind

__all__ = [
    "HSA_OID",
    "ORGNR_OID",
    "PERSONNUMMER_OID",
    "SAMORDNINGSNUMMER_OID",
    "CareContactDetails",
    "CareGiver",
    "CareUnit",
    "Details",
    "DiagnosisDetails",
    "DissentingOpinion",
    "Identity",
    "LabAnalysis",
    "LabDetails",
    "NoteDetails",
    "Professional",
    "Record",
    "Signature",
    "details_of",
]

_T = TypeVar("_T")

# OIDs (TKB clinicalprocess:healthcond:description §7, field rules for patientId and IIType).
PERSONNUMMER_OID = "1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER_OID = "1.2.752.129.2.1.3.3"
HSA_OID = "1.2.752.129.2.1.4.1"
ORGNR_OID = "1.2.752.29.4.3"
NATIONAL_ID_OIDS = (PERSONNUMMER_OID, SAMORDNINGSNUMMER_OID)


@dataclass(frozen=True, slots=True)
class Identity:
    """A person identifier and its kind: personnummer, samordningsnummer or a local reserve number."""

    value: str
    type_oid: str

    @property
    def is_national(self) -> bool:
        return self.type_oid in NATIONAL_ID_OIDS


@dataclass(frozen=True, slots=True)
class CareGiver:
    """Vårdgivare: the data controller (personuppgiftsansvarig)."""

    hsa_id: str
    name: str
    orgnr: str  # 10 digits, no hyphen

    @property
    def data_controller(self) -> str:
        """The EI's dataController: "SE" + organisationsnummer (TKB description §4 EI table)."""
        return f"SE{self.orgnr}"


@dataclass(frozen=True, slots=True)
class CareUnit:
    """Vårdenhet (PDL-enhet) of a care giver."""

    hsa_id: str
    name: str
    care_giver: CareGiver


@dataclass(frozen=True, slots=True)
class Professional:
    hsa_id: str
    name: str
    role: str  # befattning in plain text, written as CV originalText (no code claimed from KV Befattning)


@dataclass(frozen=True, slots=True)
class Signature:
    signer: Professional
    time: str


@dataclass(frozen=True, slots=True)
class DissentingOpinion:
    """A patient's dissenting opinion on a note (avvikande mening)."""

    opinion_id: str
    author_time: str
    opinion: str
    person: Identity
    person_name: str


@dataclass(frozen=True, slots=True)
class NoteDetails:
    note_code: str  # KV Anteckningstyp (1.2.752.129.2.2.2.11): utr, atb, sam, sao, ins, slu, auf, sva, bes
    title: str
    text: str  # plain text, or DocBook when ``docbook``
    docbook: bool = False
    dissenting: tuple[DissentingOpinion, ...] = ()


@dataclass(frozen=True, slots=True)
class DiagnosisDetails:
    main: bool  # Huvuddiagnos / Bidiagnos
    code: str  # ICD-10-SE
    display_name: str
    diagnosis_time: str
    chronic: bool | None = None
    related_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CareContactDetails:
    contact_code: str  # vårdkontakttyp: 1 besök, 2 telefon, 3 vårdtillfälle, 4 dagsjukvård, 5 annan
    reason: str
    start: str | None
    end: str | None  # None: still going on (an ongoing inpatient stay)
    status: str  # "finished", "ongoing" or "booked"


@dataclass(frozen=True, slots=True)
class LabAnalysis:
    analysis_id: str
    npu_code: str  # NPU (1.2.752.108.1)
    display_name: str
    specimen_id: str
    specimen_time: str
    value: str  # a number for a measured value, else text
    unit: str  # "" when the result has no unit (TKB actoutcome §7 GetLaboratoryOrderOutcome rule 3.3)
    low: str | None = None
    high: str | None = None
    pathological: bool = False


@dataclass(frozen=True, slots=True)
class LabDetails:
    report_id: str
    status: str  # final, partial or preliminary (FHIR Diagnostic Report Status)
    discipline: str
    text: str
    referral_id: str
    referral_time: str
    question: str
    analyses: tuple[LabAnalysis, ...]

    @property
    def latest_specimen_time(self) -> str:
        return max(a.specimen_time for a in self.analyses)


Details = NoteDetails | DiagnosisDetails | CareContactDetails | LabDetails


@dataclass(frozen=True, slots=True)
class Record:
    """One journal record as stored, with its stored identity and the patient's national identity."""

    id: str  # stable, unique, the same in every contract and version (UUID)
    kind: RecordKind
    source_system: str  # the logical address that holds it
    patient: Identity  # the identity it was stored under
    national_id: Identity | None  # the patient's personnummer/samordningsnummer (linked identity)
    care_unit: CareUnit
    author: Professional
    author_time: str  # registered (authorTime / author.timestamp)
    record_time: str  # what it is about: the visit (record.timestamp, documentTime)
    signature: Signature | None
    approved_for_patient: bool
    care_contact_id: str | None
    changed_at: str  # last create/change time, for the EI's mostRecentContent
    details: Details

    @property
    def care_giver(self) -> CareGiver:
        return self.care_unit.care_giver


def details_of(record: Record, kind: type[_T]) -> _T:
    """The record's details as ``kind`` (a renderer is only given records of its own kind)."""
    if not isinstance(record.details, kind):
        raise TypeError(f"record {record.id} is a {record.kind.value}, not a {kind.__name__}")
    return record.details
