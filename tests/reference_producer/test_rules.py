"""Each producer rule, tested so that a producer breaking it fails (TKB sections in each test's doc)."""

from __future__ import annotations

import re

import pytest

from harness.contracts.requests import DatePeriod, InstanceId, RequestParams
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.config import BLOCKED_CONSUMER, FILTERING_CONSUMER
from harness.reference_producer.declaration import declared_test_data
from harness.reference_producer.organisation import RESERVE_NUMBER_OID, care_unit
from harness.reference_producer.testdata import (
    PATIENT,
    PATIENT_WITHOUT_RECORDS,
    RESERVE_NUMBER,
    SAMORDNINGSNUMMER_PATIENT,
    SECOND_SOURCE_PATIENT,
    SPECIAL_CHARACTERS,
    UNKNOWN_PATIENT,
    record_id,
)
from tests.reference_producer.helpers import LABELS, RP01, RP02, answer, call

DATA = {f"{c.contract} {c.version}": c for c in declared_test_data().contracts}
WITH_RESULT = [
    label for label in LABELS if label not in ("GetCareContacts 2.0", "GetLaboratoryOrderOutcome 4.2")
]
WITH_LOG_ID = [label for label in WITH_RESULT if label != "GetCareDocumentation 3.0"]
INVALID_REQUEST = ["GetDiagnosis 2.0", "GetCareContacts 3.0"]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("address", [RP01, RP02])
def test_records_come_only_from_the_logical_address(
    shared_producer: ReferenceProducer, label: str, address: str
) -> None:
    """TKB description §4 R3 / actoutcome §4 R1: only information created in the LogicalAddress's system."""
    parsed = answer(shared_producer, label, logical_address=address)
    assert parsed.records
    assert {r.source_system for r in parsed.records} == {address}


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("patient", [UNKNOWN_PATIENT, PATIENT_WITHOUT_RECORDS])
def test_a_patient_without_records_gets_an_empty_ok_answer(shared_producer: ReferenceProducer, label: str,
                                                           patient: str) -> None:  # fmt: skip
    """Inera test suites 1.8 NonExisting Patient: an empty answer, never a SOAP Fault."""
    parsed = answer(shared_producer, label, RequestParams(patient))
    assert parsed.records == ()
    if label in WITH_RESULT:
        assert parsed.result is not None and parsed.result.result_code == "OK"


@pytest.mark.parametrize("label", LABELS)
def test_samordningsnummer_finds_its_records(shared_producer: ReferenceProducer, label: str) -> None:
    parsed = answer(shared_producer, label, RequestParams(SAMORDNINGSNUMMER_PATIENT, "1.2.752.129.2.1.3.3"))
    assert parsed.records
    assert {r.patient_id for r in parsed.records} == {SAMORDNINGSNUMMER_PATIENT}


@pytest.mark.parametrize(
    "label", ["GetCareDocumentation 2.1", "GetCareDocumentation 3.0", "GetCareContacts 3.0"]
)
def test_linked_identities_are_returned_both_ways(shared_producer: ReferenceProducer, label: str) -> None:
    """TKB description §7 GetCareDocumentation patientId; actoutcome §4 R2: records stored under the
    linked reserve number come with the personnummer, and the other way round (direct addressing)."""
    kind = "note" if "Documentation" in label else "cc"
    by_pnr = answer(shared_producer, label, RequestParams(PATIENT)).record_ids
    assert record_id(f"r-{kind}1") in by_pnr
    by_reserve = answer(
        shared_producer, label, RequestParams(RESERVE_NUMBER, RESERVE_NUMBER_OID, source_system=RP01)
    )
    assert set(by_reserve.record_ids) == set(by_pnr)


@pytest.mark.parametrize("label", INVALID_REQUEST)
def test_reserve_number_without_source_system_is_an_invalid_request(shared_producer: ReferenceProducer,
                                                                    label: str) -> None:  # fmt: skip
    parsed = answer(shared_producer, label, RequestParams(RESERVE_NUMBER, RESERVE_NUMBER_OID))
    assert parsed.result is not None and (parsed.result.result_code, parsed.result.error_code) == (
        "ERROR", "INVALID_REQUEST")  # fmt: skip


@pytest.mark.parametrize("label", LABELS)
def test_date_period_end_is_inclusive(shared_producer: ReferenceProducer, label: str) -> None:
    """The declared single-day period holds the record whose only date is that day (TKB: dates compared
    as dates; actoutcome §7: "hela det dygn som anges i slutdatum betraktas som en del av sökintervallet")."""
    data = DATA[label]
    period = DatePeriod(data.period_with_data.start, data.period_with_data.end)
    parsed = answer(shared_producer, label, RequestParams(PATIENT, period=period))
    assert data.approved_false_record_id in _ids(parsed.record_ids)


@pytest.mark.parametrize("label", LABELS)
def test_a_period_before_every_record_is_empty(shared_producer: ReferenceProducer, label: str) -> None:
    parsed = answer(shared_producer, label, RequestParams(PATIENT, period=DatePeriod("20100101", "20100201")))
    assert parsed.records == ()


def test_an_ongoing_care_contact_overlaps_any_later_period(shared_producer: ReferenceProducer) -> None:
    """TKB logistics §7 GetCareContacts datePeriod: start before or in the period and no end matches."""
    for label in ("GetCareContacts 2.0", "GetCareContacts 3.0"):
        parsed = answer(
            shared_producer, label, RequestParams(PATIENT, period=DatePeriod("20250601", "20250630"))
        )
        assert parsed.record_ids == (record_id("a-cc4"),)


def test_diagnosis_time_counts_for_the_period(shared_producer: ReferenceProducer) -> None:
    """GetDiagnosis matches on diagnosisTime too: the period with only a-dia2's diagnosis/author day."""
    parsed = answer(
        shared_producer, "GetDiagnosis 2.0", RequestParams(PATIENT, period=DatePeriod("20240108", "20240108"))
    )
    assert parsed.record_ids == (record_id("a-dia2"),)  # its signature day


@pytest.mark.parametrize("label", LABELS)
def test_care_unit_filter(shared_producer: ReferenceProducer, label: str) -> None:
    unit = DATA[label].care_unit
    parsed = answer(shared_producer, label, RequestParams(PATIENT, care_units=(unit,)))
    assert parsed.records and {r.care_unit for r in parsed.records} == {unit}


@pytest.mark.parametrize(
    "label", ["GetCareDocumentation 3.0", "GetCareContacts 3.0", "GetLaboratoryOrderOutcome 4.2"]
)
def test_care_giver_filter(shared_producer: ReferenceProducer, label: str) -> None:
    giver = care_unit("VE31").care_giver.hsa_id
    everything = answer(shared_producer, label)
    parsed = answer(shared_producer, label, RequestParams(PATIENT, care_givers=(giver,)))
    assert parsed.records and {r.care_giver for r in parsed.records} == {giver}
    assert len(parsed.records) < len(everything.records)


@pytest.mark.parametrize("label", [label for label in LABELS if DATA[label].care_contact_id])
def test_care_contact_filter(shared_producer: ReferenceProducer, label: str) -> None:
    contact = DATA[label].care_contact_id
    assert contact is not None
    parsed = answer(
        shared_producer, label, RequestParams(PATIENT, care_contact_ids=(contact,), source_system=RP01)
    )
    assert len(parsed.records) == 1
    record = parsed.records[0]
    assert (record.id if "CareContacts" in label else record.care_contact_id) == contact


def test_lab_specimen_and_referral_filters(shared_producer: ReferenceProducer) -> None:
    label = "GetLaboratoryOrderOutcome 4.2"
    by_specimen = answer(
        shared_producer, label, RequestParams(PATIENT, specimen_ids=(InstanceId(RP01, "a-lab1-s1"),))
    )
    by_referral = answer(
        shared_producer, label, RequestParams(PATIENT, referral_ids=(InstanceId(RP01, "a-lab2-rid"),))
    )
    assert [r.id for r in by_specimen.records] == [f"{RP01}/{record_id('a-lab1')}"]
    assert [r.id for r in by_referral.records] == [f"{RP01}/{record_id('a-lab2')}"]


@pytest.mark.parametrize("label", INVALID_REQUEST)
@pytest.mark.parametrize(
    "params",
    [
        RequestParams(PATIENT, source_system=RP02),
        RequestParams(PATIENT, care_contact_ids=(record_id("a-cc1"),)),
    ],
    ids=["source system is not the logical address", "care contact without source system"],
)
def test_invalid_request_gives_only_an_error_result(shared_producer: ReferenceProducer, label: str,
                                                    params: RequestParams) -> None:  # fmt: skip
    """TKB description §7 GetDiagnosis sourceSystemHSAId (MUST); GetCareContacts 3.0 alike (logistics §7)."""
    parsed = answer(shared_producer, label, params)
    assert parsed.records == ()
    assert parsed.result is not None
    assert (parsed.result.result_code, parsed.result.error_code) == ("ERROR", "INVALID_REQUEST")
    assert parsed.result.log_id and UUID.fullmatch(parsed.result.log_id)


@pytest.mark.parametrize("label", [label for label in LABELS if label not in INVALID_REQUEST])
def test_other_contracts_answer_a_foreign_source_system_with_no_records(shared_producer: ReferenceProducer,
                                                                        label: str) -> None:  # fmt: skip
    parsed = answer(shared_producer, label, RequestParams(PATIENT, source_system=RP02))
    assert parsed.records == ()
    if parsed.result is not None:
        assert parsed.result.error_code is None


@pytest.mark.parametrize("label", LABELS)
def test_every_record_carries_the_pdl_fields(shared_producer: ReferenceProducer, label: str) -> None:
    """Check 10 / Inera 3.1 VG_VE and 3.2: care giver, care unit and authorTime/blockComparisonTime."""
    for address in (RP01, RP02):
        for record in answer(shared_producer, label, logical_address=address).records:
            assert record.care_unit and record.care_giver and record.block_time, record.id
            assert record.approved_for_patient is not None


@pytest.mark.parametrize("label", LABELS)
def test_approved_for_patient_true_and_false(shared_producer: ReferenceProducer, label: str) -> None:
    """TKB logistics §7 Regel 3: "Ska kunna sättas till false"; Inera 4.1 and 4.2."""
    parsed = answer(shared_producer, label)
    assert {r.approved_for_patient for r in parsed.records} == {True, False}
    false = [r.id for r in parsed.records if r.approved_for_patient is False]
    assert DATA[label].approved_false_record_id in _ids(tuple(false))


@pytest.mark.parametrize("label", LABELS)
def test_no_forbidden_fields(shared_producer: ReferenceProducer, label: str) -> None:
    """Check 12: GetDiagnosis 0..0 header fields, GetCareContacts 3.0 "Ska ej anges", no lockTime in 4.2,
    GetCareDocumentation 3.0 record/id without extension."""
    from harness.contracts.responses import forbidden_fields_present

    parsed = answer(shared_producer, label)
    for record in parsed.records:
        assert forbidden_fields_present(parsed.contract, record) == ()
    assert b"lockTime" not in call(shared_producer, label).get_data()


def test_lab_4_2_specifics(shared_producer: ReferenceProducer) -> None:
    """Check 25: patientId given, blockComparisonTime the latest specimen, type final/partial/preliminary,
    no signature/orgUnit, an empty unit for a result without one."""
    parsed = answer(shared_producer, "GetLaboratoryOrderOutcome 4.2")
    ns = {
        "c": "urn:riv:clinicalprocess:healthcond:actoutcome:4",
        "m": "urn:riv:clinicalprocess:healthcond:actoutcome:4.1",
    }
    for record in parsed.records:
        element = record.element
        assert element.find("c:header/c:accessControlHeader/m:patientId/c:extension", ns) is not None
        specimens = [e.text for e in element.iterfind(".//c:specimen/c:timestamp", ns)]
        assert record.block_time == max(specimens)
        assert element.findtext("c:body/c:type/c:code", namespaces=ns) in ("final", "partial", "preliminary")
        assert element.find("c:header/c:signature/m:orgUnit", ns) is None
    units = [e.text for e in parsed.element.iterfind(".//c:pq/c:unit", ns)]
    assert None in units or "" in units


def test_care_contacts_3_0_org_units(shared_producer: ReferenceProducer) -> None:
    """Check 24 (TKB logistics §7 Regel 4, 5): both org units with HSA-id and name; a start or an end."""
    parsed = answer(shared_producer, "GetCareContacts 3.0")
    ns = {"c": "urn:riv:clinicalprocess:logistics:logistics:3"}
    for record in parsed.records:
        e = record.element
        professional = "c:careContactHeader/c:accountableHealthcareProfessional"
        for path in (f"{professional}/c:healthcareProfessionalOrgUnit",
                     "c:careContactBody/c:careContactOrgUnit"):  # fmt: skip
            assert e.findtext(f"{path}/c:orgUnitHSAId", namespaces=ns) and e.findtext(
                f"{path}/c:orgUnitName", namespaces=ns
            )
        assert e.find("c:careContactBody/c:careContactTimePeriod/*", ns) is not None


@pytest.mark.parametrize("label", WITH_LOG_ID)
def test_result_is_ok_with_a_uuid_log_id(shared_producer: ReferenceProducer, label: str) -> None:
    first, second = answer(shared_producer, label), answer(shared_producer, label)
    for parsed in (first, second):
        assert (
            parsed.result is not None
            and parsed.result.result_code == "OK"
            and parsed.result.error_code is None
        )
        assert parsed.result.log_id and UUID.fullmatch(parsed.result.log_id)
    assert first.result and second.result and first.result.log_id != second.result.log_id


@pytest.mark.parametrize("label", LABELS)
def test_record_ids_are_stable_and_unique(shared_producer: ReferenceProducer, label: str) -> None:
    first, second = answer(shared_producer, label).record_ids, answer(shared_producer, label).record_ids
    assert first == second and len(set(first)) == len(first)


def test_the_same_note_has_the_same_id_in_both_major_versions(shared_producer: ReferenceProducer) -> None:
    """TKB description §7 GetCareDocumentation record.id: root as documentId in earlier majors."""
    for address in (RP01, RP02):
        v2 = answer(shared_producer, "GetCareDocumentation 2.1", logical_address=address).record_ids
        v3 = answer(shared_producer, "GetCareDocumentation 3.0", logical_address=address).record_ids
        assert sorted(v2) == sorted(v3) and v2


def test_the_same_care_contact_has_the_same_id_in_both_major_versions(
    shared_producer: ReferenceProducer,
) -> None:
    v2 = answer(shared_producer, "GetCareContacts 2.0").record_ids
    v3 = answer(shared_producer, "GetCareContacts 3.0").record_ids
    assert sorted(v2) == sorted(v3) and v2


def test_lab_ids_map_between_versions(shared_producer: ReferenceProducer) -> None:
    v3 = answer(shared_producer, "GetLaboratoryOrderOutcome 3.1").record_ids
    v4 = answer(shared_producer, "GetLaboratoryOrderOutcome 4.2").record_ids
    assert sorted(f"{RP01}/{i}" for i in v3) == sorted(v4)


@pytest.mark.parametrize("label", LABELS)
def test_utf8_content_type_and_prolog(shared_producer: ReferenceProducer, label: str) -> None:
    """Inera 2.1 Encoding_HeaderProlog: the HTTP charset and the XML prolog say the same, UTF-8."""
    response = call(shared_producer, label)
    assert response.headers["Content-Type"] == "text/xml;charset=UTF-8"
    assert re.match(rb"<\?xml version=.1\.0. encoding=.UTF-8.\?>", response.get_data())


def test_special_characters_round_trip(shared_producer: ReferenceProducer) -> None:
    """Inera 2.2 Encoding_SpecialCharacters: åäö<>><& escaped in the XML, intact when read."""
    body = call(shared_producer, "GetCareDocumentation 3.0").get_data()
    assert "åäö&lt;&gt;&gt;&lt;&amp;".encode() in body
    parsed = answer(shared_producer, "GetCareDocumentation 3.0")
    texts = "".join(parsed.element.itertext())
    assert SPECIAL_CHARACTERS in texts and "Barn- & ungdomsmottagningen <Syd>" in texts


@pytest.mark.parametrize("label", LABELS)
def test_consumer_filtering_removes_whole_care_units_only(
    shared_producer: ReferenceProducer, label: str
) -> None:
    """TKB description §4 "Generellt"; Inera 7.1 CareUnit_Blacklisted, 7.2 Consumer_Blacklisted, 7.3."""
    excluded = care_unit("VE31").hsa_id
    everything = answer(shared_producer, label)
    filtered = answer(shared_producer, label, consumer=FILTERING_CONSUMER)
    expected = [r.id for r in everything.records if r.care_unit != excluded]
    assert [r.id for r in filtered.records] == expected
    assert answer(shared_producer, label, consumer=BLOCKED_CONSUMER).records == ()
    other = answer(shared_producer, label, consumer="TSTNMT2321000156-1177")
    assert other.record_ids == everything.record_ids


def test_second_source_patient_is_only_in_the_second_system(shared_producer: ReferenceProducer) -> None:
    assert answer(shared_producer, "GetCareContacts 3.0", RequestParams(SECOND_SOURCE_PATIENT)).records == ()
    assert answer(
        shared_producer, "GetCareContacts 3.0", RequestParams(SECOND_SOURCE_PATIENT), logical_address=RP02
    ).records


def _ids(ids: tuple[str | None, ...]) -> set[str]:
    """Record ids, with GetLaboratoryOrderOutcome 4.2's "root/extension" reduced to the extension."""
    return {i.rsplit("/", 1)[-1] for i in ids if i}
