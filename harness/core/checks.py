"""Checks registered by a decorator that carries their rule and severity (schemathesis's ``@check``).

A check is a small named function over recorded evidence that returns findings. Registering it
with :meth:`CheckRegistry.check` states, once, which requirement it verifies and how much its
findings weigh; the registry then stamps every finding the check returns with the check's name,
its severity and the requirement's citation, so no check body writes a rule's sources itself::

    CHECKS = CheckRegistry(cite=catalogue.cite)

    @CHECKS.check(requirement="SP-R-TLS-29")
    def acs_served_over_tls(urls: Sequence[str]) -> list[Finding]:
        return [mismatch("", "AssertionConsumerService/@Location", "an https:// URL", u) for u in urls ...]

A check registered without a requirement judges whatever rule its caller is verifying (e.g. "no
session was started"): it is called with ``rule="<requirement id>"``. The check's name is its id in
findings and reports. Stdlib only: each suite passes its own citation function.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from harness.core.findings import Finding, Severity

__all__ = ["CheckRegistry", "CheckSpec"]

F = TypeVar("F", bound=Callable[..., Sequence[Finding]])


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """What a registered check is: its name (its id), the rule it verifies, its findings' weight."""

    name: str
    requirement: str  # a requirement id; "" = the caller's rule, passed as rule="..."
    severity: Severity
    description: str


class CheckRegistry:
    """The checks of one suite, by name; ``cite`` turns a requirement id into the text findings show."""

    def __init__(self, cite: Callable[[str], str]) -> None:
        self._cite = cite
        self._specs: dict[str, CheckSpec] = {}

    def check(self, *, requirement: str = "", severity: Severity = Severity.VIOLATION) -> Callable[[F], F]:
        """Register the decorated function as a check; its findings get its name, rule and severity."""

        def register(function: F) -> F:
            name = function.__name__
            if name in self._specs:
                raise ValueError(f"check {name!r} is registered twice")
            if requirement:
                self._cite(requirement)  # an unknown requirement id fails at import, not in a run
            spec = CheckSpec(name, requirement, severity, inspect.cleandoc(function.__doc__ or ""))
            self._specs[name] = spec

            @functools.wraps(function)
            def stamped(*args: Any, **kwargs: Any) -> list[Finding]:
                rule = kwargs.get("rule") or spec.requirement
                if not rule:
                    raise TypeError(f"check {name} verifies the caller's rule: call it with rule='<id>'")
                return [self._stamp(f, spec, rule) for f in function(*args, **kwargs)]

            return cast(F, stamped)

        return register

    def _stamp(self, finding: Finding, spec: CheckSpec, rule: str) -> Finding:
        return replace(finding, check=spec.name, severity=spec.severity, ref=self._cite(rule))

    def spec(self, name: str) -> CheckSpec:
        return self._specs[name]

    def __iter__(self) -> Iterator[CheckSpec]:
        return iter(tuple(self._specs.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._specs
