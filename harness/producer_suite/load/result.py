"""A load run's result: the numbers (a :class:`~harness.core.measurements.LoadSummary`), answers over
each latency limit, and the sample of whole exchanges kept as evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from harness.core.exchange import Direction, Exchange
from harness.core.measurements import LoadInterval, LoadSummary, Percentiles, ReferenceLine
from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.recorder import Sample, percentile
from harness.producer_suite.load.request import LoadRequest

__all__ = ["LoadResult", "summarise"]

CPU_NOTE = (
    "the load generator's CPU was above 90 % at times: latencies may include its own delays "
    "(Locust's CPU warning); on a small machine, run the workers elsewhere (Locust's distributed mode)"
)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one load run measured, and what it kept."""

    summary: LoadSummary
    over_limit: tuple[tuple[float, int], ...]  # (limit in ms, answers slower than it), exact
    samples: tuple[Exchange, ...]  # the first few exchanges, failures up to a cap, the slowest answer
    completed: bool  # the profile ran to its end (False: the run was stopped as stuck)
    # Per interval (same order as summary.intervals): (rounded latency in ms, answers), for windows.
    histograms: tuple[tuple[tuple[int, int], ...], ...] = ()

    @property
    def requests(self) -> int:
        return self.summary.requests

    @property
    def errors(self) -> int:
        return self.summary.errors

    @property
    def error_kinds(self) -> tuple[tuple[str, int], ...]:
        return self.summary.error_kinds

    @property
    def latency(self) -> Percentiles:
        return self.summary.latency

    @property
    def throughput_rps(self) -> float:
        return self.summary.throughput_rps

    @property
    def intervals(self) -> tuple[LoadInterval, ...]:
        return self.summary.intervals

    def answers_over(self, limit_ms: float) -> int:
        """How many answers took longer than ``limit_ms`` (a limit the run was asked to count)."""
        counts = dict(self.over_limit)
        if limit_ms not in counts:
            raise KeyError(
                f"the load run did not count answers over {limit_ms} ms; counted: {sorted(counts)}"
            )
        return counts[limit_ms]

    def slowest(self) -> Exchange | None:
        """The slowest answer kept (the recorder always keeps the slowest of the run)."""
        return max(self.samples, key=lambda x: x.elapsed_ms, default=None)

    def failure_samples(self) -> tuple[Exchange, ...]:
        return tuple(x for x in self.samples if x.note and not x.note.startswith("response body cut"))


def summarise(
    data: Mapping[str, Any],
    request: LoadRequest,
    profile: LoadProfile,
    *,
    limits: Sequence[ReferenceLine] = (),
) -> LoadResult:
    """The load process's JSON (load_recorder.py) as a :class:`LoadResult`."""
    t0, finished = float(data["t0"]), float(data["finished"])
    duration = max(finished - t0, 1e-9)
    requests = int(data["requests"])
    kinds = sorted(((str(k), int(n)) for k, n in data["error_kinds"].items()), key=lambda kv: (-kv[1], kv[0]))
    notes: tuple[str, ...] = (CPU_NOTE,) if data.get("cpu_warning") else ()
    if not data.get("stopped", True):
        notes += ("the run did not end by itself and was stopped; the numbers cover the time until then",)
    summary = LoadSummary(
        label=request.label,
        profile=f"{profile.name}: {profile.describe()}",
        duration_s=duration,
        requests=requests,
        errors=int(data["errors"]),
        error_kinds=tuple(kinds),
        latency=_percentiles(data["histogram"], float(data["max_ms"])),
        throughput_rps=requests / duration,
        intervals=_intervals(data["seconds"], duration, profile.duration_s),
        phases=profile.phases(),
        reference_lines=tuple(limits),
        notes=notes,
    )
    over = tuple(sorted((float(k), int(n)) for k, n in data["over"].items()))
    counted = {limit for limit, _ in over}
    over += tuple((r.value_ms, 0) for r in limits if r.value_ms not in counted)
    samples = tuple(_exchange(i, Sample.from_json(s), request) for i, s in enumerate(data["samples"], 1))
    histograms = _histograms(data["seconds"], len(summary.intervals))
    return LoadResult(summary, tuple(sorted(over)), samples, bool(data.get("stopped", True)), histograms)


def _histograms(seconds: Mapping[str, Any], count: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    by_index = {int(k): v["histogram"] for k, v in seconds.items()}
    return tuple(
        tuple(sorted((int(ms), int(n)) for ms, n in by_index.get(index, {}).items()))
        for index in range(count)
    )


def _percentiles(histogram: Mapping[str, Any], max_ms: float) -> Percentiles:
    counts = {int(ms): int(n) for ms, n in histogram.items()}

    def at(fraction: float) -> float:
        return float(min(percentile(counts, fraction), max_ms)) if counts else 0.0

    return Percentiles(at(0.50), at(0.90), at(0.95), at(0.99), max_ms if counts else 0.0)


def _intervals(seconds: Mapping[str, Any], duration: float, planned: float) -> tuple[LoadInterval, ...]:
    """One interval per second of the run, also the seconds in which no request started (but not the
    empty ones after the profile's end, while the callers were being stopped)."""
    by_index = {int(k): v for k, v in seconds.items()}
    busy = [i for i, v in by_index.items() if int(v["requests"]) or i < planned]
    last = max([*busy, min(int(duration), math.ceil(planned)) - 1, 0])
    intervals = []
    users = 0
    for index in range(last + 1):
        second = by_index.get(index)
        if second is None:
            intervals.append(LoadInterval(float(index), users, 0, 0, None))
            continue
        users = int(second["users"]) or users
        timed = bool(second["histogram"])
        latency = _percentiles(second["histogram"], float(second["max_ms"])) if timed else None
        intervals.append(
            LoadInterval(float(index), users, int(second["requests"]), int(second["errors"]), latency)
        )
    return tuple(intervals)


def _exchange(number: int, sample: Sample, request: LoadRequest) -> Exchange:
    return Exchange(
        id=f"load-{number}",
        direction=Direction.OUTGOING,
        method="POST",
        url=request.url,
        request_headers=sample.request_headers,
        request_body=request.body,
        status=sample.status,
        response_headers=sample.response_headers,
        response_body=sample.response_body,
        started=datetime.fromtimestamp(sample.started, UTC),
        elapsed_ms=sample.elapsed_ms,
        tags=("load",),
        note=sample.note,
    )
