"""Fixtures of the SP suite: one environment per run (mock IdP, and the reference SP when launched),
one driver per scenario bound to its record. The nothing-back-to-1177 scenarios run last, so that
the IdP's traffic log they judge holds the whole run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.core.scenario import ScenarioRecord
from harness.core.targets import Target
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.environment import SpEnvironment, open_environment

_LAST_MODULE = "test_nothing_back.py"


@pytest.fixture(scope="session")
def sp_environment(conformance_target: Target, pytestconfig: pytest.Config) -> Iterator[SpEnvironment]:
    persons = pytestconfig.getoption("--persons")
    with open_environment(conformance_target, Path(persons) if persons else None) as environment:
        yield environment


@pytest.fixture
def sp(sp_environment: SpEnvironment, record: ScenarioRecord) -> SpDriver:
    return SpDriver(sp_environment, record)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name == _LAST_MODULE)  # stable: the rest keep their order
