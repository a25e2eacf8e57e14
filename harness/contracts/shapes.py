"""Helpers that spell out the shapes many contract versions share, so each catalogue entry stays data:
where the official bundles are inside a schema directory, the 2.x request, the PatientSummaryHeader and
JoL header record paths.
"""

from __future__ import annotations

from harness.contracts.model import (
    IdShape,
    MessageRole,
    RecordPaths,
    RequestField,
    RequestRole,
    SchemaFiles,
)

__all__ = [
    "ACTOUTCOME_BUNDLE",
    "DESCRIPTION_BUNDLE",
    "EI_BUNDLE",
    "GCC2_BUNDLE",
    "GCD2_BUNDLE",
    "LOGISTICS_BUNDLE",
    "LOO3_BUNDLE",
    "PROCESSING_STATUS_XSD",
    "interaction_files",
    "jol_record",
    "patient_summary_record",
    "patient_summary_request",
]

_TKBC = "oskthu2__tkb-converter/igs"
_AGG = "skltp-aggregerandetjanster__riv.clinicalprocess"

# Folders that hold "interactions/" and "core_components/" (the layout of the official bundles), relative to
# the schema directory. rivta-domains releases (snapshots in tkb-converter) where they hold the version;
# the aggregating services' copies otherwise (GetCareDocumentation 2.1, GetCareContacts 2.0,
# GetLaboratoryOrderOutcome 3.1).
DESCRIPTION_BUNDLE = (
    f"{_TKBC}/TKB_clinicalprocess_healthcond_description/source/"
    "rivta-domains-riv.clinicalprocess.healthcond.description-e91d31d81dfb/schemas"
)
ACTOUTCOME_BUNDLE = (
    f"{_TKBC}/TKB_clinicalprocess_healthcond_actoutcome/source/"
    "rivta-domains-riv.clinicalprocess.healthcond.actoutcome-f0eee8ac0f42/schemas"
)
LOGISTICS_BUNDLE = f"{_TKBC}/TKB_clinicalprocess_logistics_logistics/source/schemas"
EI_BUNDLE = (
    f"{_TKBC}/TKB_itintegration_engagementindex/source/"
    "rivta-domains-riv.itintegration.engagementindex-feef3879647a/schemas"
)
GCD2_BUNDLE = (
    f"{_AGG}.healthcond.description.GetAggregatedCareDocumentation/GetAggregatedCareDocumentation-v2-schemas/"
    "src/main/resources/schemas/clinicalprocess_healthcond_description"
)
GCC2_BUNDLE = (
    f"{_AGG}.logistics.GetAggregatedCareContacts/GetAggregatedCareContacts-v2-schemas/"
    "src/main/resources/schemas/clinicalprocess_logistics_logistics_2.0.0"
)
LOO3_BUNDLE = (
    f"{_AGG}.healthcond.actoutcome.GetAggregatedLaboratoryOrderOutcome.v3/"
    "GetAggregatedLaboratoryOrderOutcome-v3-schemas/src/main/resources/schemas/clinicalprocess-healthcond-actoutcome"
)
PROCESSING_STATUS_XSD = (
    "skltp__agp/agp-schemas/src/main/resources/schemas/interoperability/headers/core_components/"
    "interoperability_headers_1.0.xsd"
)


def interaction_files(
    bundle: str,
    name: str,
    version: str,
    *,
    schematron: tuple[str, ...] = (),
    applies_to: MessageRole = MessageRole.RESPONSE,
    note: str = "",
) -> SchemaFiles:
    """The WSDL and responder XSD of ``<Name>Interaction`` in a bundle (RIVTA naming)."""
    folder = f"{bundle}/interactions/{name}Interaction"
    return SchemaFiles(
        wsdl=f"{folder}/{name}Interaction_{version}_RIVTABP21.wsdl",
        xsd=f"{folder}/{name}Responder_{version}.xsd",
        schematron=schematron,
        schematron_applies_to=applies_to,
        note=note,
    )


def patient_summary_request(
    *, care_unit: str = "careUnitHSAId", source: str = "sourceSystemHSAId", period: str = "timePeriod"
) -> tuple[RequestField, ...]:
    """The 2.x request: careUnitHSAId*, patientId{id,type}, timePeriod?, sourceSystemHSAId?,
    careContactId*."""
    return (
        RequestField(RequestRole.CARE_UNIT, care_unit, IdShape.HSA_ID, repeated=True),
        RequestField(RequestRole.PATIENT, "patientId", IdShape.PERSON_ID, required=True),
        RequestField(RequestRole.PERIOD, period, IdShape.DATE_PERIOD),
        RequestField(RequestRole.SOURCE_SYSTEM, source, IdShape.HSA_ID),
        RequestField(RequestRole.CARE_CONTACT, "careContactId", IdShape.STRING, repeated=True),
    )


def patient_summary_record(
    element: str,
    header: str,
    *,
    source: str = "sourceSystemHSAId",
    care_contact: str | None = "careContactId",
) -> RecordPaths:
    """Record paths for a PatientSummaryHeader-generation record (``care_contact`` relative to the header)."""
    h = f"c:{header}"
    professional = f"{h}/c:accountableHealthcareProfessional"
    return RecordPaths(
        element=element,
        header=h,
        id=f"{h}/c:documentId",
        source_system=f"{h}/c:{source}",
        patient=f"{h}/c:patientId",
        care_unit=f"{professional}/c:healthcareProfessionalCareUnitHSAId",
        care_giver=f"{professional}/c:healthcareProfessionalCareGiverHSAId",
        approved_for_patient=f"{h}/c:approvedForPatient",
        block_time=f"{professional}/c:authorTime",
        care_contact=f"{h}/c:{care_contact}" if care_contact else None,
    )


def jol_record(element: str, *, care_giver: str, patient: str = "c:patientId") -> RecordPaths:
    """Record paths for a JoL-header record (``header/accessControlHeader``, IIType identities)."""
    access = "c:header/c:accessControlHeader"
    return RecordPaths(
        element=element,
        header="c:header",
        id="c:header/c:record/c:id",
        source_system="c:header/c:sourceSystemId",
        patient=f"{access}/{patient}",
        care_unit=f"{access}/c:accountableCareUnit",
        care_giver=f"{access}/c:{care_giver}",
        approved_for_patient=f"{access}/c:approvedForPatient",
        block_time=f"{access}/c:blockComparisonTime",
    )
