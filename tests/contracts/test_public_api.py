"""The contract and validation packages' public surfaces are pinned, so they cannot grow by accident."""

from __future__ import annotations

import harness.contracts
import harness.validation


def test_contracts_exports() -> None:
    assert sorted(harness.contracts.__all__) == sorted(
        name for name in dir(harness.contracts) if not name.startswith("_") and name not in MODULES
    )
    assert {"CATALOGUE", "ContractVersion", "build_request", "read_response", "find_contract"} <= set(
        harness.contracts.__all__
    )


def test_validation_exports() -> None:
    assert sorted(harness.validation.__all__) == [
        "IssueKind",
        "MessageError",
        "NO_SCHEMA_BUNDLE",
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


MODULES = {
    "catalogue",
    "dates",
    "description",
    "ei",
    "logistics_actoutcome",
    "model",
    "platform",
    "requests",
    "responses",
    "shapes",
    "sla",
}
