"""``conformance init sp`` writes a template that is a valid target; ``conformance check-target`` finds
what is wrong with a target before a run (every problem, on one screen, exit status 2), including IdP
keys the SP does not trust, and lists the scenarios that will skip with the setting that runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.cli import main
from harness.mock_1177_idp.keys import load_idp_keys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, idp_metadata
from harness.runner import load_target
from tests.support.data import PERSONS_DIR

from .helpers import flawed_reference_sp, with_settings

pytestmark = pytest.mark.slow  # a live reference SP and trial logins


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(["check-target", *args, "--persons", str(PERSONS_DIR)])
    return status, capsys.readouterr().out.splitlines()


def test_init_sp_writes_a_commented_template_that_is_a_valid_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "targets" / "my-sp.toml"
    assert main(["init", "sp", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("\n#") > 30  # every setting explained
    target = load_target("sp", out)
    assert target.sp.clock_skew_seconds == 180 and target.sp.data_urls and len(target.sp.contacts) == 2
    assert main(["init", "sp", "--out", str(out)]) == 2  # never over an existing file
    assert "exists" in capsys.readouterr().err


def test_a_correct_target_passes_with_trial_logins_and_lists_its_skips(
    tmp_path: Path, idp_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with flawed_reference_sp(tmp_path, idp_state) as target:
        given = tmp_path / "idp-metadata.xml"  # what the vendor gave the SP: the state directory's keys
        given.write_bytes(idp_metadata(DEFAULT_IDP_ENTITY_ID, "http://127.0.0.1:1", load_idp_keys(idp_state)))
        status, lines = check(capsys, str(target), "--idp-metadata", str(given))
    assert status == 0, "\n".join(lines)
    assert not any(line.lstrip().startswith(("ERROR", "WARNING")) for line in lines), "\n".join(lines)
    assert any(
        line.strip().startswith("OK      trial login: a login signed with the current key") for line in lines
    )
    # The reference target allows unsolicited login: the case for an SP refusing it will skip, and why.
    assert any(line.strip().startswith("SP-IRT-16D: allow_unsolicited = false") for line in lines), lines


def test_a_deliberately_wrong_target_gets_every_problem_on_one_screen_and_exit_2(
    tmp_path: Path, idp_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt key (data_url), hence no data pages, and IdP keys that are not the ones the SP was given."""
    other_keys = tmp_path / "other-idp"
    load_idp_keys(other_keys)  # a fresh key pair: not what the SP trusts
    with flawed_reference_sp(tmp_path, idp_state) as target:
        text = target.read_text(encoding="utf-8").replace("data_urls = ", "data_url = ")
        target.write_text(
            re.sub(r'state_dir = "[^"]*"', f'state_dir = "{other_keys}"', text), encoding="utf-8"
        )
        given = tmp_path / "idp-metadata.xml"
        given.write_bytes(idp_metadata(DEFAULT_IDP_ENTITY_ID, "http://127.0.0.1:1", load_idp_keys(idp_state)))
        status, lines = check(capsys, str(target), "--idp-metadata", str(given))
        live_status, live_lines = check(capsys, str(target))  # no metadata given: the trial login finds it
    screen = "\n".join(lines)
    assert status == 2 and len(lines) <= 25, screen
    assert "[sp] setting 'data_url' is not known (did you mean 'data_urls'?)" in screen
    assert "data pages: data_urls is empty" in screen
    assert "IdP keys: the signing keys in" in screen and str(other_keys) in screen
    assert screen.rstrip().endswith("fix the errors before a run (exit status 2)")
    live = "\n".join(live_lines)
    assert live_status == 2 and "ERROR   trial login: your SP did not log in" in live, live
    assert "conformance idp metadata --target" in live


def test_a_target_without_the_skew_says_what_is_assumed(
    tmp_path: Path, idp_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with flawed_reference_sp(tmp_path, idp_state) as target:
        text = with_settings(target.read_text(encoding="utf-8"), {"clock_skew_seconds": "180"})
        target.write_text(text.replace("clock_skew_seconds = 180\n", ""), encoding="utf-8")
        status, lines = check(capsys, str(target), "--no-login")
    assert status == 0
    assert any("WARNING clock skew: not set: 180 s assumed" in line for line in lines), lines
