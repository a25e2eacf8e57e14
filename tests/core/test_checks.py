"""Checks registered with their rule and weight: the registry stamps every finding they return."""

from __future__ import annotations

import pytest

from harness.core.checks import CheckRegistry
from harness.core.findings import Finding, Severity, mismatch

SOURCES = {"R-1": "SAML Core 2.5.1.4", "R-2": "SAML Bindings 3.5.6"}


def cite(requirement: str) -> str:
    return f"{SOURCES[requirement]} ({requirement})"  # a KeyError for an unknown id, as a catalogue would


def test_a_registered_check_stamps_its_name_rule_and_weight_on_every_finding() -> None:
    checks = CheckRegistry(cite)

    @checks.check(requirement="R-1")
    def audience_is_ours(audiences: list[str]) -> list[Finding]:
        """Every AudienceRestriction names the SP."""
        return [mismatch("", "Audience", "the SP", a) for a in audiences if a != "sp"]

    @checks.check(requirement="R-2", severity=Severity.NOTE)
    def status_page(status: int) -> list[Finding]:
        return [mismatch("", "HTTP status", "a page", status)] if status >= 400 else []

    [finding] = audience_is_ours(["sp", "other"])
    assert (finding.check, finding.ref, finding.severity) == (
        "audience_is_ours",
        "SAML Core 2.5.1.4 (R-1)",
        Severity.VIOLATION,
    )
    assert status_page(500)[0].severity is Severity.NOTE and status_page(200) == []
    assert [s.name for s in checks] == ["audience_is_ours", "status_page"]
    assert checks.spec("audience_is_ours").description == "Every AudienceRestriction names the SP."


def test_a_check_without_a_rule_of_its_own_cites_its_callers() -> None:
    checks = CheckRegistry(cite)

    @checks.check()
    def no_session(has_session: bool, *, rule: str) -> list[Finding]:
        return [mismatch("", "session", "none", "one")] if has_session else []

    assert no_session(True, rule="R-2")[0].ref == "SAML Bindings 3.5.6 (R-2)"
    with pytest.raises(TypeError, match="rule="):
        no_session(True)


def test_an_unknown_requirement_or_a_second_registration_fails_at_import() -> None:
    checks = CheckRegistry(cite)
    with pytest.raises(KeyError):
        checks.check(requirement="R-9")(list)

    def twice() -> list[Finding]:
        return []

    checks.check(requirement="R-1")(twice)
    with pytest.raises(ValueError, match="twice"):
        checks.check(requirement="R-1")(twice)
