"""clinicalprocess:healthcond:description: GetCareDocumentation 2.1 and 3.0, GetDiagnosis 2.0.

Sources: the official WSDLs and XSDs (see ``schemas``), TKB clinicalprocess:healthcond:description
§4 and §7, and Inera's producer test suites (``test-suite/<Contract>/constraints.xml``).
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
    DESCRIPTION_BUNDLE,
    GCD2_BUNDLE,
    interaction_files,
    jol_record,
    patient_summary_record,
    patient_summary_request,
)
from harness.core.findings import Level

__all__ = ["GET_CARE_DOCUMENTATION_2_1", "GET_CARE_DOCUMENTATION_3_0", "GET_DIAGNOSIS_2_0"]

_DOMAIN = "clinicalprocess:healthcond:description"
_URN = f"urn:riv:{_DOMAIN}"
_EI_DOMAIN = f"riv:{_DOMAIN}"
_TKB = "TKB clinicalprocess:healthcond:description"
_TEST_SUITE = f"{DESCRIPTION_BUNDLE.removesuffix('/schemas')}/test-suite"

GET_CARE_DOCUMENTATION_2_1 = ContractVersion(
    name="GetCareDocumentation",
    version="2.1",
    domain=_DOMAIN,
    namespace=f"{_URN}:GetCareDocumentationResponder:2",
    core_namespace=f"{_URN}:2",
    soap_action=f"{_URN}:GetCareDocumentationResponder:2:GetCareDocumentation",
    tak_contract=f"{_URN}:GetCareDocumentationResponder:2",
    ei_service_domain=_EI_DOMAIN,
    ei_categorization="voo",
    header_model=HeaderModel.PATIENT_SUMMARY,
    schemas=interaction_files(
        GCD2_BUNDLE,
        "GetCareDocumentation",
        "2.1",
        note="no official schematron for 2.x; the core 2.1 XSD spells the body element 'dissentintOpinion'",
    ),
    request=patient_summary_request(care_unit="careUnitHSAid", source="sourceSystemHSAid"),
    record=patient_summary_record("careDocumentation", "careDocumentationHeader", source="sourceSystemHSAid"),
    date_filter=DateFilter(
        paths=(
            "c:careDocumentationHeader/c:accountableHealthcareProfessional/c:authorTime",
            "c:careDocumentationHeader/c:legalAuthenticator/c:signatureTime",
            "c:careDocumentationBody/c:clinicalDocumentNote/c:dissentintOpinion/c:authorTime",
        ),
        mode=FilterMode.ANY_WITHIN,
        source="assumed: the timestamps GetCareDocumentation 3.0 and GetDiagnosis 2.0 use "
        "(no TKB text for 2.1 at hand)",
    ),
    result=ResultShape(
        required=False,
        # <m1:result>, declared in clinicalprocess_healthcond_description_2.1_ext.xsd
        element_ns=f"{_URN}:2.1",
        child_ns=f"{_URN}:2.1",
        source="GetCareDocumentationResponder_2.1.xsd (m1:result 0..1)",
    ),
)

GET_CARE_DOCUMENTATION_3_0 = ContractVersion(
    name="GetCareDocumentation",
    version="3.0",
    domain=_DOMAIN,
    namespace=f"{_URN}:GetCareDocumentationResponder:3",
    core_namespace=f"{_URN}:3",
    soap_action=f"{_URN}:GetCareDocumentationResponder:3:GetCareDocumentation",
    tak_contract=f"{_URN}:GetCareDocumentationResponder:3",
    ei_service_domain=_EI_DOMAIN,
    ei_categorization="voo",
    header_model=HeaderModel.JOL,
    schemas=interaction_files(
        DESCRIPTION_BUNDLE,
        "GetCareDocumentation",
        "3.0",
        schematron=(f"{_TEST_SUITE}/GetCareDocumentation/constraints.xml",),
    ),
    request=(
        RequestField(RequestRole.CARE_UNIT, "careUnit", IdShape.II, repeated=True),
        RequestField(RequestRole.CARE_GIVER, "healthcareProvider", IdShape.II, repeated=True),
        RequestField(RequestRole.PATIENT, "patientId", IdShape.II, required=True),
        RequestField(RequestRole.PERIOD, "datePeriod", IdShape.DATE_PERIOD),
        RequestField(RequestRole.SOURCE_SYSTEM, "sourceSystemId", IdShape.II),
        RequestField(RequestRole.HAS_MORE_REFERENCE, "hasMoreReference", IdShape.STRING),
    ),
    record=jol_record("careDocumentation", care_giver="accountableHealthcareProvider"),
    date_filter=DateFilter(
        paths=(
            "c:header/c:record/c:timestamp",
            "c:header/c:author/c:timestamp",
            "c:header/c:signature/c:timestamp",
            "c:body/c:dissentingOpinion/c:authorTime",
        ),
        mode=FilterMode.ANY_WITHIN,
        source=f"{_TKB} §7 GetCareDocumentation, datePeriod",
    ),
    result=ResultShape(
        required=True,
        element_ns=f"{_URN}:GetCareDocumentationResponder:3",
        child_ns=f"{_URN}:3",
        text="resultText",
        has_log_id=False,
        has_error_code=False,
        log_id_uuid=None,
        source=f"{_TKB} §7 GetCareDocumentation, result",
    ),
    has_more=True,
    forbidden=(
        ForbiddenField(
            "c:header/c:record/c:id/c:extension",
            Level.MUST,
            "GetCareDocumentation constraints.xml, 'Verify non existing extension'",
        ),
    ),
)

GET_DIAGNOSIS_2_0 = ContractVersion(
    name="GetDiagnosis",
    version="2.0",
    domain=_DOMAIN,
    namespace=f"{_URN}:GetDiagnosisResponder:2",
    core_namespace=f"{_URN}:2",
    soap_action=f"{_URN}:GetDiagnosisResponder:2:GetDiagnosis",
    tak_contract=f"{_URN}:GetDiagnosisResponder:2",
    ei_service_domain=_EI_DOMAIN,
    ei_categorization="dia",
    header_model=HeaderModel.PATIENT_SUMMARY,
    schemas=interaction_files(
        DESCRIPTION_BUNDLE,
        "GetDiagnosis",
        "2.0",
        schematron=(f"{_TEST_SUITE}/GetDiagnosis/constraints.xml",),
        note="the aggregating service's copy of core 2.1 adds 'relation' to DiagnosisBodyType; this "
        "domain release (3.0.5) has none",
    ),
    request=patient_summary_request(),
    record=patient_summary_record("diagnosis", "diagnosisHeader"),
    date_filter=DateFilter(
        paths=(
            "c:diagnosisHeader/c:accountableHealthcareProfessional/c:authorTime",
            "c:diagnosisHeader/c:legalAuthenticator/c:signatureTime",
            "c:diagnosisBody/c:diagnosisTime",
        ),
        mode=FilterMode.ANY_WITHIN,
        source=f"{_TKB} §7 GetDiagnosis, timePeriod",
    ),
    result=ResultShape(
        required=False,
        element_ns=f"{_URN}:GetDiagnosisResponder:2",
        child_ns=f"{_URN}:2",
        required_by_tkb=True,
        error_code_only_with_error=Level.MUST,
        source=f"{_TKB} §7 GetDiagnosis, result 1..1 (0..1 in the XSD for compatibility)",
    ),
    forbidden=tuple(
        ForbiddenField(f"c:diagnosisHeader/c:{name}", Level.MUST, f"{_TKB} §7 GetDiagnosis ({name} 0..0)")
        for name in ("documentTitle", "documentTime", "nullified", "nullifiedReason")
    ),
    invalid_request=InvalidRequestRule(
        Level.MUST,
        (
            InvalidRequestTrigger.SOURCE_SYSTEM_MISMATCH,
            InvalidRequestTrigger.CARE_CONTACT_WITHOUT_SOURCE_SYSTEM,
        ),
        f"{_TKB} §7 GetDiagnosis: 'Om sourceSystemHSAId och logicalAddress är olika ska ett svar endast "
        "innehålla en resultType med … ERROR … INVALID_REQUEST'",
    ),
)
