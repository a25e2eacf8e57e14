"""The catalogue against the official files: soapAction, namespaces, request element names and order,
record elements, and every file it names present in the schema bundle."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from harness.contracts import (
    CATALOGUE,
    PLATFORM_CONTRACTS,
    ContractNotFound,
    ContractVersion,
    HeaderModel,
    find_contract,
    journal_contract_keys,
    parse_contract_key,
    response_time_limit_s,
)

XS = "{http://www.w3.org/2001/XMLSchema}"
WSDL_SOAP = "{http://schemas.xmlsoap.org/wsdl/soap/}"
ALL = (*CATALOGUE, *PLATFORM_CONTRACTS)


def _ids(contracts: tuple[ContractVersion, ...]) -> list[str]:
    return [c.key for c in contracts]


def _sequence(schema_dir: Path, contract: ContractVersion, type_name: str) -> list[str]:
    xsd = etree.parse(str(schema_dir / contract.schemas.xsd))
    complex_type = xsd.find(f"{XS}complexType[@name='{type_name}']")
    assert complex_type is not None, type_name
    return [e.get("name") or e.get("ref") or "" for e in complex_type.iter(f"{XS}element")]


def test_the_catalogue_holds_the_seven_journal_contract_versions() -> None:
    assert journal_contract_keys() == {
        ("GetCareDocumentation", "2.1"),
        ("GetCareDocumentation", "3.0"),
        ("GetDiagnosis", "2.0"),
        ("GetCareContacts", "2.0"),
        ("GetCareContacts", "3.0"),
        ("GetLaboratoryOrderOutcome", "3.1"),
        ("GetLaboratoryOrderOutcome", "4.2"),
    }
    assert [c.key for c in PLATFORM_CONTRACTS] == ["Update:1.0", "FindContent:1.0"]


@pytest.mark.parametrize("contract", ALL, ids=_ids(ALL))
def test_every_file_the_catalogue_names_is_in_the_bundle(contract: ContractVersion, schema_dir: Path) -> None:
    for relative in (contract.schemas.wsdl, contract.schemas.xsd, *contract.schemas.schematron):
        assert relative is not None and (schema_dir / relative).is_file(), relative


@pytest.mark.parametrize("contract", ALL, ids=_ids(ALL))
def test_soap_action_and_namespace_are_those_of_the_official_wsdl(
    contract: ContractVersion, schema_dir: Path
) -> None:
    assert contract.schemas.wsdl is not None
    wsdl = etree.parse(str(schema_dir / contract.schemas.wsdl)).getroot()
    actions = [op.get("soapAction") for op in wsdl.iter(f"{WSDL_SOAP}operation")]
    assert actions == [contract.soap_action]
    assert (
        wsdl.get("targetNamespace") == f"urn:riv:{contract.domain}:{contract.name}:{contract.major}:rivtabp21"
    )
    parts = [p.get("element") for p in wsdl.iter("{http://schemas.xmlsoap.org/wsdl/}part")]
    prefix = next(k for k, v in wsdl.nsmap.items() if v == contract.namespace)
    assert f"{prefix}:{contract.name}" in parts and f"{prefix}:{contract.name}Response" in parts
    assert contract.tak_contract == contract.namespace


def test_get_care_contacts_2_0_keeps_the_wsdls_soap_action_anomaly() -> None:
    contract = find_contract("GetCareContacts", "2.0")
    assert contract.soap_action == "urn:riv:ehr:patientsummary:GetCareContactsResponder:2:GetCareContacts"
    assert not contract.soap_action.startswith(contract.namespace)
    assert "ehr:patientsummary" in contract.soap_action_note
    others = [c for c in ALL if c is not contract]
    assert all(c.soap_action == f"{c.namespace}:{c.name}" for c in others)


@pytest.mark.parametrize("contract", CATALOGUE, ids=_ids(CATALOGUE))
def test_request_fields_are_the_xsds_in_its_order(contract: ContractVersion, schema_dir: Path) -> None:
    sequence = _sequence(schema_dir, contract, f"{contract.name}Type")
    assert [f.name for f in contract.request] == [name for name in sequence if name]


@pytest.mark.parametrize("contract", CATALOGUE, ids=_ids(CATALOGUE))
def test_record_and_result_elements_are_the_xsds(contract: ContractVersion, schema_dir: Path) -> None:
    sequence = _sequence(schema_dir, contract, f"{contract.name}ResponseType")
    assert contract.record is not None and sequence[0] == contract.record.element
    has_result = any(name.endswith("result") for name in sequence)
    assert has_result == (contract.result is not None)
    assert ("hasMore" in sequence) == contract.has_more


@pytest.mark.parametrize("contract", CATALOGUE, ids=_ids(CATALOGUE))
def test_journal_contracts_have_their_ei_keys_and_header_model(contract: ContractVersion) -> None:
    assert contract.ei_service_domain == f"riv:{contract.domain}"
    expected = {"GetCareDocumentation": "voo", "GetDiagnosis": "dia", "GetCareContacts": "vko"}
    assert contract.ei_categorization == expected.get(contract.name, "und-kkm-ure")
    jol = contract.key in ("GetCareDocumentation:3.0", "GetLaboratoryOrderOutcome:4.2")
    assert contract.header_model is (HeaderModel.JOL if jol else HeaderModel.PATIENT_SUMMARY)


def test_schematron_is_named_exactly_where_inera_ships_one() -> None:
    with_schematron = {c.key for c in CATALOGUE if c.schemas.schematron}
    assert with_schematron == {
        "GetCareDocumentation:3.0",
        "GetDiagnosis:2.0",
        "GetLaboratoryOrderOutcome:4.2",
    }
    assert all("jolheader" not in path for c in ALL for path in c.schemas.schematron)
    update = find_contract("Update", "1.0").schemas.schematron
    assert update[0].endswith("UpdateMock/schematron/general_update_constraints.xml")
    assert all(path.endswith("_ei_update_constraints.xml") for path in update[1:])


def test_contract_rules_data_for_the_producer_suite() -> None:
    diagnosis = find_contract("GetDiagnosis", "2.0")
    assert {f.path.rsplit(":", 1)[-1] for f in diagnosis.forbidden} == {
        "documentTitle",
        "documentTime",
        "nullified",
        "nullifiedReason",
    }
    assert diagnosis.invalid_request is not None and diagnosis.invalid_request.level == "MUST"
    assert find_contract("GetCareContacts", "3.0").invalid_request is not None
    assert find_contract("GetCareDocumentation", "3.0").invalid_request is None
    lab = find_contract("GetLaboratoryOrderOutcome", "4.2")
    assert lab.result is None and any(f.path.endswith("lockTime") for f in lab.forbidden)
    gcd3 = find_contract("GetCareDocumentation", "3.0")
    assert gcd3.result is not None and not gcd3.result.has_log_id and gcd3.result.text == "resultText"


def test_lookup_by_name_and_version() -> None:
    assert parse_contract_key("GetDiagnosis:2.0") is find_contract("GetDiagnosis", "2.0")
    with pytest.raises(ContractNotFound, match="known: GetCareDocumentation:2.1"):
        find_contract("GetDiagnosis", "3.0")
    with pytest.raises(ContractNotFound, match="NAME:VERSION"):
        parse_contract_key("GetDiagnosis")


def test_the_vp_path_is_the_national_address_pattern() -> None:
    assert find_contract("GetCareDocumentation", "3.0").vp_path == (
        "clinicalprocess/healthcond/description/GetCareDocumentation/3/rivtabp21"
    )
    assert find_contract("GetLaboratoryOrderOutcome", "4.2").vp_path == (
        "clinicalprocess/healthcond/actoutcome/GetLaboratoryOrderOutcome/4/rivtabp21"
    )


def test_every_journal_contract_has_its_domains_response_time_limit() -> None:
    limits = {c.key: response_time_limit_s(c) for c in CATALOGUE}
    assert {k: v for k, v in limits.items() if v == 30.0} == {
        "GetCareDocumentation:2.1": 30.0,
        "GetCareDocumentation:3.0": 30.0,
        "GetDiagnosis:2.0": 30.0,
    }
    assert all(v in (27.0, 30.0) for v in limits.values())
    diagnosis = find_contract("GetDiagnosis", "2.0")
    assert response_time_limit_s(diagnosis, 1.5) == 1.5 and response_time_limit_s(diagnosis, 40.0) == 30.0


def test_the_processing_status_header_namespace_is_the_schemas(schema_dir: Path) -> None:
    from harness.contracts import PROCESSING_STATUS_NS, PROCESSING_STATUS_XSD

    xsd = etree.parse(str(schema_dir / PROCESSING_STATUS_XSD)).getroot()
    assert xsd.get("targetNamespace") == PROCESSING_STATUS_NS == "urn:riv:interoperability:headers:1"
    assert xsd.find(f"{XS}element[@name='ProcessingStatus']") is not None
