"""Fixtures of the producer suite: one environment per run (the mock platform, and the reference producer
when launched), one driver per scenario bound to its record, and one case per declared contract version
for the scenarios that run per version (``<id>[NAME:VERSION]``). Scenarios run (and are reported) in
the order of the areas; no verdict depends on that order: each judges only what it caused itself, or
what the run's start fixed (the baseline engagement-index Updates)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.core.scenario import ScenarioRecord, spec_of
from harness.core.settings import RunSettings
from harness.producer_suite.areas import report_order, variant_plan
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.environment import ProducerEnvironment, open_environment
from harness.producer_suite.target import ProducerSuiteTarget
from harness.pytest_plugin import target_of


@pytest.fixture(scope="session")
def producer_environment(
    conformance_target: ProducerSuiteTarget, run_settings: RunSettings
) -> Iterator[ProducerEnvironment]:
    with open_environment(conformance_target, run_settings) as environment:
        yield environment


@pytest.fixture
def producer(producer_environment: ProducerEnvironment, record: ScenarioRecord) -> Iterator[ProducerDriver]:
    driver = ProducerDriver(producer_environment, record)
    try:
        yield driver
    finally:
        driver.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    plan = variant_plan(metafunc.function)
    if plan is not None and plan.argname in metafunc.fixturenames:
        target: ProducerSuiteTarget = target_of(metafunc.config)
        metafunc.parametrize(plan.argname, plan.params(target.producer.contracts))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run (and so report) in the order of the areas; stable within an area."""

    def position(item: pytest.Item) -> int:
        spec = spec_of(getattr(item, "function", None))
        return report_order(spec.area) if spec else -1

    items.sort(key=position)
