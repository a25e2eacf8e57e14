"""The response reader on a schema-valid sample of every contract version; forbidden fields; date filters."""

from __future__ import annotations

import pytest
from lxml import etree
from rivta_samples import SampleValues, sample_response

from harness.contracts import (
    CATALOGUE,
    ContractVersion,
    DatePeriod,
    ResponseError,
    find_contract,
    forbidden_fields_present,
    in_date_period,
    read_response,
)
from harness.core.soap import build_envelope, parse_envelope
from harness.validation import Validator

JOL = ("GetCareDocumentation:3.0", "GetLaboratoryOrderOutcome:4.2")


@pytest.mark.parametrize("contract", CATALOGUE, ids=[c.key for c in CATALOGUE])
def test_the_reader_reads_a_schema_valid_sample(
    contract: ContractVersion, pnr: str, validator: Validator
) -> None:
    values = SampleValues(pnr=pnr)
    data = sample_response(contract.key, values)
    assert validator.validate(contract, data).valid
    body = parse_envelope(build_envelope(etree.fromstring(data))).body
    assert body is not None
    response = read_response(contract, body)
    (record,) = response.records
    assert record.source_system == values.source
    assert (record.patient_id, record.patient_id_type) == (pnr, "1.2.752.129.2.1.3.1")
    assert (record.care_unit, record.care_giver) == (values.unit, values.giver)
    assert record.approved_for_patient is (contract.key != "GetCareDocumentation:3.0")
    assert record.block_time is not None and record.timestamps
    if contract.key == "GetLaboratoryOrderOutcome:4.2":
        assert record.id == f"1.2.752.129.2.1.4.1/{values.record_id}"
    else:
        assert record.id == values.record_id
    expected_contact = {"GetCareContacts": values.record_id}.get(
        contract.name, None if contract.key in JOL else "CC-1"
    )
    assert record.care_contact_id == expected_contact
    assert record.element.getparent() is body
    if contract.result is None:
        assert response.result is None
    else:
        assert response.result is not None and response.result.result_code == "OK"
        assert (response.result.log_id is not None) == contract.result.has_log_id


def test_the_reader_refuses_another_element(pnr: str) -> None:
    data = sample_response("GetDiagnosis:2.0", SampleValues(pnr=pnr))
    with pytest.raises(ResponseError, match="GetCareContactsResponse"):
        read_response(find_contract("GetCareContacts", "3.0"), etree.fromstring(data))


def test_approved_for_patient_that_is_no_boolean_reads_as_none(pnr: str) -> None:
    data = sample_response("GetDiagnosis:2.0", SampleValues(pnr=pnr)).replace(b">true<", b">yes<")
    (record,) = read_response(find_contract("GetDiagnosis", "2.0"), etree.fromstring(data)).records
    assert record.approved_for_patient is None


def test_forbidden_fields_are_found_on_the_record(pnr: str) -> None:
    contract = find_contract("GetDiagnosis", "2.0")
    clean = sample_response(contract.key, SampleValues(pnr=pnr))
    (record,) = read_response(contract, etree.fromstring(clean)).records
    assert forbidden_fields_present(contract, record) == ()
    dirty = clean.replace(b"<c:patientId>", b"<c:documentTitle>T</c:documentTitle><c:patientId>")
    (record,) = read_response(contract, etree.fromstring(dirty)).records
    assert [f.path for f in forbidden_fields_present(contract, record)] == [
        "c:diagnosisHeader/c:documentTitle"
    ]


def test_lock_time_is_forbidden_in_laboratory_order_outcome_4_2(pnr: str) -> None:
    contract = find_contract("GetLaboratoryOrderOutcome", "4.2")
    data = sample_response(contract.key, SampleValues(pnr=pnr)).replace(
        b"<c:blockComparisonTime>", b"<c:lockTime>20240304073000</c:lockTime><c:blockComparisonTime>"
    )
    (record,) = read_response(contract, etree.fromstring(data)).records
    assert [f.path.rsplit(":", 1)[-1] for f in forbidden_fields_present(contract, record)] == ["lockTime"]


def test_date_filters_compare_dates_with_the_end_inclusive(pnr: str) -> None:
    diagnosis = find_contract(
        "GetDiagnosis", "2.0"
    )  # authorTime 20240301, signatureTime 20240302, diagnosisTime 20240303
    (record,) = read_response(
        diagnosis, etree.fromstring(sample_response(diagnosis.key, SampleValues(pnr)))
    ).records
    assert in_date_period(diagnosis, record, DatePeriod("20240303", "20240303"))
    assert in_date_period(diagnosis, record, DatePeriod("20240201", "20240301"))
    assert not in_date_period(diagnosis, record, DatePeriod("20240304", "20241231"))
    assert not in_date_period(diagnosis, record, DatePeriod("20240101", "20240229"))


def test_care_contacts_match_when_their_interval_overlaps_the_period(pnr: str) -> None:
    contacts = find_contract("GetCareContacts", "3.0")  # authorTime 20240301, contact 20240305
    (record,) = read_response(
        contacts, etree.fromstring(sample_response(contacts.key, SampleValues(pnr)))
    ).records
    assert in_date_period(contacts, record, DatePeriod("20240302", "20240304"))  # inside, no timestamp in it
    assert not in_date_period(contacts, record, DatePeriod("20240306", "20240310"))
    any_within = find_contract("GetDiagnosis", "2.0")
    assert any_within.date_filter is not None and contacts.date_filter is not None
    assert any_within.date_filter.mode != contacts.date_filter.mode


def test_has_more_is_read_from_get_care_documentation_3(pnr: str, validator: Validator) -> None:
    contract = find_contract("GetCareDocumentation", "3.0")
    data = sample_response(contract.key, SampleValues(pnr)).replace(
        b"<r:result>",
        b"<r:hasMore><r:logicalAddress>TSTNMT2321000156-RP01</r:logicalAddress>"
        b"<r:reference>page-2</r:reference></r:hasMore><r:result>",
    )
    assert validator.validate(contract, data).valid
    (more,) = read_response(contract, etree.fromstring(data)).has_more
    assert (more.logical_address, more.reference) == ("TSTNMT2321000156-RP01", "page-2")


def test_an_ongoing_care_contact_matches_every_later_period(pnr: str) -> None:
    # TKB clinicalprocess:logistics:logistics §7 GetCareContacts datePeriod: "careContactTimePeriod.start
    # ligger före eller inom sökintervallets start- och slutdatum samt careContactTimePeriod.end saknas".
    contacts = find_contract("GetCareContacts", "3.0")  # authorTime 20240301, contact from 20240305, no end
    data = sample_response(contacts.key, SampleValues(pnr)).replace(b"<c:end>20240305083000</c:end>", b"")
    (record,) = read_response(contacts, etree.fromstring(data)).records
    assert in_date_period(contacts, record, DatePeriod("20250101", "20250131"))
    assert in_date_period(contacts, record, DatePeriod("20240305", "20240305"))
    assert not in_date_period(contacts, record, DatePeriod("20240101", "20240229"))
    # Without a start, the contact is open towards earlier dates up to its end.
    data = sample_response(contacts.key, SampleValues(pnr)).replace(b"<c:start>20240305080000</c:start>", b"")
    (record,) = read_response(contacts, etree.fromstring(data)).records
    assert in_date_period(contacts, record, DatePeriod("20200101", "20200131"))
    assert not in_date_period(contacts, record, DatePeriod("20240306", "20240331"))
