"""Client certificates: verified against the configured CA, required or optional, and handed to the
application with the subject's serialNumber (the HSA-id a VP identifies its consumers by)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

import pytest
import requests
from aiohttp import web

from harness.server import PEER_CERTIFICATE_ENVIRON_KEY, PeerCertificate, peer_certificate_of, serve_in_thread

from .certs import CONSUMER_HSA_ID
from .conftest import Pki


def who(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    peer = environ[PEER_CERTIFICATE_ENVIRON_KEY]
    shown = None if peer is None else {k: v for k, v in asdict(peer).items() if k != "der"}
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(shown).encode()]


def get(url: str, pki: Pki, cert: Any = None) -> requests.Response:
    return requests.get(url, verify=str(pki.ca.cert), cert=cert, timeout=5)


def test_required_mode_refuses_a_client_without_a_certificate_and_one_from_another_ca(
    tls: Callable[..., Any], pki: Pki
) -> None:
    with serve_in_thread(who, tls=tls("required")) as server:
        with pytest.raises(requests.exceptions.ConnectionError):
            get(server.base_url, pki)
        with pytest.raises(requests.exceptions.ConnectionError):
            get(server.base_url, pki, (str(pki.stranger.cert), str(pki.stranger.key)))
        seen = get(server.base_url, pki, (str(pki.consumer.cert), str(pki.consumer.key))).json()
    assert seen["serial_number"] == CONSUMER_HSA_ID
    assert seen["subject"] == f"serialNumber={CONSUMER_HSA_ID},CN=consumer,O=Test organisation,C=SE"
    assert seen["issuer"] == "CN=Test CA"


def test_optional_mode_admits_a_client_without_a_certificate_but_never_a_bad_one(
    tls: Callable[..., Any], pki: Pki
) -> None:
    with serve_in_thread(who, tls=tls("optional")) as server:
        assert get(server.base_url, pki).json() is None  # admitted; the app sees no certificate
        with pytest.raises(requests.exceptions.ConnectionError):
            get(server.base_url, pki, (str(pki.stranger.cert), str(pki.stranger.key)))
        seen = get(server.base_url, pki, (str(pki.consumer.cert), str(pki.consumer.key))).json()
    assert seen["serial_number"] == CONSUMER_HSA_ID


def test_an_aiohttp_app_reads_the_peer_certificate_of_its_request(tls: Callable[..., Any], pki: Pki) -> None:
    seen: list[PeerCertificate | None] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(peer_certificate_of(request))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", handler)
    with serve_in_thread(app, tls=tls("optional")) as server:
        get(server.base_url, pki, (str(pki.consumer.cert), str(pki.consumer.key)))
        get(server.base_url, pki)
    consumer, anonymous = seen
    assert consumer is not None and consumer.serial_number == CONSUMER_HSA_ID
    assert consumer.der == PeerCertificate.from_der(consumer.der).der and consumer.der.startswith(b"\x30")
    assert anonymous is None


def test_client_cert_modes_need_a_client_ca(pki: Pki) -> None:
    from harness.server import server_tls_context

    with pytest.raises(ValueError, match="client_ca"):
        server_tls_context(pki.server.cert, pki.server.key, client_cert="required")
