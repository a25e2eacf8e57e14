"""The producer suite's checks: registered with the requirement they verify; sources stay in the catalogue.

A check is a small function over recorded answers that returns findings. The
decorator registers it under its name with its requirement id (``harness/requirements/producer.toml``)
and completes every finding it returns: ``check`` = the function's name, ``ref`` = the requirement id
and its first source. The level (MUST/SHOULD) is the requirement's; a scenario runs checks of one level.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import ParamSpec

from harness.core.findings import Finding
from harness.requirements import Requirement, load_catalogue

__all__ = ["CHECKS", "RegisteredCheck", "check", "requirement"]

P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class RegisteredCheck:
    name: str
    requirement: str


_REGISTRY: dict[str, RegisteredCheck] = {}
CHECKS: Mapping[str, RegisteredCheck] = MappingProxyType(_REGISTRY)


@functools.cache
def _catalogue() -> Mapping[str, Requirement]:
    return MappingProxyType({r.id: r for r in load_catalogue("producer")})


def requirement(requirement_id: str) -> Requirement:
    """The catalogue's requirement ``requirement_id``; a name it does not hold is a programming error."""
    try:
        return _catalogue()[requirement_id]
    except KeyError:
        raise KeyError(f"requirement {requirement_id} is not in harness/requirements/producer.toml") from None


def check(requirement_id: str) -> Callable[[Callable[P, list[Finding]]], Callable[P, list[Finding]]]:
    """Register a check for ``requirement_id``; its findings name the check and cite the requirement."""
    rule = requirement(requirement_id)
    ref = f"{rule.id}: {rule.sources[0]}"

    def register(function: Callable[P, list[Finding]]) -> Callable[P, list[Finding]]:
        name = function.__name__
        if name in _REGISTRY:
            raise ValueError(f"check {name} is registered twice")
        _REGISTRY[name] = RegisteredCheck(name, rule.id)

        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> list[Finding]:
            return [replace(f, check=f.check or name, ref=f.ref or ref) for f in function(*args, **kwargs)]

        return run

    return register
