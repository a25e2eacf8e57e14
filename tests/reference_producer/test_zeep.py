"""zeep, built from each contract's official WSDL, calls the producer over a real socket and reads
its answers (an independent SOAP stack agreeing with the producer's messages)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from zeep import Client, Settings
from zeep.transports import Transport

from harness.contracts import find_contract
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.launch import RunningProducer
from harness.reference_producer.store import JournalStore
from harness.reference_producer.testdata import PATIENT
from harness.server import start_server
from tests.reference_producer.helpers import LABELS, RP01, split

II_CONTRACTS = ("GetCareDocumentation 3.0", "GetLaboratoryOrderOutcome 4.2")
RECORDS = {
    "GetCareDocumentation": "careDocumentation",
    "GetDiagnosis": "diagnosis",
    "GetCareContacts": "careContact",
    "GetLaboratoryOrderOutcome": "laboratoryOrderOutcome",
}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory, seeded_db: Path) -> Iterator[RunningProducer]:
    """Plain HTTP on loopback; the client-certificate check needs the TLS server layer (not here)."""
    config = ProducerConfig(db_path=seeded_db, allowed_callers=None)
    app = ReferenceProducer(config, JournalStore(seeded_db))
    server = RunningProducer(app, start_server(app))
    yield server
    server.stop()


@pytest.mark.parametrize("label", LABELS)
def test_zeep_from_the_official_wsdl_reads_the_answer(
    running: RunningProducer, schema_dir: Path, label: str
) -> None:
    client = Client(
        str(schema_dir / find_contract(*split(label)).schemas.wsdl),
        settings=Settings(strict=True),
        transport=Transport(timeout=10),
    )
    binding = next(iter(client.wsdl.bindings))
    service = client.create_service(binding, running.url(label))
    name, _ = split(label)
    header = etree.Element("{urn:riv:itintegration:registry:1}LogicalAddress")
    header.text = RP01
    if label in II_CONTRACTS:
        patient = {"root": "1.2.752.129.2.1.3.1", "extension": PATIENT}
    else:
        patient = {"id": PATIENT, "type": "1.2.752.129.2.1.3.1"}
    answer = getattr(service, name)(_soapheaders=[header], patientId=patient)
    records = answer[RECORDS[name]] if not isinstance(answer, list) else answer
    assert records, label
    header = "header" if label in II_CONTRACTS else f"{RECORDS[name]}Header"
    assert all(r[header] is not None for r in records)  # zeep read each record's header
