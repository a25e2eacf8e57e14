"""The producer suite's report areas and its scenario decorator.

:func:`producer_scenario` names the requirements a scenario verifies; its sources (``refs``) and default
level come from the catalogue (``harness/requirements/producer.toml``), never typed twice. A scenario
that runs once per contract version declares which versions it applies to and, where the rule binds
versions at different levels, the level per version; ``scenarios/producer/conftest.py`` then runs one
case per declared version, reported as ``<id>[NAME:VERSION]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from harness.contracts import ContractVersion, RequestRole
from harness.core.findings import Level
from harness.requirements.declare import catalogue_scenario

__all__ = [
    "ACCESS",
    "AREAS",
    "CONTENT",
    "CONTRACTS",
    "EI",
    "ENCODING",
    "ERRORS",
    "FILTERS",
    "LOAD",
    "PLATFORM",
    "SCHEMAS",
    "TRANSPORT",
    "VariantPlan",
    "every_version",
    "filters_on",
    "producer_scenario",
    "report_order",
    "variant_plan",
]

TRANSPORT = "transport and response time"
SCHEMAS = "schema and schematron"
FILTERS = "patient and filters"
ACCESS = "PDL fields and approvedForPatient"
CONTENT = "record content, ids and result"
ERRORS = "errors"
ENCODING = "encoding"
CONTRACTS = "contract-specific rules and original consumer"
EI = "engagement index"
LOAD = "load (Inera 6.x)"
PLATFORM = "platform self-tests (context, not the producer's verdict)"
AREAS = (TRANSPORT, SCHEMAS, FILTERS, ACCESS, CONTENT, ERRORS, ENCODING, CONTRACTS, EI, LOAD, PLATFORM)

F = TypeVar("F", bound=Callable[..., Any])
_PLAN_ATTRIBUTE = "__producer_variants__"


def report_order(area: str) -> int:
    return AREAS.index(area) if area in AREAS else len(AREAS)


def every_version(contract: ContractVersion) -> bool:
    return True


def filters_on(role: RequestRole) -> Callable[[ContractVersion], bool]:
    """The versions whose request has the field of ``role`` (e.g. a care-unit filter)."""
    return lambda contract: contract.field(role) is not None


@dataclass(frozen=True)
class VariantPlan:
    """Which declared contract versions a scenario runs for, and at which level each."""

    applies: Callable[[ContractVersion], bool]
    level_for: Callable[[ContractVersion], Level] | None
    not_applicable: str  # the skip reason when no declared version applies
    pairs: bool = False  # run once per two declared versions of one contract (older, newer)

    @property
    def argname(self) -> str:
        return "pair" if self.pairs else "contract"

    def params(self, declared: Sequence[ContractVersion]) -> list[Any]:
        cases = _pairs(declared) if self.pairs else [(c,) for c in declared if self.applies(c)]
        cases = [c for c in cases if self.applies(c[-1])]
        if not cases:
            return [pytest.param(None, id="none", marks=pytest.mark.skip(reason=self.not_applicable))]
        return [self._param(case) for case in cases]

    def _param(self, case: tuple[ContractVersion, ...]) -> Any:
        suffix = "/".join(c.key for c in case)
        level = self.level_for(case[-1]) if self.level_for else None
        value = case if self.pairs else case[0]
        return pytest.param(value, id=suffix, marks=pytest.mark.scenario_variant(suffix, level=level))


def _pairs(declared: Sequence[ContractVersion]) -> list[tuple[ContractVersion, ...]]:
    by_name: dict[str, list[ContractVersion]] = {}
    for contract in declared:
        by_name.setdefault(contract.name, []).append(contract)
    return [
        (versions[i], versions[j])
        for versions in by_name.values()
        for i in range(len(versions))
        for j in range(i + 1, len(versions))
    ]


def variant_plan(function: object) -> VariantPlan | None:
    plan = getattr(function, _PLAN_ATTRIBUTE, None)
    return plan if isinstance(plan, VariantPlan) else None


def producer_scenario(
    *,
    id: str,
    title: str,
    area: str,
    requirements: Iterable[str],
    explanation: str,
    versions: Callable[[ContractVersion], bool] | None = None,
    level_for: Callable[[ContractVersion], Level] | None = None,
    not_applicable: str = "",
    pairs: bool = False,
) -> Callable[[F], F]:
    """A producer scenario: level and sources from the catalogue; ``versions`` (or ``pairs``) makes it run
    once per declared contract version, at ``level_for``'s level where the rule binds versions differently."""
    declare = catalogue_scenario(
        "producer", id=id, title=title, area=area, requirements=requirements, explanation=explanation
    )

    def attach(function: F) -> F:
        if versions is not None or pairs:
            reason = not_applicable or "no contract version the target declares has this rule"
            setattr(
                function, _PLAN_ATTRIBUTE, VariantPlan(versions or every_version, level_for, reason, pairs)
            )
        return declare(function)

    return attach
