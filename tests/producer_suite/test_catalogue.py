"""The producer catalogue is the one home of each rule's sources and level: every requirement says why its
level, cites public texts only, and every scenario takes its level and sources from it (a scenario run per
contract version may bind a version at another level, which its variant says)."""

from __future__ import annotations

import re

from harness.core.findings import Level
from harness.core.scenario import discover_package
from harness.producer_suite.areas import PLATFORM
from harness.requirements import coverage, suite_catalogue

CATALOGUE = suite_catalogue("producer")
SCENARIOS = discover_package("scenarios.producer").for_suite("producer")
NOT_PUBLIC = re.compile(r"DESIGN\.md|STYLE\.md|saml-1177|ntjp-rivta|not landed|\bissue\b", re.IGNORECASE)


def test_every_requirement_has_public_sources_and_the_basis_of_its_level() -> None:
    assert len(CATALOGUE.requirements) > 50
    for requirement in CATALOGUE.requirements:
        assert requirement.basis, f"{requirement.id} says nothing of why it is {requirement.level}"
        texts = [requirement.rule, requirement.basis, requirement.untested_reason, *requirement.sources]
        assert not any(NOT_PUBLIC.search(text) for text in texts), requirement.id


def test_every_scenario_takes_its_level_and_sources_from_the_catalogue() -> None:
    for spec in SCENARIOS:
        assert spec.level is CATALOGUE.level_of(spec.requirements), spec.id
        assert spec.refs == CATALOGUE.sources(spec.requirements), spec.id
        assert not NOT_PUBLIC.search(f"{spec.title} {spec.explanation}"), spec.id


def test_every_numbered_producer_check_has_a_scenario_and_the_gaps_say_why() -> None:
    result = coverage(SCENARIOS, CATALOGUE.requirements)
    assert result.unknown_references == () and result.unlinked_scenarios == ()
    assert {e.requirement.id for e in result.gaps} == {"PR-R-EIT-21W", "PR-R-GCD-26O"}
    assert all(e.requirement.untested_reason for e in result.gaps)
    numbers = {int(m.group(1)) for s in SCENARIOS if (m := re.match(r"PR-[A-Z0-9]+-(\d+)", s.id))}
    assert set(range(1, 27)) <= numbers  # a scenario for each of the checks 1-26


def test_the_platform_s_self_tests_are_never_a_must_of_the_producer() -> None:
    platform = [s for s in SCENARIOS if s.area == PLATFORM]
    assert {s.id for s in platform} == {"PR-E2E-22A", "PR-E2E-22B", "PR-E2E-22C", "PR-VP-23"}
    assert all(s.level is Level.SHOULD and s.title.startswith("Platform self-test") for s in platform)
