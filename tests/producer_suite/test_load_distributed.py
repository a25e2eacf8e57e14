"""Locust's distributed mode with the harness's locustfile: a master and one worker, as separate
processes on loopback, against a fake producer called straight (route = "direct", plain HTTP)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.server import RunningServer, start_server
from tests.producer_suite.load_fakes import LoadFake

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parents[2]
TARGET = """[target]
name = "fake producer"
[platform]
pki_dir = "pki"
[producer]
base_url = "{base_url}"
logical_addresses = ["TSTNMT2321000156-RP01"]
contracts = ["GetCareDocumentation:3.0"]
route = "direct"
[producer.test_data]
patient_id = "195709263080"   # Skatteverket test personnummer (testpersonnummer.csv)
[load]
users = 3
duration_s = 3
pause_s = [0.01, 0.02]
"""


@pytest.fixture
def fake() -> Iterator[tuple[LoadFake, RunningServer]]:
    producer = LoadFake(delay_s=0.01)
    server = start_server(producer.app(), name="load-fake")
    yield producer, server
    server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def locust(*args: str, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "harness.producer_suite.load.locustfile", *args]
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=CHECKOUT, stdout=out, stderr=subprocess.STDOUT)


def test_a_master_and_a_worker_run_the_targets_profile(
    fake: tuple[LoadFake, RunningServer], tmp_path: Path
) -> None:
    producer, server = fake
    target = tmp_path / "target.toml"
    target.write_text(TARGET.format(base_url=server.base_url), encoding="utf-8")
    results, port = tmp_path / "load.json", str(free_port())
    common = ("--conformance-target", str(target))
    worker = locust(
        "--worker", "--master-host", "127.0.0.1", "--master-port", port, *common, log=tmp_path / "w"
    )
    master = locust(
        "--master", "--headless", "--expect-workers", "1", "--master-bind-host", "127.0.0.1",
        "--master-bind-port", port, "--conformance-results", str(results), *common, log=tmp_path / "m",
    )  # fmt: skip
    try:
        assert master.wait(timeout=90) == 0, (tmp_path / "m").read_text()
        assert worker.wait(timeout=30) == 0, (tmp_path / "w").read_text()
    finally:
        for process in (master, worker):
            process.kill()
            process.wait()
    document = json.loads(results.read_text(encoding="utf-8"))
    summary = document["summary"]
    # Every call the worker made reached the master's summary (its last report too).
    assert 0 < summary["requests"] <= producer.received <= summary["requests"] + 3
    assert summary["errors"] == 0 and producer.most_in_flight == 3
    assert summary["profile"] == "Inera 6.1: 3 concurrent callers for 3 s"
    assert max(i["users"] for i in summary["intervals"]) == 3  # as the master counts them
    assert summary["label"] == "GetCareDocumentation 3.0 straight to the producer"
    assert document["over_limit"] == [[27000.0, 0], [30000.0, 0]]  # the AGP wait and the limit
