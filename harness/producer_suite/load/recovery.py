"""Did the producer recover after the ramp (Inera 6.2)? The recovery window against the baseline.

Inera's load cases 6.x include recovery after a ramp from 10 to 100 threads: after the peak, back
at the baseline load, the producer should answer as it did before the ramp. Judged per window of
the run (the profile's phases, skipping the first seconds of each while callers start or stop, and
the last second of the baseline, whose calls may still be in flight when the ramp starts):
the recovery window's error rate may exceed the baseline's by at most ``error_rate_slack``, and
its p95 latency may be at most ``latency_factor`` times the baseline's (or the baseline's plus
``latency_slack_ms``, whichever is larger, so a 2 ms baseline does not make 5 ms a failure).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.recorder import percentile
from harness.producer_suite.load.result import LoadResult

__all__ = ["LoadWindow", "RecoveryAssessment", "RecoveryRule", "assess_recovery", "window"]


@dataclass(frozen=True, slots=True)
class LoadWindow:
    """The requests that started within [start_s, end_s) of a load run."""

    name: str
    start_s: float
    end_s: float
    requests: int
    errors: int
    p50_ms: float | None  # None when no answer in the window was timed
    p95_ms: float | None

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    def describe(self) -> str:
        latency = (
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms" if self.p95_ms is not None else "no answers"
        )
        return (
            f"{self.name} ({self.start_s:.0f}-{self.end_s:.0f} s): {self.requests} requests, "
            f"{self.errors} errors ({100 * self.error_rate:.2f} %), {latency}"
        )


@dataclass(frozen=True, slots=True)
class RecoveryRule:
    settle_s: float = 10.0  # skipped at the start of each window while callers start or stop
    edge_s: float = 1.0  # left out at the end of the baseline: calls still in flight when the ramp starts
    error_rate_slack: float = 0.005  # 0.5 percentage points
    latency_factor: float = 2.0
    latency_slack_ms: float = 50.0


@dataclass(frozen=True, slots=True)
class RecoveryAssessment:
    baseline: LoadWindow
    peak: LoadWindow
    recovery: LoadWindow
    problems: tuple[str, ...]  # empty when the producer recovered

    @property
    def recovered(self) -> bool:
        return not self.problems


def window(result: LoadResult, name: str, start_s: float, end_s: float) -> LoadWindow:
    """The requests of ``result`` that started in [start_s, end_s), with their latency percentiles."""
    requests = errors = 0
    merged: Counter[int] = Counter()
    for index, interval in enumerate(result.intervals):
        if not start_s <= interval.start_s < end_s:
            continue
        requests += interval.requests
        errors += interval.errors
        if index < len(result.histograms):
            merged.update(dict(result.histograms[index]))
    if not merged:
        return LoadWindow(name, start_s, end_s, requests, errors, None, None)
    return LoadWindow(
        name,
        start_s,
        end_s,
        requests,
        errors,
        float(percentile(merged, 0.5)),
        float(percentile(merged, 0.95)),
    )


def assess_recovery(
    result: LoadResult, profile: LoadProfile, rule: RecoveryRule = RecoveryRule()
) -> RecoveryAssessment:
    """Compare the recovery phase with the baseline phase (a profile from ``LoadProfile.recovery``)."""
    phases = {phase.name: phase for phase in profile.phases()}
    missing = {"baseline", "peak", "recovery"} - set(phases)
    if missing:
        raise ValueError(f"profile {profile.name!r} has no {', '.join(sorted(missing))} stage")
    base, recovery = phases["baseline"], phases["recovery"]
    settle_base = min(rule.settle_s, (base.end_s - base.start_s) / 2)
    settle_recovery = min(rule.settle_s, (recovery.end_s - recovery.start_s) / 2)
    base_end = (
        base.end_s - rule.edge_s if base.end_s - rule.edge_s > base.start_s + settle_base else base.end_s
    )
    baseline = window(result, "baseline", base.start_s + settle_base, base_end)
    peak_start = phases["ramp"].start_s if "ramp" in phases else phases["peak"].start_s
    peak = window(result, "ramp and peak", peak_start, phases["peak"].end_s)
    after = window(result, "recovery", recovery.start_s + settle_recovery, recovery.end_s)
    return RecoveryAssessment(baseline, peak, after, _problems(baseline, after, rule))


def _problems(baseline: LoadWindow, after: LoadWindow, rule: RecoveryRule) -> tuple[str, ...]:
    if after.requests == 0 or after.p95_ms is None:
        return ("no answers at all in the recovery window",)
    problems = []
    if after.error_rate > baseline.error_rate + rule.error_rate_slack:
        problems.append(
            f"error rate after the ramp {100 * after.error_rate:.2f} %, "
            f"before it {100 * baseline.error_rate:.2f} %"
        )
    if baseline.p95_ms is not None:
        allowed = max(baseline.p95_ms * rule.latency_factor, baseline.p95_ms + rule.latency_slack_ms)
        if after.p95_ms > allowed:
            problems.append(
                f"p95 latency after the ramp {after.p95_ms:.0f} ms, before it {baseline.p95_ms:.0f} ms "
                f"(at most {allowed:.0f} ms counts as recovered)"
            )
    return tuple(problems)
