"""Build SPs for the suite to judge: the reference SP with one flaw injected, on a free port, and a
target file pointing at it (no [launch]; the IdP's base URL on a port chosen before its metadata)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.core.findings import Verdict
from harness.mock_1177_idp.keys import load_idp_keys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, idp_metadata
from harness.reference_sp.launch import reference_sp_ca_bundle, start_reference_sp
from harness.runner import demo_target, load_target, run_scenarios, suite_dir
from tests.support.data import settings, test_numbers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PortReservations:
    """Loopback ports held open until released, so that no two servers of one test run are handed the
    same port between choosing it and listening on it (the suite's child process listens later)."""

    def __init__(self) -> None:
        self._held: dict[int, socket.socket] = {}

    def take(self) -> int:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
        self._held[port] = probe
        return port

    def release(self, *ports: int) -> None:
        for port in ports or tuple(self._held):
            self._held.pop(port).close()


def target_text(
    base_url: str, idp_base_url: str, idp_state: Path, ca_bundle: str, proxy_port: int | None = None
) -> str:
    """The reference SP's target file, filled in for an SP already running at ``base_url``; with
    ``proxy_port`` the SP honours the recording proxy there, without it the SP declares no proxy."""
    text = demo_target("sp").read_text(encoding="utf-8")
    assert "honours_proxy = true\n" in text
    proxy = f"honours_proxy = true\nproxy_port = {proxy_port}\n" if proxy_port else "honours_proxy = false\n"
    text = text.replace("honours_proxy = true\n", proxy)
    text = text.replace('[launch]\napp = "reference-sp"\n', "")
    text = re.sub(
        r"\[idp\]\n[^\[]*", f'[idp]\nbase_url = "{idp_base_url}"\nstate_dir = "{idp_state}"\n\n', text
    )
    text = text.replace("[sp]\n", f'[sp]\nca_bundle = "{ca_bundle}"\n', 1)
    return text.replace("{base_url}", base_url)


@dataclass(frozen=True)
class SuiteRun:
    verdicts: Mapping[str, Verdict]
    messages: Mapping[str, str]
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # information findings, by scenario

    def ids(self, *verdicts: Verdict) -> set[str]:
        return {i for i, v in self.verdicts.items() if v in verdicts}

    def explain(self, ids: set[str]) -> str:
        return "; ".join(f"{i}={self.verdicts.get(i)}: {self.messages.get(i, '')[:300]}" for i in sorted(ids))


def run_sp_suite(target: Path, keyword: str = "") -> SuiteRun:
    results, _ = run_scenarios([suite_dir("sp")], load_target("sp", target), settings(), keyword=keyword)
    return SuiteRun(
        {r.spec.id: r.verdict for r in results},
        {r.spec.id: r.message for r in results},
        {r.spec.id: tuple(f.message for f in r.findings if not f.is_violation) for r in results},
    )


# Runs the suite in a child process and prints {scenario id: [verdict, message]} as JSON.
_CHILD = """
import json, sys
from pathlib import Path
from harness.runner import load_target, run_scenarios, suite_dir
from tests.support.data import settings
results, _ = run_scenarios([suite_dir("sp")], load_target("sp", Path(sys.argv[1])), settings())
print("@@" + json.dumps({r.spec.id: [r.verdict.value, r.message] for r in results}))
"""


def run_sp_suites_in_parallel(targets: Sequence[Path]) -> list[SuiteRun]:
    """The whole suite once per target, as child processes, as many at a time as there are cores."""

    def one(target: Path) -> SuiteRun:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(target)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
            cwd=Path(__file__).resolve().parents[2],  # the checkout: `tests.support` is importable
        )
        marked = [line for line in done.stdout.splitlines() if line.startswith("@@")]
        assert marked, f"the suite run for {target} printed no verdicts: {done.stderr[-2000:]}"
        raw = json.loads(marked[-1][2:])
        return SuiteRun({i: Verdict(v) for i, (v, _) in raw.items()}, {i: m for i, (_, m) in raw.items()})

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(one, targets))


def with_settings(text: str, settings: Mapping[str, str]) -> str:
    """The target text with ``key = value`` lines replaced (values as TOML text, e.g. ``"false"``)."""
    for key, value in settings.items():
        text, count = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", text)
        assert count == 1, f"the target sets {key} {count} times"
    return text


@contextmanager
def flawed_reference_sp(
    tmp_path: Path,
    idp_state: Path,
    ports: PortReservations | None = None,
    *,
    sp_settings: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Iterator[Path]:
    """The reference SP with ``overrides`` (validators, matcher, after_login, ...); yields its target file
    (with ``sp_settings`` changed, e.g. ``{"allow_unsolicited": "false"}`` beside the same override).

    Like the launched reference SP, it sends outbound calls through the recording proxy, on a port
    chosen here (as a vendor's HTTP(S)_PROXY names it) that the suite's run then listens on. With
    ``ports``, the IdP's and the proxy's ports stay reserved until the caller releases them.
    """
    reservations = ports or PortReservations()
    idp_port, proxy_port, sp_port = reservations.take(), reservations.take(), reservations.take()
    idp_base_url = f"http://127.0.0.1:{idp_port}"
    metadata = idp_metadata(DEFAULT_IDP_ENTITY_ID, idp_base_url, load_idp_keys(idp_state))
    sp_state = tmp_path / "sp-state"
    overrides = {"outbound_proxy": f"http://127.0.0.1:{proxy_port}", **overrides}
    reservations.release(sp_port)
    server = start_reference_sp(metadata, sp_state, test_numbers(), port=sp_port, **overrides)
    if ports is None:
        reservations.release()
    try:
        target = tmp_path / "target.toml"
        ca_bundle = str(reference_sp_ca_bundle(sp_state))
        text = target_text(server.base_url, idp_base_url, idp_state, ca_bundle, proxy_port)
        target.write_text(with_settings(text, sp_settings or {}), encoding="utf-8")
        yield target
    finally:
        server.stop()
