"""What ``conformance check-target`` reports: checks on a target file before any scenario runs.

Each suite that owns sections of the file checks them its own way (``Suite.check_target`` in
``harness/suites.py``) and returns a :class:`TargetReport`: one line per thing checked, and the
scenarios that will skip, each with the setting that would make it run. :func:`render` puts every
suite's report on one screen; any ``error`` line means exit status 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import ModuleType

from harness.core.settings import RunSettings

__all__ = ["CheckLine", "CheckTargetOptions", "PlannedSkip", "Status", "TargetReport", "render"]


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"  # the run will work, but a result will mislead or a scenario will not run
    ERROR = "error"  # the run cannot give trustworthy verdicts until this is fixed


@dataclass(frozen=True, slots=True)
class CheckLine:
    status: Status
    subject: str  # what was checked: "[sp] settings", "SP metadata", "IdP keys", ...
    message: str


@dataclass(frozen=True, slots=True)
class PlannedSkip:
    scenario: str
    setting: str  # what would make it run
    reason: str


@dataclass(frozen=True, slots=True)
class CheckTargetOptions:
    """How far a suite's check may go: the run's data folders, the suite's scenario modules (to list
    the skips), the metadata of our side the vendor's system was given, and whether to try it live."""

    settings: RunSettings
    scenarios: tuple[ModuleType, ...] = ()
    given_metadata: Path | None = None
    live: bool = True


@dataclass(frozen=True, slots=True)
class TargetReport:
    suite: str
    lines: tuple[CheckLine, ...]
    skips: tuple[PlannedSkip, ...] = field(default=())

    @property
    def errors(self) -> int:
        return sum(1 for line in self.lines if line.status is Status.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for line in self.lines if line.status is Status.WARNING)


def render(source: str, reports: Sequence[TargetReport]) -> str:
    """Every suite's lines, its planned skips grouped by the setting that would enable them, a verdict."""
    out = [f"check-target {source}"]
    for report in reports:
        out.append(f"{report.suite} suite:")
        out += [f"  {line.status.value.upper():<7} {line.subject}: {line.message}" for line in report.lines]
        if report.skips:
            out.append(
                f"  Scenarios that will skip ({len(report.skips)}), and the setting that would run them:"
            )
            by_setting: dict[str, list[str]] = {}
            for skip in report.skips:
                by_setting.setdefault(skip.setting, []).append(skip.scenario)
            out += [f"    {', '.join(ids)}: {setting}" for setting, ids in by_setting.items()]
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    verdict = "fix the errors before a run (exit status 2)" if errors else "ready to run"
    out.append(f"{errors} error(s), {warnings} warning(s): {verdict}")
    return "\n".join(out)
