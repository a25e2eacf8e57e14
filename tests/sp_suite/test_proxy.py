"""The recording proxy records every outbound call, forwards only to loopback, and survives garbage."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.wrappers import Request, Response

from harness.core.exchange import Direction
from harness.core.targets import TargetError
from harness.mock_1177_idp.keys import load_idp_keys
from harness.pki import load_or_create_tls
from harness.runner import demo_target, load_target
from harness.server import RunningServer, server_tls_context, start_server
from harness.sp_suite import checks
from harness.sp_suite.checks import PersonalData
from harness.sp_suite.environment import open_environment
from harness.sp_suite.proxy import PROXY_TAG, RecordingProxy, is_loopback_host, start_proxy
from tests.support.data import settings


@Request.application
def echo(request: Request) -> Response:
    """An upstream on loopback that says what it received."""
    body = request.get_data()
    return Response(f"{request.method} {request.full_path} {len(body)}", headers={"X-Upstream": "yes"})


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    running = start_proxy()
    yield running
    running.stop()


@pytest.fixture
def upstream() -> Iterator[RunningServer]:
    server = start_server(echo)
    yield server
    server.stop()


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every connection the proxy opens (http.client and the CONNECT tunnel both use this call)."""
    seen: list[tuple[Any, ...]] = []
    original: Callable[..., socket.socket] = socket.create_connection

    def spy(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        seen.append(address)
        return original(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)  # the module the proxy calls it through
    return seen


def session_through(proxy: RecordingProxy) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # only the proxy named here, whatever the environment says
    session.proxies = {"http": proxy.url, "https": proxy.url}
    return session


def raw(proxy: RecordingProxy, data: bytes) -> bytes:
    with socket.socket() as client:  # not create_connection: that is what the spy watches
        client.settimeout(5)
        client.connect(("127.0.0.1", proxy.port))
        client.sendall(data)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def open_tunnel(proxy: RecordingProxy, authority: str) -> bytes:
    """CONNECT, read the proxy's answer head, and close the tunnel at once."""
    with socket.socket() as client:
        client.settimeout(5)
        client.connect(("127.0.0.1", proxy.port))
        client.sendall(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head and (chunk := client.recv(4096)):
            head += chunk
    return head


def test_a_plain_http_call_is_forwarded_and_recorded_with_method_url_body_peer_and_time(
    proxy: RecordingProxy, upstream: RunningServer
) -> None:
    before = datetime.now(UTC)
    answer = session_through(proxy).post(f"{upstream.base_url}/report?pnr=195006262546", data=b"x" * 7)
    assert answer.status_code == 200 and answer.text == "POST /report?pnr=195006262546 7"
    assert answer.headers["X-Upstream"] == "yes"
    (call,) = proxy.exchanges
    assert call.direction is Direction.INCOMING and call.tags == (PROXY_TAG,)
    assert call.method == "POST" and call.url == f"{upstream.base_url}/report?pnr=195006262546"
    assert call.request_body == b"x" * 7 and call.status == 200
    assert call.response_body == b"POST /report?pnr=195006262546 7"
    assert call.peer.startswith("127.0.0.1:") and before <= call.started <= datetime.now(UTC)
    assert call.request_header("Host") == f"127.0.0.1:{upstream.port}"


def test_an_https_call_is_tunnelled_by_connect_and_recorded_by_host_and_port(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    tls = load_or_create_tls(tmp_path / "tls")
    server = start_server(echo, tls=server_tls_context(tls.server_cert, tls.server_key))
    try:
        answer = session_through(proxy).get(f"{server.base_url}/secret?pnr=1", verify=str(tls.ca_cert))
    finally:
        server.stop()
    assert answer.status_code == 200 and answer.text == "GET /secret?pnr=1 0"  # TLS end to end
    (call,) = proxy.exchanges
    assert call.method == "CONNECT" and call.url == f"https://127.0.0.1:{server.port}"
    assert call.status == 200 and "without TLS interception" in call.note
    assert b"secret" not in call.request_body + call.response_body  # the proxy never saw the path


@pytest.mark.parametrize("host", ["idp.1177.se", "192.0.2.10", "[2001:db8::1]", "127.0.0.1.example.test"])
def test_a_call_to_a_non_loopback_host_is_recorded_and_refused_without_connecting(
    proxy: RecordingProxy, connections: list[tuple[Any, ...]], host: str
) -> None:
    answer = session_through(proxy).get(f"http://{host}/sso/redirect?loggedIn=195006262546")
    assert answer.status_code == 502 and "only reaches loopback" in answer.text
    tunnel = raw(proxy, f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
    assert tunnel.startswith(b"HTTP/1.0 502")
    plain, connect = proxy.exchanges
    assert plain.method == "GET" and plain.url == f"http://{host}/sso/redirect?loggedIn=195006262546"
    assert plain.status == 502 and "not forwarded" in plain.note
    assert connect.method == "CONNECT" and connect.url == f"https://{host}:443" and connect.status == 502
    assert connections == []  # neither was forwarded anywhere


def test_a_loopback_port_where_nothing_listens_is_a_recorded_502(proxy: RecordingProxy) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    answer = session_through(proxy).get(f"http://127.0.0.1:{closed_port}/x")
    assert answer.status_code == 502
    assert [x.status for x in proxy.exchanges] == [502]


@pytest.mark.parametrize(
    ("garbage", "status"),
    [
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) + b"\r\n\r\n", 400),
        (b"GET /not-a-proxy-request HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"CONNECT nonsense HTTP/1.1\r\n\r\n", 400),
        (b"GET http://127.0.0.1:notaport/ HTTP/1.1\r\n\r\n", 400),
        (b"POST http://127.0.0.1:1/ HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413),
        (b"G" * 70_000 + b"\r\n\r\n", 414),
    ],
)
def test_the_proxy_keeps_serving_after_garbage(
    proxy: RecordingProxy, upstream: RunningServer, garbage: bytes, status: int
) -> None:
    answer = raw(proxy, garbage)
    assert f"{status}".encode() in answer  # an HTTP error (HTTP/0.9 style when the request line is bad)
    assert not proxy.exchanges  # nothing that is not a request to forward is recorded as a call
    assert session_through(proxy).get(f"{upstream.base_url}/after").text == "GET /after? 0"


def test_only_literal_loopback_addresses_and_localhost_count_as_loopback() -> None:
    assert all(is_loopback_host(h) for h in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "LOCALHOST"))
    assert not any(is_loopback_host(h) for h in ("10.0.0.1", "localhost.example", "idp.1177.se", ""))


def test_the_nothing_back_checks_flag_calls_to_the_idp_host_and_personal_data_only(
    proxy: RecordingProxy, upstream: RunningServer
) -> None:
    other = start_server(echo)
    try:
        session = session_through(proxy)
        session.get(f"{other.base_url}/weather")  # an unrelated loopback service: fine
        session.get(f"{other.base_url}/audit?who=195006262546")  # personal data, but not to 1177
        session.get(f"http://localhost:{upstream.port}/sso/redirect")  # 1177's host, by another name
        assert open_tunnel(proxy, f"127.0.0.1:{upstream.port}").startswith(b"HTTP/1.0 200")  # tunnelled
    finally:
        other.stop()
    calls = proxy.exchanges
    personal = PersonalData(["195006262546"], ["Öberg"])
    to_idp = checks.no_outbound_call_to_idp(calls, upstream.base_url)
    leaks = checks.no_personal_data_in_outbound_calls(calls, personal)
    assert [f.exchange_ids for f in to_idp] == [(calls[2].id,), (calls[3].id,)]
    assert [f.exchange_ids for f in leaks] == [(calls[1].id,)]
    assert all("195006262546" not in f.message for f in leaks)  # the finding names the kind, not the value
    assert checks.no_outbound_call_to_idp(calls[:2], upstream.base_url) == []


def test_a_vendor_target_that_honours_a_proxy_must_name_its_port(tmp_path: Path) -> None:
    target = load_target("sp", demo_target("sp"))
    assert target.sp is not None and target.sp.honours_proxy
    vendor = replace(target, launch="", idp=replace(target.idp, state_dir=tmp_path / "idp"))
    load_idp_keys(tmp_path / "idp")  # the keys a vendor's SP would have been given
    with pytest.raises(TargetError, match="proxy_port"), open_environment(vendor, settings()):
        pass
