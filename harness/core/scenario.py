"""The scenario model: what a scenario declares, the record it fills while it runs, and discovery.

A scenario is a pytest function decorated with :func:`scenario`. The decorator only attaches a
:class:`ScenarioSpec`; which scenarios exist is decided by discovery over the scenario packages
(the registry), never by a module-level list that code appends to.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any, TypeVar

from harness.core.exchange import Exchange, Recorder
from harness.core.findings import Finding, Level, Severity
from harness.core.measurements import LoadSummary

__all__ = [
    "PositiveControlFailed",
    "ScenarioRecord",
    "ScenarioRegistry",
    "ScenarioSpec",
    "discover",
    "discover_package",
    "scenario",
    "spec_of",
]

_SPEC_ATTRIBUTE = "__conformance_scenario__"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """What a scenario is: stable id, the rule it checks, where the rule comes from."""

    id: str
    title: str
    suite: str  # "sp" or "producer"
    area: str  # report grouping: "signatures", "conditions", "personnummer matching", ...
    level: Level
    refs: tuple[str, ...]
    requirements: tuple[str, ...] = ()
    explanation: str = ""  # plain-language "what this means" shown when it fails

    def variant(self, suffix: str, *, level: Level | None = None) -> ScenarioSpec:
        """The same scenario for one case of a parametrized run, e.g. ``PR-FLT-03[GetDiagnosis:2.0]``;
        ``level`` where the rule binds that case at another level than the scenario's default."""
        return replace(self, id=f"{self.id}[{suffix}]", level=level or self.level)


def scenario(
    *,
    id: str,
    title: str,
    suite: str,
    area: str,
    refs: Iterable[str],
    requirements: Iterable[str] = (),
    level: Level = Level.MUST,
    explanation: str = "",
) -> Callable[[F], F]:
    """Declare a pytest function as a conformance scenario."""
    spec = ScenarioSpec(
        id=id,
        title=title,
        suite=suite,
        area=area,
        level=level,
        refs=tuple(refs),
        requirements=tuple(requirements),
        explanation=explanation,
    )

    def attach(function: F) -> F:
        setattr(function, _SPEC_ATTRIBUTE, spec)
        return function

    return attach


def spec_of(function: object) -> ScenarioSpec | None:
    spec = getattr(function, _SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, ScenarioSpec) else None


class PositiveControlFailed(Exception):
    """The unmutated message was not accepted, so a rejection of the mutated one proves nothing."""


@dataclass
class ScenarioRecord:
    """What one scenario run gathers: its exchanges, its findings and its measurements."""

    spec: ScenarioSpec
    recorder: Recorder = field(default_factory=Recorder)
    findings: list[Finding] = field(default_factory=list)
    attached: list[Exchange] = field(default_factory=list)
    measurements: list[LoadSummary] = field(default_factory=list)

    def add(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def measure(self, summary: LoadSummary) -> None:
        """A load run's numbers, shown in the report beside the findings they support."""
        self.measurements.append(summary)

    def attach(self, exchanges: Iterable[Exchange]) -> None:
        """Evidence recorded elsewhere (e.g. the mock IdP's traffic log) that this verdict rests on."""
        self.attached.extend(exchanges)

    def positive_control(self, what: str, findings: Iterable[Finding]) -> None:
        """Require the unmutated case to pass first, or a rejection of the mutated one proves nothing."""
        problems = [f for f in findings if f.is_violation]
        self.findings.extend(
            Finding(
                check=f.check,
                message=f"positive control: {f.message}",
                severity=Severity.NOTE,
                ref=f.ref,
                exchange_ids=f.exchange_ids,
            )
            for f in problems
        )
        if problems:
            raise PositiveControlFailed(f"positive control failed ({what}): {problems[0].message}")

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.is_violation]

    @property
    def evidence(self) -> tuple[Exchange, ...]:
        return (*self.recorder.exchanges, *self.attached)


@dataclass(frozen=True, slots=True)
class ScenarioRegistry:
    specs: tuple[ScenarioSpec, ...]

    def for_suite(self, suite: str) -> tuple[ScenarioSpec, ...]:
        return tuple(s for s in self.specs if s.suite == suite)

    def by_id(self, scenario_id: str) -> ScenarioSpec | None:
        return next((s for s in self.specs if s.id == scenario_id), None)


def discover(modules: Iterable[ModuleType]) -> ScenarioRegistry:
    """Every scenario declared in ``modules``; duplicate ids are a programming error."""
    found: dict[str, ScenarioSpec] = {}
    for module in modules:
        for value in vars(module).values():
            spec = spec_of(value)
            if spec is None:
                continue
            if spec.id in found and found[spec.id] != spec:
                raise ValueError(f"scenario id {spec.id} is declared twice")
            found[spec.id] = spec
    return ScenarioRegistry(tuple(sorted(found.values(), key=lambda s: s.id)))


def discover_package(package: str = "scenarios") -> ScenarioRegistry:
    """Import every module below ``package`` (e.g. ``scenarios``) and discover its scenarios."""
    root = importlib.import_module(package)
    modules = [root]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if info.name.rsplit(".", 1)[-1] == "conftest":
            continue
        modules.append(importlib.import_module(info.name))
    return discover(modules)
