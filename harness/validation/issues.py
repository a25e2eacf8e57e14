"""What a validator reports: one issue per broken rule, and a result that tells "skipped" from "valid"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

__all__ = [
    "IssueKind",
    "ValidationIssue",
    "ValidationResult",
    "ValidationStatus",
    "compact_location",
    "line_of",
]


class IssueKind(StrEnum):
    XML = "xml"  # not well-formed or unsafe XML, not a SOAP envelope, a SOAP Fault, the wrong element
    XSD = "xsd"  # the official XSD
    SCHEMATRON = "schematron"  # the official schematron (Inera's test-suite constraints)
    RULE = "rule"  # a TKB rule no official file checks, written by us (e.g. unique EI posts)


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    kind: IssueKind
    rule: str  # XSD error type, schematron pattern and assert id or test, or our rule's name
    message: str
    location: str  # an XPath to the element (SVRL location, libxml2 path)
    line: int | None  # line in the validated document, when known

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "line ?"
        return f"{self.kind.value} {where}: {self.message} [{self.rule}] at {compact_location(self.location)}"


class ValidationStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    SKIPPED = "skipped"  # nothing was checked (no schema bundle): never a pass


@dataclass(frozen=True, slots=True)
class ValidationResult:
    status: ValidationStatus
    issues: tuple[ValidationIssue, ...] = ()
    reason: str = ""  # why it was skipped, e.g. "no schema bundle"
    checked: tuple[str, ...] = ()  # what ran: "xsd <path>", "schematron <path>", "rule <name>"

    @property
    def valid(self) -> bool:
        return self.status is ValidationStatus.VALID

    @classmethod
    def skipped(cls, reason: str) -> ValidationResult:
        return cls(ValidationStatus.SKIPPED, reason=reason)

    @classmethod
    def of(cls, issues: tuple[ValidationIssue, ...], checked: tuple[str, ...]) -> ValidationResult:
        return cls(ValidationStatus.INVALID if issues else ValidationStatus.VALID, issues, checked=checked)


def line_of(element: etree._Element) -> int | None:
    """The element's line in the document it was parsed from (None for elements built in memory)."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) and line > 0 else None


_STEP = re.compile(r"\*\[local-name\(\)='([^']+)'(?: and namespace-uri\(\)='[^']*')?\]")


def compact_location(location: str) -> str:
    """An SVRL location XPath with each ``*[local-name()='x' and namespace-uri()='...']`` step as ``x``."""
    return _STEP.sub(r"\1", location)
