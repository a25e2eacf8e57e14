"""Requirements catalogue and coverage (Inferno's requirement coverage, the SAML CTK's "not tested" list).

Each suite's rules live in ``harness/requirements/<suite>.toml``::

    [[requirement]]
    id = "SP-R-SIG-1"                 # stable; scenarios name it in @scenario(requirements=...)
    rule = "The SP verifies the signature ... (our words)"
    level = "MUST"                    # MUST or SHOULD
    sources = ["SC Deployment Profile §6.3.1", "SAML Profiles 4.1.4.3"]
    untested_reason = ""              # why no scenario verifies it yet, where none does

A suite whose catalogue has not been written yet has no requirements (no error): coverage then shows
every requirement a scenario names as unknown.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.core.findings import Level
from harness.core.scenario import ScenarioSpec

__all__ = ["CatalogueError", "Coverage", "CoverageEntry", "Requirement", "coverage", "load_catalogue"]

CATALOGUE_DIR = Path(__file__).parent
_SUITE_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_FIELDS = {"id", "rule", "level", "sources", "untested_reason"}


class CatalogueError(ValueError):
    """The catalogue file is malformed, or a scenario names a requirement it does not hold (exit 2)."""


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    rule: str  # in our own words, never copied specification text
    level: Level
    sources: tuple[str, ...]  # document + section, e.g. "SAML Profiles 4.1.4.3"
    suite: str
    untested_reason: str = ""


@dataclass(frozen=True, slots=True)
class CoverageEntry:
    requirement: Requirement
    scenarios: tuple[str, ...]  # ids of the scenarios that verify it

    @property
    def verified(self) -> bool:
        return bool(self.scenarios)


@dataclass(frozen=True, slots=True)
class Coverage:
    entries: tuple[CoverageEntry, ...]
    unknown_references: tuple[tuple[str, str], ...]  # (scenario id, requirement id not in the catalogue)
    unlinked_scenarios: tuple[str, ...]  # scenarios that declare no requirement

    @property
    def verified(self) -> tuple[CoverageEntry, ...]:
        return tuple(e for e in self.entries if e.verified)

    @property
    def gaps(self) -> tuple[CoverageEntry, ...]:
        return tuple(e for e in self.entries if not e.verified)

    @property
    def stale_reasons(self) -> tuple[str, ...]:
        """Requirements that are verified now but still carry an ``untested_reason``."""
        return tuple(e.requirement.id for e in self.entries if e.verified and e.requirement.untested_reason)


def load_catalogue(suite: str, directory: Path | None = None) -> tuple[Requirement, ...]:
    """The requirements of ``suite``, in file order; ``()`` while the suite has no catalogue file."""
    if not _SUITE_NAME.fullmatch(suite):
        raise CatalogueError(f"not a suite name: {suite!r}")
    path = (directory or CATALOGUE_DIR) / f"{suite}.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"requirements catalogue {path} is not valid TOML: {exc}") from None
    entries = raw.get("requirement", [])
    if not isinstance(entries, list):
        raise CatalogueError(f"{path}: write each requirement as a [[requirement]] table")
    requirements = tuple(
        _requirement(entry, suite, f"{path}: requirement {n}") for n, entry in enumerate(entries, 1)
    )
    seen: set[str] = set()
    for requirement in requirements:
        if requirement.id in seen:
            raise CatalogueError(f"{path}: requirement id {requirement.id} appears twice")
        seen.add(requirement.id)
    return requirements


def _requirement(entry: object, suite: str, where: str) -> Requirement:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where} is not a table")
    unexpected = sorted(set(entry) - _FIELDS)
    if unexpected:
        raise CatalogueError(f"{where}: unexpected setting(s) {unexpected}")
    for name in ("id", "rule", "level"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise CatalogueError(f"{where}: `{name}` is required")
    sources = entry.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        raise CatalogueError(f"{where} ({entry['id']}): `sources` must list at least one source")
    try:
        level = Level(entry["level"])
    except ValueError:
        raise CatalogueError(f"{where} ({entry['id']}): `level` must be MUST or SHOULD") from None
    reason = entry.get("untested_reason", "")
    if not isinstance(reason, str):
        raise CatalogueError(f"{where} ({entry['id']}): `untested_reason` must be text")
    return Requirement(
        entry["id"].strip(), entry["rule"].strip(), level, tuple(sources), suite, reason.strip()
    )


def coverage(scenarios: Iterable[ScenarioSpec], catalogue: Iterable[Requirement]) -> Coverage:
    """Which scenarios verify each requirement, which requirements none verifies, and broken references."""
    specs = tuple(scenarios)
    requirements = tuple(catalogue)
    known = {r.id for r in requirements}
    entries = tuple(
        CoverageEntry(r, tuple(sorted(s.id for s in specs if r.id in s.requirements))) for r in requirements
    )
    unknown = tuple(sorted((s.id, ref) for s in specs for ref in s.requirements if ref not in known))
    unlinked = tuple(sorted(s.id for s in specs if not s.requirements))
    return Coverage(entries, unknown, unlinked)
