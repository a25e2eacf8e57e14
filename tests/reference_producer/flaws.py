"""Deliberately flawed variants of the reference producer's seams: test fixtures, never product code.

Each is named for its flaw; the producer suite's own tests build broken producers from them
(``ProducerConfig(rules=replace(ProducerRules(), ...))``, ``ei_rules=EiRules(...)``).
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from lxml import etree

from harness.core.soap import build_fault
from harness.reference_producer.contracts import ServedContract
from harness.reference_producer.engagements import Engagement
from harness.reference_producer.model import Identity, Record
from harness.reference_producer.publisher import Change, EiRules
from harness.reference_producer.query import Query
from harness.reference_producer.responder import FaultContext, ProducerRules, technical_fault, utf8_envelope
from harness.reference_producer.rules import (
    DEFAULT_RECORD_FILTERS,
    CallContext,
    from_logical_address,
    has_more_reference_is_known,
    in_requested_period,
    record_dates,
)
from harness.reference_producer.store import JournalStore


def in_period_exclusive_end(record: Record, query: Query, context: CallContext) -> bool:
    """FLAW: compares timestamps with the end date's midnight, so the end day is left out."""
    period = query.period
    if period is None:
        return True
    return any(
        (period.start or "") <= d < (period.end or "99999999") for d in record_dates(record, context.contract)
    )


def fault_for_unknown_patient(store: JournalStore, identity: Identity) -> tuple[Identity, ...]:
    """FLAW: an unknown patient is an exception (a SOAP Fault) instead of an empty answer."""
    found = store.identities_of(identity)
    if not found:
        raise LookupError("patient not found")
    return found


def fault_with_personnummer(context: FaultContext) -> bytes:
    """FLAW: the technical fault names the patient."""
    if context.client or context.query is None:
        return technical_fault(context)
    return build_fault("Server", f"database error while reading patient {context.query.patient.value}")


def _all(element: etree._Element, local: str) -> list[etree._Element]:
    return [e for e in element.iter() if isinstance(e.tag, str) and etree.QName(e).localname == local]


def lock_time_sent(contract: ServedContract, element: etree._Element) -> None:
    """FLAW: writes lockTime in the JoL accessControlHeader (0..0 in GetLaboratoryOrderOutcome 4.2)."""
    for approved in _all(element, "blockComparisonTime"):
        lock = etree.Element(
            etree.QName(approved).namespace and f"{{{etree.QName(approved).namespace}}}lockTime" or "lockTime"
        )
        lock.text = "20240101120000"
        approved.addprevious(lock)


def unstable_record_ids(contract: ServedContract, element: etree._Element) -> None:
    """FLAW: a new id for every record in every answer."""
    for document_id in _all(element, "documentId"):
        document_id.text = str(uuid.uuid4())
    for record in _all(element, "record"):
        for root in record.iter():
            if isinstance(root.tag, str) and etree.QName(root).localname in ("root", "extension"):
                root.text = str(uuid.uuid4())


def missing_care_unit(contract: ServedContract, element: etree._Element) -> None:
    """FLAW: no care unit on the records (PDL: "Om HSA-id för vårdenhet inte kan lämnas ...")."""
    for name in ("healthcareProfessionalCareUnitHSAId", "accountableCareUnit"):
        for found in _all(element, name):
            parent = found.getparent()
            if parent is not None:
                parent.remove(found)


def wrong_element_order(contract: ServedContract, element: etree._Element) -> None:
    """FLAW: approvedForPatient written before the author (schema-invalid order)."""
    for approved in _all(element, "approvedForPatient"):
        parent = approved.getparent()
        if parent is not None:
            parent.remove(approved)
            parent.insert(0, approved)


def latin1_content_type(response: etree._Element) -> tuple[bytes, str]:
    """FLAW: UTF-8 bytes announced as ISO-8859-1."""
    body, _ = utf8_envelope(response)
    return body, "text/xml;charset=ISO-8859-1"


def unescaped_text(response: etree._Element) -> tuple[bytes, str]:
    """FLAW: text written without escaping ``<`` and ``&`` (string concatenation)."""
    body, content_type = utf8_envelope(response)
    return body.replace(b"&lt;", b"<").replace(b"&amp;", b"&"), content_type


def ei_with_owner(engagement: Engagement) -> Engagement:
    """FLAW: sets owner, which only the EI sets."""
    return replace(engagement, owner="TSTNMT2321000156-RP00")


def ei_wrong_categorization(engagement: Engagement) -> Engagement:
    """FLAW: the domain's name instead of the TKB's categorization code."""
    return replace(engagement, categorization="journalanteckningar")


IGNORES_LOGICAL_ADDRESS = replace(
    ProducerRules(), record_filters=tuple(f for f in DEFAULT_RECORD_FILTERS if f is not from_logical_address)
)
EXCLUSIVE_END = replace(
    ProducerRules(),
    record_filters=tuple(
        in_period_exclusive_end if f is in_requested_period else f for f in DEFAULT_RECORD_FILTERS
    ),
)
NO_INVALID_REQUEST = replace(ProducerRules(), request_checks=(has_more_reference_is_known,))
FAULT_FOR_UNKNOWN_PATIENT = replace(ProducerRules(), patient_lookup=fault_for_unknown_patient)
PERSONAL_DATA_IN_FAULT = replace(ProducerRules(), fault_writer=fault_with_personnummer)
LOCK_TIME = replace(ProducerRules(), response_transforms=(lock_time_sent,))
UNSTABLE_IDS = replace(ProducerRules(), response_transforms=(unstable_record_ids,))
MISSING_PDL = replace(ProducerRules(), response_transforms=(missing_care_unit,))
WRONG_ORDER = replace(ProducerRules(), response_transforms=(wrong_element_order,))
WRONG_CHARSET = replace(ProducerRules(), serializer=latin1_content_type)
IMPROPER_ESCAPING = replace(ProducerRules(), serializer=unescaped_text)
EI_OWNER = EiRules(transforms=(ei_with_owner,))
EI_WRONG_CATEGORIZATION = EiRules(transforms=(ei_wrong_categorization,))
NO_EI_ON_APPROVAL_CHANGE = EiRules(notify_on=frozenset(Change) - {Change.APPROVAL_CHANGED})
