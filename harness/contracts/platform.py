"""The platform's own contracts the mock engagement index needs: itintegration:engagementindex Update 1.0
and FindContent 1.0, and the interoperability ProcessingStatus header that aggregating services add.

Sources: the official WSDLs and XSDs (domain release 1.0.9/1.0.10), TKB itintegration:engagementindex
§5 and §7, Inera's UpdateMock schematron and the domains' ``*_ei_update_constraints.xml``; SKLTP AGP
``interoperability_headers_1.0.xsd``.
"""

from __future__ import annotations

from harness.contracts.model import ContractKind, ContractVersion, HeaderModel, MessageRole
from harness.contracts.shapes import (
    ACTOUTCOME_BUNDLE,
    DESCRIPTION_BUNDLE,
    EI_BUNDLE,
    PROCESSING_STATUS_XSD,
    interaction_files,
)

__all__ = [
    "EI_CORE_NS",
    "FIND_CONTENT_1_0",
    "PROCESSING_STATUS_NS",
    "PROCESSING_STATUS_XSD",
    "UPDATE_1_0",
]

_DOMAIN = "itintegration:engagementindex"
_URN = f"urn:riv:{_DOMAIN}"
EI_CORE_NS = f"{_URN}:1"
PROCESSING_STATUS_NS = "urn:riv:interoperability:headers:1"

_ACTIVITYPRESCRIPTION = (
    "oskthu2__tkb-converter/igs/TKB_clinicalprocess_activityprescription_actoutcome/source/"
    "rivta-domains-riv.clinicalprocess.activityprescription.actoutcome-f7071f290e57/schemas"
)
# The general rules (Inera's UpdateMock test suite), then each domain's rules; a domain's rules fire only
# for engagements of that serviceDomain. clinicalprocess:logistics:logistics ships none.
_UPDATE_SCHEMATRON = (
    f"{EI_BUNDLE.removesuffix('/schemas')}/test-suite/UpdateMock/schematron/general_update_constraints.xml",
    f"{DESCRIPTION_BUNDLE}/engagementindex/riv_clinicalprocess_healthcond_description_ei_update_constraints.xml",
    f"{ACTOUTCOME_BUNDLE}/engagementindex/riv_clinicalprocess_healthcond_actoutcome_ei_update_constraints.xml",
    f"{_ACTIVITYPRESCRIPTION}/engagementindex/"
    "riv_clinicalprocess_activityprescription_actoutcome_ei_update_constraints.xml",
)


def _platform(
    name: str, schematron: tuple[str, ...], applies_to: MessageRole, note: str = ""
) -> ContractVersion:
    return ContractVersion(
        name=name,
        version="1.0",
        domain=_DOMAIN,
        namespace=f"{_URN}:{name}Responder:1",
        core_namespace=EI_CORE_NS,
        soap_action=f"{_URN}:{name}Responder:1:{name}",
        tak_contract=f"{_URN}:{name}Responder:1",
        ei_service_domain="",
        ei_categorization="",
        header_model=HeaderModel.NONE,
        schemas=interaction_files(
            EI_BUNDLE, name, "1.0", schematron=schematron, applies_to=applies_to, note=note
        ),
        request=(),
        kind=ContractKind.PLATFORM,
    )


UPDATE_1_0 = _platform(
    "Update",
    _UPDATE_SCHEMATRON,
    MessageRole.REQUEST,
    note="registeredResidentIdentification is [0-9]{8}[0-9A-Zptf]{4} in this release and "
    "[0-9]{8}[0-9pPtTfF][0-9]{3} in SKLTP EI's copy; the schematron does not check kR1 unique posts",
)
# Inera's FindContent test suite judges an engagement index's answer (domain/categorization pairs, no empty
# elements); its actoutcome list lacks the 'und-ekg-ure' that the actoutcome Update rules allow.
FIND_CONTENT_1_0 = _platform(
    "FindContent",
    (f"{EI_BUNDLE.removesuffix('/schemas')}/test-suite/FindContent/constraints.xml",),
    MessageRole.RESPONSE,
)
