"""Structured measurements a scenario carries beside its findings: what a load run measured.

Protocol-neutral: a load run is requests, errors and latencies over time, whatever the requests
were. A scenario adds a :class:`LoadSummary` to its record; the report shows it as a table and a
latency-over-time plot, and ``results.json`` carries the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LoadInterval", "LoadPhase", "LoadSummary", "Percentiles", "ReferenceLine"]


@dataclass(frozen=True, slots=True)
class Percentiles:
    """Latency percentiles of a set of answers, in milliseconds."""

    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass(frozen=True, slots=True)
class LoadInterval:
    """One interval (usually one second) of a load run, by when its requests started."""

    start_s: float  # seconds since the load started
    users: int  # concurrent callers at that time
    requests: int
    errors: int
    latency: Percentiles | None  # None when no request of the interval was timed


@dataclass(frozen=True, slots=True)
class LoadPhase:
    """A named span of the load profile (baseline, ramp, peak, recovery), shown in the plot."""

    name: str
    start_s: float
    end_s: float
    users: int


@dataclass(frozen=True, slots=True)
class ReferenceLine:
    """A latency the plot marks, e.g. the contract domain's response-time limit."""

    label: str
    value_ms: float


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What one load run measured: counts, latency percentiles, throughput and the time series."""

    label: str  # what was called, e.g. "GetCareDocumentation 3.0 through the VP"
    profile: str  # how, e.g. "10 concurrent callers for 180 s"
    duration_s: float
    requests: int
    errors: int
    error_kinds: tuple[tuple[str, int], ...]  # (kind, count), most frequent first
    latency: Percentiles
    throughput_rps: float
    intervals: tuple[LoadInterval, ...] = ()
    phases: tuple[LoadPhase, ...] = ()
    reference_lines: tuple[ReferenceLine, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. the load generator ran short of CPU

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0
