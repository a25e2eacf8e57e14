"""The plugin turns how a scenario ended into one verdict, with its evidence (DESIGN.md, scenario model)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.core.findings import Verdict
from harness.core.results import EXIT_FAILED, EXIT_OK, RunResult, ScenarioResult, TargetSummary
from harness.runner import load_target, run_scenarios
from tests.support.data import settings


def by_id(results: tuple[ScenarioResult, ...]) -> dict[str, ScenarioResult]:
    return {r.spec.id: r for r in results}


@pytest.fixture
def results(suite: Path, target_file: Path) -> dict[str, ScenarioResult]:
    verdicts, _ = run_scenarios([suite], load_target("sp", target_file), settings())
    return by_id(verdicts)


def run_of(*results: ScenarioResult) -> RunResult:
    now = datetime.now(UTC)
    return RunResult("conformance", "0", TargetSummary("t", "sp", "t.toml"), now, now, results)


def test_every_throwaway_scenario_gets_exactly_one_verdict(results: dict[str, ScenarioResult]) -> None:
    assert sorted(results) == [
        "ENG-ASSERT", "ENG-CONTROL", "ENG-CRASH-AFTER-FINDING", "ENG-ERROR", "ENG-FAIL", "ENG-PASS",
        "ENG-SKIP", "ENG-WARN",
    ]  # fmt: skip
    assert results["ENG-PASS"].verdict is Verdict.PASS


def test_a_failing_check_gives_fail_with_its_finding_and_evidence(results: dict[str, ScenarioResult]) -> None:
    failed = results["ENG-FAIL"]
    assert failed.verdict is Verdict.FAIL
    assert failed.message == "Conditions/AudienceRestriction: expected rejected, but observed accepted"
    (finding,) = failed.findings
    assert finding.ref == "Core 2.5.1.4" and finding.expected == "rejected" and finding.actual == "accepted"
    (exchange,) = failed.evidence
    assert finding.exchange_ids == (exchange.id,)
    assert exchange.url == "http://127.0.0.1:9/acs" and exchange.request_body.startswith(b"SAMLResponse=")


def test_a_harness_assert_is_an_error_never_a_vendors_fail(results: dict[str, ScenarioResult]) -> None:
    # Only recorded findings fail a system under test; a tripped `assert` is the harness's own bug.
    assert results["ENG-ASSERT"].verdict is Verdict.ERROR
    assert results["ENG-ASSERT"].message == (
        "harness error: AssertionError: HTTP status: expected 200, but observed 302"
    )


def test_a_crash_after_a_recorded_violation_is_an_error_not_a_fail(
    results: dict[str, ScenarioResult],
) -> None:
    crashed = results["ENG-CRASH-AFTER-FINDING"]
    assert crashed.verdict is Verdict.ERROR
    assert crashed.message.startswith("harness error: KeyError")
    assert [f.is_violation for f in crashed.findings] == [True]  # the finding stays visible as evidence


def test_the_plugin_is_loaded_explicitly_without_pytest_autoloading(
    suite: Path, target_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    verdicts, _ = run_scenarios([suite], load_target("sp", target_file), settings(), keyword="ENG-PASS")
    assert [r.verdict for r in verdicts] == [Verdict.PASS]


def test_an_exception_gives_error_never_fail(results: dict[str, ScenarioResult]) -> None:
    crashed = results["ENG-ERROR"]
    assert crashed.verdict is Verdict.ERROR
    assert crashed.message == "harness error: RuntimeError: connection refused by 127.0.0.1:9"


def test_a_negative_scenario_whose_positive_control_fails_is_an_error(
    results: dict[str, ScenarioResult],
) -> None:
    control = results["ENG-CONTROL"]
    assert control.verdict is Verdict.ERROR
    assert control.message.startswith("positive control failed (unmutated response)")
    # The mutated message was never judged: the only finding is the control's, as a note.
    assert [f.message for f in control.findings] == [
        "positive control: session: expected logged in, but observed no session"
    ]
    assert not control.findings[0].is_violation


def test_skip_carries_its_reason(results: dict[str, ScenarioResult]) -> None:
    skipped = results["ENG-SKIP"]
    assert skipped.verdict is Verdict.SKIP
    assert skipped.message == "the target declares no login_url (SP-initiated login not offered)"


def test_a_should_rule_not_met_is_a_warning(results: dict[str, ScenarioResult]) -> None:
    assert results["ENG-WARN"].verdict is Verdict.WARN
    assert results["ENG-WARN"].message == "IssueInstant age: expected <= 180 s, but observed 600 s"


def test_exit_status_is_0_unless_something_failed_or_errored(results: dict[str, ScenarioResult]) -> None:
    assert run_of(results["ENG-PASS"], results["ENG-SKIP"], results["ENG-WARN"]).exit_status() == EXIT_OK
    assert run_of(results["ENG-PASS"], results["ENG-FAIL"]).exit_status() == EXIT_FAILED
    assert run_of(results["ENG-PASS"], results["ENG-ERROR"]).exit_status() == EXIT_FAILED
    assert run_of(results["ENG-CONTROL"]).exit_status() == EXIT_FAILED
    assert run_of(results["ENG-FAIL"].waived("agreed with Inera")).exit_status() == EXIT_OK


def test_k_selects_scenarios_by_id(suite: Path, target_file: Path) -> None:
    verdicts, seen = run_scenarios(
        [suite], load_target("sp", target_file), settings(), keyword="ENG-FAIL or ENG-SKIP"
    )
    assert sorted(by_id(verdicts)) == ["ENG-FAIL", "ENG-SKIP"]
    assert len(seen) == 8  # deselected scenarios are still known (waivers for them are not "unknown")


def test_k_selects_scenarios_by_function_name(suite: Path, target_file: Path) -> None:
    verdicts, _ = run_scenarios([suite], load_target("sp", target_file), settings(), keyword="audience")
    assert list(by_id(verdicts)) == ["ENG-FAIL"]
