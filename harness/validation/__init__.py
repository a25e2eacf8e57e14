"""Validation of RIVTA messages against the official schemas, loaded from a schema directory (never copied):
XSD with lxml, Inera's XSLT 2 schematron with Saxon, and the TKB rules no official file checks."""

from harness.validation.issues import IssueKind, ValidationIssue, ValidationResult, ValidationStatus
from harness.validation.message import MessageError, ParsedMessage, load_message
from harness.validation.rules import unique_update_posts
from harness.validation.schematron import SchematronSet, schematron_to_xslt
from harness.validation.validate import NO_SCHEMA_BUNDLE, Validator
from harness.validation.xsd import SchemaBundle, SchemaBundleError

__all__ = [
    "NO_SCHEMA_BUNDLE",
    "IssueKind",
    "MessageError",
    "ParsedMessage",
    "SchemaBundle",
    "SchemaBundleError",
    "SchematronSet",
    "ValidationIssue",
    "ValidationResult",
    "ValidationStatus",
    "Validator",
    "load_message",
    "schematron_to_xslt",
    "unique_update_posts",
]
