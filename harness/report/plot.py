"""A load run's latency over time as inline SVG: no script, no style attribute, no external file.

The page's Content-Security-Policy allows only its own hashed inline style and script, so the plot
uses SVG presentation attributes and classes from report.css (``style="..."`` would be blocked).
Every text is escaped here, so the result can go into the page as markup. One line per latency
percentile (p50, p95, p99), a bar per second with errors, the profile's phases as bands, the
reference lines (e.g. the contract domain's response-time limit) dashed, and the users on a
second axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from harness.core.measurements import LoadInterval, LoadSummary

__all__ = ["latency_plot"]

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 56, 36, 44
SERIES: tuple[tuple[str, str], ...] = (("p50", "p50_ms"), ("p95", "p95_ms"), ("p99", "p99_ms"))


@dataclass(frozen=True, slots=True)
class _Frame:
    """Data to pixels: x in seconds, y in milliseconds (left axis) and users (right axis)."""

    duration_s: float
    top_ms: float
    top_users: int

    def x(self, seconds: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * min(max(seconds / self.duration_s, 0.0), 1.0)

    def y(self, ms: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - min(max(ms / self.top_ms, 0.0), 1.0))

    def y_users(self, users: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - min(users / self.top_users, 1.0))


def latency_plot(summary: LoadSummary) -> str:
    """The SVG element for ``summary`` (an empty string when it has no time series)."""
    if not summary.intervals:
        return ""
    frame = _frame(summary)
    title = f"Latency over time: {summary.label}, {summary.profile}"
    parts = [
        f'<svg class="load-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        *_phases(summary, frame),
        *_axes(frame),
        *_error_bars(summary.intervals, frame),
        _users_line(summary.intervals, frame),
        *(_series(summary.intervals, frame, label, key) for label, key in SERIES),
        *_reference_lines(summary, frame),
        _legend(),
        "</svg>",
    ]
    return "".join(p for p in parts if p)


def _frame(summary: LoadSummary) -> _Frame:
    last = summary.intervals[-1].start_s + 1.0
    duration = max(summary.duration_s, last, 1.0)
    seen = [i.latency.p99_ms for i in summary.intervals if i.latency is not None]
    lines = [r.value_ms for r in summary.reference_lines]
    # The reference lines stay visible only while they do not squash the measured latencies.
    wanted = max(seen or [1.0])
    wanted = max([wanted, *(v for v in lines if v <= 4 * wanted)])
    users = max([i.users for i in summary.intervals] + [p.users for p in summary.phases] + [1])
    return _Frame(duration_s=duration, top_ms=_nice(wanted * 1.1), top_users=4 * math.ceil(users * 1.1 / 4))


def _nice(value: float) -> float:
    """The next round number (1, 2 or 5 times a power of ten) at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1.0, 2.0, 5.0, 10.0) if step * power >= value)


def _axes(frame: _Frame) -> list[str]:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [f'<path class="axis" d="M{LEFT},{TOP} V{bottom} H{right} V{TOP}" fill="none"/>']
    for i in range(5):
        ms = frame.top_ms * i / 4
        y = frame.y(ms)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(_text(LEFT - 6, y + 4, _ms_label(ms), "end"))
        parts.append(_text(right + 6, frame.y_users(frame.top_users * i / 4) + 4, _users(frame, i), "start"))
    step = _nice(frame.duration_s / 6)
    for i in range(int(frame.duration_s / step) + 1):
        parts.append(_text(frame.x(i * step), bottom + 16, f"{i * step:g} s", "middle"))
    parts.append(_text((LEFT + right) / 2, HEIGHT - 6, "seconds since the load started", "middle"))
    parts.append(_text(LEFT - 6, TOP - 8, "ms", "end"))
    parts.append(_text(right + 6, TOP - 8, "users", "start"))
    return parts


def _users(frame: _Frame, step: int) -> str:
    return f"{frame.top_users * step // 4}"


def _ms_label(ms: float) -> str:
    return f"{ms / 1000:g} s" if ms >= 10_000 else f"{ms:g}"


def _readable(ms: float) -> str:
    return f"{ms / 1000:g} s" if ms >= 1000 else f"{ms:g} ms"


def _phases(summary: LoadSummary, frame: _Frame) -> list[str]:
    parts: list[str] = []
    for index, phase in enumerate(summary.phases):
        x0, x1 = frame.x(phase.start_s), frame.x(phase.end_s)
        shade = "phase-a" if index % 2 == 0 else "phase-b"
        parts.append(
            f'<rect class="{shade}" x="{x0:.1f}" y="{TOP}" width="{max(x1 - x0, 0):.1f}" '
            f'height="{HEIGHT - TOP - BOTTOM}"><title>{escape(phase.name)}: {phase.users} users, '
            f"{phase.start_s:.0f}-{phase.end_s:.0f} s</title></rect>"
        )
        parts.append(_text((x0 + x1) / 2, TOP + 12, phase.name, "middle", "phase-label"))
    return parts


def _error_bars(intervals: Sequence[LoadInterval], frame: _Frame) -> list[str]:
    """A red bar per second with errors, as tall as that second's error share."""
    width = max(frame.x(1.0) - frame.x(0.0) - 1, 1.0)
    parts = []
    for interval in intervals:
        if not interval.errors:
            continue
        share = interval.errors / max(interval.requests, 1)
        top = TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)
        parts.append(
            f'<rect class="errors" x="{frame.x(interval.start_s):.1f}" y="{top:.1f}" width="{width:.1f}" '
            f'height="{HEIGHT - BOTTOM - top:.1f}"><title>{interval.start_s:.0f} s: {interval.errors} of '
            f"{interval.requests} requests failed</title></rect>"
        )
    return parts


def _series(intervals: Sequence[LoadInterval], frame: _Frame, label: str, key: str) -> str:
    points = [
        (frame.x(i.start_s + 0.5), frame.y(getattr(i.latency, key)))
        for i in intervals
        if i.latency is not None
    ]
    return _polyline(points, f"series {label}", label)


def _users_line(intervals: Sequence[LoadInterval], frame: _Frame) -> str:
    points = [(frame.x(i.start_s + 0.5), frame.y_users(i.users)) for i in intervals]
    return _polyline(points, "series users", "users")


def _polyline(points: Sequence[tuple[float, float]], css: str, label: str) -> str:
    if not points:
        return ""
    coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline class="{css}" fill="none" points="{coordinates}"><title>{label}</title></polyline>'


def _reference_lines(summary: LoadSummary, frame: _Frame) -> list[str]:
    parts = []
    for line in summary.reference_lines:
        if line.value_ms > frame.top_ms:
            continue  # far above every measurement: named in the table instead
        y = frame.y(line.value_ms)
        parts.append(f'<line class="limit" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(_text(WIDTH - RIGHT - 4, y - 4, f"{line.label} ({_readable(line.value_ms)})", "end"))
    return parts


def _legend() -> str:
    entries = [(label, f"series {label}") for label, _ in SERIES] + [("users", "series users")]
    parts = []
    x, y = LEFT + 8, TOP - 22  # above the plot area, clear of the data
    for label, css in entries:
        parts.append(f'<line class="{css}" x1="{x}" x2="{x + 18}" y1="{y}" y2="{y}"/>')
        parts.append(_text(x + 22, y + 4, label, "start"))
        x += 70
    parts.append(f'<rect class="errors" x="{x}" y="{y - 6}" width="12" height="12"/>')
    parts.append(_text(x + 16, y + 4, "error share", "start"))
    return "".join(parts)


def _text(x: float, y: float, text: str, anchor: str, css: str = "label") -> str:
    return f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'
