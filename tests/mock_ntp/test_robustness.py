"""The platform's servers hold up: idle, half-open and stalled connections end on the server layer's
deadlines and the servers keep serving; the VP's configurable VP013 and its VP012."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from harness.core.soap import SOAP11_NS
from harness.mock_ntp.faults import VpCode, VpFault
from harness.mock_ntp.forward import Forwarder, client_tls_context
from harness.mock_ntp.platform import RunningPlatform
from harness.mock_ntp.rivta import rewrite_profile
from harness.mock_ntp.tak import Tak
from harness.mock_ntp.vp import VirtualisationPlatform, VpSettings
from harness.server import RunningServer, serve_in_thread, server_tls_context

from .vp_helpers import INSTANCE, call, request_body, route_tak, vp_fault


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """True when the peer closes (or resets) the connection within ``seconds``."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


@pytest.mark.parametrize("server", ["vp", "ei", "agp"])
def test_an_idle_connection_is_closed_and_the_server_keeps_serving(
    platform: RunningPlatform, server: str, personnummer: tuple[str, ...]
) -> None:
    url = {"vp": platform.vp_url, "ei": platform.ei_url, "agp": platform.agp_url}[server]
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as idle:
        started = time.monotonic()
        assert _closed_within(idle, 8.0)  # TLS handshake deadline (VP) or header deadline (EI, AGP)
        assert time.monotonic() - started < 8.0
    assert call(platform, request_body(personnummer[0]), identity=None).status_code == 500  # VP002: serving


@pytest.mark.parametrize("server", ["ei", "agp"])
def test_a_half_sent_request_is_closed_on_the_deadline(platform: RunningPlatform, server: str) -> None:
    port = int((platform.ei_url if server == "ei" else platform.agp_url).rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as stalled:
        stalled.sendall(
            b"POST /ei HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n<soapenv:Envelope"
        )
        stalled.settimeout(8.0)
        answer = b""
        try:
            while chunk := stalled.recv(4096):
                answer += chunk
        except OSError:
            pass
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408")
    assert requests.post(f"{platform.ei_url}/ei", data=b"<x/>", timeout=5).status_code == 500  # still serving


@pytest.fixture
def strict_vp(platform: RunningPlatform) -> Iterator[RunningServer]:
    """A VP that lets only one consumer set x-rivta-original-serviceconsumer-hsaid, and refuses others."""
    certs = platform.certificates
    vp = VirtualisationPlatform(
        Forwarder(client_tls_context(certs.vp, (certs.ca,))),
        Tak(),
        VpSettings(
            original_consumer_allowed=frozenset({"TSTNMT2321000156-NPO1"}), reject_original_consumer=True
        ),
    )
    tls = server_tls_context(certs.vp.cert, certs.vp.key, client_ca=certs.ca, client_cert="optional")
    with serve_in_thread(vp.app, tls=tls) as server:
        yield server


def test_vp013_when_configured_and_the_consumer_may_not_set_the_original_consumer(
    platform: RunningPlatform, strict_vp: RunningServer, personnummer: tuple[str, ...]
) -> None:
    certs = platform.certificates

    def post(headers: dict[str, str]) -> requests.Response:
        return requests.post(
            f"{strict_vp.base_url}/vp",
            data=request_body(personnummer[0]),
            headers={"Content-Type": "text/xml", **headers},
            cert=(str(certs.consumer.cert), str(certs.consumer.key)),
            verify=str(certs.ca),
            timeout=10,
        )

    fault = vp_fault(post({"x-rivta-original-serviceconsumer-hsaid": "TSTNMT2321000156-X"}), "VP013")
    assert fault.code == "soapenv:Client"
    assert fault.detail == "Sender is not approved to set header x-rivta-original-serviceconsumer-hsaid."
    assert fault.string.startswith(f"VP013 [{INSTANCE}] Enligt tjänsteplattformens konfiguration")
    vp_fault(post({}), "VP004")  # without the header the call goes on (to TAK, which is empty here)


def test_vp012_when_the_rivta_rewrite_has_nothing_to_work_on() -> None:
    envelope = f'<s:Envelope xmlns:s="{SOAP11_NS}"><s:Body/></s:Envelope>'.encode()
    with pytest.raises(VpFault) as caught:
        rewrite_profile(envelope, to_profile="rivtabp20", max_bytes=10_000)
    assert caught.value.code is VpCode.VP012
    assert caught.value.code.fault_code == "Server"


class _BrokenForwarder(Forwarder):
    message = ""

    async def post(self, *args: object, **kwargs: object) -> Any:
        raise RuntimeError(self.message)


def test_an_internal_error_is_a_vp012_fault_without_its_details(
    platform: RunningPlatform, personnummer: tuple[str, ...]
) -> None:
    certs = platform.certificates
    broken = VirtualisationPlatform(
        _BrokenForwarder(client_tls_context(certs.vp, (certs.ca,))), route_tak("http://x")
    )
    tls = server_tls_context(certs.vp.cert, certs.vp.key, client_ca=certs.ca, client_cert="optional")
    with serve_in_thread(broken.app, tls=tls) as server:
        response = requests.post(
            f"{server.base_url}/vp",
            data=request_body(personnummer[0]),
            headers={"Content-Type": "text/xml"},
            cert=(str(certs.consumer.cert), str(certs.consumer.key)),
            verify=str(certs.ca),
            timeout=10,
        )
    fault = vp_fault(response, "VP012")
    assert fault.detail.endswith("Unexpected internal error.")
    assert personnummer[0] not in response.text and "RuntimeError" not in response.text
