"""The report model: a :class:`RunResult` turned into plain text values, and its JSON document.

All three outputs (HTML, JSON, JUnit) render this one model, so masking it once masks them all.
The JSON document keeps the fixed shape of DESIGN.md (``tool``, ``target``, ``started``,
``finished``, ``summary``, ``scenarios[id, title, level, verdict, refs, message, evidence]``) and
adds fields next to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from harness.core.findings import Finding, Verdict
from harness.core.results import RunResult, ScenarioResult
from harness.report.evidence import ExchangeView, MessageView, iso_instant, printable, render_exchange

__all__ = ["AreaCounts", "ReportModel", "ScenarioView", "TargetView", "build_model", "report_document"]

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


def build_model(run: RunResult) -> ReportModel:
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
        scenarios=tuple(_scenario_view(r) for r in run.scenarios),
    )


def _scenario_view(result: ScenarioResult) -> ScenarioView:
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
        evidence=tuple(render_exchange(x) for x in result.evidence),
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


def report_document(model: ReportModel) -> dict[str, Any]:
    """The ``results.json`` document (schema: ``results.schema.json`` beside this module)."""
    return {
        "tool": {"name": model.tool_name, "version": model.tool_version},
        "target": {
            "name": model.target.name,
            "suite": model.target.suite,
            "source": model.target.source,
            "details": dict(model.target.details),
        },
        "started": model.started,
        "finished": model.finished,
        "duration_s": model.duration_s,
        "summary": {verdict.value: n for verdict, n in model.summary},
        "summary_by_area": [
            {"suite": a.suite, "area": a.area, "counts": {v.value: n for v, n in a.counts}}
            for a in model.areas
        ],
        "exit_status": model.exit_status,
        "masked_personal_data": model.masked,
        "notes": list(model.notes),
        "scenarios": [_scenario_document(s) for s in model.scenarios],
    }


def _scenario_document(view: ScenarioView) -> dict[str, Any]:
    return {
        "id": view.id,
        "title": view.title,
        "suite": view.suite,
        "area": view.area,
        "level": view.level,
        "verdict": view.verdict.value,
        "refs": list(view.refs),
        "requirements": list(view.requirements),
        "message": view.message,
        "explanation": view.explanation,
        "waiver_justification": view.waiver_justification,
        "duration_s": view.duration_s,
        "findings": [_finding_document(f) for f in view.findings],
        "evidence": [_exchange_document(x) for x in view.evidence],
    }


def _finding_document(finding: Finding) -> dict[str, Any]:
    return {
        "check": finding.check,
        "severity": finding.severity.value,
        "message": finding.message,
        "element": finding.element,
        "expected": finding.expected,
        "observed": finding.actual,
        "ref": finding.ref,
        "exchange_ids": list(finding.exchange_ids),
    }


def _exchange_document(view: ExchangeView) -> dict[str, Any]:
    return {
        "id": view.id,
        "direction": view.direction,
        "method": view.method,
        "url": view.url,
        "status": view.status,
        "started": view.started,
        "elapsed_ms": view.elapsed_ms,
        "peer": view.peer,
        "tags": list(view.tags),
        "note": view.note,
        "request": _message_document(view.request),
        "response": _message_document(view.response),
        "saml": [
            {
                "parameter": s.parameter,
                "carrier": s.carrier,
                "binding": s.binding,
                "xml": s.xml,
                "pretty_printed": s.pretty,
                "problem": s.problem,
            }
            for s in view.saml
        ],
    }


def _message_document(view: MessageView) -> dict[str, Any]:
    return {
        "headers": [{"name": k, "value": v} for k, v in view.headers],
        "content_type": view.content_type,
        "length": view.length,
        "kind": view.kind.value,
        "body": view.text,
        "truncated": view.truncated,
    }
