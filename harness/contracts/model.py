"""The data that describes one RIVTA service-contract version: what the harness needs to call a
producer and judge its answer, written by us from the official WSDLs, XSDs and TKBs.

Paths to response elements are XPath expressions relative to one record element, with the prefixes
``r`` (the responder namespace), ``c`` (the contract's core-components namespace) and ``x`` (an
extension namespace, e.g. ``urn:riv:clinicalprocess:healthcond:actoutcome:4.1``). Schema paths are
relative to a schema directory (the official bundles, loaded, never copied).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from harness.core.findings import Level

__all__ = [
    "HSA_OID",
    "PERSONNUMMER_OID",
    "SAMORDNINGSNUMMER_OID",
    "ContractKind",
    "ContractVersion",
    "DateFilter",
    "FilterMode",
    "ForbiddenField",
    "HeaderModel",
    "IdShape",
    "InvalidRequestRule",
    "InvalidRequestTrigger",
    "MessageRole",
    "RecordPaths",
    "RequestField",
    "RequestRole",
    "ResultShape",
    "SchemaFiles",
]

# OIDs (RIVTA; TKB clinicalprocess:healthcond:description §7, patientId and HSA-id fields)
PERSONNUMMER_OID = "1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER_OID = "1.2.752.129.2.1.3.3"
HSA_OID = "1.2.752.129.2.1.4.1"


class ContractKind(StrEnum):
    JOURNAL = "journal"  # a producer's contract, read by 1177 journal / NPÖ through the aggregating services
    PLATFORM = "platform"  # a contract of the platform itself (engagement index)


class HeaderModel(StrEnum):
    PATIENT_SUMMARY = "PatientSummaryHeader"  # 2.x generation: patientId{id,type}, HSA-id strings
    JOL = "JoL header"  # JoL HeaderType: accessControlHeader, IIType{root,extension}
    NONE = "none"  # platform contracts


class IdShape(StrEnum):
    HSA_ID = "HSAIdType"  # a plain string
    PERSON_ID = "PersonIdType"  # {id, type}
    II = "IIType"  # {root, extension}
    DATE_PERIOD = "DatePeriodType"  # {start, end}, YYYYMMDD
    STRING = "string"


class RequestRole(StrEnum):
    CARE_UNIT = "care_unit"
    CARE_GIVER = "care_giver"
    PATIENT = "patient"
    PERIOD = "period"
    SOURCE_SYSTEM = "source_system"
    CARE_CONTACT = "care_contact"
    HAS_MORE_REFERENCE = "has_more_reference"
    SPECIMEN = "specimen"
    REFERRAL = "referral"


@dataclass(frozen=True, slots=True)
class RequestField:
    """One child of the request element, in XSD order, with its exact name."""

    role: RequestRole
    name: str
    shape: IdShape
    repeated: bool = False  # maxOccurs="unbounded"
    required: bool = False  # minOccurs="1"


class FilterMode(StrEnum):
    ANY_WITHIN = "any"  # a record matches when any of its timestamps falls within the period
    OVERLAP = "overlap"  # ... when the interval its timestamps form overlaps the period


@dataclass(frozen=True, slots=True)
class DateFilter:
    """The timestamps a contract's date-period filter compares (dates, end date inclusive)."""

    paths: tuple[str, ...]  # relative to a record element
    mode: FilterMode
    source: str  # the public rule, or "assumed: ..." where no TKB text is at hand
    # OVERLAP only: the record's own interval. A missing end leaves it open towards later dates, a
    # missing start towards earlier ones (TKB clinicalprocess:logistics:logistics §7 GetCareContacts).
    interval: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class RecordPaths:
    """Where a record's access-control and identity fields are, relative to the record element.

    An id-like path may point at an IIType (``root``/``extension``), a PersonIdType (``id``/``type``)
    or a plain string: the reader tells them apart by their children.
    """

    element: str  # the record element's local name in the responder namespace, e.g. "diagnosis"
    header: str
    id: str
    source_system: str
    patient: str
    care_unit: str
    care_giver: str
    approved_for_patient: str
    block_time: str  # authorTime (PatientSummaryHeader, "Regel 2") or blockComparisonTime (JoL)
    care_contact: str | None = None


class MessageRole(StrEnum):
    REQUEST = "request"
    RESPONSE = "response"


@dataclass(frozen=True, slots=True)
class ResultShape:
    """The response's ``result`` element and the rules on it (check 14)."""

    required: bool  # minOccurs of result in the XSD
    element_ns: str  # namespace of <result> itself
    child_ns: str  # namespace of resultCode, logId, ...
    text: str = "message"  # "message" (2.x ResultType) or "resultText" (GetCareDocumentation 3)
    has_log_id: bool = True
    has_error_code: bool = True
    required_by_tkb: bool = False  # the TKB says 1..1 where the XSD says 0..1
    error_code_only_with_error: Level | None = None
    log_id_uuid: Level | None = Level.SHOULD
    source: str = ""


@dataclass(frozen=True, slots=True)
class ForbiddenField:
    """A field the contract defines but the producer must not send (check 12)."""

    path: str  # relative to a record element
    level: Level
    source: str


class InvalidRequestTrigger(StrEnum):
    SOURCE_SYSTEM_MISMATCH = "source system differs from the LogicalAddress"
    CARE_CONTACT_WITHOUT_SOURCE_SYSTEM = "careContactId without a source system"


@dataclass(frozen=True, slots=True)
class InvalidRequestRule:
    """When a request gets only ``result{ERROR, INVALID_REQUEST}`` (check 4)."""

    level: Level
    triggers: tuple[InvalidRequestTrigger, ...]
    source: str


@dataclass(frozen=True, slots=True)
class SchemaFiles:
    """The official files of one contract version, relative to a schema directory."""

    wsdl: str | None
    xsd: str  # the responder (or header) schema, which imports the rest relatively
    schematron: tuple[str, ...] = ()  # official constraints.xml files, applied in order
    schematron_applies_to: MessageRole = MessageRole.RESPONSE
    note: str = ""  # where the official files disagree with each other or with the TKB


@dataclass(frozen=True, slots=True)
class ContractVersion:
    name: str  # "GetCareDocumentation"
    version: str  # "3.0"
    domain: str  # "clinicalprocess:healthcond:description"
    namespace: str  # responder namespace
    core_namespace: str  # core-components namespace of the response's records
    soap_action: str  # from the official WSDL
    tak_contract: str  # TAK service contract name (the responder namespace)
    ei_service_domain: str  # "riv:clinicalprocess:healthcond:description"; "" for platform contracts
    ei_categorization: str  # "voo"; "" for platform contracts
    header_model: HeaderModel
    schemas: SchemaFiles
    request: tuple[RequestField, ...]
    record: RecordPaths | None = None
    date_filter: DateFilter | None = None
    result: ResultShape | None = None
    has_more: bool = False  # partial answers (hasMore/hasMoreReference)
    forbidden: tuple[ForbiddenField, ...] = ()
    invalid_request: InvalidRequestRule | None = None
    extension_namespaces: tuple[str, ...] = ()  # bound to x, x2, ... in paths
    rivta_profile: str = "rivtabp21"
    kind: ContractKind = ContractKind.JOURNAL
    soap_action_note: str = ""

    @property
    def major(self) -> str:
        return self.version.split(".", 1)[0]

    @property
    def key(self) -> str:
        """``NAME:VERSION``, as the command line writes it."""
        return f"{self.name}:{self.version}"

    @property
    def vp_path(self) -> str:
        """The contract's path in the VP's national address pattern, below ``/vp/`` (SKLTP test-suite
        ``data.xml``: ``<domain path>/<Contract>/<major>/rivtabp21``)."""
        return f"{self.domain.replace(':', '/')}/{self.name}/{self.major}/rivtabp21"

    @property
    def request_tag(self) -> str:
        return f"{{{self.namespace}}}{self.name}"

    @property
    def response_tag(self) -> str:
        return f"{{{self.namespace}}}{self.name}Response"

    @property
    def nsmap(self) -> dict[str, str]:
        """The prefixes used in this contract's paths."""
        names = ["x" if n == 1 else f"x{n}" for n in range(1, len(self.extension_namespaces) + 1)]
        return {
            "r": self.namespace,
            "c": self.core_namespace,
            **dict(zip(names, self.extension_namespaces, strict=True)),
        }

    def field(self, role: RequestRole) -> RequestField | None:
        return next((f for f in self.request if f.role is role), None)
