"""The SP catalogue is the one home of each rule's sources and level, and its levels follow one rule:
MUST only where a rule binds the SP; a rule binding the IdP is SHOULD, and says so."""

from __future__ import annotations

import re

import pytest

from harness.core.findings import Level
from harness.core.scenario import discover_package
from harness.requirements import suite_catalogue

CATALOGUE = suite_catalogue("sp")
SCENARIOS = discover_package("scenarios.sp").for_suite("sp")
NOT_PUBLIC = re.compile(r"DESIGN\.md|STYLE\.md|saml-1177|ntjp-rivta|not landed|\bissue\b", re.IGNORECASE)


def test_every_requirement_has_public_sources_and_the_basis_of_its_level() -> None:
    for requirement in CATALOGUE.requirements:
        assert requirement.basis, f"{requirement.id} says nothing of why it is {requirement.level}"
        texts = [requirement.rule, requirement.basis, requirement.untested_reason, *requirement.sources]
        assert not any(NOT_PUBLIC.search(text) for text in texts), requirement.id


def test_every_scenario_takes_its_level_and_sources_from_the_catalogue() -> None:
    for spec in SCENARIOS:
        assert spec.level is CATALOGUE.level_of(spec.requirements), spec.id
        assert spec.refs == CATALOGUE.sources(spec.requirements), spec.id
        assert not NOT_PUBLIC.search(f"{spec.title} {spec.explanation}"), spec.id


@pytest.mark.parametrize(
    "scenario",
    # Rules on the IdP (SAML Profiles 4.1.4.2, SC Deployment Profile §6.1, SAML Bindings 3.5.6) and
    # tolerance within the clock skew: defence in depth or availability, never a MUST of the SP.
    ["SP-BEARER-13A", "SP-ISS-18B", "SP-ENC-28D", "SP-TLS-29B", "SP-TIME-12B", "SP-TIME-12D", "SP-TIME-12F"],
)
def test_rules_that_bind_the_idp_and_tolerance_are_should(scenario: str) -> None:
    spec = next(s for s in SCENARIOS if s.id == scenario)
    assert spec.level is Level.SHOULD
    assert "warning" in spec.explanation or "within the clock skew" in spec.explanation


def test_the_rules_that_bind_the_sp_stay_must() -> None:
    must = {s.id for s in SCENARIOS if s.level is Level.MUST}
    assert {"SP-SIG-02", "SP-SIG-06B", "SP-SIG-06F", "SP-DEST-09C", "SP-RCPT-10C", "SP-AUD-11C"} <= must
    assert {"SP-TIME-12A", "SP-RPL-15", "SP-IRT-16D", "SP-ISS-18C", "SP-AUTHN-19B", "SP-BACK-01"} <= must
