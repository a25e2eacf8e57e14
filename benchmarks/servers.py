"""Full logins per second through the mock IdP and the reference SP, on the former and the new
server layer in one run: ``python benchmarks/servers.py [--clients 10] [--logins 400] [--rounds 2]``.

One login is what a citizen's browser does in the 1177 jump-out: the IdP's picker page (GET
/unsolicited), the picker's submit (POST /login: the IdP builds and signs the Response), the
auto-posted SAMLResponse to the SP's ACS over TLS (the SP verifies it and starts a session), and
the session probe (GET /whoami, which must name the person). The IdP and the SP run together in a
server process, as in ``conformance run``; ``--clients`` browsers log in at once from this process,
each keeping its connections alive. The layers are measured alternately, ``--rounds`` times each:

- **werkzeug**: the former layer (werkzeug's development server; ``benchmarks/_werkzeug_layer.py``);
- **aiohttp**: ``harness.server``.

Prints logins/s and the p50/p95 of one login's time per layer, and the ratio. The goal: the new
layer is not slower.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("werkzeug", "aiohttp")
_PENDING = re.compile(r'name="pending" value="([^"]+)"')


# -- the server process --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _starter(layer: str) -> Callable[[Any, int, Any], tuple[str, Callable[[], None]]]:
    if layer == "werkzeug":
        from _werkzeug_layer import start_werkzeug

        return start_werkzeug
    from harness.server import start_server

    def start(app: Any, port: int, tls: Any) -> tuple[str, Callable[[], None]]:
        server = start_server(app, port=port, tls=tls)
        return server.base_url, server.stop

    return start


def serve(layer: str, state: Path, persons_dir: Path) -> None:
    """Run the mock IdP and the reference SP on ``layer`` until stdin closes; print where they are."""
    from harness.mock_1177_idp.app import IdpConfig, MockIdp
    from harness.mock_1177_idp.keys import load_idp_keys
    from harness.mock_1177_idp.metadata import parse_sp_metadata
    from harness.mock_1177_idp.persons import Person
    from harness.personnummer import load_test_numbers
    from harness.pki import load_or_create_tls
    from harness.reference_sp.app import create_app
    from harness.reference_sp.data import REFERENCE_CONTACTS, seed_contacts
    from harness.reference_sp.launch import reference_sp_config
    from harness.reference_sp.sp_metadata import sp_metadata
    from harness.server import server_tls_context

    start = _starter(layer)
    database = state / "sp" / "reference-sp.sqlite3"  # where reference_sp_config puts it
    contacts = seed_contacts(database, load_test_numbers(persons_dir))
    persons = tuple(
        Person(c.personnummer, c.given_name, c.surname)
        for c in contacts
        if c.personnummer in REFERENCE_CONTACTS
    )
    idp = MockIdp(IdpConfig(keys=load_idp_keys(state / "idp"), persons=persons))
    idp_url, stop_idp = start(idp.wsgi_app, 0, None)
    idp.rebase(idp_url)
    sp_port = _free_port()
    config = reference_sp_config(idp.metadata(), state / "sp", f"https://127.0.0.1:{sp_port}")
    assert config.db_path == database
    tls = load_or_create_tls(state / "sp" / "tls")
    sp_url, stop_sp = start(create_app(config), sp_port, server_tls_context(tls.server_cert, tls.server_key))
    idp.register_sp(parse_sp_metadata(sp_metadata(config)))
    where = {"idp": idp_url, "sp": sp_url, "entity_id": config.entity_id, "ca": str(tls.ca_cert)}
    print(json.dumps({**where, "persons": [p.personnummer for p in persons]}), flush=True)
    sys.stdin.read()
    stop_sp()
    stop_idp()


# -- the browsers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stack:
    idp: str
    sp: str
    entity_id: str
    ca: str
    persons: list[str]


def login(session: requests.Session, stack: Stack, personnummer: str) -> float:
    """One whole login; returns its wall time in seconds (raises if any step is not as expected)."""
    from harness.browser import find_auto_post_form

    started = time.perf_counter()
    session.cookies.clear()
    picker = session.get(f"{stack.idp}/unsolicited", params={"sp": stack.entity_id}, timeout=10)
    found = _PENDING.search(picker.text)
    assert picker.status_code == 200 and found is not None, picker.status_code
    chosen = {"pending": found.group(1), "person": personnummer, "action": "login"}
    answer = session.post(f"{stack.idp}/login", data=chosen, timeout=10)
    form = find_auto_post_form(answer.text, answer.url)
    assert form is not None, answer.status_code
    acs = session.post(form.action, data=form.fields, allow_redirects=False, verify=stack.ca, timeout=10)
    assert acs.status_code == 303, acs.status_code
    probe = session.get(f"{stack.sp}/whoami", verify=stack.ca, timeout=10)
    assert probe.json()["personnummer"] == personnummer
    return time.perf_counter() - started


@dataclass(frozen=True)
class Round:
    layer: str
    logins: int
    wall_s: float
    latencies: list[float]


def measure(stack: Stack, clients: int, logins: int) -> tuple[float, list[float]]:
    """``logins`` logins by ``clients`` browsers at once: (wall seconds, each login's seconds)."""
    remaining = iter(range(logins))
    lock = threading.Lock()
    latencies: list[float] = []

    def browser(index: int) -> None:
        with requests.Session() as session:
            session.trust_env = False
            while True:
                with lock:
                    turn = next(remaining, None)
                if turn is None:
                    return
                took = login(session, stack, stack.persons[(index + turn) % len(stack.persons)])
                with lock:
                    latencies.append(took)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(browser, range(clients)))
    return time.perf_counter() - started, latencies


def one_round(layer: str, args: argparse.Namespace, state: Path) -> Round:
    command = [
        sys.executable,
        __file__,
        "--serve",
        layer,
        "--state",
        str(state),
        "--persons",
        str(args.persons),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        stack = Stack(**json.loads(process.stdout.readline()))
        measure(stack, args.clients, args.clients * 4)  # warm up: connections, caches
        wall, latencies = measure(stack, args.clients, args.logins)
    finally:
        process.communicate("", timeout=30)
    return Round(layer, args.logins, wall, latencies)


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(rounds: list[Round], clients: int) -> None:
    figures: dict[str, tuple[float, float, float]] = {}
    for layer in LAYERS:
        mine = [r for r in rounds if r.layer == layer]
        latencies = [t for r in mine for t in r.latencies]
        rate = sum(r.logins for r in mine) / sum(r.wall_s for r in mine)
        figures[layer] = (rate, _percentile(latencies, 0.50) * 1000, _percentile(latencies, 0.95) * 1000)
    per_layer = len(rounds) // len(LAYERS)
    print(
        f"Full logins (IdP picker, ACS, session probe), {clients} clients at once, "
        f"{per_layer} rounds per layer"
    )
    print(f"{'layer':12}{'logins/s':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for layer, (rate, p50, p95) in figures.items():
        print(f"{layer:12}{rate:>10.1f}{p50:>10.1f}{p95:>10.1f}")
    (old_rate, old_p50, old_p95), (new_rate, new_p50, new_p95) = figures["werkzeug"], figures["aiohttp"]
    print(
        f"{'aiohttp/old':12}{new_rate / old_rate:>9.2f}x{new_p50 / old_p50:>9.2f}x{new_p95 / old_p95:>9.2f}x"
    )
    print("the new layer is", "not slower" if new_rate >= old_rate * 0.97 else "SLOWER")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--logins", type=int, default=400, help="logins per round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per layer, alternating")
    parser.add_argument("--persons", type=Path, default=ROOT.parent / "shared" / "data" / "testpersonnummer")
    parser.add_argument("--serve", choices=LAYERS, help=argparse.SUPPRESS)
    parser.add_argument("--state", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.state, args.persons)
        return 0
    with tempfile.TemporaryDirectory(prefix="servers-bench-") as folder:
        rounds = [one_round(layer, args, Path(folder)) for _ in range(args.rounds) for layer in LAYERS]
    report(rounds, args.clients)
    return 0


if __name__ == "__main__":
    sys.exit(main())
