"""One entry point: a message of a catalogued contract against the official XSD, the official schematron
that applies to it, and our rules; "skipped" when no schema bundle is given."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from harness.contracts.model import ContractVersion, MessageRole
from harness.core.soap import SOAP11_NS
from harness.validation.issues import IssueKind, ValidationIssue, ValidationResult, line_of
from harness.validation.message import MessageError, ParsedMessage, load_message
from harness.validation.rules import rule_issues
from harness.validation.schematron import SchematronSet
from harness.validation.xsd import SchemaBundle

__all__ = ["NO_SCHEMA_BUNDLE", "Validator"]

NO_SCHEMA_BUNDLE = "no schema bundle"


class Validator:
    """XSD, schematron and our rules for every catalogued contract; each schema compiled once, then reused.

    ``schema_dir`` is the folder of the official RIVTA bundles; ``None`` makes every result "skipped".
    """

    def __init__(self, schema_dir: Path | None) -> None:
        self.schema_dir = schema_dir
        self.xsd = SchemaBundle(schema_dir) if schema_dir is not None else None
        self.schematron = SchematronSet(schema_dir) if schema_dir is not None else None

    def validate(
        self,
        contract: ContractVersion,
        message: bytes | etree._Element,
        *,
        role: MessageRole = MessageRole.RESPONSE,
    ) -> ValidationResult:
        """Judge a ``role`` message of ``contract`` (a SOAP envelope, or the bare element)."""
        if self.xsd is None or self.schematron is None:
            return ValidationResult.skipped(NO_SCHEMA_BUNDLE)
        self.xsd.schema(contract)  # a bundle without the contract's files is a configuration error, always
        self.schematron.compile(contract)
        try:
            parsed = load_message(message)
        except MessageError as exc:
            return ValidationResult.of((_xml_issue("well-formed XML", str(exc), "/", None),), ())
        wrong = _wrong_element(contract, role, parsed)
        if wrong is not None:
            return ValidationResult.of((wrong,), ())
        checked = [f"xsd {contract.schemas.xsd}"]
        issues = list(self.xsd.validate_xsd(contract, parsed.element))
        if contract.schemas.schematron and contract.schemas.schematron_applies_to is role:
            checked.extend(f"schematron {path}" for path in contract.schemas.schematron)
            issues.extend(self.schematron.check(contract, parsed.envelope))
        names, found = rule_issues(contract, role, parsed.element)
        checked.extend(f"rule {name}" for name in names)
        issues.extend(found)
        return ValidationResult.of(tuple(issues), tuple(checked))


def _wrong_element(
    contract: ContractVersion, role: MessageRole, parsed: ParsedMessage
) -> ValidationIssue | None:
    expected = contract.response_tag if role is MessageRole.RESPONSE else contract.request_tag
    element = parsed.element
    if element.tag == expected:
        return None
    line = line_of(element)
    if element.tag == f"{{{SOAP11_NS}}}Fault":
        fault = " ".join((element.findtext("faultstring") or "").split())
        return _xml_issue(
            "SOAP Fault", f"the message is a SOAP Fault, not a {expected}: {fault}", "Fault", line
        )
    return _xml_issue("message element", f"expected {expected}, found {element.tag}", str(element.tag), line)


def _xml_issue(rule: str, message: str, location: str, line: int | None) -> ValidationIssue:
    return ValidationIssue(kind=IssueKind.XML, rule=rule, message=message, location=location, line=line)
