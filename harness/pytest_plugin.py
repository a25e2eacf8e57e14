"""pytest plugin: scenario scripts under ``scenarios/`` run as pytest tests and yield verdicts.

Verdicts are decided here, once, from how the scenario ended (Inferno's rule: a harness exception
is ``error``, never ``pass``): violations -> ``fail`` (``warn`` for a SHOULD), a failed positive
control -> ``error``, ``pytest.skip`` -> ``skip`` with its reason, anything unexpected -> ``error``.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.core.findings import Level, Verdict
from harness.core.results import ScenarioResult
from harness.core.scenario import PositiveControlFailed, ScenarioRecord, spec_of
from harness.core.targets import Target, TargetError, load_target

__all__ = ["ResultCollector", "ScenarioFailed", "collector_of"]


class ScenarioFailed(AssertionError):
    """The system under test broke the scenario's rule (the findings say how)."""


@dataclass
class ResultCollector:
    """Gathers one :class:`ScenarioResult` per scenario item, in run order."""

    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    results: list[ScenarioResult] = field(default_factory=list)


_COLLECTOR = pytest.StashKey[ResultCollector]()
_RECORD = pytest.StashKey[ScenarioRecord]()
_OUTCOME = pytest.StashKey[tuple[Verdict, str]]()
_STARTED = pytest.StashKey[float]()


def collector_of(config: pytest.Config) -> ResultCollector:
    return config.stash[_COLLECTOR]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "1177 conformance harness")
    group.addoption("--target", metavar="FILE", help="target profile (TOML) of the system under test")
    group.addoption("--persons", metavar="DIR", help="folder with Skatteverket's test personnummer lists")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_COLLECTOR] = ResultCollector()


def pytest_itemcollected(item: pytest.Item) -> None:
    """Let ``-k SP-SIG-04`` select a scenario by its id, whatever its function is called."""
    spec = spec_of(getattr(item, "function", None))
    if spec is not None:
        item.extra_keyword_matches.add(spec.id)


@pytest.fixture(scope="session")
def conformance_target(pytestconfig: pytest.Config) -> Target:
    """The system under test, from ``--target``; a scenario without one cannot run (``error``)."""
    path = pytestconfig.getoption("--target")
    if not path:
        raise TargetError("no --target FILE was given")
    return load_target(Path(path))


@pytest.fixture
def record(request: pytest.FixtureRequest) -> ScenarioRecord:
    """The running scenario's record: add findings and evidence to it."""
    item: pytest.Item = request.node
    if _RECORD not in item.stash:
        raise TypeError(f"{item.nodeid} uses `record` but is not declared with @scenario")
    return item.stash[_RECORD]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    spec = spec_of(getattr(item, "function", None))
    if spec is not None:
        item.stash[_RECORD] = ScenarioRecord(spec=spec)
        item.stash[_STARTED] = time.perf_counter()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    result = yield
    record = item.stash.get(_RECORD, None)
    if record is not None and record.violations and record.spec.level is Level.MUST:
        raise ScenarioFailed("; ".join(f.message for f in record.violations))
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    record = item.stash.get(_RECORD, None)
    if record is None:
        return report
    if call.when in ("setup", "call") and (call.excinfo is not None or call.when == "call"):
        item.stash[_OUTCOME] = _verdict(record, call)
    if call.when == "teardown":
        verdict, message = item.stash.get(_OUTCOME, (Verdict.ERROR, "scenario did not run"))
        if call.excinfo is not None and verdict is Verdict.PASS:
            verdict, message = Verdict.ERROR, f"teardown failed: {_describe(call)}"
        collector_of(item.config).results.append(
            ScenarioResult(
                spec=record.spec,
                verdict=verdict,
                message=message,
                findings=tuple(record.findings),
                evidence=record.evidence,
                duration_s=time.perf_counter() - item.stash[_STARTED],
            )
        )
    return report


def _verdict(record: ScenarioRecord, call: pytest.CallInfo[None]) -> tuple[Verdict, str]:
    excinfo = call.excinfo
    if excinfo is None:
        if record.violations:  # only a SHOULD gets here: MUST violations raise ScenarioFailed
            return Verdict.WARN, "; ".join(f.message for f in record.violations)
        return Verdict.PASS, ""
    if excinfo.errisinstance(pytest.skip.Exception):
        return Verdict.SKIP, str(getattr(excinfo.value, "msg", excinfo.value))
    if excinfo.errisinstance(PositiveControlFailed):
        return Verdict.ERROR, str(excinfo.value)
    if call.when == "call" and excinfo.errisinstance(AssertionError):
        return Verdict.FAIL, str(excinfo.value).split("\n", 1)[0] or "assertion failed"
    return Verdict.ERROR, f"harness error: {_describe(call)}"


def _describe(call: pytest.CallInfo[None]) -> str:
    excinfo = call.excinfo
    if excinfo is None:
        return ""
    return f"{excinfo.typename}: {str(excinfo.value).splitlines()[0] if str(excinfo.value) else ''}".rstrip(
        ": "
    )
