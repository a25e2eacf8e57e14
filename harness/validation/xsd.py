"""XSD validation against the official schemas in a schema directory, compiled once per schema file.

The responder XSD of a contract version imports its core components by relative ``schemaLocation``,
so it is loaded from its place in the bundle and never copied.
"""

from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree

from harness.contracts.model import ContractVersion
from harness.validation.issues import IssueKind, ValidationIssue
from harness.validation.message import load_message

__all__ = ["SchemaBundle", "SchemaBundleError"]


class SchemaBundleError(ValueError):
    """The schema directory lacks a file the catalogue names, or the file does not compile."""


class SchemaBundle:
    """The official XSDs under ``schema_dir``; each compiled on first use and kept."""

    def __init__(self, schema_dir: Path) -> None:
        self.schema_dir = schema_dir
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._lock = threading.Lock()

    def path(self, contract: ContractVersion) -> Path:
        return self.schema_dir / contract.schemas.xsd

    def schema(self, contract: ContractVersion) -> etree.XMLSchema:
        """The compiled responder XSD of ``contract`` (cached)."""
        relative = contract.schemas.xsd
        with self._lock:
            if relative not in self._schemas:
                self._schemas[relative] = _compile(self.schema_dir / relative)
            return self._schemas[relative]

    def validate_xsd(
        self, contract: ContractVersion, message: etree._Element | bytes
    ) -> tuple[ValidationIssue, ...]:
        """Issues of the message element (a SOAP envelope's Body element, or a bare element)."""
        schema = self.schema(contract)
        element = load_message(message).element
        with self._lock:  # an XMLSchema's error log is per object: one validation at a time
            if schema.validate(element):
                return ()
            return tuple(_issue(entry) for entry in list(schema.error_log))  # type: ignore[call-overload]


def _compile(path: Path) -> etree.XMLSchema:
    if not path.is_file():
        raise SchemaBundleError(f"the schema directory has no {path}")
    try:
        return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise SchemaBundleError(f"{path} does not compile: {exc}") from None


def _issue(entry: etree._LogEntry) -> ValidationIssue:
    return ValidationIssue(
        kind=IssueKind.XSD,
        rule=entry.type_name,
        message=entry.message,
        location=entry.path or "",
        line=entry.line or None,
    )
