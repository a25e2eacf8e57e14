"""What the load generator records: per request only a latency and an outcome, bounded.

A load run makes tens of thousands of requests; keeping every exchange as evidence would not fit
in a report. The recorder keeps, per second of the run and for the whole run, a latency histogram
(Locust's rounding: exact below 100 ms, then two significant digits), counts of requests, errors
by kind and answers over each latency limit (exact, not rounded), and a bounded sample of whole
exchanges: the first few, every failure up to a cap, and the slowest answer.

Plain Python, no Locust import: the same recorder runs in the local load process and in each
worker of Locust's distributed mode, and its JSON form merges (:meth:`LoadRecorder.merge`).
"""

from __future__ import annotations

import base64
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KEPT_BODY_BYTES", "LoadRecorder", "Sample", "percentile", "rounded_ms"]

KEPT_BODY_BYTES = 64 * 1024  # per kept answer; the rest is cut and said so
FIRST_SAMPLES = 3
FAILURE_SAMPLES = 20
MAX_ERROR_KINDS = 20  # distinct kinds kept by name; more are counted as "other"


def rounded_ms(ms: float) -> int:
    """Locust's histogram key for a latency (``locust.stats.StatsEntry._log_response_time``)."""
    if ms < 100:
        return round(ms)
    digits = -1 if ms < 1_000 else -2 if ms < 10_000 else -3
    return int(round(ms, digits))


def percentile(histogram: Mapping[int, int], fraction: float) -> int:
    """The smallest latency that at least ``fraction`` of the answers did not exceed (0 if none)."""
    total = sum(histogram.values())
    if total == 0:
        return 0
    wanted = max(1, math.ceil(fraction * total - 1e-9))
    seen = 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= wanted:
            return ms
    return max(histogram)


@dataclass(frozen=True, slots=True)
class Sample:
    """One kept exchange of the load (the request itself is the same for all and kept once)."""

    started: float  # epoch seconds
    elapsed_ms: float
    status: int | None
    request_headers: tuple[tuple[str, str], ...]
    response_headers: tuple[tuple[str, str], ...]
    response_body: bytes
    note: str  # the error kind, or "" for a good answer; says when the body was cut

    def to_json(self) -> dict[str, Any]:
        return {
            "started": self.started,
            "elapsed_ms": self.elapsed_ms,
            "status": self.status,
            "request_headers": [list(h) for h in self.request_headers],
            "response_headers": [list(h) for h in self.response_headers],
            "response_body": base64.b64encode(self.response_body).decode("ascii"),
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Sample:
        return cls(
            started=float(data["started"]),
            elapsed_ms=float(data["elapsed_ms"]),
            status=None if data["status"] is None else int(data["status"]),
            request_headers=tuple((str(k), str(v)) for k, v in data["request_headers"]),
            response_headers=tuple((str(k), str(v)) for k, v in data["response_headers"]),
            response_body=base64.b64decode(data["response_body"]),
            note=str(data["note"]),
        )


@dataclass
class _Second:
    requests: int = 0
    errors: int = 0
    max_ms: float = 0.0
    users: int = 0
    histogram: Counter[int] = field(default_factory=Counter)


@dataclass
class LoadRecorder:
    """Counts and histograms of one load run, keyed by the second (since ``t0``) a request started."""

    thresholds_ms: tuple[float, ...] = ()
    t0: float = 0.0
    requests: int = 0
    errors: int = 0
    max_ms: float = 0.0
    histogram: Counter[int] = field(default_factory=Counter)
    error_kinds: Counter[str] = field(default_factory=Counter)
    over: Counter[float] = field(default_factory=Counter)
    seconds: dict[int, _Second] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    slowest: Sample | None = None
    _first_kept: int = 0
    _failures_kept: int = 0

    def record(self, started: float, elapsed_ms: float, error: str | None) -> None:
        """One request: when it started (epoch seconds), how long it took, and its error kind or None."""
        second = self._second(started)
        key = rounded_ms(elapsed_ms)
        self.requests += 1
        second.requests += 1
        self.histogram[key] += 1
        second.histogram[key] += 1
        self.max_ms = max(self.max_ms, elapsed_ms)
        second.max_ms = max(second.max_ms, elapsed_ms)
        for limit in self.thresholds_ms:
            if elapsed_ms > limit:
                self.over[limit] += 1
        if error is not None:
            self.errors += 1
            second.errors += 1
            known = error in self.error_kinds or len(self.error_kinds) < MAX_ERROR_KINDS
            self.error_kinds[error if known else "other"] += 1

    def note_users(self, now: float, users: int) -> None:
        second = self._second(now)
        second.users = max(second.users, users)

    def wants(self, error: str | None, elapsed_ms: float) -> bool:
        """Whether the exchange just made should be kept (decide before copying its body)."""
        if self._first_kept < FIRST_SAMPLES:
            return True
        if error is not None and self._failures_kept < FAILURE_SAMPLES:
            return True
        return self.slowest is None or elapsed_ms > self.slowest.elapsed_ms

    def keep(self, sample: Sample) -> None:
        if self._first_kept < FIRST_SAMPLES:
            self.samples.append(sample)
            self._first_kept += 1
        elif sample.note and self._failures_kept < FAILURE_SAMPLES:
            self.samples.append(sample)
            self._failures_kept += 1
        if self.slowest is None or sample.elapsed_ms > self.slowest.elapsed_ms:
            self.slowest = sample

    def _second(self, moment: float) -> _Second:
        index = max(int(moment - self.t0), 0)
        if index not in self.seconds:
            self.seconds[index] = _Second()
        return self.seconds[index]

    def to_json(self) -> dict[str, Any]:
        slowest = [] if self.slowest is None or self.slowest in self.samples else [self.slowest]
        return {
            "t0": self.t0,
            "requests": self.requests,
            "errors": self.errors,
            "max_ms": self.max_ms,
            "histogram": _keys_to_text(self.histogram),
            "error_kinds": dict(self.error_kinds),
            "over": {repr(limit): n for limit, n in self.over.items()},
            "seconds": {
                str(index): {
                    "requests": s.requests,
                    "errors": s.errors,
                    "max_ms": s.max_ms,
                    "users": s.users,
                    "histogram": _keys_to_text(s.histogram),
                }
                for index, s in sorted(self.seconds.items())
            },
            "samples": [s.to_json() for s in (*self.samples, *slowest)],
        }

    def drain(self) -> dict[str, Any]:
        """The JSON so far, then count afresh from zero (a worker's periodic report to the master).

        The sample budget is not reset: a worker keeps its first few and its failures once per run.
        """
        data = self.to_json()
        self.requests = self.errors = 0
        self.max_ms = 0.0
        self.histogram, self.error_kinds, self.over = Counter(), Counter(), Counter()
        self.seconds, self.samples, self.slowest = {}, [], None
        return data

    def merge(self, data: Mapping[str, Any]) -> None:
        """Add another recorder's JSON (a worker's, in distributed mode), aligned by wall-clock time."""
        shift = float(data["t0"]) - self.t0
        self.requests += int(data["requests"])
        self.errors += int(data["errors"])
        self.max_ms = max(self.max_ms, float(data["max_ms"]))
        self.histogram.update(_keys_from_text(data["histogram"]))
        self.error_kinds.update({str(k): int(n) for k, n in data["error_kinds"].items()})
        self.over.update({float(k): int(n) for k, n in data["over"].items()})
        for index, other in data["seconds"].items():
            second = self._second(self.t0 + shift + int(index))
            second.requests += int(other["requests"])
            second.errors += int(other["errors"])
            second.max_ms = max(second.max_ms, float(other["max_ms"]))
            second.users += int(other["users"])
            second.histogram.update(_keys_from_text(other["histogram"]))
        for sample in (Sample.from_json(s) for s in data["samples"]):
            if len(self.samples) < FIRST_SAMPLES + FAILURE_SAMPLES:
                self.samples.append(sample)
            elif self.slowest is None or sample.elapsed_ms > self.slowest.elapsed_ms:
                self.slowest = sample


def _keys_to_text(histogram: Counter[int]) -> dict[str, int]:
    return {str(ms): n for ms, n in sorted(histogram.items())}


def _keys_from_text(data: Mapping[str, Any]) -> Counter[int]:
    return Counter({int(ms): int(n) for ms, n in data.items()})
