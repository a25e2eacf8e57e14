"""Every request built for every contract version is valid against its official XSD, and reads back."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from harness.contracts import (
    CATALOGUE,
    HSA_OID,
    SAMORDNINGSNUMMER_OID,
    ContractVersion,
    DatePeriod,
    InstanceId,
    MessageRole,
    RequestError,
    RequestParams,
    RequestRole,
    build_request,
    find_contract,
    read_request,
)
from harness.core.soap import build_envelope, parse_envelope
from harness.validation import Validator


def full_params(contract: ContractVersion, pnr: str) -> RequestParams:
    """Every parameter the contract version has an element for, several values where it repeats."""
    params = RequestParams(patient_id=pnr)
    supported = {f.role for f in contract.request}
    options = {
        RequestRole.CARE_UNIT: {"care_units": ("TSTNMT2321000156-VE11", "TSTNMT2321000156-VE12")},
        RequestRole.CARE_GIVER: {"care_givers": ("TSTNMT2321000156-VG01",)},
        RequestRole.PERIOD: {"period": DatePeriod("20240101", "20241231")},
        RequestRole.SOURCE_SYSTEM: {"source_system": "TSTNMT2321000156-RP01"},
        RequestRole.CARE_CONTACT: {"care_contact_ids": ("CC-1", "CC-2")},
        RequestRole.HAS_MORE_REFERENCE: {"has_more_reference": "page-2"},
        RequestRole.SPECIMEN: {"specimen_ids": (InstanceId("1.2.752.129.2.1.4.1", "S-1"),)},
        RequestRole.REFERRAL: {"referral_ids": (InstanceId("1.2.752.129.2.1.4.1", "R-1"),)},
    }
    for role, values in options.items():
        if role in supported:
            params = replace(params, **values)
    return params


@pytest.mark.parametrize("contract", CATALOGUE, ids=[c.key for c in CATALOGUE])
def test_built_requests_are_valid_against_the_official_xsd_and_read_back(
    contract: ContractVersion, pnr: str, validator: Validator
) -> None:
    for params in (RequestParams(patient_id=pnr), full_params(contract, pnr)):
        element = build_request(contract, params)
        result = validator.validate(contract, element, role=MessageRole.REQUEST)
        assert result.valid, [str(i) for i in result.issues]
        assert read_request(contract, element) == params
        envelope = build_envelope(element, logical_address="TSTNMT2321000156-RP01")
        body = parse_envelope(envelope).body
        assert body is not None and read_request(contract, body) == params


def test_get_diagnosis_request_has_the_xsds_names_and_order(pnr: str) -> None:
    contract = find_contract("GetDiagnosis", "2.0")
    element = build_request(contract, full_params(contract, pnr))
    names = [etree.QName(child).localname for child in element]
    assert names == [
        "careUnitHSAId",
        "careUnitHSAId",
        "patientId",
        "timePeriod",
        "sourceSystemHSAId",
        "careContactId",
        "careContactId",
    ]
    patient = element.find(f"{{{contract.namespace}}}patientId")
    assert patient is not None
    assert patient.findtext(f"{{{contract.core_namespace}}}id") == pnr
    assert patient.findtext(f"{{{contract.core_namespace}}}type") == "1.2.752.129.2.1.3.1"


def test_jol_requests_carry_iitype_identities(pnr: str) -> None:
    contract = find_contract("GetCareDocumentation", "3.0")
    params = replace(full_params(contract, pnr), patient_id_type=SAMORDNINGSNUMMER_OID)
    element = build_request(contract, params)
    core = contract.core_namespace
    unit = element.find(f"{{{contract.namespace}}}careUnit")
    assert unit is not None
    assert unit.findtext(f"{{{core}}}root") == HSA_OID
    assert unit.findtext(f"{{{core}}}extension") == "TSTNMT2321000156-VE11"
    patient = element.find(f"{{{contract.namespace}}}patientId")
    assert patient is not None and patient.findtext(f"{{{core}}}root") == SAMORDNINGSNUMMER_OID


def test_a_parameter_the_contract_has_no_element_for_is_an_error(pnr: str) -> None:
    with pytest.raises(RequestError, match="GetDiagnosis 2.0 has no care_giver"):
        build_request(find_contract("GetDiagnosis", "2.0"), RequestParams(pnr, care_givers=("X",)))
    with pytest.raises(RequestError, match="care_contact"):
        build_request(
            find_contract("GetCareDocumentation", "3.0"), RequestParams(pnr, care_contact_ids=("C",))
        )


def test_reading_another_contracts_request_is_an_error(pnr: str) -> None:
    element = build_request(find_contract("GetDiagnosis", "2.0"), RequestParams(pnr))
    with pytest.raises(RequestError, match="expected"):
        read_request(find_contract("GetCareContacts", "2.0"), element)
