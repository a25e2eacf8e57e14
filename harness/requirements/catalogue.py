"""Requirements catalogue and coverage (Inferno's requirement coverage, the SAML CTK's "not tested" list).

Each suite's rules live in ``harness/requirements/<suite>.toml``::

    [[requirement]]
    id = "SP-R-SIG-1"                 # stable; scenarios name it in @scenario(requirements=...)
    rule = "The SP verifies the signature ... (our words)"
    level = "MUST"                    # MUST or SHOULD
    sources = ["SC Deployment Profile §6.3.1", "SAML Profiles 4.1.4.3"]
    basis = "SC §6.3.1 binds the SP"  # why the level: the rule that binds the SP, or why only SHOULD
    untested_reason = ""              # why no scenario verifies it yet, where none does

The catalogue is the one home of a rule's sources and level: scenarios and checks name requirement
ids, and :func:`suite_catalogue` resolves them (:meth:`Catalogue.cite`, :meth:`Catalogue.level_of`).

A suite whose catalogue has not been written yet has no requirements (no error): coverage then shows
every requirement a scenario names as unknown.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from harness.core.findings import Level
from harness.core.scenario import ScenarioSpec

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Coverage",
    "CoverageEntry",
    "Requirement",
    "coverage",
    "load_catalogue",
    "suite_catalogue",
]

CATALOGUE_DIR = Path(__file__).parent
_SUITE_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_FIELDS = {"id", "rule", "level", "sources", "basis", "untested_reason"}


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
    basis: str = ""  # why this level: the rule binding the system under test, or why only SHOULD


@dataclass(frozen=True)
class Catalogue:
    """One suite's requirements by id: the place scenarios and checks resolve their rule from."""

    suite: str
    requirements: tuple[Requirement, ...]
    _by_id: Mapping[str, Requirement] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {r.id: r for r in self.requirements})

    def get(self, requirement_id: str) -> Requirement:
        try:
            return self._by_id[requirement_id]
        except KeyError:
            raise CatalogueError(
                f"requirement {requirement_id!r} is not in the {self.suite} catalogue "
                f"(harness/requirements/{self.suite}.toml)"
            ) from None

    def sources(self, requirement_ids: Iterable[str]) -> tuple[str, ...]:
        """The sources of the requirements, each once, in order."""
        found = [s for rid in requirement_ids for s in self.get(rid).sources]
        return tuple(dict.fromkeys(found))

    def level_of(self, requirement_ids: Iterable[str]) -> Level:
        """The one level these requirements share (a scenario verifies rules of one level)."""
        ids = tuple(requirement_ids)
        levels = {self.get(rid).level for rid in ids}
        if len(levels) != 1:
            raise CatalogueError(f"requirements {list(ids)} do not share one level: {sorted(levels)}")
        return levels.pop()

    def cite(self, requirement_id: str) -> str:
        """What a finding shows as its rule: the sources, then the requirement id."""
        return f"{'; '.join(self.get(requirement_id).sources)} ({requirement_id})"


@cache
def suite_catalogue(suite: str) -> Catalogue:
    """The installed catalogue of ``suite``, read once per process."""
    return Catalogue(suite, load_catalogue(suite))


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
    texts = {name: entry.get(name, "") for name in ("untested_reason", "basis")}
    for name, value in texts.items():
        if not isinstance(value, str):
            raise CatalogueError(f"{where} ({entry['id']}): `{name}` must be text")
    return Requirement(
        entry["id"].strip(),
        entry["rule"].strip(),
        level,
        tuple(sources),
        suite,
        texts["untested_reason"].strip(),
        texts["basis"].strip(),
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
