"""GetCareContacts 2.0 and 3.0 responses.

3.0: documentTitle, documentTime, legalAuthenticator, nullified, nullifiedReason and careContactId are
"Ska ej anges"; healthcareProfessionalOrgUnit and careContactOrgUnit, each with HSA-id and name, are
required for NPÖ ("Regel 4", "Regel 5"); status from SNOMED CT-SE (TKB clinicalprocess:logistics:
logistics §7 GetCareContacts). 2.0 has no ``result`` and codes its type and status as enumerations.
"""

from __future__ import annotations

from lxml import etree

from harness.reference_producer.answer import Answer
from harness.reference_producer.model import CareContactDetails, Record, details_of
from harness.reference_producer.render_diagnosis import write_result
from harness.reference_producer.render_header import healthcare_professional, summary_header_start
from harness.reference_producer.xmlout import Ns, bool_text

__all__ = ["CONTACT_TYPES", "CONTACT_STATUSES", "render_care_contacts_2_0", "render_care_contacts_3_0"]

# Vårdkontakttyp: the 2.0 enumeration and KV Vårdkontakttyp (1.2.752.129.2.2.2.25) in 3.0.
CONTACT_TYPE_SYSTEM = "1.2.752.129.2.2.2.25"
CONTACT_TYPES = {"1": "Besök", "2": "Telefon", "3": "Vårdtillfälle", "4": "Dagsjukvård", "5": "Annan"}
SNOMED_CT_SE = "1.2.752.116.2.1.1"
# status -> (2.0 enumeration, SNOMED CT-SE code, display name) (TKB logistics §7 careContactStatus)
CONTACT_STATUSES = {
    "finished": ("5", "53671000052101", "avslutad vårdkontakt"),
    "ongoing": ("3", "53651000052107", "pågående vårdkontakt"),
    "booked": ("1", "53631000052103", "tidbokad vårdkontakt"),
}
_LOG = "urn:riv:clinicalprocess:logistics:logistics"
R2, CORE2 = Ns(f"{_LOG}:GetCareContactsResponder:2"), Ns(f"{_LOG}:2")
R3, CORE3 = Ns(f"{_LOG}:GetCareContactsResponder:3"), Ns(f"{_LOG}:3")


def _org_unit(ns: Ns, parent: etree._Element, record: Record) -> None:
    org = ns.el(parent, "careContactOrgUnit")
    ns.el(org, "orgUnitHSAId", record.care_unit.hsa_id)
    ns.el(org, "orgUnitName", record.care_unit.name)


def _period(ns: Ns, parent: etree._Element, details: CareContactDetails) -> None:
    period = ns.el(parent, "careContactTimePeriod")
    ns.opt(period, "start", details.start)
    ns.opt(period, "end", details.end)


def _header(ns: Ns, parent: etree._Element, record: Record) -> None:
    header = ns.el(parent, "careContactHeader")
    summary_header_start(ns, header, record)
    ns.person_id(header, "patientId", record.patient)
    healthcare_professional(ns, header, record, "accountableHealthcareProfessional")
    ns.el(header, "approvedForPatient", bool_text(record.approved_for_patient))


def _body_2_0(parent: etree._Element, record: Record, details: CareContactDetails) -> None:
    body = CORE2.el(parent, "careContactBody")
    CORE2.el(body, "careContactCode", details.contact_code)
    CORE2.el(body, "careContactReason", details.reason)
    _org_unit(CORE2, body, record)
    _period(CORE2, body, details)
    CORE2.el(body, "careContactStatus", CONTACT_STATUSES[details.status][0])


def _body_3_0(parent: etree._Element, record: Record, details: CareContactDetails) -> None:
    body = CORE3.el(parent, "careContactBody")
    code = details.contact_code
    CORE3.cv(body, "careContactCode", code, CONTACT_TYPE_SYSTEM, CONTACT_TYPES[code])
    CORE3.el(body, "careContactReason", details.reason)
    _org_unit(CORE3, body, record)
    _period(CORE3, body, details)
    _, snomed, name = CONTACT_STATUSES[details.status]
    CORE3.cv(body, "careContactStatus", snomed, SNOMED_CT_SE, name)


def render_care_contacts_2_0(answer: Answer) -> etree._Element:
    response = R2.root("GetCareContactsResponse", {"r": R2.uri, "core": CORE2.uri})
    for record in answer.records:
        contact = R2.el(response, "careContact")
        _header(CORE2, contact, record)
        _body_2_0(contact, record, details_of(record, CareContactDetails))
    return response


def render_care_contacts_3_0(answer: Answer) -> etree._Element:
    response = R3.root("GetCareContactsResponse", {"r": R3.uri, "core": CORE3.uri})
    for record in () if answer.error else answer.records:
        contact = R3.el(response, "careContact")
        _header(CORE3, contact, record)
        _body_3_0(contact, record, details_of(record, CareContactDetails))
    write_result(R3, CORE3, response, answer)
    return response
