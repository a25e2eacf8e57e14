"""The load engine against a small producer in this process, two ways, side by side.

(a) the harness's way: Locust in a process of its own, gevent-patched (``run_load``);
(b) Locust in this process without gevent's monkey patch (``LOCUST_SKIP_MONKEY_PATCH=1``, set here
    before ``locust`` is first imported), the same FastHttpUser caller and profile.

Two producers on the harness's server layer, in this process (as the mock VP and the reference
producer are during a run): plain HTTP answering at once, and HTTPS answering after 50 ms. Over
HTTPS, (b) calls one at a time: the standard ``ssl`` module, unpatched, blocks gevent's one hub, so
ten "concurrent" callers wait for each other (about 20 calls/s where (a) makes about 170).
Prints calls per second, latency percentiles and the wall time beyond the profile's length.

Run: ``python benchmarks/load_engine.py [--users 10] [--seconds 5]`` (from the checkout; it uses the
load engine tests' fake producer).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.producer_suite.load_fakes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    os.environ["LOCUST_SKIP_MONKEY_PATCH"] = "1"  # only (b) imports locust into this process

    import tempfile

    from harness.pki import TestCa
    from harness.producer_suite.load.profile import LoadProfile
    from harness.producer_suite.load.request import LoadRequest
    from harness.producer_suite.load.result import LoadResult, summarise
    from harness.producer_suite.load.run import run_load
    from harness.server import RunningServer, server_tls_context, start_server
    from tests.producer_suite.load_fakes import LoadFake
    from tests.producer_suite.test_load_engine import request_to

    ca = TestCa.load_or_create(Path(tempfile.mkdtemp(prefix="load-benchmark-")))
    tls = ca.issue("producer", common_name="benchmark producer", server=True)
    servers: list[tuple[str, RunningServer, LoadRequest]] = []
    for label, delay, context in (("http, at once", 0.0, None), ("https, 50 ms", 0.05, tls)):
        ssl = server_tls_context(context.cert, context.key) if context else None
        server = start_server(LoadFake(delay_s=delay).app(), tls=ssl, name="load-benchmark")
        request = request_to(f"{server.base_url}/producer", ca_file=ca.cert_path)
        servers.append((label, server, request))
    profile = LoadProfile.steady("benchmark", users=args.users, duration_s=args.seconds)

    def show(label: str, result: LoadResult, wall: float) -> None:
        latency = result.latency
        print(
            f"{label:<44} {result.throughput_rps:8.0f} calls/s  p50 {latency.p50_ms:5.1f} ms  "
            f"p99 {latency.p99_ms:5.1f} ms  errors {result.errors}  overhead {wall - args.seconds:4.1f} s"
        )

    try:
        for label, _, request in servers:
            started = time.perf_counter()
            result = run_load(request, profile)
            show(f"(a) own process, patched; {label}", result, time.perf_counter() - started)
        from harness.producer_suite.load.child import run_local  # imports locust here, unpatched

        for label, _, request in servers:
            started = time.perf_counter()
            data = run_local(request, profile)
            show(
                f"(b) this process, unpatched; {label}",
                summarise(data, request, profile),
                time.perf_counter() - started,
            )
    finally:
        for _, server, _ in servers:
            server.stop()


if __name__ == "__main__":
    main()
