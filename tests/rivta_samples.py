"""Minimal, schema-valid responses of every catalogued contract version, written from the XSDs.

Each has one record carrying every access-control field, so a reader that drops or confuses one fails.
Patient: a Skatteverket test personnummer, passed in. HSA-ids: test ids of the form Inera's test
environment uses (TSTNMT2321000156-<local>). Texts carry å, ä, ö and ``<>&``.
"""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker

__all__ = ["SAMPLES", "SampleValues", "sample_response"]

_fake = Faker("sv_SE")
_fake.seed_instance(1177)
PROFESSIONAL = _fake.name()


@dataclass(frozen=True, slots=True)
class SampleValues:
    pnr: str
    source: str = "TSTNMT2321000156-RP01"
    unit: str = "TSTNMT2321000156-VE11"
    giver: str = "TSTNMT2321000156-VG01"
    author: str = "TSTNMT2321000156-P001"
    record_id: str = "d2c0a7e2-6f1b-4b8e-9a51-1a2b3c4d5e6f"
    author_time: str = "20240301101500"
    sign_time: str = "20240302080000"
    name: str = PROFESSIONAL


_HSA = "<c:root>1.2.752.129.2.1.4.1</c:root>"
_TEXT = "Anteckning: åäö &lt;tag&gt; &amp; mer"

GCD_2_1 = """
<r:GetCareDocumentationResponse
  xmlns:r="urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:2"
  xmlns:c="urn:riv:clinicalprocess:healthcond:description:2"
  xmlns:m1="urn:riv:clinicalprocess:healthcond:description:2.1">
  <r:careDocumentation>
    <c:careDocumentationHeader>
      <c:documentId>{v.record_id}</c:documentId>
      <c:sourceSystemHSAid>{v.source}</c:sourceSystemHSAid>
      <c:documentTitle>Utredning</c:documentTitle>
      <c:documentTime>{v.author_time}</c:documentTime>
      <c:patientId><c:id>{v.pnr}</c:id><c:type>1.2.752.129.2.1.3.1</c:type></c:patientId>
      <c:accountableHealthcareProfessional>
        <c:authorTime>{v.author_time}</c:authorTime>
        <c:healthcareProfessionalHSAId>{v.author}</c:healthcareProfessionalHSAId>
        <c:healthcareProfessionalName>{v.name}</c:healthcareProfessionalName>
        <c:healthcareProfessionalCareUnitHSAId>{v.unit}</c:healthcareProfessionalCareUnitHSAId>
        <c:healthcareProfessionalCareGiverHSAId>{v.giver}</c:healthcareProfessionalCareGiverHSAId>
      </c:accountableHealthcareProfessional>
      <c:legalAuthenticator><c:signatureTime>{v.sign_time}</c:signatureTime></c:legalAuthenticator>
      <c:approvedForPatient>true</c:approvedForPatient>
      <c:careContactId>CC-1</c:careContactId>
    </c:careDocumentationHeader>
    <c:careDocumentationBody>
      <c:clinicalDocumentNote>
        <c:clinicalDocumentNoteCode>utr</c:clinicalDocumentNoteCode>
        <c:clinicalDocumentNoteTitle>Utredning</c:clinicalDocumentNoteTitle>
        <c:clinicalDocumentNoteText>{text}</c:clinicalDocumentNoteText>
      </c:clinicalDocumentNote>
    </c:careDocumentationBody>
  </r:careDocumentation>
  <m1:result><m1:resultCode>OK</m1:resultCode><m1:logId>6f1b4b8e-0000-4000-8000-000000000001</m1:logId></m1:result>
</r:GetCareDocumentationResponse>
"""

GCD_3_0 = """
<r:GetCareDocumentationResponse
  xmlns:r="urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3"
  xmlns:c="urn:riv:clinicalprocess:healthcond:description:3">
  <r:careDocumentation>
    <c:header>
      <c:accessControlHeader>
        <c:accountableHealthcareProvider>{hsa}<c:extension>{v.giver}</c:extension></c:accountableHealthcareProvider>
        <c:accountableCareUnit>{hsa}<c:extension>{v.unit}</c:extension></c:accountableCareUnit>
        <c:patientId><c:root>1.2.752.129.2.1.3.1</c:root><c:extension>{v.pnr}</c:extension></c:patientId>
        <c:blockComparisonTime>{v.author_time}</c:blockComparisonTime>
        <c:approvedForPatient>false</c:approvedForPatient>
      </c:accessControlHeader>
      <c:sourceSystemId>{hsa}<c:extension>{v.source}</c:extension></c:sourceSystemId>
      <c:record><c:id><c:root>{v.record_id}</c:root></c:id><c:timestamp>{v.author_time}</c:timestamp></c:record>
      <c:author>
        <c:id>{hsa}<c:extension>{v.author}</c:extension></c:id>
        <c:name>{v.name}</c:name>
        <c:timestamp>{v.author_time}</c:timestamp>
      </c:author>
      <c:signature><c:timestamp>{v.sign_time}</c:timestamp></c:signature>
    </c:header>
    <c:body>
      <c:clinicalDocumentNoteCode>
        <c:code>utr</c:code><c:codeSystem>1.2.752.129.2.2.2.11</c:codeSystem><c:displayName>Utredning</c:displayName>
      </c:clinicalDocumentNoteCode>
      <c:clinicalDocumentNoteTitle>Utredning</c:clinicalDocumentNoteTitle>
      <c:clinicalDocumentNoteText>{text}</c:clinicalDocumentNoteText>
    </c:body>
  </r:careDocumentation>
  <r:result><c:resultCode>OK</c:resultCode></r:result>
</r:GetCareDocumentationResponse>
"""

DIAGNOSIS_2_0 = """
<r:GetDiagnosisResponse xmlns:r="urn:riv:clinicalprocess:healthcond:description:GetDiagnosisResponder:2"
  xmlns:c="urn:riv:clinicalprocess:healthcond:description:2">
  <r:diagnosis>
    <c:diagnosisHeader>
      <c:documentId>{v.record_id}</c:documentId>
      <c:sourceSystemHSAId>{v.source}</c:sourceSystemHSAId>
      <c:patientId><c:id>{v.pnr}</c:id><c:type>1.2.752.129.2.1.3.1</c:type></c:patientId>
      <c:accountableHealthcareProfessional>
        <c:authorTime>{v.author_time}</c:authorTime>
        <c:healthcareProfessionalHSAId>{v.author}</c:healthcareProfessionalHSAId>
        <c:healthcareProfessionalName>{v.name}</c:healthcareProfessionalName>
        <c:healthcareProfessionalCareUnitHSAId>{v.unit}</c:healthcareProfessionalCareUnitHSAId>
        <c:healthcareProfessionalCareGiverHSAId>{v.giver}</c:healthcareProfessionalCareGiverHSAId>
      </c:accountableHealthcareProfessional>
      <c:legalAuthenticator><c:signatureTime>{v.sign_time}</c:signatureTime></c:legalAuthenticator>
      <c:approvedForPatient>true</c:approvedForPatient>
      <c:careContactId>CC-1</c:careContactId>
    </c:diagnosisHeader>
    <c:diagnosisBody>
      <c:typeOfDiagnosis>Huvuddiagnos</c:typeOfDiagnosis>
      <c:diagnosisTime>20240303090000</c:diagnosisTime>
      <c:diagnosisCode>
        <c:code>J06.9</c:code><c:codeSystem>1.2.752.116.1.1.1.1.3</c:codeSystem>
        <c:displayName>Akut övre luftvägsinfektion</c:displayName>
      </c:diagnosisCode>
    </c:diagnosisBody>
  </r:diagnosis>
  <r:result><c:resultCode>OK</c:resultCode><c:logId>6f1b4b8e-0000-4000-8000-000000000002</c:logId></r:result>
</r:GetDiagnosisResponse>
"""

_GCC_PROFESSIONAL = """
      <c:accountableHealthcareProfessional>
        <c:authorTime>{v.author_time}</c:authorTime>
        <c:healthcareProfessionalHSAId>{v.author}</c:healthcareProfessionalHSAId>
        <c:healthcareProfessionalName>{v.name}</c:healthcareProfessionalName>
        <c:healthcareProfessionalOrgUnit>
          <c:orgUnitHSAId>{v.unit}</c:orgUnitHSAId><c:orgUnitName>Vårdcentralen Åby</c:orgUnitName>
        </c:healthcareProfessionalOrgUnit>
        <c:healthcareProfessionalCareUnitHSAId>{v.unit}</c:healthcareProfessionalCareUnitHSAId>
        <c:healthcareProfessionalCareGiverHSAId>{v.giver}</c:healthcareProfessionalCareGiverHSAId>
      </c:accountableHealthcareProfessional>"""

_GCC_BODY = """
    <c:careContactBody>
      <c:careContactReason>{text}</c:careContactReason>
      <c:careContactOrgUnit>
        <c:orgUnitHSAId>{v.unit}</c:orgUnitHSAId><c:orgUnitName>Vårdcentralen Åby</c:orgUnitName>
      </c:careContactOrgUnit>
      <c:careContactTimePeriod><c:start>20240305080000</c:start><c:end>20240305083000</c:end></c:careContactTimePeriod>
    </c:careContactBody>"""

GCC_2_0 = (
    """
<r:GetCareContactsResponse xmlns:r="urn:riv:clinicalprocess:logistics:logistics:GetCareContactsResponder:2"
  xmlns:c="urn:riv:clinicalprocess:logistics:logistics:2">
  <r:careContact>
    <c:careContactHeader>
      <c:documentId>{v.record_id}</c:documentId>
      <c:sourceSystemHSAId>{v.source}</c:sourceSystemHSAId>
      <c:patientId><c:id>{v.pnr}</c:id><c:type>1.2.752.129.2.1.3.1</c:type></c:patientId>"""
    + _GCC_PROFESSIONAL
    + """
      <c:approvedForPatient>true</c:approvedForPatient>
    </c:careContactHeader>"""
    + _GCC_BODY
    + """
  </r:careContact>
</r:GetCareContactsResponse>
"""
)

GCC_3_0 = (
    GCC_2_0.replace(":GetCareContactsResponder:2", ":GetCareContactsResponder:3")
    .replace("logistics:logistics:2", "logistics:logistics:3")
    .replace(
        "</r:GetCareContactsResponse>",
        "<r:result><c:resultCode>OK</c:resultCode><c:logId>6f1b4b8e-0000-4000-8000-000000000003</c:logId>"
        "</r:result>\n</r:GetCareContactsResponse>",
    )
)

LOO_3_1 = """
<r:GetLaboratoryOrderOutcomeResponse
  xmlns:r="urn:riv:clinicalprocess:healthcond:actoutcome:GetLaboratoryOrderOutcomeResponder:3"
  xmlns:c="urn:riv:clinicalprocess:healthcond:actoutcome:3">
  <r:laboratoryOrderOutcome>
    <c:laboratoryOrderOutcomeHeader>
      <c:documentId>{v.record_id}</c:documentId>
      <c:sourceSystemHSAId>{v.source}</c:sourceSystemHSAId>
      <c:patientId><c:id>{v.pnr}</c:id><c:type>1.2.752.129.2.1.3.1</c:type></c:patientId>
      <c:accountableHealthcareProfessional>
        <c:authorTime>{v.author_time}</c:authorTime>
        <c:healthcareProfessionalCareUnitHSAId>{v.unit}</c:healthcareProfessionalCareUnitHSAId>
        <c:healthcareProfessionalCareGiverHSAId>{v.giver}</c:healthcareProfessionalCareGiverHSAId>
      </c:accountableHealthcareProfessional>
      <c:approvedForPatient>true</c:approvedForPatient>
      <c:careContactId>CC-1</c:careContactId>
    </c:laboratoryOrderOutcomeHeader>
    <c:laboratoryOrderOutcomeBody>
      <c:resultType>DEF</c:resultType>
      <c:registrationTime>20240304120000</c:registrationTime>
      <c:discipline>Klinisk kemi</c:discipline>
      <c:resultReport>{text}</c:resultReport>
      <c:order><c:orderId>ORD-1</c:orderId></c:order>
    </c:laboratoryOrderOutcomeBody>
  </r:laboratoryOrderOutcome>
  <r:result><c:resultCode>OK</c:resultCode><c:logId>6f1b4b8e-0000-4000-8000-000000000004</c:logId></r:result>
</r:GetLaboratoryOrderOutcomeResponse>
"""

LOO_4_2 = """
<r:GetLaboratoryOrderOutcomeResponse
  xmlns:r="urn:riv:clinicalprocess:healthcond:actoutcome:GetLaboratoryOrderOutcomeResponder:4"
  xmlns:c="urn:riv:clinicalprocess:healthcond:actoutcome:4"
  xmlns:x="urn:riv:clinicalprocess:healthcond:actoutcome:4.1">
  <r:laboratoryOrderOutcome>
    <c:header>
      <c:accessControlHeader>
        <c:accountableCareGiver>{hsa}<c:extension>{v.giver}</c:extension></c:accountableCareGiver>
        <c:accountableCareUnit>{hsa}<c:extension>{v.unit}</c:extension></c:accountableCareUnit>
        <c:blockComparisonTime>20240304073000</c:blockComparisonTime>
        <c:approvedForPatient>true</c:approvedForPatient>
        <x:patientId><c:root>1.2.752.129.2.1.3.1</c:root><c:extension>{v.pnr}</c:extension></x:patientId>
      </c:accessControlHeader>
      <c:sourceSystemId>{hsa}<c:extension>{v.source}</c:extension></c:sourceSystemId>
      <c:record>
        <c:id><c:root>1.2.752.129.2.1.4.1</c:root><c:extension>{v.record_id}</c:extension></c:id>
        <c:timestamp>{v.author_time}</c:timestamp>
      </c:record>
    </c:header>
    <c:body>
      <c:identifier><c:root>1.2.752.129.2.1.4.1</c:root><c:extension>LAB-1</c:extension></c:identifier>
      <c:type>
        <c:code>final</c:code><c:codeSystem>1.2.752.129.2.2.2.1</c:codeSystem>
        <c:displayName>Slutligt svar</c:displayName>
      </c:type>
      <c:groupOfAnalyses>
        <c:analysis>
          <c:code><c:code>NPU02319</c:code><c:codeSystem>1.2.752.108.1</c:codeSystem><c:displayName>B-Hemoglobin</c:displayName></c:code>
          <c:specimen><c:timestamp>20240304073000</c:timestamp></c:specimen>
        </c:analysis>
      </c:groupOfAnalyses>
      <c:recipientUnit><c:name>Vårdcentralen Åby</c:name></c:recipientUnit>
    </c:body>
  </r:laboratoryOrderOutcome>
</r:GetLaboratoryOrderOutcomeResponse>
"""

SAMPLES = {
    "GetCareDocumentation:2.1": GCD_2_1,
    "GetCareDocumentation:3.0": GCD_3_0,
    "GetDiagnosis:2.0": DIAGNOSIS_2_0,
    "GetCareContacts:2.0": GCC_2_0,
    "GetCareContacts:3.0": GCC_3_0,
    "GetLaboratoryOrderOutcome:3.1": LOO_3_1,
    "GetLaboratoryOrderOutcome:4.2": LOO_4_2,
}


def sample_response(key: str, values: SampleValues) -> bytes:
    """The sample response of contract ``key`` (``NAME:VERSION``) as UTF-8 XML, with a declaration."""
    body = SAMPLES[key].format(v=values, hsa=_HSA, text=_TEXT).strip()
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")
