"""Running a suite: pytest in-process over the suite's scenario package, verdicts, waivers, reports.

The CLI stays thin and calls :func:`run_suite` and :func:`run_demo`. The target file is read once
here, by the suite that owns its sections, and handed to pytest as an object together with the
run's settings (:class:`~harness.pytest_plugin.ScenarioSession`); the scenario plugin is loaded
explicitly, so the run does not depend on pytest's plugin autoloading. Anything that stops a run
before a verdict exists (a bad target or waiver file, a pytest usage error, nothing selected) raises
an exception the CLI turns into exit status 2; verdicts decide 0 or 1.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import harness
from harness import pytest_plugin
from harness.core.results import RunResult, ScenarioResult, TargetSummary
from harness.core.settings import RunSettings
from harness.core.targets import TargetError, read_target_file
from harness.core.waivers import Waiver, apply_waivers, load_waivers
from harness.pytest_plugin import ScenarioSession
from harness.suites import SUITES, Suite, all_sections

__all__ = [
    "RunError",
    "RunOptions",
    "demo_target",
    "load_target",
    "preflight",
    "run_demo",
    "run_scenarios",
    "run_suite",
    "suite_dir",
]


class RunError(Exception):
    """The run could not produce verdicts: pytest usage error, collection error, nothing selected."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run and report, beyond the target: the same for ``run`` and ``demo``."""

    settings: RunSettings
    out_dir: Path
    keyword: str = ""
    waivers: Path | None = None
    mask_personal_data: bool = False
    today: date | None = None


def suite_of(name: str) -> Suite:
    try:
        return SUITES[name]
    except KeyError:
        raise RunError(f"unknown suite {name!r}; suites: {', '.join(SUITES)}") from None


def suite_dir(suite: str) -> Path:
    """The folder of the suite's installed scenario package."""
    package = importlib.import_module(suite_of(suite).package)
    return Path(str(package.__path__[0]))


def load_target(suite: str, path: Path) -> Any:
    """``path`` read as a target of ``suite``: the sections it owns, validated (TargetError if bad)."""
    return suite_of(suite).load_target(read_target_file(path, all_sections()))


def preflight(suite: str, target: Any, settings: RunSettings) -> None:
    """What must hold before any scenario runs: the run's data folders and the suite's own checks."""
    if not (settings.persons_dir / "testpersonnummer.csv").is_file():
        raise TargetError(
            f"Skatteverket's test personnummer were not found in {settings.persons_dir}; pass --persons DIR"
        )
    suite_of(suite).preflight(target)


def demo_target(suite: str) -> Path:
    """The embedded target for the demo: ``<checkout>/targets/reference-<suite>.toml``."""
    return Path(harness.__file__).resolve().parents[1] / "targets" / f"reference-{suite}.toml"


def run_scenarios(
    paths: Sequence[Path], target: Any, settings: RunSettings, *, keyword: str = ""
) -> tuple[tuple[ScenarioResult, ...], frozenset[str]]:
    """Run the scenarios below ``paths`` with pytest in this process: (verdicts, every scenario id seen)."""
    args = [*map(str, paths), "-q", "--tb=line", "-p", "no:cacheprovider"]
    # Run inside another pytest session (the harness's own tests), the `scenarios` package may already
    # be imported without assertion rewriting; that costs nothing (its test modules are still
    # rewritten), so the warning must not become an error under filterwarnings=error.
    args += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    if keyword:
        args += ["-k", keyword]
    session = ScenarioSession(target=target, settings=settings)
    code = pytest.main(args, plugins=[pytest_plugin, session])
    if code == pytest.ExitCode.USAGE_ERROR:
        raise RunError("pytest could not start the run: bad arguments or a conftest error (see above)")
    if code in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR):
        raise RunError(
            "the run stopped before the scenarios finished: collection error or interrupt (see above)"
        )
    return tuple(session.results), frozenset(session.collected)


def run_suite(suite: str, target_file: Path, options: RunOptions) -> RunResult:
    """``conformance run <suite>``: run, apply waivers, write the reports to ``options.out_dir``."""
    definition = suite_of(suite)
    target = load_target(suite, target_file)  # a bad target stops here (exit 2), before any scenario
    preflight(suite, target, options.settings)
    waiver_list = load_waivers(options.waivers) if options.waivers else ()
    started = datetime.now(UTC)
    results, collected = run_scenarios([suite_dir(suite)], target, options.settings, keyword=options.keyword)
    if not results:
        selection = f" by -k {options.keyword!r}" if options.keyword else ""
        raise RunError(f"no scenarios selected{selection}: nothing was run")
    summary = _summary(definition, target, target_file)
    run = _finish(results, summary, started, waiver_list, collected, options.today)
    _write_reports(run, options)
    return run


def run_demo(options: RunOptions) -> RunResult:
    """``conformance demo``: every suite against its reference app, in one report."""
    waiver_list = load_waivers(options.waivers) if options.waivers else ()
    started = datetime.now(UTC)
    results: list[ScenarioResult] = []
    collected: set[str] = set()
    summaries: list[TargetSummary] = []
    for name, definition in SUITES.items():
        target_file = demo_target(name)
        if not target_file.is_file():
            raise TargetError(f"the demo target {target_file.name} is missing from this checkout")
        target = load_target(name, target_file)
        preflight(name, target, options.settings)
        summaries.append(_summary(definition, target, target_file))
        suite_results, suite_ids = run_scenarios([suite_dir(name)], target, options.settings)
        results += suite_results
        collected |= suite_ids
    summary = TargetSummary(
        name="reference apps (demo)",
        suite="+".join(s.suite for s in summaries),
        source=", ".join(s.source for s in summaries),
        details=tuple(d for s in summaries for d in s.details),
    )
    run = _finish(tuple(results), summary, started, waiver_list, frozenset(collected), options.today)
    _write_reports(run, options)
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


def _summary(suite: Suite, target: Any, target_file: Path) -> TargetSummary:
    """What the report says about the target: where it is, never key material or personal data."""
    return TargetSummary(
        name=str(getattr(target, "name", target_file.stem)),
        suite=suite.name,
        source=_shown_path(target_file),
        details=suite.describe(target),
    )


def _shown_path(path: Path) -> str:
    """The target file as ``folder/file.toml``: enough to recognise it, no home folders in reports."""
    return f"{path.resolve().parent.name}/{path.name}"


def _version() -> str:
    try:
        return importlib.metadata.version("harness")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def _write_reports(run: RunResult, options: RunOptions) -> None:
    from harness.report import write_reports  # imported late: the report renderer is only needed here

    # Every suite's decoders (SAML for the SP suite, SOAP for the producer suite): each decodes only its own.
    decoders = tuple(decoder for suite in SUITES.values() for decoder in suite.decoders)
    write_reports(run, options.out_dir, mask_personal_data=options.mask_personal_data, decoders=decoders)
