"""The producer on its own (``conformance serve reference-producer``) and its declared test data."""

from __future__ import annotations

import threading
from pathlib import Path

from harness.contracts.requests import DatePeriod, RequestParams
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.declaration import declared_test_data
from harness.reference_producer.organisation import DEFAULT_SOURCE_SYSTEMS
from harness.reference_producer.serve import serve_reference_producer
from tests.reference_producer.helpers import answer, split


def test_serve_prints_addresses_contracts_and_endpoints(tmp_path: Path, persons_dir: Path) -> None:
    printed: list[str] = []
    stop = threading.Event()
    stop.set()  # return at once after printing
    serve_reference_producer(0, tmp_path / "state", persons_dir, tls_dir=tmp_path / "tls", test_hooks=True,
                             out=printed.append, stop=stop)  # fmt: skip
    text = "\n".join(printed)
    for address in DEFAULT_SOURCE_SYSTEMS:
        assert f"logical address (source system): {address}" in text
    assert (
        "GetLaboratoryOrderOutcome 4.2" in text
        and "/clinicalprocess/logistics/logistics/GetCareContacts/3/rivtabp21" in text
    )
    assert text.startswith("reference journal producer at https://127.0.0.1:")


def test_the_declaration_matches_the_journal(shared_producer: ReferenceProducer) -> None:
    declared = declared_test_data()
    assert declared.logical_addresses == DEFAULT_SOURCE_SYSTEMS
    for data in declared.contracts:
        label = f"{data.contract} {data.version}"
        everything = answer(shared_producer, label, logical_address=data.logical_address)
        ids = {i.rsplit("/", 1)[-1] for i in everything.record_ids if i}
        assert data.approved_false_record_id in ids, label
        assert {r.care_unit for r in everything.records} >= {data.care_unit}
        period = DatePeriod(data.period_with_data.start, data.period_with_data.end)
        assert answer(shared_producer, label, RequestParams(data.patient_id, period=period)).records, label
        empty = DatePeriod(data.empty_period.start, data.empty_period.end)
        assert not answer(shared_producer, label, RequestParams(data.patient_id, period=empty)).records
        assert split(label)[0] == data.contract
    filtering = declared.consumer_filtering
    texts = "".join(answer(shared_producer, "GetCareContacts 3.0").element.itertext())
    assert filtering.excluded_unit_marker in texts
