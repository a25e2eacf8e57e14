"""Fixtures of the SP suite: one environment per run (mock IdP, and the reference SP when launched),
one driver per scenario bound to its record. The nothing-back-to-1177 scenarios run last, so that
the IdP's traffic log they judge holds the whole run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.core.scenario import ScenarioRecord, spec_of
from harness.core.targets import Target
from harness.sp_suite.areas import report_order
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.environment import SpEnvironment, open_environment


@pytest.fixture(scope="session")
def sp_environment(conformance_target: Target, pytestconfig: pytest.Config) -> Iterator[SpEnvironment]:
    persons = pytestconfig.getoption("--persons")
    with open_environment(conformance_target, Path(persons) if persons else None) as environment:
        yield environment


@pytest.fixture
def sp(sp_environment: SpEnvironment, record: ScenarioRecord) -> SpDriver:
    return SpDriver(sp_environment, record)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run (and so report) in the order of the check list; stable within an area."""

    def position(item: pytest.Item) -> int:
        spec = spec_of(getattr(item, "function", None))
        return report_order(spec.area) if spec else -1

    items.sort(key=position)
