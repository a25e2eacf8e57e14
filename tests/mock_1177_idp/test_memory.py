"""The mock IdP's memory is bounded: its traffic log keeps the head of each body (with the length and
the SHA-256 of the rest) and a bounded number of requests, however large the requests it gets.

Measured in a separate process (its resident set, VmHWM in /proc/<pid>/status, is the peak): before
the bound, a few hundred large requests took the IdP past 1 GB.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from harness.core.exchange import Direction, Exchange
from harness.core.exchange_log import ExchangeLog
from harness.mock_1177_idp.traffic import TrafficLog

from .helpers import NUMBERS

_IDP = """
import json, sys
from pathlib import Path
from harness.mock_1177_idp.app import IdpConfig, serve_idp
from harness.mock_1177_idp.keys import load_idp_keys
from harness.mock_1177_idp.persons import make_persons

config = IdpConfig(keys=load_idp_keys(Path(sys.argv[1])), persons=make_persons(json.loads(sys.argv[2])))
served = serve_idp(config)
print(served.port, flush=True)
sys.stdin.read()  # until the test closes stdin
kept = served.idp.traffic.exchanges
largest = max(len(x.request_body) for x in kept)
print(json.dumps({"kept": len(kept), "largest": largest, "note": kept[-1].note}))
"""
MB = 1_000_000
LIMIT_KB = 300 * 1024


@pytest.fixture
def idp_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    command = [sys.executable, "-c", _IDP, str(tmp_path / "idp"), json.dumps(NUMBERS)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process, int(process.stdout.readline())
    finally:
        process.kill()
        process.wait(timeout=10)


def _kilobytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


@pytest.mark.slow
def test_resident_memory_stays_under_300_mb_across_500_requests_with_1_mb_bodies(
    idp_process: tuple[subprocess.Popen[str], int],
) -> None:
    process, port = idp_process
    body = b"SAMLRequest=" + b"A" * (MB - len(b"SAMLRequest="))

    def post(_: int) -> int:
        with requests.post(f"http://127.0.0.1:{port}/sso/post", data=body, timeout=30) as answer:
            return answer.status_code

    with ThreadPoolExecutor(4) as clients:
        statuses = set(clients.map(post, range(500)))
    peak = _kilobytes(process.pid, "VmHWM")
    out, _ = process.communicate("", timeout=30)
    summary = json.loads(out.strip().splitlines()[-1])
    assert statuses == {400}  # not a SAML message: a clear 400, every time
    print(f"peak resident set of the mock IdP: {peak // 1024} MB")
    assert peak < LIMIT_KB, f"peak resident set {peak // 1024} MB"
    assert summary["kept"] == 500 and summary["largest"] == 64 * 1024
    assert f"of {MB}; SHA-256 of the remaining {MB - 64 * 1024} bytes" in summary["note"]


def test_the_log_keeps_the_head_and_notes_the_length_and_hash_of_the_rest() -> None:
    log = ExchangeLog("t-", max_exchanges=2, max_body_bytes=4)
    body = b"head and the rest"
    kept = log.add(_exchange(log, body))
    assert kept.request_body == b"head" and kept.response_body == b"ok"
    rest = hashlib.sha256(body[4:]).hexdigest()
    assert (
        kept.note == f"request body cut to its first 4 bytes of 17; SHA-256 of the remaining 13 bytes: {rest}"
    )
    for _ in range(3):
        log.add(_exchange(log, b""))
    assert [x.id for x in log.exchanges] == ["t-3", "t-4"] and log.dropped == 2


def test_the_traffic_log_is_bounded_by_default() -> None:
    log = TrafficLog().log
    assert log.max_body_bytes == 64 * 1024 and log.exchanges == ()


def _exchange(log: ExchangeLog, body: bytes) -> Exchange:
    return Exchange(
        id=log.next_id(),
        direction=Direction.INCOMING,
        method="POST",
        url="http://127.0.0.1/x",
        request_headers=(),
        request_body=body,
        status=200,
        response_headers=(),
        response_body=b"ok",
        started=datetime.now(UTC),
        elapsed_ms=1.0,
    )
