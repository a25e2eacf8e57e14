"""The `conformance` command: help with an example everywhere, exit status 0/1/2, clear stderr messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import runner
from harness.cli import build_parser, main
from harness.runner import demo_target, load_target
from tests.support.data import PERSONS_DIR

TARGET_WITH_IDP = """
[idp]
base_url = "http://127.0.0.1:18443"
state_dir = "{state_dir}"
[sp]
entity_id = "http://127.0.0.1:9/metadata"
acs_url = "http://127.0.0.1:9/acs"
metadata = "http://127.0.0.1:9/metadata"
session_probe = {{ url = "http://127.0.0.1:9/whoami", personnummer_pointer = "/personnummer" }}
[[sp.contacts]]
personnummer = "195006262546"
"""

COMMANDS = [
    ["demo"], ["run"], ["run", "sp"], ["run", "producer"], ["coverage"], ["idp"], ["idp", "metadata"],
    ["idp", "serve"], ["serve"],
    ["serve", "reference-sp"], ["serve", "reference-producer"], ["ntp"], ["ntp", "serve"], ["pki"],
    ["pki", "init"], ["contracts"], ["validate"],
]  # fmt: skip


@pytest.fixture
def sp_suite(suite: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(runner, "suite_dir", lambda name: suite)
    return suite


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_on_every_command_explains_it_with_an_example(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([*command, "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert f"usage: conformance {' '.join(command)}" in text
    assert "Example:\n  conformance " + " ".join(command) in text  # a group's example uses one of its actions


def test_unknown_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "idp"])
    assert exited.value.code == 2
    assert "invalid choice: 'idp'" in capsys.readouterr().err


def test_run_sp_help_is_the_sp_suites_own(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "sp", "--help"])
    text = capsys.readouterr().out
    assert "[sp] section describes" in text and "--target FILE" in text and "producer" not in text


@pytest.mark.parametrize(
    ("keyword", "status"),
    [
        ("ENG-PASS", 0),
        ("ENG-PASS or ENG-SKIP or ENG-WARN", 0),
        ("ENG-FAIL", 1),
        ("ENG-ERROR", 1),
        ("ENG-CONTROL", 1),
    ],
)
def test_run_exits_0_only_when_nothing_failed_or_errored(
    keyword: str, status: int, sp_suite: Path, target_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert main(["run", "sp", "--target", str(target_file), "--out", str(out), "-k", keyword]) == status
    assert (out / "results.json").is_file()


def test_run_prints_counts_failures_and_the_report_path(
    sp_suite: Path, target_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    main(["run", "sp", "--target", str(target_file), "--out", str(out), "-k", "ENG-FAIL or ENG-PASS"])
    printed = capsys.readouterr().out
    assert "2 scenarios (sp): pass 1, fail 1" in printed
    assert (
        "  fail   ENG-FAIL: Conditions/AudienceRestriction: expected rejected, but observed accepted"
        in printed
    )
    assert f"report: {out / 'report.html'}" in printed


def test_run_with_a_missing_target_exits_2_with_a_message(
    sp_suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "sp", "--target", str(tmp_path / "missing.toml")]) == 2
    assert f"run sp: target file {tmp_path / 'missing.toml'} does not exist" in capsys.readouterr().err


def test_run_selecting_nothing_exits_2(
    sp_suite: Path, target_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "sp", "--target", str(target_file), "--out", str(tmp_path), "-k", "NOPE"]) == 2
    assert "run sp: no scenarios selected by -k 'NOPE': nothing was run" in capsys.readouterr().err


def test_run_with_waivers_follows_them(
    sp_suite: Path, target_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nscenario = "ENG-FAIL"\njustification = "godkänd avvikelse, Inera 2026-17"\n'
        "expires = 2999-12-31\n"
        '[[waiver]]\nscenario = "ENG-PASS"\njustification = "was broken"\nexpires = 2999-12-31\n',
        encoding="utf-8",
    )
    args = [
        "run",
        "sp",
        "--target",
        str(target_file),
        "--out",
        str(tmp_path / "out"),
        "--waivers",
        str(waivers),
    ]
    assert main([*args, "-k", "ENG-FAIL or ENG-PASS"]) == 0
    printed = capsys.readouterr().out
    assert "  waived ENG-FAIL: godkänd avvikelse, Inera 2026-17" in printed
    assert "note: stale waiver: ENG-PASS now passes; remove it" in printed
    expired = waivers.read_text(encoding="utf-8").replace("2999-12-31", "2001-01-01", 1)
    waivers.write_text(expired, encoding="utf-8")
    assert main([*args, "-k", "ENG-FAIL"]) == 1
    assert (
        "note: waiver for ENG-FAIL expired on 2001-01-01; its verdict stays fail" in capsys.readouterr().out
    )


def test_a_waiver_file_without_expiry_exits_2(
    sp_suite: Path, target_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nscenario = "ENG-FAIL"\njustification = "agreed"\n', encoding="utf-8")
    assert main(["run", "sp", "--target", str(target_file), "--waivers", str(waivers)]) == 2
    assert "`expires` must be a date" in capsys.readouterr().err


def test_demo_writes_one_combined_report(
    sp_suite: Path, target_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(runner, "demo_target", lambda name: target_file)
    assert main(["demo", "--out", str(tmp_path / "latest")]) == 1
    printed = capsys.readouterr().out
    assert f"report: {tmp_path / 'latest' / 'report.html'}" in printed
    results = json.loads((tmp_path / "latest" / "results.json").read_text(encoding="utf-8"))
    assert len(results["scenarios"]) == 8


@pytest.mark.parametrize(
    ("command", "label"),
    [
        (["ntp", "serve"], "ntp serve"),
        (["run", "producer", "--target", "targets/reference-producer.toml"], "run producer"),
    ],
)
def test_commands_whose_issue_has_not_landed_say_so_and_exit_2(
    command: list[str], label: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "t.toml"
    target.write_text('[target]\nname = "producer"\n', encoding="utf-8")
    command = [str(target) if part.endswith(".toml") else part for part in command]
    assert main(command) == 2
    assert capsys.readouterr().err == (
        f"{label}: not available in this version (it arrives with the producer suite, the reference "
        "producer and the mock NTjP)\n"
    )


def test_pki_init_writes_the_keys_and_certificates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pki", "init", "--out", str(tmp_path / "pki")]) == 0
    listed = [
        line.split(maxsplit=1) for line in capsys.readouterr().out.splitlines() if line.startswith("  /")
    ]
    purposes = {Path(path).name: purpose for path, purpose in listed}
    assert all(Path(path).is_file() for path, _ in listed)
    assert {
        "idp-signing.crt",
        "ca.crt",
        "ca.key",
        "server.crt",
        "vp.crt",
        "consumer-1177.crt",
    } <= purposes.keys()
    assert "TSTNMT2321000156-VP01" in purposes["vp.crt"] and "trust" in purposes["ca.crt"]


def test_idp_metadata_publishes_two_signing_keys_that_persist(tmp_path: Path) -> None:
    from lxml import etree

    args = ["idp", "metadata", "--base-url", "http://127.0.0.1:8443", "--state-dir", str(tmp_path / "state")]
    assert main([*args, "--out", str(tmp_path / "first.xml")]) == 0
    assert main([*args, "--out", str(tmp_path / "second.xml")]) == 0
    ns = {"md": "urn:oasis:names:tc:SAML:2.0:metadata", "ds": "http://www.w3.org/2000/09/xmldsig#"}
    first = etree.parse(str(tmp_path / "first.xml"))
    signing = first.findall(".//md:KeyDescriptor[@use='signing']//ds:X509Certificate", ns)
    assert len(signing) == 2 and signing[0].text != signing[1].text  # current and next (rollover)
    assert (tmp_path / "first.xml").read_bytes() == (tmp_path / "second.xml").read_bytes()  # same keys
    sso = first.findall(".//md:SingleSignOnService", ns)
    assert {s.get("Location", "").rsplit("/", 2)[0] for s in sso} == {"http://127.0.0.1:8443"}


def test_idp_metadata_from_a_target_uses_its_state_dir_relative_to_the_target_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "targets"
    folder.mkdir()
    target = folder / "my-sp.toml"
    target.write_text(TARGET_WITH_IDP.format(state_dir=".state/idp"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the working directory is not the target's folder
    assert main(["idp", "metadata", "--target", str(target), "--out", str(tmp_path / "m.xml")]) == 0
    assert (folder / ".state" / "idp" / "idp-signing.key").is_file()
    assert not (tmp_path / ".state").exists()
    loaded = load_target("sp", target)
    assert loaded.idp.state_dir == folder / ".state" / "idp"


def test_a_vendor_target_without_idp_keys_is_a_configuration_error_not_fresh_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "my-sp.toml"
    target.write_text(TARGET_WITH_IDP.format(state_dir="keys"), encoding="utf-8")
    assert main(["run", "sp", "--target", str(target), "--out", str(tmp_path / "out")]) == 2
    assert "holds no IdP signing keys" in capsys.readouterr().err
    assert not (tmp_path / "keys").exists()


def test_idp_metadata_refuses_a_base_url_off_loopback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.xml"
    assert main(["idp", "metadata", "--base-url", "https://idp.example.com", "--out", str(out)]) == 2
    assert "idp metadata: --base-url must be http://127.0.0.1:PORT" in capsys.readouterr().err
    assert not out.exists()


def test_the_persons_option_wins_over_a_bad_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reproduction: TESTPERSONNUMMER_DIR=/nonexistent with a valid --persons used to make every
    # scenario `error`, because the mock IdP and the reference SP re-read the variable.
    monkeypatch.setenv("TESTPERSONNUMMER_DIR", str(tmp_path / "nonexistent"))
    out = tmp_path / "out"
    args = [
        "run",
        "sp",
        "--target",
        str(demo_target("sp")),
        "--out",
        str(out),
        "-k",
        "SP-SIG-01 or SP-DATA-24A",
    ]
    assert main([*args, "--persons", str(PERSONS_DIR)]) == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [s["verdict"] for s in results["scenarios"]] == ["pass", "pass"]


def test_a_persons_folder_without_the_lists_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "run",
        "sp",
        "--target",
        str(demo_target("sp")),
        "--persons",
        str(tmp_path),
        "--out",
        str(tmp_path),
    ]
    assert main(args) == 2
    assert f"test personnummer were not found in {tmp_path}; pass --persons DIR" in capsys.readouterr().err
