"""Running a suite: pytest in-process over ``scenarios/<suite>``, verdicts, waivers, then the reports.

The CLI stays thin and calls :func:`run_suite` and :func:`run_demo`. Anything that stops a run before
a verdict exists (a bad target or waiver file, a pytest usage error, nothing selected) raises an
exception the CLI turns into exit status 2; verdicts decide 0 or 1 (DESIGN.md, fixed interfaces).
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import harness
from harness.core.results import RunResult, ScenarioResult, TargetSummary
from harness.core.scenario import spec_of
from harness.core.targets import Target, load_target
from harness.core.waivers import Waiver, apply_waivers, load_waivers
from harness.pytest_plugin import collector_of

__all__ = [
    "DEMO_SUITES",
    "RunError",
    "SuiteUnavailable",
    "demo_target",
    "run_demo",
    "run_scenarios",
    "run_suite",
    "suite_dir",
]

DEMO_SUITES = ("sp", "producer")  # every suite with an embedded demo target, in report order
# Which issue a suite without scenarios is waiting for (shown instead of an empty run).
_PENDING = {"sp": "SP suite not landed", "producer": "reference producer / mock NTjP not landed"}


class RunError(Exception):
    """The run could not produce verdicts: pytest usage error, collection error, nothing selected."""


class SuiteUnavailable(RunError):
    """The suite has no scenarios in this installation yet."""


def suite_dir(suite: str) -> Path:
    """``scenarios/<suite>`` of the installed ``scenarios`` package."""
    return Path(str(importlib.resources.files("scenarios"))) / suite


def demo_target(suite: str) -> Path:
    """The embedded target for the demo: ``<checkout>/targets/reference-<suite>.toml``."""
    return Path(harness.__file__).resolve().parents[1] / "targets" / f"reference-{suite}.toml"


def _unavailable_reason(suite: str) -> str:
    folder = suite_dir(suite)
    if folder.is_dir() and any(folder.rglob("test_*.py")):
        return ""
    return f"not available yet (issue: {_PENDING.get(suite, f'{suite} suite not landed')})"


@dataclass
class _Capture:
    """pytest plugin object: every scenario id collected (before ``-k``) and the verdicts at the end."""

    collected: set[str] = field(default_factory=set)
    results: tuple[ScenarioResult, ...] = ()

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        spec = spec_of(getattr(item, "function", None))
        if spec is not None:
            self.collected.add(spec.id)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.results = tuple(collector_of(session.config).results)


def run_scenarios(
    paths: Sequence[Path], target_file: Path, *, keyword: str = "", persons: Path | None = None
) -> tuple[tuple[ScenarioResult, ...], frozenset[str]]:
    """Run the scenarios below ``paths`` with pytest in this process: (verdicts, every scenario id seen)."""
    args = [*map(str, paths), "--target", str(target_file), "-q", "--tb=line", "-p", "no:cacheprovider"]
    # Run inside another pytest session (the harness's own tests), the `scenarios` package may already
    # be imported without assertion rewriting; that costs nothing (its test modules are still
    # rewritten), so the warning must not become an error under filterwarnings=error.
    args += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    if keyword:
        args += ["-k", keyword]
    if persons is not None:
        args += ["--persons", str(persons)]
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        args += ["-p", "harness.pytest_plugin"]  # otherwise loaded through its pytest11 entry point
    capture = _Capture()
    code = pytest.main(args, plugins=[capture])
    if code == pytest.ExitCode.USAGE_ERROR:
        raise RunError("pytest could not start the run: bad arguments or a conftest error (see above)")
    if code in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR):
        raise RunError(
            "the run stopped before the scenarios finished: collection error or interrupt (see above)"
        )
    return capture.results, frozenset(capture.collected)


def run_suite(
    suite: str,
    target_file: Path,
    out_dir: Path,
    *,
    keyword: str = "",
    waivers: Path | None = None,
    mask_personal_data: bool = False,
    persons: Path | None = None,
    today: date | None = None,
) -> RunResult:
    """``conformance run <suite>``: run, apply waivers, write the reports to ``out_dir``."""
    target = load_target(target_file)  # a bad target stops here (TargetError, exit 2), before any scenario
    waiver_list = load_waivers(waivers) if waivers else ()
    reason = _unavailable_reason(suite)
    if reason:
        raise SuiteUnavailable(reason)
    started = datetime.now(UTC)
    results, collected = run_scenarios(
        [suite_dir(suite)], target_file.resolve(), keyword=keyword, persons=persons
    )
    if not results:
        selection = f" by -k {keyword!r}" if keyword else ""
        raise RunError(f"no scenarios selected{selection}: nothing was run")
    run = _finish(results, _summary(target, suite), started, waiver_list, collected, today)
    _write_reports(run, out_dir, mask_personal_data)
    return run


def run_demo(
    out_dir: Path,
    *,
    waivers: Path | None = None,
    mask_personal_data: bool = False,
    persons: Path | None = None,
    today: date | None = None,
) -> RunResult:
    """``conformance demo``: every suite with a demo target, against the reference apps, one report."""
    waiver_list = load_waivers(waivers) if waivers else ()
    started = datetime.now(UTC)
    results: list[ScenarioResult] = []
    collected: set[str] = set()
    notes: list[str] = []
    summaries: list[TargetSummary] = []
    for suite in DEMO_SUITES:
        target_file = demo_target(suite)
        reason = _unavailable_reason(suite) or (
            "" if target_file.is_file() else f"no demo target {target_file}"
        )
        if reason:
            notes.append(f"{suite} suite skipped: {reason}")
            continue
        summaries.append(_summary(load_target(target_file), suite))
        suite_results, suite_ids = run_scenarios([suite_dir(suite)], target_file, persons=persons)
        results += suite_results
        collected |= suite_ids
    target = TargetSummary(
        name="reference apps (demo)",
        suite="+".join(s.suite for s in summaries),
        source=", ".join(s.source for s in summaries),
        details=tuple(d for s in summaries for d in s.details),
    )
    run = _finish(tuple(results), target, started, waiver_list, frozenset(collected), today)
    run = replace(run, notes=(*notes, *run.notes))
    _write_reports(run, out_dir, mask_personal_data)
    return run


def _finish(
    results: tuple[ScenarioResult, ...],
    target: TargetSummary,
    started: datetime,
    waivers: Sequence[Waiver],
    collected: frozenset[str],
    today: date | None,
) -> RunResult:
    # "Known" is every scenario of the suites that ran, selected or not: a waiver for a scenario
    # deselected with -k is not stale, one naming no scenario at all is a mistake to report.
    judged, notes = apply_waivers(results, waivers, today or date.today(), known_scenarios=collected)
    return RunResult(
        tool_name="conformance",
        tool_version=_version(),
        target=target,
        started=started,
        finished=datetime.now(UTC),
        scenarios=judged,
        notes=notes,
    )


def _summary(target: Target, suite: str) -> TargetSummary:
    """What the report says about the target: where it is, never key material or personal data."""
    details: list[tuple[str, str]] = []
    if target.launch:
        details.append(
            ("launch", f"{target.launch}, started by the harness at {{base_url}} (a free loopback port)")
        )
    if suite == "sp" and target.sp is not None:
        details += [("entity_id", target.sp.entity_id), ("acs_url", target.sp.acs_url)]
    return TargetSummary(
        name=target.name, suite=suite, source=_shown_path(target.source), details=tuple(details)
    )


def _shown_path(path: Path) -> str:
    """The target file relative to the working directory where it can be, so reports name no home folders."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path.name


def _version() -> str:
    try:
        return importlib.metadata.version("harness")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def _write_reports(run: RunResult, out_dir: Path, mask_personal_data: bool) -> None:
    from harness.report import write_reports  # imported late: the report renderer is only needed here
    from harness.report.decoders import SamlDecoder, SoapDecoder

    # Each suite's decoder: SAML for the SP suite, SOAP for the producer suite.
    decoders = (SamlDecoder(), SoapDecoder())
    write_reports(run, out_dir, mask_personal_data=mask_personal_data, decoders=decoders)
