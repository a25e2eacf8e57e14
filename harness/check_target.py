"""``conformance check-target FILE``: every suite owning a section of the file checks it, before a run.

The suites are looked up in the registry (:mod:`harness.suites`); each plugs in its own checks
(``Suite.check_target``), so the producer suite adds its own later without changing this module.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from harness.core.results import EXIT_CONFIG, EXIT_OK
from harness.core.settings import RunSettings
from harness.core.target_check import CheckTargetOptions, TargetReport, render
from harness.core.targets import TargetError, read_target_file
from harness.suites import SUITES, Suite, all_sections

__all__ = ["check_target", "init_target"]


def check_target(
    path: Path, settings: RunSettings, *, given_metadata: Path | None = None, live: bool = True
) -> tuple[str, int]:
    """The one-screen report on ``path`` and the exit status (2 when anything is an error)."""
    file = read_target_file(path, all_sections())  # unreadable or unknown sections: TargetError
    reports: list[TargetReport] = []
    for suite in SUITES.values():
        if suite.check_target is None or not any(file.section(s) is not None for s in suite.sections):
            continue
        options = CheckTargetOptions(settings, _scenario_modules(suite), given_metadata, live)
        reports.append(suite.check_target(file, options))
    if not reports:
        owned = ", ".join(f"[{s}]" for s in all_sections())
        raise TargetError(f"{path.name} holds no section a suite checks ({owned})")
    status = EXIT_CONFIG if any(r.errors for r in reports) else EXIT_OK
    return render(str(path), reports), status


def init_target(suite: str, out: Path, *, force: bool = False) -> Path:
    """Write ``suite``'s commented target template to ``out`` (never over an existing file unless forced)."""
    definition = SUITES.get(suite)
    if definition is None or not definition.template:
        raise TargetError(f"no target template for the {suite} suite yet")
    if out.exists() and not force:
        raise TargetError(f"{out} exists; pass --force to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(definition.template, encoding="utf-8")
    return out


def _scenario_modules(suite: Suite) -> tuple[ModuleType, ...]:
    """Every module of the suite's scenario package (their scenarios declare what they need)."""
    root = importlib.import_module(suite.package)
    modules = [root]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{suite.package}."):
        if info.name.rsplit(".", 1)[-1] != "conftest":
            modules.append(importlib.import_module(info.name))
    return tuple(modules)
