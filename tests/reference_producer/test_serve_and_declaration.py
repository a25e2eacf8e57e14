"""The producer on its own (``conformance serve reference-producer``) and its declared test data."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from harness.contracts.requests import DatePeriod, RequestParams
from harness.pki import IssuedCertificate, TestCa
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
    filtering = declared.consumer_filtering
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
        assert data.linked_record_id in ids, label  # asked by personnummer, held under the reserve number
        assert data.special_characters in "".join(everything.element.itertext()), label
        assert filtering.excluded_care_unit in {r.care_unit for r in everything.records}, label
    texts = "".join(answer(shared_producer, "GetCareContacts 3.0").element.itertext())
    assert filtering.excluded_unit_marker in texts


def _serve_in_background(
    tmp_path: Path, persons_dir: Path, tls_dir: Path
) -> tuple[list[str], threading.Event]:
    printed: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(
        target=serve_reference_producer,
        args=(0, tmp_path / "state", persons_dir),
        kwargs={"tls_dir": tls_dir, "out": printed.append, "stop": stop},
        daemon=True,
    )
    worker.start()
    for _ in range(200):
        if any(line.startswith("callers present:") for line in printed):
            return printed, stop
        stop.wait(0.05)
    stop.set()
    raise AssertionError(f"the producer did not start: {printed}")


def _client_context(ca: Path, client: IssuedCertificate | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca))
    if client is not None:
        context.load_cert_chain(client.cert, client.key)
    return context


def _exchange(port: int, context: ssl.SSLContext) -> tuple[bytes, bytes]:
    """The server's certificate (DER) and the first bytes of its answer to a GET (b"": refused)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            served = tls.getpeercert(binary_form=True) or b""
            try:  # TLS 1.3: the server judges the client's certificate after the client's handshake ends
                tls.sendall(b"GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                return served, tls.recv(64)
            except (ssl.SSLError, ConnectionError):
                return served, b""


def test_serve_with_a_tls_dir_presents_the_producers_function_certificate_and_requires_a_client_one(
    tmp_path: Path, persons_dir: Path
) -> None:
    tls_dir = tmp_path / "tls"
    printed, stop = _serve_in_background(tmp_path, persons_dir, tls_dir)
    try:
        port = int(printed[0].rsplit(":", 1)[1])
        ca = TestCa.load_or_create(tls_dir)
        caller = ca.issue("caller", common_name="test caller", hsa_id="TSTNMT2321000156-VP01", client=True)
        served, answer = _exchange(port, _client_context(ca.cert_path, caller))
        assert answer.startswith(b"HTTP/1.1 ")
        certificate = x509.load_der_x509_certificate(served)
        hsa_id = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value
        assert hsa_id == "TSTNMT2321000156-RP00"
        assert served == x509.load_pem_x509_certificate(
            (tls_dir / "reference-producer.crt").read_bytes()
        ).public_bytes(Encoding.DER)
        stranger = TestCa.load_or_create(tmp_path / "other-ca").issue("x", common_name="x", client=True)
        for client in (None, stranger):  # no client certificate, or one from another CA: no answer
            assert _exchange(port, _client_context(ca.cert_path, client))[1] == b""
    finally:
        stop.set()
    text = "\n".join(printed)
    assert f"server certificate: {tls_dir / 'reference-producer.crt'} (subject serialNumber " in text
    assert f"callers trust: {tls_dir / 'ca.crt'}" in text
