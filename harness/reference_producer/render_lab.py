"""GetLaboratoryOrderOutcome 3.1 and 4.2 responses.

4.2 (TKB clinicalprocess:healthcond:actoutcome §7 GetLaboratoryOrderOutcome): no ``result`` element;
``lockTime`` is 0..0 ("Detta element skall ej användas", rule 2.2) and never written;
accountableCareGiver and accountableCareUnit 1..1 (rule 2.1); accessControlHeader/patientId given
("Obligatorisk vid nyanslutning"); blockComparisonTime is the latest specimen's time; body/type from
FHIR Diagnostic Report Status (final, partial, preliminary); no orgUnit in signature; a result
without unit carries an empty ``unit`` (rule 3.3). 3.1 keeps the PatientSummaryHeaderType model.
"""

from __future__ import annotations

from lxml import etree

from harness.reference_producer.answer import Answer
from harness.reference_producer.model import HSA_OID, LabAnalysis, LabDetails, Record, details_of
from harness.reference_producer.render_diagnosis import write_result
from harness.reference_producer.render_header import (
    jol_author,
    jol_signature,
    summary_header_end,
    summary_header_start,
)
from harness.reference_producer.xmlout import Ns, bool_text

__all__ = ["NPU", "REPORT_STATUS_SYSTEM", "render_lab_3_1", "render_lab_4_2"]

NPU = "1.2.752.108.1"
SNOMED_CT_SE = "1.2.752.116.2.1.1"
BLOOD_SPECIMEN = ("119297000", "blodprov")  # SNOMED CT-SE provmaterial
REPORT_STATUS_SYSTEM = "2.16.840.1.113883.4.642.3.235"  # FHIR Diagnostic Report Status
REPORT_STATUS_NAMES = {"final": "Final", "partial": "Partial", "preliminary": "Preliminary"}
_ACT = "urn:riv:clinicalprocess:healthcond:actoutcome"
R3, CORE3 = Ns(f"{_ACT}:GetLaboratoryOrderOutcomeResponder:3"), Ns(f"{_ACT}:3")
R4, CORE4, EXT41 = Ns(f"{_ACT}:GetLaboratoryOrderOutcomeResponder:4"), Ns(f"{_ACT}:4"), Ns(f"{_ACT}:4.1")


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


# -- 3.1 --------------------------------------------------------------------------------------------


def _analysis_3_1(parent: etree._Element, record: Record, analysis: LabAnalysis) -> None:
    element = CORE3.el(parent, "analysis")
    CORE3.ii(element, "analysisId", record.source_system, analysis.analysis_id)
    CORE3.el(CORE3.el(element, "analysisTime"), "start", analysis.specimen_time)
    CORE3.cv(element, "analysisCode", analysis.npu_code, NPU, analysis.display_name)
    CORE3.el(element, "specimen", BLOOD_SPECIMEN[1])
    outcome = CORE3.el(element, "analysisOutcome")
    CORE3.el(outcome, "outcomeValue", analysis.value)
    CORE3.opt(outcome, "outcomeUnit", analysis.unit)
    CORE3.el(outcome, "pathologicalFlag", bool_text(analysis.pathological))
    if analysis.low is not None and analysis.high is not None:
        CORE3.el(outcome, "referenceInterval", f"{analysis.low}-{analysis.high} {analysis.unit}".strip())


def _outcome_3_1(parent: etree._Element, record: Record, details: LabDetails) -> None:
    header = CORE3.el(parent, "laboratoryOrderOutcomeHeader")
    summary_header_start(CORE3, header, record)
    summary_header_end(CORE3, header, record)
    body = CORE3.el(parent, "laboratoryOrderOutcomeBody")
    CORE3.el(body, "resultType", "DEF" if details.status == "final" else "PREL")
    CORE3.el(body, "registrationTime", record.author_time)
    CORE3.el(body, "discipline", details.discipline)
    CORE3.el(body, "resultReport", details.text)
    for analysis in details.analyses:
        _analysis_3_1(body, record, analysis)
    CORE3.el(CORE3.el(body, "order"), "orderId", details.referral_id)


def render_lab_3_1(answer: Answer) -> etree._Element:
    response = R3.root("GetLaboratoryOrderOutcomeResponse", {"r": R3.uri, "core": CORE3.uri})
    for record in () if answer.error else answer.records:
        _outcome_3_1(R3.el(response, "laboratoryOrderOutcome"), record, details_of(record, LabDetails))
    write_result(R3, CORE3, response, answer)
    return response


# -- 4.2 --------------------------------------------------------------------------------------------


def _header_4_2(parent: etree._Element, record: Record, details: LabDetails) -> None:
    header = CORE4.el(parent, "header")
    access = CORE4.el(header, "accessControlHeader")
    CORE4.hsa(access, "accountableCareGiver", record.care_giver.hsa_id)
    CORE4.hsa(access, "accountableCareUnit", record.care_unit.hsa_id)
    patient = record.national_id or record.patient
    if patient != record.patient:
        CORE4.ii(access, "originalPatientId", record.patient.type_oid, record.patient.value)
    CORE4.el(access, "blockComparisonTime", details.latest_specimen_time)
    CORE4.el(access, "approvedForPatient", bool_text(record.approved_for_patient))
    patient_id = EXT41.el(access, "patientId")
    CORE4.el(patient_id, "root", patient.type_oid)
    CORE4.el(patient_id, "extension", patient.value)
    CORE4.hsa(header, "sourceSystemId", record.source_system)
    entry = CORE4.el(header, "record")
    CORE4.ii(entry, "id", record.source_system, record.id)
    CORE4.el(entry, "timestamp", record.author_time)
    jol_author(CORE4, header, record, org_unit=False)
    jol_signature(CORE4, header, record)


def _analysis_4_2(parent: etree._Element, record: Record, analysis: LabAnalysis) -> None:
    element = CORE4.el(parent, "analysis")
    CORE4.ii(element, "identifier", record.source_system, analysis.analysis_id)
    CORE4.cv(element, "code", analysis.npu_code, NPU, analysis.display_name)
    specimen = CORE4.el(element, "specimen")
    CORE4.ii(specimen, "identifier", record.source_system, analysis.specimen_id)
    CORE4.cv(specimen, "material", BLOOD_SPECIMEN[0], SNOMED_CT_SE, BLOOD_SPECIMEN[1])
    CORE4.el(specimen, "timestamp", analysis.specimen_time)
    result = CORE4.el(element, "result")
    value = CORE4.el(result, "value")
    if _is_number(analysis.value):
        quantity = CORE4.el(value, "pq")
        CORE4.el(quantity, "value", analysis.value)
        CORE4.el(quantity, "unit", analysis.unit)  # "" when the result has no unit (rule 3.3)
    else:
        CORE4.el(value, "st", analysis.value)
    if analysis.low is not None and analysis.high is not None:
        interval = CORE4.el(CORE4.el(result, "reference"), "interval")
        CORE4.el(interval, "low", analysis.low)
        CORE4.el(interval, "high", analysis.high)
        CORE4.el(interval, "unit", analysis.unit)


def _body_4_2(parent: etree._Element, record: Record, details: LabDetails) -> None:
    body = CORE4.el(parent, "body")
    CORE4.ii(body, "identifier", record.source_system, details.report_id)
    CORE4.cv(body, "type", details.status, REPORT_STATUS_SYSTEM, REPORT_STATUS_NAMES[details.status])
    CORE4.el(body, "text", details.text)
    referral = CORE4.el(body, "referral")
    CORE4.ii(referral, "identifier", record.source_system, details.referral_id)
    CORE4.el(referral, "timestamp", details.referral_time)
    CORE4.el(referral, "question", details.question)
    group = CORE4.el(body, "groupOfAnalyses")
    CORE4.el(group, "name", details.discipline)
    for analysis in details.analyses:
        _analysis_4_2(group, record, analysis)
    unit = CORE4.el(body, "recipientUnit")
    CORE4.ii(unit, "id", HSA_OID, record.care_unit.hsa_id)
    CORE4.el(unit, "name", record.care_unit.name)


def render_lab_4_2(answer: Answer) -> etree._Element:
    response = R4.root("GetLaboratoryOrderOutcomeResponse", {"r": R4.uri, "core": CORE4.uri, "m1": EXT41.uri})
    for record in answer.records:
        outcome = R4.el(response, "laboratoryOrderOutcome")
        details = details_of(record, LabDetails)
        _header_4_2(outcome, record, details)
        _body_4_2(outcome, record, details)
    return response
