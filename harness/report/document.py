"""The report model as plain JSON values: ``results.json``, and the evidence inside ``report.html``.

The document keeps the fixed top-level shape that outside tools rely on (``tool``, ``target``,
``started``, ``finished``, ``summary``, ``scenarios[id, title, level, verdict, refs, message,
evidence]``) and adds fields next to it. Every body and decoded text lives once in the
top-level ``bodies`` table (see bodies.py); evidence refers to it by ``body_ref``.
"""

from __future__ import annotations

from typing import Any

from harness.core.findings import Finding
from harness.core.measurements import LoadSummary, Percentiles
from harness.report.bodies import BodyTable
from harness.report.decoding import DecodedPart
from harness.report.evidence import ExchangeView, MessageView
from harness.report.model import ReportModel, ScenarioView

__all__ = ["exchange_document", "load_document", "report_document"]


def report_document(model: ReportModel) -> dict[str, Any]:
    """The ``results.json`` document (schema: ``results.schema.json`` beside this module)."""
    bodies = BodyTable()
    scenarios = [_scenario_document(s, bodies) for s in model.scenarios]
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
        "scenarios": scenarios,
        "bodies": bodies.texts(),
    }


def _scenario_document(view: ScenarioView, bodies: BodyTable) -> dict[str, Any]:
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
        "evidence": [exchange_document(x, bodies) for x in view.evidence],
        "measurements": [load_document(m) for m in view.measurements],
    }


def load_document(summary: LoadSummary) -> dict[str, Any]:
    """A load run's numbers: counts, percentiles, throughput and the per-interval series."""
    return {
        "kind": "load",
        "label": summary.label,
        "profile": summary.profile,
        "duration_s": round(summary.duration_s, 3),
        "requests": summary.requests,
        "errors": summary.errors,
        "error_rate": round(summary.error_rate, 6),
        "error_kinds": [{"kind": kind, "count": n} for kind, n in summary.error_kinds],
        "latency_ms": _percentiles(summary.latency),
        "throughput_rps": round(summary.throughput_rps, 3),
        "intervals": [
            {
                "start_s": round(i.start_s, 3),
                "users": i.users,
                "requests": i.requests,
                "errors": i.errors,
                "latency_ms": _percentiles(i.latency) if i.latency is not None else None,
            }
            for i in summary.intervals
        ],
        "phases": [
            {"name": p.name, "start_s": round(p.start_s, 3), "end_s": round(p.end_s, 3), "users": p.users}
            for p in summary.phases
        ],
        "reference_lines": [{"label": r.label, "value_ms": r.value_ms} for r in summary.reference_lines],
        "notes": list(summary.notes),
    }


def _percentiles(latency: Percentiles) -> dict[str, float]:
    return {
        "p50": round(latency.p50_ms, 3),
        "p90": round(latency.p90_ms, 3),
        "p95": round(latency.p95_ms, 3),
        "p99": round(latency.p99_ms, 3),
        "max": round(latency.max_ms, 3),
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


def exchange_document(view: ExchangeView, bodies: BodyTable) -> dict[str, Any]:
    """One exchange, its texts kept in ``bodies``."""
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
        "request": _message_document(view.request, bodies),
        "response": _message_document(view.response, bodies),
        "decoded": [_part_document(p, bodies) for p in view.decoded],
    }


def _message_document(view: MessageView, bodies: BodyTable) -> dict[str, Any]:
    return {
        "headers": [{"name": k, "value": v} for k, v in view.headers],
        "content_type": view.content_type,
        "length": view.length,
        "kind": view.kind.value,
        "body_ref": bodies.ref(view.text),
        "truncated": view.truncated,
    }


def _part_document(part: DecodedPart, bodies: BodyTable) -> dict[str, Any]:
    return {
        "decoder": part.decoder,
        "title": part.title,
        "where": part.where,
        "kind": part.kind.value,
        "body_ref": bodies.ref(part.text),
        "problem": part.problem,
        "fault": part.fault,
    }
