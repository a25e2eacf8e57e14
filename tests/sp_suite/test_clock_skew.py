"""The within-skew cases are SHOULD (warn), use the skew the target declares per time window, and say
when the declared skew probably exceeds the SP's own allowance."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.findings import Verdict
from harness.reference_sp import validators as v
from tests.support import flaws

from .helpers import flawed_reference_sp, run_sp_suite

PASS, WARN, SKIP = Verdict.PASS, Verdict.WARN, Verdict.SKIP
TIME = "SP-TIME-12"
ALL_PASS = {f"SP-TIME-12{c}": PASS for c in "ABCDEF"}

pytestmark = pytest.mark.slow  # a live reference SP per case


def test_a_declared_skew_larger_than_the_sps_warns_and_says_so(tmp_path: Path, idp_state: Path) -> None:
    """The SP allows 60 s, the target declares 180: the shifted logins (90 s) are refused."""
    with flawed_reference_sp(tmp_path / "a", idp_state, clock_skew_seconds=60) as target:
        run = run_sp_suite(target, keyword=TIME)
    assert run.verdicts == {**ALL_PASS, "SP-TIME-12B": WARN, "SP-TIME-12D": WARN, "SP-TIME-12F": WARN}
    for scenario in ("SP-TIME-12B", "SP-TIME-12D", "SP-TIME-12F"):
        notes = run.notes[scenario]
        assert any(n.startswith("clock_skew_seconds = 180") and "probably more than" in n for n in notes), (
            notes
        )
    with flawed_reference_sp(
        tmp_path / "b", idp_state, sp_settings={"clock_skew_seconds": "60"}, clock_skew_seconds=60
    ) as target:
        assert run_sp_suite(target, keyword=TIME).verdicts == ALL_PASS


def test_a_skew_declared_per_window_fits_an_sp_with_different_allowances(
    tmp_path: Path, idp_state: Path
) -> None:
    """The SP allows 180 s on Conditions and none on SubjectConfirmationData (as python3-saml does)."""
    strict = flaws.replacing(v.check_confirmation_expiry, flaws.check_confirmation_expiry_without_skew)
    with flawed_reference_sp(tmp_path / "a", idp_state, validators=strict) as target:
        uniform = run_sp_suite(target, keyword=TIME)
    assert uniform.verdicts == {**ALL_PASS, "SP-TIME-12F": WARN}, uniform.explain(set(uniform.verdicts))
    assert any("probably more than" in n for n in uniform.notes["SP-TIME-12F"])
    per_window = {"clock_skew_seconds": "180\nsubject_confirmation_skew_seconds = 0"}
    with flawed_reference_sp(tmp_path / "b", idp_state, sp_settings=per_window, validators=strict) as target:
        run = run_sp_suite(target, keyword=TIME)
    assert run.verdicts == {**ALL_PASS, "SP-TIME-12F": SKIP}, run.explain(set(run.verdicts))
    assert "subject_confirmation_skew_seconds" in run.messages["SP-TIME-12F"]  # the skip names the setting
