"""The reference SP passes every scenario (reports written through the runner), and an SP that
rejects everything gets ``error`` on every negative scenario, ``fail`` on every positive MUST one and
``warn`` on every positive SHOULD one."""

from __future__ import annotations

import json
from pathlib import Path

from harness.core.findings import Verdict
from harness.reference_sp.acs import AcsMessage
from harness.reference_sp.rejection import Rejected
from harness.runner import RunOptions, demo_target, run_suite
from tests.support.data import settings

from .helpers import flawed_reference_sp, run_sp_suite

# Scenarios whose Response a conformant SP accepts: against an SP that refuses everything they fail.
POSITIVE = {
    "SP-SIG-01",
    "SP-SIG-03A",  # the reference policy is "either": an Assertion-only signature is accepted
    "SP-SIG-03B",
    "SP-SIG-05",
    "SP-IRT-16C",  # the reference policy allows unsolicited login
    "SP-PNR-20B",
    "SP-PNR-22B",  # a previousPersonalIdentityNumber beside the personnummer changes nothing
    "SP-DATA-24A",
    "SP-ENC-28A",
}
# Positive SHOULD scenarios (tolerance and quality, not security): refusing them is a warning.
POSITIVE_SHOULD = {"SP-TIME-12B", "SP-TIME-12D", "SP-TIME-12F", "SP-PNR-25A", "SP-ENC-28B"}
# The reference target allows unsolicited login, so the case for an SP that refuses it does not apply
# (tests/sp_suite/test_flawed_sps.py runs it against a reference SP configured to refuse it).
NOT_APPLICABLE = {"SP-IRT-16D"}


def reject_everything(message: AcsMessage) -> None:
    raise Rejected("reject_everything", "this SP refuses every Response")


def test_the_reference_sp_passes_every_scenario(tmp_path: Path) -> None:
    run = run_suite("sp", demo_target("sp"), RunOptions(settings=settings(), out_dir=tmp_path / "out"))
    verdicts = {r.spec.id: r.verdict for r in run.scenarios}
    problems = {
        i: (v, r.message) for r in run.scenarios for i, v in [(r.spec.id, r.verdict)] if v != Verdict.PASS
    }
    assert set(problems) == NOT_APPLICABLE, problems
    # A skip's reason names the setting that would run the scenario.
    assert "set allow_unsolicited = false" in problems["SP-IRT-16D"][1]
    assert len(verdicts) >= 60 and run.exit_status() == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["summary"]["pass"] == len(verdicts) - len(NOT_APPLICABLE)


def test_an_sp_that_rejects_everything_gets_errors_and_fails_but_no_pass(
    tmp_path: Path, idp_state: Path
) -> None:
    with flawed_reference_sp(tmp_path, idp_state, validators=(reject_everything,)) as target:
        run = run_sp_suite(target)
    assert not run.ids(Verdict.PASS), run.explain(run.ids(Verdict.PASS))
    assert run.ids(Verdict.FAIL) == POSITIVE, run.explain(run.ids(Verdict.FAIL) ^ POSITIVE)
    assert run.ids(Verdict.WARN) == POSITIVE_SHOULD, run.explain(run.ids(Verdict.WARN) ^ POSITIVE_SHOULD)
    assert run.ids(Verdict.SKIP) == NOT_APPLICABLE
    errors = run.ids(Verdict.ERROR)
    assert errors == set(run.verdicts) - POSITIVE - POSITIVE_SHOULD - NOT_APPLICABLE
    assert all("positive control" in run.messages[i] for i in errors)
