"""From a contract request to its response element: the producer's pipeline and its seams.

read the query -> request checks (logical errors) -> find the patient's linked identities -> the
patient's records of the contract's kind -> record filters -> render -> response transforms.
:class:`ProducerRules` holds each step; the reference producer uses the defaults.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from lxml import etree

from harness.core.soap import build_envelope, build_fault
from harness.reference_producer.answer import Answer, Renderer
from harness.reference_producer.contracts import ServedContract
from harness.reference_producer.model import Identity
from harness.reference_producer.query import Query, read_query
from harness.reference_producer.render_contacts import render_care_contacts_2_0, render_care_contacts_3_0
from harness.reference_producer.render_diagnosis import render_diagnosis_2_0
from harness.reference_producer.render_lab import render_lab_3_1, render_lab_4_2
from harness.reference_producer.render_notes import (
    render_care_documentation_2_1,
    render_care_documentation_3_0,
)
from harness.reference_producer.rules import (
    DEFAULT_RECORD_FILTERS,
    DEFAULT_REQUEST_CHECKS,
    CallContext,
    RecordFilter,
    RequestCheck,
    select,
)
from harness.reference_producer.store import JournalStore

__all__ = [
    "RENDERERS",
    "XML_CONTENT_TYPE",
    "FaultContext",
    "FaultWriter",
    "PatientLookup",
    "ProducerRules",
    "ResponseTransform",
    "Serializer",
    "linked_identities",
    "respond",
    "technical_fault",
    "utf8_envelope",
]

XML_CONTENT_TYPE = "text/xml;charset=UTF-8"

RENDERERS: Mapping[str, Renderer] = MappingProxyType(
    {
        "GetCareDocumentation 2.1": render_care_documentation_2_1,
        "GetCareDocumentation 3.0": render_care_documentation_3_0,
        "GetDiagnosis 2.0": render_diagnosis_2_0,
        "GetCareContacts 2.0": render_care_contacts_2_0,
        "GetCareContacts 3.0": render_care_contacts_3_0,
        "GetLaboratoryOrderOutcome 3.1": render_lab_3_1,
        "GetLaboratoryOrderOutcome 4.2": render_lab_4_2,
    }
)


@dataclass(frozen=True, slots=True)
class FaultContext:
    """A failed call: ``client`` for a request the producer cannot read, else a technical error."""

    log_id: str
    client: bool
    message: str  # fixed text of the producer's own, never request data
    query: Query | None = None  # what was asked, if it could be read


# The identities a request's patientId stands for: every identity linked to it, or () if unknown.
PatientLookup = Callable[[JournalStore, Identity], tuple[Identity, ...]]
# Changes a rendered response element in place (after rendering, before the envelope).
ResponseTransform = Callable[[ServedContract, etree._Element], None]
# The SOAP Fault envelope for a failed call.
FaultWriter = Callable[[FaultContext], bytes]
# The HTTP body and Content-Type of a response element.
Serializer = Callable[[etree._Element], tuple[bytes, str]]


def linked_identities(store: JournalStore, identity: Identity) -> tuple[Identity, ...]:
    """TKB actoutcome §4 R2: also the records registered under the patient's other identities."""
    return store.identities_of(identity)


def technical_fault(context: FaultContext) -> bytes:
    """SOAP 1.1 Fault without personal data, with a UUID log id for technical errors (TKB
    clinicalprocess:healthcond:description §4 "Tekniska fel": "Ett log-id bör vara en UUID")."""
    if context.client:
        return build_fault("Client", context.message)
    return build_fault("Server", f"Technical error in the source system, log id {context.log_id}")


def utf8_envelope(response: etree._Element) -> tuple[bytes, str]:
    """UTF-8 with an XML prolog that says so, and the same charset in Content-Type (Inera's test
    suites, case 2.1 Encoding_HeaderProlog)."""
    return build_envelope(response), XML_CONTENT_TYPE


@dataclass(frozen=True)
class ProducerRules:
    """The seams of the producer (dependency injection; the defaults are the conformant producer)."""

    request_checks: tuple[RequestCheck, ...] = DEFAULT_REQUEST_CHECKS
    record_filters: tuple[RecordFilter, ...] = DEFAULT_RECORD_FILTERS
    patient_lookup: PatientLookup = linked_identities
    renderers: Mapping[str, Renderer] = field(default_factory=lambda: RENDERERS)
    response_transforms: tuple[ResponseTransform, ...] = ()
    fault_writer: FaultWriter = technical_fault
    serializer: Serializer = utf8_envelope


def respond(
    store: JournalStore, rules: ProducerRules, request: etree._Element, context: CallContext
) -> etree._Element:
    """The response element for a request element of ``context.contract``.

    Raises :class:`~harness.reference_producer.query.RequestError` for an unreadable request and lets
    technical errors (e.g. :class:`~harness.reference_producer.store.StoreUnavailable`) propagate.
    """
    query = read_query(context.contract, request)
    log_id = str(uuid.uuid4())
    error = next((e for e in (check(query, context) for check in rules.request_checks) if e), None)
    if error is not None:
        answer = Answer((), log_id, error)
    else:
        identities = rules.patient_lookup(store, query.patient)
        records = store.records_for(identities, context.contract.kind)
        answer = Answer(select(records, query, context, rules.record_filters), log_id)
    element = rules.renderers[context.contract.label](answer)
    for transform in rules.response_transforms:
        transform(context.contract, element)
    return element
