"""The two header models, written once for every contract that uses them.

``PatientSummaryHeaderType`` (2.x contracts): the PDL fields are ``authorTime``,
``healthcareProfessionalCareUnitHSAId`` and ``healthcareProfessionalCareGiverHSAId`` (TKB
clinicalprocess:healthcond:description §7 GetDiagnosis "Regel 1"; TKB clinicalprocess:logistics:logistics
§7 "Regel 1", "Regel 2"). The JoL ``accessControlHeader`` (GetCareDocumentation 3.0,
GetLaboratoryOrderOutcome 4.2): care giver, care unit, ``blockComparisonTime``, ``approvedForPatient``.
"""

from __future__ import annotations

from lxml import etree

from harness.reference_producer.model import HSA_OID, Record
from harness.reference_producer.xmlout import Ns, bool_text

__all__ = [
    "access_control_header",
    "healthcare_professional",
    "jol_author",
    "jol_signature",
    "legal_authenticator",
    "summary_header_end",
    "summary_header_start",
]


def healthcare_professional(ns: Ns, parent: etree._Element, record: Record, name: str) -> None:
    """HealthcareProfessionalType: the author, their unit, and the PDL care unit and care giver."""
    author = record.author
    element = ns.el(parent, name)
    ns.el(element, "authorTime", record.author_time)
    ns.el(element, "healthcareProfessionalHSAId", author.hsa_id)
    ns.el(element, "healthcareProfessionalName", author.name)
    ns.text_cv(element, "healthcareProfessionalRoleCode", author.role)
    org = ns.el(element, "healthcareProfessionalOrgUnit")
    ns.el(org, "orgUnitHSAId", record.care_unit.hsa_id)
    ns.el(org, "orgUnitName", record.care_unit.name)
    ns.el(element, "healthcareProfessionalCareUnitHSAId", record.care_unit.hsa_id)
    ns.el(element, "healthcareProfessionalCareGiverHSAId", record.care_giver.hsa_id)


def legal_authenticator(ns: Ns, parent: etree._Element, record: Record) -> None:
    if record.signature is None:
        return
    element = ns.el(parent, "legalAuthenticator")
    ns.el(element, "signatureTime", record.signature.time)
    ns.el(element, "legalAuthenticatorHSAId", record.signature.signer.hsa_id)
    ns.el(element, "legalAuthenticatorName", record.signature.signer.name)


def summary_header_start(
    ns: Ns, header: etree._Element, record: Record, *, source_name: str = "sourceSystemHSAId"
) -> None:
    """documentId and sourceSystemHSAId: the first two children of every PatientSummaryHeaderType."""
    ns.el(header, "documentId", record.id)
    ns.el(header, source_name, record.source_system)


def summary_header_end(ns: Ns, header: etree._Element, record: Record) -> None:
    """patientId, the accountable professional, legalAuthenticator (when signed), approvedForPatient and
    careContactId: the rest of the PatientSummaryHeaderType of GetDiagnosis 2.0, GetCareDocumentation 2.1
    and GetLaboratoryOrderOutcome 3.1."""
    ns.person_id(header, "patientId", record.patient)
    healthcare_professional(ns, header, record, "accountableHealthcareProfessional")
    legal_authenticator(ns, header, record)
    ns.el(header, "approvedForPatient", bool_text(record.approved_for_patient))
    ns.opt(header, "careContactId", record.care_contact_id)


def access_control_header(ns: Ns, parent: etree._Element, record: Record, block_time: str) -> etree._Element:
    """The JoL accessControlHeader of GetCareDocumentation 3.0 (JoL header 2.2)."""
    element = ns.el(parent, "accessControlHeader")
    ns.hsa(element, "accountableHealthcareProvider", record.care_giver.hsa_id)
    ns.hsa(element, "accountableCareUnit", record.care_unit.hsa_id)
    ns.ii(element, "patientId", record.patient.type_oid, record.patient.value)
    ns.el(element, "blockComparisonTime", block_time)
    ns.el(element, "approvedForPatient", bool_text(record.approved_for_patient))
    return element


def jol_author(ns: Ns, parent: etree._Element, record: Record, *, org_unit: bool = True) -> None:
    element = ns.el(parent, "author")
    ns.hsa(element, "id", record.author.hsa_id)
    ns.el(element, "name", record.author.name)
    ns.el(element, "timestamp", record.author_time)
    ns.text_cv(element, "byRole", record.author.role)
    if org_unit:
        org = ns.el(element, "orgUnit")
        ns.el(org, "orgUnitHSAId", record.care_unit.hsa_id)
        ns.el(org, "orgUnitName", record.care_unit.name)


def jol_signature(ns: Ns, parent: etree._Element, record: Record) -> None:
    if record.signature is None:
        return
    element = ns.el(parent, "signature")
    ns.ii(element, "id", HSA_OID, record.signature.signer.hsa_id)
    ns.el(element, "name", record.signature.signer.name)
    ns.el(element, "timestamp", record.signature.time)
