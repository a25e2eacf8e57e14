"""An independent cross-check with zeep, built from the official WSDLs: its soapAction is the catalogue's,
its requests pass our reader and validator, and it parses our requests and the sample responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from rivta_samples import SampleValues, sample_response
from zeep import Client, Settings

from harness.contracts import (
    CATALOGUE,
    PLATFORM_CONTRACTS,
    ContractVersion,
    DatePeriod,
    MessageRole,
    RequestParams,
    build_request,
    find_contract,
    read_request,
    read_response,
)
from harness.core.soap import build_envelope, parse_envelope
from harness.validation import Validator

SOURCE = "TSTNMT2321000156-RP01"
ALL = (*CATALOGUE, *PLATFORM_CONTRACTS)


def zeep_client(schema_dir: Path, contract: ContractVersion) -> Client:
    assert contract.schemas.wsdl is not None
    return Client(str(schema_dir / contract.schemas.wsdl), settings=Settings(strict=True))


def operation(client: Client, contract: ContractVersion) -> Any:
    return client.service._binding._operations[contract.name]


@pytest.mark.parametrize("contract", ALL, ids=[c.key for c in ALL])
def test_zeeps_soap_action_is_the_catalogues(contract: ContractVersion, schema_dir: Path) -> None:
    assert operation(zeep_client(schema_dir, contract), contract).soapaction == contract.soap_action


ZEEP_CALLS = {
    "GetDiagnosis:2.0": {
        "careUnitHSAId": ["TSTNMT2321000156-VE11"],
        "timePeriod": {"start": "20240101", "end": "20241231"},
        "sourceSystemHSAId": SOURCE,
        "careContactId": ["CC-1"],
    },
    "GetCareDocumentation:3.0": {
        "careUnit": [{"root": "1.2.752.129.2.1.4.1", "extension": "TSTNMT2321000156-VE11"}],
        "datePeriod": {"start": "20240101", "end": "20241231"},
        "sourceSystemId": {"root": "1.2.752.129.2.1.4.1", "extension": SOURCE},
    },
}


@pytest.mark.parametrize("key", sorted(ZEEP_CALLS))
def test_a_request_zeep_builds_passes_our_reader_and_validator(
    key: str, pnr: str, schema_dir: Path, validator: Validator
) -> None:
    contract = find_contract(*key.split(":"))
    client = zeep_client(schema_dir, contract)
    pnr_value: dict[str, str] = (
        {"id": pnr, "type": "1.2.752.129.2.1.3.1"}
        if contract.key == "GetDiagnosis:2.0"
        else {"root": "1.2.752.129.2.1.3.1", "extension": pnr}
    )
    envelope = client.create_message(
        client.service,
        contract.name,
        patientId=pnr_value,
        _soapheaders={"LogicalAddress": SOURCE},
        **ZEEP_CALLS[key],
    )
    data = etree.tostring(envelope)
    assert validator.validate(contract, data, role=MessageRole.REQUEST).valid
    parsed = parse_envelope(data)
    assert parsed.logical_address == SOURCE and parsed.body is not None
    params = read_request(contract, parsed.body)
    assert (params.patient_id, params.source_system) == (pnr, SOURCE)
    assert params.care_units == ("TSTNMT2321000156-VE11",)
    assert params.period == DatePeriod("20240101", "20241231")


@pytest.mark.parametrize("key", ["GetDiagnosis:2.0", "GetCareDocumentation:3.0"])
def test_zeep_parses_the_request_we_build(key: str, pnr: str, schema_dir: Path) -> None:
    contract = find_contract(*key.split(":"))
    params = RequestParams(
        pnr, care_units=("TSTNMT2321000156-VE11",), period=DatePeriod("20240101", "20240630")
    )
    envelope = build_envelope(build_request(contract, params), logical_address=SOURCE)
    parsed = operation(zeep_client(schema_dir, contract), contract).input.deserialize(
        etree.fromstring(envelope)
    )
    assert parsed.header.LogicalAddress == SOURCE
    patient = parsed.body.patientId
    assert (patient.id if key == "GetDiagnosis:2.0" else patient.extension) == pnr
    assert parsed.body.timePeriod if key == "GetDiagnosis:2.0" else parsed.body.datePeriod


@pytest.mark.parametrize("contract", CATALOGUE, ids=[c.key for c in CATALOGUE])
def test_zeep_parses_the_sample_responses_as_our_reader_does(
    contract: ContractVersion, pnr: str, schema_dir: Path
) -> None:
    data = sample_response(contract.key, SampleValues(pnr))
    envelope = build_envelope(etree.fromstring(data))
    parsed = operation(zeep_client(schema_dir, contract), contract).output.deserialize(
        etree.fromstring(envelope)
    )
    assert contract.record is not None
    zeep_records = getattr(parsed, contract.record.element)
    body = parse_envelope(envelope).body
    assert body is not None
    ours = read_response(contract, body).records
    assert len(zeep_records) == len(ours) == 1
