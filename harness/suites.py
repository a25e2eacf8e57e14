"""The registry of suites: which scenario package runs, which target sections it owns, how it reads them.

The runner, the CLI and ``check-target`` look suites up here; adding a suite is one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from harness.core.settings import RunSettings
from harness.core.targets import TargetFile
from harness.producer_suite.target import SECTIONS as PRODUCER_SECTIONS
from harness.producer_suite.target import load_producer_target
from harness.producer_suite.target_check import check_producer_target, describe_producer, producer_preflight
from harness.report.decoders import SamlDecoder, SoapDecoder
from harness.report.decoding import EvidenceDecoder
from harness.sp_suite.target import SECTIONS as SP_SECTIONS
from harness.sp_suite.target import SpSuiteTarget, check_idp_keys, load_sp_target

__all__ = ["SUITES", "Suite", "all_sections"]


@dataclass(frozen=True, slots=True)
class Suite:
    name: str
    package: str  # the scenario package, e.g. "scenarios.sp"
    sections: tuple[str, ...]  # the target-file sections this suite owns
    load_target: Callable[[TargetFile], Any]  # the suite's frozen view of a target file
    describe: Callable[[Any], tuple[tuple[str, str], ...]]  # what the report says of the target
    demo_app: str  # the reference app that `conformance demo` runs this suite against
    # How the report shows this suite's messages (SAML, SOAP): decoded, pretty-printed, masked.
    decoders: tuple[EvidenceDecoder, ...] = ()
    # Configuration problems found before any scenario runs (TargetError: exit status 2).
    preflight: Callable[[Any], None] = lambda target: None
    # `conformance check-target`: lines that say what was checked, what will skip and why.
    check_target: Callable[[Any, RunSettings], list[str]] | None = None


def _describe_sp(target: SpSuiteTarget) -> tuple[tuple[str, str], ...]:
    details = [("entity_id", target.sp.entity_id), ("acs_url", target.sp.acs_url)]
    if target.launch:
        details.insert(0, ("launch", f"{target.launch}, started by the harness on a free loopback port"))
    return tuple(details)


SUITES: Mapping[str, Suite] = MappingProxyType(
    {
        "sp": Suite(
            name="sp",
            package="scenarios.sp",
            sections=SP_SECTIONS,
            load_target=load_sp_target,
            describe=_describe_sp,
            demo_app="reference-sp",
            decoders=(SamlDecoder(),),
            preflight=check_idp_keys,
        ),
        "producer": Suite(
            name="producer",
            package="scenarios.producer",
            sections=PRODUCER_SECTIONS,
            load_target=load_producer_target,
            describe=describe_producer,
            demo_app="reference-producer",
            decoders=(SoapDecoder(),),
            preflight=producer_preflight,
            check_target=check_producer_target,
        ),
    }
)


def all_sections() -> tuple[str, ...]:
    """Every section some suite owns: a target file may hold several suites' sections."""
    return tuple(section for suite in SUITES.values() for section in suite.sections)
