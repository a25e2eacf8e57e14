"""XSD validation against the official schemas: a wrong element order is caught with the element's name
and line, an envelope is judged by its Body element, and no schema bundle is "skipped", not a pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from rivta_samples import SampleValues, sample_response

from harness.contracts import CATALOGUE, ContractVersion, MessageRole, find_contract
from harness.core.soap import build_envelope, build_fault
from harness.validation import (
    NO_SCHEMA_BUNDLE,
    IssueKind,
    SchemaBundle,
    SchemaBundleError,
    ValidationStatus,
    Validator,
)

DIAGNOSIS = find_contract("GetDiagnosis", "2.0")


def swapped_header(pnr: str) -> bytes:
    """GetDiagnosis with approvedForPatient before legalAuthenticator (XSD order: the other way round)."""
    data = sample_response(DIAGNOSIS.key, SampleValues(pnr)).decode()
    authenticator = (
        "<c:legalAuthenticator><c:signatureTime>20240302080000</c:signatureTime></c:legalAuthenticator>"
    )
    approved = "<c:approvedForPatient>true</c:approvedForPatient>"
    assert authenticator in data and approved in data
    swapped = data.replace(authenticator, "@A@").replace(approved, authenticator).replace("@A@", approved)
    return swapped.encode()


def test_a_wrong_element_order_is_caught_with_element_and_line(pnr: str, schema_dir: Path) -> None:
    data = swapped_header(pnr)
    issues = SchemaBundle(schema_dir).validate_xsd(DIAGNOSIS, data)
    assert issues, "the swapped header passed the XSD"
    first = issues[0]
    assert first.kind is IssueKind.XSD and first.rule == "SCHEMAV_ELEMENT_CONTENT"
    assert "legalAuthenticator" in first.message and "not expected" in first.message
    expected_line = next(
        n for n, text in enumerate(data.decode().splitlines(), 1) if "legalAuthenticator" in text
    )
    assert first.line == expected_line
    assert first.location.endswith("diagnosisHeader/c:legalAuthenticator")


def test_an_envelope_is_judged_by_its_body_element_with_the_same_issues(
    pnr: str, validator: Validator
) -> None:
    bare = swapped_header(pnr)
    wrapped = build_envelope(etree.fromstring(bare), logical_address="TSTNMT2321000156-RP01")
    by_bare = validator.validate(DIAGNOSIS, bare)
    by_envelope = validator.validate(DIAGNOSIS, wrapped)
    assert by_bare.status is by_envelope.status is ValidationStatus.INVALID
    assert [i.message for i in by_bare.issues] == [i.message for i in by_envelope.issues]


@pytest.mark.parametrize("contract", CATALOGUE, ids=[c.key for c in CATALOGUE])
def test_a_missing_required_element_fails_each_contracts_xsd(
    contract: ContractVersion, pnr: str, validator: Validator
) -> None:
    values = SampleValues(pnr)
    data = sample_response(contract.key, values).decode()
    source = f">{values.source}<"
    assert source in data
    broken = data.replace(source, "><", 1).replace("<c:approvedForPatient>", "<c:approvedForPatient>maybe", 1)
    result = validator.validate(contract, broken.encode())
    assert not result.valid
    assert any(i.kind is IssueKind.XSD and "approvedForPatient" in i.message for i in result.issues)


def test_the_wrong_element_or_a_fault_is_invalid_not_an_error(pnr: str, validator: Validator) -> None:
    data = sample_response(DIAGNOSIS.key, SampleValues(pnr))
    other = validator.validate(find_contract("GetCareContacts", "3.0"), data)
    assert other.status is ValidationStatus.INVALID and "expected" in other.issues[0].message
    fault = validator.validate(DIAGNOSIS, build_fault("Server", "internal error", "log-id 42"))
    assert fault.issues[0].rule == "SOAP Fault" and "internal error" in fault.issues[0].message
    malformed = validator.validate(DIAGNOSIS, b"<r:GetDiagnosisResponse")
    assert malformed.issues[0].kind is IssueKind.XML
    request_as_response = validator.validate(DIAGNOSIS, data, role=MessageRole.REQUEST)
    assert not request_as_response.valid


def test_without_a_schema_bundle_validation_is_skipped_not_passed(pnr: str) -> None:
    result = Validator(None).validate(DIAGNOSIS, sample_response(DIAGNOSIS.key, SampleValues(pnr)))
    assert result.status is ValidationStatus.SKIPPED and not result.valid
    assert result.reason == NO_SCHEMA_BUNDLE == "no schema bundle"


def test_a_schema_directory_without_the_contracts_files_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaBundleError, match="GetDiagnosisResponder_2.0.xsd"):
        Validator(tmp_path).validate(DIAGNOSIS, b"<not-even-the-right-element/>")


def test_each_xsd_is_compiled_once(schema_dir: Path, pnr: str) -> None:
    bundle = SchemaBundle(schema_dir)
    data = sample_response(DIAGNOSIS.key, SampleValues(pnr))
    bundle.validate_xsd(DIAGNOSIS, data)
    compiled = bundle.schema(DIAGNOSIS)
    bundle.validate_xsd(DIAGNOSIS, data)
    assert bundle.schema(DIAGNOSIS) is compiled
