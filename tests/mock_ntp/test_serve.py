"""``conformance ntp serve``: the platform on the configured ports, and everything a vendor needs printed."""

from __future__ import annotations

import ast
import socket
import threading
from pathlib import Path

import requests

import harness.mock_ntp
from harness.cli import main
from harness.mock_ntp.serve import load_platform_settings, serve

_PACKAGE = Path(harness.mock_ntp.__file__).parent


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def test_serve_uses_the_configured_ports_and_prints_addresses_ids_and_certificates(tmp_path: Path) -> None:
    vp, ei, agp = _free_ports(3)
    config = tmp_path / "target.toml"
    config.write_text(f"[platform]\nvp_port = {vp}\nei_port = {ei}\nagp_port = {agp}\n", encoding="utf-8")
    settings = load_platform_settings(config, default_state_dir=tmp_path / "state")
    lines: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(
        target=serve, args=(settings,), kwargs={"schema_dir": None, "print_line": lines.append, "stop": stop}
    )
    worker.start()
    try:
        for _ in range(100):
            if len(lines) >= 2:
                break
            stop.wait(0.1)
        text = "\n".join(lines)
        assert (
            f"https://127.0.0.1:{vp}/vp/" in text and f"http://127.0.0.1:{ei}/ei/Update/1/rivtabp21" in text
        )
        for expected in (
            "TSTNMT2321000156-VP01",
            "TSTNMT2321000156-EI01",
            "TSTNMT2321000156-AGP1",
            "ca.crt",
            "vp.crt",
        ):
            assert expected in text
        assert (tmp_path / "state" / "pki" / "ca.crt").is_file()
        answer = requests.post(f"http://127.0.0.1:{ei}/ei", data=b"<x/>", timeout=5)
        assert answer.status_code == 500 and b"EI000" in answer.content
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive()


def test_cli_refuses_a_misspelt_platform_key(tmp_path: Path, capsys: object) -> None:
    config = tmp_path / "target.toml"
    config.write_text("[platform]\nvp_prot = 1\n", encoding="utf-8")
    assert main(["ntp", "serve", "--config", str(config), "--state-dir", str(tmp_path)]) == 2
    assert "vp_prot" in capsys.readouterr().err  # type: ignore[attr-defined]


def test_the_public_api_is_pinned() -> None:
    assert set(harness.mock_ntp.__all__) == {
        *("ANY_ADDRESS", "ANY_CONSUMER", "DEFAULT_IDENTITIES", "DEFAULT_LIMITS"),
        *("AggregatingServices", "AgpCall", "AgpSettings", "Authorisation", "BoundedRecorder"),
        *("ConsumerAnswer", "EiError", "EiRules", "EiUpdate", "EngagementIndex", "EngagementStore"),
        *("JournalConsumer", "PlatformCertificates", "PlatformConfigError", "PlatformIdentities"),
        *("PlatformSettings", "Route", "RunningPlatform", "StoredUpdate", "Tak", "TakFileError", "Timeouts"),
        *(
            "VirtualisationPlatform",
            "VpCall",
            "VpCode",
            "VpFault",
            "VpSettings",
            "load_tak",
            "parse_tak_toml",
        ),
        *("platform_certificates", "running_platform", "start_platform"),
    }


def test_mock_ntp_imports_no_reference_app_and_no_scenario() -> None:
    for module in _PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert not name.startswith(("harness.reference_", "scenarios", "harness.cli")), (
                    module.name,
                    name,
                )
