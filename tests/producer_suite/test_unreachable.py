"""A producer that is down, refuses the connection, cuts it, or answers nothing gives ``error``, never
``pass`` or ``fail``: the harness could not judge it. The platform's own self-tests may still pass."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.core.findings import Verdict
from harness.runner import load_target, run_scenarios, suite_dir
from harness.server import RunningServer, start_server
from tests.support.data import settings

PLATFORM_SELF_TESTS = ("PR-E2E-", "PR-VP-")
JUDGED = {Verdict.PASS, Verdict.FAIL, Verdict.WARN}


def target_text(base_url: str) -> str:
    return f"""
[platform]
vp_port = 0
ei_port = 0
agp_port = 0

[producer]
base_url = "{base_url}"
logical_addresses = ["TSTNMT2321000156-RP01"]
contracts = ["GetDiagnosis:2.0", "GetLaboratoryOrderOutcome:4.2"]

[producer.test_hooks]
technical_error = "{base_url}/test-hooks/technical-error"

[producer.test_data]
patient_id = "195709263080"
unknown_patient = "196506232880"
"""


def run(tmp_path: Path, base_url: str, keyword: str = "") -> dict[str, Verdict]:
    path = tmp_path / "target.toml"
    path.write_text(target_text(base_url), encoding="utf-8")
    results, _ = run_scenarios(
        [suite_dir("producer")], load_target("producer", path), settings(), keyword=keyword
    )
    return {r.spec.id: r.verdict for r in results}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def judged_on_the_producer(verdicts: dict[str, Verdict]) -> dict[str, Verdict]:
    return {i: v for i, v in verdicts.items() if v in JUDGED and not i.startswith(PLATFORM_SELF_TESTS)}


@pytest.mark.slow
def test_a_producer_that_is_down_gets_no_verdict_but_error(tmp_path: Path) -> None:
    verdicts = run(tmp_path, f"https://127.0.0.1:{closed_port()}")
    assert judged_on_the_producer(verdicts) == {}
    assert verdicts["PR-TRN-01[GetDiagnosis:2.0]"] is Verdict.ERROR
    assert verdicts["PR-ERR-15A[GetDiagnosis:2.0]"] is Verdict.ERROR
    assert len([v for v in verdicts.values() if v is Verdict.ERROR]) > 40


def _empty_answer(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml;charset=UTF-8")])
    return [b""]


@pytest.fixture
def empty_producer() -> Iterator[RunningServer]:
    server = start_server(_empty_answer)
    yield server
    server.stop()


@pytest.fixture
def cutting_producer() -> Iterator[int]:
    """Accepts each connection and closes it without a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    listener.close()


KEYWORD = "PR-TRN-01 or PR-UNK-08A or PR-PDL-10 or PR-XSD-05 or PR-ERR-15A"


def test_a_producer_that_answers_an_empty_body_gets_error(
    tmp_path: Path, empty_producer: RunningServer
) -> None:
    verdicts = run(tmp_path, empty_producer.base_url, KEYWORD)
    assert set(verdicts.values()) == {Verdict.ERROR}, verdicts
    assert len(verdicts) == 10


def test_a_producer_that_cuts_the_connection_gets_error(tmp_path: Path, cutting_producer: int) -> None:
    verdicts = run(tmp_path, f"http://127.0.0.1:{cutting_producer}", KEYWORD)
    assert set(verdicts.values()) == {Verdict.ERROR}, verdicts
