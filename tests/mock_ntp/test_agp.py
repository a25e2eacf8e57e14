"""Aggregating services end to end: the 1177-journal-like consumer -> VP -> AGP -> EI and, through the
VP again, each source system; ProcessingStatus per source, TAK filtering, the source-system filter."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from harness.contracts import PROCESSING_STATUS_NS, RequestParams
from harness.core.exchange import Recorder
from harness.core.soap import parse_envelope
from harness.mock_ntp.consumer import JournalConsumer
from harness.mock_ntp.platform import RunningPlatform
from harness.mock_ntp.tak import Authorisation, Route, Tak
from harness.transport import ClientIdentity, HttpTransport

from .conftest import ProducerStarter
from .ei_helpers import post, update_envelope
from .fakes import FakeProducer, markers
from .vp_helpers import CONSUMER, GCD3, RP01, RP02, RP03

NS = {"ih": PROCESSING_STATUS_NS}


@pytest.fixture
def consumer(platform: RunningPlatform) -> Iterator[JournalConsumer]:
    certs = platform.certificates
    transport = HttpTransport(
        Recorder(prefix="c"),
        verify=certs.ca,
        identity=ClientIdentity(certs.consumer.cert, certs.consumer.key),
        timeout=10,
    )
    yield JournalConsumer(transport, platform.vp_url)
    transport.close()


@pytest.fixture
def sources(platform: RunningPlatform, producers: ProducerStarter) -> dict[str, FakeProducer]:
    """RP01 answers at once, RP02 after 3 s (the AGP waits 1 s), RP03 answers but 1177 may not call it."""
    fakes = {RP01: FakeProducer(records=2), RP02: FakeProducer(delay_s=3.0), RP03: FakeProducer()}
    routes = tuple(Route(la, GCD3.tak_contract, "rivtabp21", producers(fake)) for la, fake in fakes.items())
    allowed = tuple(Authorisation(CONSUMER, la, GCD3.tak_contract) for la in (RP01, RP02))
    platform.set_tak(Tak(routes=routes, authorisations=allowed))
    return fakes


def _post_engagements(platform: RunningPlatform, patient: str) -> None:
    body = update_envelope([post(patient, source=la) for la in (RP01, RP02, RP03)])
    response = requests.post(f"{platform.ei_url}/ei/Update/1/rivtabp21", data=body, timeout=10)
    assert response.status_code == 200, response.text


def test_merged_answer_with_processing_status_per_source_and_unauthorised_source_never_called(
    platform: RunningPlatform,
    consumer: JournalConsumer,
    sources: dict[str, FakeProducer],
    personnummer: tuple[str, ...],
) -> None:
    patient = personnummer[30]
    _post_engagements(platform, patient)
    started = time.monotonic()
    answer = consumer.aggregated(GCD3, RequestParams(patient_id=patient))
    assert time.monotonic() - started < 2.5  # the aggregate timeout (1.5 s), not the slow source's 3 s
    assert answer.status == 200, answer.exchange.response_body
    assert markers(answer.exchange.response_body) == [f"{RP01}-0", f"{RP01}-1"]
    assert answer.processing_status == ((RP01, "DataFromSource"), (RP02, "NoDataSynchFailed"))
    assert sources[RP03].received == []
    [received] = sources[RP01].received
    assert received.logical_address == RP01
    assert received.headers["x-rivta-original-serviceconsumer-hsaid"] == CONSUMER
    assert received.client_serial == "TSTNMT2321000156-VP01"
    call = platform.agp.calls[-1] if platform.agp else None
    assert call is not None and call.unauthorised == (RP03,) and call.engagements == 3
    [status] = parse_envelope(answer.exchange.response_body).headers
    failed = status.find(f"ih:ProcessingStatusList[ih:logicalAddress='{RP02}']", NS)
    assert failed is not None
    assert failed.findtext("ih:lastUnsuccessfulSynchError/ih:code", None, NS) == "504"


def test_only_the_requested_source_system_is_called(
    platform: RunningPlatform,
    consumer: JournalConsumer,
    sources: dict[str, FakeProducer],
    personnummer: tuple[str, ...],
) -> None:
    patient = personnummer[31]
    _post_engagements(platform, patient)
    answer = consumer.aggregated(GCD3, RequestParams(patient_id=patient, source_system=RP01))
    assert answer.processing_status == ((RP01, "DataFromSource"),)
    assert sources[RP02].received == [] and sources[RP03].received == []


def test_a_patient_without_engagements_gets_an_empty_ok_answer(
    platform: RunningPlatform,
    consumer: JournalConsumer,
    sources: dict[str, FakeProducer],
    personnummer: tuple[str, ...],
) -> None:
    answer = consumer.aggregated(GCD3, RequestParams(patient_id=personnummer[32]))
    assert answer.status == 200 and answer.processing_status == ()
    assert markers(answer.exchange.response_body) == []
    assert all(fake.received == [] for fake in sources.values())


def test_straight_through_the_vp_to_one_source(
    platform: RunningPlatform,
    consumer: JournalConsumer,
    sources: dict[str, FakeProducer],
    personnummer: tuple[str, ...],
) -> None:
    answer = consumer.call(GCD3, RequestParams(patient_id=personnummer[33]), logical_address=RP01)
    assert answer.status == 200 and markers(answer.exchange.response_body) == [f"{RP01}-0", f"{RP01}-1"]
    assert "consumer" in answer.exchange.tags


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        (b"<x/>", {}, "Mandatory HTTP header x-vp-sender-id is missing."),
        (
            b"<not xml",
            {
                "x-vp-sender-id": CONSUMER,
                "x-rivta-original-serviceconsumer-hsaid": CONSUMER,
                "x-skltp-correlation-id": "c1",
            },
            "not a SOAP 1.1 message",
        ),
    ],
)
def test_bad_input_to_the_agp_is_a_soap_fault(
    platform: RunningPlatform, body: bytes, headers: dict[str, str], expected: str
) -> None:
    response = requests.post(platform.agp_url, data=body, headers=headers, timeout=10)
    assert response.status_code == 500
    fault = parse_envelope(response.content).fault
    assert fault is not None and expected in fault.string
