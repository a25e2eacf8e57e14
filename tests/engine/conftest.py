"""Throwaway scenarios and a target file for the engine's tests (run in a pytester directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.mock_1177_idp.keys import IdpKeys

# One scenario per way a scenario can end; ids start with ENG- so -k can pick them.
THROWAWAY_SCENARIOS = """
from datetime import UTC, datetime

import pytest

from harness.mock_1177_idp.keys import IdpKeys

from harness.core.exchange import Direction, Exchange
from harness.core.findings import Level, mismatch, observed
from harness.core.scenario import scenario


def _post_to_acs(record):
    recorder = record.recorder
    return recorder.add(
        Exchange(
            id=recorder.next_id(), direction=Direction.OUTGOING, method="POST", url="http://127.0.0.1:9/acs",
            request_headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            request_body=b"SAMLResponse=PHNhbWxwOlJlc3BvbnNlLz4=", status=302, response_headers=(),
            response_body=b"", started=datetime.now(UTC), elapsed_ms=1.5,
        )
    )


@scenario(id="ENG-PASS", title="valid response accepted", suite="sp", area="engine", refs=["Profiles 4.1.4"])
def test_valid_response_is_accepted(record):
    _post_to_acs(record)
    record.add([observed("login", "session established")])


@scenario(id="ENG-FAIL", title="wrong audience rejected", suite="sp", area="engine", refs=["Core 2.5.1.4"])
def test_wrong_audience_is_rejected(record):
    exchange = _post_to_acs(record)
    record.add([mismatch("audience", "Conditions/AudienceRestriction", "rejected", "accepted",
                         ref="Core 2.5.1.4", exchange_ids=(exchange.id,))])


@scenario(id="ENG-ERROR", title="harness crashes", suite="sp", area="engine", refs=["n/a"])
def test_harness_crashes(record):
    raise RuntimeError("connection refused by 127.0.0.1:9")


@scenario(id="ENG-CONTROL", title="negative with failing control", suite="sp", area="engine", refs=["n/a"])
def test_target_that_rejects_everything(record):
    record.positive_control("unmutated response", [mismatch("login", "session", "logged in", "no session")])
    record.add([mismatch("audience", "Audience", "rejected", "accepted")])


@scenario(id="ENG-SKIP", title="not applicable", suite="sp", area="engine", refs=["n/a"])
def test_not_applicable(record):
    pytest.skip("the target declares no login_url (SP-initiated login not offered)")


@scenario(id="ENG-WARN", title="a SHOULD", suite="sp", area="engine", refs=["SC 6.3.5"], level=Level.SHOULD)
def test_should_rule_not_met(record):
    record.add([mismatch("issue_instant", "IssueInstant age", "<= 180 s", "600 s")])


@scenario(id="ENG-CRASH-AFTER-FINDING", title="crash after finding", suite="sp", area="engine", refs=["n/a"])
def test_crash_after_a_finding(record):
    record.add([mismatch("audience", "Audience", "rejected", "accepted")])
    {}["missing"]


@scenario(id="ENG-ASSERT", title="plain assert", suite="sp", area="engine", refs=["n/a"])
def test_plain_assert_fails(record):
    assert 302 == 200, "HTTP status: expected 200, but observed 302"
"""

# A minimal valid SP target (the runner validates it before running); 195006262546 is one of
# Skatteverket's test personnummer.
TARGET = """
[target]
name = "Throwaway SP"
[sp]
entity_id = "http://127.0.0.1:9/metadata"
acs_url = "http://127.0.0.1:9/acs"
metadata = "http://127.0.0.1:9/metadata"
session_probe = { url = "http://127.0.0.1:9/whoami", personnummer_pointer = "/personnummer" }
[[sp.contacts]]
personnummer = "195006262546"
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> Path:
    """A folder holding the throwaway scenarios (pytester also isolates sys.modules and the cwd)."""
    pytester.makepyfile(test_throwaway_scenarios=THROWAWAY_SCENARIOS)
    return pytester.path


@pytest.fixture
def target_file(pytester: pytest.Pytester, idp_keys: IdpKeys) -> Path:
    """The throwaway target, with the IdP keys its (imaginary) SP was given in its state folder."""
    path = pytester.path / "throwaway-sp.toml"
    path.write_text(TARGET, encoding="utf-8")
    state = pytester.path / ".state" / "idp"
    state.mkdir(parents=True)
    for name, pair in (("idp-signing", idp_keys.signing), ("idp-signing-next", idp_keys.next_signing)):
        (state / f"{name}.key").write_bytes(pair.key_pem)
        (state / f"{name}.crt").write_bytes(pair.cert_pem)
    return path
