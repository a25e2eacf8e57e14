"""The registry of suites: which scenario package runs, which target sections it owns, how it reads them.

The runner, the CLI and ``check-target`` look suites up here; adding a suite is one entry. A suite
plugs its own checks into ``conformance check-target`` (``check_target``: the target file and the
options in, a :class:`~harness.core.target_check.TargetReport` out) and its commented template into
``conformance init`` (``template``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from harness.core.target_check import CheckTargetOptions, TargetReport
from harness.core.targets import TargetFile
from harness.producer_suite.target import SECTIONS as PRODUCER_SECTIONS
from harness.producer_suite.target import load_producer_target
from harness.producer_suite.target_check import (
    PRODUCER_TARGET_TEMPLATE,
    check_producer_target,
    describe_producer,
    producer_preflight,
)
from harness.report.decoders import SamlDecoder, SoapDecoder
from harness.report.decoding import EvidenceDecoder
from harness.sp_suite.target import SECTIONS as SP_SECTIONS
from harness.sp_suite.target import SpSuiteTarget, check_idp_keys, load_sp_target
from harness.sp_suite.template import SP_TARGET_TEMPLATE

__all__ = ["SUITES", "Suite", "all_sections"]


@dataclass(frozen=True, slots=True)
class Suite:
    name: str
    package: str  # the scenario package, e.g. "scenarios.sp"
    sections: tuple[str, ...]  # the target-file sections this suite owns
    load_target: Callable[[TargetFile], Any]  # the suite's frozen view of a target file
    describe: Callable[[Any], tuple[tuple[str, str], ...]]  # what the report says of the target
    # How the report shows this suite's messages (SAML, SOAP): decoded, pretty-printed, masked.
    decoders: tuple[EvidenceDecoder, ...] = ()
    # Configuration problems found before any scenario runs (TargetError: exit status 2).
    preflight: Callable[[Any], None] = lambda target: None
    # `conformance check-target`: every problem of the suite's sections, before a run (None: not yet).
    check_target: Callable[[TargetFile, CheckTargetOptions], TargetReport] | None = None
    template: str = ""  # `conformance init <suite>`: a commented target file ("" = not yet)


def _check_sp_target(file: TargetFile, options: CheckTargetOptions) -> TargetReport:
    from harness.sp_suite.check_target import check_sp_target  # the driver and browser: only when used

    return check_sp_target(file, options)


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
            decoders=(SamlDecoder(),),
            preflight=check_idp_keys,
            check_target=_check_sp_target,
            template=SP_TARGET_TEMPLATE,
        ),
        "producer": Suite(
            name="producer",
            package="scenarios.producer",
            sections=PRODUCER_SECTIONS,
            load_target=load_producer_target,
            describe=describe_producer,
            decoders=(SoapDecoder(),),
            preflight=producer_preflight,
            check_target=check_producer_target,
            template=PRODUCER_TARGET_TEMPLATE,
        ),
    }
)


def all_sections() -> tuple[str, ...]:
    """Every section some suite owns: a target file may hold several suites' sections."""
    return tuple(section for suite in SUITES.values() for section in suite.sections)
