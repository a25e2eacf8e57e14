"""`serve reference-sp` and `idp serve` run an app on its own until Ctrl-C, and say where it is."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from harness.cli import main

RUN_CLI = "import sys; from harness.cli import main; sys.exit(main())"


def start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start a serving command; return it and the "name: value" lines it printed before blocking."""
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    printed: dict[str, str] = {}
    for line in process.stdout:
        if line.startswith("Ctrl-C"):
            return process, printed
        name, _, value = line.strip().partition(": ")
        printed[name] = value.strip()
    _, errors = process.communicate(timeout=10)
    raise AssertionError(f"the command ended early with {process.returncode}: {errors}")


def test_serve_reference_sp_prints_its_urls_serves_metadata_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    idp_metadata = tmp_path / "idp.xml"
    assert main(["idp", "metadata", "--base-url", "http://127.0.0.1:8443", "--out", str(idp_metadata),
                 "--state-dir", str(tmp_path / "idp")]) == 0  # fmt: skip
    process, printed = start(
        "serve", "reference-sp", "--port", "0", "--idp-metadata", str(idp_metadata),
        "--state-dir", str(tmp_path / "sp"),
    )  # fmt: skip
    try:
        assert printed["entityID"].startswith("https://127.0.0.1:") and printed["entityID"].endswith(
            "/metadata"
        )
        assert printed["ACS"] == printed["entityID"].removesuffix("/metadata") + "/acs"
        response = requests.get(printed["metadata"], verify=printed["TLS CA"], timeout=10)
        assert response.status_code == 200 and printed["entityID"].encode() in response.content
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)  # also closes the pipes
    assert process.returncode == 0


def test_serve_reference_sp_with_unusable_idp_metadata_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "idp.xml"
    bad.write_text("<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "serve", "reference-sp", "--port", "0", "--idp-metadata", str(bad),
         "--state-dir", str(tmp_path / "sp")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(f"serve reference-sp: {bad}: IdP metadata is not safe XML")


SP_METADATA = """<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.test/metadata">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService index="0" Location="https://127.0.0.1:9443/acs"
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_idp_serve_serves_the_same_metadata_as_idp_metadata_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    sp_metadata = tmp_path / "sp.xml"
    sp_metadata.write_text(SP_METADATA, encoding="utf-8")
    state = ["--state-dir", str(tmp_path / "idp")]
    assert main(["idp", "metadata", "--base-url", base_url, "--out", str(tmp_path / "idp.xml"), *state]) == 0
    process, printed = start(
        "idp", "serve", "--base-url", base_url, "--sp-metadata", str(sp_metadata), *state
    )
    try:
        assert printed["metadata"] == f"{base_url}/metadata"
        assert printed["SP"] == "https://sp.test/metadata (ACS https://127.0.0.1:9443/acs)"
        served = requests.get(printed["metadata"], timeout=10)
        assert served.status_code == 200 and served.content == (tmp_path / "idp.xml").read_bytes()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    assert process.returncode == 0


def test_idp_serve_with_unusable_sp_metadata_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "sp.xml"
    bad.write_text("<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata'/>", encoding="utf-8")
    args = ["idp", "serve", "--base-url", "http://127.0.0.1:1", "--sp-metadata", str(bad)]
    assert main([*args, "--state-dir", str(tmp_path / "idp")]) == 2
    assert capsys.readouterr().err.startswith("idp serve: SP metadata: ")


def test_idp_serve_offers_the_given_test_persons_in_the_picker(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    sp_metadata = tmp_path / "sp.xml"
    sp_metadata.write_text(SP_METADATA, encoding="utf-8")
    # 195006262546: Skatteverket test personnummer (also Sweden Connect's example).
    process, _ = start(
        "idp", "serve", "--base-url", base_url, "--sp-metadata", str(sp_metadata),
        "--person", "195006262546", "--state-dir", str(tmp_path / "idp"),
    )  # fmt: skip
    try:
        picker = requests.get(
            f"{base_url}/unsolicited", params={"sp": "https://sp.test/metadata"}, timeout=10
        )
        assert picker.status_code == 200 and "195006262546" in picker.text
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


def test_idp_serve_refuses_a_person_who_is_no_skatteverket_test_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 191212121212 is valid but the documentation example, not a test personnummer: it may be a real person.
    args = ["idp", "serve", "--base-url", "http://127.0.0.1:1", "--person", "191212121212"]
    assert main([*args, "--state-dir", str(tmp_path / "idp")]) == 2
    err = capsys.readouterr().err
    assert "not Skatteverket test personnummer" in err and "191212121212" not in err
