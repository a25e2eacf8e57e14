"""The official XSD and schematron on a producer's answer (:class:`harness.validation.Validator`): one
finding per issue, naming the rule, the element (its location and line) and the message."""

from __future__ import annotations

from harness.core.findings import Finding, mismatch
from harness.producer_suite.answer import Answer
from harness.producer_suite.checking import check
from harness.validation import IssueKind, ValidationIssue, ValidationResult, Validator
from harness.validation.issues import compact_location

__all__ = ["schema_valid", "schematron_valid", "validate"]


def validate(answer: Answer, validator: Validator) -> ValidationResult:
    """XSD, schematron and our rules on the producer's answer, as the producer sent it."""
    return validator.validate(answer.contract, answer.exchange.response_body)


def _findings(answer: Answer, issues: list[ValidationIssue]) -> list[Finding]:
    return [
        mismatch(
            "",
            f"{compact_location(i.location)} (line {i.line or '?'})",
            f"valid: {i.rule}",
            i.message,
            exchange_ids=answer.evidence,
        )
        for i in issues
    ]


@check("PR-R-XSD-05")
def schema_valid(answer: Answer, result: ValidationResult) -> list[Finding]:
    issues = [i for i in result.issues if i.kind in (IssueKind.XML, IssueKind.XSD)]
    return _findings(answer, issues)


@check("PR-R-SCH-06")
def schematron_valid(answer: Answer, result: ValidationResult) -> list[Finding]:
    issues = [i for i in result.issues if i.kind is IssueKind.SCHEMATRON]
    return _findings(answer, issues)
