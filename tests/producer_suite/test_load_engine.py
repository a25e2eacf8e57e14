"""The load engine against a fake producer on loopback: short profiles (the machine is small).

Each test starts Locust in a process of its own (about a second) and runs for a few seconds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.core.measurements import ReferenceLine
from harness.pki import IssuedCertificate, TestCa
from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.request import LoadRequest
from harness.producer_suite.load.run import LoadRunError, run_load
from harness.server import RunningServer, serve_in_thread, server_tls_context
from tests.producer_suite.load_fakes import LoadFake

pytestmark = pytest.mark.slow

EXPECT = "GetCareDocumentationResponse"
SHORT = LoadProfile.steady("short", users=4, duration_s=2.0)


def request_to(url: str, **extra: object) -> LoadRequest:
    headers = (("Content-Type", "text/xml;charset=UTF-8"), ("SOAPAction", '"urn:x:GetCareDocumentation"'))
    body = '<?xml version="1.0" encoding="UTF-8"?><Envelope>åäö</Envelope>'.encode()
    return LoadRequest(label="fake", url=url, body=body, headers=headers, expect=EXPECT, **extra)  # type: ignore[arg-type]


@pytest.fixture
def serve() -> Iterator[list[RunningServer]]:
    servers: list[RunningServer] = []
    yield servers
    for server in servers:
        server.stop()


def start(fake: LoadFake, servers: list[RunningServer]) -> str:
    from harness.server import start_server

    server = start_server(fake.app(), name="load-fake")
    servers.append(server)
    return f"{server.base_url}/producer"


def test_a_good_producer_gives_counts_percentiles_and_a_time_series(serve: list[RunningServer]) -> None:
    fake = LoadFake(delay_s=0.02)
    result = run_load(request_to(start(fake, serve)), SHORT, limits=(ReferenceLine("limit", 1_000.0),))
    assert result.completed and result.errors == 0 and result.error_kinds == ()
    # Calls in flight when the profile ends are cut off: the producer may have seen a few more.
    assert 0 < result.requests <= fake.received <= result.requests + 4
    assert fake.most_in_flight == 4  # four concurrent callers, never more
    latency = result.latency
    assert 20 <= latency.p50_ms <= latency.p90_ms <= latency.p95_ms <= latency.p99_ms
    assert latency.p99_ms <= latency.max_ms < 1_000
    assert result.throughput_rps == pytest.approx(result.requests / result.summary.duration_s)
    assert 40 < result.throughput_rps < 4 / 0.02 * 1.05  # four callers, each at most one call per 20 ms
    assert len(result.intervals) >= 2 and result.intervals[0].start_s == 0.0
    assert sum(i.requests for i in result.intervals) == result.requests
    assert [i.users for i in result.intervals[:2]] == [4, 4]
    assert result.answers_over(1_000.0) == 0
    first = result.samples[0]
    assert (first.status, first.method, first.tags) == (200, "POST", ("load",))
    assert EXPECT.encode() in first.response_body and "åäö".encode() in first.request_body
    assert first.request_header("SOAPAction") == '"urn:x:GetCareDocumentation"'
    assert len(result.samples) <= 4  # the first three and the slowest: bounded, not one per request


def test_a_failing_producer_gives_named_errors_and_failure_samples(serve: list[RunningServer]) -> None:
    result = run_load(request_to(start(LoadFake(mode="fault"), serve)), SHORT)
    assert result.requests > 0 and result.errors == result.requests
    assert result.error_kinds == (("HTTP 500 with a SOAP Fault", result.requests),)
    assert all(i.errors == i.requests for i in result.intervals)
    failures = result.failure_samples()
    assert 1 <= len(failures) <= 24 and all(x.status == 500 and b"Fault" in x.response_body for x in failures)
    assert result.summary.error_rate == 1.0


def test_answers_over_a_limit_are_counted_exactly(serve: list[RunningServer]) -> None:
    fake = LoadFake(delay_s=0.06)
    profile = LoadProfile.steady("slow", users=2, duration_s=1.5)
    limits = (ReferenceLine("warn", 50.0), ReferenceLine("limit", 5_000.0))
    result = run_load(request_to(start(fake, serve)), profile, limits=limits)
    assert result.errors == 0 and result.requests > 0
    assert result.answers_over(50.0) == result.requests
    assert result.answers_over(5_000.0) == 0
    assert result.latency.p50_ms >= 60
    assert result.summary.reference_lines == limits
    with pytest.raises(KeyError):
        result.answers_over(123.0)


def test_a_producer_that_is_down_gives_connection_errors(serve: list[RunningServer]) -> None:
    server = start(LoadFake(), serve)
    serve.pop().stop()  # the port is closed now
    profile = LoadProfile.steady("down", users=2, duration_s=1.0, pause_s=(0.05, 0.05))
    result = run_load(request_to(server, timeout_s=2.0), profile)
    assert result.requests > 0 and result.errors == result.requests
    assert dict(result.error_kinds) == {"connection refused": result.requests}
    assert all(x.status is None for x in result.samples)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[IssuedCertificate, IssuedCertificate, Path]:
    ca = TestCa.load_or_create(tmp_path_factory.mktemp("load-pki"))
    server = ca.issue("producer", common_name="fake producer", server_names=("127.0.0.1",), server=True)
    client = ca.issue("consumer", common_name="consumer", hsa_id="TSTNMT2321000156-1177", client=True)
    return server, client, ca.cert_path


def test_mutual_tls_with_the_consumer_certificate(
    tls: tuple[IssuedCertificate, IssuedCertificate, Path],
) -> None:
    server_cert, client, ca = tls
    context = server_tls_context(server_cert.cert, server_cert.key, client_ca=ca, client_cert="required")
    profile = LoadProfile.steady("tls", users=2, duration_s=1.0)
    with serve_in_thread(LoadFake().app(), tls=context) as server:
        url = f"{server.base_url}/producer"
        good = run_load(request_to(url, client_cert=client.cert, client_key=client.key, ca_file=ca), profile)
        without = run_load(request_to(url, ca_file=ca, timeout_s=2.0), profile)
    assert good.requests > 0 and good.errors == 0
    assert without.requests > 0 and without.errors == without.requests
    # TLS 1.3: the server refuses the missing certificate after the client's side of the handshake.
    refused = {"TLS failure", "connection reset", "connection closed without a complete answer"}
    assert {kind for kind, _ in without.error_kinds} <= refused


def test_without_the_host_name_check_the_chain_is_still_verified(
    tls: tuple[IssuedCertificate, IssuedCertificate, Path],
) -> None:
    """SKLTP's producer.https.hostnameVerification=false: the name is not checked, the chain is."""
    server_cert, client, ca = tls
    context = server_tls_context(server_cert.cert, server_cert.key)
    profile = LoadProfile.steady("names", users=1, duration_s=0.5, pause_s=(0.05, 0.05))
    with serve_in_thread(LoadFake().app(), tls=context) as server:
        url = f"{server.base_url}/producer"
        trusted = run_load(request_to(url, ca_file=ca, check_hostname=False), profile)
        other_ca = run_load(
            request_to(url, ca_file=client.cert, check_hostname=False, timeout_s=2.0), profile
        )
    assert trusted.requests > 0 and trusted.errors == 0
    assert dict(other_ca.error_kinds) == {"TLS failure": other_ca.requests}


def test_missing_tls_material_stops_before_any_load(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.pem"
    request = request_to("https://127.0.0.1:9/producer", client_cert=missing, client_key=missing)
    with pytest.raises(LoadRunError, match="nothing.pem"):
        run_load(request, SHORT)


def test_the_harness_process_never_imports_locust_or_gevent() -> None:
    """Locust patches the standard library for the whole process; it runs only in the load process."""
    assert "locust" not in sys.modules and "gevent" not in sys.modules
