"""Checks over a load run (Inera's load cases 6.x; TKB §4 SLA krav: Svarstid, Samtidighet).

Each judges the whole run from its counts (load_result.py) and points at the kept exchanges: the
failures (up to a cap) and the slowest answer.
"""

from __future__ import annotations

from harness.core.findings import Finding, mismatch, observed
from harness.producer_suite.load.recovery import RecoveryAssessment
from harness.producer_suite.load.result import LoadResult
from harness.producer_suite.registry import producer_check

__all__ = [
    "load_answered_without_errors",
    "load_recovery_windows",
    "load_within_limit",
    "recovered_after_ramp",
]


@producer_check(requirement="PR-R-SLA-16C")
def load_answered_without_errors(result: LoadResult, callers: int) -> list[Finding]:
    """Every call of the run answered with the contract's response: no HTTP error, Fault or timeout."""
    if result.requests == 0:
        return [mismatch("", f"answers to {callers} concurrent callers", "answers", "no call was made")]
    if not result.errors:
        return []
    kinds = "; ".join(f"{kind}: {n}" for kind, n in result.error_kinds)
    return [
        mismatch(
            "",
            f"answers to {callers} concurrent callers",
            f"all {result.requests} calls answered without error",
            f"{result.errors} errors ({kinds})",
            exchange_ids=tuple(x.id for x in result.failure_samples()),
        )
    ]


def _slowest(result: LoadResult) -> tuple[str, ...]:
    slowest = result.slowest()
    return (slowest.id,) if slowest is not None else ()


def _over(result: LoadResult, limit_s: float, what: str) -> list[Finding]:
    over = result.answers_over(limit_s * 1000)
    if not over:
        return []
    return [
        mismatch(
            "",
            "response time under load",
            f"every answer within {limit_s:g} s{what}",
            f"{over} of {result.requests} slower, the slowest {result.latency.max_ms / 1000:.2f} s",
            exchange_ids=_slowest(result),
        )
    ]


@producer_check(requirement="PR-R-SLA-16")
def load_within_limit(result: LoadResult, limit_s: float) -> list[Finding]:
    """Every answer of the run within the domain's response-time limit."""
    return _over(result, limit_s, "")


@producer_check(requirement="PR-R-SLA-16A")
def load_within_agp_wait(result: LoadResult, limit_s: float) -> list[Finding]:
    """Every answer of the run within the aggregating services' wait."""
    return _over(result, limit_s, " (the aggregating services' wait)")


@producer_check(requirement="PR-R-SLA-16R")
def recovered_after_ramp(assessment: RecoveryAssessment) -> list[Finding]:
    """Back at the baseline load, errors and latency as before the ramp."""
    return [
        mismatch("", "answers after the ramp", "as before it", problem) for problem in assessment.problems
    ]


def load_numbers(result: LoadResult, shown_in: str) -> Finding:
    """The run's numbers in one line, for a scenario that judges a run another one shows."""
    latency = result.latency
    return observed(
        "load_numbers",
        f"{result.summary.profile}: {result.requests} calls, {result.errors} errors, "
        f"p50 {latency.p50_ms:.0f} ms, p95 {latency.p95_ms:.0f} ms, p99 {latency.p99_ms:.0f} ms, "
        f"max {latency.max_ms:.0f} ms (the run shown with {shown_in})",
    )


def load_recovery_windows(assessment: RecoveryAssessment) -> list[Finding]:
    """The three windows' numbers, as context for the verdict."""
    windows = (assessment.baseline, assessment.peak, assessment.recovery)
    return [observed("recovery_windows", window.describe()) for window in windows]
