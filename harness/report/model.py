"""The report model: a :class:`RunResult` turned into plain text values.

All three outputs (HTML, JSON, JUnit) render this one model, so masking it once masks them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from harness.core.findings import Finding, Verdict
from harness.core.measurements import LoadSummary
from harness.core.results import RunResult, ScenarioResult
from harness.report.decoding import EvidenceDecoder
from harness.report.evidence import ExchangeView, iso_instant, printable, render_exchange

__all__ = ["AreaCounts", "ReportModel", "ScenarioView", "TargetView", "build_model"]

# Verdicts whose scenario broke its rule: the report explains what that means in plain words.
EXPLAINED_VERDICTS = frozenset({Verdict.FAIL, Verdict.WARN, Verdict.WAIVED})


@dataclass(frozen=True, slots=True)
class TargetView:
    name: str
    suite: str
    source: str
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ScenarioView:
    id: str
    title: str
    suite: str
    area: str
    level: str
    verdict: Verdict
    refs: tuple[str, ...]
    requirements: tuple[str, ...]
    message: str
    explanation: str  # shown for a broken rule only (fail, warn, waived)
    waiver_justification: str
    duration_s: float
    findings: tuple[Finding, ...]
    evidence: tuple[ExchangeView, ...]
    measurements: tuple[LoadSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class AreaCounts:
    suite: str
    area: str
    counts: tuple[tuple[Verdict, int], ...]  # every verdict, in Verdict order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True, slots=True)
class ReportModel:
    tool_name: str
    tool_version: str
    target: TargetView
    started: str
    finished: str
    duration_s: float
    summary: tuple[tuple[Verdict, int], ...]
    areas: tuple[AreaCounts, ...]
    exit_status: int
    notes: tuple[str, ...]
    scenarios: tuple[ScenarioView, ...]
    masked: bool = False


def build_model(run: RunResult, decoders: Sequence[EvidenceDecoder] = ()) -> ReportModel:
    summary = run.summary()
    return ReportModel(
        tool_name=run.tool_name,
        tool_version=run.tool_version,
        target=TargetView(
            name=printable(run.target.name),
            suite=printable(run.target.suite),
            source=printable(run.target.source),
            details=tuple((printable(k), printable(v)) for k, v in run.target.details),
        ),
        started=iso_instant(run.started),
        finished=iso_instant(run.finished),
        duration_s=round((run.finished - run.started).total_seconds(), 3),
        summary=tuple((verdict, summary[verdict.value]) for verdict in Verdict),
        areas=_area_counts(run.scenarios),
        exit_status=run.exit_status(),
        notes=tuple(printable(n) for n in run.notes),
        scenarios=tuple(_scenario_view(r, decoders) for r in run.scenarios),
    )


def _scenario_view(result: ScenarioResult, decoders: Sequence[EvidenceDecoder]) -> ScenarioView:
    spec = result.spec
    return ScenarioView(
        id=spec.id,
        title=spec.title,
        suite=spec.suite,
        area=spec.area,
        level=spec.level.value,
        verdict=result.verdict,
        refs=spec.refs,
        requirements=spec.requirements,
        message=printable(result.message),
        explanation=spec.explanation if result.verdict in EXPLAINED_VERDICTS else "",
        waiver_justification=printable(result.waiver_justification),
        duration_s=round(result.duration_s, 3),
        findings=tuple(_printable_finding(f) for f in result.findings),
        evidence=tuple(render_exchange(x, decoders) for x in result.evidence),
        measurements=tuple(_printable_summary(m) for m in result.measurements),
    )


def _printable_summary(summary: LoadSummary) -> LoadSummary:
    return replace(
        summary,
        label=printable(summary.label),
        profile=printable(summary.profile),
        error_kinds=tuple((printable(kind), n) for kind, n in summary.error_kinds),
        phases=tuple(replace(p, name=printable(p.name)) for p in summary.phases),
        reference_lines=tuple(replace(r, label=printable(r.label)) for r in summary.reference_lines),
        notes=tuple(printable(n) for n in summary.notes),
    )


def _printable_finding(finding: Finding) -> Finding:
    return Finding(
        check=printable(finding.check),
        message=printable(finding.message),
        severity=finding.severity,
        element=printable(finding.element),
        expected=printable(finding.expected),
        actual=printable(finding.actual),
        ref=printable(finding.ref),
        exchange_ids=tuple(printable(x) for x in finding.exchange_ids),
    )


def _area_counts(results: tuple[ScenarioResult, ...]) -> tuple[AreaCounts, ...]:
    by_area: dict[tuple[str, str], Counter[Verdict]] = {}
    for result in results:
        by_area.setdefault((result.spec.suite, result.spec.area), Counter())[result.verdict] += 1
    return tuple(
        AreaCounts(suite, area, tuple((v, counts.get(v, 0)) for v in Verdict))
        for (suite, area), counts in sorted(by_area.items())
    )
