"""The recording transport against real loopback servers: exact bytes, mutual TLS, timeouts, failures."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.core.exchange import Direction, Recorder
from harness.pki import IssuedCertificate, TestCa
from harness.transport import ClientIdentity, HttpTransport, TargetUnreachable

from .loopback import Loopback, Reply, Seen, serve, server_context, silent_listener

VP_HSA_ID = "TSTNMT2321000156-VP01"  # a test HSA-id of the form Inera's test environment uses
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    "<soapenv:Header/><soapenv:Body><x>Vårdcentral Åre \u00e4</x></soapenv:Body></soapenv:Envelope>\r\n"
).encode()
ANSWER = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<answer>V\xe5rd</answer>\n'  # not UTF-8: bytes kept


@dataclass(frozen=True)
class Pki:
    ca: TestCa
    server: IssuedCertificate
    vp: IssuedCertificate
    foreign: IssuedCertificate  # a client certificate from another CA, same subject


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    ca = TestCa.load_or_create(tmp_path_factory.mktemp("pki"))
    other = TestCa.load_or_create(tmp_path_factory.mktemp("other-pki"), name="other", common_name="Other CA")
    vp = {"common_name": "vp", "hsa_id": VP_HSA_ID, "client": True}
    return Pki(
        ca=ca,
        server=ca.issue("server", common_name="localhost", server=True),
        vp=ca.issue("vp", **vp),
        foreign=other.issue("vp", **vp),
    )


def identity(issued: IssuedCertificate) -> ClientIdentity:
    return ClientIdentity(issued.cert, issued.key)


def echo(seen: Seen) -> Reply:
    return Reply(
        headers=(("Content-Type", "text/plain"), ("X-Peer", seen.peer_subject.get("serialNumber", "")))
    )


@pytest.fixture
def mtls_server(pki: Pki) -> Iterator[Loopback]:
    context = server_context(pki.server.cert, pki.server.key, client_ca=pki.ca.cert_path)
    with serve(echo, tls=context) as server:
        yield server


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def test_a_soap_post_is_recorded_byte_exact_with_the_headers_that_went_on_the_wire(
    recorder: Recorder,
) -> None:
    def soap(seen: Seen) -> Reply:
        headers = (("Content-Type", "text/xml; charset=ISO-8859-1"), ("X-Twice", "a"), ("X-Twice", "b"))
        return Reply(500, headers, ANSWER, delay_s=0.05)

    with serve(soap) as server, HttpTransport(recorder) as transport:
        exchange = transport.send(
            "POST",
            f"{server.base_url}/vp/GetCareDocumentation/3/rivtabp21",
            body=ENVELOPE,
            headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '"urn:x:GetCareDocumentation"'},
            tags=["soap"],
        )
    arrived = server.seen[0]
    assert arrived.body == ENVELOPE == exchange.request_body
    assert list(exchange.request_headers) == list(arrived.headers)  # every header, in order, Host included
    assert exchange.request_header("Host") == f"127.0.0.1:{server.port}"
    assert (exchange.status, exchange.response_body) == (500, ANSWER)
    assert [v for k, v in exchange.response_headers if k == "X-Twice"] == ["a", "b"]
    assert exchange.elapsed_ms >= 50 and exchange.tags == ("soap",) and exchange.note == ""
    assert exchange.direction is Direction.OUTGOING and recorder.exchanges == (exchange,)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_any_method_is_sent_as_asked(method: str, recorder: Recorder) -> None:
    with serve(lambda seen: Reply()) as server, HttpTransport(recorder) as transport:
        exchange = transport.send(method, f"{server.base_url}/x", body=b"{}", headers={"Content-Type": "a/b"})
    assert server.seen[0].method == exchange.method == method
    assert server.seen[0].header("Content-Type") == "a/b" and server.seen[0].body == b"{}"


def test_redirects_are_recorded_not_followed(recorder: Recorder) -> None:
    with serve(lambda seen: Reply(302, (("Location", "/elsewhere"),), b"")) as server:
        with HttpTransport(recorder) as transport:
            exchange = transport.send("GET", f"{server.base_url}/start")
    assert exchange.status == 302 and len(server.seen) == 1 and len(recorder.exchanges) == 1


def test_connections_are_kept_alive(pki: Pki, mtls_server: Loopback, recorder: Recorder) -> None:
    with HttpTransport(recorder, verify=pki.ca.cert_path, identity=identity(pki.vp)) as transport:
        for _ in range(3):
            transport.send("POST", f"{mtls_server.base_url}/x", body=b"<a/>")
    assert len({seen.client_port for seen in mtls_server.seen}) == 1 and len(mtls_server.seen) == 3


def test_mutual_tls_presents_the_issued_certificate_and_the_server_reads_the_hsa_id(
    pki: Pki, mtls_server: Loopback, recorder: Recorder
) -> None:
    with HttpTransport(recorder, verify=pki.ca.cert_path, identity=identity(pki.vp)) as transport:
        exchange = transport.send("GET", f"{mtls_server.base_url}/whoami")
    assert exchange.status == 200 and exchange.response_header("X-Peer") == VP_HSA_ID
    assert mtls_server.seen[0].peer_subject["serialNumber"] == VP_HSA_ID


@pytest.mark.parametrize("who", ["no certificate", "a certificate from another CA"])
def test_a_server_requiring_client_certificates_refuses_and_the_attempt_is_recorded(
    who: str, pki: Pki, mtls_server: Loopback, recorder: Recorder
) -> None:
    client = None if who == "no certificate" else identity(pki.foreign)
    with HttpTransport(recorder, verify=pki.ca.cert_path, identity=client) as transport:
        with pytest.raises(TargetUnreachable) as refused:
            transport.send("POST", f"{mtls_server.base_url}/soap?patient=191212121212", body=ENVELOPE)
    exchange = refused.value.exchange
    assert recorder.exchanges == (exchange,) and exchange.status is None
    assert exchange.request_body == ENVELOPE and exchange.note.split(":")[0] in {
        "SSLError",
        "ConnectionError",
    }
    assert "191212121212" not in exchange.note + str(refused.value)  # no personal data in the reason
    assert mtls_server.seen == []


def test_the_server_certificate_is_verified_against_the_given_ca(
    tmp_path: Path, pki: Pki, mtls_server: Loopback, recorder: Recorder
) -> None:
    stranger = TestCa.load_or_create(tmp_path, common_name="Stranger CA")
    with HttpTransport(recorder, verify=stranger.cert_path, identity=identity(pki.vp)) as transport:
        with pytest.raises(TargetUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
            transport.send("GET", f"{mtls_server.base_url}/")
    with HttpTransport(recorder, verify=False, identity=identity(pki.vp)) as unverified:
        assert unverified.send("GET", f"{mtls_server.base_url}/").status == 200


def test_without_host_name_verification_the_chain_is_still_verified(pki: Pki, recorder: Recorder) -> None:
    context = server_context(pki.server.cert, pki.server.key)  # names localhost and 127.0.0.1 only
    try:
        serving = serve(lambda seen: Reply(), tls=context, host="127.0.0.2")
        server = serving.__enter__()
    except OSError:
        pytest.skip("127.0.0.2 is not a loopback address here")
    try:
        with HttpTransport(recorder, verify=pki.ca.cert_path) as strict:
            with pytest.raises(TargetUnreachable, match="mismatch"):
                strict.send("GET", f"{server.base_url}/")
        with HttpTransport(recorder, verify=pki.ca.cert_path, verify_hostname=False) as lenient:
            assert lenient.send("GET", f"{server.base_url}/").status == 200
        stranger = TestCa.load_or_create(pki.ca.state_dir / "stranger", common_name="Stranger CA")
        with HttpTransport(recorder, verify=stranger.cert_path, verify_hostname=False) as other_ca:
            with pytest.raises(TargetUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
                other_ca.send("GET", f"{server.base_url}/")
    finally:
        serving.__exit__(None, None, None)


def test_no_response_within_the_timeout_raises_with_the_exchange_recorded(recorder: Recorder) -> None:
    with serve(lambda seen: Reply(delay_s=3)) as server, HttpTransport(recorder, timeout=0.3) as transport:
        started = time.perf_counter()
        with pytest.raises(TargetUnreachable) as late:
            transport.send("POST", f"{server.base_url}/slow", body=b"<a/>")
    assert time.perf_counter() - started < 2
    assert late.value.exchange.status is None and late.value.exchange.note.startswith("ReadTimeout:")
    assert recorder.exchanges == (late.value.exchange,) and late.value.exchange.request_body == b"<a/>"


def test_a_slowly_dripping_body_cannot_hold_the_caller_past_the_timeout(recorder: Recorder) -> None:
    with serve(lambda seen: Reply(body=b"x" * 100, drip_s=0.1)) as server:
        with HttpTransport(recorder, timeout=0.8) as transport:
            started = time.perf_counter()
            with pytest.raises(TargetUnreachable) as late:
                transport.send("GET", f"{server.base_url}/drip")
    assert time.perf_counter() - started < 1.5  # every single read is quick; the whole is not
    exchange = late.value.exchange
    assert exchange.status is None and "ReadTimeout" in exchange.note and "after status 200" in exchange.note
    assert 0 < len(exchange.response_body) < 100  # what did arrive is kept as evidence


def test_a_server_that_never_completes_the_tls_handshake_times_out(pki: Pki, recorder: Recorder) -> None:
    with (
        silent_listener() as port,
        HttpTransport(recorder, verify=pki.ca.cert_path, timeout=0.5) as transport,
    ):
        with pytest.raises(TargetUnreachable, match="Timeout"):
            transport.send("GET", f"https://127.0.0.1:{port}/")
    assert recorder.exchanges[0].status is None and "Timeout" in recorder.exchanges[0].note


def test_a_connect_timeout_is_reported_as_such(recorder: Recorder) -> None:
    with socket.socket() as full, ExitStack() as waiting:
        full.bind(("127.0.0.1", 0))
        full.listen(0)  # never accepted: once the queue is full, further connection attempts get no answer
        if not _queue_fills(full.getsockname(), waiting):
            pytest.skip("this kernel answers connections beyond the listen backlog")
        transport = HttpTransport(recorder, timeout=5, connect_timeout=0.3)
        with transport, pytest.raises(TargetUnreachable, match="ConnectTimeout"):
            transport.send("GET", f"http://127.0.0.1:{full.getsockname()[1]}/")


def _queue_fills(address: tuple[str, int], waiting: ExitStack) -> bool:
    for _ in range(8):
        client = waiting.enter_context(socket.socket())
        client.settimeout(0.3)
        try:
            client.connect(address)
        except TimeoutError:
            return True
    return False


def test_a_refused_connection_is_recorded_without_the_path(recorder: Recorder) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]  # bound, not listening: connections are refused
        with HttpTransport(recorder) as transport, pytest.raises(TargetUnreachable) as refused:
            transport.send("GET", f"http://127.0.0.1:{port}/patients/191212121212")
    assert refused.value.exchange.note == "ConnectionError: connection refused"
    assert str(refused.value) == f"GET http://127.0.0.1:{port}: ConnectionError: connection refused"


def test_a_response_over_the_limit_is_not_kept(recorder: Recorder) -> None:
    with serve(lambda seen: Reply(body=b"x" * 5000)) as server:
        with HttpTransport(recorder, max_response_bytes=1000) as transport, pytest.raises(TargetUnreachable):
            transport.send("GET", f"{server.base_url}/big")
    assert (
        recorder.exchanges[0].note.startswith("ResponseTooLarge")
        and recorder.exchanges[0].response_body == b""
    )


def test_a_content_coded_body_is_recorded_decoded_and_the_note_says_so(recorder: Recorder) -> None:
    coded = gzip.compress(b"<a>hello</a>")
    headers = (("Content-Type", "text/xml"), ("Content-Encoding", "gzip"))
    with (
        serve(lambda seen: Reply(headers=headers, body=coded)) as server,
        HttpTransport(recorder) as transport,
    ):
        exchange = transport.send("GET", f"{server.base_url}/")
    assert server.seen[0].header("Accept-Encoding") == "identity"  # the transport asks for none
    assert exchange.response_body == b"<a>hello</a>"
    assert exchange.note == f"Content-Encoding gzip: body recorded decoded; {len(coded)} bytes received"


def test_cookies_are_not_kept_and_proxies_from_the_environment_are_ignored(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # a proxy that does not exist
    monkeypatch.setenv("NO_PROXY", "")
    with serve(lambda seen: Reply(headers=(("Set-Cookie", "s=1; Path=/"),))) as server:
        with HttpTransport(recorder) as transport:
            transport.send("GET", f"{server.base_url}/a")
            transport.send("GET", f"{server.base_url}/b")
    assert [seen.header("Cookie") for seen in server.seen] == [None, None]
