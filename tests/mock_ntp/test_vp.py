"""The mock VP over real sockets and real TLS: forwarding, headers, the 2.0/2.1 rewrite, and each
VP fault on the case that triggers it (SKLTP VP vp-messages.properties wording)."""

from __future__ import annotations

import ssl
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import requests
from lxml import etree

from harness.core.soap import LOGICAL_ADDRESS_NS, WSA_NS, build_envelope
from harness.mock_ntp.platform import RunningPlatform
from harness.mock_ntp.tak import Route
from harness.pki import TestCa

from .conftest import ProducerStarter
from .fakes import FakeProducer
from .vp_helpers import CONSUMER, GCD3, INSTANCE, RP01, call, fault_of, request_body, route_tak, vp_fault

VP01 = "TSTNMT2321000156-VP01"
UNKNOWN_CONTRACT = build_envelope(
    etree.Element("{urn:riv:not:a:contract:NothingResponder:1}Nothing"), logical_address=RP01
)


def test_a_call_is_forwarded_with_the_vps_certificate_and_answered_unchanged(
    platform: RunningPlatform, producers: ProducerStarter, personnummer: tuple[str, ...]
) -> None:
    fake = FakeProducer()
    platform.set_tak(route_tak(producers(fake)))
    response = call(platform, request_body(personnummer[0]))
    assert response.status_code == 200, response.text
    assert int(response.headers["x-skltp-prt"]) >= 0
    [received] = fake.received
    assert received.client_serial == VP01
    assert received.logical_address == RP01 and received.rivta_profile == "rivtabp21"
    assert received.headers["Content-Type"] == "text/xml;charset=UTF-8"
    assert received.headers["SOAPAction"] == f'"{GCD3.soap_action}"'
    assert received.headers["x-rivta-original-serviceconsumer-hsaid"] == CONSUMER
    assert received.headers["x-rivta-routing-history"] == f"{CONSUMER}#{INSTANCE}"
    for internal in ("x-vp-sender-id", "x-vp-instance-id", "x-skltp-correlation-id"):
        assert internal not in received.headers  # https producer (OutHeaderProcessorImpl.java)
    assert received.body == request_body(personnummer[0])
    call_summary = platform.vp.calls[-1]
    assert (call_summary.consumer, call_summary.logical_address, call_summary.fault_code) == (
        CONSUMER,
        RP01,
        None,
    )
    incoming = next(x for x in platform.vp.recorder.exchanges if x.id == call_summary.incoming_exchange)
    outgoing = next(x for x in platform.vp.recorder.exchanges if x.id == call_summary.outgoing_exchange)
    assert "vp-in" in incoming.tags and "vp-out" in outgoing.tags
    assert outgoing.response_body == response.content


def test_original_consumer_passes_on_and_http_producers_get_the_internal_headers(
    platform: RunningPlatform, producers: ProducerStarter, personnummer: tuple[str, ...]
) -> None:
    fake = FakeProducer()
    platform.set_tak(route_tak(producers(fake, https=False)))
    original = "TSTNMT2321000156-NPO1"
    response = call(
        platform, request_body(personnummer[0]), headers={"x-rivta-original-serviceconsumer-hsaid": original}
    )
    assert response.status_code == 200
    headers = fake.received[-1].headers
    assert headers["x-rivta-original-serviceconsumer-hsaid"] == original
    assert headers["x-vp-sender-id"] == CONSUMER
    assert headers["x-vp-instance-id"] == INSTANCE
    assert len(headers["x-skltp-correlation-id"]) == 36
    assert fake.received[-1].client_serial is None  # plain http: no TLS at all


@pytest.mark.parametrize(("incoming", "outgoing"), [("rivtabp21", "rivtabp20"), ("rivtabp20", "rivtabp21")])
def test_the_address_header_is_rewritten_when_the_producers_profile_differs(
    platform: RunningPlatform,
    producers: ProducerStarter,
    personnummer: tuple[str, ...],
    incoming: str,
    outgoing: str,
) -> None:
    fake = FakeProducer()
    platform.set_tak(route_tak(producers(fake), profile=outgoing))
    response = call(platform, request_body(personnummer[0], profile=incoming))
    assert response.status_code == 200, response.text
    received = fake.received[-1]
    assert (received.rivta_profile, received.logical_address) == (outgoing, RP01)
    wanted, unwanted = (
        (WSA_NS, LOGICAL_ADDRESS_NS) if outgoing == "rivtabp20" else (LOGICAL_ADDRESS_NS, WSA_NS)
    )
    assert wanted.encode() in received.body and unwanted.encode() not in received.body


def test_producer_soap_faults_pass_through_unchanged(
    platform: RunningPlatform, producers: ProducerStarter, personnummer: tuple[str, ...]
) -> None:
    fake = FakeProducer("fault")
    platform.set_tak(route_tak(producers(fake)))
    response = call(platform, request_body(personnummer[0]))
    fault = fault_of(response)
    assert fault.string == "Internal error in the source system, log-id 4f3c"
    outgoing = platform.vp.recorder.tagged("vp-out")[-1]
    assert response.content == outgoing.response_body
    assert platform.vp.calls[-1].fault_code is None


def test_vp002_without_a_client_certificate(platform: RunningPlatform, personnummer: tuple[str, ...]) -> None:
    platform.set_tak(route_tak("https://127.0.0.1:9/unused"))
    fault = vp_fault(call(platform, request_body(personnummer[0]), identity=None), "VP002")
    assert fault.code == "soapenv:Client"
    assert fault.string == (
        f"VP002 [{INSTANCE}] Fel i klientcertifikat. Saknas, är av felaktig typ, eller är felaktigt utformad."
    )
    assert (
        fault.detail
        == "No sender ID (SERIALNUMBER) found in certificate. No client certificate was presented."
    )


def test_vp002_for_a_certificate_without_serial_number(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    nameless = platform.certificates.test_ca.issue(
        "no-serial", common_name="system without HSA-id", client=True
    )
    fault = vp_fault(call(platform, request_body(personnummer[0]), identity=nameless), "VP002")
    assert "no serialNumber" in fault.detail


def test_a_certificate_from_another_ca_is_refused_in_the_handshake(
    platform: RunningPlatform, tmp_path_factory: pytest.TempPathFactory, personnummer: tuple[str, ...]
) -> None:
    # The VP asks for a client certificate ("optional") and verifies any it gets against its CA: a
    # certificate from another CA fails the TLS handshake (alert unknown_ca) before HTTP, so the VP
    # never sees the request and no SOAP fault can be sent, as with SKLTP's Netty TLS.
    other = TestCa.load_or_create(tmp_path_factory.mktemp("other-ca"), common_name="Another CA")
    stranger = other.issue("stranger", common_name="stranger", hsa_id=CONSUMER, client=True)
    calls_before = len(platform.vp.calls)
    with pytest.raises(requests.exceptions.SSLError) as caught:
        call(platform, request_body(personnummer[0]), identity=stranger)
    assert isinstance(caught.value.__context__, ssl.SSLError | OSError) or "SSL" in str(caught.value)
    assert len(platform.vp.calls) == calls_before
    assert call(platform, request_body(personnummer[0]), identity=None).status_code == 500  # still serving


def test_vp003_without_a_logical_address_and_vp001_for_a_foreign_address_header(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    platform.set_tak(route_tak("https://127.0.0.1:9/unused"))
    fault = vp_fault(call(platform, request_body(personnummer[0], logical_address=None)), "VP003")
    assert fault.code == "soapenv:Client"
    assert fault.detail.startswith("No receiverId (logical address) found in message header.")
    body = request_body(personnummer[0], logical_address=None).replace(
        b"<soapenv:Header/>",
        b'<soapenv:Header><x:LogicalAddress xmlns:x="urn:other">RP01</x:LogicalAddress></soapenv:Header>',
    )
    assert vp_fault(call(platform, body), "VP001").detail == "No RIV version configured"


def test_vp004_for_an_unknown_logical_address(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    platform.set_tak(route_tak("https://127.0.0.1:9/unused"))
    fault = vp_fault(
        call(platform, request_body(personnummer[0], logical_address="TSTNMT2321000156-XX")), "VP004"
    )
    assert fault.code == "soapenv:Client"
    assert fault.detail == (
        "No receiverId (logical address) found for serviceNamespace: "
        f"{GCD3.tak_contract}, receiverId: TSTNMT2321000156-XX"
    )


def test_vp007_when_the_consumer_is_not_authorised(
    platform: RunningPlatform, producers: ProducerStarter, personnummer: tuple[str, ...]
) -> None:
    fake = FakeProducer()
    platform.set_tak(route_tak(producers(fake), consumer="TSTNMT2321000156-NPO1"))
    fault = vp_fault(call(platform, request_body(personnummer[0])), "VP007")
    assert fault.code == "soapenv:Server"
    assert fault.detail.endswith(f"receiverId: {RP01}, senderId: {CONSUMER}")
    assert fake.received == []


def test_expired_tak_entries(
    platform: RunningPlatform, producers: ProducerStarter, personnummer: tuple[str, ...]
) -> None:
    past = datetime(2020, 1, 1, tzinfo=UTC)
    tak = route_tak(producers(FakeProducer()))
    expired_route = replace(tak, routes=tuple(replace(r, valid_to=past) for r in tak.routes))
    platform.set_tak(expired_route)
    vp_fault(call(platform, request_body(personnummer[0])), "VP004")
    expired_authorisation = replace(
        tak, authorisations=tuple(replace(a, valid_to=past) for a in tak.authorisations)
    )
    platform.set_tak(expired_authorisation)
    vp_fault(call(platform, request_body(personnummer[0])), "VP007")


def test_vp006_vp010_vp005_from_tak(platform: RunningPlatform, personnummer: tuple[str, ...]) -> None:
    tak = route_tak("https://127.0.0.1:9/a")
    platform.set_tak(
        tak.with_entries(routes=[Route(RP01, GCD3.tak_contract, "rivtabp21", "https://127.0.0.1:9/b")])
    )
    assert vp_fault(call(platform, request_body(personnummer[0])), "VP006").code == "soapenv:Server"
    platform.set_tak(route_tak(" "))
    vp_fault(call(platform, request_body(personnummer[0])), "VP010")
    platform.set_tak(route_tak("https://127.0.0.1:9/a", profile="rivtabp30"))
    assert vp_fault(call(platform, request_body(personnummer[0])), "VP005").detail.endswith("rivtabp21")


def test_vp008_without_tak(platform: RunningPlatform, personnummer: tuple[str, ...]) -> None:
    platform.vp.set_tak(None)
    try:
        vp_fault(call(platform, request_body(personnummer[0])), "VP008")
    finally:
        platform.set_tak(route_tak("https://127.0.0.1:9/a"))


@pytest.mark.parametrize(
    ("behaviour", "detail"),
    [
        ("slow", "(ReadTimeoutException: Timeout when waiting on response from producer.)"),
        ("empty", "Empty message when server responded with status code: 200 OK"),
        ("html500", "VP_PRODUCER_EXCEPTION_HTTP_STATUS=500"),
        ("status404", "VP_PRODUCER_EXCEPTION_HTTP_STATUS=404"),
    ],
)
def test_vp009_when_the_producer_gives_no_usable_answer(
    platform: RunningPlatform,
    producers: ProducerStarter,
    personnummer: tuple[str, ...],
    behaviour: str,
    detail: str,
) -> None:
    fake = FakeProducer(
        "answer" if behaviour == "slow" else behaviour, delay_s=1.0 if behaviour == "slow" else 0
    )
    address = producers(fake)
    platform.set_tak(route_tak(address, producer_timeout_s=0.3))
    fault = vp_fault(call(platform, request_body(personnummer[0])), "VP009")
    assert fault.code == "soapenv:Server"
    assert fault.string == f"VP009 [{INSTANCE}] Fel vid kontakt med tjänsteproducenten."
    assert fault.detail.startswith(f"Error connecting to service producer at address {address}.")
    assert detail in fault.detail
    assert personnummer[0] not in fault.detail


def test_vp009_when_nothing_listens(platform: RunningPlatform, personnummer: tuple[str, ...]) -> None:
    platform.set_tak(route_tak("https://127.0.0.1:9/nothing-listens"))
    assert "ConnectException" in vp_fault(call(platform, request_body(personnummer[0])), "VP009").detail


def test_vp011_when_a_consumer_poses_as_a_platform_component(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    platform.set_tak(route_tak("https://127.0.0.1:9/a"))
    headers = {"x-vp-sender-id": "TSTNMT2321000156-NPO1", "x-vp-instance-id": INSTANCE}
    fault = vp_fault(call(platform, request_body(personnummer[0]), headers=headers), "VP011")
    assert fault.code == "soapenv:Client"


def test_vp014_on_a_routing_loop(platform: RunningPlatform, personnummer: tuple[str, ...]) -> None:
    platform.set_tak(route_tak("https://127.0.0.1:9/a"))
    headers = {"x-rivta-routing-history": f"{CONSUMER}#OTHER-VP#{INSTANCE}"}
    assert vp_fault(call(platform, request_body(personnummer[0]), headers=headers), "VP014").detail == ""


@pytest.mark.parametrize(
    ("body", "headers", "method"),
    [
        (b"<not-xml", {}, "POST"),
        (
            b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><e>&x;</e>',
            {},
            "POST",
        ),
        (b'{"patient": "%s"}', {"Content-Type": "application/json"}, "POST"),
        (b"", {}, "GET"),
        (UNKNOWN_CONTRACT, {}, "POST"),
    ],
)
def test_bad_input_gets_vp015_or_vp004_with_nothing_personal(
    platform: RunningPlatform,
    personnummer: tuple[str, ...],
    body: bytes,
    headers: dict[str, str],
    method: str,
) -> None:
    platform.set_tak(route_tak("https://127.0.0.1:9/a"))
    sent = body.replace(b"%s", personnummer[0].encode())
    response = call(platform, sent, headers=headers, method=method)
    fault = fault_of(response)
    assert fault.string.split(" ")[0] in ("VP015", "VP004")
    assert personnummer[0] not in response.text
    assert "root:" not in response.text  # the entity was never resolved


def test_vp015_for_a_body_over_the_vps_limit(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    filler = b"<!--" + b"x" * 15_800_000 + b"-->"
    body = request_body(personnummer[0]).replace(b"<soapenv:Body>", b"<soapenv:Body>" + filler)
    fault = vp_fault(call(platform, body, timeout=30), "VP015")
    assert "larger than" in fault.detail
    assert call(platform, request_body(personnummer[0]), identity=None).status_code == 500  # still serving
