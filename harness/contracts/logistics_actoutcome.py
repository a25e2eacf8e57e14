"""clinicalprocess:logistics:logistics (GetCareContacts 2.0, 3.0) and clinicalprocess:healthcond:actoutcome
(GetLaboratoryOrderOutcome 3.1, 4.2).

Sources: the official WSDLs and XSDs (see ``schemas``), TKB clinicalprocess:logistics:logistics and
TKB clinicalprocess:healthcond:actoutcome §4 and §7, Inera's producer test suites.
"""

from __future__ import annotations

from harness.contracts.model import (
    ContractVersion,
    DateFilter,
    FilterMode,
    ForbiddenField,
    HeaderModel,
    IdShape,
    InvalidRequestRule,
    InvalidRequestTrigger,
    RequestField,
    RequestRole,
    ResultShape,
)
from harness.contracts.shapes import (
    ACTOUTCOME_BUNDLE,
    GCC2_BUNDLE,
    LOGISTICS_BUNDLE,
    LOO3_BUNDLE,
    interaction_files,
    jol_record,
    patient_summary_record,
    patient_summary_request,
)
from harness.core.findings import Level

__all__ = [
    "GET_CARE_CONTACTS_2_0",
    "GET_CARE_CONTACTS_3_0",
    "GET_LABORATORY_ORDER_OUTCOME_3_1",
    "GET_LABORATORY_ORDER_OUTCOME_4_2",
]

_LOGISTICS = "clinicalprocess:logistics:logistics"
_ACTOUTCOME = "clinicalprocess:healthcond:actoutcome"
_L_URN, _A_URN = f"urn:riv:{_LOGISTICS}", f"urn:riv:{_ACTOUTCOME}"
_L_TKB, _A_TKB = f"TKB {_LOGISTICS}", f"TKB {_ACTOUTCOME}"

_CARE_CONTACT_TIMES = (
    "c:careContactHeader/c:accountableHealthcareProfessional/c:authorTime",
    "c:careContactBody/c:careContactTimePeriod/c:start",
    "c:careContactBody/c:careContactTimePeriod/c:end",
)
_CARE_CONTACT_INTERVAL = (_CARE_CONTACT_TIMES[1], _CARE_CONTACT_TIMES[2])

GET_CARE_CONTACTS_2_0 = ContractVersion(
    name="GetCareContacts",
    version="2.0",
    domain=_LOGISTICS,
    namespace=f"{_L_URN}:GetCareContactsResponder:2",
    core_namespace=f"{_L_URN}:2",
    soap_action="urn:riv:ehr:patientsummary:GetCareContactsResponder:2:GetCareContacts",
    soap_action_note="the official WSDL's soapAction names urn:riv:ehr:patientsummary, not the responder "
    "namespace urn:riv:clinicalprocess:logistics:logistics:GetCareContactsResponder:2",
    tak_contract=f"{_L_URN}:GetCareContactsResponder:2",
    ei_service_domain=f"riv:{_LOGISTICS}",
    ei_categorization="vko",
    header_model=HeaderModel.PATIENT_SUMMARY,
    schemas=interaction_files(GCC2_BUNDLE, "GetCareContacts", "2.0", note="no official schematron for 2.0"),
    request=patient_summary_request(),
    # The 2.0 header has no careContactId: the care contact's own id is its documentId.
    record=patient_summary_record("careContact", "careContactHeader", care_contact="documentId"),
    date_filter=DateFilter(
        paths=_CARE_CONTACT_TIMES,
        mode=FilterMode.OVERLAP,
        interval=_CARE_CONTACT_INTERVAL,
        source="assumed: as GetCareContacts 3.0 (no TKB text for 2.0 at hand)",
    ),
)

GET_CARE_CONTACTS_3_0 = ContractVersion(
    name="GetCareContacts",
    version="3.0",
    domain=_LOGISTICS,
    namespace=f"{_L_URN}:GetCareContactsResponder:3",
    core_namespace=f"{_L_URN}:3",
    soap_action=f"{_L_URN}:GetCareContactsResponder:3:GetCareContacts",
    tak_contract=f"{_L_URN}:GetCareContactsResponder:3",
    ei_service_domain=f"riv:{_LOGISTICS}",
    ei_categorization="vko",
    header_model=HeaderModel.PATIENT_SUMMARY,
    schemas=interaction_files(
        LOGISTICS_BUNDLE,
        "GetCareContacts",
        "3.0",
        note="no official schematron: the logistics release (3.0.13) ships no test-suite",
    ),
    request=(
        RequestField(RequestRole.CARE_UNIT, "careUnitHSAId", IdShape.HSA_ID, repeated=True),
        RequestField(RequestRole.CARE_GIVER, "careGiverHSAId", IdShape.HSA_ID, repeated=True),
        RequestField(RequestRole.PATIENT, "patientId", IdShape.PERSON_ID, required=True),
        RequestField(RequestRole.PERIOD, "datePeriod", IdShape.DATE_PERIOD),
        RequestField(RequestRole.SOURCE_SYSTEM, "sourceSystemHSAId", IdShape.HSA_ID),
        RequestField(RequestRole.CARE_CONTACT, "careContactId", IdShape.STRING, repeated=True),
    ),
    # careContactId "Ska ej anges" in the header: the careContactId filter matches the documentId.
    record=patient_summary_record("careContact", "careContactHeader", care_contact="documentId"),
    date_filter=DateFilter(
        paths=_CARE_CONTACT_TIMES,
        mode=FilterMode.OVERLAP,
        interval=_CARE_CONTACT_INTERVAL,
        source=f"{_L_TKB} §7 GetCareContacts, datePeriod",
    ),
    result=ResultShape(
        required=True,
        element_ns=f"{_L_URN}:GetCareContactsResponder:3",
        child_ns=f"{_L_URN}:3",
        error_code_only_with_error=Level.MUST,
        source=f"{_L_TKB} §7 GetCareContacts, result",
    ),
    forbidden=tuple(
        ForbiddenField(
            f"c:careContactHeader/c:{name}", Level.MUST, f"{_L_TKB} §7 GetCareContacts: 'Ska ej anges'"
        )
        for name in (
            "documentTitle",
            "documentTime",
            "legalAuthenticator",
            "nullified",
            "nullifiedReason",
            "careContactId",
        )
    ),
    invalid_request=InvalidRequestRule(
        Level.SHOULD,
        (
            InvalidRequestTrigger.SOURCE_SYSTEM_MISMATCH,
            InvalidRequestTrigger.CARE_CONTACT_WITHOUT_SOURCE_SYSTEM,
        ),
        f"{_L_TKB} §7 GetCareContacts: sourceSystemHSAId 'tvingande om careContactId angivits' and equal to "
        "the LogicalAddress; §4 logical errors give ERROR (the contract names no errorCode case)",
    ),
)

GET_LABORATORY_ORDER_OUTCOME_3_1 = ContractVersion(
    name="GetLaboratoryOrderOutcome",
    version="3.1",
    domain=_ACTOUTCOME,
    namespace=f"{_A_URN}:GetLaboratoryOrderOutcomeResponder:3",
    core_namespace=f"{_A_URN}:3",
    soap_action=f"{_A_URN}:GetLaboratoryOrderOutcomeResponder:3:GetLaboratoryOrderOutcome",
    tak_contract=f"{_A_URN}:GetLaboratoryOrderOutcomeResponder:3",
    ei_service_domain=f"riv:{_ACTOUTCOME}",
    ei_categorization="und-kkm-ure",
    header_model=HeaderModel.PATIENT_SUMMARY,
    schemas=interaction_files(
        LOO3_BUNDLE, "GetLaboratoryOrderOutcome", "3.1", note="no official schematron for 3.1"
    ),
    request=patient_summary_request(),
    record=patient_summary_record("laboratoryOrderOutcome", "laboratoryOrderOutcomeHeader"),
    date_filter=DateFilter(
        paths=(
            "c:laboratoryOrderOutcomeHeader/c:accountableHealthcareProfessional/c:authorTime",
            "c:laboratoryOrderOutcomeBody/c:registrationTime",
        ),
        mode=FilterMode.ANY_WITHIN,
        source="assumed: authorTime and registrationTime (no TKB text for 3.1 at hand)",
    ),
    result=ResultShape(
        required=True,
        element_ns=f"{_A_URN}:GetLaboratoryOrderOutcomeResponder:3",
        child_ns=f"{_A_URN}:3",
        source="GetLaboratoryOrderOutcomeResponder_3.1.xsd (result 1..1)",
    ),
)

GET_LABORATORY_ORDER_OUTCOME_4_2 = ContractVersion(
    name="GetLaboratoryOrderOutcome",
    version="4.2",
    domain=_ACTOUTCOME,
    namespace=f"{_A_URN}:GetLaboratoryOrderOutcomeResponder:4",
    core_namespace=f"{_A_URN}:4",
    extension_namespaces=(f"{_A_URN}:4.1", f"{_A_URN}:4.2"),
    soap_action=f"{_A_URN}:GetLaboratoryOrderOutcomeResponder:4:GetLaboratoryOrderOutcome",
    tak_contract=f"{_A_URN}:GetLaboratoryOrderOutcomeResponder:4",
    ei_service_domain=f"riv:{_ACTOUTCOME}",
    ei_categorization="und-kkm-ure",
    header_model=HeaderModel.JOL,
    schemas=interaction_files(
        ACTOUTCOME_BUNDLE,
        "GetLaboratoryOrderOutcome",
        "4.2",
        schematron=(
            f"{ACTOUTCOME_BUNDLE.removesuffix('/schemas')}/test-suite/GetLaboratoryOrderOutcome/constraints.xml",
        ),
        note="the test suite and its constraints say 4.1 (namespaces :4 and :4.1, which 4.2 keeps); its NPU "
        "rule names 'groupOfAnalyzes' and so never fires for groupOfAnalyses",
    ),
    request=(
        RequestField(RequestRole.CARE_UNIT, "careUnitHSAId", IdShape.II, repeated=True),
        RequestField(RequestRole.CARE_GIVER, "careGiverHSAId", IdShape.II, repeated=True),
        RequestField(RequestRole.PATIENT, "patientId", IdShape.II, required=True),
        RequestField(RequestRole.PERIOD, "datePeriod", IdShape.DATE_PERIOD),
        RequestField(RequestRole.SOURCE_SYSTEM, "sourceSystemHSAId", IdShape.II),
        RequestField(RequestRole.SPECIMEN, "specimenIdentifier", IdShape.II, repeated=True),
        RequestField(RequestRole.REFERRAL, "referralIdentifier", IdShape.II, repeated=True),
    ),
    # accessControlHeader/patientId is declared in the 4.1 extension namespace (…actoutcome:4.1).
    record=jol_record("laboratoryOrderOutcome", care_giver="accountableCareGiver", patient="x:patientId"),
    date_filter=DateFilter(
        paths=("c:body/c:groupOfAnalyses/c:analysis/c:specimen/c:timestamp",),
        mode=FilterMode.ANY_WITHIN,
        source=f"{_A_TKB} §7 GetLaboratoryOrderOutcome, datePeriod (provtagningstidpunkt)",
    ),
    forbidden=(
        ForbiddenField(
            "c:header/c:accessControlHeader/c:lockTime",
            Level.MUST,
            f"{_A_TKB} §7 GetLaboratoryOrderOutcome rule 2.2: 'Detta element skall ej användas'",
        ),
        ForbiddenField(
            "c:header/c:signature/x:orgUnit",
            Level.MUST,
            "GetLaboratoryOrderOutcome constraints.xml, 'SignatureOrgUnitMustNotExist'",
        ),
    ),
)
