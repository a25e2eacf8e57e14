"""Calls per second and latency through the mock VP, against the same producer called directly, in one run.

Three processes, as in a deployment: a fake producer (https, mutual TLS, a fixed GetCareDocumentation
3.0 answer), the mock platform (VP with TAK routing to that producer, and beside it a bare relay: the
same server layer and aiohttp client passing bytes on with no VP logic, the floor any VP built on
them can reach), and this process, which runs
``--callers`` concurrent callers (aiohttp, keep-alive, the 1177-journal-like consumer's client
certificate). Each round calls the producer directly, then through the VP, for ``--seconds`` each;
the figures are the medians over ``--rounds``. Goal: the VP keeps at least 50% of the direct
throughput and adds under 5 ms at p50. A second pass with one caller shows the latency the VP adds
to a single call when nothing queues.

``--producer reference`` puts the reference journal producer in the fake's place (its SQLite journal,
its request reading and rendering: a producer that does real work per call, as a vendor's does);
``--producer fake`` (the default) is the worst case for the ratio, a producer that does nothing.

Run: ``python benchmarks/vp_throughput.py [--producer fake|reference] [--seconds 5] [--callers 10]
[--rounds 3] [--persons DIR]``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import ssl
import statistics
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import aiohttp
from aiohttp import web
from lxml import etree

from harness.contracts import RequestParams, build_request, find_contract
from harness.core.soap import build_envelope
from harness.mock_ntp.certificates import platform_certificates
from harness.mock_ntp.config import PlatformSettings
from harness.mock_ntp.forward import client_tls_context
from harness.mock_ntp.platform import RunningPlatform, start_platform
from harness.mock_ntp.tak import Authorisation, Route, Tak
from harness.pki import TestCa
from harness.server import serve_in_thread, server_tls_context

GCD3 = find_contract("GetCareDocumentation", "3.0")
SOURCE = "TSTNMT2321000156-RP01"
PATIENT = "189001019802"  # a Skatteverket test personnummer
REFERENCE_PATIENT = "195709263080"  # the reference producer's patient with records (Inera's data.xml patient)
GCD3_PATH = "/clinicalprocess/healthcond/description/GetCareDocumentation/3/rivtabp21"


@dataclass(frozen=True)
class Result:
    label: str
    calls_per_s: float
    p50_ms: float
    p95_ms: float
    errors: int


def _answer() -> bytes:
    """A GetCareDocumentation 3.0 answer of about 2 kB: five records and a result."""
    response = etree.Element(GCD3.response_tag, nsmap={"r": GCD3.namespace, "c": GCD3.core_namespace})
    for number in range(5):
        record = etree.SubElement(response, f"{{{GCD3.namespace}}}careDocumentation")
        etree.SubElement(record, f"{{{GCD3.core_namespace}}}note").text = f"record {number} " + "x" * 300
    result = etree.SubElement(response, f"{{{GCD3.namespace}}}result")
    etree.SubElement(result, f"{{{GCD3.core_namespace}}}resultCode").text = "OK"
    return build_envelope(response)


def _producer(pki_dir: Path, pipe: Connection) -> None:
    ca = TestCa.load_or_create(pki_dir)
    cert = ca.issue(
        "bench-producer", common_name="benchmark producer", hsa_id="TSTNMT2321000156-RP00", server=True
    )

    body = _answer()

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=body, headers={"Content-Type": "text/xml;charset=UTF-8"})

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    tls = server_tls_context(cert.cert, cert.key, client_ca=ca.cert_path, client_cert="required")
    with serve_in_thread(app, tls=tls) as server:
        pipe.send(server.base_url)
        pipe.recv()  # until told to stop


def _reference_producer(pki_dir: Path, persons_dir: Path, pipe: Connection) -> None:
    """The reference producer over mutual TLS; any caller with a certificate from the platform's CA."""
    from harness.reference_producer.config import ProducerConfig
    from harness.reference_producer.launch import start_reference_producer

    ca = TestCa.load_or_create(pki_dir)
    cert = ca.issue(
        "bench-producer", common_name="benchmark producer", hsa_id="TSTNMT2321000156-RP00", server=True
    )
    tls = server_tls_context(cert.cert, cert.key, client_ca=ca.cert_path, client_cert="required")
    with tempfile.TemporaryDirectory() as journal:
        config = ProducerConfig(db_path=Path(journal) / "journal.sqlite3", allowed_callers=None)
        running = start_reference_producer(config, persons_dir, tls=tls)
        try:
            pipe.send(running.base_url)
            pipe.recv()  # until told to stop
        finally:
            running.stop()


def _platform(state_dir: Path, producer_url: str, pipe: Connection) -> None:
    settings = PlatformSettings(state_dir=state_dir, vp_port=0, ei_port=0, agp_port=0)
    tak = Tak(
        routes=(Route(SOURCE, GCD3.tak_contract, "rivtabp21", producer_url),),
        authorisations=(Authorisation(settings.identities.consumer, SOURCE, GCD3.tak_contract),),
    )
    platform = start_platform(settings, tak=tak)
    try:
        with serve_in_thread(_relay(platform, producer_url), tls=_vp_tls(platform)) as relay:
            vp = platform.vp_address(
                "clinicalprocess/healthcond/description/GetCareDocumentation/3/rivtabp21"
            )
            pipe.send((vp, f"{relay.base_url}/relay"))
            pipe.recv()
    finally:
        platform.stop()


def _vp_tls(platform: RunningPlatform) -> ssl.SSLContext:
    certs = platform.certificates
    return server_tls_context(certs.vp.cert, certs.vp.key, client_ca=certs.ca, client_cert="optional")


def _relay(platform: RunningPlatform, producer_url: str) -> web.Application:
    """The floor: the same server layer and aiohttp client relaying bytes, with no VP logic at all."""
    certs = platform.certificates
    sessions: list[aiohttp.ClientSession] = []

    async def start(_: web.Application) -> None:
        connector = aiohttp.TCPConnector(ssl=client_tls_context(certs.vp, (certs.ca,)), limit=100)
        sessions.append(aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()))

    async def stop(_: web.Application) -> None:
        await sessions[0].close()

    async def relay(request: web.Request) -> web.Response:
        headers = {"Content-Type": "text/xml;charset=UTF-8"}
        async with sessions[0].post(producer_url, data=await request.read(), headers=headers) as answer:
            return web.Response(status=answer.status, body=await answer.read(), headers=headers)

    app = web.Application()
    app.router.add_post("/{tail:.*}", relay)
    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return app


async def _run(
    url: str, label: str, context: ssl.SSLContext, seconds: float, callers: int, patient: str
) -> Result:
    body = build_envelope(build_request(GCD3, RequestParams(patient_id=patient)), logical_address=SOURCE)
    headers = {"Content-Type": "text/xml;charset=UTF-8", "SOAPAction": f'"{GCD3.soap_action}"'}
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(ssl=context, limit=callers)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> bool:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                return response.status == 200

        for _ in range(callers * 5):  # warm up: connections and handshakes made, pools filled
            await one()

        async def caller(deadline: float) -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                ok = await one()
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(caller(started + seconds) for _ in range(callers)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Result(label, len(latencies) / elapsed, cuts[49], cuts[94], errors)


def _client_context(state_dir: Path) -> ssl.SSLContext:
    certs = platform_certificates(PlatformSettings(state_dir=state_dir))
    context = ssl.create_default_context(cafile=str(certs.ca))
    context.load_cert_chain(str(certs.consumer.cert), str(certs.consumer.key))
    return context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--callers", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--producer", choices=("fake", "reference"), default="fake")
    parser.add_argument("--persons", type=Path, help="Skatteverket's test personnummer (reference producer)")
    args = parser.parse_args()
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as temp:
        state_dir = Path(temp)
        context = _client_context(state_dir)  # creates the CA and the platform's certificates once
        producer_end, producer_pipe = spawn.Pipe()
        if args.producer == "reference":
            persons = (
                args.persons or Path(__file__).resolve().parents[2] / "shared" / "data" / "testpersonnummer"
            )
            start = (_reference_producer, (state_dir / "pki", persons, producer_pipe))
        else:
            start = (_producer, (state_dir / "pki", producer_pipe))
        producer = spawn.Process(target=start[0], args=start[1], daemon=True)
        producer.start()
        producer_url = producer_end.recv() + GCD3_PATH
        platform_end, platform_pipe = spawn.Pipe()
        platform = spawn.Process(target=_platform, args=(state_dir, producer_url, platform_pipe), daemon=True)
        platform.start()
        vp_url, relay_url = platform_end.recv()
        targets = (("direct", producer_url), ("bare relay", relay_url), ("through the VP", vp_url))
        patient = REFERENCE_PATIENT if args.producer == "reference" else PATIENT
        loaded = _rounds(targets, context, args.seconds, args.callers, args.rounds, patient)
        single = _rounds(targets, context, args.seconds, 1, args.rounds, patient)
        for end in (producer_end, platform_end):
            end.send("stop")
        producer.join(10)
        platform.join(10)
    _report(loaded, args.callers, args)
    _report(single, 1, args)


def _rounds(
    targets: tuple[tuple[str, str], ...],
    context: ssl.SSLContext,
    seconds: float,
    callers: int,
    rounds: int,
    patient: str,
) -> dict[str, list[Result]]:
    """Direct and through the VP in turn, ``rounds`` times (so both see the same machine load)."""
    results: dict[str, list[Result]] = {label: [] for label, _ in targets}
    for _ in range(rounds):
        for label, url in targets:
            results[label].append(asyncio.run(_run(url, label, context, seconds, callers, patient)))
    return results


def _report(results: dict[str, list[Result]], callers: int, args: argparse.Namespace) -> None:
    def median(label: str, field: str) -> float:
        return statistics.median(getattr(r, field) for r in results[label])

    print(
        f"\n{args.producer} producer, {callers} concurrent caller(s), mutual TLS, keep-alive; "
        f"median of {args.rounds} x {args.seconds}s"
    )
    print(f"{'':16}{'calls/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}")
    for label in results:
        errors = sum(r.errors for r in results[label])
        print(
            f"{label:16}{median(label, 'calls_per_s'):>10.0f}{median(label, 'p50_ms'):>10.2f}"
            f"{median(label, 'p95_ms'):>10.2f}{errors:>8}"
        )
    share = median("through the VP", "calls_per_s") / median("direct", "calls_per_s")
    added = median("through the VP", "p50_ms") - median("direct", "p50_ms")
    floor = median("bare relay", "calls_per_s") / median("direct", "calls_per_s")
    print(
        f"VP keeps {share:.0%} of direct throughput (goal >= 50%); adds {added:.2f} ms at p50 (goal < 5 ms); "
        f"a bare relay keeps {floor:.0%}"
    )


if __name__ == "__main__":
    main()
