"""The seams let a test build each flawed producer the producer suite must catch; each flaw is
visible in the producer's behaviour (the suite's scenarios will judge them through HTTP)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from werkzeug.test import Client

from harness.contracts import find_contract
from harness.contracts.requests import DatePeriod, RequestParams
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.publisher import EiPublisher, EiRules, EiSettings
from harness.reference_producer.responder import ProducerRules
from harness.reference_producer.store import JournalStore
from harness.reference_producer.testdata import PATIENT, UNKNOWN_PATIENT, record_id
from harness.validation import Validator
from tests.reference_producer import flaws
from tests.reference_producer.helpers import RecordingSender, answer, call, fault_of

LAB = "GetLaboratoryOrderOutcome 4.2"


def _flawed(db_path: Path, rules: ProducerRules) -> ReferenceProducer:
    return ReferenceProducer(
        ProducerConfig(db_path=db_path, rules=rules, test_hooks=True), JournalStore(db_path)
    )


def test_ignoring_the_logical_address(db_path: Path) -> None:
    sources = {
        r.source_system
        for r in answer(_flawed(db_path, flaws.IGNORES_LOGICAL_ADDRESS), "GetDiagnosis 2.0").records
    }
    assert len(sources) == 2


def test_exclusive_end_date(db_path: Path) -> None:
    parsed = answer(_flawed(db_path, flaws.EXCLUSIVE_END), "GetCareDocumentation 3.0",
                    RequestParams(PATIENT, period=DatePeriod("20240106", "20240106")))  # fmt: skip
    assert parsed.records == ()


def test_no_invalid_request(db_path: Path) -> None:
    parsed = answer(
        _flawed(db_path, flaws.NO_INVALID_REQUEST),
        "GetDiagnosis 2.0",
        RequestParams(PATIENT, source_system="X"),
    )
    assert parsed.result is not None and parsed.result.result_code == "OK"


def test_fault_for_an_unknown_patient(db_path: Path) -> None:
    response = call(
        _flawed(db_path, flaws.FAULT_FOR_UNKNOWN_PATIENT), "GetDiagnosis 2.0", RequestParams(UNKNOWN_PATIENT)
    )
    assert fault_of(response).code_local == "Server"


def test_personal_data_in_a_fault(db_path: Path) -> None:
    producer = _flawed(db_path, flaws.PERSONAL_DATA_IN_FAULT)
    Client(producer).post("/test-hooks/technical-error", json={"calls": 1})
    assert PATIENT in fault_of(call(producer, "GetDiagnosis 2.0")).string


def test_schema_invalid_element_order(db_path: Path, validator: Validator) -> None:
    body = call(_flawed(db_path, flaws.WRONG_ORDER), "GetDiagnosis 2.0").get_data()
    assert validator.validate(find_contract("GetDiagnosis", "2.0"), body).issues


def test_lock_time_and_missing_pdl_fields(db_path: Path) -> None:
    from harness.contracts.responses import forbidden_fields_present

    locked = answer(_flawed(db_path, flaws.LOCK_TIME), LAB)
    assert all(forbidden_fields_present(locked.contract, r) for r in locked.records)
    assert {r.care_unit for r in answer(_flawed(db_path, flaws.MISSING_PDL), LAB).records} == {None}


def test_unstable_ids(db_path: Path) -> None:
    producer = _flawed(db_path, flaws.UNSTABLE_IDS)
    assert answer(producer, "GetDiagnosis 2.0").record_ids != answer(producer, "GetDiagnosis 2.0").record_ids


def test_wrong_charset_and_improper_escaping(db_path: Path) -> None:
    assert "ISO-8859-1" in call(_flawed(db_path, flaws.WRONG_CHARSET), LAB).headers["Content-Type"]
    body = call(_flawed(db_path, flaws.IMPROPER_ESCAPING), "GetCareDocumentation 3.0").get_data()
    try:
        etree.fromstring(body)
        well_formed = True
    except etree.XMLSyntaxError:
        well_formed = False
    assert not well_formed


def _ei_posts(db_path: Path, rules: EiRules) -> tuple[ReferenceProducer, RecordingSender]:
    sender = RecordingSender()
    settings = EiSettings("http://127.0.0.1:9/vp")
    config = ProducerConfig(db_path=db_path, test_hooks=True, ei=settings, ei_rules=rules)
    return ReferenceProducer(config, JournalStore(db_path), EiPublisher(settings, sender, rules)), sender


def test_ei_flaws(db_path: Path) -> None:
    producer, sender = _ei_posts(db_path, flaws.EI_OWNER)
    producer.publisher.publish_all(producer.store)  # type: ignore[union-attr]
    assert b"owner>" in sender.bodies[0]
    producer, sender = _ei_posts(db_path, flaws.EI_WRONG_CATEGORIZATION)
    producer.publisher.publish_all(producer.store)  # type: ignore[union-attr]
    assert b"journalanteckningar" in sender.bodies[0]
    producer, sender = _ei_posts(db_path, flaws.NO_EI_ON_APPROVAL_CHANGE)
    change = {"record_id": record_id("a-note1"), "value": False}
    assert Client(producer).post("/test-hooks/approved-for-patient", json=change).json["ei_posts"] == 0  # type: ignore[index]
    assert sender.bodies == []
