"""Scenarios declared against the catalogue: a scenario names its requirements, nothing else of the rule.

Its level and its sources (``ScenarioSpec.refs``, shown in every report) are read from the suite's
catalogue when the scenario is declared, so a rule's sources and level live in one place, and a
scenario naming a requirement the catalogue does not hold fails at import, before any run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from harness.core.scenario import scenario
from harness.requirements.catalogue import CatalogueError, suite_catalogue

__all__ = ["catalogue_scenario"]

F = TypeVar("F", bound=Callable[..., Any])


def catalogue_scenario(
    suite: str, *, id: str, title: str, area: str, requirements: Iterable[str], explanation: str
) -> Callable[[F], F]:
    """:func:`harness.core.scenario.scenario` with ``refs`` and ``level`` from the ``suite`` catalogue."""
    ids = tuple(requirements)
    if not ids:
        raise CatalogueError(f"scenario {id} names no requirement: every scenario verifies one")
    catalogue = suite_catalogue(suite)
    return scenario(
        id=id,
        title=title,
        suite=suite,
        area=area,
        refs=catalogue.sources(ids),
        requirements=ids,
        level=catalogue.level_of(ids),
        explanation=explanation,
    )
