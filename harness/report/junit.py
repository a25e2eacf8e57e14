"""``junit.xml``: one testcase per scenario, in the common JUnit format (Ant/Jenkins) CI systems read.

Mapping: ``fail`` -> ``<failure>``, ``error`` -> ``<error>``, ``skip`` and ``waived`` -> ``<skipped>``
with the reason; ``warn`` (a SHOULD not met) passes, as it does for the exit status, and says so in
its properties and system-out. ``system-out`` holds the findings; properties hold id, level, refs.
The shape is pinned by ``junit.xsd`` beside this module.
"""

from __future__ import annotations

from lxml import etree

from harness.core.findings import Finding, Verdict
from harness.report.model import ReportModel, ScenarioView

__all__ = ["XSD_FILE", "render_junit"]

XSD_FILE = "junit.xsd"

_SKIPPED = (Verdict.SKIP, Verdict.WAIVED)


def render_junit(model: ReportModel) -> bytes:
    root = etree.Element("testsuites", name=model.tool_name)
    _counts(root, model.scenarios)
    root.set("timestamp", model.started)
    root.set("time", f"{model.duration_s:.3f}")
    for suite in sorted({s.suite for s in model.scenarios}):
        _testsuite(root, model, suite)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def _testsuite(parent: etree._Element, model: ReportModel, suite: str) -> None:
    scenarios = tuple(s for s in model.scenarios if s.suite == suite)
    element = etree.SubElement(parent, "testsuite", name=f"{model.tool_name}.{suite}")
    _counts(element, scenarios)
    element.set("time", f"{sum(s.duration_s for s in scenarios):.3f}")
    element.set("timestamp", model.started)
    properties = etree.SubElement(element, "properties")
    _property(properties, "target", model.target.name)
    _property(properties, "target.source", model.target.source)
    _property(properties, "tool.version", model.tool_version)
    for note in model.notes:
        _property(properties, "note", note)
    for scenario in scenarios:
        _testcase(element, scenario)


def _counts(element: etree._Element, scenarios: tuple[ScenarioView, ...]) -> None:
    element.set("tests", str(len(scenarios)))
    element.set("failures", str(sum(s.verdict is Verdict.FAIL for s in scenarios)))
    element.set("errors", str(sum(s.verdict is Verdict.ERROR for s in scenarios)))
    element.set("skipped", str(sum(s.verdict in _SKIPPED for s in scenarios)))


def _testcase(parent: etree._Element, scenario: ScenarioView) -> None:
    case = etree.SubElement(
        parent,
        "testcase",
        name=f"{scenario.id}: {scenario.title}",
        classname=f"conformance.{scenario.suite}.{_slug(scenario.area)}",
        time=f"{scenario.duration_s:.3f}",
    )
    properties = etree.SubElement(case, "properties")
    _property(properties, "id", scenario.id)
    _property(properties, "level", scenario.level)
    _property(properties, "verdict", scenario.verdict.value)
    _property(properties, "area", scenario.area)
    for ref in scenario.refs:
        _property(properties, "ref", ref)
    for requirement in scenario.requirements:
        _property(properties, "requirement", requirement)
    outcome = _outcome_element(scenario)
    if outcome is not None:
        case.append(outcome)
    etree.SubElement(case, "system-out").text = _system_out(scenario)


def _outcome_element(scenario: ScenarioView) -> etree._Element | None:
    if scenario.verdict is Verdict.FAIL:
        element = etree.Element("failure", message=scenario.message, type=f"{scenario.level} violated")
        element.text = _violations_text(scenario.findings) or scenario.message
        return element
    if scenario.verdict is Verdict.ERROR:
        element = etree.Element("error", message=scenario.message, type="could not judge")
        element.text = scenario.message
        return element
    if scenario.verdict is Verdict.WAIVED:
        return etree.Element(
            "skipped", message=f"waived: {scenario.waiver_justification} ({scenario.message})"
        )
    if scenario.verdict is Verdict.SKIP:
        return etree.Element("skipped", message=scenario.message)
    return None


def _system_out(scenario: ScenarioView) -> str:
    lines = [f"{scenario.id} [{scenario.level}] {scenario.verdict.value}: {scenario.message}"]
    if scenario.explanation:
        lines.append(f"What this means: {scenario.explanation}")
    lines.extend(f"Rule: {ref}" for ref in scenario.refs)
    lines.extend(_finding_line(f) for f in scenario.findings)
    if scenario.evidence:
        lines.append(
            f"Evidence: {len(scenario.evidence)} HTTP exchange(s), shown in report.html#{scenario.id}"
        )
    return "\n".join(lines) + "\n"


def _violations_text(findings: tuple[Finding, ...]) -> str:
    return "\n".join(_finding_line(f) for f in findings if f.is_violation)


def _finding_line(finding: Finding) -> str:
    line = f"- [{finding.severity.value}] {finding.check}: {finding.message}"
    if finding.expected or finding.actual:
        line += f" (expected: {finding.expected}; observed: {finding.actual})"
    if finding.ref:
        line += f" [{finding.ref}]"
    if finding.exchange_ids:
        line += f" exchanges: {', '.join(finding.exchange_ids)}"
    return line


def _property(parent: etree._Element, name: str, value: str) -> None:
    etree.SubElement(parent, "property", name=name, value=value)


def _slug(text: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) or "general"
