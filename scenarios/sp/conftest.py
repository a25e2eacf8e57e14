"""Fixtures of the SP suite: one environment per run (mock IdP, and the reference SP when launched),
one driver per scenario bound to its record. A scenario whose declared preconditions the target does
not meet is skipped, and the reason names the setting that would enable it. Scenarios run (and are
reported) in the order of the areas; no verdict depends on that order: each scenario judges only the
traffic it caused itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.core.scenario import ScenarioRecord, spec_of
from harness.core.settings import RunSettings
from harness.sp_suite.areas import report_order
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.environment import SpEnvironment, open_environment
from harness.sp_suite.preconditions import unmet
from harness.sp_suite.target import SpSuiteTarget


@pytest.fixture(scope="session")
def sp_environment(conformance_target: SpSuiteTarget, run_settings: RunSettings) -> Iterator[SpEnvironment]:
    with open_environment(conformance_target, run_settings) as environment:
        yield environment


@pytest.fixture
def sp(sp_environment: SpEnvironment, record: ScenarioRecord, request: pytest.FixtureRequest) -> SpDriver:
    missing = unmet(request.function, sp_environment.facts)
    if missing:
        pytest.skip(missing[0].skip_reason)
    return SpDriver(sp_environment, record)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run (and so report) in the order of the areas; stable within an area."""

    def position(item: pytest.Item) -> int:
        spec = spec_of(getattr(item, "function", None))
        return report_order(spec.area) if spec else -1

    items.sort(key=position)
