"""Findings and verdicts: typed values, never prose typed once per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Finding", "Level", "Severity", "Verdict", "mismatch", "observed"]


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"  # a SHOULD not met
    SKIP = "skip"  # not applicable to this target, with the reason
    ERROR = "error"  # the harness could not judge: target down, bad config, failed positive control
    WAIVED = "waived"  # a failure covered by an unexpired, justified waiver


class Level(StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"


class Severity(StrEnum):
    """How much a finding weighs. ``VIOLATION`` fails the scenario; ``NOTE`` is context only."""

    VIOLATION = "violation"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation about the system under test, pointing at the evidence it rests on."""

    check: str
    message: str
    severity: Severity = Severity.VIOLATION
    element: str = ""
    expected: str = ""
    actual: str = ""
    ref: str = ""
    exchange_ids: tuple[str, ...] = field(default=())

    @property
    def is_violation(self) -> bool:
        return self.severity is Severity.VIOLATION


def mismatch(
    check: str,
    element: str,
    expected: object,
    actual: object,
    *,
    ref: str = "",
    exchange_ids: tuple[str, ...] = (),
) -> Finding:
    """The one place that words an expected/actual mismatch, so messages stay consistent."""
    return Finding(
        check=check,
        message=f"{element}: expected {expected}, but observed {actual}",
        element=element,
        expected=str(expected),
        actual=str(actual),
        ref=ref,
        exchange_ids=exchange_ids,
    )


def observed(check: str, message: str, *, ref: str = "", exchange_ids: tuple[str, ...] = ()) -> Finding:
    """A note for the report that does not fail the scenario."""
    return Finding(check=check, message=message, severity=Severity.NOTE, ref=ref, exchange_ids=exchange_ids)
