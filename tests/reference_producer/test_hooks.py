"""The test hooks: off by default; JSON shape; each change is visible at once and posted to the EI."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from werkzeug.test import Client

from harness.contracts.requests import RequestParams
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.publisher import EiPublisher, EiSettings
from harness.reference_producer.store import JournalStore
from harness.reference_producer.testdata import PATIENT, UNKNOWN_PATIENT, record_id
from tests.reference_producer.helpers import RecordingSender, answer

EI_NS = "urn:riv:itintegration:engagementindex:1"


def _with_ei(db_path: Path, sender: RecordingSender) -> ReferenceProducer:
    config = ProducerConfig(db_path=db_path, test_hooks=True, ei=EiSettings("http://127.0.0.1:9/vp"))
    publisher = EiPublisher(EiSettings("http://127.0.0.1:9/vp"), sender)
    return ReferenceProducer(config, JournalStore(db_path), publisher)


def _posts(body: bytes) -> list[tuple[str, str | None, str | None]]:
    root = etree.fromstring(body)
    return [
        (t.findtext(f"{{{EI_NS}}}deleteFlag") or "", t.findtext(f".//{{{EI_NS}}}categorization"),
         t.findtext(f".//{{{EI_NS}}}mostRecentContent"))
        for t in root.iter("{urn:riv:itintegration:engagementindex:UpdateResponder:1}engagementTransaction")
    ]  # fmt: skip


def test_hooks_are_off_unless_configured(db_path: Path) -> None:
    producer = ReferenceProducer(ProducerConfig(db_path=db_path), JournalStore(db_path))
    response = Client(producer).post("/test-hooks/technical-error", json={"calls": 1})
    assert response.status_code == 404


def test_approved_for_patient_change_is_visible_and_posted(db_path: Path, sender: RecordingSender) -> None:
    producer = _with_ei(db_path, sender)
    note = record_id("a-note1")
    response = Client(producer).post(
        "/test-hooks/approved-for-patient", json={"record_id": note, "value": False}
    )
    assert response.status_code == 200 and response.json == {
        "record_id": note,
        "approved_for_patient": False,
        "ei_posts": 1,
    }
    records = {r.id: r for r in answer(producer, "GetCareDocumentation 3.0").records}
    assert records[note].approved_for_patient is False
    changed = producer.store.record(note)
    assert changed is not None
    assert _posts(sender.bodies[-1]) == [
        ("false", "voo", changed.changed_at)
    ]  # mostRecentContent: the change


def test_create_and_delete_a_record(db_path: Path, sender: RecordingSender) -> None:
    producer = _with_ei(db_path, sender)
    client = Client(producer)
    created = client.post("/test-hooks/records", json={"kind": "diagnosis", "patient_id": PATIENT})
    assert created.status_code == 201 and created.json and created.json["ei_posts"] == 1
    new_id = created.json["record_id"]
    assert new_id in answer(producer, "GetDiagnosis 2.0").record_ids
    deleted = client.delete(f"/test-hooks/records/{new_id}")
    assert deleted.status_code == 200
    assert new_id not in answer(producer, "GetDiagnosis 2.0").record_ids
    # the patient keeps other diagnoses in that system and care giver: an update, not a deletion
    assert _posts(sender.bodies[-1])[0][:2] == ("false", "dia")


def test_deleting_the_last_record_of_a_post_deletes_the_post(db_path: Path, sender: RecordingSender) -> None:
    producer = _with_ei(db_path, sender)
    response = Client(producer).delete(f"/test-hooks/records/{record_id('a-lab4')}")  # the only VG03 lab
    assert response.status_code == 200
    assert _posts(sender.bodies[-1]) == [("true", "und-kkm-ure", None)]


def test_hooks_refuse_bad_input(producer: ReferenceProducer) -> None:
    client = Client(producer)
    assert client.post("/test-hooks/approved-for-patient", data=b"{not json").status_code == 400
    assert (
        client.post("/test-hooks/approved-for-patient", json={"record_id": "x", "value": False}).status_code
        == 404
    )
    assert (
        client.post("/test-hooks/records", json={"kind": "note", "patient_id": UNKNOWN_PATIENT}).status_code
        == 404
    )
    assert client.post("/test-hooks/records", json={"kind": "x", "patient_id": PATIENT}).status_code == 400
    assert client.post("/test-hooks/technical-error", json={"calls": -1}).status_code == 400
    assert client.get("/test-hooks").json == {
        "hooks": ["approved-for-patient", "records", "records/<record_id>", "technical-error"]
    }
    assert answer(producer, "GetDiagnosis 2.0", RequestParams(PATIENT)).records
