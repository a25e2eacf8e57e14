"""Results of a run: one verdict per scenario, with its evidence, and the run's exit status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from harness.core.exchange import Exchange
from harness.core.findings import Finding, Verdict
from harness.core.measurements import LoadSummary
from harness.core.scenario import ScenarioSpec

__all__ = ["EXIT_CONFIG", "EXIT_FAILED", "EXIT_OK", "RunResult", "ScenarioResult", "TargetSummary"]

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2  # a fixed interface: CI systems rely on it


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    spec: ScenarioSpec
    verdict: Verdict
    message: str
    findings: tuple[Finding, ...] = ()
    evidence: tuple[Exchange, ...] = ()
    duration_s: float = 0.0
    waiver_justification: str = ""
    measurements: tuple[LoadSummary, ...] = ()

    def waived(self, justification: str) -> ScenarioResult:
        return replace(self, verdict=Verdict.WAIVED, waiver_justification=justification)


@dataclass(frozen=True, slots=True)
class TargetSummary:
    """What the report says about the system under test (no secrets, no key material)."""

    name: str
    suite: str
    source: str
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RunResult:
    tool_name: str
    tool_version: str
    target: TargetSummary
    started: datetime
    finished: datetime
    scenarios: tuple[ScenarioResult, ...]
    notes: tuple[str, ...] = field(default=())  # e.g. expired or stale waivers

    def summary(self) -> dict[str, int]:
        counts = Counter(r.verdict for r in self.scenarios)
        return {verdict.value: counts.get(verdict, 0) for verdict in Verdict}

    def exit_status(self) -> int:
        """0 when every MUST scenario passed (or is waived/skipped), 1 on any fail or error."""
        failed = any(r.verdict in (Verdict.FAIL, Verdict.ERROR) for r in self.scenarios)
        return EXIT_FAILED if failed else EXIT_OK
