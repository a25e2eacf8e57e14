"""pytest plugin: scenario scripts under ``scenarios/`` run as pytest tests and yield verdicts.

The runner loads this module explicitly (``pytest.main(..., plugins=[pytest_plugin, session])``,
no entry point) together with a :class:`ScenarioSession`: the target, parsed once, and the run's
settings, handed to pytest as objects. Scenarios reach them through the ``conformance_target`` and
``run_settings`` fixtures; every verdict is collected back into the same session object.

Verdicts are decided here, once (Inferno's rule: a harness exception is ``error``, never ``pass``
or ``fail``): a scenario that ends normally is judged by its recorded findings alone (a violation
of a MUST rule -> ``fail``, of a SHOULD rule -> ``warn``, none -> ``pass``); ``pytest.skip`` ->
``skip`` with its reason; a failed positive control -> ``error``; any other exception, an
``AssertionError`` from a harness ``assert`` included, -> ``error``.

A scenario run once per case (a parametrized test) marks each case with
``pytest.mark.scenario_variant(SUFFIX, level=LEVEL)``: that case is reported as its own scenario,
``<id>[SUFFIX]``, at ``level`` if given (:meth:`ScenarioSpec.variant`).
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from harness.core.findings import Level, Verdict
from harness.core.results import ScenarioResult
from harness.core.scenario import PositiveControlFailed, ScenarioRecord, ScenarioSpec, spec_of

__all__ = ["ScenarioSession", "target_of"]
VARIANT_MARKER = "scenario_variant"


@dataclass
class ScenarioSession:
    """One run's inputs (target, settings) and outputs (verdicts, every scenario id collected).

    Passed to ``pytest.main`` as a plugin object; its ``pytest_configure`` makes it reachable from
    this module's fixtures and hooks.
    """

    target: Any
    settings: Any
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    results: list[ScenarioResult] = field(default_factory=list)
    collected: set[str] = field(default_factory=set)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[_SESSION] = self


_SESSION = pytest.StashKey[ScenarioSession]()
_RECORD = pytest.StashKey[ScenarioRecord]()
_OUTCOME = pytest.StashKey[tuple[Verdict, str]]()
_STARTED = pytest.StashKey[float]()


def _session(config: pytest.Config) -> ScenarioSession:
    if _SESSION not in config.stash:
        raise RuntimeError("scenarios run only through harness.runner (conformance run/demo)")
    return config.stash[_SESSION]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{VARIANT_MARKER}(suffix, level=None): one case of a parametrized scenario"
    )


def target_of(config: pytest.Config) -> Any:
    """The run's target (for collection hooks such as ``pytest_generate_tests``)."""
    return _session(config).target


def _item_spec(item: pytest.Item) -> ScenarioSpec | None:
    """The scenario an item runs: its function's, or one case of it (``scenario_variant``)."""
    spec = spec_of(getattr(item, "function", None))
    marker = item.get_closest_marker(VARIANT_MARKER)
    if spec is None or marker is None:
        return spec
    return spec.variant(str(marker.args[0]), level=marker.kwargs.get("level"))


def pytest_itemcollected(item: pytest.Item) -> None:
    """Let ``-k SP-SIG-04`` select a scenario by its id, whatever its function is called."""
    spec = _item_spec(item)
    if spec is not None:
        item.extra_keyword_matches.add(spec.id)
        _session(item.config).collected.add(spec.id)


@pytest.fixture(scope="session")
def conformance_target(pytestconfig: pytest.Config) -> Any:
    """The system under test: the suite's target object, parsed once by the runner."""
    return _session(pytestconfig).target


@pytest.fixture(scope="session")
def run_settings(pytestconfig: pytest.Config) -> Any:
    """The run's settings (test personnummer folder, schema folder, ...), resolved once by the CLI."""
    return _session(pytestconfig).settings


@pytest.fixture
def record(request: pytest.FixtureRequest) -> ScenarioRecord:
    """The running scenario's record: add findings and evidence to it."""
    item: pytest.Item = request.node
    if _RECORD not in item.stash:
        raise TypeError(f"{item.nodeid} uses `record` but is not declared with @scenario")
    return item.stash[_RECORD]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    spec = _item_spec(item)
    if spec is not None:
        item.stash[_RECORD] = ScenarioRecord(spec=spec)
        item.stash[_STARTED] = time.perf_counter()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    record = item.stash.get(_RECORD, None)
    if record is None:
        return report
    if call.when in ("setup", "call") and (call.excinfo is not None or call.when == "call"):
        item.stash[_OUTCOME] = verdict_of(record, call)
    if call.when == "teardown":
        verdict, message = item.stash.get(_OUTCOME, (Verdict.ERROR, "scenario did not run"))
        if call.excinfo is not None and verdict is Verdict.PASS:
            verdict, message = Verdict.ERROR, f"teardown failed: {_describe(call)}"
        _session(item.config).results.append(
            ScenarioResult(
                spec=record.spec,
                verdict=verdict,
                message=message,
                findings=tuple(record.findings),
                evidence=record.evidence,
                duration_s=time.perf_counter() - item.stash[_STARTED],
                measurements=tuple(record.measurements),
            )
        )
    return report


def verdict_of(record: ScenarioRecord, call: pytest.CallInfo[None]) -> tuple[Verdict, str]:
    """The verdict of one scenario from how it ended; only recorded findings give ``fail``/``warn``."""
    excinfo = call.excinfo
    if excinfo is None:
        if not record.violations:
            return Verdict.PASS, ""
        message = "; ".join(f.message for f in record.violations)
        return (Verdict.FAIL if record.spec.level is Level.MUST else Verdict.WARN), message
    if excinfo.errisinstance(pytest.skip.Exception):
        return Verdict.SKIP, str(getattr(excinfo.value, "msg", excinfo.value))
    if excinfo.errisinstance(PositiveControlFailed):
        return Verdict.ERROR, str(excinfo.value)
    return Verdict.ERROR, f"harness error: {_describe(call)}"


def _describe(call: pytest.CallInfo[None]) -> str:
    excinfo = call.excinfo
    if excinfo is None:
        return ""
    text = str(excinfo.value)
    return f"{excinfo.typename}: {text.splitlines()[0] if text else ''}".rstrip(": ")
