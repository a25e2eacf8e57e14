"""Where the official schemas of each served contract version are, under the schema directory
(``../shared/rivta``): loaded from there, never copied. Compiled once per test session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

_TKB = "oskthu2__tkb-converter/igs"
_AGG = "skltp-aggregerandetjanster__riv.clinicalprocess"
_DESC_TKB = f"{_TKB}/TKB_clinicalprocess_healthcond_description/source/rivta-domains-riv.clinicalprocess.healthcond.description-e91d31d81dfb/schemas"
_ACT_TKB = f"{_TKB}/TKB_clinicalprocess_healthcond_actoutcome/source/rivta-domains-riv.clinicalprocess.healthcond.actoutcome-f0eee8ac0f42/schemas"
_LOG_TKB = f"{_TKB}/TKB_clinicalprocess_logistics_logistics/source/schemas"
_EI_TKB = f"{_TKB}/TKB_itintegration_engagementindex/source/rivta-domains-riv.itintegration.engagementindex-feef3879647a/schemas"
_GCD2 = f"{_AGG}.healthcond.description.GetAggregatedCareDocumentation/GetAggregatedCareDocumentation-v2-schemas/src/main/resources/schemas/clinicalprocess_healthcond_description"
_GCC2 = f"{_AGG}.logistics.GetAggregatedCareContacts/GetAggregatedCareContacts-v2-schemas/src/main/resources/schemas/clinicalprocess_logistics_logistics_2.0.0"
_LAB3 = f"{_AGG}.healthcond.actoutcome.GetAggregatedLaboratoryOrderOutcome.v3/GetAggregatedLaboratoryOrderOutcome-v3-schemas/src/main/resources/schemas/clinicalprocess-healthcond-actoutcome"

# contract label -> (folder of schemas/, interaction name) : responder XSD and WSDL under interactions/
LOCATIONS = {
    "GetCareDocumentation 2.1": (_GCD2, "GetCareDocumentation", "2.1"),
    "GetCareDocumentation 3.0": (_DESC_TKB, "GetCareDocumentation", "3.0"),
    "GetDiagnosis 2.0": (_DESC_TKB, "GetDiagnosis", "2.0"),
    "GetCareContacts 2.0": (_GCC2, "GetCareContacts", "2.0"),
    "GetCareContacts 3.0": (_LOG_TKB, "GetCareContacts", "3.0"),
    "GetLaboratoryOrderOutcome 3.1": (_LAB3, "GetLaboratoryOrderOutcome", "3.1"),
    "GetLaboratoryOrderOutcome 4.2": (_ACT_TKB, "GetLaboratoryOrderOutcome", "4.2"),
    "Update 1.0": (_EI_TKB, "Update", "1.0"),
}


def responder_xsd(schema_dir: Path, label: str) -> Path:
    folder, name, version = LOCATIONS[label]
    return schema_dir / folder / "interactions" / f"{name}Interaction" / f"{name}Responder_{version}.xsd"


def wsdl(schema_dir: Path, label: str) -> Path:
    folder, name, version = LOCATIONS[label]
    return (
        schema_dir
        / folder
        / "interactions"
        / f"{name}Interaction"
        / f"{name}Interaction_{version}_RIVTABP21.wsdl"
    )


@cache
def responder_schema(schema_dir: Path, label: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(responder_xsd(schema_dir, label))))


def schema_errors(schema_dir: Path, label: str, element: etree._Element) -> list[str]:
    schema = responder_schema(schema_dir, label)
    if schema.validate(element):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]
